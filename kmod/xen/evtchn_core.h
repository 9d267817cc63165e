/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels (xen/include/public/event_channel.h): the port table and
 * the 2-level ABI's pending/mask/selector logic (the shared_info/vcpu_info
 * bitmaps of xen.h), as plain C over plain structs; the FIFO ABI is
 * evtchn_fifo.c.  The kernel glue (evtchn.c) decodes hypercalls, locks,
 * and supplies the hooks below.
 */
#ifndef KXEN_EVTCHN_CORE_H
#define KXEN_EVTCHN_CORE_H

#include "plat.h"
#include "compat.h"
#include "evtchn_fifo.h"

/*
 * 2-level: one selector bit per word of pending bits.  The port table has
 * this many entries under either ABI (the FIFO ABI could name up to
 * EVTCHN_FIFO_NR_CHANNELS; a domain's port limit may be lower, as xl's
 * max_event_channels).
 */
#define KXEN_EVTCHN_2L_PORTS	(sizeof(xen_ulong_t) * 8 * sizeof(xen_ulong_t) * 8)

enum kxen_ecs {
	KXEN_ECS_FREE,
	KXEN_ECS_RESERVED,	/* port 0 */
	KXEN_ECS_UNBOUND,
	KXEN_ECS_INTERDOMAIN,
	KXEN_ECS_VIRQ,
	KXEN_ECS_IPI,
};

struct kxen_evtchn {
	u8 state;		/* enum kxen_ecs */
	u8 virq;
	u16 notify_vcpu;
	u16 remote_dom;		/* UNBOUND, INTERDOMAIN */
	u8 priority;		/* FIFO queue for the next event */
	bool fifo_saved;	/* FIFO: raised before its array page came */
	u32 remote_port;	/* INTERDOMAIN */
	/*
	 * FIFO: the queue the port was last linked on.  It outlives the
	 * binding, as the port may still be that queue's tail (Xen's
	 * fifo_lastq).
	 */
	u16 last_vcpu;
	u8 last_prio;
};

struct kxen_evtchn_ops {
	/* The live shared_info and a vCPU's vcpu_info, or NULL if none yet. */
	struct shared_info *(*shinfo)(void *priv);
	struct vcpu_info *(*vcpu_info)(void *priv, u32 vcpu);
	/* A vCPU has an event to look at (upcall or polled port). */
	void (*kick)(void *priv, u32 vcpu);
	/*
	 * Its vcpu_info's evtchn_upcall_pending went from 0 to 1 (Xen's
	 * vcpu_mark_events_pending): where the upcall is a local APIC
	 * vector (HVMOP_set_evtchn_upcall_vector), it is raised now, once
	 * per rise, as Xen's hvm_assert_evtchn_irq does.  May be NULL.
	 */
	void (*upcall)(void *priv, u32 vcpu);
	/* A send on an interdomain port whose peer is another domain. */
	int (*send_remote)(void *priv, u16 dom, u32 port);
	/*
	 * FIFO: the host's view of guest frame @gfn (KXEN_FIFO_PAGE_SIZE
	 * bytes), or NULL if it is no RAM of the domain.  Looked up on
	 * every access, so a frame the guest gives back is not written.
	 */
	void *(*page)(void *priv, u64 gfn);
};

struct kxen_evtchn_table {
	struct kxen_evtchn *ports;	/* KXEN_EVTCHN_2L_PORTS entries */
	u32 *virq_port;			/* [vcpu * NR_VIRQS + virq], 0 = none */
	u32 nr_vcpus;
	/*
	 * The highest port the guest may bind (Xen's max_evtchn_port, xl's
	 * max_event_channels); after init the FIFO ABI's last port, so
	 * every port either ABI names.
	 */
	u32 max_port;
	u16 domid;
	const struct kxen_evtchn_ops *ops;
	void *priv;
	/*
	 * shared_info and vcpu_info have a 32-bit guest's layout (Xen's
	 * has_32bit_shinfo): 32-bit 2-level event words, compat.h.
	 */
	bool compat;
	struct kxen_evtchn_fifo fifo;
};

