// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a domain's device nodes into xenstore (libxl_device.c's job):
 * each disk's nodes in one transaction, so the backend sees the whole
 * directory at once, retried when the store reports a conflict.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "devices.h"

/* "n0,r5": owner first, then the domains granted more (diskspec.h). */
static int parse_perms(const char *s, struct xs_permissions *p, int max)
{
	int n = 0;
	char *end;

	while (*s && n < max) {
		switch (*s) {
		case 'n':
			p[n].perms = XS_PERM_NONE;
			break;
		case 'r':
			p[n].perms = XS_PERM_READ;
			break;
		case 'w':
			p[n].perms = XS_PERM_WRITE;
			break;
		case 'b':
			p[n].perms = XS_PERM_READ | XS_PERM_WRITE;
			break;
		default:
			return -1;
		}
		p[n].id = strtoul(s + 1, &end, 10);
		if (end == s + 1 || (*end && *end != ','))
			return -1;
		n++;
		s = *end ? end + 1 : end;
	}
	return *s ? -1 : n;
}

static int write_nodes(struct xs_handle *xs, xs_transaction_t t,
		       const struct xs_node *nodes, int n)
{
	struct xs_permissions perms[4];
	int i, np;

	for (i = 0; i < n; i++) {
		np = parse_perms(nodes[i].perms, perms, 4);
		if (np <= 0) {
			errno = EINVAL;
			return -1;
		}
		if (!xs_write(xs, t, nodes[i].path, nodes[i].value,
			      strlen(nodes[i].value)) ||
		    !xs_set_permissions(xs, t, nodes[i].path, perms, np))
			return -1;
	}
	return 0;
}

int devices_write_nodes(struct xs_handle *xs, const struct xs_node *nodes,
			int n)
{
	xs_transaction_t t;

	for (;;) {
		t = xs_transaction_start(xs);
		if (t == XBT_NULL)
			return -1;
		if (write_nodes(xs, t, nodes, n)) {
			xs_transaction_end(xs, t, true);
			return -1;
		}
		if (xs_transaction_end(xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return -1;
	}
}

int devices_add_disk(struct xs_handle *xs, uint32_t domid,
		     const struct disk_spec *d)
{
	struct xs_node *nodes;
	int n, ret = -1;

	nodes = calloc(DISK_NODES_MAX, sizeof(*nodes));
	if (!nodes)
		return -1;
	n = disk_spec_nodes(d, domid, 0, nodes, DISK_NODES_MAX);
	if (n < 0)
		errno = EINVAL;
	else
		ret = devices_write_nodes(xs, nodes, n);
	free(nodes);
	return ret;
}

int devices_add_disks(uint32_t domid, const struct dom_config *dc)
{
	struct xs_handle *xs;
	unsigned int i;

	if (!dc->ndisks)
		return 0;
	xs = xs_open(0);
	if (!xs) {
		fprintf(stderr, "xl-lite: disks: cannot open xenstore: %s\n",
			strerror(errno));
		return -1;
	}
	for (i = 0; i < dc->ndisks; i++) {
		if (devices_add_disk(xs, domid, &dc->disks[i])) {
			fprintf(stderr, "xl-lite: disk %s (%s): xenstore: %s\n",
				dc->disks[i].vdev, dc->disks[i].target,
				strerror(errno));
			xs_close(xs);
			return -1;
		}
	}
	xs_close(xs);
	return 0;
}
