// SPDX-License-Identifier: GPL-2.0
/*
 * crbits: CR4 and the VT-x instructions as a guest without VMX sees
 * them, whichever CPU the hypervisor runs on (Xen's XSA-278 test in XTF
 * checks the same from the guest's side).
 *
 * - CPUID leaf 1 offers no VMX (ECX bit 5) and no SMX (bit 6).
 * - MOV to CR4 with VMXE, SMXE or a reserved bit (bit 31) raises #GP and
 *   leaves CR4 as it was; so does clearing PAE in long mode (SDM Vol. 3
 *   2.5, 4.1.3).  On AMD-V the CPU would let the first two through (an
 *   emulated CPU may have VMX), and the next VMRUN would refuse the
 *   state: the hypervisor must check CR4 itself.
 * - Allowed changes take effect: PGE off and on again, read back.
 * - VMXOFF, VMREAD and VMCLEAR raise #UD (CR4.VMXE is clear).
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/traps.h>

KG_TEST_TITLE("crbits");

#define CR4_PAE		0x20UL
#define CR4_PGE		0x80UL
#define CR4_VMXE	0x2000UL
#define CR4_SMXE	0x4000UL
#define CR4_RSVD31	0x80000000UL

static void cr4_refused(const char *what, unsigned long val)
{
	unsigned long before = kg_read_cr4();
	struct kg_exception e;

	kg_expect_exception(13, 3);
	kg_write_cr4(val);
	e = kg_expected_taken();
	kg_check(e.count == 1 && e.error_code == 0 && kg_read_cr4() == before,
		 "CR4 %s (%#lx): %u #GP, error code %lu, CR4 stays %#lx",
		 what, val, e.count, (unsigned long)e.error_code, before);
}

static void cr4_checks(void)
{
	unsigned long cr4 = kg_read_cr4();
	u32 ecx = kg_cpuid(1, 0).ecx;

	kg_check(!(ecx & 0x60), "CPUID.1:ECX %#x offers no VMX or SMX",
		 ecx);
	cr4_refused("+VMXE", cr4 | CR4_VMXE);
	cr4_refused("+SMXE", cr4 | CR4_SMXE);
	cr4_refused("+reserved bit 31", cr4 | CR4_RSVD31);
	cr4_refused("-PAE in long mode", cr4 & ~CR4_PAE);
	kg_write_cr4(cr4 ^ CR4_PGE);
	kg_check(kg_read_cr4() == (cr4 ^ CR4_PGE), "CR4.PGE toggles to %#lx",
		 kg_read_cr4());
	kg_write_cr4(cr4);
	kg_check(kg_read_cr4() == cr4, "and back to %#lx", kg_read_cr4());
}

static void vmx_insn_ud(void)
{
	u64 ptr = 0, field = 0, val;
	struct kg_exception e;
	unsigned int n;

	kg_expect_exception(6, 3);
	asm volatile("vmxoff" : : : "cc", "memory");		/* 0f 01 c4 */
	asm volatile("vmread %1, %0"				/* 0f 78 c1 */
		     : "=c"(val) : "a"(field) : "cc");
	n = kg_expected_taken().count;
	kg_expect_exception(6, 4);
	asm volatile("vmclear (%0)"				/* 66 0f c7 30 */
		     : : "a"(&ptr) : "cc", "memory");
	e = kg_expected_taken();
	kg_check(n == 2 && e.count == 1,
		 "VMXOFF, VMREAD: %u #UD (want 2); VMCLEAR: %u (want 1)", n,
		 e.count);
}

void test_main(void)
{
	kg_require_xen();
	cr4_checks();
	vmx_insn_ud();
	kg_success(NULL);
	kg_exit();
}
