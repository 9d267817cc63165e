// SPDX-License-Identifier: GPL-2.0
/*
 * A domain's devices in xenstore (libxl_device.c's job): each device's
 * nodes in one transaction, so the backend sees the whole directory at
 * once, retried when the store reports a conflict; a vif's host side
 * once its backend has made the netdev (libxl's hotplug step); and the
 * removal of a device, as libxl asks the backend and the guest first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xenstore.h>

#include "devices.h"
#include "vifplug.h"
#include "xl.h"

/* libxl's LIBXL_INIT_TIMEOUT and LIBXL_DESTROY_TIMEOUT */
#define NETDEV_TIMEOUT_S	10
#define REMOVE_TIMEOUT_S	10
/* How long a vif's netdev name may stay taken by a destroyed domain's */
#define STALE_NETDEV_S		3

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

int devices_check_disk(const struct disk_spec *d)
{
	struct stat st;

	/* An empty cdrom drive has nothing to look at. */
	if (!d->target[0])
		return 0;
	if (stat(d->target, &st)) {
		fprintf(stderr, "xl-lite: disk vdev=%s failed to stat: %s: %s\n",
			d->vdev, d->target, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		fprintf(stderr, "xl-lite: disk vdev=%s: %s is neither a file nor a block device\n",
			d->vdev, d->target);
		return -1;
	}
	return 0;
}

int devices_check_disks(const struct dom_config *dc)
{
	unsigned int i;

	for (i = 0; i < dc->ndisks; i++)
		if (devices_check_disk(&dc->disks[i]))
			return -1;
	return 0;
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

char *devices_xs_read(struct xs_handle *xs, const char *fmt, ...)
{
	char path[256];
	unsigned int len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return xs_read(xs, XBT_NULL, path, &len);
}

long devices_xs_num(struct xs_handle *xs, const char *dir, const char *node)
{
	char *s = devices_xs_read(xs, "%s/%s", dir, node);
	long v = s ? strtol(s, NULL, 10) : -1;

	free(s);
	return v;
}

int devices_open_dom(const char *dom, struct xs_handle **xs, uint32_t *domid)
{
	struct kxen_ctl ctl;
	int ret;

	if (ctl_open_or_report(&ctl))
		return 1;
	ret = find_live_domain(&ctl, dom, domid) ? 1 : 0;
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

static int be_state(struct xs_handle *xs, const char *be)
{
	char *s = devices_xs_read(xs, "%s/state", be);
	int v = s ? atoi(s) : -1;

	free(s);
	return v;
}

int devices_remove(struct xs_handle *xs, const char *cmd, const char *type,
		   uint32_t domid, int devid, bool force)
{
	const char *noun = strcmp(type, "vif") ? "disk" : "vif";
	char be[96], fe[96], path[128];
	int i;

	snprintf(be, sizeof(be), "/local/domain/0/backend/%s/%u/%d", type,
		 domid, devid);
	snprintf(fe, sizeof(fe), "/local/domain/%u/device/%s/%d", domid, type,
		 devid);
	if (be_state(xs, be) < 0) {
		fprintf(stderr, "xl-lite: %s: domain %u has no %s %d\n", cmd,
			domid, noun, devid);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/online", be);
	xs_write(xs, XBT_NULL, path, "0", 1);
	if (!force) {
		snprintf(path, sizeof(path), "%s/state", be);
		xs_write(xs, XBT_NULL, path, "5", 1);
		for (i = 0; i < REMOVE_TIMEOUT_S * 10; i++) {
			if (be_state(xs, be) == 6)
				break;
			usleep(100000);
		}
		if (i == REMOVE_TIMEOUT_S * 10)
			fprintf(stderr, "xl-lite: %s: %s %d busy for %d s: removed\n",
				cmd, noun, devid, REMOVE_TIMEOUT_S);
	}
	/* libxl runs the hotplug script's offline before the nodes go */
	if (!strcmp(type, "vif"))
		devices_unplug_nic(xs, domid, devid);
	xs_rm(xs, XBT_NULL, fe);
	xs_rm(xs, XBT_NULL, be);
	return 0;
}

/* A vif being plugged: what the messages and the nodes need. */
struct vif_plug {
	struct xs_handle *xs;
	const struct nic_spec *n;
	uint32_t domid;
	char dev[16];		/* the netdev */
	char be[XS_NODE_PATH_MAX], fe[XS_NODE_PATH_MAX];
	char err[512];
};

static int plug_write(struct vif_plug *p, const char *dir, const char *node,
		      const char *val)
{
	char path[XS_NODE_PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", dir, node);
	if (xs_write(p->xs, XBT_NULL, path, val, strlen(val)))
		return 0;
	snprintf(p->err, sizeof(p->err), "xenstore: %s: %s", path,
		 strerror(errno));
	return -1;
}

/*
 * Until the backend has made the netdev (when it probes the device), or
 * reports why it cannot in its "error" node.
 */
static int plug_wait_netdev(struct vif_plug *p)
{
	char *why;
	int i;

	for (i = 0; i < NETDEV_TIMEOUT_S * 20; i++) {
		if (vif_netdev_exists(p->dev))
			return 0;
		why = devices_xs_read(p->xs, "%s/error", p->be);
		if (why) {
			snprintf(p->err, sizeof(p->err),
				 "the backend failed: %s", why);
			free(why);
			return -1;
		}
		usleep(50000);
	}
	snprintf(p->err, sizeof(p->err),
		 "netdev %s did not appear in %d s (is kxen's network backend there?)",
		 p->dev, NETDEV_TIMEOUT_S);
	return -1;
}

/* vif-bridge's job, then its success: hotplug-status = connected. */
static int plug_bridge(struct vif_plug *p)
{
	const struct nic_spec *n = p->n;
	unsigned int mtu;
	char val[16];

	if (vif_bridge_attach(p->dev, n->bridge, n->mtu_given ? n->mtu : 0,
			      &mtu, p->err, sizeof(p->err)))
		return -1;
	/* set_mtu: the guest learns the bridge's MTU from its frontend */
	snprintf(val, sizeof(val), "%u", mtu);
	if (mtu != n->mtu && plug_write(p, p->fe, "mtu", val))
		return -1;
	return plug_write(p, p->be, "hotplug-status", "connected");
}

static void script_info(struct vif_script *s, const char *script,
			const char *dev, const char *gatewaydev, char *xbpath,
			size_t len, uint32_t domid, int devid)
{
	snprintf(xbpath, len, "backend/vif/%u/%d", domid, devid);
	s->script = script;
	s->xenbus_path = xbpath;
	s->vif = dev;
	s->gatewaydev = gatewaydev ? gatewaydev : "";
}

/* A failed script: its own words too, from its hotplug-error node. */
static int script_failed(struct vif_plug *p)
{
	char *why = devices_xs_read(p->xs, "%s/hotplug-error", p->be);
	size_t len = strlen(p->err);

	if (why)
		snprintf(p->err + len, sizeof(p->err) - len, ": %s", why);
	free(why);
	return -1;
}

/* The script's online, then its hotplug-status, which the backend waits for. */
static int plug_script(struct vif_plug *p)
{
	char xbpath[64], *st = NULL;
	struct vif_script s;
	int i;

	script_info(&s, p->n->script, p->dev, p->n->gatewaydev, xbpath,
		    sizeof(xbpath), p->domid, p->n->devid);
	if (vif_run_script(&s, "online", p->err, sizeof(p->err)))
		return script_failed(p);
	for (i = 0; i < NETDEV_TIMEOUT_S * 20; i++) {
		st = devices_xs_read(p->xs, "%s/hotplug-status", p->be);
		if (st && *st)
			break;
		free(st);
		st = NULL;
		usleep(50000);
	}
	i = st && !strcmp(st, "connected");
	if (!i)
		snprintf(p->err, sizeof(p->err),
			 "script %s online left hotplug-status \"%s\", not \"connected\"",
			 s.script, st ? st : "");
	free(st);
	return i ? 0 : script_failed(p);
}

static int plug_start(struct vif_plug *p)
{
	struct xs_node *nodes = calloc(NIC_NODES_MAX, sizeof(*nodes));
	int n = -1;

	if (nodes)
		n = nic_spec_nodes(p->n, p->domid, 0, nodes, NIC_NODES_MAX);
	if (n < 0 || devices_write_nodes(p->xs, nodes, n)) {
		snprintf(p->err, sizeof(p->err), "xenstore: %s",
			 strerror(n < 0 ? EINVAL : errno));
		n = -1;
	}
	free(nodes);
	return n < 0 ? -1 : 0;
}

/* What can be checked before anything is written. */
static int plug_check(struct vif_plug *p)
{
	const struct nic_spec *n = p->n;
	int i;

	if (nic_devname(n, p->domid, p->dev, sizeof(p->dev))) {
		snprintf(p->err, sizeof(p->err), "no netdev name fits");
		return -1;
	}
	if (n->script && access(n->script, X_OK)) {
		snprintf(p->err, sizeof(p->err), "script %s: %s", n->script,
			 strerror(errno));
		return -1;
	}
	/*
	 * Else the wait below would take that netdev for the vif's.  One
	 * whose domain was just destroyed (a restart) may take a moment to
	 * go with its backend.
	 */
	for (i = 0; i < STALE_NETDEV_S * 20 && vif_netdev_exists(p->dev); i++)
		usleep(50000);
	if (vif_netdev_exists(p->dev)) {
		snprintf(p->err, sizeof(p->err),
			 "netdev %s already exists on the host", p->dev);
		return -1;
	}
	return 0;
}

int devices_add_nic(struct xs_handle *xs, uint32_t domid,
		    const struct nic_spec *n)
{
	struct vif_plug p = { .xs = xs, .n = n, .domid = domid };

	snprintf(p.fe, sizeof(p.fe), "/local/domain/%u/device/vif/%d", domid,
		 n->devid);
	snprintf(p.be, sizeof(p.be), "/local/domain/0/backend/vif/%u/%d",
		 domid, n->devid);
	if (plug_check(&p) || plug_start(&p))
		goto bad;
	if (plug_wait_netdev(&p) ||
	    (n->script ? plug_script(&p) : plug_bridge(&p))) {
		/* the backend lets go of the netdev with its directory */
		xs_rm(xs, XBT_NULL, p.fe);
		xs_rm(xs, XBT_NULL, p.be);
		goto bad;
	}
	return 0;
bad:
	fprintf(stderr, "xl-lite: vif %d: %s\n", n->devid, p.err);
	return -1;
}

void devices_unplug_nic(struct xs_handle *xs, uint32_t domid, int devid)
{
	char be[XS_NODE_PATH_MAX], dev[16], xbpath[64], err[512];
	char *script, *vifname, *gw;
	struct vif_script s;
	int r;

	snprintf(be, sizeof(be), "/local/domain/0/backend/vif/%u/%d", domid,
		 devid);
	script = devices_xs_read(xs, "%s/script", be);
	vifname = devices_xs_read(xs, "%s/vifname", be);
	gw = devices_xs_read(xs, "%s/gatewaydev", be);
	if (vifname)
		snprintf(dev, sizeof(dev), "%s", vifname);
	else
		snprintf(dev, sizeof(dev), "vif%u.%d", domid, devid);
	if (script) {
		script_info(&s, script, dev, gw, xbpath, sizeof(xbpath), domid,
			    devid);
		r = vif_run_script(&s, "offline", err, sizeof(err));
	} else {
		r = vif_bridge_detach(dev, err, sizeof(err));
	}
	/* as libxl, a failure here does not stop the removal */
	if (r)
		fprintf(stderr, "xl-lite: vif %d: %s\n", devid, err);
	free(script);
	free(vifname);
	free(gw);
}

int devices_add_nics(uint32_t domid, const struct dom_config *dc)
{
	struct xs_handle *xs;
	unsigned int i;
	int ret = 0;

	if (!dc->nnics)
		return 0;
	xs = xs_open(0);
	if (!xs) {
		fprintf(stderr, "xl-lite: vifs: cannot open xenstore: %s\n",
			strerror(errno));
		return -1;
	}
	for (i = 0; i < dc->nnics && !ret; i++)
		ret = devices_add_nic(xs, domid, &dc->nics[i]);
	xs_close(xs);
	return ret;
}

void devices_release_nics(uint32_t domid)
{
	struct xs_handle *xs = xs_open(0);
	char dir[64], **devs;
	unsigned int n, i;

	if (!xs)
		return;		/* no store, no vifs */
	snprintf(dir, sizeof(dir), "/local/domain/0/backend/vif/%u", domid);
	devs = xs_directory(xs, XBT_NULL, dir, &n);
	for (i = 0; devs && i < n; i++)
		devices_unplug_nic(xs, domid, atoi(devs[i]));
	free(devs);
	xs_close(xs);
}
