// SPDX-License-Identifier: GPL-2.0
/*
 * irqmask: an external interrupt arrives only where the guest can take
 * one, and once per request (SDM Vol. 3A 6.8.1: with EFLAGS.IF clear,
 * maskable interrupts wait).
 *
 * The local APIC timer runs periodic at its shortest period (clamped to
 * 200 us) while the guest keeps interrupts off most of the time: the
 * main loop opens short windows with IF set between long stretches with
 * IF clear, and its handler, entered through an interrupt gate (IF
 * clear), spins a while.  The EOI, the guest's first exit to the
 * hypervisor after an interrupt, waits for the end of the stretch that
 * follows: between an interrupt's delivery and the next exit the guest
 * runs a millisecond or more.  Every interrupt's frame must show IF set
 * in the context it interrupted, and the handler is never entered again
 * before it returns.  The lab runs work on the host's other CPU
 * meanwhile: an emulated CPU that still holds an injected interrupt as
 * pending when it is kicked would deliver it a second time here.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <kg/traps.h>

KG_TEST_TITLE("irqmask");

#define MSR_X2APIC_EOI		0x80b
#define MSR_X2APIC_SVR		0x80f
#define MSR_X2APIC_LVTT		0x832
#define MSR_X2APIC_TMICT	0x838
#define MSR_X2APIC_TDCR		0x83e
#define LVTT_MASKED		0x10000	/* bit 16 */
#define LVTT_PERIODIC		0x20000	/* bit 17 */
#define TDCR_DIV1		0xb
#define TIMER_VECTOR		0xe0
#define EFLAGS_IF		0x200

#define MS			1000000ULL
#define RUN_NS			(1000 * MS)
#define MIN_TICKS		20

static unsigned int ticks, masked, nested;
static int in_handler, eoi_due;
static unsigned long spin_per_us;	/* loop rounds a microsecond */

/* @n rounds of a loop that never leaves the guest. */
static void spin(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		kg_barrier();
}

static void timer_irq(struct kg_regs *regs)
{
	if (!(regs->rflags & EFLAGS_IF))
		WRITE_ONCE(masked, masked + 1);
	if (READ_ONCE(in_handler))
		WRITE_ONCE(nested, nested + 1);
	WRITE_ONCE(in_handler, 1);
	WRITE_ONCE(ticks, ticks + 1);
	spin(50 * spin_per_us);
	WRITE_ONCE(in_handler, 0);
	WRITE_ONCE(eoi_due, 1);
}

/* How many spin() rounds make a microsecond here, at least one. */
static void calibrate(void)
{
	unsigned long n = 100000;
	u64 t0, dt;

	t0 = kg_now_ns();
	spin(n);
	dt = kg_now_ns() - t0;
	spin_per_us = dt ? n * 1000 / dt : n;
	if (!spin_per_us)
		spin_per_us = 1;
}

void test_main(void)
{
	u64 end;
	unsigned long rounds = 0;

	kg_require_xen();
	if (!kg_setup_shared_info())
		kg_exit();
	calibrate();
	kg_printf("%lu loop rounds a microsecond\n", spin_per_us);
	kg_set_irq_handler(TIMER_VECTOR, timer_irq);
	kg_wrmsr(MSR_X2APIC_SVR, 0x1ff);	/* APIC software-enabled */
	kg_wrmsr(MSR_X2APIC_TDCR, TDCR_DIV1);
	kg_wrmsr(MSR_X2APIC_LVTT, LVTT_PERIODIC | TIMER_VECTOR);
	kg_wrmsr(MSR_X2APIC_TMICT, 1);	/* 1 ns: clamped to 200 us */

	end = kg_now_ns() + RUN_NS;
	while (kg_now_ns() < end) {
		kg_sti();
		spin(20 * spin_per_us);
		kg_cli();
		spin(1000 * spin_per_us);
		if (READ_ONCE(eoi_due)) {
			WRITE_ONCE(eoi_due, 0);
			kg_wrmsr(MSR_X2APIC_EOI, 0);
		}
		rounds++;
	}
	kg_wrmsr(MSR_X2APIC_LVTT, LVTT_MASKED);
	kg_wrmsr(MSR_X2APIC_TMICT, 0);

	kg_check(READ_ONCE(ticks) >= MIN_TICKS,
		 "the timer interrupted %u times in %lu rounds (want %u or more)",
		 READ_ONCE(ticks), rounds, MIN_TICKS);
	kg_check(READ_ONCE(masked) == 0,
		 "no interrupt where IF was clear: %u of %u",
		 READ_ONCE(masked), READ_ONCE(ticks));
	kg_check(READ_ONCE(nested) == 0,
		 "the handler never entered twice: %u of %u",
		 READ_ONCE(nested), READ_ONCE(ticks));
	kg_success(NULL);
	kg_exit();
}
