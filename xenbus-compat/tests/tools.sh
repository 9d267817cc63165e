#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's own xenstore clients against the xenstore core: xsd-user
# serves it on a Unix socket and libxenstore (xenstore-utils) and pyxs
# reach it through XENSTORED_PATH, unmodified.  TAP; skips, saying why,
# when the clients are not installed.
#
#   tests/tools.sh path/to/xsd-user
set -u

XSD=${1:?usage: $0 path/to/xsd-user}
n=0
fail=0

ok()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=$((fail + 1))
	fi
}

check()
{
	local desc=$1

	shift
	"$@" >/dev/null 2>&1
	ok $? "$desc"
}

# Compare a command's output with what it should be.
same()
{
	local desc=$1 want=$2 got

	shift 2
	got=$("$@" 2>&1)
	[ "$got" = "$want" ]
	ok $? "$desc"
	[ "$got" = "$want" ] || echo "# want: $want" "# got: $got"
}

finish()
{
	echo "1..$n"
	echo "$((n - fail)) passed, $fail failed"
	[ $fail -eq 0 ]
	exit
}

if ! command -v xenstore-read >/dev/null; then
	echo "# skip: xenstore-read not found (Debian package xenstore-utils)"
	finish
fi

dir=$(mktemp -d)
sock=$dir/socket
"$XSD" "$sock" &
xsd=$!
trap 'kill $xsd 2>/dev/null; wait $xsd 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do
	[ -S "$sock" ] && break
	sleep 0.1
done
export XENSTORED_PATH=$sock

check "xenstore-write creates nodes" xenstore-write /t/a hello /t/b 2
same "xenstore-read" "hello" xenstore-read /t/a
same "xenstore-list" "a
b" xenstore-list /t
check "xenstore-exists, present" xenstore-exists /t/b
check "xenstore-chmod n0 r5" xenstore-chmod /t/a n0 r5
same "xenstore-ls -p shows the perms" \
	'a = "hello"  . . . . . . . . . . . . . . . . . . . . . . . .  (n0,r5)' \
	bash -c "xenstore-ls -p /t | head -1"
check "xenstore-rm" xenstore-rm /t/b
check "xenstore-exists, removed" bash -c "! xenstore-exists /t/b"
check "xenstore-read of a missing node fails" \
	bash -c "! xenstore-read /t/nope"
same "xenstore-ls of the tree" 't = ""
 a = "hello"' xenstore-ls /

xenstore-watch -n 2 /t >"$dir/watch" 2>&1 &
w=$!
sleep 0.3
xenstore-write /t/c 3
wait $w
same "xenstore-watch: first event, then the change" "/t
/t/c" cat "$dir/watch"

if ! /usr/bin/python3 -c 'import pyxs' 2>/dev/null; then
	echo "# skip: pyxs not found (Debian package python3-pyxs)"
	finish
fi
same "pyxs: write, read, list, transaction, conflict" "b'1' [b'x']
b'2'
False" /usr/bin/python3 - "$sock" <<'PY'
import sys
from pyxs import Client
with Client(unix_socket_path=sys.argv[1]) as c:
    c[b'/py/x'] = b'1'
    print(c[b'/py/x'], c.list(b'/py'))
    c.transaction()
    c[b'/py/y'] = b'2'
    c.commit()
    print(c[b'/py/y'].decode() and c[b'/py/y'])
    with Client(unix_socket_path=sys.argv[1]) as other:
        c.transaction()
        c[b'/py/x']
        other[b'/py/x'] = b'changed'
        c[b'/py/x'] = b'mine'
        print(c.commit())
PY
finish
