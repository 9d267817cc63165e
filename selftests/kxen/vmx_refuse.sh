#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The "VT-x already in use" refusal, both ways: while KVM holds VT-x, kxen
# refuses to load with EBUSY and a line naming the fix; once KVM lets go,
# kxen loads; while kxen holds VT-x, KVM cannot enable it.
. /selftests/data/tap.sh

KMOD=/lib/modules/$(uname -r)/kernel
HOLD=/selftests/data/kvm_hold
[ -r "$KMOD/arch/x86/kvm/kvm-intel.ko" ] || tap_skip_all "kvm-intel.ko is not in this image"
[ -x "$HOLD" ] || tap_skip_all "no kvm_hold helper"
kxen_unload
insmod "$KMOD/virt/lib/irqbypass.ko" 2>/dev/null
insmod "$KMOD/arch/x86/kvm/kvm.ko" 2>/dev/null
insmod "$KMOD/arch/x86/kvm/kvm-intel.ko" ||
	tap_skip_all "kvm_intel does not load on this CPU model"
tap_plan 9

"$HOLD" > /tmp/hold.out 2>&1 &
hold=$!
i=0
while [ $i -lt 50 ] && ! grep -q holds /tmp/hold.out; do
	sleep 0.1
	i=$((i + 1))
done
tap_check "KVM takes VT-x (a VM exists)" grep -q holds /tmp/hold.out
dmesg_mark
insmod "$KXEN_KO" > /tmp/insmod.out 2>&1
rc=$?
cat /tmp/insmod.out
tap_check "kxen refuses to load while KVM holds VT-x" test $rc -ne 0
tap_check "the refusal is EBUSY" grep -qi "busy" /tmp/insmod.out
tap_check "dmesg names the cause and the fix" \
	sh -c "dmesg | tail -n +$((DMESG_FROM + 1)) | grep -q 'already in use by another hypervisor'"
kill "$hold"
wait "$hold" 2>/dev/null
tap_check "once KVM lets go, kxen loads" kxen_load
"$HOLD" > /tmp/hold2.out 2>&1 &
hold=$!
sleep 1
kill "$hold" 2>/dev/null
wait "$hold"
rc=$?
cat /tmp/hold2.out
tap_check "while kxen holds VT-x, KVM cannot enable it (EBUSY)" test $rc -eq 3
# Both loaded in either order share the emergency-reboot hook without a
# kernel warning (the lab fails a test that taints the kernel).
tap_check "kvm_intel unloads while kxen holds VT-x" rmmod kvm_intel
tap_check "kvm_intel loads again while kxen holds VT-x" \
	insmod "$KMOD/arch/x86/kvm/kvm-intel.ko"
tap_check "kxen unloads" kxen_unload
rmmod kvm_intel kvm irqbypass 2>/dev/null
tap_done
