// SPDX-License-Identifier: GPL-2.0
/*
 * blkif request checks; see blkif_req.h.  What is refused, and with which
 * status, follows Linux's blkback (dispatch_rw_block_io, dispatch_discard_io):
 * an unknown operation is "not supported", anything malformed or outside
 * the disk is an error.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "blkif_req.h"

_Static_assert(sizeof(struct blkif_request) == 112, "blkif_request size");
_Static_assert(sizeof(struct blkif_response) == 16, "blkif_response size");
_Static_assert(sizeof(struct kxen_blkif32_request) == 108,
	       "x86_32 blkif_request size");
_Static_assert(sizeof(struct kxen_blkif32_response) == 12,
	       "x86_32 blkif_response size");
_Static_assert(KXEN_BLK_MAX_INDIRECT_SEGS <=
	       KXEN_BLK_SEGS_PER_PAGE * BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST,
	       "indirect segments fit the indirect pages");

/* Does [sector, sector + n) lie inside the disk?  No overflow on the way. */
static bool kxen_blk_in_disk(const struct kxen_blkdisk *disk, u64 sector,
			     u64 n)
{
	return sector <= disk->sectors && n <= disk->sectors - sector;
}

s16 kxen_blkif_parse_segs(struct kxen_blkreq *out,
			  const struct blkif_request_segment *segs,
			  const struct kxen_blkdisk *disk)
{
	u64 total = 0;
	u8 first, last;
	u16 i;

	for (i = 0; i < out->nseg; i++) {
		first = segs[i].first_sect;
		last = segs[i].last_sect;
		if (first > last || last >= KXEN_BLK_SECTORS_PER_PAGE)
			return BLKIF_RSP_ERROR;
		out->seg[i].gref = segs[i].gref;
		out->seg[i].offset = first << KXEN_BLK_SECTOR_SHIFT;
		out->seg[i].len = (last - first + 1) << KXEN_BLK_SECTOR_SHIFT;
		total += last - first + 1;
	}
	out->nr_sectors = total;
	if (out->nseg && !kxen_blk_in_disk(disk, out->sector, total))
		return BLKIF_RSP_ERROR;
	/* A pure flush writes nothing: a read-only disk answers it. */
	if (out->write && out->nseg && disk->readonly)
		return BLKIF_RSP_ERROR;
	return BLKIF_RSP_OKAY;
}

static s16 kxen_blkif_parse_rw(const struct blkif_request *r,
			       const struct kxen_blkdisk *disk,
			       struct kxen_blkreq *out)
{
	const typeof(*kxen_blkif_rw(r)) *rw = kxen_blkif_rw(r);

	out->nseg = rw->nr_segments;
	/* A flush without data has no place on the disk. */
	out->sector = out->nseg ? rw->sector_number : 0;
	/* Only a flush may come without data (Linux's blkfront sends one). */
	if (out->nseg > BLKIF_MAX_SEGMENTS_PER_REQUEST ||
	    (!out->nseg && !out->flush))
		return BLKIF_RSP_ERROR;
	return kxen_blkif_parse_segs(out, rw->seg, disk);
}

/*
 * BLKIF_OP_INDIRECT (blkif.h): a read or write whose segment list is in
 * granted pages.  Checked here: the inner operation, the segment count
 * against what we offer, the number of pages that takes.  The backend
 * then copies the segments out of those pages once and hands the copy
 * to kxen_blkif_parse_segs().
 */
static s16 kxen_blkif_parse_indirect(const struct blkif_request *r,
				     const struct kxen_blkdisk *disk,
				     struct kxen_blkreq *out)
{
	const struct blkif_request_indirect *ir = kxen_blkif_indirect(r);
	u32 i;

	out->id = ir->id;
	/*
	 * The response names the inner operation: Linux's blkfront checks it
	 * against indirect_op and stops the device on a mismatch.
	 */
	out->op = ir->indirect_op;
	out->indirect = true;
	switch (ir->indirect_op) {
	case BLKIF_OP_READ:
		break;
	case BLKIF_OP_WRITE:
		out->write = true;
		break;
	default:
		return BLKIF_RSP_ERROR;
	}
	out->nseg = ir->nr_segments;
	out->sector = ir->sector_number;
	if (!out->nseg || out->nseg > KXEN_BLK_MAX_INDIRECT_SEGS)
		return BLKIF_RSP_ERROR;
	out->nr_indirect = (out->nseg + KXEN_BLK_SEGS_PER_PAGE - 1) /
			   KXEN_BLK_SEGS_PER_PAGE;
	for (i = 0; i < out->nr_indirect; i++)
		out->indirect_grefs[i] = ir->indirect_grefs[i];
	return BLKIF_RSP_OKAY;
}

