// SPDX-License-Identifier: GPL-2.0
/*
 * gmemrace: a hostile guest that gives back, or covers with a grant
 * frame, the pages the host is using for it, from one vCPU while the
 * other vCPU, the host's timers and its xenstore worker use them.  Needs
 * two vCPUs; with one it reports SKIP.
 *
 * Set up on vCPU 0: shared_info in our RAM, both vCPUs' vcpu_info in a
 * page of ours (VCPUOP_register_vcpu_info), the FIFO event ABI with a
 * control block page per vCPU and one event array page, VIRQ_TIMER
 * bound on both vCPUs with a 1 ms periodic timer each (the host's
 * hrtimer links the event words and raises READY in the control blocks).
 *
 * vCPU 1 loops, with interrupts off: a xenstore read of "domid" on the
 * ring at HVM_PARAM_STORE_PFN (sent as soon as the last reply is in),
 * consuming its timer event (clearing PENDING/LINKED and READY, so the
 * next tick links again), registering its runstate area and its
 * vcpu_time area in a page of ours (the host writes both), and
 * VCPUOP_get_runstate_info into another page.
 *
 * vCPU 0, each of ROUNDS rounds (cmdline rounds=, default 10000):
 * - every pinned frame (shared_info, vcpu_info, the control blocks, the
 *   event array page, the xenstore and console rings):
 *   XENMEM_decrease_reservation does 0 extents and XENMEM_add_to_physmap
 *   of grant frame 0 over it is -EBUSY;
 * - the runstate/time page and the get_runstate_info page are given
 *   back (even rounds: decrease_reservation, 1 extent; odd rounds: grant
 *   frame 1 mapped over it, then moved past RAM) and populated again.
 * vCPU 1's calls return 0 or -EFAULT (a page given back), its xenstore
 * replies keep coming and all are replies to its reads, its timer keeps
 * ticking; after the rounds vCPU 0 reads "domid" over the ring itself.
 * The host's side (no page freed while in use) is checked by the lab
 * test around it: live pages back to baseline, no poisoned page found
 * written, the kernel not tainted.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <kg/time.h>
#include <kg/traps.h>
#include <xen/memory.h>
#include <xen/vcpu.h>
#include <xen/hvm/params.h>
#include <xen/io/xs_wire.h>

KG_TEST_TITLE("gmemrace");

#define AP		1
#define TIMER_NS	(1 * KG_NSEC_PER_MSEC)
#define WAIT_NS		(5000 * KG_NSEC_PER_MSEC)
#define NR_PINNED	7
#define BITW(b)		(1u << EVTCHN_FIFO_##b)

static u8 vi_page[KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);
static u8 cb_page[2][KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);
static event_word_t array_page[KG_PAGE_SIZE / sizeof(event_word_t)]
	__aligned(KG_PAGE_SIZE);
/* Given back and populated every round: never touched by the guest. */
static u8 rs_page[KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);
static u8 out_page[KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);
static u8 ap_stack[KG_STACK_SIZE] __aligned(16);

static struct xenstore_domain_interface *xs;
static evtchn_port_t xs_port, timer_port[2];
static u64 far_gfn;		/* past RAM: where grant frame 1 moves to */

/* vCPU 1's side. */
static bool ap_stop, ap_stopped;
static u64 ap_loops, ap_bad, ap_ticks, xs_replies, xs_bad;
static long ap_bad_rc;
static bool xs_waiting;
static u32 xs_req_id;

static u64 gfn_of(const void *p)
{
	return (uintptr_t)p / KG_PAGE_SIZE;
}

/* A byte at ring index @i, both rings 1024 bytes (xs_wire.h). */
static void xs_put(XENSTORE_RING_IDX i, u8 b)
{
	xs->req[MASK_XENSTORE_IDX(i)] = b;
}

static u8 xs_get(XENSTORE_RING_IDX i)
{
	return xs->rsp[MASK_XENSTORE_IDX(i)];
}

/*
 * One step of a xenstore client that keeps a read of "domid" in flight:
 * take a whole reply if there is one, else send the next request if the
 * ring has room.  Byte by byte: the indexes wrap anywhere.
 */
