#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kxen installed on a clean L1 as a package would install it: the tree of
# `make install DESTDIR=` laid over L1's root, the module DKMS built from
# that tree's /usr/src/kxen-VERSION on the host (lab/lib/install.sh),
# loaded by name with modprobe, and kxen-domains.service's own ExecStart
# and ExecStop starting and stopping the domain of /etc/xen/auto, as
# systemd would at boot and shutdown (L1 has no systemd to run the unit).
# lab-stage: install
. /selftests/data/tap.sh

I=/kxen/install
KVER=$(uname -r)
DKMS_KO=$I/lib/modules/$KVER/updates/dkms/kxen.ko
UNIT=$I/usr/lib/systemd/system/kxen-domains.service
[ -d "$I/usr/src" ] || tap_skip_all "no installed tree in this image (/kxen/install)"
[ -f "$DKMS_KO" ] ||
	tap_skip_all "no DKMS-built module: the host that built this image has no dkms (apt-get install dkms)"
tap_plan 11
kxen_unload

# What a unit line runs: its command with its arguments.
unit_cmd() { sed -n "s/^$1=//p" "$UNIT" | head -n 1; }

tap_check "the unit names its start and stop commands" \
	test -n "$(unit_cmd ExecStart)" -a -n "$(unit_cmd ExecStop)"
cp -a "$I/." /
tap_check "modules-load.d asks for kxen at boot" \
	grep -qx kxen /etc/modules-load.d/kxen.conf
depmod -a
tap_check "modprobe kxen loads the DKMS-built module" modprobe kxen
echo "loaded from $(modinfo -F filename kxen 2>/dev/null)"
tap_check "the installed xl-lite talks to it" /usr/sbin/xl-lite info
mkdir -p /etc/xen/auto
cat > /etc/xen/auto/auto1.cfg <<CFG
name = "auto1"
type = "pvh"
kernel = "/kxen/guests/spin.elf"
memory = 16
CFG
# A short stop wait: spin has no PV control interface, so the stop's
# shutdown -F has kxen shut it down, and then destroys it.
echo "XENDOMAINS_STOP_MAXWAIT=3" >> /etc/default/kxen-domains
start=$(unit_cmd ExecStart)
stop=$(unit_cmd ExecStop)
# A unit's command line is words: split, as systemd splits it.
# shellcheck disable=SC2086
tap_check "ExecStart ($start) starts the autostart domain" $start
xl-lite list | sed 's/^/#   /'
state=$(xl_state auto1)
tap_check "auto1 runs (state $state)" sh -c "echo '$state' | grep -q '[rb]'"
tap_check "a second ExecStart leaves it alone" sh -c "$start | grep -q 'auto1 .*already there'"
tap_check "still one auto1" test "$(xl-lite list | grep -c '^auto1 ')" = 1
# shellcheck disable=SC2086
tap_check "ExecStop ($stop) ends it" $stop
tap_check "no domain is left" sh -c '! xl-lite list | grep -q "^auto1 "'
tap_check "the module unloads" rmmod kxen
tap_done
