// SPDX-License-Identifier: GPL-2.0
/*
 * Parser benchmark (not a test: it asserts nothing about time).  Each
 * case generates a config in memory, parses it in a child process and
 * prints the parse time and the child's peak RSS above what it had
 * before parsing, so a case's memory is its own:
 *   make -C tools/xl-lite bench
 * Every config is parsed twice: as xl-lite reads it (the 10 MB and
 * 10^6-key ones are over CFG_MAX_SIZE, so refused) and with the cap
 * lifted, which shows the parser itself is linear.  The 1MiB cases are
 * the most that a config xl-lite accepts can cost.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "cfg.h"

#define MB	(1000 * 1000)

struct text {
	char *buf;
	size_t len, cap;
	size_t keys;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->len + n > t->cap) {
		t->cap = (t->len + n) * 2;
		t->buf = realloc(t->buf, t->cap);
		if (!t->buf) {
			perror("realloc");
			exit(2);
		}
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

static void puts_(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

/* 10 MB of distinct keys, strings, lists and comments, as configs mix. */
static void gen_mixed(struct text *t)
{
	char line[256];
	size_t i;

	for (i = 0; t->len < 10 * MB; i++) {
		snprintf(line, sizeof(line),
			 "# setting %zu\nname_%zu = \"vm-%zu\"\nmem_%zu = %zu\n",
			 i, i, i, i, i);
		puts_(t, line);
		snprintf(line, sizeof(line),
			 "disk_%zu = [ '/dev/vg/d%zu,raw,xvda,rw', 'x' ]\n",
			 i, i);
		puts_(t, line);
		t->keys += 3;
	}
}

/* 10 MB of "extra += ..." onto one key. */
static void gen_append_string(struct text *t)
{
	while (t->len < 10 * MB)
		puts_(t, "extra += \" console=hvc0 root=/dev/xvda1 ro quiet\"\n");
	t->keys = 1;
}

/* 10 MB of "disk += [...]" onto one key. */
static void gen_append_list(struct text *t)
{
	while (t->len < 10 * MB)
		puts_(t, "disk += [ 'a', 'bb', 3 ]\n");
	t->keys = 1;
}

/* One 10 MB string token. */
static void gen_one_string(struct text *t)
{
	puts_(t, "extra = \"");
	while (t->len < 10 * MB)
		puts_(t, "0123456789abcdef\\t");
	puts_(t, "\"\n");
	t->keys = 1;
}

static void gen_keys(struct text *t)
{
	char line[64];
	size_t i;

	for (i = 0; i < 1000 * 1000; i++) {
		snprintf(line, sizeof(line), "k%zu = %zu\n", i, i);
		puts_(t, line);
	}
	t->keys = i;
}

/* Distinct keys up to just under the cap: the most a real parse meets. */
static void gen_cap_keys(struct text *t)
{
	char line[64];
	int n;

	while (t->len + 64 < CFG_MAX_SIZE) {
		n = snprintf(line, sizeof(line), "k%zu = %zu\n", t->keys,
			     t->keys);
		put(t, line, n);
		t->keys++;
	}
}

/* One list of one-byte atoms up to just under the cap. */
static void gen_cap_list(struct text *t)
{
	puts_(t, "l = [");
	while (t->len + 64 < CFG_MAX_SIZE)
		puts_(t, "1,");
	puts_(t, "]\n");
	t->keys = 1;
}

/* 10^6 settings of one key: each replaces the last. */
static void gen_same_key(struct text *t)
{
	size_t i;

	for (i = 0; i < 1000 * 1000; i++)
		puts_(t, "memory = 512\n");
	t->keys = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long maxrss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/*
 * In a child that has done nothing else: generate, parse, print one
 * line, exit 0 (even when refused).  The peak before parsing is the
 * input's, so the difference is the parse's own.
 */
static void run_child(const char *name, void (*gen)(struct text *t),
		      bool capped)
{
	struct text text = { 0 }, *t = &text;
	struct cfg cfg;
	long before;
	double t0, dt;
	int r;

	gen(t);
	before = maxrss_kib();
	cfg_init(&cfg);
	if (!capped)
		cfg.max_size = SIZE_MAX;
	t0 = now();
	r = cfg_parse(&cfg, name, t->buf, t->len);
	dt = now() - t0;
	printf("%-22s %-7s %6.1f MB %8zu keys  %8.1f ms  peak +%7.1f MiB  %s\n",
	       name, capped ? "capped" : "uncap", t->len / 1e6,
	       r ? 0 : cfg.nset, dt * 1e3, (maxrss_kib() - before) / 1024.0,
	       r ? cfg.err : "parsed");
	fflush(stdout);
	cfg_free(&cfg);
	free(text.buf);
	exit(0);
}

static void run(const char *name, void (*gen)(struct text *t), bool capped)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		run_child(name, gen, capped);
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("%s: child failed (status 0x%x)\n", name, st);
}

int main(void)
{
	static const struct {
		const char *name;
		void (*gen)(struct text *t);
	} cases[] = {
		{ "10MB-mixed", gen_mixed },
		{ "10MB-append-string", gen_append_string },
		{ "10MB-append-list", gen_append_list },
		{ "10MB-one-string", gen_one_string },
		{ "1e6-keys", gen_keys },
		{ "1e6-same-key", gen_same_key },
		{ "1MiB-keys", gen_cap_keys },
		{ "1MiB-list", gen_cap_list },
	};
	unsigned int i;

	printf("%-22s %-7s %9s %13s %11s  %s\n", "case", "cap", "size", "keys",
	       "time", "peak RSS above the input's");
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		run(cases[i].name, cases[i].gen, true);
		run(cases[i].name, cases[i].gen, false);
	}
	return 0;
}
