#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Network: Debian's kernel as an L2 guest with an interface from its xl
# config (vif = [...] with mac=, bridge=, ip= and rate=), served by kxen's
# network backend to Debian's own xen-netfront; xl-lite bridges the
# backend's netdev (vif<domid>.0) in L1 as Xen's vif-bridge would.  The
# guest pings L1 and L1 the guest, 8 MiB go over TCP each way with their
# checksums compared, rate= holds, frames from a MAC or an IPv4 address
# that are not the guest's are dropped and counted, an XDP program in
# the guest gets the headroom it asks for, a second interface is
# hot-attached, used and detached, and destroying the guest takes the
# vifs away and gives back every page and object.  8 MiB also go from
# guest to guest, the packets of both guests' big sends in their own
# granted pages (zero-copy).
. /selftests/data/tap.sh

L2=/kxen/l2
[ -r "$L2/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
[ -r "$L2/initrd" ] || tap_skip_all "no L2 initrd"
MAC=00:16:3e:4b:58:01
tap_plan 34
kxen_load
base=$(kxen_live)
dmesg_mark
for m in net/llc/llc.ko net/802/stp.ko net/bridge/bridge.ko; do
	insmod "/lib/modules/$(uname -r)/kernel/$m" 2>/dev/null
done
for br in xenbr0:10.9.0.1 xenbr1:10.9.1.1; do
	ip link add "${br%:*}" type bridge
	ip addr add "${br#*:}/24" dev "${br%:*}"
	ip link set "${br%:*}" up
done
ip link set lo up

# rate=: 500,000 bytes/s, in credits of 25,000 bytes every 50 ms.
cat > /tmp/net.cfg <<CFG
type = "pvh"
name = "net"
kernel = "$L2/vmlinux"
ramdisk = "$L2/initrd"
memory = 256
vcpus = 2
cmdline = "console=hvc0 loglevel=4 kxen_l2=net"
vif = [ 'mac=$MAC, bridge=xenbr0, ip=10.9.0.2 10.9.0.3, rate=500000B/s@50ms' ]
on_poweroff = "preserve"
CFG
tap_check "create a guest with a vif" xl-lite create /tmp/net.cfg
domid=$(xl_domid net)
be=/local/domain/0/backend/vif/$domid/0
vif=vif$domid.0
tap_check "the backend made $vif, xl-lite bridged it and said so" \
	sh -c "[ -e /sys/class/net/$vif/brport ] &&
	       [ \"\$(xenstore-read $be/hotplug-status)\" = connected ] &&
	       [ \"\$(xenstore-read $be/feature-rx-copy)\" = 1 ] &&
	       [ \"\$(xenstore-read $be/rate)\" = 25000,50000 ]"
xl-lite console net > /tmp/net.out 2>&1 &
con=$!
console_wait net /tmp/net.out L2-NET-UP 600 120
i=0
while [ "$(xenstore-read "$be/state" 2>/dev/null)" != 4 ] && [ $i -lt 100 ]; do
	sleep 0.2
	i=$((i + 1))
done
tap_check "netfront connects, and the backend says Connected" \
	sh -c "grep -q 'L2-NET-UP $MAC' /tmp/net.out &&
	       [ \"\$(xenstore-read $be/state)\" = 4 ]"
fe=/local/domain/$domid/device/vif/0
tap_check "netfront uses a queue per L1 CPU, as offered ($(nproc))" \
	sh -c "[ \"\$(xenstore-read $be/multi-queue-max-queues)\" = $(nproc) ] &&
	       [ \"\$(xenstore-read $fe/multi-queue-num-queues)\" = $(nproc) ] &&
	       [ \$(ls -d /sys/class/net/$vif/queues/tx-* | wc -l) = $(nproc) ]"
# Two worker threads a queue (be_worker.h), SCHED_BATCH: TX and RX.
want=$(q=0; while [ $q -lt "$(nproc)" ]; do
	printf 'kxvif%s.0-%st 3\nkxvif%s.0-%sr 3\n' "$domid" $q "$domid" $q
	q=$((q + 1)); done | sort)
kthreads "kxvif$domid.0-" > /tmp/net.threads
sed 's/^/threads: /' /tmp/net.threads
tap_check "a SCHED_BATCH TX and RX worker thread per queue" \
	test "$want" = "$(cat /tmp/net.threads)"
tap_check "L1 pings the guest through the bridge" \
	ping -c 3 -W 10 10.9.0.2
console_send net "ping -c 3 -W 10 10.9.0.1 > /dev/null && echo L2-\"\"PING-OK"
console_wait net /tmp/net.out '^L2-PING-OK' 120 60
tap_check "the guest pings L1" grep -q '^L2-PING-OK' /tmp/net.out

# 8 MiB each way over TCP.  Busybox nc ends when its input does, so the
# receiver's input is a FIFO this shell holds open until the data is in.
dd if=/dev/urandom of=/tmp/to_guest bs=1M count=8 2>/dev/null
rm -f /tmp/hold
mkfifo /tmp/hold
nc -l -p 5001 < /tmp/hold > /tmp/from_guest &
lis=$!
exec 3> /tmp/hold
console_send net "dd if=/dev/urandom of=/tmp/blob bs=1M count=8 2>/dev/null; echo L2-\"\"BLOB \$(sha256sum < /tmp/blob | cut -c1-64); a=\$(cut -d' ' -f1 /proc/uptime); nc 10.9.0.1 5001 < /tmp/blob; echo L2-\"\"SENT \$a \$(cut -d' ' -f1 /proc/uptime)"
console_wait net /tmp/net.out '^L2-SENT' 600 300
sleep 2
exec 3>&-
kill $lis 2>/dev/null
sum_g=$(grep -a '^L2-BLOB [0-9a-f]' /tmp/net.out | tr -d '\r' | awk '{ print $2 }')
tap_check "8 MiB from the guest arrive whole (sha256 compared)" \
	test "$(sha256sum < /tmp/from_guest | cut -c1-64)" = "$sum_g"
# rate=25000,50000: 500,000 bytes/s from the guest, within 10 %.
bps=$(grep -a '^L2-SENT [0-9]' /tmp/net.out | tr -d '\r' |
      awk '{ if ($3 > $2) printf "%d", 8388608 / ($3 - $2) }')
echo "guest to L1 under rate=25000,50000: ${bps:-?} bytes/s"
tap_check "the rate= limit holds within 10 % (500000 bytes/s)" \
	sh -c "[ -n '$bps' ] && [ '$bps' -ge 450000 ] && [ '$bps' -le 550000 ]"
console_send net "sleep 600 | nc -l -p 5002 > /tmp/in & echo L2-\"\"LISTENING"
console_wait net /tmp/net.out '^L2-LISTENING' 60 30
sleep 1
nc 10.9.0.2 5002 < /tmp/to_guest
console_send net "sleep 3; echo L2-\"\"GOT \$(sha256sum < /tmp/in | cut -c1-64)"
console_wait net /tmp/net.out '^L2-GOT' 120 60
tap_check "8 MiB to the guest arrive whole (sha256 compared)" \
	grep -q "^L2-GOT $(sha256sum < /tmp/to_guest | cut -c1-64)" /tmp/net.out

# A frame from a MAC that is not the guest's own never reaches the bridge.
drop0=$(cat "/sys/class/net/$vif/statistics/rx_dropped")
# (netfront takes a new MAC only while the interface is down)
mac_to() { echo "ip link set eth0 down; ip link set eth0 address $1; ip link set eth0 up"; }
console_send net "$(mac_to 00:16:3e:66:66:66); ping -c 3 -W 2 10.9.0.1 > /dev/null || echo L2-\"\"SPOOF-BLOCKED; $(mac_to $MAC); echo L2-\"\"SPOOF-DONE"
console_wait net /tmp/net.out '^L2-SPOOF-DONE' 120 60
drop1=$(cat "/sys/class/net/$vif/statistics/rx_dropped")
echo "frames dropped at $vif: $drop0 before, $drop1 after"
tap_check "frames with a spoofed source MAC are dropped and counted" \
	sh -c "grep -q '^L2-SPOOF-BLOCKED' /tmp/net.out && [ $drop1 -gt $drop0 ]"
# ip=: from an address it was not given, nothing gets through (ARP
# included); from its second address, it does.
drop0=$drop1
console_send net "ip addr add 10.9.0.77/24 dev eth0; ping -c 3 -W 2 -I 10.9.0.77 10.9.0.1 > /dev/null || echo L2-\"\"IP-BLOCKED; ip addr del 10.9.0.77/24 dev eth0; ip addr add 10.9.0.3/24 dev eth0; ping -c 2 -W 10 -I 10.9.0.3 10.9.0.1 > /dev/null && echo L2-\"\"IP-SECOND; ip addr del 10.9.0.3/24 dev eth0; echo L2-\"\"IP-DONE"
console_wait net /tmp/net.out '^L2-IP-DONE' 120 60
drop1=$(cat "/sys/class/net/$vif/statistics/rx_dropped")
echo "frames dropped at $vif: $drop0 before, $drop1 after"
tap_check "frames from an address not in ip= are dropped and counted" \
	sh -c "grep -q '^L2-IP-BLOCKED' /tmp/net.out && [ $drop1 -gt $drop0 ]"
tap_check "frames from its second ip= address pass" \
	grep -q '^L2-IP-SECOND' /tmp/net.out
console_send net "ping -c 2 -W 10 10.9.0.1 > /dev/null && echo L2-\"\"PING-AGAIN"
console_wait net /tmp/net.out '^L2-PING-AGAIN' 120 60
tap_check "with its own MAC back, the guest reaches L1 again" \
	grep -q '^L2-PING-AGAIN' /tmp/net.out
# A second interface while it runs, on a second bridge; then away again.
tap_check "network-attach a second vif to the running guest" \
	xl-lite network-attach net mac=00:16:3e:4b:58:02 bridge=xenbr1
xl-lite network-list net | sed 's/^/# /'
console_send net "i=0; while [ ! -e /sys/class/net/eth1 ] && [ \$i -lt 60 ]; do sleep 1; i=\$((i + 1)); done; ip addr add 10.9.1.2/24 dev eth1; ip link set eth1 up; ping -c 3 -W 10 10.9.1.1 > /dev/null && echo L2-\"\"ETH1-OK; echo L2-\"\"ETH1-DONE"
console_wait net /tmp/net.out '^L2-ETH1-DONE' 180 90
tap_check "the guest uses it: pings L1 on the second bridge" \
	grep -q '^L2-ETH1-OK' /tmp/net.out
tap_check "network-list shows two vifs" \
	sh -c '[ "$(xl-lite network-list net | grep -c /backend/vif/)" = 2 ]'
tap_check "network-detach takes it away while the guest runs" \
	xl-lite network-detach net 1
console_send net "i=0; while [ -e /sys/class/net/eth1 ] && [ \$i -lt 60 ]; do sleep 1; i=\$((i + 1)); done; [ -e /sys/class/net/eth1 ] || echo L2-\"\"ETH1-GONE"
console_wait net /tmp/net.out '^L2-ETH1-GONE' 120 60
tap_check "the guest saw it go; its vif and backend are gone" \
	sh -c "grep -q '^L2-ETH1-GONE' /tmp/net.out &&
	       [ ! -e /sys/class/net/vif$domid.1 ] &&
	       ! xenstore-read /local/domain/0/backend/vif/$domid/1/state"
# XDP in the guest (netif.h "xdp-headroom"): attaching a program makes
# netfront ask for room before each packet's data (Reconfiguring, then
# Connected again).  The program passes only IPv4, ARP and IPv6 frames
# and counts what it saw, so a packet put anywhere but after the room
# asked for is dropped.  Detaching asks for none again.
console_send net "mkfifo /tmp/xq; xdpcheck eth0 600 < /tmp/xq > /tmp/xdp.out 2>&1 & exec 5> /tmp/xq; sleep 3; echo L2-\"\"XDP \$(head -n 1 /tmp/xdp.out)"
console_wait net /tmp/net.out '^L2-XDP ' 120 60
tap_check "an XDP program in the guest: netfront asked for 256 bytes of headroom and is Connected again" \
	sh -c "grep -q '^L2-XDP XDP attached to eth0' /tmp/net.out &&
	       [ \"\$(xenstore-read $be/feature-xdp-headroom)\" = 1 ] &&
	       [ \"\$(xenstore-read $fe/xdp-headroom)\" = 256 ] &&
	       [ \"\$(xenstore-read $be/state)\" = 4 ]"
tap_check "with it, L1 pings the guest, 64 and 3000 bytes" \
	sh -c "ping -c 3 -W 10 10.9.0.2 && ping -c 3 -s 3000 -W 10 10.9.0.2"
console_send net "exec 5>&-; sleep 2; echo L2-\"\"XDP-DONE \$(tail -n 1 /tmp/xdp.out)"
console_wait net /tmp/net.out '^L2-XDP-DONE' 60 30
xdp=$(grep -a '^L2-XDP-DONE' /tmp/net.out | tr -d '\r')
echo "the guest's XDP program: ${xdp#L2-XDP-DONE }"
tap_check "its program saw the pings' frames, every one well placed (none dropped)" \
	sh -c "echo '$xdp' | awk '\$2 == \"XDP\" && \$3 == \"pass\" && \$4 >= 6 && \$6 == 0 { ok = 1 } END { exit !ok }' &&
	       [ \"\$(xenstore-read $fe/xdp-headroom)\" = 0 ]"
console_send net "ping -c 2 -W 10 10.9.0.1 > /dev/null && echo L2-\"\"NOXDP-OK"
console_wait net /tmp/net.out '^L2-NOXDP-OK' 120 60
tap_check "the program detached, the guest reaches L1 as before" \
	grep -q '^L2-NOXDP-OK' /tmp/net.out

# MTU 9000 on the bridge, the vif and eth0: an 8000-byte ping crosses as
# one frame each way (at 1500 it would be 6 fragments).
ip link set "$vif" mtu 9000
ip link set xenbr0 mtu 9000
rx0=$(cat "/sys/class/net/$vif/statistics/rx_packets")
console_send net "ip link set eth0 mtu 9000; ping -c 3 -s 8000 -W 10 10.9.0.1 > /dev/null && echo L2-\"\"JUMBO-OK"
console_wait net /tmp/net.out '^L2-JUMBO-OK' 120 60
rx1=$(cat "/sys/class/net/$vif/statistics/rx_packets")
echo "frames from the guest for 3 pings of 8000 bytes: $((rx1 - rx0))"
tap_check "MTU 9000: 8000-byte pings cross unfragmented" \
	sh -c "grep -q '^L2-JUMBO-OK' /tmp/net.out && [ $((rx1 - rx0)) -lt 10 ]"

# A second guest on the same bridge: the two talk; then it is destroyed
# in the middle of a bulk send, and the first keeps its traffic.
mid=$(kxen_live)
cat > /tmp/net2.cfg <<CFG
type = "pvh"
name = "net2"
kernel = "$L2/vmlinux"
ramdisk = "$L2/initrd"
memory = 192
vcpus = 1
cmdline = "console=hvc0 loglevel=4 kxen_l2=net kxen_ip=10.9.0.5"
vif = [ 'mac=00:16:3e:4b:58:05, bridge=xenbr0' ]
CFG
tap_check "create a second guest on the same bridge" xl-lite create /tmp/net2.cfg
xl-lite console net2 > /tmp/net2.out 2>&1 &
con2=$!
console_wait net2 /tmp/net2.out L2-NET-UP 600 120
console_send net "ping -c 3 -W 10 10.9.0.5 > /dev/null && echo L2-\"\"PEER-OK"
console_wait net /tmp/net.out '^L2-PEER-OK' 120 60
tap_check "the two guests talk to each other across the bridge" \
	grep -q '^L2-PEER-OK' /tmp/net.out
# 8 MiB from guest to guest: the bridge hands the first guest's packets,
# in its own granted pages (zero-copy), to the second's vif, which copies
# them into that guest's buffers.
console_send net2 "sleep 600 | nc -l -p 5004 > /tmp/peer & echo L2-\"\"PEER-LISTENING"
console_wait net2 /tmp/net2.out '^L2-PEER-LISTENING' 60 30
sleep 1
console_send net "nc 10.9.0.5 5004 < /tmp/blob; echo L2-\"\"PEER-SENT"
console_wait net /tmp/net.out '^L2-PEER-SENT' 600 300
console_send net2 "sleep 3; echo L2-\"\"PEER-GOT \$(sha256sum < /tmp/peer | cut -c1-64)"
console_wait net2 /tmp/net2.out '^L2-PEER-GOT' 120 60
tap_check "8 MiB from guest to guest arrive whole (sha256 compared)" \
	grep -q "^L2-PEER-GOT $sum_g" /tmp/net2.out
vif2=vif$(xl_domid net2).0
rm -f /tmp/hold2
mkfifo /tmp/hold2
nc -l -p 5003 < /tmp/hold2 > /dev/null &
lis2=$!
exec 4> /tmp/hold2
console_send net2 "nc 10.9.0.1 5003 < /dev/zero & sleep 5; echo L2-\"\"STREAMING"
console_wait net2 /tmp/net2.out '^L2-STREAMING' 120 60
b0=$(cat "/sys/class/net/$vif2/statistics/rx_bytes")
sleep 2
b1=$(cat "/sys/class/net/$vif2/statistics/rx_bytes")
echo "second guest streaming: $((b1 - b0)) bytes in 2 s before destroy"
xl-lite destroy net2
wait_gone net2 30
kill $con2 2>/dev/null
exec 4>&-
kill $lis2 2>/dev/null
i=0
while [ "$(kxen_live)" != "$mid" ] && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
now=$(kxen_live)
echo "live pages/objects before the second guest: $mid after: $now"
tap_check "destroyed mid-stream, it leaves nothing: vif gone, pages and objects back" \
	sh -c "[ $((b1 - b0)) -gt 0 ] && [ ! -e /sys/class/net/$vif2 ] &&
	       [ '$now' = '$mid' ]"
console_send net "ping -c 2 -W 10 10.9.0.1 > /dev/null && echo L2-\"\"STILL-OK"
console_wait net /tmp/net.out '^L2-STILL-OK' 120 60
tap_check "the first guest keeps its traffic" grep -q '^L2-STILL-OK' /tmp/net.out
grep -a '^L2-\|netfront\|eth[01]' /tmp/net.out | guest_show
guest_log_clean "Debian's kernel with netfront" /tmp/net.out

xl-lite destroy net
wait_gone net 30
kill $con 2>/dev/null
i=0
while [ -e "/sys/class/net/$vif" ] && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
tap_check "destroy removes $vif and the backend directory" \
	sh -c "[ ! -e /sys/class/net/$vif ] && ! xenstore-read $be/state"
tap_check "and every backend worker thread" test -z "$(kthreads kxvif)"
i=0
while [ "$(kxen_live)" != "$base" ] && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
if ! live_back "$base"; then
	# What is still held, and by whom: blocked tasks into the log.
	echo w > /proc/sysrq-trigger
	sleep 1
	dmesg | tail -80 | sed 's/^/# /'
fi
dmesg_new | grep -a 'vif' | sed 's/^/# /'
# The first guest's queues: packets sent zero-copy, and those the stack
# copied after all (to L1's own sockets); to the second guest, none is.
zc=$(dmesg_new | grep -a "d$domid vif 0: queue .* disconnected" |
     sed -n 's/.* \([0-9]*\) zero-copy (\([0-9]*\) of them copied.*/\1 \2/p' |
     awk '{ z += $1; c += $2 } END { printf "%d %d", z, c }')
echo "zero-copy packets from the first guest, and of those copied by the stack: $zc"
tap_check "big packets go zero-copy, and those to the other guest stay so" \
	sh -c "set -- $zc; [ \$1 -gt 0 ] && [ \$2 -gt 0 ] && [ \$2 -lt \$1 ]"
ip link del xenbr0
ip link del xenbr1
kxen_unload
tap_done
