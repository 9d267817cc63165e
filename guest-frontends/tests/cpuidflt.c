// SPDX-License-Identifier: GPL-2.0
/*
 * cpuidflt: CPUID faulting, as Xen 4.17 offers it to HVM guests on any
 * CPU (it intercepts CPUID anyway).  MSR_PLATFORM_INFO (0xce) says it is
 * there (bit 31) and is read-only; MSR_MISC_FEATURES_ENABLES (0x140) bit
 * 0 turns it on, and its other bits are reserved (#GP).  With it on,
 * CPUID at CPL 3 raises #GP(0) and at CPL 0 runs as before; off again,
 * CPUID at CPL 3 runs.  XTF's cpuid-faulting tests the same.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/traps.h>

KG_TEST_TITLE("cpuidflt");

#define MSR_PLATFORM_INFO		0x0ce
#define PLATFORM_INFO_CPUID_FAULTING	BIT_ULL(31)
#define MSR_MISC_FEATURES_ENABLES	0x140
#define MISC_FEATURES_CPUID_FAULTING	BIT_ULL(0)

static u8 user_stack[4096] __aligned(16);

/* CPUID leaf 0 at CPL 3 (0f a2: 2 bytes): its EAX, or ~0 after a fault. */
static long user_cpuid(void)
{
	u32 a = 0, b, c = 0, d;

	asm volatile("mov $-1, %%eax\n\t"
		     "mov %%eax, %%ebx\n\t"
		     "xor %%eax, %%eax\n\t"
		     "cpuid\n\t"
		     : "+a"(a), "=&b"(b), "+c"(c), "=d"(d));
	return a;
}

/* How many #GP a CPUID at CPL 3 raised (0 or 1). */
static unsigned int user_cpuid_faults(void)
{
	kg_expect_exception(13, 2);
	kg_usermode_call(user_cpuid, user_stack + sizeof(user_stack));
	return kg_expected_taken().count;
}

static unsigned int wrmsr_faults(u32 msr, u64 val)
{
	kg_expect_exception(13, 2);
	kg_wrmsr(msr, val);
	return kg_expected_taken().count;
}

void test_main(void)
{
	u64 info, en;

	kg_require_xen();
	info = kg_rdmsr(MSR_PLATFORM_INFO);
	if (!kg_check(info & PLATFORM_INFO_CPUID_FAULTING,
		      "MSR_PLATFORM_INFO %#lx: CPUID faulting offered",
		      (unsigned long)info))
		kg_exit();
	kg_check(wrmsr_faults(MSR_PLATFORM_INFO, info) == 1,
		 "MSR_PLATFORM_INFO is read-only (#GP)");
	en = kg_rdmsr(MSR_MISC_FEATURES_ENABLES);
	kg_check(en == 0, "MSR_MISC_FEATURES_ENABLES starts at %#lx (0)",
		 (unsigned long)en);
	kg_check(wrmsr_faults(MSR_MISC_FEATURES_ENABLES, BIT_ULL(5)) == 1 &&
		 kg_rdmsr(MSR_MISC_FEATURES_ENABLES) == 0,
		 "a reserved bit of MSR_MISC_FEATURES_ENABLES: #GP");
	kg_check(user_cpuid_faults() == 0, "CPUID at CPL 3, faulting off: runs");
	kg_wrmsr(MSR_MISC_FEATURES_ENABLES, MISC_FEATURES_CPUID_FAULTING);
	kg_check(kg_rdmsr(MSR_MISC_FEATURES_ENABLES) ==
		 MISC_FEATURES_CPUID_FAULTING, "CPUID faulting on");
	kg_check(kg_cpuid(0, 0).eax, "CPUID at CPL 0, faulting on: runs");
	kg_check(user_cpuid_faults() == 1, "CPUID at CPL 3, faulting on: #GP");
	kg_wrmsr(MSR_MISC_FEATURES_ENABLES, 0);
	kg_check(user_cpuid_faults() == 0,
		 "CPUID at CPL 3, faulting off again: runs");
	kg_success(NULL);
	kg_exit();
}
