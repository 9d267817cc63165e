// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the kick bound (../kick_limit.c): passes that find work
 * never wait; idle ones wait only past KXEN_KICK_IDLE_PER_TICK in one
 * tick; a new tick starts the count again; the counters add up.
 */
#include <stdio.h>

#include "../kick_limit.h"
#include "../../xen/tests/tap.h"

static void test_work_never_waits(void)
{
	struct kxen_kick_limit kl = { 0 };
	unsigned long wait = 0;
	int i;

	for (i = 0; i < 1000; i++)
		wait |= kxen_kick_after_pass(&kl, 7, false);
	CHECK(!wait && kl.passes == 1000 && !kl.idle_passes && !kl.held,
	      "1000 passes with work in one tick: none waits");
}

static void test_idle_flood(void)
{
	struct kxen_kick_limit kl = { 0 };
	int i, first_wait = -1;

	for (i = 0; i < 100; i++)
		if (kxen_kick_after_pass(&kl, 42, true) && first_wait < 0)
			first_wait = i;
	CHECK(first_wait == KXEN_KICK_IDLE_PER_TICK,
	      "idle passes wait from the %dth in one tick (first at %d)",
	      KXEN_KICK_IDLE_PER_TICK + 1, first_wait);
	CHECK(kl.held == 100 - KXEN_KICK_IDLE_PER_TICK && kl.idle_passes == 100,
	      "every idle pass past the bound waits (%llu held of %llu)",
	      (unsigned long long)kl.held,
	      (unsigned long long)kl.idle_passes);
	CHECK(!kxen_kick_after_pass(&kl, 43, true),
	      "the next tick starts the count again");
	CHECK(!kxen_kick_after_pass(&kl, 43, false) &&
	      kl.passes == 102,
	      "a pass with work in a held tick does not wait");
}

static void test_wrap(void)
{
	struct kxen_kick_limit kl = { .tick = ~0UL };
	int i;

	for (i = 0; i < KXEN_KICK_IDLE_PER_TICK; i++)
		kxen_kick_after_pass(&kl, ~0UL, true);
	CHECK(kxen_kick_after_pass(&kl, ~0UL, true) == 1 &&
	      !kxen_kick_after_pass(&kl, 0, true),
	      "the tick count wrapping around starts a new tick");
}

int main(void)
{
	test_work_never_waits();
	test_idle_flood();
	test_wrap();
	return tap_done();
}
