// SPDX-License-Identifier: GPL-2.0
/*
 * nethostile's packets and checks (see nethostile.c): the hostile TX
 * packets, each with the one defect it is named for and the answer
 * that defect calls for in kmod/backends/netif_req.c and netback_io.c;
 * the valid frames (ARP, ICMP echo, a plain frame to L1's bridge); and
 * the checks of what comes back: every TX response against the slot it
 * answers, every RX response and the bytes it brought.
 */
#include <kg/console.h>
#include <kg/report.h>
#include "nethostile.h"

const char *const kind_name[NR_KINDS] = {
	[K_SLOTS] = "19 or 20 data slots",
	[K_FIRST_SMALL] = "first size below the rest's",
	[K_SHORT] = "shorter than an Ethernet header",
	[K_GSO_SIZE0] = "GSO extra, size 0",
	[K_GSO_TYPE] = "GSO extra, unknown type",
	[K_GSO_NOCSUM] = "GSO without csum_blank",
	[K_BAD_GREF] = "a grant that cannot be mapped",
	[K_CSUM_NOTIP] = "csum_blank on no TCP/UDP",
	[K_SPOOF] = "source MAC not ours",
	[V_FRAME] = "valid frame to L1",
	[V_ECHO] = "valid ICMP echo to L1",
	[F_FATAL] = "fatal (the queue stops)",
};

const char *const fate_name[NR_FATES] = {
	[FATE_PACKETS] = "packets", [FATE_DROPPED] = "dropped",
	[FATE_SPOOFED] = "spoofed", [FATE_ERRORS] = "errors",
};

u64 sent[NR_KINDS], right[NR_KINDS];
u64 bad_tx_rsp, bad_rx_rsp, rx_canary_bad;
u64 rx_packets, rx_errors_bad, rx_errors_good;
u64 echo_sent, echo_back, echo_wrong, arp_replies;
u64 rng_state;

#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_LOCAL	0x88b5	/* IEEE 802 local experimental */
#define ECHO_ID		0x6b78	/* "kx" */
#define ECHO_DATA	56
#define ECHO_LEN	(ETH_HLEN + 20 + 8 + ECHO_DATA)
#define ECHO_PIECE	128	/* bytes of txbuf an echo's piece may use */
#define ECHO_AREA	512	/* an echo's 4 pieces, in one of pages 1-3 */
#define MIN_FRAME	60

/* Where the fixed frames are in txbuf[0]. */
#define AT_ARP		0
#define AT_FRAME	64
#define AT_NOTIP	128
#define AT_SPOOF	192
#define AT_ICMP		256
#define AT_FRAG		384
#define AT_ARP_REPLY	448
#define TXBUF_JUNK	4	/* txbuf[4..]: bytes for hostile slots */

static u8 echo_seen[65536 / 8];

/* Who asked for our address last, and whether we still owe the reply. */
static u8 arp_asker_mac[ETH_ALEN], arp_asker_ip[4];
static bool arp_owed;

/* ---- small helpers ---- */

/* xorshift64* (Vigna 2014), fixed seed: the same packets every run. */
u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

u64 rnd_below(u64 n)
{
	return rnd() % n;
}

bool one_in(u64 n)
{
	return rnd_below(n) == 0;
}

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static u16 get16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

/* The Internet checksum (RFC 1071) of @n bytes. */
static u16 csum(const u8 *p, unsigned int n)
{
	u32 s = 0;
	unsigned int i;

	for (i = 0; i + 1 < n; i += 2)
		s += get16(p + i);
	if (n & 1)
		s += p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

static void eth_hdr(u8 *f, const u8 *dst, const u8 *src, u16 type)
{
	memcpy(f, dst, ETH_ALEN);
	memcpy(f + ETH_ALEN, src, ETH_ALEN);
	put16(f + 12, type);
}

/* An IPv4 header of @len bytes in all, from us to L1. */
static void ip_hdr(u8 *ip, u16 len, u8 proto, u16 id, u16 frag)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, len);
	put16(ip + 4, id);
	put16(ip + 6, frag);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, addr.ip, 4);
	memcpy(ip + 16, addr.l1_ip, 4);
	put16(ip + 10, csum(ip, 20));
}

