// SPDX-License-Identifier: GPL-2.0
/*
 * bzImage -> ELF vmlinux.  From Linux Documentation/arch/x86/boot.rst:
 * the protected-mode kernel starts at (setup_sects + 1) * 512 in the file
 * (setup_sects 0 means 4); from protocol 2.08 payload_offset (relative
 * to that start) and payload_length give the compressed vmlinux, whose
 * format "can be determined using the standard magic numbers".  The
 * payload length may include Linux's appended 4-byte size; the
 * decoders stop at the end of their stream.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/elf.h>

#include "bzimage.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t get_le(const unsigned char *p, unsigned int bytes)
{
	uint32_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

bool bzimage_detect(const void *buf, size_t len)
{
	return len >= BZ_HEADER + 4 &&
	       !memcmp((const char *)buf + BZ_HEADER, "HdrS", 4);
}

/* Find the payload from the setup header. */
static int locate(const unsigned char *b, size_t len, struct bzimage *bz,
		  char *err, size_t errlen)
{
	uint64_t start;
	unsigned int sects;

	if (len < BZ_PAYLOAD_LENGTH + 4)
		return fail(err, errlen,
			    "bzImage: truncated setup header (%zu bytes)",
			    len);
	bz->version = get_le(b + BZ_VERSION, 2);
	if (bz->version < BZ_MIN_VERSION)
		return fail(err, errlen,
			    "bzImage: boot protocol %u.%02u has no payload fields (2.08 or later needed)",
			    bz->version >> 8, bz->version & 0xff);
	sects = b[BZ_SETUP_SECTS] ? b[BZ_SETUP_SECTS] : 4;
	start = (sects + 1ULL) * 512;
	bz->payload_offset = start + get_le(b + BZ_PAYLOAD_OFFSET, 4);
	bz->payload_length = get_le(b + BZ_PAYLOAD_LENGTH, 4);
	if (bz->payload_offset > len ||
	    bz->payload_length > len - bz->payload_offset)
		return fail(err, errlen,
			    "bzImage: payload [0x%llx, +0x%llx) is past the end of the file (%zu bytes)",
			    (unsigned long long)bz->payload_offset,
			    (unsigned long long)bz->payload_length, len);
	return 0;
}

int bzimage_unpack(const void *buf, size_t len, size_t cap,
		   struct bzimage *bz, char *err, size_t errlen)
{
	const unsigned char *b = buf, *p;
	char why[192];

	memset(bz, 0, sizeof(*bz));
	if (!bzimage_detect(buf, len))
		return fail(err, errlen, "not a bzImage (no \"HdrS\" at 0x%x)",
			    BZ_HEADER);
	if (locate(b, len, bz, err, errlen))
		return -1;
	p = b + bz->payload_offset;
	if (!bz->payload_length)
		return fail(err, errlen, "bzImage: payload_length is 0");
	bz->fmt = decomp_detect(p, bz->payload_length);
	if (bz->fmt == DECOMP_UNKNOWN)
		return fail(err, errlen,
			    "bzImage payload: unknown compression (starts with %02x %02x %02x %02x; gzip, bzip2, lzma, xz, lz4 and zstd are supported)",
			    p[0],
			    bz->payload_length > 1 ? p[1] : 0,
			    bz->payload_length > 2 ? p[2] : 0,
			    bz->payload_length > 3 ? p[3] : 0);
	if (decomp_run(bz->fmt, p, bz->payload_length, cap, &bz->elf,
		       &bz->elf_len, why, sizeof(why)))
		return fail(err, errlen, "bzImage payload (%s): %s",
			    decomp_name(bz->fmt), why);
	if (bz->elf_len < SELFMAG || memcmp(bz->elf, ELFMAG, SELFMAG)) {
		free(bz->elf);
		bz->elf = NULL;
		return fail(err, errlen,
			    "bzImage payload (%s): decompressed %zu bytes, not an ELF vmlinux",
			    decomp_name(bz->fmt), bz->elf_len);
	}
	return 0;
}
