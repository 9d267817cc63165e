#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# xl's vcpu-set with Debian's kernel as the guest (lab: LAB_L2=1): set to
# 1, the guest's Xen CPU hotplug driver takes its second CPU down; set
# back to 2, the CPU is present again and comes back up when the guest
# onlines it (an INIT and start-up IPI to a vCPU that has run before).
. /selftests/data/tap.sh

[ -r "$L2_DIR/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
tap_plan 8
kxen_load
base=$(kxen_live)

L2_VCPUS=2 l2_cfg l2v shell 'on_poweroff = "preserve"'
xl-lite create /tmp/l2v.cfg
xl-lite console l2v > /tmp/l2v.out 2>&1 &
con=$!
tap_check "the guest (2 vCPUs) is ready" wait_grep /tmp/l2v.out L2-SHELL-READY 600

# online_is WANT: the guest's online CPU list becomes WANT (30 s at most).
online_is()
{
	_i=0
	while [ $_i -lt 30 ]; do
		console_send l2v 'echo "L2-ONLINE $(cat /sys/devices/system/cpu/online)"'
		sleep 1
		[ "$(grep '^L2-ONLINE' /tmp/l2v.out | tail -n 1 | tr -d '\r')" = "L2-ONLINE $1" ] &&
			return 0
		_i=$((_i + 1))
	done
	echo "the guest's online CPUs: $(grep '^L2-ONLINE' /tmp/l2v.out | tail -n 1)"
	return 1
}

tap_check "at start the guest has CPUs 0-1 online" online_is 0-1
xl-lite vcpu-set l2v 1
tap_check "vcpu-set 1: the guest takes CPU 1 down" online_is 0
xl-lite vcpu-list l2v | sed 's/^/# /'
xl-lite vcpu-set l2v 2
sleep 2
console_send l2v 'echo 1 > /sys/devices/system/cpu/cpu1/online; echo "L2-UP rc=$?"'
wait_grep /tmp/l2v.out "L2-UP rc=" 60
grep "^L2-UP rc=" /tmp/l2v.out | guest_show
tap_check "vcpu-set 2: CPU 1 comes back up when the guest onlines it" online_is 0-1
xl-lite vcpu-list l2v | sed 's/^/# /'
l2_finish l2v "$con" '^L2-|smpboot|CPU ?1' "the guest" "$base"
