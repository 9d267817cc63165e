/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two halves of the blkhostile guest share (see blkhostile.c for
 * the test itself): blkhostile.c sets up the grants and the connection,
 * drives the ring and runs the phases; blkhostile_cases.c builds the
 * requests, hostile and valid, and checks the responses and the data
 * that comes back.
 */
#ifndef BLKHOSTILE_H
#define BLKHOSTILE_H

#include <kg/layout.h>
#include <kg/lib.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>

/*
 * io/ring.h leaves the barriers to its user.  x86 keeps loads and stores
 * in order except a store before a later load: only xen_mb() needs
 * MFENCE, the other two only keep the compiler in line.
 */
#define xen_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#include <xen/io/blkif.h>

#define PAGE		KG_PAGE_SIZE
#define SECT		512
#define SECTS_PER_PAGE	8
#define MAX_ORDER	4			/* what we would use at most */
#define MAX_RING_PAGES	16			/* 2^MAX_ORDER */
#define MAX_RING	512	/* __CONST_RING_SIZE(blkif, 16 pages) */
#define MAX_IND_SEGS	256	/* what we ask for, if offered */
#define SEGS_PER_IND	(PAGE / sizeof(struct blkif_request_segment))
#define GOOD_PAGES	64	/* valid reads land here */
#define GOOD_SLOTS	(GOOD_PAGES * SECTS_PER_PAGE)
#define WREGION		64	/* sectors at the end valid writes touch */
#define WSRC_PAGES	(WREGION / SECTS_PER_PAGE)
#define BAD_PAGES	16	/* data pages of the hostile requests */
#define IND_PAGES	64	/* indirect segment pages */
#define NR_ENTS		(PAGE / sizeof(grant_entry_v1_t))

#define CANARY_GOOD	0xa5
#define CANARY_BAD	0x5a

#define MAX_REPORTS	10

/*
 * Grant references, all in frame 0.  0-7 are the toolstack's
 * (GNTTAB_NR_RESERVED_ENTRIES) and stay invalid here.
 */
#define REF_RING	GNTTAB_NR_RESERVED_ENTRIES
#define REF_GOOD	(REF_RING + MAX_RING_PAGES)
#define REF_WSRC	(REF_GOOD + GOOD_PAGES)
#define REF_BAD		(REF_WSRC + WSRC_PAGES)
#define REF_IND		(REF_BAD + BAD_PAGES)
#define REF_HOSTILE	(REF_IND + IND_PAGES)

/* The hostile entries, at REF_HOSTILE + these. */
enum {
	BE_UNGRANTED,		/* flags 0: nothing granted */
	BE_OTHER_DOM,		/* to another domain */
	BE_OWN_DOM,		/* to ourselves */
	BE_DOMID_SELF,		/* to DOMID_SELF, which is no grantee */
	BE_READONLY,		/* read-only: refused for a READ only */
	BE_SUB_PAGE,		/* GTF_sub_page: v2 only */
	BE_TRANSFER,		/* GTF_accept_transfer */
	BE_TRANSITIVE,		/* GTF_transitive: v2 only */
	BE_FRAME_GNTTAB,	/* the frame of our grant table */
	BE_FRAME_SHINFO,	/* the frame of shared_info: its own probe */
	BE_FRAME_FAR,		/* past our RAM */
	BE_FRAME_MAX,		/* the largest frame a v1 entry holds */
	NR_BAD_ENTS
};

/* What a request is, for the tallies and the reports. */
enum kind {
	K_BAD_OP,
	K_NSEG_0,
	K_NSEG_BIG,
	K_FIRST_GT_LAST,
	K_LAST_BIG,
	K_PAST_END,
	K_WRAP,
	K_BAD_REF,
	K_DISCARD,
	K_IND_OP,
	K_IND_NSEG,
	K_IND_REF,
	K_IND_SEG,
	NR_HOSTILE,
	V_READ = NR_HOSTILE,
	V_IND_READ,
	V_WRITE,
	V_IND_WRITE,
	V_FLUSH,
	NR_KINDS
};

