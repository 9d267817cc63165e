/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test bzImage generator: wraps a compressed payload in the x86 boot
 * protocol's setup header (Linux Documentation/arch/x86/boot.rst), the
 * way arch/x86/boot/tools/build.c lays a bzImage out: setup sectors, then
 * the protected-mode code, in which the payload sits at payload_offset.
 * Used by the unit tests and by selftests/xl-lite/mkbzimage.
 */
#ifndef XL_LITE_TESTS_BZGEN_H
#define XL_LITE_TESTS_BZGEN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bzgen {
	unsigned int setup_sects;	/* 0 means 4, as in the header */
	unsigned int version;		/* e.g. 0x20f */
	unsigned int pm_prefix;		/* code bytes before the payload */
	unsigned int trailer;		/* bytes after the payload */
};

#define BZGEN_DEFAULT	{ .setup_sects = 4, .version = 0x20f, \
			  .pm_prefix = 0x200, .trailer = 0x40 }

static inline void bzgen_put(unsigned char *p, uint32_t v, unsigned int n)
{
	while (n--) {
		*p++ = v;
		v >>= 8;
	}
}

/* A malloc()ed bzImage of *len bytes around @payload, or NULL. */
static inline unsigned char *bzgen_build(const struct bzgen *g,
					 const void *payload, size_t plen,
					 size_t *len)
{
	size_t setup = ((g->setup_sects ? g->setup_sects : 4) + 1) * 512;
	unsigned char *b;

	*len = setup + g->pm_prefix + plen + g->trailer;
	b = calloc(1, *len);
	if (!b)
		return NULL;
	b[0x1f1] = g->setup_sects;
	bzgen_put(b + 0x1fe, 0xaa55, 2);		/* boot_flag */
	memcpy(b + 0x202, "HdrS", 4);
	bzgen_put(b + 0x206, g->version, 2);
	b[0x211] = 0x01;				/* LOADED_HIGH */
	bzgen_put(b + 0x248, g->pm_prefix, 4);		/* payload_offset */
	bzgen_put(b + 0x24c, plen, 4);			/* payload_length */
	memset(b + setup, 0x90, g->pm_prefix);		/* "code" */
	memcpy(b + setup + g->pm_prefix, payload, plen);
	memset(b + setup + g->pm_prefix + plen, 0xcc, g->trailer);
	return b;
}

#endif /* XL_LITE_TESTS_BZGEN_H */
