#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# xl-lite's hotplug step for a vif, the bridge half (vif_bridge_attach and
# vif_bridge_detach over rtnetlink, run alone by the hidden command
# xl-lite vif-bridge): what Xen's vif-bridge script does to the backend's
# netdev.  A dummy interface named like a vif stands in for the netdev
# kxen's network backend makes, on an L1 bridge; no kxen needed.
. /selftests/data/tap.sh

mods=/lib/modules/$(uname -r)/kernel
# llc and stp before bridge (modules.dep); already loaded is fine
for m in net/llc/llc.ko net/802/stp.ko net/bridge/bridge.ko; do
	[ -r "$mods/$m" ] && insmod "$mods/$m" 2>/dev/null
done
[ -r "$mods/drivers/net/dummy.ko" ] && insmod "$mods/drivers/net/dummy.ko" numdummies=3 2>/dev/null
if ! [ -d /sys/class/net/dummy0 ] || ! [ -d /sys/class/net/dummy2 ]; then
	tap_skip_all "no dummy0..dummy2 (dummy.ko numdummies=3)"
fi
brctl addbr xenbr0 2>/dev/null || ip link add xenbr0 type bridge ||
	tap_skip_all "cannot make a bridge (bridge.ko)"
ip link set dummy0 name vif9.0 || tap_skip_all "cannot rename dummy0"
tap_plan 22

net=/sys/class/net
vif=$net/vif9.0
is_up() { [ $(($(cat "$net/$1/flags") & 1)) -eq 1 ]; }
on_bridge() { [ -e "$net/xenbr0/brif/$1" ]; }
# run_xl OUT CMD...: xl-lite's output into /tmp/OUT, its status returned
run_xl() { _o=$1; shift; xl-lite "$@" > "/tmp/$_o" 2>&1; }

# The bridge has an uplink, as a host's xenbr0 has its NIC (dummy2, with
# a low MAC the bridge takes for its own), and an MTU set by hand that the
# vif must take.
ip link set dummy2 address 02:00:00:00:00:01
ip link set dummy2 master xenbr0
ip link set dummy2 up
ip link set xenbr0 mtu 1400
ip link set xenbr0 up
ip link set vif9.0 address 02:00:00:00:00:09

tap_check "vif-bridge attach vif9.0 xenbr0" \
	run_xl attach.out vif-bridge attach vif9.0 xenbr0
tap_check "it says the bridge and the MTU it set" \
	grep -qx "vif9.0: on bridge xenbr0, mtu 1400" /tmp/attach.out
tap_check "vif9.0 is a port of xenbr0" on_bridge vif9.0
tap_check "its MAC is fe:ff:ff:ff:ff:ff, as vif-bridge sets it" \
	test "$(cat $vif/address)" = fe:ff:ff:ff:ff:ff
tap_check "the bridge did not take that MAC for its own" \
	test "$(cat $net/xenbr0/address)" != fe:ff:ff:ff:ff:ff
tap_check "its MTU is the bridge's, 1400" test "$(cat $vif/mtu)" = 1400
tap_check "it is up" is_up vif9.0

tap_check "vif-bridge attach again: already a port, still fine" \
	run_xl again.out vif-bridge attach vif9.0 xenbr0
tap_check "vif-bridge detach vif9.0" run_xl detach.out vif-bridge detach vif9.0
tap_check "vif9.0 is out of the bridge" sh -c "! [ -e $net/xenbr0/brif/vif9.0 ]"
tap_check "and down" sh -c "[ \$((\$(cat $vif/flags) & 1)) -eq 0 ]"
tap_check "detach again (in no bridge): fine" \
	run_xl detach2.out vif-bridge detach vif9.0
tap_check "detach of a netdev that is gone: fine" \
	run_xl gone.out vif-bridge detach vif9.7

tap_check "mtu= given: the vif gets it, not the bridge's" \
	sh -c 'xl-lite vif-bridge attach vif9.0 xenbr0 1300 &&
	       [ "$(cat /sys/class/net/vif9.0/mtu)" = 1300 ]'
xl-lite vif-bridge detach vif9.0

# What goes wrong is named, and leaves the netdev as it was.
ip link set vif9.0 address 02:00:00:00:00:09
tap_check "a missing bridge is refused" \
	sh -c '! xl-lite vif-bridge attach vif9.0 nosuchbr > /tmp/nobr.out 2>&1'
tap_check "naming the bridge" grep -q \
	"xl-lite: vif-bridge: bridge nosuchbr does not exist (netdev vif9.0 has none to join)" \
	/tmp/nobr.out
tap_check "and vif9.0 is left alone" \
	sh -c "[ \"\$(cat $vif/address)\" = 02:00:00:00:00:09 ] && ! [ -e $vif/master ]"
tap_check "a netdev that is not a bridge is refused" \
	sh -c '! xl-lite vif-bridge attach vif9.0 dummy1 > /tmp/notbr.out 2>&1'
tap_check "saying so" grep -q "dummy1 is not a bridge (netdev vif9.0 cannot join it)" \
	/tmp/notbr.out
tap_check "a missing netdev is refused" \
	sh -c '! xl-lite vif-bridge attach vif9.5 xenbr0 > /tmp/nodev.out 2>&1'
tap_check "naming it" grep -q "netdev vif9.5 does not exist" /tmp/nodev.out
tap_check "xenbr0 has no port left but its uplink" \
	sh -c "[ \"\$(ls $net/xenbr0/brif)\" = dummy2 ]"

for f in /tmp/attach.out /tmp/again.out /tmp/detach.out /tmp/nobr.out \
	 /tmp/notbr.out /tmp/nodev.out; do
	sed "s|^|# $(basename "$f"): |" "$f"
done
ip link set xenbr0 down
brctl delbr xenbr0 2>/dev/null || ip link del xenbr0
ip link set vif9.0 name dummy0
rmmod dummy 2>/dev/null
tap_done
