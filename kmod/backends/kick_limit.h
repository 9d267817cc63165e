/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bound on the host work a guest's kicks can cause.  A frontend kicks
 * its backend's port (EVTCHNOP_send) and the backend's worker runs a
 * pass over the ring.  Each kick costs the guest an exit of its own vCPU;
 * the pass runs in a host worker that no guest pays for.  A guest that
 * kicks with nothing new in its ring would keep that worker busy, so
 * passes that found nothing to do are counted per tick: past
 * KXEN_KICK_IDLE_PER_TICK of them, the next pass waits for the next tick,
 * and kicks meanwhile add nothing (the pass is already pending).  A
 * well-behaved frontend kicks only when the ring's req_event asks for it
 * (RING_PUSH_REQUESTS_AND_CHECK_NOTIFY, xen/interface/io/ring.h), for
 * requests the pass then takes, and never meets the bound.
 *
 * Plain C, for the kernel and the userspace unit tests: the caller passes
 * the time in ticks (jiffies) and serialises calls (one worker a ring).
 */
#ifndef KXEN_BACKENDS_KICK_LIMIT_H
#define KXEN_BACKENDS_KICK_LIMIT_H

#include "../xen/plat.h"

/*
 * Idle passes a tick that run at once; the one after them runs too, then
 * the next waits: at HZ=250 at most 2250 idle passes a second, well under
 * 1% of a CPU.
 */
#define KXEN_KICK_IDLE_PER_TICK	8

struct kxen_kick_limit {
	unsigned long tick;	/* the tick the idle count is for */
	unsigned int idle;	/* idle passes in that tick */
	u64 passes;		/* every pass */
	u64 idle_passes;	/* passes that found nothing to do */
	u64 held;		/* times the next pass had to wait */
};

/*
 * After a pass at tick @now that found work or not (@idle): how many
 * ticks the next pass waits, 0 for none.
 */
unsigned long kxen_kick_after_pass(struct kxen_kick_limit *kl,
				   unsigned long now, bool idle);

#ifdef __KERNEL__
#include <linux/jiffies.h>
#include <linux/kthread.h>

/*
 * The end of a pass of a ring's worker thread (be_worker.h): queue it
 * again at once when there is more to take (@more), after the rest of
 * this tick when the guest's kicks keep bringing it back for nothing,
 * else not at all.
 */
static inline void kxen_kick_pass_done(struct kxen_kick_limit *kl,
				       struct kthread_worker *kw,
				       struct kthread_delayed_work *w,
				       bool more, bool idle)
{
	unsigned long wait = kxen_kick_after_pass(kl, jiffies, idle);

	if (more || wait)
		kthread_queue_delayed_work(kw, w, more ? 0 : wait);
}
#endif

#endif /* KXEN_BACKENDS_KICK_LIMIT_H */
