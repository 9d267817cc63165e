// SPDX-License-Identifier: GPL-2.0
/*
 * evtchn_fifo: FIFO-based event channels as an HVM/PVH guest sees them.
 *
 * The switch from the 2-level ABI with EVTCHNOP_init_control (a control
 * block page of our image) and EVTCHNOP_expand_array (an event array page
 * whose words start MASKED, as Linux's events_fifo.c prepares them); the
 * upcall (vector UPCALL_VECTOR, as in tests/evtchn.c) then consumes the
 * queues named by the control block's READY bits, highest priority first,
 * clearing LINKED and following LINK as Linux does.
 *
 * Checked: the errors of init_control, expand_array and set_priority
 * before and after the switch; an event pending under 2-level reaches
 * the FIFO queue once its array page exists; one upcall per send; a
 * masked event is only PENDING until EVTCHNOP_unmask links it; events of
 * one priority come in send order, higher priorities first; a closed port
 * still linked is not handed out again; SCHEDOP_poll sees a FIFO port's
 * PENDING; EVTCHNOP_reset returns to 2-level and init_control may switch
 * again.
 *
 * References: Xen public event_channel.h ("FIFO ABI"), xen.h, sched.h;
 * error values are those of Xen 4.17 common/event_fifo.c and
 * common/event_channel.c.
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
#include <xen/sched.h>
#include <xen/hvm/params.h>

KG_TEST_TITLE("evtchn_fifo");

#define UPCALL_VECTOR	0xf3
#define WAIT_NS		(100 * KG_NSEC_PER_MSEC)
#define POLL_NS		(20 * KG_NSEC_PER_MSEC)
#define WORDS		(KG_PAGE_SIZE / sizeof(event_word_t))
#define PRIO		EVTCHN_FIFO_PRIORITY_DEFAULT
#define BITW(b)		(1u << EVTCHN_FIFO_##b)
#define NO_SUCH_VCPU	99

static u8 cb_page[KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);
static event_word_t array_page[WORDS] __aligned(KG_PAGE_SIZE);
static struct evtchn_fifo_control_block *cb =
	(struct evtchn_fifo_control_block *)cb_page;
/* Where the upcall resumes each queue (Linux's per-CPU q->head). */
static u32 local_head[EVTCHN_FIFO_MAX_QUEUES];

static u64 gfn_of(const void *p)
{
	return (uintptr_t)p / KG_PAGE_SIZE;
}

static void log_port(evtchn_port_t port)
{
	unsigned int n = kg_evtchn_log.nr;

	if (n < KG_EVTCHN_LOG_MAX)
		WRITE_ONCE(kg_evtchn_log.ports[n], port);
	WRITE_ONCE(kg_evtchn_log.nr, n + 1);
}

static bool word_has(evtchn_port_t port, u32 bits)
{
	return port < WORDS &&
	       (__atomic_load_n(&array_page[port], __ATOMIC_SEQ_CST) & bits) ==
	       bits;
}

static void word_set(evtchn_port_t port, u32 bits)
{
	if (port < WORDS)
		__atomic_fetch_or(&array_page[port], bits, __ATOMIC_SEQ_CST);
}

static void word_clear(evtchn_port_t port, u32 bits)
{
	if (port < WORDS)
		__atomic_fetch_and(&array_page[port], ~bits,
				   __ATOMIC_SEQ_CST);
}

/* Linux's consume_one_event(): take HEAD of queue @q, unlink it. */
static void consume_one(unsigned int q, u32 *ready)
{
	u32 port = local_head[q], w;

	if (!port)
		port = __atomic_load_n(&cb->head[q], __ATOMIC_SEQ_CST);
	if (!port || port >= WORDS) {
		/* A broken queue: give up on it rather than spin. */
		*ready &= ~(1u << q);
		local_head[q] = 0;
		return;
	}
	w = __atomic_fetch_and(&array_page[port],
			       ~(BITW(LINKED) | EVTCHN_FIFO_LINK_MASK),
			       __ATOMIC_SEQ_CST);
	local_head[q] = w & EVTCHN_FIFO_LINK_MASK;
	if (!local_head[q])
		*ready &= ~(1u << q);
	if ((w & BITW(PENDING)) && !(w & BITW(MASKED))) {
		word_clear(port, BITW(PENDING));
		log_port(port);
	}
}

static void fifo_upcall(struct kg_regs *regs)
{
	u32 ready;

	(void)regs;
	WRITE_ONCE(kg_evtchn_log.upcalls, kg_evtchn_log.upcalls + 1);
	__atomic_store_n(&kg_vcpu_info->evtchn_upcall_pending, 0,
			 __ATOMIC_SEQ_CST);
	ready = __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
	while (ready) {
		consume_one(__builtin_ctz(ready), &ready);
		ready |= __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
	}
}

