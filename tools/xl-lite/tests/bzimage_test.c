// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bzImage unpacking (bzimage.c, decomp.c): a generated
 * test kernel, compressed in-process with each library's encoder in the
 * shape Linux's arch/x86/boot/compressed/Makefile gives it (the 4-byte
 * size appended to all but gzip), wrapped in a setup header.
 */
#include <bzlib.h>
#include <lz4.h>
#include <lzma.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "bzimage.h"
#include "pvhelf.h"
#include "tap.h"
#include "bzgen.h"
#include "elfgen.h"
#include "util.h"

struct blob {
	unsigned char *p;
	size_t len;
};

static const struct elfgen kernel = {
	.paddr = 0x100000, .filesz = 0x5000, .memsz = 0x6000,
	.entry = 0x100040,
};

static char err[256];

static void append_size(struct blob *z, size_t size)
{
	bzgen_put(z->p + z->len, size, 4);
	z->len += 4;
}

static void enc_gzip(const struct blob *in, struct blob *z)
{
	z_stream s = { 0 };

	deflateInit2(&s, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
		     Z_DEFAULT_STRATEGY);
	s.next_in = in->p;
	s.avail_in = in->len;
	s.next_out = z->p;
	s.avail_out = z->len;
	deflate(&s, Z_FINISH);
	z->len = s.total_out;
	deflateEnd(&s);
}

static void enc_lzma(const struct blob *in, struct blob *z, bool xz)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	lzma_ret r;

	lzma_lzma_preset(&opt, 6);
	if (xz)
		r = lzma_easy_encoder(&s, 6, LZMA_CHECK_CRC32);
	else
		r = lzma_alone_encoder(&s, &opt);
	if (r != LZMA_OK)
		return;		/* the test then fails on the empty blob */
	s.next_in = in->p;
	s.avail_in = in->len;
	s.next_out = z->p;
	s.avail_out = z->len;
	while (lzma_code(&s, LZMA_FINISH) == LZMA_OK)
		;
	z->len = s.total_out;
	lzma_end(&s);
	append_size(z, in->len);
}

/* Legacy frame, in blocks of @block bytes (lz4 -l uses 8 MiB). */
static void enc_lz4(const struct blob *in, struct blob *z, size_t block)
{
	size_t off, n, out = 4;
	int c;

	bzgen_put(z->p, 0x184c2102, 4);
	for (off = 0; off < in->len; off += n) {
		n = in->len - off < block ? in->len - off : block;
		c = LZ4_compress_default((char *)in->p + off,
					 (char *)z->p + out + 4, n,
					 z->len - out - 4);
		bzgen_put(z->p + out, c, 4);
		out += 4 + c;
	}
	z->len = out;
	append_size(z, in->len);
}

static void enc_other(enum decomp_fmt fmt, const struct blob *in,
		      struct blob *z)
{
	unsigned int n = z->len;

	if (fmt == DECOMP_ZSTD) {
		z->len = ZSTD_compress(z->p, z->len, in->p, in->len, 19);
	} else {
		BZ2_bzBuffToBuffCompress((char *)z->p, &n, (char *)in->p,
					 in->len, 9, 0, 0);
		z->len = n;
	}
	append_size(z, in->len);
}

/* @in compressed as @fmt (in the test's shape), in a malloc()ed blob. */
static struct blob pack(enum decomp_fmt fmt, const struct blob *in)
{
	struct blob z = { .len = 2 * in->len + 4096 };

	z.p = malloc(z.len);
	if (fmt == DECOMP_GZIP)
		enc_gzip(in, &z);
	else if (fmt == DECOMP_XZ || fmt == DECOMP_LZMA)
		enc_lzma(in, &z, fmt == DECOMP_XZ);
	else if (fmt == DECOMP_LZ4)
		enc_lz4(in, &z, 8 << 20);
	else
		enc_other(fmt, in, &z);
	return z;
}

static const enum decomp_fmt all_fmts[] = {
	DECOMP_GZIP, DECOMP_BZIP2, DECOMP_LZMA, DECOMP_XZ, DECOMP_LZ4,
	DECOMP_ZSTD,
};

