#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The hcall test guest checks, from inside, the Xen CPUID leaves, the
# hypercall page, every xen_version sub-op, raw VMCALL, -ENOSYS for an
# unknown hypercall and -EPERM from CPL3; it reports SUCCESS only if all hold.
# Its destroy summary counts the hypercalls it made, by op.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/hcall.elf" ] || tap_skip_all "no hcall.elf"
tap_plan 5
kxen_load
dmesg_mark
guest_cfg hcall "$G/hcall.elf" 16
tap_check "create the hcall guest" xl-lite create /tmp/hcall.cfg
tap_check "it shuts down by itself" wait_state hcall s 60
console_dump hcall
tap_check "it reports Test result: SUCCESS" \
	grep -q "Test result: SUCCESS" /tmp/hcall.out
domid=$(xl_domid hcall)
tap_check "destroy it" xl-lite destroy hcall
sleep 1
tap_check "its destroy summary counts its xen_version calls" sh -c \
	"/selftests/data/dmesg_since $DMESG_MARK | grep -q 'kxen: d$domid: hypercalls by op:.* xen_version:[1-9]'"
kxen_unload
tap_done
