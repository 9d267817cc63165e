// SPDX-License-Identifier: GPL-2.0
/*
 * A domain's credit2 parameters on the host scheduler.  A vCPU is a
 * kernel thread, so Xen's weight becomes the threads' nice level, and
 * Xen's cap a CPU-time budget per period that the vCPU threads share:
 * once it is spent, a thread sleeps until the next period instead of
 * entering the guest (credit2 parks a capped domain's vCPUs until its
 * budget is replenished, every 10 ms, the same way).
 */
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>

#include "kxen.h"

#define KXEN_SCHED_PERIOD_NS	(KXEN_SCHED_PERIOD_US * NSEC_PER_USEC)
/*
 * Guest time charged at once at most: a vCPU that ran longer without an
 * exit (a host without ticks on that CPU) owes no more than this, so its
 * debt, and so how long it is kept out afterwards, stays bounded.
 */
#define KXEN_SCHED_CHARGE_MAX	(100 * NSEC_PER_MSEC)
/* Periods replenished at once at most: keeps n * budget from overflowing. */
#define KXEN_SCHED_CATCHUP_MAX	1024

/*
 * The host scheduler's weight of each nice level, -20..19 (the kernel's
 * sched_prio_to_weight, which modules cannot reach): nice 0 is 1024 and
 * each level is about 1.25 times the next.
 */
static const u32 kxen_nice_weight[40] = {
	88761, 71755, 56483, 46273, 36291,
	29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906,
	3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423,
	335, 272, 215, 172, 137,
	110, 87, 70, 56, 45,
	36, 29, 23, 18, 15,
};

/*
 * Xen weight -> nice: the level whose host weight is nearest (as a
 * ratio) to 4 x @weight, so that Xen's default 256 is nice 0 and equal
 * ratios of Xen weights give equal ratios of CPU shares, as far as the
 * 40 levels reach (weight 1..4 is nice 19, 19952 and above nice -20).
 * Monotonic: a larger weight never gets a larger nice.
 */
int kxen_sched_nice(u32 weight)
{
	u64 w = (u64)weight * 4;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kxen_nice_weight) - 1; i++) {
		/* Past the geometric mean of two levels: nearer the higher. */
		if (w * w >= (u64)kxen_nice_weight[i] * kxen_nice_weight[i + 1])
			return (int)i - 20;
	}
	return 19;
}

void kxen_sched_init(struct kxen_sched *s)
{
	s->weight = KXEN_SCHED_WEIGHT_DEFAULT;
}

/* The thread of a vCPU that starts now, under dom->lock: its nice level. */
void kxen_sched_vcpu_start(struct kxen_vcpu *v, struct task_struct *t)
{
	lockdep_assert_held(&v->dom->lock);
	set_user_nice(t, kxen_sched_nice(READ_ONCE(v->dom->sched.weight)));
}

/*
 * Under d->lock, the domain not DYING (its vCPU threads stay put).  A
 * new cap starts a fresh period with nothing used, and a new generation
 * tells the vCPUs to restart their own count: at most a vCPU already
 * charging when the cap changed adds its last stretch (bounded by
 * KXEN_SCHED_CHARGE_MAX) to the new count.
 */
void kxen_sched_set(struct kxen_domain *d, u32 weight, u32 cap)
{
	struct kxen_sched *s = &d->sched;
	unsigned int i;
	int nice;

	lockdep_assert_held(&d->lock);
	if (weight && weight != s->weight) {
		WRITE_ONCE(s->weight, weight);
		nice = kxen_sched_nice(weight);
		for (i = 0; i < d->nr_vcpus; i++)
			if (d->vcpus[i]->task)
				set_user_nice(d->vcpus[i]->task, nice);
	}
	if (cap == KXEN_SCHED_CAP_KEEP || cap == s->cap)
		return;
	WRITE_ONCE(s->budget_ns, 0);	/* nobody charges while we reset */
	WRITE_ONCE(s->gen, s->gen + 1);
	atomic64_set(&s->used_ns, 0);
	atomic64_set(&s->period_start, ktime_get_ns());
	WRITE_ONCE(s->cap, cap);
	smp_wmb();	/* pairs with kxen_sched_wait(): the reset, then budget */
	WRITE_ONCE(s->budget_ns, div_u64((u64)cap * KXEN_SCHED_PERIOD_NS, 100));
}