static void xs_step(void)
{
	static const char path[] = "domid";
	struct xsd_sockmsg h = { .type = XS_READ, .len = sizeof(path) };
	XENSTORE_RING_IDX prod, cons;
	const u8 *p = (const u8 *)&h;
	u32 i;

	if (xs_waiting) {
		prod = READ_ONCE(xs->rsp_prod);
		cons = xs->rsp_cons;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (prod - cons < sizeof(h))
			return;
		for (i = 0; i < sizeof(h); i++)
			((u8 *)&h)[i] = xs_get(cons + i);
		if (h.len > XENSTORE_PAYLOAD_MAX ||
		    prod - cons < sizeof(h) + h.len) {
			xs_bad += h.len > XENSTORE_PAYLOAD_MAX;
			return;
		}
		xs_bad += h.type != XS_READ || h.req_id != xs_req_id;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		WRITE_ONCE(xs->rsp_cons, cons + sizeof(h) + h.len);
		xs_replies++;
		xs_waiting = false;
		kg_evtchn_send(xs_port);
		return;
	}
	prod = xs->req_prod;
	cons = READ_ONCE(xs->req_cons);
	if (XENSTORE_RING_SIZE - (prod - cons) < sizeof(h) + sizeof(path))
		return;
	h.req_id = ++xs_req_id;
	for (i = 0; i < sizeof(h); i++)
		xs_put(prod++, p[i]);
	for (i = 0; i < sizeof(path); i++)
		xs_put(prod++, path[i]);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	WRITE_ONCE(xs->req_prod, prod);
	xs_waiting = true;
	kg_evtchn_send(xs_port);
}

/* vCPU 1's timer event: counted, then unlinked so the next one links. */
static void ap_consume_tick(void)
{
	event_word_t *w = &array_page[timer_port[AP]];
	struct evtchn_fifo_control_block *cb = (void *)cb_page[AP];

	if (__atomic_fetch_and(w, ~(BITW(PENDING) | BITW(LINKED)),
			       __ATOMIC_SEQ_CST) & BITW(PENDING))
		ap_ticks++;
	__atomic_store_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
}

static void ap_expect(long rc)
{
	if (rc && rc != -XEN_EFAULT) {
		ap_bad++;
		ap_bad_rc = rc;
	}
}

static void __noreturn ap_main(void)
{
	struct vcpu_set_periodic_timer pt = { .period_ns = TIMER_NS };
	struct vcpu_register_runstate_memory_area ra;
	struct vcpu_register_time_memory_area ta;

	kg_traps_init_ap();
	ap_expect(kg_vcpu_op(VCPUOP_set_periodic_timer, AP, &pt));
	while (!READ_ONCE(ap_stop)) {
		xs_step();
		ap_consume_tick();
		ra.addr.v = (void *)rs_page;
		ap_expect(kg_vcpu_op(VCPUOP_register_runstate_memory_area, AP,
				     &ra));
		ta.addr.p = (uintptr_t)(rs_page + 512);
		ap_expect(kg_vcpu_op(VCPUOP_register_vcpu_time_memory_area,
				     AP, &ta));
		ap_expect(kg_vcpu_op(VCPUOP_get_runstate_info, 0, out_page));
		ap_loops++;
	}
	kg_vcpu_op(VCPUOP_stop_periodic_timer, AP, NULL);
	ra.addr.v = NULL;
	kg_vcpu_op(VCPUOP_register_runstate_memory_area, AP, &ra);
	ta.addr.p = 0;
	kg_vcpu_op(VCPUOP_register_vcpu_time_memory_area, AP, &ta);
	WRITE_ONCE(ap_stopped, true);
	for (;;)
		kg_vcpu_op(VCPUOP_down, AP, NULL);
}

static long one_extent(unsigned int cmd, u64 gfn)
{
	xen_pfn_t list[1] = { gfn };
	struct xen_memory_reservation r = {
		.nr_extents = 1, .extent_order = 0, .domid = DOMID_SELF,
	};

	set_xen_guest_handle(r.extent_start, list);
	return kg_memory_op(cmd, &r);
}

