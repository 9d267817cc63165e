/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small subset of the kernel's tools/testing/selftests/kselftest.h
 * (not packaged for userspace builds): TAP 13 output and the kselftest
 * exit codes.
 */
#ifndef KXEN_SELFTEST_KSFT_H
#define KXEN_SELFTEST_KSFT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

static unsigned int ksft_n, ksft_fail, ksft_skip;

static inline void ksft_print_header(void)
{
	printf("TAP version 13\n");
}

static inline void ksft_set_plan(unsigned int plan)
{
	printf("1..%u\n", plan);
}

static inline void ksft_print_msg(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static inline int ksft_test_result(int pass, const char *fmt, ...)
{
	va_list ap;

	ksft_n++;
	if (!pass)
		ksft_fail++;
	printf("%sok %u - ", pass ? "" : "not ", ksft_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return pass;
}

static inline void ksft_test_result_skip(const char *why, const char *fmt,
					 ...)
{
	va_list ap;

	ksft_n++;
	ksft_skip++;
	printf("ok %u - ", ksft_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

/* The whole program is skipped: plan 0 with the reason, exit 4. */
static inline void __attribute__((noreturn)) ksft_exit_skip(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(KSFT_SKIP);
}

static inline int ksft_exit(void)
{
	printf("# Totals: pass:%u fail:%u skip:%u\n",
	       ksft_n - ksft_fail - ksft_skip, ksft_fail, ksft_skip);
	return ksft_fail ? KSFT_FAIL : KSFT_PASS;
}

#endif /* KXEN_SELFTEST_KSFT_H */
