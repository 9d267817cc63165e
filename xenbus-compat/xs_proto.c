// SPDX-License-Identifier: GPL-2.0
/*
 * The wire protocol: one handler per message type of io/xs_wire.h, with
 * the payloads of docs/misc/xenstore.txt.  Requests are checked before
 * use: a payload must be the NUL-terminated strings its type takes
 * (else EINVAL), an unknown type gets "ENOSYS" (as from cxenstored),
 * the domain-management requests and CONTROL need the host (else EACCES).  Every reply echoes
 * req_id and tx_id; an error is an ERROR message naming the errno.
 */
#include "xs_core.h"

typedef int (*xs_handler)(struct xs_conn *c, const struct xsd_sockmsg *h,
			  const u8 *p);

static int xs_reply(struct xs_conn *c, const struct xsd_sockmsg *h,
		    const void *payload, u32 len)
{
	return xs_queue(c, h->type, h->req_id, h->tx_id, payload, len);
}

static int xs_reply_str(struct xs_conn *c, const struct xsd_sockmsg *h,
			const char *s)
{
	return xs_reply(c, h, s, strlen(s) + 1);
}

static int xs_ok(struct xs_conn *c, const struct xsd_sockmsg *h)
{
	return xs_reply_str(c, h, "OK");
}

/*
 * Split a payload into its NUL-terminated strings: the first @max go to
 * @v; returns how many there are, or -EINVAL if bytes follow the last
 * NUL (a string without its terminator).
 */
static int xs_split(const u8 *p, u32 len, const char **v, int max)
{
	u32 i, start = 0;
	int n = 0;

	for (i = 0; i < len; i++) {
		if (p[i])
			continue;
		if (n < max)
			v[n] = (const char *)p + start;
		n++;
		start = i + 1;
	}
	return start == len ? n : -EINVAL;
}

/* The one string that is the whole payload. */
static const char *xs_onearg(const struct xsd_sockmsg *h, const u8 *p)
{
	const char *v;

	return xs_split(p, h->len, &v, 1) == 1 ? v : NULL;
}

static int xs_h_read(struct xs_conn *c, const struct xsd_sockmsg *h,
		     const u8 *p)
{
	const char *path = xs_onearg(h, p);
	char *val;
	u32 len;
	int ret;

	if (!path)
		return -EINVAL;
	ret = xs_read(c, h->tx_id, path, &val, &len);
	if (ret)
		return ret;
	ret = xs_reply(c, h, val, len);
	xs_free(val);
	return ret;
}

static int xs_h_write(struct xs_conn *c, const struct xsd_sockmsg *h,
		      const u8 *p)
{
	const u8 *nul = memchr(p, 0, h->len);
	int ret;

	if (!nul)
		return -EINVAL;
	ret = xs_write(c, h->tx_id, (const char *)p, nul + 1,
		       h->len - (nul + 1 - p));
	return ret ? ret : xs_ok(c, h);
}

static int xs_h_mkdir(struct xs_conn *c, const struct xsd_sockmsg *h,
		      const u8 *p)
{
	const char *path = xs_onearg(h, p);
	int ret;

	if (!path)
		return -EINVAL;
	ret = xs_mkdir(c, h->tx_id, path);
	return ret ? ret : xs_ok(c, h);
}

static int xs_h_rm(struct xs_conn *c, const struct xsd_sockmsg *h,
		   const u8 *p)
{
	const char *path = xs_onearg(h, p);
	int ret;

	if (!path)
		return -EINVAL;
	ret = xs_rm(c, h->tx_id, path);
	return ret ? ret : xs_ok(c, h);
}

static int xs_h_directory(struct xs_conn *c, const struct xsd_sockmsg *h,
			  const u8 *p)
{
	const char *path = xs_onearg(h, p);
	char *names;
	u32 len;
	int ret;

	if (!path)
		return -EINVAL;
	ret = xs_directory(c, h->tx_id, path, &names, &len);
	if (ret)
		return ret;
	/* Too long for one message: the client falls back to _PART. */
	ret = len > XENSTORE_PAYLOAD_MAX ? -E2BIG : xs_reply(c, h, names, len);
	xs_free(names);
	return ret;
}

/*
 * DIRECTORY_PART <path>|<offset>| -> <gencnt>|<child>|*: the children
 * from byte @offset of the full list, whole names only, as many as fit;
 * an empty string after the last marks the end of the list.
 */