static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static const u8 *l1_mac(void)
{
	return addr.have_l1_mac ? addr.l1_mac : bcast;
}

/* ---- the frames ---- */

static void arp_frame(u8 *f)
{
	u8 *a = f + ETH_HLEN;

	memset(f, 0, MIN_FRAME);
	eth_hdr(f, bcast, addr.mac, ETH_P_ARP);
	put16(a, 1);			/* Ethernet */
	put16(a + 2, ETH_P_IP);
	a[4] = ETH_ALEN;
	a[5] = 4;
	put16(a + 6, 1);		/* request */
	memcpy(a + 8, addr.mac, ETH_ALEN);
	memcpy(a + 14, addr.ip, 4);
	memcpy(a + 24, addr.l1_ip, 4);
}

/* The frames that stay put in txbuf[0]; L1's MAC is known or not yet. */
void frames_init(void)
{
	static const u8 other[ETH_ALEN] = { 0x00, 0x16, 0x3e, 0x66, 0x66, 0x66 };
	u8 *p = txbuf[0];
	unsigned int i;

	arp_frame(p + AT_ARP);
	memset(p + AT_FRAME, 0x11, MIN_FRAME);
	eth_hdr(p + AT_FRAME, l1_mac(), addr.mac, ETH_P_LOCAL);
	memset(p + AT_NOTIP, 0x22, MIN_FRAME);
	eth_hdr(p + AT_NOTIP, l1_mac(), addr.mac, ETH_P_LOCAL);
	memset(p + AT_SPOOF, 0x33, MIN_FRAME);
	eth_hdr(p + AT_SPOOF, l1_mac(), other, ETH_P_LOCAL);
	/* ICMP, and a UDP fragment: csum_blank has no TCP/UDP header to do. */
	memset(p + AT_ICMP, 0x44, MIN_FRAME);
	eth_hdr(p + AT_ICMP, l1_mac(), addr.mac, ETH_P_IP);
	ip_hdr(p + AT_ICMP + ETH_HLEN, MIN_FRAME - ETH_HLEN, 1, 1, 0);
	memset(p + AT_FRAG, 0x55, MIN_FRAME);
	eth_hdr(p + AT_FRAG, l1_mac(), addr.mac, ETH_P_IP);
	ip_hdr(p + AT_FRAG + ETH_HLEN, MIN_FRAME - ETH_HLEN, 17, 2, 0x2000);
	for (i = TXBUF_JUNK; i < TXBUF_PAGES; i++)
		memset(txbuf[i], 0x60 + i, PAGE);
}

static void one_slot(enum kind k, unsigned int at, u16 flags, s16 want)
{
	struct netif_tx_request r = {
		.gref = REF_TXBUF, .offset = at, .size = MIN_FRAME,
		.flags = flags, .id = rnd(),
	};

	tx_put_req(&r, k, want);
	tx_pkt_end();
	sent[k]++;
}

/*
 * L1 asks for our address when its neighbour entry for us goes stale: a
 * guest that never answers soon gets no replies at all.
 */
void arp_reply_owed(void)
{
	u8 *f = txbuf[0] + AT_ARP_REPLY, *a = f + ETH_HLEN;

	if (!arp_owed)
		return;
	arp_owed = false;
	arp_frame(f);
	memcpy(f, arp_asker_mac, ETH_ALEN);
	put16(a + 6, 2);		/* reply */
	memcpy(a + 18, arp_asker_mac, ETH_ALEN);
	memcpy(a + 24, arp_asker_ip, 4);
	one_slot(V_FRAME, AT_ARP_REPLY, 0, NETIF_RSP_OKAY);
}

