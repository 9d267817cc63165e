// SPDX-License-Identifier: GPL-2.0
/*
 * Packets through the netif rings (xen/interface/io/netif.h).
 *
 * Guest to host (TX): each slot is copied out of the shared ring once and
 * the packet is checked on the copies (netif_req.c) before any grant is
 * taken; its bytes are copied from the granted pages into a fresh skb,
 * the first 128 of them into the linear area whatever the slots' sizes
 * (XSA-423/432), and the skb goes up the host's stack from the device,
 * a pass's packets together through GRO (netback.c's gro_cells).  A
 * packet longer than tx_copy_max goes up in the guest's own pages
 * instead, its responses written once the stack lets go of them
 * (netback_zc.c).
 *
 * Host to guest (RX, feature-rx-copy): what the host's stack transmits
 * on the device waits in a queue capped in bytes (XSA-392) until the
 * guest has posted enough buffers, then is copied into its granted
 * pages, a page a slot.
 *
 * Every loop over a ring is bounded by the ring's size and a batch; a
 * producer index that runs more than a ring ahead marks the ring broken.
 */
#include <linux/etherdevice.h>
#include <linux/highmem.h>
#include <linux/if_vlan.h>
#include <net/ip.h>

#include "../core/kxen.h"
#include "../xen/grant_table.h"
#include "xenbus_be.h"
#include "netback.h"

static void kxen_net_broken(struct kxen_netq *q, const char *why)
{
	struct kxen_xbdev *dev = q->nif->dev;

	WRITE_ONCE(q->broken, true);
	pr_warn_ratelimited(KXEN_PR_PREFIX "d%u vif %u: queue %u: %s; the queue stops\n",
			    dev->domid, dev->devid, q->id, why);
}

/* ---- guest to host ---- */

void kxen_net_tx_respond(struct kxen_netq *q, u16 id, s16 status)
{
	struct xen_netif_tx_response *rsp;

	rsp = RING_GET_RESPONSE(&q->tx, q->tx.rsp_prod_pvt);
	rsp->id = id;
	rsp->status = status;
	q->tx.rsp_prod_pvt++;
}

/* One response per slot of the packet, extras NULL, in ring order. */
static void kxen_net_tx_answer(struct kxen_netq *q,
			       const struct kxen_nettx_pkt *pkt, s16 status)
{
	u32 i, n = pkt->nr_slots + pkt->nr_extras;

	for (i = 0; i < n; i++) {
		if (kxen_nettx_is_extra(pkt, i))
			kxen_net_tx_respond(q, 0, XEN_NETIF_RSP_NULL);
		else
			kxen_net_tx_respond(q, q->slots[i].req.id, status);
	}
}

/* Copy @len bytes of granted frame @gref at @off into @skb at @at. */
static int kxen_net_tx_copy(struct kxen_netq *q, struct sk_buff *skb,
			    u32 at, grant_ref_t gref, u16 off, u16 len)
{
	struct kxen_domain *d = q->nif->dev->d;
	struct page *pg;
	int ret;

	if (!len)
		return 0;
	if (kxen_gnttab_map(d, gref, true, &pg) != GNTST_okay)
		return -EFAULT;
	ret = skb_store_bits(skb, at, page_address(pg) + off, len);
	kxen_gnttab_unmap(d, gref, true, pg);
	return ret;
}

static struct sk_buff *kxen_net_tx_alloc(u32 len)
{
	u32 head = min_t(u32, len, KXEN_NET_TX_HEAD);
	struct sk_buff *skb;
	int err;

