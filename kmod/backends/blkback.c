// SPDX-License-Identifier: GPL-2.0
/*
 * The block backend (Linux's xen-blkback, in the host that plays domain 0):
 * blkif rings (xen/interface/io/blkif.h) served from a raw image file or a
 * block device named by the toolstack's "params" node.
 *
 * Data goes straight between the guest's granted pages and the store: a
 * bio_vec per segment over the referenced page (kxen_gnttab_map), read or
 * written with direct I/O where the file system allows it.  No persistent
 * grants (feature-persistent): kxen reaches a granted page without
 * mapping it, so persistent grants would only add a copy in the guest.
 *
 * Ring rules, as Xen learned them: each request is copied out of the ring
 * once and checked on the copy (blkif_req.c); the producer index is
 * bounded against the ring's size; every response is whole; a pass over
 * the ring is bounded and yields; every granted page is referenced for as
 * long as the I/O touches it, and unpinned after.
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/falloc.h>
#include <linux/uio.h>
#include <linux/bvec.h>
#include <linux/vmalloc.h>
#include <linux/slab.h>
#include <linux/blkdev.h>
#include <xen/interface/io/blkif.h>
#include <xen/interface/io/protocols.h>

#include "../core/kxen.h"
#include "../xen/state.h"
#include "xenbus_be.h"
#include "blkif_req.h"
#include "kick_limit.h"
#include "be_worker.h"
#include "blkback.h"

/* Rings of up to 2^4 pages, Linux blkback's default max_ring_page_order. */
#define KXEN_BLK_MAX_RING_ORDER	4
#define KXEN_BLK_MAX_RING_PAGES	BIT(KXEN_BLK_MAX_RING_ORDER)
/* Requests taken per pass before the worker lets others run. */
#define KXEN_BLK_BATCH		64
/* Reads and writes in flight per ring, as a queue depth. */
#define KXEN_BLK_INFLIGHT	32

struct kxen_blkring;

/*
 * The ring of a 32-bit frontend (protocol "x86_32-abi"): the same header,
 * 108-byte slots (blkif_req.h).  Both back rings have one layout, so the
 * index macros work on either through @ring; only slots are typed.
 */
DEFINE_RING_TYPES(kxen_blkif32, struct kxen_blkif32_request,
		  struct kxen_blkif32_response);

/* One read or write in flight: its checked copy and its pages. */
struct kxen_blkio {
	struct list_head node;		/* on the ring's free or done list */
	struct kxen_blkring *r;
	struct kiocb iocb;
	long ret;
	struct kxen_blkreq req;
	struct bio_vec bv[KXEN_BLK_MAX_INDIRECT_SEGS];
};

struct kxen_blkring {
	struct kxen_blkif *blk;
	union {
		struct blkif_back_ring ring;
		struct kxen_blkif32_back_ring ring32;	/* when abi32 */
	};
	bool abi32;
	struct blkif_sring *sring;	/* vmap of the ring pages */
	u32 nr_pages;
	grant_ref_t grefs[KXEN_BLK_MAX_RING_PAGES];
	struct page *pages[KXEN_BLK_MAX_RING_PAGES];
	struct kxen_be_port port;
	struct kthread_worker *worker;	/* the ring's thread (be_worker.h) */
	struct kthread_delayed_work work; /* its pass; delayed: kick_limit.h */
	struct kxen_kick_limit kl;
	bool broken;			/* a frontend that broke the ring */
	u64 reqs, errors, kicks;
	u64 reads, writes, flushes, discards;	/* served, by kind */
	/* Requests in flight (KXEN_BLK_INFLIGHT slots). */
	struct kxen_blkio *ios;
	struct list_head free;		/* worker only */
	spinlock_t done_lock;
	struct list_head done;		/* completed, to answer */
	atomic_t inflight;
	wait_queue_head_t idle;
	bool stopping;			/* disconnect: take no more */
	struct blkif_request_segment segs[KXEN_BLK_MAX_INDIRECT_SEGS];
};