void arp_request(void)
{
	one_slot(V_FRAME, AT_ARP, 0, NETIF_RSP_OKAY);
}

void valid_frame(void)
{
	one_slot(V_FRAME, AT_FRAME, NETTXF_data_validated, NETIF_RSP_OKAY);
}

/* The echo's payload: what the reply must bring back. */
static void echo_payload(u8 *d, u16 seq)
{
	unsigned int i;

	for (i = 0; i < ECHO_DATA; i++)
		d[i] = seq * 7 + i;
}

static void echo_frame(u8 *f, u16 seq)
{
	u8 *ip = f + ETH_HLEN, *ic = ip + 20;

	eth_hdr(f, l1_mac(), addr.mac, ETH_P_IP);
	ip_hdr(ip, ECHO_LEN - ETH_HLEN, 1, seq, 0x4000);
	memset(ic, 0, 8);
	ic[0] = 8;			/* echo request */
	put16(ic + 4, ECHO_ID);
	put16(ic + 6, seq);
	echo_payload(ic + 8, seq);
	put16(ic + 2, csum(ic, 8 + ECHO_DATA));
}

/*
 * An echo request, in one slot or split in up to 4 at odd offsets of
 * pages 1-3, the first slot as short as 1 byte (a header split across
 * slots, as XSA-423 had it).
 */
void echo_request(bool split)
{
	struct netif_tx_request r[4];
	unsigned int n = split ? 2 + rnd_below(3) : 1, i, at = 0, cut, off;
	u16 seq = ++echo_sent;
	u8 f[ECHO_LEN];

	echo_frame(f, seq);
	memset(r, 0, sizeof(r));
	for (i = 0; i < n; i++) {
		cut = i + 1 == n ? ECHO_LEN :
		      at + 1 + rnd_below(ECHO_LEN - at - (n - i - 1));
		off = (seq / 3 % (PAGE / ECHO_AREA)) * ECHO_AREA +
		      i * ECHO_PIECE + rnd_below(8);
		memcpy(txbuf[1 + seq % 3] + off, f + at, cut - at);
		r[i].gref = REF_TXBUF + 1 + seq % 3;
		r[i].offset = off;
		r[i].size = cut - at;
		r[i].id = rnd();
		if (i + 1 < n)
			r[i].flags = NETTXF_more_data;
		at = cut;
	}
	r[0].size = ECHO_LEN;
	for (i = 0; i < n; i++)
		tx_put_req(&r[i], V_ECHO, NETIF_RSP_OKAY);
	tx_pkt_end();
	sent[V_ECHO]++;
	echo_seen[seq / 8] &= ~(1u << (seq % 8));
}

bool echo_answered(u16 seq)
{
	return echo_seen[seq / 8] & (1u << (seq % 8));
}

/* ---- hostile packets ---- */

/* A packet being built: its extras and data slots. */
struct pktb {
	struct netif_extra_info ext[MAX_EXTRAS + 2];	/* F_EXTRA_MANY */
	unsigned int next;
	struct netif_tx_request d[FATAL_SLOTS + 2];
	unsigned int nd;
	u16 flags;		/* of the first slot, beyond the chaining */
};

/* A grant the backend maps read-only for TX: one of ours. */
static grant_ref_t good_ref(void)
{
	return REF_TXBUF + TXBUF_JUNK + rnd_below(TXBUF_PAGES - TXBUF_JUNK);
}

/* A grant no TX slot may be read through. */
static grant_ref_t bad_ref(void)
{
	switch (rnd_below(4)) {
	case 0:
		return rnd_below(GNTTAB_NR_RESERVED_ENTRIES);
	case 1:
		return NR_ENTS * 64 + rnd_below(1u << 20);  /* past the table */
	case 2:
		return 0xffffffffu - rnd_below(256);
	default:
		return REF_HOSTILE + rnd_below(NR_TX_BAD);
	}
}

