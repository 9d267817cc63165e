// SPDX-License-Identifier: GPL-2.0
/*
 * VT-x exit handlers, one per basic exit reason (SDM Vol. 3 Appendix C).
 * Each returns KXEN_EXIT_CONTINUE to re-enter, KXEN_EXIT_LEAVE to block
 * the vCPU, or crashes the domain; no exit reaches the host as a failure.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/traps.h>
#include <asm/trapnr.h>

#include "vmx.h"
#include "vmx_ops.h"

typedef int (*kxen_exit_handler_t)(struct kxen_vcpu *v);

static unsigned long kxen_gpr(struct kxen_vcpu *v, unsigned int idx)
{
	unsigned long val = v->st.gprs[idx & 15];

	return v->st.long_mode ? val : (u32)val;
}

/*
 * An intercepted #DB goes back to the guest with DR6 as the CPU would
 * have left it: the exit qualification holds B0-B3, BD and BS (SDM Vol.
 * 3 28.2.1); ICEBP (INT1) is re-injected as the privileged software
 * exception it is, with its length.
 */
#define KXEN_DR6_BD		BIT(13)	/* debug-register access detected */
#define KXEN_DR6_EXIT_BITS	(DR_TRAP_BITS | KXEN_DR6_BD | DR_STEP)

static int kxen_vmx_reflect_db(struct kxen_vcpu *v, u32 type)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);

	vx->dr6 = (vx->dr6 & ~KXEN_DR6_EXIT_BITS) | DR6_RESERVED |
		  (vx->exit_qual & KXEN_DR6_EXIT_BITS);
	if (type == INTR_TYPE_PRIV_SW_EXCEPTION) {
		vx->inject_info = X86_TRAP_DB | INTR_TYPE_PRIV_SW_EXCEPTION |
				  INTR_INFO_VALID_MASK;
		vx->inject_error = 0;
		vx->inject_len = v->st.insn_len;
		return KXEN_EXIT_CONTINUE;
	}
	kxen_vmx_inject_exception(v, X86_TRAP_DB, false, 0);
	return KXEN_EXIT_CONTINUE;
}

static int handle_exception_nmi(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	u32 info = vx->exit_intr_info, type = info & INTR_INFO_INTR_TYPE_MASK;

	/* NMIs and #MC were already passed to the host's handlers. */
	if (type == INTR_TYPE_NMI_INTR)
		return KXEN_EXIT_CONTINUE;
	/* An event whose delivery this interrupted goes first (run.c). */
	if (vx->inject_info)
		return KXEN_EXIT_CONTINUE;
	switch (info & INTR_INFO_VECTOR_MASK) {
	case X86_TRAP_MC:
		return KXEN_EXIT_CONTINUE;
	case X86_TRAP_DB:
		return kxen_vmx_reflect_db(v, type);
	case X86_TRAP_AC:
		kxen_vmx_inject_exception(v, X86_TRAP_AC, true,
					  vmcs_read32(VM_EXIT_INTR_ERROR_CODE));
		return KXEN_EXIT_CONTINUE;
	}
	return kxen_exit_fail(v, "unexpected exception exit");
}

static int handle_external_interrupt(struct kxen_vcpu *v)
{
	return KXEN_EXIT_CONTINUE;	/* taken by the host on IRQ enable */
}

static int handle_triple_fault(struct kxen_vcpu *v)
{
	return kxen_exit_fail(v, "triple fault");
}

static int handle_interrupt_window(struct kxen_vcpu *v)
{
	vmcs_clear_bits32(CPU_BASED_VM_EXEC_CONTROL,
			  CPU_BASED_INTR_WINDOW_EXITING);
	return KXEN_EXIT_CONTINUE;
}

static int handle_cpuid(struct kxen_vcpu *v)
{
	unsigned long *r = v->st.gprs;
	u32 out[4];

	if (kxen_cpuid_faults(v))
		return kxen_exit_gp(v);
	kxen_cpuid(v, r[KXEN_REG_RAX], r[KXEN_REG_RCX], out);
	kxen_vmx_nested_cpuid(v, r[KXEN_REG_RAX], out);
	r[KXEN_REG_RAX] = out[0];
	r[KXEN_REG_RBX] = out[1];
	r[KXEN_REG_RCX] = out[2];
	r[KXEN_REG_RDX] = out[3];
	return kxen_exit_skip(v);
}

static int handle_hlt(struct kxen_vcpu *v)
{
	return kxen_vcpu_halt(v);
}

static int handle_vmcall(struct kxen_vcpu *v)
{
	return kxen_vcpu_hypercall(v);
}

