// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the store through its C API: the tree, permissions,
 * transactions, watches, quotas and the default nodes of a domain.
 */
#include "xs_core.h"
#include "tap.h"

static struct xs_store *st;
static struct xs_conn *host;

/* Watch events seen by a connection with an event callback. */
struct evlog {
	int n;
	char path[64][256];
	char token[64][64];
};

static void ev_cb(struct xs_conn *c, const char *path, const char *token,
		  void *arg)
{
	struct evlog *l = arg;

	if (l->n < 64) {
		snprintf(l->path[l->n], sizeof(l->path[0]), "%s", path);
		snprintf(l->token[l->n], sizeof(l->token[0]), "%s", token);
	}
	l->n++;
}

static int ev_has(struct evlog *l, const char *path, const char *token)
{
	int i;

	for (i = 0; i < l->n && i < 64; i++)
		if (!strcmp(l->path[i], path) && !strcmp(l->token[i], token))
			return 1;
	return 0;
}

static int wr(struct xs_conn *c, u32 t, const char *path, const char *v)
{
	return xs_write(c, t, path, v, strlen(v));
}

/* 1 if @path reads as @want, through @c. */
static int rd_is(struct xs_conn *c, u32 t, const char *path,
		 const char *want)
{
	char *v;
	u32 len;
	int ok;

	if (xs_read(c, t, path, &v, &len))
		return 0;
	ok = len == strlen(want) && !memcmp(v, want, len);
	xs_free(v);
	return ok;
}

static int rd_err(struct xs_conn *c, u32 t, const char *path)
{
	char *v;
	u32 len;
	int ret = xs_read(c, t, path, &v, &len);

	if (!ret)
		xs_free(v);
	return ret;
}

static int setp(struct xs_conn *c, const char *path, const char *s)
{
	const char *v[8];
	struct xs_perm *p;
	char buf[128], *tok;
	int n = 0, ret;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok(buf, " "); tok && n < 8; tok = strtok(NULL, " "))
		v[n++] = tok;
	ret = xs_perms_parse(v, n, &p);
	if (ret)
		return ret;
	ret = xs_set_perms(c, 0, path, p, n);
	xs_free(p);
	return ret;
}

static void reset(void)
{
	xs_store_free(st);
	st = xs_store_new();
	host = xs_conn_new(st, 0, XS_CONN_PRIV);
}

/* A guest domain with its home /local/domain/N owned by it. */
static struct xs_conn *guest(u32 domid)
{
	char path[64], perm[16];

	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	snprintf(perm, sizeof(perm), "n%u", domid);
	xs_mkdir(host, 0, path);
	setp(host, path, perm);
	return xs_conn_new(st, domid, 0);
}

