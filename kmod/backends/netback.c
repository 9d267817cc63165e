// SPDX-License-Identifier: GPL-2.0
/*
 * The network backend's device side (see netback.h): a host netdev per
 * guest interface, "vif<domid>.<devid>" or the toolstack's "vifname",
 * created when the toolstack's backend directory appears, so that the
 * toolstack can bridge it; the rings are connected when netfront is
 * Connected, and we report Connected ourselves only once the toolstack
 * says the interface is plugged in ("hotplug-status" = "connected", as
 * Xen's vif scripts write it; the glue waits for it).
 *
 * Offered, as Linux's netback offers them: rx-copy, scatter-gather, TCP
 * segmentation offload both ways, IPv6 checksum offload, split event
 * channels, and a queue (a pair of rings, a worker each) per host CPU up
 * to 8, as Linux's xenvif_max_queues defaults to, and the headroom an
 * XDP program in the guest asks for (Reconfiguring).  What the guest sends
 * goes up zero-copy past tx_copy_max bytes (netback_zc.c).
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/inet.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "../core/kxen.h"
#include "../xen/grant_table.h"
#include "xenbus_be.h"
#include "be_worker.h"
#include "netback.h"

/* For zero-copy packets the stack frees after their queue is gone. */
struct workqueue_struct *kxen_net_wq;

/* ---- the host netdev ---- */

static int kxen_net_open(struct net_device *ndev)
{
	netif_tx_start_all_queues(ndev);
	return 0;
}

static int kxen_net_stop(struct net_device *ndev)
{
	netif_tx_stop_all_queues(ndev);
	return 0;
}

static void kxen_net_add_stats(struct kxen_netq_stats *sum,
			       const struct kxen_netq_stats *s)
{
	sum->tx_packets += s->tx_packets;
	sum->tx_bytes += s->tx_bytes;
	sum->tx_dropped += s->tx_dropped + s->tx_spoofed;
	sum->tx_errors += s->tx_errors;
	sum->rx_packets += s->rx_packets;
	sum->rx_bytes += s->rx_bytes;
	sum->rx_dropped += s->rx_dropped;
	sum->rx_errors += s->rx_errors;
}

/*
 * The device's view is the host's: what the guest transmits is received
 * here (rx_*), what the host sends the guest is transmitted (tx_*).
 */
static void kxen_net_get_stats64(struct net_device *ndev,
				 struct rtnl_link_stats64 *out)
{
	struct kxen_netif *nif = netdev_priv(ndev);
	struct kxen_netq_stats sum;
	u32 i;

	spin_lock_bh(&nif->stats_lock);
	sum = nif->gone;
	for (i = 0; i < nif->nr_queues && nif->queues; i++)
		kxen_net_add_stats(&sum, &nif->queues[i].st);
	spin_unlock_bh(&nif->stats_lock);
	out->rx_packets = sum.tx_packets;
	out->rx_bytes = sum.tx_bytes;
	out->rx_dropped = sum.tx_dropped;
	out->rx_errors = sum.tx_errors;
	out->tx_packets = sum.rx_packets;
	out->tx_bytes = sum.rx_bytes;
	out->tx_dropped = sum.rx_dropped + ndev->stats.tx_dropped;
	out->tx_errors = sum.rx_errors;
}

/* What the guest can take decides what the host's stack may hand us. */
static netdev_features_t kxen_net_fix_features(struct net_device *ndev,
					       netdev_features_t f)
{
	struct kxen_netif *nif = netdev_priv(ndev);

	if (!nif->fe_sg)
		f &= ~NETIF_F_SG;
	if (!nif->fe_csum)
		f &= ~NETIF_F_IP_CSUM;
	if (!nif->fe_ipv6_csum)
		f &= ~NETIF_F_IPV6_CSUM;
	if (!nif->fe_gso4)
		f &= ~NETIF_F_TSO;
	if (!nif->fe_gso6)
		f &= ~NETIF_F_TSO6;
	return f;
}

