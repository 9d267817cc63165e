// SPDX-License-Identifier: GPL-2.0
/*
 * xsload: load on the xenstore from a guest, for the peer lab's "store
 * under load" measure (selftests/kxen/data/peer_bench.sh).  For "secs=N"
 * seconds of Xen system time (default 10) it writes a running count to
 * its own data/load, one XS_WRITE through its ring at a time, so the
 * host can read how many writes went through at any moment; then it
 * reports the rate and powers off.  It waits for each reply blocked in
 * SCHEDOP_poll, as a Linux guest's xenbus sleeps, not spinning, and up
 * to 60 s, not the library's 2 s.  A write that fails or times out
 * stops the loop with a FAILURE.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <kg/xs.h>

KG_TEST_TITLE("xsload");

#define UPCALL_VECTOR	0xf3

static bool setup(void)
{
	u64 pfn = 0, port = 0;

	if (kg_map_shared_info() || !kg_pvclock_alive()) {
		kg_error("no Xen system time\n");
		return false;
	}
	if (kg_evtchn_setup_upcall(UPCALL_VECTOR)) {
		kg_error("HVMOP_set_param(CALLBACK_IRQ) failed\n");
		return false;
	}
	kg_vcpu_info->evtchn_upcall_mask = 0;
	if (kg_xs_init(&pfn, &port) || !kg_xs) {
		kg_skip("no xenstore ring (HVM_PARAM_STORE_PFN %#llx)\n",
			(unsigned long long)pfn);
		return false;
	}
	kg_sti();
	return true;
}

void test_main(void)
{
	u64 secs = kg_cmdline_ulong("secs", 10), t0, end, ms;
	unsigned long n = 0;

	if (!setup())
		return;
	kg_xs_block = true;
	/* A loaded store may answer late: a Linux guest waits on. */
	kg_xs_wait_ns = 60 * KG_NSEC_PER_SEC;
	t0 = kg_now_ns();
	end = t0 + secs * KG_NSEC_PER_SEC;
	while (kg_now_ns() < end) {
		if (!kg_xs_printf("data/load", "%lu", n + 1)) {
			kg_failure("write %lu of data/load failed: \"%s\"\n",
				   n + 1, kg_xs_body);
			return;
		}
		n++;
	}
	ms = (kg_now_ns() - t0) / KG_NSEC_PER_MSEC;
	kg_printf("XSLOAD %lu writes in %llu ms\n", n,
		  (unsigned long long)ms);
	kg_success(NULL);
}
