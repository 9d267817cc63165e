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
 * XENSTORE_ERROR_PROTO in the page's error field.  The ring client is
 * lib/xs.c.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <kg/xs.h>

KG_TEST_TITLE("xenstore");

#define UPCALL_VECTOR	0xf3
#define QUIET_NS	(200 * KG_NSEC_PER_MSEC)

static bool is_error(u32 type, const char *name)
{
	return type == XS_ERROR && !strcmp(kg_xs_body, name);
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
	rc = kg_xs_init(&pfn, &port);
	if (!rc && !pfn) {
		kg_skip("no HVM_PARAM_STORE_PFN: the toolstack set no ring\n");
		return false;
	}
	if (!kg_check(rc == 0 && kg_xs,
		      "HVM_PARAM_STORE_PFN %#llx, STORE_EVTCHN %llu",
		      (unsigned long long)pfn, (unsigned long long)port))
		return false;
	kg_printf("ring at pfn %#llx, port %u, connection %u\n",
		  (unsigned long long)pfn, kg_xs_port, kg_xs->connection);
	kg_sti();
	return true;
}

static void test_basic(void)
{
	long domid = kg_xen_domid();
	unsigned long got;
	u32 t;

	kg_evtchn_log_reset();
	t = kg_xs_request(XS_READ, 0, "domid", NULL, false);
	kg_check(t == XS_READ && kg_parse_ulong(kg_xs_body, &got, NULL) &&
		 (domid < 0 || (long)got == domid),
		 "READ domid: type %u \"%s\" (CPUID says %ld)", t, kg_xs_body,
		 domid);
	kg_check(kg_evtchn_seen(kg_xs_port) > 0,
		 "the reply came with an event on port %u", kg_xs_port);
	t = kg_xs_request(XS_WRITE, 0, "data/test", "hello", true);
	kg_check(t == XS_WRITE && !strcmp(kg_xs_body, "OK"),
		 "WRITE data/test: type %u \"%s\"", t, kg_xs_body);
	t = kg_xs_request(XS_READ, 0, "data/test", NULL, false);
	kg_check(t == XS_READ && kg_xs_hdr.len == 5 &&
		 !strcmp(kg_xs_body, "hello"),
		 "READ data/test back: type %u \"%s\"", t, kg_xs_body);
	t = kg_xs_request(XS_WRITE, 0, "name", "evil", true);
	kg_check(is_error(t, "EACCES"),
		 "WRITE name (dom0's, read-only here): type %u \"%s\" (want EACCES)",
		 t, kg_xs_body);
	t = kg_xs_request(9999, 0, NULL, NULL, false);
	kg_check(t == XS_ERROR,
		 "an unknown request type gets an error: type %u \"%s\"", t,
		 kg_xs_body);
}

static void test_watch(void)
{
	u32 t;

	kg_xs_forget_events();
	t = kg_xs_request(XS_WATCH, 0, "data/w", "tok1", false);
	kg_check(t == XS_WATCH, "WATCH data/w tok1: type %u \"%s\"", t,
		 kg_xs_body);
	t = kg_xs_request(XS_WRITE, 0, "data/w/x", "1", true);
	kg_check(t == XS_WRITE, "WRITE data/w/x: type %u", t);
	/* Events may trail the reply: collect for a moment. */
	while (kg_xs_recv(QUIET_NS))
		if (kg_xs_hdr.type == XS_WATCH_EVENT)
			kg_xs_note_event();
	kg_check(kg_xs_saw_event("data/w", "tok1"),
		 "the watch fired at once with its token (%u events)",
		 kg_xs_nr_events());
	kg_check(kg_xs_saw_event("data/w/x", "tok1"),
		 "the watch fired on the change with its token");
	t = kg_xs_request(XS_UNWATCH, 0, "data/w", "tok1", false);
	kg_check(t == XS_UNWATCH, "UNWATCH: type %u \"%s\"", t, kg_xs_body);
}

static u32 txn_start(void)
{
	unsigned long id = 0;
	u32 t = kg_xs_request(XS_TRANSACTION_START, 0, "", NULL, false);

	if (t != XS_TRANSACTION_START ||
	    !kg_parse_ulong(kg_xs_body, &id, NULL))
		return 0;
	return id;
}

static void test_txn(void)
{
	u32 t1 = txn_start(), t2 = txn_start(), t;

	if (!kg_check(t1 && t2 && t1 != t2,
		      "two TRANSACTION_STARTs: ids %u and %u", t1, t2))
		return;
	kg_xs_request(XS_READ, t1, "data/test", NULL, false);
	kg_xs_request(XS_READ, t2, "data/test", NULL, false);
	kg_xs_request(XS_WRITE, t1, "data/test", "one", true);
	kg_xs_request(XS_WRITE, t2, "data/test", "two", true);
	t = kg_xs_request(XS_TRANSACTION_END, t1, "T", NULL, false);
	kg_check(t == XS_TRANSACTION_END,
		 "first commit: type %u \"%s\"", t, kg_xs_body);
	t = kg_xs_request(XS_TRANSACTION_END, t2, "T", NULL, false);
	kg_check(is_error(t, "EAGAIN"),
		 "second commit conflicts: type %u \"%s\" (want EAGAIN)", t,
		 kg_xs_body);
	t = kg_xs_request(XS_READ, 0, "data/test", NULL, false);
	kg_check(t == XS_READ && !strcmp(kg_xs_body, "one"),
		 "the first transaction's value stays: \"%s\"", kg_xs_body);
}

/* A header claiming a payload over the limit: the ring closes. */
static void test_malformed(void)
{
	struct xsd_sockmsg h = { .type = XS_READ, .req_id = kg_xs_next_id(),
				 .len = XENSTORE_PAYLOAD_MAX + 1 };
	u64 end;

	kg_xs_put(&h, sizeof(h));
	end = kg_now_ns() + KG_XS_WAIT_NS;
	while (READ_ONCE(kg_xs->error) == XENSTORE_ERROR_NONE &&
	       kg_now_ns() < end)
		kg_cpu_relax();
	kg_check(READ_ONCE(kg_xs->error) == XENSTORE_ERROR_PROTO,
		 "an oversized header: ring error %u (want XENSTORE_ERROR_PROTO)",
		 READ_ONCE(kg_xs->error));
	kg_check(!kg_xs_recv(QUIET_NS), "and no reply to it");
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
