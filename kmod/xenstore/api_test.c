// SPDX-License-Identifier: GPL-2.0
/*
 * A self-test of the in-kernel xenstore API (xenstore.h), for the lab:
 * reading debugfs kxen/xenstore_api_test runs it against the live store
 * under /kxen-api-test and returns TAP.  It exercises what backends rely
 * on: values, directories, removal, a watch whose callback runs from the
 * workqueue (first event, then a change below it), a transaction that
 * commits and one that conflicts (-EAGAIN) with a write made outside it.
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "xenstore.h"

#define T_ROOT		"/kxen-api-test"
#define T_WAIT		(5 * HZ)

struct kxen_xs_test {
	struct seq_file *m;
	int n, failed;
};

struct kxen_xs_test_watch {
	struct completion fired;
	char path[64];
	char token[16];
};

static void kxen_xs_check(struct kxen_xs_test *t, bool ok, const char *what)
{
	t->n++;
	if (!ok)
		t->failed++;
	seq_printf(t->m, "%s %d - %s\n", ok ? "ok" : "not ok", t->n, what);
}

/* The value at @path is @want (and the read itself worked). */
static bool kxen_xs_is(const char *path, const char *want)
{
	char *val = NULL;
	u32 len = 0;
	bool ok;

	if (kxen_xs_read(0, path, &val, &len))
		return false;
	ok = len == strlen(want) && !memcmp(val, want, len);
	kfree(val);
	return ok;
}

static void kxen_xs_test_fired(struct kxen_xs_watch *w, const char *path,
			       const char *token, void *arg)
{
	struct kxen_xs_test_watch *tw = arg;

	strscpy(tw->path, path, sizeof(tw->path));
	strscpy(tw->token, token, sizeof(tw->token));
	complete(&tw->fired);
}

static void kxen_xs_test_basic(struct kxen_xs_test *t)
{
	char *names = NULL;
	u32 len = 0;

	kxen_xs_check(t, !kxen_xs_write(0, T_ROOT "/a", "1") &&
		      kxen_xs_is(T_ROOT "/a", "1"), "write, then read it back");
	kxen_xs_check(t, !kxen_xs_mkdir(0, T_ROOT "/d") &&
		      !kxen_xs_directory(0, T_ROOT, &names, &len) &&
		      len == 4 && !memcmp(names, "a\0d\0", 4),
		      "mkdir; the directory lists a and d");
	kfree(names);
	kxen_xs_check(t, !kxen_xs_rm(0, T_ROOT "/d") &&
		      kxen_xs_read(0, T_ROOT "/d", &names, &len) == -ENOENT,
		      "rm; reading it gives -ENOENT");
}

static void kxen_xs_test_watch(struct kxen_xs_test *t)
{
	struct kxen_xs_test_watch tw = { };
	struct kxen_xs_watch *w;
	bool ok;

	init_completion(&tw.fired);
	w = kxen_xs_watch(T_ROOT "/w", "tok", kxen_xs_test_fired, &tw);
	kxen_xs_check(t, !IS_ERR(w), "watch set");
	if (IS_ERR(w))
		return;
	ok = wait_for_completion_timeout(&tw.fired, T_WAIT) &&
	     !strcmp(tw.path, T_ROOT "/w") && !strcmp(tw.token, "tok");
	kxen_xs_check(t, ok, "its callback runs at once, with path and token");
	reinit_completion(&tw.fired);
	kxen_xs_write(0, T_ROOT "/w/x", "2");
	ok = wait_for_completion_timeout(&tw.fired, T_WAIT) &&
	     !strcmp(tw.path, T_ROOT "/w/x");
	kxen_xs_check(t, ok, "and again for a change below the watched node");
	kxen_xs_unwatch(w);
}

static void kxen_xs_test_txn(struct kxen_xs_test *t)
{
	char *val = NULL;
	u32 tx, len;

	kxen_xs_check(t, !kxen_xs_txn_start(&tx) &&
		      !kxen_xs_write(tx, T_ROOT "/b", "3") &&
		      !kxen_xs_txn_end(tx, true) && kxen_xs_is(T_ROOT "/b", "3"),
		      "a transaction commits");
	if (kxen_xs_txn_start(&tx)) {
		kxen_xs_check(t, false, "a second transaction starts");
		return;
	}
	/* Read inside: the transaction now depends on it. */
	if (!kxen_xs_read(tx, T_ROOT "/a", &val, &len))
		kfree(val);
	kxen_xs_write(0, T_ROOT "/a", "outside");
	kxen_xs_write(tx, T_ROOT "/a", "inside");
	kxen_xs_check(t, kxen_xs_txn_end(tx, true) == -EAGAIN &&
		      kxen_xs_is(T_ROOT "/a", "outside"),
		      "a conflicting commit gets -EAGAIN and changes nothing");
}

static int kxen_xs_test_show(struct seq_file *m, void *unused)
{
	struct kxen_xs_test t = { .m = m };

	kxen_xs_rm(0, T_ROOT);
	kxen_xs_test_basic(&t);
	kxen_xs_test_watch(&t);
	kxen_xs_test_txn(&t);
	kxen_xs_check(&t, !kxen_xs_rm(0, T_ROOT) &&
		      !kxen_xs_is(T_ROOT "/a", "outside"), "cleanup");
	seq_printf(m, "1..%d\n", t.n);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kxen_xs_test);

static struct dentry *kxen_xs_test_dir;

void kxen_xs_api_test_init(void)
{
	kxen_xs_test_dir = debugfs_create_dir("kxen", NULL);
	debugfs_create_file("xenstore_api_test", 0400, kxen_xs_test_dir,
			    NULL, &kxen_xs_test_fops);
}

void kxen_xs_api_test_exit(void)
{
	debugfs_remove_recursive(kxen_xs_test_dir);
}
