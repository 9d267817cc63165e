#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The in-kernel xenstore API backends use (kmod/xenstore/xenstore.h), by
# its self-test in debugfs: values, directories, removal, a watch callback
# from the workqueue, a transaction that commits and one that conflicts.
# The TAP lines are the module's.
. /selftests/data/tap.sh

grep -q ' /sys/kernel/debug ' /proc/mounts ||
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null ||
	tap_skip_all "no debugfs in this kernel"
kxen_load
f=/sys/kernel/debug/kxen/xenstore_api_test
[ -r "$f" ] || { kxen_unload; tap_skip_all "no $f"; }
echo "TAP version 13"
cat "$f" > /tmp/xs_api.tap
rc=$?
cat /tmp/xs_api.tap
kxen_unload
[ $rc -eq 0 ] && grep -q '^1\.\.[1-9]' /tmp/xs_api.tap &&
	! grep -q '^not ok' /tmp/xs_api.tap
