// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel xenbus backend glue; see xenbus_be.h.
 *
 * Two kinds of watch feed it.  The driver's watch on its backend
 * directory creates a device when <domid>/<devid> appears and tears it
 * down when it goes (on destroy, or when the toolstack detaches it).  A
 * device's watch on the frontend's "state" node queues the device's work,
 * which runs the state machine under the device's lock.  Teardown stops
 * the frontend watch and the work before the driver lets go, and only
 * then drops the domain reference that kept the guest's grant table (and
 * with it every page a backend still holds) alive.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../core/kxen.h"
#include "../xenstore/xenstore.h"
#include "xenbus_be.h"

#define KXEN_XB_BACKEND	"/local/domain/0/backend/"

static struct workqueue_struct *kxen_xb_wq;

static const char *kxen_xb_dir(struct kxen_xbdev *dev, bool fe)
{
	return fe ? dev->fepath : dev->bepath;
}

char *kxen_xb_read_str(struct kxen_xbdev *dev, bool fe, const char *node)
{
	char path[96], *val;
	u32 len;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", kxen_xb_dir(dev, fe), node);
	ret = kxen_xs_read(0, path, &val, &len);
	if (ret)
		return ERR_PTR(ret);
	return val;	/* NUL-terminated by the store's API */
}

int kxen_xb_read_u32(struct kxen_xbdev *dev, bool fe, const char *node,
		     u32 *val)
{
	char *s = kxen_xb_read_str(dev, fe, node);
	int ret;

	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = kstrtou32(s, 10, val) ? -EINVAL : 0;
	kfree(s);
	return ret;
}

int kxen_xb_write(struct kxen_xbdev *dev, u32 txid, const char *node,
		  const char *fmt, ...)
{
	char path[96], val[64];
	va_list ap;

	snprintf(path, sizeof(path), "%s/%s", dev->bepath, node);
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	return kxen_xs_write(txid, path, val);
}

void kxen_xb_error(struct kxen_xbdev *dev, int err, const char *fmt, ...)
{
	struct va_format vaf;
	char msg[128];
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	snprintf(msg, sizeof(msg), "%d %pV", -err, &vaf);
	va_end(ap);
	pr_warn_ratelimited(KXEN_PR_PREFIX "d%u %s %u: %s\n", dev->domid,
			    dev->drv->type, dev->devid, msg);
	kxen_xb_write(dev, 0, "error", "%s", msg);
}

/* The toolstack has plugged the device in (its vif script ran). */
static bool kxen_xb_plugged(struct kxen_xbdev *dev)
{
	char *s = kxen_xb_read_str(dev, false, "hotplug-status");
	bool ok = !IS_ERR(s) && !strcmp(s, "connected");

	if (!IS_ERR(s))
		kfree(s);
	return ok;
}

/* Our state for the frontend to see; Connected may wait for hotplug. */
static void kxen_xb_publish(struct kxen_xbdev *dev)
{
	dev->deferred = dev->sm.state == XB_CONNECTED && dev->drv->hotplug &&
			!kxen_xb_plugged(dev);
	if (!dev->deferred)
		kxen_xb_write(dev, 0, "state", "%d", dev->sm.state);
}

static void kxen_xb_act(struct kxen_xbdev *dev, unsigned int act, int fe)
{
	int ret;

	if (act & XB_ACT_FATAL)
		kxen_xb_error(dev, -EINVAL, "frontend state %d refused", fe);
	/* The device goes: a Connected held for hotplug is written never. */
	if (act & XB_ACT_REMOVE)
		dev->deferred = false;
	if (act & (XB_ACT_DISCONNECT | XB_ACT_REMOVE))
		dev->drv->disconnect(dev);
	if (act & XB_ACT_CONNECT) {
		ret = dev->drv->connect(dev);
		if (ret)
			dev->drv->disconnect(dev);
		act = xb_be_connected(&dev->sm, ret);
		/* connect() wrote its own error; a failure only closes. */
		act &= ~XB_ACT_FATAL;
		if (act & XB_ACT_DISCONNECT)
			dev->drv->disconnect(dev);
	}
	if (act & XB_ACT_RECONFIGURE)
		dev->drv->reconfigure(dev);
	if (act & XB_ACT_WRITE_STATE)
		kxen_xb_publish(dev);
}

