// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU runstate (vcpu.h: VCPUOP_get_runstate_info,
 * VCPUOP_register_runstate_memory_area): time in running, runnable,
 * blocked and offline.  Time the vCPU thread waited for a host CPU
 * (the scheduler's run_delay) counts as runnable: the guest's steal time.
 * Also vm_assist, whose one HVM assist is about the runstate area.
 */
#include <linux/types.h>
#include <linux/sched.h>
#include <xen/interface/xen.h>
#include <xen/interface/vcpu.h>

#include "hcall.h"
#include "errno.h"
#include "state.h"
#include "compat.h"

static u64 kxen_run_delay(struct kxen_vcpu *v)
{
#ifdef CONFIG_SCHED_INFO
	if (v->task)
		return READ_ONCE(v->task->sched_info.run_delay);
#endif
	return 0;
}

/* The state as of @now, time in the current state included. */
static void kxen_runstate_snapshot(struct kxen_xen_vcpu *xv, u64 now,
				   struct vcpu_runstate_info *out)
{
	*out = xv->rs;
	out->time[out->state] += now - out->state_entry_time;
}

/*
 * The top byte of state_entry_time, where XEN_RUNSTATE_UPDATE lives
 * (vcpu.h): the guest reads other vCPUs' areas and retries while it is set.
 */
static int kxen_runstate_flag(struct kxen_xen_vcpu *xv, bool compat,
			      bool set)
{
	u64 t = xv->rs.state_entry_time | (set ? XEN_RUNSTATE_UPDATE : 0);
	u8 top = t >> 56;
	size_t off = compat ?
		offsetof(struct kxen_compat_vcpu_runstate_info,
			 state_entry_time) :
		offsetof(struct vcpu_runstate_info, state_entry_time);

	return kxen_gva_write(xv->v, xv->rs_gva + off + 7, &top, 1);
}

/*
 * Guest linear address of its copy, written from the vCPU's own thread
 * in the layout of the domain's shared_info (Xen's has_32bit_shinfo).
 * With VMASST_TYPE_runstate_update_flag the copy is bracketed by the
 * update flag, as Xen's update_runstate_area() does.
 */
static void kxen_runstate_publish(struct kxen_xen_vcpu *xv)
{
	struct kxen_xen_dom *xd = to_xd(xv->v->dom);
	struct vcpu_runstate_info rs = xv->rs;
	bool flag = test_bit(VMASST_TYPE_runstate_update_flag, &xd->vm_assist);
	bool compat = kxen_xen_compat(xd);
	int err = 0;

	if (!xv->rs_gva)
		return;
	if (flag) {
		rs.state_entry_time |= XEN_RUNSTATE_UPDATE;
		err = kxen_runstate_flag(xv, compat, true);
		smp_wmb();	/* the flag before the data it covers */
	}
	err = err ?: kxen_runstate_write(xv->v, xv->rs_gva, compat, &rs);
	if (flag && !err) {
		smp_wmb();	/* the data before the flag is cleared */
		err = kxen_runstate_flag(xv, compat, false);
	}
	if (err)
		xv->rs_gva = 0;	/* unmapped by the guest: stop, as Xen does */
}

void kxen_runstate_set(struct kxen_vcpu *v, int state)
{
	struct kxen_xen_vcpu *xv = to_xv(v);
	u64 now = kxen_time_now(), delay, steal;

	if (xv->rs.state == state)
		return;
	kxen_runstate_snapshot(xv, now, &xv->rs);
	if (xv->rs.state == RUNSTATE_running) {
		/* Waiting for a host CPU was not running: move it. */
		delay = kxen_run_delay(v);
		steal = min(delay - xv->run_delay_seen,
			    xv->rs.time[RUNSTATE_running]);
		xv->rs.time[RUNSTATE_running] -= steal;
		xv->rs.time[RUNSTATE_runnable] += steal;
		xv->run_delay_seen = delay;
	}
	xv->rs.state = state;
	xv->rs.state_entry_time = now;
	kxen_runstate_publish(xv);
}

long kxen_vcpu_op_runstate(struct kxen_hcall *hc, u32 cmd, u32 vcpu)
{
	struct kxen_xen_vcpu *xv = &to_xd(hc->v->dom)->vcpus[vcpu];
	struct vcpu_register_runstate_memory_area area;
	struct vcpu_runstate_info rs;

	if (cmd == VCPUOP_get_runstate_info) {
		kxen_runstate_snapshot(xv, kxen_time_now(), &rs);
		return kxen_runstate_write(hc->v, hc->args[2], hc->compat,
					   &rs) ? -XEN_EFAULT : 0;
	}
	if (vcpu != hc->v->id)
		return -XEN_EINVAL;	/* a vCPU registers its own area */
	if (kxen_gva_read(hc->v, hc->args[2], &area, sizeof(area)))
		return -XEN_EFAULT;
	xv->rs_gva = kxen_hc_addr(hc, area.addr.p);
	kxen_runstate_snapshot(xv, kxen_time_now(), &rs);
	/* Xen writes the current state at once. */
	if (xv->rs_gva &&
	    kxen_runstate_write(hc->v, xv->rs_gva,
				kxen_xen_compat(to_xd(hc->v->dom)), &rs))
		xv->rs_gva = 0;
	return 0;
}

/*
 * vm_assist(cmd, type) (xen.h VMASST_*): of the assists, an HVM/PVH guest
 * may only have the runstate update flag (Xen's HVM_VM_ASSIST_MASK).
 * Both arguments are unsigned int in Xen's prototype.
 */
long kxen_hc_vm_assist(struct kxen_hcall *hc)
{
	struct kxen_xen_dom *xd = to_xd(hc->v->dom);
	u32 cmd = hc->args[0], type = hc->args[1];

	if (type != VMASST_TYPE_runstate_update_flag)
		return -XEN_EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		set_bit(type, &xd->vm_assist);
		return 0;
	case VMASST_CMD_disable:
		clear_bit(type, &xd->vm_assist);
		return 0;
	}
	return -XEN_ENOSYS;
}
