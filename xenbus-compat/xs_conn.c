// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: the byte stream of the wire protocol (io/xs_wire.h: a
 * struct xsd_sockmsg header, then at most XENSTORE_PAYLOAD_MAX bytes),
 * assembled from partial input, and the queue of replies and watch
 * events waiting to be read.  A payload over the limit closes this
 * connection only (docs/misc/xenstore.txt).  An unprivileged connection
 * with XS_Q_OUTSTANDING replies unread is not read further until its
 * reader catches up; watch events beyond XS_EVENT_QUEUE_MAX queued
 * messages are dropped, so a reader that never reads costs bounded
 * memory.
 */
#include "xs_core.h"

#define XS_HDR	sizeof(struct xsd_sockmsg)

struct xs_conn *xs_conn_new(struct xs_store *st, u32 domid, u32 flags)
{
	struct xs_conn *c = xs_zalloc(sizeof(*c));

	if (!c)
		return NULL;
	c->st = st;
	c->domid = domid;
	c->priv = flags & XS_CONN_PRIV;
	c->next_txid = 1;
	c->out_tail = &c->out_head;
	c->in_buf = xs_zalloc(XS_HDR + XENSTORE_PAYLOAD_MAX);
	c->scratch = xs_zalloc(XENSTORE_PAYLOAD_MAX);
	if (!c->in_buf || !c->scratch || !xs_dom_get(st, domid)) {
		xs_free(c->in_buf);
		xs_free(c->scratch);
		xs_free(c);
		return NULL;
	}
	c->next = st->conns;
	st->conns = c;
	return c;
}

static void xs_out_free(struct xs_conn *c)
{
	struct xs_msg *m;

	while (c->out_head) {
		m = c->out_head;
		c->out_head = m->next;
		xs_free(m);
	}
	c->out_tail = &c->out_head;
	c->nout = 0;
	c->nreplies = 0;
}

void xs_conn_free(struct xs_conn *c)
{
	struct xs_conn **pp;

	if (!c)
		return;
	for (pp = &c->st->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	xs_watch_free_all(c);
	xs_txn_free_all(c);
	xs_out_free(c);
	xs_free(c->in_buf);
	xs_free(c->scratch);
	xs_free(c);
}

void xs_conn_set_notify(struct xs_conn *c, xs_notify_fn fn, void *arg)
{
	c->notify = fn;
	c->notify_arg = arg;
}

void xs_conn_set_event_cb(struct xs_conn *c, xs_event_fn fn, void *arg)
{
	c->event_cb = fn;
	c->event_arg = arg;
}

u32 xs_conn_domid(const struct xs_conn *c)
{
	return c->domid;
}

bool xs_conn_closed(const struct xs_conn *c)
{
	return c->closed;
}

u32 xs_conn_dropped_events(const struct xs_conn *c)
{
	return c->dropped;
}

static struct xs_msg *xs_msg_new(u32 type, u32 req_id, u32 tx_id, u32 len)
{
	struct xs_msg *m = xs_zalloc(sizeof(*m) + XS_HDR + len);
	struct xsd_sockmsg h = {
		.type = type, .req_id = req_id, .tx_id = tx_id, .len = len,
	};

	if (m) {
		m->len = XS_HDR + len;
		memcpy(m->data, &h, XS_HDR);
	}
	return m;
}

static void xs_msg_append(struct xs_conn *c, struct xs_msg *m)
{
	*c->out_tail = m;
	c->out_tail = &m->next;
	c->nout++;
	if (!m->event)
		c->nreplies++;
	if (c->notify)
		c->notify(c, c->notify_arg);
}

int xs_queue(struct xs_conn *c, u32 type, u32 req_id, u32 tx_id,
	     const void *payload, u32 len)
{
	struct xs_msg *m;

	if (c->closed)
		return -EPIPE;
	m = xs_msg_new(type, req_id, tx_id, len);
	if (!m)
		return -ENOMEM;
	memcpy(m->data + XS_HDR, payload, len);
	xs_msg_append(c, m);
	return 0;
}

/* WATCH_EVENT <epath>|<token>|, req_id and tx_id 0. */
void xs_queue_event(struct xs_conn *c, const char *path, const char *token)
{
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
	struct xs_msg *m;

	if (c->closed || c->nout >= XS_EVENT_QUEUE_MAX ||
	    pl + tl > XENSTORE_PAYLOAD_MAX) {
		c->dropped++;
		return;
	}
	m = xs_msg_new(XS_WATCH_EVENT, 0, 0, pl + tl);
	if (!m) {
		c->dropped++;
		return;
	}
	m->event = true;
	memcpy(m->data + XS_HDR, path, pl);
	memcpy(m->data + XS_HDR + pl, token, tl);
	xs_msg_append(c, m);
}

static void xs_conn_close(struct xs_conn *c)
{
	xs_log("d%u: connection closed: payload over %u bytes", c->domid,
	       XENSTORE_PAYLOAD_MAX);
	c->closed = true;
	c->in_have = 0;
	xs_out_free(c);
	xs_watch_free_all(c);
	xs_txn_free_all(c);
	if (c->notify)
		c->notify(c, c->notify_arg);
}

static bool xs_conn_stalled(const struct xs_conn *c)
{
	return !c->priv &&
	       c->nreplies >= xs_quota(c->st, c, XS_Q_OUTSTANDING);
}

long xs_conn_input(struct xs_conn *c, const void *buf, size_t len)
{
	const u8 *in = buf;
	struct xsd_sockmsg h;
	size_t done = 0, want, n;

	while (!c->closed && done < len) {
		if (!c->in_have && xs_conn_stalled(c))
			break;
		want = XS_HDR;
		if (c->in_have >= XS_HDR) {
			memcpy(&h, c->in_buf, XS_HDR);
			want += h.len;
		}
		n = want - c->in_have;
		if (n > len - done)
			n = len - done;
		memcpy(c->in_buf + c->in_have, in + done, n);
		c->in_have += n;
		done += n;
		if (c->in_have < XS_HDR)
			break;
		memcpy(&h, c->in_buf, XS_HDR);
		if (h.len > XENSTORE_PAYLOAD_MAX) {
			xs_conn_close(c);
			break;
		}
		if (c->in_have == XS_HDR + h.len) {
			c->in_have = 0;
			xs_proto_handle(c, &h, c->in_buf + XS_HDR);
		}
	}
	return c->closed ? -EPIPE : (long)done;
}

size_t xs_conn_output(struct xs_conn *c, void *buf, size_t len)
{
	struct xs_msg *m;
	size_t done = 0, n;
	u8 *out = buf;

	while (done < len && c->out_head) {
		m = c->out_head;
		n = m->len - m->off;
		if (n > len - done)
			n = len - done;
		memcpy(out + done, m->data + m->off, n);
		m->off += n;
		done += n;
		if (m->off < m->len)
			break;
		c->out_head = m->next;
		if (!c->out_head)
			c->out_tail = &c->out_head;
		c->nout--;
		if (!m->event)
			c->nreplies--;
		xs_free(m);
	}
	return done;
}

size_t xs_conn_output_pending(const struct xs_conn *c)
{
	const struct xs_msg *m;
	size_t n = 0;

	for (m = c->out_head; m; m = m->next)
		n += m->len - m->off;
	return n;
}
