/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for the unit tests: "ok N - desc" lines, then
 * the plan and a final "N passed, N failed" line; exit status 1 on any
 * failure.
 */
#ifndef XL_LITE_TESTS_TAP_H
#define XL_LITE_TESTS_TAP_H

#include <stdio.h>

void tap_start(void);
int tap_ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print the plan and "N passed, N failed"; returns the exit status. */
int tap_done(void);

/* Print a diagnostic line ("# ...") */
#define tap_diag(...) \
	do { printf("# "); printf(__VA_ARGS__); printf("\n"); } while (0)

/* A xenstore node a test expects (xsnode.h). */
struct node_want {
	const char *path, *value, *perms;
};

struct xs_node;
/* @n nodes in @got equal the @nw in @w, in order; "# node ..." if not. */
int nodes_match(const struct xs_node *got, int n, const struct node_want *w,
		int nw);

/* The test groups, one per file. */
void cfg_tests(void);
void layout_tests(void);
void acpi_tests(void);
void bzimage_tests(void);
void diskspec_tests(void);
void nicspec_tests(void);
void domjson_tests(void);
void xlparse_tests(void);
void top_tests(void);
void bootloader_tests(void);
void vnuma_tests(void);
void aml_tests(void);

#endif /* XL_LITE_TESTS_TAP_H */
