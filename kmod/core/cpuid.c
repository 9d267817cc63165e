// SPDX-License-Identifier: GPL-2.0
/*
 * Vendor-neutral CPUID: what the guest sees of the CPU beyond the
 * hypervisor's own leaves (kmod/xen/cpuid.c).
 *
 * The rule, as KVM's and Xen's CPUID policies have it: a guest never sees
 * a feature it cannot use, nor misses the size of one it can.  Feature
 * words whose bits keep growing (leaf 7, 0x80000001 ECX, 0x80000008 EBX)
 * pass only the bits listed here; leaf 0xD is computed from the state
 * components kxen switches (fpu.c); leaves that describe hardware kxen
 * does not emulate (monitoring, PMU, RDT, SGX, PT, AMX, SVM, SEV) read
 * zero, and the maximum leaves stop before the ones not known here.
 */
#include <linux/string.h>
#include <asm/processor.h>
#include <asm/cpufeatures.h>
#include <asm/fpu/types.h>

#include "kxen.h"
#include "../xen/xen.h"

#define F(name)			BIT(X86_FEATURE_##name & 31)

/* Highest basic and extended leaves the guest may read. */
#define KXEN_CPUID_MAX_BASIC	0x16
#define KXEN_CPUID_MAX_EXT	0x80000008

#define KXEN_CPUID1_ECX_HIDE	(F(VMX) | F(SMX) | F(MWAIT) |		\
				 F(TSC_DEADLINE_TIMER) | F(PDCM) |	\
				 F(DTES64) | F(DSCPL) | F(EST) | F(TM2) | \
				 F(XTPR))
#define KXEN_CPUID1_ECX_HV	BIT(31)	/* "running under a hypervisor" */
#define KXEN_CPUID1_ECX_AVX	(F(AVX) | F(FMA) | F(F16C))
/* Machine-check banks are not emulated: no MCE/MCA for the guest. */
#define KXEN_CPUID1_EDX_HIDE	(F(MCE) | F(MCA) | F(ACPI) | F(DS) |	\
				 F(ACC) | F(PBE))

/*
 * Leaf 7 sub-leaf 0, the bits offered.  Not: TSC_ADJUST, MPX, PQM/PQE,
 * Intel PT (no MSRs), PKU/OSPKE/WAITPKG, LA57 (kxen's CR4 emulation keeps
 * guests on 4-level paging), CET, UINTR, AMX, SGX, ENQCMD, key locker,
 * hybrid, architectural LBRs, and the speculation-control bits (their
 * MSRs are not emulated).
 */
#define KXEN_CPUID7_EBX_OK	(F(FSGSBASE) | F(BMI1) | F(HLE) | F(AVX2) | \
				 F(FDP_EXCPTN_ONLY) | F(SMEP) | F(BMI2) | \
				 F(ERMS) | F(INVPCID) | F(RTM) |	\
				 F(ZERO_FCS_FDS) | F(RDSEED) | F(ADX) |	\
				 F(SMAP) | F(CLFLUSHOPT) | F(CLWB) |	\
				 F(SHA_NI) | KXEN_CPUID7_EBX_AVX512)
#define KXEN_CPUID7_EBX_AVX512	(F(AVX512F) | F(AVX512DQ) | F(AVX512IFMA) | \
				 F(AVX512PF) | F(AVX512ER) | F(AVX512CD) | \
				 F(AVX512BW) | F(AVX512VL))
#define KXEN_CPUID7_ECX_OK	(F(UMIP) | F(GFNI) | F(VAES) |		\
				 F(VPCLMULQDQ) | F(RDPID) | F(CLDEMOTE) | \
				 F(MOVDIRI) | F(MOVDIR64B) |		\
				 KXEN_CPUID7_ECX_AVX512)
#define KXEN_CPUID7_ECX_AVX512	(F(AVX512VBMI) | F(AVX512_VBMI2) |	\
				 F(AVX512_VNNI) | F(AVX512_BITALG) |	\
				 F(AVX512_VPOPCNTDQ))