/* PAE paging outside long mode takes its PDPTEs from the VMCS. */
int kxen_vmx_load_pdptrs(struct kxen_vcpu *v, unsigned long cr3)
{
	u64 pdpte[4];

	if (kxen_gpa_read(v->dom, cr3 & 0xffffffe0UL, pdpte, sizeof(pdpte)))
		return -EFAULT;
	vmcs_write64(GUEST_PDPTR0, pdpte[0]);
	vmcs_write64(GUEST_PDPTR1, pdpte[1]);
	vmcs_write64(GUEST_PDPTR2, pdpte[2]);
	vmcs_write64(GUEST_PDPTR3, pdpte[3]);
	return 0;
}

static void kxen_set_efer(struct kxen_vcpu *v, u64 efer)
{
	v->st.efer = efer;
	vmcs_write64(GUEST_IA32_EFER, efer);
	if (efer & EFER_LMA)
		vmcs_set_bits32(VM_ENTRY_CONTROLS, VM_ENTRY_IA32E_MODE);
	else
		vmcs_clear_bits32(VM_ENTRY_CONTROLS, VM_ENTRY_IA32E_MODE);
}

/* MOV to CR0 (SDM Vol. 3 2.5, 9.8.5 for entering IA-32e mode). */
static int kxen_set_cr0(struct kxen_vcpu *v, unsigned long val)
{
	unsigned long old = v->st.cr0;
	u64 efer = v->st.efer;

	val |= X86_CR0_ET;
	if (val >> 32 || ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
	    ((val & X86_CR0_NW) && !(val & X86_CR0_CD)))
		return kxen_exit_gp(v);
	if (!(old & X86_CR0_PG) && (val & X86_CR0_PG) && (efer & EFER_LME)) {
		if (!(v->st.cr4 & X86_CR4_PAE))
			return kxen_exit_gp(v);
		kxen_set_efer(v, efer | EFER_LMA);
	} else if ((old & X86_CR0_PG) && !(val & X86_CR0_PG) &&
		   (efer & EFER_LMA)) {
		if (v->st.long_mode)
			return kxen_exit_gp(v);
		kxen_set_efer(v, efer & ~EFER_LMA);
	}
	if ((val & X86_CR0_PG) && (v->st.cr4 & X86_CR4_PAE) &&
	    !(v->st.efer & EFER_LMA) &&
	    kxen_vmx_load_pdptrs(v, vmcs_readl(GUEST_CR3)))
		return kxen_exit_gp(v);
	kxen_vmx_write_cr0(v, val);
	return kxen_exit_skip(v);
}

/* CR4.VMXE is the guest's only with nestedhvm (nested.c). */
unsigned long kxen_vmx_cr4_allowed(struct kxen_vcpu *v)
{
	unsigned long allowed = kxen_vmcs_conf.cr4_fixed1 &
				~(X86_CR4_VMXE | X86_CR4_SMXE | X86_CR4_LA57);

	return to_vmx(v)->nested ? allowed | X86_CR4_VMXE : allowed;
}

static int kxen_set_cr4(struct kxen_vcpu *v, unsigned long val)
{
	if (val & ~kxen_vmx_cr4_allowed(v))
		return kxen_exit_gp(v);
	/* CR4.VMXE cannot be cleared in VMX operation (SDM Vol. 3 24.8). */
	if (!(val & X86_CR4_VMXE) && kxen_vmx_nested_vmxon(v))
		return kxen_exit_gp(v);
	if ((v->st.efer & EFER_LMA) && !(val & X86_CR4_PAE))
		return kxen_exit_gp(v);
	if ((v->st.cr0 & X86_CR0_PG) && (val & X86_CR4_PAE) &&
	    !(v->st.efer & EFER_LMA) &&
	    kxen_vmx_load_pdptrs(v, vmcs_readl(GUEST_CR3)))
		return kxen_exit_gp(v);
	kxen_vmx_write_cr4(v, val);
	return kxen_exit_skip(v);
}

/* Exit qualification for CR accesses: SDM Vol. 3 Table 28-3. */
static int handle_cr(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	unsigned long q = vx->exit_qual;
	unsigned int cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
	unsigned long val;

	switch (type) {
	case 0:	/* MOV to CR */
		val = kxen_gpr(v, reg);
		if (cr == 0)
			return kxen_set_cr0(v, val);
		if (cr == 4)
			return kxen_set_cr4(v, val);
		if (cr == 8) {
			if (val > 15)
				return kxen_exit_gp(v);
			vx->cr8 = val;
			return kxen_exit_skip(v);
		}
		break;
	case 1:	/* MOV from CR */
		if (cr == 8) {
			v->st.gprs[reg] = vx->cr8;
			return kxen_exit_skip(v);
		}
		break;
	case 3:	/* LMSW: PE can be set, never cleared */
		val = (v->st.cr0 & ~0xeUL) | ((q >> 16) & 0xf);
		return kxen_set_cr0(v, val);
	}
	return kxen_exit_fail(v, "unexpected control-register access");
}

