#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Soft affinity (xl.cfg's cpus_soft, vcpu-pin's fourth argument) on a
# guest that spins (guest-frontends spin), on an L1 of two CPUs.  Xen's
# schedulers run a vCPU on its soft CPUs while they have room and
# elsewhere in its hard set when they do not; kxen's vCPU thread steers
# itself so (kmod/core/affinity.c).  Checked: vcpu-list shows the sets;
# on an idle host the vCPU keeps to its soft CPU, and follows it when
# vcpu-pin moves it; with a busy loop pinned on its soft CPU it still
# gets most of the wall clock (the other CPU: 90-93 % seen), where the
# same pin as a hard affinity leaves it about half (45 %).
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/spin.elf" ] || tap_skip_all "no spin.elf in $G"
[ "$(grep -c ^processor /proc/cpuinfo)" -ge 2 ] ||
	tap_skip_all "soft affinity needs two L1 CPUs to choose from"
tap_plan 13
kxen_load
base=$(kxen_live)

# on_cpu NAME CPU: of 20 looks 0.25 s apart, how many found vCPU 0 on
# CPU (vcpu-list's CPU column: the one its thread last ran on).
on_cpu()
{
	_n=0
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		_c=$(xl-lite vcpu-list "$1" |
			awk -v n="$1" '$1 == n && $3 == 0 { print $4 }')
		[ "$_c" = "$2" ] && _n=$((_n + 1))
		sleep 0.25
	done
	echo "$_n"
}

# looks_from CPU|all: this shell, and so the looks it starts, on CPU.  An
# idle soft CPU has to be idle: a look run on it makes the vCPU wait for
# it, and then moving elsewhere is right.
looks_from()
{
	_set=$1
	[ "$_set" = all ] &&
		_set="0-$(($(grep -c ^processor /proc/cpuinfo) - 1))"
	taskset -p -c "$_set" $$ > /dev/null
}

# affinity NAME: vCPU 0's "HARD / SOFT" as vcpu-list prints it.
affinity()
{
	xl-lite vcpu-list "$1" |
		awk -v n="$1" '$1 == n && $3 == 0 { print $(NF - 2), $(NF - 1), $NF }'
}

guest_cfg soft "$G/spin.elf" 16
echo 'cpus_soft = "1"' >> /tmp/soft.cfg
tap_check "spin: xl-lite create, cpus_soft = \"1\"" \
	xl-lite create -e /tmp/soft.cfg
xl-lite vcpu-list soft | guest_show
tap_check "vcpu-list: hard all, soft 1 ($(affinity soft))" \
	test "$(affinity soft)" = "all / 1"

# Let it start spinning: its time in guest mode grows.
i=0
while [ $i -lt 30 ] && ! awk -v t="$(vcpu_time soft)" 'BEGIN { exit !(t > 0) }'; do
	sleep 1
	i=$((i + 1))
done
looks_from 0
n=$(on_cpu soft 1)
looks_from all
echo "# idle host, soft 1: on CPU 1 in $n of 20 looks"
tap_check "idle host: vCPU 0 keeps to its soft CPU 1 ($n of 20 looks)" \
	in_range "$n" 16 20

tap_check "vcpu-pin soft 0 - 0: the soft set alone" \
	xl-lite vcpu-pin soft 0 - 0
tap_check "vcpu-list: hard all, soft 0 ($(affinity soft))" \
	test "$(affinity soft)" = "all / 0"
sleep 1
looks_from 1
n=$(on_cpu soft 0)
looks_from all
echo "# idle host, soft 0: on CPU 0 in $n of 20 looks"
tap_check "idle host: it follows to CPU 0 ($n of 20 looks)" \
	in_range "$n" 16 20

# A busy loop pinned on CPU 0: soft 0 is a preference, hard 0 is not.
taskset -c 0 sh -c 'while :; do :; done' &
hog=$!
sleep 1
soft_share=$(vcpu_share soft 6)
echo "# CPU 0 busy, soft 0: $soft_share % of 6 s in guest mode"
# Where it runs then is the host balancer's choice among all CPUs (each
# look is a process that lands on CPU 1 too): what counts is its share.
tap_check "CPU 0 busy, soft 0: it takes CPU 1, $soft_share % of the wall clock (70-200)" \
	in_range "$soft_share" 70 200
tap_check "vcpu-pin soft 0 0 -: the same CPU as a hard affinity" \
	xl-lite vcpu-pin soft 0 0 -
sleep 1
hard_share=$(vcpu_share soft 6)
echo "# CPU 0 busy, hard 0: $hard_share % of 6 s in guest mode"
kill "$hog"
wait "$hog" 2>/dev/null
tap_check "busy soft CPU: $soft_share % of the wall clock, over 1.3 x the $hard_share % of a hard pin" \
	awk -v s="$soft_share" -v h="$hard_share" 'BEGIN { exit !(s > 1.3 * h) }'
tap_check "vcpu-pin soft 0 all all" xl-lite vcpu-pin soft 0 all all
tap_check "vcpu-list: no preference left ($(affinity soft))" \
	test "$(affinity soft)" = "all / all"
tap_check "spin: destroyed" xl-lite destroy soft
live_back "$base"
kxen_unload
tap_done
