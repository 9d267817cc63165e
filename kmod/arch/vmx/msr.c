// SPDX-License-Identifier: GPL-2.0
/*
 * MSRs whose guest values live in the VMCS or in the state kxen switches
 * around each entry; everything else goes to the vendor-neutral emulation.
 * All guest MSR accesses exit (no MSR bitmap), so none reaches hardware.
 */
#include <asm/msr.h>

#include "vmx.h"
#include "vmx_ops.h"

static u64 *kxen_vmx_soft_msr(struct kxen_vmx_vcpu *vx, u32 msr)
{
	switch (msr) {
	case MSR_KERNEL_GS_BASE:
		return &vx->kernel_gs_base;
	case MSR_STAR:
		return &vx->star;
	case MSR_LSTAR:
		return &vx->lstar;
	case MSR_CSTAR:
		return &vx->cstar;
	case MSR_SYSCALL_MASK:
		return &vx->sfmask;
	case MSR_TSC_AUX:
		return &vx->tsc_aux;
	}
	return NULL;
}

int kxen_vmx_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val)
{
	u64 *soft = kxen_vmx_soft_msr(to_vmx(v), msr);
	int ret;

	ret = kxen_vmx_nested_rdmsr(v, msr, val);
	if (ret != -ENOENT)
		return ret;

	if (soft) {
		*val = *soft;
		return 0;
	}
	switch (msr) {
	case MSR_EFER:
		*val = v->st.efer;
		return 0;
	case MSR_IA32_CR_PAT:
		*val = vmcs_read64(GUEST_IA32_PAT);
		return 0;
	case MSR_IA32_SYSENTER_CS:
		*val = vmcs_read32(GUEST_SYSENTER_CS);
		return 0;
	case MSR_IA32_SYSENTER_ESP:
		*val = vmcs_readl(GUEST_SYSENTER_ESP);
		return 0;
	case MSR_IA32_SYSENTER_EIP:
		*val = vmcs_readl(GUEST_SYSENTER_EIP);
		return 0;
	case MSR_FS_BASE:
		*val = vmcs_readl(GUEST_FS_BASE);
		return 0;
	case MSR_GS_BASE:
		*val = vmcs_readl(GUEST_GS_BASE);
		return 0;
	case MSR_IA32_DEBUGCTLMSR:
		*val = vmcs_read64(GUEST_IA32_DEBUGCTL);
		return 0;
	}
	return kxen_msr_read(v, msr, val);
}

static int kxen_vmx_write_efer(struct kxen_vcpu *v, u64 val)
{
	if (kxen_efer_check(v, &val))
		return -EINVAL;
	v->st.efer = val;
	vmcs_write64(GUEST_IA32_EFER, val);
	return 0;
}

int kxen_vmx_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val)
{
	u64 *soft = kxen_vmx_soft_msr(to_vmx(v), msr);
	int ret;

	ret = kxen_vmx_nested_wrmsr(v, msr);
	if (ret != -ENOENT)
		return ret;

	if (soft) {
		if ((msr == MSR_LSTAR || msr == MSR_CSTAR ||
		     msr == MSR_KERNEL_GS_BASE) && !kxen_canonical(val))
			return -EINVAL;
		/* TSC_AUX is 32 bits wide: the rest is reserved (#GP). */
		if (msr == MSR_TSC_AUX && val >> 32)
			return -EINVAL;
		*soft = val;
		return 0;
	}
	switch (msr) {
	case MSR_EFER:
		return kxen_vmx_write_efer(v, val);
	case MSR_IA32_CR_PAT:
		if (!kxen_pat_valid(val))
			return -EINVAL;
		vmcs_write64(GUEST_IA32_PAT, val);
		return 0;
	case MSR_IA32_SYSENTER_CS:
		vmcs_write32(GUEST_SYSENTER_CS, val);
		return 0;
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
	case MSR_FS_BASE:
	case MSR_GS_BASE:
		if (!kxen_canonical(val))
			return -EINVAL;
		if (msr == MSR_IA32_SYSENTER_ESP)
			vmcs_writel(GUEST_SYSENTER_ESP, val);
		else if (msr == MSR_IA32_SYSENTER_EIP)
			vmcs_writel(GUEST_SYSENTER_EIP, val);
		else
			vmcs_writel(msr == MSR_FS_BASE ? GUEST_FS_BASE :
				    GUEST_GS_BASE, val);
		return 0;
	case MSR_IA32_DEBUGCTLMSR:
		/* No branch tracing for guests: accept and keep it off. */
		return 0;
	}
	return kxen_msr_write(v, msr, val);
}
