// SPDX-License-Identifier: GPL-2.0
/*
 * The VT-x enter/exit loop of one vCPU thread.
 *
 * Each iteration runs with preemption off from loading the VMCS to the end
 * of exit handling, so handlers may use the VMCS; IRQs are off only around
 * the entry itself.  External interrupts exit (without acknowledgment) and
 * are taken by the host as soon as IRQs are enabled again.  The guest's
 * FPU/XSAVE state, XCR0 and KERNEL_GS_BASE are swapped around every entry;
 * the SYSCALL MSRs and TSC_AUX only when they differ (core/uret_msr.c).
 */
#include <linux/kthread.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/jump_label.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/hardirq.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/trapnr.h>

#include "vmx.h"
#include "vmx_ops.h"
#include "../../core/spec_policy.h"

/* ~1 ms of guest time at most before the loop looks around again. */
#define KXEN_PREEMPT_TSC_CYCLES	BIT(22)

/*
 * SWAPGS in the guest uses KERNEL_GS_BASE, which VT-x leaves alone and
 * the host kernel's context switch relies on: swapped around every entry.
 * The SYSCALL MSRs and TSC_AUX are switched lazily (core/uret_msr.c).
 */
static u64 kxen_kgs_swap_in(struct kxen_vmx_vcpu *vx)
{
	u64 host = native_read_msr(MSR_KERNEL_GS_BASE);
	u64 uret[KXEN_URET_NR] = {
		[KXEN_URET_STAR] = vx->star,
		[KXEN_URET_LSTAR] = vx->lstar,
		[KXEN_URET_CSTAR] = vx->cstar,
		[KXEN_URET_SFMASK] = vx->sfmask,
		[KXEN_URET_TSC_AUX] = vx->tsc_aux,
	};

	wrmsrl(MSR_KERNEL_GS_BASE, vx->kernel_gs_base);
	kxen_uret_msr_load(uret, BIT(KXEN_URET_NR) - 1);
	return host;
}

static void kxen_kgs_swap_out(struct kxen_vmx_vcpu *vx, u64 host)
{
	vx->kernel_gs_base = native_read_msr(MSR_KERNEL_GS_BASE);
	wrmsrl(MSR_KERNEL_GS_BASE, host);
}

void kxen_vmx_inject_exception(struct kxen_vcpu *v, u8 vector,
			       bool has_error, u32 error)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);

	vx->inject_info = vector | INTR_TYPE_HARD_EXCEPTION |
			  INTR_INFO_VALID_MASK |
			  (has_error ? INTR_INFO_DELIVER_CODE_MASK : 0);
	vx->inject_error = error;
	vx->inject_len = 0;
}

/*
 * An exit that interrupted the delivery of an event (IDT-vectoring info,
 * SDM Vol. 3 27.2.4) must have that event delivered again.
 */
static void kxen_vmx_requeue_vectoring(struct kxen_vmx_vcpu *vx)
{
	u32 info = vx->idt_vectoring;
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;

	if (!(info & VECTORING_INFO_VALID_MASK) || vx->inject_info)
		return;
	vx->inject_info = info & ~INTR_INFO_RESVD_BITS_MASK;
	if (info & VECTORING_INFO_DELIVER_CODE_MASK)
		vx->inject_error = vmcs_read32(IDT_VECTORING_ERROR_CODE);
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_SOFT_EXCEPTION ||
	    type == INTR_TYPE_PRIV_SW_EXCEPTION)
		vx->inject_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
}

static void kxen_vmx_sync_to_vmcs(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);

	vmcs_writel(GUEST_RSP, v->st.gprs[KXEN_REG_RSP]);
	if (v->st.dirty & KXEN_DIRTY_RIP)
		vmcs_writel(GUEST_RIP, v->st.rip);
	if (v->st.dirty & KXEN_DIRTY_RFLAGS)
		vmcs_writel(GUEST_RFLAGS, v->st.rflags);
	v->st.dirty = 0;
	if (vx->inject_info) {
		vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, vx->inject_info);
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, vx->inject_error);
		vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, vx->inject_len);
		vx->inject_info = 0;
		vx->injecting = true;	/* no upcall on top of this one */
	}
	if (kxen_vmx_has_preemption_timer())
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE,
			     KXEN_PREEMPT_TSC_CYCLES >>
			     kxen_vmcs_conf.preemption_timer_shift);
}

