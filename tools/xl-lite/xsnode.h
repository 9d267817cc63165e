/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenstore nodes as plain records: what the toolstack writes for a
 * device (libxl__device_generic_add's frontend and backend directories),
 * built without a xenstore client so the unit tests can compare them,
 * and written by devices.c in one transaction.
 */
#ifndef XL_LITE_XSNODE_H
#define XL_LITE_XSNODE_H

#define XS_NODE_PATH_MAX	128
#define XS_NODE_VALUE_MAX	4096	/* PATH_MAX: with the NUL */
#define XS_NODE_PERMS_MAX	32

/*
 * One xenstore node.  @perms is xenstore's textual permission list, as
 * xenstore-ls -p prints it and xenstore-chmod takes it: comma-separated
 * entries of a letter and a domid, the letter 'n' (none), 'r' (read),
 * 'w' (write) or 'b' (both).  The first entry names the owner, which may
 * always read and write, and its letter is what every domain not listed
 * may do; e.g. "n0,r5": owned by dom0, readable by dom5, hidden from the
 * rest.  A directory's entry (value "") comes before its children, whose
 * permissions equal its own, as xenstored gives a new node its parent's.
 */
struct xs_node {
	char path[XS_NODE_PATH_MAX];
	char value[XS_NODE_VALUE_MAX];
	char perms[XS_NODE_PERMS_MAX];
};

/* Where xs_node_add appends: @out has room for @max nodes. */
struct xs_node_list {
	struct xs_node *out;
	int n, max;
	const char *dir, *perms;	/* the current directory and its perms */
};

/*
 * Append @dir/@name (@dir itself when @name is NULL) with the formatted
 * value and the list's perms.  Returns 0, or -1 when the list is full or
 * the path or value does not fit.
 */
int xs_node_add(struct xs_node_list *l, const char *name, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

/*
 * A device's two directories with their permissions, as
 * libxl__device_generic_add makes them:
 *   fe  /local/domain/<domid>/device/<type>/<devid>        n<domid>,r<bd>
 *   be  /local/domain/<bd>/backend/<type>/<domid>/<devid>  n<bd>,r<domid>
 * (each side owns its directory and the other may read it).
 */
struct xs_device {
	int domid, backend_domid;
	char fe[XS_NODE_PATH_MAX], be[XS_NODE_PATH_MAX];
	char fe_perms[XS_NODE_PERMS_MAX], be_perms[XS_NODE_PERMS_MAX];
};

/* Fill @dev: 0, or -1 if an id is negative. */
int xs_device_init(struct xs_device *dev, const char *type, int domid,
		   int backend_domid, int devid);
/*
 * Start the frontend directory: the directory, then backend, backend-id
 * and state = 1 (XenbusStateInitialising), libxl's first nodes.  The
 * list is left in the directory, for the type's own nodes.
 */
int xs_device_frontend(struct xs_node_list *l, const struct xs_device *dev);
/* The same for the backend directory: the directory, then frontend. */
int xs_device_backend(struct xs_node_list *l, const struct xs_device *dev);

#endif /* XL_LITE_XSNODE_H */
