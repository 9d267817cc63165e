/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to kmod/xen: one decoded hypercall and the handler table. */
#ifndef KXEN_XEN_HCALL_H
#define KXEN_XEN_HCALL_H

#include "xen.h"

#define KXEN_HCALL_ARGS	5

struct kxen_hcall {
	struct kxen_vcpu *v;
	unsigned long args[KXEN_HCALL_ARGS];
	bool compat;		/* from 32-bit code: compat.h layouts */
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
long kxen_hc_sysctl(struct kxen_hcall *hc);
long kxen_hc_domctl(struct kxen_hcall *hc);
long kxen_vcpu_op_timer(struct kxen_hcall *hc, u32 cmd);
long kxen_vcpu_op_time_area(struct kxen_hcall *hc, u32 vcpu);
long kxen_vcpu_op_runstate(struct kxen_hcall *hc, u32 cmd, u32 vcpu);
long kxen_vcpu_op_updown(struct kxen_hcall *hc, u32 cmd, u32 vcpu);

/*
 * compat.c: argument structs of the caller's layout, read into (or
 * written from) the native ones; 0 or -XEN_EFAULT.
 */
struct xen_add_to_physmap;
struct xen_memory_reservation;
struct xen_add_to_physmap_range;
struct gnttab_setup_table;
struct sched_poll;
struct vcpu_runstate_info;
struct vcpu_set_singleshot_timer;
int kxen_hc_read_physmap(struct kxen_hcall *hc, struct xen_add_to_physmap *a);
int kxen_hc_read_reservation(struct kxen_hcall *hc,
			     struct xen_memory_reservation *r);
int kxen_hc_read_memory_map(struct kxen_hcall *hc, u32 *nr_entries,
			    u64 *buffer);
int kxen_hc_read_physmap_batch(struct kxen_hcall *hc,
			       struct xen_add_to_physmap_range *b);
int kxen_hc_read_setup_table(struct kxen_hcall *hc,
			     struct gnttab_setup_table *s);
int kxen_hc_read_poll(struct kxen_hcall *hc, struct sched_poll *p);
int kxen_hc_read_singleshot(struct kxen_hcall *hc,
			    struct vcpu_set_singleshot_timer *t);
/* Element @i of a guest array of xen_ulong_t or xen_pfn_t. */
int kxen_hc_read_ulong(struct kxen_hcall *hc, u64 array, u64 i, u64 *val);
int kxen_hc_write_ulong(struct kxen_hcall *hc, u64 array, u64 i, u64 val);
/*
 * A guest address in one of vcpu.h's 64-bit address unions: only its
 * pointer half is set by a 32-bit caller (Xen's compat handle).
 */
static inline u64 kxen_hc_addr(struct kxen_hcall *hc, u64 p)
{
	return hc->compat ? (u32)p : p;
}

/* A runstate record in the 64-bit layout, or a 32-bit guest's. */
int kxen_runstate_write(struct kxen_vcpu *v, u64 gva, bool compat,
			const struct vcpu_runstate_info *rs);

void kxen_xen_latch_compat(struct kxen_vcpu *v);
struct kxen_xen_dom;
bool kxen_physmap_pinned(struct kxen_xen_dom *xd, u64 gfn);

#endif /* KXEN_XEN_HCALL_H */
