/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bzImage unpacking: the x86 boot protocol's setup header (Linux
 * Documentation/arch/x86/boot.rst) locates the compressed payload, which
 * is the ELF vmlinux that carries the PVH entry note.
 */
#ifndef XL_LITE_BZIMAGE_H
#define XL_LITE_BZIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decomp.h"

/* boot.rst, "The Real-Mode Kernel Header" */
#define BZ_SETUP_SECTS		0x1f1	/* u8; 0 means 4 */
#define BZ_HEADER		0x202	/* "HdrS" */
#define BZ_VERSION		0x206	/* u16 boot protocol version */
#define BZ_PAYLOAD_OFFSET	0x248	/* u32, from the protected-mode code */
#define BZ_PAYLOAD_LENGTH	0x24c	/* u32 */
#define BZ_MIN_VERSION		0x208	/* payload fields exist from 2.08 */

struct bzimage {
	unsigned int version;		/* boot protocol, 0x20f is 2.15 */
	uint64_t payload_offset;	/* in the file */
	uint64_t payload_length;
	enum decomp_fmt fmt;
	void *elf;			/* the decompressed payload, malloc()ed */
	size_t elf_len;
};

/* Does @buf carry the boot protocol's "HdrS" signature? */
bool bzimage_detect(const void *buf, size_t len);

/*
 * Decompress the payload of the bzImage at @buf into bz->elf, at most
 * @cap bytes, and check that it is an ELF file.  Returns 0, or -1 with a
 * message naming the problem in @err.
 */
int bzimage_unpack(const void *buf, size_t len, size_t cap,
		   struct bzimage *bz, char *err, size_t errlen);

#endif /* XL_LITE_BZIMAGE_H */
