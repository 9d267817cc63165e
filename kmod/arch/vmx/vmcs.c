// SPDX-License-Identifier: GPL-2.0
/*
 * VMCS lifetime and contents: allocation, the per-CPU list of active
 * VMCSs (a VMCS must be VMCLEARed on the CPU where it is active before it
 * moves or that CPU leaves VMX operation, SDM Vol. 3 24.1), the fixed
 * controls, host state, and the PVH boot state of the guest.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/percpu.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/trapnr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "vmx.h"
#include "vmx_ops.h"

static DEFINE_PER_CPU(struct list_head, kxen_loaded_vmcss);
static DEFINE_PER_CPU(bool, kxen_loaded_init);
static DEFINE_PER_CPU(struct kxen_vmcs *, kxen_current_vmcs);

static struct list_head *kxen_loaded_list(int cpu)
{
	struct list_head *l = per_cpu_ptr(&kxen_loaded_vmcss, cpu);

	if (!per_cpu(kxen_loaded_init, cpu)) {
		INIT_LIST_HEAD(l);
		per_cpu(kxen_loaded_init, cpu) = true;
	}
	return l;
}

/* Runs on the CPU where @vx's VMCS is active, IRQs off. */
static void kxen_vmcs_clear_local(void *arg)
{
	struct kxen_vmx_vcpu *vx = arg;
	int cpu = smp_processor_id();

	if (vx->cpu != cpu)
		return;
	kxen_vmclear(__pa(vx->vmcs));
	if (per_cpu(kxen_current_vmcs, cpu) == vx->vmcs)
		per_cpu(kxen_current_vmcs, cpu) = NULL;
	list_del(&vx->loaded_node);
	/* Order the list update before others see the VMCS as free. */
	smp_wmb();
	vx->cpu = -1;
	vx->launched = false;
}

static void kxen_vmcs_clear(struct kxen_vmx_vcpu *vx)
{
	int cpu = READ_ONCE(vx->cpu);

	if (cpu >= 0)
		smp_call_function_single(cpu, kxen_vmcs_clear_local, vx, 1);
}

/* CPU going offline: VMCLEAR everything active here. */
void kxen_vmx_clear_loaded_on_cpu(void)
{
	struct kxen_vmx_vcpu *vx, *tmp;
	struct list_head *l = kxen_loaded_list(smp_processor_id());
	unsigned long flags;

	local_irq_save(flags);
	list_for_each_entry_safe(vx, tmp, l, loaded_node)
		kxen_vmcs_clear_local(vx);
	local_irq_restore(flags);
}

