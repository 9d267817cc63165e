/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl's disk specification (xl-disk-configuration(5), Xen 4.17), the
 * virtual device numbers of xen-vbd-interface(7), and the xenstore nodes
 * libxl writes for a vbd (libxl_disk.c, libxl_device.c).  Plain C: no
 * xenstore client, no kernel calls.
 *
 * A DISKSPEC is a comma-separated list of
 *   positional parameters  target, format, vdev, access (in that order;
 *                          an empty one takes its default)
 *   key=value              format=, vdev=, access=, devtype=, backend=,
 *                          backendtype=, specification=, script=, ...
 *   flags                  cdrom, discard, no-discard, direct-io-safe, ...
 *   target=PATH            last: the rest of the string, commas included
 * and the deprecated forms: prefixes on the target ("phy:", "file:",
 * "aio:", "tap:aio:", "raw:", ...; after one, the next positional
 * parameter is the vdev, not the format), "VDEV:cdrom" and the access
 * letters "w", "r" and xend's "w!".
 *
 * kxen serves raw images and block devices from the kernel: formats
 * other than raw, backend types other than phy, hotplug scripts, driver
 * domains, virtio and COLO are refused, naming what was asked for.
 */
#ifndef XL_LITE_DISKSPEC_H
#define XL_LITE_DISKSPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "xsnode.h"

#define DISK_TARGET_MAX		XS_NODE_VALUE_MAX

enum disk_format {
	DISK_FORMAT_RAW,
	DISK_FORMAT_EMPTY,	/* a cdrom drive with no medium */
};

enum disk_backend {
	DISK_BACKEND_DEFAULT,	/* backendtype not given */
	DISK_BACKEND_PHY,	/* backendtype=phy */
};

enum disk_discard {
	DISK_DISCARD_DEFAULT,	/* on for read-write, off for read-only */
	DISK_DISCARD_ON,	/* "discard" */
	DISK_DISCARD_OFF,	/* "no-discard" */
};

struct disk_spec {
	char *target;		/* path; "" for an empty cdrom drive */
	char *vdev;		/* as given: "xvda", "hdc", "d0p1", "51712" */
	int devid;		/* the Xen virtual device number of vdev */
	enum disk_format format;
	enum disk_backend backend;
	enum disk_discard discard;
	bool readonly;		/* access r/ro, and always for a cdrom */
	bool is_cdrom;		/* devtype=cdrom, "cdrom", "VDEV:cdrom" */
	bool removable;		/* set for a cdrom, as xl does */
	bool direct_io_safe;	/* the flag; kxen's backend has no use for it */
};

/*
 * Parse one DISKSPEC into @d (zeroed first).  Returns 0, or -1 with
 * @err set to a message naming the problem and the offending word, e.g.
 * "format qcow2 is not supported by kxen (raw only)"; then @d holds
 * nothing to free.  Unlike xl, an empty target is refused unless the
 * disk is a cdrom.
 */
int disk_spec_parse(const char *spec, struct disk_spec *d, char *err,
		    size_t errlen);
void disk_spec_free(struct disk_spec *d);

/*
 * The Xen virtual device number of a vdev name, as libxl computes it:
 *   xvdX[N]  disk 0-15, partition 0-15:  202 << 8 | disk << 4 | partition
 *            otherwise (disk < 2^20, partition <= 255):
 *                                        1 << 28 | disk << 8 | partition
 *   dDpP     the same, with D and P in decimal
 *   hdX[N]   disk 0-3, partition 0-63:   3 << 8 | disk << 6 | partition
 *            (hdc, hdd: 22 << 8 | (disk - 2) << 6 | partition)
 *   sdX[N]   disk 0-15, partition 0-15:  8 << 8 | disk << 4 | partition
 *   NUMBER   decimal, 0x-hex or 0-octal: that number, up to INT_MAX
 * X is a disk index in bijective base 26 (a = 0, z = 25, aa = 26, ...);
 * N is a partition, 1 or more without leading zeros.  Returns the number,
 * or -1 with @err set ("invalid virtual device \"xvd\": ...").
 */
int disk_vdev_number(const char *vdev, char *err, size_t errlen);

/* The backend's "type" node: "phy" (kxen serves files and devices alike) */
const char *disk_spec_backend_type(const struct disk_spec *d);
/* discard-enable with libxl's default applied */
bool disk_spec_discard_enabled(const struct disk_spec *d);

#define DISK_NODES_MAX		19

/*
 * Fill @out with the nodes libxl writes for @d as vbd @d->devid of domain
 * @domid, served by @backend_domid, in libxl's order:
 *   /local/domain/<domid>/device/vbd/<devid>          perms n<domid>,r<bd>
 *     backend backend-id state virtual-device device-type
 *   /local/domain/<bd>/backend/vbd/<domid>/<devid>    perms n<bd>,r<domid>
 *     frontend params frontend-id online removable bootable state dev
 *     type mode device-type discard-enable
 * libxl's "script" node is left out: kxen runs no hotplug scripts.
 * Returns the number of nodes (DISK_NODES_MAX), or -1 if @max is smaller
 * than that or a domid is negative.
 */
int disk_spec_nodes(const struct disk_spec *d, int domid, int backend_domid,
		    struct xs_node *out, int max);

#endif /* XL_LITE_DISKSPEC_H */
