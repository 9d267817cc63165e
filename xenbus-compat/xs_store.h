/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kxen's xenstore: the store, its connections and the C API that
 * in-kernel callers (backends, the control plane) and the userspace
 * tests use.  The protocol is docs/misc/xenstore.txt over the messages
 * of the Xen public header io/xs_wire.h.
 *
 * Every function returns 0 or a negative errno.  -EDQUOT stands for the
 * protocol's "EQUOTA".  None of them locks: the caller serializes all
 * use of one store (see xs_os.h).
 */
#ifndef XS_STORE_H
#define XS_STORE_H

#include "xs_os.h"

struct xs_store;
struct xs_conn;

/* Permission bits of one entry of a node's list (owner first). */
#define XS_PERM_NONE	0x0
#define XS_PERM_READ	0x1
#define XS_PERM_WRITE	0x2
#define XS_PERM_BOTH	(XS_PERM_READ | XS_PERM_WRITE)

struct xs_perm {
	u32 domid;
	u32 perm;		/* XS_PERM_* */
};

/* Per-domain limits; defaults are cxenstored's (tools/xenstore). */
enum xs_quota {
	XS_Q_NODES,		/* nodes owned by the domain: 1000 */
	XS_Q_WATCHES,		/* watches of the domain: 128 */
	XS_Q_OUTSTANDING,	/* replies queued before input stalls: 20 */
	XS_Q_TXNS,		/* open transactions per connection: 10 */
	XS_Q_TXN_NODES,		/* nodes one transaction touches: 1024 */
	XS_Q_VALUE,		/* bytes in one value: 2048 */
	XS_Q_PERMS,		/* entries in one permission list: 5 */
	XS_Q_COUNT,
};

#define XS_DOMID_DEFAULT	0xffffffffu	/* xs_*_quota: the default */
#define XS_DOMID_NONE		0xffffffffu	/* no target */

/* A connection's output reached this many messages: drop watch events. */
#define XS_EVENT_QUEUE_MAX	1024

/* ---- the store ---- */
struct xs_store *xs_store_new(void);
void xs_store_free(struct xs_store *st);
int xs_quota_set(struct xs_store *st, u32 domid, enum xs_quota q, u32 val);
u32 xs_quota_get(struct xs_store *st, u32 domid, enum xs_quota q);
const char *xs_quota_name(enum xs_quota q);
u32 xs_store_nodes(struct xs_store *st);	/* nodes in the live tree */

/* ---- domains (as the toolstack sees them) ---- */
int xs_domain_introduce(struct xs_store *st, u32 domid);
int xs_domain_release(struct xs_store *st, u32 domid);
/* It shut down or crashed: @releaseDomain fires, once, as cxenstored's. */
int xs_domain_shutdown(struct xs_store *st, u32 domid);
bool xs_domain_introduced(struct xs_store *st, u32 domid);
int xs_domain_set_target(struct xs_store *st, u32 domid, u32 target);
u32 xs_domain_nodes(struct xs_store *st, u32 domid);

/*
 * Default nodes of a new domain (docs/misc/xenstore-paths), written as
 * xl writes them: /local/domain/N/{name,domid,vm,control,memory,cpu,
 * console,...} and /vm/UUID.  xs_domain_remove_nodes() undoes it.
 */
struct xs_domain_info {
	u32 domid;
	const char *name;
	const char *uuid;	/* xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx */
	u64 mem_kb;		/* memory/static-max: its RAM */
	u64 target_kb;		/* memory/target; 0: mem_kb */
	u32 vcpus;
};

int xs_domain_write_nodes(struct xs_store *st,
			  const struct xs_domain_info *di);
int xs_domain_remove_nodes(struct xs_store *st, u32 domid, const char *uuid);

/* ---- connections ---- */
#define XS_CONN_PRIV	0x1	/* the host: privileged, no quotas */

typedef void (*xs_notify_fn)(struct xs_conn *c, void *arg);
typedef void (*xs_event_fn)(struct xs_conn *c, const char *path,
			    const char *token, void *arg);

struct xs_conn *xs_conn_new(struct xs_store *st, u32 domid, u32 flags);
void xs_conn_free(struct xs_conn *c);
/* Called whenever output is queued (to wake a reader, kick a ring). */
void xs_conn_set_notify(struct xs_conn *c, xs_notify_fn fn, void *arg);
/* Deliver watch events to @fn instead of queueing WATCH_EVENT messages. */
void xs_conn_set_event_cb(struct xs_conn *c, xs_event_fn fn, void *arg);
u32 xs_conn_domid(const struct xs_conn *c);

/*
 * The byte stream of the wire protocol.  xs_conn_input() takes request
 * bytes and returns how many it consumed: fewer than @len when the
 * connection has XS_Q_OUTSTANDING replies unread (offer the rest again
 * after reading), -EPIPE once the connection is closed for a protocol
 * violation (a payload over XENSTORE_PAYLOAD_MAX).  xs_conn_output()
 * copies out reply and event bytes and returns how many.
 */
long xs_conn_input(struct xs_conn *c, const void *buf, size_t len);
size_t xs_conn_output(struct xs_conn *c, void *buf, size_t len);
size_t xs_conn_output_pending(const struct xs_conn *c);
bool xs_conn_closed(const struct xs_conn *c);
u32 xs_conn_dropped_events(const struct xs_conn *c);

/* ---- the C API, acting as the connection's domain ---- */
int xs_read(struct xs_conn *c, u32 txid, const char *path, char **val,
	    u32 *len);
int xs_write(struct xs_conn *c, u32 txid, const char *path,
	     const void *val, u32 len);
int xs_mkdir(struct xs_conn *c, u32 txid, const char *path);
int xs_rm(struct xs_conn *c, u32 txid, const char *path);
/* Children's leaf names, each followed by a NUL, in @*names (xs_free). */
int xs_directory(struct xs_conn *c, u32 txid, const char *path,
		 char **names, u32 *len);
int xs_get_perms(struct xs_conn *c, u32 txid, const char *path,
		 struct xs_perm **perms, u32 *n);
int xs_set_perms(struct xs_conn *c, u32 txid, const char *path,
		 const struct xs_perm *perms, u32 n);
int xs_txn_start(struct xs_conn *c, u32 *txid);
int xs_txn_end(struct xs_conn *c, u32 txid, bool commit);
int xs_watch(struct xs_conn *c, const char *path, const char *token);
int xs_unwatch(struct xs_conn *c, const char *path, const char *token);
void xs_reset_watches(struct xs_conn *c);

/* Error name on the wire ("ENOENT", "EQUOTA", ...) for a negative errno. */
const char *xs_errname(int err);

#endif /* XS_STORE_H */
