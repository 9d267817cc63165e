// SPDX-License-Identifier: GPL-2.0
/*
 * __HYPERVISOR_sched_op (xen/include/public/sched.h): yield, block and the
 * shutdown family.  The shutdown reason is recorded on the domain, where
 * the control plane reports it.
 */
#include <linux/types.h>
#include <xen/interface/sched.h>

#include "hcall.h"
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

long kxen_hc_sched_op(struct kxen_hcall *hc)
{
	switch (hc->args[0]) {
	case SCHEDOP_yield:
		return 0;	/* the run loop reschedules between entries */
	case SCHEDOP_block:
		hc->leave = true;
		return 0;
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
