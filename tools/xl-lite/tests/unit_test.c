// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite unit tests: one TAP stream over the parser, config, ELF,
 * layout, ACPI, bzImage and disk specification tests, ending with
 * "N passed, N failed".
 */
#include <stdarg.h>

#include "tap.h"

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

int main(void)
{
	tap_start();
	cfg_tests();
	layout_tests();
	acpi_tests();
	bzimage_tests();
	diskspec_tests();
	return tap_done();
}
