// SPDX-License-Identifier: GPL-2.0
/*
 * network-attach, network-detach and network-list, as xl has them
 * (tools/xl/xl_nic.c): vifs of a running domain, through the same
 * xenstore nodes and hotplug step as vif = [...] at create time.  And
 * vif-bridge, hidden: the hotplug step's bridge half alone, for the
 * lab's test of it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "devices.h"
#include "nicspec.h"
#include "vifplug.h"
#include "xl.h"

/* The devids of @domid's vifs, ascending; *@n of them, NULL when none. */
static long *vif_devids(struct xs_handle *xs, uint32_t domid,
			unsigned int *n)
{
	char dir[64], **ents;
	long *ids = NULL, t;
	unsigned int i, j;

	snprintf(dir, sizeof(dir), "/local/domain/%u/device/vif", domid);
	ents = xs_directory(xs, XBT_NULL, dir, n);
	if (ents && *n)
		ids = calloc(*n, sizeof(*ids));
	for (i = 0; ids && i < *n; i++) {
		ids[i] = strtol(ents[i], NULL, 10);
		for (j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			t = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	}
	free(ents);
	if (!ids)
		*n = 0;
	return ids;
}

/* The devid of @domid's vif with @mac, or -1. */
static long vif_by_mac(struct xs_handle *xs, uint32_t domid,
		       const uint8_t mac[NIC_MAC_LEN])
{
	uint8_t got[NIC_MAC_LEN];
	unsigned int n, i;
	long *ids = vif_devids(xs, domid, &n), id = -1;
	char *s, err[160];

	for (i = 0; i < n && id < 0; i++) {
		s = devices_xs_read(xs, "/local/domain/%u/device/vif/%ld/mac",
				    domid, ids[i]);
		if (s && !nic_parse_mac(s, got, err, sizeof(err)) &&
		    !memcmp(got, mac, NIC_MAC_LEN))
			id = ids[i];
		free(s);
	}
	free(ids);
	return id;
}

/*
 * The devid for a new vif (libxl__device_nextid: one past the highest),
 * or with devid= given, whether it is free.  Its mac must be free too.
 */
static int pick_devid(struct xs_handle *xs, uint32_t domid,
		      struct nic_spec *n)
{
	unsigned int count, i;
	long *ids = vif_devids(xs, domid, &count), owner;
	char mac[NIC_MAC_STR];
	bool taken = false;

	for (i = 0; i < count; i++)
		taken |= ids[i] == n->devid;
	if (n->devid < 0)
		n->devid = count ? ids[count - 1] + 1 : 0;
	free(ids);
	if (taken) {
		fprintf(stderr, "xl-lite: network-attach: domain %u already has a vif %d\n",
			domid, n->devid);
		return 1;
	}
	if (n->devid > NIC_DEVID_MAX) {
		fprintf(stderr, "xl-lite: network-attach: next devid %d is past %d: give devid=\n",
			n->devid, NIC_DEVID_MAX);
		return 1;
	}
	owner = vif_by_mac(xs, domid, n->mac);
	nic_format_mac(n->mac, mac);
	if (owner >= 0) {
		fprintf(stderr, "xl-lite: network-attach: mac %s is already used by vif %ld\n",
			mac, owner);
		return 1;
	}
	return 0;
}

int main_network_attach(int argc, char **argv)
{
	struct nic_spec n;
	struct xs_handle *xs;
	char spec[8192], err[256];
	uint32_t domid;
	int ret;

	while (cmd_getopt(argc, argv, "network-attach") != -1)
		;
	if (cmd_join_words("network-attach", argv + optind + 1,
			   argc - optind - 1, spec, sizeof(spec)))
		return 1;
	if (nic_spec_parse(spec, &n, err, sizeof(err))) {
		fprintf(stderr, "xl-lite: network-attach: %s\n", err);
		return 1;
	}
	if (xl_opts.dryrun) {
		print_vif(stdout, &n);
		nic_spec_free(&n);
		return 0;
	}
	ret = devices_open_dom(argv[optind], &xs, &domid);
	if (ret)
		goto out_spec;
	ret = pick_devid(xs, domid, &n);
	if (!ret && devices_add_nic(xs, domid, &n))
		ret = 1;
	xs_close(xs);
out_spec:
	nic_spec_free(&n);
	return ret;
}

/* xl's DevId: a number, or with a ':' a mac; -1 with a message if bad. */
static long parse_devid(const char *s, uint8_t mac[NIC_MAC_LEN],
			bool *is_mac)
{
	char err[160], *end;
	long v;

	*is_mac = strchr(s, ':');
	if (*is_mac) {
		if (!nic_parse_mac(s, mac, err, sizeof(err)))
			return 0;
		fprintf(stderr, "xl-lite: network-detach: %s\n", err);
		return -1;
	}
	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || v > NIC_DEVID_MAX) {
		fprintf(stderr, "xl-lite: network-detach: bad DevId \"%s\" (0 to %d, or a mac)\n",
			s, NIC_DEVID_MAX);
		return -1;
	}
	return v;
}

