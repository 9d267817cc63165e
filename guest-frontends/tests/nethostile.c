// SPDX-License-Identifier: GPL-2.0
/*
 * nethostile: a malicious xen-netfront against the host's network backend.
 *
 * It connects to its vif (xl's 'vif = [...]', device/vif/0) the way
 * Linux's netfront does (xen/io/netif.h): grant table frame 0 placed with
 * XENMEM_add_to_physmap(XENMAPSPACE_grant_table), the TX and RX ring
 * pages granted to domain 0, tx-ring-ref, rx-ring-ref, event-channel (or
 * event-channel-tx and -rx: every other connection), request-rx-copy,
 * feature-rx-notify, feature-sg and feature-gso-tcpv4, no
 * multi-queue-num-queues (one queue), then state Connected; the backend
 * goes Connected once the toolstack has bridged the vif.  Then:
 *
 * 1. The RX ring: its first buffers are granted wrongly (not granted,
 *    to another domain, read-only, of a v2-only or transfer kind, for a
 *    frame that is not RAM, beyond the table).  ARP requests for L1's
 *    bridge address bring replies: those buffers must be answered with
 *    NETIF_RSP_ERROR and their frame left as it was, the good buffers
 *    after them with a reply whose bytes are all that was written.
 * 2. Valid traffic: ICMP echo requests to L1, in one slot or split over
 *    up to 4 (the first as short as a byte), each answered NETIF_RSP_OKAY
 *    with its id, and each reply coming back on the RX ring with our
 *    payload.
 * 3. "iters=N" (default 100000) hostile packets in batches up to the
 *    ring's size, valid frames and echoes mixed in.  Every slot is
 *    answered in ring order with its own id and the status its packet's
 *    defect calls for (netif_req.c, netback_io.c): NETIF_RSP_ERROR for
 *    19 or 20 slots, a first size below what the rest hold, fewer bytes
 *    than an Ethernet header, a GSO extra of size 0 or an unknown type
 *    or without csum_blank (dropped), a slot whose grant cannot be
 *    mapped, csum_blank on a frame with no TCP/UDP header (errors);
 *    NETIF_RSP_OKAY for a frame from another MAC (dropped as a switch
 *    would, and counted); NETIF_RSP_NULL for every extra-info slot.
 *    A packet held back with more_data waits without an answer until
 *    its last slot comes.  After every batch every grant entry is as we
 *    wrote it (no GTF_reading/GTF_writing left behind).
 * 3a. "flood=N" (default 100000) notifies of the TX port with nothing
 *    new in the rings, then echoes that must be answered as before.  The
 *    backend's workers must not run a pass for each (its disconnect line
 *    counts passes, idle ones, and how often it held back).
 * 4. The defects after which the backend stops serving the queue, one
 *    per connection (fatal_why[]): the batch's packets before it are
 *    answered, nothing after it, even after another notify; then the
 *    device is closed (Closing, Closed) and opened again (Initialising,
 *    Connected) for the next, and a last close.
 *
 * Each connection ends with a line "connection N: P packets, D dropped,
 * S spoofed, E errors" that must match the backend's disconnect line.
 * The PRNG is xorshift64* with a fixed seed ("seed=N").  Our MAC is the
 * toolstack's, our address "ip=" (default 10.9.0.5), L1's "l1=" (default
 * 10.9.0.1), both as a number (0x0a090005) to keep the parsing trivial.
 *
 * This file connects, drives the rings and runs the phases; the packets
 * and the checks of what comes back are in nethostile_cases.c.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <kg/xs.h>
#include <xen/memory.h>
#include <xen/io/xenbus.h>
#include "nethostile.h"

KG_TEST_TITLE("nethostile");

#define DEF_ITERS	100000
#define DEF_FLOOD	100000
#define FLOOD_ECHOES	4
#define DEF_SEED	0x6b78656e6e657431ull	/* "kxennet1" */
#define DEF_IP		0x0a090005		/* 10.9.0.5 */
#define DEF_L1		0x0a090001		/* 10.9.0.1 */
#define HOSTILE_DOMID	5		/* some other domain */
#define FAR_GFN		0x100000u	/* 4 GiB: past our RAM */
#define NR_ECHOES	16	/* valid echoes on the first connection */
#define PKT_SPAN	(FATAL_SLOTS + MAX_EXTRAS + 3)

#define STATE_NS	(30ull * KG_NSEC_PER_SEC)
#define STALL_NS	(20ull * KG_NSEC_PER_SEC)
#define POLL_NS		(1000ull * KG_NSEC_PER_MSEC)
#define EVENT_NS	(2000ull * KG_NSEC_PER_MSEC)
#define REPLY_NS	(3000ull * KG_NSEC_PER_MSEC)
#define NAP_NS		(2 * KG_NSEC_PER_MSEC)
#define QUIET_NS	(500 * KG_NSEC_PER_MSEC)

static_assert(sizeof(struct netif_tx_request) == 12, "netif_tx_request");
static_assert(sizeof(struct netif_extra_info) == 8, "netif_extra_info");
static_assert(sizeof(struct netif_rx_response) == 8, "netif_rx_response");
static_assert(__CONST_RING_SIZE(netif_tx, PAGE) == RING, "TX ring size");
static_assert(__CONST_RING_SIZE(netif_rx, PAGE) == RING, "RX ring size");
static_assert(REF_HOSTILE + NR_BAD_ENTS < NR_ENTS, "grant refs in frame 0");

