#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Ballooning from inside Debian's kernel (lab: LAB_L2=1): the guest's
# xen-balloon driver gives 64 MiB back (target_kb) and the host's count
# of pages held for domains (xl-lite info: live_pages) drops by as many
# 4 KiB pages; growing back to the start takes them again.
. /selftests/data/tap.sh

[ -r "$L2_DIR/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
tap_plan 9
kxen_load
base=$(kxen_live)
PAGES=16384		# 64 MiB in 4 KiB pages
SLACK=256		# 1 MiB either way: what Linux or kxen may round

l2_cfg l2m balloon 'on_poweroff = "preserve"'
xl-lite create /tmp/l2m.cfg
xl-lite console l2m > /tmp/l2m.out 2>&1 &
con=$!
tap_check "the guest's balloon driver is ready" \
	wait_grep /tmp/l2m.out "L2-BALLOON-READY" 600
p0=$(xl_info live_pages)

# step WORD N: type WORD, wait for the guest's Nth report.
step() { console_step l2m /tmp/l2m.out "$1" "L2-BALLOON target_kb" "$2"; }

r1=$(step shrink 1)
echo "shrink: $r1"
p1=$(xl_info live_pages)
r2=$(step grow 2)
echo "grow: $r2"
p2=$(xl_info live_pages)
echo "live pages: at start $p0, shrunk $p1 ($((p0 - p1)) fewer), grown $p2"

# within PAGES +- SLACK
near() { [ "$1" -ge $(($2 - SLACK)) ] && [ "$1" -le $(($2 + SLACK)) ]; }
tap_check "the guest shrank by 64 MiB" \
	sh -c "echo '$r1' | awk '{ exit \$3 == \$5 ? 0 : 1 }'"
tap_check "the host got $PAGES pages back (got $((p0 - p1)))" \
	near $((p0 - p1)) $PAGES
tap_check "the guest grew back to where it started" \
	sh -c "echo '$r2' | awk '{ exit \$3 == \$5 ? 0 : 1 }'"
tap_check "the host holds those pages again (+$((p2 - p1)))" \
	near $((p2 - p1)) $PAGES
l2_finish l2m "$con" '^L2-|balloon' "the ballooning guest" "$base"
