// SPDX-License-Identifier: GPL-2.0
/*
 * xenstore: the guest's xenstore ring as a PVH Linux's xenbus uses it.
 *
 * The ring page (io/xs_wire.h struct xenstore_domain_interface: 1024-byte
 * request and reply rings) is at HVM_PARAM_STORE_PFN and its event
 * channel, bound by the toolstack to the store's end, is
 * HVM_PARAM_STORE_EVTCHN (hvm/params.h).  Messages are an xsd_sockmsg
 * header and a payload (docs/misc/xenstore.txt).  Checked: the domain's
 * own "domid" node, a write read back, a write to a node the domain may
 * only read (EACCES), an unknown request type answered with an error, a
 * watch firing with its token (at once, then on a change), two
 * transactions of one connection conflicting (the second commit gets
 * EAGAIN), replies notified on the event channel, and a header claiming
 * a payload over XENSTORE_PAYLOAD_MAX closing the connection with
 * XENSTORE_ERROR_PROTO in the page's error field.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <xen/hvm/params.h>
#include <xen/io/xs_wire.h>

KG_TEST_TITLE("xenstore");

#define UPCALL_VECTOR	0xf3
#define WAIT_NS		(2000 * KG_NSEC_PER_MSEC)
#define QUIET_NS	(200 * KG_NSEC_PER_MSEC)
#define MAX_EVENTS	8

static struct xenstore_domain_interface *xs;
static evtchn_port_t xs_port;
static u32 next_req = 1;

/* Watch events that came while waiting for replies. */
static struct {
	char path[64];
	char token[32];
} events[MAX_EVENTS];
static unsigned int nr_events;

/* The reply being read: header, then payload and a NUL. */
static struct xsd_sockmsg rh;
static char rbody[XENSTORE_PAYLOAD_MAX + 1];

static void kick(void)
{
	kg_evtchn_send(xs_port);
}

/* Copies @len bytes into the request ring, waiting for space. */
static bool ring_put(const void *buf, u32 len)
{
	const char *p = buf;
	u64 end = kg_now_ns() + WAIT_NS;
	XENSTORE_RING_IDX cons, prod;
	u32 n;

	while (len) {
		cons = READ_ONCE(xs->req_cons);
		prod = xs->req_prod;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (prod - cons >= XENSTORE_RING_SIZE) {
			if (kg_now_ns() > end)
				return false;
			kg_cpu_relax();
			continue;
		}
		n = XENSTORE_RING_SIZE - (prod - cons);
		if (n > len)
			n = len;
		if (n > XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod))
			n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
		memcpy(xs->req + MASK_XENSTORE_IDX(prod), p, n);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		WRITE_ONCE(xs->req_prod, prod + n);
		kick();
		p += n;
		len -= n;
	}
	return true;
}

/* Copies @len bytes out of the reply ring, waiting up to @wait_ns. */
static bool ring_get(void *buf, u32 len, u64 wait_ns)
{
	char *p = buf;
	u64 end = kg_now_ns() + wait_ns;
	XENSTORE_RING_IDX cons, prod;
	u32 n;

	while (len) {
		prod = READ_ONCE(xs->rsp_prod);
		cons = xs->rsp_cons;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (prod == cons) {
			if (kg_now_ns() > end)
				return false;
			kg_cpu_relax();
			continue;
		}
		n = prod - cons;
		if (n > len)
			n = len;
		if (n > XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons))
			n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
		memcpy(p, xs->rsp + MASK_XENSTORE_IDX(cons), n);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		WRITE_ONCE(xs->rsp_cons, cons + n);
		kick();
		p += n;
		len -= n;
	}
	return true;
}

/* One message into rh/rbody; false on a timeout or a bad length. */
static bool recv_msg(u64 wait_ns)
{
	if (!ring_get(&rh, sizeof(rh), wait_ns))
		return false;
	if (rh.len > XENSTORE_PAYLOAD_MAX) {
		kg_error("reply length %u over XENSTORE_PAYLOAD_MAX\n", rh.len);
		return false;
	}
	if (!ring_get(rbody, rh.len, WAIT_NS))
		return false;
	rbody[rh.len] = '\0';
	return true;
}

