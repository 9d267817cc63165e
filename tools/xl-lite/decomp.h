/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compression formats a bzImage payload comes in (Linux's
 * arch/x86/boot/compressed/Makefile: gzip, bzip2, lzma, xz, lzo, lz4,
 * zstd), decoded with the distribution's libraries.  LZO is not
 * supported: Debian ships no LZO library that reads lzop's format.
 */
#ifndef XL_LITE_DECOMP_H
#define XL_LITE_DECOMP_H

#include <stddef.h>

enum decomp_fmt {
	DECOMP_UNKNOWN,
	DECOMP_GZIP,
	DECOMP_BZIP2,
	DECOMP_LZMA,
	DECOMP_XZ,
	DECOMP_LZ4,	/* lz4 legacy frames (lz4 -l), as Linux builds them */
	DECOMP_ZSTD,
};

/* No kernel decompresses to more; stops a corrupt size field early. */
#define DECOMP_MAX_OUT		(256UL << 20)

/* The format whose magic @buf starts with, or DECOMP_UNKNOWN. */
enum decomp_fmt decomp_detect(const void *buf, size_t len);

/* "gzip", "xz", ...; "unknown" for DECOMP_UNKNOWN. */
const char *decomp_name(enum decomp_fmt fmt);

/*
 * Decode the first stream of @in as @fmt into a malloc()ed *out of
 * *out_len bytes, at most @cap bytes.  Bytes after the end of the stream
 * are ignored: Linux appends the decompressed size to most payloads.
 * Returns 0, or -1 with a message in @err ("corrupt data at byte N
 * (...)", "truncated: ...", "decompresses to more than N MiB").
 */
int decomp_run(enum decomp_fmt fmt, const void *in, size_t len, size_t cap,
	       void **out, size_t *out_len, char *err, size_t errlen);

#endif /* XL_LITE_DECOMP_H */
