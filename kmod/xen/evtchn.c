// SPDX-License-Identifier: GPL-2.0
/*
 * __HYPERVISOR_event_channel_op: hypercall decoding and the kernel side
 * of event delivery (locking, kicks); the port logic is evtchn_core.c.
 */
#include <linux/types.h>
#include <linux/mm.h>
#include <xen/interface/event_channel.h>

#include "hcall.h"
#include "errno.h"
#include "state.h"
#include "../backends/console.h"
#include "../backends/xenstore.h"

struct vcpu_info *kxen_xen_vcpu_info(struct kxen_xen_dom *xd, u32 vcpu)
{
	struct kxen_xen_vcpu *xv = &xd->vcpus[vcpu];
	u64 gpa = xv->vcpu_info_gpa;

	if (gpa != KXEN_NO_GPA)
		return kxen_gpa_to_hva(xd->d, gpa);
	if (!xd->shinfo || vcpu >= MAX_VIRT_CPUS)
		return NULL;
	return &xd->shinfo->vcpu_info[vcpu];
}

static struct shared_info *kxen_glue_shinfo(void *priv)
{
	return ((struct kxen_xen_dom *)priv)->shinfo;
}

static struct vcpu_info *kxen_glue_vcpu_info(void *priv, u32 vcpu)
{
	return kxen_xen_vcpu_info(priv, vcpu);
}

static void kxen_glue_kick(void *priv, u32 vcpu)
{
	struct kxen_xen_dom *xd = priv;

	kxen_vcpu_kick(xd->d->vcpus[vcpu]);
}

/*
 * The upcall rose: a per-vCPU upcall vector is an edge into the local
 * APIC, which the guest EOIs (Xen's hvm_assert_evtchn_irq).  The
 * domain-wide callback vector stays a level, looked at before each
 * entry (kxen_xen_pending_vector).
 */
static void kxen_glue_upcall(void *priv, u32 vcpu)
{
	struct kxen_xen_dom *xd = priv;
	u8 vec = READ_ONCE(xd->vcpus[vcpu].upcall_vector);

	if (vec)
		kxen_lapic_raise(xd->d->vcpus[vcpu], vec);
}

/*
 * A send whose far end is another domain: the host's backends (domain 0)
 * get it directly; guest-to-guest channels come later.
 */
static int kxen_glue_send_remote(void *priv, u16 dom, u32 port)
{
	struct kxen_xen_dom *xd = priv;
	struct kxen_be_port *bp;

	if (dom != 0)
		return 0;
	if (port == xd->cons_port) {
		kxen_pvcons_drain(xd);
	} else if (port == xd->xs_port) {
		kxen_xsring_kick(xd);
	} else {
		bp = xa_load(&xd->be_ports, port);
		if (bp)
			bp->fn(bp->arg);
	}
	return 0;
}

/*
 * Backends: the guest's unbound port for domain 0 becomes the far end of
 * a backend; @fn runs on each of the guest's sends, with xd->lock held
 * and interrupts off, so it only schedules work.
 */
int kxen_evtchn_be_bind(struct kxen_domain *d, struct kxen_be_port *bp,
			u32 port, void (*fn)(void *arg), void *arg)
{
	struct kxen_xen_dom *xd = to_xd(d);
	unsigned long flags;
	int ret;

	bp->fn = fn;
	bp->arg = arg;
	bp->port = port;
	spin_lock_irqsave(&xd->lock, flags);
	ret = kxen_evtchn_bind_host(&xd->evtchn, port);
	if (!ret && (port == xd->cons_port || port == xd->xs_port))
		ret = -EBUSY;
	if (!ret) {
		ret = xa_insert(&xd->be_ports, port, bp, GFP_ATOMIC);
		if (ret)
			kxen_evtchn_unbind_host(&xd->evtchn, port);
	}
	spin_unlock_irqrestore(&xd->lock, flags);
	return ret;
}

