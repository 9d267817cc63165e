// SPDX-License-Identifier: GPL-2.0
/*
 * What the toolstack's vif settings impose on the guest's traffic
 * (xl-network-configuration(5)):
 *
 * - rate=: Xen's credit scheduler (Linux netback's tx_credit_exceeded):
 *   the guest may send credit_bytes every credit_usec, with bursts up to
 *   max(128 KiB, credit_bytes) of unused credit;
 * - ip=: the IPv4 addresses its frames may come from.  Xen leaves this
 *   to iptables rules its vif scripts add; here it is enforced where it
 *   cannot be forgotten.  IPv4 and ARP are checked, as those rules check
 *   them; 0.0.0.0 passes, for DHCP.
 */
#include <linux/if_arp.h>
#include <linux/ip.h>

#include "../core/kxen.h"
#include "xenbus_be.h"
#include "netback.h"

#define KXEN_NET_MIN_BURST	(128 * 1024)

/* Credit for a new interval, never more than a burst (caller locks). */
void kxen_net_credit_add(struct kxen_netif *nif)
{
	u64 burst = max_t(u64, KXEN_NET_MIN_BURST, nif->credit_bytes);

	nif->remaining = min(nif->remaining + nif->credit_bytes, burst);
}

/*
 * Whether the guest may send @len bytes now.  If not, the credit timer
 * is queued (its callback adds the next interval's credit and kicks the
 * queues), so a caller that stops need not look again.  Only a queued
 * timer counts: one whose callback is running may already have kicked a
 * worker that is still pending, and waiting on it would lose that kick.
 * The next window starts where the last one was due, not when the timer
 * ran, so timer latency does not lower the rate.
 */
bool kxen_net_credit_take(struct kxen_netif *nif, u32 len)
{
	ktime_t now = ktime_get(), next;
	bool ok;

	if (!nif->credit_bytes)
		return true;
	spin_lock_bh(&nif->credit_lock);
	next = ktime_add_us(nif->window_start, nif->credit_usec);
	if (ktime_compare(now, next) >= 0) {
		nif->window_start = now;
		next = ktime_add_us(now, nif->credit_usec);
		kxen_net_credit_add(nif);
	}
	ok = len <= nif->remaining;
	if (ok) {
		nif->remaining -= len;
	} else if (!hrtimer_is_queued(&nif->credit_timer)) {
		nif->window_start = next;
		hrtimer_start(&nif->credit_timer, next,
			      HRTIMER_MODE_ABS_SOFT);
	}
	spin_unlock_bh(&nif->credit_lock);
	return ok;
}

/* IPv4 source, or ARP sender: one of the interface's addresses. */
static bool kxen_net_ip_listed(struct kxen_netif *nif, __be32 a)
{
	u32 i;

	if (!a)
		return true;	/* DHCP, ARP probes */
	for (i = 0; i < nif->nr_ips; i++)
		if (nif->ips[i] == a)
			return true;
	return false;
}

/* ARP over Ethernet for IPv4: the sender's protocol address. */
static bool kxen_net_arp_allowed(struct kxen_netif *nif, struct sk_buff *skb)
{
	const struct arphdr *arp;
	__be32 sip;

	if (!pskb_may_pull(skb, sizeof(*arp) + 2 * (ETH_ALEN + 4)))
		return false;
	arp = arp_hdr(skb);
	if (arp->ar_hln != ETH_ALEN || arp->ar_pln != 4)
		return false;
	memcpy(&sip, (const u8 *)(arp + 1) + ETH_ALEN, sizeof(sip));
	return kxen_net_ip_listed(nif, sip);
}

/* @skb past eth_type_trans(), its network header set. */
bool kxen_net_ip_allowed(struct kxen_netif *nif, struct sk_buff *skb)
{
	if (!nif->nr_ips)
		return true;
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		if (!pskb_may_pull(skb, sizeof(struct iphdr)))
			return false;
		return kxen_net_ip_listed(nif, ip_hdr(skb)->saddr);
	case htons(ETH_P_ARP):
		return kxen_net_arp_allowed(nif, skb);
	default:
		return true;
	}
}
