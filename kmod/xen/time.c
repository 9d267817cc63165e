// SPDX-License-Identifier: GPL-2.0
/*
 * Time for guests: Xen system time is the host's boot-time clock in ns
 * (monotonic, and counting the time the host spent suspended, as KVM's
 * kvmclock: a guest frozen across a host suspend wakes with its wall
 * clock still the host's); the guest reads it through pvclock
 * (vcpu_time_info, asm/pvclock-abi.h) scaled from the TSC, and the wall
 * clock from shared_info.  Timers (VCPUOP_set_singleshot_timer,
 * set_timer_op, periodic) are hrtimers that raise VIRQ_TIMER; the
 * absolute ones run on the same clock.
 */
#include <linux/types.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/rcupdate.h>
#include <linux/timekeeping.h>
#include <asm/tsc.h>
#include <asm/pvclock-abi.h>
#include <xen/interface/xen.h>
#include <xen/interface/vcpu.h>

#include "hcall.h"
#include "errno.h"
#include "state.h"

/* Refresh the pvclock parameters at least this often. */
#define KXEN_TIME_REFRESH_NS	NSEC_PER_SEC

u64 kxen_time_now(void)
{
	return ktime_get_boottime_ns();
}

/*
 * pvclock scaling (asm/pvclock.h): ns = ((tsc << shift) * mul) >> 32, a
 * negative shift shifting right.  Bring the TSC rate into (ns/s, 2 ns/s]
 * by halving or doubling, then mul is the 32.32 fraction ns/s / rate.
 */
static void kxen_time_scale(u64 tsc_hz, u32 *mul, s8 *shift)
{
	u64 ns = NSEC_PER_SEC, rate = tsc_hz;
	s8 s = 0;

	while (rate > ns * 2 || rate >> 32) {
		rate >>= 1;
		s--;
	}
	while (rate <= ns || ns >> 32) {
		if (ns >> 32 || rate & BIT(31))
			ns >>= 1;
		else
			rate <<= 1;
		s++;
	}
	*shift = s;
	*mul = div64_u64(ns << 32, rate);
}

/*
 * The copy a guest registered with VCPUOP_register_vcpu_time_memory_area
 * (for its vDSO), written from the vCPU's own thread with the same
 * version protocol: an odd version first, then the values, then even.
 */
static void kxen_time_publish(struct kxen_vcpu *v,
			      const struct pvclock_vcpu_time_info *t)
{
	struct kxen_xen_vcpu *xv = to_xv(v);
	struct pvclock_vcpu_time_info c = *t;
	u32 odd = t->version | 1;

	c.version = odd;
	if (kxen_gva_write(v, xv->time_gva, &odd, sizeof(odd)))
		goto fail;
	smp_wmb();	/* odd version visible before the new values */
	if (kxen_gva_write(v, xv->time_gva, &c, sizeof(c)))
		goto fail;
	smp_wmb();	/* new values visible before the even version */
	c.version = odd + 1;
	if (kxen_gva_write(v, xv->time_gva, &c.version, sizeof(c.version)))
		goto fail;
	return;
fail:
	xv->time_gva = 0;	/* unmapped by the guest: stop, as Xen does */
}

