// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen layer's per-domain and per-vCPU state: created with the domain,
 * freed with it; and what the vendor run loop asks before each entry
 * (the upcall vector to inject, whether a blocked vCPU should wake).
 */
#include <linux/types.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/rcupdate.h>
#include <xen/interface/hvm/params.h>

#include "state.h"
#include "../backends/xenstore.h"
#include "../xenstore/xenstore.h"

/* Per-vCPU state, timers included: before anything can fail after it. */
static void kxen_xen_vcpus_init(struct kxen_xen_dom *xd)
{
	struct kxen_domain *d = xd->d;
	unsigned int i;

	for (i = 0; i < d->nr_vcpus; i++) {
		xd->vcpus[i].v = d->vcpus[i];
		xd->vcpus[i].vcpu_info_gpa = KXEN_NO_GPA;
		xd->vcpus[i].rs.state = RUNSTATE_offline;
		xd->vcpus[i].rs.state_entry_time = kxen_time_now();
		kxen_time_vcpu_init(&xd->vcpus[i]);
	}
}

/* The uapi's bounds are the tables' (uapi/linux/kxen.h). */
static_assert(KXEN_MAX_GRANT_FRAMES == KXEN_GNTTAB_MAX_FRAMES);
static_assert(KXEN_MAX_EVTCHN_PORT + 1 == EVTCHN_FIFO_NR_CHANNELS);

/*
 * Allocations that may fail come first, each undone in reverse order on
 * failure; d->xen.priv is set only once nothing can fail any more, so
 * kxen_xen_domain_free() sees either nothing or all of it.
 */
int kxen_xen_domain_init(struct kxen_domain *d)
{
	struct kxen_xen_dom *xd;
	unsigned int i;

	d->xen.hypercall_msr = 0;
	d->xen.shutdown_code = -1;
	for (i = 0; i <= KXEN_HCALL_COUNTED; i++)
		atomic64_set(&d->xen.hcall_unknown[i], 0);
	atomic64_set(&d->xen.hcall_continued, 0);

	xd = kxen_fault_inject() ? NULL : kzalloc(sizeof(*xd), GFP_KERNEL);
	if (!xd)
		return -ENOMEM;
	xd->d = d;
	spin_lock_init(&xd->lock);
	xa_init(&xd->be_ports);
	xd->vcpus = kxen_fault_inject() ? NULL :
		    kcalloc(d->nr_vcpus, sizeof(*xd->vcpus), GFP_KERNEL);
	if (!xd->vcpus)
		goto err_xd;
	kxen_xen_vcpus_init(xd);
	xd->ports = kxen_fault_inject() ? NULL :
		    vzalloc(KXEN_EVTCHN_2L_PORTS * sizeof(*xd->ports));
	if (!xd->ports)
		goto err_vcpus;
	xd->virq_port = kxen_fault_inject() ? NULL :
			kcalloc(d->nr_vcpus * NR_VIRQS, sizeof(u32),
				GFP_KERNEL);
	if (!xd->virq_port)
		goto err_ports;
	xd->fifo_vcpus = kxen_fault_inject() ? NULL :
			 kcalloc(d->nr_vcpus, sizeof(*xd->fifo_vcpus),
				 GFP_KERNEL);
	if (!xd->fifo_vcpus)
		goto err_virq_port;
	xd->shinfo_own = kxen_fault_inject() ? NULL :
			 (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!xd->shinfo_own)
		goto err_fifo_vcpus;
	kxen_stats_pages(1);
	if (kxen_gnttab_init(&xd->gnttab, d->max_grant_frames))
		goto err_gnttab;
	xd->shinfo = xd->shinfo_own;
	xd->shinfo_gfn = KXEN_NO_GPA;
	d->xen.priv = xd;
	kxen_stats_objects(1);
	kxen_evtchn_table_init(&xd->evtchn, xd->ports, xd->virq_port,
			       d->nr_vcpus, d->domid, &kxen_evtchn_glue, xd);
	xd->evtchn.max_port = d->max_evtchn_port;
	kxen_evtchn_fifo_attach(&xd->evtchn, xd->fifo_vcpus);
	kxen_time_wallclock(xd);
	return 0;

err_gnttab:
	kxen_gnttab_free(&xd->gnttab);	/* the frames it did get */
	free_page((unsigned long)xd->shinfo_own);
	kxen_stats_pages(-1);
err_fifo_vcpus:
	kfree(xd->fifo_vcpus);
err_virq_port:
	kfree(xd->virq_port);
err_ports:
	vfree(xd->ports);
err_vcpus:
	kfree(xd->vcpus);	/* its timers were never started */
err_xd:
	kfree(xd);
	return -ENOMEM;
}

