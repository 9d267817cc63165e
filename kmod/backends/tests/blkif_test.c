// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the blkif request checks (../blkif_req.c): what Linux's
 * blkfront sends is accepted as it meant it, and every malformed or
 * out-of-range request a hostile frontend can write is refused with the
 * status Linux's blkback gives.
 */
#include <stdio.h>
#include <string.h>

#include "../blkif_req.h"
#include "../../xen/tests/tap.h"

static const struct kxen_blkdisk disk = { .sectors = 2048, .discard = true };
static const struct kxen_blkdisk rodisk = { .sectors = 2048, .readonly = true };

static struct blkif_request rw(u8 op, u8 nseg, u64 sector)
{
	struct blkif_request r;
	u8 i;

	memset(&r, 0, sizeof(r));
	r.operation = op;
	kxen_blkif_rw(&r)->nr_segments = nseg;
	kxen_blkif_rw(&r)->id = 0x1122334455667788ull;
	kxen_blkif_rw(&r)->sector_number = sector;
	for (i = 0; i < nseg && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
		kxen_blkif_rw(&r)->seg[i].gref = 100 + i;
		kxen_blkif_rw(&r)->seg[i].first_sect = 0;
		kxen_blkif_rw(&r)->seg[i].last_sect = 7;
	}
	return r;
}

static void test_good(void)
{
	struct blkif_request r = rw(BLKIF_OP_READ, 2, 16);
	struct kxen_blkreq q;

	kxen_blkif_rw(&r)->seg[1].first_sect = 2;
	kxen_blkif_rw(&r)->seg[1].last_sect = 5;
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_OKAY &&
	      !q.write && !q.flush && q.nseg == 2 && q.sector == 16 &&
	      q.nr_sectors == 12 && q.id == 0x1122334455667788ull,
	      "read of 1.5 pages");
	CHECK(q.seg[0].gref == 100 && q.seg[0].offset == 0 &&
	      q.seg[0].len == 4096 && q.seg[1].offset == 1024 &&
	      q.seg[1].len == 2048, "segments as bytes in their pages");
	r = rw(BLKIF_OP_WRITE, 11, 2048 - 88);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_OKAY && q.write &&
	      q.nr_sectors == 88, "write of 11 pages ending at the disk's end");
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_OKAY && q.flush &&
	      !q.nseg, "an empty flush");
	CHECK(kxen_blkif_parse(&r, &rodisk, &q) == BLKIF_RSP_OKAY,
	      "an empty flush of a read-only disk");
	r = rw(BLKIF_OP_WRITE_BARRIER, 1, 8);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_OKAY && q.flush &&
	      q.write && q.nseg == 1, "a barrier write");
	memset(&r, 0, sizeof(r));
	r.operation = BLKIF_OP_DISCARD;
	kxen_blkif_discard(&r)->id = 7;
	kxen_blkif_discard(&r)->sector_number = 1024;
	kxen_blkif_discard(&r)->nr_sectors = 1024;
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_OKAY &&
	      q.discard && q.id == 7 && q.sector == 1024 &&
	      q.nr_sectors == 1024, "a discard to the end");
}

static void test_bad(void)
{
	struct blkif_request r;
	struct kxen_blkreq q;

	r = rw(BLKIF_OP_READ, 0, 0);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_ERROR,
	      "a read with no segment");
	r = rw(BLKIF_OP_READ, 12, 0);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_ERROR,
	      "12 segments");
	r = rw(BLKIF_OP_READ, 255, 0);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_ERROR,
	      "255 segments");
	r = rw(BLKIF_OP_READ, 1, 0);
	kxen_blkif_rw(&r)->seg[0].first_sect = 5;
	kxen_blkif_rw(&r)->seg[0].last_sect = 4;
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_ERROR,
	      "first_sect > last_sect");
	kxen_blkif_rw(&r)->seg[0].first_sect = 0;
	kxen_blkif_rw(&r)->seg[0].last_sect = 8;
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_ERROR,
	      "last_sect 8");
	r = rw(BLKIF_OP_READ, 1, 2048 - 7);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_ERROR,
	      "a read past the end");
	r = rw(BLKIF_OP_WRITE, 1, ~0ull - 3);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_ERROR,
	      "a sector number that wraps around");
	r = rw(BLKIF_OP_WRITE, 1, 0);
	CHECK(kxen_blkif_parse(&r, &rodisk, &q) == BLKIF_RSP_ERROR,
	      "a write to a read-only disk");
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 1, 0);
	CHECK(kxen_blkif_parse(&r, &rodisk, &q) == BLKIF_RSP_ERROR,
	      "a flush with data to a read-only disk");
	r = rw(200, 1, 0);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_EOPNOTSUPP,
	      "an unknown operation");
	memset(&r, 0, sizeof(r));
	r.operation = BLKIF_OP_DISCARD;
	kxen_blkif_discard(&r)->sector_number = 1;
	kxen_blkif_discard(&r)->nr_sectors = 2048;
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_ERROR,
	      "a discard past the end");
	kxen_blkif_discard(&r)->sector_number = 2048;
	kxen_blkif_discard(&r)->nr_sectors = ~0ull;
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_ERROR,
	      "a discard that wraps around");
	kxen_blkif_discard(&r)->sector_number = 0;
	kxen_blkif_discard(&r)->nr_sectors = 8;
	CHECK(kxen_blkif_parse(&r, &rodisk, &q) == BLKIF_RSP_EOPNOTSUPP,
	      "a discard where none is offered");
}

