// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the FIFO event channel ABI (../evtchn_fifo.c through
 * ../evtchn_core.c), built for userspace against Xen's public headers.
 * Guest memory is separately allocated pages, so AddressSanitizer sees
 * any access outside a control block's or event array's page; the guest
 * side consumes queues the way Linux's events_fifo.c does.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../evtchn_core.h"
#include "tap.h"

#define NVCPUS	2
#define DOMID	7
#define NPAGES	8	/* guest RAM frames 0..7 */
#define CB0	1	/* control block frames of vCPU 0 and 1 */
#define CB1	2
#define ARR0	3	/* event array pages */
#define ARR1	4
#define PRIO	EVTCHN_FIFO_PRIORITY_DEFAULT
#define BITW(b)	(1u << EVTCHN_FIFO_##b)

static struct shared_info shinfo;
static void *ram[NPAGES];
static unsigned int kicks[NVCPUS], rises[NVCPUS];
static u32 cb_off[NVCPUS];
static u32 guest_head[NVCPUS][EVTCHN_FIFO_MAX_QUEUES];

static struct shared_info *t_shinfo(void *priv)
{
	(void)priv;
	return &shinfo;
}

static struct vcpu_info *t_vcpu_info(void *priv, u32 vcpu)
{
	(void)priv;
	return &shinfo.vcpu_info[vcpu];
}

static void t_kick(void *priv, u32 vcpu)
{
	(void)priv;
	kicks[vcpu]++;
}

static void t_upcall(void *priv, u32 vcpu)
{
	(void)priv;
	rises[vcpu]++;
}

static int t_send_remote(void *priv, u16 dom, u32 port)
{
	(void)priv, (void)dom, (void)port;
	return 0;
}

static void *t_page(void *priv, u64 gfn)
{
	(void)priv;
	return gfn < NPAGES ? ram[gfn] : NULL;
}

static const struct kxen_evtchn_ops ops = {
	.shinfo = t_shinfo, .vcpu_info = t_vcpu_info, .kick = t_kick,
	.upcall = t_upcall, .send_remote = t_send_remote, .page = t_page,
};

static struct kxen_evtchn ports[KXEN_EVTCHN_2L_PORTS];
static u32 virq_port[NVCPUS * NR_VIRQS];
static struct kxen_evtchn_fifo_vcpu fifo_vcpus[NVCPUS];
static struct kxen_evtchn_table t;

static void reset(void)
{
	unsigned int i;

	memset(&shinfo, 0, sizeof(shinfo));
	memset(kicks, 0, sizeof(kicks));
	memset(rises, 0, sizeof(rises));
	memset(guest_head, 0, sizeof(guest_head));
	for (i = 0; i < NPAGES; i++) {
		free(ram[i]);
		ram[i] = calloc(1, KXEN_FIFO_PAGE_SIZE);
	}
	kxen_evtchn_table_init(&t, ports, virq_port, NVCPUS, DOMID, &ops,
			       NULL);
	kxen_evtchn_fifo_attach(&t, fifo_vcpus);
}

static struct evtchn_fifo_control_block *cb(u32 vcpu)
{
	return (void *)((u8 *)ram[vcpu ? CB1 : CB0] + cb_off[vcpu]);
}

static event_word_t *word(u32 port)
{
	u32 page = port / KXEN_FIFO_WORDS_PER_PAGE;

	return (event_word_t *)ram[page ? ARR1 : ARR0] +
	       port % KXEN_FIFO_WORDS_PER_PAGE;
}

static int init_control(u64 gfn, u32 offset, u32 vcpu)
{
	struct evtchn_init_control ic = {
		.control_gfn = gfn, .offset = offset, .vcpu = vcpu,
	};
	int ret = kxen_evtchn_init_control(&t, &ic);

	if (!ret)
		cb_off[vcpu] = offset;
	return ret;
}

/* The guest's side: a page of masked words (Linux's init_array_page). */
static int expand(u64 gfn)
{
	unsigned int i;

	for (i = 0; gfn < NPAGES && i < KXEN_FIFO_WORDS_PER_PAGE; i++)
		((event_word_t *)ram[gfn])[i] = BITW(MASKED);
	return kxen_evtchn_expand_array(&t, gfn);
}

/* FIFO on with vCPU 0's control block and one array page. */
static void fifo_on(void)
{
	reset();
	init_control(CB0, 0, 0);
	expand(ARR0);
}

