// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the netif transmit checks (../netif_req.c): what Linux's
 * netfront sends (one slot, several, a GSO extra) is taken as it meant
 * it, a packet still being written waits, and each malformed packet is
 * dropped or, past what any frontend does, called fatal, as Linux's
 * netback does.
 */
#include <stdio.h>
#include <string.h>

#include "../netif_req.h"
#include "../../xen/tests/tap.h"

static union kxen_netslot s[KXEN_NETTX_SPAN + 4];

static void slot(u32 i, u16 off, u16 size, u16 flags)
{
	memset(&s[i], 0, sizeof(s[i]));
	s[i].req.gref = 100 + i;
	s[i].req.id = i;
	s[i].req.offset = off;
	s[i].req.size = size;
	s[i].req.flags = flags;
}

static void gso(u32 i, u8 type, u16 size, u8 flags)
{
	memset(&s[i], 0, sizeof(s[i]));
	s[i].extra.type = XEN_NETIF_EXTRA_TYPE_GSO;
	s[i].extra.flags = flags;
	s[i].extra.u.gso.type = type;
	s[i].extra.u.gso.size = size;
}

static enum kxen_nettx_verdict parse(u32 avail, struct kxen_nettx_pkt *p)
{
	return kxen_nettx_parse(s, avail, p);
}

static void test_good(void)
{
	struct kxen_nettx_pkt p;

	slot(0, 2, 60, KXEN_NETTXF_CSUM_BLANK | KXEN_NETTXF_VALIDATED);
	CHECK(parse(1, &p) == KXEN_NETTX_OK && p.nr_slots == 1 &&
	      !p.nr_extras && p.len == 60 && p.first_len == 60 &&
	      p.csum_blank && p.data_validated, "one slot, checksum left to us");
	/* A 9000-byte frame over three pages. */
	slot(0, 100, 9000, KXEN_NETTXF_MORE_DATA);
	slot(1, 0, 4096, KXEN_NETTXF_MORE_DATA);
	slot(2, 0, 3904, 0);
	CHECK(parse(3, &p) == KXEN_NETTX_OK && p.nr_slots == 3 &&
	      p.first_len == 9000 - 4096 - 3904 && p.len == 9000,
	      "three slots, the first's size is the packet's");
	slot(0, 0, 64000, KXEN_NETTXF_CSUM_BLANK | KXEN_NETTXF_EXTRA_INFO |
	     KXEN_NETTXF_MORE_DATA);
	gso(1, XEN_NETIF_GSO_TYPE_TCPV4, 1448, 0);
	for (u32 i = 2; i < 17; i++)
		slot(i, 0, 4096, KXEN_NETTXF_MORE_DATA);
	slot(17, 0, 64000 - 15 * 4096 - 1000, 0);
	CHECK(parse(18, &p) == KXEN_NETTX_OK && p.nr_slots == 17 &&
	      p.nr_extras == 1 && p.gso_type == XEN_NETIF_GSO_TYPE_TCPV4 &&
	      p.gso_size == 1448 && p.first_len == 1000,
	      "GSO: the extra after the first slot, data after it");
	CHECK(!kxen_nettx_is_extra(&p, 0) && kxen_nettx_is_extra(&p, 1) &&
	      !kxen_nettx_is_extra(&p, 2), "the extra's slot answers NULL");
	/* XSA-448: empty slots are allowed and still count. */
	slot(0, 0, 60, KXEN_NETTXF_MORE_DATA);
	slot(1, 4096, 0, KXEN_NETTXF_MORE_DATA);
	slot(2, 0, 0, 0);
	CHECK(parse(3, &p) == KXEN_NETTX_OK && p.nr_slots == 3 &&
	      p.first_len == 60, "zero-length slots, even at the page end");
	/* XSA-423: a header split across slots is still a packet. */
	slot(0, 0, 54, KXEN_NETTXF_MORE_DATA);
	slot(1, 0, 40, 0);
	CHECK(parse(2, &p) == KXEN_NETTX_OK && p.first_len == 14,
	      "a first slot holding only the Ethernet header");
}

static void test_more(void)
{
	struct kxen_nettx_pkt p;

	CHECK(parse(0, &p) == KXEN_NETTX_MORE, "an empty ring waits");
	slot(0, 0, 200, KXEN_NETTXF_MORE_DATA);
	slot(1, 0, 100, KXEN_NETTXF_MORE_DATA);
	CHECK(parse(2, &p) == KXEN_NETTX_MORE, "a chain not finished waits");
	slot(0, 0, 200, KXEN_NETTXF_EXTRA_INFO);
	CHECK(parse(1, &p) == KXEN_NETTX_MORE, "an extra not written waits");
	gso(1, XEN_NETIF_GSO_TYPE_TCPV6, 1400, XEN_NETIF_EXTRA_FLAG_MORE);
	CHECK(parse(2, &p) == KXEN_NETTX_MORE,
	      "an extra that promises another waits for it");
}