static int xs_h_directory_part(struct xs_conn *c,
			       const struct xsd_sockmsg *h, const u8 *p)
{
	u32 len, off, n, room, one;
	const char *v[2];
	char *names, *out = (char *)c->scratch;
	u64 gen;
	int ret;

	if (xs_split(p, h->len, v, 2) != 2 || xs_parse_u32(v[1], &off))
		return -EINVAL;
	ret = xs_directory_gen(c, h->tx_id, v[0], &names, &len, &gen);
	if (ret)
		return ret;
	n = snprintf(out, XENSTORE_PAYLOAD_MAX, "%llx", gen) + 1;
	room = XENSTORE_PAYLOAD_MAX - n - 1;
	while (off < len) {
		one = strlen(names + off) + 1;
		if (one > room)
			break;
		memcpy(out + n, names + off, one);
		n += one;
		room -= one;
		off += one;
	}
	if (off >= len)
		out[n++] = '\0';
	xs_free(names);
	return xs_reply(c, h, out, n);
}

static int xs_h_get_perms(struct xs_conn *c, const struct xsd_sockmsg *h,
			  const u8 *p)
{
	const char *path = xs_onearg(h, p);
	struct xs_perm *perms;
	u32 np, i, n = 0;
	int ret, one;

	if (!path)
		return -EINVAL;
	ret = xs_get_perms(c, h->tx_id, path, &perms, &np);
	if (ret)
		return ret;
	for (i = 0; i < np && !ret; i++) {
		one = xs_perm_format(&perms[i], (char *)c->scratch + n,
				     XENSTORE_PAYLOAD_MAX - n);
		if (one < 0)
			ret = one;
		else
			n += one;
	}
	xs_free(perms);
	return ret ? ret : xs_reply(c, h, c->scratch, n);
}

static int xs_h_set_perms(struct xs_conn *c, const struct xsd_sockmsg *h,
			  const u8 *p)
{
	struct xs_perm *perms;
	const char **v;
	int n, ret;

	n = xs_split(p, h->len, NULL, 0);
	if (n < 2)
		return -EINVAL;
	v = xs_zalloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	xs_split(p, h->len, v, n);
	ret = xs_perms_parse(v + 1, n - 1, &perms);
	if (!ret) {
		ret = xs_set_perms(c, h->tx_id, v[0], perms, n - 1);
		xs_free(perms);
	}
	xs_free(v);
	return ret ? ret : xs_ok(c, h);
}

static int xs_h_watch(struct xs_conn *c, const struct xsd_sockmsg *h,
		      const u8 *p)
{
	struct xs_watch *w;
	const char *v[2];
	int ret;

	if (xs_split(p, h->len, v, 2) < 2)
		return -EINVAL;
	if (h->type == XS_UNWATCH) {
		ret = xs_unwatch(c, v[0], v[1]);
		return ret ? ret : xs_ok(c, h);
	}
	ret = xs_watch_add(c, v[0], v[1], &w);
	if (!ret)
		ret = xs_ok(c, h);
	if (!ret)
		xs_watch_initial(c, w);	/* after the reply, as cxenstored */
	return ret;
}

static int xs_h_reset_watches(struct xs_conn *c,
			      const struct xsd_sockmsg *h, const u8 *p)
{
	xs_reset_watches(c);
	return xs_ok(c, h);
}

static int xs_h_txn_start(struct xs_conn *c, const struct xsd_sockmsg *h,
			  const u8 *p)
{
	char buf[12];
	u32 id;
	int ret;

	if (h->tx_id)
		return -EBUSY;	/* no nesting */
	ret = xs_txn_start(c, &id);
	if (ret)
		return ret;
	snprintf(buf, sizeof(buf), "%u", id);
	return xs_reply_str(c, h, buf);
}

static int xs_h_txn_end(struct xs_conn *c, const struct xsd_sockmsg *h,
			const u8 *p)
{
	const char *arg = xs_onearg(h, p);
	int ret;

	if (!arg || (strcmp(arg, "T") && strcmp(arg, "F")))
		return -EINVAL;
	ret = xs_txn_end(c, h->tx_id, arg[0] == 'T');
	return ret ? ret : xs_ok(c, h);
}

/* The domid of a request whose first (or only) string is one. */
static int xs_domid_arg(const struct xsd_sockmsg *h, const u8 *p, int want,
			const char **v, u32 *domid)
{
	if (xs_split(p, h->len, v, want) < want)
		return -EINVAL;
	return xs_parse_u32(v[0], domid);
}