static void kxen_vmx_sync_from_vmcs(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	struct kxen_vcpu_state *st = &v->st;
	u32 cs_ar;

	vx->exit_reason = vmcs_read32(VM_EXIT_REASON);
	vx->exit_qual = vmcs_readl(EXIT_QUALIFICATION);
	vx->exit_intr_info = vmcs_read32(VM_EXIT_INTR_INFO);
	vx->idt_vectoring = vmcs_read32(IDT_VECTORING_INFO_FIELD);
	st->gprs[KXEN_REG_RSP] = vmcs_readl(GUEST_RSP);
	st->rip = vmcs_readl(GUEST_RIP);
	st->rflags = vmcs_readl(GUEST_RFLAGS);
	st->insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
	st->cr0 = vmcs_readl(CR0_READ_SHADOW);
	st->cr3 = vmcs_readl(GUEST_CR3);
	st->cr4 = vmcs_readl(CR4_READ_SHADOW);
	st->efer = vmcs_read64(GUEST_IA32_EFER);
	cs_ar = vmcs_read32(GUEST_CS_AR_BYTES);
	/* CPL is SS.DPL (SDM Vol. 3 24.4.1). */
	st->cpl = VMX_AR_DPL(vmcs_read32(GUEST_SS_AR_BYTES));
	st->long_mode = (st->efer & EFER_LMA) && (cs_ar & VMX_AR_L_MASK);
	/* The guest's own CR0.TS/MP bits are live in GUEST_CR0. */
	st->cr0 = (st->cr0 & ~(X86_CR0_TS | X86_CR0_MP)) |
		  (vmcs_readl(GUEST_CR0) & (X86_CR0_TS | X86_CR0_MP));
	/* The guest's guest: its own CR0/CR4, not what vmcs12 shows it. */
	if (vx->l2) {
		st->cr0 = vmcs_readl(GUEST_CR0);
		st->cr4 = vmcs_readl(GUEST_CR4);
	}
	vx->exit_count++;
	kxen_vcpu_trace_exit(v, vx->exit_reason & 0xffff, vx->exit_qual);
}

static void kxen_vmx_handle_nmi_irqoff(struct kxen_vmx_vcpu *vx)
{
	u32 info = vx->exit_intr_info;

	if ((vx->exit_reason & 0xffff) != EXIT_REASON_EXCEPTION_NMI ||
	    !(info & INTR_INFO_VALID_MASK))
		return;
	/*
	 * An NMI or a machine check that hit the guest belongs to the host:
	 * run its handler, as KVM's kvm_machine_check() does for #MC.
	 */
	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		asm volatile("int $2");
	else if ((info & INTR_INFO_VECTOR_MASK) == X86_TRAP_MC &&
		 IS_ENABLED(CONFIG_X86_MCE))
		asm volatile("int $0x12");
}

/*
 * VT-x switches DR7 only (GUEST_DR7); DR0-3 stay the host's.  A guest
 * whose DR7 arms a breakpoint gets its own addresses in them for the
 * entry; the host's come back after the exit (kxen_vmx_host_restore()).
 */
static void kxen_vmx_drs_in(struct kxen_vmx_vcpu *vx)
{
	if (!(vmcs_readl(GUEST_DR7) & 0xff))
		return;
	native_set_debugreg(0, vx->dr[0]);
	native_set_debugreg(1, vx->dr[1]);
	native_set_debugreg(2, vx->dr[2]);
	native_set_debugreg(3, vx->dr[3]);
}

/*
 * Virtual-interrupt delivery while the guest's APIC is in x2APIC mode
 * (SDM Vol. 3 29.2): the CPU delivers the local APIC's vectors itself
 * as soon as the guest can take them, from the requested vector (RVI)
 * written here; the EOI MSR write goes to the register page without an
 * exit.  In the other modes (and on CPUs without it) kxen injects them.
 * Whether it is on.
 */
