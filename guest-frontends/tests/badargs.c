// SPDX-License-Identifier: GPL-2.0
/*
 * badargs: throws garbage at every hypercall and sub-op the hypervisor
 * implements (xen_version, console_io, sched_op, set_timer_op,
 * memory_op, vcpu_op, event_channel_op, hvm_op, grant_table_op,
 * vm_assist) and at
 * hypercall numbers it does not, from a fixed-seed xorshift64*
 * generator.  The only demands: every call returns, with a value that is
 * either non-negative or a Xen errno (-1..-4095, xen/errno.h), the
 * hypervisor never writes outside the buffer a pointer designates, and
 * the domain is still healthy at the end.
 *
 * Command line: "iters=N" (default 20000), "seed=N".
 *
 * Pointers come from classes: NULL page (unmapped), non-canonical, upper
 * half, unmapped lower half, MMIO (LAPIC/IOAPIC, identity-mapped), a hole
 * in guest-physical space, and a scratch window whose neighbouring
 * pages are unmapped guards, so an overlong length ends in a fault and
 * never in our own memory.  Canary pages physically next to the scratch
 * buffer catch a hypervisor that ignores the guard (e.g. copies through
 * contiguous guest-physical memory instead of walking the page tables).
 * Argument structs are built at random places in the window, random
 * bytes with chosen fields, so the hypervisor's writes stay there too.
 *
 * Guest frame numbers (balloon, add_to_physmap, vcpu_info) come from
 * "victim" pages of our own that nothing else touches, from far past
 * RAM, or are invalid: a hypervisor that acts on them (as Xen does) must
 * not be able to take our code or stack away.
 *
 * Left out, because a correct hypervisor would act on them and end or
 * stall the test: SCHEDOP_block (blocks with no event source),
 * SCHEDOP_shutdown, SCHEDOP_remote_shutdown, SCHEDOP_shutdown_code and
 * SCHEDOP_watchdog (xen/sched.h), and SCHEDOP_poll with a port list that
 * could name valid ports with no timeout; such lists get a timeout of
 * 1 ns (long past).  Also left out, or only called with unmapped
 * arguments, are the sub-ops by which a correct hypervisor would change
 * our own memory or interrupt us as asked: VCPUOP_down of vCPU 0 (our
 * only one: the domain powers off), VCPUOP_send_nmi, HVM params and
 * upcall vectors that would route events to a random vector, grant
 * copies and maps (Xen performs them for a privileged guest), and
 * sub-op numbers the reference Xen implements but the hypervisor under
 * test does not.  Unimplemented-number calls keep the low 32 bits >= 64
 * so that a hypervisor that truncates the number still sees an unused
 * one.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/pagetable.h>
#include <kg/report.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/hvm/params.h>

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

/* Pages the hypervisor may take away or replace; we never touch them. */
#define NR_VICTIMS	8
static u8 victim[NR_VICTIMS][KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);

static u64 rng_state;
static domid_t self_domid;	/* CPUID's, read once */

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
	PTR_MMIO,
	PTR_PHYS_HOLE,
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
	case PTR_MMIO:
		/* IOAPIC to the top of 4 GiB, identity-mapped: not RAM. */
		return 0xfec00000ull + rnd_below(0x1400000ull);
	case PTR_PHYS_HOLE:
		/* Identity-mapped, far past the RAM a test domain has. */
		return 0x40000000ull + rnd_below(0x80000000ull);
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

/*
 * A poll that must fail: invalid ports, or a list it cannot read; or one
 * of small port numbers that may be bound, with a timeout long past.
 */
static long fuzz_poll(void)
{
	static evtchn_port_t bad_ports[200];
	static struct sched_poll poll;
	bool small = !rnd_below(4);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_ports); i++)
		bad_ports[i] = small ? (u32)rnd_below(64) :
				       0x80000000u | (u32)rnd();
	poll.nr_ports = 1 + (unsigned int)rnd_below(ARRAY_SIZE(bad_ports));
	poll.timeout = small ? 1 : rnd();
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

static bool in_window(const void *p)
{
	return (uintptr_t)p >= WINDOW_VA &&
	       (uintptr_t)p < WINDOW_VA + WINDOW_SIZE;
}

/*
 * An argument struct of @len bytes at a random place in the @size bytes
 * of the scratch window from @start (random bytes, for the caller to set
 * fields in), or 1 time in 8 an address that is not mapped at all.
 */
