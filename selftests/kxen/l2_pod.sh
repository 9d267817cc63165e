#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# maxmem above memory with Debian's kernel (lab: LAB_L2=1), as xl and
# Xen 4.17 do it for a PVH guest (populate-on-demand): the guest's memory
# map holds maxmem, its balloon driver gives back at boot what memory
# leaves out, and the host never holds more than memory for it; then
# `mem-set` to maxmem grows the guest to it, and back down again.
. /selftests/data/tap.sh

[ -r "$L2_DIR/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
tap_plan 15
kxen_load
base=$(kxen_live)
MEM=128
MAX=256
SLACK=1024		# KiB: the BIOS area and ACPI pages Linux does not count

L2_MEM=$MEM l2_cfg l2p balloon "maxmem = $MAX
on_poweroff = \"preserve\""
xl-lite create /tmp/l2p.cfg
xl-lite console l2p > /tmp/l2p.out 2>&1 &
con=$!
tap_check "the guest boots with maxmem $MAX MiB, memory $MEM MiB" \
	wait_grep /tmp/l2p.out "L2-BALLOON-READY" 600

# step WORD N: type WORD, wait for the guest's Nth L2-MEM report.
step() { console_step l2p /tmp/l2p.out "$1" "L2-MEM " "$2"; }

# field REPORT NAME: the value after NAME in an L2-MEM line.
field() { echo "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }
# held: pages kxen holds for guests now, over what it held before.
held() { echo $(($(xl_info live_pages) - ${base% *})); }
# within KB +- SLACK, or at most KB (SLACK below)
near() { [ "$1" -ge $(($2 - SLACK)) ] && [ "$1" -le "$2" ]; }

r0=$(step show 1)
echo "# after boot: $r0, host holds $(held) pages"
xl-lite list l2p | sed 's/^/# /'
top=$(field "$r0" e820_top)
tap_check "its memory map reaches $MAX MiB (RAM to $top)" \
	test $((top + 1)) -gt $(((MAX - 1) << 20))
cur=$(field "$r0" current_kb)
tap_check "its balloon gave back down to memory at boot ($cur KiB)" \
	near "$cur" $((MEM << 10))
h=$(held)
tap_check "the host holds at most memory for it ($h pages)" \
	test "$h" -le $((MEM << 8))
# what it holds and may still fill: memory, give or take a page
tap_check "list shows memory, $MEM MiB" sh -c \
	"xl-lite list l2p | awk '\$1 == \"l2p\" { exit \$3 >= $MEM - 1 && \$3 <= $MEM ? 0 : 1 }'"

tap_check "mem-set l2p ${MAX}m" xl-lite mem-set l2p "${MAX}m"
r1=$(step settle 2)
echo "# after mem-set $MAX: $r1, host holds $(held) pages"
xl-lite list l2p | sed 's/^/# /'
cur=$(field "$r1" current_kb)
tap_check "the guest grew to maxmem ($cur KiB)" near "$cur" $((MAX << 10))
h=$(held)
tap_check "the host holds what it grew by ($h pages)" \
	test "$h" -gt $(((MEM + (MAX - MEM) / 2) << 8))
tap_check "list shows $MAX MiB" sh -c \
	"xl-lite list l2p | awk '\$1 == \"l2p\" { exit \$3 >= $MAX - 1 && \$3 <= $MAX ? 0 : 1 }'"

tap_check "mem-set l2p ${MEM}m" xl-lite mem-set l2p "${MEM}m"
r2=$(step settle 3)
echo "# after mem-set $MEM: $r2, host holds $(held) pages"
cur=$(field "$r2" current_kb)
h=$(held)
shrunk() { near "$cur" $((MEM << 10)) && [ "$h" -le $((MEM << 8)) ]; }
tap_check "the guest shrank to memory ($cur KiB), the host got it back ($h pages)" \
	shrunk
l2_finish l2p "$con" '^L2-|balloon' "the guest populated on demand" "$base"
