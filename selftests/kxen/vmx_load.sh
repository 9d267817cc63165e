#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VT-x bring-up: kxen.ko loads on the stock kernel, does VMXON on every
# online CPU, exposes its interfaces, and unloads cleanly; repeated.
. /selftests/data/tap.sh

[ -r "${KXEN_KO:-/kxen/kxen.ko}" ] || tap_skip_all "no kxen.ko in this image"
grep -qw vmx /proc/cpuinfo || tap_skip_all "CPU has no VT-x (vmx flag)"
tap_plan 7

kxen_unload
dmesg_mark
tap_check "insmod kxen.ko succeeds" kxen_load
tap_check "dmesg reports the vmx backend" \
	sh -c "dmesg | tail -n +$((DMESG_FROM + 1)) | grep -q 'kxen: loaded, vmx backend'"
tap_check "/dev/kxen is a character device" test -c /dev/kxen
tap_check "generic netlink family answers (xl-lite info)" \
	sh -c 'xl-lite info | grep -qi vmx'
tap_check "rmmod kxen succeeds" kxen_unload
tap_check "/dev/kxen is gone after unload" test ! -e /dev/kxen

cycles_ok=1
i=0
while [ $i -lt 5 ]; do
	kxen_load && kxen_unload || { cycles_ok=0; break; }
	i=$((i + 1))
done
tap_check "5 quick load/unload cycles" test $cycles_ok -eq 1
dmesg_new | grep -i 'kxen' | sed 's/^/# /'
tap_done
