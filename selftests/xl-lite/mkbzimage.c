// SPDX-License-Identifier: GPL-2.0
/*
 * mkbzimage: wrap a compressed payload in an x86 boot protocol setup
 * header, making a small test bzImage for the xl-lite tests.
 *   mkbzimage [-v VERSION] [-s SETUP_SECTS] PAYLOAD OUT
 * Defaults: protocol 0x20f (2.15), 4 setup sectors.
 */
#include <stdio.h>
#include <unistd.h>

#include "bzgen.h"

static unsigned char *slurp(const char *path, size_t *len)
{
	unsigned char *b = NULL;
	FILE *f = fopen(path, "rb");
	long n = -1;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END))
		n = ftell(f);
	if (n >= 0 && !fseek(f, 0, SEEK_SET)) {
		b = malloc(n ? n : 1);
		if (b && fread(b, 1, n, f) != (size_t)n) {
			free(b);
			b = NULL;
		}
		*len = n;
	}
	fclose(f);
	return b;
}

int main(int argc, char **argv)
{
	struct bzgen g = BZGEN_DEFAULT;
	unsigned char *p, *b;
	size_t plen, len;
	FILE *f;
	int opt;

	while ((opt = getopt(argc, argv, "v:s:")) != -1) {
		if (opt == 'v') {
			g.version = strtoul(optarg, NULL, 0);
		} else if (opt == 's') {
			g.setup_sects = strtoul(optarg, NULL, 0);
		} else {
			fprintf(stderr,
				"usage: mkbzimage [-v VERSION] [-s SETUP_SECTS] PAYLOAD OUT\n");
			return 2;
		}
	}
	if (optind != argc - 2) {
		fprintf(stderr, "mkbzimage: need a payload and an output file\n");
		return 2;
	}
	p = slurp(argv[optind], &plen);
	if (!p) {
		perror(argv[optind]);
		return 1;
	}
	b = bzgen_build(&g, p, plen, &len);
	f = fopen(argv[optind + 1], "wb");
	if (!b || !f || fwrite(b, 1, len, f) != len || fclose(f)) {
		perror(argv[optind + 1]);
		return 1;
	}
	free(b);
	free(p);
	return 0;
}
