// SPDX-License-Identifier: GPL-2.0
/*
 * xs_bench: xenstore operations per second through Debian's libxenstore,
 * against whichever store it reaches: XENSTORED_PATH (a Unix socket:
 * xsd-user, or Debian's xenstored) or /dev/xen/xenbus (kxen.ko).  The
 * same client code for every store, so the numbers compare stores.
 *
 *   xs_bench [-n OPS] [-p PREFIX]
 *
 * One line per operation: "xs_bench: OP N ops in S s: R ops/s".  Every
 * reply is checked (a read returns what was written, a directory lists
 * every child, a commit succeeds or reports EAGAIN and is retried), so a
 * store that answers wrongly fails the run instead of looking fast.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#define NR_CHILDREN 16

static struct xs_handle *xsh;
static const char *prefix = "/kxen-bench";
static unsigned long nr_ops = 20000;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "xs_bench: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void put(const char *path, const char *val)
{
	if (!xs_write(xsh, XBT_NULL, path, val, strlen(val)))
		die("write", path);
}

static void check_read(xs_transaction_t t, const char *path,
		       const char *want)
{
	unsigned int len;
	char *v = xs_read(xsh, t, path, &len);

	if (!v)
		die("read", path);
	if (len != strlen(want) || memcmp(v, want, len)) {
		fprintf(stderr, "xs_bench: read %s: got '%.*s', want '%s'\n",
			path, (int)len, v, want);
		exit(1);
	}
	free(v);
}

static void bench_read(const char *node)
{
	for (unsigned long i = 0; i < nr_ops; i++)
		check_read(XBT_NULL, node, "value");
}

static void bench_write(const char *node)
{
	char val[32] = "";

	for (unsigned long i = 0; i < nr_ops; i++) {
		snprintf(val, sizeof(val), "%lu", i);
		put(node, val);
	}
	check_read(XBT_NULL, node, val);
}

static void bench_directory(const char *dir)
{
	for (unsigned long i = 0; i < nr_ops; i++) {
		unsigned int n;
		char **ents = xs_directory(xsh, XBT_NULL, dir, &n);

		if (!ents)
			die("directory", dir);
		if (n != NR_CHILDREN) {
			fprintf(stderr, "xs_bench: directory %s: %u entries, want %d\n",
				dir, n, NR_CHILDREN);
			exit(1);
		}
		free(ents);
	}
}

/* start, read, write, commit: the shape of a backend's state change. */
static void bench_transaction(const char *node)
{
	unsigned long retries = 0;
	char val[32] = "";

	for (unsigned long i = 0; i < nr_ops; i++) {
		xs_transaction_t t = xs_transaction_start(xsh);

		if (t == XBT_NULL)
			die("transaction_start", node);
		snprintf(val, sizeof(val), "t%lu", i);
		free(xs_read(xsh, t, node, NULL));
		if (!xs_write(xsh, t, node, val, strlen(val)))
			die("write in transaction", node);
		if (!xs_transaction_end(xsh, t, false)) {
			if (errno != EAGAIN)
				die("transaction_end", node);
			retries++;
			i--;
		}
	}
	check_read(XBT_NULL, node, val);
	if (retries)
		printf("xs_bench: transaction: %lu EAGAIN retries\n", retries);
}

static void run(const char *name, void (*fn)(const char *), const char *arg)
{
	double t0 = now(), dt;

	fn(arg);
	dt = now() - t0;
	printf("xs_bench: %-11s %lu ops in %.3f s: %.0f ops/s\n", name,
	       nr_ops, dt, dt > 0 ? nr_ops / dt : 0.0);
}

static void setup(char *node, char *dir, size_t sz)
{
	char path[256];

	snprintf(node, sz, "%s/node", prefix);
	snprintf(dir, sz, "%s/dir", prefix);
	put(node, "value");
	for (int i = 0; i < NR_CHILDREN; i++) {
		snprintf(path, sizeof(path), "%s/child%d", dir, i);
		put(path, "x");
	}
}

int main(int argc, char **argv)
{
	char node[200], dir[200];
	int opt;

	while ((opt = getopt(argc, argv, "n:p:")) != -1) {
		switch (opt) {
		case 'n':
			nr_ops = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			prefix = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-n OPS] [-p PREFIX]\n",
				argv[0]);
			return 2;
		}
	}
	if (!nr_ops || strlen(prefix) > 100 || prefix[0] != '/') {
		fprintf(stderr,
			"xs_bench: -n must be > 0, -p an absolute path under %d characters\n",
			100);
		return 2;
	}
	xsh = xs_open(0);
	if (!xsh)
		die("xs_open", getenv("XENSTORED_PATH") ?: "(default)");
	setup(node, dir, sizeof(node));
	run("read", bench_read, node);
	run("write", bench_write, node);
	run("directory", bench_directory, dir);
	run("transaction", bench_transaction, node);
	if (!xs_rm(xsh, XBT_NULL, prefix))
		die("rm", prefix);
	xs_close(xsh);
	return 0;
}