static void test_drop(void)
{
	struct kxen_nettx_pkt p;
	u32 i;

	slot(0, 0, 10, 0);
	CHECK(parse(1, &p) == KXEN_NETTX_DROP && p.nr_slots == 1,
	      "shorter than an Ethernet header: %s", p.why);
	slot(0, 0, 100, KXEN_NETTXF_MORE_DATA);
	slot(1, 0, 200, 0);
	CHECK(parse(2, &p) == KXEN_NETTX_DROP && p.nr_slots == 2,
	      "later slots larger than the packet: %s", p.why);
	for (i = 0; i < 19; i++)
		slot(i, 0, i ? 64 : 19 * 64, i < 18 ? KXEN_NETTXF_MORE_DATA : 0);
	CHECK(parse(19, &p) == KXEN_NETTX_DROP && p.nr_slots == 19,
	      "19 slots, past XEN_NETBK_LEGACY_SLOTS_MAX: %s", p.why);
	slot(0, 0, 3000, KXEN_NETTXF_EXTRA_INFO | KXEN_NETTXF_CSUM_BLANK);
	gso(1, 7, 1400, 0);
	CHECK(parse(2, &p) == KXEN_NETTX_DROP && p.nr_extras == 1 &&
	      p.nr_slots == 1, "GSO type unknown: %s", p.why);
	gso(1, XEN_NETIF_GSO_TYPE_TCPV4, 0, 0);
	CHECK(parse(2, &p) == KXEN_NETTX_DROP, "GSO size 0: %s", p.why);
	slot(0, 0, 3000, KXEN_NETTXF_EXTRA_INFO);
	gso(1, XEN_NETIF_GSO_TYPE_TCPV4, 1400, 0);
	CHECK(parse(2, &p) == KXEN_NETTX_DROP, "GSO with the checksum done: %s",
	      p.why);
}

static void test_fatal(void)
{
	struct kxen_nettx_pkt p;
	u32 i;

	slot(0, 4000, 200, 0);
	CHECK(parse(1, &p) == KXEN_NETTX_FATAL, "first slot past its page: %s",
	      p.why);
	slot(0, 0, 300, KXEN_NETTXF_MORE_DATA);
	slot(1, 4095, 2, 0);
	CHECK(parse(2, &p) == KXEN_NETTX_FATAL, "second slot past its page: %s",
	      p.why);
	for (i = 0; i < KXEN_NETTX_SPAN; i++)
		slot(i, 0, 64, KXEN_NETTXF_MORE_DATA);
	CHECK(parse(KXEN_NETTX_SPAN, &p) == KXEN_NETTX_FATAL &&
	      p.nr_slots == KXEN_NETTX_FATAL_SLOTS,
	      "an endless chain stops at %u slots: %s",
	      KXEN_NETTX_FATAL_SLOTS, p.why);
	slot(0, 0, 100, KXEN_NETTXF_EXTRA_INFO);
	memset(&s[1], 0, sizeof(s[1]));
	CHECK(parse(2, &p) == KXEN_NETTX_FATAL, "extra type 0: %s", p.why);
	s[1].extra.type = KXEN_NETTX_EXTRA_TYPES;
	CHECK(parse(2, &p) == KXEN_NETTX_FATAL, "extra type past the last: %s",
	      p.why);
	gso(1, XEN_NETIF_GSO_TYPE_TCPV4, 1400, XEN_NETIF_EXTRA_FLAG_MORE);
	gso(2, XEN_NETIF_GSO_TYPE_TCPV4, 1400, 0);
	CHECK(parse(3, &p) == KXEN_NETTX_FATAL, "GSO extra twice: %s", p.why);
	for (i = 1; i < 8; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].extra.type = 1 + (i - 1) % 4;
		s[i].extra.flags = XEN_NETIF_EXTRA_FLAG_MORE;
	}
	CHECK(parse(8, &p) == KXEN_NETTX_FATAL && p.nr_extras <= 4,
	      "an endless extra chain stops: %s", p.why);
}

int main(void)
{
	test_good();
	test_more();
	test_drop();
	test_fatal();
	return tap_done();
}
