// SPDX-License-Identifier: GPL-2.0
/*
 * The store and the C API over it: the same functions serve the wire
 * protocol (xs_proto.c) and in-kernel callers.  A change is made on a
 * private copy of the tree and published whole, or dropped whole on
 * error; in a transaction it is published to the transaction's tree and
 * logged for the commit.
 */
#include "xs_core.h"

struct xs_store *xs_store_new(void)
{
	struct xs_store *st = xs_zalloc(sizeof(*st));
	int i;

	if (!st)
		return NULL;
	xs_quota_init(st);
	st->root = xs_node_new("", 0);
	if (!st->root)
		goto err;
	/* The root and the special nodes: dom0's, nobody else's. */
	st->root->perms = xs_zalloc(sizeof(struct xs_perm));
	if (!st->root->perms)
		goto err;
	st->root->nperms = 1;
	st->root->gen = ++st->gen;
	for (i = 0; i < XS_NR_SPECIAL; i++) {
		st->special[i] = xs_zalloc(sizeof(struct xs_perm));
		if (!st->special[i])
			goto err;
		st->nspecial[i] = 1;
	}
	return st;
err:
	xs_store_free(st);
	return NULL;
}

void xs_store_free(struct xs_store *st)
{
	struct xs_dom *d;
	int i;

	if (!st)
		return;
	while (st->conns)
		xs_conn_free(st->conns);
	while (st->doms) {
		d = st->doms;
		st->doms = d->next;
		xs_free(d);
	}
	for (i = 0; i < XS_NR_SPECIAL; i++)
		xs_free(st->special[i]);
	xs_node_put(st->root);
	xs_free(st);
}

u32 xs_store_nodes(struct xs_store *st)
{
	return xs_tree_count(st->root);
}

const char *xs_errname(int err)
{
	size_t i;

	if (err == -EDQUOT)
		return "EQUOTA";	/* oxenstored's name for it */
	/* An unknown request type: cxenstored answers with this name. */
	if (err == -EOPNOTSUPP)
		return "ENOSYS";
	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		if (xsd_errors[i].errnum == -err)
			return xsd_errors[i].errstring;
	/* Xen 4.16 appended EPERM to the table; the kernel's copy is older. */
	if (err == -EPERM)
		return "EPERM";
	return "EINVAL";
}

static int xs_txn_log(struct xs_txn *t, const struct xs_op *op,
		      struct xs_conn *c)
{
	size_t dlen = op->type == XS_OP_SETPERMS ?
		      op->len * sizeof(struct xs_perm) : op->len;
	size_t plen = strlen(op->path) + 1;
	struct xs_op *ops, *o;

	if (!c->priv && t->nops >= xs_quota(c->st, c, XS_Q_TXN_NODES))
		return -EDQUOT;
	if (t->nops == t->ocap) {
		ops = xs_realloc(t->ops, (t->ocap * 2 + 4) * sizeof(*ops));
		if (!ops)
			return -ENOMEM;
		t->ops = ops;
		t->ocap = t->ocap * 2 + 4;
	}
	o = &t->ops[t->nops];
	memset(o, 0, sizeof(*o));
	o->type = op->type;
	o->len = op->len;
	o->path = xs_zalloc(plen);
	o->data = dlen ? xs_zalloc(dlen) : NULL;
	if (!o->path || (dlen && !o->data)) {
		xs_op_free(o);
		return -ENOMEM;
	}
	memcpy(o->path, op->path, plen);
	if (dlen)
		memcpy(o->data, op->data, dlen);
	t->nops++;
	return 0;
}

int xs_change(struct xs_conn *c, u32 txid, const struct xs_op *op)
{
	struct xs_store *st = c->st;
	struct xs_node **owner;
	struct xs_ctx ctx;
	int ret;

	if (!xs_txn_root(c, txid, &ctx))
		return -ENOENT;
	owner = ctx.t ? &ctx.t->root : &st->root;
	ctx.root = *owner;
	xs_node_get(ctx.root);
	ret = xs_tree_op(&ctx, op);
	if (!ret && ctx.t && ctx.changed)
		ret = xs_txn_log(ctx.t, op, c);
	if (!ret && ctx.t)
		ret = xs_acct_merge(&ctx.t->acct, &ctx.acct);
	if (ret) {
		xs_node_put(ctx.root);
		xs_acct_free(&ctx.acct);
		return ret;
	}
	xs_node_put(*owner);
	*owner = ctx.root;
	if (!ctx.t) {
		xs_acct_apply(st, &ctx.acct);
		if (ctx.changed)
			xs_fire(st, op->path, op->type == XS_OP_RM);
	}
	xs_acct_free(&ctx.acct);
	return 0;
}

