// SPDX-License-Identifier: GPL-2.0
/*
 * Payload decompression with the distribution's libraries: zlib (gzip),
 * libbz2, liblzma (xz and lzma-alone), liblz4 (legacy frames) and
 * libzstd.  Every decoder reads one stream and stops at its end marker,
 * whatever follows: Linux's size_append adds the decompressed size after
 * the bzip2, lzma, xz, lz4 and zstd payloads.
 *
 * Every loop either makes progress, grows the output buffer (bounded by
 * the cap) or stops, so no input can make it spin.
 */
#include <bzlib.h>
#include <limits.h>
#include <lz4.h>
#include <lzma.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "decomp.h"
#include "util.h"

/* lz4 legacy frame (lz4's doc/lz4_Frame_format.md, "Legacy frame") */
#define LZ4_LEGACY_MAGIC	0x184c2102U
#define LZ4_LEGACY_BLOCK	(8U << 20)	/* uncompressed block size */

/* Enough for xz -9 and Linux's 32 MiB xz dictionary */
#define XZ_MEMLIMIT		(128ULL << 20)

struct dctx {
	const unsigned char *in;
	size_t len;
	size_t pos;		/* input consumed, for error messages */
	unsigned char *out;
	size_t out_len, out_size;
	size_t cap;
	bool failed;		/* message already in err */
	char *err;
	size_t errlen;
};

static const struct {
	enum decomp_fmt fmt;
	const char *name;
	const unsigned char magic[6];
	size_t magic_len;
} formats[] = {
	{ DECOMP_XZ, "xz", { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, 6 },
	{ DECOMP_LZMA, "lzma", { 0x5d, 0x00, 0x00 }, 3 },
	{ DECOMP_GZIP, "gzip", { 0x1f, 0x8b }, 2 },
	{ DECOMP_ZSTD, "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4 },
	{ DECOMP_LZ4, "lz4", { 0x02, 0x21, 0x4c, 0x18 }, 4 },
	{ DECOMP_BZIP2, "bzip2", { 'B', 'Z', 'h' }, 3 },
};

enum decomp_fmt decomp_detect(const void *buf, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(formats); i++)
		if (len >= formats[i].magic_len &&
		    !memcmp(buf, formats[i].magic, formats[i].magic_len))
			return formats[i].fmt;
	return DECOMP_UNKNOWN;
}

const char *decomp_name(enum decomp_fmt fmt)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(formats); i++)
		if (formats[i].fmt == fmt)
			return formats[i].name;
	return "unknown";
}

