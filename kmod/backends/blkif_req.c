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

/* Does [sector, sector + n) lie inside the disk?  No overflow on the way. */
static bool kxen_blk_in_disk(const struct kxen_blkdisk *disk, u64 sector,
			     u64 n)
{
	return sector <= disk->sectors && n <= disk->sectors - sector;
}

static s16 kxen_blkif_parse_rw(const struct blkif_request *r,
			       const struct kxen_blkdisk *disk,
			       struct kxen_blkreq *out)
{
	const typeof(*kxen_blkif_rw(r)) *rw = kxen_blkif_rw(r);
	u8 first, last, i;
	u64 total = 0;

	out->nseg = rw->nr_segments;
	/* A flush without data has no place on the disk. */
	out->sector = out->nseg ? rw->sector_number : 0;
	/* Only a flush may come without data (Linux's blkfront sends one). */
	if (out->nseg > BLKIF_MAX_SEGMENTS_PER_REQUEST ||
	    (!out->nseg && !out->flush))
		return BLKIF_RSP_ERROR;
	for (i = 0; i < out->nseg; i++) {
		first = rw->seg[i].first_sect;
		last = rw->seg[i].last_sect;
		if (first > last || last >= KXEN_BLK_SECTORS_PER_PAGE)
			return BLKIF_RSP_ERROR;
		out->seg[i].gref = rw->seg[i].gref;
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
	default:
		/* Includes BLKIF_OP_INDIRECT, which is not offered yet. */
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