static void guest_unmask(u32 port)
{
	*word(port) &= ~BITW(MASKED);
}

/* Linux's consume_one_event(): the next port on a queue, or 0. */
static u32 consume(u32 vcpu, u32 prio)
{
	u32 head = guest_head[vcpu][prio], port;
	event_word_t w;

	if (!(cb(vcpu)->ready & (1u << prio)))
		return 0;
	if (!head)
		head = cb(vcpu)->head[prio];
	port = head;
	w = __atomic_fetch_and(word(port),
			       ~(BITW(LINKED) | EVTCHN_FIFO_LINK_MASK),
			       __ATOMIC_SEQ_CST);
	head = w & EVTCHN_FIFO_LINK_MASK;
	if (!head)
		cb(vcpu)->ready &= ~(1u << prio);
	guest_head[vcpu][prio] = head;
	return port;
}

static bool upcall(u32 vcpu)
{
	return shinfo.vcpu_info[vcpu].evtchn_upcall_pending;
}

static void test_switch(void)
{
	struct evtchn_init_control ic = { .control_gfn = CB0 };
	int p;

	reset();
	CHECK(!kxen_evtchn_is_fifo(&t), "a domain starts on the 2-level ABI");
	CHECK(kxen_evtchn_set_priority(&t, 1, 3) == -KXEN_FIFO_ENOSYS,
	      "set_priority under 2-level -> ENOSYS");
	CHECK(kxen_evtchn_expand_array(&t, ARR0) == -EOPNOTSUPP,
	      "expand_array before init_control -> EOPNOTSUPP");
	ic.vcpu = NVCPUS;
	CHECK(kxen_evtchn_init_control(&t, &ic) == -ENOENT &&
	      ic.link_bits == EVTCHN_FIFO_LINK_BITS,
	      "init_control on a missing vCPU -> ENOENT (link_bits %u)",
	      ic.link_bits);
	ic.vcpu = ~0u;
	CHECK(kxen_evtchn_init_control(&t, &ic) == -ENOENT,
	      "init_control on vCPU 0xffffffff -> ENOENT");
	CHECK(init_control(CB0, 4, 0) == -EINVAL,
	      "a control block not 8-byte aligned -> EINVAL");
	CHECK(init_control(CB0, KXEN_FIFO_PAGE_SIZE -
			   sizeof(struct evtchn_fifo_control_block) + 8, 0) ==
	      -EINVAL, "a control block crossing the page end -> EINVAL");
	CHECK(init_control(CB0, ~0u & ~7u, 0) == -EINVAL,
	      "offset 0xfffffff8 -> EINVAL");
	CHECK(init_control(NPAGES, 0, 0) == -EINVAL &&
	      init_control(1ull << 52 | CB0, 0, 0) == -EINVAL &&
	      init_control(~0ull, 0, 0) == -EINVAL,
	      "a control block outside guest RAM -> EINVAL");
	CHECK(!kxen_evtchn_is_fifo(&t), "failed init_controls leave 2-level");
	t.fifo.vcpus = NULL;
	CHECK(init_control(CB0, 0, 0) == -KXEN_FIFO_ENOSYS &&
	      !kxen_evtchn_is_fifo(&t),
	      "no FIFO storage -> ENOSYS (Linux keeps 2-level)");
	kxen_evtchn_fifo_attach(&t, fifo_vcpus);
	CHECK(init_control(CB0, 0, 0) == 0 && kxen_evtchn_is_fifo(&t),
	      "init_control on vCPU 0 switches to FIFO");
	CHECK(init_control(CB0, 0, 0) == -EINVAL,
	      "a second control block for vCPU 0 -> EINVAL");
	CHECK(init_control(CB1, KXEN_FIFO_PAGE_SIZE -
			   sizeof(struct evtchn_fifo_control_block), 1) == 0,
	      "vCPU 1's control block at the last offset that fits");
	CHECK(kxen_evtchn_expand_array(&t, NPAGES) == -EINVAL &&
	      kxen_evtchn_expand_array(&t, ~0ull) == -EINVAL,
	      "expand_array outside guest RAM -> EINVAL");
	CHECK(expand(ARR0) == 0 && t.fifo.nr_pages == 1,
	      "expand_array adds a page");
	p = kxen_evtchn_bind_ipi(&t, 1);
	guest_unmask(p);
	kxen_evtchn_set_priority(&t, p, EVTCHN_FIFO_PRIORITY_MIN);
	kxen_evtchn_send(&t, p);
	CHECK(cb(1)->head[EVTCHN_FIFO_PRIORITY_MIN] == (u32)p &&
	      cb(1)->ready == 1u << EVTCHN_FIFO_PRIORITY_MIN && upcall(1),
	      "delivery through the control block at the page's end");
}

