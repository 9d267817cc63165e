// SPDX-License-Identifier: GPL-2.0
/*
 * blkhostile's requests and checks (see blkhostile.c): the hostile
 * requests, each with the defect it is named for and the status that
 * defect calls for; the valid reads, writes and flushes mixed in with
 * them; and the checks of what comes back: every response, and every
 * byte a valid read returns.
 */
#include <kg/console.h>
#include <kg/report.h>
#include "blkhostile.h"

const char *const kind_name[NR_KINDS] = {
	[K_BAD_OP] = "unknown operation",
	[K_NSEG_0] = "nr_segments 0",
	[K_NSEG_BIG] = "nr_segments 12..255",
	[K_FIRST_GT_LAST] = "first_sect > last_sect",
	[K_LAST_BIG] = "last_sect 8..255",
	[K_PAST_END] = "sectors past the end",
	[K_WRAP] = "sectors wrapping 2^64",
	[K_BAD_REF] = "bad grant reference",
	[K_DISCARD] = "discard outside the disk",
	[K_IND_OP] = "indirect: bad indirect_op",
	[K_IND_NSEG] = "indirect: bad nr_segments",
	[K_IND_REF] = "indirect: bad page reference",
	[K_IND_SEG] = "indirect: bad segment in the page",
	[V_READ] = "valid read",
	[V_IND_READ] = "valid indirect read",
	[V_WRITE] = "valid write",
	[V_IND_WRITE] = "valid indirect write",
	[V_FLUSH] = "valid empty flush/barrier",
};

struct vread vr;

u64 right[NR_KINDS];
u64 bad_rsp;
u64 status_seen[3];
u64 sectors_checked, bad_sectors;

u64 rng_state;

/* ---- small helpers ---- */

/* xorshift64* (Vigna 2014), fixed seed: the same requests every run. */
u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

u64 rnd_below(u64 n)
{
	return rnd() % n;
}

bool one_in(u64 n)
{
	return rnd_below(n) == 0;
}

/* What the script wrote to sector @s (@w: what our writes put there). */
void image_sector(u8 *buf, u64 s, bool w)
{
	char num[24];
	int n = kg_snprintf(num, sizeof(num), "%s%llu", w ? "w" : "",
			    (unsigned long long)s);

	memset(buf, ' ', SECT - 1);
	memcpy(buf, num, n);
	buf[SECT - 1] = '\n';
}

/* The first bytes of @p, unprintable ones as '.', for a message. */
const char *prefix(const u8 *p)
{
	static char buf[25];
	unsigned int i;

	for (i = 0; i < sizeof(buf) - 1; i++)
		buf[i] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.';
	buf[i] = '\0';
	return buf;
}

bool all_bytes(const u8 *p, u8 v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void fill_random(union req *r)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(r->words); i++)
		r->words[i] = rnd();
}

/* Sector @s as the disk holds it, read back into @p. */
static bool sector_ok(const u8 *p, u64 s)
{
	static u8 sbuf[SECT];

	image_sector(sbuf, s, s >= blk.wregion);
	sectors_checked++;
	if (!memcmp(p, sbuf, SECT))
		return true;
	if (bad_sectors++ < MAX_REPORTS)
		kg_check(false, "sector %llu read back as \"%s...\"",
			 (unsigned long long)s, prefix(p));
	return false;
}

/* ---- hostile requests ---- */

/*
 * A reference the backend must refuse for a page it writes (@ro_ok
 * false: READ data) or only reads (true: WRITE data, indirect pages).
 */
