#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The 32-bit conformance guests (guest-frontends TESTS32, as XTF's hvm32
# and hvm32pae): hello, memop, evtchn, timer and vcpuop built -m32
# (set_timer_op's split argument, the 32-bit runstate record and
# singleshot timer struct among what they reach), each run without
# paging (<name>32.elf) and with PAE paging (<name>32pae.elf).  They stay
# in 32-bit protected mode, so every hypercall takes the 32-bit register
# ABI and Xen's 32-bit struct layouts (4-byte xen_ulong_t, xen_pfn_t and
# guest handles; the 32-bit shared_info with its 4-byte event words).
# Each must report SUCCESS; hello also says which mode it ran in.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
GUESTS="hello32 hello32pae memop32 memop32pae evtchn32 evtchn32pae \
	timer32 timer32pae vcpuop32 vcpuop32pae"
for g in $GUESTS; do
	[ -r "$G/$g.elf" ] || tap_skip_all "no $g.elf"
done
set -- $GUESTS
tap_plan $(($# * 3 + 3))
kxen_load
base=$(kxen_live)
for g in $GUESTS; do
	guest_run_success "$g" "$G/$g.elf" \
		'CPU mode|FAIL|PASS|PANIC|Unhandled|Test result'
	case $g in
	hello32)
		tap_check "hello32: ran in 32-bit protected mode, paging off" \
			grep -q "CPU mode: 32-bit protected mode, paging off" \
			"/tmp/$g.out" ;;
	hello32pae)
		tap_check "hello32pae: ran in 32-bit protected mode, PAE paging" \
			grep -q "CPU mode: 32-bit protected mode, PAE paging" \
			"/tmp/$g.out" ;;
	esac
done
after=$(kxen_live)
echo "live pages/objects before: $base after: $after"
tap_check "every page and object is back" test "$base" = "$after"
dmesg | grep kxen | tail -20 | sed 's/^/# /'
kxen_unload
tap_done