static bool kxen_vmx_vid(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	const u32 proc2 = SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE |
			  SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY;
	bool on = kxen_vmx_has_vid() && kxen_lapic_in_x2apic(v);

	if (on != vx->vid_on) {
		/* Without it, no MSR may pass: the EOI one would reach L1's. */
		if (on) {
			vmcs_set_bits32(CPU_BASED_VM_EXEC_CONTROL,
					CPU_BASED_USE_MSR_BITMAPS);
			vmcs_set_bits32(SECONDARY_VM_EXEC_CONTROL, proc2);
		} else {
			vmcs_clear_bits32(CPU_BASED_VM_EXEC_CONTROL,
					  CPU_BASED_USE_MSR_BITMAPS);
			vmcs_clear_bits32(SECONDARY_VM_EXEC_CONTROL, proc2);
		}
		vx->vid_on = on;
	}
	if (on)
		vmcs_write16(GUEST_INTR_STATUS, kxen_lapic_vid_status(v));
	return on;
}

/*
 * Interrupts for the guest: the Xen event upcall, a level (inject its
 * vector while it stays pending), and the local APIC's highest request
 * unless the CPU delivers those itself (kxen_vmx_vid()).
 * The upcall is a level: inject its vector while the guest can take
 * an interrupt, else exit as soon as it can (interrupt window).  Runs with
 * IRQs off after guest_cpu is published, so a later kick interrupts the
 * entry instead of being missed (SDM Vol. 3 26.3.1.5 interruptibility).
 */
static void kxen_vmx_inject_events(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	int vec, apic;
	u32 intr;

	/* Not into the guest's guest: kxen_vmx_nested_intr() exits instead. */
	if (vx->l2)
		return;
	vec = kxen_vcpu_pending_vector(v);
	apic = kxen_vmx_vid(v) ? -1 : kxen_lapic_pending(v);

	/* The higher vector first, as the APIC's priority would order them. */
	if (apic > vec)
		vec = apic;
	else
		apic = -1;
	if (vec < 0)
		return;
	intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
	if (vx->injecting || !(vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_IF) ||
	    (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))) {
		vmcs_set_bits32(CPU_BASED_VM_EXEC_CONTROL,
				CPU_BASED_INTR_WINDOW_EXITING);
		return;
	}
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD,
		     vec | INTR_TYPE_EXT_INTR | INTR_INFO_VALID_MASK);
	if (apic >= 0)
		kxen_lapic_accept(v, apic);
}

/* A frame was unmapped since this vCPU last flushed: INVEPT first. */
static void kxen_vmx_sync_ept(struct kxen_vcpu *v)
{
	struct kxen_vmx_domain *vd = to_vmx_dom(v->dom);
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	unsigned long gen = READ_ONCE(vd->hap.gen);

	if (vx->ept_gen != gen) {
		kxen_invept(VMX_EPT_EXTENT_CONTEXT, vd->eptp);
		vx->ept_gen = gen;
	}
}

/*
 * Host state a VM exit loses (SDM Vol. 3 28.5): LDTR becomes null, the TR
 * limit 0x67 (no I/O bitmap), IA32_DEBUGCTL 0 and DR7 0x400.  What the
 * host had is taken before the entry and put back after the exit, as
 * KVM's vmx_prepare_switch_to_host and vmx_vcpu_run do.
 */
struct kxen_vmx_host_regs {
	u16 ldt;
	unsigned long debugctl;
};

static void kxen_vmx_host_save(struct kxen_vmx_host_regs *h)
{
	asm volatile("sldt %0" : "=rm" (h->ldt));
	h->debugctl = get_debugctlmsr();
}

static void kxen_vmx_host_restore(const struct kxen_vmx_host_regs *h)
{
	/* A borrowed mm's LDT, which a user task of that mm relies on. */
	if (h->ldt)
		asm volatile("lldt %0" : : "rm" (h->ldt));
	/* ioperm() users get their I/O bitmap back on return to user. */
	invalidate_tss_limit();
	if (h->debugctl)
		update_debugctlmsr(h->debugctl);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
}