/* After this returns, @bp's function is not running and will not run. */
void kxen_evtchn_be_unbind(struct kxen_domain *d, struct kxen_be_port *bp)
{
	struct kxen_xen_dom *xd = to_xd(d);
	unsigned long flags;

	spin_lock_irqsave(&xd->lock, flags);
	if (xa_load(&xd->be_ports, bp->port) == bp) {
		xa_erase(&xd->be_ports, bp->port);
		/* The guest may have closed and reused the port meanwhile. */
		kxen_evtchn_unbind_host(&xd->evtchn, bp->port);
	}
	spin_unlock_irqrestore(&xd->lock, flags);
}

/* The backend's send: the guest's port goes pending, if still ours. */
void kxen_evtchn_be_notify(struct kxen_domain *d, struct kxen_be_port *bp)
{
	struct kxen_xen_dom *xd = to_xd(d);
	unsigned long flags;

	spin_lock_irqsave(&xd->lock, flags);
	if (xa_load(&xd->be_ports, bp->port) == bp &&
	    kxen_evtchn_is_host_bound(&xd->evtchn, bp->port))
		kxen_evtchn_set_pending(&xd->evtchn, bp->port);
	spin_unlock_irqrestore(&xd->lock, flags);
}

/*
 * FIFO control blocks and event array pages: pinned while registered
 * (kxen_physmap_pinned) and looked up on each access anyway, under
 * xd->lock or an RCU read-side section (kmod/core/gmem.c); a GFN past
 * guest RAM, however large, is refused first.
 */
static void *kxen_glue_page(void *priv, u64 gfn)
{
	struct kxen_domain *d = ((struct kxen_xen_dom *)priv)->d;

	if (gfn >= d->mem.nr_pages)
		return NULL;
	return kxen_gpa_to_hva(d, gfn << PAGE_SHIFT);
}

const struct kxen_evtchn_ops kxen_evtchn_glue = {
	.shinfo = kxen_glue_shinfo,
	.vcpu_info = kxen_glue_vcpu_info,
	.kick = kxen_glue_kick,
	.upcall = kxen_glue_upcall,
	.send_remote = kxen_glue_send_remote,
	.page = kxen_glue_page,
};

static bool kxen_evtchn_dom_ok(struct kxen_domain *d, domid_t dom)
{
	return dom == DOMID_SELF || dom == d->domid;
}

union kxen_evtchn_arg {
	struct evtchn_alloc_unbound au;
	struct evtchn_bind_interdomain bi;
	struct evtchn_bind_virq bv;
	struct evtchn_bind_ipi ip;
	struct evtchn_close cl;
	struct evtchn_send se;
	struct evtchn_status st;
	struct evtchn_bind_vcpu bc;
	struct evtchn_unmask um;
	struct evtchn_reset re;
	struct evtchn_init_control ic;
	struct evtchn_expand_array ea;
	struct evtchn_set_priority sp;
};

/* Sub-ops with an argument struct: copy in, run under the lock, copy out. */
static long kxen_evtchn_op(struct kxen_hcall *hc, u32 cmd,
			   union kxen_evtchn_arg *a)
{
	struct kxen_domain *d = hc->v->dom;
	struct kxen_xen_dom *xd = to_xd(d);
	struct kxen_evtchn_table *t = &xd->evtchn;
	/* FIFO pages are registered under the physmap lock: they pin. */
	bool physmap = cmd == EVTCHNOP_init_control ||
		       cmd == EVTCHNOP_expand_array;
	unsigned long flags;
	long ret;