struct net_conn net;
struct addrs addr;
domid_t our_domid;

static u8 tx_ring_mem[PAGE] __aligned(PAGE);
static u8 rx_ring_mem[PAGE] __aligned(PAGE);
static u8 gnt_page[PAGE] __aligned(PAGE);
u8 txbuf[TXBUF_PAGES][PAGE] __aligned(PAGE);
u8 rxbuf[RING][PAGE] __aligned(PAGE);
u8 bad_page[PAGE] __aligned(PAGE);

static grant_entry_v1_t *gnt;		/* frame 0, over gnt_page */
static grant_entry_v1_t want_gnt[NR_ENTS];
static evtchn_port_t idle_port;		/* never signalled: for naps */

struct txrec txr[RING];
unsigned int batch_n;
u32 batch_no;
static struct rxrec rxr[RING];
static unsigned int rx_bad_left;	/* bad buffers still to post */

static u64 missed_events, extra_kicks, kicks, poll_timeouts;
static u64 bad_gnt_checks, stalls, echo_lost;

/* ---- small helpers ---- */

static xen_pfn_t gfn_of(const void *p)
{
	return (uintptr_t)p / PAGE;
}

static void nap(u64 ns)
{
	kg_poll_port(idle_port, ns);
}

static void kick(void)
{
	kicks++;
	kg_evtchn_send(net.port);
}

static void kick_rx(void)
{
	kg_evtchn_send(net.rx_port);
}

static void ip_of(u8 *ip, unsigned long v)
{
	ip[0] = v >> 24;
	ip[1] = v >> 16;
	ip[2] = v >> 8;
	ip[3] = v;
}

/* ---- xenstore ---- */

static bool node_path(char *buf, size_t n, const char *dir, const char *node)
{
	return kg_snprintf(buf, n, "%s/%s", dir, node) < (int)n;
}

static bool be_ulong(const char *node, unsigned long *v)
{
	char path[160];

	return node_path(path, sizeof(path), net.be, node) &&
	       kg_xs_read_ulong(path, v);
}

static bool fe_write(const char *node, const char *fmt, ...) __printf(2, 3);
static bool fe_write(const char *node, const char *fmt, ...)
{
	char path[160], val[96];
	va_list ap;

	va_start(ap, fmt);
	kg_vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (!node_path(path, sizeof(path), net.fe, node) ||
	    !kg_xs_write(path, val)) {
		kg_error("cannot write %s/%s = \"%s\"\n", net.fe, node, val);
		return false;
	}
	return true;
}

/* Until the backend's state is @want; false (after saying so) if not. */
static bool wait_be_state(unsigned long want)
{
	u64 end = kg_now_ns() + STATE_NS;
	unsigned long st = 0;

	for (;;) {
		if (be_ulong("state", &st) && st == want)
			return true;
		if (kg_now_ns() > end)
			break;
		nap(NAP_NS);
	}
	kg_check(false, "connection %u: backend state %lu after %llu s, want %lu",
		 net.conn, st, STATE_NS / KG_NSEC_PER_SEC, want);
	return false;
}

/* ---- grants ---- */

static void grant(grant_ref_t ref, u16 flags, domid_t dom, u32 frame)
{
	want_gnt[ref].flags = flags;
	want_gnt[ref].domid = dom;
	want_gnt[ref].frame = frame;
	WRITE_ONCE(gnt[ref].frame, frame);
	WRITE_ONCE(gnt[ref].domid, dom);
	/* grant_table.h: the flags go last, once the entry is complete. */
	xen_wmb();
	WRITE_ONCE(gnt[ref].flags, flags);
}

static void grant_bad(void)
{
	u32 bf = gfn_of(bad_page), i = REF_HOSTILE;

	grant(i + BE_UNGRANTED, 0, 0, bf);
	grant(i + BE_OTHER_DOM, GTF_permit_access, HOSTILE_DOMID, bf);
	grant(i + BE_OWN_DOM, GTF_permit_access, our_domid, bf);
	grant(i + BE_DOMID_SELF, GTF_permit_access, DOMID_SELF, bf);
	grant(i + BE_SUB_PAGE, GTF_permit_access | GTF_sub_page, 0, bf);
	grant(i + BE_TRANSFER, GTF_accept_transfer, 0, bf);
	grant(i + BE_TRANSITIVE, GTF_transitive, 0, bf);
	grant(i + BE_FRAME_GNTTAB, GTF_permit_access, 0, gfn_of(gnt_page));
	grant(i + BE_FRAME_FAR, GTF_permit_access, 0, FAR_GFN);
	grant(i + BE_FRAME_MAX, GTF_permit_access, 0, 0xffffffffu);
	grant(i + BE_FRAME_SHINFO, GTF_permit_access, 0, gfn_of(kg_shinfo));
	grant(i + BE_READONLY, GTF_permit_access | GTF_readonly, 0, bf);
}

