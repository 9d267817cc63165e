// SPDX-License-Identifier: GPL-2.0
/*
 * Building lists of xenstore nodes (xsnode.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "xsnode.h"

int xs_node_add(struct xs_node_list *l, const char *name, const char *fmt,
		...)
{
	struct xs_node *e;
	va_list ap;
	int r;

	if (l->n >= l->max)
		return -1;
	e = &l->out[l->n++];
	if (name)
		r = snprintf(e->path, sizeof(e->path), "%s/%s", l->dir, name);
	else
		r = snprintf(e->path, sizeof(e->path), "%s", l->dir);
	if (r < 0 || (size_t)r >= sizeof(e->path))
		return -1;
	snprintf(e->perms, sizeof(e->perms), "%s", l->perms);
	va_start(ap, fmt);
	r = vsnprintf(e->value, sizeof(e->value), fmt, ap);
	va_end(ap);
	return r < 0 || (size_t)r >= sizeof(e->value) ? -1 : 0;
}

int xs_device_init(struct xs_device *dev, const char *type, int domid,
		   int backend_domid, int devid)
{
	if (domid < 0 || backend_domid < 0 || devid < 0)
		return -1;
	dev->domid = domid;
	dev->backend_domid = backend_domid;
	snprintf(dev->fe, sizeof(dev->fe), "/local/domain/%d/device/%s/%d",
		 domid, type, devid);
	snprintf(dev->be, sizeof(dev->be), "/local/domain/%d/backend/%s/%d/%d",
		 backend_domid, type, domid, devid);
	snprintf(dev->fe_perms, sizeof(dev->fe_perms), "n%d,r%d", domid,
		 backend_domid);
	snprintf(dev->be_perms, sizeof(dev->be_perms), "n%d,r%d",
		 backend_domid, domid);
	return 0;
}

int xs_device_frontend(struct xs_node_list *l, const struct xs_device *dev)
{
	int bad = 0;

	l->dir = dev->fe;
	l->perms = dev->fe_perms;
	bad |= xs_node_add(l, NULL, "%s", "");
	bad |= xs_node_add(l, "backend", "%s", dev->be);
	bad |= xs_node_add(l, "backend-id", "%d", dev->backend_domid);
	bad |= xs_node_add(l, "state", "%d", 1);
	return bad;
}

int xs_device_backend(struct xs_node_list *l, const struct xs_device *dev)
{
	l->dir = dev->be;
	l->perms = dev->be_perms;
	return xs_node_add(l, NULL, "%s", "") |
	       xs_node_add(l, "frontend", "%s", dev->fe);
}
