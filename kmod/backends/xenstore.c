// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's connection to the host's xenstore: the
 * xenstore_domain_interface ring page of io/xs_wire.h (1024-byte request
 * and reply rings) at HVM_PARAM_STORE_PFN, on an event channel whose far
 * end is the host (HVM_PARAM_STORE_EVTCHN), as xenstored serves it under
 * Xen (docs/misc/xenstore-ring.txt).
 *
 * The guest's notify arrives in atomic context under xd->lock: it only
 * queues work; the rings are processed in process context under the
 * store lock.  req_prod and rsp_cons are the guest's and are bounded;
 * req_cons and rsp_prod are ours, kept here and only written to the
 * page.  Indexes that do not make sense, or a message the core rejects,
 * close this guest's connection and nobody else's.
 */
#include <linux/types.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <xen/interface/xen.h>
#include <xen/interface/hvm/params.h>

#include "../xenstore/xenstore.h"
#include "xenstore.h"

/* Passes over the rings per work run before yielding to other work. */
#define KXEN_XSRING_PASSES	16

struct kxen_xsring {
	struct kxen_domain *d;
	u64 gfn;
	struct xs_conn *c;		/* store lock; NULL once closed */
	struct work_struct work;
	XENSTORE_RING_IDX req_cons;	/* ours */
	XENSTORE_RING_IDX rsp_prod;	/* ours */
};

/*
 * The ring's frame is pinned while the ring is registered (xd->xs_port):
 * the worker may hold this pointer while it sleeps on the store lock.
 */
static struct xenstore_domain_interface *kxen_xsring_intf(struct kxen_xsring *r)
{
	return kxen_gpa_to_hva(r->d, r->gfn << PAGE_SHIFT);
}

/* The guest broke the protocol: its connection goes, with why. */
static void kxen_xsring_close(struct kxen_xsring *r,
			      struct xenstore_domain_interface *intf, u32 err)
{
	pr_info_ratelimited("kxen: d%u: xenstore ring closed, error %u\n",
			    r->d->domid, err);
	WRITE_ONCE(intf->error, err);
	xs_conn_free(r->c);	/* its watches and transactions too */
	r->c = NULL;
}

/* Requests the guest produced, to the store: true if any were taken. */
static bool kxen_xsring_pull(struct kxen_xsring *r,
			     struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX prod = READ_ONCE(intf->req_prod);
	u32 avail, off, n;
	bool any = false;
	long took;

	smp_rmb();	/* the requests after the index that covers them */
	avail = prod - r->req_cons;
	if (avail > XENSTORE_RING_SIZE) {
		kxen_xsring_close(r, intf, XENSTORE_ERROR_RINGIDX);
		return false;
	}
	while (avail) {
		off = MASK_XENSTORE_IDX(r->req_cons);
		n = min_t(u32, avail, XENSTORE_RING_SIZE - off);
		/* The core copies each byte once: no double fetch. */
		took = xs_conn_input(r->c, intf->req + off, n);
		if (took < 0) {
			kxen_xsring_close(r, intf, XENSTORE_ERROR_PROTO);
			return false;
		}
		r->req_cons += took;
		avail -= took;
		any |= took > 0;
		if (took < n)
			break;	/* replies unread: the guest catches up */
	}
	smp_mb();	/* consumed before the guest may reuse the space */
	WRITE_ONCE(intf->req_cons, r->req_cons);
	return any;
}

/* Replies and watch events, into the space the guest freed. */
static bool kxen_xsring_push(struct kxen_xsring *r,
			     struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX cons = READ_ONCE(intf->rsp_cons);
	u32 used = r->rsp_prod - cons, off, n;
	bool any = false;
	size_t got;

	if (used > XENSTORE_RING_SIZE) {
		kxen_xsring_close(r, intf, XENSTORE_ERROR_RINGIDX);
		return false;
	}
	smp_mb();	/* the guest read the space before we overwrite it */
	while (used < XENSTORE_RING_SIZE) {
		off = MASK_XENSTORE_IDX(r->rsp_prod);
		n = min_t(u32, XENSTORE_RING_SIZE - used,
			  XENSTORE_RING_SIZE - off);
		got = xs_conn_output(r->c, intf->rsp + off, n);
		if (!got)
			break;
		r->rsp_prod += got;
		used += got;
		any = true;
	}
	smp_wmb();	/* the data before the index that covers it */
	WRITE_ONCE(intf->rsp_prod, r->rsp_prod);
	return any;
}

static void kxen_xsring_notify_guest(struct kxen_xsring *r)
{
	struct kxen_xen_dom *xd = to_xd(r->d);
	unsigned long flags;

	spin_lock_irqsave(&xd->lock, flags);
	if (xd->xs_port)
		kxen_evtchn_set_pending(&xd->evtchn, xd->xs_port);
	spin_unlock_irqrestore(&xd->lock, flags);
}

