// SPDX-License-Identifier: GPL-2.0
/*
 * Zero-copy transmit, guest to host.  A packet longer than tx_copy_max
 * goes up the host's stack with the guest's granted pages as its
 * fragments; only its first KXEN_NET_TX_HEAD bytes, the headers the host
 * parses, are copied into the linear area (XSA-423/432).  Each grant
 * stays pinned, and its page referenced, until the stack frees the last
 * skb that uses them or copies their bytes (skb_copy_ubufs): the
 * ubuf_info callback.  Only then are the packet's TX responses written,
 * so the frontend reuses no buffer the host may still read.
 *
 * Where the packet goes decides whether the copy is saved: the host's
 * own sockets, a veth or a tap copy the fragments on the way
 * (skb_orphan_frags_rx), and GRO merges no zero-copy skb; a bridge to
 * another guest's vif, or a real NIC, reads the guest's pages directly.
 *
 * Lifetime: each packet (struct kxen_netzc_pkt) counts on its queue's
 * state (struct kxen_netzc), which holds a reference on the domain, so a
 * packet the stack frees after its queue is gone still unpins its grants
 * in the guest's table; the last one out frees the state.  Module unload
 * waits for every state to be gone: the callback is our code.
 */
#include <linux/slab.h>
#include <linux/wait_bit.h>

#include "../core/kxen.h"
#include "../xen/grant_table.h"
#include "xenbus_be.h"
#include "netback.h"

/*
 * Packets up to this many bytes are copied, longer ones go zero-copy;
 * docs/benchmarks.md has the measurements behind the default.
 */
static unsigned int tx_copy_max = KXEN_NET_TX_COPY_MAX;
module_param(tx_copy_max, uint, 0644);
MODULE_PARM_DESC(tx_copy_max,
		 "Guest packets up to this many bytes are copied; longer ones reach the host's stack in the guest's own pages (zero-copy)");

/* States not yet freed: module unload waits for none. */
static atomic_t kxen_netzc_live = ATOMIC_INIT(0);

struct kxen_netzc {
	spinlock_t lock;		/* @done, @q */
	struct list_head done;		/* packets the stack let go of */
	struct kxen_netq *q;		/* NULL once the queue is gone */
	struct kxen_domain *d;		/* a reference */
	/* Packets in flight, plus one while the queue holds the state. */
	atomic_t users;
	struct work_struct orphan_work;	/* @done after the queue is gone */
};

struct kxen_netzc_pkt {
	struct ubuf_info ubuf;
	struct list_head node;
	struct kxen_netzc *zc;
	s16 status;			/* for every data slot's response */
	bool copied;			/* the stack copied the fragments */
	u8 nr_slots, nr_extras, nr_grants;
	u16 ids[KXEN_NETTX_MAX_SLOTS];	/* the data slots' request ids */
	struct {
		grant_ref_t gref;
		struct page *pg;
		u16 off, len;		/* the slot's data in @pg */
	} g[KXEN_NETTX_MAX_SLOTS];
};

static struct kmem_cache *kxen_netzc_cache;

bool kxen_netzc_wanted(const struct kxen_nettx_pkt *pkt)
{
	return pkt->len > READ_ONCE(tx_copy_max) &&
	       pkt->nr_slots <= MAX_SKB_FRAGS;
}

static void kxen_netzc_unpin(struct kxen_domain *d, struct kxen_netzc_pkt *p)
{
	u32 i;

	for (i = 0; i < p->nr_grants; i++)
		kxen_gnttab_unmap(d, p->g[i].gref, true, p->g[i].pg);
	p->nr_grants = 0;
}

/* Drop a user; the last frees the state (process context). */
static void kxen_netzc_put(struct kxen_netzc *zc)
{
	if (!atomic_dec_and_test(&zc->users))
		return;
	kxen_domain_put(zc->d);
	kfree(zc);
	kxen_stats_objects(-1);
	if (atomic_dec_and_test(&kxen_netzc_live))
		wake_up_var(&kxen_netzc_live);
}

/*
 * The stack is done with the skb (any context, a hard interrupt's
 * included): hand the packet to the queue's worker, or once the queue
 * is gone to the orphan work, which unpin and answer in process context.
 */
