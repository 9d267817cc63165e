/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A domain's devices in xenstore, as libxl writes them: the backend and
 * frontend directories of each disk, which kxen's in-kernel backends
 * watch for.
 */
#ifndef XL_LITE_DEVICES_H
#define XL_LITE_DEVICES_H

#include <stdint.h>

#include "domcfg.h"

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

#endif /* XL_LITE_DEVICES_H */
