#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# maxvcpus: vCPU hot-add with Debian's kernel as the guest (lab:
# LAB_L2=1), as under Xen 4.17 with vcpus = 1 and maxvcpus = 2.  The
# MADT has the second Local APIC disabled and the DSDT a processor device
# for it, so the guest allows a hotplug CPU and its ACPI processor driver
# hot-adds it; xenstore says it is offline, so the guest's Xen CPU
# hotplug driver makes it not present.  vcpu-set 2 makes it present, and
# the guest brings it up (INIT and start-up IPIs to a vCPU that never
# ran); vcpu-set 1 takes it down again.
. /selftests/data/tap.sh

[ -r "$L2_DIR/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
tap_plan 16
kxen_load
base=$(kxen_live)

l2_cfg l2h shell 'maxvcpus = 2
on_poweroff = "preserve"'
xl-lite create /tmp/l2h.cfg
xl-lite console l2h > /tmp/l2h.out 2>&1 &
con=$!
tap_check "the guest (vcpus 1, maxvcpus 2) is ready" \
	wait_grep /tmp/l2h.out L2-SHELL-READY 600

# cpus_are WANT: the guest's "possible present online nproc" becomes
# WANT (30 s at most).  The line is typed as it is, for the guest's shell.
# shellcheck disable=SC2016
CPUS_LINE='c=/sys/devices/system/cpu; n=$(nproc 2>/dev/null || grep -c ^processor /proc/cpuinfo);'
CPUS_LINE="$CPUS_LINE"' echo "L2-CPUS $(cat $c/possible) $(cat $c/present) $(cat $c/online) $n"'
cpus_are()
{
	_i=0
	while [ $_i -lt 30 ]; do
		console_send l2h "$CPUS_LINE"
		sleep 1
		_got=$(grep '^L2-CPUS' /tmp/l2h.out | tail -n 1 | tr -d '\r')
		[ "$_got" = "L2-CPUS $1" ] && return 0
		_i=$((_i + 1))
	done
	echo "the guest's CPUs (possible present online nproc): $_got"
	return 1
}

# vcpus_listed WANT: xl-lite list's VCPUs column for l2h is WANT.
vcpus_listed()
{
	_n=$(xl-lite list l2h | awk 'NR == 2 { print $4 }')
	echo "list: VCPUs $_n"
	[ "$_n" = "$1" ]
}

# vcpu_state VCPU RE: vcpu-list's CPU and State columns for it match RE.
vcpu_state()
{
	xl-lite vcpu-list l2h | awk -v v="$1" '$3 == v { print $4, $5 }' |
		grep -Eq "$2"
}

# guest_dmesg RE: the guest's kernel log has a line matching RE.
guest_dmesg()
{
	_n=$(grep -c '^L2-DMESG' /tmp/l2h.out)
	console_send l2h "dmesg | grep -E '$1' | sed 's/^/L2-DMESG /'; echo L2-DMESG-END"
	_i=0
	while [ "$(grep -c '^L2-DMESG' /tmp/l2h.out)" -le "$_n" ] ||
	      ! tail -n 5 /tmp/l2h.out | grep -q '^L2-DMESG-END'; do
		[ $_i -ge 150 ] && return 1
		sleep 0.2
		_i=$((_i + 1))
	done
	grep '^L2-DMESG ' /tmp/l2h.out | tail -n 4 | guest_show
	tail -n 20 /tmp/l2h.out | grep '^L2-DMESG ' | grep -Eq "$1"
}

tap_check "at boot: CPUs 0-1 possible, 0 present and online" cpus_are "0-1 0 0 1"
# hotadded: the MADT's disabled entry and the DSDT's processor at boot.
hotadded()
{
	guest_dmesg 'Allowing 2 CPUs, 1 hotplug CPUs' &&
		guest_dmesg 'CPU1 has been hot-added'
}

tap_check "the guest allowed one hotplug CPU and hot-added CPU1 from the DSDT" \
	hotadded
tap_check "list: VCPUs 1 (vCPU 1 never ran)" vcpus_listed 1
xl-lite vcpu-list l2h | sed 's/^/# /'
tap_check "vcpu-list: vCPU 1 is on no CPU, --p" vcpu_state 1 '^- +--p$'
xl-lite vcpu-set l2h 2
tap_check "vcpu-set 2: CPU1 is present" cpus_are "0-1 0-1 0 1"
console_send l2h 'echo 1 > /sys/devices/system/cpu/cpu1/online; echo "L2-UP rc=$?"'
wait_grep /tmp/l2h.out "L2-UP rc=" 120
grep "^L2-UP rc=" /tmp/l2h.out | guest_show
tap_check "the guest brings CPU1 up: online 0-1, nproc 2" cpus_are "0-1 0-1 0-1 2"
tap_check "the guest's kernel booted processor 1" \
	guest_dmesg 'Booting Node 0 Processor 1'
xl-lite vcpu-list l2h | sed 's/^/# /'
tap_check "vcpu-list: both vCPUs running or blocked" \
	sh -c "xl-lite vcpu-list l2h | awk 'NR > 1 && \$5 ~ /^(r--|-b-)\$/' | wc -l | grep -qx 2"
tap_check "list: VCPUs 2" vcpus_listed 2
xl-lite vcpu-set l2h 1
tap_check "vcpu-set 1: the guest takes CPU1 down, not present" \
	cpus_are "0-1 0 0 1"
xl-lite vcpu-list l2h | sed 's/^/# /'
tap_check "list: VCPUs 1 again (vCPU 1 parked: halted, interrupts off)" \
	vcpus_listed 1
l2_finish l2h "$con" '^L2-|smpboot|CPU ?1' "the guest" "$base"