union req {
	struct blkif_request rw;
	struct blkif_request_discard discard;
	struct blkif_request_indirect ind;
	u8 raw[sizeof(struct blkif_request)];
	u64 words[sizeof(struct blkif_request) / 8];
};

/* One request of the batch in flight. */
struct pend {
	union req req;		/* as sent */
	s16 want;		/* the status it must get */
	s16 got;		/* the status it got */
	u8 kind;
	bool done;
	s16 ind;		/* its indirect page, or -1 */
};

/* The valid read of the batch, where its sectors land. */
struct vseg {
	u16 page;
	u8 first, last;
};

struct vread {
	bool on;
	unsigned int idx;	/* its place in the batch */
	u64 sector;
	u32 nseg;
	u32 total;
	u32 pages;		/* good pages 0..pages-1 hold it */
	struct vseg seg[MAX_IND_SEGS];
};

/* The connection. */
struct blk_conn {
	char fe[48];		/* device/vbd/<vdev> */
	char be[96];		/* the backend's directory */
	unsigned int vdev;
	unsigned int order, nr_pages;
	u32 ring_size;
	evtchn_port_t port;
	blkif_front_ring_t front;
	u64 sectors;
	u64 wregion;		/* first sector of the write region */
	u32 max_ind;		/* indirect segments we may use, 0: none */
	bool discard, flush, barrier;
	unsigned int conn;	/* 1, 2, ... */
	u64 reqs, errs;		/* answered on this connection */
	u64 to_fail;		/* of them, sent wanting an error */
};

/* ---- blkhostile.c: the connection and the batch in flight ---- */

extern struct blk_conn blk;
extern u8 good[GOOD_PAGES][PAGE];
extern struct blkif_request_segment ind[IND_PAGES][SEGS_PER_IND];

/* The batch in flight: its requests, how many, their id tag, its number. */
extern struct pend pend[MAX_RING];
extern unsigned int batch_n;
extern u64 batch_tag;
extern u32 batch_no;

/* An indirect page of this batch's, or -1 if none is left. */
int take_ind(void);
/* Queues @r (id filled in here) expecting @want; @indp: its page or -1. */
void add(union req *r, enum kind k, s16 want, int indp);

/* ---- blkhostile_cases.c: the requests and the checks ---- */

/* xorshift64*, from the seed test_main() puts in rng_state. */
extern u64 rng_state;
u64 rnd(void);
u64 rnd_below(u64 n);
bool one_in(u64 n);

/* What the script wrote to sector @s (@w: what our writes put there). */
void image_sector(u8 *buf, u64 s, bool w);
/* The first bytes of @p, unprintable ones as '.', for a message. */
const char *prefix(const u8 *p);
bool all_bytes(const u8 *p, u8 v, size_t n);

extern const char *const kind_name[NR_KINDS];
extern struct vread vr;

/* What the responses and the valid reads came back with. */
extern u64 right[NR_KINDS];
extern u64 bad_rsp;
extern u64 status_seen[3];	/* OKAY, ERROR, EOPNOTSUPP */
extern u64 sectors_checked, bad_sectors;

/* One hostile request of a random kind. */
void hostile(void);
/* The batch's valid read, @n segments, through an indirect page if asked. */
void valid_read(bool indirect, unsigned int n);
/* A valid write of write-region sectors [@a, @a + @len). */
void valid_write(unsigned int a, unsigned int len, bool allow_ind);
/* An empty flush or barrier, if the backend offers either. */
void valid_flush(void);
/* Segment @i of the valid read, into @s. */
void vr_seg(struct blkif_request_segment *s, unsigned int i);

/* Checks the batch's valid read: its sectors, and the canary around. */
void check_read(void);
/* Checks one response against the request in flight it answers. */
void check_rsp(const struct blkif_response *r);
/* A request as sent, in hex, and its indirect page's first segments. */
void dump_req(const struct pend *p);

#endif /* BLKHOSTILE_H */
