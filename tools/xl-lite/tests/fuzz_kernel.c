// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the kernel loader: bzImage header, payload
 * decoders, ELF reader and layout, the path a kernel file takes in
 * xl-lite create.  Build and run with `make fuzz` (clang); seed it with
 * small bzImages (selftests/xl-lite/mkbzimage around mkelf's kernels).
 */
#include <stdint.h>
#include <stdlib.h>

#include "bzimage.h"
#include "layout.h"

#define FUZZ_MAX_OUT	(16UL << 20)	/* keeps each input fast */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const void *elf = data;
	size_t elf_len = size;
	struct elf_image img;
	struct bzimage bz = { 0 };
	struct layout l;
	char err[256];

	if (bzimage_detect(data, size)) {
		if (bzimage_unpack(data, size, FUZZ_MAX_OUT, &bz, err,
				   sizeof(err)))
			return 0;
		elf = bz.elf;
		elf_len = bz.elf_len;
	}
	if (!elf_parse(elf, elf_len, &img, err, sizeof(err)))
		layout_plan(&l, &img, 256ULL << 20, 1 + size % 128, "",
			    size, err, sizeof(err));
	free(bz.elf);
	return 0;
}