static long init_control(u64 gfn, u32 offset, u32 vcpu, u8 *link_bits)
{
	struct evtchn_init_control ic = {
		.control_gfn = gfn, .offset = offset, .vcpu = vcpu,
	};
	long rc = kg_evtchn_op(EVTCHNOP_init_control, &ic);

	if (link_bits)
		*link_bits = ic.link_bits;
	return rc;
}

static long expand_array(u64 gfn)
{
	struct evtchn_expand_array ea = { .array_gfn = gfn };

	return kg_evtchn_op(EVTCHNOP_expand_array, &ea);
}

static long set_priority(evtchn_port_t port, u32 prio)
{
	struct evtchn_set_priority sp = { .port = port, .priority = prio };

	return kg_evtchn_op(EVTCHNOP_set_priority, &sp);
}

/* Linux's evtchn_fifo_unmask(): clear MASKED, ask Xen if pending. */
static long fifo_unmask(evtchn_port_t port)
{
	word_clear(port, BITW(MASKED));
	return word_has(port, BITW(PENDING)) ? kg_evtchn_unmask(port) : 0;
}

static bool setup(void)
{
	long rc;

	if (!kg_setup_shared_info())
		return false;
	kg_set_irq_handler(UPCALL_VECTOR, fifo_upcall);
	rc = kg_hvm_set_param(HVM_PARAM_CALLBACK_IRQ,
			      (u64)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56 |
			      UPCALL_VECTOR);
	kg_vcpu_info->evtchn_upcall_mask = 0;
	return kg_check(rc == 0,
			"HVMOP_set_param(CALLBACK_IRQ, vector %#x) rc %ld",
			UPCALL_VECTOR, rc);
}

/* Errors before the switch and of a bad init_control; leaves 2-level. */
static void test_before(evtchn_port_t p)
{
	long rc;

	rc = set_priority(p, 3);
	kg_check(rc == -XEN_ENOSYS,
		 "2-level: EVTCHNOP_set_priority(%u, 3) rc %ld (want -ENOSYS)",
		 p, rc);
	rc = expand_array(gfn_of(array_page));
	kg_check(rc == -XEN_EOPNOTSUPP,
		 "2-level: EVTCHNOP_expand_array rc %ld (want -EOPNOTSUPP)",
		 rc);
	rc = init_control(gfn_of(cb_page), 0, NO_SUCH_VCPU, NULL);
	kg_check(rc == -XEN_ENOENT,
		 "EVTCHNOP_init_control(vcpu %u) rc %ld (want -ENOENT)",
		 NO_SUCH_VCPU, rc);
	rc = init_control(gfn_of(cb_page), 4, 0, NULL);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_init_control(offset 4) rc %ld (want -EINVAL)", rc);
	rc = init_control(gfn_of(cb_page), KG_PAGE_SIZE - 64, 0, NULL);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_init_control(offset %u, past the page) rc %ld (want -EINVAL)",
		 KG_PAGE_SIZE - 64, rc);
	rc = init_control(1ull << 40, 0, 0, NULL);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_init_control(gfn 1<<40, no RAM) rc %ld (want -EINVAL)",
		 rc);
	rc = set_priority(p, 3);
	kg_check(rc == -XEN_ENOSYS,
		 "still 2-level after the failures: set_priority rc %ld (want -ENOSYS)",
		 rc);
}

/* @p is pending (masked) under 2-level when the switch comes. */
static bool test_switch(evtchn_port_t p)
{
	unsigned int i, seen;
	u8 bits = 0;
	long rc;

	rc = init_control(gfn_of(cb_page), 0, 0, &bits);
	if (!kg_check(rc == 0 && bits == EVTCHN_FIFO_LINK_BITS,
		      "EVTCHNOP_init_control(vcpu 0) rc %ld link_bits %u (want 0, %u)",
		      rc, bits, EVTCHN_FIFO_LINK_BITS))
		return false;
	rc = init_control(gfn_of(cb_page), 0, 0, NULL);
	kg_check(rc == -XEN_EINVAL,
		 "a second EVTCHNOP_init_control(vcpu 0) rc %ld (want -EINVAL)",
		 rc);
	rc = expand_array(1ull << 40);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_expand_array(gfn 1<<40) rc %ld (want -EINVAL)", rc);
	for (i = 0; i < WORDS; i++)
		array_page[i] = BITW(MASKED);
	rc = expand_array(gfn_of(array_page));
	if (!kg_check(rc == 0, "EVTCHNOP_expand_array rc %ld", rc))
		return false;
	kg_check(word_has(p, BITW(PENDING) | BITW(MASKED)) &&
		 !word_has(p, BITW(LINKED)),
		 "port %u pending under 2-level is PENDING in its event word (%#x)",
		 p, array_page[p]);
	kg_evtchn_log_reset();
	rc = fifo_unmask(p);
	seen = kg_evtchn_wait_upcall(p, WAIT_NS);
	kg_check(rc == 0 && seen == 1,
		 "unmask(%u) rc %ld: the upcall took it from the queue %u time(s) (want 1)",
		 p, rc, seen);
	return true;
}

