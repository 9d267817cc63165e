// SPDX-License-Identifier: GPL-2.0
/*
 * block-attach, block-detach and block-list, as xl has them
 * (tools/xl/xl_block.c): disks of a running domain, through the same
 * xenstore nodes as disk = [...] at create time.  The in-kernel backend
 * sees a backend directory appear or go; the guest's blkfront sees its
 * device/vbd/N appear, and closes on the backend's Closing.
 */
#include <errno.h>
#include <stdarg.h>
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

/* xl's libxl_device_disk_remove waits this long for the backend. */
#define DETACH_TIMEOUT_S	10

static char *xs_get(struct xs_handle *xs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static char *xs_get(struct xs_handle *xs, const char *fmt, ...)
{
	char path[256];
	unsigned int len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return xs_read(xs, XBT_NULL, path, &len);
}

/* Open xenstore and find the domain: 0, or an exit status. */
static int open_dom(const char *dom, struct xs_handle **xs, uint32_t *domid)
{
	struct kxen_ctl ctl;
	int ret;

	if (ctl_open_or_report(&ctl))
		return 1;
	ret = find_domain(&ctl, dom, domid) ? 1 : 0;
	kxen_ctl_close(&ctl);
	if (ret)
		return ret;
	*xs = xs_open(0);
	if (!*xs) {
		fprintf(stderr, "xl-lite: cannot open xenstore: %s\n",
			strerror(errno));
		return 1;
	}
	return 0;
}

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
			params = xs_get(xs, "/local/domain/0/backend/vbd/%s/%s/params",
					doms[i], devs[j]);
			mode = xs_get(xs, "/local/domain/0/backend/vbd/%s/%s/mode",
				      doms[i], devs[j]);
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
	char spec[8192] = "", err[256], *fe;
	uint32_t domid;
	long user;
	int i, ret;

	while (cmd_getopt(argc, argv, "block-attach") != -1)
		;
	/* xl joins the words after the domain with commas. */
	for (i = optind + 1; i < argc; i++) {
		if (strlen(spec) + strlen(argv[i]) + 2 > sizeof(spec)) {
			fprintf(stderr, "xl-lite: block-attach: disk specification too long\n");
			return 1;
		}
		if (spec[0])
			strcat(spec, ",");
		strcat(spec, argv[i]);
	}
	if (disk_spec_parse(spec, &d, err, sizeof(err))) {
		fprintf(stderr, "xl-lite: block-attach: %s\n", err);
		return 1;
	}
	ret = open_dom(argv[optind], &xs, &domid);
	if (ret)
		goto out_spec;
	ret = 1;
	fe = xs_get(xs, "/local/domain/%u/device/vbd/%d", domid, d.devid);
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

static int be_state(struct xs_handle *xs, const char *be)
{
	char *s = xs_get(xs, "%s/state", be);
	int v = s ? atoi(s) : -1;

	free(s);
	return v;
}

/*
 * As libxl removes a device: the backend goes offline and Closing, the
 * frontend closes in answer and the backend reaches Closed; then both
 * directories go (which makes kxen's backend let go).  -f, or a guest
 * that does not answer in time, removes them anyway.
 */
static int remove_disk(struct xs_handle *xs, uint32_t domid, int devid,
		       bool force)
{
	char be[96], fe[96], path[128];
	int i;

	snprintf(be, sizeof(be), "/local/domain/0/backend/vbd/%u/%d", domid,
		 devid);
	snprintf(fe, sizeof(fe), "/local/domain/%u/device/vbd/%d", domid, devid);
	if (be_state(xs, be) < 0) {
		fprintf(stderr, "xl-lite: block-detach: domain %u has no disk %d\n",
			domid, devid);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/online", be);
	xs_write(xs, XBT_NULL, path, "0", 1);
	if (!force) {
		snprintf(path, sizeof(path), "%s/state", be);
		xs_write(xs, XBT_NULL, path, "5", 1);
		for (i = 0; i < DETACH_TIMEOUT_S * 10; i++) {
			if (be_state(xs, be) == 6)
				break;
			usleep(100000);
		}
		if (i == DETACH_TIMEOUT_S * 10)
			fprintf(stderr, "xl-lite: block-detach: disk %d busy for %d s: removed\n",
				devid, DETACH_TIMEOUT_S);
	}
	xs_rm(xs, XBT_NULL, fe);
	xs_rm(xs, XBT_NULL, be);
	return 0;
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
	ret = open_dom(argv[optind], &xs, &domid);
	if (ret)
		return ret;
	ret = remove_disk(xs, domid, devid, force);
	xs_close(xs);
	return ret;
}

/* A frontend node as a number for the table, -1 when absent. */
static long fe_num(struct xs_handle *xs, const char *fe, const char *node)
{
	char *s = xs_get(xs, "%s/%s", fe, node);
	long v = s ? strtol(s, NULL, 10) : -1;

	free(s);
	return v;
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
		ret = open_dom(argv[a], &xs, &domid);
		if (ret)
			return ret;
		snprintf(fe, sizeof(fe), "/local/domain/%u/device/vbd", domid);
		devs = xs_directory(xs, XBT_NULL, fe, &n);
		for (i = 0; devs && i < n; i++) {
			snprintf(fe, sizeof(fe), "/local/domain/%u/device/vbd/%s",
				 domid, devs[i]);
			be = xs_get(xs, "%s/backend", fe);
			printf("%-5s %-3ld %-6u %-5ld %-6ld %-8ld %-30s\n",
			       devs[i], fe_num(xs, fe, "backend-id"), domid,
			       fe_num(xs, fe, "state"),
			       fe_num(xs, fe, "event-channel"),
			       fe_num(xs, fe, "ring-ref"), be ? be : "");
			free(be);
		}
		free(devs);
		xs_close(xs);
	}
	return 0;
}