static void note_event(void)
{
	size_t pl = strnlen(rbody, rh.len);

	if (nr_events >= MAX_EVENTS || pl + 1 >= rh.len ||
	    pl >= sizeof(events[0].path) ||
	    strlen(rbody + pl + 1) >= sizeof(events[0].token))
		return;
	memcpy(events[nr_events].path, rbody, pl + 1);
	memcpy(events[nr_events].token, rbody + pl + 1,
	       strlen(rbody + pl + 1) + 1);
	nr_events++;
}

/*
 * Sends a request (arguments @a and @b, each NUL-terminated on the wire
 * unless @b_raw) and waits for its reply, noting watch events on the
 * way.  Returns the reply's type, or XS_INVALID on a timeout.
 */
static u32 request(u32 type, u32 tx, const char *a, const char *b,
		   bool b_raw)
{
	struct xsd_sockmsg h = { .type = type, .req_id = next_req++,
				 .tx_id = tx };
	u32 al = a ? strlen(a) + 1 : 0;
	u32 bl = b ? strlen(b) + !b_raw : 0;

	h.len = al + bl;
	if (!ring_put(&h, sizeof(h)) || !ring_put(a, al) || !ring_put(b, bl))
		return XS_INVALID;
	for (;;) {
		if (!recv_msg(WAIT_NS))
			return XS_INVALID;
		if (rh.type == XS_WATCH_EVENT) {
			note_event();
			continue;
		}
		if (rh.req_id != h.req_id) {
			kg_error("reply with req_id %u, want %u\n", rh.req_id,
				 h.req_id);
			return XS_INVALID;
		}
		return rh.type;
	}
}

static bool is_error(u32 type, const char *name)
{
	return type == XS_ERROR && !strcmp(rbody, name);
}

static bool saw_event(const char *path, const char *token)
{
	unsigned int i;

	for (i = 0; i < nr_events; i++)
		if (!strcmp(events[i].path, path) &&
		    !strcmp(events[i].token, token))
			return true;
	return false;
}

static bool setup(void)
{
	u64 pfn = 0, port = 0;
	long rc;

	rc = kg_map_shared_info();
	if (!kg_check(rc == 0, "XENMEM_add_to_physmap(shared_info) rc %ld",
		      rc))
		return false;
	rc = kg_evtchn_setup_upcall(UPCALL_VECTOR);
	if (!kg_check(rc == 0, "HVMOP_set_param(CALLBACK_IRQ) rc %ld", rc))
		return false;
	kg_vcpu_info->evtchn_upcall_mask = 0;
	rc = kg_hvm_get_param(HVM_PARAM_STORE_PFN, &pfn);
	rc |= kg_hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port);
	if (!rc && !pfn) {
		kg_skip("no HVM_PARAM_STORE_PFN: the toolstack set no ring\n");
		return false;
	}
	if (!kg_check(rc == 0 && port && port < EVTCHN_2L_NR_CHANNELS,
		      "HVM_PARAM_STORE_PFN %#llx, STORE_EVTCHN %llu",
		      (unsigned long long)pfn, (unsigned long long)port))
		return false;
	/* Below 4 GiB the boot page tables map va == pa. */
	xs = (void *)(uintptr_t)(pfn << 12);
	xs_port = port;
	kg_printf("ring at pfn %#llx, port %u, connection %u\n",
		  (unsigned long long)pfn, xs_port, xs->connection);
	kg_sti();
	return true;
}

static void test_basic(void)
{
	long domid = kg_xen_domid();
	unsigned long got;
	u32 t;

	kg_evtchn_log_reset();
	t = request(XS_READ, 0, "domid", NULL, false);
	kg_check(t == XS_READ && kg_parse_ulong(rbody, &got, NULL) &&
		 (domid < 0 || (long)got == domid),
		 "READ domid: type %u \"%s\" (CPUID says %ld)", t, rbody,
		 domid);
	kg_check(kg_evtchn_seen(xs_port) > 0,
		 "the reply came with an event on port %u", xs_port);
	t = request(XS_WRITE, 0, "data/test", "hello", true);
	kg_check(t == XS_WRITE && !strcmp(rbody, "OK"),
		 "WRITE data/test: type %u \"%s\"", t, rbody);
	t = request(XS_READ, 0, "data/test", NULL, false);
	kg_check(t == XS_READ && rh.len == 5 && !strcmp(rbody, "hello"),
		 "READ data/test back: type %u \"%s\"", t, rbody);
	t = request(XS_WRITE, 0, "name", "evil", true);
	kg_check(is_error(t, "EACCES"),
		 "WRITE name (dom0's, read-only here): type %u \"%s\" (want EACCES)",
		 t, rbody);
	t = request(9999, 0, NULL, NULL, false);
	kg_check(t == XS_ERROR,
		 "an unknown request type gets an error: type %u \"%s\"", t,
		 rbody);
}

