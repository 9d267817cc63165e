#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The network benchmark (lab: LAB_L2=1; run by selftests/lab/bench-net,
# not part of the suite): netbench between L1 and a peer on bridge
# xenbr0, both directions, a TCP stream (MB/s) and 64-byte UDP datagrams
# (packets/s sent and received, the loss), SECS seconds each.  The peer
# is first a network namespace of L1's behind a veth pair on the bridge
# (the anchor: the same stack and bridge, no hypervisor), then an L2
# guest behind its vif (kxen's network backend, Debian's netfront).
# Prints "BENCH name anchor A L2 B unit ratio B/A" lines, and VM exits
# and backend wakeups (event-channel kicks) per packet from the guest's
# destroy summary.  Checks only that every transfer arrived whole: the
# receiver got the sender's bytes intact, the datagram counts agree.
# NETBENCH_VCPUS: the guest's vCPUs (default 2; the peer lab's is 1).
. /selftests/data/tap.sh

L2=/kxen/l2
NB=/selftests/data/netbench
SECS=5
CON=/tmp/bench.out
[ -r "$L2/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
[ -r "$L2/initrd" ] || tap_skip_all "no L2 initrd"
[ -x "$NB" ] || tap_skip_all "no $NB"
tap_plan 16
kxen_load
dmesg_mark
for m in net/llc/llc.ko net/802/stp.ko net/bridge/bridge.ko \
	 drivers/net/veth.ko; do
	insmod "/lib/modules/$(uname -r)/kernel/$m" 2>/dev/null
done
ip link set lo up
ip link add xenbr0 type bridge
ip addr add 10.9.0.1/24 dev xenbr0
ip link set xenbr0 up

# NETBENCH value NAME of FILE; rc FILE: the exit status netbench left.
val() { awk -v n="$2" '$1 == "NETBENCH" && $2 == n { print $3 }' "$1"; }
rc() { sed -n 's/^NB-RC //p' "$1"; }

# wait_listen FILE: until a receiver's NETBENCH-LISTEN line is in FILE.
wait_listen()
{
	_i=0
	while ! grep -q '^NETBENCH-LISTEN' "$1" && [ $_i -lt 150 ]; do
		sleep 0.2
		_i=$((_i + 1))
	done
}

# ---- the peers: PEER=ns (the namespace) or PEER=l2 (the guest) ----
# peer_recv PROTO PORT: its receiver, listening when this returns.
# peer_end PROTO PORT FILE: its receiver's lines into FILE once it ends.
# peer_send PROTO PORT FILE: its sender to L1, its lines into FILE.
peer_recv()
{
	if [ "$PEER" = ns ]; then
		nsenter -t "$NS" -n "$NB" -w 120 recv "$1" "$2" > /tmp/nb.peer 2>&1 &
		PEER_PID=$!
		wait_listen /tmp/nb.peer
	else
		MARK=$(wc -c < "$CON")
		console_send bench "-w 120 recv $1 $2"
		console_wait bench "$CON" "^L2-NETBENCH-LISTEN $1 $2" 120 60
	fi
}
# l2_lines FILE: the guest's netbench lines since MARK, and its status.
l2_lines()
{
	tail -c +$((MARK + 1)) "$CON" | tr -d '\r' |
		sed -n -e 's/^L2-NETBENCH /NETBENCH /p' \
		       -e 's/^L2-NB-DONE rc=\([0-9]*\) .*/NB-RC \1/p' > "$1"
}
peer_end()
{
	if [ "$PEER" = ns ]; then
		wait "$PEER_PID"
		echo "NB-RC $?" >> /tmp/nb.peer
		mv /tmp/nb.peer "$3"
	else
		console_wait bench "$CON" "^L2-NB-DONE rc=[0-9]* .*recv $1 $2" 300 120
		l2_lines "$3"
	fi
}
peer_send()
{
	if [ "$PEER" = ns ]; then
		nsenter -t "$NS" -n "$NB" -t "$SECS" send "$1" 10.9.0.1 "$2" > "$3" 2>&1
		echo "NB-RC $?" >> "$3"
	else
		MARK=$(wc -c < "$CON")
		console_send bench "-t $SECS send $1 10.9.0.1 $2"
		console_wait bench "$CON" "^L2-NB-DONE rc=[0-9]* .*send $1 10.9.0.1 $2" 300 120
		l2_lines "$3"
	fi
}

# measure PROTO tx|rx PORT: one transfer between L1 and the peer at
# PEER_IP, L1 sending (tx) or receiving (rx); /tmp/nb.PEER.PROTO-DIR.l1
# and .peer hold each side's lines.
measure()
{
	_f=/tmp/nb.$PEER.$1-$2
	if [ "$2" = tx ]; then
		peer_recv "$1" "$3"
		"$NB" -t "$SECS" send "$1" "$PEER_IP" "$3" > "$_f.l1" 2>&1
		echo "NB-RC $?" >> "$_f.l1"
		peer_end "$1" "$3" "$_f.peer"
	else
		"$NB" -w 120 recv "$1" "$3" > "$_f.l1" 2>&1 &
		_pid=$!
		wait_listen "$_f.l1"
		peer_send "$1" "$3" "$_f.peer"
		wait "$_pid"
		echo "NB-RC $?" >> "$_f.l1"
	fi
	sed "s/^/# $PEER $1-$2 L1: /" "$_f.l1"
	sed "s/^/# $PEER $1-$2 peer: /" "$_f.peer"
}

# whole SENDER RECEIVER PROTO: both ended well and agree on what went.
whole()
{
	[ "$(rc "$1")" = 0 ] && [ "$(rc "$2")" = 0 ] || return 1
	if [ "$3" = tcp ]; then
		_s=$(val "$1" tcp-sent)
		[ -n "$_s" ] && [ "$_s" -gt 0 ] &&
			[ "$_s" = "$(val "$2" tcp-received)" ] &&
			[ "$_s" = "$(val "$1" tcp-acked)" ]
	else
		_r=$(val "$2" udp-received)
		[ -n "$_r" ] && [ "$_r" -gt 0 ] &&
			[ "$_r" = "$(val "$1" udp-received)" ] &&
			[ "$(val "$1" udp-sent)" = "$(val "$2" udp-sent)" ]
	fi
}

# run_all WHO: the four transfers with the current peer, one check each.
run_all()
{
	for t in tcp:tx:5001 tcp:rx:5002 udp:tx:5003 udp:rx:5004; do
		_p=${t%%:*} _d=${t#*:} _d=${_d%:*}
		measure "$_p" "$_d" "${t##*:}"
		_f=/tmp/nb.$PEER.$_p-$_d
		if [ "$_d" = tx ]; then
			tap_check "$1: $_p from L1 arrives whole" \
				whole "$_f.l1" "$_f.peer" "$_p"
		else
			tap_check "$1: $_p to L1 arrives whole" \
				whole "$_f.peer" "$_f.l1" "$_p"
		fi
	done
}

# The anchor: a network namespace (busybox unshare; its sleep holds it)
# with the far end of a veth pair; the near end is a port of xenbr0, as
# the guest's vif will be.  The kernel names the far end (veth%d).
unshare -n sleep 3600 &
NS=$!
ip link add nbh0 type veth
far=
for d in /sys/class/net/*; do
	[ "$(cat "$d/ifindex")" = "$(cat /sys/class/net/nbh0/iflink 2>/dev/null)" ] &&
		far=${d##*/}
done
sleep 0.5
ip link set "$far" netns "$NS"
ip link set nbh0 master xenbr0
ip link set nbh0 up
nsenter -t "$NS" -n ip link set lo up
nsenter -t "$NS" -n ip addr add 10.9.0.9/24 dev "$far"
nsenter -t "$NS" -n ip link set "$far" up
tap_check "the anchor: namespace $NS behind veth pair nbh0/$far on xenbr0 answers pings" \
	ping -c 3 -W 10 10.9.0.9
PEER=ns PEER_IP=10.9.0.9
run_all "the anchor (namespace over veth)"

# guest_up NAME: an L2 guest on the same bridge, its vif the port, at
# 10.9.0.2; its console into /tmp/NAME.out; until its netfront is up.
guest_up()
{
	cat > "/tmp/$1.cfg" <<CFG
type = "pvh"
name = "$1"
kernel = "$L2/vmlinux"
ramdisk = "$L2/initrd"
memory = 256
vcpus = ${NETBENCH_VCPUS:-2}
cmdline = "console=hvc0 loglevel=4 kxen_l2=netbench"
vif = [ 'mac=00:16:3e:4b:58:09, bridge=xenbr0' ]
on_poweroff = "preserve"
CFG
	xl-lite create "/tmp/$1.cfg"
	xl-lite console "$1" > "/tmp/$1.out" 2>&1 &
	CON_PID=$!
	console_wait "$1" "/tmp/$1.out" L2-NET-UP 900 300
}

# guest_end NAME: "done" at its console, then destroyed; DOMID its id.
guest_end()
{
	console_send "$1" "done"
	console_wait "$1" "/tmp/$1.out" L2-DONE 120 60
	kill "$CON_PID" 2>/dev/null
	DOMID=$(xl_domid "$1")
	xl-lite destroy "$1"
	wait_gone "$1" 30
}

# First a guest that boots, answers pings and ends: what the measured
# guest's life costs besides the benchmark.
guest_up base
tap_check "a guest that only boots: its netfront is up and it answers pings" \
	ping -c 3 -W 10 10.9.0.2
guest_end base
base=$DOMID

# Then the measured one.
guest_up bench
tap_check "the measured guest's netfront is up and it answers pings" \
	ping -c 3 -W 10 10.9.0.2
PEER=l2 PEER_IP=10.9.0.2
run_all "the L2 guest (kxen netback)"

# The anchor inside the guest, and the same in L1: both ends of a
# transfer on one machine's loopback, no backend, no veth.  The guest's
# stack against L1's is what this emulator costs a nested guest's own
# kernel, which no backend can win back.  /tmp/nb.loN.PROTO.s and .r:
# the sender's and the receiver's lines, N 1 for L1, 2 for the guest.
# lo_l1 PROTO PORT
lo_l1()
{
	_f=/tmp/nb.lo1.$1
	"$NB" -w 120 recv "$1" "$2" > "$_f.r" 2>&1 &
	_pid=$!
	wait_listen "$_f.r"
	"$NB" -t "$SECS" send "$1" 127.0.0.1 "$2" > "$_f.s" 2>&1
	echo "NB-RC $?" >> "$_f.s"
	wait "$_pid"
	echo "NB-RC $?" >> "$_f.r"
}
# lo_l2 PROTO PORT: the guest reports one status for both ends.
lo_l2()
{
	_f=/tmp/nb.lo2.$1
	MARK=$(wc -c < "$CON")
	console_send bench "lo $1 $2 $SECS"
	console_wait bench "$CON" "^L2-NB-DONE rc=[0-9]* lo $1 $2" 300 120
	tail -c +$((MARK + 1)) "$CON" | tr -d '\r' > "$_f.all"
	_rc=$(sed -n 's/^L2-NB-DONE rc=\([0-9]*\) lo .*/\1/p' "$_f.all")
	for _e in S:s R:r; do
		sed -n "s/^L2-LO-${_e%:*}-NETBENCH /NETBENCH /p" "$_f.all" > "$_f.${_e#*:}"
		echo "NB-RC ${_rc:-1}" >> "$_f.${_e#*:}"
	done
}
lo_ok=0
for p in tcp udp; do
	lo_l1 "$p" 5011
	lo_l2 "$p" 5012
	for n in 1 2; do
		sed "s/^/# lo$n $p: /" "/tmp/nb.lo$n.$p.s" "/tmp/nb.lo$n.$p.r"
		whole "/tmp/nb.lo$n.$p.s" "/tmp/nb.lo$n.$p.r" "$p" &&
			lo_ok=$((lo_ok + 1))
	done
done
tap_check "loopback in L1 and in the guest: tcp and udp arrive whole, 4 of 4" \
	test "$lo_ok" = 4
# The copy threshold (netback_zc.c's tx_copy_max), measured at both ends
# of the packet sizes: the guest's TCP to L1 (segmentation offload
# packets of up to 64 KiB) zero-copy, the default, and copied; its 64-byte
# UDP datagrams copied, the default, and zero-copy.  In turn, three times
# each, in the same guest.
ZC_PARAM=/sys/module/kxen/parameters/tx_copy_max
zc_default=$(cat "$ZC_PARAM")
zc_ok=0 port=5004
# sweep PROTO ZC-LIMIT COPY-LIMIT
sweep()
{
	for r in 1 2 3; do
		for mode in zc:"$2" copy:"$3"; do
			echo "${mode#*:}" > "$ZC_PARAM"
			PEER=l2$r${mode%%:*} port=$((port + 1))
			measure "$1" rx "$port"
			whole "/tmp/nb.$PEER.$1-rx.peer" "/tmp/nb.$PEER.$1-rx.l1" "$1" &&
				zc_ok=$((zc_ok + 1))
		done
	done
	echo "$zc_default" > "$ZC_PARAM"
}
sweep tcp "$zc_default" 1000000
sweep udp 0 "$zc_default"
PEER=l2
tap_check "the L2 guest: tcp and udp to L1, zero-copy and copied, 12 of 12 arrive whole" \
	test "$zc_ok" = 12
guest_end bench
domid=$DOMID
sleep 2
dmesg_new > /tmp/bench.dmesg
guest_log_clean "the guests' consoles" /tmp/base.out "$CON"

# ratio NAME UNIT WHO PROTO-DIR SIDE: one BENCH line, the anchor's value
# of NETBENCH NAME against the guest's, from the same side (L1's, or the
# peer's) of the same transfer.
ratio()
{
	a=$(val "/tmp/nb.ns.$4.$5" "$2")
	b=$(val "/tmp/nb.l2.$4.$5" "$2")
	echo "$1 ${a:-0} ${b:-0} $3" |
		awk '{ r = $2 > 0 ? sprintf("%.3f", $3 / $2) : "-"
		       printf "# BENCH %s anchor %s L2 %s %s ratio %s\n", $1, $2, $3, $4, r }'
}
ratio tcp-tx tcp-send MB/s tcp-tx l1
ratio tcp-rx tcp-recv MB/s tcp-rx l1
ratio udp-tx-sent udp-send pkt/s udp-tx l1
ratio udp-tx-received udp-delivered pkt/s udp-tx l1
ratio udp-tx-loss udp-loss % udp-tx l1
ratio udp-rx-sent udp-send pkt/s udp-rx peer
ratio udp-rx-received udp-recv pkt/s udp-rx l1
ratio udp-rx-loss udp-loss % udp-rx l1
# lo_ratio NAME UNIT SIDE: the guest's loopback against L1's; for TCP
# also what that leaves for a transfer between L1 and the guest, one end
# each, against the veth anchor whose two ends both run in L1: with a
# backend that cost nothing, the slower direction reaches at most
# 2r / (1 + r), however the work splits between the ends.
lo_ratio()
{
	echo "$(val "/tmp/nb.lo1.${2%%-*}.$3" "$2") $(val "/tmp/nb.lo2.${2%%-*}.$3" "$2")" |
		awk -v n="$1" -v u="$4" 'NF == 2 {
			r = $1 > 0 ? $2 / $1 : 0
			printf "# BENCH %s L1 %s L2 %s %s ratio %.3f", n, $1, $2, u, r
			if (u == "MB/s")
				printf " (bound for the slower of L1<->L2 against veth: %.2f)", 2 * r / (1 + r)
			printf "\n" }'
}
lo_ratio tcp-loopback tcp-send s MB/s
lo_ratio udp-loopback udp-recv r pkt/s
# zero-copy against copied: each mode's median of three, and its range.
# runs PROTO MODE NAME: the three runs' NETBENCH NAME on L1, sorted.
runs() { for r in 1 2 3; do val "/tmp/nb.l2$r$2.$1-rx.l1" "$3"; done |
	 sort -n | tr '\n' ' '; }