/* Write vcpu_info->time with Xen's version protocol (odd = updating). */
void kxen_time_update(struct kxen_vcpu *v)
{
	struct kxen_xen_vcpu *xv = to_xv(v);
	struct vcpu_info *vi = kxen_xen_vcpu_info(to_xd(v->dom), v->id);
	struct pvclock_vcpu_time_info *t;
	u64 now = kxen_time_now();
	int cpu = smp_processor_id();
	u32 mul;
	s8 shift;

	if (!vi)
		return;
	t = (struct pvclock_vcpu_time_info *)&vi->time;
	/*
	 * After a host resume, at once: on hardware whose TSC stops in S3
	 * the old pair would give the guest a time far in the past or
	 * future.
	 */
	if (cpu == xv->time_cpu &&
	    now - xv->time_stamp_ns < KXEN_TIME_REFRESH_NS &&
	    xv->time_gen == READ_ONCE(kxen_resume_gen))
		return;
	kxen_time_scale((u64)tsc_khz * 1000, &mul, &shift);
	WRITE_ONCE(t->version, t->version + 1);
	smp_wmb();	/* odd version visible before the new values */
	t->tsc_timestamp = rdtsc();
	t->system_time = kxen_time_now();
	t->tsc_to_system_mul = mul;
	t->tsc_shift = shift;
	t->flags = PVCLOCK_TSC_STABLE_BIT;
	smp_wmb();	/* new values visible before the even version */
	WRITE_ONCE(t->version, t->version + 1);
	xv->time_stamp_ns = now;
	xv->time_cpu = cpu;
	xv->time_gen = READ_ONCE(kxen_resume_gen);
	if (xv->time_gva)
		kxen_time_publish(v, t);
}

/*
 * VCPUOP_register_vcpu_time_memory_area: a second copy of vcpu_time_info
 * in guest memory (0 stops it).  As Xen, the address is not checked here;
 * a copy that cannot be written is dropped.  The target's next entry
 * writes it.
 */
long kxen_vcpu_op_time_area(struct kxen_hcall *hc, u32 vcpu)
{
	struct kxen_xen_vcpu *xv = &to_xd(hc->v->dom)->vcpus[vcpu];
	struct vcpu_register_time_memory_area area;

	if (kxen_gva_read(hc->v, hc->args[2], &area, sizeof(area)))
		return -XEN_EFAULT;
	WRITE_ONCE(xv->time_gva, kxen_hc_addr(hc, area.addr.p));
	WRITE_ONCE(xv->time_cpu, -1);	/* write it at the next entry */
	if (vcpu != hc->v->id)
		kxen_vcpu_kick(xv->v);
	return 0;
}

/*
 * shared_info wall clock: the real time at system time 0.  wc_version,
 * wc_sec and wc_nsec are consecutive words in both layouts; the high
 * word of the seconds is elsewhere in a 32-bit guest's (compat.h).
 */
void kxen_time_wallclock(struct kxen_xen_dom *xd)
{
	u64 boot = ktime_get_real_ns() - kxen_time_now();
	bool compat = kxen_xen_compat(xd);
	struct shared_info *s;
	u32 rem, *wc, *hi;
	u64 sec = div_u64_rem(boot, NSEC_PER_SEC, &rem);

	BUILD_BUG_ON(offsetof(struct pvclock_wall_clock, sec) != 4 ||
		     offsetof(struct pvclock_wall_clock, nsec) != 8);
	/* Another vCPU may move shared_info and give the old frame back. */
	rcu_read_lock();
	s = READ_ONCE(xd->shinfo);
	if (!s) {
		rcu_read_unlock();
		return;
	}
	wc = compat ? (u32 *)((u8 *)s + KXEN_COMPAT_SHINFO_WC) : &s->wc.version;
	hi = compat ? (u32 *)((u8 *)s + KXEN_COMPAT_SHINFO_WC_SEC_HI) :
		      &s->wc_sec_hi;
	WRITE_ONCE(wc[0], wc[0] + 1);
	smp_wmb();	/* odd version visible before the new values */
	wc[1] = (u32)sec;
	*hi = sec >> 32;
	wc[2] = rem;
	smp_wmb();	/* new values visible before the even version */
	WRITE_ONCE(wc[0], wc[0] + 1);
	rcu_read_unlock();
}

static void kxen_time_fire(struct kxen_xen_vcpu *xv)
{
	struct kxen_xen_dom *xd = to_xd(xv->v->dom);
	unsigned long flags;

	spin_lock_irqsave(&xd->lock, flags);
	kxen_evtchn_raise_virq(&xd->evtchn, VIRQ_TIMER, xv->v->id);
	spin_unlock_irqrestore(&xd->lock, flags);
}

