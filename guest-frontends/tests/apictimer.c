// SPDX-License-Identifier: GPL-2.0
/*
 * apictimer: the local APIC timer in x2APIC mode (SDM Vol. 3A 10.5.4),
 * as an HVM guest sees it: a 1 GHz bus clock, as Xen's vlapic has it.
 *
 * - One-shot, 1 ms: one interrupt, not before the deadline.
 * - Periodic, 1 ms: more than one interrupt in 20 ms, at most one a
 *   millisecond (fewer when the host is slow: pending ticks coalesce, so
 *   only the upper bounds are exact).
 * - Periodic with the shortest count (TMICT 1, divide by 1, 1 ns): the
 *   period is clamped as KVM clamps it (min_timer_period_us, 200 us), so
 *   a guest cannot make the host's timer fire back to back; over 100 ms
 *   at most 100 ms / 200 us interrupts (plus slack), and the guest still
 *   runs between them.  (The lab counts the host's timer callbacks too.)
 * - TMICT 0 stops it: no interrupt afterwards.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <kg/traps.h>

KG_TEST_TITLE("apictimer");

#define MSR_X2APIC_EOI		0x80b
#define MSR_X2APIC_SVR		0x80f
#define MSR_X2APIC_LVTT		0x832
#define MSR_X2APIC_TMICT	0x838
#define MSR_X2APIC_TDCR		0x83e
#define LVTT_PERIODIC		0x20000	/* bit 17 */
#define TDCR_DIV1		0xb
#define TIMER_VECTOR		0xe0

#define MS			1000000ULL
#define MIN_PERIOD_NS		200000ULL	/* KVM's min_timer_period_us */

static unsigned int ticks;	/* the handler writes it */
static unsigned long spins;	/* loop rounds in the last count_for() */

static void timer_irq(struct kg_regs *regs)
{
	(void)regs;
	WRITE_ONCE(ticks, ticks + 1);
	kg_wrmsr(MSR_X2APIC_EOI, 0);
}

/* Interrupts on for @ns of system time; the ticks counted meanwhile. */
static unsigned int count_for(u64 ns)
{
	u64 end = kg_now_ns() + ns;

	WRITE_ONCE(ticks, 0);
	spins = 0;
	kg_sti();
	while (kg_now_ns() < end) {
		kg_cpu_relax();
		spins++;
	}
	kg_cli();
	return READ_ONCE(ticks);
}

static void arm(u32 lvt, u32 count)
{
	kg_wrmsr(MSR_X2APIC_TDCR, TDCR_DIV1);
	kg_wrmsr(MSR_X2APIC_LVTT, lvt | TIMER_VECTOR);
	kg_wrmsr(MSR_X2APIC_TMICT, count);
}

static void one_shot(void)
{
	u64 t0, first = 0;

	WRITE_ONCE(ticks, 0);
	t0 = kg_now_ns();
	arm(0, 1000000);
	kg_sti();
	while (kg_now_ns() < t0 + 50 * MS) {
		if (READ_ONCE(ticks) && !first)
			first = kg_now_ns();
		kg_cpu_relax();
	}
	kg_cli();
	kg_check(READ_ONCE(ticks) == 1,
		 "one-shot 1 ms: %u interrupt(s) in 50 ms (want 1)",
		 READ_ONCE(ticks));
	kg_check(first >= t0 + MS, "and not before its deadline (after %lu ns)",
		 first ? first - t0 : 0);
}

void test_main(void)
{
	unsigned long idle_spins;
	unsigned int n, max;

	kg_require_xen();
	if (!kg_setup_shared_info())
		kg_exit();
	kg_set_irq_handler(TIMER_VECTOR, timer_irq);
	kg_wrmsr(MSR_X2APIC_SVR, 0x1ff);	/* APIC software-enabled */
	one_shot();
	count_for(100 * MS);	/* timer off: how far the guest gets alone */
	idle_spins = spins;

	arm(LVTT_PERIODIC, 1000000);
	n = count_for(20 * MS);
	/* Fewer when the host is slow to run the vCPU: ticks coalesce. */
	kg_check(n >= 2 && n <= 25,
		 "periodic 1 ms: %u interrupts in 20 ms (want 2 to 25)", n);

	arm(LVTT_PERIODIC, 1);
	n = count_for(100 * MS);
	max = 100 * MS / MIN_PERIOD_NS + 10;
	kg_check(n >= 1 && n <= max,
		 "periodic 1 ns: %u interrupts in 100 ms (clamped to 200 us: at most %u)",
		 n, max);
	/*
	 * A sixteenth: the two counts are taken 100 ms apart on a host the
	 * lab shares between two emulators, and one was seen at 0.114 of
	 * the other with the clamp working (guest_abi also counts the
	 * host's timer callbacks); a timer firing back to back leaves the
	 * guest next to nothing.
	 */
	kg_check(spins >= idle_spins / 16,
		 "and the guest still runs: %lu loop rounds (%lu with the timer off)",
		 spins, idle_spins);

	kg_wrmsr(MSR_X2APIC_TMICT, 0);
	count_for(MS);		/* one already on its way may land */
	n = count_for(5 * MS);
	kg_check(n == 0, "TMICT 0 stops it: %u interrupts in 5 ms (want 0)", n);
	kg_wrmsr(MSR_X2APIC_LVTT, 0x10000);	/* masked */
	kg_success(NULL);
	kg_exit();
}
