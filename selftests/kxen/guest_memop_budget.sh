#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# memory_op's work per VM exit is bounded: the bigballoon guest gives
# back nearly all of its RAM in one XENMEM_decrease_reservation of 2 MiB
# extents and takes it back in one XENMEM_populate_physmap (then the same
# with 1024 single pages), and checks the results, its reservation and
# its pages.  kxen does at most 512 pages an exit and continues the call
# as Xen does; the destroy summary counts the continued hypercalls, at
# least one per extent past the first of each big call.  Every page comes
# back.  BIGBALLOON_MEM sets the guest's MiB (default 256, 64 under
# VT-x, which runs in Bochs).
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/bigballoon.elf" ] || tap_skip_all "no bigballoon.elf"
tap_plan 6
kxen_load
base=$(kxen_live)
vendor=$(xl_info kxen_vendor)
mem=256
case $vendor in *vmx*|*VT-x*|*intel*) mem=64 ;; esac
mem=${BIGBALLOON_MEM:-$mem}
echo "bigballoon: $mem MiB ($vendor)"
guest_cfg bigballoon "$G/bigballoon.elf" "$mem"
tap_check "create the bigballoon guest" xl-lite create /tmp/bigballoon.cfg
tap_check "it shuts down" wait_state bigballoon sc 300
console_dump bigballoon | grep -E 'FAIL|PASS|bigballoon:|Test result'
tap_check "it reports Test result: SUCCESS" \
	grep -q "Test result: SUCCESS" /tmp/bigballoon.out
id=$(xl_domid bigballoon)
tap_check "destroy it" xl-lite destroy bigballoon
extents=$(sed -n 's/.*bigballoon: \([0-9]*\) extents of order 9.*/\1/p' \
	/tmp/bigballoon.out | head -n 1)
cont=$(dmesg | sed -n "s/.*d$id: hypercalls continued \([0-9]*\) times.*/\1/p" |
	tail -n 1)
echo "big calls: ${extents:-?} extents of 2 MiB each way; hypercalls continued: ${cont:-?}"
# Decrease and populate of N 2 MiB extents: N - 1 continuations each at
# least; the 1024 single pages: one each way.
tap_check "the big calls were cut into exits of at most 512 pages" \
	test -n "$extents" -a -n "$cont" -a "${extents:-0}" -gt 1 -a \
	"${cont:-0}" -gt 0 -a "${cont:-0}" -ge $((2 * ${extents:-1}))
live_back "$base"
kxen_unload
tap_done