static bool setup_grants(void)
{
	struct xen_add_to_physmap a = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
		.idx = 0, .gpfn = gfn_of(gnt_page),
	};
	unsigned int i;
	long rc;

	rc = kg_memory_op(XENMEM_add_to_physmap, &a);
	if (!kg_check(rc == 0,
		      "XENMEM_add_to_physmap(grant_table 0, gfn %#lx) rc %ld",
		      (unsigned long)a.gpfn, rc))
		return false;
	gnt = (grant_entry_v1_t *)gnt_page;
	for (i = 0; i < NR_ENTS; i++)
		grant(i, 0, 0, 0);
	grant(REF_TX_RING, GTF_permit_access, 0, gfn_of(tx_ring_mem));
	grant(REF_RX_RING, GTF_permit_access, 0, gfn_of(rx_ring_mem));
	/* The backend only reads what we send: read-only, as netfront. */
	for (i = 0; i < TXBUF_PAGES; i++)
		grant(REF_TXBUF + i, GTF_permit_access | GTF_readonly, 0,
		      gfn_of(txbuf[i]));
	for (i = 0; i < RING; i++)
		grant(REF_RX + i, GTF_permit_access, 0, gfn_of(rxbuf[i]));
	grant_bad();
	return true;
}

/*
 * Every entry as we wrote it, the ring pages pinned for reading and
 * writing while @connected: a failed or finished map leaves no
 * GTF_reading/GTF_writing behind.  A posted RX buffer may be in the
 * middle of a copy (L1's traffic comes when it comes): its entry may
 * carry them then.
 */
static void check_grants(bool connected, const char *when)
{
	unsigned int i, nbad = 0, first = 0;
	grant_entry_v1_t w;
	u16 f;

	for (i = 0; i < NR_ENTS; i++) {
		w = want_gnt[i];
		f = READ_ONCE(gnt[i].flags);
		if (connected && (i == REF_TX_RING || i == REF_RX_RING))
			w.flags |= GTF_reading | GTF_writing;
		else if (connected && i >= REF_RX && i < REF_RX + RING)
			f &= ~(GTF_reading | GTF_writing);
		if (f != w.flags ||
		    READ_ONCE(gnt[i].domid) != w.domid ||
		    READ_ONCE(gnt[i].frame) != w.frame) {
			if (!nbad++)
				first = i;
		}
	}
	if (!nbad || bad_gnt_checks++ >= MAX_REPORTS)
		return;
	kg_check(false,
		 "%s: %u grant entries changed; %u: flags %#x domid %u frame %#x, want %#x %u %#x",
		 when, nbad, first, READ_ONCE(gnt[first].flags),
		 READ_ONCE(gnt[first].domid), READ_ONCE(gnt[first].frame),
		 want_gnt[first].flags, want_gnt[first].domid,
		 want_gnt[first].frame);
}

/* ---- the RX ring ---- */

/* The grant of the @k-th bad buffer: every kind an RX write must fail on. */
static grant_ref_t rx_bad_ref(unsigned int k)
{
	if (k < NR_RX_BAD)
		return REF_HOSTILE + k;
	if (k == NR_RX_BAD)
		return REF_HOSTILE + BE_READONLY;
	if (k == NR_RX_BAD + 1)
		return NR_ENTS * 64 + 17;	/* past the table */
	return 0;				/* reserved, never granted */
}

#define RX_BAD_POSTS	(NR_RX_BAD + 3)

/* Fills the RX ring with buffers, the bad ones first if any are left. */
static void rx_post(void)
{
	netif_rx_front_ring_t *f = &net.rx;
	struct netif_rx_request *req;
	struct rxrec *rec;
	int notify;

	while (f->req_prod_pvt - f->rsp_cons < RING) {
		rec = &rxr[f->req_prod_pvt % RING];
		rec->id = f->req_prod_pvt;
		rec->bad = rx_bad_left > 0;
		if (rec->bad) {
			rec->gref = rx_bad_ref(RX_BAD_POSTS - rx_bad_left--);
		} else {
			rec->gref = REF_RX + f->req_prod_pvt % RING;
			memset(rxbuf[f->req_prod_pvt % RING], CANARY_RX, PAGE);
		}
		req = RING_GET_REQUEST(f, f->req_prod_pvt);
		req->id = rec->id;
		req->gref = rec->gref;
		f->req_prod_pvt++;
	}
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(f, notify);
	if (notify)
		kick_rx();
}

/* Takes and checks what the backend answered on the RX ring, reposts. */
static void rx_service(void)
{
	netif_rx_front_ring_t *f = &net.rx;
	struct netif_rx_response rsp;
	RING_IDX rp;
	int more;

	do {
		rp = READ_ONCE(f->sring->rsp_prod);
		xen_rmb();	/* the responses up to rp, after rp */
		if (rp - f->rsp_cons > f->req_prod_pvt - f->rsp_cons) {
			if (bad_rx_rsp++ < MAX_REPORTS)
				kg_check(false, "RX rsp_prod %u past the requests (%u to %u)",
					 rp, f->rsp_cons, f->req_prod_pvt);
			return;
		}
		while (f->rsp_cons != rp) {
			RING_COPY_RESPONSE(f, f->rsp_cons, &rsp);
			check_rx_rsp(&rxr[f->rsp_cons % RING], &rsp,
				     rxbuf[f->rsp_cons % RING]);
			f->rsp_cons++;
		}
		RING_FINAL_CHECK_FOR_RESPONSES(f, more);
	} while (more);
	rx_post();
}

