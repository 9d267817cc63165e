// SPDX-License-Identifier: GPL-2.0
/*
 * spin: a guest that never stops computing, for the scheduler's tests.
 * It says so once, then runs a loop that makes no hypercall and takes
 * no interrupt (they stay off), so its vCPU wants every cycle it is
 * given and its time in guest mode is what the host scheduler and the
 * domain's cap allowed it.
 */
#include <kg/boot.h>
#include <kg/console.h>

KG_TEST_TITLE("spin");

void test_main(void)
{
	unsigned long rounds = 0;

	kg_printf("spin: spinning with interrupts off, forever\n");
	/* The empty asm keeps the compiler from dropping the loop's work. */
	for (;;) {
		rounds++;
		asm volatile("" : "+r"(rounds));
	}
}
