// SPDX-License-Identifier: GPL-2.0
/*
 * triplefault: loads an IDT with limit 0 and executes int3.  The vector
 * lies outside the IDT limit, so delivery raises #GP, whose delivery
 * fails the same way and raises #DF, whose delivery fails again: a triple
 * fault, i.e. a shutdown (Intel SDM Vol. 3A 6.15, "Interrupt 8 - Double
 * Fault Exception").  The hypervisor must treat it as the domain crashing.
 *
 * Works with or without Xen (it needs none): under QEMU with -no-reboot
 * the emulator simply exits.  No result line is printed unless the CPU
 * somehow survives, which is a FAILURE.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/report.h>

KG_TEST_TITLE("triplefault");

void test_main(void)
{
	static const struct kg_desc_ptr empty_idt = { .limit = 0, .base = 0 };

	kg_printf("triplefault: zero-limit IDT, then int3: this vCPU must triple-fault now\n");
	kg_lidt(&empty_idt);
	asm volatile("int3; ud2" ::: "memory");
	kg_failure("still running after int3/ud2 with an empty IDT\n");
}
