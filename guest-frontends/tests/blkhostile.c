// SPDX-License-Identifier: GPL-2.0
/*
 * blkhostile: a malicious xen-blkfront against the host's block backend.
 *
 * It connects to its disk (xl's 'disk = [...]', vdev xvda = 51712) the
 * way Linux's blkfront does (xen/io/blkif.h): grant table frame 0 placed
 * with XENMEM_add_to_physmap(XENMAPSPACE_grant_table), the ring pages
 * granted to domain 0, an unbound port for domain 0, then ring-page-order
 * and ring-refN (or ring-ref), event-channel and protocol "x86_64-abi"
 * under device/vbd/<vdev>, and state Initialised; the backend maps it,
 * writes sectors and goes Connected.  Then:
 *
 * 1. A READ of sectors 0-7 returns what the test script put in the image:
 *    sector s holds s in decimal, left-aligned, padded with spaces to 511
 *    bytes, and a newline (awk's printf "%-511d\n").
 * 2. The last WREGION sectors are written from read-only grants with
 *    "w<s>" in the same layout and read back; valid writes go nowhere
 *    else, so the script can check every byte of the image afterwards.
 *    A READ granted on our shared_info frame must be refused (a probe
 *    of its own, into bytes shared_info does not use).
 * 3. "iters=N" (default 100000) hostile requests, in batches of 1 to
 *    RING_SIZE requests (a full ring now and then), each answered with
 *    the right id and operation (an indirect request's indirect_op, as
 *    Linux's blkfront checks), zero padding (XSA-216) and the status
 *    its defect calls for: BLKIF_RSP_EOPNOTSUPP for an unknown operation
 *    (and for discard when feature-discard is 0), BLKIF_RSP_ERROR for
 *    the rest, never BLKIF_RSP_OKAY.  The defects: nr_segments 0 or
 *    12..255; first_sect > last_sect; last_sect 8..255; sectors past the
 *    end, wrapping around 2^64, or whose byte offset wraps; grant
 *    references not granted, granted to another domain, read-only for a
 *    READ (the backend writes guest memory then), of a kind other than
 *    a plain GTF_permit_access, for a frame that is not RAM (our grant
 *    table, past RAM), beyond the grant table; discards
 *    outside the disk; BLKIF_OP_INDIRECT with an indirect_op other than
 *    READ/WRITE, nr_segments 0 or above feature-max-indirect-segments,
 *    a bad indirect page reference, or one bad segment in the page.
 *    Unused segment slots and the handle of the hostile requests are
 *    random.  Mixed in: valid reads (direct and indirect, up to 256
 *    segments) whose every byte is checked, with a canary around them;
 *    valid writes to the write region (WRITE, FLUSH_DISKCACHE with data,
 *    indirect); empty flushes and barriers.  Each batch's responses
 *    must come with an event (rsp_event set before the batch); the
 *    backend must not need more notifications than req_event asks for.
 *    After every batch, every grant entry must be as we wrote it (no
 *    GTF_reading/GTF_writing left by a failed map), and the pages of
 *    the hostile requests must still hold their canary.
 * 4. The ring-index abuse: req_prod set to rsp_prod + RING_SIZE + 1 (the
 *    first value that cannot be right, RING_REQUEST_PROD_OVERFLOW) with a
 *    valid request in the next slot, and a notify.  The backend must stop
 *    serving the ring (no response) and write an "error" node saying
 *    "ring producer ... past consumer".
 * 4a. Before that, on the first connection: "flood=N" (default 100000)
 *    notifies with nothing new in the ring, then a READ that must be
 *    served as before.  The backend's worker must not run a pass for
 *    each (its disconnect line counts passes, idle ones, and how often
 *    it held back); the script checks those against the flood's length.
 * 5. Closing (state 5, 6) releases the ring's grants; a reconnect gets a
 *    working ring again; its producer set 2^31 past the consumer breaks
 *    it again; a last close.
 *
 * The counts a connection ends with ("connection N: R requests
 * answered, E with an error, F sent to get one") are what the
 * backend's disconnect line in the host's log must say (R and E), and
 * E must be F.  The PRNG is xorshift64* with a fixed
 * seed ("seed=N"), so a run can be repeated exactly.  "order=N" picks
 * the ring's page order (default 2, at most what the backend offers).
 *
 * This file connects, drives the ring and runs the phases; the requests
 * and the checks of what comes back are in blkhostile_cases.c.
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
#include <xen/io/protocols.h>
#include <xen/io/xenbus.h>
#include "blkhostile.h"

KG_TEST_TITLE("blkhostile");

#define MIN_SECTORS	4096	/* 2 MiB: room for every request we build */

