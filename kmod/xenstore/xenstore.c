// SPDX-License-Identifier: GPL-2.0
/*
 * The host's xenstore (xenstored's job under Xen, docs/misc/xenstore.txt):
 * the store, the lock that serializes it, the in-kernel C API and the
 * nodes of each domain's lifetime (docs/misc/xenstore-paths).
 *
 * In-kernel callers share one privileged connection (domain 0); each
 * watch has a connection of its own whose events are queued here and
 * handed to the caller's function from an ordered workqueue, outside the
 * lock: a callback may use the store, and events keep their order.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>

#include "../core/kxen.h"
#include "xenstore.h"

/* Events a watch may have waiting for its callback; later ones drop. */
#define KXEN_XS_WATCH_BACKLOG	256

static DEFINE_MUTEX(kxen_xs_mutex);
static struct xs_store *kxen_xs_st;
static struct xs_conn *kxen_xs_kconn;	/* the C API's connection */
static struct workqueue_struct *kxen_xs_watch_wq;

struct kxen_xs_watch {
	struct xs_conn *c;
	kxen_xs_watch_fn fn;
	void *arg;
	spinlock_t lock;		/* @events, @nevents */
	struct list_head events;
	u32 nevents;
	struct work_struct work;
};

struct kxen_xs_event {
	struct list_head node;
	const char *token;		/* points into @buf */
	char buf[];			/* path NUL token NUL */
};

void kxen_xs_lock(void)
{
	mutex_lock(&kxen_xs_mutex);
}

void kxen_xs_unlock(void)
{
	mutex_unlock(&kxen_xs_mutex);
}

struct xs_store *kxen_xs_store(void)
{
	lockdep_assert_held(&kxen_xs_mutex);
	return kxen_xs_st;
}

int kxen_xs_read(u32 txid, const char *path, char **val, u32 *len)
{
	int ret;

	mutex_lock(&kxen_xs_mutex);
	ret = xs_read(kxen_xs_kconn, txid, path, val, len);
	mutex_unlock(&kxen_xs_mutex);
	return ret;
}

int kxen_xs_write(u32 txid, const char *path, const char *val)
{
	int ret;

	mutex_lock(&kxen_xs_mutex);
	ret = xs_write(kxen_xs_kconn, txid, path, val, strlen(val));
	mutex_unlock(&kxen_xs_mutex);
	return ret;
}

int kxen_xs_mkdir(u32 txid, const char *path)
{
	int ret;

	mutex_lock(&kxen_xs_mutex);
	ret = xs_mkdir(kxen_xs_kconn, txid, path);
	mutex_unlock(&kxen_xs_mutex);
	return ret;
}

int kxen_xs_rm(u32 txid, const char *path)
{
	int ret;

	mutex_lock(&kxen_xs_mutex);
	ret = xs_rm(kxen_xs_kconn, txid, path);
	mutex_unlock(&kxen_xs_mutex);
	return ret;
}

int kxen_xs_directory(u32 txid, const char *path, char **names, u32 *len)
{
	int ret;

	mutex_lock(&kxen_xs_mutex);
	ret = xs_directory(kxen_xs_kconn, txid, path, names, len);
	mutex_unlock(&kxen_xs_mutex);
	return ret;
}

int kxen_xs_txn_start(u32 *txid)
{
	int ret;

	mutex_lock(&kxen_xs_mutex);
	ret = xs_txn_start(kxen_xs_kconn, txid);
	mutex_unlock(&kxen_xs_mutex);
	return ret;
}

int kxen_xs_txn_end(u32 txid, bool commit)
{
	int ret;

	mutex_lock(&kxen_xs_mutex);
	ret = xs_txn_end(kxen_xs_kconn, txid, commit);
	mutex_unlock(&kxen_xs_mutex);
	return ret;
}

