// SPDX-License-Identifier: GPL-2.0
/*
 * Per-domain accounting and quotas.  The defaults are cxenstored's
 * (tools/xenstore/xenstored_core.c): 1000 nodes, 128 watches, 20
 * outstanding requests, 10 transactions, 1024 nodes per transaction,
 * 2048-byte values and 5 permission entries per node.  The host is not
 * limited.  Each can be changed for all domains or for one.
 */
#include "xs_core.h"

static const u32 xs_quota_default[XS_Q_COUNT] = {
	[XS_Q_NODES] = 1000,
	[XS_Q_WATCHES] = 128,
	[XS_Q_OUTSTANDING] = 20,
	[XS_Q_TXNS] = 10,
	[XS_Q_TXN_NODES] = 1024,
	[XS_Q_VALUE] = 2048,
	[XS_Q_PERMS] = 5,
};

/* cxenstored's names for them (xenstore-control quota). */
static const char *const xs_quota_names[XS_Q_COUNT] = {
	[XS_Q_NODES] = "nodes",
	[XS_Q_WATCHES] = "watches",
	[XS_Q_OUTSTANDING] = "outstanding",
	[XS_Q_TXNS] = "transactions",
	[XS_Q_TXN_NODES] = "transaction-nodes",
	[XS_Q_VALUE] = "node-size",
	[XS_Q_PERMS] = "permissions",
};

void xs_quota_init(struct xs_store *st)
{
	memcpy(st->quota, xs_quota_default, sizeof(st->quota));
}

const char *xs_quota_name(enum xs_quota q)
{
	return q < XS_Q_COUNT ? xs_quota_names[q] : NULL;
}

struct xs_dom *xs_dom_find(struct xs_store *st, u32 domid)
{
	struct xs_dom *d;

	for (d = st->doms; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

/* The domain's record, made on first use. */
struct xs_dom *xs_dom_get(struct xs_store *st, u32 domid)
{
	struct xs_dom *d = xs_dom_find(st, domid);

	if (d)
		return d;
	d = xs_zalloc(sizeof(*d));
	if (!d)
		return NULL;
	d->domid = domid;
	d->target = XS_DOMID_NONE;
	d->next = st->doms;
	st->doms = d;
	return d;
}

u32 xs_quota(struct xs_store *st, const struct xs_conn *c, enum xs_quota q)
{
	return xs_quota_get(st, c->domid, q);
}

u32 xs_quota_get(struct xs_store *st, u32 domid, enum xs_quota q)
{
	struct xs_dom *d;

	if (q >= XS_Q_COUNT)
		return 0;
	d = domid == XS_DOMID_DEFAULT ? NULL : xs_dom_find(st, domid);
	return d && d->quota[q] ? d->quota[q] : st->quota[q];
}

int xs_quota_set(struct xs_store *st, u32 domid, enum xs_quota q, u32 val)
{
	struct xs_dom *d;

	if (q >= XS_Q_COUNT || !val)
		return -EINVAL;
	if (domid == XS_DOMID_DEFAULT) {
		st->quota[q] = val;
		return 0;
	}
	d = xs_dom_get(st, domid);
	if (!d)
		return -ENOMEM;
	d->quota[q] = val;
	return 0;
}

int xs_acct_add(struct xs_acct *a, u32 domid, int delta)
{
	struct xs_acct_ent *e;
	u32 i;

	for (i = 0; i < a->n; i++) {
		if (a->e[i].domid == domid) {
			a->e[i].delta += delta;
			return 0;
		}
	}
	if (a->n == a->cap) {
		e = xs_realloc(a->e, (a->cap + 4) * sizeof(*e));
		if (!e)
			return -ENOMEM;
		a->e = e;
		a->cap += 4;
	}
	a->e[a->n].domid = domid;
	a->e[a->n].delta = delta;
	a->n++;
	return 0;
}

int xs_acct_delta(const struct xs_acct *a, u32 domid)
{
	u32 i;

	for (i = 0; i < a->n; i++)
		if (a->e[i].domid == domid)
			return a->e[i].delta;
	return 0;
}

int xs_acct_merge(struct xs_acct *into, const struct xs_acct *from)
{
	u32 i;
	int ret;

	for (i = 0; i < from->n; i++) {
		ret = xs_acct_add(into, from->e[i].domid, from->e[i].delta);
		if (ret)
			return ret;
	}
	return 0;
}

void xs_acct_apply(struct xs_store *st, const struct xs_acct *a)
{
	struct xs_dom *d;
	u32 i;

	for (i = 0; i < a->n; i++) {
		if (!a->e[i].delta)
			continue;
		d = xs_dom_get(st, a->e[i].domid);
		if (!d)
			continue;	/* only the count is off */
		if (a->e[i].delta < 0 && (u32)-a->e[i].delta > d->nodes)
			d->nodes = 0;
		else
			d->nodes += a->e[i].delta;
	}
}

void xs_acct_free(struct xs_acct *a)
{
	xs_free(a->e);
	a->e = NULL;
	a->n = 0;
	a->cap = 0;
}

/* May this change create @extra more nodes for its (unprivileged) maker? */
int xs_quota_nodes_check(struct xs_ctx *ctx, u32 extra)
{
	struct xs_conn *c = ctx->c;
	struct xs_dom *d;
	long long have;

	if (c->priv || !extra)
		return 0;
	d = xs_dom_find(ctx->st, c->domid);
	have = d ? d->nodes : 0;
	have += xs_acct_delta(&ctx->acct, c->domid);
	if (ctx->t)
		have += xs_acct_delta(&ctx->t->acct, c->domid);
	if (have + extra > xs_quota(ctx->st, c, XS_Q_NODES))
		return -EDQUOT;
	return 0;
}

u32 xs_domain_nodes(struct xs_store *st, u32 domid)
{
	struct xs_dom *d = xs_dom_find(st, domid);

	return d ? d->nodes : 0;
}