/* A data slot of @size bytes at a random offset that keeps it in its page. */
static void data_slot(struct pktb *b, u16 size, grant_ref_t ref)
{
	struct netif_tx_request *r = &b->d[b->nd++];

	r->gref = ref;
	r->size = size;
	r->offset = rnd_below(PAGE - size + 1);
	r->id = rnd();
}

/* Valid extras of types other than GSO (netif.h: each at most once). */
static void some_extras(struct pktb *b, unsigned int max)
{
	static const u8 types[] = {
		XEN_NETIF_EXTRA_TYPE_MCAST_ADD, XEN_NETIF_EXTRA_TYPE_MCAST_DEL,
		XEN_NETIF_EXTRA_TYPE_HASH,
	};
	unsigned int i, n = rnd_below(max + 1), first = rnd_below(3);
	struct netif_extra_info *e;

	for (i = 0; i < n && i < ARRAY_SIZE(types); i++) {
		e = &b->ext[b->next++];
		memset(e, 0, sizeof(*e));
		e->u.pad[0] = rnd();
		e->u.pad[1] = rnd();
		e->u.pad[2] = rnd();
		e->type = types[(first + i) % ARRAY_SIZE(types)];
	}
}

/* A GSO extra at a random place among the others. */
static void gso_extra(struct pktb *b, u16 size, u8 type)
{
	unsigned int at = rnd_below(b->next + 1);
	struct netif_extra_info *e = &b->ext[at];

	b->ext[b->next++] = *e;
	memset(e, 0, sizeof(*e));
	e->type = XEN_NETIF_EXTRA_TYPE_GSO;
	e->u.gso.size = size;
	e->u.gso.type = type;
	e->u.gso.features = rnd();
}

/* Queues the packet: first slot, extras, then the rest, chained. */
static void emit(struct pktb *b, enum kind k, s16 want)
{
	unsigned int i;

	for (i = 0; i < b->nd; i++)
		b->d[i].flags &= ~(NETTXF_more_data | NETTXF_extra_info);
	for (i = 0; i + 1 < b->nd; i++)
		b->d[i].flags |= NETTXF_more_data;
	b->d[0].flags |= b->flags;
	if (b->next)
		b->d[0].flags |= NETTXF_extra_info;
	tx_put_req(&b->d[0], k, want);
	for (i = 0; i < b->next; i++) {
		b->ext[i].flags = i + 1 < b->next ? XEN_NETIF_EXTRA_FLAG_MORE : 0;
		tx_put_extra(&b->ext[i], k);
	}
	for (i = 1; i < b->nd; i++)
		tx_put_req(&b->d[i], k, want);
	tx_pkt_end();
	sent[k]++;
}

/*
 * @nd data slots whose rest sums to at most @rest_max, then the first
 * slot with the packet's size @size (its own bytes: size - rest).
 */
static void data_slots(struct pktb *b, unsigned int nd, u16 rest_max,
		       bool bad_refs)
{
	unsigned int i;
	u32 rest = 0;
	u16 s;

	b->nd = 1;
	for (i = 1; i < nd; i++) {
		s = rnd_below(rest_max / (nd - 1) + 1);
		data_slot(b, s, bad_refs && one_in(2) ? bad_ref() : good_ref());
		rest += s;
	}
	b->d[0].size = rest;
	b->d[0].id = rnd();
	b->d[0].gref = bad_refs && one_in(2) ? bad_ref() : good_ref();
}

/* The first slot: @own bytes of its own, at an offset inside its page. */
static void first_own(struct pktb *b, u16 own)
{
	b->d[0].size += own;
	b->d[0].offset = rnd_below(PAGE - own + 1);
}

/* netif_req.c: nr_slots > 18 (and no more than 20): dropped. */
static void h_slots(struct pktb *b)
{
	some_extras(b, 3);
	data_slots(b, MAX_SLOTS + 1 + rnd_below(2), 2000, true);
	first_own(b, ETH_HLEN + rnd_below(200));
}

