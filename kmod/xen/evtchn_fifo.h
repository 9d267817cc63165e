/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels, FIFO ABI (xen/include/public/event_channel.h, "FIFO
 * ABI"): per-domain event array pages and per-vCPU control blocks in
 * guest memory, one queue per vCPU and priority linked through the event
 * words.  Plain C like evtchn_core.c, which switches to it once
 * EVTCHNOP_init_control succeeds and back on EVTCHNOP_reset.
 */
#ifndef KXEN_EVTCHN_FIFO_H
#define KXEN_EVTCHN_FIFO_H

#include "plat.h"

/* Xen's x86 page: event array pages and control blocks live in one. */
#define KXEN_FIFO_PAGE_SIZE	4096u
#define KXEN_FIFO_WORDS_PER_PAGE (KXEN_FIFO_PAGE_SIZE / sizeof(event_word_t))
#define KXEN_FIFO_MAX_PAGES	(EVTCHN_FIFO_NR_CHANNELS / \
				 KXEN_FIFO_WORDS_PER_PAGE)

/*
 * Xen's ENOSYS (xen/include/public/errno.h): the sub-op is not offered,
 * which makes Linux keep the 2-level ABI.
 */
#define KXEN_FIFO_ENOSYS	38

struct kxen_evtchn_table;

struct kxen_evtchn_fifo_vcpu {
	u64 cb_gfn;		/* the control block's page ... */
	u32 cb_offset;		/* ... and where in it */
	bool has_cb;
	/* Last port linked on each queue; 0: the queue is empty. */
	u32 tail[EVTCHN_FIFO_MAX_QUEUES];
};

struct kxen_evtchn_fifo {
	bool on;			/* else the 2-level ABI */
	u32 nr_pages;			/* event array pages given so far */
	u64 array_gfn[KXEN_FIFO_MAX_PAGES];
	struct kxen_evtchn_fifo_vcpu *vcpus;	/* caller's, nr_vcpus */
};

/*
 * Storage for the per-vCPU state (t->nr_vcpus entries), after
 * kxen_evtchn_table_init(); without it EVTCHNOP_init_control is ENOSYS.
 */
void kxen_evtchn_fifo_attach(struct kxen_evtchn_table *t,
			     struct kxen_evtchn_fifo_vcpu *vcpus);

/* Sub-ops: 0 or a negative Xen errno, as Xen's common/event_fifo.c. */
int kxen_evtchn_init_control(struct kxen_evtchn_table *t,
			     struct evtchn_init_control *ic);
int kxen_evtchn_expand_array(struct kxen_evtchn_table *t, u64 gfn);
int kxen_evtchn_set_priority(struct kxen_evtchn_table *t, u32 port,
			     u32 priority);

/* Port operations, for evtchn_core.c once the FIFO ABI is on. */
void kxen_evtchn_fifo_set_pending(struct kxen_evtchn_table *t, u32 port);
void kxen_evtchn_fifo_clear_pending(struct kxen_evtchn_table *t, u32 port);
void kxen_evtchn_fifo_unmask(struct kxen_evtchn_table *t, u32 port);
bool kxen_evtchn_fifo_is_pending(struct kxen_evtchn_table *t, u32 port);
/* Still on a queue after close: not to be reused yet (Xen's is_busy). */
bool kxen_evtchn_fifo_is_busy(struct kxen_evtchn_table *t, u32 port);
/*
 * Whether @gfn holds a control block or an event array page the table
 * uses: such a frame stays pinned while it is registered.
 */
bool kxen_evtchn_fifo_uses_gfn(const struct kxen_evtchn_table *t, u64 gfn);
/* Back to the 2-level ABI: forget the guest's pages (EVTCHNOP_reset). */
void kxen_evtchn_fifo_destroy(struct kxen_evtchn_table *t);

#endif /* KXEN_EVTCHN_FIFO_H */
