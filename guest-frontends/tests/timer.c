// SPDX-License-Identifier: GPL-2.0
/*
 * timer: Xen system time and the timer hypercalls.
 *
 * - vcpu_info[0].time (xen.h struct vcpu_time_info): even version, a
 *   multiplier, system time that never goes backwards and that agrees
 *   with the TSC across a sleep in the hypervisor (a new
 *   system_time/tsc_timestamp pair must continue the old one); its TSC
 *   rate matches CPUID base+3 (arch-x86/cpuid.h); the wallclock in
 *   shared_info is set.
 * - VCPUOP_set_singleshot_timer / stop_singleshot_timer (vcpu.h) with
 *   VIRQ_TIMER bound: SCHEDOP_block returns with the timer port pending,
 *   never before the deadline; a past deadline with VCPU_SSHOTTMR_future
 *   is -ETIME; a stopped timer never fires.
 * - set_timer_op (xen.h): the same one-shot timer, 0 cancels.
 * - VCPUOP_set_periodic_timer / stop_periodic_timer: about one event per
 *   period; a period under 1 ms is -EINVAL (Xen 4.17 common/domain.c).
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

KG_TEST_TITLE("timer");

#define UPCALL_VECTOR	0xf3
#define MS		KG_NSEC_PER_MSEC
#define TIMER_NS	(10 * MS)	/* one-shot deadline and period */
#define QUIET_NS	(30 * MS)	/* how long "nothing fires" is watched */
#define LATE_NS		(500 * MS)	/* backstop: a timer this late is lost */
#define PERIODS		10
#define NO_SUCH_VCPU	99

static evtchn_port_t timer_port;

static bool setup(void)
{
	long rc = kg_map_shared_info();

	if (!kg_check(rc == 0, "XENMEM_add_to_physmap(shared_info) rc %ld",
		      rc))
		return false;
	rc = kg_evtchn_setup_upcall(UPCALL_VECTOR);
	if (!kg_check(rc == 0,
		      "HVMOP_set_param(CALLBACK_IRQ, vector %#x) rc %ld",
		      UPCALL_VECTOR, rc))
		return false;
	kg_vcpu_info->evtchn_upcall_mask = 0;
	return true;
}

static void check_pvclock_fields(void)
{
	const struct vcpu_time_info *t = &kg_vcpu_info->time;
	u32 version = t->version;

	kg_printf("pvclock: version %u mul %u shift %d flags %#x",
		  version, t->tsc_to_system_mul, t->tsc_shift, t->flags);
	kg_printf(" system_time %llu tsc_timestamp %llu\n",
		  (unsigned long long)t->system_time,
		  (unsigned long long)t->tsc_timestamp);
	kg_check(!(version & 1), "vcpu_time_info version %u is even", version);
	kg_check(t->tsc_to_system_mul != 0 && t->tsc_shift > -32 &&
		 t->tsc_shift < 32,
		 "tsc_to_system_mul %u tsc_shift %d usable",
		 t->tsc_to_system_mul, t->tsc_shift);
	kg_check(t->system_time != 0, "system_time %lu non-zero",
		 (unsigned long)t->system_time);
}

/* Many reads, with hypercalls between, never go backwards. */
static void check_monotonic(void)
{
	unsigned int i, back = 0;
	u64 prev = kg_now_ns(), first = prev, now;

	for (i = 0; i < 20000; i++) {
		if (!(i % 1024))
			kg_sched_op(SCHEDOP_yield, NULL);
		now = kg_now_ns();
		if (now < prev)
			back++;
		prev = now;
	}
	kg_check(!back && prev > first,
		 "system time over %u reads: %u step(s) back, advanced %llu us",
		 i, back, (unsigned long long)(prev - first) / 1000);
}

