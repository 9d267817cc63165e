// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of xl's command-line values: mem-set/mem-max sizes, and
 * vcpu-pin's CPU lists turned into kxen's words and printed back as
 * vcpu-list prints them.
 */
#include <string.h>
#include <time.h>

#include "tap.h"
#include "domcfg.h"
#include "xlparse.h"

static void size_is(const char *s, int64_t want)
{
	int64_t got = xl_mem_size_kb(s);

	if (!tap_ok(got == want, "size \"%s\" is %lld KiB", s, (long long)want))
		tap_diag("got %lld", (long long)got);
}

static void test_sizes(void)
{
	size_is("256", 256 << 10);
	size_is("256m", 256 << 10);
	size_is("256M", 256 << 10);
	size_is("1g", 1 << 20);
	size_is("2G", 2 << 20);
	size_is("1t", 1LL << 30);
	size_is("65536k", 65536);
	size_is("4096b", 4);
	size_is("1000b", 0);
	size_is("0", 0);
	size_is("", -1);
	size_is("m", -1);
	size_is("-5", -1);
	size_is("+5", -1);
	size_is("12x", -1);
	size_is("12mb", -1);
	size_is("99999999999999999999", -1);
	size_is("9007199254740992t", -1);	/* 2^53 TiB: past int64_t KiB */
}

/* Parse @spec as vcpu-pin does, for @nr host CPUs, and print it back. */
static void pin_is(const char *spec, unsigned int nr, const char *want,
		   unsigned int want_n)
{
	static struct dom_cpumask m;
	uint32_t w[4];
	char err[256], got[128] = "?";
	unsigned int n = 0;

	if (!dom_cpumask_parse(spec, &m, err, sizeof(err))) {
		n = xl_cpumask_to_words(&m, nr, w, 4);
		xl_cpumap_format(w, 4, nr, got, sizeof(got));
	}
	if (!tap_ok(n == want_n && !strcmp(got, want),
		    "vcpu-pin \"%s\" on %u CPUs: %s", spec, nr, want))
		tap_diag("got %s (%u CPUs)", got, n);
}

static void fmt_is(const uint32_t *w, unsigned int nw, unsigned int nr,
		   const char *want)
{
	char got[64];

	xl_cpumap_format(w, nw, nr, got, sizeof(got));
	if (!tap_ok(!strcmp(got, want), "print_bitmap of %u CPUs: %s", nr,
		    want))
		tap_diag("got %s", got);
}

static void test_cpumaps(void)
{
	const uint32_t none[2] = { 0, 0 }, lo[2] = { 0x0b, 0 };
	const uint32_t edge[2] = { 0x80000001, 0x1 };
	const uint32_t full[2] = { 0xffffffff, 0xffffffff };

	pin_is("all", 4, "all", 4);
	pin_is("0-3,^2", 4, "0-1,3", 3);
	pin_is("0-3,^2", 8, "0-1,3", 3);
	pin_is("1", 2, "1", 1);
	pin_is("0-99", 2, "all", 2);
	pin_is("5", 2, "none", 0);	/* dropped: the host has no CPU 5 */
	pin_is("^0,all", 70, "all", 70);
	pin_is("all,^0", 70, "1-69", 69);
	fmt_is(none, 2, 64, "none");
	fmt_is(lo, 2, 8, "0-1,3");
	fmt_is(edge, 2, 64, "0,31-32");
	fmt_is(full, 2, 64, "all");
	fmt_is(full, 2, 0, "none");
	fmt_is(full, 1, 40, "0-31");
}

static void preserve_is(const char *name, unsigned int n, size_t len,
			const char *want)
{
	/* 2026-03-07 04:05:59 UTC */
	struct tm tm = { .tm_year = 126, .tm_mon = 2, .tm_mday = 7,
			 .tm_hour = 4, .tm_min = 5, .tm_sec = 59 };
	char got[80];

	memset(got, 'x', sizeof(got));
	xl_preserve_name(got, len, name, &tm, n);
	if (!tap_ok(!strcmp(got, want), "rename-restart: \"%s\" #%u in %zu: %s",
		    name, n, len, want))
		tap_diag("got %s", got);
}

static void test_preserve_names(void)
{
	static const char long63[] =
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789a";

	preserve_is("web", 1, 64, "web-20260307T0405Z");
	preserve_is("web", 2, 64, "web-20260307T0405Z-2");
	preserve_is("web", 17, 64, "web-20260307T0405Z-17");
	/* kxen's 63 characters: the name gives way, the suffix stays */
	preserve_is(long63, 1, 64,
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv-20260307T0405Z");
	preserve_is(long63, 3, 64,
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst-20260307T0405Z-3");
	preserve_is("web", 1, 10, "-20260307");
}

static void sched_value_is(const char *s, long min, long max, int want_ret,
			   uint32_t want)
{
	uint32_t got = 12345;
	int ret = xl_sched_value(s, min, max, &got);

	if (!tap_ok(ret == want_ret && (ret || got == want),
		    "sched value \"%s\" in %ld..%ld: %s %u", s, min, max,
		    want_ret ? "refused" : "is", want))
		tap_diag("got %d, %u", ret, got);
}

static void test_sched(void)
{
	char row[128];

	sched_value_is("256", 1, 65535, 0, 256);
	sched_value_is("1", 1, 65535, 0, 1);
	sched_value_is("65535", 1, 65535, 0, 65535);
	sched_value_is("0", 0, 65535, 0, 0);
	sched_value_is("0", 1, 65535, -1, 0);
	sched_value_is("65536", 1, 65535, -1, 0);
	sched_value_is("-5", 0, 65535, -1, 0);
	sched_value_is("+5", 0, 65535, -1, 0);
	sched_value_is(" 5", 0, 65535, -1, 0);
	sched_value_is("5x", 0, 65535, -1, 0);
	sched_value_is("", 0, 65535, -1, 0);
	sched_value_is("99999999999999999999", 0, 65535, -1, 0);
	xl_sched_row(row, sizeof(row), NULL, 0, 0, 0);
	tap_ok(!strcmp(row, "Name                                ID Weight  Cap"),
	       "sched-credit2 header as xl's: \"%s\"", row);
	xl_sched_row(row, sizeof(row), "Domain-0", 0, 256, 0);
	tap_ok(!strcmp(row, "Domain-0                             0    256    0"),
	       "sched-credit2 row as xl's: \"%s\"", row);
	xl_sched_row(row, sizeof(row), "spin", 12, 65535, 400);
	tap_ok(!strcmp(row, "spin                                12  65535  400"),
	       "sched-credit2 row, wide values: \"%s\"", row);
}

void xlparse_tests(void)
{
	test_sizes();
	test_cpumaps();
	test_preserve_names();
	test_sched();
}