	skb = alloc_skb_with_frags(head + NET_IP_ALIGN, len - head, 0, &err,
				   GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	skb_put(skb, head);
	skb->data_len = len - head;
	skb->len += len - head;
	return skb;
}

/* The packet's bytes, slot after slot, into a new skb. */
static struct sk_buff *kxen_net_tx_build(struct kxen_netq *q,
					 const struct kxen_nettx_pkt *pkt)
{
	const struct xen_netif_tx_request *r = &q->slots[0].req;
	struct sk_buff *skb = kxen_net_tx_alloc(pkt->len);
	u32 at, i;

	if (!skb)
		return NULL;
	if (kxen_net_tx_copy(q, skb, 0, r->gref, r->offset, pkt->first_len))
		goto err;
	at = pkt->first_len;
	for (i = 1; i < pkt->nr_slots; i++) {
		r = &q->slots[pkt->nr_extras + i].req;
		if (kxen_net_tx_copy(q, skb, at, r->gref, r->offset, r->size))
			goto err;
		at += r->size;
	}
	return skb;
err:
	kfree_skb(skb);
	return NULL;
}

/* Offloads the guest asked for: checksum to complete, segmentation. */
static int kxen_net_tx_offloads(struct sk_buff *skb,
				const struct kxen_nettx_pkt *pkt)
{
	if (pkt->csum_blank) {
		if (skb_checksum_setup(skb, true))
			return -EPROTO;
	} else if (pkt->data_validated) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	if (pkt->gso_type) {
		skb_shinfo(skb)->gso_size = pkt->gso_size;
		skb_shinfo(skb)->gso_type = SKB_GSO_DODGY |
			(pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 ?
			 SKB_GSO_TCPV4 : SKB_GSO_TCPV6);
		skb_shinfo(skb)->gso_segs = 0;	/* the stack counts them */
	}
	return 0;
}

/* A frame whose source is not the guest's own MAC is dropped. */
static bool kxen_net_tx_spoofed(struct kxen_netif *nif, struct sk_buff *skb)
{
	return nif->have_mac &&
	       !ether_addr_equal(eth_hdr(skb)->h_source, nif->fe_mac);
}

/* The response status of a zero-copy packet: written when the stack is done. */
#define KXEN_NET_TX_DEFERRED	1

/* @skb will not go up: its status, now or when its pages come back. */
static s16 kxen_net_tx_drop(struct sk_buff *skb, bool zc, s16 status)
{
	if (zc)
		kxen_netzc_set_status(skb, status);
	kfree_skb(skb);
	return zc ? KXEN_NET_TX_DEFERRED : status;
}

/*
 * Build one checked packet and queue it on @up for the host; the
 * response status, or KXEN_NET_TX_DEFERRED for a zero-copy packet.
 */
static s16 kxen_net_tx_deliver(struct kxen_netq *q,
			       const struct kxen_nettx_pkt *pkt,
			       struct sk_buff_head *up)
{
	struct kxen_netif *nif = q->nif;
	bool zc = q->zc && kxen_netzc_wanted(pkt);
	struct sk_buff *skb = zc ? kxen_netzc_build(q, pkt) :
				   kxen_net_tx_build(q, pkt);

	if (!skb) {
		q->st.tx_errors++;
		return XEN_NETIF_RSP_ERROR;
	}
	skb->dev = nif->ndev;
	skb_reset_mac_header(skb);
	if (kxen_net_tx_spoofed(nif, skb)) {
		q->st.tx_spoofed++;	/* as a switch would: gone */
		return kxen_net_tx_drop(skb, zc, XEN_NETIF_RSP_OKAY);
	}
	skb->protocol = eth_type_trans(skb, nif->ndev);
	skb_reset_network_header(skb);
	if (!kxen_net_ip_allowed(nif, skb)) {
		q->st.tx_spoofed++;
		return kxen_net_tx_drop(skb, zc, XEN_NETIF_RSP_OKAY);
	}
	if (kxen_net_tx_offloads(skb, pkt)) {
		q->st.tx_errors++;
		return kxen_net_tx_drop(skb, zc, XEN_NETIF_RSP_ERROR);
	}
	q->st.tx_packets++;
	q->st.tx_bytes += skb->len;
	skb_record_rx_queue(skb, q->id);
	__skb_queue_tail(up, skb);
	return zc ? KXEN_NET_TX_DEFERRED : XEN_NETIF_RSP_OKAY;
}

/*
 * A pass's packets up the host's stack at once: each into this CPU's
 * GRO cell, whose NAPI poll runs as bottom halves come back on and
 * merges a TCP stream's segments before the stack sees them.
 */
static void kxen_net_tx_up(struct kxen_netif *nif, struct sk_buff_head *up)
{
	struct sk_buff *skb;

	if (skb_queue_empty(up))
		return;
	local_bh_disable();
	while ((skb = __skb_dequeue(up)))
		gro_cells_receive(&nif->gro, skb);
	local_bh_enable();
}

/*
 * Copy the slots of the next packet out of the ring: its first, and only
 * when that one says more follow, up to a packet's span; the verdict on
 * the copies.
 */
static enum kxen_nettx_verdict kxen_net_tx_next(struct kxen_netq *q, u32 prod,
						struct kxen_nettx_pkt *pkt)
{
	u32 avail = min_t(u32, prod - q->tx.req_cons, KXEN_NETTX_SPAN), i;

