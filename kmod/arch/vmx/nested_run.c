// SPDX-License-Identifier: GPL-2.0
/*
 * VM entry into the guest's own guest (the "nested guest") and the VM
 * exits back, for a domain with nestedhvm on VT-x (SDM Vol. 3 chapters
 * 27 and 28).
 *
 * kxen keeps one VMCS per vCPU.  At VMLAUNCH or VMRESUME it copies the
 * guest's VMCS (vmcs12) out of guest memory once, checks the copy, keeps
 * its own controls for the guest aside and writes the nested guest's
 * state and merged controls into its VMCS: the exits vmcs12 asks for OR
 * kxen's own, kxen's EPT.  No EPT is offered to the guest, so it shadows
 * its guest's page tables, the nested guest's physical addresses are the
 * guest's own, and kxen's EPT is right for both levels.
 *
 * An exit of the nested guest goes back to the guest (a nested VM exit)
 * when vmcs12 asks for it, or when the exit is one VMX always gives the
 * guest (CPUID, VMCALL, the VMX instructions, MSR accesses: no MSR
 * bitmaps are offered).  kxen keeps the host's events, EPT violations
 * (the nested guest's MMIO is the guest's devices), and what vmcs12 does
 * not ask for: a port access without I/O exiting goes to the guest's
 * ports, a HLT without HLT exiting halts the vCPU.  A nested VM exit
 * stores the nested guest's state and the exit's information in vmcs12
 * and loads the guest's state from vmcs12's host-state area (SDM 28.5).
 * The guest's general registers, CR2, DR0-DR3 and the MSRs VMX does not
 * switch stay shared by the two levels, as on a CPU.
 *
 * What differs from a CPU: an interrupt for the guest while its guest
 * runs makes an external-interrupt exit when vmcs12 asks for those
 * exits; without that, it waits for the nested guest's next exit, where
 * a CPU would deliver it through the nested guest's IDT.  An INIT resets
 * the vCPU, where a CPU would exit to the guest.  The VM-exit and
 * VM-entry MSR lists are not offered (a count other than 0 fails the
 * entry with VMfailValid(7)).
 */
#include <linux/kernel.h>
#include <asm/msr.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "nested.h"
#include "vmx_ops.h"

#define NVMX_AR_UNUSABLE	BIT(16)
#define NVMX_ENTRY_FAILED	(EXIT_REASON_INVALID_STATE | \
				 VMX_EXIT_REASONS_FAILED_VMENTRY)

static u64 g12(struct kxen_vmx_nested *n, u32 field)
{
	return n->f12[kxen_nvmx_slot(field)];
}

static void s12(struct kxen_vmx_nested *n, u32 field, u64 val)
{
	n->f12[kxen_nvmx_slot(field)] = val;
}

/* The guest-state fields that move as they are (SDM Vol. 3 25.4). */
static const u32 nvmx_guest_plain[] = {
	GUEST_ES_SELECTOR, GUEST_CS_SELECTOR, GUEST_SS_SELECTOR,
	GUEST_DS_SELECTOR, GUEST_FS_SELECTOR, GUEST_GS_SELECTOR,
	GUEST_LDTR_SELECTOR, GUEST_TR_SELECTOR,
	GUEST_ES_LIMIT, GUEST_CS_LIMIT, GUEST_SS_LIMIT, GUEST_DS_LIMIT,
	GUEST_FS_LIMIT, GUEST_GS_LIMIT, GUEST_LDTR_LIMIT, GUEST_TR_LIMIT,
	GUEST_GDTR_LIMIT, GUEST_IDTR_LIMIT,
	GUEST_ES_AR_BYTES, GUEST_CS_AR_BYTES, GUEST_SS_AR_BYTES,
	GUEST_DS_AR_BYTES, GUEST_FS_AR_BYTES, GUEST_GS_AR_BYTES,
	GUEST_LDTR_AR_BYTES, GUEST_TR_AR_BYTES,
	GUEST_ES_BASE, GUEST_CS_BASE, GUEST_SS_BASE, GUEST_DS_BASE,
	GUEST_FS_BASE, GUEST_GS_BASE, GUEST_LDTR_BASE, GUEST_TR_BASE,
	GUEST_GDTR_BASE, GUEST_IDTR_BASE, GUEST_CR3, GUEST_DR7,
	GUEST_SYSENTER_CS, GUEST_SYSENTER_ESP, GUEST_SYSENTER_EIP,
	GUEST_INTERRUPTIBILITY_INFO, GUEST_PENDING_DBG_EXCEPTIONS,
};