#define KXEN_CPUID7_EDX_OK	(F(FSRM) | F(MD_CLEAR) | F(SERIALIZE) |	\
				 F(TSXLDTRK) | KXEN_CPUID7_EDX_AVX512)
#define KXEN_CPUID7_EDX_AVX512	(F(AVX512_4VNNIW) | F(AVX512_4FMAPS) |	\
				 F(AVX512_VP2INTERSECT) | F(AVX512_FP16))

/* 0x80000001 ECX: not SVM, IBS, LWP, the AMD PMU or MWAITX. */
#define KXEN_CPUID81_ECX_HIDE	(F(SVM) | F(OSVW) | F(IBS) | F(SKINIT) | \
				 F(WDT) | F(LWP) | F(TCE) | F(NODEID_MSR) | \
				 F(TOPOEXT) | F(PERFCTR_CORE) |		\
				 F(PERFCTR_NB) | F(BPEXT) |		\
				 F(PERFCTR_LLC) | F(MWAITX))
/* 0x80000007 EDX: only the invariant TSC (kxen runs guests on the host's). */
#define KXEN_CPUID87_EDX_OK	BIT(8)
/* 0x80000008 EBX: instructions only, no speculation-control MSRs. */
#define KXEN_CPUID88_EBX_OK	(F(CLZERO) | F(XSAVEERPTR) | F(WBNOINVD))

/* XSAVE features (leaf 0xD sub-leaf 1 EAX): not XSAVES, not XFD. */
#define KXEN_CPUID_D1_EAX_OK	(F(XSAVEOPT) | F(XSAVEC) | F(XGETBV1))

static void kxen_cpuid_leaf1(struct kxen_vcpu *v, u32 out[4])
{
	u64 xf = kxen_fpu_guest_xfeatures();

	/* APIC ID = 2 x vCPU id, as Xen's toolstack lays it out. */
	out[1] = (out[1] & 0x00ffffff) | ((v->id * 2) << 24);
	out[2] &= ~KXEN_CPUID1_ECX_HIDE;
	out[2] |= KXEN_CPUID1_ECX_HV;
	if (!(xf & XFEATURE_MASK_YMM))
		out[2] &= ~KXEN_CPUID1_ECX_AVX;
	/* OSXSAVE mirrors the guest's CR4 (SDM Vol. 2A CPUID). */
	out[2] &= ~F(OSXSAVE);
	if (v->st.cr4 & X86_CR4_OSXSAVE)
		out[2] |= F(OSXSAVE);
	out[3] &= ~KXEN_CPUID1_EDX_HIDE;
	/* The local APIC is emulated, in x2APIC mode (lapic.c). */
	out[2] |= F(X2APIC);
	out[3] |= F(APIC);
}

static void kxen_cpuid_leaf7(u32 subleaf, u32 out[4])
{
	u64 xf = kxen_fpu_guest_xfeatures();

	if (subleaf) {
		memset(out, 0, 4 * sizeof(u32));
		return;
	}
	out[0] = 0;	/* no sub-leaf 1 */
	out[1] &= KXEN_CPUID7_EBX_OK;
	out[2] &= KXEN_CPUID7_ECX_OK;
	out[3] &= KXEN_CPUID7_EDX_OK;
	if (!(xf & XFEATURE_MASK_YMM)) {
		out[1] &= ~F(AVX2);
		out[2] &= ~(F(VAES) | F(VPCLMULQDQ));
	}
	if (!(xf & XFEATURE_MASK_AVX512)) {
		out[1] &= ~KXEN_CPUID7_EBX_AVX512;
		out[2] &= ~KXEN_CPUID7_ECX_AVX512;
		out[3] &= ~KXEN_CPUID7_EDX_AVX512;
	}
}

/*
 * Leaf 0xD (SDM Vol. 1 13.2), from the components kxen switches: sub-leaf
 * 0 lists them and gives the sizes for the guest's current XCR0 (EBX) and
 * for all of them (ECX); sub-leaf 1 keeps XSAVEOPT/XSAVEC/XGETBV1 as the
 * host has them, with no supervisor components; sub-leaves >= 2 describe
 * only offered components.
 */