void kxen_xen_domain_published(struct kxen_domain *d)
{
	to_xd(d)->evtchn.domid = d->domid;
	kxen_xs_domain_introduce(d);
}

/* After the vCPU threads have stopped. */
void kxen_xen_domain_free(struct kxen_domain *d)
{
	struct kxen_xen_dom *xd = to_xd(d);
	unsigned int i;

	if (!xd)
		return;
	kxen_xsring_free(xd);
	for (i = 0; i < d->nr_vcpus; i++)
		kxen_time_vcpu_stop(&xd->vcpus[i]);
	kxen_gnttab_free(&xd->gnttab);
	/* Backends unbind before they drop their domain reference. */
	WARN_ON_ONCE(!xa_empty(&xd->be_ports));
	xa_destroy(&xd->be_ports);
	free_page((unsigned long)xd->shinfo_own);
	kxen_stats_pages(-1);
	kxen_xen_free_memmap(xd);
	kfree(xd->vcpus);
	kfree(xd->fifo_vcpus);
	kfree(xd->virq_port);
	vfree(xd->ports);
	kfree(xd);
	d->xen.priv = NULL;
	kxen_stats_objects(-1);
}

/*
 * The domain-wide callback vector, a level while vcpu_info's
 * evtchn_upcall_pending is set.  Both event channel ABIs raise that: the
 * FIFO one when a READY bit of the control block goes up (Xen's
 * vcpu_mark_events_pending), so it is the one thing to look at here.  A
 * vCPU with an upcall vector of its own gets it through its local APIC
 * instead (kxen_glue_upcall).
 */
int kxen_xen_pending_vector(struct kxen_vcpu *v)
{
	struct kxen_xen_dom *xd = to_xd(v->dom);
	struct kxen_xen_vcpu *xv = &xd->vcpus[v->id];
	struct vcpu_info *vi = kxen_xen_vcpu_info(xd, v->id);
	u64 cb = READ_ONCE(xd->params[HVM_PARAM_CALLBACK_IRQ]);

	if (!vi || !READ_ONCE(vi->evtchn_upcall_pending))
		return -1;
	if (READ_ONCE(xv->upcall_vector))
		return -1;
	if ((cb >> 56) == HVM_PARAM_CALLBACK_TYPE_VECTOR && (cb & 0xff) >= 0x10)
		return cb & 0xff;
	return -1;
}

static bool kxen_polled_port_pending(struct kxen_xen_dom *xd,
				     struct kxen_xen_vcpu *xv)
{
	u32 i;

	for (i = 0; i < xv->nr_poll; i++)
		if (kxen_evtchn_is_pending(&xd->evtchn, xv->poll_ports[i]))
			return true;
	return false;
}

static bool kxen_xen_vcpu_wake_rcu(struct kxen_vcpu *v)
{
	struct kxen_xen_dom *xd = to_xd(v->dom);
	struct kxen_xen_vcpu *xv = &xd->vcpus[v->id];
	struct vcpu_info *vi;

	switch (xv->block) {
	case KXEN_BLOCK_HLT:
		/* Only an interrupt it can take ends HLT. */
		return (v->st.rflags & X86_EFLAGS_IF) &&
		       (kxen_xen_pending_vector(v) >= 0 ||
			kxen_lapic_pending(v) >= 0);
	case KXEN_BLOCK_SCHED:
		vi = kxen_xen_vcpu_info(xd, v->id);
		return vi && READ_ONCE(vi->evtchn_upcall_pending);
	case KXEN_BLOCK_POLL:
		return READ_ONCE(xv->poll_expired) ||
		       kxen_polled_port_pending(xd, xv);
	default:
		return true;
	}
}