/* Up to 64 KiB with scatter-gather, one page's worth without. */
static int kxen_net_change_mtu(struct net_device *ndev, int mtu)
{
	struct kxen_netif *nif = netdev_priv(ndev);
	int max = nif->fe_sg ? 65535 - VLAN_ETH_HLEN : ETH_DATA_LEN;

	if (mtu > max)
		return -EINVAL;
	ndev->mtu = mtu;
	return 0;
}

/*
 * The guest's packets come up from a worker in process context, where
 * there is no NAPI poll to merge them: gro_cells gives each CPU one
 * (as tunnels use it), fed a pass's worth at a time (netback_io.c).
 */
static int kxen_net_init(struct net_device *ndev)
{
	struct kxen_netif *nif = netdev_priv(ndev);

	return kxen_fault_inject() ? -ENOMEM : gro_cells_init(&nif->gro, ndev);
}

static void kxen_net_uninit(struct net_device *ndev)
{
	struct kxen_netif *nif = netdev_priv(ndev);

	gro_cells_destroy(&nif->gro);
}

static const struct net_device_ops kxen_net_ops = {
	.ndo_init = kxen_net_init,
	.ndo_uninit = kxen_net_uninit,
	.ndo_open = kxen_net_open,
	.ndo_stop = kxen_net_stop,
	.ndo_start_xmit = kxen_net_start_xmit,
	.ndo_get_stats64 = kxen_net_get_stats64,
	.ndo_fix_features = kxen_net_fix_features,
	.ndo_change_mtu = kxen_net_change_mtu,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void kxen_net_setup(struct net_device *ndev)
{
	/* Xen's vif convention: the host side never originates frames. */
	static const u8 host_mac[ETH_ALEN] = {
		0xfe, 0xff, 0xff, 0xff, 0xff, 0xff
	};

	ether_setup(ndev);
	ndev->netdev_ops = &kxen_net_ops;
	ndev->needs_free_netdev = false;
	ndev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			    NETIF_F_TSO | NETIF_F_TSO6;
	ndev->features = ndev->hw_features | NETIF_F_RXCSUM;
	ndev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = 65535 - VLAN_ETH_HLEN;
	ndev->tx_queue_len = 1000;
	eth_hw_addr_set(ndev, host_mac);
}

/* ---- rings and event channels ---- */

static void kxen_net_kick_tx(void *arg)
{
	struct kxen_netq *q = arg;

	q->st.kicks++;
	/* Pending while a flood of idle kicks waits out a tick: no-ops. */
	kthread_queue_delayed_work(q->tx_worker, &q->tx_work, 0);
	if (!q->rx_port.fn)	/* one channel for both rings */
		kthread_queue_delayed_work(q->rx_worker, &q->rx_work, 0);
}

static void kxen_net_kick_rx(void *arg)
{
	struct kxen_netq *q = arg;

	q->st.kicks++;
	kthread_queue_delayed_work(q->rx_worker, &q->rx_work, 0);
}

/* A ring page, granted writable (we write the responses). */
static int kxen_net_map_ring(struct kxen_netif *nif, const char *q,
			     const char *node, grant_ref_t *ref,
			     struct page **pg)
{
	struct kxen_xbdev *dev = nif->dev;
	char path[32];
	int ret;

	snprintf(path, sizeof(path), "%s%s", q, node);
	ret = kxen_xb_read_u32(dev, true, path, ref);
	if (ret) {
		kxen_xb_error(dev, ret, "reading %s", path);
		return ret;
	}
	if (kxen_gnttab_map(dev->d, *ref, false, pg) != GNTST_okay) {
		*pg = NULL;
		kxen_xb_error(dev, -EFAULT, "mapping %s %u", path, *ref);
		return -EFAULT;
	}
	return 0;
}

/* "event-channel", or with split channels "event-channel-tx"/"-rx". */
static int kxen_net_bind(struct kxen_netq *q, const char *qp)
{
	struct kxen_xbdev *dev = q->nif->dev;
	char node[40];
	u32 tx, rx;
	int ret;

	snprintf(node, sizeof(node), "%sevent-channel-tx", qp);
	ret = kxen_xb_read_u32(dev, true, node, &tx);
	if (ret == -ENOENT) {
		snprintf(node, sizeof(node), "%sevent-channel", qp);
		ret = kxen_xb_read_u32(dev, true, node, &tx);
		rx = 0;
	} else if (!ret) {
		snprintf(node, sizeof(node), "%sevent-channel-rx", qp);
		ret = kxen_xb_read_u32(dev, true, node, &rx);
	}
	ret = ret ?: kxen_evtchn_be_bind(dev->d, &q->tx_port, tx,
					 kxen_net_kick_tx, q);
	if (ret) {
		q->tx_port.fn = NULL;
		kxen_xb_error(dev, ret, "binding %s", node);
		return ret;
	}
	if (!rx)
		return 0;
	ret = kxen_evtchn_be_bind(dev->d, &q->rx_port, rx, kxen_net_kick_rx, q);
	if (ret) {
		q->rx_port.fn = NULL;
		kxen_xb_error(dev, ret, "binding %s", node);
	}
	return ret;
}

/* The queue's TX and RX threads: kxvif<D>.<N>-<Q>t and ...r. */
static int kxen_net_queue_workers(struct kxen_netq *q)
{
	struct kxen_xbdev *dev = q->nif->dev;
	struct kthread_worker *w;

	w = kxen_be_worker_create("kxvif%u.%u-%ut", dev->domid, dev->devid,
				  q->id);
	if (IS_ERR(w))
		return PTR_ERR(w);
	q->tx_worker = w;
	w = kxen_be_worker_create("kxvif%u.%u-%ur", dev->domid, dev->devid,
				  q->id);
	if (IS_ERR(w))
		return PTR_ERR(w);
	q->rx_worker = w;
	return 0;
}

static int kxen_net_queue_connect(struct kxen_netif *nif, u32 i)
{
	struct kxen_netq *q = &nif->queues[i];
	char qp[16] = "";
	int ret;

	q->nif = nif;
	q->id = i;
	kthread_init_delayed_work(&q->tx_work, kxen_net_tx_work);
	kthread_init_delayed_work(&q->rx_work, kxen_net_rx_work);
	skb_queue_head_init(&q->rxq);
	if (nif->nr_queues > 1)
		snprintf(qp, sizeof(qp), "queue-%u/", i);
	ret = kxen_net_queue_workers(q);
	if (ret) {
		kxen_xb_error(nif->dev, ret, "starting %sworkers", qp);
		return ret;
	}
	ret = kxen_net_map_ring(nif, qp, "tx-ring-ref", &q->tx_ref,
				&q->tx_page);
	if (ret)
		return ret;
	BACK_RING_INIT(&q->tx, (struct xen_netif_tx_sring *)
		       page_address(q->tx_page), PAGE_SIZE);
	ret = kxen_net_map_ring(nif, qp, "rx-ring-ref", &q->rx_ref,
				&q->rx_page);
	if (ret)
		return ret;
	BACK_RING_INIT(&q->rx, (struct xen_netif_rx_sring *)
		       page_address(q->rx_page), PAGE_SIZE);
	ret = kxen_netzc_attach(q);
	if (ret)
		return ret;
	return kxen_net_bind(q, qp);
}

/*
 * The frontend's "xdp-headroom" (netif.h): absent or malformed is none,
 * as in Linux's netback.  netif.h allows up to 0x7fff; past half a page
 * a packet's first buffer would keep too little room for the headers,
 * so that much is all it gets.
 */
static void kxen_net_read_xdp(struct kxen_netif *nif)
{
	struct kxen_xbdev *dev = nif->dev;
	u32 hr;

	if (kxen_xb_read_u32(dev, true, "xdp-headroom", &hr))
		hr = 0;
	if (hr > KXEN_NET_XDP_HEADROOM_MAX) {
		pr_warn_ratelimited(KXEN_PR_PREFIX "d%u vif %u: xdp-headroom %u taken as %u\n",
				    dev->domid, dev->devid, hr,
				    KXEN_NET_XDP_HEADROOM_MAX);
		hr = KXEN_NET_XDP_HEADROOM_MAX;
	}
	WRITE_ONCE(nif->xdp_headroom, hr);
}

/* netfront attached or detached an XDP program: its new headroom. */
static void kxen_net_reconfigure(struct kxen_xbdev *dev)
{
	kxen_net_read_xdp(dev->priv);
}

/* A frontend feature node: 0 when absent. */
static bool kxen_net_fe_flag(struct kxen_netif *nif, const char *node)
{
	u32 v;

	return !kxen_xb_read_u32(nif->dev, true, node, &v) && v;
}

/*
 * The guest's MAC, which its frames must come from: the toolstack's
 * "mac" in our directory, which the guest cannot write (the frontend's
 * copy it can).  Read at each connect: the toolstack writes it with the
 * device, maybe after the directory appeared.
 */
static void kxen_net_read_mac(struct kxen_netif *nif)
{
	char *s = kxen_xb_read_str(nif->dev, false, "mac");

	nif->have_mac = !IS_ERR(s) && mac_pton(s, nif->fe_mac) &&
			is_valid_ether_addr(nif->fe_mac);
	if (!IS_ERR(s))
		kfree(s);
	if (!nif->have_mac)
		pr_warn_ratelimited(KXEN_PR_PREFIX "d%u vif %u: no valid \"mac\" from the toolstack: source MACs go unchecked\n",
				    nif->dev->domid, nif->dev->devid);
}

/* "rate": "<bytes>,<usecs>" as libxl writes xl's rate= (Linux's xen_net_read_rate). */
static int kxen_net_read_rate(struct kxen_netif *nif)
{
	char *s = kxen_xb_read_str(nif->dev, false, "rate");
	unsigned long long b = 0, u = 0;
	int ret = 0;

	if (IS_ERR(s))
		return PTR_ERR(s) == -ENOENT ? 0 : PTR_ERR(s);
	if (sscanf(s, "%llu,%llu", &b, &u) != 2 || !b || !u) {
		kxen_xb_error(nif->dev, -EINVAL, "rate \"%s\" is not <bytes>,<usecs>",
			      s);
		ret = -EINVAL;
	}
	kfree(s);
	spin_lock_bh(&nif->credit_lock);
	nif->credit_bytes = ret ? 0 : b;
	nif->credit_usec = u;
	nif->remaining = b;
	nif->window_start = ktime_get();
	spin_unlock_bh(&nif->credit_lock);
	return ret;
}

/* "ip": the guest's IPv4 addresses, separated by spaces. */
static int kxen_net_read_ips(struct kxen_netif *nif)
{
	char *s = kxen_xb_read_str(nif->dev, false, "ip"), *p, *w;
	int ret = 0;

	nif->nr_ips = 0;
	if (IS_ERR(s))
		return PTR_ERR(s) == -ENOENT ? 0 : PTR_ERR(s);
	p = s;
	while ((w = strsep(&p, " ")) && !ret) {
		if (!*w)
			continue;
		if (nif->nr_ips == KXEN_NET_MAX_IPS ||
		    !in4_pton(w, -1, (u8 *)&nif->ips[nif->nr_ips], -1, NULL)) {
			kxen_xb_error(nif->dev, -EINVAL,
				      "ip: \"%s\" is not an IPv4 address (at most %u)",
				      w, KXEN_NET_MAX_IPS);
			ret = -EINVAL;
		} else {
			nif->nr_ips++;
		}
	}
	kfree(s);
	if (ret)
		nif->nr_ips = 0;
	return ret;
}

/* What netfront wrote before it went Connected (Linux's connect_data_rings). */
static int kxen_net_read_frontend(struct kxen_netif *nif)
{
	struct kxen_xbdev *dev = nif->dev;
	u32 n = 1;
	int ret;

	if (!kxen_net_fe_flag(nif, "request-rx-copy")) {
		kxen_xb_error(dev, -EOPNOTSUPP, "frontend must use rx-copy");
		return -EOPNOTSUPP;
	}
	if (!kxen_net_fe_flag(nif, "feature-rx-notify")) {
		kxen_xb_error(dev, -EOPNOTSUPP, "frontend must use rx-notify");
		return -EOPNOTSUPP;
	}
	ret = kxen_xb_read_u32(dev, true, "multi-queue-num-queues", &n);
	if ((ret && ret != -ENOENT) || !n || n > nif->max_queues) {
		kxen_xb_error(dev, -EINVAL, "multi-queue-num-queues %u of %u",
			      n, nif->max_queues);
		return -EINVAL;
	}
	nif->fe_sg = kxen_net_fe_flag(nif, "feature-sg");
	nif->fe_gso4 = kxen_net_fe_flag(nif, "feature-gso-tcpv4");
	nif->fe_gso6 = kxen_net_fe_flag(nif, "feature-gso-tcpv6");
	nif->fe_csum = !kxen_net_fe_flag(nif, "feature-no-csum-offload");
	nif->fe_ipv6_csum = kxen_net_fe_flag(nif, "feature-ipv6-csum-offload");
	nif->nr_queues = n;
	kxen_net_read_xdp(nif);
	kxen_net_read_mac(nif);
	return kxen_net_read_rate(nif) ?: kxen_net_read_ips(nif);
}

static int kxen_net_connect(struct kxen_xbdev *dev)
{
	struct kxen_netif *nif = dev->priv;
	struct kxen_netq *qs;
	u32 i;
	int ret;

	ret = kxen_net_read_frontend(nif);
	if (ret)
		return ret;
	qs = kcalloc(nif->nr_queues, sizeof(*qs), GFP_KERNEL);
	if (!qs)
		return -ENOMEM;
	kxen_stats_objects(1);
	spin_lock_bh(&nif->stats_lock);
	nif->queues = qs;
	spin_unlock_bh(&nif->stats_lock);
	for (i = 0; i < nif->nr_queues; i++) {
		ret = kxen_net_queue_connect(nif, i);
		if (ret)
			return ret;	/* the glue disconnects */
	}
	rtnl_lock();
	ret = netif_set_real_num_queues(nif->ndev, nif->nr_queues,
					nif->nr_queues);
	netdev_update_features(nif->ndev);
	if (!nif->fe_sg && nif->ndev->mtu > ETH_DATA_LEN)
		dev_set_mtu(nif->ndev, ETH_DATA_LEN);
	rtnl_unlock();
	if (ret)
		return ret;
	WRITE_ONCE(nif->connected, true);
	netif_carrier_on(nif->ndev);
	/* Packets may be in the rings already. */
	for (i = 0; i < nif->nr_queues; i++)
		kthread_queue_delayed_work(qs[i].tx_worker, &qs[i].tx_work, 0);
	return 0;
}

static void kxen_net_queue_disconnect(struct kxen_netif *nif,
				      struct kxen_netq *q)
{
	struct kxen_xbdev *dev = nif->dev;

	if (q->tx_port.fn)
		kxen_evtchn_be_unbind(dev->d, &q->tx_port);
	if (q->rx_port.fn)
		kxen_evtchn_be_unbind(dev->d, &q->rx_port);
	if (q->nif) {
		/* No-ops for work that never had a worker to run on. */
		kthread_cancel_delayed_work_sync(&q->tx_work);
		kthread_cancel_delayed_work_sync(&q->rx_work);
		q->st.rx_dropped += skb_queue_len(&q->rxq);
		skb_queue_purge(&q->rxq);
		kxen_netzc_detach(q);
	}
	/* After the zero-copy state: its callbacks queue the TX work. */
	if (q->tx_worker)
		kthread_destroy_worker(q->tx_worker);
	if (q->rx_worker)
		kthread_destroy_worker(q->rx_worker);
	if (q->tx_page)
		kxen_gnttab_unmap(dev->d, q->tx_ref, false, q->tx_page);
	if (q->rx_page)
		kxen_gnttab_unmap(dev->d, q->rx_ref, false, q->rx_page);
	pr_info(KXEN_PR_PREFIX "d%u vif %u: queue %u disconnected: from the guest %llu packets, %llu bytes, %llu dropped, %llu spoofed, %llu errors; to it %llu packets, %llu bytes, %llu dropped, %llu errors; %llu zero-copy (%llu of them copied by the stack); %llu kicks, %llu notifies; passes: TX %llu (%llu idle, %llu held back), RX %llu (%llu idle, %llu held back)\n",
		dev->domid, dev->devid, q->id, q->st.tx_packets,
		q->st.tx_bytes, q->st.tx_dropped, q->st.tx_spoofed,
		q->st.tx_errors, q->st.rx_packets, q->st.rx_bytes,
		q->st.rx_dropped, q->st.rx_errors, q->st.tx_zc,
		q->st.tx_zc_copied, q->st.kicks,
		q->st.notifies, q->tx_kl.passes, q->tx_kl.idle_passes,
		q->tx_kl.held, q->rx_kl.passes, q->rx_kl.idle_passes,
		q->rx_kl.held);
}

static void kxen_net_disconnect(struct kxen_xbdev *dev)
{
	struct kxen_netif *nif = dev->priv;
	struct kxen_netq *qs = nif->queues;
	u32 i;

	if (!qs)
		return;
	WRITE_ONCE(nif->connected, false);
	netif_carrier_off(nif->ndev);
	synchronize_net();	/* no transmit still queues work after this */
	hrtimer_cancel(&nif->credit_timer);	/* nor the credit timer */
	for (i = 0; i < nif->nr_queues; i++)
		kxen_net_queue_disconnect(nif, &qs[i]);
	spin_lock_bh(&nif->stats_lock);
	for (i = 0; i < nif->nr_queues; i++)
		kxen_net_add_stats(&nif->gone, &qs[i].st);
	nif->queues = NULL;
	nif->nr_queues = 0;
	spin_unlock_bh(&nif->stats_lock);
	kfree(qs);
	kxen_stats_objects(-1);
}

/* ---- device ---- */

/* The toolstack's "vifname", if it is a valid name, else vif<D>.<N>. */
static void kxen_net_name(struct kxen_xbdev *dev, char *name)
{
	char *s = kxen_xb_read_str(dev, false, "vifname");

	if (!IS_ERR(s) && strlen(s) < IFNAMSIZ && dev_valid_name(s))
		strscpy(name, s, IFNAMSIZ);
	else
		snprintf(name, IFNAMSIZ, "vif%u.%u", dev->domid, dev->devid);
	if (!IS_ERR(s))
		kfree(s);
}

/*
 * The MTU to start at, from the toolstack's "mtu".  Read at probe, so
 * the interface has it before it is bridged.
 */
static void kxen_net_read_mtu(struct kxen_netif *nif)
{
	u32 mtu;

	if (!kxen_xb_read_u32(nif->dev, false, "mtu", &mtu) &&
	    mtu >= ETH_MIN_MTU && mtu <= nif->ndev->max_mtu)
		nif->ndev->mtu = mtu;
}

/* What netfront reads before it connects (Linux's netback_probe). */
static int kxen_net_write_features(struct kxen_netif *nif)
{
	struct kxen_xbdev *dev = nif->dev;
	static const char *const on[] = {
		"feature-sg", "feature-gso-tcpv4", "feature-gso-tcpv6",
		"feature-ipv6-csum-offload", "feature-rx-copy",
		"feature-split-event-channels", "feature-xdp-headroom",
	};
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(on) && !ret; i++)
		ret = kxen_xb_write(dev, 0, on[i], "1");
	ret = ret ?: kxen_xb_write(dev, 0, "feature-rx-flip", "0");
	ret = ret ?: kxen_xb_write(dev, 0, "multi-queue-max-queues", "%u",
				   nif->max_queues);
	if (ret)
		kxen_xb_error(dev, ret, "writing features");
	return ret;
}

