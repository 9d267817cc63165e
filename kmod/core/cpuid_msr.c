// SPDX-License-Identifier: GPL-2.0
/*
 * Vendor-neutral CPUID and MSR emulation: what the guest sees of the CPU
 * beyond the hypervisor's own leaves, and the platform MSRs an HVM guest
 * reads at boot.  Anything not listed raises #GP, as on Xen.
 */
#include <linux/string.h>
#include <asm/processor.h>
#include <asm/cpufeatures.h>
#include <asm/msr-index.h>
#include <asm/apicdef.h>

#include "kxen.h"
#include "../xen/xen.h"

#define KXEN_CPUID1_ECX_HIDE	(BIT(X86_FEATURE_VMX & 31) |		\
				 BIT(X86_FEATURE_SMX & 31) |		\
				 BIT(X86_FEATURE_MWAIT & 31) |		\
				 BIT(X86_FEATURE_TSC_DEADLINE_TIMER & 31) | \
				 BIT(X86_FEATURE_PDCM & 31) |		\
				 BIT(X86_FEATURE_DTES64 & 31) |		\
				 BIT(X86_FEATURE_DSCPL & 31) |		\
				 BIT(X86_FEATURE_EST & 31) |		\
				 BIT(X86_FEATURE_TM2 & 31) |		\
				 BIT(X86_FEATURE_XTPR & 31))
#define KXEN_CPUID1_ECX_HV	BIT(31)	/* "running under a hypervisor" */
/* Machine-check banks are not emulated: no MCE/MCA for the guest. */
#define KXEN_CPUID1_EDX_HIDE	(BIT(X86_FEATURE_MCE & 31) |		\
				 BIT(X86_FEATURE_MCA & 31) |		\
				 BIT(X86_FEATURE_ACPI & 31) |		\
				 BIT(X86_FEATURE_DS & 31) |		\
				 BIT(X86_FEATURE_ACC & 31) |		\
				 BIT(X86_FEATURE_PBE & 31))
/* Leaf 7 EDX: speculation-control MSRs are not emulated yet. */
#define KXEN_CPUID7_EDX_HIDE	(BIT(X86_FEATURE_SPEC_CTRL & 31) |	\
				 BIT(X86_FEATURE_INTEL_STIBP & 31) |	\
				 BIT(X86_FEATURE_FLUSH_L1D & 31) |	\
				 BIT(X86_FEATURE_ARCH_CAPABILITIES & 31) | \
				 BIT(X86_FEATURE_CORE_CAPABILITIES & 31) | \
				 BIT(X86_FEATURE_SPEC_CTRL_SSBD & 31))

static void kxen_cpuid_leaf1(struct kxen_vcpu *v, u32 out[4])
{
	/* APIC ID = 2 x vCPU id, as Xen's toolstack lays it out. */
	out[1] = (out[1] & 0x00ffffff) | ((v->id * 2) << 24);
	out[2] &= ~KXEN_CPUID1_ECX_HIDE;
	out[2] |= KXEN_CPUID1_ECX_HV;
	/* OSXSAVE mirrors the guest's CR4 (SDM Vol. 2A CPUID). */
	out[2] &= ~BIT(X86_FEATURE_OSXSAVE & 31);
	if (v->st.cr4 & X86_CR4_OSXSAVE)
		out[2] |= BIT(X86_FEATURE_OSXSAVE & 31);
	out[3] &= ~KXEN_CPUID1_EDX_HIDE;
	/* The local APIC is emulated, in x2APIC mode (lapic.c). */
	out[2] |= BIT(X86_FEATURE_X2APIC & 31);
	out[3] |= BIT(X86_FEATURE_APIC & 31);
}

void kxen_cpuid(struct kxen_vcpu *v, u32 leaf, u32 subleaf, u32 out[4])
{
	if (kxen_xen_cpuid(v, leaf, subleaf, out))
		return;
	if (leaf >= 0x40000000 && leaf < 0x80000000) {
		memset(out, 0, 4 * sizeof(u32));
		return;
	}
	cpuid_count(leaf, subleaf, &out[0], &out[1], &out[2], &out[3]);
	switch (leaf) {
	case 1:
		kxen_cpuid_leaf1(v, out);
		break;
	case 5:		/* MONITOR/MWAIT: hidden */
	case 6:		/* thermal and power */
	case 0xa:	/* architectural PMU */
		memset(out, 0, 4 * sizeof(u32));
		break;
	case 7:
		if (subleaf == 0) {
			out[2] &= ~BIT(X86_FEATURE_PKU & 31);
			out[2] &= ~BIT(X86_FEATURE_OSPKE & 31);
			out[2] &= ~BIT(X86_FEATURE_WAITPKG & 31);
			out[3] &= ~KXEN_CPUID7_EDX_HIDE;
			/* No IA32_TSC_ADJUST MSR. */
			out[1] &= ~BIT(X86_FEATURE_TSC_ADJUST & 31);
		}
		break;
	case 0xd:
		/* XSAVES/XRSTORS and the XSS MSR are not offered. */
		if (subleaf == 1)
			out[0] &= ~BIT(X86_FEATURE_XSAVES & 31);
		break;
	}
}

