/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of a vif once its backend has made the netdev: what
 * Xen's hotplug scripts do (tools/hotplug/Linux/vif-bridge and
 * xen-network-common.sh), done by xl-lite over rtnetlink, or a hotplug
 * script run as libxl runs one (libxl_linux.c, libxl_device.c).
 * No xenstore here: devices.c reads and writes the nodes.
 */
#ifndef XL_LITE_VIFPLUG_H
#define XL_LITE_VIFPLUG_H

#include <stdbool.h>
#include <stddef.h>

/* libxl's LIBXL_HOTPLUG_TIMEOUT: how long a script may run. */
#define VIF_SCRIPT_TIMEOUT_S	40

/* Whether netdev @name exists on the host. */
bool vif_netdev_exists(const char *name);

/*
 * vif-bridge's "online", for netdev @dev: down; its MAC set to
 * fe:ff:ff:ff:ff:ff (the highest non-broadcast address, which a bridge
 * never takes as its own); its MTU set to @mtu, or with @mtu 0 to the
 * bridge's; enslaved to @bridge; up.  *@mtu_set gets the MTU.  Returns
 * 0, or -1 with @err naming the device, the bridge and the step, e.g.
 * "bridge xenbr0 does not exist".
 */
int vif_bridge_attach(const char *dev, const char *bridge, unsigned int mtu,
		      unsigned int *mtu_set, char *err, size_t errlen);

/*
 * vif-bridge's "offline": @dev down and out of its bridge.  A netdev
 * that is already gone is not an error.  0, or -1 with @err set.
 */
int vif_bridge_detach(const char *dev, char *err, size_t errlen);

/* What a hotplug script is told, in libxl's environment variables. */
struct vif_script {
	const char *script;	/* absolute path */
	const char *xenbus_path;	/* XENBUS_PATH: backend/vif/D/N */
	const char *vif;	/* vif: the netdev */
	const char *gatewaydev;	/* netdev: "" when none */
};

/*
 * Run "@script @action type_if=vif" (@action "online" or "offline") as
 * libxl does: stdin from /dev/null, stdout to stderr, the environment
 * ours plus script, XENBUS_TYPE=vif, XENBUS_PATH, XENBUS_BASE_PATH=
 * backend, netdev and vif; killed after VIF_SCRIPT_TIMEOUT_S.  Returns 0
 * when it exits 0, else -1 with @err saying how it ended.
 */
int vif_run_script(const struct vif_script *s, const char *action,
		   char *err, size_t errlen);

#endif /* XL_LITE_VIFPLUG_H */