/* A new interval's credit (softirq): the queues may send again. */
static enum hrtimer_restart kxen_net_credit_timer(struct hrtimer *t)
{
	struct kxen_netif *nif = container_of(t, struct kxen_netif,
					      credit_timer);
	u32 i;

	spin_lock(&nif->credit_lock);
	kxen_net_credit_add(nif);
	spin_unlock(&nif->credit_lock);
	if (!READ_ONCE(nif->connected))
		return HRTIMER_NORESTART;
	/* The credit is real work: at once, even over a held-back kick. */
	for (i = 0; i < nif->nr_queues; i++)
		kthread_mod_delayed_work(nif->queues[i].tx_worker,
					 &nif->queues[i].tx_work, 0);
	return HRTIMER_NORESTART;
}

static int kxen_net_probe(struct kxen_xbdev *dev)
{
	u32 max_q = min_t(u32, KXEN_NET_MAX_QUEUES, num_online_cpus());
	struct kxen_netif *nif;
	struct net_device *ndev;
	char name[IFNAMSIZ];
	int ret;

	kxen_net_name(dev, name);
	ndev = alloc_netdev_mqs(sizeof(*nif), name, NET_NAME_USER,
				kxen_net_setup, max_q, max_q);
	if (!ndev)
		return -ENOMEM;
	kxen_stats_objects(1);
	nif = netdev_priv(ndev);
	nif->dev = dev;
	nif->ndev = ndev;
	nif->max_queues = max_q;
	/*
	 * Until a frontend says otherwise, as Linux's netback assumes: so a
	 * toolstack can give the vif a bridge's jumbo MTU before the guest
	 * connects; a frontend without feature-sg gets 1500 at connect.
	 */
	nif->fe_sg = true;
	netif_set_real_num_tx_queues(ndev, 1);
	netif_set_real_num_rx_queues(ndev, 1);
	spin_lock_init(&nif->stats_lock);
	spin_lock_init(&nif->credit_lock);
	hrtimer_init(&nif->credit_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	nif->credit_timer.function = kxen_net_credit_timer;
	kxen_net_read_mtu(nif);
	netif_carrier_off(ndev);
	ret = register_netdev(ndev);
	if (ret) {
		kxen_xb_error(dev, ret, "registering %s", name);
		goto err_free;
	}
	ret = kxen_net_write_features(nif);
	if (ret)
		goto err_unregister;
	dev->priv = nif;
	pr_info(KXEN_PR_PREFIX "d%u vif %u: %s, mtu %u\n", dev->domid,
		dev->devid, ndev->name, ndev->mtu);
	return 0;

err_unregister:
	unregister_netdev(ndev);
err_free:
	free_netdev(ndev);
	kxen_stats_objects(-1);
	return ret;
}

static void kxen_net_remove(struct kxen_xbdev *dev)
{
	struct kxen_netif *nif = dev->priv;

	if (!nif)
		return;
	dev->priv = NULL;
	unregister_netdev(nif->ndev);
	free_netdev(nif->ndev);
	kxen_stats_objects(-1);
}

static struct kxen_xb_driver kxen_netback = {
	.type = "vif",
	.hotplug = true,
	.probe = kxen_net_probe,
	.connect = kxen_net_connect,
	.reconfigure = kxen_net_reconfigure,
	.reconfigure_node = "xdp-headroom",
	.disconnect = kxen_net_disconnect,
	.remove = kxen_net_remove,
};

int kxen_netback_init(void)
{
	int ret;

	kxen_net_wq = alloc_workqueue("kxen_net", WQ_UNBOUND, 0);
	if (!kxen_net_wq)
		return -ENOMEM;
	ret = kxen_netzc_init();
	if (ret)
		goto err_wq;
	ret = kxen_xb_register(&kxen_netback);
	if (ret)
		goto err_zc;
	return 0;
err_zc:
	kxen_netzc_exit();
err_wq:
	destroy_workqueue(kxen_net_wq);
	return ret;
}

void kxen_netback_exit(void)
{
	kxen_xb_unregister(&kxen_netback);
	/* Packets the stack still holds come back through kxen_net_wq. */
	kxen_netzc_exit();
	destroy_workqueue(kxen_net_wq);
}