/* The core fired a watch (store lock held): queue it for the callback. */
static void kxen_xs_watch_event(struct xs_conn *c, const char *path,
				const char *token, void *arg)
{
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
	struct kxen_xs_watch *w = arg;
	struct kxen_xs_event *ev;
	bool full;

	spin_lock(&w->lock);
	full = w->nevents >= KXEN_XS_WATCH_BACKLOG;
	spin_unlock(&w->lock);
	if (full)
		return;
	ev = kmalloc(struct_size(ev, buf, pl + tl), GFP_KERNEL);
	if (!ev)
		return;
	memcpy(ev->buf, path, pl);
	memcpy(ev->buf + pl, token, tl);
	ev->token = ev->buf + pl;
	spin_lock(&w->lock);
	list_add_tail(&ev->node, &w->events);
	w->nevents++;
	spin_unlock(&w->lock);
	queue_work(kxen_xs_watch_wq, &w->work);
}

static void kxen_xs_watch_work(struct work_struct *work)
{
	struct kxen_xs_watch *w = container_of(work, struct kxen_xs_watch,
					       work);
	struct kxen_xs_event *ev;

	for (;;) {
		spin_lock(&w->lock);
		ev = list_first_entry_or_null(&w->events,
					      struct kxen_xs_event, node);
		if (ev) {
			list_del(&ev->node);
			w->nevents--;
		}
		spin_unlock(&w->lock);
		if (!ev)
			break;
		w->fn(w, ev->buf, ev->token, w->arg);
		kfree(ev);
	}
}

struct kxen_xs_watch *kxen_xs_watch(const char *path, const char *token,
				    kxen_xs_watch_fn fn, void *arg)
{
	struct kxen_xs_watch *w = kzalloc(sizeof(*w), GFP_KERNEL);
	int ret = -ENOMEM;

	if (!w)
		return ERR_PTR(-ENOMEM);
	w->fn = fn;
	w->arg = arg;
	spin_lock_init(&w->lock);
	INIT_LIST_HEAD(&w->events);
	INIT_WORK(&w->work, kxen_xs_watch_work);
	mutex_lock(&kxen_xs_mutex);
	w->c = xs_conn_new(kxen_xs_st, 0, XS_CONN_PRIV);
	if (w->c) {
		xs_conn_set_event_cb(w->c, kxen_xs_watch_event, w);
		ret = xs_watch(w->c, path, token);
		if (ret)
			xs_conn_free(w->c);
	}
	mutex_unlock(&kxen_xs_mutex);
	if (ret) {
		kfree(w);
		return ERR_PTR(ret);
	}
	return w;
}

void kxen_xs_unwatch(struct kxen_xs_watch *w)
{
	struct kxen_xs_event *ev, *tmp;

	if (IS_ERR_OR_NULL(w))
		return;
	mutex_lock(&kxen_xs_mutex);
	xs_conn_free(w->c);	/* no more events */
	mutex_unlock(&kxen_xs_mutex);
	cancel_work_sync(&w->work);
	list_for_each_entry_safe(ev, tmp, &w->events, node)
		kfree(ev);
	kfree(w);
}

/* As xl does on domain creation: the default nodes, then INTRODUCE. */
void kxen_xs_domain_introduce(struct kxen_domain *d)
{
	char uuid[UUID_STRING_LEN + 1];
	struct xs_domain_info di = {
		.domid = d->domid,
		.name = d->name,
		.uuid = uuid,
		.mem_kb = d->mem.size >> 10,
		/* populate-on-demand: the maximum it was made with */
		.target_kb = (u64)READ_ONCE(d->mem.max_pages) <<
			     (PAGE_SHIFT - 10),
		.vcpus = d->nr_vcpus,
	};
	int ret;

	snprintf(uuid, sizeof(uuid), "%pUb", &d->uuid);
	mutex_lock(&kxen_xs_mutex);
	/* What a tool left under a reused domid is not the new domain's. */
	xs_domain_remove_nodes(kxen_xs_st, d->domid, NULL);
	ret = xs_domain_write_nodes(kxen_xs_st, &di);
	if (!ret)
		ret = xs_domain_introduce(kxen_xs_st, d->domid);
	mutex_unlock(&kxen_xs_mutex);
	if (ret)
		pr_warn(KXEN_PR_PREFIX "d%u: xenstore nodes: error %d\n",
			d->domid, ret);
}

/*
 * A ring the toolstack set up: its frame and event channel where xl
 * writes them for the guest (~/store/{ring-ref,port}, ~/console/...).
 */
