/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A domain's devices in xenstore, as libxl writes them: the backend and
 * frontend directories of each disk and vif, which kxen's in-kernel
 * backends watch for, and a vif's host side (its netdev on a bridge).
 */
#ifndef XL_LITE_DEVICES_H
#define XL_LITE_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "domcfg.h"

/*
 * Before anything is created, as libxl's disk set-up: each disk's target
 * exists, a file or a block device; else a message naming the disk and
 * the reason (libxl's own wording), and -1.
 */
int devices_check_disk(const struct disk_spec *d);
int devices_check_disks(const struct dom_config *dc);
/* Every disk of @dc for domain @domid; 0, or -1 with a message printed. */
int devices_add_disks(uint32_t domid, const struct dom_config *dc);

struct xs_handle;
/*
 * Write @nodes in one transaction, so a backend watching the directory
 * sees it whole, retried while the store reports a conflict: 0, or -1
 * with errno set.
 */
int devices_write_nodes(struct xs_handle *xs, const struct xs_node *nodes,
			int n);
/* One disk: 0, or -1 with errno set. */
int devices_add_disk(struct xs_handle *xs, uint32_t domid,
		     const struct disk_spec *d);

/* The value of a node at the formatted path, or NULL; free() it. */
char *devices_xs_read(struct xs_handle *xs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Node @dir/@node as a number (for the *-list tables), -1 when absent. */
long devices_xs_num(struct xs_handle *xs, const char *dir, const char *node);

/*
 * For the commands on a running domain's devices: find domain @dom and
 * open xenstore.  0, or an exit status with a message printed.
 */
int devices_open_dom(const char *dom, struct xs_handle **xs, uint32_t *domid);

/*
 * Remove @type ("vbd", "vif") @devid of @domid as libxl does: the backend
 * goes offline and Closing, the frontend closes in answer and the
 * backend reaches Closed (waited for 10 s, not at all with @force); a
 * vif's host side is undone (devices_unplug_nic); then both directories
 * go, which makes kxen's backend let go.  0, or 1 with a message naming
 * @cmd when there is no such device.
 */
int devices_remove(struct xs_handle *xs, const char *cmd, const char *type,
		   uint32_t domid, int devid, bool force);

/*
 * Every vif of @dc, in order (devices_add_nic): 0, or -1 with a message
 * printed; the vifs already added stay, for the domain's destroy.
 */
int devices_add_nics(uint32_t domid, const struct dom_config *dc);

/*
 * One vif: its nodes written in one transaction; then, as libxl's
 * hotplug step, wait up to 10 s for the backend's netdev (vifname, else
 * vif<domid>.<devid>) and either run its script "online" and wait for
 * the script's hotplug-status = connected, or join the netdev to its
 * bridge (vif_bridge_attach) and write hotplug-status = connected, the
 * backend's cue to connect.  0, or -1 with "xl-lite: vif N: ..."
 * printed and the vif's directories removed again.
 */
int devices_add_nic(struct xs_handle *xs, uint32_t domid,
		    const struct nic_spec *n);

/*
 * Undo a vif's host side from what its backend directory says: run its
 * script "offline", or take its netdev out of the bridge.  Failures are
 * printed and do not stop a removal, as in libxl.
 */
void devices_unplug_nic(struct xs_handle *xs, uint32_t domid, int devid);

/* devices_unplug_nic for every vif of @domid, before it is destroyed. */
void devices_release_nics(uint32_t domid);

#endif /* XL_LITE_DEVICES_H */
