// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the wire protocol: every message type of io/xs_wire.h
 * through a connection's byte stream, malformed messages, partial input,
 * the outstanding-request quota and the payload limit.
 */
#include "xs_core.h"
#include "tap.h"

#define HDR sizeof(struct xsd_sockmsg)

static struct xs_store *st;

struct reply {
	struct xsd_sockmsg h;
	char p[XENSTORE_PAYLOAD_MAX + 1];
	int events;		/* WATCH_EVENTs read before the reply */
	char ev[8][256];	/* their payloads, "path token" */
};

static void send_msg(struct xs_conn *c, u32 type, u32 req, u32 tx,
		     const void *p, u32 len)
{
	struct xsd_sockmsg h = {
		.type = type, .req_id = req, .tx_id = tx, .len = len,
	};
	u8 buf[HDR + XENSTORE_PAYLOAD_MAX];

	memcpy(buf, &h, HDR);
	memcpy(buf + HDR, p, len);
	xs_conn_input(c, buf, HDR + len);
}

/* One message from the output; 0 if there is none. */
static int get_msg(struct xs_conn *c, struct xsd_sockmsg *h, char *p)
{
	if (xs_conn_output(c, h, HDR) != HDR)
		return 0;
	memset(p, 0, h->len + 1);
	return xs_conn_output(c, p, h->len) == h->len;
}

/* Send a request, read events until its reply, keep both. */
static int rq(struct xs_conn *c, u32 type, u32 tx, const void *p, u32 len,
	      struct reply *r)
{
	static u32 req = 100;

	memset(r, 0, sizeof(*r));
	send_msg(c, type, ++req, tx, p, len);
	while (get_msg(c, &r->h, r->p)) {
		if (r->h.type != XS_WATCH_EVENT)
			return r->h.req_id == req && r->h.tx_id == tx;
		if (r->events < 8)
			snprintf(r->ev[r->events], 256, "%.120s %.120s", r->p,
				 r->p + strlen(r->p) + 1);
		r->events++;
	}
	return 0;
}

/* Request with a string payload (its NUL included); reply payload. */
static const char *rqs(struct xs_conn *c, u32 type, u32 tx, const char *s,
		       struct reply *r)
{
	return rq(c, type, tx, s, strlen(s) + 1, r) ? r->p : "(no reply)";
}

static int is_err(struct reply *r, const char *e)
{
	return r->h.type == XS_ERROR && !strcmp(r->p, e);
}

static int is_ok(struct reply *r, u32 type)
{
	return r->h.type == type && r->h.len == 3 && !strcmp(r->p, "OK");
}

/* "a\0b\0" from "a|b|" */
static u32 pl(char *out, const char *in)
{
	u32 n = strlen(in), i;

	for (i = 0; i < n; i++)
		out[i] = in[i] == '|' ? '\0' : in[i];
	return n;
}

