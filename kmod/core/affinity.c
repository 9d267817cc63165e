// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU's hard and soft affinity (XEN_DOMCTL_setvcpuaffinity, Xen's
 * public domctl.h: XEN_VCPUAFFINITY_HARD and _SOFT).
 *
 * The hard affinity is the CPU set of the vCPU's thread.  The soft one is
 * a preference: Xen's schedulers run a vCPU on a CPU of soft & hard when
 * one can take it, and elsewhere in hard when none can (credit's "soft
 * affinity balance step", credit2's runqueue choice).  Linux's scheduler
 * has no such notion, so the thread steers itself, in two modes:
 *
 * - narrow: its CPU set is soft & hard, so the host scheduler keeps it
 *   on the preferred CPUs;
 * - wide: its CPU set is hard, entered when the thread waited on a
 *   runqueue for KXEN_SOFT_WAIT_NS within one KXEN_SOFT_WINDOW_NS of
 *   narrow mode (schedstats' run_delay: the preferred CPUs are busy).
 *   It moves to the other CPUs of hard on the way, as Xen would put it
 *   there: left to itself, Linux's balancer pulls it off a shared CPU
 *   only when the idle one next balances.
 *   It tries narrow again after KXEN_SOFT_BACKOFF_NS, a back-off that
 *   doubles with each try that fails, up to KXEN_SOFT_BACKOFF_MAX_NS,
 *   and starts over once it stayed narrow, without such a wait, for as
 *   long as its last back-off (a busy CPU often gives a newcomer its
 *   first slice at once: one clean window proves little).
 *
 * A soft set that holds no online CPU of the hard one, or all of them,
 * is no preference, as Xen ignores an empty effective soft affinity.
 */
#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/sched.h>

#include "kxen.h"

#define KXEN_SOFT_WINDOW_NS	(10 * NSEC_PER_MSEC)
#define KXEN_SOFT_WAIT_NS	(2 * NSEC_PER_MSEC)
#define KXEN_SOFT_BACKOFF_NS	(50 * NSEC_PER_MSEC)
#define KXEN_SOFT_BACKOFF_MAX_NS (1600 * NSEC_PER_MSEC)

int kxen_vcpu_affinity_alloc(struct kxen_vcpu *v)
{
	if (kxen_fault_inject() || !alloc_cpumask_var(&v->affinity, GFP_KERNEL))
		return -ENOMEM;
	if (kxen_fault_inject() ||
	    !alloc_cpumask_var(&v->soft_affinity, GFP_KERNEL))
		goto err_hard;
	if (kxen_fault_inject() || !alloc_cpumask_var(&v->soft_eff, GFP_KERNEL))
		goto err_soft;
	if (kxen_fault_inject() ||
	    !alloc_cpumask_var(&v->soft_rest, GFP_KERNEL))
		goto err_eff;
	cpumask_setall(v->affinity);
	cpumask_setall(v->soft_affinity);
	mutex_init(&v->aff_lock);
	v->soft_mode = KXEN_SOFT_OFF;
	return 0;

err_eff:
	free_cpumask_var(v->soft_eff);
err_soft:
	free_cpumask_var(v->soft_affinity);
err_hard:
	free_cpumask_var(v->affinity);
	return -ENOMEM;
}

void kxen_vcpu_affinity_free(struct kxen_vcpu *v)
{
	free_cpumask_var(v->soft_rest);
	free_cpumask_var(v->soft_eff);
	free_cpumask_var(v->soft_affinity);
	free_cpumask_var(v->affinity);
}

/* The time @t has waited on a runqueue for a CPU (schedstats). */
static u64 kxen_run_delay(struct task_struct *t)
{
	return READ_ONCE(t->sched_info.run_delay);
}

/* A new narrow window: the wait counted from now. */
static void kxen_soft_window(struct kxen_vcpu *v, struct task_struct *t)
{
	v->soft_since_ns = ktime_get_ns();
	v->soft_delay_ns = kxen_run_delay(t);
}

/*
 * Under aff_lock: the CPU set @t (the vCPU's thread) gets in @mode.  A
 * narrow set the host refuses (a cpuset without those CPUs) turns the
 * preference off rather than fail: the hard set is what the host must
 * honour.
 */
static void kxen_soft_apply(struct kxen_vcpu *v, struct task_struct *t,
			    u8 mode)
{
	if (mode == KXEN_SOFT_NARROW && set_cpus_allowed_ptr(t, v->soft_eff))
		mode = KXEN_SOFT_OFF;
	if (mode == KXEN_SOFT_NARROW)
		v->soft_narrow_ns = ktime_get_ns();
	if (mode == KXEN_SOFT_WIDE)
		set_cpus_allowed_ptr(t, v->soft_rest);
	if (mode != KXEN_SOFT_NARROW)
		set_cpus_allowed_ptr(t, v->affinity);
	WRITE_ONCE(v->soft_mode, mode);
	kxen_soft_window(v, t);
}

/*
 * Under aff_lock: soft & hard & online, the rest of hard & online, and
 * whether there is a preference: some of each.
 */
static bool kxen_soft_effective(struct kxen_vcpu *v)
{
	cpumask_and(v->soft_eff, v->soft_affinity, v->affinity);
	cpumask_and(v->soft_eff, v->soft_eff, cpu_online_mask);
	cpumask_andnot(v->soft_rest, v->affinity, v->soft_affinity);
	cpumask_and(v->soft_rest, v->soft_rest, cpu_online_mask);
	return !cpumask_empty(v->soft_eff) && !cpumask_empty(v->soft_rest);
}

/*
 * Under aff_lock: put the thread, if any, in the mode the sets ask for.
 * Its set changes only to narrow it, or to widen one kxen narrowed;
 * @hard_set: the caller just gave it the hard set.
 */
static void kxen_soft_reset(struct kxen_vcpu *v, bool hard_set)
{
	u8 mode = kxen_soft_effective(v) ? KXEN_SOFT_NARROW : KXEN_SOFT_OFF;

	v->soft_backoff_ns = KXEN_SOFT_BACKOFF_NS;
	if (v->task && (mode == KXEN_SOFT_NARROW ||
			(!hard_set && v->soft_mode != KXEN_SOFT_OFF)))
		kxen_soft_apply(v, v->task, mode);
	else
		WRITE_ONCE(v->soft_mode, mode);
}

/*
 * As Xen's vcpu_set_hard_affinity: a set with no online CPU is -EINVAL.
 * A thread not yet started takes the set when it starts.  Under d->lock.
 */
int kxen_vcpu_set_affinity(struct kxen_vcpu *v, const struct cpumask *mask)
{
	int ret = 0;

	lockdep_assert_held(&v->dom->lock);
	if (!cpumask_intersects(mask, cpu_online_mask))
		return -EINVAL;
	mutex_lock(&v->aff_lock);
	if (v->task)
		ret = set_cpus_allowed_ptr(v->task, mask);
	if (!ret) {
		cpumask_copy(v->affinity, mask);
		kxen_soft_reset(v, true);
	}
	mutex_unlock(&v->aff_lock);
	return ret;
}

/*
 * As Xen's vcpu_set_soft_affinity: any set is taken as given (vcpu-list
 * shows it so); only its part within the hard one counts.  Under d->lock.
 */
void kxen_vcpu_set_soft_affinity(struct kxen_vcpu *v,
				 const struct cpumask *mask)
{
	lockdep_assert_held(&v->dom->lock);
	mutex_lock(&v->aff_lock);
	cpumask_copy(v->soft_affinity, mask);
	kxen_soft_reset(v, false);
	mutex_unlock(&v->aff_lock);
}

/* Under d->lock: the thread starts with the sets given before it ran. */
void kxen_vcpu_affinity_start(struct kxen_vcpu *v, struct task_struct *t)
{
	lockdep_assert_held(&v->dom->lock);
	mutex_lock(&v->aff_lock);
	if (!cpumask_full(v->affinity))
		set_cpus_allowed_ptr(t, v->affinity);
	if (READ_ONCE(v->soft_mode) == KXEN_SOFT_NARROW)
		kxen_soft_apply(v, t, KXEN_SOFT_NARROW);
	mutex_unlock(&v->aff_lock);
}

/* Under d->lock: the hard set (not the narrowed one) and the soft set. */
void kxen_vcpu_get_affinity(struct kxen_vcpu *v, struct cpumask *hard,
			    struct cpumask *soft)
{
	lockdep_assert_held(&v->dom->lock);
	mutex_lock(&v->aff_lock);
	/* The thread's own set where kxen does not steer it (cpusets). */
	if (v->task && READ_ONCE(v->soft_mode) == KXEN_SOFT_OFF)
		cpumask_copy(hard, v->task->cpus_ptr);
	else
		cpumask_copy(hard, v->affinity);
	cpumask_copy(soft, v->soft_affinity);
	mutex_unlock(&v->aff_lock);
}

/*
 * The vCPU's own thread, before each entry: narrow to wide when it waits
 * for the preferred CPUs, wide to narrow after the back-off.  Costs one
 * load when there is no preference.
 */
void kxen_vcpu_soft_steer(struct kxen_vcpu *v)
{
	u64 now, waited;
	u8 mode = READ_ONCE(v->soft_mode);

	if (likely(mode == KXEN_SOFT_OFF))
		return;
	now = ktime_get_ns();
	if (mode == KXEN_SOFT_WIDE &&
	    now - v->soft_since_ns < v->soft_backoff_ns)
		return;
	if (mode == KXEN_SOFT_NARROW &&
	    now - v->soft_since_ns < KXEN_SOFT_WINDOW_NS &&
	    kxen_run_delay(current) - v->soft_delay_ns < KXEN_SOFT_WAIT_NS)
		return;
	mutex_lock(&v->aff_lock);
	mode = v->soft_mode;
	waited = kxen_run_delay(current) - v->soft_delay_ns;
	if (mode == KXEN_SOFT_WIDE) {
		/* Should this try fail too, the next waits twice as long. */
		kxen_soft_apply(v, current, KXEN_SOFT_NARROW);
		v->soft_backoff_ns = min(v->soft_backoff_ns * 2,
					 KXEN_SOFT_BACKOFF_MAX_NS);
	} else if (mode == KXEN_SOFT_NARROW && waited >= KXEN_SOFT_WAIT_NS) {
		kxen_soft_apply(v, current, KXEN_SOFT_WIDE);
	} else if (mode == KXEN_SOFT_NARROW) {
		/* A window with no wait: the preferred CPUs have room. */
		if (now - v->soft_narrow_ns >= v->soft_backoff_ns)
			v->soft_backoff_ns = KXEN_SOFT_BACKOFF_NS;
		kxen_soft_window(v, current);
	}
	mutex_unlock(&v->aff_lock);
}