/*
 * L1TF (Documentation/admin-guide/hw-vuln/l1tf.rst; SDM Vol. 4 MSR 0x10B
 * IA32_FLUSH_CMD): a guest can read whatever sits in the L1D through a
 * not-present guest PTE, so host data is flushed out of it before an
 * entry.  kxen_l1d_flush: some mode flushes (l1tf=flush* or full*);
 * kxen_l1d_cond: only when host code that may have pulled secrets into
 * the L1D ran since the last entry (the document's 'cond' mode: "only
 * when the code between VMEXIT and VMENTER can leak host memory"), kept
 * wider than KVM's audit.  That is:
 *  - the vCPU thread came back to the run loop's outer part, where it may
 *    have slept, been preempted or handed the CPU to other tasks;
 *  - an exit was handled that is not one of KXEN_VMX_L1D_QUIET_EXITS,
 *    the few whose handlers read and write only this vCPU's own state
 *    (hypercalls, I/O and MMIO emulation reach other domains' data,
 *    backends and the host's allocator);
 *  - an interrupt or softirq ran on this CPU: the kernel's IRQ entry
 *    marks irq_stat.kvm_cpu_l1tf_flush_l1d for this very purpose.
 * The VERW of the entry path runs after the flush as well; that costs
 * little next to it.
 */
static DEFINE_STATIC_KEY_FALSE(kxen_l1d_flush);
static DEFINE_STATIC_KEY_FALSE(kxen_l1d_cond);

#define KXEN_VMX_L1D_QUIET_EXITS					\
	(BIT_ULL(EXIT_REASON_EXTERNAL_INTERRUPT) |			\
	 BIT_ULL(EXIT_REASON_INTERRUPT_WINDOW) |			\
	 BIT_ULL(EXIT_REASON_CPUID) |					\
	 BIT_ULL(EXIT_REASON_PREEMPTION_TIMER) |			\
	 BIT_ULL(EXIT_REASON_XSETBV))

void kxen_vmx_l1d_setup(void)
{
	if (kxen_spec_l1d != KXEN_L1D_COND &&
	    kxen_spec_l1d != KXEN_L1D_ALWAYS)
		return;
	/*
	 * Without KVM_INTEL the kernel keeps no mark of interrupts taken:
	 * then "conditional" cannot see them, and every entry flushes.
	 */
	if (kxen_spec_l1d == KXEN_L1D_COND && IS_ENABLED(CONFIG_KVM_INTEL))
		static_branch_enable(&kxen_l1d_cond);
	else if (kxen_spec_l1d == KXEN_L1D_COND)
		pr_info(KXEN_PR_PREFIX "L1D flush: this kernel marks no interrupts (CONFIG_KVM_INTEL=n): flushing before every entry\n");
	static_branch_enable(&kxen_l1d_flush);
}

static bool kxen_vmx_l1d_quiet_exit(u32 reason)
{
	u32 basic = reason & 0xffff;

	return basic < 64 && (KXEN_VMX_L1D_QUIET_EXITS & BIT_ULL(basic));
}

/* IRQs off, right before the entry. */
static __always_inline void kxen_vmx_l1d_flush(struct kxen_vmx_vcpu *vx)
{
	if (static_branch_likely(&kxen_l1d_cond)) {
		bool flush = vx->l1d_flush;

		vx->l1d_flush = false;
#if IS_ENABLED(CONFIG_KVM_INTEL)
		flush |= kvm_get_cpu_l1tf_flush_l1d();
		kvm_clear_cpu_l1tf_flush_l1d();
#endif
		if (!flush)
			return;
	}
	native_wrmsrl(MSR_IA32_FLUSH_CMD, L1D_FLUSH);
}

/*
 * One entry and exit; preemption off, the guest's FPU loaded.  Returns
 * <0 if the entry failed.
 */