#define DEF_ITERS	100000
#define DEF_FLOOD	100000
#define DEF_SEED	0x6b78656e626c6b31ull	/* "kxenblk1" */
#define DEF_VDEV	51712			/* xvda */
#define DEF_ORDER	2
#define HOSTILE_DOMID	5		/* some other domain */
#define FAR_GFN		0x100000u	/* 4 GiB: past our RAM */

#define STATE_NS	(30ull * KG_NSEC_PER_SEC)
#define STALL_NS	(20ull * KG_NSEC_PER_SEC)
#define POLL_NS		(1000ull * KG_NSEC_PER_MSEC)
#define EVENT_NS	(2000ull * KG_NSEC_PER_MSEC)
#define NAP_NS		(2 * KG_NSEC_PER_MSEC)
#define QUIET_NS	(300 * KG_NSEC_PER_MSEC)

#define ID_MAGIC	0x6b78000000000000ull	/* "kx" in the top bits */

static_assert(MAX_RING_PAGES == 1 << MAX_ORDER, "MAX_RING_PAGES");
static_assert(sizeof(struct blkif_request) == 112, "blkif_request layout");
static_assert(sizeof(struct blkif_response) == 16, "blkif_response layout");
static_assert(sizeof(union req) == sizeof(struct blkif_request),
	      "every request layout fits a ring slot");
static_assert(__CONST_RING_SIZE(blkif, MAX_RING_PAGES * PAGE) == MAX_RING,
	      "MAX_RING");
static_assert(REF_HOSTILE + NR_BAD_ENTS < NR_ENTS, "grant refs in frame 0");
static_assert(sizeof(struct shared_info) <= PAGE - SECT,
	      "shared_info leaves its page's last sector unused");

struct blk_conn blk;

static u8 ring_mem[MAX_RING_PAGES * PAGE] __aligned(PAGE);
static u8 gnt_page[PAGE] __aligned(PAGE);
u8 good[GOOD_PAGES][PAGE] __aligned(PAGE);
static u8 wsrc[WSRC_PAGES][PAGE] __aligned(PAGE);
static u8 bad[BAD_PAGES][PAGE] __aligned(PAGE);
struct blkif_request_segment ind[IND_PAGES][SEGS_PER_IND] __aligned(PAGE);

static grant_entry_v1_t *gnt;		/* frame 0, over gnt_page */
static grant_entry_v1_t want_gnt[NR_ENTS];
static domid_t our_domid;
static evtchn_port_t idle_port;		/* never signalled: for naps */

struct pend pend[MAX_RING];
unsigned int batch_n;
u64 batch_tag;
u32 batch_no;
static unsigned int ind_used;

static u64 sent[NR_KINDS];
static u64 missed_events, extra_kicks, kicks, poll_timeouts;
static u64 bad_gnt_checks, bad_canary_checks;

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
	kg_evtchn_send(blk.port);
}

/* ---- xenstore ---- */

static bool node_path(char *buf, size_t n, const char *dir, const char *node)
{
	return kg_snprintf(buf, n, "%s/%s", dir, node) < (int)n;
}

static bool be_read(const char *node, char *val, size_t n)
{
	char path[160];

	return node_path(path, sizeof(path), blk.be, node) &&
	       kg_xs_read(path, val, n);
}

