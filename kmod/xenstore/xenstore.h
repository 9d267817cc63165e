/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's xenstore: one store (the core of xenbus-compat/), its two
 * transports (/dev/xen/xenbus for host tools, the guests' rings in
 * kmod/backends/xenstore.c) and the C API in-kernel callers use.
 *
 * Every use of the core goes through kxen_xs_lock(); the core's notify
 * and event callbacks run under it and must not take it again.  Watch
 * callbacks of in-kernel users run from a workqueue, without the lock, so
 * they may call back into the store.
 */
#ifndef KXEN_XENSTORE_H
#define KXEN_XENSTORE_H

#include "../../xenbus-compat/xs_store.h"

struct kxen_domain;
struct kxen_xs_watch;

/* Module load/unload (kmod/core/main.c), and /dev/xen/xenbus. */
int kxen_xs_init(void);
void kxen_xs_exit(void);
int kxen_xenbus_dev_init(void);
void kxen_xenbus_dev_exit(void);

/* Direct use of the core by the transports. */
void kxen_xs_lock(void);
void kxen_xs_unlock(void);
struct xs_store *kxen_xs_store(void);	/* under kxen_xs_lock() */

/* Domain lifecycle: default nodes + @introduceDomain; removal + release. */
void kxen_xs_domain_introduce(struct kxen_domain *d);
void kxen_xs_domain_release(struct kxen_domain *d);
/* It shut down or crashed (any context): @releaseDomain fires once. */
void kxen_xs_domain_ended(struct kxen_domain *d);
/* A ring set up for it: ~/@dev/ring-ref and ~/@dev/port, as xl has them. */
void kxen_xs_domain_ring(struct kxen_domain *d, const char *dev, u64 gfn,
			 u32 port);

/*
 * The C API, as the privileged host (domain 0).  @txid 0: no transaction.
 * Values read and directory listings are kfree()d by the caller; a
 * listing is the children's names, each followed by a NUL.
 */
int kxen_xs_read(u32 txid, const char *path, char **val, u32 *len);
int kxen_xs_write(u32 txid, const char *path, const char *val);
int kxen_xs_mkdir(u32 txid, const char *path);
int kxen_xs_rm(u32 txid, const char *path);
int kxen_xs_directory(u32 txid, const char *path, char **names, u32 *len);
int kxen_xs_txn_start(u32 *txid);
int kxen_xs_txn_end(u32 txid, bool commit);	/* -EAGAIN: retry */

/*
 * A watch on @path (and below): @fn runs in process context, in event
 * order, once at once (as every new watch fires) and on every change.
 * kxen_xs_unwatch() waits for a running callback: never call it from
 * that watch's own callback.
 */
typedef void (*kxen_xs_watch_fn)(struct kxen_xs_watch *w, const char *path,
				 const char *token, void *arg);
struct kxen_xs_watch *kxen_xs_watch(const char *path, const char *token,
				    kxen_xs_watch_fn fn, void *arg);
void kxen_xs_unwatch(struct kxen_xs_watch *w);

/* api_test.c: debugfs kxen/xenstore_api_test, a self-test of the above. */
void kxen_xs_api_test_init(void);
void kxen_xs_api_test_exit(void);

#endif /* KXEN_XENSTORE_H */