static void test_array_limit(void)
{
	unsigned int i;
	int ret = 0;

	fifo_on();
	for (i = 1; i < KXEN_FIFO_MAX_PAGES && !ret; i++)
		ret = kxen_evtchn_expand_array(&t, ARR1);
	CHECK(!ret && t.fifo.nr_pages == KXEN_FIFO_MAX_PAGES,
	      "the array grows to %u pages (EVTCHN_FIFO_NR_CHANNELS)",
	      t.fifo.nr_pages);
	CHECK(kxen_evtchn_expand_array(&t, ARR1) == -ENOSPC,
	      "one page more -> ENOSPC");
}

static void test_delivery(void)
{
	int p, q;

	fifo_on();
	p = kxen_evtchn_bind_ipi(&t, 0);
	q = kxen_evtchn_bind_ipi(&t, 0);
	CHECK(p > 0 && q > p, "bind two IPI ports: %d, %d", p, q);
	CHECK(kxen_evtchn_send(&t, p) == 0 && *word(p) == (BITW(PENDING) |
							 BITW(MASKED)) &&
	      !cb(0)->ready && !upcall(0),
	      "send on a masked port: PENDING only, word %#x", *word(p));
	CHECK(kicks[0] == 1 && kxen_evtchn_is_pending(&t, p),
	      "a masked send still kicks and is pending (pollers)");
	CHECK(kxen_evtchn_unmask(&t, p) == 0 &&
	      *word(p) == (BITW(PENDING) | BITW(LINKED)) &&
	      cb(0)->head[PRIO] == (u32)p && cb(0)->ready == 1u << PRIO &&
	      upcall(0) && kicks[0] == 2,
	      "unmask of a pending port links it at HEAD, sets READY and the upcall");
	guest_unmask(q);
	kxen_evtchn_send(&t, q);
	CHECK((*word(p) & EVTCHN_FIFO_LINK_MASK) == (u32)q &&
	      cb(0)->head[PRIO] == (u32)p && (*word(q) & BITW(LINKED)) &&
	      !(*word(p) & BITW(BUSY)),
	      "the next event links behind the tail, HEAD stays");
	CHECK(kxen_evtchn_send(&t, q) == 0 &&
	      (*word(q) & EVTCHN_FIFO_LINK_MASK) == 0,
	      "an event already linked is not linked twice");
	CHECK(consume(0, PRIO) == (u32)p, "the guest takes the first one");
	*word(q) |= BITW(BUSY);		/* as left by a link in progress */
	guest_unmask(p);
	kxen_evtchn_send(&t, p);
	CHECK((*word(q) & EVTCHN_FIFO_LINK_MASK) == (u32)p &&
	      !(*word(q) & BITW(BUSY)),
	      "writing the LINK of the tail clears its BUSY");
	CHECK(consume(0, PRIO) == (u32)q && consume(0, PRIO) == (u32)p &&
	      consume(0, PRIO) == 0 && !cb(0)->ready,
	      "the guest consumes them in order and READY drops");
	CHECK(rises[0] == 1,
	      "the upcall rose once while it stayed pending (%u)", rises[0]);
	CHECK(kxen_evtchn_unmask(&t, KXEN_EVTCHN_2L_PORTS) == -EINVAL &&
	      kxen_evtchn_unmask(&t, ~0u) == -EINVAL,
	      "unmask of an out-of-range port -> EINVAL");
	CHECK(!kxen_evtchn_is_pending(&t, ~0u) &&
	      !kxen_evtchn_is_pending(&t, 4000),
	      "ports out of range or beyond the array are not pending");
}

