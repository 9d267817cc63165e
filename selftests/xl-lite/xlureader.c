// SPDX-License-Identifier: GPL-2.0
/*
 * Reads a config file with Xen's own parser (libxlutil's
 * xlu_cfg_readfile, as xl reads xl.cfg): exit 0 when it parses, 1 when
 * it does not (libxlu's message on stderr), 2 on a usage error.  The
 * reference for xl-lite's parser in libxlu.bats.
 */
#include <stdio.h>
#include <libxlutil.h>

int main(int argc, char **argv)
{
	XLU_Config *cfg;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: xlureader FILE\n");
		return 2;
	}
	cfg = xlu_cfg_init(stderr, argv[1]);
	if (!cfg)
		return 2;
	ret = xlu_cfg_readfile(cfg, argv[1]) ? 1 : 0;
	xlu_cfg_destroy(cfg);
	return ret;
}