static struct blkif_request indirect(u8 op, u16 nseg, u64 sector)
{
	struct blkif_request r;
	struct blkif_request_indirect *ir = kxen_blkif_indirect(&r);

	memset(&r, 0, sizeof(r));
	r.operation = BLKIF_OP_INDIRECT;
	ir->indirect_op = op;
	ir->nr_segments = nseg;
	ir->id = 99;
	ir->sector_number = sector;
	ir->indirect_grefs[0] = 500;
	ir->indirect_grefs[1] = 501;
	return r;
}

static struct blkif_request_segment segs[KXEN_BLK_MAX_INDIRECT_SEGS];

static void test_indirect(void)
{
	static const struct kxen_blkdisk big = { .sectors = 1 << 20 };
	struct blkif_request r;
	struct kxen_blkreq q;
	int i;

	for (i = 0; i < KXEN_BLK_MAX_INDIRECT_SEGS; i++) {
		segs[i].gref = 1000 + i;
		segs[i].first_sect = 0;
		segs[i].last_sect = 7;
	}
	r = indirect(BLKIF_OP_WRITE, 256, 8);
	CHECK(kxen_blkif_parse(&r, &big, &q) == BLKIF_RSP_OKAY &&
	      q.indirect && q.write && q.nseg == 256 && q.nr_indirect == 1 &&
	      q.indirect_grefs[0] == 500 && q.id == 99 &&
	      q.op == BLKIF_OP_WRITE,
	      "an indirect write of 256 segments: one indirect page, answered as a write");
	CHECK(kxen_blkif_parse_segs(&q, segs, &big) == BLKIF_RSP_OKAY &&
	      q.nr_sectors == 2048 && q.seg[255].gref == 1255 &&
	      q.seg[255].len == 4096, "its segments: 1 MiB");
	r = indirect(BLKIF_OP_WRITE, 256, (1 << 20) - 2047);
	kxen_blkif_parse(&r, &big, &q);
	CHECK(kxen_blkif_parse_segs(&q, segs, &big) == BLKIF_RSP_ERROR,
	      "an indirect write past the end");
	r = indirect(BLKIF_OP_READ, 3, 0);
	kxen_blkif_parse(&r, &big, &q);
	segs[2].last_sect = 9;
	CHECK(kxen_blkif_parse_segs(&q, segs, &big) == BLKIF_RSP_ERROR,
	      "an indirect segment with last_sect 9");
	segs[2].last_sect = 7;
	r = indirect(BLKIF_OP_READ, 257, 0);
	CHECK(kxen_blkif_parse(&r, &big, &q) == BLKIF_RSP_ERROR,
	      "257 indirect segments (256 offered)");
	r = indirect(BLKIF_OP_READ, 0, 0);
	CHECK(kxen_blkif_parse(&r, &big, &q) == BLKIF_RSP_ERROR,
	      "an indirect request with no segment");
	r = indirect(BLKIF_OP_FLUSH_DISKCACHE, 1, 0);
	CHECK(kxen_blkif_parse(&r, &big, &q) == BLKIF_RSP_ERROR,
	      "an indirect flush (only reads and writes may be)");
	r = indirect(BLKIF_OP_INDIRECT, 1, 0);
	CHECK(kxen_blkif_parse(&r, &big, &q) == BLKIF_RSP_ERROR,
	      "an indirect indirect");
	r = indirect(BLKIF_OP_WRITE, 1, 0);
	kxen_blkif_parse(&r, &rodisk, &q);
	CHECK(kxen_blkif_parse_segs(&q, segs, &rodisk) == BLKIF_RSP_ERROR,
	      "an indirect write to a read-only disk");
}