static int kxen_vmx_enter(struct kxen_vcpu *v)
{
	struct kxen_vmx_vcpu *vx = to_vmx(v);
	struct kxen_vmx_host_regs host;
	u64 t0, host_kgs;
	int fail;

	local_irq_disable();
	WRITE_ONCE(v->guest_cpu, smp_processor_id());
	smp_mb();	/* publish guest_cpu before the last look for events */
	kxen_vmx_sync_ept(v);
	kxen_vcpu_prepare_entry(v);
	kxen_vmx_inject_events(v);
	host_kgs = kxen_kgs_swap_in(vx);
	kxen_vmx_host_save(&host);
	kxen_vmx_drs_in(vx);
	kxen_fpu_guest_xcr0(v);
	t0 = sched_clock();
	/*
	 * VT-x leaves CR2 alone on entry and exit: carry the guest's value
	 * across, with IRQs off so no host page fault lands in between.
	 */
	if (native_read_cr2() != vx->cr2)
		native_write_cr2(vx->cr2);
	if (static_branch_unlikely(&kxen_l1d_flush))
		kxen_vmx_l1d_flush(vx);
	fail = __kxen_vmx_vcpu_run(v->st.gprs, vx->launched);
	vx->cr2 = native_read_cr2();
	v->run_ns += sched_clock() - t0;
	/* The host's XCR0 back before any interrupt handler runs. */
	kxen_fpu_host_xcr0(v);
	kxen_vmx_host_restore(&host);
	kxen_kgs_swap_out(vx, host_kgs);
	WRITE_ONCE(v->guest_cpu, -1);
	vx->injecting = false;
	if (!fail) {
		kxen_vmx_sync_from_vmcs(v);
		/* A failed VMLAUNCH leaves the VMCS clear, as KVM assumes. */
		if (!(vx->exit_reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
			vx->launched = true;
		kxen_vmx_handle_nmi_irqoff(vx);
	}
	local_irq_enable();
	if (fail == 2) {
		kxen_vmx_op_fault("vmlaunch/vmresume");
		return -EIO;
	}
	if (fail) {
		pr_err_ratelimited(KXEN_PR_PREFIX "d%uv%u: VM entry failed, error %u\n",
				   v->dom->domid, v->id,
				   vmcs_read32(VM_INSTRUCTION_ERROR));
		return -EIO;
	}
	return 0;
}

/* One entry, its exit handled; preemption off, the guest's FPU loaded. */
static int kxen_vmx_run_once(struct kxen_vcpu *v)
{
	int ret;

	kxen_vmx_load(v);
	if (to_vmx(v)->l2 && kxen_vmx_nested_intr(v))
		return KXEN_EXIT_CONTINUE;
	kxen_vmx_sync_to_vmcs(v);
	ret = kxen_vmx_enter(v);
	if (ret)
		return ret;
	kxen_vmx_requeue_vectoring(to_vmx(v));
	if (static_branch_unlikely(&kxen_l1d_cond) &&
	    !kxen_vmx_l1d_quiet_exit(to_vmx(v)->exit_reason))
		to_vmx(v)->l1d_flush = true;
	return kxen_vmx_handle_exit(v);
}

/* Other tasks may have run before a row: its first entry flushes L1D. */
static void kxen_vmx_row_begin(struct kxen_vcpu *v)
{
	to_vmx(v)->l1d_flush = true;
}

int kxen_vmx_vcpu_run(struct kxen_vcpu *v)
{
	return kxen_vcpu_run_rows(v, kxen_vmx_row_begin, kxen_vmx_run_once);
}

/* Rate-limited register dump for an exit we cannot handle. */
void kxen_vmx_dump(struct kxen_vcpu *v, const char *why)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 4);
	struct kxen_vmx_vcpu *vx = to_vmx(v);

	if (!__ratelimit(&rs))
		return;
	pr_warn(KXEN_PR_PREFIX "d%uv%u: %s: exit reason %u qual 0x%lx intr 0x%x vect 0x%x\n",
		v->dom->domid, v->id, why, vx->exit_reason, vx->exit_qual,
		vx->exit_intr_info, vx->idt_vectoring);
	kxen_vcpu_dump_regs(v);
	kxen_hap_check(&to_vmx_dom(v->dom)->hap, v->dom);
}
