// SPDX-License-Identifier: GPL-2.0
/*
 * dbac: #DB and #AC reach the guest as the CPU would deliver them, now
 * that the hypervisor intercepts both (so that a guest whose delivery of
 * one raises it again cannot hang the host CPU: CVE-2015-8104,
 * CVE-2015-5307).
 *
 * - DR6 and DR7 start at their reset values, 0xffff0ff0 and 0x400 (SDM
 *   Vol. 3 Table 10-1), as on Xen, before the guest writes either.
 * - Single-step: TF set by POPF traps after the next instruction; DR6
 *   then has BS (bit 14).
 * - An instruction breakpoint in DR0/DR7 faults before the instruction
 *   at its address; DR6 has B0.  The guest's own DR0 must be the one the
 *   CPU compares with.
 * - ICEBP (INT1, f1) raises #DB as a trap, once, just past itself; in
 *   the shadow of a MOV to SS with TF set (XSA-308's sequence) too.
 *   icebp=0 leaves it out, for QEMU's TCG, which raises #UD for ICEBP
 *   (measured with QEMU 7.2 under kxen; Xen's XTF xsa-308 meets the
 *   same there).
 * - Alignment check: with CR0.AM, at CPL 3 with EFLAGS.AC, a misaligned
 *   4-byte load raises #AC with error code 0.  ac=0 on the command line
 *   leaves it out, for a CPU that never raises #AC (QEMU's TCG does not
 *   emulate alignment checking); the guest says so.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/traps.h>

KG_TEST_TITLE("dbac");

#define DR6_CLEAR	0xffff0ff0UL
#define DR6_B0		0x1UL
#define DR6_BS		0x4000UL
#define CR0_AM		0x40000UL

static u8 user_stack[8192] __aligned(16);
static u8 buf[16] __aligned(16);

static unsigned long read_dr6(void)
{
	unsigned long v;

	asm volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

static void write_dr(int n, unsigned long v)
{
	switch (n) {
	case 0:
		asm volatile("mov %0, %%dr0" : : "r"(v));
		break;
	case 6:
		asm volatile("mov %0, %%dr6" : : "r"(v));
		break;
	case 7:
		asm volatile("mov %0, %%dr7" : : "r"(v));
		break;
	}
}

static void single_step(void)
{
	struct kg_exception e;

	write_dr(6, DR6_CLEAR);
	kg_expect_exception(1, 0);
	asm volatile("pushfq; orq $0x100, (%%rsp); popfq; nop" : : : "memory");
	e = kg_expected_taken();
	kg_check(e.count == 1, "single-step: %u #DB (want 1)", e.count);
	kg_check(read_dr6() & DR6_BS, "and DR6 %#lx has BS", read_dr6());
}

/* The address of the instruction at label 1 in it, for DR0. */
static void insn_breakpoint(void)
{
	struct kg_exception e;
	unsigned long at;

	asm volatile("lea 1f(%%rip), %0; jmp 2f; 1: nop; ret; 2:" : "=r"(at));
	write_dr(6, DR6_CLEAR);
	write_dr(0, at);
	write_dr(7, 0x401);	/* L0, execute, 1 byte */
	kg_expect_exception(1, 0);
	((void (*)(void))at)();
	e = kg_expected_taken();
	write_dr(7, 0x400);
	kg_check(e.count == 1 && e.rip == at,
		 "instruction breakpoint: %u #DB at %#lx (want 1 at %#lx)",
		 e.count, (unsigned long)e.rip, at);
	kg_check(read_dr6() & DR6_B0, "and DR6 %#lx has B0", read_dr6());
}

/* The address after the f1 byte, where its #DB trap must point. */
static void icebp(void)
{
	struct kg_exception e;
	unsigned long after, ss;

	asm volatile("lea 1f(%%rip), %0" : "=r"(after));
	kg_expect_exception(1, 0);
	asm volatile(".byte 0xf1; 1:");
	e = kg_expected_taken();
	kg_check(e.count == 1 && e.rip == after,
		 "ICEBP: %u #DB at %#lx (want 1 at %#lx)", e.count,
		 (unsigned long)e.rip, after);
	asm volatile("lea 1f(%%rip), %0; mov %%ss, %1" : "=r"(after),
		     "=r"(ss));
	kg_expect_exception(1, 0);
	asm volatile("pushfq; orq $0x100, (%%rsp); popfq\n\t"
		     "mov %0, %%ss; .byte 0xf1; 1: pushfq\n\t"
		     "andq $~0x100, (%%rsp); popfq" : : "r"(ss) : "memory");
	e = kg_expected_taken();
	kg_check(e.count >= 1,
		 "ICEBP in a MOV SS shadow with TF: %u #DB, guest alive",
		 e.count);
}

/* CPL 3: AC on, a misaligned load (8b 07: 2 bytes), AC off. */
static long user_misaligned(void)
{
	u32 val;

	asm volatile("pushfq; orq $0x40000, (%%rsp); popfq\n\t"
		     "mov (%%rdi), %%eax\n\t"
		     "pushfq; andq $~0x40000, (%%rsp); popfq"
		     : "=a"(val) : "D"(buf + 1) : "memory", "cc");
	return 0;
}

static void alignment_check(void)
{
	unsigned long cr0;
	struct kg_exception e;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	asm volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_AM));
	kg_expect_exception(17, 2);
	kg_usermode_call(user_misaligned, user_stack + sizeof(user_stack));
	e = kg_expected_taken();
	asm volatile("mov %0, %%cr0" : : "r"(cr0));
	kg_check(e.count == 1 && e.error_code == 0 && (e.cs & 3) == 3,
		 "#AC at CPL 3: %u taken, error code %lu, cs %#lx",
		 e.count, (unsigned long)e.error_code, (unsigned long)e.cs);
}

static void reset_values(void)
{
	unsigned long dr6 = read_dr6(), dr7;

	asm volatile("mov %%dr7, %0" : "=r"(dr7));
	kg_check(dr6 == DR6_CLEAR && dr7 == 0x400,
		 "DR6 %#lx and DR7 %#lx start at their reset values", dr6, dr7);
}

void test_main(void)
{
	kg_require_xen();
	reset_values();
	single_step();
	insn_breakpoint();
	if (kg_cmdline_ulong("icebp", 1))
		icebp();
	else
		kg_printf("ICEBP not checked (icebp=0): this CPU raises #UD\n");
	if (kg_cmdline_ulong("ac", 1))
		alignment_check();
	else
		kg_printf("#AC not checked (ac=0): this CPU does not raise it\n");
	kg_success(NULL);
	kg_exit();
}