struct kxen_blkif {
	struct kxen_xbdev *dev;
	struct file *file;
	struct kxen_blkdisk disk;
	bool cdrom, removable;
	bool abi32;			/* the frontend's protocol */
	struct kxen_blkring **rings;	/* NULL: not connected */
	u32 nr_rings;
	u32 max_queues;			/* multi-queue-max-queues offered */
};

/* ---- I/O ---- */

static void kxen_blk_unmap_segs(struct kxen_blkif *blk,
				const struct kxen_blkreq *req,
				struct bio_vec *bv, unsigned int n)
{
	unsigned int i;

	/* A read writes guest memory: those grants were pinned writable. */
	for (i = 0; i < n; i++)
		kxen_gnttab_unmap(blk->dev->d, req->seg[i].gref, req->write,
				  bv[i].bv_page);
}

/* Take every segment's page, or none; a GNTST_* failure is an error. */
static int kxen_blk_map_segs(struct kxen_blkif *blk,
			     const struct kxen_blkreq *req,
			     struct bio_vec *bv)
{
	struct page *pg;
	unsigned int i;
	s16 st;

	for (i = 0; i < req->nseg; i++) {
		st = kxen_gnttab_map(blk->dev->d, req->seg[i].gref, req->write,
				     &pg);
		if (st != GNTST_okay) {
			kxen_blk_unmap_segs(blk, req, bv, i);
			return -EFAULT;
		}
		bv[i].bv_page = pg;
		bv[i].bv_offset = req->seg[i].offset;
		bv[i].bv_len = req->seg[i].len;
	}
	return 0;
}

/*
 * A read or write ended (any context, an interrupt's included): queue it
 * for the ring's worker, which unpins its grants and answers.
 */
static void kxen_blk_complete(struct kiocb *iocb, long ret)
{
	struct kxen_blkio *io = container_of(iocb, struct kxen_blkio, iocb);
	struct kxen_blkring *r = io->r;
	unsigned long flags;

	io->ret = ret;
	/* Under the lock: disconnect takes it to know we are done with @r. */
	spin_lock_irqsave(&r->done_lock, flags);
	list_add_tail(&io->node, &r->done);
	/* At once, even while kicks are held back: this is real work. */
	kthread_mod_delayed_work(r->worker, &r->work, 0);
	if (atomic_dec_and_test(&r->inflight))
		wake_up(&r->idle);
	spin_unlock_irqrestore(&r->done_lock, flags);
}

/*
 * Start @io's read or write with the granted pages as its buffer (no
 * copy): asynchronous where the file allows it (direct I/O), completed
 * at once otherwise.  Either way kxen_blk_complete() answers it.
 */
static void kxen_blk_submit(struct kxen_blkring *r, struct kxen_blkio *io)
{
	struct kxen_blkif *blk = r->blk;
	struct kxen_blkreq *req = &io->req;
	size_t len = req->nr_sectors << KXEN_BLK_SECTOR_SHIFT;
	struct iov_iter it;
	ssize_t ret;

	atomic_inc(&r->inflight);
	if (kxen_blk_map_segs(blk, req, io->bv)) {
		io->req.nseg = 0;	/* nothing to unpin */
		kxen_blk_complete(&io->iocb, -EFAULT);
		return;
	}
	init_sync_kiocb(&io->iocb, blk->file);
	io->iocb.ki_pos = req->sector << KXEN_BLK_SECTOR_SHIFT;
	io->iocb.ki_complete = kxen_blk_complete;
	iov_iter_bvec(&it, req->write ? WRITE : READ, io->bv, req->nseg, len);
	if (req->write) {
		io->iocb.ki_flags |= IOCB_WRITE;
		ret = call_write_iter(blk->file, &io->iocb, &it);
	} else {
		ret = call_read_iter(blk->file, &io->iocb, &it);
	}
	if (ret != -EIOCBQUEUED)
		kxen_blk_complete(&io->iocb, ret);
}

static int kxen_blk_discard(struct kxen_blkif *blk,
			    const struct kxen_blkreq *req)
{
	return vfs_fallocate(blk->file,
			     FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			     req->sector << KXEN_BLK_SECTOR_SHIFT,
			     req->nr_sectors << KXEN_BLK_SECTOR_SHIFT);
}

/*
 * The segment list of an indirect request, copied out of its granted
 * pages once (the guest may change them meanwhile), then checked.
 */
