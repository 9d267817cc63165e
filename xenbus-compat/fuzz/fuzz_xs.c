// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the wire protocol and the store behind it.
 *
 * The input is a sequence of chunks, each [conn][len_lo][len_hi][bytes]:
 * the bytes go, as they are, to one of four connections (the host, two
 * guests, one of which is SET_TARGET to the other, and a second host
 * connection); conn's top bit drains that connection's output after the
 * chunk.  So partial messages, interleaved clients, transactions racing
 * each other, watches, quotas and oversized payloads are all reachable.
 *
 * Checked after every input, beyond the sanitizers: every message sent
 * back is within XENSTORE_PAYLOAD_MAX, and the per-domain node counts
 * add up to the nodes in the tree.
 */
#include "xs_core.h"

#define NCONN 4

static void check_output(struct xs_conn *c)
{
	static u8 buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg h;

	while (xs_conn_output(c, &h, sizeof(h)) == sizeof(h)) {
		if (h.len > XENSTORE_PAYLOAD_MAX)
			__builtin_trap();
		if (xs_conn_output(c, buf, h.len) != h.len)
			__builtin_trap();
	}
}

static void check_accounting(struct xs_store *st)
{
	struct xs_dom *d;
	u64 sum = 0;

	for (d = st->doms; d; d = d->next)
		sum += d->nodes;
	/* The root is nobody's. */
	if (sum + 1 != xs_store_nodes(st))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct xs_store *st = xs_store_new();
	struct xs_conn *c[NCONN];
	struct xs_perm home = { 5, XS_PERM_NONE };
	size_t len;
	int i, w;

	if (!st)
		return 0;
	c[0] = xs_conn_new(st, 0, XS_CONN_PRIV);
	c[1] = xs_conn_new(st, 5, 0);
	c[2] = xs_conn_new(st, 6, 0);
	c[3] = xs_conn_new(st, 0, XS_CONN_PRIV);
	xs_mkdir(c[0], 0, "/local/domain/5");
	xs_set_perms(c[0], 0, "/local/domain/5", &home, 1);
	xs_domain_introduce(st, 6);
	xs_domain_set_target(st, 6, 5);
	while (size >= 3) {
		w = data[0];
		len = data[1] | data[2] << 8;
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		i = (w & 0x7f) % NCONN;
		xs_conn_input(c[i], data, len);
		if (w & 0x80)
			check_output(c[i]);
		data += len;
		size -= len;
	}
	for (i = 0; i < NCONN; i++)
		check_output(c[i]);
	check_accounting(st);
	xs_store_free(st);
	return 0;
}