static bool be_ulong(const char *node, unsigned long *v)
{
	char path[160];

	return node_path(path, sizeof(path), blk.be, node) &&
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
	if (!node_path(path, sizeof(path), blk.fe, node) ||
	    !kg_xs_write(path, val)) {
		kg_error("cannot write %s/%s = \"%s\"\n", blk.fe, node, val);
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
	kg_check(false, "backend state %lu after %llu s, want %lu", st,
		 STATE_NS / KG_NSEC_PER_SEC, want);
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

static bool setup_grants(void)
{
	struct xen_add_to_physmap a = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table,
		.idx = 0, .gpfn = gfn_of(gnt_page),
	};
	u32 bad_frame = gfn_of(bad[0]);
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
	for (i = 0; i < MAX_RING_PAGES; i++)
		grant(REF_RING + i, GTF_permit_access, 0,
		      gfn_of(ring_mem + i * PAGE));
	for (i = 0; i < GOOD_PAGES; i++)
		grant(REF_GOOD + i, GTF_permit_access, 0, gfn_of(good[i]));
	/* A write only reads our memory: a read-only grant must do. */
	for (i = 0; i < WSRC_PAGES; i++)
		grant(REF_WSRC + i, GTF_permit_access | GTF_readonly, 0,
		      gfn_of(wsrc[i]));
	for (i = 0; i < BAD_PAGES; i++)
		grant(REF_BAD + i, GTF_permit_access, 0, gfn_of(bad[i]));
	/* The backend only reads indirect pages: read-only, as for writes. */
	for (i = 0; i < IND_PAGES; i++)
		grant(REF_IND + i, GTF_permit_access | GTF_readonly, 0,
		      gfn_of(ind[i]));
	i = REF_HOSTILE;
	grant(i + BE_UNGRANTED, 0, 0, bad_frame);
	grant(i + BE_OTHER_DOM, GTF_permit_access, HOSTILE_DOMID, bad_frame);
	grant(i + BE_OWN_DOM, GTF_permit_access, our_domid, bad_frame);
	grant(i + BE_DOMID_SELF, GTF_permit_access, DOMID_SELF, bad_frame);
	grant(i + BE_READONLY, GTF_permit_access | GTF_readonly, 0,
	      bad_frame);
	grant(i + BE_SUB_PAGE, GTF_permit_access | GTF_sub_page, 0,
	      bad_frame);
	grant(i + BE_TRANSFER, GTF_accept_transfer, 0, bad_frame);
	grant(i + BE_TRANSITIVE, GTF_transitive, 0, bad_frame);
	grant(i + BE_FRAME_GNTTAB, GTF_permit_access, 0, gfn_of(gnt_page));
	grant(i + BE_FRAME_SHINFO, GTF_permit_access, 0,
	      gfn_of(kg_shinfo));
	grant(i + BE_FRAME_FAR, GTF_permit_access, 0, FAR_GFN);
	grant(i + BE_FRAME_MAX, GTF_permit_access, 0, 0xffffffffu);
	return true;
}

/*
 * Entry @i as it must be: as we wrote it, and the ring's entries pinned
 * for reading and writing while @connected.
 */
static grant_entry_v1_t want_entry(unsigned int i, bool connected)
{
	grant_entry_v1_t w = want_gnt[i];

	if (connected && i >= REF_RING && i < REF_RING + blk.nr_pages)
		w.flags |= GTF_reading | GTF_writing;
	return w;
}

/*
 * Every entry as we wrote it: a failed or finished map must leave no
 * GTF_reading/GTF_writing behind and change nothing else.
 */
static void check_grants(bool connected, const char *when)
{
	unsigned int i, nbad = 0, first = 0;
	grant_entry_v1_t w, g;

	for (i = 0; i < NR_ENTS; i++) {
		w = want_entry(i, connected);
		g.flags = READ_ONCE(gnt[i].flags);
		g.domid = READ_ONCE(gnt[i].domid);
		g.frame = READ_ONCE(gnt[i].frame);
		if (g.flags != w.flags || g.domid != w.domid ||
		    g.frame != w.frame) {
			if (!nbad++)
				first = i;
		}
	}
	if (!nbad || bad_gnt_checks++ >= MAX_REPORTS)
		return;
	w = want_entry(first, connected);
	kg_check(false,
		 "%s: %u grant entries changed; %u: flags %#x domid %u frame %#x, want %#x %u %#x",
		 when, nbad, first, READ_ONCE(gnt[first].flags),
		 READ_ONCE(gnt[first].domid), READ_ONCE(gnt[first].frame),
		 w.flags, w.domid, w.frame);
}

/* The pages only failing requests name must hold their canary still. */
static void check_canaries(const char *when)
{
	unsigned int i;

	for (i = 0; i < BAD_PAGES; i++)
		if (!all_bytes(bad[i], CANARY_BAD, PAGE))
			break;
	if (i == BAD_PAGES)
		return;
	if (bad_canary_checks++ < MAX_REPORTS)
		kg_check(false, "%s: the page of hostile requests at gref %u was written",
			 when, REF_BAD + i);
}

/* ---- the connection ---- */

static bool alloc_port(void)
{
	struct evtchn_alloc_unbound au = {
		.dom = DOMID_SELF, .remote_dom = 0,
	};
	long rc = kg_evtchn_op(EVTCHNOP_alloc_unbound, &au);

	if (!kg_check(rc == 0 && au.port,
		      "EVTCHNOP_alloc_unbound(remote 0) rc %ld port %u", rc,
		      au.port))
		return false;
	blk.port = au.port;
	return true;
}

static void read_features(void)
{
	unsigned long max_order, ind, v;

	if (!be_ulong("max-ring-page-order", &max_order))
		max_order = 0;
	blk.order = kg_cmdline_ulong("order", DEF_ORDER);
	if (blk.order > max_order)
		blk.order = max_order;
	if (blk.order > MAX_ORDER)
		blk.order = MAX_ORDER;
	blk.nr_pages = 1u << blk.order;
	if (!be_ulong("feature-max-indirect-segments", &ind))
		ind = 0;
	blk.max_ind = ind < MAX_IND_SEGS ? ind : MAX_IND_SEGS;
	blk.discard = be_ulong("feature-discard", &v) && v;
	blk.flush = be_ulong("feature-flush-cache", &v) && v;
	blk.barrier = be_ulong("feature-barrier", &v) && v;
	kg_printf("backend offers: max-ring-page-order %lu, feature-max-indirect-segments %lu\n",
		  max_order, ind);
	kg_printf("backend offers: discard %d, flush-cache %d, barrier %d\n",
		  blk.discard, blk.flush, blk.barrier);
	kg_printf("we use: ring-page-order %u, up to %u indirect segments\n",
		  blk.order, blk.max_ind);
}

/* The ring's nodes and the port under device/vbd/<vdev>, then Initialised. */
static bool write_ring_nodes(void)
{
	unsigned int i;
	bool ok = true;

	if (blk.order) {
		ok = fe_write("ring-page-order", "%u", blk.order);
		for (i = 0; ok && i < blk.nr_pages; i++) {
			char node[16];

			kg_snprintf(node, sizeof(node), "ring-ref%u", i);
			ok = fe_write(node, "%u", REF_RING + i);
		}
	} else {
		ok = fe_write("ring-ref", "%u", REF_RING);
	}
	ok = ok && fe_write("event-channel", "%u", blk.port);
	ok = ok && fe_write("protocol", "%s", XEN_IO_PROTO_ABI_X86_64);
	ok = ok && fe_write("state", "%u", XenbusStateInitialised);
	return ok;
}

/* The disk the backend connected: writable, 512-byte sectors, enough. */
static bool read_disk(void)
{
	unsigned long sectors = 0, ssize = 0, info = 0;

	be_ulong("sectors", &sectors);
	be_ulong("sector-size", &ssize);
	be_ulong("info", &info);
	blk.sectors = sectors;
	kg_check(sectors >= MIN_SECTORS && ssize == SECT &&
		 !(info & VDISK_READONLY),
		 "connection %u: Connected, %lu sectors of %lu bytes, info %#lx",
		 blk.conn, sectors, ssize, info);
	kg_printf("connection %u: ring of %u page(s) (%u requests), port %u\n",
		  blk.conn, blk.nr_pages, blk.ring_size, blk.port);
	if (sectors < MIN_SECTORS || ssize != SECT) {
		kg_error("the disk must be writable, of 512-byte sectors and at least %u of them\n",
			 MIN_SECTORS);
		return false;
	}
	blk.wregion = blk.sectors - WREGION;
	return true;
}

/* The handshake of blkfront's talk_to_blkback() and connect. */
static bool blk_connect(void)
{
	blkif_sring_t *sring = (blkif_sring_t *)ring_mem;

	blk.conn++;
	blk.reqs = 0;
	blk.errs = 0;
	blk.to_fail = 0;
	if (!wait_be_state(XenbusStateInitWait))
		return false;
	read_features();
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&blk.front, sring, blk.nr_pages * PAGE);
	blk.ring_size = RING_SIZE(&blk.front);
	if (!alloc_port() || !write_ring_nodes() ||
	    !wait_be_state(XenbusStateConnected))
		return false;
	return read_disk();
}