static void kxen_xsring_work(struct work_struct *work)
{
	struct kxen_xsring *r = container_of(work, struct kxen_xsring, work);
	struct xenstore_domain_interface *intf;
	bool kick = false, more = true;
	int i;

	kxen_xs_lock();
	for (i = 0; more && i < KXEN_XSRING_PASSES; i++) {
		intf = kxen_xsring_intf(r);
		if (!r->c || !intf)
			break;
		more = kxen_xsring_push(r, intf);
		if (r->c)
			more |= kxen_xsring_pull(r, intf);
		if (r->c)
			more |= kxen_xsring_push(r, intf);
		kick |= more;
	}
	if (more && r->c)
		queue_work(system_unbound_wq, &r->work);
	kxen_xs_unlock();
	if (kick)
		kxen_xsring_notify_guest(r);
}

/* The store queued output for the guest (store lock held). */
static void kxen_xsring_output(struct xs_conn *c, void *arg)
{
	struct kxen_xsring *r = arg;

	queue_work(system_unbound_wq, &r->work);
}

/* The guest notified its store port (atomic, xd->lock held). */
void kxen_xsring_kick(struct kxen_xen_dom *xd)
{
	if (xd->xs_ring)
		queue_work(system_unbound_wq, &xd->xs_ring->work);
}

/*
 * Look the ring's frame up and register it under the physmap lock: from
 * then on the frame is pinned (kxen_physmap_pinned), so the guest cannot
 * give it back or cover it with a grant frame while the worker uses it.
 */
static int kxen_xsring_bind(struct kxen_xen_dom *xd, struct kxen_xsring *r)
{
	struct kxen_domain *d = xd->d;
	unsigned long flags;
	int port, ret = 0;
	void *page;

	spin_lock(&xd->gnttab.lock);
	page = r->gfn < d->mem.nr_pages ?
	       kxen_gpa_to_hva(d, r->gfn << PAGE_SHIFT) : NULL;
	if (!page) {
		ret = -EINVAL;	/* outside RAM or given back */
		goto err_unlock;
	}
	spin_lock_irqsave(&xd->lock, flags);
	if (xd->xs_ring) {
		ret = -EBUSY;
		goto out;
	}
	port = kxen_evtchn_alloc_unbound(&xd->evtchn, 0);
	if (port < 0) {
		ret = -ENOSPC;
		goto out;
	}
	kxen_evtchn_bind_host(&xd->evtchn, port);
	memset(page, 0, PAGE_SIZE);	/* XENSTORE_CONNECTED, no features */
	xd->xs_ring = r;
	xd->xs_port = port;
	xd->xs_gfn = r->gfn;
	xd->params[HVM_PARAM_STORE_PFN] = r->gfn;
	xd->params[HVM_PARAM_STORE_EVTCHN] = port;
out:
	spin_unlock_irqrestore(&xd->lock, flags);
err_unlock:
	spin_unlock(&xd->gnttab.lock);
	return ret;
}

/*
 * The toolstack put the store ring at @gfn: a connection of the domain
 * (unprivileged) and an event channel with the host as the far end,
 * published as HVM params as xl does.
 */
int kxen_xsring_setup(struct kxen_domain *d, u64 gfn)
{
	struct kxen_xen_dom *xd = to_xd(d);
	struct kxen_xsring *r;
	int ret;

	if (gfn >= d->mem.nr_pages)
		return -EINVAL;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->d = d;
	r->gfn = gfn;
	INIT_WORK(&r->work, kxen_xsring_work);
	kxen_xs_lock();
	r->c = xs_conn_new(kxen_xs_store(), d->domid, 0);
	if (r->c)
		xs_conn_set_notify(r->c, kxen_xsring_output, r);
	kxen_xs_unlock();
	if (!r->c) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = kxen_xsring_bind(xd, r);
	if (ret)
		goto err_conn;
	kxen_stats_objects(1);
	return 0;

err_conn:
	kxen_xs_lock();
	xs_conn_free(r->c);
	kxen_xs_unlock();
err_free:
	kfree(r);
	return ret;
}

/* The domain goes (its vCPUs have stopped): no more kicks, then no work. */
void kxen_xsring_free(struct kxen_xen_dom *xd)
{
	struct kxen_xsring *r;
	unsigned long flags;

	spin_lock_irqsave(&xd->lock, flags);
	r = xd->xs_ring;
	xd->xs_ring = NULL;
	xd->xs_port = 0;
	spin_unlock_irqrestore(&xd->lock, flags);
	if (!r)
		return;
	kxen_xs_lock();
	xs_conn_free(r->c);
	r->c = NULL;
	kxen_xs_unlock();
	cancel_work_sync(&r->work);
	kfree(r);
	kxen_stats_objects(-1);
}
