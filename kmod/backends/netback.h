/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-kernel network backend (Linux's xen-netback model): a host
 * netdev per guest interface, netif rings (xen/interface/io/netif.h) to
 * the guest's netfront.  netback.c is the device (xenbus handshake,
 * netdev); netback_io.c moves the packets.
 */
#ifndef KXEN_BACKENDS_NETBACK_H
#define KXEN_BACKENDS_NETBACK_H

#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>
#include <net/gro_cells.h>
#include <xen/interface/io/netif.h>

#include "../xen/backend.h"
#include "netif_req.h"
#include "kick_limit.h"

struct kxen_xbdev;
struct kxen_netif;
struct kxen_netzc;

/* Bytes queued for a guest that does not read (XSA-392): then we stop. */
#define KXEN_NET_RXQ_MAX	(512 * 1024)
/* Queues offered at most: Linux netback's xenvif_max_queues default. */
#define KXEN_NET_MAX_QUEUES	8
/* Addresses an "ip" node may list (xl's ip= is one or a few). */
#define KXEN_NET_MAX_IPS	16
/* Packets taken per pass of a worker before it lets others run. */
#define KXEN_NET_BATCH		64
/* Bytes of each guest packet copied into the skb's linear area. */
#define KXEN_NET_TX_HEAD	128
/* The most "xdp-headroom" a frontend gets: half a page of 4 KiB. */
#define KXEN_NET_XDP_HEADROOM_MAX	2048u
/* Guest packets up to this long are copied (netback_zc.c's tx_copy_max). */
#define KXEN_NET_TX_COPY_MAX	1514

struct kxen_netq_stats {
	u64 tx_packets, tx_bytes, tx_dropped, tx_errors, tx_spoofed;
	u64 rx_packets, rx_bytes, rx_dropped, rx_errors;
	u64 kicks, notifies;
	u64 tx_zc, tx_zc_copied;	/* zero-copy; of those, copied later */
};

/* One queue: a TX ring (guest to host) and an RX ring (host to guest). */
struct kxen_netq {
	struct kxen_netif *nif;
	u32 id;
	struct xen_netif_tx_back_ring tx;
	struct xen_netif_rx_back_ring rx;
	grant_ref_t tx_ref, rx_ref;
	struct page *tx_page, *rx_page;
	struct kxen_be_port tx_port, rx_port;	/* rx_port: split channels */
	/*
	 * A thread for each ring (be_worker.h), as Linux's netback has its
	 * guest-rx thread and NAPI a queue; delayed: a flood of idle kicks
	 * waits out a tick (kick_limit.h).
	 */
	struct kthread_worker *tx_worker, *rx_worker;
	struct kthread_delayed_work tx_work, rx_work;
	struct kxen_kick_limit tx_kl, rx_kl;
	struct sk_buff_head rxq;		/* waiting for guest buffers */
	u32 rxq_bytes;				/* under rxq.lock */
	u32 rxq_zc;				/* zero-copy ones queued since kxen_net_rx_orphan */
	bool broken;				/* a frontend that broke a ring */
	struct kxen_netzc *zc;			/* zero-copy packets (netback_zc.c) */
	struct kxen_netq_stats st;
	union kxen_netslot slots[KXEN_NETTX_SPAN];
};

struct kxen_netif {
	struct kxen_xbdev *dev;
	struct net_device *ndev;
	spinlock_t stats_lock;			/* queues, nr_queues, gone */
	struct kxen_netq *queues;		/* NULL: not connected */
	u32 nr_queues;
	u32 max_queues;				/* multi-queue-max-queues */
	bool connected;
	/* What the frontend can take, from its feature-* nodes. */
	bool fe_sg, fe_gso4, fe_gso6, fe_csum, fe_ipv6_csum;
	/*
	 * netif.h "xdp-headroom": bytes the frontend's XDP program wants
	 * before the data in a packet's first RX buffer (0: none).  Read
	 * at connect and on Reconfiguring; the RX worker reads it once a
	 * packet.
	 */
	u16 xdp_headroom;
	bool have_mac;
	u8 fe_mac[ETH_ALEN];			/* the guest's: the spoof filter */
	/* "ip": the IPv4 sources its frames may carry (none: any). */
	u32 nr_ips;
	__be32 ips[KXEN_NET_MAX_IPS];
	/*
	 * "rate": Xen's credit scheduler on what the guest sends, so many
	 * bytes per interval; a packet that does not fit waits for the
	 * next interval's credit (credit_timer).  credit_bytes 0: no limit.
	 */
	spinlock_t credit_lock;
	u64 credit_bytes, credit_usec, remaining;
	ktime_t window_start;
	struct hrtimer credit_timer;
	struct kxen_netq_stats gone;		/* queues disconnected */
	/* Per-CPU NAPI contexts: the guest's packets go up through GRO. */
	struct gro_cells gro;
};

extern struct workqueue_struct *kxen_net_wq;

void kxen_net_tx_work(struct kthread_work *work);
void kxen_net_rx_work(struct kthread_work *work);
netdev_tx_t kxen_net_start_xmit(struct sk_buff *skb, struct net_device *ndev);
bool kxen_net_credit_take(struct kxen_netif *nif, u32 len);
void kxen_net_credit_add(struct kxen_netif *nif);
bool kxen_net_ip_allowed(struct kxen_netif *nif, struct sk_buff *skb);
void kxen_net_tx_respond(struct kxen_netq *q, u16 id, s16 status);

/* Zero-copy transmit (netback_zc.c). */
bool kxen_netzc_wanted(const struct kxen_nettx_pkt *pkt);
struct sk_buff *kxen_netzc_build(struct kxen_netq *q,
				 const struct kxen_nettx_pkt *pkt);
void kxen_netzc_set_status(struct sk_buff *skb, s16 status);
u32 kxen_netzc_reap(struct kxen_netq *q);
int kxen_netzc_attach(struct kxen_netq *q);
void kxen_netzc_detach(struct kxen_netq *q);
int kxen_netzc_init(void);
void kxen_netzc_exit(void);

int kxen_netback_init(void);
void kxen_netback_exit(void);

#endif /* KXEN_BACKENDS_NETBACK_H */
