/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel xenbus backends (Linux's xen-blkback/xen-netback model): a
 * driver per device class watches the host's backend directory,
 * /local/domain/0/backend/<type>/<domid>/<devid>, which the toolstack
 * fills (xl-lite as libxl does); a device appears with its directory and
 * goes with it.  The handshake with the frontend is the plain-C state
 * machine of xenbus-compat/xb_backend.c; this glue reads the frontend's
 * "state", carries out the actions and writes ours.
 */
#ifndef KXEN_BACKENDS_XENBUS_BE_H
#define KXEN_BACKENDS_XENBUS_BE_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#include "../../xenbus-compat/xb_backend.h"

struct kxen_domain;
struct kxen_xs_watch;
struct kxen_xbdev;

struct kxen_xb_driver {
	const char *type;		/* "vbd", "vif" */
	/*
	 * Connected is written only once the toolstack's "hotplug-status"
	 * reads "connected" (Linux netback's wait for Xen's vif scripts).
	 */
	bool hotplug;
	/*
	 * A new device: read the toolstack's nodes, open what it names,
	 * write the features the frontend reads before it connects.
	 */
	int (*probe)(struct kxen_xbdev *dev);
	/* The frontend is Initialised: map its rings, bind its ports. */
	int (*connect)(struct kxen_xbdev *dev);
	/*
	 * Optional: the connected frontend went Reconfiguring; re-read what
	 * it may change that way (netif.h's "xdp-headroom").  Without it,
	 * Reconfiguring is refused.
	 */
	void (*reconfigure)(struct kxen_xbdev *dev);
	/*
	 * The frontend node @reconfigure reads, watched too: Linux's
	 * netfront writes "xdp-headroom" only after it went Reconfiguring,
	 * so a change while it is reads it again.
	 */
	const char *reconfigure_node;
	/* Drop rings and ports, after all I/O on them ended; idempotent. */
	void (*disconnect)(struct kxen_xbdev *dev);
	/* The device goes: release what probe took (after disconnect). */
	void (*remove)(struct kxen_xbdev *dev);

	/* The glue's own. */
	struct kxen_xs_watch *watch;
	struct mutex lock;		/* devices */
	struct list_head devices;
};

struct kxen_xbdev {
	struct list_head node;
	struct kxen_xb_driver *drv;
	struct kxen_domain *d;		/* a reference, until removal */
	u32 domid, devid;
	char bepath[64];		/* /local/domain/0/backend/<type>/D/N */
	char fepath[64];		/* /local/domain/D/device/<type>/N */
	struct mutex lock;		/* the state machine and driver calls */
	struct xb_be sm;
	struct kxen_xs_watch *fe_watch;
	struct kxen_xs_watch *hp_watch;	/* drv->hotplug: hotplug-status */
	struct kxen_xs_watch *rc_watch;	/* drv->reconfigure_node */
	bool deferred;			/* Connected waits for hotplug */
	/*
	 * The driver's probe failed (it wrote "error"): the device stays
	 * listed, with no watch and no driver state, until its directory
	 * goes, so that the watch firing on that very write does not
	 * probe it again, and again (Linux's xenbus likewise leaves a
	 * device whose probe failed unbound, not re-probed).
	 */
	bool failed;
	struct work_struct work;	/* look at the frontend's state */
	void *priv;			/* the driver's */
};

int kxen_xb_register(struct kxen_xb_driver *drv);
void kxen_xb_unregister(struct kxen_xb_driver *drv);
/* Module unload, after every driver is unregistered. */
void kxen_xb_exit(void);

/*
 * Nodes of the device: @fe picks the frontend's directory, else ours.
 * Reads return -ENOENT for a missing node, -EINVAL for a malformed one.
 */
int kxen_xb_read_u32(struct kxen_xbdev *dev, bool fe, const char *node,
		     u32 *val);
char *kxen_xb_read_str(struct kxen_xbdev *dev, bool fe, const char *node);
__printf(4, 5)
int kxen_xb_write(struct kxen_xbdev *dev, u32 txid, const char *node,
		  const char *fmt, ...);
/* Why a device failed, in our "error" node and the kernel log. */
__printf(3, 4)
void kxen_xb_error(struct kxen_xbdev *dev, int err, const char *fmt, ...);

#endif /* KXEN_BACKENDS_XENBUS_BE_H */
