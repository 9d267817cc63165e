#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The mmio guest: accesses to GPAs with no RAM behind them complete as
# Xen 4.17 completes them (reads of all ones with the register rules of
# each MOV form, writes dropped), for an address above RAM and for a
# frame the guest gave back; the local APIC moves between x2APIC,
# disabled and xAPIC through IA32_APIC_BASE (illegal moves #GP) and in
# xAPIC mode answers on its MMIO page.  Each emulated access is an EPT
# violation (VT-x) or a nested page fault (AMD-V), so the test runs in
# both passes.  The domain must shut down by itself, not be crashed.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/mmio.elf" ] || tap_skip_all "no mmio.elf"
tap_plan 7
kxen_load
base=$(kxen_live)

dmesg_mark
guest_cfg mmio "$G/mmio.elf" 16
tap_check "create the mmio guest" xl-lite create /tmp/mmio.cfg
tap_check "it shuts down by itself" wait_state mmio s 120
console_dump mmio
tap_check "it reports Test result: SUCCESS" \
	grep -q "^Test result: SUCCESS" /tmp/mmio.out
tap_check "no FAIL line" sh -c '! grep -q "^FAIL: " /tmp/mmio.out'
tap_check "no domain was crashed" \
	sh -c "! /selftests/data/dmesg_since $DMESG_MARK | grep -q 'crashed:'"
dmesg_new | grep kxen | sed 's/^/#   /'
tap_check "destroy it" xl-lite destroy mmio
live_back "$base"
kxen_unload
tap_done
