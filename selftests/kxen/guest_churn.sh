#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Domains made and destroyed back to back, from the same few images:
# the pattern after which the AMD-V lab fault was seen (a new domain's
# first accesses to its own page tables failing right after a domain of
# the same image went).  KXEN_CHURN rounds (default 10) of the
# conformance guests, 64-bit and 32-bit; a crash dump's second-level
# table check (kxen_hap_check) is shown with the log at the end.  Not in
# tests.list: a stress run, `selftests/lab/run --qemu guest_churn`.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
GUESTS="hello memop evtchn timer vcpuop hello32pae timer32 timer32pae \
	evtchn32pae vcpuop32pae"
for g in $GUESTS; do
	[ -r "$G/$g.elf" ] || tap_skip_all "no $g.elf"
done
set -- $GUESTS
R=${KXEN_CHURN:-10}
tap_plan $(($# * 3 * R + 1))
kxen_load
base=$(kxen_live)
r=0
while [ $r -lt "$R" ]; do
	for g in $GUESTS; do
		guest_run_success "$g" "$G/$g.elf" 'FAIL|PANIC|Test result'
	done
	r=$((r + 1))
done
live_back "$base"
dmesg | grep -E "kxen.*(hap|crash|fault)" | tail -40 | sed 's/^/# /'
kxen_unload
tap_done
