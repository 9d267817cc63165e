// SPDX-License-Identifier: GPL-2.0
/*
 * __HYPERVISOR_sched_op (xen/include/public/sched.h): yield, block and the
 * shutdown family.  The shutdown reason is recorded on the domain, where
 * the control plane reports it.
 */
#include <linux/types.h>
#include <linux/rcupdate.h>
#include <xen/interface/sched.h>

#include <linux/ktime.h>

#include "hcall.h"
#include "state.h"
#include "errno.h"

static long kxen_sched_shutdown(struct kxen_hcall *hc, bool code_only)
{
	struct kxen_domain *d = hc->v->dom;
	struct sched_shutdown arg;

	if (kxen_gva_read(hc->v, hc->args[1], &arg, sizeof(arg)))
		return -EFAULT;
	if (arg.reason > SHUTDOWN_MAX)
		return -EINVAL;
	if (code_only) {
		/* The first code recorded is the one reported (as Xen). */
		if (d->xen.shutdown_code < 0)
			d->xen.shutdown_code = arg.reason;
		return 0;
	}
	kxen_domain_shutdown(d, d->xen.shutdown_code >= 0 ?
			     d->xen.shutdown_code : arg.reason);
	return 0;
}

/* Block until one of the ports is pending or the timeout passes. */
static long kxen_sched_poll(struct kxen_hcall *hc)
{
	struct kxen_xen_dom *xd = to_xd(hc->v->dom);
	struct kxen_xen_vcpu *xv = to_xv(hc->v);
	struct sched_poll p;
	bool pending = false;
	u32 i;

	if (kxen_hc_read_poll(hc, &p))
		return -XEN_EFAULT;
	if (p.nr_ports > KXEN_POLL_MAX)
		return -XEN_EINVAL;
	if (kxen_gva_read(hc->v, (unsigned long)p.ports, xv->poll_ports,
			  p.nr_ports * sizeof(u32)))
		return -XEN_EFAULT;
	/* Without xd->lock: shared_info and event words under RCU. */
	rcu_read_lock();
	for (i = 0; i < p.nr_ports && !pending; i++) {
		if (xv->poll_ports[i] >= kxen_evtchn_nr_ports(&xd->evtchn))
			break;
		pending = kxen_evtchn_is_pending(&xd->evtchn,
						 xv->poll_ports[i]);
	}
	rcu_read_unlock();
	if (pending)
		return 0;
	if (i < p.nr_ports)
		return -XEN_EINVAL;
	if (p.timeout && p.timeout <= kxen_time_now())
		return 0;
	xv->nr_poll = p.nr_ports;
	xv->poll_expired = false;
	if (p.timeout)
		hrtimer_start(&xv->poll_timer, ns_to_ktime(p.timeout),
			      HRTIMER_MODE_ABS);
	kxen_xen_vcpu_block(hc->v, KXEN_BLOCK_POLL);
	hc->leave = true;
	return 0;
}

long kxen_hc_sched_op(struct kxen_hcall *hc)
{
	switch (hc->args[0]) {
	case SCHEDOP_yield:
		/*
		 * Let another runnable thread have the CPU, a backend's among
		 * them (be_worker.h: its wake-up does not preempt us), as
		 * Xen lets another vCPU run: GRUB's PV disk driver yields in
		 * a loop until its request is answered.
		 */
		hc->v->yield = true;
		return 0;
	case SCHEDOP_block:
		kxen_xen_vcpu_block(hc->v, KXEN_BLOCK_SCHED);
		hc->leave = true;
		return 0;
	case SCHEDOP_poll:
		return kxen_sched_poll(hc);
	case SCHEDOP_shutdown:
		return kxen_sched_shutdown(hc, false);
	case SCHEDOP_shutdown_code:
		return kxen_sched_shutdown(hc, true);
	case SCHEDOP_remote_shutdown:
	case SCHEDOP_pin_override:
		return -XEN_EPERM;	/* privileged domains only */
	default:
		return -XEN_ENOSYS;
	}
}