/* Debug registers other than DR7 are kept in software. */
static int handle_dr(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	unsigned long q = vx->exit_qual;
	unsigned int dr = q & 7, reg = (q >> 8) & 15;
	bool from = q & 16;
	unsigned long *slot = NULL;

	if (v->st.cpl)
		return kxen_exit_gp(v);
	if (dr < 4)
		slot = &vx->dr[dr];
	else if (dr == 6 || dr == 4)
		slot = &vx->dr6;
	if (from) {
		v->st.gprs[reg] = slot ? *slot : vmcs_readl(GUEST_DR7);
	} else if (slot) {
		*slot = kxen_gpr(v, reg);
	} else {
		/* DR7 bits 63:32 are reserved (SDM Vol. 3 18.2.4). */
		if (kxen_gpr(v, reg) >> 32)
			return kxen_exit_gp(v);
		vmcs_writel(GUEST_DR7, kxen_gpr(v, reg) | 0x400);
	}
	return kxen_exit_skip(v);
}

/* Port I/O (qualification: SDM Vol. 3 Table 28-5), kmod/core/pio.c. */
static int handle_io(struct kxen_vcpu *v)
{
	unsigned long q = to_vmx(v)->exit_qual;
	unsigned int size = (q & 7) + 1, port = q >> 16;
	bool in = q & 8, string = q & 16;

	if (string)
		return kxen_exit_fail(v, "string port I/O is not emulated");
	kxen_pio(v, port, size, in);
	return kxen_exit_skip(v);
}

static int handle_rdmsr(struct kxen_vcpu *v)
{
	unsigned long *r = v->st.gprs;
	u64 val;

	if (kxen_vmx_rdmsr(v, r[KXEN_REG_RCX] & 0xffffffff, &val))
		return kxen_exit_gp(v);
	r[KXEN_REG_RAX] = (u32)val;
	r[KXEN_REG_RDX] = val >> 32;
	return kxen_exit_skip(v);
}

static int handle_wrmsr(struct kxen_vcpu *v)
{
	unsigned long *r = v->st.gprs;
	u64 val = (u32)r[KXEN_REG_RAX] | ((u64)(u32)r[KXEN_REG_RDX] << 32);

	if (kxen_vmx_wrmsr(v, r[KXEN_REG_RCX] & 0xffffffff, val))
		return kxen_exit_gp(v);
	return kxen_exit_skip(v);
}

/*
 * A GPA with no RAM mapped (EPT violation, qualification: SDM Vol. 3
 * Table 28-7): emulated in kmod/core/mmio.c.  Bits 7-8 tell an access
 * to the translated linear address from one of the guest's own
 * paging-structure walks.
 */
static int handle_ept_violation(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	unsigned long q = vx->exit_qual;
	struct kxen_mmio_fault f = {
		.gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS),
		.cs_base = vmcs_readl(GUEST_CS_BASE),
		.cs_db = vmcs_read32(GUEST_CS_AR_BYTES) & VMX_AR_DB_MASK,
		.write = q & EPT_VIOLATION_ACC_WRITE,
		.fetch = q & EPT_VIOLATION_ACC_INSTR,
		.walk = (q & EPT_VIOLATION_GVA_IS_VALID) &&
			!(q & EPT_VIOLATION_GVA_TRANSLATED),
		.event = vx->idt_vectoring & VECTORING_INFO_VALID_MASK,
	};

	return kxen_mmio_handle(v, &f);
}

static int handle_ept_misconfig(struct kxen_vcpu *v)
{
	return kxen_exit_fail(v, "EPT misconfiguration");
}

static int handle_preemption_timer(struct kxen_vcpu *v)
{
	return KXEN_EXIT_CONTINUE;
}

/* XSETBV (SDM Vol. 2 XSETBV, Vol. 1 13.3): only valid XCR0 values. */
static int handle_xsetbv(struct kxen_vcpu *v)
{
	unsigned long *r = v->st.gprs;
	u64 val = (u32)r[KXEN_REG_RAX] | ((u64)(u32)r[KXEN_REG_RDX] << 32);

	if (kxen_fpu_xsetbv(v, r[KXEN_REG_RCX], val))
		return kxen_exit_gp(v);
	return kxen_exit_skip(v);
}

