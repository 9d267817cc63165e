/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to kmod/xen: one decoded hypercall and the handler table. */
#ifndef KXEN_XEN_HCALL_H
#define KXEN_XEN_HCALL_H

#include "xen.h"

#define KXEN_HCALL_ARGS	5

struct kxen_hcall {
	struct kxen_vcpu *v;
	unsigned long args[KXEN_HCALL_ARGS];
	bool restart;		/* re-execute with updated args */
	bool leave;		/* block the vCPU after completing */
};

typedef long (*kxen_hcall_fn)(struct kxen_hcall *hc);

void kxen_hcall_continue(struct kxen_vcpu *v, struct kxen_hcall *hc);

long kxen_hc_xen_version(struct kxen_hcall *hc);
long kxen_hc_console_io(struct kxen_hcall *hc);
long kxen_hc_sched_op(struct kxen_hcall *hc);
long kxen_hc_memory_op(struct kxen_hcall *hc);
long kxen_hc_set_timer_op(struct kxen_hcall *hc);
long kxen_hc_vcpu_op(struct kxen_hcall *hc);
long kxen_hc_event_channel_op(struct kxen_hcall *hc);
long kxen_hc_hvm_op(struct kxen_hcall *hc);
long kxen_hc_vm_assist(struct kxen_hcall *hc);
long kxen_hc_grant_table_op(struct kxen_hcall *hc);
long kxen_vcpu_op_timer(struct kxen_hcall *hc, u32 cmd);
long kxen_vcpu_op_time_area(struct kxen_hcall *hc, u32 vcpu);
long kxen_vcpu_op_runstate(struct kxen_hcall *hc, u32 cmd, u32 vcpu);
long kxen_vcpu_op_updown(struct kxen_hcall *hc, u32 cmd, u32 vcpu);
struct kxen_xen_dom;
bool kxen_physmap_pinned(struct kxen_xen_dom *xd, u64 gfn);

#endif /* KXEN_XEN_HCALL_H */