/* The frontend's state changed (or may have): one step of the machine. */
static void kxen_xb_work(struct work_struct *work)
{
	struct kxen_xbdev *dev = container_of(work, struct kxen_xbdev, work);
	char *s;
	u32 online = 0;
	int fe;

	mutex_lock(&dev->lock);
	s = kxen_xb_read_str(dev, true, "state");
	if (IS_ERR(s)) {
		fe = PTR_ERR(s) == -ENOENT ? XB_UNKNOWN : -1;
	} else {
		fe = xb_state_parse(s, strlen(s));
		kfree(s);
	}
	if (kxen_xb_read_u32(dev, false, "online", &online))
		online = 0;
	dev->sm.online = online;
	kxen_xb_act(dev, xb_be_frontend_changed(&dev->sm, fe), fe);
	if (dev->deferred)
		kxen_xb_publish(dev);
	mutex_unlock(&dev->lock);
}

static void kxen_xb_fe_changed(struct kxen_xs_watch *w, const char *path,
			       const char *token, void *arg)
{
	struct kxen_xbdev *dev = arg;

	queue_work(kxen_xb_wq, &dev->work);
}

/* One number of a path, up to the next '/' or its end; NULL if none. */
static const char *kxen_xb_path_u32(const char *p, u32 *val)
{
	const char *end = strchrnul(p, '/');
	char buf[12];

	if (end == p || end - p >= (int)sizeof(buf))
		return NULL;
	memcpy(buf, p, end - p);
	buf[end - p] = 0;
	if (kstrtou32(buf, 10, val))
		return NULL;
	return *end ? end + 1 : end;
}

/*
 * Parse ".../backend/<type>[/<domid>[/<devid>[/...]]]": how many of the
 * two numbers it names (a removal reports the directory it removed, at
 * any of these levels), or -1 for a path not ours.
 */
static int kxen_xb_parse_path(struct kxen_xb_driver *drv, const char *path,
			      u32 *domid, u32 *devid)
{
	size_t n = strlen(KXEN_XB_BACKEND), t = strlen(drv->type);
	const char *p = path + n + t;

	if (strncmp(path, KXEN_XB_BACKEND, n) ||
	    strncmp(path + n, drv->type, t) || (*p && *p != '/'))
		return -1;
	if (!*p || !p[1])
		return 0;
	p = kxen_xb_path_u32(p + 1, domid);
	if (!p)
		return -1;
	if (!*p)
		return 1;
	return kxen_xb_path_u32(p, devid) ? 2 : -1;
}

static struct kxen_xbdev *kxen_xb_find(struct kxen_xb_driver *drv, u32 domid,
				       u32 devid)
{
	struct kxen_xbdev *dev;

	list_for_each_entry(dev, &drv->devices, node)
		if (dev->domid == domid && dev->devid == devid)
			return dev;
	return NULL;
}

static bool kxen_xb_exists(const char *path)
{
	char *val;
	u32 len;

	if (kxen_xs_read(0, path, &val, &len))
		return false;
	kfree(val);
	return true;
}

static void kxen_xb_free(struct kxen_xbdev *dev)
{
	kxen_domain_put(dev->d);
	kfree(dev);
	kxen_stats_objects(-1);
}

/* drv->lock held: a device for a new backend directory. */
static void kxen_xb_add(struct kxen_xb_driver *drv, u32 domid, u32 devid)
{
	struct kxen_xbdev *dev;
	char path[96];
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return;
	kxen_stats_objects(1);
	dev->drv = drv;
	dev->domid = domid;
	dev->devid = devid;
	mutex_init(&dev->lock);
	INIT_WORK(&dev->work, kxen_xb_work);
	snprintf(dev->bepath, sizeof(dev->bepath), KXEN_XB_BACKEND "%s/%u/%u",
		 drv->type, domid, devid);
	snprintf(dev->fepath, sizeof(dev->fepath),
		 "/local/domain/%u/device/%s/%u", domid, drv->type, devid);
	dev->d = kxen_domain_get(domid);
	if (!dev->d) {
		kfree(dev);	/* a tool's stale nodes: no such domain */
		kxen_stats_objects(-1);
		return;
	}
	dev->sm.reconfigure = drv->reconfigure;
	mutex_lock(&dev->lock);
	ret = drv->probe(dev);
	if (!ret)
		kxen_xb_act(dev, xb_be_probe(&dev->sm), 0);
	mutex_unlock(&dev->lock);
	list_add(&dev->node, &drv->devices);
	if (ret) {
		dev->failed = true;	/* probe wrote why */
		return;
	}
	snprintf(path, sizeof(path), "%s/state", dev->fepath);
	dev->fe_watch = kxen_xs_watch(path, "fe", kxen_xb_fe_changed, dev);
	if (IS_ERR(dev->fe_watch))
		dev->fe_watch = NULL;	/* no frontend: it never connects */
	if (drv->reconfigure_node) {
		snprintf(path, sizeof(path), "%s/%s", dev->fepath,
			 drv->reconfigure_node);
		dev->rc_watch = kxen_xs_watch(path, "rc", kxen_xb_fe_changed,
					      dev);
		if (IS_ERR(dev->rc_watch))
			dev->rc_watch = NULL;	/* read at Reconfiguring only */
	}
	if (!drv->hotplug)
		return;
	snprintf(path, sizeof(path), "%s/hotplug-status", dev->bepath);
	dev->hp_watch = kxen_xs_watch(path, "hp", kxen_xb_fe_changed, dev);
	if (IS_ERR(dev->hp_watch))
		dev->hp_watch = NULL;	/* then it never reports Connected */
}