static void test_tree(void)
{
	char *v, deep[3100], big[3100];
	u32 len, i;

	reset();
	TAP_OK(!wr(host, 0, "/a/b/c", "x"), "write creates missing parents");
	TAP_OK(rd_is(host, 0, "/a/b/c", "x") && rd_is(host, 0, "/a", ""),
	       "value read back, parents empty");
	TAP_OK(!xs_write(host, 0, "/bin", "a\0b", 3) &&
	       !xs_read(host, 0, "/bin", &v, &len) && len == 3 &&
	       !memcmp(v, "a\0b", 3) && v[3] == 0, "binary value kept");
	xs_free(v);
	TAP_OK(!xs_mkdir(host, 0, "/a/b/c") && rd_is(host, 0, "/a/b/c", "x"),
	       "mkdir of an existing node keeps its value");
	TAP_OK(!xs_mkdir(host, 0, "/m/n") && rd_is(host, 0, "/m/n", ""),
	       "mkdir creates");
	wr(host, 0, "/a/b/d", "y");
	wr(host, 0, "/a/b/a", "z");
	TAP_OK(!xs_directory(host, 0, "/a/b", &v, &len) && len == 6 &&
	       !memcmp(v, "a\0c\0d\0", 6), "directory lists children");
	xs_free(v);
	TAP_OK(xs_directory(host, 0, "/nope", &v, &len) == -ENOENT,
	       "directory of a missing node: ENOENT");
	TAP_OK(rd_err(host, 0, "/nope") == -ENOENT, "read missing: ENOENT");
	TAP_OK(!xs_rm(host, 0, "/a/b") && rd_err(host, 0, "/a/b/c") ==
	       -ENOENT && rd_is(host, 0, "/a", ""), "rm removes the subtree");
	TAP_OK(!xs_rm(host, 0, "/a/zz"), "rm of a missing node: OK");
	TAP_OK(xs_rm(host, 0, "/q/zz") == -ENOENT,
	       "rm with a missing parent: ENOENT");
	TAP_OK(xs_rm(host, 0, "/") == -EINVAL, "rm of the root: EINVAL");
	TAP_OK(wr(host, 0, "", "x") == -EINVAL &&
	       wr(host, 0, "/a//b", "x") == -EINVAL &&
	       wr(host, 0, "/a/", "x") == -EINVAL &&
	       wr(host, 0, "/a b", "x") == -EINVAL &&
	       wr(host, 0, "/a@b", "x") == 0, "path syntax checked");
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	big[3072] = 0;
	TAP_OK(!wr(host, 0, big, "x"), "3072-byte absolute path accepted");
	big[3072] = 'a';
	big[3073] = 0;
	TAP_OK(wr(host, 0, big, "x") == -EINVAL,
	       "3073-byte absolute path: EINVAL");
	big[2049] = 0;
	TAP_OK(!xs_mkdir(host, 0, big + 1), "2048-byte relative path OK");
	big[2049] = 'a';
	big[2050] = 0;
	TAP_OK(wr(host, 0, big + 1, "x") == -EINVAL,
	       "2049-byte relative path: EINVAL");
	TAP_OK(!wr(host, 0, "rel", "r") &&
	       rd_is(host, 0, "/local/domain/0/rel", "r"),
	       "relative path under /local/domain/<domid>");
	for (i = 0; i < 1500; i++) {
		deep[2 * i] = '/';
		deep[2 * i + 1] = 'd';
	}
	deep[3000] = 0;
	TAP_OK(!wr(host, 0, deep, "deep") && rd_is(host, 0, deep, "deep"),
	       "1500 levels deep");
	TAP_OK(!xs_rm(host, 0, "/d"), "and removed again");
	TAP_OK(xs_store_nodes(st) == 12, "node count %u", xs_store_nodes(st));
}

static void test_perms(void)
{
	struct xs_conn *g5, *g6, *g7;
	struct xs_perm *p;
	u32 n;

	reset();
	g5 = guest(5);
	g6 = guest(6);
	g7 = guest(7);
	wr(host, 0, "/priv", "secret");
	TAP_OK(rd_err(g5, 0, "/priv") == -EACCES, "n0 node: guest EACCES");
	TAP_OK(wr(g5, 0, "/priv", "x") == -EACCES &&
	       wr(g5, 0, "/priv/kid", "x") == -EACCES,
	       "guest cannot write or create under it");
	TAP_OK(!setp(host, "/priv", "n0 r5"), "host sets n0 r5");
	TAP_OK(rd_is(g5, 0, "/priv", "secret") &&
	       wr(g5, 0, "/priv", "x") == -EACCES,
	       "r5: domain 5 reads, may not write");
	TAP_OK(rd_err(g6, 0, "/priv") == -EACCES, "others still EACCES");
	setp(host, "/priv", "r0 w5");
	TAP_OK(rd_is(g6, 0, "/priv", "secret") &&
	       rd_err(g5, 0, "/priv") == -EACCES && !wr(g5, 0, "/priv", "w"),
	       "owner's letter is the default; w5 writes, cannot read");
	TAP_OK(!wr(g5, 0, "data", "mine") &&
	       !xs_get_perms(g5, 0, "data", &p, &n) && n == 1 &&
	       p[0].domid == 5, "a guest owns what it creates");
	xs_free(p);
	TAP_OK(!xs_get_perms(host, 0, "/local/domain/5/data", &p, &n) &&
	       p[0].perm == XS_PERM_NONE, "inherited the parent's letter");
	xs_free(p);
	TAP_OK(setp(g6, "/local/domain/5/data", "b6") == -EACCES,
	       "set_perms by a non-owner: EACCES");
	TAP_OK(setp(g5, "data", "n6") == -EPERM,
	       "a guest may not give a node away: EPERM");
	TAP_OK(!setp(g5, "data", "n5 r6") &&
	       rd_is(g6, 0, "/local/domain/5/data", "mine"), "owner grants r6");
	TAP_OK(!setp(host, "/local/domain/5/data", "n7") &&
	       xs_domain_nodes(st, 7) == 2 && xs_domain_nodes(st, 5) == 1,
	       "host moves ownership (counted)");
	/* SET_TARGET: 6 acts for 5 (a device model for its guest). */
	wr(host, 0, "/t5", "x");
	setp(host, "/t5", "n5");
	wr(host, 0, "/r5", "y");
	setp(host, "/r5", "n0 r5");
	TAP_OK(rd_err(g6, 0, "/t5") == -EACCES, "before SET_TARGET: EACCES");
	TAP_OK(xs_domain_set_target(st, 6, 5) == -ENOENT,
	       "SET_TARGET of a domain not introduced: ENOENT");
	xs_domain_introduce(st, 6);
	TAP_OK(!xs_domain_set_target(st, 6, 5), "SET_TARGET 6 -> 5");
	TAP_OK(!wr(g6, 0, "/t5", "z") && rd_is(g6, 0, "/r5", "y") &&
	       wr(g6, 0, "/r5", "q") == -EACCES,
	       "target's nodes owned, target's entries inherited");
	TAP_OK(rd_err(g7, 0, "/t5") == -EACCES, "a third domain still not");
	TAP_OK(!wr(host, 0, "/t5", "h") && !setp(host, "/t5", "n9"),
	       "the host may do anything");
	TAP_OK(setp(host, "/t5", "x1") == -EINVAL &&
	       setp(host, "/t5", "r") == -EINVAL, "bad perm strings: EINVAL");
}