static grant_ref_t bad_ref(bool ro_ok)
{
	static const grant_ref_t beyond[] = {
		NR_ENTS, NR_ENTS + 1, 4096, 32768, 0x7fffffff, 0xfffffffe,
		0xffffffff,
	};
	u32 e;

	switch (rnd_below(5)) {
	case 0:
		if (one_in(2))
			return beyond[rnd_below(ARRAY_SIZE(beyond))];
		return NR_ENTS + (grant_ref_t)rnd_below(0xffffffffu - NR_ENTS);
	case 1:
		/* An unused entry of the table: flags 0. */
		if (one_in(4))
			return (grant_ref_t)rnd_below(REF_RING);
		return REF_HOSTILE + NR_BAD_ENTS +
		       (grant_ref_t)rnd_below(NR_ENTS - REF_HOSTILE -
					      NR_BAD_ENTS);
	default:
		do
			e = rnd_below(NR_BAD_ENTS);
		while ((ro_ok && e == BE_READONLY) || e == BE_FRAME_SHINFO);
		return REF_HOSTILE + e;
	}
}

/* @n segments of hostile requests on the canary pages; their sectors. */
static u32 bad_page_segs(struct blkif_request_segment *seg, unsigned int n)
{
	unsigned int i;
	u32 total = 0;

	for (i = 0; i < n; i++) {
		seg[i].gref = REF_BAD + rnd_below(BAD_PAGES);
		seg[i].first_sect = rnd_below(SECTS_PER_PAGE);
		seg[i].last_sect = seg[i].first_sect +
				   rnd_below(SECTS_PER_PAGE - seg[i].first_sect);
		total += seg[i].last_sect - seg[i].first_sect + 1;
	}
	return total;
}

/* A first sector with @total sectors from it past the end of the disk. */
static u64 past_end(u32 total)
{
	switch (rnd_below(4)) {
	case 0:
		return blk.sectors - total + 1 + rnd_below(total);
	case 1:
		return blk.sectors + rnd_below(1ull << 32);
	case 2:
		return rnd() | 1ull << 63;
	default:
		/* In the disk once shifted to bytes (2^55 * 512 = 2^64). */
		return (1ull << 55) + rnd_below(blk.sectors - total);
	}
}

/* One defect among @n good-looking segments at @sector. */
static void spoil_segs(struct blkif_request_segment *seg, unsigned int n,
		       u64 *sector, u32 total, bool write, enum kind k)
{
	struct blkif_request_segment *s = &seg[rnd_below(n)];

	switch (k) {
	case K_FIRST_GT_LAST:
		s->first_sect = 1 + rnd_below(SECTS_PER_PAGE - 1);
		s->last_sect = rnd_below(s->first_sect);
		break;
	case K_LAST_BIG:
		s->last_sect = SECTS_PER_PAGE + rnd_below(256 - SECTS_PER_PAGE);
		if (one_in(2))
			s->first_sect = rnd_below(s->last_sect + 1);
		break;
	case K_PAST_END:
		*sector = past_end(total);
		break;
	case K_WRAP:
		/* sector + total wraps to 0..total-1, inside the disk. */
		*sector = 0 - (1 + rnd_below(total));
		break;
	default:	/* K_BAD_REF */
		s->gref = bad_ref(write);
		break;
	}
}

static u8 hostile_rw_op(bool may_flush)
{
	u64 r = rnd_below(10);

	if (r < 5)
		return BLKIF_OP_READ;
	if (r < 8 || !may_flush)
		return BLKIF_OP_WRITE;
	return r == 8 ? BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_WRITE_BARRIER;
}

static void hostile_rw(enum kind k)
{
	union req r;
	u8 op = hostile_rw_op(k != K_NSEG_0);
	unsigned int n = 1 + rnd_below(BLKIF_MAX_SEGMENTS_PER_REQUEST);
	u64 sector;
	u32 total;

	fill_random(&r);
	r.rw.operation = op;
	total = bad_page_segs(r.rw.seg, n);
	sector = rnd_below(blk.sectors - total + 1);
	switch (k) {
	case K_NSEG_0:
		n = 0;
		break;
	case K_NSEG_BIG:
		n = BLKIF_MAX_SEGMENTS_PER_REQUEST + 1 +
		    rnd_below(256 - BLKIF_MAX_SEGMENTS_PER_REQUEST - 1);
		break;
	default:
		spoil_segs(r.rw.seg, n, &sector, total,
			   op != BLKIF_OP_READ, k);
		break;
	}
	r.rw.nr_segments = n;
	r.rw.sector_number = sector;
	add(&r, k, BLKIF_RSP_ERROR, -1);
}