/* ---- the checks of SDM Vol. 3 27.2 and 27.3, on the copy ---- */

static bool nvmx_ctl_ok(u64 val, u32 default1, u32 allowed)
{
	return !(val >> 32) && (val & default1) == default1 &&
	       !(val & ~(u64)allowed);
}

/* VM-entry event injection (SDM 27.2.1.3). */
static bool nvmx_inject_ok(struct kxen_vmx_nested *n)
{
	u32 info = g12(n, VM_ENTRY_INTR_INFO_FIELD);
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;
	u8 vec = info & INTR_INFO_VECTOR_MASK;
	u32 len = g12(n, VM_ENTRY_INSTRUCTION_LEN);
	bool code = info & INTR_INFO_DELIVER_CODE_MASK;

	if (!(info & INTR_INFO_VALID_MASK))
		return true;
	if (info & INTR_INFO_RESVD_BITS_MASK || type == 0x100 ||
	    type == INTR_TYPE_OTHER_EVENT)
		return false;
	if (type == INTR_TYPE_NMI_INTR && vec != X86_TRAP_NMI)
		return false;
	if (type == INTR_TYPE_HARD_EXCEPTION && vec > 31)
		return false;
	if (code != (type == INTR_TYPE_HARD_EXCEPTION &&
		     (vec == X86_TRAP_DF || (vec >= X86_TRAP_TS &&
					     vec <= X86_TRAP_PF) ||
		      vec == X86_TRAP_AC)))
		return false;
	if (code && g12(n, VM_ENTRY_EXCEPTION_ERROR_CODE) >> 15)
		return false;
	if ((type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_SOFT_EXCEPTION ||
	     type == INTR_TYPE_PRIV_SW_EXCEPTION) && (len < 1 || len > 15))
		return false;
	return true;
}

static bool nvmx_controls_ok(struct kxen_vmx_nested *n)
{
	return nvmx_ctl_ok(g12(n, PIN_BASED_VM_EXEC_CONTROL),
			   KXEN_NVMX_PIN_DEFAULT1, KXEN_NVMX_PIN_ALLOWED) &&
	       nvmx_ctl_ok(g12(n, CPU_BASED_VM_EXEC_CONTROL),
			   KXEN_NVMX_PROC_DEFAULT1, KXEN_NVMX_PROC_ALLOWED) &&
	       nvmx_ctl_ok(g12(n, VM_EXIT_CONTROLS),
			   KXEN_NVMX_EXIT_DEFAULT1, KXEN_NVMX_EXIT_ALLOWED) &&
	       nvmx_ctl_ok(g12(n, VM_ENTRY_CONTROLS),
			   KXEN_NVMX_ENTRY_DEFAULT1, KXEN_NVMX_ENTRY_ALLOWED) &&
	       !g12(n, CR3_TARGET_COUNT) && !g12(n, VM_EXIT_MSR_STORE_COUNT) &&
	       !g12(n, VM_EXIT_MSR_LOAD_COUNT) &&
	       !g12(n, VM_ENTRY_MSR_LOAD_COUNT) && nvmx_inject_ok(n);
}

