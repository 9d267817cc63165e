// SPDX-License-Identifier: GPL-2.0
/*
 * spin: a guest that never stops computing, for the scheduler's tests.
 * It says so once, then runs a loop that makes no hypercall and takes
 * no interrupt (they stay off), so its vCPU wants every cycle it is
 * given and its time in guest mode is what the host scheduler and the
 * domain's cap allowed it.
 *
 * Command line "ms=N": spin only N ms of Xen system time, then power
 * off (the state races test, which needs a guest that is running when
 * a pause begins and shuts down while it waits).
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/time.h>
#include <xen/sched.h>

KG_TEST_TITLE("spin");

void test_main(void)
{
	unsigned long rounds = 0, ms = kg_cmdline_ulong("ms", 0);

	if (ms) {
		if (kg_map_shared_info() || !kg_pvclock_alive()) {
			kg_printf("spin: no Xen system time\n");
			return;
		}
		kg_printf("spin: spinning for %lu ms\n", ms);
		kg_delay_ns(ms * KG_NSEC_PER_MSEC);
		kg_printf("spin: done, powering off\n");
		kg_shutdown(SHUTDOWN_poweroff);
		/* A domain that shut down never runs again (state_races). */
		kg_printf("spin: running again after the shutdown\n");
		return;
	}
	kg_printf("spin: spinning with interrupts off, forever\n");
	/* The empty asm keeps the compiler from dropping the loop's work. */
	for (;;) {
		rounds++;
		asm volatile("" : "+r"(rounds));
	}
}