static void test_response(void)
{
	struct blkif_response rsp;
	unsigned char *b = (unsigned char *)&rsp;
	int pad = 0;

	memset(&rsp, 0xa5, sizeof(rsp));
	kxen_blkif_response(&rsp, 42, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
	/* id 0-7, operation 8, padding 9, status 10-11, padding 12-15. */
	pad = b[9] | b[12] | b[13] | b[14] | b[15];
	CHECK(rsp.id == 42 && rsp.operation == BLKIF_OP_WRITE &&
	      rsp.status == BLKIF_RSP_ERROR && pad == 0,
	      "a response has every byte written, padding zero");
}

/* Little-endian stores at the byte offsets i386's blkif.h gives. */
static void put(u8 *b, unsigned int off, u64 v, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		b[off + i] = v >> (8 * i);
}

/*
 * The x86_32 layout, written byte by byte at the offsets blkif.h has when
 * compiled for i386 (id at 4, sector at 12, segments at 20; discard's
 * count at 20; indirect's handle at 20 and pages at 24), so that the
 * test does not lean on the structs it checks.
 */
static void test_x86_32(void)
{
	struct kxen_blkif32_request r32;
	struct kxen_blkif32_response rsp;
	struct blkif_request r;
	struct kxen_blkreq q;
	u8 b[108], *rb = (u8 *)&rsp;

	memset(b, 0, sizeof(b));
	put(b, 0, BLKIF_OP_WRITE, 1);
	put(b, 1, 2, 1);			/* nr_segments */
	put(b, 2, 51712, 2);			/* handle */
	put(b, 4, 0x1122334455667788ull, 8);	/* id */
	put(b, 12, 40, 8);			/* sector_number */
	put(b, 20, 300, 4);			/* seg[0].gref */
	put(b, 25, 7, 1);			/* seg[0].last_sect */
	put(b, 28, 301, 4);			/* seg[1].gref */
	put(b, 32, 1, 1);			/* seg[1].first_sect */
	put(b, 33, 3, 1);			/* seg[1].last_sect */
	memcpy(&r32, b, sizeof(b));
	kxen_blkif_from32(&r32, &r);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_OKAY && q.write &&
	      q.id == 0x1122334455667788ull && q.sector == 40 &&
	      q.nseg == 2 && q.nr_sectors == 11,
	      "x86_32: a write's id, sector and segment count");
	CHECK(q.seg[0].gref == 300 && q.seg[0].len == 4096 &&
	      q.seg[1].gref == 301 && q.seg[1].offset == 512 &&
	      q.seg[1].len == 1536, "x86_32: its segments");
	put(b, 1, 12, 1);
	memcpy(&r32, b, sizeof(b));
	kxen_blkif_from32(&r32, &r);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_ERROR,
	      "x86_32: 12 segments refused");

	memset(b, 0, sizeof(b));
	put(b, 0, BLKIF_OP_DISCARD, 1);
	put(b, 4, 77, 8);
	put(b, 12, 1024, 8);
	put(b, 20, 512, 8);			/* nr_sectors */
	memcpy(&r32, b, sizeof(b));
	kxen_blkif_from32(&r32, &r);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_OKAY && q.discard &&
	      q.id == 77 && q.sector == 1024 && q.nr_sectors == 512,
	      "x86_32: a discard");

	memset(b, 0, sizeof(b));
	put(b, 0, BLKIF_OP_INDIRECT, 1);
	put(b, 1, BLKIF_OP_READ, 1);		/* indirect_op */
	put(b, 2, 200, 2);			/* nr_segments */
	put(b, 4, 78, 8);
	put(b, 12, 8, 8);
	put(b, 20, 51712, 2);			/* handle */
	put(b, 24, 400, 4);			/* indirect_grefs[0] */
	put(b, 28, 401, 4);
	memcpy(&r32, b, sizeof(b));
	kxen_blkif_from32(&r32, &r);
	CHECK(kxen_blkif_parse(&r, &disk, &q) == BLKIF_RSP_OKAY &&
	      q.indirect && q.op == BLKIF_OP_READ && q.id == 78 &&
	      q.sector == 8 && q.nseg == 200 && q.nr_indirect == 1 &&
	      q.indirect_grefs[0] == 400, "x86_32: an indirect read");

	memset(&rsp, 0xa5, sizeof(rsp));
	kxen_blkif_response32(&rsp, 0x0102030405060708ull, BLKIF_OP_READ,
			      BLKIF_RSP_ERROR);
	CHECK(rb[0] == 8 && rb[7] == 1 && rb[8] == BLKIF_OP_READ &&
	      rb[9] == 0 && rb[10] == 0xff && rb[11] == 0xff,
	      "x86_32: a 12-byte response, id at 0, op at 8, status at 10, padding zero");
}

int main(void)
{
	test_good();
	test_bad();
	test_indirect();
	test_response();
	test_x86_32();
	return tap_done();
}