static void test_messages(struct xs_conn *h)
{
	struct reply r;
	char b[256];
	u32 tx;

	TAP_OK(rq(h, XS_WRITE, 0, b, pl(b, "/a/b|hello"), &r) &&
	       is_ok(&r, XS_WRITE), "WRITE -> OK, req_id echoed");
	TAP_OK(rq(h, XS_READ, 0, "/a/b", 5, &r) && r.h.type == XS_READ &&
	       r.h.len == 5 && !memcmp(r.p, "hello", 5),
	       "READ -> value without NUL");
	TAP_OK(!strcmp(rqs(h, XS_READ, 0, "/zz", &r), "ENOENT") &&
	       r.h.type == XS_ERROR, "READ missing -> ERROR ENOENT");
	rqs(h, XS_MKDIR, 0, "/a/c", &r);
	TAP_OK(is_ok(&r, XS_MKDIR), "MKDIR -> OK");
	TAP_OK(rq(h, XS_DIRECTORY, 0, "/a", 3, &r) && r.h.len == 4 &&
	       !memcmp(r.p, "b\0c\0", 4), "DIRECTORY -> b|c|");
	TAP_OK(rq(h, XS_DIRECTORY_PART, 0, b, pl(b, "/a|0|"), &r) &&
	       r.h.type == XS_DIRECTORY_PART &&
	       !memcmp(r.p + strlen(r.p) + 1, "b\0c\0\0", 5),
	       "DIRECTORY_PART -> gen|b|c||");
	rq(h, XS_SET_PERMS, 0, b, pl(b, "/a/b|n0|r5|"), &r);
	TAP_OK(is_ok(&r, XS_SET_PERMS), "SET_PERMS -> OK");
	TAP_OK(rq(h, XS_GET_PERMS, 0, "/a/b", 5, &r) && r.h.len == 6 &&
	       !memcmp(r.p, "n0\0r5\0", 6), "GET_PERMS -> n0|r5|");
	rqs(h, XS_RM, 0, "/a/c", &r);
	TAP_OK(is_ok(&r, XS_RM), "RM -> OK");
	TAP_OK(rq(h, XS_WATCH, 0, b, pl(b, "/a|tok|"), &r) &&
	       is_ok(&r, XS_WATCH), "WATCH -> OK");
	TAP_OK(rq(h, XS_READ, 0, "/a/b", 5, &r) && r.events == 1 &&
	       !strcmp(r.ev[0], "/a tok"), "then WATCH_EVENT /a tok");
	rq(h, XS_WRITE, 0, b, pl(b, "/a/x|1"), &r);
	TAP_OK(rq(h, XS_READ, 0, "/a/b", 5, &r) && r.events == 0 &&
	       get_msg(h, &r.h, r.p) == 0, "(no stray events)");
	rq(h, XS_WRITE, 0, b, pl(b, "/a/y|1"), &r);
	TAP_OK(r.events == 1 && !strcmp(r.ev[0], "/a/y tok"),
	       "WATCH_EVENT for a child, with its path");
	rq(h, XS_UNWATCH, 0, b, pl(b, "/a|tok|"), &r);
	TAP_OK(is_ok(&r, XS_UNWATCH), "UNWATCH -> OK");
	rq(h, XS_UNWATCH, 0, b, pl(b, "/a|tok|"), &r);
	TAP_OK(is_err(&r, "ENOENT"), "UNWATCH again -> ENOENT");
	rq(h, XS_WATCH, 0, b, pl(b, "/a|t2|"), &r);
	rq(h, XS_RESET_WATCHES, 0, "", 1, &r);
	TAP_OK(is_ok(&r, XS_RESET_WATCHES), "RESET_WATCHES -> OK");
	rq(h, XS_WRITE, 0, b, pl(b, "/a/z|1"), &r);
	TAP_OK(r.events == 0, "no events after RESET_WATCHES");
	TAP_OK(rq(h, XS_TRANSACTION_START, 0, "", 1, &r) &&
	       r.h.type == XS_TRANSACTION_START, "TRANSACTION_START -> id");
	tx = strtoul(r.p, NULL, 10);
	TAP_OK(tx != 0 && rq(h, XS_WRITE, tx, b, pl(b, "/t|1"), &r) &&
	       is_ok(&r, XS_WRITE) && r.h.tx_id == tx,
	       "WRITE in it, tx_id echoed");
	rq(h, XS_TRANSACTION_START, tx, "", 1, &r);
	TAP_OK(is_err(&r, "EBUSY"), "TRANSACTION_START with a tx_id: EBUSY");
	rq(h, XS_WRITE, 0, b, pl(b, "/a/b|other"), &r);
	rq(h, XS_READ, tx, "/a/b", 5, &r);
	rq(h, XS_WRITE, 0, b, pl(b, "/a/b|again"), &r);
	rqs(h, XS_TRANSACTION_END, tx, "T", &r);
	TAP_OK(is_err(&r, "EAGAIN"),
	       "TRANSACTION_END T after a conflict: EAGAIN");
	rqs(h, XS_TRANSACTION_END, tx, "F", &r);
	TAP_OK(is_err(&r, "ENOENT"), "the transaction is gone: ENOENT");
	rq(h, XS_TRANSACTION_START, 0, "", 1, &r);
	tx = strtoul(r.p, NULL, 10);
	rqs(h, XS_TRANSACTION_END, tx, "X", &r);
	TAP_OK(is_err(&r, "EINVAL"), "TRANSACTION_END X: EINVAL");
	rqs(h, XS_TRANSACTION_END, tx, "T", &r);
	TAP_OK(is_ok(&r, XS_TRANSACTION_END), "TRANSACTION_END T -> OK");
	rq(h, XS_INTRODUCE, 0, b, pl(b, "4|12345|7|"), &r);
	TAP_OK(is_ok(&r, XS_INTRODUCE), "INTRODUCE -> OK");
	TAP_OK(!strcmp(rqs(h, XS_IS_DOMAIN_INTRODUCED, 0, "4", &r), "T") &&
	       !strcmp(rqs(h, XS_IS_DOMAIN_INTRODUCED, 0, "8", &r), "F") &&
	       !strcmp(rqs(h, XS_IS_DOMAIN_INTRODUCED, 0, "0", &r), "T"),
	       "IS_DOMAIN_INTRODUCED -> T|, F|, dom0 T|");
	TAP_OK(!strcmp(rqs(h, XS_GET_DOMAIN_PATH, 0, "4", &r),
		       "/local/domain/4"), "GET_DOMAIN_PATH");
	rqs(h, XS_RESUME, 0, "4", &r);
	TAP_OK(is_ok(&r, XS_RESUME), "RESUME -> OK");
	rqs(h, XS_RESUME, 0, "8", &r);
	TAP_OK(is_err(&r, "ENOENT"), "RESUME unknown domain: ENOENT");
	rq(h, XS_SET_TARGET, 0, b, pl(b, "4|9|"), &r);
	TAP_OK(is_ok(&r, XS_SET_TARGET), "SET_TARGET -> OK");
	rqs(h, XS_RELEASE, 0, "4", &r);
	TAP_OK(is_ok(&r, XS_RELEASE) &&
	       !strcmp(rqs(h, XS_IS_DOMAIN_INTRODUCED, 0, "4", &r), "F"),
	       "RELEASE -> OK, no longer introduced");
	rq(h, XS_CONTROL, 0, b, pl(b, "print|hello|"), &r);
	TAP_OK(is_ok(&r, XS_CONTROL), "CONTROL print -> OK");
	TAP_OK(strstr(rqs(h, XS_CONTROL, 0, "help", &r), "quota-set") &&
	       strstr(rqs(h, XS_CONTROL, 0, "quota", &r), "nodes: 1000"),
	       "CONTROL help, quota");
	rq(h, XS_CONTROL, 0, b, pl(b, "quota-set|watches|3|"), &r);
	TAP_OK(is_ok(&r, XS_CONTROL) &&
	       xs_quota_get(st, 6, XS_Q_WATCHES) == 3, "CONTROL quota-set");
	rq(h, XS_CONTROL, 0, b, pl(b, "quota-set|watches|128|"), &r);
	rq(h, XS_CONTROL, 0, b, pl(b, "quota-set|bogus|3|"), &r);
	TAP_OK(is_err(&r, "EINVAL"), "CONTROL quota-set bogus: EINVAL");
	rqs(h, XS_WATCH_EVENT, 0, "x", &r);
	TAP_OK(is_err(&r, "ENOSYS"), "WATCH_EVENT from a client: ENOSYS");
	rqs(h, XS_ERROR, 0, "x", &r);
	TAP_OK(is_err(&r, "ENOSYS"), "ERROR from a client: ENOSYS");
	rqs(h, 20, 0, "x", &r);
	TAP_OK(is_err(&r, "ENOSYS"), "type 20 (removed RESTRICT): ENOSYS");
	rqs(h, 0xbeef, 0, "x", &r);
	TAP_OK(is_err(&r, "ENOSYS"), "type 0xbeef: ENOSYS");
}