static int xs_change_path(struct xs_conn *c, u32 txid, enum xs_op_type type,
			  const char *path, const void *data, u32 len)
{
	struct xs_op op = { .type = type, .data = (void *)data, .len = len };
	int ret = xs_path_canon(c, path, false, &op.path);

	if (ret)
		return ret;
	ret = xs_change(c, txid, &op);
	xs_free(op.path);
	return ret;
}

int xs_write(struct xs_conn *c, u32 txid, const char *path,
	     const void *val, u32 len)
{
	return xs_change_path(c, txid, XS_OP_WRITE, path, val, len);
}

int xs_mkdir(struct xs_conn *c, u32 txid, const char *path)
{
	return xs_change_path(c, txid, XS_OP_MKDIR, path, NULL, 0);
}

int xs_rm(struct xs_conn *c, u32 txid, const char *path)
{
	return xs_change_path(c, txid, XS_OP_RM, path, NULL, 0);
}

/* The readable node at @path, noted in the transaction if there is one. */
static int xs_get_node(struct xs_conn *c, u32 txid, const char *path,
		       struct xs_node **out)
{
	struct xs_node *root, *n;
	struct xs_ctx ctx;
	char *abs;
	int ret;

	root = xs_txn_root(c, txid, &ctx);
	if (!root)
		return -ENOENT;
	ret = xs_path_canon(c, path, false, &abs);
	if (ret)
		return ret;
	n = xs_node_lookup(root, abs);
	if (ctx.t)
		ret = xs_txn_note(&ctx, abs, n);
	xs_free(abs);
	if (ret)
		return ret;
	if (!n)
		return -ENOENT;
	if (!(xs_perm_for(c->st, c, n->perms, n->nperms) & XS_PERM_READ))
		return -EACCES;
	*out = n;
	return 0;
}

int xs_read(struct xs_conn *c, u32 txid, const char *path, char **val,
	    u32 *len)
{
	struct xs_node *n;
	int ret = xs_get_node(c, txid, path, &n);

	if (ret)
		return ret;
	/* A NUL after the value, for the caller's convenience. */
	*val = xs_zalloc(n->vlen + 1);
	if (!*val)
		return -ENOMEM;
	if (n->vlen)
		memcpy(*val, n->value, n->vlen);
	*len = n->vlen;
	return 0;
}

int xs_directory_gen(struct xs_conn *c, u32 txid, const char *path,
		     char **names, u32 *len, u64 *gen)
{
	struct xs_node *n;
	u32 i, total = 0;
	char *p;
	int ret = xs_get_node(c, txid, path, &n);

	if (ret)
		return ret;
	for (i = 0; i < n->nkids; i++)
		total += n->kids[i]->namelen + 1;
	p = xs_zalloc(total + 1);
	if (!p)
		return -ENOMEM;
	*names = p;
	for (i = 0; i < n->nkids; i++) {
		memcpy(p, n->kids[i]->name, n->kids[i]->namelen);
		p += n->kids[i]->namelen + 1;
	}
	*len = total;
	if (gen)
		*gen = n->gen;
	return 0;
}

int xs_directory(struct xs_conn *c, u32 txid, const char *path,
		 char **names, u32 *len)
{
	return xs_directory_gen(c, txid, path, names, len, NULL);
}

static int xs_perms_copy(const struct xs_perm *p, u32 n,
			 struct xs_perm **perms, u32 *np)
{
	*perms = xs_zalloc(n * sizeof(*p));
	if (!*perms)
		return -ENOMEM;
	memcpy(*perms, p, n * sizeof(*p));
	*np = n;
	return 0;
}

int xs_get_perms(struct xs_conn *c, u32 txid, const char *path,
		 struct xs_perm **perms, u32 *n)
{
	int sp = xs_special_index(path);
	struct xs_store *st = c->st;
	struct xs_node *node;
	int ret;

	if (sp >= 0) {
		if (!(xs_perm_for(st, c, st->special[sp], st->nspecial[sp]) &
		      XS_PERM_READ))
			return -EACCES;
		return xs_perms_copy(st->special[sp], st->nspecial[sp], perms,
				     n);
	}
	ret = xs_get_node(c, txid, path, &node);
	if (ret)
		return ret;
	return xs_perms_copy(node->perms, node->nperms, perms, n);
}

int xs_set_perms(struct xs_conn *c, u32 txid, const char *path,
		 const struct xs_perm *perms, u32 n)
{
	int sp = xs_special_index(path);
	struct xs_store *st = c->st;
	struct xs_perm *copy;
	u32 i;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (perms[i].perm & ~XS_PERM_BOTH)
			return -EINVAL;
	if (sp < 0)
		return xs_change_path(c, txid, XS_OP_SETPERMS, path, perms, n);
	/* The special nodes are the host's; it may open them to others. */
	if (!c->priv)
		return -EACCES;
	if (xs_perms_copy(perms, n, &copy, &i))
		return -ENOMEM;
	xs_free(st->special[sp]);
	st->special[sp] = copy;
	st->nspecial[sp] = n;
	return 0;
}
