/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl's network interface specification (xl-network-configuration(5),
 * Xen 4.17) and the xenstore nodes libxl writes for a vif (libxl_nic.c,
 * libxl_device.c).  Plain C: no xenstore client, no netlink.
 *
 * A vif spec is a comma-separated list of key=value settings and the
 * flags "trusted" and "untrusted", every one optional ('' is a vif with
 * all the defaults):
 *   mac=      six hex pairs; default 00:16:3e plus 3 random bytes, the
 *             first below 0x80, as libxl draws it
 *   bridge=   default xenbr0
 *   ip=       space-separated IPv4 addresses (an optional /prefix each)
 *   rate=     RATE/s[@INTERVAL] in xl's syntax, e.g. 10Mb/s, 1MB/s@20ms
 *   vifname=  the host's netdev name; default vif<domid>.<devid>
 *   mtu=      68 to 65535; default 1500 in the guest, the bridge's MTU
 *             on the host side (the man page's "set to match")
 *   script=   a hotplug script; default none (xl-lite attaches the vif
 *             to its bridge itself); relative names are under
 *             /etc/xen/scripts, as libxl resolves them
 *   devid=    default: its index in vif = [...], or the next free one
 *   type=vif, backend=0, gatewaydev= (netdev=, the old name; for a
 *   script), trusted, untrusted
 * Refused, naming the key and the value: type=ioemu and model= (kxen has
 * no device model, hence no emulated NICs), backends in other domains,
 * accel=, the COLO keys, unknown keys and flags, a key given twice.
 */
#ifndef XL_LITE_NICSPEC_H
#define XL_LITE_NICSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xsnode.h"

#define NIC_DEFAULT_BRIDGE	"xenbr0"
#define NIC_DEFAULT_MTU		1500	/* LIBXL_DEVICE_NIC_MTU_DEFAULT */
#define NIC_MTU_MIN		68	/* IPv4's minimum (RFC 791) */
#define NIC_MTU_MAX		65535
#define NIC_SCRIPT_DIR		"/etc/xen/scripts"	/* XEN_SCRIPT_DIR */
#define NIC_RATE_INTERVAL_US	50000	/* xl's default: 50 ms */
/*
 * With domids below 32752 (DOMID_FIRST_RESERVED), "vif%u.%d" of any
 * devid up to this fits in a Linux interface name.
 */
#define NIC_DEVID_MAX		999999
#define NIC_IFNAME_MAX		15	/* IFNAMSIZ less the NUL */
#define NIC_MAC_LEN		6
#define NIC_MAC_STR		18	/* "xx:xx:xx:xx:xx:xx" and the NUL */

struct nic_spec {
	int devid;		/* -1: not given */
	uint8_t mac[NIC_MAC_LEN];
	bool mac_given;
	char *bridge;		/* always set */
	char *ip;		/* NULL, or the addresses as given */
	char *vifname;		/* NULL: vif<domid>.<devid> */
	char *script;		/* NULL: none; else an absolute path */
	char *gatewaydev;	/* NULL, or for the script */
	unsigned int mtu;
	bool mtu_given;		/* else the bridge's MTU is taken */
	bool trusted;		/* the frontend's "trusted"; default true */
	uint64_t rate_bytes;	/* bytes per interval, when rate_usecs */
	uint32_t rate_usecs;	/* 0: no rate limit */
};

/*
 * Parse one vif spec into @n (zeroed first).  Returns 0, or -1 with @err
 * set to a message naming the key and the value, e.g.
 * "model e1000 is not supported by kxen (no emulated NICs)"; then @n
 * holds nothing to free.
 */
int nic_spec_parse(const char *spec, struct nic_spec *n, char *err,
		   size_t errlen);
void nic_spec_free(struct nic_spec *n);

/* "00:16:3e:74:3d:76" (exactly six hex pairs) -> @mac: 0, or -1 + @err */
int nic_parse_mac(const char *s, uint8_t mac[NIC_MAC_LEN], char *err,
		  size_t errlen);
/* @mac as libxl prints it, lower case, into @out[NIC_MAC_STR] */
void nic_format_mac(const uint8_t mac[NIC_MAC_LEN], char *out);

/*
 * xl's rate syntax, as libxlu_vif.c reads it: RATE is digits (a leading
 * 0 makes them octal, strtoull's base 0), an optional G, M or K (powers
 * of 1000), B (bytes) or b (bits, divided by 8), then "/s"; INTERVAL is
 * digits and an optional unit ms/m, us/u or s (the default, seconds).
 * Both are 1 to 2^32 - 1 before the unit.  *@bytes gets the bytes per
 * interval (RATE in bytes/s times the interval, / 10^6, rounded down)
 * and *@usecs the interval (NIC_RATE_INTERVAL_US when not given).
 */
int nic_parse_rate(const char *s, uint64_t *bytes, uint32_t *usecs,
		   char *err, size_t errlen);

/*
 * A Linux interface name (dev_valid_name): 1 to 15 bytes, not "." or
 * "..", no '/', ':', blanks or control characters.  NULL if valid, else
 * why not.
 */
const char *nic_ifname_invalid(const char *name);

/*
 * The host's netdev for @n in domain @domid: its vifname, else the name
 * Linux's netback gives it, vif<domid>.<devid>.  Returns 0, or -1 if it
 * does not fit in @len.
 */
int nic_devname(const struct nic_spec *n, unsigned int domid, char *buf,
		size_t len);

#define NIC_NODES_MAX		24

/*
 * Fill @out with the nodes libxl writes for @n as vif @n->devid of
 * domain @domid, served by @backend_domid, in libxl's order:
 *   /local/domain/<domid>/device/vif/<devid>          perms n<domid>,r<bd>
 *     backend backend-id state handle mac trusted
 *     mtu                                             perms n<bd>,r<domid>
 *   /local/domain/<bd>/backend/vif/<domid>/<devid>    perms n<bd>,r<domid>
 *     frontend frontend-id online state [script] [vifname] mac [ip]
 *     [gatewaydev] [rate] [mtu] bridge handle type hotplug-status
 * Bracketed nodes are written only when set; the backend's "mtu" only
 * when mtu= was given (libxl: when not 1500), so that the hotplug step
 * takes the bridge's.  "rate" is "BYTES,USECS"; "hotplug-status" is
 * empty, which keeps the backend from connecting until the hotplug step
 * writes "connected".  libxl's "script" is there only when there is one.
 * Returns the number of nodes, or -1 if @max is too small, a domid is
 * negative or @n has no devid.
 */
int nic_spec_nodes(const struct nic_spec *n, int domid, int backend_domid,
		   struct xs_node *out, int max);

#endif /* XL_LITE_NICSPEC_H */