/* ---- the TX ring ---- */

static void begin_batch(void)
{
	batch_no++;
	batch_n = 0;
}

unsigned int tx_room(void)
{
	return RING - (net.tx.req_prod_pvt - net.tx.rsp_cons);
}

static struct txrec *tx_put(const void *slot, enum kind k, s16 want, bool ex)
{
	struct txrec *t = &txr[batch_n++];

	memcpy(&t->s, slot, sizeof(t->s.req));
	t->kind = k;
	t->want = want;
	t->extra = ex;
	t->done = false;
	t->last = false;
	memcpy(RING_GET_REQUEST(&net.tx, net.tx.req_prod_pvt), slot,
	       sizeof(struct netif_tx_request));
	net.tx.req_prod_pvt++;
	return t;
}

void tx_put_req(const struct netif_tx_request *r, enum kind k, s16 want)
{
	tx_put(r, k, want, false);
}

void tx_put_extra(const struct netif_extra_info *e, enum kind k)
{
	union {
		struct netif_extra_info e;
		struct netif_tx_request r;	/* a slot's size */
	} u;

	memset(&u, 0, sizeof(u));
	u.e = *e;
	tx_put(&u, k, NETIF_RSP_NULL, true);
}

void tx_pkt_end(void)
{
	txr[batch_n - 1].last = true;
}

/* A packet is answered when its last slot is: its fate, its tally. */
static void tx_answered(unsigned int first, unsigned int last)
{
	enum kind k = txr[first].kind;
	unsigned int i;
	bool ok = true;

	for (i = first; i <= last; i++)
		ok &= txr[i].done;
	if (ok)
		right[k]++;
	if (k != F_FATAL)
		net.fate[fate_of(k)]++;
}

/* The responses to a batch, as they come. */
struct rsp_wait {
	RING_IDX start;		/* rsp_cons before the batch */
	unsigned int want;	/* responses the batch must get */
	unsigned int got, pkt;	/* taken; the first slot of their packet */
	u64 last;		/* when the last came, or we notified */
	bool evt, kicked;
};

/* Takes the responses the backend pushed; false if past what it owes. */
static bool take_tx(struct rsp_wait *w)
{
	netif_tx_front_ring_t *f = &net.tx;
	struct netif_tx_response rsp;
	RING_IDX rp = READ_ONCE(f->sring->rsp_prod);

	xen_rmb();	/* the responses up to rp, after rp */
	if (rp - w->start > w->want) {
		kg_check(false, "batch %u: TX rsp_prod %u past the %u slots from %u",
			 batch_no, rp, w->want, w->start);
		return false;
	}
	while (f->rsp_cons != rp) {
		RING_COPY_RESPONSE(f, f->rsp_cons, &rsp);
		f->rsp_cons++;
		check_tx_rsp(&txr[w->got], &rsp);
		if (txr[w->got].last) {
			tx_answered(w->pkt, w->got);
			w->pkt = w->got + 1;
		}
		w->got++;
		w->last = kg_now_ns();
	}
	return true;
}

/* The backend notifies after it pushed: the event may trail. */
static void wait_trailing_event(void)
{
	u64 end = kg_now_ns() + EVENT_NS;

	while (!kg_evtchn_is_pending(net.port) && kg_now_ns() < end)
		kg_poll_port(net.port, EVENT_NS);
	if (!kg_evtchn_is_pending(net.port))
		missed_events++;
}

/* The batch stalled even after a notify: the indexes, a slot left. */
static void report_stall(const struct rsp_wait *w)
{
	const struct netif_tx_sring *s = net.tx.sring;
	const struct txrec *t = &txr[w->got];

	stalls++;
	kg_check(false,
		 "batch %u: %u of %u responses after %llu s (req_prod %u req_event %u rsp_prod %u)",
		 batch_no, w->got, w->want, 2 * STALL_NS / KG_NSEC_PER_SEC,
		 s->req_prod, s->req_event, s->rsp_prod);
	kg_printf("  next: %s, gref %#x offset %u flags %#x id %u size %u\n",
		  kind_name[t->kind], t->s.req.gref, t->s.req.offset,
		  t->s.req.flags, t->s.req.id, t->s.req.size);
}

/*
 * Pushes the batch and takes @want responses, servicing the RX ring
 * meanwhile.  rsp_event is set first, so the backend owes us an event;
 * requests are notified as req_event asks.  False if they do not all
 * come (after saying which).
 */
static bool send_batch(unsigned int want)
{
	netif_tx_front_ring_t *f = &net.tx;
	struct rsp_wait w = {
		.start = f->rsp_cons, .want = want, .last = kg_now_ns(),
	};
	int notify, more;

	f->sring->rsp_event = f->rsp_cons + 1;
	kg_evtchn_clear_pending(net.port);
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(f, notify);
	if (notify)
		kick();
	for (;;) {
		if (!take_tx(&w))
			return false;
		rx_service();
		if (w.got == want)
			break;
		RING_FINAL_CHECK_FOR_RESPONSES(f, more);
		if (more)
			continue;
		if (kg_evtchn_is_pending(net.port)) {
			w.evt = true;
			kg_evtchn_clear_pending(net.port);
			continue;
		}
		if (kg_now_ns() - w.last > STALL_NS) {
			if (w.kicked) {
				report_stall(&w);
				return false;
			}
			/* Did the backend ask for a notify it did not get? */
			w.kicked = true;
			extra_kicks++;
			kick();
			w.last = kg_now_ns();
			continue;
		}
		if (kg_now_ns() - w.last > POLL_NS)
			poll_timeouts++;
		kg_poll_port(net.port, POLL_NS);
	}
	if (!w.evt && want)
		wait_trailing_event();
	if (w.kicked && extra_kicks <= MAX_REPORTS)
		kg_check(false,
			 "batch %u: the backend answered only after a notify req_event did not ask for",
			 batch_no);
	return true;
}