static void kxen_cpuid_xstate(struct kxen_vcpu *v, u32 subleaf, u32 out[4])
{
	u64 xf = kxen_fpu_guest_xfeatures();

	if (!boot_cpu_has(X86_FEATURE_XSAVE)) {
		memset(out, 0, 4 * sizeof(u32));
		return;
	}
	switch (subleaf) {
	case 0:
		out[0] = (u32)xf;
		out[1] = kxen_fpu_xstate_size(v->fpu.xcr0, false);
		out[2] = kxen_fpu_xstate_size(xf, false);
		out[3] = xf >> 32;
		return;
	case 1:
		out[0] &= KXEN_CPUID_D1_EAX_OK;
		out[1] = (out[0] & F(XSAVEC)) ?
			 kxen_fpu_xstate_size(v->fpu.xcr0, true) : 0;
		out[2] = 0;
		out[3] = 0;
		return;
	}
	if (subleaf >= 64 || !(xf & BIT_ULL(subleaf))) {
		memset(out, 0, 4 * sizeof(u32));
		return;
	}
	out[2] &= BIT(1);	/* user component; keep the alignment bit */
	out[3] = 0;
}

static void kxen_cpuid_ext(u32 leaf, u32 out[4])
{
	switch (leaf) {
	case 0x80000000:
		out[0] = min_t(u32, out[0], KXEN_CPUID_MAX_EXT);
		break;
	case 0x80000001:
		out[2] &= ~KXEN_CPUID81_ECX_HIDE;
		break;
	case 0x80000007:
		memset(out, 0, 3 * sizeof(u32));
		out[3] &= KXEN_CPUID87_EDX_OK;
		break;
	case 0x80000008:
		out[1] &= KXEN_CPUID88_EBX_OK;
		out[3] = 0;
		break;
	}
}

/* Leaves that are either passed through or reshaped; others read 0. */
static bool kxen_cpuid_known(u32 leaf, u32 max_basic, u32 max_ext)
{
	if (leaf >= 0x80000000)
		return leaf <= max_ext;
	if (leaf > max_basic)
		return false;
	switch (leaf) {
	case 5:		/* MONITOR/MWAIT: hidden */
	case 6:		/* thermal and power */
	case 8:
	case 9:		/* direct cache access */
	case 0xa:	/* architectural PMU */
	case 0xc:
	case 0xe:
	case 0xf:	/* RDT monitoring */
	case 0x10:	/* RDT allocation */
	case 0x11:
	case 0x12:	/* SGX */
	case 0x13:
	case 0x14:	/* processor trace */
		return false;
	}
	return true;
}

void kxen_cpuid(struct kxen_vcpu *v, u32 leaf, u32 subleaf, u32 out[4])
{
	static u32 max_basic, max_ext;
	u32 unused;

	if (kxen_xen_cpuid(v, leaf, subleaf, out))
		return;
	if (!max_basic) {
		cpuid(0, &max_basic, &unused, &unused, &unused);
		cpuid(0x80000000, &max_ext, &unused, &unused, &unused);
		max_basic = min_t(u32, max_basic, KXEN_CPUID_MAX_BASIC);
		max_ext = min_t(u32, max_ext, KXEN_CPUID_MAX_EXT);
	}
	if (!kxen_cpuid_known(leaf, max_basic, max_ext)) {
		memset(out, 0, 4 * sizeof(u32));
		return;
	}
	cpuid_count(leaf, subleaf, &out[0], &out[1], &out[2], &out[3]);
	switch (leaf) {
	case 0:
		out[0] = max_basic;
		break;
	case 1:
		kxen_cpuid_leaf1(v, out);
		break;
	case 7:
		kxen_cpuid_leaf7(subleaf, out);
		break;
	case 0xb:
		/* Topology: this vCPU's x2APIC ID, not the host CPU's. */
		out[3] = v->id * 2;
		break;
	case 0xd:
		kxen_cpuid_xstate(v, subleaf, out);
		break;
	default:
		kxen_cpuid_ext(leaf, out);
		break;
	}
}
