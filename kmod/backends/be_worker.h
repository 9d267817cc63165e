/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A backend ring's worker thread.  Each ring (a blkif queue, a netif
 * queue) gets a kthread_worker of its own, as Linux's backends give each
 * ring a thread (xen-blkback's xenblkd, xen-netback's per-queue threads),
 * so rings of different guests, or of one guest's queues, run in
 * parallel and each is scheduled, accounted and visible on its own.
 *
 * The thread runs SCHED_BATCH (sched(7)): a fair share of the CPU like
 * any nice-0 thread, but its wake-up does not preempt the thread that
 * woke it.  A guest's kick wakes the worker from that guest's own vCPU
 * thread.  With a CPU idle, the worker runs there at once, beside the
 * guest.  With none, a normal thread would preempt the vCPU right away
 * and serve the one request just queued; the guest would then kick again
 * for the next.  As SCHED_BATCH, the worker instead runs when the vCPU
 * halts (the guest waits for its I/O) or its time slice ends, and it
 * finds the guest's requests queued meanwhile in the ring: one kick and
 * one pass a batch, as under Xen, whose schedulers do not preempt a vCPU
 * on its backend's wake-up within a rate-limit window (credit2's
 * sched_ratelimit_us).
 */
#ifndef KXEN_BACKENDS_BE_WORKER_H
#define KXEN_BACKENDS_BE_WORKER_H

#include <linux/kthread.h>

/*
 * A worker thread named from @fmt (printf-style, truncated to the task
 * name's 15 characters), SCHED_BATCH; an ERR_PTR on failure.
 */
__printf(1, 2)
struct kthread_worker *kxen_be_worker_create(const char *fmt, ...);

#endif /* KXEN_BACKENDS_BE_WORKER_H */
