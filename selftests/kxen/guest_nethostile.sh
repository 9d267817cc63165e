#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A hostile xen-netfront against kxen's network backend: the nethostile
# guest (guest-frontends/tests/nethostile.c) connects to its vif as
# Linux's netfront does, posts RX buffers granted wrongly (each must be
# answered with an error and left unwritten), pings L1 through the
# bridge, then sends 10^5 malformed packets (bad slot counts, sizes,
# GSO extras, grant references of every wrong kind, csum_blank without
# TCP/UDP, a spoofed MAC) with valid frames and echoes mixed in, then
# 10^5 notifies with nothing in its rings (the backend's workers may run
# only a bounded number of idle passes a second, kick_limit.h), and
# last, one per connection, each defect after which the backend stops
# serving the queue (slot chains past 20, a slot across its page,
# extra-info types unknown, repeated or too many, TX/RX producer indexes
# out of range).  Meanwhile a well-behaved guest (Debian's kernel with
# xen-netfront, LAB_L2=1) on the same bridge keeps answering L1's pings.
# The host must stay as it was: each connection's counts as the backend
# logged them, every stop logged, no kernel warning, BUG or oops, no new
# taint, every page and object back after destroy.
#
# NETHOSTILE_ITERS sets the number of hostile packets (default 100000).
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
L2=/kxen/l2
[ -r "$G/nethostile.elf" ] || tap_skip_all "no nethostile.elf"
tap_plan 15
kxen_load
base=$(kxen_live)
iters=${NETHOSTILE_ITERS:-100000}
MAC=00:16:3e:4b:58:10
for m in net/llc/llc.ko net/802/stp.ko net/bridge/bridge.ko; do
	insmod "/lib/modules/$(uname -r)/kernel/$m" 2>/dev/null
done
ip link add xenbr0 type bridge
ip addr add 10.9.0.1/24 dev xenbr0
ip link set xenbr0 up
ip link set lo up

# Taint bits 12 and 13 (out-of-tree, unsigned module) come with kxen.ko.
taint() { echo $(($(cat /proc/sys/kernel/tainted) & ~12288)); }
taint0=$(taint)
dmesg_mark

# The well-behaved neighbour, if the image has Debian's kernel.
good=
if [ -r "$L2/vmlinux" ] && [ -r "$L2/initrd" ]; then
	l2_cfg good net "vif = [ 'mac=00:16:3e:4b:58:11, bridge=xenbr0' ]
on_poweroff = \"preserve\""
	xl-lite create /tmp/good.cfg && good=1
	xl-lite console good > /tmp/good.out 2>&1 &
	console_wait good /tmp/good.out L2-NET-UP 600 180 || good=
	[ -n "$good" ] && ping -c 3 -W 10 10.9.0.2 > /dev/null || good=
fi
if [ -n "$good" ]; then
	tap_ok "a well-behaved guest (Debian's netfront) on xenbr0 answers L1's pings"
else
	tap_ok "# SKIP no well-behaved guest (no L2 kernel: LAB_L2=1)"
fi

guest_cfg nethostile "$G/nethostile.elf" 32 "iters=$iters"
echo "vif = [ 'mac=$MAC, bridge=xenbr0' ]" >> /tmp/nethostile.cfg
tap_check "create the hostile guest with its vif on xenbr0" \
	xl-lite create /tmp/nethostile.cfg
domid=$(xl_domid nethostile)
vif=vif$domid.0

# L1 pings the neighbour every 2 s while the hostile guest runs.
pings=0
lost=0
i=0
while ! case $(xl_state nethostile) in *[sc]*|"") true ;; *) false ;; esac &&
	[ $i -lt 700 ]; do
	if [ -n "$good" ]; then
		pings=$((pings + 1))
		ping -c 1 -W 10 10.9.0.2 > /dev/null 2>&1 || lost=$((lost + 1))
	fi
	sleep 2
	i=$((i + 1))
done
st=$(xl_state nethostile)
tap_check "it ran to its end and shut down, not crashed (state '$st')" \
	test "$(echo "$st" | tr -cd sc)" = s
console_dump nethostile
tap_check "it reports Test result: SUCCESS" \
	grep -q "Test result: SUCCESS" /tmp/nethostile.out