static s16 kxen_blk_indirect(struct kxen_blkring *r, struct kxen_blkreq *req)
{
	struct kxen_domain *d = r->blk->dev->d;
	u32 i, n, done = 0;
	struct page *pg;

	for (i = 0; i < req->nr_indirect; i++) {
		if (kxen_gnttab_map(d, req->indirect_grefs[i], true, &pg) !=
		    GNTST_okay)
			return BLKIF_RSP_ERROR;
		n = min_t(u32, req->nseg - done, KXEN_BLK_SEGS_PER_PAGE);
		memcpy(&r->segs[done], page_address(pg), n * sizeof(r->segs[0]));
		kxen_gnttab_unmap(d, req->indirect_grefs[i], true, pg);
		done += n;
	}
	return kxen_blkif_parse_segs(req, r->segs, &r->blk->disk);
}

/* A flush (with or without data) or a discard, done before answering. */
static s16 kxen_blk_do_sync(struct kxen_blkring *r, struct kxen_blkio *io)
{
	struct kxen_blkif *blk = r->blk;
	struct kxen_blkreq *req = &io->req;
	loff_t pos = req->sector << KXEN_BLK_SECTOR_SHIFT;
	size_t len = req->nr_sectors << KXEN_BLK_SECTOR_SHIFT;
	struct iov_iter it;
	ssize_t n;
	int ret = 0;

	if (req->discard) {
		ret = kxen_blk_discard(blk, req);
		r->discards += !ret;
	} else if (req->nseg) {
		ret = kxen_blk_map_segs(blk, req, io->bv);
		if (ret)
			return BLKIF_RSP_ERROR;
		iov_iter_bvec(&it, WRITE, io->bv, req->nseg, len);
		n = vfs_iter_write(blk->file, &it, &pos, 0);
		kxen_blk_unmap_segs(blk, req, io->bv, req->nseg);
		if (n != len)
			ret = n < 0 ? n : -EIO;
		else
			r->writes++;
	}
	/* Flush and barrier: durable once answered, this write included. */
	if (!ret && req->flush) {
		ret = vfs_fsync(blk->file, 0);
		r->flushes += !ret;
	}
	if (ret == -EOPNOTSUPP)
		return BLKIF_RSP_EOPNOTSUPP;
	return ret ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY;
}

/*
 * Check a request and start it: true when it is in flight (answered on
 * completion); false with *@st the answer to give now.
 */
static bool kxen_blk_start(struct kxen_blkring *r,
			   const struct blkif_request *rq, struct kxen_blkio *io,
			   s16 *st)
{
	struct kxen_blkreq *req = &io->req;

	*st = kxen_blkif_parse(rq, &r->blk->disk, req);
	if (*st == BLKIF_RSP_OKAY && req->indirect)
		*st = kxen_blk_indirect(r, req);
	if (*st != BLKIF_RSP_OKAY)
		return false;
	if (req->discard || req->flush) {
		*st = kxen_blk_do_sync(r, io);
		return false;
	}
	kxen_blk_submit(r, io);
	return true;
}

static void kxen_blk_respond(struct kxen_blkring *r, u64 id, u8 op, s16 st)
{
	struct kxen_blkif32_response rsp32;
	struct blkif_response rsp;

	if (r->abi32) {
		kxen_blkif_response32(&rsp32, id, op, st);
		memcpy(RING_GET_RESPONSE(&r->ring32, r->ring.rsp_prod_pvt),
		       &rsp32, sizeof(rsp32));
	} else {
		kxen_blkif_response(&rsp, id, op, st);
		memcpy(RING_GET_RESPONSE(&r->ring, r->ring.rsp_prod_pvt),
		       &rsp, sizeof(rsp));
	}
	r->ring.rsp_prod_pvt++;
}

/* Slot @rc copied out once, in the native layout whatever the ABI. */
static void kxen_blk_copy_request(struct kxen_blkring *r, RING_IDX rc,
				  struct blkif_request *rq)
{
	struct kxen_blkif32_request rq32;

