// SPDX-License-Identifier: GPL-2.0
/*
 * Vendor-neutral MSR emulation: the platform MSRs an HVM guest reads at
 * boot.  Anything not listed raises #GP, as on Xen.  CPUID is cpuid.c.
 */
#include <asm/processor.h>
#include <asm/msr-index.h>
#include <asm/apicdef.h>

#include "kxen.h"
#include "../xen/xen.h"

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

static bool kxen_host_is_amd(void)
{
	return boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
	       boot_cpu_data.x86_vendor == X86_VENDOR_HYGON;
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
		/* x2APIC at first, as firmware would hand it over (lapic.c). */
		*val = kxen_lapic_get_base(v);
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
	/*
	 * CPUID faulting, which Xen offers HVM guests on any CPU, since it
	 * intercepts CPUID anyway (SDM Vol. 4 MSRs 0xce, 0x140).
	 */
	case MSR_PLATFORM_INFO:
		*val = MSR_PLATFORM_INFO_CPUID_FAULT;
		return 0;
	case MSR_MISC_FEATURES_ENABLES:
		*val = v->cpuid_faulting ? MSR_MISC_FEATURES_ENABLES_CPUID_FAULT :
					   0;
		return 0;
	case MSR_K8_INT_PENDING_MSG:
		/*
		 * Linux reads it with a plain RDMSR on CPU families with the
		 * AMD E400 erratum (C1E on a pending interrupt message, as
		 * QEMU's -cpu max, family 0xf model 0x6b, is one): no C1E
		 * here, so 0.
		 */
		if (!kxen_host_is_amd())
			return -EINVAL;
		*val = 0;
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
		return kxen_lapic_set_base(v, val);
	case MSR_MTRRdefType:
	case MSR_IA32_UCODE_REV:
	case MSR_IA32_MISC_ENABLE:
	case MSR_IA32_TSC:
		return 0;	/* accepted and ignored */
	case MSR_IA32_MCG_STATUS:
		return val ? -EINVAL : 0;
	case MSR_MISC_FEATURES_ENABLES:
		if (val & ~MSR_MISC_FEATURES_ENABLES_CPUID_FAULT)
			return -EINVAL;
		v->cpuid_faulting = val;
		return 0;
	case MSR_K8_INT_PENDING_MSG:
		return kxen_host_is_amd() ? 0 : -EINVAL;	/* ignored */
	}
	if (kxen_msr_is_mtrr(msr))
		return 0;
	return -EINVAL;
}
