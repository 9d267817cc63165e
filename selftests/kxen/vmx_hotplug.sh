#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# CPU hotplug: kxen leaves VMX operation on a CPU going offline (clearing
# the VMCSs active there), or clears EFER.SVME there, and enables it again
# when the CPU comes back, while a guest keeps running and moves between
# CPUs.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
CPU1=/sys/devices/system/cpu/cpu1/online
[ -w "$CPU1" ] || tap_skip_all "needs a second, hot-pluggable CPU (lab: --smp 2)"
[ -r "$G/badargs.elf" ] && [ -r "$G/hello.elf" ] ||
	tap_skip_all "no test guests"
tap_plan 8
echo 1 > "$CPU1"
kxen_load
base=$(kxen_live)
dmesg_mark

guest_cfg spin "$G/badargs.elf" 16 "iters=1000000000"
xl-lite create /tmp/spin.cfg
tap_check "a long-running guest runs" wait_state spin rb 30
tap_check "CPU1 goes offline under it" sh -c "echo 0 > $CPU1"
sleep 1
tap_check "the guest keeps running on CPU0" \
	sh -c 'xl-lite list | awk "\$1 == \"spin\" { print \$5 }" | grep -q "[rb]"'
tap_check "CPU1 comes back online (VMXON/SVME again)" sh -c "echo 1 > $CPU1"
guest_cfg hello "$G/hello.elf" 16
i=0
ok=1
while [ $i -lt 4 ]; do
	# Toggle CPU1 while short guests come and go.
	echo 0 > "$CPU1"
	xl-lite create /tmp/hello.cfg >/dev/null 2>&1 && wait_state hello s 30 &&
		xl-lite destroy hello || ok=0
	echo 1 > "$CPU1"
	i=$((i + 1))
done
tap_check "guests run while CPU1 goes off and on" test $ok -eq 1
tap_check "destroy the running guest" xl-lite destroy spin
tap_check "live pages and objects are back" test "$(kxen_live)" = "$base"
tap_check "no kxen error in the kernel log" \
	sh -c "! /selftests/data/dmesg_since $DMESG_MARK | grep -Ei 'kxen.*(fail|error)'"
kxen_unload
tap_done