/* System time and the TSC advance alike across a 50 ms sleep. */
static void check_rate(evtchn_port_t idle)
{
	u64 khz = kg_pvclock_tsc_khz(&kg_vcpu_info->time);
	u64 ns0, tsc0, ns, tsc, tsc_ns;
	struct kg_cpuid r;
	long rc;

	/*
	 * Each system time with the TSC value it was computed from: read
	 * apart, an exit between the two reads (slow in an emulator) counts
	 * in one delta and not the other.
	 */
	ns0 = kg_pvclock_ns_tsc(&kg_vcpu_info->time, &tsc0);
	rc = kg_poll_port(idle, 50 * MS);
	ns = kg_pvclock_ns_tsc(&kg_vcpu_info->time, &tsc) - ns0;
	tsc -= tsc0;
	tsc_ns = tsc * 1000000 / khz;
	kg_check(rc == 0 && ns >= 50 * MS && ns * 50 <= tsc_ns * 51 &&
		 ns * 51 >= tsc_ns * 50,
		 "50 ms poll rc %ld: system time %llu us, TSC %llu us at %llu kHz (within 2%%)",
		 rc, (unsigned long long)ns / 1000,
		 (unsigned long long)tsc_ns / 1000, (unsigned long long)khz);
	if (kg_xen.max_leaf < kg_xen.base + 3) {
		kg_check(false, "CPUID base+3 (time) missing: max leaf %#x",
			 kg_xen.max_leaf);
		return;
	}
	r = kg_cpuid(kg_xen.base + 3, 0);
	kg_check(r.ecx && r.ecx * 100ul <= khz * 101 &&
		 r.ecx * 101ul >= khz * 100,
		 "CPUID base+3 guest TSC %u kHz, pvclock %llu kHz (within 1%%)",
		 r.ecx, (unsigned long long)khz);
}

static void check_wallclock(void)
{
	const struct shared_info *s = kg_shinfo;
	u32 version = s->wc_version;
	u64 sec = (u64)s->xen_wc_sec_hi << 32 | s->wc_sec;

	kg_check(!(version & 1) && sec > 0 && s->wc_nsec < KG_NSEC_PER_SEC,
		 "wallclock version %u: %llu s %u ns since the epoch (boot time)",
		 version, (unsigned long long)sec, s->wc_nsec);
}

static long periodic(u64 period_ns)
{
	struct vcpu_set_periodic_timer p = { .period_ns = period_ns };

	return kg_vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
}

/*
 * Waits with interrupts off until the timer port is pending and returns
 * the system time then.  SCHEDOP_block has no timeout, so a lost timer
 * hangs there (the harness's time limit catches it; the line before says
 * what was awaited).  SCHEDOP_poll on the timer port ends LATE_NS after
 * the deadline at the latest, which the caller sees as too late.
 */
static u64 wait_for_timer(bool block, u64 deadline)
{
	if (block)
		kg_printf("waiting in SCHEDOP_block\n");
	while (!kg_evtchn_is_pending(timer_port)) {
		u64 now = kg_now_ns();

		if (block) {
			kg_sched_op(SCHEDOP_block, NULL);
			continue;
		}
		if (now >= deadline + LATE_NS ||
		    kg_poll_port(timer_port, deadline + LATE_NS - now))
			break;
	}
	return kg_now_ns();
}

/* Lets the upcall take the pending timer event; returns its count. */
static unsigned int drain(void)
{
	kg_evtchn_log_reset();
	kg_sti();
	kg_delay_ns(MS);
	kg_cli();
	return kg_evtchn_seen(timer_port);
}

/* Nothing arrives on the timer port for QUIET_NS. */
static bool stays_quiet(void)
{
	kg_evtchn_log_reset();
	kg_sti();
	kg_delay_ns(QUIET_NS);
	kg_cli();
	return !kg_evtchn_seen(timer_port) && !kg_evtchn_is_pending(timer_port);
}

static long singleshot(u64 deadline, u32 flags)
{
	struct vcpu_set_singleshot_timer t = {
		.timeout_abs_ns = deadline, .flags = flags,
	};

	return kg_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}

/* Arms a one-shot timer with @arm, then waits for it (block or poll). */
static void check_fires(const char *what, long (*arm)(u64 deadline),
			bool block)
{
	u64 deadline = kg_now_ns() + TIMER_NS, woke = 0;
	long rc = arm(deadline);
	unsigned int seen;

	if (!rc)
		woke = wait_for_timer(block, deadline);
	seen = drain();
	kg_check(rc == 0 && woke >= deadline && woke - deadline < LATE_NS &&
		 seen == 1,
		 "%s(now + %lu ms) rc %ld: SCHEDOP_%s woke %ld us after the deadline (want 0..%lu), %u VIRQ_TIMER event(s) (want 1)",
		 what, TIMER_NS / MS, rc, block ? "block" : "poll",
		 (long)(woke - deadline) / 1000, LATE_NS / 1000, seen);
}

/* Arms, cancels with @stop, and checks nothing fires. */
static void check_cancel(const char *what, long (*arm)(u64 deadline),
			 long (*stop)(void))
{
	long rc = arm(kg_now_ns() + TIMER_NS), rc2 = stop();

	kg_check(rc == 0 && rc2 == 0 && stays_quiet(),
		 "%s: armed rc %ld, cancelled rc %ld, no event in %lu ms",
		 what, rc, rc2, QUIET_NS / MS);
}