if [ -n "$good" ]; then
	echo "L1 pinged the neighbour $pings times while the hostile guest ran, $lost lost"
	tap_check "the neighbour kept its traffic: $pings pings from L1, $lost lost" \
		test "$pings" -ge 3 -a "$lost" -le $((pings / 20))
	console_send good "ping -c 3 -W 10 10.9.0.1 > /dev/null && echo L2-\"\"PING-OK"
	console_wait good /tmp/good.out '^L2-PING-OK' 120 60
	tap_check "and it pings L1 afterwards" grep -q '^L2-PING-OK' /tmp/good.out
else
	tap_ok "# SKIP no well-behaved guest to ping"
	tap_ok "# SKIP no well-behaved guest to ping from"
fi
tap_check "L1's bridge still has the hostile guest's vif as a port" \
	test -e /sys/class/net/xenbr0/brif/$vif

# "connection N: P packets, D dropped, S spoofed, E errors" from the
# guest, and the backend's "dD vif 0: queue 0 disconnected: from the
# guest P packets, B bytes, D dropped, S spoofed, E errors; ...".
guest_counts()
{
	tr -d '\r' < /tmp/nethostile.out | sed -n \
		's/^connection \([0-9]*\): \([0-9]*\) packets, \([0-9]*\) dropped, \([0-9]*\) spoofed, \([0-9]*\) errors$/\2 \3 \4 \5/p'
}
backend_counts()
{
	dmesg_new | grep "kxen: d$domid vif 0: queue 0 disconnected: from the guest" |
		sed 's/.* from the guest \([0-9]*\) packets, [0-9]* bytes, \([0-9]*\) dropped, \([0-9]*\) spoofed, \([0-9]*\) errors;.*/\1 \2 \3 \4/'
}
g=$(guest_counts)
b=$(backend_counts)
echo "$g" | sed 's/^/# guest:   packets, dropped, spoofed, errors: /'
echo "$b" | sed 's/^/# backend: packets, dropped, spoofed, errors: /'
tap_check "the backend's counts for each of the 10 connections are the guest's" \
	test -n "$g" -a "$(echo "$g" | wc -l)" = 10 -a "$g" = "$b"
# The flood, in the first connection: "...; passes: TX P (I idle, H
# held back), RX ..." from the backend.
txp=$(dmesg_new | grep "kxen: d$domid vif 0: queue 0 disconnected: from the guest" |
	head -n 1 | sed -n 's/.*; passes: TX \([0-9]*\) (\([0-9]*\) idle, \([0-9]*\) held back), RX .*/\1 \2 \3/p')
set -- $txp
echo "connection 1: ${1:-?} TX passes"
flood_checks "the backend's TX worker" /tmp/nethostile.out "${2:-0}" "${3:-0}"
stops=$(dmesg_new | grep "kxen: d$domid vif 0: queue 0: .*; the queue stops")
echo "$stops" | sed 's/^/# /'
nstop=0
for why in "more slots than any frontend uses" "slot crosses its page" \
	"first slot crosses its page" "extra-info type unknown" \
	"extra-info type repeated" "too many extra-info slots" \
	"TX producer index a ring ahead" "RX producer index a ring ahead"; do
	echo "$stops" | grep -q "queue 0: $why; the queue stops" &&
		nstop=$((nstop + 1))
done
tap_check "the backend logged each of the 8 reasons it stopped a queue ($nstop)" \
	test "$nstop" = 8
tap_check "destroy it" xl-lite destroy nethostile
wait_gone nethostile 30
if [ -n "$good" ]; then
	xl-lite destroy good
	wait_gone good 30
fi
i=0
while [ "$(kxen_live)" != "$base" ] && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
live_back "$base"
dmesg_new | grep "kxen: d$domid " | grep -v ': e9: ' | tail -n 12 | sed 's/^/# /'
ip link del xenbr0	# the next test makes its own
kxen_unload
bad=$(dmesg_new | grep -v "kxen: d[0-9]*: " | grep -E 'BUG|WARNING|Oops')
[ -n "$bad" ] && printf '%s\n' "$bad" | head -n 20 | sed 's/^/# trouble: /'
tap_check "no BUG, WARNING or Oops in the kernel log" test -z "$bad"
tap_check "the kernel is not tainted beyond what it was ($taint0)" \
	test "$(taint)" = "$taint0"
tap_done
