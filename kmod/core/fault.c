// SPDX-License-Identifier: GPL-2.0
/*
 * Failure injection for domain creation, for the lab: writing N to the
 * module parameter create_fail_nth makes the Nth allocation of the next
 * domain create fail, as if memory had run out there, so every unwind
 * step of the create path can be driven (selftests/kxen/create_unwind.sh).
 * 0, the default, injects nothing.  The next create consumes the value
 * whether or not it reaches N allocations.
 *
 * Each allocation on the create path asks kxen_fault_inject() first.
 * Only the task running the armed create counts, so allocations the same
 * functions make elsewhere (a vCPU growing its grant table) never fail
 * here.
 */
#include <linux/delay.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>

#include "kxen.h"

static unsigned int kxen_fault_nth;
module_param_named(create_fail_nth, kxen_fault_nth, uint, 0600);
MODULE_PARM_DESC(create_fail_nth,
		 "Fail the Nth allocation of the next domain create (0: off; for tests)");

static struct task_struct *kxen_fault_task;	/* the armed create's */
static unsigned int kxen_fault_at, kxen_fault_count;

/* At the start of a create: take the knob's value, if any, for this one. */
void kxen_fault_arm(void)
{
	unsigned int n = xchg(&kxen_fault_nth, 0);

	if (!n || cmpxchg(&kxen_fault_task, NULL, current))
		return;
	/* Only this task reads or writes these until it disarms. */
	kxen_fault_at = n;
	kxen_fault_count = 0;
}

/* At the end of a create, failed or not. */
void kxen_fault_disarm(void)
{
	cmpxchg(&kxen_fault_task, current, NULL);
}

/* True when the caller's allocation is the one to fail. */
bool kxen_fault_inject(void)
{
	if (likely(READ_ONCE(kxen_fault_task) != current))
		return false;
	if (++kxen_fault_count != kxen_fault_at)
		return false;
	pr_info(KXEN_PR_PREFIX "create: allocation %u fails (injected, %pS)\n",
		kxen_fault_count, __builtin_return_address(0));
	return true;
}

/*
 * A window for the state races (the lab's state_races): with
 * state_delay_ms set, pause and unpause wait that long holding the
 * domain's lock before they look at its state and change it, and the
 * work that starts a vCPU's thread (a SIPI, VCPUOP_initialise) between
 * its look at the state and the thread it makes, so a guest's shutdown
 * or a destroy lands in between.  The old code read the state before
 * such a gap and wrote it after.  Each wait is logged, for the test to
 * act on.  At most 10 s; 0, the default, waits for nothing.
 */
static unsigned int kxen_state_delay_ms;
module_param_named(state_delay_ms, kxen_state_delay_ms, uint, 0600);
MODULE_PARM_DESC(state_delay_ms,
		 "Pause, unpause and a vCPU's start wait this long under the domain's lock around their look at its state (0: off; for tests)");

/* Whether it waited. */
bool kxen_fault_state_delay(struct kxen_domain *d, const char *what)
{
	unsigned int ms = min(READ_ONCE(kxen_state_delay_ms), 10000U);

	if (likely(!ms))
		return false;
	pr_info(KXEN_PR_PREFIX "d%u: %s waits %u ms (state_delay_ms)\n",
		d->domid, what, ms);
	msleep(ms);
	return true;
}
