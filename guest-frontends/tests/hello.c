// SPDX-License-Identifier: GPL-2.0
/*
 * hello: the smallest useful guest.  Prints a greeting, the mode the CPU
 * runs it in (the 64-bit and the 32-bit builds differ) and the PVH
 * start_info it was given, then reports SUCCESS under Xen (SKIP without).
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>

KG_TEST_TITLE("hello");

/* From CR0.PG, CR4.PAE and the code size (SDM Vol. 3A 4.1.1, table 4-1). */
#ifdef __x86_64__
static const char *cpu_mode(void)
{
	return "64-bit long mode, 4-level paging";
}
#else
static const char *cpu_mode(void)
{
	unsigned long cr0, cr4;

	asm volatile("mov %%cr0, %0\n\tmov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	if (!(cr0 & X86_CR0_PG))
		return "32-bit protected mode, paging off";
	return cr4 & X86_CR4_PAE ? "32-bit protected mode, PAE paging" :
				   "32-bit protected mode, 32-bit paging";
}
#endif

void test_main(void)
{
	kg_printf("Hello from kxen guest\n");
	kg_printf("CPU mode: %s\n", cpu_mode());
	kg_dump_start_info();
	kg_require_xen();
	kg_success(NULL);
}