/* Charge the guest time @v spent since it last looked. */
static void kxen_sched_charge(struct kxen_vcpu *v, struct kxen_sched *s)
{
	u32 gen = READ_ONCE(s->gen);
	u64 ran = v->run_ns;	/* only this thread writes it */

	if (v->sched_gen != gen) {
		v->sched_gen = gen;
		v->sched_seen_ns = ran;
		return;
	}
	atomic64_add(min_t(u64, ran - v->sched_seen_ns, KXEN_SCHED_CHARGE_MAX),
		     &s->used_ns);
	v->sched_seen_ns = ran;
}

/*
 * Move to the period @now is in, giving back one budget per period
 * passed: what was used past the budget is carried over as a debt, so
 * a vCPU that overran (it stays in the guest until its next exit) pays
 * for it later and the long-run share is the cap.  Returns the start
 * of the current period.
 */
static u64 kxen_sched_replenish(struct kxen_sched *s, u64 budget, u64 now)
{
	u64 start = atomic64_read(&s->period_start);
	s64 used, left;
	u64 n;

	if ((s64)(now - start) < (s64)KXEN_SCHED_PERIOD_NS)
		return start;
	n = div64_u64(now - start, KXEN_SCHED_PERIOD_NS);
	/* Another vCPU moved it first: it gives the budgets back. */
	if (atomic64_cmpxchg(&s->period_start, start,
			     start + n * KXEN_SCHED_PERIOD_NS) != start)
		return atomic64_read(&s->period_start);
	n = min_t(u64, n, KXEN_SCHED_CATCHUP_MAX);
	used = atomic64_read(&s->used_ns);
	do {
		left = max_t(s64, used - (s64)(n * budget), 0);
	} while (!atomic64_try_cmpxchg(&s->used_ns, &used, left));
	return start + n * KXEN_SCHED_PERIOD_NS;
}

/* Sleep until the period after the one that began at @start. */
static void kxen_sched_sleep(u64 start)
{
	ktime_t until = ns_to_ktime(start + KXEN_SCHED_PERIOD_NS);

	set_current_state(TASK_INTERRUPTIBLE);
	if (!kthread_should_stop())
		schedule_hrtimeout(&until, HRTIMER_MODE_ABS);
	__set_current_state(TASK_RUNNING);
}

/*
 * Before a guest entry, preemption on, no lock held: while the domain's
 * budget is spent (a debt carried over included), sleep a period at a
 * time.  Going in after one period whatever is still owed would give a
 * capped vCPU one slice a period, however long its slices are: an
 * emulated CPU's stretch when the host is busy, 30 % of the time at a
 * cap of 20.  A stop, pause or shutdown ends the wait, and the caller
 * looks at it; kthread_stop() wakes the sleep at once.
 */
void kxen_sched_wait(struct kxen_vcpu *v)
{
	struct kxen_sched *s = &v->dom->sched;
	u64 budget = READ_ONCE(s->budget_ns);
	u64 start;

	if (!budget)
		return;		/* the cap went away meanwhile */
	smp_rmb();	/* pairs with kxen_sched_set(): the budget, then gen */
	kxen_sched_charge(v, s);
	for (;;) {
		start = kxen_sched_replenish(s, budget, ktime_get_ns());
		if (atomic64_read(&s->used_ns) < budget ||
		    kxen_vcpu_should_leave(v))
			return;
		kxen_sched_sleep(start);
		/* A new cap or none: the caller starts again. */
		if (READ_ONCE(s->budget_ns) != budget)
			return;
	}
}