static long grant_frame_at(u64 idx, u64 gfn)
{
	struct xen_add_to_physmap a = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
		.idx = idx, .gpfn = gfn,
	};

	return kg_memory_op(XENMEM_add_to_physmap, &a);
}

static bool setup_fifo(void)
{
	struct evtchn_init_control ic = { .vcpu = 0 };
	struct evtchn_expand_array ea = { .array_gfn = gfn_of(array_page) };
	long rc[5];
	unsigned int v;

	for (v = 0; v < 2; v++) {
		ic.vcpu = v;
		ic.control_gfn = gfn_of(cb_page[v]);
		rc[v] = kg_evtchn_op(EVTCHNOP_init_control, &ic);
	}
	rc[2] = kg_evtchn_op(EVTCHNOP_expand_array, &ea);
	rc[3] = kg_evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port[0]);
	rc[4] = kg_evtchn_bind_virq(VIRQ_TIMER, AP, &timer_port[AP]);
	return kg_check(!rc[0] && !rc[1] && !rc[2] && !rc[3] && !rc[4] &&
			timer_port[AP] < ARRAY_SIZE(array_page),
			"FIFO: init_control %ld %ld, expand_array %ld, VIRQ_TIMER ports %u/%u (%ld %ld)",
			rc[0], rc[1], rc[2], timer_port[0], timer_port[AP],
			rc[3], rc[4]);
}

static bool setup(u64 *pinned)
{
	struct vcpu_set_periodic_timer pt = { .period_ns = TIMER_NS };
	struct vcpu_register_vcpu_info vi = { .mfn = gfn_of(vi_page) };
	u64 store = 0, port = 0, cons = 0;
	long rc, rc1, top;

	if (kg_vcpu_op(VCPUOP_is_up, AP, NULL) < 0) {
		kg_skip("needs 2 vCPUs\n");
		return false;
	}
	rc = kg_hvm_get_param(HVM_PARAM_STORE_PFN, &store) |
	     kg_hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port) |
	     kg_hvm_get_param(HVM_PARAM_CONSOLE_PFN, &cons);
	if (!rc && !store) {
		kg_skip("no HVM_PARAM_STORE_PFN: the toolstack set no ring\n");
		return false;
	}
	if (!kg_check(rc == 0 && port, "store ring at %#llx, port %llu",
		      (unsigned long long)store, (unsigned long long)port))
		return false;
	xs = (void *)(uintptr_t)(store * KG_PAGE_SIZE);
	xs_port = port;
	rc = kg_map_shared_info();
	if (!kg_check(rc == 0, "shared_info mapped (rc %ld)", rc))
		return false;
	rc = kg_vcpu_op(VCPUOP_register_vcpu_info, 0, &vi);
	vi.offset = 64;
	rc1 = kg_vcpu_op(VCPUOP_register_vcpu_info, AP, &vi);
	if (!kg_check(!rc && !rc1, "vcpu_info of both vCPUs in one page (rc %ld %ld)",
		      rc, rc1) || !setup_fifo())
		return false;
	kg_vcpu_info = (struct vcpu_info *)vi_page;	/* the clock moved */
	top = kg_memory_op(XENMEM_maximum_ram_page, NULL);
	far_gfn = top + 16;
	pinned[0] = gfn_of(kg_shinfo);
	pinned[1] = gfn_of(vi_page);
	pinned[2] = gfn_of(cb_page[0]);
	pinned[3] = gfn_of(cb_page[1]);
	pinned[4] = gfn_of(array_page);
	pinned[5] = store;
	pinned[6] = cons ? cons : store;
	rc = kg_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt);
	rc1 = kg_vcpu_start(AP, ap_main, ap_stack + sizeof(ap_stack));
	return kg_check(!rc && !rc1 && top > 0,
			"periodic timer %ld, vCPU 1 started %ld, max ram page %#lx",
			rc, rc1, top);
}