static int dfail(struct dctx *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int dfail(struct dctx *d, const char *fmt, ...)
{
	va_list ap;

	if (d->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(d->err, d->errlen, fmt, ap);
	va_end(ap);
	d->failed = true;
	return -1;
}

static int overflow(struct dctx *d)
{
	if (d->cap && !(d->cap & ((1UL << 20) - 1)))
		return dfail(d, "decompresses to more than %zu MiB",
			     d->cap >> 20);
	return dfail(d, "decompresses to more than %zu bytes", d->cap);
}

/*
 * Make room for @need bytes after out_len.  The buffer holds at most
 * cap + 1 bytes: a streaming decoder that fills that last byte has
 * produced too much.
 */
static int reserve(struct dctx *d, size_t need)
{
	size_t size = d->out_size ? d->out_size : 4 * d->len + 4096;
	void *p;

	if (d->out_size - d->out_len >= need)
		return 0;
	if (need > d->cap + 1 - d->out_len)
		return overflow(d);
	while (size - d->out_len < need && size <= d->cap)
		size *= 2;
	if (size > d->cap + 1)
		size = d->cap + 1;
	p = realloc(d->out, size);
	if (!p)
		return dfail(d, "out of memory for %zu bytes", size);
	d->out = p;
	d->out_size = size;
	return 0;
}

static int grow(struct dctx *d)
{
	return reserve(d, 1);
}

/* Classify a decoder that stopped before its end marker. */
static int stopped(struct dctx *d, const char *why)
{
	if (d->out_len > d->cap)
		return overflow(d);
	if (d->pos >= d->len)
		return dfail(d,
			     "truncated: the stream ends without its end marker at byte %zu",
			     d->len);
	return dfail(d, "corrupt data at byte %zu (%s)", d->pos, why);
}

static const char *lzma_why(lzma_ret r)
{
	switch (r) {
	case LZMA_MEMLIMIT_ERROR:
		return "needs more than 128 MiB of dictionary";
	case LZMA_FORMAT_ERROR:
		return "bad header";
	case LZMA_OPTIONS_ERROR:
		return "unsupported options";
	case LZMA_DATA_ERROR:
		return "bad compressed data";
	case LZMA_BUF_ERROR:
		return "unexpected end of input";
	default:
		return "liblzma error";
	}
}

/* xz (first stream only, so the appended size is ignored) and lzma */
static int run_lzma(struct dctx *d, bool xz)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r;

	r = xz ? lzma_stream_decoder(&s, XZ_MEMLIMIT, 0) :
		 lzma_alone_decoder(&s, XZ_MEMLIMIT);
	if (r != LZMA_OK)
		return dfail(d, "cannot start liblzma's decoder (error %d)", r);
	s.next_in = d->in;
	s.avail_in = d->len;
	do {
		if (grow(d))
			break;
		s.next_out = d->out + d->out_len;
		s.avail_out = d->out_size - d->out_len;
		r = lzma_code(&s, LZMA_FINISH);
		d->out_len = s.total_out;
		d->pos = s.total_in;
	} while (r == LZMA_OK);
	lzma_end(&s);
	if (d->failed)
		return -1;
	return r == LZMA_STREAM_END ? 0 : stopped(d, lzma_why(r));
}

static int run_gzip(struct dctx *d)
{
	z_stream s = { 0 };
	int r = Z_OK;

	if (d->len > UINT_MAX || d->cap >= UINT_MAX)
		return dfail(d, "payload too large for zlib");
	if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK)	/* gzip header */
		return dfail(d, "cannot start zlib's decoder");
	s.next_in = (unsigned char *)d->in;
	s.avail_in = d->len;
	do {
		if (grow(d))
			break;
		s.next_out = d->out + d->out_len;
		s.avail_out = d->out_size - d->out_len;
		r = inflate(&s, Z_NO_FLUSH);
		d->out_len = s.total_out;
		d->pos = s.total_in;
	} while (r == Z_OK);
	if (!d->failed && r != Z_STREAM_END)
		stopped(d, s.msg ? s.msg : "zlib error");
	inflateEnd(&s);
	return d->failed ? -1 : 0;
}

static int run_bzip2(struct dctx *d)
{
	bz_stream s = { 0 };
	int r = BZ_OK;

	if (d->len > UINT_MAX || d->cap >= UINT_MAX)
		return dfail(d, "payload too large for libbz2");
	if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK)
		return dfail(d, "cannot start libbz2's decoder");
	s.next_in = (char *)d->in;
	s.avail_in = d->len;
	do {
		if (grow(d))
			break;
		s.next_out = (char *)d->out + d->out_len;
		s.avail_out = d->out_size - d->out_len;
		r = BZ2_bzDecompress(&s);
		d->out_len = s.total_out_lo32;
		d->pos = s.total_in_lo32;
		/* libbz2 says BZ_OK, not an error, when input runs out */
		if (r == BZ_OK && !s.avail_in && s.avail_out)
			break;
	} while (r == BZ_OK);
	BZ2_bzDecompressEnd(&s);
	if (d->failed)
		return -1;
	return r == BZ_STREAM_END ? 0 :
	       stopped(d, r == BZ_OK ? "unexpected end of input" :
			  "bad compressed data");
}