	memcpy(&q->slots[0], RING_GET_REQUEST(&q->tx, q->tx.req_cons),
	       sizeof(q->slots[0]));
	if (!(q->slots[0].req.flags &
	      (KXEN_NETTXF_MORE_DATA | KXEN_NETTXF_EXTRA_INFO)))
		avail = 1;	/* a one-slot packet, the common case */
	for (i = 1; i < avail; i++)
		memcpy(&q->slots[i], RING_GET_REQUEST(&q->tx, q->tx.req_cons + i),
		       sizeof(q->slots[i]));
	return kxen_nettx_parse(q->slots, avail, pkt);
}

/* One pass over the TX ring: true if there may be more to do. */
static bool kxen_net_tx_pass(struct kxen_netq *q, bool *notify)
{
	struct kxen_nettx_pkt pkt;
	enum kxen_nettx_verdict v;
	struct sk_buff_head up;
	u32 prod, done = 0;
	bool limited = false;
	s16 status;

	__skb_queue_head_init(&up);
	prod = READ_ONCE(q->tx.sring->req_prod);
	virt_rmb();	/* the slots after the index that covers them */
	if (prod - q->tx.req_cons > RING_SIZE(&q->tx)) {
		kxen_net_broken(q, "TX producer index a ring ahead");
		/* Zero-copy packets reaped before are answered all the same. */
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->tx, *notify);
		return false;
	}
	while (q->tx.req_cons != prod && done < KXEN_NET_BATCH) {
		v = kxen_net_tx_next(q, prod, &pkt);
		if (v == KXEN_NETTX_MORE)
			break;		/* the rest is not written yet */
		if (v == KXEN_NETTX_FATAL) {
			/* What came before it is answered all the same. */
			kxen_net_broken(q, pkt.why);
			break;
		}
		if (v == KXEN_NETTX_OK &&
		    !kxen_net_credit_take(q->nif, pkt.len)) {
			limited = true;	/* the credit timer kicks us */
			break;
		}
		if (v == KXEN_NETTX_OK) {
			status = kxen_net_tx_deliver(q, &pkt, &up);
		} else {
			q->st.tx_dropped++;
			status = XEN_NETIF_RSP_ERROR;
		}
		if (status != KXEN_NET_TX_DEFERRED)
			kxen_net_tx_answer(q, &pkt, status);
		q->tx.req_cons += pkt.nr_slots + pkt.nr_extras;
		done++;
	}
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->tx, *notify);
	kxen_net_tx_up(q->nif, &up);
	if (limited || READ_ONCE(q->broken))
		return false;
	if (done == KXEN_NET_BATCH)
		return true;
	/*
	 * Ask for a kick at the next request past what we saw (a packet
	 * half written waits for its rest), then look once more.
	 */
	WRITE_ONCE(q->tx.sring->req_event, prod + 1);
	virt_mb();	/* req_event before we look at req_prod again */
	return READ_ONCE(q->tx.sring->req_prod) != prod;
}

/*
 * After a pass: tell the guest if the ring says so; go on if asked, or
 * after the rest of this tick when the guest's kicks keep bringing the
 * worker back for nothing (@idle: the pass did nothing).
 */