/* Give back, or cover with grant frame 1, a page in use; back again. */
static bool balloon_round(u64 gfn, unsigned long round)
{
	long out, back;

	if (round & 1) {
		out = grant_frame_at(1, gfn) ? -1 :
		      grant_frame_at(1, far_gfn) ? -2 : 1;
	} else {
		out = one_extent(XENMEM_decrease_reservation, gfn);
	}
	back = one_extent(XENMEM_populate_physmap, gfn);
	if (out == 1 && back == 1)
		return true;
	kg_error("round %lu, gfn %#lx: out %ld, populate %ld\n", round,
		 (unsigned long)gfn, out, back);
	return false;
}

static bool pinned_round(const u64 *pinned, unsigned long round)
{
	long dec, map;
	unsigned int i;

	for (i = 0; i < NR_PINNED; i++) {
		dec = one_extent(XENMEM_decrease_reservation, pinned[i]);
		map = grant_frame_at(0, pinned[i]);
		if (dec != 0 || map != -XEN_EBUSY) {
			kg_error("round %lu, pinned gfn %#lx: decrease %ld (want 0), ",
				 round, (unsigned long)pinned[i], dec);
			kg_printf("grant frame over it %ld (want -EBUSY)\n", map);
			return false;
		}
	}
	return true;
}

/* vCPU 0 reads "domid" over the ring itself, vCPU 1 being stopped. */
static bool final_read(void)
{
	u64 start = xs_replies, end = kg_now_ns() + WAIT_NS;

	while (xs_replies < start + 2 && kg_now_ns() < end) {
		xs_step();
		kg_cpu_relax();
	}
	return xs_replies >= start + 2;
}

void test_main(void)
{
	unsigned long rounds = kg_cmdline_ulong("rounds", 10000), r;
	u64 pinned[NR_PINNED], t0;
	bool ok = true;

	kg_require_xen();
	if (!setup(pinned))
		return;
	kg_printf("%lu rounds; pinned %#lx %#lx %#lx %#lx %#lx %#lx %#lx; given back %#lx %#lx\n",
		  rounds, (unsigned long)pinned[0], (unsigned long)pinned[1],
		  (unsigned long)pinned[2], (unsigned long)pinned[3],
		  (unsigned long)pinned[4], (unsigned long)pinned[5],
		  (unsigned long)pinned[6], (unsigned long)gfn_of(rs_page),
		  (unsigned long)gfn_of(out_page));
	t0 = kg_now_ns();
	for (r = 0; ok && r < rounds; r++) {
		ok = pinned_round(pinned, r) &&
		     balloon_round(gfn_of(rs_page), r) &&
		     balloon_round(gfn_of(out_page), r);
		if (!(r % 1000))
			kg_printf("  round %lu: vCPU 1 %lu loops, %lu replies, %lu ticks\n",
				  r, (unsigned long)ap_loops,
				  (unsigned long)xs_replies,
				  (unsigned long)ap_ticks);
	}
	kg_check(ok && r == rounds,
		 "%lu rounds in %lu ms: pinned frames refused, the others given back and repopulated",
		 r, (unsigned long)((kg_now_ns() - t0) / KG_NSEC_PER_MSEC));
	WRITE_ONCE(ap_stop, true);
	for (t0 = kg_now_ns(); !READ_ONCE(ap_stopped) &&
	     kg_now_ns() < t0 + WAIT_NS;)
		kg_cpu_relax();
	kg_check(ap_stopped, "vCPU 1 stopped (%lu loops)",
		 (unsigned long)ap_loops);
	kg_check(!ap_bad,
		 "vCPU 1's calls returned 0 or -EFAULT (%lu others, last %ld)",
		 (unsigned long)ap_bad, ap_bad_rc);
	kg_check(xs_replies > 0 && !xs_bad,
		 "xenstore replies kept coming on the pinned ring: %lu, %lu bad",
		 (unsigned long)xs_replies, (unsigned long)xs_bad);
	kg_check(ap_ticks > 0, "vCPU 1's FIFO timer event kept linking: %lu ticks",
		 (unsigned long)ap_ticks);
	kg_check(final_read() && !xs_bad,
		 "the ring still answers vCPU 0 afterwards");
	kg_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	kg_success(NULL);
}
