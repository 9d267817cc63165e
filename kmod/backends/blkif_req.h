/* SPDX-License-Identifier: GPL-2.0 */
/*
 * blkif requests (xen/interface/io/blkif.h) checked before any I/O, in
 * plain C for the kernel and the userspace unit tests and fuzzer.  The
 * request is the backend's own copy, taken from the shared ring once
 * (XSA-155): nothing here reads the ring.
 */
#ifndef KXEN_BACKENDS_BLKIF_REQ_H
#define KXEN_BACKENDS_BLKIF_REQ_H

/*
 * Linux's copy of blkif.h puts the read/write and discard layouts in a
 * union (u.rw, u.discard); Xen's own header has the read/write fields in
 * struct blkif_request itself and the discard layout as a struct of its
 * own.  The bytes are the same (x86_64: id at 8, sector at 16, segments
 * at 24); these name the two views in either world.
 */
#include "../xen/plat.h"
#ifdef __KERNEL__
#include <xen/interface/io/blkif.h>
#define kxen_blkif_rw(r)	(&(r)->u.rw)
#define kxen_blkif_discard(r)	(&(r)->u.discard)
#define kxen_blkif_indirect(r)	(&(r)->u.indirect)
#else
#include <xen/io/blkif.h>
#define kxen_blkif_rw(r)	(r)
#define kxen_blkif_discard(r)	((struct blkif_request_discard *)(r))
#define kxen_blkif_indirect(r)	((struct blkif_request_indirect *)(r))
#endif

#define KXEN_BLK_SECTOR_SHIFT	9
#define KXEN_BLK_SECTORS_PER_PAGE	8
/* Segment descriptors in one indirect page. */
#define KXEN_BLK_SEGS_PER_PAGE	(4096 / sizeof(struct blkif_request_segment))
/*
 * feature-max-indirect-segments: 256 (1 MiB a request), as the issue and
 * Linux's blkback offer by default; one indirect page holds them.
 */
#define KXEN_BLK_MAX_INDIRECT_SEGS	256

/* The disk as the requests see it. */
struct kxen_blkdisk {
	u64 sectors;		/* of 512 bytes */
	bool readonly;
	bool discard;		/* feature-discard offered */
};

struct kxen_blkseg {
	u32 gref;
	u16 offset;		/* bytes into the granted page */
	u16 len;		/* bytes, a multiple of 512 */
};

/* A request that passed every check. */
struct kxen_blkreq {
	u64 id;
	/* BLKIF_OP_* to answer with: the frontend's, or the inner one */
	u8 op;
	bool write;		/* data flows guest -> disk */
	bool flush;		/* durable on completion (flush, barrier) */
	bool discard;
	bool indirect;		/* segments still to be read from pages */
	u16 nseg;
	u8 nr_indirect;		/* pages holding them */
	u64 sector;
	u64 nr_sectors;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	struct kxen_blkseg seg[KXEN_BLK_MAX_INDIRECT_SEGS];
};

/*
 * Check the copy @r against @disk: BLKIF_RSP_OKAY with @out filled, or the
 * status to answer with (BLKIF_RSP_ERROR, BLKIF_RSP_EOPNOTSUPP); out->id
 * and out->op are set in every case, for the response.  An indirect
 * request comes back with out->indirect set and its segments not yet
 * read: kxen_blkif_parse_segs() finishes it.
 */
s16 kxen_blkif_parse(const struct blkif_request *r,
		     const struct kxen_blkdisk *disk, struct kxen_blkreq *out);

/*
 * The segments of @out (out->nseg of them, a copy the caller owns: for
 * BLKIF_OP_INDIRECT, read once from the indirect pages): each within its
 * page, all together within the disk.
 */
s16 kxen_blkif_parse_segs(struct kxen_blkreq *out,
			  const struct blkif_request_segment *segs,
			  const struct kxen_blkdisk *disk);

/* A whole response, padding included (XSA-216). */
void kxen_blkif_response(struct blkif_response *rsp, u64 id, u8 op,
			 s16 status);

/*
 * The x86_32 layout (protocol "x86_32-abi", xen/interface/io/protocols.h),
 * which a 32-bit frontend such as GRUB's i386-xen_pvh puts in its ring:
 * blkif.h as i386 compiles it, where a uint64_t is 4-byte aligned.  The
 * id then follows the first four bytes, every later field moves up by
 * four, a request is 108 bytes and a response 12.  The segment
 * descriptor is the same in both.
 */
struct kxen_blkif32_rw {
	u8 nr_segments;
	u16 handle;
	u64 id;
	u64 sector_number;
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
} __packed;

struct kxen_blkif32_discard {
	u8 flag;
	u16 handle;
	u64 id;
	u64 sector_number;
	u64 nr_sectors;
} __packed;

struct kxen_blkif32_indirect {
	u8 indirect_op;
	u16 nr_segments;
	u64 id;
	u64 sector_number;
	u16 handle;
	u16 pad;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u64 pad2;
} __packed;

struct kxen_blkif32_request {
	u8 operation;
	union {
		struct kxen_blkif32_rw rw;
		struct kxen_blkif32_discard discard;
		struct kxen_blkif32_indirect indirect;
	} u;
} __packed;

struct kxen_blkif32_response {
	u64 id;
	u8 operation;
	u8 pad;
	s16 status;
} __packed;

/*
 * The native request with the same meaning as the x86_32 copy @src (of
 * the backend's own, taken once from the ring): each field moved to its
 * place for kxen_blkif_parse(), the rest zero.
 */
void kxen_blkif_from32(const struct kxen_blkif32_request *src,
		       struct blkif_request *dst);
void kxen_blkif_response32(struct kxen_blkif32_response *rsp, u64 id, u8 op,
			   s16 status);

#endif /* KXEN_BACKENDS_BLKIF_REQ_H */