/*
 * What a connection ended with, in the words that
 * selftests/kxen/guest_blkhostile.sh looks for.
 */
#define COUNTS_LINE \
	"connection %u: %llu requests answered, %llu with an error, %llu sent to get one\n"

/* Closing, then Closed, as blkfront does when the disk goes. */
static bool blk_close(void)
{
	struct evtchn_close c = { .port = blk.port };
	unsigned long st = 0;
	u64 end;
	long rc;

	if (!fe_write("state", "%u", XenbusStateClosing))
		return false;
	end = kg_now_ns() + STATE_NS;
	while (!(be_ulong("state", &st) && st >= XenbusStateClosing) &&
	       kg_now_ns() < end)
		nap(NAP_NS);
	if (!fe_write("state", "%u", XenbusStateClosed) ||
	    !wait_be_state(XenbusStateClosed))
		return false;
	kg_printf(COUNTS_LINE, blk.conn, (unsigned long long)blk.reqs,
		  (unsigned long long)blk.errs,
		  (unsigned long long)blk.to_fail);
	check_grants(false, "after Closed");
	kg_check(bad_gnt_checks == 0,
		 "connection %u closed: the ring's grants released, every entry as we wrote it",
		 blk.conn);
	rc = kg_evtchn_op(EVTCHNOP_close, &c);
	kg_printf("EVTCHNOP_close(%u) rc %ld\n", blk.port, rc);
	return true;
}