static void hostile_bad_op(void)
{
	union req r;
	u8 op;

	fill_random(&r);
	do
		op = rnd();
	while (op <= BLKIF_OP_INDIRECT && op != BLKIF_OP_RESERVED_1);
	r.rw.operation = op;
	add(&r, K_BAD_OP, BLKIF_RSP_EOPNOTSUPP, -1);
}

static void hostile_discard(void)
{
	union req r;
	u64 s = blk.sectors, k = 1 + rnd_below(s);

	fill_random(&r);
	r.discard.operation = BLKIF_OP_DISCARD;
	r.discard.flag = rnd_below(2) ? BLKIF_DISCARD_SECURE : 0;
	switch (rnd_below(6)) {
	case 0:		/* ends 1.. sectors past the end */
		r.discard.sector_number = s - k + 1 + rnd_below(k);
		r.discard.nr_sectors = k;
		break;
	case 1:
		r.discard.sector_number = s + 1 + rnd_below(1ull << 40);
		r.discard.nr_sectors = 1 + rnd_below(8);
		break;
	case 2:
		r.discard.sector_number = rnd_below(s);
		r.discard.nr_sectors = s + 1 + rnd_below(1ull << 40);
		break;
	case 3:		/* sector + nr wraps to inside the disk */
		r.discard.sector_number = 0 - k;
		r.discard.nr_sectors = k + rnd_below(s);
		break;
	case 4:
		r.discard.sector_number = rnd_below(s);
		r.discard.nr_sectors = rnd() | 1ull << 63;
		break;
	default:	/* byte offset wraps to inside the disk */
		r.discard.sector_number = (1ull << 55) + rnd_below(s);
		r.discard.nr_sectors = 1 + rnd_below(8);
		break;
	}
	add(&r, K_DISCARD, blk.discard ? BLKIF_RSP_ERROR : BLKIF_RSP_EOPNOTSUPP,
	    -1);
}

/*
 * Indirect page @p with @n plausible segments (hostile data pages), and
 * junk after them that the backend must not look at.
 */
static u32 fill_ind(int p, unsigned int n)
{
	unsigned int i, junk = n + 16 < SEGS_PER_IND ? n + 16 : SEGS_PER_IND;
	u32 total = bad_page_segs(ind[p], n);

	for (i = n; i < junk; i++) {
		u64 v = rnd();

		memcpy(&ind[p][i], &v, sizeof(ind[p][i]));
	}
	return total;
}

static void hostile_indirect(enum kind k)
{
	union req r;
	unsigned int n, i;
	int p = -1;
	u64 sector;
	u32 total = 0;
	bool write = one_in(2);

	if (k == K_IND_SEG) {
		p = take_ind();
		if (p < 0) {
			hostile_rw(K_BAD_REF);
			return;
		}
	}
	fill_random(&r);
	r.ind.operation = BLKIF_OP_INDIRECT;
	r.ind.indirect_op = write ? BLKIF_OP_WRITE : BLKIF_OP_READ;
	n = 1 + rnd_below(blk.max_ind);
	if (p >= 0)
		total = fill_ind(p, n);
	else
		total = n * SECTS_PER_PAGE;	/* at most */
	sector = rnd_below(blk.sectors - total + 1);
	/* Plausible pages: only the defect below may be refused. */
	for (i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++)
		r.ind.indirect_grefs[i] = REF_IND + (p >= 0 ? p : 0);
	switch (k) {
	case K_IND_OP:
		do
			r.ind.indirect_op = rnd();
		while (r.ind.indirect_op == BLKIF_OP_READ ||
		       r.ind.indirect_op == BLKIF_OP_WRITE);
		break;
	case K_IND_NSEG:
		if (one_in(4))
			n = 0;
		else if (one_in(3))
			n = blk.max_ind + 1 + rnd_below(4);
		else
			n = blk.max_ind + 1 + rnd_below(0x10000 - blk.max_ind - 1);
		break;
	case K_IND_REF:
		r.ind.indirect_grefs[0] = bad_ref(true);
		break;
	default:	/* K_IND_SEG */
		spoil_segs(ind[p], n, &sector, total, write,
			   K_FIRST_GT_LAST + rnd_below(K_BAD_REF -
						       K_FIRST_GT_LAST + 1));
		break;
	}
	r.ind.nr_segments = n;
	r.ind.sector_number = sector;
	add(&r, k, BLKIF_RSP_ERROR, p);
}

