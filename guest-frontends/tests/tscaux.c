// SPDX-License-Identifier: GPL-2.0
/*
 * tscaux: the guest's TSC_AUX is the guest's own.  RDTSCP (ECX) and RDPID
 * read the MSR without an exit (SDM Vol. 2 RDTSCP, RDPID; AMD APM Vol. 2
 * 15.9 intercepts RDTSCP only on request and RDPID never), so the
 * hypervisor has to load the value the guest wrote into the CPU before
 * it runs the guest.  A hypervisor that does not lets the guest read
 * whatever its host left there: under Linux the number of the host CPU
 * its vCPU thread is on, which a guest's vDSO getcpu() then returns.
 *
 * Each round writes a new value, yields (the vCPU thread may move to
 * another host CPU meanwhile) and reads it back through RDMSR, RDTSCP
 * and RDPID, where CPUID offers them.  A write with bits 63:32 set
 * raises #GP and changes nothing (the MSR is 32 bits wide; Xen's
 * hvm_msr_write_intercept refuses it the same way).
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/traps.h>
#include <xen/sched.h>

KG_TEST_TITLE("tscaux");

#define MSR_TSC_AUX	0xc0000103
#define ROUNDS		200

static u32 rdtscp_aux(void)
{
	u32 lo, hi, aux;

	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	return aux;
}

static u32 rdpid(void)
{
	unsigned long v;

	/* rdpid %rax: f3 0f c7 f8 (binutils may not know the mnemonic). */
	asm volatile(".byte 0xf3, 0x0f, 0xc7, 0xf8" : "=a"(v));
	return v;
}

static void rounds(bool has_rdtscp, bool has_rdpid)
{
	unsigned int i, bad_msr = 0, bad_tscp = 0, bad_pid = 0;
	u32 val, got_tscp = 0, got_pid = 0;

	for (i = 0; i < ROUNDS; i++) {
		val = 0x5a50000 + i;
		kg_wrmsr(MSR_TSC_AUX, val);
		kg_sched_op(SCHEDOP_yield, NULL);
		bad_msr += kg_rdmsr(MSR_TSC_AUX) != val;
		if (has_rdtscp) {
			got_tscp = rdtscp_aux();
			bad_tscp += got_tscp != val;
		}
		if (has_rdpid) {
			got_pid = rdpid();
			bad_pid += got_pid != val;
		}
	}
	kg_check(!bad_msr, "RDMSR read back what WRMSR wrote: %u of %u wrong",
		 bad_msr, ROUNDS);
	if (has_rdtscp)
		kg_check(!bad_tscp, "RDTSCP's ECX: %u of %u wrong (last %#x, wrote %#x)",
			 bad_tscp, ROUNDS, got_tscp, val);
	if (has_rdpid)
		kg_check(!bad_pid, "RDPID: %u of %u wrong (last %#x, wrote %#x)",
			 bad_pid, ROUNDS, got_pid, val);
}

/* wrmsr is 0f 30: 2 bytes to skip when it faults. */
static void high_bits_refused(void)
{
	struct kg_exception e;
	u64 before = kg_rdmsr(MSR_TSC_AUX);

	kg_expect_exception(13, 2);
	kg_wrmsr(MSR_TSC_AUX, 1ULL << 32 | 7);
	e = kg_expected_taken();
	kg_check(e.count == 1 && kg_rdmsr(MSR_TSC_AUX) == before,
		 "TSC_AUX with bit 32 set: %u #GP, value stays %#llx",
		 e.count, (unsigned long long)before);
}

void test_main(void)
{
	bool has_rdtscp = kg_cpuid(0x80000001, 0).edx & (1U << 27);
	bool has_rdpid = kg_cpuid(7, 0).ecx & (1U << 22);

	kg_require_xen();
	kg_printf("RDTSCP %s, RDPID %s\n", has_rdtscp ? "offered" : "not offered",
		  has_rdpid ? "offered" : "not offered");
	if (!has_rdtscp && !has_rdpid)
		kg_printf("neither instruction: only RDMSR is checked\n");
	rounds(has_rdtscp, has_rdpid);
	high_bits_refused();
	kg_success(NULL);
}