/* ---- the ring ---- */

static void begin_batch(void)
{
	batch_no++;
	batch_tag = ID_MAGIC | (u64)batch_no << 16;
	batch_n = 0;
	ind_used = 0;
	vr.on = false;
}

int take_ind(void)
{
	return ind_used < IND_PAGES ? (int)ind_used++ : -1;
}

/* Queues @r (id filled in here) expecting @want. */
void add(union req *r, enum kind k, s16 want, int indp)
{
	struct pend *p = &pend[batch_n];

	/* Every layout has the id at the same place (blkif.h). */
	r->rw.id = batch_tag | batch_n;
	p->req = *r;
	p->want = want;
	p->kind = k;
	p->done = false;
	p->ind = indp;
	memcpy(RING_GET_REQUEST(&blk.front, blk.front.req_prod_pvt), r,
	       sizeof(*r));
	blk.front.req_prod_pvt++;
	batch_n++;
	sent[k]++;
}

/* The responses to a batch, as they come. */
struct rsp_wait {
	RING_IDX start;		/* rsp_cons before the batch */
	RING_IDX rp;		/* rsp_prod as read last */
	unsigned int got;	/* responses taken */
	u64 last;		/* when the last came, or we notified */
	bool evt;		/* an event came before the last */
	bool kicked;		/* we notified once more, unasked */
};

/* Takes the responses the backend pushed; false if past the batch. */
static bool take_responses(struct rsp_wait *w)
{
	blkif_front_ring_t *f = &blk.front;
	struct blkif_response rsp;

	w->rp = READ_ONCE(f->sring->rsp_prod);
	xen_rmb();	/* the responses up to rp, after rp */
	if (w->rp - w->start > batch_n) {
		kg_check(false, "batch %u: rsp_prod %u past the %u requests from %u",
			 batch_no, w->rp, batch_n, w->start);
		return false;
	}
	while (f->rsp_cons != w->rp) {
		RING_COPY_RESPONSE(f, f->rsp_cons, &rsp);
		f->rsp_cons++;
		check_rsp(&rsp);
		w->got++;
		w->last = kg_now_ns();
	}
	return true;
}

/* The batch stalled even after a notify: the indexes, a request left. */
static void report_stall(const struct rsp_wait *w)
{
	const struct blkif_sring *sring = blk.front.sring;
	unsigned int i;

	kg_check(false,
		 "batch %u: %u of %u responses after %llu s (req_prod %u req_event %u rsp_prod %u)",
		 batch_no, w->got, batch_n, 2 * STALL_NS / KG_NSEC_PER_SEC,
		 sring->req_prod, sring->req_event, w->rp);
	for (i = 0; i < batch_n; i++)
		if (!pend[i].done) {
			dump_req(&pend[i]);
			break;
		}
}

/* The backend notifies after it pushed: the event may trail. */
static void wait_trailing_event(void)
{
	u64 end = kg_now_ns() + EVENT_NS;

	while (!kg_evtchn_is_pending(blk.port) && kg_now_ns() < end)
		kg_poll_port(blk.port, EVENT_NS);
	if (!kg_evtchn_is_pending(blk.port))
		missed_events++;
}

/*
 * Pushes the batch and takes its responses.  rsp_event is set first, so
 * the backend owes us an event for the batch; requests are notified as
 * req_event asks (RING_PUSH_REQUESTS_AND_CHECK_NOTIFY).  False if they do
 * not all come (after saying which).
 */