/*
 * May a vCPU that left to block run again? (Xen's wake conditions.)
 * Asked without xd->lock, from the sleeping thread: shared_info and the
 * event words are read inside an RCU read-side section, since another
 * vCPU may move shared_info and give its old frame back meanwhile.
 */
bool kxen_xen_vcpu_wake(struct kxen_vcpu *v)
{
	bool wake;

	rcu_read_lock();
	wake = kxen_xen_vcpu_wake_rcu(v);
	rcu_read_unlock();
	return wake;
}

/*
 * Xen's hvm_hlt() takes a vCPU that halts with interrupts off down
 * (_VPF_down, xen/arch/x86/hvm/hvm.c): nothing but INIT wakes it, and
 * it is how an OS parks a CPU it has taken offline (Linux's
 * hlt_play_dead()).  Asked for reports only, without a lock: the flags
 * are the ones the exit saved, read while the thread sleeps.
 */
bool kxen_xen_vcpu_parked(struct kxen_vcpu *v)
{
	return READ_ONCE(v->blocked) &&
	       READ_ONCE(to_xv(v)->block) == KXEN_BLOCK_HLT &&
	       !(READ_ONCE(v->st.rflags) & X86_EFLAGS_IF);
}

void kxen_xen_vcpu_block(struct kxen_vcpu *v, enum kxen_block why)
{
	to_xv(v)->block = why;
	kxen_runstate_set(v, RUNSTATE_blocked);
}

void kxen_xen_vcpu_unblock(struct kxen_vcpu *v)
{
	struct kxen_xen_vcpu *xv = to_xv(v);

	if (xv->block == KXEN_BLOCK_POLL)
		hrtimer_cancel(&xv->poll_timer);
	xv->block = KXEN_BLOCK_NONE;
	xv->nr_poll = 0;
	kxen_runstate_set(v, RUNSTATE_runnable);
}

/* Before each entry, IRQs off: keep the guest's clock current. */
void kxen_xen_vcpu_enter(struct kxen_vcpu *v)
{
	kxen_time_update(v);
}

/*
 * A vCPU's thread starts, once: vCPU 0's when the domain first runs,
 * while its RAM still holds only what the toolstack wrote.
 */
void kxen_xen_vcpu_started(struct kxen_vcpu *v)
{
	if (!v->id)
		kxen_xen_take_memmap(v);
}

/*
 * A per-vCPU upcall vector raised again while the upcall is pending: when
 * the guest names the vector (HVMOP_set_evtchn_upcall_vector, as Xen's
 * hvm_assert_evtchn_irq there), and after an INIT cleared the local
 * APIC's IRR.  Linux 6.1 registers a CPU's vector while it prepares to
 * bring it up, before the INIT and start-up IPIs; with the upcall still
 * pending nothing would raise it again (it is an edge, on
 * evtchn_upcall_pending going up), and the CPU would never see an event.
 */
void kxen_xen_upcall_reassert(struct kxen_vcpu *v)
{
	struct kxen_xen_dom *xd = to_xd(v->dom);
	u8 vec = READ_ONCE(xd->vcpus[v->id].upcall_vector);
	struct vcpu_info *vi = kxen_xen_vcpu_info(xd, v->id);

	if (vec && vi && READ_ONCE(vi->evtchn_upcall_pending))
		kxen_lapic_raise(v, vec);
}

/* The vCPU thread is about to run guest code (preemption on). */
void kxen_xen_vcpu_running(struct kxen_vcpu *v)
{
	kxen_runstate_set(v, RUNSTATE_running);
}
