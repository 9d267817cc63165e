// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite unit tests: one TAP stream over the parser, config, ELF,
 * layout, ACPI, bzImage, disk and vif specification tests, ending with
 * "N passed, N failed".
 */
#include <stdarg.h>
#include <string.h>

#include "tap.h"
#include "xsnode.h"

static int tap_n, tap_failed;

void tap_start(void)
{
	printf("TAP version 13\n");
}

int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return cond;
}

int tap_done(void)
{
	printf("1..%d\n", tap_n);
	printf("%d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}

int nodes_match(const struct xs_node *got, int n, const struct node_want *w,
		int nw)
{
	int i;

	if (n != nw) {
		tap_diag("got %d nodes, want %d", n, nw);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(got[i].path, w[i].path) &&
		    !strcmp(got[i].value, w[i].value) &&
		    !strcmp(got[i].perms, w[i].perms))
			continue;
		tap_diag("node %d: got %s = \"%s\" (%s), want %s = \"%s\" (%s)",
			 i, got[i].path, got[i].value, got[i].perms, w[i].path,
			 w[i].value, w[i].perms);
		return 0;
	}
	return 1;
}

int main(void)
{
	tap_start();
	cfg_tests();
	layout_tests();
	aml_tests();
	acpi_tests();
	bzimage_tests();
	diskspec_tests();
	nicspec_tests();
	domjson_tests();
	xlparse_tests();
	top_tests();
	bootloader_tests();
	vnuma_tests();
	return tap_done();
}