# zc_line NAME UNIT PROTO VALUE-NAME LIMIT-FOR-ZC
zc_line()
{
	echo "$(runs "$3" zc "$4") $(runs "$3" copy "$4") $5" |
		awk -v n="$1" -v u="$2" 'NF == 7 {
			r = $5 > 0 ? sprintf("%.3f", $2 / $5) : "-"
			printf "# BENCH %s copied %s [%s-%s] zero-copy %s [%s-%s] %s ratio %s (zero-copy past %s bytes; medians of 3)\n",
				n, $5, $4, $6, $2, $1, $3, u, r, $7 }'
}
zc_line tcp-rx-zero-copy MB/s tcp tcp-recv "$zc_default"
zc_line udp-rx-zero-copy pkt/s udp udp-recv 0
# life DOMID: from the destroy summary, the domain's VM exits, and from
# netback's per-queue summary at disconnect, the guest's kicks (our
# wakeups), our notifies, the packets from and to it, the queues.
life()
{
	awk -v d="d$1" '
	index($0, " " d ": VM exits by reason:") {
		for (i = 1; i <= NF; i++)
			if (split($i, p, ":") == 2 && p[2] ~ /^[0-9]+$/) e += p[2] }
	index($0, " " d " vif ") && / queue [0-9]+ disconnected:/ {
		for (i = 1; i <= NF; i++) {
			if ($i == "guest") tx += $(i + 1)
			if ($i == "it") rx += $(i + 1)
			if ($i == "kicks,") k += $(i - 1)
			if ($i == "notifies;") n += $(i - 1) }
		q++ }
	END { printf "%d %d %d %d %d %d\n", e, k, n, tx, rx, q }' /tmp/bench.dmesg
}
# The measured guest's whole life, boot included; then less the life of
# the guest that only booted.
echo "$(life "$domid") $(life "$base")" | awk '{
	p = $4 + $5
	printf "# BENCH packets from-guest %d to-guest %d queues %d exits %d kicks %d notifies %d exits/packet %.2f wakeups/packet %.3f\n",
		$4, $5, $6, $1, $2, $3, p ? $1 / p : 0, p ? $2 / p : 0
	e = $1 - $7; k = $2 - $8; p -= $10 + $11
	printf "# BENCH less-boot packets %d exits %d kicks %d exits/packet %.2f wakeups/packet %.3f (less a guest that only booted: exits %d kicks %d packets %d)\n",
		p, e, k, p ? e / p : 0, p ? k / p : 0, $7, $8, $10 + $11 }'
# Where the exits go, and what the hypercalls were for, per packet.
pk=$(life "$domid" | awk '{ print $4 + $5 }')
pk0=$(life "$base" | awk '{ print $4 + $5 }')
for w in "VM exits by reason" "hypercalls by op"; do
	summary_per /tmp/bench.dmesg "$w" "$domid" "$pk" "$base" "$pk0" packet
done
tap_check "netback summed up each queue at disconnect" \
	grep -q "d$domid vif 0: queue 0 disconnected:" /tmp/bench.dmesg

kill "$NS" 2>/dev/null
ip link del nbh0 2>/dev/null
ip link del xenbr0
kxen_unload
tap_check "the module unloads" sh -c '! grep -q "^kxen " /proc/modules'
test_elapsed | sed 's/^/# /'
tap_done