/* Host state (SDM 27.2.2, 27.2.3), against the guest's own mode. */
static bool nvmx_host_ok(struct kxen_vcpu *v, struct kxen_vmx_nested *n)
{
	bool hass = g12(n, VM_EXIT_CONTROLS) & VM_EXIT_HOST_ADDR_SPACE_SIZE;
	static const u32 sels[] = {
		HOST_ES_SELECTOR, HOST_CS_SELECTOR, HOST_SS_SELECTOR,
		HOST_DS_SELECTOR, HOST_FS_SELECTOR, HOST_GS_SELECTOR,
		HOST_TR_SELECTOR,
	};
	unsigned int i;

	if ((g12(n, HOST_CR0) & KXEN_NVMX_CR0_FIXED0) != KXEN_NVMX_CR0_FIXED0 ||
	    !(g12(n, HOST_CR4) & X86_CR4_VMXE) ||
	    hass != !!(v->st.efer & EFER_LMA) ||
	    (hass && !(g12(n, HOST_CR4) & X86_CR4_PAE)) ||
	    (!hass && (g12(n, VM_ENTRY_CONTROLS) & VM_ENTRY_IA32E_MODE)) ||
	    !g12(n, HOST_CS_SELECTOR) || !g12(n, HOST_TR_SELECTOR))
		return false;
	for (i = 0; i < ARRAY_SIZE(sels); i++)
		if (g12(n, sels[i]) & 7)
			return false;
	if (!hass)
		return !(g12(n, HOST_RIP) >> 32);
	return kxen_canonical(g12(n, HOST_RIP)) &&
	       kxen_canonical(g12(n, HOST_FS_BASE)) &&
	       kxen_canonical(g12(n, HOST_GS_BASE)) &&
	       kxen_canonical(g12(n, HOST_TR_BASE)) &&
	       kxen_canonical(g12(n, HOST_GDTR_BASE)) &&
	       kxen_canonical(g12(n, HOST_IDTR_BASE));
}

/*
 * The guest-state checks the CPU would not make on kxen's VMCS, which
 * has unrestricted guest on (SDM 27.3.1); the CPU makes the rest.
 */
static bool nvmx_guest_ok(struct kxen_vmx_nested *n)
{
	u64 cr0 = g12(n, GUEST_CR0), cr4 = g12(n, GUEST_CR4);
	bool ia32e = g12(n, VM_ENTRY_CONTROLS) & VM_ENTRY_IA32E_MODE;
	u64 efer = g12(n, GUEST_IA32_EFER);

	if ((cr0 & KXEN_NVMX_CR0_FIXED0) != KXEN_NVMX_CR0_FIXED0 ||
	    !(cr4 & X86_CR4_VMXE) || (ia32e && !(cr4 & X86_CR4_PAE)) ||
	    g12(n, GUEST_ACTIVITY_STATE) || g12(n, VMCS_LINK_POINTER) != ~0ULL)
		return false;
	if (g12(n, VM_ENTRY_CONTROLS) & VM_ENTRY_LOAD_IA32_EFER)
		return !!(efer & EFER_LMA) == ia32e &&
		       !!(efer & EFER_LME) == ia32e;
	return true;
}

/* ---- switching the VMCS between the levels ---- */

static void nvmx_save_l1_controls(struct kxen_vmx_nested *n)
{
	n->l1.pin = vmcs_read32(PIN_BASED_VM_EXEC_CONTROL);
	n->l1.proc = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL);
	n->l1.proc2 = vmcs_read32(SECONDARY_VM_EXEC_CONTROL);
	n->l1.entry = vmcs_read32(VM_ENTRY_CONTROLS);
	n->l1.exc_bitmap = vmcs_read32(EXCEPTION_BITMAP);
	n->l1.cr0_mask = vmcs_readl(CR0_GUEST_HOST_MASK);
	n->l1.cr4_mask = vmcs_readl(CR4_GUEST_HOST_MASK);
}

/*
 * The nested guest's controls: kxen's own for the guest, without its
 * APIC virtualization (the guest's APIC is not its guest's) and the
 * instructions VMX hides when secondary controls are off (RDTSCP,
 * INVPCID raise #UD), plus the exits vmcs12 asks for.
 */
static void nvmx_load_l2_controls(struct kxen_vmx_nested *n)
{
	u32 proc = (n->l1.proc & ~(CPU_BASED_TPR_SHADOW |
				   CPU_BASED_USE_MSR_BITMAPS |
				   CPU_BASED_INTR_WINDOW_EXITING)) |
		   (g12(n, CPU_BASED_VM_EXEC_CONTROL) & KXEN_NVMX_PROC_EXITS);
	u32 proc2 = n->l1.proc2 & (SECONDARY_EXEC_ENABLE_EPT |
				   SECONDARY_EXEC_UNRESTRICTED_GUEST |
				   SECONDARY_EXEC_WBINVD_EXITING);
	u32 entry = n->l1.entry & ~VM_ENTRY_IA32E_MODE;

	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, proc);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, proc2);
	if (g12(n, VM_ENTRY_CONTROLS) & VM_ENTRY_IA32E_MODE)
		entry |= VM_ENTRY_IA32E_MODE;
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
	vmcs_write32(EXCEPTION_BITMAP, n->l1.exc_bitmap |
		     g12(n, EXCEPTION_BITMAP));
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK,
		     g12(n, PAGE_FAULT_ERROR_CODE_MASK));
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH,
		     g12(n, PAGE_FAULT_ERROR_CODE_MATCH));
	vmcs_writel(CR0_GUEST_HOST_MASK, n->l1.cr0_mask |
		    g12(n, CR0_GUEST_HOST_MASK));
	vmcs_writel(CR4_GUEST_HOST_MASK, n->l1.cr4_mask |
		    g12(n, CR4_GUEST_HOST_MASK));
}