static void test_directory_part(struct xs_conn *h)
{
	char path[64], all[16384], b[64];
	struct reply r;
	u32 got = 0, off = 0, n, i, gen0 = 0;
	int rounds = 0, done = 0;
	const char *gen;

	for (i = 0; i < 400; i++) {
		snprintf(path, sizeof(path), "/big/child-number-%03u", i);
		xs_mkdir(h, 0, path);
	}
	rqs(h, XS_DIRECTORY, 0, "/big", &r);
	TAP_OK(is_err(&r, "E2BIG"), "DIRECTORY over 4096 bytes: E2BIG");
	while (!done && rounds++ < 10) {
		n = snprintf(b, sizeof(b), "/big|%u|", off);
		rq(h, XS_DIRECTORY_PART, 0, b, pl(b, b), &r);
		if (r.h.type != XS_DIRECTORY_PART)
			break;
		gen = r.p;
		if (!gen0)
			gen0 = strtoul(gen, NULL, 16);
		n = r.h.len - strlen(gen) - 1;
		/* An extra NUL ends the list. */
		done = n >= 1 && r.p[r.h.len - 1] == 0 &&
		       (n == 1 || r.p[r.h.len - 2] == 0);
		if (done)
			n--;
		memcpy(all + got, r.p + strlen(gen) + 1, n);
		got += n;
		off += n;
	}
	TAP_OK(done && rounds > 1 && got == 400 * 17 &&
	       !memcmp(all + 17 * 399, "child-number-399", 17),
	       "DIRECTORY_PART in %d rounds: all 400 children", rounds);
}

