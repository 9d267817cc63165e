// SPDX-License-Identifier: GPL-2.0
/*
 * mkelf: write a small test kernel for the xl-lite tests.
 *   mkelf [-3] [-n | -s] [-8] [-p PADDR] [-f FILESZ] [-m MEMSZ]
 *         [-e ENTRY] OUT
 * -3 ELF32 (default ELF64); -n no PVH note; -s note only in a section;
 * -8 8-byte note value.  Defaults: PADDR 0x100000, FILESZ 0x1800,
 * MEMSZ 0x3000, ENTRY 0x100040.
 */
#include <stdio.h>
#include <unistd.h>

#include "elfgen.h"

int main(int argc, char **argv)
{
	struct elfgen g = {
		.paddr = 0x100000, .filesz = 0x1800, .memsz = 0x3000,
		.entry = 0x100040,
	};
	unsigned char *b;
	size_t len;
	FILE *f;
	int opt;

	while ((opt = getopt(argc, argv, "3ns8p:f:m:e:")) != -1) {
		switch (opt) {
		case '3':
			g.elf32 = true;
			break;
		case 'n':
			g.note = ELFGEN_NOTE_NONE;
			break;
		case 's':
			g.note = ELFGEN_NOTE_SECTION;
			break;
		case '8':
			g.desc8 = true;
			break;
		case 'p':
			g.paddr = strtoull(optarg, NULL, 0);
			break;
		case 'f':
			g.filesz = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			g.memsz = strtoull(optarg, NULL, 0);
			break;
		case 'e':
			g.entry = strtoull(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: mkelf [-3] [-n|-s] [-8] [-p PADDR] [-f FILESZ] [-m MEMSZ] [-e ENTRY] OUT\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "mkelf: need one output file\n");
		return 2;
	}
	b = elfgen_build(&g, &len);
	f = fopen(argv[optind], "wb");
	if (!b || !f || fwrite(b, 1, len, f) != len || fclose(f)) {
		perror(argv[optind]);
		return 1;
	}
	free(b);
	return 0;
}