void kxen_xs_domain_ring(struct kxen_domain *d, const char *dev, u64 gfn,
			 u32 port)
{
	char path[48], val[24];
	int ret;

	mutex_lock(&kxen_xs_mutex);
	snprintf(path, sizeof(path), "/local/domain/%u/%s/ring-ref",
		 d->domid, dev);
	snprintf(val, sizeof(val), "%llu", gfn);
	ret = xs_write(kxen_xs_kconn, 0, path, val, strlen(val));
	snprintf(path, sizeof(path), "/local/domain/%u/%s/port",
		 d->domid, dev);
	snprintf(val, sizeof(val), "%u", port);
	if (!ret)
		ret = xs_write(kxen_xs_kconn, 0, path, val, strlen(val));
	mutex_unlock(&kxen_xs_mutex);
	if (ret)
		pr_warn(KXEN_PR_PREFIX "d%u: xenstore %s nodes: error %d\n",
			d->domid, dev, ret);
}

/* Destruction: its nodes go, and @releaseDomain fires (xenstore.txt). */
void kxen_xs_domain_release(struct kxen_domain *d)
{
	char uuid[UUID_STRING_LEN + 1];

	snprintf(uuid, sizeof(uuid), "%pUb", &d->uuid);
	mutex_lock(&kxen_xs_mutex);
	xs_domain_remove_nodes(kxen_xs_st, d->domid, uuid);
	xs_domain_release(kxen_xs_st, d->domid);
	mutex_unlock(&kxen_xs_mutex);
}

struct kxen_xs_ended {
	struct work_struct work;
	u32 domid;
};

static void kxen_xs_ended_work(struct work_struct *work)
{
	struct kxen_xs_ended *e = container_of(work, struct kxen_xs_ended,
					       work);

	mutex_lock(&kxen_xs_mutex);
	xs_domain_shutdown(kxen_xs_st, e->domid);	/* gone already: fine */
	mutex_unlock(&kxen_xs_mutex);
	kfree(e);
}

/*
 * The domain shut down or crashed: @releaseDomain, as cxenstored fires it.
 * Called from a vCPU's exit path (atomic): the store is reached from the
 * workqueue, which kxen_xs_exit() drains.  Best effort on no memory: the
 * netlink event tells the toolstack all the same.
 */
void kxen_xs_domain_ended(struct kxen_domain *d)
{
	struct kxen_xs_ended *e = kmalloc(sizeof(*e), GFP_ATOMIC);

	if (!e)
		return;
	INIT_WORK(&e->work, kxen_xs_ended_work);
	e->domid = d->domid;
	queue_work(kxen_xs_watch_wq, &e->work);
}

int kxen_xs_init(void)
{
	int ret = -ENOMEM;

	kxen_xs_watch_wq = alloc_ordered_workqueue("kxen-xs-watch", 0);
	if (!kxen_xs_watch_wq)
		return -ENOMEM;
	kxen_xs_st = xs_store_new();
	if (!kxen_xs_st)
		goto err_wq;
	kxen_xs_kconn = xs_conn_new(kxen_xs_st, 0, XS_CONN_PRIV);
	if (!kxen_xs_kconn)
		goto err_store;
	ret = kxen_xenbus_dev_init();
	if (ret)
		goto err_store;
	kxen_xs_api_test_init();
	return 0;

err_store:
	xs_store_free(kxen_xs_st);	/* and its connections */
	kxen_xs_st = NULL;
err_wq:
	destroy_workqueue(kxen_xs_watch_wq);
	return ret;
}

/* After every domain is gone; no file of the device can be open. */
void kxen_xs_exit(void)
{
	kxen_xs_api_test_exit();
	kxen_xenbus_dev_exit();
	/* Queued @releaseDomain work still uses the store: let it finish. */
	destroy_workqueue(kxen_xs_watch_wq);
	mutex_lock(&kxen_xs_mutex);
	xs_store_free(kxen_xs_st);
	kxen_xs_st = NULL;
	kxen_xs_kconn = NULL;
	mutex_unlock(&kxen_xs_mutex);
}