int main_network_detach(int argc, char **argv)
{
	uint8_t mac[NIC_MAC_LEN];
	struct xs_handle *xs;
	uint32_t domid;
	long devid;
	bool is_mac;
	int ret;

	while (cmd_getopt(argc, argv, "network-detach") != -1)
		;
	devid = parse_devid(argv[optind + 1], mac, &is_mac);
	if (devid < 0)
		return 1;
	ret = devices_open_dom(argv[optind], &xs, &domid);
	if (ret)
		return ret;
	if (is_mac)
		devid = vif_by_mac(xs, domid, mac);
	if (devid < 0) {
		fprintf(stderr, "xl-lite: network-detach: domain %u has no vif with mac %s\n",
			domid, argv[optind + 1]);
		ret = 1;
	} else {
		ret = devices_remove(xs, "network-detach", "vif", domid,
				     devid, false);
	}
	xs_close(xs);
	return ret;
}

static void list_vif(struct xs_handle *xs, uint32_t domid, long devid)
{
	char fe[64], *mac, *be;

	snprintf(fe, sizeof(fe), "/local/domain/%u/device/vif/%ld", domid,
		 devid);
	mac = devices_xs_read(xs, "%s/mac", fe);
	be = devices_xs_read(xs, "%s/backend", fe);
	/* xl_nic.c's row: no blank between the mac and the handle */
	printf("%-3ld %-2ld %-17s%6ld %5ld %6ld %5ld/%-11ld %-30s\n", devid,
	       devices_xs_num(xs, fe, "backend-id"), mac ? mac : "",
	       devid, devices_xs_num(xs, fe, "state"),
	       devices_xs_num(xs, fe, "event-channel"),
	       devices_xs_num(xs, fe, "tx-ring-ref"),
	       devices_xs_num(xs, fe, "rx-ring-ref"), be ? be : "");
	free(mac);
	free(be);
}

int main_network_list(int argc, char **argv)
{
	struct xs_handle *xs;
	unsigned int n, i;
	uint32_t domid;
	long *ids;
	int ret, a;

	while (cmd_getopt(argc, argv, "network-list") != -1)
		;
	/* xl's columns (tools/xl/xl_nic.c), one table for all domains */
	printf("%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s\n", "Idx", "BE",
	       "Mac Addr.", "handle", "state", "evt-ch", "tx-", "rx-ring-ref",
	       "BE-path");
	for (a = optind; a < argc; a++) {
		ret = devices_open_dom(argv[a], &xs, &domid);
		if (ret)
			return ret;
		ids = vif_devids(xs, domid, &n);
		for (i = 0; i < n; i++)
			list_vif(xs, domid, ids[i]);
		free(ids);
		xs_close(xs);
	}
	return 0;
}

int main_vif_bridge(int argc, char **argv)
{
	const char *op, *dev;
	char err[512];
	unsigned int mtu = 0, set;
	int r;

	while (cmd_getopt(argc, argv, "vif-bridge") != -1)
		;
	op = argv[optind];
	dev = argv[optind + 1];
	if (!strcmp(op, "attach") && optind + 2 < argc) {
		if (optind + 3 < argc)
			mtu = strtoul(argv[optind + 3], NULL, 10);
		if (optind + 3 < argc &&
		    (mtu < NIC_MTU_MIN || mtu > NIC_MTU_MAX)) {
			fprintf(stderr, "xl-lite: vif-bridge: invalid mtu \"%s\"\n",
				argv[optind + 3]);
			return 2;
		}
		r = vif_bridge_attach(dev, argv[optind + 2], mtu, &set, err,
				      sizeof(err));
		if (!r)
			printf("%s: on bridge %s, mtu %u\n", dev,
			       argv[optind + 2], set);
	} else if (!strcmp(op, "detach") && optind + 2 == argc) {
		r = vif_bridge_detach(dev, err, sizeof(err));
	} else {
		cmd_help("vif-bridge");
		return 2;
	}
	if (r)
		fprintf(stderr, "xl-lite: vif-bridge: %s\n", err);
	return r ? 1 : 0;
}