/* A port consumed but still the queue's tail, sent again. */
static void test_old_tail(void)
{
	int p, q;

	fifo_on();
	p = kxen_evtchn_bind_ipi(&t, 0);
	q = kxen_evtchn_bind_ipi(&t, 0);
	guest_unmask(p);
	guest_unmask(q);
	kxen_evtchn_send(&t, p);
	consume(0, PRIO);
	*word(p) &= ~BITW(PENDING);	/* the handler acks it */
	shinfo.vcpu_info[0].evtchn_upcall_pending = 0;
	kxen_evtchn_send(&t, q);
	CHECK(cb(0)->head[PRIO] == (u32)q && cb(0)->ready == 1u << PRIO &&
	      (*word(p) & EVTCHN_FIFO_LINK_MASK) == 0 && upcall(0),
	      "behind an unlinked tail the event becomes HEAD again");
	consume(0, PRIO);
	kxen_evtchn_send(&t, q);
	CHECK(cb(0)->head[PRIO] == (u32)q &&
	      (*word(q) & EVTCHN_FIFO_LINK_MASK) == 0,
	      "the old tail itself, sent again, is HEAD of an empty queue");
	kxen_evtchn_send(&t, p);
	CHECK((*word(q) & EVTCHN_FIFO_LINK_MASK) == (u32)p,
	      "and the next event links behind it");
	*word(q) |= 12345 & EVTCHN_FIFO_LINK_MASK;
	CHECK(consume(0, PRIO) == (u32)q,
	      "garbage the guest writes into LINK is never followed here");
}

static void test_priority(void)
{
	int p, q;

	fifo_on();
	p = kxen_evtchn_bind_ipi(&t, 0);
	q = kxen_evtchn_bind_ipi(&t, 0);
	guest_unmask(p);
	guest_unmask(q);
	CHECK(kxen_evtchn_set_priority(&t, p, EVTCHN_FIFO_PRIORITY_MAX) == 0,
	      "set_priority 0 (highest)");
	CHECK(kxen_evtchn_set_priority(&t, p, EVTCHN_FIFO_PRIORITY_MIN + 1) ==
	      -EINVAL && kxen_evtchn_set_priority(&t, p, ~0u) == -EINVAL,
	      "priority 16 or 0xffffffff -> EINVAL");
	CHECK(kxen_evtchn_set_priority(&t, KXEN_EVTCHN_2L_PORTS, 1) ==
	      -EINVAL, "set_priority on an out-of-range port -> EINVAL");
	kxen_evtchn_send(&t, q);
	kxen_evtchn_send(&t, p);
	CHECK(cb(0)->head[0] == (u32)p && cb(0)->head[PRIO] == (u32)q &&
	      cb(0)->ready == (1u | 1u << PRIO),
	      "each priority has its queue and READY bit");
	CHECK(kxen_evtchn_set_priority(&t, q, 2) == 0 &&
	      kxen_evtchn_send(&t, q) == 0 && !(cb(0)->ready & 1u << 2),
	      "a linked event stays on its queue after set_priority");
	kxen_evtchn_close(&t, q);
	consume(0, PRIO);
	CHECK(kxen_evtchn_bind_ipi(&t, 0) == q &&
	      ports[q].priority == EVTCHN_FIFO_PRIORITY_DEFAULT,
	      "a new binding has the default priority again");
}

static void test_vcpus(void)
{
	int u, q;

	fifo_on();
	u = kxen_evtchn_alloc_unbound(&t, 0);
	ports[u].state = KXEN_ECS_INTERDOMAIN;	/* as a host backend binds */
	q = kxen_evtchn_bind_ipi(&t, 0);
	guest_unmask(u);
	guest_unmask(q);
	CHECK(kxen_evtchn_bind_vcpu(&t, u, 1) == 0, "move a port to vCPU 1");
	kxen_evtchn_set_pending(&t, u);
	CHECK((*word(u) & BITW(PENDING)) && !(*word(u) & BITW(LINKED)),
	      "an event for a vCPU without control block stays unlinked");
	CHECK(!upcall(1) && kicks[1] == 1, "no upcall there, a poll kick");
	CHECK(init_control(CB1, 64, 1) == 0 &&
	      kxen_evtchn_unmask(&t, u) == 0 && cb(1)->head[PRIO] == (u32)u &&
	      upcall(1) && !upcall(0),
	      "once vCPU 1 has one, unmask links it there");
	consume(1, PRIO);
	*word(u) &= ~BITW(PENDING);
	CHECK(kxen_evtchn_bind_vcpu(&t, u, 0) == 0, "move it back to vCPU 0");
	kxen_evtchn_set_pending(&t, u);
	CHECK(cb(0)->head[PRIO] == (u32)u && upcall(0),
	      "the next event goes to vCPU 0's queue");
	consume(0, PRIO);
	*word(u) &= ~BITW(PENDING);
	CHECK(kxen_evtchn_bind_vcpu(&t, u, 1) == 0, "and to vCPU 1 again");
	kxen_evtchn_set_pending(&t, u);
	kxen_evtchn_send(&t, q);
	CHECK(cb(0)->head[PRIO] == (u32)q && cb(1)->head[PRIO] == (u32)u &&
	      (*word(u) & EVTCHN_FIFO_LINK_MASK) == 0,
	      "a port moved away is no tail of its old queue");
	CHECK(kxen_evtchn_bind_vcpu(&t, u, NVCPUS) == -ENOENT,
	      "bind_vcpu to a missing vCPU -> ENOENT");
}

