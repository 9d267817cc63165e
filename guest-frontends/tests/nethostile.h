/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two halves of the nethostile guest share (see nethostile.c
 * for the test itself): nethostile.c sets up the grants and the
 * connection, drives the rings and runs the phases; nethostile_cases.c
 * builds the frames and the packets, hostile and valid, and checks what
 * comes back on both rings.
 */
#ifndef NETHOSTILE_H
#define NETHOSTILE_H

#include <kg/layout.h>
#include <kg/lib.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>

/* io/ring.h leaves the barriers to its user (see blkhostile.h). */
#define xen_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#include <xen/io/netif.h>

#define PAGE		KG_PAGE_SIZE
#define RING		256	/* __CONST_RING_SIZE(netif_tx/rx, PAGE) */
#define TXBUF_PAGES	24	/* pages the TX slots read from */
#define NR_ENTS		(PAGE / sizeof(grant_entry_v1_t))
#define ETH_HLEN	14
#define ETH_ALEN	6

/* The backend's limits (kmod/backends/netif_req.h, from netif.h). */
#define MAX_SLOTS	18	/* XEN_NETBK_LEGACY_SLOTS_MAX: more, dropped */
#define FATAL_SLOTS	20	/* more than this: the queue stops */
/*
 * A frontend may send the extra-info types GSO, MCAST_ADD, MCAST_DEL
 * and HASH (1..4; kmod/backends/netif_req.h KXEN_NETTX_EXTRA_TYPES),
 * one of each at most; XDP (5, in Linux's netif.h) is for the RX ring
 * only, so on the TX ring it is as unknown as 6..255.
 */
#define EXTRA_TYPE_XDP	5
#define EXTRA_TYPE_END	5	/* the first type a frontend may not send */
#define MAX_EXTRAS	(EXTRA_TYPE_END - 1)

#define CANARY_RX	0xa5	/* RX buffers, past what a response covers */
#define CANARY_BAD	0x5a	/* the frame of the bad grants */

#define MAX_REPORTS	10

/*
 * Grant references, all in frame 0.  0-7 are the toolstack's
 * (GNTTAB_NR_RESERVED_ENTRIES) and stay invalid here.
 */
#define REF_TX_RING	GNTTAB_NR_RESERVED_ENTRIES
#define REF_RX_RING	(REF_TX_RING + 1)
#define REF_TXBUF	(REF_RX_RING + 1)
#define REF_RX		(REF_TXBUF + TXBUF_PAGES)
#define REF_HOSTILE	(REF_RX + RING)

/* The hostile entries, at REF_HOSTILE + these. */
enum {
	BE_UNGRANTED,		/* flags 0: nothing granted */
	BE_OTHER_DOM,		/* to another domain */
	BE_OWN_DOM,		/* to ourselves */
	BE_DOMID_SELF,		/* to DOMID_SELF, which is no grantee */
	BE_SUB_PAGE,		/* GTF_sub_page: v2 only */
	BE_TRANSFER,		/* GTF_accept_transfer */
	BE_TRANSITIVE,		/* GTF_transitive: v2 only */
	BE_FRAME_GNTTAB,	/* the frame of our grant table */
	BE_FRAME_FAR,		/* past our RAM */
	BE_FRAME_MAX,		/* the largest frame a v1 entry holds */
	BE_FRAME_SHINFO,	/* shared_info: TX only (the backend reads) */
	BE_READONLY,		/* read-only: fine for TX, refused for RX */
	NR_BAD_ENTS
};

#define NR_TX_BAD	BE_READONLY	/* entries a TX slot must fail on */
#define NR_RX_BAD	BE_FRAME_SHINFO	/* and an RX buffer (+ read-only) */

/* What a packet is, for the tallies, the reports and its answer. */
enum kind {
	K_SLOTS,		/* 19 or 20 data slots */
	K_FIRST_SMALL,		/* first size below what the rest hold */
	K_SHORT,		/* fewer bytes than an Ethernet header */
	K_GSO_SIZE0,		/* GSO extra with size 0 */
	K_GSO_TYPE,		/* GSO extra of an unknown type */
	K_GSO_NOCSUM,		/* GSO without NETTXF_csum_blank */
	K_BAD_GREF,		/* one slot's grant cannot be mapped */
	K_CSUM_NOTIP,		/* csum_blank on a frame that is not IP */
	K_SPOOF,		/* a source MAC not ours: a switch drops it */
	NR_HOSTILE,
	V_FRAME = NR_HOSTILE,	/* a well-formed frame to L1's bridge */
	V_ECHO,			/* an ICMP echo request to L1 */
	F_FATAL,		/* one that stops the queue */
	NR_KINDS
};

/*
 * The defects after which the backend stops serving the queue, in its
 * words (netif_req.c, netback_io.c kxen_net_broken()).
 */
