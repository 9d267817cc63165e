#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The hcall test guest checks, from inside, the Xen CPUID leaves, the
# hypercall page, every xen_version sub-op, raw VMCALL, -ENOSYS for an
# unknown hypercall and -EPERM from CPL3; it reports SUCCESS only if all hold.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/hcall.elf" ] || tap_skip_all "no hcall.elf"
tap_plan 4
kxen_load
guest_cfg hcall "$G/hcall.elf" 16
tap_check "create the hcall guest" xl-lite create /tmp/hcall.cfg
tap_check "it shuts down by itself" wait_state hcall s 60
console_dump hcall
tap_check "it reports Test result: SUCCESS" \
	grep -q "Test result: SUCCESS" /tmp/hcall.out
tap_check "destroy it" xl-lite destroy hcall
kxen_unload
tap_done