static void test_send(evtchn_port_t p)
{
	unsigned int seen;
	long rc;

	kg_evtchn_log_reset();
	kg_sti();
	rc = kg_evtchn_send(p);
	seen = kg_evtchn_wait_upcall(p, WAIT_NS);
	kg_check(rc == 0 && seen == 1 && !word_has(p, BITW(PENDING)),
		 "EVTCHNOP_send(%u) rc %ld with IF=1: upcall saw it %u time(s) (want 1), word %#x",
		 p, rc, seen, array_page[p]);
	kg_evtchn_log_reset();
	rc = kg_evtchn_send(p);
	kg_check(rc == 0 && word_has(p, BITW(PENDING) | BITW(LINKED)) &&
		 cb->head[PRIO] == p && (cb->ready & 1u << PRIO) &&
		 READ_ONCE(kg_vcpu_info->evtchn_upcall_pending) &&
		 !READ_ONCE(kg_evtchn_log.upcalls),
		 "EVTCHNOP_send(%u) rc %ld with IF=0: word %#x, HEAD[%u] %u, READY %#x, upcall_pending %u",
		 p, rc, array_page[p], PRIO, cb->head[PRIO], cb->ready,
		 kg_vcpu_info->evtchn_upcall_pending);
	seen = kg_evtchn_wait_upcall(p, WAIT_NS);
	kg_check(seen == 1, "after STI the upcall saw port %u %u time(s)", p,
		 seen);

	word_set(p, BITW(MASKED));
	kg_evtchn_log_reset();
	rc = kg_evtchn_send(p);
	kg_sti();
	kg_delay_ns(10 * KG_NSEC_PER_MSEC);
	kg_cli();
	kg_check(rc == 0 && !kg_evtchn_seen(p) && word_has(p, BITW(PENDING)) &&
		 !word_has(p, BITW(LINKED)),
		 "EVTCHNOP_send(%u) masked: rc %ld, %u upcall(s), word %#x (PENDING, not LINKED)",
		 p, rc, kg_evtchn_seen(p), array_page[p]);
	rc = kg_evtchn_unmask(p);
	seen = kg_evtchn_wait_upcall(p, WAIT_NS);
	kg_check(rc == 0 && !word_has(p, BITW(MASKED)) && seen == 1,
		 "EVTCHNOP_unmask(%u) rc %ld clears MASKED and links it: upcall saw it %u time(s)",
		 p, rc, seen);
}

/* Two ports per priority queue: order within one, priorities across. */
static void test_order(void)
{
	evtchn_port_t a = 0, b = 0, c = 0;
	unsigned int nr;
	long rc;

	kg_evtchn_bind_ipi(0, &a);
	kg_evtchn_bind_ipi(0, &b);
	kg_evtchn_bind_ipi(0, &c);
	if (!kg_check(a && b && c && c < WORDS, "ports %u %u %u bound", a, b,
		      c))
		return;
	fifo_unmask(a);
	fifo_unmask(b);
	fifo_unmask(c);
	rc = set_priority(c, 2);
	kg_check(rc == 0, "EVTCHNOP_set_priority(%u, 2) rc %ld", c, rc);
	rc = set_priority(c, EVTCHN_FIFO_PRIORITY_MIN + 1);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_set_priority(%u, 16) rc %ld (want -EINVAL)", c, rc);
	rc = set_priority(EVTCHN_FIFO_NR_CHANNELS, 2);
	kg_check(rc == -XEN_EINVAL,
		 "EVTCHNOP_set_priority(port %u) rc %ld (want -EINVAL)",
		 EVTCHN_FIFO_NR_CHANNELS, rc);
	kg_evtchn_log_reset();
	kg_evtchn_send(a);
	kg_evtchn_send(b);
	kg_evtchn_send(c);
	kg_check(cb->head[PRIO] == a &&
		 (array_page[a] & EVTCHN_FIFO_LINK_MASK) == b &&
		 cb->head[2] == c && cb->ready == (1u << 2 | 1u << PRIO),
		 "IF=0: HEAD[%u] %u LINK %u, HEAD[2] %u, READY %#x",
		 PRIO, cb->head[PRIO], array_page[a] & EVTCHN_FIFO_LINK_MASK,
		 cb->head[2], cb->ready);
	kg_evtchn_wait_upcall(b, WAIT_NS);
	nr = READ_ONCE(kg_evtchn_log.nr);
	kg_check(nr == 3 && kg_evtchn_log.ports[0] == c &&
		 kg_evtchn_log.ports[1] == a && kg_evtchn_log.ports[2] == b,
		 "the upcall took %u events: %u %u %u (want %u %u %u)", nr,
		 kg_evtchn_log.ports[0], kg_evtchn_log.ports[1],
		 kg_evtchn_log.ports[2], c, a, b);
	kg_evtchn_close(a);
	kg_evtchn_close(b);
	kg_evtchn_close(c);
}