static bool send_batch(void)
{
	blkif_front_ring_t *f = &blk.front;
	struct rsp_wait w = { .start = f->rsp_cons, .last = kg_now_ns() };
	int notify, more;

	f->sring->rsp_event = f->rsp_cons + 1;
	kg_evtchn_clear_pending(blk.port);
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(f, notify);
	if (notify)
		kick();
	for (;;) {
		if (!take_responses(&w))
			return false;
		if (w.got == batch_n)
			break;
		RING_FINAL_CHECK_FOR_RESPONSES(f, more);
		if (more)
			continue;
		if (kg_evtchn_is_pending(blk.port)) {
			w.evt = true;
			kg_evtchn_clear_pending(blk.port);
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
		kg_poll_port(blk.port, POLL_NS);
	}
	if (!w.evt)
		wait_trailing_event();
	if (!w.kicked || extra_kicks > MAX_REPORTS)
		return true;
	kg_check(false,
		 "batch %u: the backend answered only after a notify req_event did not ask for",
		 batch_no);
	return true;
}

/* ---- phases ---- */

/* A batch of one READ of @pages whole good pages from @sector, checked. */
static bool read_pages(u64 sector, unsigned int pages)
{
	union req r;
	unsigned int i;

	begin_batch();
	vr.on = true;
	vr.nseg = pages;
	vr.total = pages * SECTS_PER_PAGE;
	vr.pages = pages;
	vr.sector = sector;
	memset(&r, 0, sizeof(r));
	r.rw.operation = BLKIF_OP_READ;
	r.rw.nr_segments = pages;
	r.rw.handle = blk.vdev;
	r.rw.sector_number = sector;
	for (i = 0; i < pages; i++) {
		vr.seg[i].page = i;
		vr.seg[i].first = 0;
		vr.seg[i].last = SECTS_PER_PAGE - 1;
		memset(good[i], CANARY_GOOD, PAGE);
		vr_seg(&r.rw.seg[i], i);
	}
	vr.idx = batch_n;
	add(&r, V_READ, BLKIF_RSP_OKAY, -1);
	if (!send_batch())
		return false;
	check_read();
	return true;
}

/* Sectors 0-7, the first thing on a connection. */
static bool first_read(void)
{
	u64 bad_before = bad_sectors + bad_rsp;

	if (!read_pages(0, 1))
		return false;
	return kg_check(bad_sectors + bad_rsp == bad_before,
			"connection %u: READ of sectors 0-7: OKAY, the image's bytes (\"%s...\")",
			blk.conn, prefix(good[0]));
}

/* The largest indirect read the backend offers, alone in its batch. */
static bool big_read(void)
{
	u64 bad_before = bad_sectors + bad_rsp;

	if (!blk.max_ind)
		return true;
	begin_batch();
	valid_read(true, blk.max_ind);
	if (!send_batch())
		return false;
	check_read();
	return kg_check(bad_sectors + bad_rsp == bad_before,
			"an indirect READ of %u segments (%u sectors at %llu): OKAY, the image's bytes",
			vr.nseg, vr.total, (unsigned long long)vr.sector);
}

/* The whole write region, then read back. */
static bool write_region(const char *when)
{
	u64 bad_before = bad_sectors + bad_rsp;

	begin_batch();
	valid_write(0, WREGION, false);
	if (!send_batch() || !read_pages(blk.wregion, WSRC_PAGES))
		return false;
	return kg_check(bad_sectors + bad_rsp == bad_before,
			"%s: WRITE of sectors %llu-%llu from read-only grants, read back",
			when, (unsigned long long)blk.wregion,
			(unsigned long long)blk.sectors - 1);
}

/*
 * kxen's shared_info is the guest's own RAM page at the frame the guest
 * put it (XENMAPSPACE_shared_info), and kxen_gnttab_map() means to
 * refuse it, as it refuses grant frames: "only the domain's RAM: not its
 * grant or shared_info frames".  One READ into the page's last sector,
 * bytes no field of struct shared_info uses, so that the domain's
 * clock and events survive whatever the answer.
 */
static bool shinfo_probe(void)
{
	grant_ref_t ref = REF_HOSTILE + BE_FRAME_SHINFO;
	union req r;

	begin_batch();
	memset(&r, 0, sizeof(r));
	r.rw.operation = BLKIF_OP_READ;
	r.rw.nr_segments = 1;
	r.rw.handle = blk.vdev;
	r.rw.seg[0].gref = ref;
	r.rw.seg[0].first_sect = SECTS_PER_PAGE - 1;
	r.rw.seg[0].last_sect = SECTS_PER_PAGE - 1;
	add(&r, K_BAD_REF, BLKIF_RSP_ERROR, -1);
	if (!send_batch())
		return false;
	kg_check(pend[0].got == BLKIF_RSP_ERROR,
		 "a READ into the unused last sector of our shared_info frame (gref %u, gfn %#x): status %d (want %d)",
		 ref, want_gnt[ref].frame, pend[0].got, BLKIF_RSP_ERROR);
	return true;
}

/* The valid read of a hostile batch: direct, or indirect of any size. */
static void mixed_read(void)
{
	if (blk.max_ind && one_in(3))
		valid_read(true, one_in(4) ? blk.max_ind :
				 1 + rnd_below(blk.max_ind));
	else
		valid_read(false,
			   1 + rnd_below(BLKIF_MAX_SEGMENTS_PER_REQUEST));
}

/* The valid write of a hostile batch, or an empty flush. */
static void mixed_write(void)
{
	unsigned int a;

	if (one_in(4)) {
		valid_flush();
		return;
	}
	a = rnd_below(WREGION);
	valid_write(a, 1 + rnd_below(WREGION - a), true);
}

/* @iters hostile requests in batches, valid ones mixed in. */
static bool hostile_phase(u64 iters)
{
	u64 done = 0;
	unsigned int n, i, vpos, wpos;

	while (done < iters) {
		begin_batch();
		n = (batch_no % 16) ? 1 + rnd_below(blk.ring_size) :
				      blk.ring_size;
		vpos = one_in(2) ? rnd_below(n) : n;
		wpos = one_in(4) ? rnd_below(n) : n;
		for (i = 0; i < n; i++) {
			if (i == vpos) {
				mixed_read();
			} else if (i == wpos) {
				mixed_write();
			} else if (done < iters) {
				hostile();
				done++;
			}
		}
		if (!batch_n)
			continue;
		if (!send_batch())
			return false;
		check_read();
		check_grants(true, "after a batch");
		if (!(batch_no % 64))
			check_canaries("after a batch");
		if (!(batch_no % 256))
			kg_printf("batch %u: %llu of %llu hostile requests answered\n",
				  batch_no, (unsigned long long)done,
				  (unsigned long long)iters);
	}
	return true;
}

/*
 * Sets req_prod @past beyond the last index a full ring allows, with a
 * valid request where the backend would read first, and notifies.
 */
static void ring_abuse(u32 past)
{
	blkif_front_ring_t *f = &blk.front;
	RING_IDX rp0 = f->sring->rsp_prod, prod;
	char before[128] = "", after[128] = "";
	unsigned long st = 0;
	union req r;
	bool saw = false;
	u64 end;

	if (be_read("error", before, sizeof(before)) && blk.conn == 1)
		kg_check(false, "an error node before the ring was abused: \"%s\"",
			 before);
	begin_batch();
	memset(&r, 0, sizeof(r));
	r.rw.operation = BLKIF_OP_READ;
	r.rw.nr_segments = 1;
	r.rw.handle = blk.vdev;
	r.rw.seg[0].gref = REF_GOOD;
	r.rw.seg[0].last_sect = SECTS_PER_PAGE - 1;
	add(&r, V_READ, BLKIF_RSP_OKAY, -1);
	prod = f->rsp_cons + blk.ring_size + past;
	xen_wmb();
	WRITE_ONCE(f->sring->req_prod, prod);
	xen_mb();
	kick();
	end = kg_now_ns() + STATE_NS;
	while (kg_now_ns() < end) {
		if (be_read("error", after, sizeof(after)) &&
		    strcmp(after, before) && strstr(after, "ring producer")) {
			saw = true;
			break;
		}
		nap(10 * NAP_NS);
	}
	kg_check(saw,
		 "connection %u: req_prod %u, rsp_prod %u, ring of %u: backend's error node \"%s\"",
		 blk.conn, prod, rp0, blk.ring_size, after);
	/* Once more, then see that nothing was served. */
	kick();
	nap(QUIET_NS);
	kg_check(READ_ONCE(f->sring->rsp_prod) == rp0,
		 "connection %u: no response on the broken ring (rsp_prod %u, was %u)",
		 blk.conn, READ_ONCE(f->sring->rsp_prod), rp0);
	be_ulong("state", &st);
	kg_printf("connection %u: backend state %lu after the abuse\n",
		  blk.conn, st);
	/* That request never counts: it was not answered. */
	sent[V_READ]--;
}

/*
 * @n notifies with an empty ring: work for the backend's worker that a
 * guest can ask for at the price of its own exits only.  Then a READ,
 * served as before.
 */
static bool kick_flood(u64 n)
{
	u64 i, t0 = kg_now_ns(), ms, bad_before = bad_sectors + bad_rsp;

	for (i = 0; i < n; i++)
		kick();
	ms = (kg_now_ns() - t0) / 1000000;
	kg_printf("kick flood: %llu notifies with nothing in the ring in %llu ms\n",
		  (unsigned long long)n, (unsigned long long)ms);
	if (!read_pages(0, 1))
		return false;
	return kg_check(bad_sectors + bad_rsp == bad_before,
			"after the kick flood: READ of sectors 0-7: OKAY, the image's bytes");
}

/* The write sources still hold what fill_wsrc() put there. */
static bool wsrc_intact(void)
{
	static u8 sbuf[SECT];
	unsigned int k, s;

	for (k = 0; k < WSRC_PAGES; k++) {
		for (s = 0; s < SECTS_PER_PAGE; s++) {
			image_sector(sbuf, blk.wregion + k * SECTS_PER_PAGE + s,
				     true);
			if (memcmp(wsrc[k] + s * SECT, sbuf, SECT))
				return false;
		}
	}
	return true;
}

static void report(void)
{
	u64 nh = 0, rh = 0;
	unsigned int k;

	kg_printf("blkhostile: %u batches, %llu notifies from us, %llu poll timeouts\n",
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
	kg_printf("blkhostile: statuses OKAY %llu, ERROR %llu, EOPNOTSUPP %llu\n",
		  (unsigned long long)status_seen[0],
		  (unsigned long long)status_seen[1],
		  (unsigned long long)status_seen[2]);
	kg_printf("blkhostile: %llu sectors read and checked\n",
		  (unsigned long long)sectors_checked);
	kg_check(nh && rh == nh,
		 "%llu hostile requests, %llu refused with the right status (never OKAY)",
		 (unsigned long long)nh, (unsigned long long)rh);
	kg_check(bad_rsp == 0,
		 "every response: a known id, the operation, zero padding, the status wanted: %llu wrong",
		 (unsigned long long)bad_rsp);
	kg_check(bad_sectors == 0,
		 "every valid read returned the image's bytes and touched nothing else: %llu bad",
		 (unsigned long long)bad_sectors);
	kg_check(missed_events == 0 && extra_kicks == 0,
		 "every batch's responses came with an event, no extra notify needed: %llu missed, %llu extra",
		 (unsigned long long)missed_events,
		 (unsigned long long)extra_kicks);
	check_canaries("at the end");
	kg_check(bad_canary_checks == 0,
		 "the pages of the hostile requests were never written");
	kg_check(wsrc_intact(),
		 "the read-only write sources are as we wrote them");
}

static bool setup(void)
{
	unsigned long v = 0;
	char path[80];
	u64 pfn, port;
	long rc;

	if (!kg_setup_shared_info())
		return false;
	rc = kg_evtchn_bind_ipi(0, &idle_port);
	if (!kg_check(rc == 0, "EVTCHNOP_bind_ipi (idle port to poll) rc %ld",
		      rc))
		return false;
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
	blk.vdev = kg_cmdline_ulong("vdev", DEF_VDEV);
	kg_snprintf(blk.fe, sizeof(blk.fe), "device/vbd/%u", blk.vdev);
	kg_snprintf(path, sizeof(path), "%s/backend", blk.fe);
	if (!kg_xs_read(path, blk.be, sizeof(blk.be))) {
		kg_skip("no %s: this domain has no disk\n", path);
		return false;
	}
	kg_printf("domid %u, frontend %s, backend %s\n", our_domid, blk.fe,
		  blk.be);
	memset(bad, CANARY_BAD, sizeof(bad));
	return setup_grants();
}

static void fill_wsrc(void)
{
	unsigned int k;

	for (k = 0; k < WREGION; k++)
		image_sector(wsrc[k / SECTS_PER_PAGE] +
			     (k % SECTS_PER_PAGE) * SECT, blk.wregion + k, true);
}

void test_main(void)
{
	u64 iters = kg_cmdline_ulong("iters", DEF_ITERS);
	u64 flood = kg_cmdline_ulong("flood", DEF_FLOOD);

	rng_state = kg_cmdline_ulong("seed", DEF_SEED) ?: DEF_SEED;
	kg_require_xen();
	if (!setup())
		kg_exit();
	kg_printf("blkhostile: %llu hostile requests, seed %#llx\n",
		  (unsigned long long)iters, (unsigned long long)rng_state);
	if (!blk_connect())
		kg_exit();
	fill_wsrc();
	if (!first_read() || !write_region("connection 1") || !shinfo_probe())
		kg_exit();
	check_grants(true, "after the first requests");
	if (!hostile_phase(iters))
		kg_exit();
	check_grants(true, "after the hostile requests");
	if (!big_read() || !write_region("after the hostile requests") ||
	    !kick_flood(flood))
		kg_exit();
	ring_abuse(1);
	if (!blk_close())
		kg_exit();
	if (!fe_write("state", "%u", XenbusStateInitialising) ||
	    !blk_connect())
		kg_exit();
	if (!first_read() || !hostile_phase(blk.ring_size))
		kg_exit();
	ring_abuse(0x80000000u - blk.ring_size);
	if (!blk_close())
		kg_exit();
	report();
	kg_success(NULL);
}
