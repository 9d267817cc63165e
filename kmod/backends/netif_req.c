// SPDX-License-Identifier: GPL-2.0
/*
 * netif transmit packets checked on the backend's copy; see netif_req.h.
 * The rules are those Linux's netback grew through XSA-39 (bounded slot
 * counts, a fatal limit for a hostile frontend), XSA-423/432 (a header
 * split across slots is still whole in the packet) and XSA-448
 * (zero-length slots are fine, and count as slots).
 */
#include "netif_req.h"

static enum kxen_nettx_verdict kxen_nettx_bad(struct kxen_nettx_pkt *pkt,
					      enum kxen_nettx_verdict v,
					      const char *why)
{
	pkt->why = why;
	return v;
}

/* The GSO extra (netif.h XEN_NETIF_EXTRA_TYPE_GSO). */
static const char *kxen_nettx_gso(const struct kxen_net_extra *e,
				  struct kxen_nettx_pkt *pkt)
{
	if (!e->u.gso.size)
		return "GSO size 0";
	if (e->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 &&
	    e->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV6)
		return "GSO type unknown";
	pkt->gso_type = e->u.gso.type;
	pkt->gso_size = e->u.gso.size;
	return NULL;
}

/*
 * The extra-info slots after the first request: a chain linked by
 * XEN_NETIF_EXTRA_FLAG_MORE, each type at most once.  Returns the
 * verdict so far; pkt->nr_extras counts them.
 */
static enum kxen_nettx_verdict
kxen_nettx_extras(const union kxen_netslot *s, u32 avail,
		  struct kxen_nettx_pkt *pkt)
{
	const struct kxen_net_extra *e;
	const char *why = NULL;
	u32 seen = 0;
	u8 type;

	do {
		if (pkt->nr_extras >= KXEN_NETTX_MAX_EXTRAS)
			return kxen_nettx_bad(pkt, KXEN_NETTX_FATAL,
					      "too many extra-info slots");
		if (1u + pkt->nr_extras >= avail)
			return KXEN_NETTX_MORE;
		e = &s[1 + pkt->nr_extras].extra;
		pkt->nr_extras++;
		type = e->type;
		if (type == XEN_NETIF_EXTRA_TYPE_NONE ||
		    type >= KXEN_NETTX_EXTRA_TYPES)
			return kxen_nettx_bad(pkt, KXEN_NETTX_FATAL,
					      "extra-info type unknown");
		if (seen & (1u << type))
			return kxen_nettx_bad(pkt, KXEN_NETTX_FATAL,
					      "extra-info type repeated");
		seen |= 1u << type;
		if (type == XEN_NETIF_EXTRA_TYPE_GSO && !why)
			why = kxen_nettx_gso(e, pkt);
	} while (e->flags & XEN_NETIF_EXTRA_FLAG_MORE);
	if (why)
		return kxen_nettx_bad(pkt, KXEN_NETTX_DROP, why);
	return KXEN_NETTX_OK;
}

/*
 * The data slots: the first (its size is the whole packet's) and those
 * chained after the extras by NETTXF_more_data.  Each slot's bytes stay
 * inside its granted page.
 */
static enum kxen_nettx_verdict
kxen_nettx_data(const union kxen_netslot *s, u32 avail,
		struct kxen_nettx_pkt *pkt)
{
	const struct kxen_nettx_req *r = &s[0].req;
	u32 rest = 0, i = 0, at;
	bool more = r->flags & KXEN_NETTXF_MORE_DATA;

	pkt->nr_slots = 1;
	while (more) {
		if (pkt->nr_slots >= KXEN_NETTX_FATAL_SLOTS)
			return kxen_nettx_bad(pkt, KXEN_NETTX_FATAL,
					      "more slots than any frontend uses");
		at = 1u + pkt->nr_extras + i;
		if (at >= avail)
			return KXEN_NETTX_MORE;
		r = &s[at].req;
		if ((u32)r->offset + r->size > KXEN_NET_PAGE_SIZE)
			return kxen_nettx_bad(pkt, KXEN_NETTX_FATAL,
					      "slot crosses its page");
		rest += r->size;
		more = r->flags & KXEN_NETTXF_MORE_DATA;
		pkt->nr_slots++;
		i++;
	}
	r = &s[0].req;
	pkt->len = r->size;
	if (rest > r->size)
		return kxen_nettx_bad(pkt, KXEN_NETTX_DROP,
				      "slots hold more than the packet size");
	pkt->first_len = r->size - rest;
	if ((u32)r->offset + pkt->first_len > KXEN_NET_PAGE_SIZE)
		return kxen_nettx_bad(pkt, KXEN_NETTX_FATAL,
				      "first slot crosses its page");
	if (pkt->nr_slots > KXEN_NETTX_MAX_SLOTS)
		return kxen_nettx_bad(pkt, KXEN_NETTX_DROP,
				      "more than 18 slots");
	if (pkt->len < KXEN_NET_ETH_HLEN)
		return kxen_nettx_bad(pkt, KXEN_NETTX_DROP,
				      "shorter than an Ethernet header");
	return KXEN_NETTX_OK;
}

enum kxen_nettx_verdict kxen_nettx_parse(const union kxen_netslot *s,
					 u32 avail, struct kxen_nettx_pkt *pkt)
{
	enum kxen_nettx_verdict v = KXEN_NETTX_OK, d;
	u16 flags;

	memset(pkt, 0, sizeof(*pkt));
	if (!avail)
		return KXEN_NETTX_MORE;
	flags = s[0].req.flags;
	pkt->csum_blank = flags & KXEN_NETTXF_CSUM_BLANK;
	pkt->data_validated = flags & KXEN_NETTXF_VALIDATED;
	if (flags & KXEN_NETTXF_EXTRA_INFO) {
		v = kxen_nettx_extras(s, avail, pkt);
		if (v == KXEN_NETTX_MORE || v == KXEN_NETTX_FATAL)
			return v;
	}
	d = kxen_nettx_data(s, avail, pkt);
	if (d != KXEN_NETTX_OK)
		return d;
	/* A segmentation offload needs the checksum left to us. */
	if (v == KXEN_NETTX_OK && pkt->gso_type && !pkt->csum_blank)
		return kxen_nettx_bad(pkt, KXEN_NETTX_DROP,
				      "GSO without csum_blank");
	return v;
}