#define KXEN_EFER_ALLOWED	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)

bool kxen_canonical(u64 va)
{
	return (u64)((s64)(va << 16) >> 16) == va;
}

/* Each PAT entry must be UC, WC, WT, WP, WB or UC- (SDM Vol. 3 11.12.2). */
bool kxen_pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 t = pat >> (i * 8);

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

/*
 * A guest WRMSR to EFER: *val becomes the value to load, or -EINVAL for
 * #GP.  LME cannot change while paging is on (SDM Vol. 3 9.8.5, APM
 * Vol. 2 14.6.1); LMA is the processor's to set, so it keeps its value.
 */
int kxen_efer_check(struct kxen_vcpu *v, u64 *val)
{
	u64 cur = v->st.efer;

	if (*val & ~KXEN_EFER_ALLOWED)
		return -EINVAL;
	if ((v->st.cr0 & X86_CR0_PG) && ((*val ^ cur) & EFER_LME))
		return -EINVAL;
	*val = (*val & ~EFER_LMA) | (cur & EFER_LMA);
	return 0;
}

static bool kxen_msr_is_mtrr(u32 msr)
{
	/* Variable ranges 0x200-0x20f, fixed ranges 0x250-0x26f. */
	return (msr >= 0x250 && msr <= 0x26f) || (msr >= 0x200 && msr < 0x210);
}

/* 0 and *val on success, -EINVAL for #GP. */
int kxen_msr_read(struct kxen_vcpu *v, u32 msr, u64 *val)
{
	int ret = kxen_xen_rdmsr(v, msr, val);

	if (kxen_lapic_is_reg(msr))
		return kxen_lapic_rdmsr(v, msr, val);
	if (ret != -ENOENT)
		return ret;
	switch (msr) {
	case MSR_IA32_APICBASE:
		/* Enabled in x2APIC mode, as firmware would hand it over. */
		*val = APIC_DEFAULT_PHYS_BASE | MSR_IA32_APICBASE_ENABLE |
		       X2APIC_ENABLE | (v->id ? 0 : MSR_IA32_APICBASE_BSP);
		return 0;
	case MSR_IA32_FEAT_CTL:
		*val = FEAT_CTL_LOCKED;	/* locked, no VMX for the guest */
		return 0;
	case MSR_MTRRcap:
		*val = 0;
		return 0;
	case MSR_MTRRdefType:
		*val = 0xc06;	/* MTRRs enabled, default write-back */
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*val = MSR_IA32_MISC_ENABLE_FAST_STRING |
		       MSR_IA32_MISC_ENABLE_BTS_UNAVAIL |
		       MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL;
		return 0;
	case MSR_IA32_UCODE_REV:
	case MSR_IA32_PLATFORM_ID:
	case MSR_IA32_MCG_CAP:		/* no banks, as a vMCE-less Xen */
	case MSR_IA32_MCG_STATUS:
		*val = 0;
		return 0;
	case MSR_IA32_TSC:
		*val = rdtsc();
		return 0;
	}
	if (kxen_msr_is_mtrr(msr)) {
		*val = 0;
		return 0;
	}
	return -EINVAL;
}

int kxen_msr_write(struct kxen_vcpu *v, u32 msr, u64 val)
{
	int ret = kxen_xen_wrmsr(v, msr, val);

	if (kxen_lapic_is_reg(msr))
		return kxen_lapic_wrmsr(v, msr, val);
	if (ret != -ENOENT)
		return ret;
	switch (msr) {
	case MSR_IA32_APICBASE:
	case MSR_MTRRdefType:
	case MSR_IA32_UCODE_REV:
	case MSR_IA32_MISC_ENABLE:
	case MSR_IA32_TSC:
		return 0;	/* accepted and ignored */
	case MSR_IA32_MCG_STATUS:
		return val ? -EINVAL : 0;
	}
	if (kxen_msr_is_mtrr(msr))
		return 0;
	return -EINVAL;
}