static int unpack(const struct blob *payload, const struct bzgen *g,
		  struct bzimage *bz)
{
	struct blob img;
	int r;

	img.p = bzgen_build(g, payload->p, payload->len, &img.len);
	err[0] = '\0';
	r = bzimage_unpack(img.p, img.len, DECOMP_MAX_OUT, bz, err,
			   sizeof(err));
	free(img.p);
	return r;
}

static void test_formats(const struct blob *elf)
{
	const struct bzgen g = BZGEN_DEFAULT;
	struct elf_image img;
	struct bzimage bz;
	struct blob z;
	unsigned int i;
	int ok;

	for (i = 0; i < ARRAY_SIZE(all_fmts); i++) {
		z = pack(all_fmts[i], elf);
		ok = decomp_detect(z.p, z.len) == all_fmts[i] &&
		     !unpack(&z, &g, &bz) && bz.fmt == all_fmts[i] &&
		     bz.version == 0x20f && bz.payload_length == z.len &&
		     bz.payload_offset == 5 * 512 + 0x200 &&
		     bz.elf_len == elf->len &&
		     !memcmp(bz.elf, elf->p, elf->len) &&
		     !elf_parse(bz.elf, bz.elf_len, &img, err, sizeof(err)) &&
		     img.entry == kernel.entry;
		if (!tap_ok(ok, "bzImage with a %s payload unpacks to the ELF",
			    decomp_name(all_fmts[i])))
			tap_diag("%s", err);
		free(bz.elf);
		free(z.p);
	}
}

static void expect_err(const struct blob *z, const struct bzgen *g,
		       const char *msg, const char *what)
{
	struct bzimage bz;
	int r = unpack(z, g, &bz);

	if (!tap_ok(r == -1 && strstr(err, msg), "%s: %s", what, err))
		tap_diag("got %d, expected \"%s\"", r, msg);
	if (!r)
		free(bz.elf);
}

static void test_truncated(const struct blob *elf)
{
	const struct bzgen g = BZGEN_DEFAULT;
	char msg[64];
	struct blob z;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(all_fmts); i++) {
		z = pack(all_fmts[i], elf);
		z.len /= 2;
		snprintf(msg, sizeof(msg), "bzImage payload (%s): truncated",
			 decomp_name(all_fmts[i]));
		expect_err(&z, &g, msg, "half a payload");
		free(z.p);
	}
}

/* Formats with a checksum or strict syntax catch a flipped byte. */
static void test_corrupt(const struct blob *elf)
{
	static const enum decomp_fmt fmts[] = {
		DECOMP_GZIP, DECOMP_BZIP2, DECOMP_XZ,
	};
	const struct bzgen g = BZGEN_DEFAULT;
	char msg[64];
	struct blob z;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		z = pack(fmts[i], elf);
		z.p[z.len / 2] ^= 0x55;
		snprintf(msg, sizeof(msg),
			 "bzImage payload (%s): corrupt data at byte ",
			 decomp_name(fmts[i]));
		expect_err(&z, &g, msg, "flipped byte");
		free(z.p);
	}
}

static void test_lz4_frames(const struct blob *elf)
{
	const struct bzgen g = BZGEN_DEFAULT;
	struct blob z = { .len = 2 * elf->len + 4096 };
	struct bzimage bz;
	int ok;

	z.p = malloc(z.len);
	enc_lz4(elf, &z, 0x1800);	/* several blocks */
	z.len -= 4;			/* no appended size */
	ok = !unpack(&z, &g, &bz) && bz.elf_len == elf->len &&
	     !memcmp(bz.elf, elf->p, elf->len);
	tap_ok(ok, "lz4: several blocks, no appended size");
	if (!ok)
		tap_diag("%s", err);
	if (ok)
		free(bz.elf);
	bzgen_put(z.p + z.len, 0x12345678, 4);	/* not the size */
	z.len += 4;
	expect_err(&z, &g, "bzImage payload (lz4): corrupt data at byte",
		   "lz4: 4 trailing bytes that are not the size");
	free(z.p);
}