static s16 kxen_blkif_parse_discard(const struct blkif_request *r,
				    const struct kxen_blkdisk *disk,
				    struct kxen_blkreq *out)
{
	const struct blkif_request_discard *dr = kxen_blkif_discard(r);

	out->id = dr->id;
	if (!disk->discard)
		return BLKIF_RSP_EOPNOTSUPP;
	out->discard = true;
	out->sector = dr->sector_number;
	out->nr_sectors = dr->nr_sectors;
	if (disk->readonly ||
	    !kxen_blk_in_disk(disk, out->sector, out->nr_sectors))
		return BLKIF_RSP_ERROR;
	return BLKIF_RSP_OKAY;
}

s16 kxen_blkif_parse(const struct blkif_request *r,
		     const struct kxen_blkdisk *disk, struct kxen_blkreq *out)
{
	memset(out, 0, sizeof(*out));
	out->op = r->operation;
	/* Every layout has the id at the same place (blkif.h). */
	out->id = kxen_blkif_rw(r)->id;
	switch (r->operation) {
	case BLKIF_OP_READ:
		return kxen_blkif_parse_rw(r, disk, out);
	case BLKIF_OP_WRITE:
		out->write = true;
		return kxen_blkif_parse_rw(r, disk, out);
	case BLKIF_OP_WRITE_BARRIER:
	case BLKIF_OP_FLUSH_DISKCACHE:
		/* Linux's blkback: a write (maybe empty) with a cache flush. */
		out->write = true;
		out->flush = true;
		return kxen_blkif_parse_rw(r, disk, out);
	case BLKIF_OP_DISCARD:
		return kxen_blkif_parse_discard(r, disk, out);
	case BLKIF_OP_INDIRECT:
		return kxen_blkif_parse_indirect(r, disk, out);
	default:
		return BLKIF_RSP_EOPNOTSUPP;
	}
}

void kxen_blkif_response(struct blkif_response *rsp, u64 id, u8 op,
			 s16 status)
{
	memset(rsp, 0, sizeof(*rsp));
	rsp->id = id;
	rsp->operation = op;
	rsp->status = status;
}

/* Each layout's fields by name: the same meaning at the native offsets. */
static void kxen_blkif_rw_from32(const struct kxen_blkif32_rw *src,
				 struct blkif_request *dst)
{
	typeof(*kxen_blkif_rw(dst)) *rw = kxen_blkif_rw(dst);

	rw->nr_segments = src->nr_segments;
	rw->handle = src->handle;
	rw->id = src->id;
	rw->sector_number = src->sector_number;
	memcpy(rw->seg, src->seg, sizeof(rw->seg));
}

static void kxen_blkif_discard_from32(const struct kxen_blkif32_discard *src,
				      struct blkif_request *dst)
{
	struct blkif_request_discard *dr = kxen_blkif_discard(dst);

	/* No handle: Linux's copy of blkif.h calls that field padding. */
	dr->flag = src->flag;
	dr->id = src->id;
	dr->sector_number = src->sector_number;
	dr->nr_sectors = src->nr_sectors;
}

static void
kxen_blkif_indirect_from32(const struct kxen_blkif32_indirect *src,
			   struct blkif_request *dst)
{
	struct blkif_request_indirect *ir = kxen_blkif_indirect(dst);

	ir->indirect_op = src->indirect_op;
	ir->nr_segments = src->nr_segments;
	ir->id = src->id;
	ir->sector_number = src->sector_number;
	ir->handle = src->handle;
	memcpy(ir->indirect_grefs, src->indirect_grefs,
	       sizeof(ir->indirect_grefs));
}

void kxen_blkif_from32(const struct kxen_blkif32_request *src,
		       struct blkif_request *dst)
{
	memset(dst, 0, sizeof(*dst));
	dst->operation = src->operation;
	switch (src->operation) {
	case BLKIF_OP_DISCARD:
		kxen_blkif_discard_from32(&src->u.discard, dst);
		break;
	case BLKIF_OP_INDIRECT:
		kxen_blkif_indirect_from32(&src->u.indirect, dst);
		break;
	default:
		/* Read, write, flush, barrier; an unknown op keeps its id. */
		kxen_blkif_rw_from32(&src->u.rw, dst);
		break;
	}
}

void kxen_blkif_response32(struct kxen_blkif32_response *rsp, u64 id, u8 op,
			   s16 status)
{
	memset(rsp, 0, sizeof(*rsp));
	rsp->id = id;
	rsp->operation = op;
	rsp->status = status;
}
