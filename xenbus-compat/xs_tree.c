// SPDX-License-Identifier: GPL-2.0
/*
 * The node tree: reference-counted nodes changed by copy on write (see
 * xs_core.h), and the four operations that change it: WRITE, MKDIR, RM
 * and SET_PERMS, with the semantics of docs/misc/xenstore.txt.
 */
#include "xs_core.h"

struct xs_node *xs_node_new(const char *name, u32 namelen)
{
	struct xs_node *n = xs_zalloc(sizeof(*n) + namelen + 1);

	if (!n)
		return NULL;
	n->ref = 1;
	n->namelen = namelen;
	memcpy(n->name, name, namelen);
	return n;
}

void xs_node_get(struct xs_node *n)
{
	n->ref++;
}

/* Frees without recursion: a path may be 1500 levels deep. */
void xs_node_put(struct xs_node *n)
{
	struct xs_node *list, *k;
	u32 i;

	if (!n || --n->ref)
		return;
	n->free_next = NULL;
	list = n;
	while (list) {
		n = list;
		list = n->free_next;
		for (i = 0; i < n->nkids; i++) {
			k = n->kids[i];
			if (--k->ref == 0) {
				k->free_next = list;
				list = k;
			}
		}
		xs_free(n->kids);
		xs_free(n->value);
		xs_free(n->perms);
		xs_free(n);
	}
}

static struct xs_node *xs_node_clone(const struct xs_node *o)
{
	struct xs_node *n = xs_node_new(o->name, o->namelen);
	u32 i;

	if (!n)
		return NULL;
	n->gen = o->gen;
	if (o->vlen) {
		n->value = xs_zalloc(o->vlen);
		if (!n->value)
			goto err;
		memcpy(n->value, o->value, o->vlen);
		n->vlen = o->vlen;
	}
	n->perms = xs_zalloc(o->nperms * sizeof(*o->perms));
	if (!n->perms)
		goto err;
	memcpy(n->perms, o->perms, o->nperms * sizeof(*o->perms));
	n->nperms = o->nperms;
	if (o->nkids) {
		n->kids = xs_zalloc(o->nkids * sizeof(*o->kids));
		if (!n->kids)
			goto err;
		for (i = 0; i < o->nkids; i++) {
			n->kids[i] = o->kids[i];
			xs_node_get(n->kids[i]);
		}
		n->nkids = o->nkids;
		n->kcap = o->nkids;
	}
	return n;
err:
	xs_node_put(n);
	return NULL;
}

static int xs_name_cmp(const struct xs_node *k, const char *name, u32 len)
{
	u32 m = k->namelen < len ? k->namelen : len;
	int r = memcmp(k->name, name, m);

	if (r)
		return r;
	return k->namelen < len ? -1 : k->namelen > len;
}