static void test_overflow(const struct blob *elf)
{
	const struct bzgen g = BZGEN_DEFAULT;
	struct blob img, z = pack(DECOMP_XZ, elf);
	struct blob big = { .len = 2 << 20 };
	struct bzimage bz;
	void *out;
	size_t n;
	int r;

	img.p = bzgen_build(&g, z.p, z.len, &img.len);
	r = bzimage_unpack(img.p, img.len, 0x1000, &bz, err, sizeof(err));
	tap_ok(r == -1 && strstr(err, "decompresses to more than 4096 bytes"),
	       "output cap: %s", err);
	r = decomp_run(DECOMP_XZ, z.p, z.len, elf->len, &out, &n, err,
		       sizeof(err));
	tap_ok(!r && n == elf->len, "output of exactly the cap is accepted");
	if (!r)
		free(out);
	free(z.p);
	big.p = calloc(1, big.len);
	z = pack(DECOMP_XZ, &big);
	r = decomp_run(DECOMP_XZ, z.p, z.len, 1 << 20, &out, &n, err,
		       sizeof(err));
	tap_ok(r == -1 && !strcmp(err, "decompresses to more than 1 MiB"),
	       "2 MiB of zeros, 1 MiB cap: %s", err);
	free(big.p);
	free(img.p);
	free(z.p);
}

static void test_header(const struct blob *elf)
{
	struct bzgen g = BZGEN_DEFAULT;
	struct blob z = pack(DECOMP_GZIP, elf), junk;
	unsigned char lzo[] = { 0x89, 'L', 'Z', 'O', 0, 0x0d, 0x0a };
	struct bzimage bz;
	int r;

	g.version = 0x206;
	expect_err(&z, &g, "bzImage: boot protocol 2.06 has no payload fields",
		   "old protocol");
	g = (struct bzgen)BZGEN_DEFAULT;
	g.setup_sects = 0;	/* means 4 */
	r = unpack(&z, &g, &bz);
	tap_ok(!r && bz.payload_offset == 5 * 512 + 0x200,
	       "setup_sects 0 means 4");
	if (!r)
		free(bz.elf);
	junk.p = lzo;
	junk.len = sizeof(lzo);
	expect_err(&junk, &g,
		   "bzImage payload: unknown compression (starts with 89 4c 5a 4f",
		   "lzo payload");
	junk.p = (unsigned char *)"plain text, not compressed";
	junk.len = 26;
	expect_err(&junk, &g, "unknown compression", "uncompressed payload");
	free(z.p);
}

/* A gzip payload that is not an ELF, and one past the file's end. */
static void test_payload_bad(void)
{
	const struct bzgen g = BZGEN_DEFAULT;
	struct blob text = { (unsigned char *)"#!/bin/sh\n", 10 };
	struct blob z = pack(DECOMP_GZIP, &text), img;
	struct bzimage bz;
	int r;

	expect_err(&z, &g,
		   "bzImage payload (gzip): decompressed 10 bytes, not an ELF vmlinux",
		   "payload is not an ELF");
	img.p = bzgen_build(&g, z.p, z.len, &img.len);
	bzgen_put(img.p + 0x24c, img.len, 4);
	r = bzimage_unpack(img.p, img.len, DECOMP_MAX_OUT, &bz, err,
			   sizeof(err));
	tap_ok(r == -1 && strstr(err, "is past the end of the file"),
	       "payload_length past the end: %s", err);
	r = bzimage_unpack(img.p, 0x240, DECOMP_MAX_OUT, &bz, err,
			   sizeof(err));
	tap_ok(r == -1 && strstr(err, "bzImage: truncated setup header"),
	       "file ends in the setup header: %s", err);
	free(img.p);
	free(z.p);
}

void bzimage_tests(void)
{
	struct blob elf;

	elf.p = elfgen_build(&kernel, &elf.len);
	test_formats(&elf);
	test_truncated(&elf);
	test_corrupt(&elf);
	test_lz4_frames(&elf);
	test_overflow(&elf);
	test_header(&elf);
	test_payload_bad();
	free(elf.p);
}