	if (!r->abi32) {
		RING_COPY_REQUEST(&r->ring, rc, rq);
		return;
	}
	RING_COPY_REQUEST(&r->ring32, rc, &rq32);
	kxen_blkif_from32(&rq32, rq);
}

static void kxen_blk_answer(struct kxen_blkring *r, struct kxen_blkio *io,
			    s16 st)
{
	r->reqs++;
	if (st != BLKIF_RSP_OKAY)
		r->errors++;
	kxen_blk_respond(r, io->req.id, io->req.op, st);
	list_add(&io->node, &r->free);
}

/* A read or write served, in the ring's and the domain's counters. */
static void kxen_blk_count(struct kxen_blkring *r, bool write, u64 sectors)
{
	atomic64_t *vbd = r->blk->dev->d->vbd;

	if (write)
		r->writes++;
	else
		r->reads++;
	atomic64_inc(&vbd[write ? KXEN_VBD_WR : KXEN_VBD_RD]);
	atomic64_add(sectors, &vbd[write ? KXEN_VBD_WSECT : KXEN_VBD_RSECT]);
}

/* Answer what completed: unpin its pages first. */
static void kxen_blk_reap(struct kxen_blkring *r)
{
	struct kxen_blkio *io, *tmp;
	size_t len;
	LIST_HEAD(done);

	spin_lock_irq(&r->done_lock);
	list_splice_init(&r->done, &done);
	spin_unlock_irq(&r->done_lock);
	list_for_each_entry_safe(io, tmp, &done, node) {
		list_del(&io->node);
		kxen_blk_unmap_segs(r->blk, &io->req, io->bv, io->req.nseg);
		len = io->req.nr_sectors << KXEN_BLK_SECTOR_SHIFT;
		if (io->ret != len) {
			kxen_blk_answer(r, io, BLKIF_RSP_ERROR);
			continue;
		}
		kxen_blk_count(r, io->req.write, io->req.nr_sectors);
		kxen_blk_answer(r, io, BLKIF_RSP_OKAY);
	}
}

/* One bounded pass: true when there is more to take at once. */
static bool kxen_blk_pass(struct kxen_blkring *r, bool *notify)
{
	struct kxen_blkio *io;
	struct blkif_request rq;
	RING_IDX rc, rp;
	unsigned int n = 0;
	int more;
	s16 st;

	kxen_blk_reap(r);
	rc = r->ring.req_cons;
	rp = rc;
	if (!r->broken && !READ_ONCE(r->stopping)) {
		rp = READ_ONCE(r->ring.sring->req_prod);
		virt_rmb();	/* the requests up to rp, after rp */
	}
	if (RING_REQUEST_PROD_OVERFLOW(&r->ring, rp)) {
		r->broken = true;
		kxen_xb_error(r->blk->dev, -EPROTO,
			      "ring producer %u past consumer %u + %u",
			      rp, rc, RING_SIZE(&r->ring));
		rp = rc;	/* answer what is in flight, take no more */
	}
	while (rc != rp && n < KXEN_BLK_BATCH && !list_empty(&r->free)) {
		if (RING_REQUEST_CONS_OVERFLOW(&r->ring, rc))
			break;	/* no room for its response yet */
		kxen_blk_copy_request(r, rc, &rq);
		r->ring.req_cons = ++rc;
		io = list_first_entry(&r->free, struct kxen_blkio, node);
		list_del(&io->node);
		if (!kxen_blk_start(r, &rq, io, &st))
			kxen_blk_answer(r, io, st);
		n++;
	}
	/* Requests left waiting for a free slot: xentop's VBD_OO. */
	if (rc != rp && list_empty(&r->free))
		atomic64_inc(&r->blk->dev->d->vbd[KXEN_VBD_OO]);
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&r->ring, more);
	*notify |= more;
	if (r->broken || READ_ONCE(r->stopping))
		return false;
	if (n == KXEN_BLK_BATCH)
		return true;
	/* With every slot busy, a completion brings the worker back. */
	if (list_empty(&r->free))
		return false;
	RING_FINAL_CHECK_FOR_REQUESTS(&r->ring, more);
	return more;
}