static void test_txn(void)
{
	struct xs_conn *g5;
	struct evlog ev = { 0 };
	u32 t, t2;
	char *v;
	u32 len;

	reset();
	wr(host, 0, "/a", "1");
	TAP_OK(!xs_txn_start(host, &t) && t, "transaction started");
	TAP_OK(!wr(host, t, "/a", "2") && rd_is(host, t, "/a", "2") &&
	       rd_is(host, 0, "/a", "1"), "write seen inside only");
	TAP_OK(!xs_txn_end(host, t, true) && rd_is(host, 0, "/a", "2"),
	       "commit publishes");
	xs_txn_start(host, &t);
	rd_is(host, t, "/a", "2");
	wr(host, t, "/b", "t");
	wr(host, 0, "/a", "3");
	TAP_OK(xs_txn_end(host, t, true) == -EAGAIN &&
	       rd_is(host, 0, "/a", "3") && rd_err(host, 0, "/b") == -ENOENT,
	       "node read, then changed outside: EAGAIN, nothing applied");
	xs_txn_start(host, &t);
	rd_is(host, t, "/a", "3");
	wr(host, 0, "/other", "x");
	TAP_OK(!xs_txn_end(host, t, true), "unrelated change: commit OK");
	xs_txn_start(host, &t);
	wr(host, t, "/a", "9");
	TAP_OK(!xs_txn_end(host, t, false) && rd_is(host, 0, "/a", "3"),
	       "abort discards");
	xs_txn_start(host, &t);
	TAP_OK(!wr(host, t, "/x/y/z", "deep") && !xs_mkdir(host, t, "/m/n"),
	       "nested creation inside a transaction");
	TAP_OK(rd_err(host, 0, "/x") == -ENOENT, "not visible outside");
	TAP_OK(!xs_txn_end(host, t, true) &&
	       rd_is(host, 0, "/x/y/z", "deep") && rd_is(host, 0, "/x/y", "") &&
	       rd_is(host, 0, "/m/n", ""),
	       "committed with its parents");
	xs_txn_start(host, &t);
	xs_txn_start(host, &t2);
	wr(host, t, "/new", "1");
	wr(host, t2, "/new", "2");
	TAP_OK(!xs_txn_end(host, t, true) &&
	       xs_txn_end(host, t2, true) == -EAGAIN &&
	       rd_is(host, 0, "/new", "1"), "both create a node: second EAGAIN");
	xs_txn_start(host, &t);
	xs_rm(host, t, "/x");
	wr(host, 0, "/x/y/z", "changed");
	TAP_OK(xs_txn_end(host, t, true) == -EAGAIN,
	       "rm of a subtree whose child changed: EAGAIN");
	xs_txn_start(host, &t);
	xs_directory(host, t, "/x/y", &v, &len);
	xs_free(v);
	wr(host, 0, "/x/y/w", "1");
	TAP_OK(xs_txn_end(host, t, true) == -EAGAIN,
	       "directory listed, then a child added: EAGAIN");
	xs_txn_start(host, &t);
	rd_err(host, t, "/absent");
	wr(host, 0, "/absent", "now");
	TAP_OK(xs_txn_end(host, t, true) == -EAGAIN,
	       "read as absent, then created: EAGAIN");
	TAP_OK(xs_txn_end(host, 12345, true) == -ENOENT &&
	       rd_err(host, 777, "/a") == -ENOENT &&
	       wr(host, 777, "/a", "1") == -ENOENT, "unknown txid: ENOENT");
	xs_txn_start(host, &t);
	xs_txn_end(host, t, false);
	TAP_OK(xs_txn_end(host, t, true) == -ENOENT, "ended twice: ENOENT");
	/* Watches fire on commit only. */
	xs_conn_set_event_cb(host, ev_cb, &ev);
	xs_watch(host, "/w", "tok");
	ev.n = 0;
	xs_txn_start(host, &t);
	wr(host, t, "/w/k", "1");
	TAP_OK(ev.n == 0, "no event before commit");
	xs_txn_end(host, t, true);
	TAP_OK(ev.n == 1 && ev_has(&ev, "/w/k", "tok"), "event at commit");
	/* A guest's transaction keeps its quota and ownership semantics. */
	g5 = guest(5);
	xs_txn_start(g5, &t);
	TAP_OK(!wr(g5, t, "k", "v") && !xs_txn_end(g5, t, true) &&
	       xs_domain_nodes(st, 5) == 2, "guest commit counted: %u nodes",
	       xs_domain_nodes(st, 5));
}