/* Until echo @seq is answered (the RX ring serviced), or REPLY_NS. */
static bool wait_echo(u16 seq)
{
	u64 end = kg_now_ns() + REPLY_NS;

	while (!echo_answered(seq) && kg_now_ns() < end) {
		rx_service();
		kg_poll_port(net.rx_port, 10 * NAP_NS);
	}
	return echo_answered(seq);
}

/*
 * One echo and its reply, after an ARP request for L1 that has L1 take
 * our address afresh (and an ARP reply L1 is owed).
 */
static bool echo_once(bool split)
{
	begin_batch();
	arp_reply_owed();
	arp_request();
	echo_request(split);
	return send_batch(batch_n) && wait_echo(echo_sent);
}

/*
 * The same on a connection just made: the host's stack learns that the
 * vif's carrier is on through linkwatch, up to a second later, and the
 * bridge drops what comes before.  A few tries; the echoes lost so are
 * not held against the backend.
 */
static bool echo_probe(bool split)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		if (echo_once(split))
			return true;
		echo_lost++;
	}
	return false;
}

/* ---- the connection ---- */

static bool alloc_port(evtchn_port_t *port)
{
	struct evtchn_alloc_unbound au = {
		.dom = DOMID_SELF, .remote_dom = 0,
	};
	long rc = kg_evtchn_op(EVTCHNOP_alloc_unbound, &au);

	if (!kg_check(rc == 0 && au.port,
		      "EVTCHNOP_alloc_unbound(remote 0) rc %ld port %u", rc,
		      au.port))
		return false;
	*port = au.port;
	return true;
}

/* What netfront reads first: what we need must be offered. */
static bool read_features(void)
{
	unsigned long copy = 0, sg = 0, split = 0, mq = 0;

	be_ulong("feature-rx-copy", &copy);
	be_ulong("feature-sg", &sg);
	be_ulong("feature-split-event-channels", &split);
	be_ulong("multi-queue-max-queues", &mq);
	kg_printf("backend offers: rx-copy %lu, sg %lu, split channels %lu, queues %lu\n",
		  copy, sg, split, mq);
	net.split = split && !(net.conn % 2);
	return kg_check(copy == 1, "connection %u: the backend offers feature-rx-copy",
			net.conn);
}

/* Removes a node of ours; one that is not there is fine. */
static void fe_rm(const char *node)
{
	char path[160];

	if (node_path(path, sizeof(path), net.fe, node))
		kg_xs_request(XS_RM, 0, path, NULL, false);
}

/*
 * The rings' nodes and the port(s) under device/vif/0, then Connected.
 * The nodes of the other way to give the ports go first: the backend
 * takes event-channel-tx over event-channel whenever it is there.
 */
static bool write_nodes(void)
{
	bool ok = fe_write("tx-ring-ref", "%u", REF_TX_RING) &&
		  fe_write("rx-ring-ref", "%u", REF_RX_RING);

	if (net.split) {
		fe_rm("event-channel");
	} else {
		fe_rm("event-channel-tx");
		fe_rm("event-channel-rx");
	}

	if (net.split)
		ok = ok && fe_write("event-channel-tx", "%u", net.port) &&
		     fe_write("event-channel-rx", "%u", net.rx_port);
	else
		ok = ok && fe_write("event-channel", "%u", net.port);
	ok = ok && fe_write("request-rx-copy", "1") &&
	     fe_write("feature-rx-notify", "1") &&
	     fe_write("feature-sg", "1") &&
	     fe_write("feature-gso-tcpv4", "1");
	return ok && fe_write("state", "%u", XenbusStateConnected);
}

/* Netfront's talk_to_netback(), then the backend's Connected. */
static bool net_connect(void)
{
	netif_tx_sring_t *txs = (netif_tx_sring_t *)tx_ring_mem;
	netif_rx_sring_t *rxs = (netif_rx_sring_t *)rx_ring_mem;

	net.conn++;
	memset(net.fate, 0, sizeof(net.fate));
	if (!wait_be_state(XenbusStateInitWait) || !read_features())
		return false;
	memset(tx_ring_mem, 0, PAGE);
	memset(rx_ring_mem, 0, PAGE);
	SHARED_RING_INIT(txs);
	FRONT_RING_INIT(&net.tx, txs, PAGE);
	SHARED_RING_INIT(rxs);
	FRONT_RING_INIT(&net.rx, rxs, PAGE);
	if (!alloc_port(&net.port))
		return false;
	net.rx_port = net.port;
	if (net.split && !alloc_port(&net.rx_port))
		return false;
	if (!write_nodes() || !wait_be_state(XenbusStateConnected))
		return false;
	kg_printf("connection %u: Connected, %s event channel%s %u/%u\n",
		  net.conn, net.split ? "split" : "one",
		  net.split ? "s" : "", net.port, net.rx_port);
	rx_post();
	check_grants(true, "connected");
	return true;
}