static const kxen_exit_handler_t kxen_vmx_exit_handlers[] = {
	[EXIT_REASON_EXCEPTION_NMI]	 = handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = handle_external_interrupt,
	[EXIT_REASON_TRIPLE_FAULT]	 = handle_triple_fault,
	[EXIT_REASON_INTERRUPT_WINDOW]	 = handle_interrupt_window,
	[EXIT_REASON_CPUID]		 = handle_cpuid,
	[EXIT_REASON_TASK_SWITCH]	 = kxen_vmx_task_switch,
	[EXIT_REASON_HLT]		 = handle_hlt,
	[EXIT_REASON_INVD]		 = kxen_exit_skip,
	[EXIT_REASON_VMCALL]		 = handle_vmcall,
	[EXIT_REASON_VMCLEAR]		 = kxen_vmx_nested_insn,
	[EXIT_REASON_VMLAUNCH]		 = kxen_vmx_nested_insn,
	[EXIT_REASON_VMPTRLD]		 = kxen_vmx_nested_insn,
	[EXIT_REASON_VMPTRST]		 = kxen_vmx_nested_insn,
	[EXIT_REASON_VMREAD]		 = kxen_vmx_nested_insn,
	[EXIT_REASON_VMRESUME]		 = kxen_vmx_nested_insn,
	[EXIT_REASON_VMWRITE]		 = kxen_vmx_nested_insn,
	[EXIT_REASON_VMOFF]		 = kxen_vmx_nested_insn,
	[EXIT_REASON_VMON]		 = kxen_vmx_nested_insn,
	[EXIT_REASON_CR_ACCESS]		 = handle_cr,
	[EXIT_REASON_DR_ACCESS]		 = handle_dr,
	[EXIT_REASON_IO_INSTRUCTION]	 = handle_io,
	[EXIT_REASON_MSR_READ]		 = handle_rdmsr,
	[EXIT_REASON_MSR_WRITE]		 = handle_wrmsr,
	[EXIT_REASON_MWAIT_INSTRUCTION]	 = kxen_exit_ud,
	[EXIT_REASON_MONITOR_INSTRUCTION] = kxen_exit_ud,
	[EXIT_REASON_EPT_VIOLATION]	 = handle_ept_violation,
	[EXIT_REASON_EPT_MISCONFIG]	 = handle_ept_misconfig,
	[EXIT_REASON_INVEPT]		 = kxen_exit_ud,
	[EXIT_REASON_PREEMPTION_TIMER]	 = handle_preemption_timer,
	[EXIT_REASON_INVVPID]		 = kxen_exit_ud,
	[EXIT_REASON_WBINVD]		 = kxen_exit_skip,
	[EXIT_REASON_XSETBV]		 = handle_xsetbv,
};

static const char * const kxen_vmx_exit_names[] = {
	[EXIT_REASON_EXCEPTION_NMI] = "EXCEPTION_NMI",
	[EXIT_REASON_EXTERNAL_INTERRUPT] = "EXTERNAL_INTERRUPT",
	[EXIT_REASON_TRIPLE_FAULT] = "TRIPLE_FAULT",
	[EXIT_REASON_INTERRUPT_WINDOW] = "INTERRUPT_WINDOW",
	[EXIT_REASON_CPUID] = "CPUID",
	[EXIT_REASON_TASK_SWITCH] = "TASK_SWITCH",
	[EXIT_REASON_HLT] = "HLT",
	[EXIT_REASON_VMCALL] = "VMCALL",
	[EXIT_REASON_CR_ACCESS] = "CR_ACCESS",
	[EXIT_REASON_DR_ACCESS] = "DR_ACCESS",
	[EXIT_REASON_IO_INSTRUCTION] = "IO_INSTRUCTION",
	[EXIT_REASON_MSR_READ] = "MSR_READ",
	[EXIT_REASON_MSR_WRITE] = "MSR_WRITE",
	[EXIT_REASON_EPT_VIOLATION] = "EPT_VIOLATION",
	[EXIT_REASON_PREEMPTION_TIMER] = "PREEMPTION_TIMER",
	[EXIT_REASON_WBINVD] = "WBINVD",
	[EXIT_REASON_XSETBV] = "XSETBV",
};

const char *kxen_vmx_exit_name(u32 reason)
{
	return reason < ARRAY_SIZE(kxen_vmx_exit_names) ?
	       kxen_vmx_exit_names[reason] : NULL;
}

int kxen_vmx_handle_exit(struct kxen_vcpu *v)
{
	u32 reason = to_vmx(v)->exit_reason;
	u32 basic = reason & 0xffff;
	int ret;

	if (to_vmx(v)->l2) {
		ret = kxen_vmx_nested_exit(v);
		if (ret != -ENOENT)
			return ret;
	}

	if (reason & VMX_EXIT_REASONS_FAILED_VMENTRY)
		return kxen_exit_fail(v, "VM entry failed on guest state");
	if (basic < ARRAY_SIZE(kxen_vmx_exit_handlers) &&
	    kxen_vmx_exit_handlers[basic])
		return kxen_vmx_exit_handlers[basic](v);
	return kxen_exit_fail(v, "unhandled VM exit");
}
