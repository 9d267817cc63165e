// SPDX-License-Identifier: GPL-2.0
/*
 * hello: the smallest useful guest.  Prints a greeting and the PVH
 * start_info it was given, then reports SUCCESS under Xen (SKIP without).
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/hypercall.h>
#include <kg/report.h>

KG_TEST_TITLE("hello");

void test_main(void)
{
	kg_printf("Hello from kxen guest\n");
	kg_dump_start_info();
	kg_require_xen();
	kg_success(NULL);
}
