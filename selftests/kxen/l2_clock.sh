#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's kernel keeps Xen time (lab: LAB_L2=1): its wall clock stays
# within 1 s of L1's over 60 s of guest time.  Each reading is a round
# trip (tap.sh's clock_reading): it passes only when the whole interval
# the guest's offset may lie in is within 1 s, fails only when all of it
# is outside, and a reading whose round trip leaves it undecided is taken
# again.
. /selftests/data/tap.sh

[ -r "$L2_DIR/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
tap_plan 7
kxen_load

l2_cfg l2t clock 'on_poweroff = "preserve"'
xl-lite create /tmp/l2t.cfg
xl-lite console l2t > /tmp/l2t.out 2>&1 &
con=$!
tap_check "the guest is ready" wait_grep /tmp/l2t.out L2-CLOCK-READY 600

clock_reading start l2t /tmp/l2t.out
v0=$?
lo0=$LO hi0=$HI
tap_check "at start the guest's clock is within ${CLOCK_LIMIT} s of L1's" test $v0 = 0
t0=$(wall_now)
console_send l2t sleep
tap_check "the guest slept 60 s of its own time" \
	wait_grep /tmp/l2t.out L2-SLEPT 600
t1=$(wall_now)
clock_reading "after 60 s" l2t /tmp/l2t.out
v1=$?
tap_check "after 60 s of guest time, still within ${CLOCK_LIMIT} s" test $v1 = 0
awk -v a="$lo0" -v b="$hi0" -v c="$LO" -v d="$HI" -v t0="$t0" -v t1="$t1" \
	'BEGIN { printf "drift over the sleep: in [%.3f, %.3f] s; L1 saw %.1f s pass\n", c - b, d - a, t1 - t0 }'
clock_guest_end l2t $con
tap_check "the module unloads" kxen_unload
test_elapsed
tap_done