static void kxen_net_pass_end(struct kxen_netq *q, bool notify, bool more,
			      bool idle, struct kxen_be_port *port,
			      struct kthread_worker *kw,
			      struct kthread_delayed_work *w,
			      struct kxen_kick_limit *kl)
{
	if (notify) {
		q->st.notifies++;
		kxen_evtchn_be_notify(q->nif->dev->d, port);
	}
	kxen_kick_pass_done(kl, kw, w, more, idle);
}

void kxen_net_tx_work(struct kthread_work *work)
{
	struct kxen_netq *q = container_of(work, struct kxen_netq,
					   tx_work.work);
	RING_IDX taken = q->tx.req_cons;
	bool notify = false, more;
	u32 reaped;

	if (READ_ONCE(q->broken))
		return;
	/* First the zero-copy packets the stack let go of: their answers. */
	reaped = kxen_netzc_reap(q);
	more = kxen_net_tx_pass(q, &notify);
	kxen_net_pass_end(q, notify, more, q->tx.req_cons == taken && !reaped,
			  &q->tx_port, q->tx_worker, &q->tx_work, &q->tx_kl);
}

/* ---- host to guest ---- */

/*
 * Slots @skb takes in the guest's RX ring: a page each, the first less
 * the XDP headroom @hr; the GSO extra, and the XDP one with a headroom.
 */
static u32 kxen_net_rx_slots(const struct sk_buff *skb, u16 hr)
{
	u32 first = PAGE_SIZE - hr;

	return 1 + (skb->len > first ?
		    DIV_ROUND_UP(skb->len - first, PAGE_SIZE) : 0) +
	       (skb_is_gso(skb) ? 1 : 0) + (hr ? 1 : 0);
}

static u16 kxen_net_rx_csum_flags(const struct sk_buff *skb)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		return XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated;
	if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		return XEN_NETRXF_data_validated;
	return 0;
}

/*
 * The next extra, in the response slots after the first (netif.h), each
 * using up a buffer too; @more: another follows
 * (XEN_NETIF_EXTRA_FLAG_MORE).
 */
static struct xen_netif_extra_info *kxen_net_rx_extra(struct kxen_netq *q,
						      u8 type, bool more)
{
	struct xen_netif_extra_info *e;

	e = (void *)RING_GET_RESPONSE(&q->rx, q->rx.rsp_prod_pvt);
	memset(e, 0, sizeof(struct xen_netif_rx_response));
	e->type = type;
	e->flags = more ? XEN_NETIF_EXTRA_FLAG_MORE : 0;
	q->rx.rsp_prod_pvt++;
	q->rx.req_cons++;
	return e;
}

/* The extras of a packet: GSO, then the XDP headroom @hr if any. */
static void kxen_net_rx_extras(struct kxen_netq *q, const struct sk_buff *skb,
			       u16 hr)
{
	struct xen_netif_extra_info *e;

	if (skb_is_gso(skb)) {
		e = kxen_net_rx_extra(q, XEN_NETIF_EXTRA_TYPE_GSO, hr);
		e->u.gso.size = skb_shinfo(skb)->gso_size;
		e->u.gso.type = skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6 ?
				XEN_NETIF_GSO_TYPE_TCPV6 :
				XEN_NETIF_GSO_TYPE_TCPV4;
	}
	if (hr)
		kxen_net_rx_extra(q, XEN_NETIF_EXTRA_TYPE_XDP, false)->u.xdp.headroom = hr;
}

/*
 * Copy what fits of @skb from @off into the next guest buffer, from its
 * byte @at on (the XDP headroom in a packet's first).
 */
static int kxen_net_rx_slot(struct kxen_netq *q, const struct sk_buff *skb,
			    u32 off, u16 at, u16 flags)
{
	struct kxen_domain *d = q->nif->dev->d;
	struct xen_netif_rx_request req;
	struct xen_netif_rx_response *rsp;
	u32 n = min_t(u32, skb->len - off, PAGE_SIZE - at);
	struct page *pg;
	s16 status = n;

	memcpy(&req, RING_GET_REQUEST(&q->rx, q->rx.req_cons), sizeof(req));
	q->rx.req_cons++;
	if (kxen_gnttab_map(d, req.gref, false, &pg) != GNTST_okay) {
		status = XEN_NETIF_RSP_ERROR;
	} else {
		if (skb_copy_bits(skb, off, page_address(pg) + at, n))
			status = XEN_NETIF_RSP_ERROR;
		kxen_gnttab_unmap(d, req.gref, false, pg);
	}
	rsp = RING_GET_RESPONSE(&q->rx, q->rx.rsp_prod_pvt);
	rsp->id = req.id;
	rsp->offset = at;
	rsp->flags = flags | (off + n < skb->len ? XEN_NETRXF_more_data : 0);
	rsp->status = status;
	q->rx.rsp_prod_pvt++;
	return status < 0 ? -EFAULT : n;
}

