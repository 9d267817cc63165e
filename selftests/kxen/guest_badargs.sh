#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A hostile guest calls every implemented hypercall and sub-op with
# garbage; each call returns an error to it, the guest survives to report,
# and destroying it returns every page and object.
#
# BADARGS_ITERS sets the number of calls (default 100000).
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/badargs.elf" ] || tap_skip_all "no badargs.elf"
tap_plan 5
kxen_load
base=$(kxen_live)
iters=${BADARGS_ITERS:-100000}
echo "badargs: $iters calls ($(xl_info kxen_vendor))"
guest_cfg badargs "$G/badargs.elf" 16 "iters=$iters"
tap_check "create the garbage-arguments guest" xl-lite create /tmp/badargs.cfg
tap_check "it survives and shuts down" wait_state badargs s 300
console_dump badargs
tap_check "it reports Test result: SUCCESS" \
	grep -q "Test result: SUCCESS" /tmp/badargs.out
tap_check "destroy it" xl-lite destroy badargs
live_back "$base"
kxen_unload
tap_done