void hostile(void)
{
	enum kind k = rnd_below(NR_HOSTILE);

	if (!blk.max_ind && k >= K_IND_OP)
		k = K_BAD_REF;
	switch (k) {
	case K_BAD_OP:
		hostile_bad_op();
		break;
	case K_DISCARD:
		hostile_discard();
		break;
	case K_IND_OP:
	case K_IND_NSEG:
	case K_IND_REF:
	case K_IND_SEG:
		hostile_indirect(k);
		break;
	default:
		hostile_rw(k);
		break;
	}
}

/* ---- valid requests ---- */

/*
 * The valid read of a batch: @nseg segments over the good pages, each
 * a run of sectors inside one page, sometimes leaving a gap; the disk's
 * sectors from @sector (outside the write region) in order.
 */
static void plan_read(unsigned int nseg)
{
	unsigned int i, pos = 0, len, room, left;

	vr.on = true;
	vr.nseg = nseg;
	vr.total = 0;
	for (i = 0; i < nseg; i++) {
		left = nseg - i - 1;
		if (pos % SECTS_PER_PAGE && one_in(4) &&
		    GOOD_SLOTS - (pos | (SECTS_PER_PAGE - 1)) - 1 > left)
			pos = (pos | (SECTS_PER_PAGE - 1)) + 1;
		room = SECTS_PER_PAGE - pos % SECTS_PER_PAGE;
		if (room > GOOD_SLOTS - pos - left)
			room = GOOD_SLOTS - pos - left;
		len = 1 + rnd_below(room);
		vr.seg[i].page = pos / SECTS_PER_PAGE;
		vr.seg[i].first = pos % SECTS_PER_PAGE;
		vr.seg[i].last = vr.seg[i].first + len - 1;
		pos += len;
		vr.total += len;
	}
	vr.pages = (pos + SECTS_PER_PAGE - 1) / SECTS_PER_PAGE;
	vr.sector = rnd_below(blk.wregion - vr.total + 1);
	for (i = 0; i < vr.pages; i++)
		memset(good[i], CANARY_GOOD, PAGE);
}

void vr_seg(struct blkif_request_segment *s, unsigned int i)
{
	s->gref = REF_GOOD + vr.seg[i].page;
	s->first_sect = vr.seg[i].first;
	s->last_sect = vr.seg[i].last;
}

void valid_read(bool indirect, unsigned int n)
{
	int p = indirect ? take_ind() : -1;
	union req r;
	unsigned int i;

	if (p < 0) {
		if (n > BLKIF_MAX_SEGMENTS_PER_REQUEST)
			n = BLKIF_MAX_SEGMENTS_PER_REQUEST;
		plan_read(n);
		/* Junk in the unused segment slots: to be ignored. */
		fill_random(&r);
		r.rw.operation = BLKIF_OP_READ;
		r.rw.nr_segments = n;
		r.rw.handle = blk.vdev;
		r.rw.sector_number = vr.sector;
		for (i = 0; i < n; i++)
			vr_seg(&r.rw.seg[i], i);
		vr.idx = batch_n;
		add(&r, V_READ, BLKIF_RSP_OKAY, -1);
		return;
	}
	plan_read(n);
	for (i = 0; i < n; i++)
		vr_seg(&ind[p][i], i);
	memset(&r, 0, sizeof(r));
	r.ind.operation = BLKIF_OP_INDIRECT;
	r.ind.indirect_op = BLKIF_OP_READ;
	r.ind.nr_segments = n;
	r.ind.handle = blk.vdev;
	r.ind.sector_number = vr.sector;
	r.ind.indirect_grefs[0] = REF_IND + p;
	vr.idx = batch_n;
	add(&r, V_IND_READ, BLKIF_RSP_OKAY, p);
}

