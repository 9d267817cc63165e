#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# One boot of Debian's kernel, measured (lab: LAB_L2=1; the host side is
# selftests/lab/bench-l2): time from `xl-lite create` to the guest's
# /init in L1's time, the guest's own uptime at /init, and the VM exits
# by reason that kxen logs when the domain is destroyed.  Results are the
# lines starting "BENCH ".
. /selftests/data/tap.sh

[ -r "$L2_DIR/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
tap_plan 3
kxen_load
l2_cfg l2bench boot 'on_poweroff = "preserve"'
dmesg_mark
t0=$(l1_uptime)
xl-lite create /tmp/l2bench.cfg
t1=$(l1_uptime)
xl-lite console l2bench > /tmp/l2bench.out 2>&1 &
con=$!
# The console is polled every 50 ms: that is the resolution.
i=0
while ! grep -q L2-INIT-OK /tmp/l2bench.out && [ $i -lt 12000 ]; do
	sleep 0.05
	i=$((i + 1))
done
t2=$(l1_uptime)
tap_check "the guest reached /init" grep -q L2-INIT-OK /tmp/l2bench.out
tap_check "and powered off" wait_state l2bench s 300
kill $con 2>/dev/null
up=$(sed -n 's/^L2-UPTIME //p' /tmp/l2bench.out)
xl-lite destroy l2bench
exits=$(dmesg_new | sed -n 's/.*kxen: d[0-9]*: VM exits by reason: *//p' | tail -n 1)
tap_check "kxen logged its VM exits" test -n "$exits"
echo "BENCH emulator ${KXEN_LAB_EMULATOR:-none} vendor $(xl_info kxen_vendor 2>/dev/null || echo -)"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v u="$up" 'BEGIN {
	printf "BENCH create_s %.2f (xl-lite create: build and start, L1 time)\n", b - a
	printf "BENCH create_to_init_s %.2f (L1 time)\n", c - a
	printf "BENCH guest_uptime_at_init_s %s (the guest'"'"'s own clock)\n", u }'
total=0
for e in $exits; do
	total=$((total + ${e##*:}))
done
echo "BENCH exits_total $total"
for e in $exits; do
	echo "BENCH exit ${e%%:*} ${e##*:}"
done | sort -k4 -n -r
kxen_unload
test_elapsed
tap_done
