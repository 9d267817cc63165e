/* SPDX-License-Identifier: GPL-2.0 */
/* Per-domain and per-vCPU state of the Xen layer (kmod/xen only). */
#ifndef KXEN_XEN_STATE_H
#define KXEN_XEN_STATE_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <xen/interface/xen.h>
#include <xen/interface/vcpu.h>

#include "xen.h"
#include "evtchn_core.h"
#include "grant_table.h"
#include "backend.h"

/* Xen 4.17's HVM_NR_PARAMS (xen/include/public/hvm/params.h). */
#define KXEN_HVM_NR_PARAMS	39
#define KXEN_POLL_MAX		128	/* Xen's limit on SCHEDOP_poll ports */
#define KXEN_NO_GPA		(~0ULL)

struct kxen_xen_vcpu {
	struct kxen_vcpu *v;
	u64 vcpu_info_gpa;		/* KXEN_NO_GPA: slot in shared_info */
	u8 upcall_vector;		/* HVMOP_set_evtchn_upcall_vector */
	struct hrtimer singleshot;
	struct hrtimer periodic;
	u64 period_ns;
	struct hrtimer poll_timer;
	enum kxen_block block;
	bool poll_expired;
	u32 nr_poll;
	u32 poll_ports[KXEN_POLL_MAX];
	u64 time_stamp_ns;		/* last vcpu_time_info update */
	int time_cpu;
	unsigned int time_gen;		/* kxen_resume_gen it was written in */
	u64 time_gva;			/* the guest's own copy, or 0 */
	struct vcpu_runstate_info rs;	/* runstate.c */
	u64 rs_gva;			/* the guest's copy, or 0 */
	u64 run_delay_seen;
	/* Hypercalls taken, by number (only this vCPU's thread counts). */
	u64 hcalls[KXEN_HCALL_COUNTED];
};

/* struct e820entry as XENMEM_memory_map returns it (20 bytes, packed). */
struct kxen_e820 {
	u64 addr;
	u64 size;
	u32 type;
} __packed;

/* At most as many entries as libxl's E820MAX. */
#define KXEN_E820_MAX	128

struct kxen_xen_dom {
	struct kxen_domain *d;
	spinlock_t lock;		/* evtchn table, params, shared_info */
	struct kxen_evtchn_table evtchn;
	struct kxen_evtchn *ports;
	u32 *virq_port;
	struct kxen_evtchn_fifo_vcpu *fifo_vcpus;	/* nr_vcpus */
	struct shared_info *shinfo;	/* live copy: own page or guest's */
	struct shared_info *shinfo_own;	/* before the guest maps it */
	u64 shinfo_gfn;			/* KXEN_NO_GPA when not mapped */
	/*
	 * XENMEM_memory_map's answer: the map the toolstack gave the guest
	 * in its PVH start info, taken before the guest first ran (hvm.c).
	 * NULL: none was found, RAM alone is reported.
	 */
	struct kxen_e820 *memmap;
	u32 nr_memmap;
	u64 params[KXEN_HVM_NR_PARAMS];
	unsigned long vm_assist;	/* VMASST_TYPE_* bits enabled */
	u64 cons_gfn;			/* PV console ring (backends/console.c) */
	u32 cons_port;			/* 0: no console backend */
	struct kxen_xsring *xs_ring;	/* xenstore ring (backends/xenstore.c) */
	u32 xs_port;			/* 0: no xenstore ring */
	u64 xs_gfn;			/* its frame, while xs_port is set */
	struct kxen_xen_vcpu *vcpus;
	struct kxen_gnttab gnttab;
	struct xarray be_ports;		/* backend ports: struct kxen_be_port */
};

/* The start info's memory map, for XENMEM_memory_map (hvm.c). */
void kxen_xen_take_memmap(struct kxen_vcpu *v);
void kxen_xen_free_memmap(struct kxen_xen_dom *xd);

static inline struct kxen_xen_dom *to_xd(struct kxen_domain *d)
{
	return d->xen.priv;
}

static inline struct kxen_xen_vcpu *to_xv(struct kxen_vcpu *v)
{
	return &to_xd(v->dom)->vcpus[v->id];
}

/* A 32-bit guest's shared_info, vcpu_info and runstate layouts? */
static inline bool kxen_xen_compat(struct kxen_xen_dom *xd)
{
	return READ_ONCE(xd->evtchn.compat);
}

/* evtchn.c */
struct vcpu_info *kxen_xen_vcpu_info(struct kxen_xen_dom *xd, u32 vcpu);
extern const struct kxen_evtchn_ops kxen_evtchn_glue;

/* runstate.c */
void kxen_runstate_set(struct kxen_vcpu *v, int state);

/* time.c */
void kxen_time_vcpu_init(struct kxen_xen_vcpu *xv);
void kxen_time_vcpu_stop(struct kxen_xen_vcpu *xv);
void kxen_time_update(struct kxen_vcpu *v);
u64 kxen_time_now(void);
void kxen_time_wallclock(struct kxen_xen_dom *xd);

#endif /* KXEN_XEN_STATE_H */