void check_read(void)
{
	static s32 slot_sector[GOOD_SLOTS];
	unsigned int i, j, bad_canary = 0;
	u64 s = vr.sector;

	/* A wrong status was reported already; its buffer means nothing. */
	if (!vr.on || !pend[vr.idx].done || pend[vr.idx].got != BLKIF_RSP_OKAY)
		return;
	for (i = 0; i < vr.pages * SECTS_PER_PAGE; i++)
		slot_sector[i] = -1;
	for (i = 0; i < vr.nseg; i++)
		for (j = vr.seg[i].first; j <= vr.seg[i].last; j++)
			slot_sector[vr.seg[i].page * SECTS_PER_PAGE + j] = s++;
	for (i = 0; i < vr.pages * SECTS_PER_PAGE; i++) {
		const u8 *p = good[i / SECTS_PER_PAGE] +
			      (i % SECTS_PER_PAGE) * SECT;

		if (slot_sector[i] >= 0)
			sector_ok(p, slot_sector[i]);
		else if (!all_bytes(p, CANARY_GOOD, SECT))
			bad_canary++;
	}
	if (bad_canary && bad_sectors++ < MAX_REPORTS)
		kg_check(false,
			 "a read of %u sectors at %llu wrote %u sector slots it did not name",
			 vr.total, (unsigned long long)vr.sector, bad_canary);
}

/*
 * A valid write of region sectors [@a, @a + @len) from the read-only
 * source pages, which hold what the region must end up with.
 */
void valid_write(unsigned int a, unsigned int len, bool allow_ind)
{
	struct blkif_request_segment seg[WSRC_PAGES] = { 0 };
	unsigned int n = 0, j = a, end = a + len, i;
	union req r;
	int p = -1;

	while (j < end) {
		unsigned int pg = j / SECTS_PER_PAGE;
		unsigned int last = end - 1 < (pg + 1) * SECTS_PER_PAGE - 1 ?
				    end - 1 : (pg + 1) * SECTS_PER_PAGE - 1;

		seg[n].gref = REF_WSRC + pg;
		seg[n].first_sect = j % SECTS_PER_PAGE;
		seg[n].last_sect = last % SECTS_PER_PAGE;
		n++;
		j = last + 1;
	}
	if (allow_ind && blk.max_ind && one_in(3))
		p = take_ind();
	fill_random(&r);
	if (p < 0) {
		/* With data, a cache flush is a write that is durable too. */
		r.rw.operation = (blk.flush && one_in(4)) ?
				 BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_WRITE;
		r.rw.nr_segments = n;
		r.rw.handle = blk.vdev;
		r.rw.sector_number = blk.wregion + a;
		memcpy(r.rw.seg, seg, n * sizeof(seg[0]));
		add(&r, V_WRITE, BLKIF_RSP_OKAY, -1);
		return;
	}
	for (i = 0; i < n; i++)
		ind[p][i] = seg[i];
	memset(&r, 0, sizeof(r));
	r.ind.operation = BLKIF_OP_INDIRECT;
	r.ind.indirect_op = BLKIF_OP_WRITE;
	r.ind.nr_segments = n;
	r.ind.handle = blk.vdev;
	r.ind.sector_number = blk.wregion + a;
	r.ind.indirect_grefs[0] = REF_IND + p;
	add(&r, V_IND_WRITE, BLKIF_RSP_OKAY, p);
}