static void test_close_busy(void)
{
	struct evtchn_status st;
	int p, n;

	fifo_on();
	p = kxen_evtchn_bind_ipi(&t, 0);
	guest_unmask(p);
	kxen_evtchn_send(&t, p);
	CHECK(kxen_evtchn_close(&t, p) == 0 &&
	      !(*word(p) & BITW(PENDING)) && (*word(p) & BITW(LINKED)),
	      "close clears PENDING, the word stays linked");
	CHECK(!kxen_evtchn_status(&t, p, &st) &&
	      st.status == EVTCHNSTAT_closed, "the port reports closed");
	n = kxen_evtchn_bind_ipi(&t, 0);
	CHECK(n > 0 && n != p, "a port still linked is not reused (%d)", n);
	consume(0, PRIO);
	kxen_evtchn_close(&t, n);
	CHECK(kxen_evtchn_bind_ipi(&t, 0) == p,
	      "once the guest unlinked it, it is reused");
}

static void test_saved_pending(void)
{
	int p, last = 0, i;

	/* Bound and pending under 2-level, then the switch. */
	reset();
	p = kxen_evtchn_bind_ipi(&t, 0);
	kxen_evtchn_send(&t, p);
	CHECK(kxen_test(p, shinfo.evtchn_pending), "2-level pending first");
	init_control(CB0, 0, 0);
	CHECK(!kxen_evtchn_is_pending(&t, p),
	      "after the switch, no array page: not visible yet");
	for (i = 0; i < 1100; i++)
		last = kxen_evtchn_bind_ipi(&t, 0);
	expand(ARR0);
	guest_unmask(p);
	CHECK(*word(p) & BITW(PENDING) && kxen_evtchn_unmask(&t, p) == 0 &&
	      cb(0)->head[PRIO] == (u32)p,
	      "the array page raises what was pending under 2-level");
	CHECK(last >= (int)KXEN_FIFO_WORDS_PER_PAGE &&
	      kxen_evtchn_send(&t, last) == 0 &&
	      !kxen_evtchn_is_pending(&t, last),
	      "send on port %d beyond the array is held", last);
	CHECK(expand(ARR1) == 0 && (*word(last) & BITW(PENDING)),
	      "the second page delivers it");
}

static void test_reset(void)
{
	int p;

	fifo_on();
	p = kxen_evtchn_bind_virq(&t, VIRQ_TIMER, 0);
	guest_unmask(p);
	kxen_evtchn_raise_virq(&t, VIRQ_TIMER, 0);
	CHECK(cb(0)->head[PRIO] == (u32)p, "VIRQ_TIMER is delivered by FIFO");
	kxen_evtchn_reset(&t);
	CHECK(!kxen_evtchn_is_fifo(&t) && !(*word(p) & BITW(PENDING)),
	      "EVTCHNOP_reset closes ports and returns to 2-level");
	CHECK(kxen_evtchn_set_priority(&t, 1, 1) == -KXEN_FIFO_ENOSYS &&
	      kxen_evtchn_expand_array(&t, ARR0) == -EOPNOTSUPP,
	      "FIFO sub-ops refuse after reset");
	p = kxen_evtchn_bind_ipi(&t, 0);
	kxen_evtchn_send(&t, p);
	CHECK(kxen_test(p, shinfo.evtchn_pending) &&
	      !(*word(p) & BITW(PENDING)), "delivery is 2-level again");
	CHECK(init_control(CB0, 0, 0) == 0 && kxen_evtchn_is_fifo(&t),
	      "and init_control may switch again");
}

