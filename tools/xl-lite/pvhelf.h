/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough ELF to load a PVH kernel: PT_LOAD segments by physical
 * address and the XEN_ELFNOTE_PHYS32_ENTRY note (xen/elfnote.h).
 */
#ifndef XL_LITE_PVHELF_H
#define XL_LITE_PVHELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGS	16
#define ELF_ERR_MAX	256

struct elf_seg {
	uint64_t paddr;		/* p_paddr: where the guest wants it */
	uint64_t offset;	/* in the file */
	uint64_t filesz;
	uint64_t memsz;		/* the rest up to memsz is zeroed */
};

struct elf_image {
	int bits;			/* 32 or 64 */
	uint64_t entry;			/* XEN_ELFNOTE_PHYS32_ENTRY */
	struct elf_seg seg[ELF_MAX_SEGS];
	unsigned int nseg;
	uint64_t lo, hi;		/* lowest byte, one past the highest */
};

/*
 * Validate @len bytes at @buf as a PVH kernel.  Returns 0, or -1 with
 * a message in @err (no file name; the caller adds it).
 */
int elf_parse(const void *buf, size_t len, struct elf_image *img,
	      char *err, size_t errlen);

#endif /* XL_LITE_PVHELF_H */