static int run_zstd(struct dctx *d)
{
	ZSTD_DCtx *z = ZSTD_createDCtx();
	ZSTD_inBuffer ib = { d->in, d->len, 0 };
	ZSTD_outBuffer ob;
	size_t r = 1;

	if (!z)
		return dfail(d, "cannot start libzstd's decoder");
	while (!grow(d)) {
		ob = (ZSTD_outBuffer){ d->out, d->out_size, d->out_len };
		r = ZSTD_decompressStream(z, &ob, &ib);
		d->out_len = ob.pos;
		d->pos = ib.pos;
		if (ZSTD_isError(r) || r == 0)
			break;
		if (ib.pos == ib.size && ob.pos < ob.size)
			break;	/* wants input there is not */
	}
	ZSTD_freeDCtx(z);
	if (d->failed)
		return -1;
	if (ZSTD_isError(r))
		return dfail(d, "corrupt data at byte %zu (%s)", d->pos,
			     ZSTD_getErrorName(r));
	return r == 0 ? 0 : stopped(d, "unexpected end of input");
}

static uint32_t get_le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One legacy block at d->pos (its size field already read) */
static int lz4_block(struct dctx *d, unsigned char *tmp, uint32_t bsize)
{
	int n;

	if (bsize > LZ4_COMPRESSBOUND(LZ4_LEGACY_BLOCK))
		return dfail(d,
			     "corrupt data at byte %zu (block size %u is larger than an lz4 legacy block)",
			     d->pos - 4, bsize);
	if (bsize > d->len - d->pos)
		return dfail(d,
			     "truncated: a %u-byte block at byte %zu runs past the end at byte %zu",
			     bsize, d->pos, d->len);
	n = LZ4_decompress_safe((const char *)d->in + d->pos, (char *)tmp,
				bsize, LZ4_LEGACY_BLOCK);
	if (n < 0)
		return dfail(d, "corrupt data at byte %zu (bad lz4 block)",
			     d->pos);
	d->pos += bsize;
	if ((size_t)n > d->cap - d->out_len)
		return overflow(d);
	if (reserve(d, n))
		return -1;
	memcpy(d->out + d->out_len, tmp, n);
	d->out_len += n;
	return 0;
}

/*
 * Legacy frames: magic, then blocks of (le32 size, data) up to the end
 * of the input; a magic in place of a size starts a new frame.  Linux's
 * appended size would read as a block size: four last bytes that equal
 * the output size are taken as that.
 */
static int run_lz4(struct dctx *d)
{
	unsigned char *tmp = malloc(LZ4_LEGACY_BLOCK);
	uint32_t v;
	int ret = 0;

	if (d->len < 4 || get_le32(d->in) != LZ4_LEGACY_MAGIC) {
		free(tmp);
		return dfail(d, "not an lz4 legacy frame");
	}
	if (!tmp)
		return dfail(d, "out of memory");
	d->pos = 4;
	while (!ret && d->len - d->pos >= 4) {
		v = get_le32(d->in + d->pos);
		if (d->len - d->pos == 4 && d->out_len && v == d->out_len) {
			d->pos += 4;
			break;
		}
		d->pos += 4;
		if (v != LZ4_LEGACY_MAGIC)
			ret = lz4_block(d, tmp, v);
	}
	free(tmp);
	if (!ret && d->pos != d->len)
		ret = dfail(d, "truncated: %zu stray bytes at byte %zu",
			    d->len - d->pos, d->pos);
	if (!ret && !d->out_len)
		ret = dfail(d, "truncated: no data after the lz4 magic");
	return ret;
}

int decomp_run(enum decomp_fmt fmt, const void *in, size_t len, size_t cap,
	       void **out, size_t *out_len, char *err, size_t errlen)
{
	struct dctx d = { .in = in, .len = len, .cap = cap, .err = err,
			  .errlen = errlen };
	int r;

	switch (fmt) {
	case DECOMP_XZ:
	case DECOMP_LZMA:
		r = run_lzma(&d, fmt == DECOMP_XZ);
		break;
	case DECOMP_GZIP:
		r = run_gzip(&d);
		break;
	case DECOMP_BZIP2:
		r = run_bzip2(&d);
		break;
	case DECOMP_ZSTD:
		r = run_zstd(&d);
		break;
	case DECOMP_LZ4:
		r = run_lz4(&d);
		break;
	default:
		r = dfail(&d, "unknown compression format");
		break;
	}
	if (r) {
		free(d.out);
		return -1;
	}
	*out = d.out;
	*out_len = d.out_len;
	return 0;
}
