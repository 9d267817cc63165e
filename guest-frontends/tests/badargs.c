// SPDX-License-Identifier: GPL-2.0
/*
 * badargs: throws garbage at the hypercalls the hypervisor implements
 * first (xen_version, console_io, sched_op) and at hypercall numbers it
 * does not, from a fixed-seed xorshift64* generator.  The only demands:
 * every call returns, with a value that is either non-negative or a Xen
 * errno (-1..-4095, xen/errno.h), the hypervisor never writes outside the
 * buffer a pointer designates, and the domain is still healthy at the end.
 *
 * Command line: "iters=N" (default 20000), "seed=N".
 *
 * Pointers come from classes: NULL page (unmapped), non-canonical, upper
 * half, unmapped lower half, and a scratch window whose neighbouring
 * pages are unmapped guards, so an overlong length ends in a fault and
 * never in our own memory.  Canary pages physically next to the scratch
 * buffer catch a hypervisor that ignores the guard (e.g. copies through
 * contiguous guest-physical memory instead of walking the page tables).
 *
 * Left out, because a correct hypervisor would act on them and end or
 * stall the test: SCHEDOP_block (blocks with no event source),
 * SCHEDOP_shutdown, SCHEDOP_remote_shutdown, SCHEDOP_shutdown_code and
 * SCHEDOP_watchdog (xen/sched.h), and SCHEDOP_poll with a port list that
 * could name valid ports; poll only ever sees lists that must fail.
 * Unimplemented-number calls keep the low 32 bits >= 64 so that a
 * hypervisor that truncates the number still sees an unused one.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/pagetable.h>
#include <kg/report.h>
#include <xen/sched.h>
#include <xen/version.h>

KG_TEST_TITLE("badargs");

#define DEFAULT_ITERS	20000
#define DEFAULT_SEED	0x6b78656e2d746573ull
#define WINDOW_VA	0x8000000000ull		/* PML4 slot 1, else empty */
#define WINDOW_SIZE	(2 * KG_PAGE_SIZE)
#define CANARY		0xa5
#define MAX_ERRNO	4095
#define MAX_REPORTS	10

/* Canaries physically around the scratch pages (not mapped at WINDOW_VA). */
static struct {
	u8 lo[KG_PAGE_SIZE];
	u8 scratch[WINDOW_SIZE];
	u8 hi[KG_PAGE_SIZE];
} mem __aligned(KG_PAGE_SIZE);

static u64 rng_state;

/* xorshift64* (Vigna 2014): small, fixed-seed, good enough for garbage. */
static u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static u64 rnd_below(u64 n)
{
	return rnd() % n;
}

enum ptr_class {
	PTR_NULL_PAGE,
	PTR_NONCANONICAL,
	PTR_UPPER_HALF,
	PTR_UNMAPPED_LOW,
	PTR_RANDOM,
	PTR_SAFE_COUNT,		/* classes above never reach mapped memory */
	PTR_WINDOW = PTR_SAFE_COUNT,
	PTR_WINDOW_END,		/* last bytes before the upper guard */
	PTR_WINDOW_START,	/* starts in the lower guard */
	PTR_COUNT,
};

static u64 ptr_of_class(unsigned int cls)
{
	switch (cls) {
	case PTR_NULL_PAGE:
		return rnd_below(KG_PAGE_SIZE);
	case PTR_NONCANONICAL:
		return (rnd() | 0x8000000000000000ull) & ~0x7fff000000000000ull;
	case PTR_UPPER_HALF:
		return rnd() | 0xffff800000000000ull;
	case PTR_UNMAPPED_LOW:
		/* PML4 slots 2-255 are empty. */
		return 0x10000000000ull + rnd_below(0x7f0000000000ull);
	case PTR_WINDOW:
		return WINDOW_VA + rnd_below(WINDOW_SIZE);
	case PTR_WINDOW_END:
		return WINDOW_VA + WINDOW_SIZE - 1 - rnd_below(16);
	case PTR_WINDOW_START:
		return WINDOW_VA - 1 - rnd_below(64);
	default:
		/* Mapped memory only with negligible odds (2^-31). */
		return rnd() | 0x100000000ull;
	}
}

static u64 garbage_ptr(void)
{
	return ptr_of_class((unsigned int)rnd_below(PTR_COUNT));
}

static u64 unmapped_ptr(void)
{
	return ptr_of_class((unsigned int)rnd_below(PTR_SAFE_COUNT));
}

static u64 garbage_len(void)
{
	switch (rnd_below(4)) {
	case 0:
		return rnd_below(64);
	case 1:
		return rnd_below(WINDOW_SIZE * 2);
	case 2:
		return (u32)rnd();
	default:
		return rnd();
	}
}

static long fuzz_xen_version(void)
{
	/* 0-10 are defined (version.h), 11-15 are newer or unknown. */
	u64 cmd = rnd_below(8) ? rnd_below(16) : rnd();

	return kg_hcall(__HYPERVISOR_xen_version, cmd, garbage_ptr(),
			rnd(), rnd(), rnd());
}

static long fuzz_console_io(void)
{
	u64 cmd, count = garbage_len(), ptr = garbage_ptr();

	switch (rnd_below(4)) {
	case 0:
	case 1:
		cmd = CONSOLEIO_write;
		/* At most 16 readable bytes, all '.', reach the console. */
		if (ptr >= WINDOW_VA && ptr < WINDOW_VA + WINDOW_SIZE) {
			ptr = ptr_of_class(PTR_WINDOW_END);
			memset(mem.scratch + WINDOW_SIZE - 16, '.', 16);
		}
		break;
	case 2:
		cmd = CONSOLEIO_read;
		break;
	default:
		cmd = rnd();
		break;
	}
	return kg_hcall(__HYPERVISOR_console_io, cmd, count, ptr, rnd(),
			rnd());
}

