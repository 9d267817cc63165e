#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The guest-memory lifetime rule (kmod/core/gmem.c) under a hostile
# guest: gmemrace.elf, on two vCPUs, gives back or covers with a grant
# frame the pages the host serves from and writes into, while its other
# vCPU, the host's timers and the xenstore worker use them.  The pinned
# frames are refused, the others come and go, and the host stays sane:
# the guest reports success, destroying it returns every page and object,
# no freed page was found written after its free (page poisoning, when L1
# runs with page_poison=1), and the kernel is not tainted (bad page,
# oops, warning).  Debian's kernel has no KASAN: poisoning and the live
# counters stand in for it.
#
# GMEMRACE_ROUNDS sets the rounds (default 10000).
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/gmemrace.elf" ] || tap_skip_all "no gmemrace.elf"
[ "$(nproc)" -ge 2 ] || tap_skip_all "needs 2 CPUs in L1"
TAINT_BAD=$(( (1 << 5) | (1 << 7) | (1 << 9) ))
tap_plan 7
kxen_load
base=$(kxen_live)
taint0=$(cat /proc/sys/kernel/tainted)
dmesg_mark
rounds=${GMEMRACE_ROUNDS:-10000}
case " $(cat /proc/cmdline) " in
*" page_poison=1 "*) poison="page poisoning on" ;;
*) poison="page poisoning off (boot L1 with page_poison=1 for it)" ;;
esac
echo "gmemrace: $rounds rounds ($(xl_info kxen_vendor)); $poison"
guest_cfg gmemrace "$G/gmemrace.elf" 32 "rounds=$rounds" 2
start=$(date +%s)
tap_check "create the page-racing guest on 2 vCPUs" \
	xl-lite create /tmp/gmemrace.cfg
tap_check "it survives its rounds and shuts down" wait_state gmemrace s 1200
echo "gmemrace ran $(( $(date +%s) - start )) s"
console_dump gmemrace
tap_check "it reports Test result: SUCCESS" \
	grep -q "Test result: SUCCESS" /tmp/gmemrace.out
tap_check "destroy it" xl-lite destroy gmemrace
live_back "$base"
dmesg_new | grep -E "pagealloc: memory corruption|BUG|WARNING" && bad=1
tap_check "no freed page found written, no BUG or WARNING" test -z "${bad:-}"
taint1=$(cat /proc/sys/kernel/tainted)
echo "taint before: $taint0 after: $taint1"
tap_check "the kernel is not tainted (bad page, oops, warning)" \
	test $(( (taint1 & ~taint0) & TAINT_BAD )) -eq 0
kxen_unload
tap_done
