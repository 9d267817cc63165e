#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A hostile xen-blkfront against kxen's block backend: the blkhostile
# guest (guest-frontends/tests/blkhostile.c) connects to a 4 MiB raw
# image as Linux's blkfront does, reads it and writes its last 64
# sectors, then sends 10^5 malformed requests (unknown operations, bad
# segment counts and sector ranges, grant references of every wrong
# kind, bad indirect descriptors) with valid ones mixed in, and last
# overruns its ring's req_prod; it reconnects and does that once more.
# Before the first overrun it floods the backend with 10^5 notifies and
# nothing in its ring: the backend's worker may run only a bounded number
# of idle passes a second (kmod/backends/kick_limit.h), so that a flood
# costs the guest's own exits, not the host's time.
# The backend must refuse each malformed request with the right status,
# serve the valid ones, stop serving a broken ring and say so in an
# "error" node, and leave the host as it was: the image changed only
# where the guest wrote validly, its counts in the kernel log, no kernel
# warning, BUG or oops, no new taint, every page and object back after
# destroy.
#
# BLKHOSTILE_ITERS sets the number of hostile requests (default 100000).
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/blkhostile.elf" ] || tap_skip_all "no blkhostile.elf"
tap_plan 13
kxen_load
base=$(kxen_live)
iters=${BLKHOSTILE_ITERS:-100000}
img=/tmp/hostile.img
sectors=8192
wregion=$((sectors - 64))

# Sector s holds s in decimal, left-aligned in 511 bytes, and a newline:
# the guest checks every sector it reads against that.  The last 64 are
# the only ones it may write, each with "w<s>" in the same layout.
awk -v n=$sectors 'BEGIN { for (i = 0; i < n; i++) printf "%-511d\n", i }' \
	> $img
awk -v n=$sectors -v w=$wregion 'BEGIN { for (i = 0; i < n; i++)
	if (i < w) printf "%-511d\n", i; else printf "w%-510d\n", i }' \
	> /tmp/hostile.want
echo "image: $(wc -c < $img) bytes; the guest may write sectors $wregion-$((sectors - 1))"

# Taint bits 12 and 13 (out-of-tree, unsigned module) come with kxen.ko.
taint() { echo $(($(cat /proc/sys/kernel/tainted) & ~12288)); }
taint0=$(taint)
dmesg_mark

guest_cfg blkhostile "$G/blkhostile.elf" 32 "iters=$iters"
echo "disk = [ '$img,raw,xvda,rw' ]" >> /tmp/blkhostile.cfg
tap_check "create the hostile guest with its disk" \
	xl-lite create /tmp/blkhostile.cfg
domid=$(xl_domid blkhostile)
wait_state blkhostile sc 780
st=$(xl_state blkhostile)
tap_check "it ran to its end and shut down, not crashed (state '$st')" \
	test "$(echo "$st" | tr -cd sc)" = s
console_dump blkhostile
tap_check "it reports Test result: SUCCESS" \
	grep -q "Test result: SUCCESS" /tmp/blkhostile.out

# What each connection ended with, as the guest and the backend saw it:
# "connection N: R requests answered, E with an error, F sent to get one"
# and "kxen: dD vbd 51712: queue 0 disconnected after R requests: ...,
# E errors; ...".
guest_line='^connection \([0-9]*\): \([0-9]*\) requests answered, \([0-9]*\) with an error, \([0-9]*\) sent to get one$'
guest_counts()
{
	tr -d '\r' < /tmp/blkhostile.out | sed -n "s/$guest_line/\\1 \\2 \\3/p"
}
guest_to_fail()
{
	tr -d '\r' < /tmp/blkhostile.out | sed -n "s/$guest_line/\\1 \\4/p"
}
backend_counts()
{
	dmesg_new | grep "kxen: d$domid vbd 51712: queue 0 disconnected after" |
		sed 's/.* after \([0-9]*\) requests: .* \([0-9]*\) errors;.*/\2 \1/' |
		awk '{ print NR, $2, $1 }'
}
g=$(guest_counts)
b=$(backend_counts)
echo "$g" | sed 's/^/# guest:   connection, requests, errors: /'
echo "$b" | sed 's/^/# backend: connection, requests, errors: /'
errs1=$(echo "$g" | awk '$1 == 1 { print $3 }')
fail1=$(guest_to_fail | awk '$1 == 1 { print $2 }')
echo "first connection: ${errs1:-no} errors for ${fail1:-no} requests sent to get one"
tap_check "first connection: the $iters hostile requests and only they got an error" \
	test -n "$errs1" -a "$errs1" = "$fail1" -a "${fail1:-0}" -ge "$iters"
tap_check "the backend's disconnect lines count the same for both connections" \
	test -n "$g" -a "$(echo "$g" | wc -l)" = 2 -a "$g" = "$b"
# The flood, in connection 1: "...; K kicks, P passes (I idle, H held
# back)" from the backend.
passes=$(dmesg_new | grep "kxen: d$domid vbd 51712: queue 0 disconnected after" |
	head -n 1 | sed -n 's/.*; \([0-9]*\) kicks, \([0-9]*\) passes (\([0-9]*\) idle, \([0-9]*\) held back)$/\1 \2 \3 \4/p')
set -- $passes
echo "connection 1: ${1:-?} kicks, ${2:-?} passes"
flood_checks "the backend's worker" /tmp/blkhostile.out "${3:-0}" "${4:-0}"
broke=$(dmesg_new | grep -c "kxen: d$domid vbd 51712: .*ring producer [0-9]* past consumer")
tap_check "the backend logged both overrun rings ($broke lines)" test "$broke" = 2
cmp $img /tmp/hostile.want > /tmp/hostile.cmp 2>&1
sed 's/^/# /' /tmp/hostile.cmp
tap_check "every byte of the image is as before, but the guest's valid writes" \
	test ! -s /tmp/hostile.cmp
tap_check "destroy it" xl-lite destroy blkhostile
wait_gone blkhostile 30
# The backend lets go when the store's watch sees its directory go.
i=0
while [ "$(kxen_live)" != "$base" ] && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
live_back "$base"
dmesg_new | grep "kxen: d$domid " | grep -v ': e9: ' | tail -n 8 | sed 's/^/# /'
kxen_unload
# The guest's own lines reach the log too ("kxen: dD: ..."): not the
# kernel's.
bad=$(dmesg_new | grep -v "kxen: d$domid: " | grep -E 'BUG|WARNING|Oops')
[ -n "$bad" ] && printf '%s\n' "$bad" | head -n 20 | sed 's/^/# trouble: /'
tap_check "no BUG, WARNING or Oops in the kernel log" test -z "$bad"
tap_check "the kernel is not tainted beyond what it was ($taint0)" \
	test "$(taint)" = "$taint0"
rm -f $img /tmp/hostile.want /tmp/hostile.cmp
tap_done