/* What the nested guest reads of CR0/CR4: vmcs12's shadow where it owns. */
static unsigned long nvmx_shadow(struct kxen_vmx_nested *n, u32 mask,
				 u32 shadow, unsigned long val)
{
	return (g12(n, shadow) & g12(n, mask)) | (val & ~g12(n, mask));
}

static void nvmx_load_l2_state(struct kxen_vcpu *v, struct kxen_vmx_nested *n)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	u32 entry = g12(n, VM_ENTRY_CONTROLS);
	unsigned int i;
	u64 efer;

	for (i = 0; i < ARRAY_SIZE(nvmx_guest_plain); i++)
		__kxen_vmwrite(nvmx_guest_plain[i], g12(n, nvmx_guest_plain[i]));
	kxen_vmx_write_cr0(v, g12(n, GUEST_CR0));
	vmcs_writel(CR0_READ_SHADOW, nvmx_shadow(n, CR0_GUEST_HOST_MASK,
						 CR0_READ_SHADOW,
						 g12(n, GUEST_CR0)));
	kxen_vmx_write_cr4(v, g12(n, GUEST_CR4));
	vmcs_writel(CR4_READ_SHADOW, nvmx_shadow(n, CR4_GUEST_HOST_MASK,
						 CR4_READ_SHADOW,
						 g12(n, GUEST_CR4)));
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	if (entry & VM_ENTRY_LOAD_IA32_EFER) {
		efer = g12(n, GUEST_IA32_EFER);
	} else {
		efer = v->st.efer & ~(EFER_LMA | EFER_LME);
		if (entry & VM_ENTRY_IA32E_MODE)
			efer |= EFER_LMA | EFER_LME;
	}
	vmcs_write64(GUEST_IA32_EFER, efer);
	v->st.efer = efer;
	v->st.cr3 = g12(n, GUEST_CR3);
	if (entry & VM_ENTRY_LOAD_IA32_PAT)
		vmcs_write64(GUEST_IA32_PAT, g12(n, GUEST_IA32_PAT));
	/* No EPT for the guest: PAE's PDPTEs come from memory (27.3.2.4). */
	if ((g12(n, GUEST_CR4) & X86_CR4_PAE) &&
	    !(entry & VM_ENTRY_IA32E_MODE))
		kxen_vmx_load_pdptrs(v, g12(n, GUEST_CR3));
	vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	v->st.rip = g12(n, GUEST_RIP);
	v->st.rflags = g12(n, GUEST_RFLAGS);
	v->st.gprs[KXEN_REG_RSP] = g12(n, GUEST_RSP);
	v->st.dirty |= KXEN_DIRTY_RIP | KXEN_DIRTY_RFLAGS;
	vx->inject_info = 0;
	if (g12(n, VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK) {
		vx->inject_info = g12(n, VM_ENTRY_INTR_INFO_FIELD);
		vx->inject_error = g12(n, VM_ENTRY_EXCEPTION_ERROR_CODE);
		vx->inject_len = g12(n, VM_ENTRY_INSTRUCTION_LEN);
	}
}

static bool nvmx_read12(struct kxen_vcpu *v, struct kxen_vmx_nested *n)
{
	return !kxen_gpa_read(v->dom, n->current_ptr + KXEN_VMCS12_FIELDS,
			      n->f12, kxen_nvmx_nr_fields * sizeof(u64));
}