static void test_watch(void)
{
	u32 t;

	nr_events = 0;
	t = request(XS_WATCH, 0, "data/w", "tok1", false);
	kg_check(t == XS_WATCH, "WATCH data/w tok1: type %u \"%s\"", t, rbody);
	t = request(XS_WRITE, 0, "data/w/x", "1", true);
	kg_check(t == XS_WRITE, "WRITE data/w/x: type %u", t);
	/* Events may trail the reply: collect for a moment. */
	while (recv_msg(QUIET_NS))
		if (rh.type == XS_WATCH_EVENT)
			note_event();
	kg_check(saw_event("data/w", "tok1"),
		 "the watch fired at once with its token (%u events)",
		 nr_events);
	kg_check(saw_event("data/w/x", "tok1"),
		 "the watch fired on the change with its token");
	t = request(XS_UNWATCH, 0, "data/w", "tok1", false);
	kg_check(t == XS_UNWATCH, "UNWATCH: type %u \"%s\"", t, rbody);
}

static u32 txn_start(void)
{
	unsigned long id = 0;
	u32 t = request(XS_TRANSACTION_START, 0, "", NULL, false);

	if (t != XS_TRANSACTION_START || !kg_parse_ulong(rbody, &id, NULL))
		return 0;
	return id;
}

static void test_txn(void)
{
	u32 t1 = txn_start(), t2 = txn_start(), t;

	if (!kg_check(t1 && t2 && t1 != t2,
		      "two TRANSACTION_STARTs: ids %u and %u", t1, t2))
		return;
	request(XS_READ, t1, "data/test", NULL, false);
	request(XS_READ, t2, "data/test", NULL, false);
	request(XS_WRITE, t1, "data/test", "one", true);
	request(XS_WRITE, t2, "data/test", "two", true);
	t = request(XS_TRANSACTION_END, t1, "T", NULL, false);
	kg_check(t == XS_TRANSACTION_END,
		 "first commit: type %u \"%s\"", t, rbody);
	t = request(XS_TRANSACTION_END, t2, "T", NULL, false);
	kg_check(is_error(t, "EAGAIN"),
		 "second commit conflicts: type %u \"%s\" (want EAGAIN)", t,
		 rbody);
	t = request(XS_READ, 0, "data/test", NULL, false);
	kg_check(t == XS_READ && !strcmp(rbody, "one"),
		 "the first transaction's value stays: \"%s\"", rbody);
}

/* A header claiming a payload over the limit: the ring closes. */
static void test_malformed(void)
{
	struct xsd_sockmsg h = { .type = XS_READ, .req_id = next_req++,
				 .len = XENSTORE_PAYLOAD_MAX + 1 };
	u64 end;

	ring_put(&h, sizeof(h));
	end = kg_now_ns() + WAIT_NS;
	while (READ_ONCE(xs->error) == XENSTORE_ERROR_NONE &&
	       kg_now_ns() < end)
		kg_cpu_relax();
	kg_check(READ_ONCE(xs->error) == XENSTORE_ERROR_PROTO,
		 "an oversized header: ring error %u (want XENSTORE_ERROR_PROTO)",
		 READ_ONCE(xs->error));
	kg_check(!recv_msg(QUIET_NS), "and no reply to it");
}

void test_main(void)
{
	kg_require_xen();
	if (!setup())
		kg_exit();
	test_basic();
	test_watch();
	test_txn();
	test_malformed();
	kg_success(NULL);
}
