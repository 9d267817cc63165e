#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 20 load/unload cycles, a domain created, run and destroyed in each; the
# live counters return to zero every time and unload reports no leak.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/hello.elf" ] || tap_skip_all "no hello.elf"
N=${CYCLES:-20}
tap_plan 3
guest_cfg hello "$G/hello.elf" 8
kxen_unload
dmesg_mark
bad=0
i=0
while [ $i -lt "$N" ]; do
	if ! kxen_load || ! xl-lite create /tmp/hello.cfg >/dev/null 2>&1 ||
	   ! wait_state hello s 30 || ! xl-lite destroy hello ||
	   [ "$(kxen_live)" != "0 0" ] || ! kxen_unload; then
		echo "cycle $i failed: live $(kxen_live)"
		bad=$((bad + 1))
		xl-lite destroy hello 2>/dev/null
		kxen_unload
	fi
	i=$((i + 1))
done
tap_check "$N cycles of load, run a guest, destroy, unload" test $bad -eq 0
tap_check "the module loaded $N times" \
	test "$(dmesg_new | grep -c 'kxen: loaded')" -eq "$N"
tap_check "no unload reported a leak" \
	sh -c "! /selftests/data/dmesg_since $DMESG_MARK | grep -q 'unload leaks'"
tap_done