static void test_close_linked(void)
{
	evtchn_port_t p = 0, n = 0;
	long rc;

	kg_evtchn_bind_ipi(0, &p);
	fifo_unmask(p);
	kg_evtchn_send(p);
	rc = kg_evtchn_close(p);
	kg_check(rc == 0 && word_has(p, BITW(LINKED)) &&
		 !word_has(p, BITW(PENDING)),
		 "EVTCHNOP_close(%u) of a linked port rc %ld: word %#x (LINKED, not PENDING)",
		 p, rc, array_page[p]);
	rc = kg_evtchn_bind_ipi(0, &n);
	kg_check(rc == 0 && n != p,
		 "a closed port still LINKED is not reused: bind_ipi rc %ld port %u (closed %u)",
		 rc, n, p);
	kg_evtchn_log_reset();
	kg_evtchn_wait_upcall(p, WAIT_NS);
	kg_check(!word_has(p, BITW(LINKED)) && !kg_evtchn_seen(p),
		 "the upcall unlinks it without handling it (word %#x, seen %u)",
		 array_page[p], kg_evtchn_seen(p));
	kg_evtchn_close(n);
}

static void test_poll(void)
{
	evtchn_port_t p = 0;
	long rc;
	u64 ns;

	kg_evtchn_bind_ipi(0, &p);
	word_set(p, BITW(MASKED));
	ns = kg_poll_timed(p, POLL_NS, &rc);
	kg_check(rc == 0 && ns >= POLL_NS && ns < 50 * POLL_NS,
		 "SCHEDOP_poll(masked idle FIFO port %u) rc %ld after %lu us",
		 p, rc, ns / 1000);
	kg_evtchn_send(p);
	ns = kg_poll_timed(p, 50 * POLL_NS, &rc);
	kg_check(rc == 0 && ns < POLL_NS && word_has(p, BITW(PENDING)),
		 "SCHEDOP_poll(pending FIFO port %u) rc %ld after %lu us (want < %lu)",
		 p, rc, ns / 1000, POLL_NS / 1000);
	word_clear(p, BITW(PENDING));
	kg_evtchn_close(p);
}

static void test_reset(void)
{
	struct evtchn_reset r = { .dom = DOMID_SELF };
	evtchn_port_t p = 0;
	long rc;

	rc = kg_evtchn_op(EVTCHNOP_reset, &r);
	kg_check(rc == 0, "EVTCHNOP_reset(DOMID_SELF) rc %ld", rc);
	rc = kg_evtchn_bind_ipi(0, &p);
	kg_check(rc == 0 && set_priority(p, 2) == -XEN_ENOSYS,
		 "after reset: 2-level again, set_priority -ENOSYS");
	kg_evtchn_mask(p);
	kg_evtchn_clear_pending(p);
	kg_evtchn_send(p);
	kg_check(kg_evtchn_is_pending(p),
		 "a send sets port %u's 2-level pending bit", p);
	kg_evtchn_close(p);
	memset(cb_page, 0, sizeof(cb_page));
	rc = init_control(gfn_of(cb_page), 0, 0, NULL);
	kg_check(rc == 0, "EVTCHNOP_init_control after reset rc %ld", rc);
	rc = kg_evtchn_op(EVTCHNOP_reset, &r);
	kg_check(rc == 0, "EVTCHNOP_reset again rc %ld", rc);
}

void test_main(void)
{
	evtchn_port_t p = 0;
	long rc;

	kg_require_xen();
	if (!setup())
		return;
	rc = kg_evtchn_bind_ipi(0, &p);
	if (!kg_check(rc == 0 && p && p < WORDS,
		      "EVTCHNOP_bind_ipi(vcpu 0) rc %ld port %u", rc, p))
		return;
	test_before(p);
	kg_evtchn_mask(p);
	kg_evtchn_send(p);
	if (!kg_check(kg_evtchn_is_pending(p),
		      "2-level: port %u pending (masked) before the switch", p))
		return;
	if (!test_switch(p))
		return;
	test_send(p);
	kg_evtchn_close(p);
	test_order();
	test_close_linked();
	test_poll();
	test_reset();
	kg_success(NULL);
}
