// SPDX-License-Identifier: GPL-2.0
/*
 * Watches (docs/misc/xenstore.txt, WATCH/WATCH_EVENT): a change of a
 * path fires every watch on it or on one of its parents; removing a node
 * also fires the watches below it, with the watch's own path.  A watch
 * fires once when set up.  "@introduceDomain" and "@releaseDomain" fire
 * on INTRODUCE and RELEASE (and domain destruction).  Events for paths
 * the watcher cannot read are not sent; removals are (the node is gone).
 */
#include "xs_core.h"

static void xs_watch_free(struct xs_conn *c, struct xs_watch *w)
{
	struct xs_dom *d = xs_dom_find(c->st, c->domid);

	if (d && d->watches)
		d->watches--;
	xs_free(w->path);
	xs_free(w->token);
	xs_free(w);
}

void xs_watch_free_all(struct xs_conn *c)
{
	struct xs_watch *w;

	while (c->watches) {
		w = c->watches;
		c->watches = w->next;
		xs_watch_free(c, w);
	}
}

static void xs_deliver(struct xs_conn *c, struct xs_watch *w,
		       const char *path)
{
	char home[sizeof(XS_LOCAL_DOMAIN) + 12];
	int n;

	/* A relative watch reports paths relative to the domain's home. */
	if (w->relative) {
		n = snprintf(home, sizeof(home), "%s%u/", XS_LOCAL_DOMAIN,
			     c->domid);
		if (!strncmp(path, home, n))
			path += n;
	}
	if (c->event_cb)
		c->event_cb(c, path, w->token, c->event_arg);
	else
		xs_queue_event(c, path, w->token);
}

static bool xs_may_see(struct xs_store *st, struct xs_conn *c,
		       const char *path, bool removal)
{
	struct xs_node *n;

	if (c->priv || removal)
		return true;
	n = xs_node_lookup(st->root, path);
	return !n || (xs_perm_for(st, c, n->perms, n->nperms) & XS_PERM_READ);
}

void xs_fire(struct xs_store *st, const char *path, bool removal)
{
	struct xs_conn *c;
	struct xs_watch *w;

	for (c = st->conns; c; c = c->next) {
		for (w = c->watches; w; w = w->next) {
			if (w->path[0] == '@')
				continue;
			if (xs_path_is_child(path, w->path)) {
				if (xs_may_see(st, c, path, removal))
					xs_deliver(c, w, path);
			} else if (removal && xs_path_is_child(w->path, path)) {
				xs_deliver(c, w, w->path);
			}
		}
	}
}

void xs_fire_special(struct xs_store *st, int idx)
{
	const char *name = idx ? XS_SPECIAL_RELEASE : XS_SPECIAL_INTRODUCE;
	struct xs_conn *c;
	struct xs_watch *w;

	for (c = st->conns; c; c = c->next) {
		if (!(xs_perm_for(st, c, st->special[idx], st->nspecial[idx]) &
		      XS_PERM_READ))
			continue;
		for (w = c->watches; w; w = w->next)
			if (!strcmp(w->path, name))
				xs_deliver(c, w, name);
	}
}

static char *xs_strdup(const char *s)
{
	size_t len = strlen(s) + 1;
	char *d = xs_zalloc(len);

	if (d)
		memcpy(d, s, len);
	return d;
}

int xs_watch_add(struct xs_conn *c, const char *path, const char *token,
		 struct xs_watch **out)
{
	struct xs_watch *w, **pp;
	struct xs_dom *d;
	char *abs;
	int ret;

	ret = xs_path_canon(c, path, true, &abs);
	if (ret)
		return ret;
	for (pp = &c->watches; *pp; pp = &(*pp)->next) {
		if (!strcmp((*pp)->path, abs) && !strcmp((*pp)->token, token)) {
			xs_free(abs);
			return -EEXIST;
		}
	}
	d = xs_dom_get(c->st, c->domid);
	ret = -ENOMEM;
	if (!d)
		goto err;
	/* cxenstored's answer to one watch too many. */
	ret = -E2BIG;
	if (!c->priv && d->watches >= xs_quota(c->st, c, XS_Q_WATCHES))
		goto err;
	ret = -ENOMEM;
	w = xs_zalloc(sizeof(*w));
	if (!w)
		goto err;
	w->path = abs;
	w->token = xs_strdup(token);
	if (!w->token) {
		xs_free(w);
		goto err;
	}
	w->relative = path[0] != '/' && path[0] != '@';
	*pp = w;		/* events come in the order watches were set */
	d->watches++;
	*out = w;
	return 0;
err:
	xs_free(abs);
	return ret;
}

/* The event every new watch fires at once, with its own path. */
void xs_watch_initial(struct xs_conn *c, struct xs_watch *w)
{
	xs_deliver(c, w, w->path);
}

int xs_watch(struct xs_conn *c, const char *path, const char *token)
{
	struct xs_watch *w;
	int ret = xs_watch_add(c, path, token, &w);

	if (!ret)
		xs_watch_initial(c, w);
	return ret;
}

int xs_unwatch(struct xs_conn *c, const char *path, const char *token)
{
	struct xs_watch **pp, *w;
	char *abs;
	int ret;

	ret = xs_path_canon(c, path, true, &abs);
	if (ret)
		return ret;
	ret = -ENOENT;
	for (pp = &c->watches; *pp; pp = &(*pp)->next) {
		w = *pp;
		if (!strcmp(w->path, abs) && !strcmp(w->token, token)) {
			*pp = w->next;
			xs_watch_free(c, w);
			ret = 0;
			break;
		}
	}
	xs_free(abs);
	return ret;
}

/* RESET_WATCHES: drop the caller's watches and transactions. */
void xs_reset_watches(struct xs_conn *c)
{
	xs_watch_free_all(c);
	xs_txn_free_all(c);
}