/* The frames a FIFO table serves from, which the host keeps pinned. */
static void test_uses_gfn(void)
{
	reset();
	CHECK(!kxen_evtchn_fifo_uses_gfn(&t, CB0) &&
	      !kxen_evtchn_fifo_uses_gfn(&t, 0),
	      "2-level: no frame is a FIFO page");
	fifo_on();
	CHECK(kxen_evtchn_fifo_uses_gfn(&t, CB0) &&
	      kxen_evtchn_fifo_uses_gfn(&t, ARR0),
	      "vCPU 0's control block and the array page are in use");
	CHECK(!kxen_evtchn_fifo_uses_gfn(&t, CB1) &&
	      !kxen_evtchn_fifo_uses_gfn(&t, ARR1) &&
	      !kxen_evtchn_fifo_uses_gfn(&t, 0) &&
	      !kxen_evtchn_fifo_uses_gfn(&t, ~0ull),
	      "frames not registered are not");
	CHECK(init_control(CB1, 64, 1) == 0 && expand(ARR1) == 0 &&
	      kxen_evtchn_fifo_uses_gfn(&t, CB1) &&
	      kxen_evtchn_fifo_uses_gfn(&t, ARR1),
	      "a second control block and array page join");
	kxen_evtchn_reset(&t);
	CHECK(!kxen_evtchn_fifo_uses_gfn(&t, CB0) &&
	      !kxen_evtchn_fifo_uses_gfn(&t, CB1) &&
	      !kxen_evtchn_fifo_uses_gfn(&t, ARR0) &&
	      !kxen_evtchn_fifo_uses_gfn(&t, ARR1),
	      "EVTCHNOP_reset releases them all");
}

/* Guest frames that disappear (ballooned out) are not touched. */
static void test_gone(void)
{
	int p;

	fifo_on();
	p = kxen_evtchn_bind_ipi(&t, 0);
	guest_unmask(p);
	free(ram[ARR0]);
	ram[ARR0] = NULL;
	CHECK(kxen_evtchn_send(&t, p) == 0 && !kxen_evtchn_is_pending(&t, p),
	      "an array page gone: the event is held, nothing written");
	ram[ARR0] = calloc(1, KXEN_FIFO_PAGE_SIZE);
	free(ram[CB0]);
	ram[CB0] = NULL;
	CHECK(kxen_evtchn_send(&t, p) == 0 && kxen_evtchn_is_pending(&t, p) &&
	      !(*word(p) & BITW(LINKED)),
	      "a control block gone: pending, not linked");
	ram[CB0] = calloc(1, KXEN_FIFO_PAGE_SIZE);
}

static void test_loopback(void)
{
	int u, l;

	fifo_on();
	u = kxen_evtchn_alloc_unbound(&t, DOMID);
	l = kxen_evtchn_bind_loopback(&t, u);
	CHECK(l > 0 && kxen_evtchn_is_pending(&t, l),
	      "bind_interdomain marks the new port pending under FIFO too");
	guest_unmask(u);
	CHECK(kxen_evtchn_send(&t, l) == 0 && cb(0)->head[PRIO] == (u32)u,
	      "send on one end links the other");
}

/* Array pages that could hold only ports past max_port are refused. */
static void test_max_port(void)
{
	fifo_on();
	t.max_port = KXEN_FIFO_WORDS_PER_PAGE;
	CHECK(expand(ARR1) == 0 && t.fifo.nr_pages == 2,
	      "a page holding max_port is added");
	CHECK(expand(5) == -ENOSPC && t.fifo.nr_pages == 2,
	      "expand_array past max_port -> ENOSPC");
	fifo_on();
	t.max_port = KXEN_FIFO_WORDS_PER_PAGE - 1;
	CHECK(expand(ARR1) == -ENOSPC && t.fifo.nr_pages == 1,
	      "max_port on the first page: no second one");
}

int main(void)
{
	unsigned int i;

	printf("TAP version 13\n");
	test_switch();
	test_array_limit();
	test_delivery();
	test_old_tail();
	test_priority();
	test_vcpus();
	test_close_busy();
	test_saved_pending();
	test_reset();
	test_uses_gfn();
	test_gone();
	test_loopback();
	test_max_port();
	for (i = 0; i < NPAGES; i++)
		free(ram[i]);
	return tap_done();
}