/*
 * What a connection ended with, in the words that
 * selftests/kxen/guest_nethostile.sh compares with the backend's.
 */
#define COUNTS_LINE \
	"connection %u: %llu packets, %llu dropped, %llu spoofed, %llu errors\n"

/* Closing, then Closed, as netfront does when the device goes. */
static bool net_close(void)
{
	unsigned long st = 0;
	u64 end;

	if (!fe_write("state", "%u", XenbusStateClosing))
		return false;
	end = kg_now_ns() + STATE_NS;
	while (!(be_ulong("state", &st) && st >= XenbusStateClosing) &&
	       kg_now_ns() < end)
		nap(NAP_NS);
	if (!fe_write("state", "%u", XenbusStateClosed) ||
	    !wait_be_state(XenbusStateClosed))
		return false;
	kg_printf(COUNTS_LINE, net.conn,
		  (unsigned long long)net.fate[FATE_PACKETS],
		  (unsigned long long)net.fate[FATE_DROPPED],
		  (unsigned long long)net.fate[FATE_SPOOFED],
		  (unsigned long long)net.fate[FATE_ERRORS]);
	check_grants(false, "after Closed");
	kg_evtchn_close(net.port);
	if (net.split)
		kg_evtchn_close(net.rx_port);
	return true;
}

static bool net_reconnect(void)
{
	return net_close() &&
	       fe_write("state", "%u", XenbusStateInitialising) &&
	       net_connect();
}

/* ---- phases ---- */

/* Services the RX ring for @ns. */
static void rx_for(u64 ns)
{
	u64 end = kg_now_ns() + ns;

	while (kg_now_ns() < end) {
		rx_service();
		kg_poll_port(net.rx_port, 10 * NAP_NS);
	}
}

/*
 * ARP requests until L1 has answered into a good buffer, after the bad
 * buffers at the head of the RX ring have each been answered.
 */
static bool arp_and_rx_abuse(void)
{
	unsigned int tries, i;

	for (tries = 0; tries < 40; tries++) {
		if (rx_errors_bad >= RX_BAD_POSTS && addr.have_l1_mac)
			break;
		begin_batch();
		for (i = 0; i < 4; i++)
			arp_request();
		if (!send_batch(batch_n))
			return false;
		rx_for(QUIET_NS);
	}
	kg_check(rx_errors_bad == RX_BAD_POSTS && !bad_rx_rsp,
		 "RX: %u buffers granted wrongly (not granted, another domain's, read-only, v2-only kinds, no RAM, past the table): %llu answered NETIF_RSP_ERROR",
		 RX_BAD_POSTS, (unsigned long long)rx_errors_bad);
	kg_check(all_bytes(bad_page, CANARY_BAD, PAGE),
		 "RX: the frame behind those grants was not written");
	check_grants(true, "after the RX buffers granted wrongly");
	if (!kg_check(addr.have_l1_mac,
		      "ARP: L1 answered from %02x:%02x:%02x:%02x:%02x:%02x (%llu replies)",
		      addr.l1_mac[0], addr.l1_mac[1], addr.l1_mac[2],
		      addr.l1_mac[3], addr.l1_mac[4], addr.l1_mac[5],
		      (unsigned long long)arp_replies))
		return false;
	frames_init();		/* unicast to L1 from now on */
	return true;
}

/* Echoes to L1, in one slot and split, each answered and replied to. */
static bool valid_phase(void)
{
	unsigned int i, ok = 0;

	for (i = 0; i < NR_ECHOES; i++)
		ok += echo_once(i % 2);
	begin_batch();
	valid_frame();
	valid_frame();
	if (!send_batch(batch_n))
		return false;
	return kg_check(ok == NR_ECHOES && !bad_tx_rsp && !bad_rx_rsp,
			"%u ICMP echoes to L1 (half of them split over 2-4 slots): OKAY with their ids, %u replies with our payload",
			NR_ECHOES, ok);
}

/*
 * @n notifies with nothing new in the rings: work for the backend's
 * workers that a guest can ask for at the price of its own exits only.
 * Then echoes, answered as before.
 */
static bool kick_flood(u64 n)
{
	u64 i, t0 = kg_now_ns(), ms;
	unsigned int ok = 0;

	for (i = 0; i < n; i++)
		kick();
	ms = (kg_now_ns() - t0) / 1000000;
	kg_printf("kick flood: %llu notifies with nothing in the rings in %llu ms\n",
		  (unsigned long long)n, (unsigned long long)ms);
	for (i = 0; i < FLOOD_ECHOES; i++)
		ok += echo_once(i % 2);
	return kg_check(ok == FLOOD_ECHOES && !bad_tx_rsp && !bad_rx_rsp,
			"after the kick flood: %u ICMP echoes to L1 answered and replied to (%u)",
			FLOOD_ECHOES, ok);
}