static void kxen_blk_work(struct kthread_work *work)
{
	struct kxen_blkring *r = container_of(work, struct kxen_blkring,
					      work.work);
	RING_IDX taken = r->ring.req_cons;
	u64 answered = r->reqs;
	bool notify = false, more;

	more = kxen_blk_pass(r, &notify);
	if (notify)
		kxen_evtchn_be_notify(r->blk->dev->d, &r->port);
	kxen_kick_pass_done(&r->kl, r->worker, &r->work, more,
			    r->ring.req_cons == taken && r->reqs == answered);
}

/*
 * The guest kicked its port (atomic context).  While a pass waits out a
 * flood of idle kicks (kick_limit.h) it is pending, and this adds nothing.
 */
static void kxen_blk_kick(void *arg)
{
	struct kxen_blkring *r = arg;

	r->kicks++;
	kthread_queue_delayed_work(r->worker, &r->work, 0);
}

/* ---- connection ---- */

static void kxen_blk_ring_unmap(struct kxen_blkif *blk,
				struct kxen_blkring *r)
{
	u32 i;

	if (r->sring)
		vunmap(r->sring);
	for (i = 0; i < r->nr_pages; i++)
		if (r->pages[i])
			kxen_gnttab_unmap(blk->dev->d, r->grefs[i], false,
					  r->pages[i]);
}

/*
 * The ring's pages: "ring-ref", or with ring-page-order (one value for
 * every queue) "ring-ref0".."ring-refN"; under @q ("queue-N/") when the
 * frontend uses several queues.
 */