static void *arg_buf_in(u64 start, u64 size, size_t len)
{
	u8 *p;
	size_t i;

	if (!rnd_below(8) || len > size)
		return (void *)(uintptr_t)unmapped_ptr();
	p = (u8 *)(uintptr_t)(start + rnd_below(size - len + 1));
	for (i = 0; i < len; i++)
		p[i] = (u8)rnd();
	return p;
}

static void *arg_buf(size_t len)
{
	return arg_buf_in(WINDOW_VA, WINDOW_SIZE, len);
}

/* 4 GiB and up, by 1 GiB: past the RAM (and MMIO) of any test domain. */
static u64 far_gfn(void)
{
	return 0x100000ull + rnd_below(0x40000ull);
}

/*
 * Past any guest-physical address (2^48 and up, a 4-level walk's
 * reach).  Xen's p2m code takes only the low bits of some of these, so
 * those point far past RAM too.
 */
static u64 huge_gfn(void)
{
	return (rnd() << 36) | (1ull << 36) | far_gfn();
}

/* A frame number it is safe to let the hypervisor act on (see above). */
static u64 safe_gfn(void)
{
	switch (rnd_below(4)) {
	case 0:
		return (uintptr_t)victim[rnd_below(NR_VICTIMS)] / KG_PAGE_SIZE;
	case 1:
		return far_gfn();
	case 2:
		return huge_gfn();
	default:
		return rnd_below(2) ? ~0ull : (1ull << 36) | far_gfn();
	}
}

static domid_t rnd_domid(void)
{
	switch (rnd_below(4)) {
	case 0:
	case 1:
		return DOMID_SELF;
	case 2:
		return (domid_t)rnd();
	default:
		return self_domid;
	}
}

/* Random, mostly small, sometimes huge: vCPU ids, ports, counts. */
static u64 rnd_small(void)
{
	switch (rnd_below(4)) {
	case 0:
		return rnd_below(4);
	case 1:
		return rnd_below(64);
	case 2:
		return rnd_below(0x10000);
	default:
		return rnd();
	}
}

static long memop(u64 cmd, void *arg)
{
	return kg_hcall(__HYPERVISOR_memory_op, cmd, (uintptr_t)arg, rnd(),
			rnd(), rnd());
}

/*
 * decrease_reservation / populate_physmap over a list of safe frames; the
 * struct and the list lie in different pages of the window, so that
 * filling one cannot put other frame numbers into the other.
 */
static long fuzz_balloon(unsigned int cmd)
{
	struct xen_memory_reservation *r =
		arg_buf_in(WINDOW_VA, KG_PAGE_SIZE, sizeof(*r));
	u64 *list = arg_buf_in(WINDOW_VA + KG_PAGE_SIZE, KG_PAGE_SIZE,
			       8 * sizeof(u64));
	unsigned int i, n = (unsigned int)rnd_below(9), order = 0;

	/*
	 * Xen aligns an extent down to its order, so past order 20 even a
	 * far frame's extent would start at frame 0: our RAM and MMIO.
	 */
	if (rnd_below(4) == 0)
		order = (unsigned int)rnd_below(21);
	if (in_window(list))
		for (i = 0; i < 8; i++) {
			list[i] = safe_gfn();
			/*
			 * Bigger extents only where no RAM of ours is: Xen
			 * maps one at INVALID_GFN too, wrapping to frame 0.
			 */
			if (order && (list[i] < 0x100000ull || !~list[i]))
				list[i] = huge_gfn();
		}
	if (in_window(r)) {
		r->nr_extents = rnd_below(8) ? n : rnd();
		if (r->nr_extents > 8 && in_window(list))
			list = (u64 *)(uintptr_t)unmapped_ptr();
		set_xen_guest_handle(r->extent_start, (xen_pfn_t *)list);
		r->extent_order = order;
		r->mem_flags = rnd_below(4) ? 0 : (u32)rnd();
		r->domid = rnd_domid();
	}
	return memop(cmd | (rnd_below(8) ? 0 : rnd_small() << 6), r);
}

/*
 * increase_reservation: a few small extents (a privileged domain under a
 * real Xen has no maximum to stop it), any list pointer, any domain.
 */
static long fuzz_increase(void)
{
	struct xen_memory_reservation *r = arg_buf(sizeof(*r));

	if (in_window(r)) {
		r->nr_extents = rnd_below(8);
		r->extent_order = rnd_below(4) ? 0 : (u32)rnd_below(40);
		if (r->extent_order > 9)
			r->nr_extents = 1;
		set_xen_guest_handle(r->extent_start,
				     (xen_pfn_t *)(uintptr_t)garbage_ptr());
		r->mem_flags = rnd_below(4) ? 0 : (u32)rnd();
		r->domid = rnd_domid();
	}
	return memop(XENMEM_increase_reservation, r);
}

