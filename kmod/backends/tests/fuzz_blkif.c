// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the blkif request checks: any 112 bytes a
 * frontend can put in a ring slot (or 108 in the x86_32 layout, turned
 * into the native one first), against disks of any size, and for an
 * indirect request whatever its segment pages hold.  Whatever
 * is accepted must lie inside the disk, with whole sectors inside one
 * page per segment, and a response is always whole.
 */
#include <stdlib.h>
#include <string.h>

#include "../blkif_req.h"

static struct blkif_request_segment segs[KXEN_BLK_MAX_INDIRECT_SEGS];

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct blkif_request r;
	struct kxen_blkif32_request r32;
	struct kxen_blkdisk disk = { 0 };
	struct kxen_blkreq q;
	u64 sectors = 0;
	u16 i;

	if (size < sizeof(r) + 9)
		return 0;
	memcpy(&r, data, sizeof(r));
	memcpy(&disk.sectors, data + sizeof(r), 8);
	disk.readonly = data[sizeof(r) + 8] & 1;
	disk.discard = data[sizeof(r) + 8] & 2;
	if (data[sizeof(r) + 8] & 4) {
		/* A 32-bit frontend's slot: its first 108 bytes. */
		memcpy(&r32, data, sizeof(r32));
		kxen_blkif_from32(&r32, &r);
	}
	if (kxen_blkif_parse(&r, &disk, &q) != BLKIF_RSP_OKAY)
		return 0;
	if (q.indirect) {
		/* The rest of the input plays the indirect pages. */
		if (q.nseg > KXEN_BLK_MAX_INDIRECT_SEGS || !q.nr_indirect ||
		    q.nr_indirect > BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST)
			abort();
		memset(segs, 0, sizeof(segs));
		if (size > sizeof(r) + 9)
			memcpy(segs, data + sizeof(r) + 9,
			       size - sizeof(r) - 9 < sizeof(segs) ?
			       size - sizeof(r) - 9 : sizeof(segs));
		if (kxen_blkif_parse_segs(&q, segs, &disk) != BLKIF_RSP_OKAY)
			return 0;
	}
	if (q.sector > disk.sectors || q.nr_sectors > disk.sectors - q.sector)
		abort();
	if (q.nseg > (q.indirect ? KXEN_BLK_MAX_INDIRECT_SEGS :
		       BLKIF_MAX_SEGMENTS_PER_REQUEST))
		abort();
	if ((q.write && q.nseg && disk.readonly) || (q.discard && !disk.discard))
		abort();
	for (i = 0; i < q.nseg; i++) {
		if (!q.seg[i].len || q.seg[i].len % 512 ||
		    q.seg[i].offset + q.seg[i].len > 4096)
			abort();
		sectors += q.seg[i].len / 512;
	}
	if (!q.discard && sectors != q.nr_sectors)
		abort();
	return 0;
}