static void test_malformed(struct xs_conn *h)
{
	u8 buf[2 * HDR + 16];
	struct xsd_sockmsg m = { .type = XS_READ, .req_id = 1, .len = 3 };
	struct reply r;
	char b[64];
	size_t i;

	rq(h, XS_READ, 0, "/a", 2, &r);
	TAP_OK(is_err(&r, "EINVAL"), "READ without its NUL: EINVAL");
	rq(h, XS_READ, 0, b, pl(b, "/a|/b|"), &r);
	TAP_OK(is_err(&r, "EINVAL"), "READ with two strings: EINVAL");
	rq(h, XS_WRITE, 0, "/abc", 4, &r);
	TAP_OK(is_err(&r, "EINVAL"), "WRITE without a NUL: EINVAL");
	rq(h, XS_SET_PERMS, 0, b, pl(b, "/a/b|q5|"), &r);
	TAP_OK(is_err(&r, "EINVAL"), "SET_PERMS q5: EINVAL");
	rq(h, XS_SET_PERMS, 0, b, pl(b, "/a/b|"), &r);
	TAP_OK(is_err(&r, "EINVAL"), "SET_PERMS without perms: EINVAL");
	rq(h, XS_WATCH, 0, b, pl(b, "/a|"), &r);
	TAP_OK(is_err(&r, "EINVAL"), "WATCH without a token: EINVAL");
	rq(h, XS_INTRODUCE, 0, b, pl(b, "x|1|2|"), &r);
	TAP_OK(is_err(&r, "EINVAL"), "INTRODUCE domid x: EINVAL");
	rq(h, XS_WRITE, 0, b, pl(b, "/a\x01|v"), &r);
	TAP_OK(is_err(&r, "EINVAL"), "bad path character: EINVAL");
	rq(h, XS_READ, 0, "", 0, &r);
	TAP_OK(is_err(&r, "EINVAL"), "empty payload: EINVAL");
	/* Byte by byte, then two messages in one write. */
	memcpy(buf, &m, HDR);
	memcpy(buf + HDR, "/a", 3);
	for (i = 0; i < HDR + 3; i++)
		xs_conn_input(h, buf + i, 1);
	TAP_OK(get_msg(h, &r.h, r.p) && r.h.req_id == 1 &&
	       r.h.type == XS_READ, "request fed byte by byte");
	m.req_id = 2;
	memcpy(buf + HDR + 3, &m, HDR);
	memcpy(buf + 2 * HDR + 3, "/a", 3);
	TAP_OK(xs_conn_input(h, buf, 2 * HDR + 6) == 2 * HDR + 6 &&
	       get_msg(h, &r.h, r.p) && r.h.req_id == 1 &&
	       get_msg(h, &r.h, r.p) && r.h.req_id == 2,
	       "two requests in one write: two replies in order");
}

