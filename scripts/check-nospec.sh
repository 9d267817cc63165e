#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hardening rule 16: an index the guest chooses (a hypercall number, an
# event-channel port, a vCPU id, a FIFO priority, a grant frame) is
# clamped with array_index_nospec() where it is bounds-checked, so a
# mispredicted check cannot read past the array under speculation
# (Documentation/staging/speculation.rst).  The table below names each
# function where a guest-chosen index meets its array; each must keep
# its array_index_nospec().  Prints each that lost it; exit status 1 if
# any did.
#
#   scripts/check-nospec.sh

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

# FILE FUNCTION: what the guest chooses there
TABLE="
kmod/xen/hypercall.c	kxen_hcall_lookup	the hypercall number
kmod/xen/evtchn_core.c	kxen_port	an event-channel port
kmod/xen/evtchn_core.c	kxen_evtchn_bind_virq	the vCPU of a VIRQ
kmod/xen/evtchn_core.c	kxen_evtchn_bind_ipi	the vCPU of an IPI
kmod/xen/evtchn_core.c	kxen_evtchn_bind_vcpu	the vCPU a port moves to
kmod/xen/evtchn_fifo.c	kxen_fifo_cb	a vCPU's FIFO control block
kmod/xen/evtchn_fifo.c	kxen_fifo_link	a port on a FIFO queue
kmod/xen/evtchn_fifo.c	kxen_evtchn_fifo_set_pending	a port set pending
kmod/xen/evtchn_fifo.c	kxen_evtchn_fifo_clear_pending	a port cleared
kmod/xen/evtchn_fifo.c	kxen_evtchn_init_control	EVTCHNOP_init_control's vCPU
kmod/xen/evtchn_fifo.c	kxen_evtchn_set_priority	a port and its priority
kmod/xen/hvm.c	kxen_hvm_upcall_vector	HVMOP_set_evtchn_upcall_vector's vCPU
kmod/xen/vcpu.c	kxen_hc_vcpu_op	VCPUOP's vCPU id
kmod/xen/gnttab_map.c	kxen_gnttab_entry	a grant reference's frame
"

# body FILE FUNCTION: the function's lines, from its name to the first
# closing brace in column 0.
body()
{
	awk -v fn="$2" '
		!inside && $0 ~ "(^|[ *])" fn "\\(" && $0 !~ /;[[:space:]]*$/ { inside = 1 }
		inside { print }
		inside && /^}/ { exit }' "$1"
}

bad=0
n=0
while IFS=$'\t' read -r file fn what; do
	[ -n "$file" ] || continue
	n=$((n + 1))
	b=$([ -f "$file" ] && body "$file" "$fn")
	if [ -z "$b" ]; then
		echo "nospec: $file: no function $fn (the table is out of date)"
		bad=1
	elif ! grep -q 'array_index_nospec(' <<< "$b"; then
		echo "nospec: $file: $fn: $what reaches its array without array_index_nospec()"
		bad=1
	fi
done <<< "$TABLE"
[ "$bad" = 0 ] && echo "nospec: the $n guest-chosen indexes in the table are clamped"
exit "$bad"
