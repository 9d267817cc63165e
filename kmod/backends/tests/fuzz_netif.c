// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the netif transmit checks: any bytes a frontend
 * can put in the slots of a ring.  Whatever is accepted lies inside the
 * slots given, every data slot inside its page, the counts within the
 * limits; a verdict never reads past @avail slots (ASan watches).
 */
#include <stdlib.h>
#include <string.h>

#include "../netif_req.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	union kxen_netslot *s;
	struct kxen_nettx_pkt p;
	enum kxen_nettx_verdict v;
	u32 avail = size / sizeof(*s), i, data_bytes = 0;

	/* Exactly @avail slots on the heap: a read past them is caught. */
	s = malloc(avail ? avail * sizeof(*s) : 1);
	if (!s)
		return 0;
	memcpy(s, data, avail * sizeof(*s));
	v = kxen_nettx_parse(s, avail, &p);
	if (v == KXEN_NETTX_DROP || v == KXEN_NETTX_OK) {
		if (1u + p.nr_extras + p.nr_slots - 1 > avail ||
		    p.nr_slots > KXEN_NETTX_FATAL_SLOTS ||
		    p.nr_extras > KXEN_NETTX_MAX_EXTRAS)
			abort();
	}
	if (v == KXEN_NETTX_OK) {
		if (p.nr_slots > KXEN_NETTX_MAX_SLOTS ||
		    p.len < KXEN_NET_ETH_HLEN ||
		    s[0].req.offset + p.first_len > KXEN_NET_PAGE_SIZE)
			abort();
		data_bytes = p.first_len;
		for (i = 1; i < p.nr_slots; i++) {
			const struct kxen_nettx_req *r = &s[p.nr_extras + i].req;

			if (r->offset + r->size > KXEN_NET_PAGE_SIZE)
				abort();
			data_bytes += r->size;
		}
		if (data_bytes != p.len || (p.gso_type && !p.csum_blank))
			abort();
	}
	if ((v == KXEN_NETTX_DROP || v == KXEN_NETTX_FATAL) && !p.why)
		abort();
	free(s);
	return 0;
}
