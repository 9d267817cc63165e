#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Hardware task switches of a 32-bit guest (guest-frontends tswitch):
# JMP and CALL to a TSS, IRET back, INT n and #GP through task gates, and
# a virtual-8086 task (Xen's XSA-192).  VT-x exits on every task switch
# and kxen emulates it (kmod/arch/vmx/task_switch.c); AMD-V lets the CPU
# do it.  Run without paging and with PAE paging (CR3 and the PDPTEs
# come from the new TSS).  Each must report SUCCESS.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
GUESTS="tswitch32 tswitch32pae"
[ -r "$G/tswitch32.elf" ] && [ -r "$G/tswitch32pae.elf" ] ||
	tap_skip_all "no tswitch32.elf or tswitch32pae.elf in $G"
set -- $GUESTS
tap_plan $(($# * 3 + 1))
kxen_load
base=$(kxen_live)
for g in $GUESTS; do
	guest_run_success "$g" "$G/$g.elf"
done
live_back "$base"
dmesg | grep kxen | grep -v "loaded\|unloaded" | tail -10 | sed 's/^/# /'
kxen_unload
tap_done