static void nvmx_write12(struct kxen_vcpu *v, struct kxen_vmx_nested *n)
{
	kxen_gpa_write(v->dom, n->current_ptr + KXEN_VMCS12_FIELDS, n->f12,
		       kxen_nvmx_nr_fields * sizeof(u64));
}

static void nvmx_load_host_seg(u32 sel_field, u16 sel, u64 base)
{
	/* ES, CS, SS, DS, FS, GS, LDTR, TR: 2 apart in each field group. */
	u32 i = sel_field - GUEST_ES_SELECTOR;

	vmcs_write16(GUEST_ES_SELECTOR + i, sel);
	vmcs_writel(GUEST_ES_BASE + i, base);
	vmcs_write32(GUEST_ES_LIMIT + i, 0xffffffff);
	vmcs_write32(GUEST_ES_AR_BYTES + i, sel ? 0xc093 : NVMX_AR_UNUSABLE);
}

/* The guest's state after a VM exit: vmcs12's host state (SDM 28.5). */
static void nvmx_load_l1_state(struct kxen_vcpu *v, struct kxen_vmx_nested *n)
{
	u32 exit = g12(n, VM_EXIT_CONTROLS);
	bool hass = exit & VM_EXIT_HOST_ADDR_SPACE_SIZE;
	u64 efer = v->st.efer & ~(EFER_LMA | EFER_LME);

	if (exit & VM_EXIT_LOAD_IA32_EFER)
		efer = g12(n, HOST_IA32_EFER);
	else if (hass)
		efer |= EFER_LMA | EFER_LME;
	vmcs_write64(GUEST_IA32_EFER, efer);
	v->st.efer = efer;
	if (exit & VM_EXIT_LOAD_IA32_PAT)
		vmcs_write64(GUEST_IA32_PAT, g12(n, HOST_IA32_PAT));
	kxen_vmx_write_cr0(v, g12(n, HOST_CR0));
	kxen_vmx_write_cr4(v, g12(n, HOST_CR4));
	vmcs_writel(GUEST_CR3, g12(n, HOST_CR3));
	v->st.cr3 = g12(n, HOST_CR3);
	if ((g12(n, HOST_CR4) & X86_CR4_PAE) && !hass)
		kxen_vmx_load_pdptrs(v, g12(n, HOST_CR3));
	vmcs_writel(GUEST_DR7, 0x400);
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write32(GUEST_SYSENTER_CS, g12(n, HOST_IA32_SYSENTER_CS));
	vmcs_writel(GUEST_SYSENTER_ESP, g12(n, HOST_IA32_SYSENTER_ESP));
	vmcs_writel(GUEST_SYSENTER_EIP, g12(n, HOST_IA32_SYSENTER_EIP));
	nvmx_load_host_seg(GUEST_ES_SELECTOR, g12(n, HOST_ES_SELECTOR), 0);
	nvmx_load_host_seg(GUEST_SS_SELECTOR, g12(n, HOST_SS_SELECTOR), 0);
	nvmx_load_host_seg(GUEST_DS_SELECTOR, g12(n, HOST_DS_SELECTOR), 0);
	nvmx_load_host_seg(GUEST_FS_SELECTOR, g12(n, HOST_FS_SELECTOR),
			   g12(n, HOST_FS_BASE));
	nvmx_load_host_seg(GUEST_GS_SELECTOR, g12(n, HOST_GS_SELECTOR),
			   g12(n, HOST_GS_BASE));
	nvmx_load_host_seg(GUEST_CS_SELECTOR, g12(n, HOST_CS_SELECTOR), 0);
	vmcs_write32(GUEST_CS_AR_BYTES, hass ? 0xa09b : 0xc09b);
	vmcs_write16(GUEST_TR_SELECTOR, g12(n, HOST_TR_SELECTOR));
	vmcs_writel(GUEST_TR_BASE, g12(n, HOST_TR_BASE));
	vmcs_write32(GUEST_TR_LIMIT, 0x67);
	vmcs_write32(GUEST_TR_AR_BYTES, 0x8b);
	vmcs_write16(GUEST_LDTR_SELECTOR, 0);
	vmcs_write32(GUEST_LDTR_AR_BYTES, NVMX_AR_UNUSABLE);
	vmcs_writel(GUEST_GDTR_BASE, g12(n, HOST_GDTR_BASE));
	vmcs_write32(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_writel(GUEST_IDTR_BASE, g12(n, HOST_IDTR_BASE));
	vmcs_write32(GUEST_IDTR_LIMIT, 0xffff);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	v->st.rip = g12(n, HOST_RIP);
	v->st.gprs[KXEN_REG_RSP] = g12(n, HOST_RSP);
	v->st.rflags = X86_EFLAGS_FIXED;
	v->st.dirty |= KXEN_DIRTY_RIP | KXEN_DIRTY_RFLAGS;
}

/* The guest's own controls back (an INIT while its guest runs, too). */
void kxen_nvmx_leave(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	u32 entry = n->l1.entry & ~VM_ENTRY_IA32E_MODE;

	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, n->l1.pin);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, n->l1.proc);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, n->l1.proc2);
	if (vmcs_read64(GUEST_IA32_EFER) & EFER_LMA)
		entry |= VM_ENTRY_IA32E_MODE;
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
	vmcs_write32(EXCEPTION_BITMAP, n->l1.exc_bitmap);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_writel(CR0_GUEST_HOST_MASK, n->l1.cr0_mask);
	vmcs_writel(CR4_GUEST_HOST_MASK, n->l1.cr4_mask);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vx->inject_info = 0;
	vx->injecting = false;
	vx->l2 = false;
}