/* A batch of hostile packets, a valid frame or echo now and then. */
static u64 hostile_batch(u64 left)
{
	unsigned int n = (batch_no % 16) ? 1 + rnd_below(RING) : RING;
	bool echo = one_in(4);
	u64 done = 0;

	begin_batch();
	arp_reply_owed();
	while (batch_n < n && tx_room() >= PKT_SPAN && done < left) {
		if (echo && one_in(8)) {
			echo_request(one_in(2));
			echo = false;
		} else if (one_in(32)) {
			valid_frame();
		} else {
			hostile();
			done++;
		}
	}
	return done;
}

/* @iters hostile packets in batches. */
static bool hostile_phase(u64 iters)
{
	u64 done = 0;

	while (done < iters) {
		done += hostile_batch(iters - done);
		if (!send_batch(batch_n))
			return false;
		check_grants(true, "after a batch");
		if (!(batch_no % 256))
			kg_printf("batch %u: %llu of %llu hostile packets answered\n",
				  batch_no, (unsigned long long)done,
				  (unsigned long long)iters);
	}
	rx_for(REPLY_NS);
	return true;
}

/* A valid frame after the fatal one: it must never be answered. */
static void frame_after(void)
{
	valid_frame();
	txr[batch_n - 1].kind = F_FATAL;
	sent[V_FRAME]--;
}

/* The ring-index defects: req_prod set by hand, a notify. */
static void index_abuse(enum fatal f)
{
	RING_IDX c = net.tx.rsp_cons;

	if (f == F_RX_AHEAD) {
		WRITE_ONCE(net.rx.sring->req_prod,
			   net.rx.rsp_cons + RING + 1 + rnd_below(1000));
		xen_mb();
		kick_rx();
		nap(QUIET_NS);
		frame_after();
		RING_PUSH_REQUESTS(&net.tx);
	} else {
		frame_after();
		xen_wmb();
		WRITE_ONCE(net.tx.sring->req_prod, f == F_TX_AHEAD ?
			   c + RING + 1 + rnd_below(1000) :
			   c - 1 - rnd_below(1000));
	}
	xen_mb();
	kick();
}

/*
 * Until @before responses came (or QUIET_NS passed), then a notify and
 * QUIET_NS more: the number of responses in all.
 */
static unsigned int fatal_wait(RING_IDX start, unsigned int before)
{
	struct rsp_wait w = { .start = start, .want = before };
	u64 end = kg_now_ns() + STALL_NS;

	while (net.tx.rsp_cons - start < before && kg_now_ns() < end) {
		take_tx(&w);
		kg_poll_port(net.port, 10 * NAP_NS);
	}
	nap(QUIET_NS);
	kick();
	nap(QUIET_NS);
	take_tx(&w);
	return READ_ONCE(net.tx.sring->rsp_prod) - start;
}

/*
 * One defect after which the backend must stop serving the queue, on a
 * fresh connection that first shows it works (an echo and its reply).
 * The batch: a valid frame, the defect, a valid frame; the first frame
 * is consumed before the defect is seen, and must be answered (Linux's
 * netback answers what it took before it gave up), nothing after it.
 */
static bool fatal_case(enum fatal f)
{
	RING_IDX start;
	unsigned int before = 0, got;
	u64 was;

	if (!net_reconnect())
		return false;
	kg_check(echo_probe(f % 2), "connection %u: an echo to L1 and its reply",
		 net.conn);
	rx_for(QUIET_NS);	/* L1's traffic now, not in the middle */
	was = right[V_FRAME];
	start = net.tx.rsp_cons;
	begin_batch();
	if (f < F_TX_AHEAD) {
		valid_frame();
		before = batch_n;
		fatal_packet(f);
		frame_after();
		kg_evtchn_clear_pending(net.port);
		RING_PUSH_REQUESTS(&net.tx);
		kick();
	} else {
		index_abuse(f);
	}
	got = fatal_wait(start, before);
	kg_check(got == before,
		 "connection %u: \"%s\": %u response(s), want %u (the frame before it, nothing after)",
		 net.conn, fatal_why[f], got, before);
	if (before && right[V_FRAME] == was)
		net.fate[FATE_PACKETS]++;	/* taken, if not answered */
	return true;
}