static long fuzz_add_to_physmap(void)
{
	struct xen_add_to_physmap *a = arg_buf(sizeof(*a));

	if (!in_window(a))
		return memop(XENMEM_add_to_physmap, a);
	a->domid = rnd_domid();
	a->gpfn = safe_gfn();
	switch (rnd_below(5)) {
	case 0:
		a->space = XENMAPSPACE_shared_info;
		a->idx = rnd_below(2) ? 0 : rnd_small();
		break;
	case 1:
	case 2:
		a->space = XENMAPSPACE_grant_table;
		a->idx = rnd_below(4) ? rnd_below(70) :
			 rnd_small() | (rnd_below(2) << 31);
		break;
	case 3:
		/*
		 * Moving RAM around: from frames that are none of ours
		 * (they may have been populated), to places that are none
		 * of ours either, for a range too.
		 */
		a->space = XENMAPSPACE_gmfn + rnd_below(2);
		a->idx = rnd_below(2) ? far_gfn() : huge_gfn();
		a->gpfn = rnd_below(2) ? far_gfn() : huge_gfn();
		a->size = (u16)rnd();
		break;
	default:
		a->space = XENMAPSPACE_gmfn_foreign + (u32)rnd_below(0x100);
		a->idx = rnd();
		break;
	}
	return memop(XENMEM_add_to_physmap, a);
}

/*
 * add_to_physmap_batch: the struct and its three arrays each in their own
 * quarter of the window, so that errs[] written back lands on neither the
 * indexes nor the frames.  Entries as fuzz_add_to_physmap() makes them;
 * RAM is only ever moved from frames that are none of ours.
 */
static long fuzz_physmap_batch(void)
{
	const u64 q = WINDOW_SIZE / 4;
	unsigned int n = (unsigned int)rnd_below(9), i;
	struct xen_add_to_physmap_batch *b;
	xen_ulong_t *idxs;
	xen_pfn_t *gpfns;
	int *errs;

	b = arg_buf_in(WINDOW_VA, q, sizeof(*b));
	idxs = arg_buf_in(WINDOW_VA + q, q, (n + 1) * sizeof(*idxs));
	gpfns = arg_buf_in(WINDOW_VA + 2 * q, q, (n + 1) * sizeof(*gpfns));
	errs = arg_buf_in(WINDOW_VA + 3 * q, q, (n + 1) * sizeof(*errs));
	if (!in_window(b))
		return memop(XENMEM_add_to_physmap_batch, b);
	b->domid = rnd_domid();
	b->space = rnd_below(4) ? (u16)rnd_below(4) : 5 + (u16)rnd();
	b->size = (u16)n;
	b->u.foreign_domid = rnd_below(2) ? 0 : (domid_t)rnd();
	set_xen_guest_handle(b->idxs, idxs);
	set_xen_guest_handle(b->gpfns, gpfns);
	set_xen_guest_handle(b->errs, errs);
	for (i = 0; i < n && in_window(idxs) && in_window(gpfns); i++) {
		idxs[i] = b->space == XENMAPSPACE_gmfn ? far_gfn() :
			  rnd_below(4) ? rnd_below(70) : rnd();
		gpfns[i] = b->space == XENMAPSPACE_gmfn ? huge_gfn() :
			   safe_gfn();
	}
	return memop(XENMEM_add_to_physmap_batch |
		     (rnd_below(8) ? 0 : rnd_small() << 6), b);
}

static long fuzz_memory_op(void)
{
	struct xen_memory_map *mm;

	switch (rnd_below(8)) {
	case 0:
		return fuzz_balloon(XENMEM_decrease_reservation);
	case 1:
		if (rnd_below(4))
			return fuzz_balloon(XENMEM_populate_physmap);
		return fuzz_increase();
	case 2:
		return fuzz_add_to_physmap();
	case 3:
		return fuzz_physmap_batch();
	case 4:
		mm = arg_buf(sizeof(*mm));
		if (in_window(mm)) {
			mm->nr_entries = (u32)rnd_small();
			set_xen_guest_handle(mm->buffer,
					     (void *)(uintptr_t)garbage_ptr());
		}
		return memop(XENMEM_memory_map, mm);
	case 5:
		return memop(XENMEM_current_reservation + rnd_below(2),
			     (void *)(uintptr_t)garbage_ptr());
	case 6:
		return memop(rnd_below(2) ? XENMEM_maximum_ram_page : 14,
			     (void *)(uintptr_t)garbage_ptr());
	default:
		/* Numbers Xen 4.17 does not use either, extent bits too. */
		return memop((rnd() & ~0x3full) | (32 + rnd_below(32)),
			     (void *)(uintptr_t)garbage_ptr());
	}
}

