#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The domain state races of pause, unpause, a vCPU's start and destroy
# (hardening items 14 and 9), made deterministic: the module's
# state_delay_ms holds each of the first three under the domain's lock
# for seconds, before it looks at the state; the old code had read the
# state before such a gap and written it after.
#  - A guest that shuts down while a pause waits stays shut down: the
#    pause is refused, and a later unpause does not run it again (the
#    old pause wrote PAUSED over SHUTDOWN, and unpause resumed it).
#  - A destroy that comes while a vCPU's start waits (the guest's
#    VCPUOP_initialise of vCPU 1), after the start looked at the state and
#    before it made the thread, takes effect after it: the thread is made
#    before the domain is destroyed, never after, no thread of the domain
#    is left, every page and object comes back.  The old destroy set
#    DYING without the lock: it went through at once, found no thread to
#    stop, and the thread was made after it, while the domain's release
#    was freeing its Xen state.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
P=/sys/module/kxen/parameters/state_delay_ms
[ -r "$G/spin.elf" ] && [ -r "$G/vcpuup.elf" ] || tap_skip_all "no spin.elf or vcpuup.elf"
tap_plan 11
kxen_load
base=$(kxen_live)
DELAY=4000

# ---- item 14: a shutdown inside pause's window ----
# The guest powers off after 1.5 s of running; the pause, begun at
# once, looks at its state only after 4 s.
guest_cfg race1 "$G/spin.elf" 16 "ms=1500"
xl-lite create -p /tmp/race1.cfg
xl-lite unpause race1
echo $DELAY > $P
if xl-lite pause race1 2> /tmp/race1.err; then paused=0; else paused=1; fi
echo 0 > $P
sed 's/^/# pause: /' /tmp/race1.err
echo "state after the pause: $(xl_state race1)"
tap_check "the guest shut down inside the pause's window, and the pause is refused" \
	test "$paused" = 1
tap_check "it stays shut down, not paused" sh -c "xl_state() { xl-lite list | awk '\$1 == \"race1\" { print \$5 }'; }; xl_state | grep -q s && ! xl_state | grep -q p"
xl-lite unpause race1 2>/dev/null
sleep 2
console_dump race1
tap_check "an unpause does not run it again" sh -c \
	"xl-lite list | awk '\$1 == \"race1\" { print \$5 }' | grep -q '^---s--\$' &&
	 ! grep -q 'running again' /tmp/race1.out"
tap_check "destroy it" xl-lite destroy race1

# ---- item 9: a destroy inside a vCPU start's window ----
guest_cfg race2 "$G/vcpuup.elf" 32 "" 3
xl-lite create -p /tmp/race2.cfg
id=$(xl-lite domid race2)
dmesg_mark
echo $DELAY > $P
# The unpause waits too, then the guest asks for vCPU 1 at once.
xl-lite unpause race2
i=0
while [ $i -lt 300 ] &&
    ! dmesg | sed -n "/$DMESG_MARK/,\$p" | grep -q "d$id: vCPU start waits"; do
	sleep 0.2
	i=$((i + 1))
done
tap_check "vCPU 1's start waits in its window" sh -c \
	"dmesg | sed -n '/$DMESG_MARK/,\$p' | grep -q 'd$id: vCPU start waits'"
tap_check "a destroy during that window succeeds" xl-lite destroy race2
# A thread made late would come when the window ends: wait it out.
sleep $((DELAY / 1000 + 1))
echo 0 > $P
made=$(dmesg | sed -n "/$DMESG_MARK/,\$p" |
	grep -n "kxen: d$id: vCPU1's thread made after the wait" | cut -d: -f1)
gone=$(dmesg | sed -n "/$DMESG_MARK/,\$p" |
	grep -n "kxen: d$id: destroyed" | cut -d: -f1)
echo "kernel log lines since the mark: vCPU 1's thread made at ${made:-none}, destroyed at ${gone:-none}"
tap_check "vCPU 1's thread was made before the destroy took effect, not after" \
	test -n "$made" -a -n "$gone" -a "${made:-0}" -lt "${gone:-0}"
ps | grep "kxen/d${id}v" | grep -v grep | sed 's/^/# left: /'
tap_check "no thread of the domain is left" sh -c \
	"! ps | grep -v grep | grep -q 'kxen/d${id}v'"
dmesg_new | grep kxen | head -n 8 | sed 's/^/# /'
tap_check "the kernel log has no warning, BUG or fault" sh -c \
	"! dmesg | sed -n '/$DMESG_MARK/,\$p' | grep -Eq 'WARNING|BUG|Oops|general protection'"
live_back "$base"
tap_check "the module unloads" kxen_unload
tap_done