enum fatal {
	F_CHAIN,		/* more_data past 20 slots, never ending */
	F_SLOT_PAGE,		/* a later slot's offset + size past 4096 */
	F_FIRST_PAGE,		/* the first slot's bytes past 4096 */
	F_EXTRA_TYPE,		/* extra-info type 0 or past the last */
	F_EXTRA_REPEAT,		/* extra-info type twice */
	F_EXTRA_MANY,		/* a fifth extra-info slot */
	F_TX_AHEAD,		/* TX req_prod more than a ring ahead */
	F_TX_BEHIND,		/* TX req_prod behind what was consumed */
	F_RX_AHEAD,		/* RX req_prod more than a ring ahead */
	NR_FATAL
};

extern const char *const fatal_why[NR_FATAL];

/* What the backend does with a packet, as its counters name it. */
enum fate { FATE_PACKETS, FATE_DROPPED, FATE_SPOOFED, FATE_ERRORS, NR_FATES };

/* One TX slot of the batch in flight, as sent, and what it must get. */
struct txrec {
	union {
		struct netif_tx_request req;
		struct netif_extra_info extra;
	} s;
	s16 want;		/* status; NETIF_RSP_NULL for an extra */
	u8 kind;
	bool extra;
	bool done;
	bool last;		/* the last slot of its packet */
};

/* An RX buffer as posted. */
struct rxrec {
	u16 id;
	grant_ref_t gref;
	bool bad;		/* a grant the backend must not write through */
};

/* The connection. */
struct net_conn {
	char fe[48];		/* device/vif/<devid> */
	char be[96];		/* the backend's directory */
	unsigned int conn;	/* 1, 2, ... */
	bool split;		/* event-channel-tx and -rx */
	evtchn_port_t port, rx_port;	/* rx_port == port unless split */
	netif_tx_front_ring_t tx;
	netif_rx_front_ring_t rx;
	u64 fate[NR_FATES];	/* packets answered on this connection */
};

/* Ethernet and IPv4 addresses. */
struct addrs {
	u8 mac[ETH_ALEN];	/* ours, the toolstack's "mac" */
	u8 l1_mac[ETH_ALEN];	/* the bridge's, from its ARP reply */
	u8 ip[4], l1_ip[4];
	bool have_l1_mac;
};

/* ---- nethostile.c: the connection and the batch in flight ---- */

extern struct net_conn net;
extern struct addrs addr;
extern u8 txbuf[TXBUF_PAGES][PAGE];
extern u8 rxbuf[RING][PAGE];
extern u8 bad_page[PAGE];
extern domid_t our_domid;

extern struct txrec txr[RING];
extern unsigned int batch_n;
extern u32 batch_no;

/* Room left in the TX ring for this batch. */
unsigned int tx_room(void);
/* Queues one slot; its response must carry @want (NULL for an extra). */
void tx_put_req(const struct netif_tx_request *r, enum kind k, s16 want);
void tx_put_extra(const struct netif_extra_info *e, enum kind k);
/* The slot queued last ends its packet. */
void tx_pkt_end(void);

/* ---- nethostile_cases.c: the packets and the checks ---- */

/* xorshift64*, from the seed test_main() puts in rng_state. */
extern u64 rng_state;
u64 rnd(void);
u64 rnd_below(u64 n);
bool one_in(u64 n);
bool all_bytes(const u8 *p, u8 v, size_t n);

extern const char *const kind_name[NR_KINDS];
extern const char *const fate_name[NR_FATES];
extern u64 sent[NR_KINDS], right[NR_KINDS];
extern u64 bad_tx_rsp, bad_rx_rsp, rx_canary_bad;
extern u64 rx_packets, rx_errors_bad, rx_errors_good;
extern u64 echo_sent, echo_back, echo_wrong, arp_replies;

/* The frames the valid packets carry, in txbuf pages 0-3. */
void frames_init(void);
/* An ARP request for L1's address, one slot. */
void arp_request(void);
/* The reply to an ARP request for our address L1 sent, if one came. */
void arp_reply_owed(void);
/* An ICMP echo request to L1 in 1 to 4 slots, the first maybe short. */
void echo_request(bool split);
/* A well-formed frame to L1's bridge (ethertype 0x88b5). */
void valid_frame(void);
/* One hostile packet of a random kind; the kind. */
enum kind hostile(void);
/* A packet with fatal defect @f (one of those before F_TX_AHEAD). */
void fatal_packet(enum fatal f);
/* The packet's fate from its kind. */
enum fate fate_of(enum kind k);

/* Checks one TX response against the slot it answers. */
void check_tx_rsp(struct txrec *t, const struct netif_tx_response *r);
/* Checks one RX response and what it brought; @prev: the one before. */
void check_rx_rsp(const struct rxrec *rec, const struct netif_rx_response *r,
		  const u8 *buf);
/* The echo sequence numbers answered so far. */
bool echo_answered(u16 seq);

#endif /* NETHOSTILE_H */