static long arm_singleshot(u64 deadline)
{
	return singleshot(deadline, 0);
}

static long stop_singleshot(void)
{
	return kg_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
}

static long stop_timer_op(void)
{
	return kg_set_timer_op(0);
}

/*
 * vcpu.h: with VCPU_SSHOTTMR_future a past deadline is -ETIME "but can be
 * ignored by the hypervisor".  Xen 4.17 ignores it: the timer event is
 * sent at once and the call returns 0.  Either is right; a 0 with no
 * event, or an event after -ETIME, is not.
 */
static void check_past_deadline(void)
{
	u64 now = kg_now_ns();
	long rc = singleshot(now - MS, VCPU_SSHOTTMR_future);
	long rc2 = kg_poll_port(timer_port, QUIET_NS);
	u64 ns = kg_now_ns() - now;
	unsigned int seen = drain();

	if (rc == -XEN_ETIME)
		kg_check(rc2 == 0 && !seen,
			 "VCPUOP_set_singleshot_timer(past, VCPU_SSHOTTMR_future) rc -ETIME, %u event(s) in %lu ms (want 0)",
			 seen, QUIET_NS / MS);
	else
		kg_check(rc == 0 && rc2 == 0 && seen == 1 && ns < QUIET_NS,
			 "VCPUOP_set_singleshot_timer(past, VCPU_SSHOTTMR_future) rc %ld (want -ETIME, or 0 and an event at once): %u event(s), poll returned after %llu us",
			 rc, seen, (unsigned long long)ns / 1000);
}

static void test_singleshot(void)
{
	long rc;

	check_past_deadline();
	rc = kg_vcpu_op(VCPUOP_set_singleshot_timer, NO_SUCH_VCPU, NULL);
	kg_check(rc == -XEN_ENOENT,
		 "VCPUOP_set_singleshot_timer(vcpu %u) rc %ld (want -ENOENT)",
		 NO_SUCH_VCPU, rc);
	check_fires("VCPUOP_set_singleshot_timer", arm_singleshot, true);
	check_cancel("VCPUOP_stop_singleshot_timer", arm_singleshot,
		     stop_singleshot);
	check_fires("set_timer_op", kg_set_timer_op, false);
	check_cancel("set_timer_op(0)", kg_set_timer_op, stop_timer_op);
}

/*
 * Xen sends the first periodic event at once when the last one is more
 * than a period ago (common/schedule.c vcpu_periodic_timer_work), so the
 * bounds are loose.
 */
static void test_periodic(void)
{
	unsigned int n;
	long rc, rc2;

	rc = periodic(MS / 10);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_set_periodic_timer(100 us) rc %ld (want -EINVAL)", rc);
	kg_evtchn_log_reset();
	rc = periodic(TIMER_NS);
	kg_sti();
	kg_delay_ns(PERIODS * TIMER_NS);
	kg_cli();
	n = kg_evtchn_seen(timer_port);
	rc2 = kg_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	kg_check(rc == 0 && n >= PERIODS / 2 && n <= PERIODS * 3 / 2,
		 "VCPUOP_set_periodic_timer(%lu ms) rc %ld: %u events in %u periods (want %u..%u)",
		 TIMER_NS / MS, rc, n, PERIODS, PERIODS / 2, PERIODS * 3 / 2);
	drain();
	kg_check(rc2 == 0 && stays_quiet(),
		 "VCPUOP_stop_periodic_timer rc %ld: no event in %lu ms", rc2,
		 QUIET_NS / MS);
}

void test_main(void)
{
	evtchn_port_t idle = 0;
	long rc;

	kg_require_xen();
	if (!setup())
		return;
	check_pvclock_fields();
	if (!kg_pvclock_alive()) {
		kg_failure("vcpu_info[0].time does not advance\n");
		return;
	}
	check_monotonic();
	rc = kg_evtchn_bind_ipi(0, &idle);
	if (!kg_check(rc == 0, "EVTCHNOP_bind_ipi (idle port to poll) rc %ld",
		      rc))
		return;
	kg_evtchn_mask(idle);
	check_rate(idle);
	check_wallclock();
	rc = kg_evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port);
	if (!kg_check(rc == 0, "EVTCHNOP_bind_virq(VIRQ_TIMER, vcpu 0) rc %ld port %u",
		      rc, timer_port))
		return;
	kg_check(stays_quiet(), "no VIRQ_TIMER event in %lu ms with no timer set",
		 QUIET_NS / MS);
	test_singleshot();
	test_periodic();
	kg_success(NULL);
}
