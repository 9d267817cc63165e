// SPDX-License-Identifier: GPL-2.0
/*
 * MSRs whose guest values live in the VMCB save area (VMRUN and
 * VMSAVE/VMLOAD switch them, AMD APM Vol. 2 15.5) or in the state kxen
 * keeps; everything else goes to the vendor-neutral emulation.  Every
 * guest MSR access exits (all-ones MSR permission map), so none reaches
 * the hardware.
 */
#include <asm/msr.h>

#include "svm.h"

/* MSRs kept as plain values: in the VMCB, or in kxen's vCPU state. */
static u64 *kxen_svm_plain_msr(struct kxen_vcpu *v, u32 msr)
{
	struct vmcb_save_area *s = &to_svm(v)->vmcb->save;

	switch (msr) {
	case MSR_KERNEL_GS_BASE:
		return &s->kernel_gs_base;
	case MSR_STAR:
		return &s->star;
	case MSR_LSTAR:
		return &s->lstar;
	case MSR_CSTAR:
		return &s->cstar;
	case MSR_SYSCALL_MASK:
		return &s->sfmask;
	case MSR_IA32_SYSENTER_ESP:
		return &s->sysenter_esp;
	case MSR_IA32_SYSENTER_EIP:
		return &s->sysenter_eip;
	case MSR_FS_BASE:
		return &s->fs.base;
	case MSR_GS_BASE:
		return &s->gs.base;
	case MSR_TSC_AUX:
		return &to_svm(v)->tsc_aux;
	}
	return NULL;
}

static bool kxen_msr_needs_canonical(u32 msr)
{
	return msr == MSR_LSTAR || msr == MSR_CSTAR ||
	       msr == MSR_KERNEL_GS_BASE || msr == MSR_FS_BASE ||
	       msr == MSR_GS_BASE || msr == MSR_IA32_SYSENTER_ESP ||
	       msr == MSR_IA32_SYSENTER_EIP;
}

int kxen_svm_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val)
{
	struct vmcb_save_area *s = &to_svm(v)->vmcb->save;
	u64 *plain = kxen_svm_plain_msr(v, msr);
	int ret = kxen_svm_nested_rdmsr(v, msr, val);

	if (ret != -ENOENT)
		return ret;
	if (plain) {
		*val = *plain;
		return 0;
	}
	switch (msr) {
	case MSR_EFER:
		*val = v->st.efer;
		return 0;
	case MSR_IA32_CR_PAT:
		*val = s->g_pat;
		return 0;
	case MSR_IA32_SYSENTER_CS:
		*val = s->sysenter_cs;
		return 0;
	case MSR_IA32_DEBUGCTLMSR:
		*val = 0;
		return 0;
	}
	return kxen_msr_read(v, msr, val);
}

/*
 * SVME is the guest's to set only with nested SVM (nested.c); the CPU's
 * is always on, as VMRUN requires it in the guest's EFER (APM 15.5.1).
 */
static int kxen_svm_write_efer(struct kxen_vcpu *v, u64 val)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	u64 svme = val & EFER_SVME;

	if (svme && !sx->nested)
		return -EINVAL;
	val &= ~EFER_SVME;
	if (kxen_efer_check(v, &val))
		return -EINVAL;
	v->st.efer = val | svme;
	if (sx->nested && !sx->nested->guest_mode)
		sx->nested->svme = svme;
	sx->vmcb->save.efer = val | EFER_SVME;
	return 0;
}

int kxen_svm_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val)
{
	struct vmcb_save_area *s = &to_svm(v)->vmcb->save;
	u64 *plain = kxen_svm_plain_msr(v, msr);
	int ret = kxen_svm_nested_wrmsr(v, msr, val);

	if (ret != -ENOENT)
		return ret;
	if (plain) {
		if (kxen_msr_needs_canonical(msr) && !kxen_canonical(val))
			return -EINVAL;
		/* TSC_AUX is 32 bits wide: the rest is reserved (#GP). */
		if (msr == MSR_TSC_AUX && val >> 32)
			return -EINVAL;
		*plain = val;
		return 0;
	}
	switch (msr) {
	case MSR_EFER:
		return kxen_svm_write_efer(v, val);
	case MSR_IA32_CR_PAT:
		if (!kxen_pat_valid(val))
			return -EINVAL;
		s->g_pat = val;
		return 0;
	case MSR_IA32_SYSENTER_CS:
		s->sysenter_cs = (u32)val;
		return 0;
	case MSR_IA32_DEBUGCTLMSR:
		/* No branch tracing for guests: accept and keep it off. */
		return 0;
	}
	return kxen_msr_write(v, msr, val);
}