	if (physmap)
		spin_lock(&xd->gnttab.lock);
	spin_lock_irqsave(&xd->lock, flags);
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		ret = !kxen_evtchn_dom_ok(d, a->au.dom) ? -XEN_EPERM :
		      kxen_evtchn_alloc_unbound(t, a->au.remote_dom == DOMID_SELF ?
						d->domid : a->au.remote_dom);
		if (ret >= 0)
			a->au.port = ret;
		break;
	case EVTCHNOP_bind_interdomain:
		ret = !kxen_evtchn_dom_ok(d, a->bi.remote_dom) ? -XEN_EINVAL :
		      kxen_evtchn_bind_loopback(t, a->bi.remote_port);
		if (ret >= 0)
			a->bi.local_port = ret;
		break;
	case EVTCHNOP_bind_virq:
		ret = kxen_evtchn_bind_virq(t, a->bv.virq, a->bv.vcpu);
		if (ret >= 0)
			a->bv.port = ret;
		break;
	case EVTCHNOP_bind_ipi:
		ret = kxen_evtchn_bind_ipi(t, a->ip.vcpu);
		if (ret >= 0)
			a->ip.port = ret;
		break;
	case EVTCHNOP_close:
		ret = kxen_evtchn_close(t, a->cl.port);
		break;
	case EVTCHNOP_send:
		ret = kxen_evtchn_send(t, a->se.port);
		break;
	case EVTCHNOP_status:
		ret = !kxen_evtchn_dom_ok(d, a->st.dom) ? -XEN_ESRCH :
		      kxen_evtchn_status(t, a->st.port, &a->st);
		break;
	case EVTCHNOP_bind_vcpu:
		ret = kxen_evtchn_bind_vcpu(t, a->bc.port, a->bc.vcpu);
		break;
	case EVTCHNOP_unmask:
		ret = kxen_evtchn_unmask(t, a->um.port);
		break;
	case EVTCHNOP_reset:
		ret = !kxen_evtchn_dom_ok(d, a->re.dom) ? -XEN_ESRCH : 0;
		if (!ret)
			kxen_evtchn_reset(t);
		break;
	case EVTCHNOP_init_control:
		ret = kxen_evtchn_init_control(t, &a->ic);
		break;
	case EVTCHNOP_expand_array:
		ret = kxen_evtchn_expand_array(t, a->ea.array_gfn);
		break;
	case EVTCHNOP_set_priority:
		ret = kxen_evtchn_set_priority(t, a->sp.port, a->sp.priority);
		break;
	default:
		ret = -XEN_ENOSYS;
	}
	spin_unlock_irqrestore(&xd->lock, flags);
	if (physmap)
		spin_unlock(&xd->gnttab.lock);
	if (ret > 0)
		ret = 0;	/* ports are returned in the struct */
	return ret;
}

static size_t kxen_evtchn_arg_size(u32 cmd)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return sizeof(struct evtchn_alloc_unbound);
	case EVTCHNOP_bind_interdomain:
		return sizeof(struct evtchn_bind_interdomain);
	case EVTCHNOP_bind_virq:
		return sizeof(struct evtchn_bind_virq);
	case EVTCHNOP_bind_ipi:
		return sizeof(struct evtchn_bind_ipi);
	case EVTCHNOP_close:
		return sizeof(struct evtchn_close);
	case EVTCHNOP_send:
		return sizeof(struct evtchn_send);
	case EVTCHNOP_status:
		return sizeof(struct evtchn_status);
	case EVTCHNOP_bind_vcpu:
		return sizeof(struct evtchn_bind_vcpu);
	case EVTCHNOP_unmask:
		return sizeof(struct evtchn_unmask);
	case EVTCHNOP_reset:
		return sizeof(struct evtchn_reset);
	case EVTCHNOP_init_control:
		return sizeof(struct evtchn_init_control);
	case EVTCHNOP_expand_array:
		return sizeof(struct evtchn_expand_array);
	case EVTCHNOP_set_priority:
		return sizeof(struct evtchn_set_priority);
	default:
		return 0;
	}
}

/*
 * The sub-ops of event_channel.h up to set_priority, but bind_pirq (no
 * physical IRQs here); results are written back only on success, as Xen
 * does (init_control's link_bits included).
 */
long kxen_hc_event_channel_op(struct kxen_hcall *hc)
{
	u32 cmd = hc->args[0];
	size_t len = kxen_evtchn_arg_size(cmd);
	union kxen_evtchn_arg arg;
	long ret;

	if (!len)
		return -XEN_ENOSYS;
	if (kxen_gva_read(hc->v, hc->args[1], &arg, len))
		return -XEN_EFAULT;
	ret = kxen_evtchn_op(hc, cmd, &arg);
	if (!ret && kxen_gva_write(hc->v, hc->args[1], &arg, len))
		return -XEN_EFAULT;
	return ret;
}