static void test_watch(void)
{
	struct evlog eh = { 0 }, eg = { 0 };
	struct xs_conn *g5;

	reset();
	xs_conn_set_event_cb(host, ev_cb, &eh);
	TAP_OK(!xs_watch(host, "/w", "T1") && eh.n == 1 &&
	       ev_has(&eh, "/w", "T1"), "first event on registration");
	TAP_OK(xs_watch(host, "/w", "T1") == -EEXIST, "same watch: EEXIST");
	eh.n = 0;
	wr(host, 0, "/w/a/b", "1");
	TAP_OK(eh.n == 1 && ev_has(&eh, "/w/a/b", "T1"),
	       "child change: event with the child's path");
	eh.n = 0;
	wr(host, 0, "/wx", "1");
	wr(host, 0, "/other", "1");
	TAP_OK(eh.n == 0, "no event for /wx or unrelated paths");
	xs_watch(host, "/w/a/b/c", "T2");
	eh.n = 0;
	xs_rm(host, 0, "/w/a");
	TAP_OK(eh.n == 2 && ev_has(&eh, "/w/a", "T1") &&
	       ev_has(&eh, "/w/a/b/c", "T2"),
	       "rm of a parent: watch below gets its own path");
	eh.n = 0;
	TAP_OK(!xs_unwatch(host, "/w", "T1") &&
	       xs_unwatch(host, "/w", "T1") == -ENOENT, "unwatch");
	wr(host, 0, "/w/z", "1");
	TAP_OK(eh.n == 0, "no events after unwatch");
	g5 = guest(5);
	xs_conn_set_event_cb(g5, ev_cb, &eg);
	TAP_OK(!xs_watch(g5, "dev", "R") && ev_has(&eg, "dev", "R"),
	       "relative watch: relative first event");
	eg.n = 0;
	wr(host, 0, "/local/domain/5/dev/x", "1");
	setp(host, "/local/domain/5/dev/x", "r5");
	TAP_OK(eg.n >= 1 && ev_has(&eg, "dev/x", "R"),
	       "relative watch: relative paths");
	xs_watch(g5, "/secret", "S");
	wr(host, 0, "/secret", "s");
	eg.n = 0;
	wr(host, 0, "/secret", "t");
	TAP_OK(eg.n == 0, "no event for a node the watcher cannot read");
	eh.n = 0;
	eg.n = 0;
	xs_watch(host, "@introduceDomain", "I");
	xs_watch(host, "@releaseDomain", "R");
	xs_watch(g5, "@releaseDomain", "GR");
	TAP_OK(eh.n == 2 && eg.n == 1, "special watches fire once when set");
	eh.n = 0;
	eg.n = 0;
	TAP_OK(!xs_domain_introduce(st, 9) && eh.n == 1 &&
	       ev_has(&eh, "@introduceDomain", "I"), "@introduceDomain");
	TAP_OK(!xs_domain_release(st, 9) && eh.n == 2 &&
	       ev_has(&eh, "@releaseDomain", "R") && eg.n == 0,
	       "@releaseDomain, not to a guest without read permission");
	setp(host, "@releaseDomain", "n0 r5");
	xs_domain_introduce(st, 9);
	eg.n = 0;
	xs_domain_release(st, 9);
	TAP_OK(eg.n == 1 && ev_has(&eg, "@releaseDomain", "GR"),
	       "after SET_PERMS r5 on it, the guest sees it");
	TAP_OK(xs_domain_release(st, 9) == -ENOENT,
	       "release of a domain not introduced: ENOENT");
	xs_domain_introduce(st, 9);
	eh.n = 0;
	TAP_OK(!xs_domain_shutdown(st, 9) && eh.n == 1 &&
	       ev_has(&eh, "@releaseDomain", "R") &&
	       !xs_domain_shutdown(st, 9) && eh.n == 1,
	       "shutdown fires @releaseDomain once");
	TAP_OK(!xs_domain_release(st, 9) && eh.n == 2,
	       "and its release fires it again");
	TAP_OK(xs_domain_shutdown(st, 9) == -ENOENT &&
	       xs_domain_shutdown(st, 0) == -EINVAL,
	       "shutdown of a released domain or of dom0: refused");
	TAP_OK(setp(g5, "@releaseDomain", "b5") == -EACCES,
	       "a guest may not change a special node's perms");
	xs_reset_watches(g5);
	eg.n = 0;
	xs_domain_introduce(st, 9);
	xs_domain_release(st, 9);
	wr(host, 0, "/local/domain/5/dev/y", "1");
	TAP_OK(eg.n == 0, "RESET_WATCHES drops them all");
}