/*
 * One packet into buffers the caller has checked are there: the first
 * from the XDP headroom @hr on, then the extras, then the rest.
 */
static void kxen_net_rx_one(struct kxen_netq *q, struct sk_buff *skb, u16 hr)
{
	u16 flags = kxen_net_rx_csum_flags(skb);
	bool bad;
	u32 off;
	int n;

	if (skb_is_gso(skb) || hr)
		flags |= XEN_NETRXF_extra_info;
	n = kxen_net_rx_slot(q, skb, 0, hr, flags);
	kxen_net_rx_extras(q, skb, hr);
	bad = n < 0;
	off = n < 0 ? PAGE_SIZE - hr : n;
	while (off < skb->len) {
		n = kxen_net_rx_slot(q, skb, off, 0, 0);
		bad |= n < 0;
		off += n < 0 ? PAGE_SIZE : n;
	}
	if (bad) {
		q->st.rx_errors++;
	} else {
		q->st.rx_packets++;
		q->st.rx_bytes += skb->len;
	}
}

/*
 * A packet the guest cannot take as it is: a checksum it did not offer
 * to complete is done here; one bigger than its first buffer (a page
 * less the XDP headroom @hr) needs feature-sg.
 */
static int kxen_net_rx_fixup(struct kxen_netif *nif, struct sk_buff *skb,
			     u16 hr)
{
	bool v6 = skb->protocol == htons(ETH_P_IPV6);

	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    (!nif->fe_csum || (v6 && !nif->fe_ipv6_csum)) &&
	    skb_checksum_help(skb))
		return -EINVAL;
	if (!nif->fe_sg && skb->len > PAGE_SIZE - hr)
		return -EMSGSIZE;
	return 0;
}

/* Buffers the guest posted and we have not used; at most a ring. */
static u32 kxen_net_rx_avail(struct kxen_netq *q, u32 *prod)
{
	*prod = READ_ONCE(q->rx.sring->req_prod);
	virt_rmb();	/* the requests after the index that covers them */
	return *prod - q->rx.req_cons;
}

/* Whether @need buffers are there; if not, a kick when they are. */
static bool kxen_net_rx_room(struct kxen_netq *q, u32 need)
{
	u32 prod;

	if (kxen_net_rx_avail(q, &prod) >= need)
		return true;
	WRITE_ONCE(q->rx.sring->req_event, q->rx.req_cons + need);
	virt_mb();	/* req_event before we look at req_prod again */
	return kxen_net_rx_avail(q, &prod) >= need;
}

static struct sk_buff *kxen_net_rx_dequeue(struct kxen_netq *q)
{
	struct net_device *ndev = q->nif->ndev;
	struct sk_buff *skb;

	spin_lock_bh(&q->rxq.lock);
	skb = __skb_dequeue(&q->rxq);
	if (skb)
		q->rxq_bytes -= skb->len;
	if (q->rxq_bytes < KXEN_NET_RXQ_MAX / 2 &&
	    __netif_subqueue_stopped(ndev, q->id))
		netif_wake_subqueue(ndev, q->id);
	spin_unlock_bh(&q->rxq.lock);
	return skb;
}

/*
 * The guest has no room for what waits: another guest's zero-copy pages
 * must not wait on this one (they hold back that guest's responses), so
 * their bytes are copied now, or the packet is dropped if that fails.
 * Only when such a packet came in since the last look.
 */