/*
 * "slots hold more than the packet size": dropped; the first offset
 * is never looked at then, so it is anything.
 */
static void h_first_small(struct pktb *b)
{
	some_extras(b, 3);
	data_slots(b, 2 + rnd_below(MAX_SLOTS - 1), 4000, true);
	if (!b->d[0].size) {
		b->d[0].size = 1 + rnd_below(64);
		b->d[1].size = b->d[0].size;
		b->d[1].offset = 0;
	}
	b->d[0].size -= 1 + rnd_below(b->d[0].size);
	b->d[0].offset = rnd();
}

/* Fewer than ETH_HLEN bytes in all: dropped. */
static void h_short(struct pktb *b)
{
	unsigned int nd = 1 + rnd_below(4);

	some_extras(b, 3);
	data_slots(b, nd, ETH_HLEN - 1, true);
	first_own(b, rnd_below(ETH_HLEN - b->d[0].size));
}

/* One data slot or a few, all fine: a GSO extra's defect decides. */
static void fine_data(struct pktb *b)
{
	data_slots(b, 1 + rnd_below(4), 3000, false);
	first_own(b, ETH_HLEN + rnd_below(1000));
}

/* netif_req.c kxen_nettx_gso() and the csum_blank rule: dropped. */
static void h_gso(struct pktb *b, enum kind k)
{
	u8 type = XEN_NETIF_GSO_TYPE_TCPV4 + rnd_below(2);
	u16 size = 1 + rnd_below(0xffff);

	some_extras(b, 2);
	if (k == K_GSO_SIZE0)
		size = 0;
	if (k == K_GSO_TYPE)
		type = one_in(4) ? XEN_NETIF_GSO_TYPE_NONE : 3 + rnd_below(253);
	gso_extra(b, size, type);
	fine_data(b);
	if (k != K_GSO_NOCSUM && one_in(2))
		b->flags |= NETTXF_csum_blank;
}

/*
 * Parsed fine, then one slot with bytes in it cannot be mapped
 * (netback_io.c kxen_net_tx_copy()): every slot answered with an error.
 */
static void h_bad_gref(struct pktb *b)
{
	unsigned int bad;

	some_extras(b, 3);
	if (one_in(4))
		gso_extra(b, 1 + rnd_below(0xffff), XEN_NETIF_GSO_TYPE_TCPV4);
	fine_data(b);
	bad = rnd_below(b->nd);
	if (bad && !b->d[bad].size) {
		b->d[bad].size = 1;
		b->d[bad].offset = 0;
		b->d[0].size++;
	}
	b->d[bad].gref = bad_ref();
	b->flags = b->next ? NETTXF_csum_blank : rnd_below(4) &
		   (NETTXF_csum_blank | NETTXF_data_validated);
}

/* csum_blank where skb_checksum_setup() finds no TCP/UDP header. */
static void h_csum_notip(void)
{
	static const u16 at[] = { AT_NOTIP, AT_ICMP, AT_FRAG };

	one_slot(K_CSUM_NOTIP, at[rnd_below(ARRAY_SIZE(at))],
		 NETTXF_csum_blank, NETIF_RSP_ERROR);
}

/* The hostile kinds, weighted: the long chains are costly in the ring. */
static const u8 mix[] = {
	K_SLOTS, K_FIRST_SMALL, K_FIRST_SMALL, K_SHORT, K_SHORT, K_SHORT,
	K_GSO_SIZE0, K_GSO_TYPE, K_GSO_NOCSUM, K_BAD_GREF, K_BAD_GREF,
	K_BAD_GREF, K_BAD_GREF, K_CSUM_NOTIP, K_SPOOF,
};

enum kind hostile(void)
{
	enum kind k = mix[rnd_below(ARRAY_SIZE(mix))];
	struct pktb b;

