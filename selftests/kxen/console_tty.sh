#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# One tty per domain console: /dev/kxenconsN carries the guest's console
# output and takes input into its PV console ring.  The conecho guest
# answers each line in capitals; destroying the domain hangs the tty up,
# removes its device and frees everything.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/conecho.elf" ] || tap_skip_all "no conecho.elf"
tap_plan 9
kxen_load
base=$(kxen_live)
guest_cfg conecho "$G/conecho.elf" 32
xl-lite create /tmp/conecho.cfg
domid=$(xl-lite list | awk '$1 == "conecho" { print $2 }')
tty=
for f in /sys/class/tty/kxencons*/domid; do
	[ -r "$f" ] && [ "$(cat "$f")" = "$domid" ] &&
		tty=/dev/$(basename "$(dirname "$f")")
done
echo "domain $domid: console tty '$tty'"
tap_check "the domain has a console tty naming its domid" test -c "$tty"
if command -v xenstore-read >/dev/null; then
	tap_check "xenstore has its path in console/tty" \
		test "$(xenstore-read /local/domain/$domid/console/tty)" = "$tty"
else
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N # SKIP no xenstore-read in this L1 image to read console/tty"
fi
cat "$tty" > /tmp/tty.out &
reader=$!
# Output reaches the tty only while it is open: wait for the reader.
i=0
while ! ls -l /proc/$reader/fd 2>/dev/null | grep -q "$tty" && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
# No stty: the tty starts raw, so guest output is never echoed back in.
# wait_for FILE TEXT SECONDS
wait_for()
{
	_i=0
	while [ $_i -lt $(($3 * 5)) ]; do
		grep -q "$2" "$1" && return 0
		sleep 0.2
		_i=$((_i + 1))
	done
	return 1
}
printf 'hello tty\r' > "$tty"
tap_check "a line written to the tty reaches the guest, its answer comes back" \
	wait_for /tmp/tty.out "ECHO: HELLO TTY" 60
# Two writers one after the other: input keeps its order.
printf 'one\r' > "$tty"
printf 'two\r' > "$tty"
tap_check "input keeps its order" wait_for /tmp/tty.out "ECHO: TWO" 60
tap_check "  (ONE before TWO)" \
	sh -c 'grep -n "ECHO: ONE" /tmp/tty.out | cut -d: -f1 |
	       { read a; b=$(grep -n "ECHO: TWO" /tmp/tty.out | cut -d: -f1); [ "$a" -lt "$b" ]; }'
printf 'quit\r' > "$tty"
wait_state conecho s 60
console_dump conecho | tail -n 5
tap_check "the guest ended with SUCCESS" grep -q "Test result: SUCCESS" /tmp/conecho.out
sed 's/^/#   tty: /' /tmp/tty.out
xl-lite destroy conecho
# The reader sees the hangup and ends.
i=0
while kill -0 $reader 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
tap_check "destroy hangs up the tty's reader" sh -c "! kill -0 $reader 2>/dev/null"
kill $reader 2>/dev/null
tap_check "and removes the tty" test ! -e "$tty"
after=$(kxen_live)
echo "live pages/objects before: $base after: $after"
tap_check "every page and object is back" test "$base" = "$after"
kxen_unload
tap_done
