#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# xl-lite sched-credit2 on a guest that spins (guest-frontends spin):
# the config's cpu_weight is read back, a cap of 20 holds its vCPU to
# 14-26 % of the wall clock over 10 s (time in guest mode, vcpu-list's
# Time(s)), no cap lets it have more than 60 %, a new weight is read
# back and is its thread's nice level, a cap over 100 per vCPU is
# refused.  A capped vCPU pays what it overran before it goes in again:
# when it went in once a period whatever it owed, a busy host (whose
# emulated CPU's guest slices stretch) gave it 31-32 % at cap 20.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/spin.elf" ] || tap_skip_all "no spin.elf in $G"
tap_plan 12
kxen_load
base=$(kxen_live)

# thread_nice COMM: the nice level of the kernel thread COMM.
thread_nice()
{
	for _p in /proc/[0-9]*; do
		[ "$(cat "$_p/comm" 2>/dev/null)" = "$1" ] || continue
		awk '{ print $19 }' "$_p/stat"
		return
	done
}


guest_cfg spin "$G/spin.elf" 16
echo 'cpu_weight = 384' >> /tmp/spin.cfg
tap_check "spin: xl-lite create, cpu_weight = 384" \
	xl-lite create -e /tmp/spin.cfg
id=$(xl_domid spin)
xl-lite sched-credit2 | guest_show
tap_check "sched-credit2 lists Domain-0 and the config's weight, no cap" sh -c \
	"xl-lite sched-credit2 | grep -Eq '^Domain-0 +0 +256 +0\$' &&
	 xl-lite sched-credit2 -d spin | grep -Eq '^spin +$id +384 +0\$'"

# Let it start spinning: its time in guest mode grows.
i=0
while [ $i -lt 30 ] && ! awk -v t="$(vcpu_time spin)" 'BEGIN { exit !(t > 0) }'; do
	sleep 1
	i=$((i + 1))
done
tap_check "sched-credit2 -d spin -c 20" xl-lite sched-credit2 -d spin -c 20
sleep 1
share=$(vcpu_share spin 10)
echo "# cap 20: vCPU 0 in guest mode $share % of 10 s"
tap_check "cap 20: 14-26 % of the wall clock ($share %)" in_range "$share" 14 26
tap_check "sched-credit2 -d spin shows the cap" sh -c \
	"xl-lite sched-credit2 -d spin | grep -Eq '^spin +$id +384 +20\$'"

tap_check "sched-credit2 -d spin -c 0" xl-lite sched-credit2 -d spin -c 0
sleep 1
share=$(vcpu_share spin 5)
echo "# no cap: vCPU 0 in guest mode $share % of 5 s"
tap_check "no cap: more than 60 % of the wall clock ($share %)" \
	in_range "$share" 61 200

tap_check "sched-credit2 -d spin -w 512: read back" sh -c \
	"xl-lite sched-credit2 -d spin -w 512 &&
	 xl-lite sched-credit2 -d spin | grep -Eq '^spin +$id +512 +0\$'"
nice=$(thread_nice "kxen/d${id}v0")
tap_check "weight 512: its vCPU thread kxen/d${id}v0 at nice -3 (${nice:-none})" \
	test "$nice" = -3
tap_check "cap 101 on one vCPU: refused, status 1, the module says why" sh -c \
	"! xl-lite sched-credit2 -d spin -c 101 2> /tmp/spin.err &&
	 grep -q 'SCHED_CAP must be 0..100 per vCPU' /tmp/spin.err"
sed 's/^/# /' /tmp/spin.err
tap_check "spin: destroyed" xl-lite destroy spin
live_back "$base"
kxen_unload
tap_done