static void test_quota(void)
{
	struct xs_conn *g5, *g7;
	char path[64], val[4100];
	struct xs_perm p[6];
	int i, ret = 0;
	u32 t, ts[10];

	reset();
	g5 = guest(5);
	for (i = 1; i < 1000 && !ret; i++) {
		snprintf(path, sizeof(path), "n%d", i);
		ret = xs_mkdir(g5, 0, path);
	}
	TAP_OK(!ret && xs_domain_nodes(st, 5) == 1000,
	       "1000 nodes owned (home included)");
	TAP_OK(xs_mkdir(g5, 0, "one-more") == -EDQUOT &&
	       !strcmp(xs_errname(-EDQUOT), "EQUOTA"), "node 1001: EQUOTA");
	TAP_OK(!xs_rm(g5, 0, "n1") && !xs_mkdir(g5, 0, "again"),
	       "rm frees quota");
	xs_txn_start(g5, &t);
	TAP_OK(xs_mkdir(g5, t, "in-txn") == -EDQUOT,
	       "quota holds inside a transaction");
	xs_txn_end(g5, t, false);
	ret = 0;
	for (i = 0; i < 128 && !ret; i++) {
		snprintf(path, sizeof(path), "/w%d", i);
		ret = xs_watch(g5, path, "t");
	}
	TAP_OK(!ret && xs_watch(g5, "/w128", "t") == -E2BIG,
	       "watch 129: E2BIG");
	ret = 0;
	for (i = 0; i < 10 && !ret; i++)
		ret = xs_txn_start(g5, &ts[i]);
	TAP_OK(!ret && xs_txn_start(g5, &t) == -EDQUOT,
	       "transaction 11: EQUOTA");
	for (i = 0; i < 10; i++)
		xs_txn_end(g5, ts[i], false);
	xs_rm(g5, 0, "/local/domain/5");
	xs_rm(host, 0, "/local/domain/5");
	g5 = guest(5);
	xs_txn_start(g5, &t);
	ret = 0;
	for (i = 0; i < 1023 && !ret; i++) {
		snprintf(path, sizeof(path), "/local/domain/5/r%d", i);
		ret = rd_err(g5, t, path) == -ENOENT ? 0 : -1;
	}
	TAP_OK(!ret && rd_err(g5, t, "/local/domain/5/r1023") == -ENOENT &&
	       rd_err(g5, t, "/local/domain/5/r1024") == -EDQUOT,
	       "transaction touching node 1025: EQUOTA");
	xs_txn_end(g5, t, false);
	memset(val, 'v', sizeof(val));
	TAP_OK(!xs_write(g5, 0, "v", val, 2048) &&
	       xs_write(g5, 0, "v", val, 2049) == -E2BIG,
	       "2048-byte value OK, 2049: E2BIG");
	TAP_OK(!xs_write(host, 0, "/big", val, 4000),
	       "the host is not limited");
	for (i = 0; i < 6; i++) {
		p[i].domid = 5 + i;
		p[i].perm = XS_PERM_READ;
	}
	TAP_OK(!xs_set_perms(g5, 0, "v", p, 5) &&
	       xs_set_perms(g5, 0, "v", p, 6) == -EDQUOT,
	       "5 permissions OK, 6: EQUOTA");
	g7 = guest(7);
	TAP_OK(!xs_quota_set(st, 7, XS_Q_NODES, 3) &&
	       xs_quota_get(st, 7, XS_Q_NODES) == 3 &&
	       xs_quota_get(st, 5, XS_Q_NODES) == 1000, "per-domain quota set");
	TAP_OK(!xs_mkdir(g7, 0, "a") && !xs_mkdir(g7, 0, "b") &&
	       xs_mkdir(g7, 0, "c") == -EDQUOT, "per-domain quota enforced");
	TAP_OK(!xs_quota_set(st, XS_DOMID_DEFAULT, XS_Q_VALUE, 10) &&
	       xs_write(g5, 0, "v", val, 11) == -E2BIG &&
	       xs_quota_set(st, 7, XS_Q_VALUE, 0) == -EINVAL,
	       "default quota changed; 0 refused");
}