/* drv->lock held: the directory went, or the driver goes. */
static void kxen_xb_remove(struct kxen_xbdev *dev)
{
	list_del(&dev->node);
	if (dev->failed) {
		kxen_xb_free(dev);
		return;
	}
	kxen_xs_unwatch(dev->fe_watch);
	kxen_xs_unwatch(dev->rc_watch);
	kxen_xs_unwatch(dev->hp_watch);
	cancel_work_sync(&dev->work);
	mutex_lock(&dev->lock);
	dev->drv->disconnect(dev);
	dev->drv->remove(dev);
	mutex_unlock(&dev->lock);
	kxen_xb_free(dev);
}

/* drv->lock held: devices (of @domid, or all) whose directory went. */
static void kxen_xb_reap(struct kxen_xb_driver *drv, int level, u32 domid)
{
	struct kxen_xbdev *dev, *tmp;

	list_for_each_entry_safe(dev, tmp, &drv->devices, node)
		if ((level == 0 || dev->domid == domid) &&
		    !kxen_xb_exists(dev->bepath))
			kxen_xb_remove(dev);
}

static void kxen_xb_be_changed(struct kxen_xs_watch *w, const char *path,
			       const char *token, void *arg)
{
	struct kxen_xb_driver *drv = arg;
	struct kxen_xbdev *dev;
	u32 domid = 0, devid = 0;
	int level;
	char dir[96];
	bool exists;

	level = kxen_xb_parse_path(drv, path, &domid, &devid);
	if (level < 0)
		return;
	mutex_lock(&drv->lock);
	if (level < 2) {
		kxen_xb_reap(drv, level, domid);
		goto out;
	}
	snprintf(dir, sizeof(dir), KXEN_XB_BACKEND "%s/%u/%u", drv->type,
		 domid, devid);
	exists = kxen_xb_exists(dir);
	dev = kxen_xb_find(drv, domid, devid);
	if (exists && !dev)
		kxen_xb_add(drv, domid, devid);
	else if (!exists && dev)
		kxen_xb_remove(dev);
out:
	mutex_unlock(&drv->lock);
}

int kxen_xb_register(struct kxen_xb_driver *drv)
{
	char path[64];

	if (!kxen_xb_wq) {
		kxen_xb_wq = alloc_workqueue("kxen_xb", WQ_UNBOUND, 0);
		if (!kxen_xb_wq)
			return -ENOMEM;
	}
	mutex_init(&drv->lock);
	INIT_LIST_HEAD(&drv->devices);
	snprintf(path, sizeof(path), KXEN_XB_BACKEND "%s", drv->type);
	drv->watch = kxen_xs_watch(path, drv->type, kxen_xb_be_changed, drv);
	return PTR_ERR_OR_ZERO(drv->watch);
}

void kxen_xb_unregister(struct kxen_xb_driver *drv)
{
	struct kxen_xbdev *dev, *tmp;

	kxen_xs_unwatch(drv->watch);
	mutex_lock(&drv->lock);
	list_for_each_entry_safe(dev, tmp, &drv->devices, node)
		kxen_xb_remove(dev);
	mutex_unlock(&drv->lock);
}

void kxen_xb_exit(void)
{
	if (kxen_xb_wq)
		destroy_workqueue(kxen_xb_wq);
	kxen_xb_wq = NULL;
}
