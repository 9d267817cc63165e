#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Conformance guests for the Xen ABI a PVH Linux needs (verified against
# a real Xen first, see guest-frontends/README.md): event channels (2-level
# and FIFO, and the per-vCPU upcall vector through the local APIC, which
# VT-x delivers itself in x2APIC mode), timers and pvclock, memory_op and
# hvm_op, vcpu_op (more vCPUs up and down too), vm_assist, grant_table_op, the xenstore ring; and
# kxen's PIT counter 2 (pit, which skips under Xen).  Each must report
# SUCCESS.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
GUESTS="evtchn evtchn_fifo upcallvec timer apictimer dbac crbits tscaux memop \
	vcpuop vcpuup vmassist gnttab xenstore pit cpuidflt"
# Under Bochs (the VT-x pass, several times slower) only the guests that
# reach vendor code: interrupt delivery, exceptions and CR4, timers, vCPU
# start state, the second-level tables, the port I/O exit (pit).  The
# rest is Xen ABI above the vendor layer, run by the QEMU pass.
# GUEST_ABI_GUESTS="a b" (LAB_ENV) runs only those, on either pass.
if [ -n "${GUEST_ABI_GUESTS:-}" ]; then
	GUESTS=$GUEST_ABI_GUESTS
elif [ "${KXEN_LAB_EMULATOR:-}" = bochs ]; then
	vendor=" upcallvec timer apictimer dbac crbits tscaux memop vcpuop vcpuup pit cpuidflt "
	kept= left=
	for g in $GUESTS; do
		case $vendor in
		*" $g "*) kept="$kept $g" ;;
		*) left="$left $g" ;;
		esac
	done
	GUESTS=$kept
	echo "#$left: QEMU pass only (no vendor code)"
fi
for g in $GUESTS; do
	[ -r "$G/$g.elf" ] || tap_skip_all "no $g.elf"
done
set -- $GUESTS
kxen_load
vid=0
case " $GUESTS " in
*" upcallvec "*)
	dmesg | grep -q 'virtual-interrupt delivery on' && vid=1 ;;
esac
tap_plan $(($# * 2 + 2 + vid))
base=$(kxen_live)
for g in $GUESTS; do
	# vcpuup brings two more vCPUs up and down.
	vcpus=1
	[ "$g" = vcpuup ] && vcpus=3
	# QEMU's TCG does not emulate alignment checks and raises #UD for
	# ICEBP: dbac skips both there (and says so); Bochs does both.
	args=
	[ "$g" = dbac ] && [ "${KXEN_LAB_EMULATOR:-}" = qemu ] &&
		args="ac=0 icebp=0"
	guest_cfg "$g" "$G/$g.elf" 32 "$args" "$vcpus"
	xl-lite create "/tmp/$g.cfg"
	wait_state "$g" sc 120
	console_dump "$g" | grep -E 'FAIL|PASS|Test result' | head -80
	tap_check "$g: Test result: SUCCESS" \
		grep -q "Test result: SUCCESS" "/tmp/$g.out"
	id=$(xl_domid "$g")
	tap_check "$g: destroyed" xl-lite destroy "$g"
	# A 1 ns periodic timer is clamped to 200 us: about 550 callbacks in
	# the guest's life (100 ms of it), where unclamped it fired back to
	# back (about 2000 under QEMU, throttled by the kernel's own hrtimer
	# hang detection).  The count is in the destroy summary.
	[ "$g" = apictimer ] && tap_check "apictimer: at most 900 host timer callbacks" \
		sh -c "dmesg | grep 'd$id: local APIC timer fired' | tail -n 1 |
			awk '{ n = \$(NF - 1) }
			     END { print \"host timer callbacks:\", n; exit !(n != \"\" && n <= 900) }'"
	# Under VT-x with virtual-interrupt delivery (the module says so as
	# it loads) the guest's 100 EOIs in x2APIC mode take no exit: its
	# destroy summary counts the few other MSR writes only.
	[ "$g" = upcallvec ] && [ "$vid" = 1 ] &&
		tap_check "upcallvec: its EOIs took no exit (VT-x virtual-interrupt delivery)" \
		sh -c "dmesg | grep 'd$id: VM exits by reason' | tail -n 1 |
			sed -n 's/.* MSR_WRITE:\([0-9]*\).*/\1/p' |
			awk '{ n = \$1 } END { print \"MSR write exits:\", n + 0; exit !(n + 0 < 100) }'"
done
after=$(kxen_live)
echo "live pages/objects before: $base after: $after"
tap_check "every page and object is back (ballooned ones too)" \
	test "$base" = "$after"
kxen_unload
tap_done
