// SPDX-License-Identifier: GPL-2.0
/*
 * block-attach, block-detach and block-list, as xl has them
 * (tools/xl/xl_block.c): disks of a running domain, through the same
 * xenstore nodes as disk = [...] at create time.  The in-kernel backend
 * sees a backend directory appear or go; the guest's blkfront sees its
 * device/vbd/N appear, and closes on the backend's Closing.
 */
#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenstore.h>

#include "devices.h"
#include "diskspec.h"
#include "xl.h"

/* The read-write user of @d's target among other domains' disks, or -1. */
static long other_user(struct xs_handle *xs, uint32_t domid,
		       const struct disk_spec *d)
{
	char **doms, **devs, *params, *mode, dir[64];
	unsigned int nd, nv, i, j;
	long user = -1;
	bool w;

	doms = xs_directory(xs, XBT_NULL, "/local/domain/0/backend/vbd", &nd);
	for (i = 0; doms && i < nd && user < 0; i++) {
		if (strtoul(doms[i], NULL, 10) == domid)
			continue;
		snprintf(dir, sizeof(dir), "/local/domain/0/backend/vbd/%s",
			 doms[i]);
		devs = xs_directory(xs, XBT_NULL, dir, &nv);
		for (j = 0; devs && j < nv && user < 0; j++) {
			params = devices_xs_read(xs, "%s/%s/params", dir,
						 devs[j]);
			mode = devices_xs_read(xs, "%s/%s/mode", dir, devs[j]);
			w = (mode && strchr(mode, 'w')) || !d->readonly;
			if (params && !strcmp(params, d->target) && w)
				user = strtol(doms[i], NULL, 10);
			free(params);
			free(mode);
		}
		free(devs);
	}
	free(doms);
	return user;
}

int main_block_attach(int argc, char **argv)
{
	struct disk_spec d;
	struct xs_handle *xs;
	char spec[8192], err[256], *fe;
	uint32_t domid;
	long user;
	int ret;

	while (cmd_getopt(argc, argv, "block-attach") != -1)
		;
	if (cmd_join_words("block-attach", argv + optind + 1,
			   argc - optind - 1, spec, sizeof(spec)))
		return 1;
	if (disk_spec_parse(spec, &d, err, sizeof(err))) {
		fprintf(stderr, "xl-lite: block-attach: %s\n", err);
		return 1;
	}
	if (xl_opts.dryrun) {
		print_disk(stdout, &d);
		disk_spec_free(&d);
		return 0;
	}
	ret = devices_open_dom(argv[optind], &xs, &domid);
	if (ret)
		goto out_spec;
	ret = 1;
	fe = devices_xs_read(xs, "/local/domain/%u/device/vbd/%d", domid,
			     d.devid);
	if (fe) {
		free(fe);
		fprintf(stderr, "xl-lite: block-attach: domain %u already has a disk %s (%d)\n",
			domid, d.vdev, d.devid);
		goto out_xs;
	}
	user = d.target[0] ? other_user(xs, domid, &d) : -1;
	if (user >= 0) {
		fprintf(stderr, "xl-lite: block-attach: %s is in use read-write by domain %ld\n",
			d.target, user);
		goto out_xs;
	}
	if (devices_check_disk(&d))
		goto out_xs;
	if (devices_add_disk(xs, domid, &d)) {
		fprintf(stderr, "xl-lite: block-attach: xenstore: %s\n",
			strerror(errno));
		goto out_xs;
	}
	ret = 0;
out_xs:
	xs_close(xs);
out_spec:
	disk_spec_free(&d);
	return ret;
}

int main_block_detach(int argc, char **argv)
{
	struct xs_handle *xs;
	bool force = false;
	char err[256];
	uint32_t domid;
	int opt, devid, ret;

	while ((opt = cmd_getopt(argc, argv, "block-detach")) != -1)
		if (opt == 'f')
			force = true;
	if (optind + 1 >= argc) {
		cmd_help("block-detach");
		return 2;
	}
	devid = disk_vdev_number(argv[optind + 1], err, sizeof(err));
	if (devid < 0) {
		fprintf(stderr, "xl-lite: block-detach: %s\n", err);
		return 1;
	}
	ret = devices_open_dom(argv[optind], &xs, &domid);
	if (ret)
		return ret;
	ret = devices_remove(xs, "block-detach", "vbd", domid, devid, force);
	xs_close(xs);
	return ret;
}

int main_block_list(int argc, char **argv)
{
	struct xs_handle *xs;
	char fe[96], **devs, *be;
	unsigned int n, i;
	uint32_t domid;
	int ret, a;

	while (cmd_getopt(argc, argv, "block-list") != -1)
		;
	/* xl's columns (tools/xl/xl_block.c), one table per domain. */
	printf("%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n", "Vdev", "BE",
	       "handle", "state", "evt-ch", "ring-ref", "BE-path");
	for (a = optind; a < argc; a++) {
		ret = devices_open_dom(argv[a], &xs, &domid);
		if (ret)
			return ret;
		snprintf(fe, sizeof(fe), "/local/domain/%u/device/vbd", domid);
		devs = xs_directory(xs, XBT_NULL, fe, &n);
		for (i = 0; devs && i < n; i++) {
			snprintf(fe, sizeof(fe), "/local/domain/%u/device/vbd/%s",
				 domid, devs[i]);
			be = devices_xs_read(xs, "%s/backend", fe);
			printf("%-5s %-3ld %-6u %-5ld %-6ld %-8ld %-30s\n",
			       devs[i], devices_xs_num(xs, fe, "backend-id"), domid,
			       devices_xs_num(xs, fe, "state"),
			       devices_xs_num(xs, fe, "event-channel"),
			       devices_xs_num(xs, fe, "ring-ref"), be ? be : "");
			free(be);
		}
		free(devs);
		xs_close(xs);
	}
	return 0;
}
