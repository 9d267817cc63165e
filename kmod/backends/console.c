// SPDX-License-Identifier: GPL-2.0
/*
 * The PV console backend, in the host kernel (xenconsoled's job under
 * Xen): the guest's xencons_interface ring (io/console.h) at
 * HVM_PARAM_CONSOLE_PFN, on an event channel whose far end is the host.
 * Output joins the domain's console stream; /dev/kxen write()s are input.
 * The ring's indexes are guest-controlled: they are bounded, never trusted.
 */
#include <linux/types.h>
#include <linux/mm.h>
#include <xen/interface/xen.h>
#include <xen/interface/io/console.h>
#include <xen/interface/hvm/params.h>

#include "../xen/state.h"
#include "console.h"

static struct xencons_interface *kxen_pvcons_ring(struct kxen_xen_dom *xd)
{
	return xd->cons_port ?
	       kxen_gpa_to_hva(xd->d, xd->cons_gfn << PAGE_SHIFT) : NULL;
}

/* Guest notified its port: drain out[] (xd->lock held). */
void kxen_pvcons_drain(struct kxen_xen_dom *xd)
{
	struct xencons_interface *r = kxen_pvcons_ring(xd);
	XENCONS_RING_IDX cons, prod;
	char buf[64];
	u32 n = 0;

	if (!r)
		return;
	cons = READ_ONCE(r->out_cons);
	prod = READ_ONCE(r->out_prod);
	smp_rmb();	/* the data after the index that covers it */
	if (prod - cons > sizeof(r->out))
		cons = prod - sizeof(r->out);	/* garbage indexes: resync */
	while (cons != prod) {
		buf[n++] = r->out[MASK_XENCONS_IDX(cons++, r->out)];
		if (n == sizeof(buf) || cons == prod) {
			kxen_console_put(xd->d, buf, n);
			n = 0;
		}
	}
	smp_mb();	/* consumed before the guest sees the index move */
	WRITE_ONCE(r->out_cons, cons);
	kxen_evtchn_set_pending(&xd->evtchn, xd->cons_port);
	/* Any notify may mean in[] has room again. */
	kxen_console_tty_wakeup(xd->d);
}

/* Console input for the guest: what fits in in[], or -EAGAIN. */
ssize_t kxen_pvcons_input(struct kxen_domain *d, const char *buf, size_t len)
{
	struct kxen_xen_dom *xd = to_xd(d);
	struct xencons_interface *r;
	XENCONS_RING_IDX cons, prod;
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&xd->lock, flags);
	r = kxen_pvcons_ring(xd);
	if (!r) {
		spin_unlock_irqrestore(&xd->lock, flags);
		return -ENODEV;
	}
	cons = READ_ONCE(r->in_cons);
	prod = READ_ONCE(r->in_prod);
	if (prod - cons > sizeof(r->in))
		prod = cons;	/* garbage indexes: start over */
	while (n < len && prod - cons < sizeof(r->in))
		r->in[MASK_XENCONS_IDX(prod++, r->in)] = buf[n++];
	smp_wmb();	/* the data before the index that covers it */
	WRITE_ONCE(r->in_prod, prod);
	kxen_evtchn_set_pending(&xd->evtchn, xd->cons_port);
	spin_unlock_irqrestore(&xd->lock, flags);
	return n ? n : -EAGAIN;
}

/*
 * The toolstack put the console at @gfn: allocate its event channel with
 * the host as the far end and publish both as HVM params, as xl does.
 * The frame is looked up and registered under the physmap lock, so it is
 * pinned before the guest can give it back (kmod/core/gmem.c).
 */
int kxen_pvcons_setup(struct kxen_domain *d, u64 gfn)
{
	struct kxen_xen_dom *xd = to_xd(d);
	unsigned long flags;
	int port, ret = 0;
	void *page;

	spin_lock(&xd->gnttab.lock);
	page = gfn < d->mem.nr_pages ?
	       kxen_gpa_to_hva(d, gfn << PAGE_SHIFT) : NULL;
	if (!page) {
		ret = -EINVAL;	/* outside RAM or given back */
		goto err_unlock;
	}
	spin_lock_irqsave(&xd->lock, flags);
	if (xd->cons_port) {
		ret = -EBUSY;
		goto out;
	}
	port = kxen_evtchn_alloc_unbound(&xd->evtchn, 0);
	if (port < 0) {
		ret = port;
		goto out;
	}
	kxen_evtchn_bind_host(&xd->evtchn, port);
	memset(page, 0, PAGE_SIZE);
	xd->cons_gfn = gfn;
	xd->cons_port = port;
	xd->params[HVM_PARAM_CONSOLE_PFN] = gfn;
	xd->params[HVM_PARAM_CONSOLE_EVTCHN] = port;
out:
	spin_unlock_irqrestore(&xd->lock, flags);
err_unlock:
	spin_unlock(&xd->gnttab.lock);
	return ret;
}