static void kxen_net_rx_orphan(struct kxen_netq *q)
{
	struct sk_buff *skb, *tmp;

	spin_lock_bh(&q->rxq.lock);
	if (!q->rxq_zc)
		goto out;
	skb_queue_walk_safe(&q->rxq, skb, tmp) {
		if (!skb_orphan_frags(skb, GFP_ATOMIC))
			continue;
		__skb_unlink(skb, &q->rxq);
		q->rxq_bytes -= skb->len;
		q->st.rx_dropped++;
		kfree_skb(skb);
	}
	q->rxq_zc = 0;
out:
	spin_unlock_bh(&q->rxq.lock);
}

/* One pass over the queued packets: true if there may be more to do. */
static bool kxen_net_rx_pass(struct kxen_netq *q, bool *notify)
{
	struct sk_buff *skb;
	u32 done = 0, prod;
	u16 hr;

	if (kxen_net_rx_avail(q, &prod) > RING_SIZE(&q->rx)) {
		kxen_net_broken(q, "RX producer index a ring ahead");
		return false;
	}
	while (done < KXEN_NET_BATCH) {
		spin_lock_bh(&q->rxq.lock);
		skb = skb_peek(&q->rxq);	/* only this worker dequeues */
		spin_unlock_bh(&q->rxq.lock);
		if (!skb)
			break;
		hr = READ_ONCE(q->nif->xdp_headroom);
		if (!kxen_net_rx_room(q, kxen_net_rx_slots(skb, hr))) {
			kxen_net_rx_orphan(q);
			break;
		}
		skb = kxen_net_rx_dequeue(q);
		if (kxen_net_rx_fixup(q->nif, skb, hr))
			q->st.rx_dropped++;
		else
			kxen_net_rx_one(q, skb, hr);
		consume_skb(skb);
		done++;
	}
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->rx, *notify);
	return done == KXEN_NET_BATCH;
}

void kxen_net_rx_work(struct kthread_work *work)
{
	struct kxen_netq *q = container_of(work, struct kxen_netq,
					   rx_work.work);
	RING_IDX answered = q->rx.rsp_prod_pvt;
	u64 dropped = q->st.rx_dropped;
	bool notify = false, more;

	if (READ_ONCE(q->broken))
		return;
	more = kxen_net_rx_pass(q, &notify);
	/* One channel for both rings unless the frontend split them. */
	kxen_net_pass_end(q, notify, more,
			  q->rx.rsp_prod_pvt == answered &&
			  q->st.rx_dropped == dropped,
			  q->rx_port.fn ? &q->rx_port : &q->tx_port,
			  q->rx_worker, &q->rx_work, &q->rx_kl);
}

/*
 * The host's stack sends on the device: queue for the guest, up to
 * KXEN_NET_RXQ_MAX bytes; past that the queue stops until the guest
 * has read half of it.
 */
netdev_tx_t kxen_net_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct kxen_netif *nif = netdev_priv(ndev);
	u16 i = skb_get_queue_mapping(skb);
	struct kxen_netq *q;

	if (!READ_ONCE(nif->connected) || i >= nif->nr_queues) {
		dev_kfree_skb_any(skb);
		ndev->stats.tx_dropped++;
		return NETDEV_TX_OK;
	}
	q = &nif->queues[i];
	if (kxen_net_rx_slots(skb, READ_ONCE(nif->xdp_headroom)) >
	    RING_SIZE(&q->rx)) {
		dev_kfree_skb_any(skb);
		q->st.rx_dropped++;
		return NETDEV_TX_OK;
	}
	skb_orphan(skb);	/* the sender's socket need not wait on the guest */
	spin_lock(&q->rxq.lock);
	__skb_queue_tail(&q->rxq, skb);
	q->rxq_bytes += skb->len;
	q->rxq_zc += !!skb_zcopy(skb);
	if (q->rxq_bytes >= KXEN_NET_RXQ_MAX)
		netif_stop_subqueue(ndev, i);
	spin_unlock(&q->rxq.lock);
	/* At once, even while the guest's kicks are held back. */
	kthread_mod_delayed_work(q->rx_worker, &q->rx_work, 0);
	return NETDEV_TX_OK;
}