	memset(&b, 0, sizeof(b));
	if (k == K_SLOTS && tx_room() < FATAL_SLOTS + MAX_EXTRAS)
		k = K_SHORT;
	switch (k) {
	case K_SLOTS:
		h_slots(&b);
		break;
	case K_FIRST_SMALL:
		h_first_small(&b);
		break;
	case K_SHORT:
		h_short(&b);
		break;
	case K_BAD_GREF:
		h_bad_gref(&b);
		break;
	case K_CSUM_NOTIP:
		h_csum_notip();
		return k;
	case K_SPOOF:
		one_slot(K_SPOOF, AT_SPOOF, 0, NETIF_RSP_OKAY);
		return k;
	default:
		h_gso(&b, k);
		break;
	}
	emit(&b, k, NETIF_RSP_ERROR);
	return k;
}

const char *const fatal_why[NR_FATAL] = {
	[F_CHAIN] = "more slots than any frontend uses",
	[F_SLOT_PAGE] = "slot crosses its page",
	[F_FIRST_PAGE] = "first slot crosses its page",
	[F_EXTRA_TYPE] = "extra-info type unknown",
	[F_EXTRA_REPEAT] = "extra-info type repeated",
	[F_EXTRA_MANY] = "too many extra-info slots",
	[F_TX_AHEAD] = "TX producer index a ring ahead",
	[F_TX_BEHIND] = "TX producer index a ring ahead",
	[F_RX_AHEAD] = "RX producer index a ring ahead",
};

/* more_data on every slot, past FATAL_SLOTS, to the end of the batch. */
static void f_chain(void)
{
	unsigned int n = FATAL_SLOTS + 1 + rnd_below(tx_room() - FATAL_SLOTS - 2);
	struct netif_tx_request r = { .flags = NETTXF_more_data };
	unsigned int i;

	for (i = 0; i < n; i++) {
		r.gref = good_ref();
		r.size = i ? rnd_below(64) : 4000;
		r.offset = rnd_below(64);
		r.id = rnd();
		tx_put_req(&r, F_FATAL, 0);
	}
	tx_pkt_end();
	sent[F_FATAL]++;
}

/*
 * A slot whose bytes run past its page; @j 0: the first, alone (its own
 * bytes are then the packet's size).
 */
static void f_page(struct pktb *b, unsigned int j)
{
	u16 s = 1 + rnd_below(j ? 200 : 1500);

	b->d[j].offset = PAGE - s + 1 + rnd_below(s);
	if (!j) {
		b->nd = 1;
		s += ETH_HLEN;
		b->d[0].offset = PAGE - s + 1 + rnd_below(s);
		b->d[0].size = s;
		return;
	}
	b->d[0].size += s - b->d[j].size;
	b->d[j].size = s;
}

static void f_extra(struct pktb *b, u8 type)
{
	struct netif_extra_info *e = &b->ext[b->next++];

	memset(e, 0, sizeof(*e));
	e->type = type;
}

void fatal_packet(enum fatal f)
{
	struct pktb b;

	if (f == F_CHAIN) {
		f_chain();
		return;
	}
	memset(&b, 0, sizeof(b));
	fine_data(&b);
	if (f == F_SLOT_PAGE && b.nd == 1)
		data_slot(&b, 0, good_ref());
	if (f == F_SLOT_PAGE)
		f_page(&b, 1 + rnd_below(b.nd - 1));
	if (f == F_FIRST_PAGE)
		f_page(&b, 0);
	if (f == F_EXTRA_TYPE) {
		some_extras(&b, 2);
		f_extra(&b, one_in(4) ? XEN_NETIF_EXTRA_TYPE_NONE :
			    EXTRA_TYPE_END + rnd_below(250));
	}
	if (f == F_EXTRA_REPEAT) {
		f_extra(&b, XEN_NETIF_EXTRA_TYPE_HASH);
		some_extras(&b, 1);
		f_extra(&b, XEN_NETIF_EXTRA_TYPE_HASH);
	}
	if (f == F_EXTRA_MANY) {
		gso_extra(&b, 1448, XEN_NETIF_GSO_TYPE_TCPV4);
		f_extra(&b, XEN_NETIF_EXTRA_TYPE_MCAST_ADD);
		f_extra(&b, XEN_NETIF_EXTRA_TYPE_MCAST_DEL);
		f_extra(&b, XEN_NETIF_EXTRA_TYPE_HASH);
		f_extra(&b, EXTRA_TYPE_XDP);
		f_extra(&b, XEN_NETIF_EXTRA_TYPE_MCAST_ADD);
		b.flags = NETTXF_csum_blank;
	}
	emit(&b, F_FATAL, 0);
}

