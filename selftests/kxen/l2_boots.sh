#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Ten boots of Debian's kernel in a row (lab: LAB_L2=1): each is created,
# reaches its /init, powers off and is destroyed by its monitor
# (on_poweroff = destroy), and afterwards the module holds no more pages
# or objects than before, and no monitor is left running.
. /selftests/data/tap.sh

[ -r "$L2_DIR/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
kxen_load
vendor=$(xl_info kxen_vendor)
# Ten boots cost ~100 s under QEMU and far more under Bochs (VT-x): the
# VT-x path is covered by l2_linux and l2_actions there.
if [ "$vendor" = vmx ] && [ "${L2_BOOTS_VMX:-0}" != 1 ]; then
	kxen_unload
	tap_skip_all "ten L2 boots take too long under Bochs (vmx); L2_BOOTS_VMX=1 runs them"
fi
N=${L2_BOOTS:-10}
tap_plan 5
base=$(kxen_live)
rm -f "$XL_LOG_DIR"/xl-l2b.log* /tmp/l2b-all.out
l2_cfg l2b boot

# L2_PIN_CPU=N keeps every vCPU thread on L1 CPU N (a knob for chasing
# faults: does one need vCPU threads that move between L1 CPUs?).
pin=
if [ -n "${L2_PIN_CPU:-}" ]; then
	while :; do
		for c in $(grep -l '^kxen/d' /proc/[0-9]*/comm 2>/dev/null); do
			p=${c#/proc/}
			taskset -p -c "$L2_PIN_CPU" "${p%/comm}"
		done > /dev/null 2>&1
		sleep 0.02
	done &
	pin=$!
	echo "vCPU threads kept on L1 CPU $L2_PIN_CPU"
fi
ok=0
i=1
while [ $i -le "$N" ]; do
	t0=$(l1_uptime)
	timeout 600 xl-lite create -c /tmp/l2b.cfg > /tmp/l2b.out 2>&1
	wait_gone l2b 60 > /dev/null
	gone=$?
	t1=$(l1_uptime)
	up=$(sed -n 's/^L2-UPTIME //p' /tmp/l2b.out)
	cat /tmp/l2b.out >> /tmp/l2b-all.out
	if grep -q L2-INIT-OK /tmp/l2b.out && grep -q L2-DONE /tmp/l2b.out &&
	   [ $gone = 0 ]; then
		ok=$((ok + 1))
		res=ok
	else
		res=FAILED
		tail -n 20 /tmp/l2b.out | sed 's/^/#   /'
	fi
	awk -v i="$i" -v a="$t0" -v b="$t1" -v u="$up" -v r="$res" 'BEGIN {
		printf "boot %d: %s, %.1f s create to gone (L1), guest uptime at /init %s s\n",
			i, r, b - a, u }'
	i=$((i + 1))
done
[ -n "$pin" ] && kill "$pin"
tap_check "$ok of $N boots reached /init, powered off and were destroyed" \
	test $ok = "$N"
guest_log_clean "$N boots" /tmp/l2b-all.out
# Each monitor's log moved the last one to .1, .1 to .2: the newest log
# and ten before it are kept.
logs=$((N > 11 ? 11 : N))
tap_check "each by its own monitor (the last $logs logs)" \
	test "$(cat "$XL_LOG_DIR"/xl-l2b.log* | grep -c 'destroying the domain')" = "$logs"
left=""
for p in $(cat "$XL_LOG_DIR"/xl-l2b.log* | sed -n 's/.*to die \[pid \([0-9]*\)\]$/\1/p'); do
	pid_alive "$p" && left="$left $p"
done
tap_check "no monitor is left running${left:+ (left:$left)}" test -z "$left"
live_back "$base"
kxen_unload
test_elapsed
tap_done