/* The nested guest's state into vmcs12's guest-state area (SDM 28.3). */
static void nvmx_save_l2_state(struct kxen_vcpu *v, struct kxen_vmx_nested *n)
{
	u32 exit = g12(n, VM_EXIT_CONTROLS);
	u64 efer = vmcs_read64(GUEST_IA32_EFER);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nvmx_guest_plain); i++)
		s12(n, nvmx_guest_plain[i],
		    __kxen_vmread(nvmx_guest_plain[i]));
	/* The CPU's CR0/CR4: what the nested guest set, as it must (NE, VMXE). */
	s12(n, GUEST_CR0, vmcs_readl(GUEST_CR0));
	s12(n, GUEST_CR4, vmcs_readl(GUEST_CR4));
	s12(n, GUEST_RIP, v->st.rip);
	s12(n, GUEST_RSP, v->st.gprs[KXEN_REG_RSP]);
	s12(n, GUEST_RFLAGS, v->st.rflags);
	s12(n, GUEST_IA32_DEBUGCTL, 0);
	s12(n, GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	if (exit & VM_EXIT_SAVE_IA32_EFER)
		s12(n, GUEST_IA32_EFER, efer);
	if (exit & VM_EXIT_SAVE_IA32_PAT)
		s12(n, GUEST_IA32_PAT, vmcs_read64(GUEST_IA32_PAT));
	/* "IA-32e mode guest" follows the nested guest's EFER.LMA (28.2). */
	if (efer & EFER_LMA)
		s12(n, VM_ENTRY_CONTROLS,
		    g12(n, VM_ENTRY_CONTROLS) | VM_ENTRY_IA32E_MODE);
	else
		s12(n, VM_ENTRY_CONTROLS,
		    g12(n, VM_ENTRY_CONTROLS) & ~VM_ENTRY_IA32E_MODE);
}

struct nvmx_exit {
	u32 reason, intr_info, intr_error, idt_info, idt_error;
	unsigned long qual;
	bool hw;		/* the CPU's exit: its information fields too */
};

/*
 * A nested VM exit (SDM 28): the exit's information and the nested
 * guest's state into vmcs12 (not after a failed entry, which leaves the
 * guest state as it was), the guest's own state and controls back.
 */