/* What the backend's counters call the packet (netback_io.c). */
enum fate fate_of(enum kind k)
{
	switch (k) {
	case K_BAD_GREF:
	case K_CSUM_NOTIP:
		/* tx_errors: the build or offload failed */
		return FATE_ERRORS;
	case K_SPOOF:
		return FATE_SPOOFED;
	case V_FRAME:
	case V_ECHO:
		return FATE_PACKETS;
	default:
		return FATE_DROPPED;	/* tx_dropped: netif_req.c said DROP */
	}
}

/* ---- the checks ---- */

void check_tx_rsp(struct txrec *t, const struct netif_tx_response *r)
{
	bool ok = t->extra ? r->status == NETIF_RSP_NULL :
		  r->id == t->s.req.id && r->status == t->want;

	t->done = ok;
	if (ok || bad_tx_rsp++ >= MAX_REPORTS)
		return;
	if (t->extra)
		kg_check(false, "batch %u: %s: extra type %u answered id %u status %d, want %d",
			 batch_no, kind_name[t->kind], t->s.extra.type, r->id,
			 r->status, NETIF_RSP_NULL);
	else
		kg_check(false, "batch %u: %s: %#x+%u/%u flags %#x id %u: id %u status %d, want %d",
			 batch_no, kind_name[t->kind], t->s.req.gref,
			 t->s.req.offset, t->s.req.size, t->s.req.flags,
			 t->s.req.id, r->id, r->status, t->want);
}