static long vcpuop(unsigned int cmd, u64 vcpu, void *arg)
{
	return kg_hcall(__HYPERVISOR_vcpu_op, cmd, vcpu, (uintptr_t)arg,
			rnd(), rnd());
}

static long fuzz_vcpu_register(unsigned int cmd, u64 vcpu)
{
	struct vcpu_register_vcpu_info *vi;
	struct vcpu_register_runstate_memory_area *ra;

	if (cmd == VCPUOP_register_vcpu_info) {
		vi = arg_buf(sizeof(*vi));
		if (in_window(vi)) {
			vi->mfn = safe_gfn();
			vi->offset = (u32)rnd_small();
		}
		return vcpuop(cmd, vcpu, vi);
	}
	ra = arg_buf(sizeof(*ra));
	if (in_window(ra))
		ra->addr.p = garbage_ptr();
	return vcpuop(cmd, vcpu, ra);
}

static long fuzz_vcpu_op(void)
{
	static const unsigned int cmds[] = {
		VCPUOP_initialise, VCPUOP_up, VCPUOP_down, VCPUOP_is_up,
		VCPUOP_get_runstate_info, VCPUOP_register_runstate_memory_area,
		VCPUOP_set_periodic_timer, VCPUOP_stop_periodic_timer,
		VCPUOP_set_singleshot_timer, VCPUOP_stop_singleshot_timer,
		VCPUOP_register_vcpu_info,
	};
	unsigned int cmd = cmds[rnd_below(ARRAY_SIZE(cmds))];
	u64 vcpu = rnd_small();
	void *arg = (void *)(uintptr_t)garbage_ptr();

	if (!rnd_below(16))
		/* Unknown commands: Xen 4.17 uses 0-15. */
		return vcpuop(32 + (u32)rnd_below(0x10000), vcpu, arg);
	/* Our only vCPU going down would power the domain off. */
	if (cmd == VCPUOP_down && (u32)vcpu == 0)
		vcpu = 1 + rnd_below(0xffff);
	if (cmd == VCPUOP_register_runstate_memory_area ||
	    cmd == VCPUOP_register_vcpu_info)
		return fuzz_vcpu_register(cmd, vcpu);
	if (cmd == VCPUOP_initialise || cmd == VCPUOP_set_periodic_timer ||
	    cmd == VCPUOP_set_singleshot_timer)
		arg = arg_buf(sizeof(struct vcpu_hvm_context));
	return vcpuop(cmd, vcpu, arg);
}

static long fuzz_evtchn_op(void)
{
	static const unsigned int cmds[] = {
		EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq,
		EVTCHNOP_close, EVTCHNOP_send, EVTCHNOP_status,
		EVTCHNOP_alloc_unbound, EVTCHNOP_bind_ipi, EVTCHNOP_bind_vcpu,
		EVTCHNOP_unmask, EVTCHNOP_reset,
	};
	unsigned int cmd = cmds[rnd_below(ARRAY_SIZE(cmds))];
	u32 *a = arg_buf(6 * sizeof(u32));

	if (!rnd_below(16))
		cmd = 16 + (u32)rnd_below(0x10000);
	/* Ports, vCPUs, VIRQs and domids: mostly small numbers. */
	if (in_window(a) && rnd_below(2)) {
		unsigned int i;

		for (i = 0; i < 6; i++)
			a[i] = (u32)rnd_small();
		if (cmd == EVTCHNOP_alloc_unbound ||
		    cmd == EVTCHNOP_bind_interdomain || cmd == EVTCHNOP_reset)
			*(domid_t *)a = rnd_domid();
	}
	return kg_hcall(__HYPERVISOR_event_channel_op, cmd, (uintptr_t)a,
			rnd(), rnd(), rnd());
}

/*
 * HVM params: reads of anything; writes only where they must fail or
 * switch the callback off (a random callback vector would be taken).
 */