static void nvmx_vmexit(struct kxen_vcpu *v, const struct nvmx_exit *e)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);

	if (!(e->reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
		nvmx_save_l2_state(v, n);
	s12(n, VM_EXIT_REASON, e->reason);
	s12(n, EXIT_QUALIFICATION, e->qual);
	s12(n, VM_EXIT_INTR_INFO, e->intr_info);
	s12(n, VM_EXIT_INTR_ERROR_CODE, e->intr_error);
	s12(n, IDT_VECTORING_INFO_FIELD, e->idt_info);
	s12(n, IDT_VECTORING_ERROR_CODE, e->idt_error);
	s12(n, VM_EXIT_INSTRUCTION_LEN, e->hw ? v->st.insn_len : 0);
	s12(n, VMX_INSTRUCTION_INFO,
	    e->hw ? vmcs_read32(VMX_INSTRUCTION_INFO) : 0);
	s12(n, GUEST_LINEAR_ADDRESS,
	    e->hw ? vmcs_readl(GUEST_LINEAR_ADDRESS) : 0);
	s12(n, VM_ENTRY_INTR_INFO_FIELD,
	    g12(n, VM_ENTRY_INTR_INFO_FIELD) & ~INTR_INFO_VALID_MASK);
	nvmx_load_l1_state(v, n);
	kxen_nvmx_leave(v);
	nvmx_write12(v, n);
}

/* VM-entry failure on guest state: exit reason 33 (SDM 27.8). */
static int nvmx_entry_failure(struct kxen_vcpu *v)
{
	const struct nvmx_exit e = { .reason = NVMX_ENTRY_FAILED };

	nvmx_vmexit(v, &e);
	return KXEN_EXIT_CONTINUE;
}

int kxen_nvmx_enter(struct kxen_vcpu *v, bool launch)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);
	u32 launched = 1;

	if (!nvmx_read12(v, n) || !nvmx_controls_ok(n))
		return kxen_nvmx_fail(v, VMXERR_ENTRY_BAD_CONTROLS);
	if (!nvmx_host_ok(v, n))
		return kxen_nvmx_fail(v, VMXERR_ENTRY_BAD_HOST_STATE);
	nvmx_save_l1_controls(n);
	to_vmx(v)->l2 = true;
	if (!nvmx_guest_ok(n))
		return nvmx_entry_failure(v);
	nvmx_load_l2_controls(n);
	nvmx_load_l2_state(v, n);
	if (launch)
		kxen_gpa_write(v->dom, n->current_ptr + KXEN_VMCS12_LAUNCH,
			       &launched, sizeof(launched));
	return KXEN_EXIT_CONTINUE;
}

/* ---- which exits of the nested guest are the guest's ---- */

static bool nvmx_proc12(struct kxen_vmx_nested *n, u32 bit)
{
	return g12(n, CPU_BASED_VM_EXEC_CONTROL) & bit;
}

/* MOV to CR0/CR4 and LMSW exit to the guest where it owns a bit (26.1.3). */
static bool nvmx_cr_wanted(struct kxen_vcpu *v, struct kxen_vmx_nested *n,
			   unsigned long q)
{
	unsigned int cr = q & 15, type = (q >> 4) & 3;
	unsigned long val = v->st.gprs[(q >> 8) & 15], m, sh, src;

	switch (type) {
	case 0:		/* MOV to CR */
		if (cr == 0 || cr == 4) {
			m = g12(n, cr ? CR4_GUEST_HOST_MASK :
				   CR0_GUEST_HOST_MASK);
			sh = g12(n, cr ? CR4_READ_SHADOW : CR0_READ_SHADOW);
			return (val ^ sh) & m;
		}
		if (cr == 8)
			return nvmx_proc12(n, CPU_BASED_CR8_LOAD_EXITING);
		return true;	/* CR3: load exiting is always on */
	case 1:		/* MOV from CR */
		if (cr == 8)
			return nvmx_proc12(n, CPU_BASED_CR8_STORE_EXITING);
		return true;
	case 2:		/* CLTS */
		m = g12(n, CR0_GUEST_HOST_MASK);
		sh = g12(n, CR0_READ_SHADOW);
		return m & sh & X86_CR0_TS;
	}
	/* LMSW: PE only set, MP/EM/TS changed, in the guest's bits. */
	m = g12(n, CR0_GUEST_HOST_MASK);
	sh = g12(n, CR0_READ_SHADOW);
	src = (q >> 16) & 0xf;
	return (m & X86_CR0_PE & ~sh & src) ||
	       (m & (X86_CR0_MP | X86_CR0_EM | X86_CR0_TS) & (src ^ sh));
}

/* An exception: the guest's when its bitmap has it (SDM 26.2, #PF too). */
static bool nvmx_exception_wanted(struct kxen_vmx_nested *n, u32 info)
{
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;
	u8 vec = info & INTR_INFO_VECTOR_MASK;

	if (type == INTR_TYPE_NMI_INTR || vec == X86_TRAP_MC)
		return false;
	/* kxen intercepts no #PF: one that exits passed vmcs12's filter. */
	return vec == X86_TRAP_PF || (g12(n, EXCEPTION_BITMAP) & BIT(vec));
}

