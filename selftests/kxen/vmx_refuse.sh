#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The "virtualization already in use" refusal, both ways: while KVM holds
# VT-x (kvm_intel) or AMD-V (kvm_amd), kxen refuses to load with EBUSY and
# a line naming the fix; once KVM lets go, kxen loads; while kxen holds
# it, KVM cannot enable it.
. /selftests/data/tap.sh

KMOD=/lib/modules/$(uname -r)/kernel
HOLD=/selftests/data/kvm_hold
if grep -qw vmx /proc/cpuinfo; then
	KVM_MOD=kvm_intel TECH=VT-x VENDOR_DEPS=
elif grep -qw svm /proc/cpuinfo; then
	# kvm_amd needs the AMD crypto coprocessor driver's SEV symbols.
	KVM_MOD=kvm_amd TECH=AMD-V VENDOR_DEPS=drivers/crypto/ccp/ccp.ko
else
	tap_skip_all "CPU has neither VT-x (vmx flag) nor AMD-V (svm flag)"
fi
KVM_KO="$KMOD/arch/x86/kvm/$(echo "$KVM_MOD" | tr _ -).ko"
[ -r "$KVM_KO" ] || tap_skip_all "$KVM_KO is not in this image"
[ -x "$HOLD" ] || tap_skip_all "no kvm_hold helper"
kxen_unload
insmod "$KMOD/virt/lib/irqbypass.ko" 2>/dev/null
insmod "$KMOD/arch/x86/kvm/kvm.ko" 2>/dev/null
for dep in $VENDOR_DEPS; do
	insmod "$KMOD/$dep" 2>/dev/null
done
if ! insmod "$KVM_KO" > /tmp/kvm-insmod.out 2>&1; then
	reason=$(dmesg | grep -E "kvm|$KVM_MOD" | tail -n 1)
	tap_skip_all "$KVM_MOD does not load on this CPU model:" \
		"$(cat /tmp/kvm-insmod.out) ${reason}"
fi
tap_plan 9

"$HOLD" > /tmp/hold.out 2>&1 &
hold=$!
i=0
while [ $i -lt 50 ] && ! grep -q holds /tmp/hold.out; do
	sleep 0.1
	i=$((i + 1))
done
tap_check "KVM takes $TECH (a VM exists)" grep -q holds /tmp/hold.out
dmesg_mark
insmod "$KXEN_KO" > /tmp/insmod.out 2>&1
rc=$?
cat /tmp/insmod.out
tap_check "kxen refuses to load while KVM holds $TECH" test $rc -ne 0
tap_check "the refusal is EBUSY" grep -qi "busy" /tmp/insmod.out
tap_check "dmesg names the cause and the fix" \
	sh -c "/selftests/data/dmesg_since $DMESG_MARK | grep -q '$TECH.* already in use by another hypervisor (e.g. $KVM_MOD'"
kill "$hold"
wait "$hold" 2>/dev/null
tap_check "once KVM lets go, kxen loads" kxen_load
# Refused, kvm_hold exits 3 at once; if KVM wrongly got VT-x it would
# hold it forever, so a generous bound (not a guess at how long KVM
# takes to try: under Bochs with two CPUs that can pass a second).
timeout 60 "$HOLD" > /tmp/hold2.out 2>&1
rc=$?
cat /tmp/hold2.out
tap_check "while kxen holds $TECH, KVM cannot enable it (EBUSY)" test $rc -eq 3
# Both loaded in either order share the emergency-reboot hook without a
# kernel warning (the lab fails a test that taints the kernel).
tap_check "$KVM_MOD unloads while kxen holds $TECH" rmmod "$KVM_MOD"
tap_check "$KVM_MOD loads again while kxen holds $TECH" insmod "$KVM_KO"
tap_check "kxen unloads" kxen_unload
rmmod "$KVM_MOD" kvm irqbypass 2>/dev/null
for dep in $VENDOR_DEPS; do
	rmmod "$(basename "$dep" .ko)" 2>/dev/null
done
tap_done
