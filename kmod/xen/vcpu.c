// SPDX-License-Identifier: GPL-2.0
/*
 * __HYPERVISOR_vcpu_op (vcpu.h) for the calling domain's vCPUs: where
 * vcpu_info lives, bringing vCPUs up and down (vcpu_up.c), and their
 * timers (time.c).
 */
#include <linux/types.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <xen/interface/xen.h>
#include <xen/interface/vcpu.h>

#include "hcall.h"
#include "errno.h"
#include "state.h"

/* Move vcpu_info into a guest page (Xen's map_vcpu_info). */
static long kxen_register_vcpu_info(struct kxen_hcall *hc, u32 vcpu)
{
	struct kxen_domain *d = hc->v->dom;
	struct kxen_xen_dom *xd = to_xd(d);
	struct kxen_xen_vcpu *xv = &xd->vcpus[vcpu];
	struct vcpu_register_vcpu_info r;
	struct vcpu_info *old, *new;
	unsigned long flags;
	u64 gpa;

	if (kxen_gva_read(hc->v, hc->args[2], &r, sizeof(r)))
		return -XEN_EFAULT;
	gpa = (r.mfn << PAGE_SHIFT) + r.offset;
	if (r.offset > PAGE_SIZE - sizeof(struct vcpu_info))
		return -XEN_ENXIO;
	if (r.mfn >= d->mem.nr_pages)
		return -XEN_EINVAL;
	/* Under the physmap lock: the page must not go away meanwhile. */
	spin_lock(&xd->gnttab.lock);
	if (xv->vcpu_info_gpa != KXEN_NO_GPA || !kxen_gpa_to_hva(d, gpa)) {
		spin_unlock(&xd->gnttab.lock);
		return -XEN_EINVAL;	/* once only, as on Xen */
	}
	spin_lock_irqsave(&xd->lock, flags);
	old = kxen_xen_vcpu_info(xd, vcpu);
	xv->vcpu_info_gpa = gpa;
	new = kxen_xen_vcpu_info(xd, vcpu);
	if (old)
		memcpy(new, old, sizeof(*new));
	else
		memset(new, 0, sizeof(*new));
	xv->time_cpu = -1;	/* rewrite the time info there */
	kxen_evtchn_vcpu_info_moved(&xd->evtchn, vcpu);
	spin_unlock_irqrestore(&xd->lock, flags);
	spin_unlock(&xd->gnttab.lock);
	return 0;
}

long kxen_hc_vcpu_op(struct kxen_hcall *hc)
{
	struct kxen_domain *d = hc->v->dom;
	u32 cmd = hc->args[0], vcpu = hc->args[1];

	if (vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	vcpu = array_index_nospec(vcpu, d->nr_vcpus);
	switch (cmd) {
	case VCPUOP_is_up:
	case VCPUOP_up:
	case VCPUOP_down:
	case VCPUOP_initialise:
		return kxen_vcpu_op_updown(hc, cmd, vcpu);
	case VCPUOP_register_vcpu_info:
		return kxen_register_vcpu_info(hc, vcpu);
	case VCPUOP_get_runstate_info:
	case VCPUOP_register_runstate_memory_area:
		return kxen_vcpu_op_runstate(hc, cmd, vcpu);
	case VCPUOP_register_vcpu_time_memory_area:
		return kxen_vcpu_op_time_area(hc, vcpu);
	case VCPUOP_set_singleshot_timer:
	case VCPUOP_stop_singleshot_timer:
	case VCPUOP_set_periodic_timer:
	case VCPUOP_stop_periodic_timer:
		/* Timers are set by a vCPU on itself (Xen: -EINVAL else). */
		if (vcpu != hc->v->id)
			return -XEN_EINVAL;
		return kxen_vcpu_op_timer(hc, cmd);
	default:
		return -XEN_ENOSYS;
	}
}
