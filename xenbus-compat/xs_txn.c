// SPDX-License-Identifier: GPL-2.0
/*
 * Transactions (docs/misc/xenstore.txt, TRANSACTION_START/END).  A
 * transaction works on a snapshot of the tree (one reference on the
 * root, see xs_core.h), notes the generation of every node it reads or
 * changes, and logs its changes.  Commit fails with EAGAIN if any noted
 * node changed since; otherwise the logged changes are replayed on the
 * live tree, as one change, and only then fire watches.
 */
#include "xs_core.h"

struct xs_txn *xs_txn_find(struct xs_conn *c, u32 id)
{
	struct xs_txn *t;

	for (t = c->txns; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

/* The tree a request with @txid works on (0: the live tree). */
struct xs_node *xs_txn_root(struct xs_conn *c, u32 txid, struct xs_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->st = c->st;
	ctx->c = c;
	if (!txid)
		return c->st->root;
	ctx->t = xs_txn_find(c, txid);
	return ctx->t ? ctx->t->root : NULL;
}

int xs_txn_note(struct xs_ctx *ctx, const char *path, struct xs_node *n)
{
	struct xs_txn *t = ctx->t;
	struct xs_access *acc;
	size_t len;
	u32 i;

	for (i = 0; i < t->nacc; i++)
		if (!strcmp(t->acc[i].path, path))
			return 0;
	if (!ctx->c->priv &&
	    t->nacc >= xs_quota(ctx->st, ctx->c, XS_Q_TXN_NODES))
		return -EDQUOT;
	if (t->nacc == t->acap) {
		acc = xs_realloc(t->acc, (t->acap * 2 + 8) * sizeof(*acc));
		if (!acc)
			return -ENOMEM;
		t->acc = acc;
		t->acap = t->acap * 2 + 8;
	}
	len = strlen(path) + 1;
	t->acc[t->nacc].path = xs_zalloc(len);
	if (!t->acc[t->nacc].path)
		return -ENOMEM;
	memcpy(t->acc[t->nacc].path, path, len);
	t->acc[t->nacc].gen = n ? n->gen : 0;
	t->nacc++;
	return 0;
}

void xs_op_free(struct xs_op *op)
{
	xs_free(op->path);
	xs_free(op->data);
}

void xs_txn_free(struct xs_store *st, struct xs_txn *t)
{
	u32 i;

	xs_node_put(t->root);
	for (i = 0; i < t->nacc; i++)
		xs_free(t->acc[i].path);
	xs_free(t->acc);
	for (i = 0; i < t->nops; i++)
		xs_op_free(&t->ops[i]);
	xs_free(t->ops);
	xs_acct_free(&t->acct);
	xs_free(t);
}

void xs_txn_free_all(struct xs_conn *c)
{
	struct xs_txn *t;

	while (c->txns) {
		t = c->txns;
		c->txns = t->next;
		xs_txn_free(c->st, t);
	}
	c->ntxns = 0;
}

int xs_txn_start(struct xs_conn *c, u32 *txid)
{
	struct xs_txn *t;

	if (!c->priv && c->ntxns >= xs_quota(c->st, c, XS_Q_TXNS))
		return -EDQUOT;
	t = xs_zalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	/* Ids are opaque to clients; skip 0 (no transaction) and live ones. */
	do {
		t->id = c->next_txid++;
	} while (!t->id || xs_txn_find(c, t->id));
	t->root = c->st->root;
	xs_node_get(t->root);
	t->next = c->txns;
	c->txns = t;
	c->ntxns++;
	*txid = t->id;
	return 0;
}

/* Did anything the transaction touched change since it looked? */
static bool xs_txn_conflicts(struct xs_store *st, struct xs_txn *t)
{
	struct xs_node *n;
	u32 i;

	for (i = 0; i < t->nacc; i++) {
		n = xs_node_lookup(st->root, t->acc[i].path);
		if ((n ? n->gen : 0) != t->acc[i].gen)
			return true;
	}
	return false;
}

static int xs_txn_commit(struct xs_conn *c, struct xs_txn *t)
{
	struct xs_store *st = c->st;
	struct xs_ctx ctx;
	u32 i;
	int ret = 0;

	if (xs_txn_conflicts(st, t))
		return -EAGAIN;
	if (!t->nops)
		return 0;
	xs_txn_root(c, 0, &ctx);
	ctx.root = st->root;
	xs_node_get(ctx.root);
	for (i = 0; i < t->nops && !ret; i++)
		ret = xs_tree_op(&ctx, &t->ops[i]);
	if (ret) {
		xs_node_put(ctx.root);
		xs_acct_free(&ctx.acct);
		return ret;
	}
	xs_node_put(st->root);
	st->root = ctx.root;
	xs_acct_apply(st, &ctx.acct);
	xs_acct_free(&ctx.acct);
	for (i = 0; i < t->nops; i++)
		xs_fire(st, t->ops[i].path, t->ops[i].type == XS_OP_RM);
	return 0;
}

int xs_txn_end(struct xs_conn *c, u32 txid, bool commit)
{
	struct xs_txn **pp, *t;
	int ret = 0;

	for (pp = &c->txns; *pp; pp = &(*pp)->next)
		if ((*pp)->id == txid)
			break;
	t = *pp;
	if (!txid || !t)
		return -ENOENT;
	*pp = t->next;
	c->ntxns--;
	if (commit)
		ret = xs_txn_commit(c, t);
	xs_txn_free(c->st, t);
	return ret;
}