static void kxen_vmx_host_percpu(struct kxen_vmx_vcpu *vx, int cpu)
{
	struct desc_ptr dt;

	/*
	 * The TSS, GDT, GS base and SYSENTER stack differ per CPU; the FS
	 * base is this vCPU thread's own.
	 */
	vmcs_writel(HOST_TR_BASE,
		    (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vmcs_writel(HOST_GDTR_BASE, (unsigned long)get_cpu_gdt_ro(cpu));
	store_idt(&dt);
	vmcs_writel(HOST_IDTR_BASE, dt.address);
	vmcs_writel(HOST_GS_BASE, native_read_msr(MSR_GS_BASE));
	vmcs_writel(HOST_FS_BASE, native_read_msr(MSR_FS_BASE));
	vmcs_writel(HOST_IA32_SYSENTER_ESP,
		    native_read_msr(MSR_IA32_SYSENTER_ESP));
}

/*
 * Make @v's VMCS current on this CPU; preemption is off.  A VMCS that was
 * active elsewhere is VMCLEARed there first, then VMLAUNCHed afresh here.
 */
void kxen_vmx_load(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	int cpu = smp_processor_id();
	bool moved = vx->cpu != cpu;
	unsigned long cr3, cr4;

	if (moved) {
		kxen_vmcs_clear(vx);
		local_irq_disable();
		list_add(&vx->loaded_node, kxen_loaded_list(cpu));
		vx->cpu = cpu;
		local_irq_enable();
	}
	if (this_cpu_read(kxen_current_vmcs) != vx->vmcs) {
		/* Not current if it failed: the entry fails, not the host. */
		if (!kxen_vmptrld(__pa(vx->vmcs)))
			this_cpu_write(kxen_current_vmcs, vx->vmcs);
	}
	if (moved) {
		kxen_vmx_host_percpu(vx, cpu);
		/* A freed EPT root may be reused: drop what it cached here. */
		kxen_invept(VMX_EPT_EXTENT_CONTEXT, to_vmx_dom(v->dom)->eptp);
	}
	kxen_spec_switch_domain(v->dom);
	/* A kernel thread borrows the last mm; CR4 bits can change too. */
	cr3 = __read_cr3();
	if (cr3 != vx->host_cr3) {
		vmcs_writel(HOST_CR3, cr3);
		vx->host_cr3 = cr3;
	}
	cr4 = cr4_read_shadow();
	if (cr4 != vx->host_cr4) {
		vmcs_writel(HOST_CR4, cr4);
		vx->host_cr4 = cr4;
	}
}

static void kxen_vmx_setup_host(void)
{
	vmcs_writel(HOST_CR0, read_cr0());
	vmcs_write16(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write16(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write16(HOST_DS_SELECTOR, 0);
	vmcs_write16(HOST_ES_SELECTOR, 0);
	vmcs_write16(HOST_FS_SELECTOR, 0);
	vmcs_write16(HOST_GS_SELECTOR, 0);
	vmcs_write16(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	vmcs_write32(HOST_IA32_SYSENTER_CS,
		     (u32)native_read_msr(MSR_IA32_SYSENTER_CS));
	vmcs_writel(HOST_IA32_SYSENTER_EIP, native_read_msr(MSR_IA32_SYSENTER_EIP));
	vmcs_write64(HOST_IA32_EFER, native_read_msr(MSR_EFER));
	vmcs_write64(HOST_IA32_PAT, native_read_msr(MSR_IA32_CR_PAT));
	vmcs_writel(HOST_RIP, (unsigned long)kxen_vmx_vmexit);
}

static void kxen_vmx_setup_controls(struct kxen_vcpu *v)
{
	const struct kxen_vmcs_config *c = &kxen_vmcs_conf;

	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, c->pin);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, c->proc);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, c->proc2);
	vmcs_write32(VM_EXIT_CONTROLS, c->exit);
	vmcs_write32(VM_ENTRY_CONTROLS, c->entry);
	/*
	 * #DB and #AC exit, so a guest whose delivery of one raises it
	 * again (a breakpoint on its IST stack; #AC on a misaligned stack)
	 * loops through the host, not inside the CPU where no interrupt
	 * ever gets in (CVE-2015-8104, CVE-2015-5307); #MC belongs to the
	 * host.  As KVM's vmx_update_exception_bitmap.
	 */
	vmcs_write32(EXCEPTION_BITMAP, BIT(X86_TRAP_DB) | BIT(X86_TRAP_AC) |
		     BIT(X86_TRAP_MC));
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write32(CR3_TARGET_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write64(EPT_POINTER, to_vmx_dom(v->dom)->eptp);
	vmcs_write64(VMCS_LINK_POINTER, ~0ULL);
	/*
	 * The guest owns CR0.TS/MP and CR4.PGE; every other bit is shadowed
	 * so that VMX's fixed bits (CR0.NE, CR4.VMXE) stay hidden from it.
	 */
	vmcs_writel(CR0_GUEST_HOST_MASK, ~(unsigned long)(X86_CR0_TS |
							  X86_CR0_MP));
	vmcs_writel(CR4_GUEST_HOST_MASK, ~(unsigned long)X86_CR4_PGE);
	to_vmx(v)->vid_on = false;
	if (!kxen_vmx_has_vid())
		return;
	/*
	 * The local APIC's register page is the virtual-APIC page; no TPR
	 * threshold and no EOI exits: kxen's APIC has no level-triggered
	 * vectors (SDM Vol. 3 24.6.8).  kxen_vmx_vid() turns delivery on
	 * and off as the guest's APIC mode changes.
	 */
	vmcs_write64(VIRTUAL_APIC_PAGE_ADDR, __pa(kxen_lapic_regs(v)));
	vmcs_write32(TPR_THRESHOLD, 0);
	vmcs_write64(MSR_BITMAP, __pa(c->msr_bitmap));
	vmcs_write64(EOI_EXIT_BITMAP0, 0);
	vmcs_write64(EOI_EXIT_BITMAP1, 0);
	vmcs_write64(EOI_EXIT_BITMAP2, 0);
	vmcs_write64(EOI_EXIT_BITMAP3, 0);
	vmcs_write16(GUEST_INTR_STATUS, 0);
}

int kxen_vmx_vcpu_create(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx;

	vx = kzalloc(sizeof(*vx), GFP_KERNEL);
	if (!vx)
		return -ENOMEM;
	vx->cpu = -1;
	vx->dr6 = DR6_RESERVED;		/* reset value, as after INIT */
	INIT_LIST_HEAD(&vx->loaded_node);
	vx->vmcs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vx->vmcs) {
		kfree(vx);
		return -ENOMEM;
	}
	vx->vmcs->revision_id = kxen_vmcs_conf.revision_id;
	kxen_stats_pages(1);
	v->arch = vx;
	if (kxen_vmx_nested_create(v)) {
		kxen_vmx_vcpu_free(v);
		return -ENOMEM;
	}

	/* Fill the VMCS once, on this CPU; it is reloaded where it runs. */
	preempt_disable();
	kxen_vmclear(__pa(vx->vmcs));
	kxen_vmx_load(v);
	kxen_vmx_setup_host();
	kxen_vmx_setup_controls(v);
	preempt_enable();
	return 0;
}

void kxen_vmx_vcpu_free(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);

	if (!vx)
		return;
	kxen_vmx_nested_free(v);
	kxen_vmcs_clear(vx);
	free_page((unsigned long)vx->vmcs);
	kxen_stats_pages(-1);
	kfree(vx);
	v->arch = NULL;
}

static void kxen_vmx_seg(unsigned long sel, unsigned long base,
			 unsigned long limit, unsigned long ar, u16 s,
			 unsigned long b, u32 l, u32 a)
{
	vmcs_write16(sel, s);
	vmcs_writel(base, b);
	vmcs_write32(limit, l);
	vmcs_write32(ar, a);
}

#define KXEN_SEG(name, s, b, l, a)					\
	kxen_vmx_seg(GUEST_##name##_SELECTOR, GUEST_##name##_BASE,	\
		     GUEST_##name##_LIMIT, GUEST_##name##_AR_BYTES,	\
		     s, b, l, a)

/* Actual CR0/CR4 = what the guest asked for plus VMX's fixed bits. */
void kxen_vmx_write_cr0(struct kxen_vcpu *v, unsigned long val)
{
	const struct kxen_vmcs_config *c = &kxen_vmcs_conf;
	unsigned long hw = val;

	/* Unrestricted guest: PE and PG may be clear (SDM Vol. 3 26.3.1.1). */
	hw |= c->cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
	hw &= c->cr0_fixed1;
	vmcs_writel(CR0_READ_SHADOW, val);
	vmcs_writel(GUEST_CR0, hw);
	v->st.cr0 = val;
}

void kxen_vmx_write_cr4(struct kxen_vcpu *v, unsigned long val)
{
	const struct kxen_vmcs_config *c = &kxen_vmcs_conf;

	vmcs_writel(CR4_READ_SHADOW, val);
	vmcs_writel(GUEST_CR4, (val | c->cr4_fixed0) & c->cr4_fixed1);
	v->st.cr4 = val;
}

/* Registers common to both entry states; the VMCS is loaded. */
static void kxen_vmx_reset_common(struct kxen_vcpu *v)
{
	kxen_vmx_nested_reset(v);
	KXEN_SEG(LDTR, 0, 0, 0, 0x10000);
	vmcs_writel(GUEST_GDTR_BASE, 0);
	vmcs_write32(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_writel(GUEST_IDTR_BASE, 0);
	vmcs_write32(GUEST_IDTR_LIMIT, 0xffff);
	kxen_vmx_write_cr4(v, 0);
	vmcs_writel(GUEST_CR3, 0);
	vmcs_writel(GUEST_DR7, 0x400);
	/* DR6's reset value (SDM Vol. 3 Table 10-1): bits 4-11, 16-31 set. */
	to_vmx(v)->dr6 = DR6_RESERVED;
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write64(GUEST_IA32_EFER, 0);
	vmcs_write64(GUEST_IA32_PAT, 0x0007040600070406ULL);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writel(GUEST_SYSENTER_ESP, 0);
	vmcs_writel(GUEST_SYSENTER_EIP, 0);
	vmcs_writel(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	vmcs_writel(GUEST_RSP, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	/* A restart after INIT: no event from before is delivered. */
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	to_vmx(v)->injecting = false;
	vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_clear_bits32(VM_ENTRY_CONTROLS, VM_ENTRY_IA32E_MODE);
	memset(v->st.gprs, 0, sizeof(v->st.gprs));
	v->st.rflags = X86_EFLAGS_FIXED;
	v->st.efer = 0;
	v->st.dirty = 0;
}

/*
 * After INIT-SIPI-SIPI (SDM Vol. 3 8.4.4, 9.1.1): real mode (unrestricted
 * guest), CS = vector << 8 with base vector << 12, IP 0, 64 KiB segments.
 */
void kxen_vmx_vcpu_set_sipi(struct kxen_vcpu *v, u8 vector)
{
	preempt_disable();
	kxen_vmx_load(v);
	KXEN_SEG(CS, vector << 8, vector << 12, 0xffff, 0x9b);
	KXEN_SEG(DS, 0, 0, 0xffff, 0x93);
	KXEN_SEG(ES, 0, 0, 0xffff, 0x93);
	KXEN_SEG(SS, 0, 0, 0xffff, 0x93);
	KXEN_SEG(FS, 0, 0, 0xffff, 0x93);
	KXEN_SEG(GS, 0, 0, 0xffff, 0x93);
	KXEN_SEG(TR, 0, 0, 0xffff, 0x8b);
	kxen_vmx_write_cr0(v, X86_CR0_ET);
	vmcs_writel(GUEST_RIP, 0);
	kxen_vmx_reset_common(v);
	preempt_enable();
	v->st.rip = 0;
}

/*
 * PVH entry state (Xen docs/misc/pvh.pandoc): 32-bit protected mode,
 * paging off, flat 4 GiB code and data segments, %ebx = start_info.
 */
void kxen_vmx_vcpu_set_boot(struct kxen_vcpu *v, u32 entry, u32 ebx)
{
	preempt_disable();
	kxen_vmx_load(v);
	kxen_vmx_nested_reset(v);
	KXEN_SEG(CS, 0x10, 0, 0xffffffff, 0xc09b);
	KXEN_SEG(DS, 0x18, 0, 0xffffffff, 0xc093);
	KXEN_SEG(ES, 0x18, 0, 0xffffffff, 0xc093);
	KXEN_SEG(SS, 0x18, 0, 0xffffffff, 0xc093);
	KXEN_SEG(FS, 0x18, 0, 0xffffffff, 0xc093);
	KXEN_SEG(GS, 0x18, 0, 0xffffffff, 0xc093);
	KXEN_SEG(TR, 0, 0, 0x67, 0x8b);
	KXEN_SEG(LDTR, 0, 0, 0, 0x10000);
	vmcs_writel(GUEST_GDTR_BASE, 0);
	vmcs_write32(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_writel(GUEST_IDTR_BASE, 0);
	vmcs_write32(GUEST_IDTR_LIMIT, 0xffff);
	kxen_vmx_write_cr0(v, X86_CR0_PE | X86_CR0_ET);
	kxen_vmx_write_cr4(v, 0);
	vmcs_writel(GUEST_CR3, 0);
	vmcs_writel(GUEST_DR7, 0x400);
	/* DR6's reset value (SDM Vol. 3 Table 10-1): bits 4-11, 16-31 set. */
	to_vmx(v)->dr6 = DR6_RESERVED;
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write64(GUEST_IA32_EFER, 0);
	vmcs_write64(GUEST_IA32_PAT, 0x0007040600070406ULL);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writel(GUEST_SYSENTER_ESP, 0);
	vmcs_writel(GUEST_SYSENTER_EIP, 0);
	vmcs_writel(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	vmcs_writel(GUEST_RIP, entry);
	vmcs_writel(GUEST_RSP, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	/* A restart after INIT: no event from before is delivered. */
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	to_vmx(v)->injecting = false;
	vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_clear_bits32(VM_ENTRY_CONTROLS, VM_ENTRY_IA32E_MODE);
	preempt_enable();

	memset(v->st.gprs, 0, sizeof(v->st.gprs));
	v->st.gprs[KXEN_REG_RBX] = ebx;
	v->st.rip = entry;
	v->st.rflags = X86_EFLAGS_FIXED;
	v->st.efer = 0;
	v->st.dirty = 0;
}

/* Packed attributes (type..P, AVL, L, D/B, G) to VMX access rights. */
static u32 kxen_vmx_ar(u16 attr)
{
	if (!attr)
		return 0x10000;		/* unusable (SDM Vol. 3 24.4.1) */
	return (attr & 0xff) | ((u32)(attr & 0xf00) << 4);
}

static void kxen_vmx_seg_state(unsigned long sel, unsigned long base,
			       unsigned long limit, unsigned long ar,
			       const struct kxen_seg_state *s)
{
	kxen_vmx_seg(sel, base, limit, ar, s->sel, s->base, s->limit,
		     kxen_vmx_ar(s->attr));
}

#define KXEN_SEG_STATE(name, s)						\
	kxen_vmx_seg_state(GUEST_##name##_SELECTOR, GUEST_##name##_BASE,	\
			   GUEST_##name##_LIMIT, GUEST_##name##_AR_BYTES, s)

/*
 * A complete start state (VCPUOP_initialise).  PAE paging outside long
 * mode takes its PDPTEs from the VMCS (SDM Vol. 3 26.3.2.4); a guest
 * giving an unreadable CR3 gets zeros there and faults on its own.
 */
void kxen_vmx_vcpu_set_regs(struct kxen_vcpu *v,
			    const struct kxen_vcpu_regs *r)
{
	u64 pdpte[4] = { 0 };
	bool pae = (r->cr0 & X86_CR0_PG) && (r->cr4 & X86_CR4_PAE) &&
		   !(r->efer & EFER_LMA);

	if (pae)
		kxen_gpa_read(v->dom, r->cr3 & 0xffffffe0UL, pdpte,
			      sizeof(pdpte));
	preempt_disable();
	kxen_vmx_load(v);
	kxen_vmx_reset_common(v);
	KXEN_SEG_STATE(CS, &r->cs);
	KXEN_SEG_STATE(DS, &r->ds);
	KXEN_SEG_STATE(ES, &r->es);
	KXEN_SEG_STATE(SS, &r->ss);
	KXEN_SEG_STATE(FS, &r->ds);
	KXEN_SEG_STATE(GS, &r->ds);
	KXEN_SEG_STATE(TR, &r->tr);
	kxen_vmx_write_cr0(v, r->cr0);
	kxen_vmx_write_cr4(v, r->cr4);
	vmcs_writel(GUEST_CR3, r->cr3);
	vmcs_write64(GUEST_IA32_EFER, r->efer);
	if (r->efer & EFER_LMA)
		vmcs_set_bits32(VM_ENTRY_CONTROLS, VM_ENTRY_IA32E_MODE);
	if (pae) {
		vmcs_write64(GUEST_PDPTR0, pdpte[0]);
		vmcs_write64(GUEST_PDPTR1, pdpte[1]);
		vmcs_write64(GUEST_PDPTR2, pdpte[2]);
		vmcs_write64(GUEST_PDPTR3, pdpte[3]);
	}
	vmcs_writel(GUEST_RFLAGS, r->rflags);
	vmcs_writel(GUEST_RIP, r->rip);
	preempt_enable();

	memcpy(v->st.gprs, r->gprs, sizeof(v->st.gprs));
	v->st.rip = r->rip;
	v->st.rflags = r->rflags;
	v->st.cr3 = r->cr3;
	v->st.efer = r->efer;
	v->st.dirty = 0;
}