/* A poll that must fail: invalid ports, or a list it cannot read. */
static long fuzz_poll(void)
{
	static evtchn_port_t bad_ports[200];
	static struct sched_poll poll;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_ports); i++)
		bad_ports[i] = 0x80000000u | (u32)rnd();
	poll.nr_ports = 1 + (unsigned int)rnd_below(ARRAY_SIZE(bad_ports));
	poll.timeout = rnd();
	if (rnd_below(2))
		set_xen_guest_handle(poll.ports, bad_ports);
	else
		set_xen_guest_handle(poll.ports,
				     (evtchn_port_t *)(uintptr_t)unmapped_ptr());
	return kg_sched_op(SCHEDOP_poll, rnd_below(4) ? (void *)&poll :
			   (void *)(uintptr_t)unmapped_ptr());
}

static long fuzz_sched_op(void)
{
	switch (rnd_below(4)) {
	case 0:
		return kg_hcall(__HYPERVISOR_sched_op, SCHEDOP_yield,
				garbage_ptr(), rnd(), rnd(), rnd());
	case 1:
		return fuzz_poll();
	case 2:
		return kg_hcall(__HYPERVISOR_sched_op, SCHEDOP_pin_override,
				garbage_ptr(), rnd(), rnd(), rnd());
	default:
		/* Unknown commands only: 8 and up. */
		return kg_hcall(__HYPERVISOR_sched_op,
				8 + rnd_below(0xfffffff8ull), garbage_ptr(),
				rnd(), rnd(), rnd());
	}
}

static long fuzz_unused_number(void)
{
	u64 nr = (rnd() & ~0xffffffffull) |
		      (64 + rnd_below(0x100000000ull - 64));

	if (rnd_below(2))
		return kg_hcall(56 + (unsigned int)rnd_below(8), rnd(), rnd(),
				rnd(), rnd(), rnd());
	return kg_hcall_raw(nr, rnd(), rnd(), rnd(), rnd(), rnd());
}

static const struct {
	const char *name;
	long (*fn)(void);
} fuzzers[] = {
	{ "xen_version", fuzz_xen_version },
	{ "console_io", fuzz_console_io },
	{ "sched_op", fuzz_sched_op },
	{ "unused hypercall number", fuzz_unused_number },
};

struct tally {
	unsigned long calls, nonneg, bad;
	unsigned long by_errno[MAX_ERRNO + 1];
};

static struct tally tally;

static void account(unsigned int which, unsigned long iter, long rc)
{
	tally.calls++;
	if (rc >= 0) {
		tally.nonneg++;
	} else if (rc >= -MAX_ERRNO) {
		tally.by_errno[-rc]++;
	} else if (tally.bad++ < MAX_REPORTS) {
		kg_failure("iteration %lu: %s returned %#lx, not an errno\n",
			   iter, fuzzers[which].name, (unsigned long)rc);
	}
}

static void print_tally(void)
{
	unsigned int e;

	kg_printf("badargs: %lu calls returned: %lu non-negative, %lu invalid\n",
		  tally.calls, tally.nonneg, tally.bad);
	for (e = 1; e <= MAX_ERRNO; e++) {
		const char *name = kg_xen_errno_name(-(long)e);

		if (tally.by_errno[e])
			kg_printf("  -%s (%u): %lu\n", name ? name : "?", e,
				  tally.by_errno[e]);
	}
}

static bool setup_window(void)
{
	unsigned int i;

	memset(&mem, CANARY, sizeof(mem));
	for (i = 0; i < WINDOW_SIZE / KG_PAGE_SIZE; i++)
		if (!kg_map_page(WINDOW_VA + i * KG_PAGE_SIZE,
				 (uintptr_t)mem.scratch + i * KG_PAGE_SIZE)) {
			kg_error("cannot map the scratch window\n");
			return false;
		}
	return true;
}

static void check_canaries(void)
{
	unsigned int i, lo = 0, hi = 0;

	for (i = 0; i < KG_PAGE_SIZE; i++) {
		lo += mem.lo[i] != CANARY;
		hi += mem.hi[i] != CANARY;
	}
	kg_check(!lo && !hi,
		 "nothing written outside the scratch window (%u bytes below, %u above changed)",
		 lo, hi);
}

void test_main(void)
{
	unsigned long iters = kg_cmdline_ulong("iters", DEFAULT_ITERS);
	unsigned long i;
	long rc;

	kg_require_xen();
	rng_state = kg_cmdline_ulong("seed", DEFAULT_SEED) | 1;
	if (!setup_window())
		return;
	kg_printf("badargs: %lu iterations, seed %#lx\n", iters,
		  (unsigned long)rng_state);
	for (i = 0; i < iters; i++) {
		unsigned int which = (unsigned int)rnd_below(ARRAY_SIZE(fuzzers));

		account(which, i, fuzzers[which].fn());
		if ((i + 1) % 5000 == 0)
			kg_printf("badargs: %lu/%lu calls done\n", i + 1, iters);
	}
	print_tally();
	kg_check(!tally.bad, "every return value is >= 0 or a Xen errno");
	check_canaries();
	rc = kg_xen_version(XENVER_version, NULL);
	kg_check(rc == (long)kg_xen.version,
		 "xen_version still works afterwards (rc %#lx)", rc);
	kg_success(NULL);
}