static void test_limits(void)
{
	struct xs_conn *a = xs_conn_new(st, 0, XS_CONN_PRIV);
	struct xs_conn *b = xs_conn_new(st, 0, XS_CONN_PRIV);
	struct xs_conn *g;
	struct xsd_sockmsg m = { .type = XS_WRITE, .len = 4096 };
	u8 buf[HDR + 4096];
	struct reply r;
	int i;
	long n;

	memset(buf, 'v', sizeof(buf));
	memcpy(buf, &m, HDR);
	memcpy(buf + HDR, "/max", 5);
	TAP_OK(xs_conn_input(a, buf, HDR + 4096) == HDR + 4096 &&
	       get_msg(a, &r.h, r.p) && !strcmp(r.p, "OK"),
	       "4096-byte payload accepted (host)");
	m.len = 4097;
	memcpy(buf, &m, HDR);
	TAP_OK(xs_conn_input(a, buf, HDR) == -EPIPE && xs_conn_closed(a),
	       "4097-byte payload: connection closed");
	TAP_OK(xs_conn_input(a, buf, 1) == -EPIPE &&
	       !xs_conn_output_pending(a), "and stays closed");
	TAP_OK(rq(b, XS_READ, 0, "/max", 5, &r) && r.h.len == 4091,
	       "another connection is unaffected");
	xs_conn_free(a);

	/* Outstanding requests: a guest's input stalls at 20 unread. */
	g = xs_conn_new(st, 5, 0);
	m.type = XS_GET_DOMAIN_PATH;
	m.len = 2;
	for (i = 0; i < 25; i++) {
		memcpy(buf + i * (HDR + 2), &m, HDR);
		memcpy(buf + i * (HDR + 2) + HDR, "5", 2);
	}
	n = xs_conn_input(g, buf, 25 * (HDR + 2));
	TAP_OK(n == 20 * (HDR + 2),
	       "guest: 20 requests taken, then stall (%ld bytes)", n);
	for (i = 0; i < 20; i++)
		get_msg(g, &r.h, r.p);
	n = xs_conn_input(g, buf + 20 * (HDR + 2), 5 * (HDR + 2));
	TAP_OK(n == 5 * (HDR + 2), "after reading, the rest is taken");
	for (i = 0; i < 5; i++)
		get_msg(g, &r.h, r.p);
	rq(g, XS_INTRODUCE, 0, "5\0001\0002", 6, &r);
	TAP_OK(is_err(&r, "EACCES"), "guest INTRODUCE: EACCES");
	rqs(g, XS_CONTROL, 0, "help", &r);
	TAP_OK(is_err(&r, "EACCES"), "guest CONTROL: EACCES");
	xs_conn_free(g);

	/* A reader that never reads: watch events are dropped, bounded. */
	g = xs_conn_new(st, 0, XS_CONN_PRIV);
	xs_watch(g, "/flood", "f");
	for (i = 0; i < 2000; i++)
		xs_write(b, 0, "/flood", "x", 1);
	TAP_OK(g->nout == XS_EVENT_QUEUE_MAX &&
	       xs_conn_dropped_events(g) == 2001 - XS_EVENT_QUEUE_MAX,
	       "unread events capped at %u, %u dropped", g->nout,
	       xs_conn_dropped_events(g));
	xs_conn_free(g);
	xs_conn_free(b);
}

static void test_guest_wire(void)
{
	struct xs_conn *h = xs_conn_new(st, 0, XS_CONN_PRIV);
	struct xs_conn *g = xs_conn_new(st, 7, 0);
	struct reply r;
	char b[64];

	xs_mkdir(h, 0, "/local/domain/7");
	xs_set_perms(h, 0, "/local/domain/7", &(struct xs_perm){ 7, 0 }, 1);
	rq(g, XS_WATCH, 0, b, pl(b, "dev|rel|"), &r);
	TAP_OK(is_ok(&r, XS_WATCH) && r.events == 0,
	       "guest: relative WATCH -> OK first");
	rq(g, XS_WRITE, 0, b, pl(b, "dev/x|1"), &r);
	TAP_OK(r.events == 2 && !strcmp(r.ev[0], "dev rel") &&
	       !strcmp(r.ev[1], "dev/x rel"),
	       "relative events: 'dev', then 'dev/x'");
	TAP_OK(!strcmp(rqs(g, XS_READ, 0, "/local/domain/7/dev/x", &r), "1"),
	       "absolute read of the same node");
	rqs(g, XS_READ, 0, "/local/domain", &r);
	TAP_OK(is_err(&r, "EACCES"), "guest: parent not readable: EACCES");
	xs_conn_free(g);
	xs_conn_free(h);
}

int main(void)
{
	struct xs_conn *h;

	st = xs_store_new();
	h = xs_conn_new(st, 0, XS_CONN_PRIV);
	test_messages(h);
	test_directory_part(h);
	test_malformed(h);
	test_limits();
	test_guest_wire();
	xs_store_free(st);
	return tap_done();
}
