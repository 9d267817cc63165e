#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The host's xenstore through /dev/xen/xenbus, driven by Debian's own
# xenstore-utils, unmodified (libxenstore finds the device by its default
# path): a domain's default nodes and their permissions, the basic
# commands, watches, @releaseDomain on shutdown and on destroy, removal on
# destroy, and a malformed message closing only its own connection.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
for t in xenstore-ls xenstore-read xenstore-write xenstore-rm \
	 xenstore-list xenstore-exists xenstore-chmod xenstore-watch; do
	command -v "$t" >/dev/null ||
		tap_skip_all "no $t in L1 (xenstore-utils not on the lab host)"
done
[ -r "$G/hello.elf" ] || tap_skip_all "no hello.elf"
unset XENSTORED_PATH

# same DESC WANT CMD...: one test point, the output must be WANT.
same()
{
	_d=$1
	_w=$2
	shift 2
	_g=$("$@" 2>&1)
	if [ "$_g" = "$_w" ]; then
		tap_ok "$_d"
	else
		tap_fail "$_d"
		echo "#   want: $_w"
		echo "#   got:  $_g"
	fi
}

# watch_start FILE PATH: xenstore-watch -n 2 PATH into FILE, once its
# watch is set (every new watch fires at once); the pid is in $w.
watch_start()
{
	xenstore-watch -n 2 "$2" > "$1" 2>&1 &
	w=$!
	_i=0
	while [ ! -s "$1" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# watch_end: until xenstore-watch saw its two events (10 s at most).
watch_end()
{
	_i=0
	while kill -0 "$w" 2>/dev/null && [ $_i -lt 50 ]; do
		sleep 0.2
		_i=$((_i + 1))
	done
	kill "$w" 2>/dev/null
}

# perms PATH: the permission list xenstore-ls -p prints for one node.
perms()
{
	xenstore-ls -p "${1%/*}" | sed -n "s/^${1##*/} = .*(\(.*\))\$/\1/p"
}

tap_plan 26
kxen_load
base=$(kxen_live)
tap_check "/dev/xen/xenbus is a character device" test -c /dev/xen/xenbus

guest_cfg xst "$G/hello.elf" 32
xl-lite create -p /tmp/xst.cfg
dom=$(xl-lite list | awk '$1 == "xst" { print $2 }')
h=/local/domain/$dom
echo "# domain xst is $dom"
same "name" xst xenstore-read "$h/name"
same "domid" "$dom" xenstore-read "$h/domid"
same "memory/target in KiB" 32768 xenstore-read "$h/memory/target"
same "cpu/0/availability" online xenstore-read "$h/cpu/0/availability"
vm=$(xenstore-read "$h/vm")
same "vm/name under the domain's /vm path" xst xenstore-read "$vm/name"
same "name: dom0's, readable by the domain" "n0,r$dom" perms "$h/name"
same "control/shutdown: the domain's own" "n$dom" \
	perms "$h/control/shutdown"
same "store/ring-ref: the frame xl-lite gave the ring" 225 \
	xenstore-read "$h/store/ring-ref"
port=$(xenstore-read "$h/store/port")
tap_check "store/port: an event channel ($port)" test "${port:-0}" -gt 0
same "console/ring-ref" 224 xenstore-read "$h/console/ring-ref"
xenstore-ls -f "$h" | sed 's/^/#   /'

tap_check "xenstore-write" xenstore-write /test/a hello /test/b 2
same "xenstore-read" hello xenstore-read /test/a
same "xenstore-list" "a
b" xenstore-list /test
tap_check "xenstore-exists, present" xenstore-exists /test/b
tap_check "xenstore-chmod n0 r$dom" xenstore-chmod /test/a n0 "r$dom"
same "xenstore-ls -p shows the new perms" "n0,r$dom" perms /test/a
xenstore-rm /test/b
tap_check "xenstore-rm, then xenstore-exists fails" \
	sh -c '! xenstore-exists /test/b'

watch_start /tmp/xst.watch /test
xenstore-write /test/c 3
watch_end
same "xenstore-watch: first event, then the change" "/test
/test/c" cat /tmp/xst.watch

# An oversized payload: that connection closes, the store goes on.
# struct xsd_sockmsg: type 1 (XS_DIRECTORY), req_id 0, tx_id 0, len ~0.
hdr='\001\000\000\000\000\000\000\000\000\000\000\000'
hdr="$hdr\377\377\377\377"
tap_check "a 4 GiB payload length is refused (EPIPE)" \
	sh -c "! printf '$hdr' > /dev/xen/xenbus"
same "other connections still work" hello xenstore-read /test/a

watch_start /tmp/xst.shut @releaseDomain
xl-lite unpause xst
wait_state xst s 60
watch_end
same "@releaseDomain fires when the domain shuts down" "@releaseDomain
@releaseDomain" cat /tmp/xst.shut
watch_start /tmp/xst.release @releaseDomain
xl-lite destroy xst
watch_end
same "@releaseDomain fires on destroy" "@releaseDomain
@releaseDomain" cat /tmp/xst.release
tap_check "destroy removes $h" sh -c "! xenstore-exists $h"
tap_check "destroy removes $vm" sh -c "! xenstore-exists $vm"

xenstore-rm /test
after=$(kxen_live)
echo "# live pages/objects before: $base after: $after"
tap_check "every page and object is back" test "$base" = "$after"
kxen_unload
tap_done