static void kxen_netzc_callback(struct sk_buff *skb, struct ubuf_info *ubuf,
				bool zerocopy_success)
{
	struct kxen_netzc_pkt *p = container_of(ubuf, struct kxen_netzc_pkt,
						ubuf);
	struct kxen_netzc *zc = p->zc;
	unsigned long flags;

	if (!zerocopy_success)
		WRITE_ONCE(p->copied, true);
	/* Segments or clones sharing the packet each hold a count. */
	if (!refcount_dec_and_test(&ubuf->refcnt))
		return;
	spin_lock_irqsave(&zc->lock, flags);
	list_add_tail(&p->node, &zc->done);
	if (zc->q)
		kthread_mod_delayed_work(zc->q->tx_worker, &zc->q->tx_work, 0);
	else
		queue_work(kxen_net_wq, &zc->orphan_work);
	spin_unlock_irqrestore(&zc->lock, flags);
}

/* Take the packets the stack let go of. */
static void kxen_netzc_take_done(struct kxen_netzc *zc, struct list_head *l)
{
	spin_lock_irq(&zc->lock);
	list_splice_init(&zc->done, l);
	spin_unlock_irq(&zc->lock);
}

static void kxen_netzc_free(struct kxen_netzc *zc, struct kxen_netzc_pkt *p)
{
	kxen_netzc_unpin(zc->d, p);
	kmem_cache_free(kxen_netzc_cache, p);
	kxen_netzc_put(zc);
}

static void kxen_netzc_orphan_work(struct work_struct *work)
{
	struct kxen_netzc *zc = container_of(work, struct kxen_netzc,
					     orphan_work);
	struct kxen_netzc_pkt *p, *n;
	LIST_HEAD(l);

	kxen_netzc_take_done(zc, &l);
	list_for_each_entry_safe(p, n, &l, node)
		kxen_netzc_free(zc, p);	/* the last may free @zc */
}

/*
 * The queue's worker: unpin the packets the stack let go of and write
 * their responses, in the order of the packet's slots (extras NULL).
 * At most a ring's worth: each holds a request not yet answered.
 * Returns how many packets were answered.
 */
u32 kxen_netzc_reap(struct kxen_netq *q)
{
	struct kxen_netzc *zc = q->zc;
	struct kxen_netzc_pkt *p, *n;
	u32 i, done = 0;
	LIST_HEAD(l);

	/*
	 * Unlocked: a packet added after this look also queues the worker
	 * again (kxen_netzc_callback), so none is left behind.
	 */
	if (!zc || list_empty(&zc->done))
		return 0;
	kxen_netzc_take_done(zc, &l);
	list_for_each_entry_safe(p, n, &l, node) {
		kxen_net_tx_respond(q, p->ids[0], p->status);
		for (i = 0; i < p->nr_extras; i++)
			kxen_net_tx_respond(q, 0, XEN_NETIF_RSP_NULL);
		for (i = 1; i < p->nr_slots; i++)
			kxen_net_tx_respond(q, p->ids[i], p->status);
		q->st.tx_zc_copied += p->copied;
		kxen_netzc_free(zc, p);
		done++;
	}
	return done;
}

/*
 * Copy slot @p->g[@i]'s data into the linear area while it has room, and
 * what is left of it as a fragment holding its own page reference, which
 * the skb drops when it is freed.
 */
static void kxen_netzc_add(struct sk_buff *skb, struct kxen_netzc_pkt *p,
			   u32 i)
{
	struct page *pg = p->g[i].pg;
	u32 off = p->g[i].off, len = p->g[i].len;
	u32 head = min_t(u32, len, KXEN_NET_TX_HEAD - skb_headlen(skb));
	int f = skb_shinfo(skb)->nr_frags;

	/* Only while no fragment follows: skb_put() is for linear skbs. */
	if (head)
		skb_put_data(skb, page_address(pg) + off, head);
	if (head == len)
		return;
	get_page(pg);
	skb_fill_page_desc(skb, f, pg, off + head, len - head);
	skb->len += len - head;
	skb->data_len += len - head;
	skb->truesize += len - head;
}

/*
 * Pin the packet's data slots, in order, noting each one's id and data
 * (the first slot's length is what its followers leave of the packet);
 * false if a grant was refused.
 */
static bool kxen_netzc_pin(struct kxen_netq *q, const struct kxen_nettx_pkt *pkt,
			   struct kxen_netzc_pkt *p)
{
	const struct xen_netif_tx_request *r;
	u32 i;

	for (i = 0; i < pkt->nr_slots; i++) {
		r = &q->slots[i ? pkt->nr_extras + i : 0].req;
		p->ids[i] = r->id;
		p->g[i].off = r->offset;
		p->g[i].len = i ? r->size : pkt->first_len;
		if (kxen_gnttab_map(q->zc->d, r->gref, true, &p->g[i].pg) !=
		    GNTST_okay)
			return false;
		p->g[i].gref = r->gref;
		p->nr_grants++;
	}
	return true;
}