static bool nvmx_wanted(struct kxen_vcpu *v, struct kxen_vmx_nested *n,
			u32 reason)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);

	if (reason & VMX_EXIT_REASONS_FAILED_VMENTRY)
		return true;
	switch (reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		return nvmx_exception_wanted(n, vx->exit_intr_info);
	case EXIT_REASON_EXTERNAL_INTERRUPT:
	case EXIT_REASON_EPT_VIOLATION:
	case EXIT_REASON_EPT_MISCONFIG:
	case EXIT_REASON_PREEMPTION_TIMER:
	case EXIT_REASON_WBINVD:
		return false;	/* the host's, or kxen's own */
	case EXIT_REASON_CR_ACCESS:
		return nvmx_cr_wanted(v, n, vx->exit_qual);
	case EXIT_REASON_INTERRUPT_WINDOW:
		return nvmx_proc12(n, CPU_BASED_INTR_WINDOW_EXITING);
	case EXIT_REASON_HLT:
		return nvmx_proc12(n, CPU_BASED_HLT_EXITING);
	case EXIT_REASON_IO_INSTRUCTION:
		return nvmx_proc12(n, CPU_BASED_UNCOND_IO_EXITING);
	case EXIT_REASON_DR_ACCESS:
		return nvmx_proc12(n, CPU_BASED_MOV_DR_EXITING);
	case EXIT_REASON_MWAIT_INSTRUCTION:
		return nvmx_proc12(n, CPU_BASED_MWAIT_EXITING);
	case EXIT_REASON_MONITOR_INSTRUCTION:
		return nvmx_proc12(n, CPU_BASED_MONITOR_EXITING);
	}
	/*
	 * The rest exit only when vmcs12 asks (INVLPG, RDTSC, RDPMC, PAUSE)
	 * or always do in VMX non-root operation (CPUID, VMCALL, the VMX
	 * instructions, XSETBV, INVD, task switches, MSR accesses without
	 * bitmaps, a triple fault).
	 */
	return true;
}

/*
 * An exit while the nested guest ran: a nested VM exit when the guest
 * wants it; -ENOENT when kxen handles it on the nested guest's state.
 */
int kxen_vmx_nested_exit(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	struct nvmx_exit e = {
		.reason = vx->exit_reason,
		.qual = vx->exit_qual,
		.intr_info = vx->exit_intr_info,
		.idt_info = vx->idt_vectoring,
		.hw = true,
	};

	if (!nvmx_wanted(v, n, e.reason & (0xffff |
					   VMX_EXIT_REASONS_FAILED_VMENTRY)))
		return -ENOENT;
	if (e.intr_info & INTR_INFO_DELIVER_CODE_MASK)
		e.intr_error = vmcs_read32(VM_EXIT_INTR_ERROR_CODE);
	if (e.idt_info & VECTORING_INFO_DELIVER_CODE_MASK)
		e.idt_error = vmcs_read32(IDT_VECTORING_ERROR_CODE);
	/* An interrupted delivery is the guest's to redo, not kxen's. */
	vx->inject_info = 0;
	nvmx_vmexit(v, &e);
	return KXEN_EXIT_CONTINUE;
}

/*
 * Before an entry into the nested guest: an interrupt for the guest
 * becomes an external-interrupt exit (without acknowledgment: SDM 28.2.2
 * leaves its vector in the guest's APIC) when vmcs12 asks for those.
 */
bool kxen_vmx_nested_intr(struct kxen_vcpu *v)
{
	struct kxen_vmx_nested *n = kxen_nvmx_of(v);
	const struct nvmx_exit e = { .reason = EXIT_REASON_EXTERNAL_INTERRUPT };

	if (to_vmx(v)->inject_info ||
	    !(g12(n, PIN_BASED_VM_EXEC_CONTROL) & PIN_BASED_EXT_INTR_MASK) ||
	    (kxen_vcpu_pending_vector(v) < 0 && kxen_lapic_pending(v) < 0))
		return false;
	nvmx_vmexit(v, &e);
	return true;
}