static void report(void)
{
	u64 nh = 0, rh = 0;
	unsigned int k;

	kg_printf("nethostile: %u batches, %llu notifies from us, %llu poll timeouts\n",
		  batch_no, (unsigned long long)kicks,
		  (unsigned long long)poll_timeouts);
	for (k = 0; k < NR_KINDS; k++) {
		kg_printf("  %-36s sent %8llu, answered right %8llu\n",
			  kind_name[k], (unsigned long long)sent[k],
			  (unsigned long long)right[k]);
		if (k < NR_HOSTILE) {
			nh += sent[k];
			rh += right[k];
		}
	}
	kg_printf("nethostile: RX %llu packets, %llu ARP replies, %llu of %llu echoes\n",
		  (unsigned long long)rx_packets,
		  (unsigned long long)arp_replies,
		  (unsigned long long)echo_back,
		  (unsigned long long)echo_sent);
	kg_check(nh && rh == nh,
		 "%llu hostile packets, %llu answered with the status their defect calls for",
		 (unsigned long long)nh, (unsigned long long)rh);
	kg_check(right[V_FRAME] == sent[V_FRAME] && right[V_ECHO] == sent[V_ECHO],
		 "every valid frame and echo answered OKAY with its id: %llu of %llu, %llu of %llu",
		 (unsigned long long)right[V_FRAME],
		 (unsigned long long)sent[V_FRAME],
		 (unsigned long long)right[V_ECHO],
		 (unsigned long long)sent[V_ECHO]);
	kg_check(echo_back + echo_lost >= echo_sent && !echo_wrong,
		 "every echo's reply came back with our payload: %llu of %llu (%llu before a new carrier), %llu wrong",
		 (unsigned long long)echo_back, (unsigned long long)echo_sent,
		 (unsigned long long)echo_lost, (unsigned long long)echo_wrong);
	kg_check(!bad_tx_rsp, "each TX response in ring order, its slot's id, status: %llu wrong",
		 (unsigned long long)bad_tx_rsp);
	kg_check(!bad_rx_rsp && !rx_canary_bad && !rx_errors_good,
		 "every RX response: its buffer's id, known flags, offset + status within the page, no byte written past it: %llu wrong, %llu overwrites",
		 (unsigned long long)bad_rx_rsp,
		 (unsigned long long)rx_canary_bad);
	kg_check(!missed_events && !extra_kicks && !stalls,
		 "every batch's responses came with an event, no extra notify needed: %llu missed, %llu extra",
		 (unsigned long long)missed_events,
		 (unsigned long long)extra_kicks);
	kg_check(!bad_gnt_checks, "every grant entry as we wrote it after every batch");
	kg_check(all_bytes(bad_page, CANARY_BAD, PAGE),
		 "the frame behind the bad grants was never written");
}

/* "aa:bb:cc:dd:ee:ff" into @mac. */
static bool parse_mac(const char *s, u8 *mac)
{
	unsigned int i, j, v;
	char c;

	for (i = 0; i < ETH_ALEN; i++) {
		for (v = 0, j = 0; j < 2; j++) {
			c = *s++;
			if (c >= '0' && c <= '9')
				v = v * 16 + c - '0';
			else if (c >= 'a' && c <= 'f')
				v = v * 16 + c - 'a' + 10;
			else
				return false;
		}
		mac[i] = v;
		if (*s++ != (i + 1 < ETH_ALEN ? ':' : '\0'))
			return false;
	}
	return true;
}

static bool setup_store(void)
{
	unsigned long v = 0;
	char path[80], mac[24];
	u64 pfn, port;
	long rc;

	rc = kg_xs_init(&pfn, &port);
	if (!rc && !pfn) {
		kg_skip("no HVM_PARAM_STORE_PFN: the toolstack set no ring\n");
		return false;
	}
	if (!kg_check(rc == 0 && kg_xs, "xenstore ring at pfn %#llx, port %llu",
		      (unsigned long long)pfn, (unsigned long long)port))
		return false;
	if (!kg_xs_read_ulong("domid", &v)) {
		kg_error("cannot read our domid from the store\n");
		return false;
	}
	our_domid = v;
	kg_snprintf(net.fe, sizeof(net.fe), "device/vif/%lu",
		    kg_cmdline_ulong("vif", 0));
	kg_snprintf(path, sizeof(path), "%s/backend", net.fe);
	if (!kg_xs_read(path, net.be, sizeof(net.be))) {
		kg_skip("no %s: this domain has no vif\n", path);
		return false;
	}
	kg_snprintf(path, sizeof(path), "%s/mac", net.fe);
	if (!kg_xs_read(path, mac, sizeof(mac)) || !parse_mac(mac, addr.mac)) {
		kg_error("no MAC in %s\n", path);
		return false;
	}
	kg_printf("domid %u, frontend %s, backend %s, mac %s\n", our_domid,
		  net.fe, net.be, mac);
	return true;
}

static bool setup(void)
{
	long rc;

	if (!kg_setup_shared_info())
		return false;
	rc = kg_evtchn_bind_ipi(0, &idle_port);
	if (!kg_check(rc == 0, "EVTCHNOP_bind_ipi (idle port to poll) rc %ld",
		      rc))
		return false;
	if (!setup_store())
		return false;
	ip_of(addr.ip, kg_cmdline_ulong("ip", DEF_IP));
	ip_of(addr.l1_ip, kg_cmdline_ulong("l1", DEF_L1));
	memset(bad_page, CANARY_BAD, PAGE);
	frames_init();
	return setup_grants();
}

void test_main(void)
{
	u64 iters = kg_cmdline_ulong("iters", DEF_ITERS);
	u64 flood = kg_cmdline_ulong("flood", DEF_FLOOD);
	unsigned int f;

	rng_state = kg_cmdline_ulong("seed", DEF_SEED) ?: DEF_SEED;
	kg_require_xen();
	if (!setup())
		kg_exit();
	kg_printf("nethostile: %llu hostile packets, seed %#llx\n",
		  (unsigned long long)iters, (unsigned long long)rng_state);
	rx_bad_left = RX_BAD_POSTS;
	if (!net_connect() || !arp_and_rx_abuse() || !valid_phase())
		kg_exit();
	if (!hostile_phase(iters) || !kick_flood(flood))
		kg_exit();
	for (f = 0; f < NR_FATAL; f++)
		if (!fatal_case(f))
			kg_exit();
	if (!net_close())
		kg_exit();
	report();
	kg_success(NULL);
}
