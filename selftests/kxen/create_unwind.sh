#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every failure point of domain creation unwinds cleanly: with the
# module parameter create_fail_nth = N, the Nth allocation of the next
# create fails; for N = 1, 2, ... until a create gets through, xl-lite
# create fails with an error, no domain is left, the kernel log names the
# injected failure, every page and object is back and the kernel stays
# untainted with no BUG, WARNING or oops.  Then the create that got past
# every point works and its domain is destroyed as usual.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/hello.elf" ] || tap_skip_all "no hello.elf"
KNOB=/sys/module/kxen/parameters/create_fail_nth
TAINT_BAD=$(( (1 << 5) | (1 << 7) | (1 << 9) ))
MAX_N=${UNWIND_MAX_N:-200}
tap_plan 8
kxen_load
[ -w "$KNOB" ] || { tap_fail "the module has $KNOB"; tap_done; }
tap_ok "the module has $KNOB, off by default ($(cat $KNOB))"
base=$(kxen_live)
taint0=$(cat /proc/sys/kernel/tainted)
dmesg_mark
# Two vCPUs: the per-vCPU steps unwind with one vCPU already made.
guest_cfg unwind "$G/hello.elf" 16 "" 2
n=1 errs="" leaks="" named="" made=""
while [ $n -le "$MAX_N" ]; do
	echo "$n" > "$KNOB"
	if xl-lite create -p -e /tmp/unwind.cfg > /tmp/unwind.log 2>&1; then
		made=$n
		break
	fi
	dmesg_new | grep -q "create: allocation $n fails (injected" ||
		named="$named $n"
	grep -q "^xl-lite: create: Cannot allocate memory" /tmp/unwind.log ||
		errs="$errs $n($(tail -n 1 /tmp/unwind.log))"
	[ -z "$(xl_state unwind)" ] || { errs="$errs $n(listed)"; xl-lite destroy unwind; }
	now=$(kxen_live)
	[ "$now" = "$base" ] || leaks="$leaks $n($now)"
	n=$((n + 1))
done
dmesg_new | sed -n 's/.*\(create: allocation .*\)/\1/p'
echo "create got through with create_fail_nth = ${made:-none}: $((${made:-1} - 1)) allocations failed one by one"
tap_check "each create with a failed allocation fails with ENOMEM and leaves no domain" \
	test -z "$errs"
[ -n "$errs" ] && echo "no error or a domain left at N =$errs"
tap_check "the kernel log names each injected failure" test -z "$named"
[ -n "$named" ] && echo "not named at N =$named"
tap_check "each failure leaves the live pages and objects where they were" \
	test -z "$leaks"
[ -n "$leaks" ] && echo "live pages/objects before: $base; at N =$leaks"
tap_check "a create gets through past the last of at least 10 allocations" \
	test -n "$made" -a "${made:-0}" -gt 10
xl-lite destroy unwind
live_back "$base"
dmesg_new | grep -E "BUG|WARNING|Oops|general protection" && bad=1
taint1=$(cat /proc/sys/kernel/tainted)
echo "taint before: $taint0 after: $taint1"
tap_check "no BUG, WARNING or oops; the kernel is not tainted" \
	test -z "${bad:-}" -a $(( (taint1 & ~taint0) & TAINT_BAD )) -eq 0
echo 0 > "$KNOB"
kxen_unload
tap_done