static int xs_h_domain(struct xs_conn *c, const struct xsd_sockmsg *h,
		       const u8 *p)
{
	const char *v[3];
	u32 domid, other;
	int ret;

	if (!c->priv)
		return -EACCES;
	switch (h->type) {
	case XS_INTRODUCE:
		/* <domid>|<mfn>|<evtchn>|: the ring is the transport's. */
		ret = xs_domid_arg(h, p, 3, v, &domid);
		return ret ? ret : xs_domain_introduce(c->st, domid);
	case XS_RELEASE:
		ret = xs_domid_arg(h, p, 1, v, &domid);
		return ret ? ret : xs_domain_release(c->st, domid);
	case XS_RESUME:
		ret = xs_domid_arg(h, p, 1, v, &domid);
		if (!ret && !xs_domain_introduced(c->st, domid))
			ret = -ENOENT;
		return ret;
	case XS_SET_TARGET:
		ret = xs_domid_arg(h, p, 2, v, &domid);
		if (!ret)
			ret = xs_parse_u32(v[1], &other);
		return ret ? ret : xs_domain_set_target(c->st, domid, other);
	}
	return -EOPNOTSUPP;
}

static int xs_h_domain_ok(struct xs_conn *c, const struct xsd_sockmsg *h,
			  const u8 *p)
{
	int ret = xs_h_domain(c, h, p);

	return ret ? ret : xs_ok(c, h);
}

static int xs_h_is_introduced(struct xs_conn *c, const struct xsd_sockmsg *h,
			      const u8 *p)
{
	const char *v;
	u32 domid;

	if (xs_domid_arg(h, p, 1, &v, &domid))
		return -EINVAL;
	return xs_reply_str(c, h, xs_domain_introduced(c->st, domid) ?
			    "T" : "F");
}

static int xs_h_get_domain_path(struct xs_conn *c,
				const struct xsd_sockmsg *h, const u8 *p)
{
	char buf[sizeof(XS_LOCAL_DOMAIN) + 12];
	const char *v;
	u32 domid;

	if (xs_domid_arg(h, p, 1, &v, &domid))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s%u", XS_LOCAL_DOMAIN, domid);
	return xs_reply_str(c, h, buf);
}

static int xs_h_control(struct xs_conn *c, const struct xsd_sockmsg *h,
			const u8 *p)
{
	const char *v[5];
	int n;

	if (!c->priv)
		return -EACCES;
	n = xs_split(p, h->len, v, 5);
	if (n < 1)
		return -EINVAL;
	return xs_control(c, h, v, n > 5 ? 5 : n);
}

static const xs_handler xs_handlers[XS_TYPE_COUNT] = {
	[XS_CONTROL] = xs_h_control,
	[XS_DIRECTORY] = xs_h_directory,
	[XS_READ] = xs_h_read,
	[XS_GET_PERMS] = xs_h_get_perms,
	[XS_WATCH] = xs_h_watch,
	[XS_UNWATCH] = xs_h_watch,
	[XS_TRANSACTION_START] = xs_h_txn_start,
	[XS_TRANSACTION_END] = xs_h_txn_end,
	[XS_INTRODUCE] = xs_h_domain_ok,
	[XS_RELEASE] = xs_h_domain_ok,
	[XS_GET_DOMAIN_PATH] = xs_h_get_domain_path,
	[XS_WRITE] = xs_h_write,
	[XS_MKDIR] = xs_h_mkdir,
	[XS_RM] = xs_h_rm,
	[XS_SET_PERMS] = xs_h_set_perms,
	[XS_IS_DOMAIN_INTRODUCED] = xs_h_is_introduced,
	[XS_RESUME] = xs_h_domain_ok,
	[XS_SET_TARGET] = xs_h_domain_ok,
	[XS_RESET_WATCHES] = xs_h_reset_watches,
	[XS_DIRECTORY_PART] = xs_h_directory_part,
	/* WATCH_EVENT and ERROR only go to clients: unknown as requests. */
};

void xs_proto_handle(struct xs_conn *c, const struct xsd_sockmsg *h,
		     const u8 *p)
{
	xs_handler fn = h->type < XS_TYPE_COUNT ? xs_handlers[h->type] : NULL;
	const char *err;
	int ret = fn ? fn(c, h, p) : -EOPNOTSUPP;

	if (!ret || c->closed)
		return;
	err = xs_errname(ret);
	xs_queue(c, XS_ERROR, h->req_id, h->tx_id, err, strlen(err) + 1);
}