/* Index of the child @name, or where it would go (@found false). */
static u32 xs_kid_find(const struct xs_node *n, const char *name, u32 len,
		       bool *found)
{
	u32 lo = 0, hi = n->nkids, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = xs_name_cmp(n->kids[mid], name, len);
		if (!r) {
			*found = true;
			return mid;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static u32 xs_comp_len(const char *p)
{
	u32 i = 0;

	while (p[i] && p[i] != '/')
		i++;
	return i;
}

/* The node at the first @plen bytes of canonical @path, or NULL. */
static struct xs_node *xs_lookup_len(struct xs_node *n, const char *path,
				     u32 plen)
{
	u32 off = 1, len, i;
	bool found;

	while (n && off < plen) {
		len = xs_comp_len(path + off);
		if (off + len > plen)
			len = plen - off;
		i = xs_kid_find(n, path + off, len, &found);
		n = found ? n->kids[i] : NULL;
		off += len + 1;
	}
	return n;
}

struct xs_node *xs_node_lookup(struct xs_node *root, const char *path)
{
	return xs_lookup_len(root, path, strlen(path));
}

/* Make the node in @slot private to this change: copy it if shared. */
static int xs_own(struct xs_node **slot)
{
	struct xs_node *n = *slot, *copy;

	if (n->ref == 1)
		return 0;
	copy = xs_node_clone(n);
	if (!copy)
		return -ENOMEM;
	n->ref--;		/* shared: another holder keeps it alive */
	*slot = copy;
	return 0;
}

/* The existing node at @path[0..plen), it and its ancestors private. */
static struct xs_node *xs_own_path(struct xs_ctx *ctx, const char *path,
				   u32 plen)
{
	struct xs_node **slot = &ctx->root;
	u32 off = 1, len, i;
	bool found;

	if (xs_own(slot))
		return NULL;
	while (off < plen) {
		len = xs_comp_len(path + off);
		if (off + len > plen)
			len = plen - off;
		i = xs_kid_find(*slot, path + off, len, &found);
		if (!found)
			return NULL;
		slot = &(*slot)->kids[i];
		if (xs_own(slot))
			return NULL;
		off += len + 1;
	}
	return *slot;
}

static int xs_kid_insert(struct xs_node *p, u32 at, struct xs_node *k)
{
	struct xs_node **kids;
	u32 cap;

	if (p->nkids == p->kcap) {
		cap = p->kcap ? 2 * p->kcap : 4;
		kids = xs_realloc(p->kids, cap * sizeof(*kids));
		if (!kids)
			return -ENOMEM;
		p->kids = kids;
		p->kcap = cap;
	}
	memmove(&p->kids[at + 1], &p->kids[at],
		(p->nkids - at) * sizeof(*p->kids));
	p->kids[at] = k;
	p->nkids++;
	return 0;
}

static int xs_set_perms_copy(struct xs_node *n, const struct xs_perm *p,
			     u32 np)
{
	struct xs_perm *copy = xs_zalloc(np * sizeof(*p));

	if (!copy)
		return -ENOMEM;
	memcpy(copy, p, np * sizeof(*p));
	xs_free(n->perms);
	n->perms = copy;
	n->nperms = np;
	return 0;
}

/* A new child of @p, inheriting its permissions; unprivileged creators
 * own what they create (as cxenstored does).
 */
static struct xs_node *xs_create_kid(struct xs_ctx *ctx, struct xs_node *p,
				     const char *name, u32 len)
{
	struct xs_node *k;
	bool found;
	u32 at = xs_kid_find(p, name, len, &found);

	k = xs_node_new(name, len);
	if (!k)
		return NULL;
	if (xs_set_perms_copy(k, p->perms, p->nperms))
		goto err;
	if (!ctx->c->priv)
		k->perms[0].domid = ctx->c->domid;
	if (xs_acct_add(&ctx->acct, k->perms[0].domid, 1))
		goto err;
	if (xs_kid_insert(p, at, k))
		goto err;
	k->gen = ++ctx->st->gen;
	p->gen = ++ctx->st->gen;
	return k;
err:
	xs_node_put(k);
	return NULL;
}

/* Record a path prefix in the transaction (if any). */
static int xs_note_len(struct xs_ctx *ctx, const char *path, u32 plen,
		       struct xs_node *n)
{
	char *p;
	int ret;

	if (!ctx->t)
		return 0;
	p = xs_zalloc(plen + 2);
	if (!p)
		return -ENOMEM;
	memcpy(p, path, plen ? plen : 1);
	ret = xs_txn_note(ctx, p, n);
	xs_free(p);
	return ret;
}

/* Length of the parent's path: "/a/b" -> 2 ("/a"), "/a" -> 1 ("/"). */
static u32 xs_parent_len(const char *path, u32 plen)
{
	while (plen > 1 && path[plen - 1] != '/')
		plen--;
	return plen > 1 ? plen - 1 : 1;
}

/* Record the nodes a write creates: the prefixes of @path after @have. */
static int xs_note_missing(struct xs_ctx *ctx, const char *path, u32 plen,
			   u32 have)
{
	u32 off = have == 1 ? 1 : have + 1;
	int ret;

	while (off < plen) {
		off += xs_comp_len(path + off);
		ret = xs_note_len(ctx, path, off, NULL);
		if (ret)
			return ret;
		off++;
	}
	return 0;
}

static int xs_tree_write(struct xs_ctx *ctx, const struct xs_op *op)
{
	const char *path = op->path;
	u32 plen = strlen(path), have = 1, off = 1, len, missing = 0, i;
	struct xs_node *n = ctx->root, *k;
	bool found;
	int ret;

	/* Find the deepest existing node and count the missing ones. */
	while (off < plen) {
		len = xs_comp_len(path + off);
		i = xs_kid_find(n, path + off, len, &found);
		if (!found)
			break;
		n = n->kids[i];
		off += len + 1;
		have = off - 1;
	}
	for (i = off; i < plen; i += xs_comp_len(path + i) + 1)
		missing++;
	if (!(xs_perm_for(ctx->st, ctx->c, n->perms, n->nperms) &
	      XS_PERM_WRITE))
		return -EACCES;
	if (op->type == XS_OP_WRITE && !ctx->c->priv &&
	    op->len > xs_quota(ctx->st, ctx->c, XS_Q_VALUE))
		return -E2BIG;
	if (op->type == XS_OP_MKDIR && !missing)
		return xs_note_len(ctx, path, plen, n);
	ret = xs_quota_nodes_check(ctx, missing);
	if (ret)
		return ret;
	ret = xs_note_len(ctx, path, have, n);
	if (!ret && missing)
		ret = xs_note_missing(ctx, path, plen, have);
	if (ret)
		return ret;

	n = xs_own_path(ctx, path, have);
	if (!n)
		return -ENOMEM;
	for (off = have == 1 ? 1 : have + 1; off < plen; off += len + 1) {
		len = xs_comp_len(path + off);
		k = xs_create_kid(ctx, n, path + off, len);
		if (!k)
			return -ENOMEM;
		n = k;
	}
	ctx->changed = true;
	if (op->type != XS_OP_WRITE)
		return 0;
	k = NULL;
	if (op->len) {
		k = xs_zalloc(op->len);
		if (!k)
			return -ENOMEM;
		memcpy(k, op->data, op->len);
	}
	xs_free(n->value);
	n->value = (u8 *)k;
	n->vlen = op->len;
	n->gen = ++ctx->st->gen;
	return 0;
}

static int xs_rm_visit(struct xs_node *n, const char *path, void *arg)
{
	struct xs_ctx *ctx = arg;
	int ret = xs_acct_add(&ctx->acct, n->perms[0].domid, -1);

	if (!ret && ctx->t)
		ret = xs_txn_note(ctx, path, n);
	return ret;
}

static int xs_tree_rm(struct xs_ctx *ctx, const struct xs_op *op)
{
	const char *path = op->path;
	u32 plen = strlen(path), pl = xs_parent_len(path, plen), i;
	struct xs_node *n, *p;
	bool found;
	int ret;

	if (plen == 1)
		return -EINVAL;		/* the root stays */
	p = xs_lookup_len(ctx->root, path, pl);
	n = xs_node_lookup(ctx->root, path);
	if (!p)
		return -ENOENT;
	ret = xs_note_len(ctx, path, pl, p);
	if (ret)
		return ret;
	if (!n)
		return xs_note_len(ctx, path, plen, NULL);
	if (!(xs_perm_for(ctx->st, ctx->c, n->perms, n->nperms) &
	      XS_PERM_WRITE))
		return -EACCES;
	ret = xs_tree_walk(n, path, xs_rm_visit, ctx);
	if (ret)
		return ret;
	p = xs_own_path(ctx, path, pl);
	if (!p)
		return -ENOMEM;
	i = xs_kid_find(p, path + pl + (pl > 1), plen - pl - (pl > 1), &found);
	n = p->kids[i];
	memmove(&p->kids[i], &p->kids[i + 1],
		(p->nkids - i - 1) * sizeof(*p->kids));
	p->nkids--;
	p->gen = ++ctx->st->gen;
	xs_node_put(n);
	ctx->changed = true;
	return 0;
}

static int xs_tree_setperms(struct xs_ctx *ctx, const struct xs_op *op)
{
	const struct xs_perm *perms = op->data;
	struct xs_node *n = xs_node_lookup(ctx->root, op->path);
	u32 old;
	int ret;

	if (!n)
		return -ENOENT;
	if (!(xs_perm_for(ctx->st, ctx->c, n->perms, n->nperms) &
	      XS_PERM_OWNER))
		return -EACCES;
	old = n->perms[0].domid;
	if (!ctx->c->priv) {
		/* Unprivileged domains may not give nodes away. */
		if (perms[0].domid != old)
			return -EPERM;
		if (op->len > xs_quota(ctx->st, ctx->c, XS_Q_PERMS))
			return -EDQUOT;
	}
	ret = xs_note_len(ctx, op->path, strlen(op->path), n);
	if (ret)
		return ret;
	n = xs_own_path(ctx, op->path, strlen(op->path));
	if (!n || xs_set_perms_copy(n, perms, op->len))
		return -ENOMEM;
	n->gen = ++ctx->st->gen;
	if (old != perms[0].domid &&
	    (xs_acct_add(&ctx->acct, old, -1) ||
	     xs_acct_add(&ctx->acct, perms[0].domid, 1)))
		return -ENOMEM;
	ctx->changed = true;
	return 0;
}

int xs_tree_op(struct xs_ctx *ctx, const struct xs_op *op)
{
	switch (op->type) {
	case XS_OP_WRITE:
	case XS_OP_MKDIR:
		return xs_tree_write(ctx, op);
	case XS_OP_RM:
		return xs_tree_rm(ctx, op);
	case XS_OP_SETPERMS:
		return xs_tree_setperms(ctx, op);
	}
	return -EINVAL;
}

struct xs_walk_frame {
	struct xs_node *n;
	u32 next;
	u32 plen;
};

static int xs_walk_push(struct xs_walk_frame **f, u32 *nf, u32 *cap,
			struct xs_node *n, u32 plen)
{
	struct xs_walk_frame *nfr;

	if (*nf == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		nfr = xs_realloc(*f, *cap * sizeof(**f));
		if (!nfr)
			return -ENOMEM;
		*f = nfr;
	}
	(*f)[*nf].n = n;
	(*f)[*nf].next = 0;
	(*f)[*nf].plen = plen;
	(*nf)++;
	return 0;
}

/* Pre-order walk of @n's subtree, without recursion. */
int xs_tree_walk(struct xs_node *n, const char *path, xs_walk_fn fn,
		 void *arg)
{
	u32 nf = 0, cap = 0, plen = strlen(path), bufsz = plen + 2, need;
	struct xs_walk_frame *f = NULL, *top;
	char *buf = xs_zalloc(bufsz), *nb;
	int ret;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, path, plen);
	ret = fn(n, buf, arg);
	if (!ret)
		ret = xs_walk_push(&f, &nf, &cap, n, plen);
	while (!ret && nf) {
		top = &f[nf - 1];
		if (top->next == top->n->nkids) {
			nf--;
			continue;
		}
		n = top->n->kids[top->next++];
		plen = top->plen;
		need = plen + n->namelen + 2;
		if (need > bufsz) {
			nb = xs_realloc(buf, need);
			if (!nb) {
				ret = -ENOMEM;
				break;
			}
			buf = nb;
			bufsz = need;
		}
		if (plen != 1)
			buf[plen++] = '/';
		memcpy(buf + plen, n->name, n->namelen);
		plen += n->namelen;
		buf[plen] = '\0';
		ret = fn(n, buf, arg);
		if (!ret)
			ret = xs_walk_push(&f, &nf, &cap, n, plen);
	}
	xs_free(f);
	xs_free(buf);
	return ret;
}

static int xs_count_visit(struct xs_node *n, const char *path, void *arg)
{
	(*(u32 *)arg)++;
	return 0;
}

u32 xs_tree_count(struct xs_node *n)
{
	u32 count = 0;

	xs_tree_walk(n, "/", xs_count_visit, &count);
	return count;
}