static long fuzz_hvm_param(bool set)
{
	struct xen_hvm_param *p = arg_buf(sizeof(*p));
	domid_t self = self_domid;

	if (!in_window(p))
		return kg_hvm_op(set ? HVMOP_set_param : HVMOP_get_param, p);
	p->domid = rnd_domid();
	p->index = (u32)rnd_small();
	p->value = rnd();
	if (set) {
		switch (rnd_below(3)) {
		case 0:
			p->index = HVM_PARAM_CALLBACK_IRQ;
			p->value = 0;
			break;
		case 1:
			p->index = HVM_NR_PARAMS + (u32)rnd_below(0x10000);
			break;
		default:
			p->domid = (domid_t)
				   (1 + rnd_below(DOMID_FIRST_RESERVED - 1));
			if (p->domid == self)
				p->domid++;
			break;
		}
	}
	return kg_hvm_op(set ? HVMOP_set_param : HVMOP_get_param, p);
}

static long fuzz_hvm_op(void)
{
	struct xen_hvm_evtchn_upcall_vector *uv;
	struct xen_hvm_pagetable_dying *pd;

	switch (rnd_below(6)) {
	case 0:
	case 1:
		return fuzz_hvm_param(rnd_below(2));
	case 2:
		uv = arg_buf(sizeof(*uv));
		if (in_window(uv)) {
			/* An invalid vector, or a vCPU we do not have. */
			if (rnd_below(2))
				uv->vector = (u8)rnd_below(0x10);
			else
				uv->vcpu = 1 + (u32)rnd_small();
		}
		return kg_hvm_op(HVMOP_set_evtchn_upcall_vector, uv);
	case 3:
		pd = arg_buf(sizeof(*pd));
		return kg_hvm_op(HVMOP_pagetable_dying, pd);
	default:
		/* Numbers Xen 4.17 does not use (it stops at 25). */
		return kg_hcall(__HYPERVISOR_hvm_op, 64 + rnd_below(0x10000),
				garbage_ptr(), rnd(), rnd(), rnd());
	}
}

static long gnttab(u64 cmd, void *arg, u64 count)
{
	return kg_hcall(__HYPERVISOR_grant_table_op, cmd, (uintptr_t)arg,
			count, rnd(), rnd());
}

static long fuzz_grant_table_op(void)
{
	struct gnttab_setup_table *st;
	u64 count = rnd_below(4) ? 1 : rnd_small();

	switch (rnd_below(7)) {
	case 0:
		return gnttab(GNTTABOP_query_size, arg_buf(16), count);
	case 1:
		st = arg_buf(sizeof(*st));
		if (in_window(st)) {
			st->dom = rnd_domid();
			st->nr_frames = rnd_below(4) ? rnd_below(70) :
						       (u32)rnd();
			set_xen_guest_handle(st->frame_list, (xen_pfn_t *)
					     (uintptr_t)garbage_ptr());
		}
		return gnttab(GNTTABOP_setup_table, st, count);
	case 2:
		return gnttab(GNTTABOP_set_version, arg_buf(4), count);
	case 3:
		return gnttab(GNTTABOP_get_version, arg_buf(8), count);
	case 4:
		/* The data path: Xen acts on it, so nothing it can read. */
		return gnttab(rnd_below(2) ? GNTTABOP_copy : rnd_below(2),
			      (void *)(uintptr_t)unmapped_ptr(), count);
	case 5:
		/* Commands an HVM guest may not use, opaque bits, unknown. */
		return gnttab(rnd_below(2) ? 3 + rnd_below(10) :
			      rnd() | 0x100000000ull,
			      (void *)(uintptr_t)garbage_ptr(), count);
	default:
		return gnttab(13 + rnd_below(0x10000),
			      (void *)(uintptr_t)garbage_ptr(), count);
	}
}

static long fuzz_set_timer_op(void)
{
	return kg_hcall(__HYPERVISOR_set_timer_op, rnd_below(2) ? rnd() :
			rnd_below(1000000), rnd(), rnd(), rnd(), rnd());
}

/* Any command and type: an HVM guest may only have one assist. */
static long fuzz_vm_assist(void)
{
	return kg_hcall(__HYPERVISOR_vm_assist,
			rnd_below(2) ? rnd_below(4) : rnd(),
			rnd_below(2) ? rnd_below(40) : rnd(), rnd(), rnd(),
			rnd());
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
	{ "set_timer_op", fuzz_set_timer_op },
	{ "memory_op", fuzz_memory_op },
	{ "vcpu_op", fuzz_vcpu_op },
	{ "event_channel_op", fuzz_evtchn_op },
	{ "hvm_op", fuzz_hvm_op },
	{ "grant_table_op", fuzz_grant_table_op },
	{ "vm_assist", fuzz_vm_assist },
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
	self_domid = (domid_t)kg_xen_domid();
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