static void test_domain_nodes(void)
{
	struct xs_domain_info di = {
		.domid = 3, .name = "guest3", .mem_kb = 262144, .vcpus = 2,
		.uuid = "01234567-89ab-cdef-0123-456789abcdef",
	};
	struct xs_conn *g3;
	struct xs_perm *p;
	u32 n, before;

	reset();
	xs_mkdir(host, 0, "/local/domain");
	xs_mkdir(host, 0, "/vm");
	before = xs_store_nodes(st);
	TAP_OK(!xs_domain_write_nodes(st, &di), "default nodes written");
	g3 = xs_conn_new(st, 3, 0);
	TAP_OK(rd_is(g3, 0, "name", "guest3") && rd_is(g3, 0, "domid", "3") &&
	       rd_is(g3, 0, "vm", "/vm/01234567-89ab-cdef-0123-456789abcdef") &&
	       rd_is(g3, 0, "memory/target", "262144") &&
	       rd_is(g3, 0, "cpu/1/availability", "online") &&
	       rd_is(g3, 0, "control/platform-feature-xs_reset_watches", "1"),
	       "guest reads name, domid, vm, memory, cpus, features");
	TAP_OK(rd_is(g3, 0, "memory/static-max", "262144"),
	       "static-max is the RAM too without a target of its own");
	TAP_OK(rd_is(host, 0, "/vm/01234567-89ab-cdef-0123-456789abcdef/name",
		     "guest3"), "/vm/UUID/name");
	TAP_OK(!xs_get_perms(host, 0, "/local/domain/3/name", &p, &n) &&
	       n == 2 && p[0].domid == 0 && p[1].domid == 3 &&
	       p[1].perm == XS_PERM_READ, "name: n0 r3");
	xs_free(p);
	TAP_OK(wr(g3, 0, "name", "evil") == -EACCES &&
	       !wr(g3, 0, "control/shutdown", "poweroff") &&
	       !wr(g3, 0, "control/feature-poweroff", "1") &&
	       !wr(g3, 0, "device/suspend/event-channel", "5") &&
	       !wr(g3, 0, "data/x", "1"),
	       "guest: name read-only; control/shutdown, feature-*, suspend event channel and data writable");
	TAP_OK(rd_err(g3, 0, "/local/domain/4") == -ENOENT, "isolated");
	TAP_OK(!xs_domain_remove_nodes(st, 3, di.uuid) &&
	       xs_store_nodes(st) == before && xs_domain_nodes(st, 3) == 0,
	       "removed: node count back to %u, none owned by 3", before);
	/* populate-on-demand: RAM of maxmem, target memory (as libxl) */
	di.target_kb = 131072;
	TAP_OK(!xs_domain_write_nodes(st, &di) &&
	       rd_is(g3, 0, "memory/target", "131072") &&
	       rd_is(g3, 0, "memory/static-max", "262144") &&
	       !xs_domain_remove_nodes(st, 3, di.uuid),
	       "a target below the RAM: memory/target it, static-max the RAM");
	TAP_OK(xs_domain_write_nodes(st, &(struct xs_domain_info){
		.domid = 0, .name = "x", .uuid = di.uuid }) == -EINVAL,
	       "dom0 or a bad uuid: EINVAL");
}

int main(void)
{
	test_tree();
	test_perms();
	test_txn();
	test_watch();
	test_quota();
	test_domain_nodes();
	xs_store_free(st);
	return tap_done();
}
