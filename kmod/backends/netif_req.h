/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netif transmit requests (xen/interface/io/netif.h): the slots of one
 * packet a frontend sends, checked before any grant is touched, in plain
 * C for the kernel and the userspace unit tests and fuzzer.  The slots
 * are the backend's own copies, each taken from the shared ring once;
 * nothing here reads the ring.
 *
 * Linux's copy of netif.h prefixes the names with XEN_ and xen_; Xen's
 * own header does not.  These name both.
 */
#ifndef KXEN_BACKENDS_NETIF_REQ_H
#define KXEN_BACKENDS_NETIF_REQ_H

#include "../xen/plat.h"
#ifdef __KERNEL__
#include <xen/interface/io/netif.h>
#define kxen_nettx_req		xen_netif_tx_request
#define kxen_net_extra		xen_netif_extra_info
#define KXEN_NETTXF_CSUM_BLANK	XEN_NETTXF_csum_blank
#define KXEN_NETTXF_VALIDATED	XEN_NETTXF_data_validated
#define KXEN_NETTXF_MORE_DATA	XEN_NETTXF_more_data
#define KXEN_NETTXF_EXTRA_INFO	XEN_NETTXF_extra_info
#else
#include <xen/io/netif.h>
#define kxen_nettx_req		netif_tx_request
#define kxen_net_extra		netif_extra_info
#define KXEN_NETTXF_CSUM_BLANK	NETTXF_csum_blank
#define KXEN_NETTXF_VALIDATED	NETTXF_data_validated
#define KXEN_NETTXF_MORE_DATA	NETTXF_more_data
#define KXEN_NETTXF_EXTRA_INFO	NETTXF_extra_info
#endif

#define KXEN_NET_PAGE_SIZE	4096u
#define KXEN_NET_ETH_HLEN	14u
/*
 * Slots one packet may use: XEN_NETBK_LEGACY_SLOTS_MAX (netif.h, 18),
 * what every frontend has always been held to.  A packet past it is
 * dropped; one past KXEN_NETTX_FATAL_SLOTS (Linux netback's
 * fatal_skb_slots) means a frontend that is broken or hostile.
 */
#define KXEN_NETTX_MAX_SLOTS	18u
#define KXEN_NETTX_FATAL_SLOTS	20u
/*
 * Extra-info types a frontend may send: GSO, MCAST_ADD, MCAST_DEL, HASH
 * (1..4).  Named here, not from XEN_NETIF_EXTRA_TYPE_MAX: Linux's copy
 * of netif.h adds XDP (5), which only the backend sends, on the RX ring,
 * so the bound would differ between the kernel and the unit tests.
 */
#define KXEN_NETTX_EXTRA_TYPES	5
/* Extra-info slots: one of each type at most. */
#define KXEN_NETTX_MAX_EXTRAS	(KXEN_NETTX_EXTRA_TYPES - 1)
/* The most slots one packet spans in the ring, extras included. */
#define KXEN_NETTX_SPAN		(KXEN_NETTX_FATAL_SLOTS + KXEN_NETTX_MAX_EXTRAS + 1)

/* A ring slot as the backend copied it: a request or an extra. */
union kxen_netslot {
	struct kxen_nettx_req req;
	struct kxen_net_extra extra;
};

enum kxen_nettx_verdict {
	KXEN_NETTX_OK,		/* a good packet: build it */
	KXEN_NETTX_MORE,	/* its slots are not all in the ring yet */
	KXEN_NETTX_DROP,	/* a bad packet: answer its slots with errors */
	KXEN_NETTX_FATAL,	/* a broken frontend: stop serving it */
};

/* One packet that passed every check. */
struct kxen_nettx_pkt {
	u16 nr_slots;		/* data slots (the first included) */
	u16 nr_extras;		/* extra-info slots, right after the first */
	u32 len;		/* bytes in all */
	u16 first_len;		/* bytes in the first slot */
	bool csum_blank;	/* NETTXF_csum_blank: complete the checksum */
	bool data_validated;
	u8 gso_type;		/* XEN_NETIF_GSO_TYPE_* */
	u16 gso_size;
	const char *why;	/* for DROP and FATAL: what was wrong */
};

/*
 * Check the packet starting at @s[0], @avail slots copied: the verdict,
 * with @pkt filled for OK and its slot counts (what to consume and
 * answer) for DROP; for MORE the caller waits for the frontend.
 */
enum kxen_nettx_verdict kxen_nettx_parse(const union kxen_netslot *s,
					 u32 avail, struct kxen_nettx_pkt *pkt);

/* Slots whose response is NETIF_RSP_NULL: extras, at 1..nr_extras. */
static inline bool kxen_nettx_is_extra(const struct kxen_nettx_pkt *pkt,
				       u32 i)
{
	return i >= 1 && i <= pkt->nr_extras;
}

#endif /* KXEN_BACKENDS_NETIF_REQ_H */