/*
 * The packet as an skb on the guest's pages, or NULL (nothing kept: the
 * caller answers it with an error).  Its responses wait for the stack.
 */
struct sk_buff *kxen_netzc_build(struct kxen_netq *q,
				 const struct kxen_nettx_pkt *pkt)
{
	struct kxen_netzc *zc = q->zc;
	struct kxen_netzc_pkt *p;
	struct sk_buff *skb;
	u32 i;

	p = kmem_cache_zalloc(kxen_netzc_cache, GFP_KERNEL);
	skb = alloc_skb(KXEN_NET_TX_HEAD + NET_IP_ALIGN, GFP_KERNEL);
	if (!p || !skb)
		goto err;
	skb_reserve(skb, NET_IP_ALIGN);
	p->nr_slots = pkt->nr_slots;
	p->nr_extras = pkt->nr_extras;
	p->status = XEN_NETIF_RSP_OKAY;
	if (!kxen_netzc_pin(q, pkt, p))
		goto err;
	for (i = 0; i < pkt->nr_slots; i++)
		kxen_netzc_add(skb, p, i);
	p->zc = zc;
	atomic_inc(&zc->users);
	p->ubuf.callback = kxen_netzc_callback;
	refcount_set(&p->ubuf.refcnt, 1);
	/* Shared: the guest may write its pages while the host reads them. */
	p->ubuf.flags = SKBFL_ZEROCOPY_FRAG;
	skb_zcopy_init(skb, &p->ubuf);
	q->st.tx_zc++;
	return skb;
err:
	if (p) {
		kxen_netzc_unpin(zc->d, p);
		kmem_cache_free(kxen_netzc_cache, p);
	}
	kfree_skb(skb);
	return NULL;
}

/* What the responses of @skb's packet say, were it dropped here. */
void kxen_netzc_set_status(struct sk_buff *skb, s16 status)
{
	struct ubuf_info *u = skb_zcopy(skb);

	if (u && u->callback == kxen_netzc_callback)
		container_of(u, struct kxen_netzc_pkt, ubuf)->status = status;
}

int kxen_netzc_attach(struct kxen_netq *q)
{
	struct kxen_netzc *zc = kzalloc(sizeof(*zc), GFP_KERNEL);

	if (!zc)
		return -ENOMEM;
	spin_lock_init(&zc->lock);
	INIT_LIST_HEAD(&zc->done);
	INIT_WORK(&zc->orphan_work, kxen_netzc_orphan_work);
	atomic_set(&zc->users, 1);
	zc->d = q->nif->dev->d;
	kref_get(&zc->d->ref);
	zc->q = q;
	q->zc = zc;
	atomic_inc(&kxen_netzc_live);
	kxen_stats_objects(1);
	return 0;
}

/*
 * The queue goes (its worker stopped): packets still in the host's
 * stack are unpinned by the orphan work when it lets go of them; their
 * responses are not written, the ring being gone.  Those already let
 * go of are unpinned here.
 */
void kxen_netzc_detach(struct kxen_netq *q)
{
	struct kxen_netzc *zc = q->zc;
	struct kxen_netzc_pkt *p, *n;
	LIST_HEAD(l);

	if (!zc)
		return;
	spin_lock_irq(&zc->lock);
	zc->q = NULL;
	spin_unlock_irq(&zc->lock);
	/* A callback may have queued the worker before it saw NULL. */
	kthread_cancel_delayed_work_sync(&q->tx_work);
	q->zc = NULL;
	kxen_netzc_take_done(zc, &l);
	list_for_each_entry_safe(p, n, &l, node)
		kxen_netzc_free(zc, p);
	if (atomic_read(&zc->users) > 1)
		pr_info(KXEN_PR_PREFIX "d%u: %d zero-copy packets still in the host's stack; their grants go when it frees them\n",
			zc->d->domid, atomic_read(&zc->users) - 1);
	kxen_netzc_put(zc);
}

int kxen_netzc_init(void)
{
	kxen_netzc_cache = KMEM_CACHE(kxen_netzc_pkt, 0);
	return kxen_netzc_cache ? 0 : -ENOMEM;
}

/* After the last vif is gone: wait for the stack to free every packet. */
void kxen_netzc_exit(void)
{
	while (!wait_var_event_timeout(&kxen_netzc_live,
				       !atomic_read(&kxen_netzc_live),
				       10 * HZ))
		pr_warn(KXEN_PR_PREFIX "unload waits for %d vif queues' zero-copy packets in the host's stack\n",
			atomic_read(&kxen_netzc_live));
	kmem_cache_destroy(kxen_netzc_cache);
}
