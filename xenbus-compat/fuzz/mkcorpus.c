// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the fuzzer's seed corpus: one file per message type of
 * io/xs_wire.h (and a few conversations), framed as fuzz_xs.c reads
 * them.
 *
 *   mkcorpus DIR
 */
#include <stdio.h>
#include <string.h>

#include "xs_os.h"

static u8 out[65536];
static size_t used;

/* One message, "|" standing for NUL in @payload, to connection @conn. */
static void msg(int conn, u32 type, u32 tx, const char *payload)
{
	struct xsd_sockmsg h = { .type = type, .req_id = 7, .tx_id = tx };
	size_t i, n = strlen(payload), total = sizeof(h) + n;

	h.len = n;
	out[used++] = conn | 0x80;
	out[used++] = total & 0xff;
	out[used++] = total >> 8;
	memcpy(out + used, &h, sizeof(h));
	used += sizeof(h);
	for (i = 0; i < n; i++)
		out[used++] = payload[i] == '|' ? 0 : payload[i];
}

static int save(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(out, 1, used, f) != used) {
		perror(path);
		return 1;
	}
	used = 0;
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	const char *d = argc > 1 ? argv[1] : ".";
	int err = 0;

	msg(0, XS_WRITE, 0, "/a/b|v");
	msg(0, XS_READ, 0, "/a/b|");
	msg(0, XS_DIRECTORY, 0, "/a|");
	msg(0, XS_DIRECTORY_PART, 0, "/a|0|");
	msg(0, XS_GET_PERMS, 0, "/a/b|");
	msg(0, XS_SET_PERMS, 0, "/a/b|n0|r5|b6|");
	msg(0, XS_MKDIR, 0, "/m|");
	msg(0, XS_RM, 0, "/a|");
	err |= save(d, "basic");
	msg(1, XS_WATCH, 0, "dev|tok|");
	msg(1, XS_WRITE, 0, "dev/x|1");
	msg(2, XS_WATCH, 0, "/local/domain/5|t|");
	msg(0, XS_RM, 0, "/local/domain/5/dev|");
	msg(1, XS_UNWATCH, 0, "dev|tok|");
	msg(1, XS_RESET_WATCHES, 0, "|");
	err |= save(d, "watch");
	msg(1, XS_TRANSACTION_START, 0, "|");
	msg(1, XS_WRITE, 1, "t/x|1");
	msg(1, XS_READ, 1, "t/x|");
	msg(2, XS_WRITE, 0, "/local/domain/5/t/x|2");
	msg(1, XS_TRANSACTION_END, 1, "T|");
	msg(0, XS_TRANSACTION_START, 0, "|");
	msg(0, XS_RM, 1, "/local|");
	msg(0, XS_TRANSACTION_END, 1, "F|");
	err |= save(d, "txn");
	msg(0, XS_INTRODUCE, 0, "9|1234|3|");
	msg(0, XS_IS_DOMAIN_INTRODUCED, 0, "9|");
	msg(0, XS_GET_DOMAIN_PATH, 0, "9|");
	msg(0, XS_RESUME, 0, "9|");
	msg(0, XS_SET_TARGET, 0, "9|5|");
	msg(0, XS_RELEASE, 0, "9|");
	msg(3, XS_WATCH, 0, "@releaseDomain|r|");
	msg(0, XS_SET_PERMS, 0, "@releaseDomain|n0|r5|");
	err |= save(d, "domain");
	msg(0, XS_CONTROL, 0, "print|hi|");
	msg(0, XS_CONTROL, 0, "quota|");
	msg(0, XS_CONTROL, 0, "quota-set|nodes|3|5|");
	msg(1, XS_MKDIR, 0, "q1|");
	msg(1, XS_MKDIR, 0, "q2|");
	msg(1, XS_MKDIR, 0, "q3|");
	msg(1, XS_INTRODUCE, 0, "1|2|3|");
	msg(0, XS_ERROR, 0, "x|");
	msg(0, 20, 0, "x|");
	err |= save(d, "control");
	msg(1, XS_READ, 0, "/a");
	msg(1, XS_WRITE, 0, "nonul");
	msg(1, XS_SET_PERMS, 0, "x|q1|");
	err |= save(d, "malformed");
	return err;
}
