/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the host's in-kernel backends (kmod/backends/) use of the Xen
 * layer, as a Xen backend in domain 0 uses grant maps and interdomain
 * event channels: granted frames (grant_table.h, kxen_gnttab_map) and
 * the host's end of the frontend's event channel.
 */
#ifndef KXEN_XEN_BACKEND_H
#define KXEN_XEN_BACKEND_H

#include <linux/types.h>

struct kxen_domain;

/* The host's end of one event channel; the backend owns the storage. */
struct kxen_be_port {
	void (*fn)(void *arg);
	void *arg;
	u32 port;
};

/*
 * Bind the frontend's port (allocated unbound for domain 0, as blkfront
 * and netfront do with EVTCHNOP_alloc_unbound): @fn(@arg) then runs on
 * each send of the guest, in atomic context (it schedules work, no
 * more).  0, -EINVAL (not an unbound port for us), -EBUSY, -ENOMEM.
 */
int kxen_evtchn_be_bind(struct kxen_domain *d, struct kxen_be_port *bp,
			u32 port, void (*fn)(void *arg), void *arg);
/* The guest's port waits unbound again; @fn no longer runs after this. */
void kxen_evtchn_be_unbind(struct kxen_domain *d, struct kxen_be_port *bp);
/* Notify the frontend (any context). */
void kxen_evtchn_be_notify(struct kxen_domain *d, struct kxen_be_port *bp);

#endif /* KXEN_XEN_BACKEND_H */