bool all_bytes(const u8 *p, u8 v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * An ARP reply from L1 to us: L1's MAC, for the unicast frames; or a
 * request for our address, to be answered.
 */
static void rx_arp(const u8 *f, u32 len)
{
	const u8 *a = f + ETH_HLEN;

	if (len < ETH_HLEN + 28 || memcmp(a + 24, addr.ip, 4))
		return;
	if (get16(a + 6) == 1) {
		memcpy(arp_asker_mac, a + 8, ETH_ALEN);
		memcpy(arp_asker_ip, a + 14, 4);
		arp_owed = true;
		return;
	}
	if (get16(a + 6) != 2 || memcmp(a + 14, addr.l1_ip, 4))
		return;
	if (!addr.have_l1_mac) {
		memcpy(addr.l1_mac, a + 8, ETH_ALEN);
		addr.have_l1_mac = true;
	}
	arp_replies++;
}

/* An echo reply from L1: it must bring our payload back. */
static void rx_icmp(const u8 *f, u32 len)
{
	const u8 *ip = f + ETH_HLEN, *ic = ip + 20;
	u8 want[ECHO_DATA];
	u16 seq;

	if (len < ECHO_LEN || ip[0] != 0x45 || ip[9] != 1 ||
	    memcmp(ip + 12, addr.l1_ip, 4) || memcmp(ip + 16, addr.ip, 4) ||
	    ic[0] != 0 || get16(ic + 4) != ECHO_ID)
		return;
	seq = get16(ic + 6);
	echo_payload(want, seq);
	if (get16(ip + 2) != ECHO_LEN - ETH_HLEN ||
	    memcmp(ic + 8, want, ECHO_DATA) || !seq || seq > echo_sent) {
		if (echo_wrong++ < MAX_REPORTS)
			kg_check(false, "an echo reply, seq %u (of %llu), is not what we sent",
				 seq, (unsigned long long)echo_sent);
		return;
	}
	if (!echo_answered(seq))
		echo_back++;
	echo_seen[seq / 8] |= 1u << (seq % 8);
}

/* A whole packet from the RX ring. */
static void rx_frame(const u8 *f, u32 len)
{
	rx_packets++;
	if (len < ETH_HLEN)
		return;
	if (get16(f + 12) == ETH_P_ARP)
		rx_arp(f, len);
	else if (get16(f + 12) == ETH_P_IP)
		rx_icmp(f, len);
}

static bool rx_bad(const char *what, const struct rxrec *rec,
		   const struct netif_rx_response *r)
{
	if (bad_rx_rsp++ < MAX_REPORTS)
		kg_check(false, "RX: %s: id %u gref %#x%s: id %u offset %u flags %#x status %d",
			 what, rec->id, rec->gref, rec->bad ? " (bad)" : "",
			 r->id, r->offset, r->flags, r->status);
	return false;
}

/* The packet coming in: its bytes so far, and whether an extra is next. */
static struct {
	u8 buf[4 * PAGE];
	u32 len;
	bool extra_next, bad;
} in;

/* A buffer's response: id, status, the bytes it covers and no others. */
static bool rx_data(const struct rxrec *rec,
		    const struct netif_rx_response *r, const u8 *buf)
{
	const u16 known = NETRXF_data_validated | NETRXF_csum_blank |
			  NETRXF_more_data | NETRXF_extra_info;

	if (r->id != rec->id)
		return rx_bad("id not the buffer's", rec, r);
	if (r->flags & ~known)
		return rx_bad("unknown flags", rec, r);
	if (rec->bad) {
		rx_errors_bad++;
		return r->status == NETIF_RSP_ERROR ||
		       rx_bad("a buffer we did not grant writable: not an error",
			      rec, r);
	}
	if (r->status < 0) {
		rx_errors_good++;
		return rx_bad("an error on a good buffer", rec, r);
	}
	if (r->offset + r->status > PAGE)
		return rx_bad("offset + status past the page", rec, r);
	if (!all_bytes(buf, CANARY_RX, r->offset) ||
	    !all_bytes(buf + r->offset + r->status, CANARY_RX,
		       PAGE - r->offset - r->status)) {
		if (rx_canary_bad++ < MAX_REPORTS)
			rx_bad("bytes written outside what the response covers",
			       rec, r);
		return false;
	}
	if (in.len + r->status <= sizeof(in.buf))
		memcpy(in.buf + in.len, buf + r->offset, r->status);
	in.len += r->status;
	return true;
}

void check_rx_rsp(const struct rxrec *rec, const struct netif_rx_response *r,
		  const u8 *buf)
{
	const struct netif_extra_info *e = (const void *)r;

	if (in.extra_next) {
		/* netif.h: an extra takes a slot, and the buffer with it. */
		in.extra_next = e->flags & XEN_NETIF_EXTRA_FLAG_MORE;
		if (e->type != XEN_NETIF_EXTRA_TYPE_GSO || !e->u.gso.size) {
			in.bad = true;
			if (bad_rx_rsp++ < MAX_REPORTS)
				kg_check(false, "RX: extra-info of type %u, GSO size %u",
					 e->type, e->u.gso.size);
		}
		return;
	}
	if (!rx_data(rec, r, buf))
		in.bad = true;
	in.extra_next = r->flags & NETRXF_extra_info;
	if (r->flags & NETRXF_more_data)
		return;
	if (!in.bad && in.len <= sizeof(in.buf))
		rx_frame(in.buf, in.len);
	in.len = 0;
	in.bad = false;
}