static int kxen_blk_ring_refs(struct kxen_blkif *blk, struct kxen_blkring *r,
			      const char *q)
{
	struct kxen_xbdev *dev = blk->dev;
	u32 order = 0, i;
	char node[32];
	int ret;

	ret = kxen_xb_read_u32(dev, true, "ring-page-order", &order);
	if (ret == -ENOENT) {
		r->nr_pages = 1;
		snprintf(node, sizeof(node), "%sring-ref", q);
		return kxen_xb_read_u32(dev, true, node, &r->grefs[0]);
	}
	if (ret || order > KXEN_BLK_MAX_RING_ORDER)
		return -EINVAL;
	r->nr_pages = 1u << order;
	for (i = 0; i < r->nr_pages; i++) {
		snprintf(node, sizeof(node), "%sring-ref%u", q, i);
		ret = kxen_xb_read_u32(dev, true, node, &r->grefs[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int kxen_blk_ring_map(struct kxen_blkif *blk, struct kxen_blkring *r)
{
	u32 i;

	for (i = 0; i < r->nr_pages; i++)
		if (kxen_gnttab_map(blk->dev->d, r->grefs[i], false,
				    &r->pages[i]) != GNTST_okay)
			return -EFAULT;
	r->sring = vmap(r->pages, r->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!r->sring)
		return -ENOMEM;
	/* BACK_RING_INIT sizes the ring by its slot: 32 of either per page. */
	r->abi32 = blk->abi32;
	if (r->abi32)
		BACK_RING_INIT(&r->ring32, (struct kxen_blkif32_sring *)r->sring,
			       r->nr_pages * PAGE_SIZE);
	else
		BACK_RING_INIT(&r->ring, r->sring, r->nr_pages * PAGE_SIZE);
	return 0;
}

/*
 * The frontend's ABI (blkif.h "protocol"): none is the native one; a
 * 32-bit frontend (GRUB's i386-xen_pvh) names "x86_32-abi".
 */
static int kxen_blk_protocol(struct kxen_blkif *blk)
{
	char *p = kxen_xb_read_str(blk->dev, true, "protocol");
	int ret = 0;

	blk->abi32 = false;
	if (IS_ERR(p))
		return PTR_ERR(p) == -ENOENT ? 0 : PTR_ERR(p);
	if (!strcmp(p, XEN_IO_PROTO_ABI_X86_32)) {
		blk->abi32 = true;
		pr_info(KXEN_PR_PREFIX "d%u vbd %u: %s ring layout\n",
			blk->dev->domid, blk->dev->devid, p);
	} else if (strcmp(p, XEN_IO_PROTO_ABI_X86_64)) {
		ret = -EPROTONOSUPPORT;
	}
	kfree(p);
	return ret;
}

/* What the frontend reads once we are Connected (Linux blkback's connect). */
static int kxen_blk_write_disk(struct kxen_blkif *blk)
{
	struct kxen_xbdev *dev = blk->dev;
	u32 info = (blk->disk.readonly ? VDISK_READONLY : 0) |
		   (blk->cdrom ? VDISK_CDROM : 0) |
		   (blk->removable ? VDISK_REMOVABLE : 0);
	int ret;

	ret = kxen_xb_write(dev, 0, "sectors", "%llu", blk->disk.sectors);
	ret = ret ?: kxen_xb_write(dev, 0, "info", "%u", info);
	ret = ret ?: kxen_xb_write(dev, 0, "sector-size", "512");
	ret = ret ?: kxen_xb_write(dev, 0, "physical-sector-size", "%u",
				   blk->file->f_mapping->host->i_blkbits >= 12 ?
				   4096 : 512);
	return ret;
}

/* Queue @i: its ring mapped, its port bound, its worker ready. */
static int kxen_blk_ring_connect(struct kxen_blkif *blk, u32 i)
{
	struct kxen_xbdev *dev = blk->dev;
	struct kxen_blkring *r;
	char q[16] = "", node[32];
	u32 port, n;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	kxen_stats_objects(1);
	r->blk = blk;
	kthread_init_delayed_work(&r->work, kxen_blk_work);
	INIT_LIST_HEAD(&r->free);
	INIT_LIST_HEAD(&r->done);
	spin_lock_init(&r->done_lock);
	init_waitqueue_head(&r->idle);
	atomic_set(&r->inflight, 0);
	blk->rings[i] = r;
	r->ios = kvcalloc(KXEN_BLK_INFLIGHT, sizeof(*r->ios), GFP_KERNEL);
	if (!r->ios)
		return -ENOMEM;
	for (n = 0; n < KXEN_BLK_INFLIGHT; n++) {
		r->ios[n].r = r;
		list_add_tail(&r->ios[n].node, &r->free);
	}
	if (blk->nr_rings > 1)
		snprintf(q, sizeof(q), "queue-%u/", i);
	r->worker = kxen_be_worker_create("kxvbd%u.%u-%u", dev->domid,
					  dev->devid, i);
	if (IS_ERR(r->worker)) {
		ret = PTR_ERR(r->worker);
		r->worker = NULL;
		kxen_xb_error(dev, ret, "starting %sworker", q);
		return ret;
	}
	ret = kxen_blk_ring_refs(blk, r, q);
	if (ret) {
		kxen_xb_error(dev, ret, "reading %sring-ref", q);
		return ret;
	}
	ret = kxen_blk_ring_map(blk, r);
	if (ret) {
		kxen_xb_error(dev, ret, "mapping %sring", q);
		return ret;
	}
	snprintf(node, sizeof(node), "%sevent-channel", q);
	ret = kxen_xb_read_u32(dev, true, node, &port);
	ret = ret ?: kxen_evtchn_be_bind(dev->d, &r->port, port, kxen_blk_kick,
					 r);
	if (ret) {
		r->port.fn = NULL;
		kxen_xb_error(dev, ret, "binding %sevent-channel", q);
	}
	return ret;
}

static int kxen_blk_connect(struct kxen_xbdev *dev)
{
	struct kxen_blkif *blk = dev->priv;
	u32 n = 1, i;
	int ret;

	ret = kxen_blk_protocol(blk);
	if (ret) {
		kxen_xb_error(dev, ret, "protocol not supported");
		return ret;
	}
	ret = kxen_xb_read_u32(dev, true, "multi-queue-num-queues", &n);
	if ((ret && ret != -ENOENT) || !n || n > blk->max_queues) {
		kxen_xb_error(dev, -EINVAL, "multi-queue-num-queues %u of %u",
			      n, blk->max_queues);
		return -EINVAL;
	}
	blk->rings = kcalloc(n, sizeof(*blk->rings), GFP_KERNEL);
	if (!blk->rings)
		return -ENOMEM;
	blk->nr_rings = n;
	for (i = 0; i < n; i++) {
		ret = kxen_blk_ring_connect(blk, i);
		if (ret)
			return ret;	/* the glue disconnects */
	}
	ret = kxen_blk_write_disk(blk);
	if (ret)
		return ret;
	/* GRUB queues requests before it waits for Connected: serve them. */
	for (i = 0; i < n; i++)
		kthread_queue_delayed_work(blk->rings[i]->worker,
					   &blk->rings[i]->work, 0);
	return 0;
}

static void kxen_blk_ring_disconnect(struct kxen_xbdev *dev,
				     struct kxen_blkring *r, u32 i)
{
	struct kxen_blkif *blk = dev->priv;

	if (r->port.fn)
		kxen_evtchn_be_unbind(dev->d, &r->port);
	/* Take no more requests; let those in flight end, and answer them. */
	WRITE_ONCE(r->stopping, true);
	if (r->worker) {
		/* A pass held back a tick runs now: the flush waits for it. */
		kthread_mod_delayed_work(r->worker, &r->work, 0);
		kthread_flush_worker(r->worker);
	}
	wait_event(r->idle, !atomic_read(&r->inflight));
	spin_lock_irq(&r->done_lock);	/* the last completion has left */
	spin_unlock_irq(&r->done_lock);
	if (r->worker) {
		kthread_cancel_delayed_work_sync(&r->work);
		kthread_destroy_worker(r->worker);
	}
	if (r->ios)
		kxen_blk_reap(r);
	kxen_blk_ring_unmap(blk, r);
	kvfree(r->ios);
	pr_info(KXEN_PR_PREFIX "d%u vbd %u: queue %u disconnected after %llu requests: %llu reads, %llu writes, %llu flushes, %llu discards, %llu errors; %llu kicks, %llu passes (%llu idle, %llu held back)\n",
		dev->domid, dev->devid, i, r->reqs, r->reads, r->writes,
		r->flushes, r->discards, r->errors, r->kicks, r->kl.passes,
		r->kl.idle_passes, r->kl.held);
	kfree(r);
	kxen_stats_objects(-1);
}

static void kxen_blk_disconnect(struct kxen_xbdev *dev)
{
	struct kxen_blkif *blk = dev->priv;
	u32 i;

	if (!blk->rings)
		return;
	for (i = 0; i < blk->nr_rings; i++)
		if (blk->rings[i])
			kxen_blk_ring_disconnect(dev, blk->rings[i], i);
	kfree(blk->rings);
	blk->rings = NULL;
	blk->nr_rings = 0;
}

/* ---- device ---- */

static struct file *kxen_blk_open(const char *path, bool ro)
{
	int flags = (ro ? O_RDONLY : O_RDWR) | O_LARGEFILE;
	struct file *f;

	/* Direct I/O where the store allows it, else the page cache. */
	f = filp_open(path, flags | O_DIRECT, 0);
	if (IS_ERR(f) && PTR_ERR(f) == -EINVAL)
		f = filp_open(path, flags, 0);
	return f;
}

static int kxen_blk_open_store(struct kxen_blkif *blk)
{
	struct kxen_xbdev *dev = blk->dev;
	struct inode *host;
	char *params;

	params = kxen_xb_read_str(dev, false, "params");
	if (IS_ERR(params)) {
		kxen_xb_error(dev, PTR_ERR(params), "reading params");
		return PTR_ERR(params);
	}
	blk->file = kxen_blk_open(params, blk->disk.readonly);
	if (IS_ERR(blk->file)) {
		kxen_xb_error(dev, PTR_ERR(blk->file), "opening %s", params);
		kfree(params);
		return PTR_ERR(blk->file);
	}
	host = blk->file->f_mapping->host;
	if (!S_ISREG(host->i_mode) && !S_ISBLK(host->i_mode)) {
		kxen_xb_error(dev, -EINVAL, "%s is no file or block device",
			      params);
		kfree(params);
		return -EINVAL;
	}
	kfree(params);
	blk->disk.sectors = i_size_read(host) >> KXEN_BLK_SECTOR_SHIFT;
	/* Hole punching: regular files the file system can punch. */
	blk->disk.discard = blk->disk.discard && S_ISREG(host->i_mode) &&
			    blk->file->f_op->fallocate;
	return 0;
}

static void kxen_blk_read_mode(struct kxen_blkif *blk)
{
	struct kxen_xbdev *dev = blk->dev;
	char *s;
	u32 v;

	s = kxen_xb_read_str(dev, false, "mode");
	blk->disk.readonly = IS_ERR(s) || !strchr(s, 'w');
	if (!IS_ERR(s))
		kfree(s);
	s = kxen_xb_read_str(dev, false, "device-type");
	blk->cdrom = !IS_ERR(s) && !strcmp(s, "cdrom");
	if (!IS_ERR(s))
		kfree(s);
	if (blk->cdrom)
		blk->disk.readonly = true;
	blk->removable = !kxen_xb_read_u32(dev, false, "removable", &v) && v;
	blk->disk.discard = kxen_xb_read_u32(dev, false, "discard-enable",
					     &v) || v;
}

/* The features blkfront reads before it connects (Linux blkback's probe). */
static int kxen_blk_write_features(struct kxen_blkif *blk)
{
	struct kxen_xbdev *dev = blk->dev;
	int ret;

	ret = kxen_xb_write(dev, 0, "feature-flush-cache", "1");
	ret = ret ?: kxen_xb_write(dev, 0, "feature-max-indirect-segments",
				   "%u", KXEN_BLK_MAX_INDIRECT_SEGS);
	ret = ret ?: kxen_xb_write(dev, 0, "feature-barrier", "1");
	ret = ret ?: kxen_xb_write(dev, 0, "max-ring-page-order", "%u",
				   KXEN_BLK_MAX_RING_ORDER);
	ret = ret ?: kxen_xb_write(dev, 0, "multi-queue-max-queues", "%u",
				   blk->max_queues);
	ret = ret ?: kxen_xb_write(dev, 0, "feature-discard", "%u",
				   blk->disk.discard);
	if (!ret && blk->disk.discard) {
		ret = kxen_xb_write(dev, 0, "discard-granularity", "4096");
		ret = ret ?: kxen_xb_write(dev, 0, "discard-alignment", "0");
		ret = ret ?: kxen_xb_write(dev, 0, "discard-secure", "0");
	}
	return ret;
}

static int kxen_blk_probe(struct kxen_xbdev *dev)
{
	struct kxen_blkif *blk;
	int ret;

	blk = kzalloc(sizeof(*blk), GFP_KERNEL);
	if (!blk)
		return -ENOMEM;
	kxen_stats_objects(1);
	blk->dev = dev;
	dev->priv = blk;
	/* A queue per guest vCPU, up to the host's CPUs (Linux: the latter). */
	blk->max_queues = min(dev->d->nr_vcpus, num_online_cpus());
	kxen_blk_read_mode(blk);
	ret = kxen_blk_open_store(blk);
	if (!ret)
		ret = kxen_blk_write_features(blk);
	if (ret) {
		if (!IS_ERR_OR_NULL(blk->file))
			fput(blk->file);
		kfree(blk);
		kxen_stats_objects(-1);
		dev->priv = NULL;
		return ret;
	}
	pr_info(KXEN_PR_PREFIX "d%u vbd %u: %llu sectors%s%s\n", dev->domid,
		dev->devid, blk->disk.sectors,
		blk->disk.readonly ? ", read-only" : "",
		blk->file->f_flags & O_DIRECT ? ", direct I/O" : "");
	return 0;
}

static void kxen_blk_remove(struct kxen_xbdev *dev)
{
	struct kxen_blkif *blk = dev->priv;

	if (!blk)
		return;
	fput(blk->file);
	kfree(blk);
	kxen_stats_objects(-1);
	dev->priv = NULL;
}

static struct kxen_xb_driver kxen_blkback = {
	.type = "vbd",
	.probe = kxen_blk_probe,
	.connect = kxen_blk_connect,
	.disconnect = kxen_blk_disconnect,
	.remove = kxen_blk_remove,
};

int kxen_blkback_init(void)
{
	int ret;

	ret = kxen_xb_register(&kxen_blkback);
	if (ret)
		kxen_xb_exit();
	return ret;
}

void kxen_blkback_exit(void)
{
	kxen_xb_unregister(&kxen_blkback);
}
