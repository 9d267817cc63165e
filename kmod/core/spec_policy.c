// SPDX-License-Identifier: GPL-2.0
/*
 * The mitigation choice of spec_policy.h.  Each rule follows the host
 * kernel's own decision for its hypervisor (arch/x86/kernel/cpu/bugs.c
 * sets the bits, KVM keys its entry and exit code on them); kxen adds no
 * policy of its own beyond the granularity of IBPB (between domains, as
 * Xen's context switch does, rather than between any two vCPUs), and
 * IBPB_ON_VMEXIT honoured on VT-x too.
 */
#include "spec_policy.h"

/*
 * L1TF (Documentation/admin-guide/hw-vuln/l1tf.rst, "Mitigation control
 * for KVM"): a flush is needed only on an affected CPU that does not
 * report ARCH_CAPABILITIES.SKIP_L1DFL_VMENTRY (set when a nested
 * hypervisor below us flushes already); l1tf=flush* gives conditional
 * flushes, l1tf=full* unconditional ones, l1tf=off none.  kxen flushes
 * with IA32_FLUSH_CMD (SDM Vol. 4, MSR 0x10B) only: without it the flush
 * is skipped and said so at load.
 */
static enum kxen_spec_l1d kxen_spec_l1d_mode(const struct kxen_spec_in *in)
{
	if (!in->vmx)
		return KXEN_L1D_NOT_VMX;
	if (!in->bug_l1tf || in->skip_l1dflush)
		return KXEN_L1D_NOT_AFFECTED;
	if (in->l1tf == KXEN_SPEC_L1TF_OFF)
		return KXEN_L1D_NEVER;
	if (!in->flush_l1d)
		return KXEN_L1D_NO_MSR;
	return in->l1tf == KXEN_SPEC_L1TF_FULL ? KXEN_L1D_ALWAYS :
						 KXEN_L1D_COND;
}

void kxen_spec_choose(const struct kxen_spec_in *in,
		      struct kxen_spec_out *out)
{
	u64 mit = 0;

	/*
	 * RSB after an exit: the full fill where the kernel fills it on
	 * VM exit (retpoline, IBRS), else where eIBRS needs one CALL to
	 * retire (PBRSB-eIBRS); AMD-V fills on RSB_VMEXIT alone, which the
	 * kernel clears when IBPB on exit already empties the RSB.
	 */
	if (in->rsb_vmexit)
		mit |= KXEN_MIT_RSB_VMEXIT;
	else if (in->vmx && in->rsb_vmexit_lite)
		mit |= KXEN_MIT_RSB_VMEXIT_LITE;
	/*
	 * VERW at entry: on VT-x where the kernel clears buffers on
	 * kernel exit (MDS, TAA, MMIO Stale Data, RFDS); on AMD-V where it
	 * asks for it before VMRUN (TSA).
	 */
	if (in->vmx ? in->clear_cpu_buf : in->clear_cpu_buf_vm)
		mit |= KXEN_MIT_VERW;
	/*
	 * IBPB after every exit (retbleed=ibpb, spec_rstack_overflow=ibpb-vmexit):
	 * the kernel then drops RSB_VMEXIT, counting on it, so both vendors
	 * issue it.
	 */
	if (in->ibpb_on_vmexit)
		mit |= KXEN_MIT_IBPB_VMEXIT;
	/* An IBPB after every exit makes the one between domains moot. */
	if (in->use_ibpb && !(mit & KXEN_MIT_IBPB_VMEXIT))
		mit |= KXEN_MIT_IBPB;
	out->l1d = kxen_spec_l1d_mode(in);
	if (out->l1d == KXEN_L1D_COND || out->l1d == KXEN_L1D_ALWAYS)
		mit |= KXEN_MIT_L1D_FLUSH;
	out->mit = mit;
}

const char *kxen_spec_l1d_name(enum kxen_spec_l1d l1d)
{
	switch (l1d) {
	case KXEN_L1D_NOT_AFFECTED:
		return "not needed (CPU not affected by L1TF)";
	case KXEN_L1D_NEVER:
		return "off (l1tf=off)";
	case KXEN_L1D_COND:
		return "conditional (l1tf=flush)";
	case KXEN_L1D_ALWAYS:
		return "always (l1tf=full)";
	case KXEN_L1D_NO_MSR:
		return "VULNERABLE: the CPU has no IA32_FLUSH_CMD (update its microcode); no flush";
	case KXEN_L1D_NOT_VMX:
		return "not needed (AMD-V)";
	}
	return "?";
}