/* The ports the ABI in use names. */
u32 kxen_evtchn_nr_ports(const struct kxen_evtchn_table *t);
/* Of those, the ones the guest may bind: up to t->max_port. */
u32 kxen_evtchn_usable_ports(const struct kxen_evtchn_table *t);

/* Ports the 2-level ABI names for this guest. */
static inline u32 kxen_evtchn_2l_ports(const struct kxen_evtchn_table *t)
{
	return t->compat ? KXEN_COMPAT_2L_PORTS : KXEN_EVTCHN_2L_PORTS;
}

static inline bool kxen_evtchn_is_fifo(const struct kxen_evtchn_table *t)
{
	return t->fifo.on;
}

/* Storage is the caller's: ports[KXEN_EVTCHN_2L_PORTS], virq[n*NR_VIRQS]. */
void kxen_evtchn_table_init(struct kxen_evtchn_table *t,
			    struct kxen_evtchn *ports, u32 *virq_port,
			    u32 nr_vcpus, u16 domid,
			    const struct kxen_evtchn_ops *ops, void *priv);

/* Sub-ops: >= 0 (a port, or 0) or a negative Xen errno. */
int kxen_evtchn_alloc_unbound(struct kxen_evtchn_table *t, u16 remote_dom);
int kxen_evtchn_bind_loopback(struct kxen_evtchn_table *t, u32 remote_port);
int kxen_evtchn_bind_virq(struct kxen_evtchn_table *t, u32 virq, u32 vcpu);
int kxen_evtchn_bind_ipi(struct kxen_evtchn_table *t, u32 vcpu);
int kxen_evtchn_close(struct kxen_evtchn_table *t, u32 port);
int kxen_evtchn_send(struct kxen_evtchn_table *t, u32 port);
int kxen_evtchn_status(struct kxen_evtchn_table *t, u32 port,
		       struct evtchn_status *st);
int kxen_evtchn_bind_vcpu(struct kxen_evtchn_table *t, u32 port, u32 vcpu);
int kxen_evtchn_unmask(struct kxen_evtchn_table *t, u32 port);
void kxen_evtchn_reset(struct kxen_evtchn_table *t);

/* Set @vi's evtchn_upcall_pending; ops->upcall if it was clear. */
void kxen_evtchn_upcall(struct kxen_evtchn_table *t, struct vcpu_info *vi,
			u32 vcpu);
/* Raise a VIRQ on a vCPU (per-vCPU VIRQs) or vCPU 0 (global ones). */
void kxen_evtchn_raise_virq(struct kxen_evtchn_table *t, u32 virq, u32 vcpu);
/*
 * The host binds an unbound port meant for it (remote domain 0): it
 * becomes interdomain, its host-side port number being the same.
 */
int kxen_evtchn_bind_host(struct kxen_evtchn_table *t, u32 port);
/*
 * The host closes its end: the guest's port waits for a connection again
 * (UNBOUND, remote domain 0), as when a Xen backend closes its port.
 */
int kxen_evtchn_unbind_host(struct kxen_evtchn_table *t, u32 port);
bool kxen_evtchn_is_host_bound(struct kxen_evtchn_table *t, u32 port);
/* Mark a port pending and deliver it (the host side of a channel). */
void kxen_evtchn_set_pending(struct kxen_evtchn_table *t, u32 port);
bool kxen_evtchn_is_pending(struct kxen_evtchn_table *t, u32 port);
bool kxen_evtchn_virq_is_global(u32 virq);
/*
 * vcpu_info moved (VCPUOP_register_vcpu_info): make the guest rescan, as
 * Xen does, by setting every selector bit and the upcall flag.
 */
void kxen_evtchn_vcpu_info_moved(struct kxen_evtchn_table *t, u32 vcpu);
/*
 * The guest's shared_info layout, latched from the mode of the vCPU
 * that sets up its upcall (Xen's hvm_latch_shinfo_size); true if it
 * changed.  Pending bits are not converted, as on Xen.
 */
bool kxen_evtchn_set_compat(struct kxen_evtchn_table *t, bool compat);

#endif /* KXEN_EVTCHN_CORE_H */