static enum hrtimer_restart kxen_singleshot_fn(struct hrtimer *t)
{
	kxen_time_fire(container_of(t, struct kxen_xen_vcpu, singleshot));
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart kxen_periodic_fn(struct hrtimer *t)
{
	struct kxen_xen_vcpu *xv = container_of(t, struct kxen_xen_vcpu,
						periodic);

	kxen_time_fire(xv);
	hrtimer_forward_now(t, ns_to_ktime(xv->period_ns));
	return HRTIMER_RESTART;
}

static enum hrtimer_restart kxen_poll_fn(struct hrtimer *t)
{
	struct kxen_xen_vcpu *xv = container_of(t, struct kxen_xen_vcpu,
						poll_timer);

	WRITE_ONCE(xv->poll_expired, true);
	kxen_vcpu_kick(xv->v);
	return HRTIMER_NORESTART;
}

void kxen_time_vcpu_init(struct kxen_xen_vcpu *xv)
{
	hrtimer_init(&xv->singleshot, CLOCK_BOOTTIME, HRTIMER_MODE_ABS);
	xv->singleshot.function = kxen_singleshot_fn;
	hrtimer_init(&xv->periodic, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	xv->periodic.function = kxen_periodic_fn;
	hrtimer_init(&xv->poll_timer, CLOCK_BOOTTIME, HRTIMER_MODE_ABS);
	xv->poll_timer.function = kxen_poll_fn;
	xv->time_cpu = -1;
}

void kxen_time_vcpu_stop(struct kxen_xen_vcpu *xv)
{
	hrtimer_cancel(&xv->singleshot);
	hrtimer_cancel(&xv->periodic);
	hrtimer_cancel(&xv->poll_timer);
}

static long kxen_set_singleshot(struct kxen_xen_vcpu *xv, u64 abs_ns,
				u32 flags)
{
	if ((flags & VCPU_SSHOTTMR_future) && abs_ns < kxen_time_now())
		return -XEN_ETIME;
	hrtimer_start(&xv->singleshot, ns_to_ktime(abs_ns), HRTIMER_MODE_ABS);
	return 0;
}

/*
 * __HYPERVISOR_set_timer_op: one absolute timeout, 0 cancels.  A 32-bit
 * caller passes it in two arguments, low word first (Xen's
 * compat_set_timer_op).
 */
long kxen_hc_set_timer_op(struct kxen_hcall *hc)
{
	struct kxen_xen_vcpu *xv = to_xv(hc->v);
	u64 timeout = hc->args[0];

	if (hc->compat)
		timeout = (u32)hc->args[0] | ((u64)hc->args[1] << 32);
	if (!timeout) {
		hrtimer_cancel(&xv->singleshot);
		return 0;
	}
	return kxen_set_singleshot(xv, timeout, 0);
}

long kxen_vcpu_op_timer(struct kxen_hcall *hc, u32 cmd)
{
	struct kxen_xen_vcpu *xv = to_xv(hc->v);
	struct vcpu_set_singleshot_timer ss;
	struct vcpu_set_periodic_timer pt;

	switch (cmd) {
	case VCPUOP_set_singleshot_timer:
		if (kxen_hc_read_singleshot(hc, &ss))
			return -XEN_EFAULT;
		return kxen_set_singleshot(xv, ss.timeout_abs_ns, ss.flags);
	case VCPUOP_stop_singleshot_timer:
		hrtimer_cancel(&xv->singleshot);
		return 0;
	case VCPUOP_set_periodic_timer:
		if (kxen_gva_read(hc->v, hc->args[2], &pt, sizeof(pt)))
			return -XEN_EFAULT;
		/* Xen refuses periods under 1 ms. */
		if (pt.period_ns < NSEC_PER_MSEC)
			return -XEN_EINVAL;
		xv->period_ns = pt.period_ns;
		hrtimer_start(&xv->periodic, ns_to_ktime(pt.period_ns),
			      HRTIMER_MODE_REL);
		return 0;
	case VCPUOP_stop_periodic_timer:
		hrtimer_cancel(&xv->periodic);
		return 0;
	}
	return -XEN_ENOSYS;
}