void valid_flush(void)
{
	union req r;

	if (!blk.flush && !blk.barrier)
		return;
	fill_random(&r);
	/* No data: sector and segments mean nothing (blkif.h). */
	r.rw.operation = blk.flush && (!blk.barrier || one_in(2)) ?
			 BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_WRITE_BARRIER;
	r.rw.nr_segments = 0;
	r.rw.handle = blk.vdev;
	r.rw.sector_number = 0;
	add(&r, V_FLUSH, BLKIF_RSP_OKAY, -1);
}

/* ---- responses ---- */

void dump_req(const struct pend *p)
{
	char hex[2 * sizeof(p->req) + 1];
	unsigned int i;

	for (i = 0; i < sizeof(p->req); i++)
		kg_snprintf(hex + 2 * i, 3, "%02x", p->req.raw[i]);
	kg_printf("  request (%s): %s\n", kind_name[p->kind], hex);
	if (p->ind >= 0)
		for (i = 0; i < 4; i++)
			kg_printf("  indirect page seg[%u]: gref %u sectors %u-%u\n",
				  i, ind[p->ind][i].gref,
				  ind[p->ind][i].first_sect,
				  ind[p->ind][i].last_sect);
}

/*
 * The operation a response must name: the request's, or for
 * BLKIF_OP_INDIRECT its indirect_op, as Linux's blkback answers and its
 * blkfront checks (a mismatch stops the device there).
 */
static u8 rsp_op(const struct pend *p)
{
	return p->req.rw.operation == BLKIF_OP_INDIRECT ?
	       p->req.ind.indirect_op : p->req.rw.operation;
}

/* A response whose id names no request of the batch in flight. */
static void stray_rsp(const struct blkif_response *r)
{
	if (bad_rsp++ >= MAX_REPORTS)
		return;
	kg_check(false,
		 "batch %u: response id %#llx (op %u status %d) answers no request in flight",
		 batch_no, (unsigned long long)r->id, r->operation, r->status);
}

/* A response to request @idx that is not what the request calls for. */
static void wrong_rsp(const struct blkif_response *r, u64 idx)
{
	const struct pend *p = &pend[idx];
	const u8 *b = (const u8 *)r;

	if (bad_rsp++ >= MAX_REPORTS)
		return;
	kg_check(false,
		 "batch %u slot %llu (%s): response op %u status %d, want op %u status %d",
		 batch_no, (unsigned long long)idx, kind_name[p->kind],
		 r->operation, r->status, rsp_op(p), p->want);
	kg_printf("  response padding %02x/%02x%02x%02x%02x, want zeros\n",
		  b[9], b[12], b[13], b[14], b[15]);
	dump_req(p);
}

void check_rsp(const struct blkif_response *r)
{
	const u8 *b = (const u8 *)r;
	u64 idx = r->id & 0xffff;
	struct pend *p;
	bool ok;

	if ((r->id & ~0xffffull) != batch_tag || idx >= batch_n ||
	    pend[idx].done) {
		stray_rsp(r);
		return;
	}
	p = &pend[idx];
	p->done = true;
	p->got = r->status;
	blk.reqs++;
	if (r->status != BLKIF_RSP_OKAY)
		blk.errs++;
	if (p->want != BLKIF_RSP_OKAY)
		blk.to_fail++;
	if (r->status <= 0 && r->status >= BLKIF_RSP_EOPNOTSUPP)
		status_seen[-r->status]++;
	/* Padding zero: XSA-216, nothing of the backend's leaks. */
	ok = r->operation == rsp_op(p) && r->status == p->want &&
	     !b[9] && all_bytes(b + 12, 0, 4);
	if (ok) {
		right[p->kind]++;
		return;
	}
	wrong_rsp(r, idx);
}

