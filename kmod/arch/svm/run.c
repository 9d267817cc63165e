// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD-V enter/exit loop of one vCPU thread.
 *
 * Each iteration runs with preemption off from choosing the ASID to the
 * end of exit handling; IRQs are off and GIF clear only around VMRUN
 * itself.  External interrupts and NMIs exit and stay pending while GIF
 * is clear, and are taken by the host at STGI (NMIs) and when IRQs are
 * enabled again.  The guest's FPU/XSAVE state, XCR0 and debug registers
 * 0-3, which VMRUN does not switch, are swapped around every entry.
 */
#include <linux/kthread.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <asm/debugreg.h>
#include <asm/fpu/api.h>
#include <asm/msr.h>
#include <asm/irq_vectors.h>
#include <asm/trapnr.h>

#include "svm.h"

/*
 * DR6 and DR7 live in the VMCB; DR0-3 stay in the hardware, so the
 * guest's go in before VMRUN and come out after, and the host's
 * breakpoints, if any are armed, are put back.
 */
static void kxen_svm_drs_in(struct kxen_svm_vcpu *sx)
{
	native_set_debugreg(0, sx->dr[0]);
	native_set_debugreg(1, sx->dr[1]);
	native_set_debugreg(2, sx->dr[2]);
	native_set_debugreg(3, sx->dr[3]);
}

static void kxen_svm_drs_out(struct kxen_svm_vcpu *sx)
{
	sx->dr[0] = native_get_debugreg(0);
	sx->dr[1] = native_get_debugreg(1);
	sx->dr[2] = native_get_debugreg(2);
	sx->dr[3] = native_get_debugreg(3);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
}

void kxen_svm_inject_exception(struct kxen_vcpu *v, u8 vector,
			       bool has_error, u32 error)
{
	struct kxen_svm_vcpu *sx = to_svm(v);

	sx->inject = vector | SVM_EVTINJ_TYPE_EXEPT | SVM_EVTINJ_VALID |
		     (has_error ? SVM_EVTINJ_VALID_ERR : 0);
	sx->inject_err = error;
	sx->inject_ours = true;
}

/*
 * An external interrupt in EXITINTINFO.  Exception vectors are 0-31
 * (APM Vol. 2 8.2); an emulated CPU may report an interrupt it was
 * delivering on its own (a V_IRQ) with the exception type, so a higher
 * vector of that type is an interrupt too.
 */
static bool kxen_svm_intinfo_is_irq(u32 info)
{
	u32 type = info & SVM_EXITINTINFO_TYPE_MASK;

	return type == SVM_EXITINTINFO_TYPE_INTR ||
	       (type == SVM_EXITINTINFO_TYPE_EXEPT &&
		(info & SVM_EXITINTINFO_VEC_MASK) >= FIRST_EXTERNAL_VECTOR);
}

/*
 * An exit that interrupted the delivery of an event (EXITINTINFO, APM
 * 15.7.2) must have that event delivered again.  A software interrupt or
 * INT3/INTO is not: RIP still points at the instruction, which raises it
 * again.  An interrupt goes back in as a V_IRQ, as it came (run.c's
 * kxen_svm_offer_irq), and only if the guest had taken it: one it had
 * not is still pending where it came from.
 */
static void kxen_svm_requeue_vectoring(struct kxen_svm_vcpu *sx,
				       bool offered, bool taken)
{
	u32 info = sx->exit_int_info;
	u32 type = info & SVM_EXITINTINFO_TYPE_MASK;
	u8 vec = info & SVM_EXITINTINFO_VEC_MASK;

	if (!(info & SVM_EXITINTINFO_VALID) || sx->inject)
		return;
	/* A nested guest's interrupts are its hypervisor's: EVENTINJ. */
	if (kxen_svm_intinfo_is_irq(info) && !kxen_svm_nested_l3(sx)) {
		if (!offered || taken || vec != sx->offered_vec) {
			sx->redeliver = true;
			sx->redeliver_vec = vec;
		}
		return;
	}
	if (type == SVM_EXITINTINFO_TYPE_SOFT ||
	    (type == SVM_EXITINTINFO_TYPE_EXEPT &&
	     (vec == X86_TRAP_BP || vec == X86_TRAP_OF)))
		return;
	sx->inject = info;
	sx->inject_err = sx->exit_int_info_err;
	sx->inject_ours = false;
}

/*
 * After the exit: did the guest take the interrupt offered in V_IRQ?
 * The CPU clears V_IRQ when it does (APM 15.21.4).  Only then does the
 * local APIC move it from IRR to ISR; one not taken stays requested and
 * is offered again, after whatever came in since, at the next entry.
 */
static void kxen_svm_complete_irq(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct vmcb_control_area *c = &sx->vmcb->control;
	bool offered = sx->offered, taken = false;

	if (offered) {
		taken = !(c->int_ctl & V_IRQ_MASK);
		c->int_ctl &= ~KXEN_SVM_VIRQ_CTL;
		sx->offered = false;
		/* A pending redelivery is always what was offered. */
		if (taken && sx->redeliver)
			sx->redeliver = false;
		else if (taken && sx->offered_apic)
			kxen_lapic_accept(v, sx->offered_vec);
	}
	kxen_svm_requeue_vectoring(sx, offered, taken);
}

/* The state the handlers change, into the VMCB that runs next. */
void kxen_svm_write_state(struct kxen_vcpu *v)
{
	struct vmcb *vmcb = to_svm(v)->vmcb;

	vmcb->save.rsp = v->st.gprs[KXEN_REG_RSP];
	vmcb->save.rax = v->st.gprs[KXEN_REG_RAX];
	if (v->st.dirty & KXEN_DIRTY_RIP)
		vmcb->save.rip = v->st.rip;
	if (v->st.dirty & KXEN_DIRTY_RFLAGS)
		vmcb->save.rflags = v->st.rflags;
	v->st.dirty = 0;
}

static void kxen_svm_sync_to_vmcb(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct vmcb *vmcb = sx->vmcb;

	kxen_svm_write_state(v);
	vmcb->control.event_inj = sx->inject;
	vmcb->control.event_inj_err = sx->inject_err;
	/* No upcall on top of an event already queued for this entry. */
	sx->injecting = sx->inject != 0;
	sx->inject = 0;
	sx->inject_ours = false;
	/* No field is cached by the CPU across VMRUNs (APM 15.15.3). */
	vmcb->control.clean = 0;
}

/*
 * The state the handlers see, from the VMCB that ran.  SVME in EFER is
 * kxen's (VMRUN needs it): the guest sees its own, and a nested guest
 * the one its vmcb12 gave (nested.c).
 */
void kxen_svm_read_state(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct vmcb *vmcb = sx->vmcb;
	struct kxen_vcpu_state *st = &v->st;

	st->gprs[KXEN_REG_RSP] = vmcb->save.rsp;
	st->gprs[KXEN_REG_RAX] = vmcb->save.rax;
	st->rip = vmcb->save.rip;
	st->rflags = vmcb->save.rflags;
	st->cr0 = vmcb->save.cr0;
	st->cr3 = vmcb->save.cr3;
	st->cr4 = vmcb->save.cr4;
	st->efer = vmcb->save.efer;
	if (!kxen_svm_nested_l3(sx) && !kxen_svm_nested_svme(sx))
		st->efer &= ~EFER_SVME;
	st->cpl = vmcb->save.cpl;
	st->long_mode = (st->efer & EFER_LMA) &&
			(vmcb->save.cs.attrib & SVM_SELECTOR_L_MASK);
}

static void kxen_svm_sync_from_vmcb(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct vmcb *vmcb = sx->vmcb;

	sx->exit_code = vmcb->control.exit_code;
	sx->exit_info_1 = vmcb->control.exit_info_1;
	sx->exit_info_2 = vmcb->control.exit_info_2;
	sx->exit_int_info = vmcb->control.exit_int_info;
	sx->exit_int_info_err = vmcb->control.exit_int_info_err;
	kxen_svm_read_state(v);
	/* Set per exit by the handlers' dispatcher (exits.c). */
	v->st.insn_len = 0;
	sx->exit_count++;
	kxen_vcpu_trace_exit(v, sx->exit_code, sx->exit_info_1);
}

/*
 * Ask for an exit as soon as the guest can take an interrupt: a virtual
 * interrupt of the highest priority, ignoring the TPR, whose delivery the
 * VINTR intercept turns into an exit (APM 15.21.4, KVM's interrupt
 * window).
 */
static void kxen_svm_request_window(struct vmcb_control_area *c)
{
	c->int_ctl |= KXEN_SVM_VIRQ_CTL;
	c->int_vector = 0;
	c->intercepts[INTERCEPT_VINTR / 32] |= BIT(INTERCEPT_VINTR % 32);
}

/*
 * Offer an interrupt as a virtual interrupt of the highest priority,
 * ignoring the TPR (APM 15.21.4), which the guest takes at once, as
 * EVENTINJ would deliver it, since it is offered only while the guest
 * can take it.  Not EVENTINJ: QEMU's TCG delivers an injected
 * interrupt inside its VMRUN helper and, as its source reads, keeps the
 * vector as the pending exception, which an exit request before the
 * next exit could deliver again whatever the guest's IF (not seen in a
 * test: guest_irqmask passes either way); a V_IRQ takes its ordinary
 * interrupt path.
 */
static void kxen_svm_offer_irq(struct kxen_svm_vcpu *sx, u8 vec, bool apic)
{
	struct vmcb_control_area *c = &sx->vmcb->control;

	c->intercepts[INTERCEPT_VINTR / 32] &= ~BIT(INTERCEPT_VINTR % 32);
	c->int_ctl |= KXEN_SVM_VIRQ_CTL;
	c->int_vector = vec;
	sx->offered = true;
	sx->offered_apic = apic;
	sx->offered_vec = vec;
}

/*
 * Interrupts for the guest: one an exit cut short first, then the Xen
 * event upcall, a level (offer its vector while it stays pending), and
 * the local APIC's highest request, the higher vector first as the
 * APIC's priority would order them.  Offered even while the guest has
 * interrupts off (IF clear, an interrupt shadow): the CPU holds a V_IRQ
 * until the guest can take it and then delivers it with no exit (APM
 * 15.21.4), where an interrupt window would cost an exit for every
 * event that comes in while the guest has them off.  Only on top of an
 * event injected for this entry does it wait for the window.  Runs with
 * IRQs off after guest_cpu is published, so a later kick interrupts the
 * guest instead of being missed.
 */
static void kxen_svm_inject_events(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct vmcb *vmcb = sx->vmcb;
	int vec, apic = -1;

	/*
	 * None into a nested guest (nested.c exits it instead), nor while
	 * the guest's GIF is clear (APM 15.17).
	 */
	if (kxen_svm_nested_l3(sx) || !kxen_svm_nested_gif(sx))
		return;
	if (sx->redeliver) {
		vec = sx->redeliver_vec;
	} else {
		vec = kxen_vcpu_pending_vector(v);
		apic = kxen_lapic_pending(v);
		if (apic > vec)
			vec = apic;
		else
			apic = -1;
	}
	if (vec < 0)
		return;
	if (sx->injecting) {
		kxen_svm_request_window(&vmcb->control);
		return;
	}
	kxen_svm_offer_irq(sx, vec, apic >= 0);
}

/* A frame was unmapped since this vCPU last flushed: flush its ASID. */
static void kxen_svm_sync_npt(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	unsigned long gen = READ_ONCE(to_svm_dom(v->dom)->hap.gen);
	struct vmcb_control_area *c = &sx->vmcb->control;

	if (sx->npt_gen == gen)
		return;
	sx->npt_gen = gen;
	if (c->tlb_ctl == TLB_CONTROL_DO_NOTHING)
		c->tlb_ctl = kxen_svm_conf.flush_by_asid ?
			     TLB_CONTROL_FLUSH_ASID :
			     TLB_CONTROL_FLUSH_ALL_ASID;
}

/* One VMRUN and #VMEXIT; preemption off, the guest's FPU loaded. */
static int kxen_svm_enter(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	u64 uret[KXEN_URET_NR] = { [KXEN_URET_TSC_AUX] = sx->tsc_aux };
	u64 t0;
	int fault;

	local_irq_disable();
	WRITE_ONCE(v->guest_cpu, smp_processor_id());
	/* Pairs with kxen_vcpu_kick(): publish guest_cpu, then look. */
	smp_mb();
	kxen_svm_sync_npt(v);
	/* RDTSCP and RDPID read it without an exit: the guest's own. */
	kxen_uret_msr_load(uret, BIT(KXEN_URET_TSC_AUX));
	kxen_vcpu_prepare_entry(v);
	kxen_svm_inject_events(v);
	kxen_clgi();
	kxen_fpu_guest_xcr0(v);
	kxen_svm_drs_in(sx);
	t0 = sched_clock();
	fault = __kxen_svm_vcpu_run(v->st.gprs, sx->vmcb_pa,
				    kxen_svm_host_save_pa());
	v->run_ns += sched_clock() - t0;
	kxen_svm_drs_out(sx);
	WRITE_ONCE(v->guest_cpu, -1);
	sx->injecting = false;
	sx->vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
	kxen_svm_sync_from_vmcb(v);
	/* The host's XCR0 back before any NMI or interrupt handler runs. */
	kxen_fpu_host_xcr0(v);
	/* An NMI that hit the guest is delivered to the host here. */
	kxen_stgi();
	/* A machine check too: the host's handler, as KVM's svm_handle_mce. */
	if (!fault && sx->exit_code == SVM_EXIT_EXCP_BASE + X86_TRAP_MC &&
	    IS_ENABLED(CONFIG_X86_MCE))
		asm volatile("int $0x12");
	local_irq_enable();
	if (fault) {
		kxen_svm_op_fault("vmsave/vmload");
		return -EIO;
	}
	return 0;
}

/*
 * A #VMEXIT that left the host's own state in the save area: the host's
 * RIP after our VMRUN and its page tables.  No guest runs there, and its
 * own state is lost; only a fault below kxen does this, and the domain
 * cannot go on.  Seen under QEMU's multi-threaded TCG, whose model of
 * IGNNE# lets another CPU's FPU restore undo this CPU's leaving nested
 * paging (selftests/lab/README.md).
 */
#define KXEN_SVM_HOST_STATE_MSG \
	"#VMEXIT left the host's own state in the VMCB, the guest's is lost (a fault of the CPU or its emulator)"

static bool kxen_svm_saw_host_state(struct kxen_svm_vcpu *sx)
{
	const struct vmcb_save_area *s = &sx->vmcb->save;

	return s->rip == (unsigned long)kxen_svm_vmrun_ret &&
	       (s->cr3 & CR3_ADDR_MASK) == (__read_cr3() & CR3_ADDR_MASK);
}

/* One entry, its exit handled; preemption off, the guest's FPU loaded. */
static int kxen_svm_run_once(struct kxen_vcpu *v)
{
	int ret;

	if (unlikely(kxen_svm_check_hsave(v)))
		return kxen_exit_fail(v, "VM_HSAVE_PA no longer points at kxen's host save area");
	/* The loop looks at the domain again before the next entry. */
	if (unlikely(kxen_svm_nested_l3(to_svm(v))) &&
	    kxen_svm_nested_pre_entry(v, &ret))
		return ret;
	kxen_svm_assign_asid(v);
	kxen_spec_switch_domain(v->dom);
	kxen_svm_sync_to_vmcb(v);
	ret = kxen_svm_enter(v);
	if (ret)
		return ret;
	kxen_svm_complete_irq(v);
	if (unlikely(kxen_svm_saw_host_state(to_svm(v)))) {
		kxen_svm_dump_hsave(v);
		return kxen_exit_fail(v, KXEN_SVM_HOST_STATE_MSG);
	}
	return kxen_svm_handle_exit(v);
}

int kxen_svm_vcpu_run(struct kxen_vcpu *v)
{
	return kxen_vcpu_run_rows(v, NULL, kxen_svm_run_once);
}

/*
 * What the register dump does not hold: for an event cut short (a
 * triple fault's first #PF) its error code and CR2, the faulting
 * address; and where the guest's IDT and stack segment were.
 */
static void kxen_svm_dump_save(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	const struct vmcb_save_area *s = &sx->vmcb->save;

	pr_warn(KXEN_PR_PREFIX " intinfo err %x cr2 %016llx idt %016llx/%x gs %016llx kgs %016llx\n",
		sx->exit_int_info_err, s->cr2, s->idtr.base, s->idtr.limit,
		s->gs.base, s->kernel_gs_base);
	pr_warn(KXEN_PR_PREFIX " cs %04x/%04x ss %04x/%04x tr %04x %016llx n_cr3 %016llx asid %u\n",
		s->cs.selector, s->cs.attrib, s->ss.selector, s->ss.attrib,
		s->tr.selector, s->tr.base, sx->vmcb->control.nested_cr3,
		sx->vmcb->control.asid);
	kxen_gva_dump_walk(v, "cr2", s->cr2);
	kxen_gva_dump_walk(v, "idt", s->idtr.base);
	kxen_hap_check(&to_svm_dom(v->dom)->hap, v->dom);
}

/* Rate-limited register dump for an exit we cannot handle. */
void kxen_svm_dump(struct kxen_vcpu *v, const char *why)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 4);
	struct kxen_svm_vcpu *sx = to_svm(v);

	if (!__ratelimit(&rs))
		return;
	pr_warn(KXEN_PR_PREFIX "d%uv%u: %s: exit code 0x%x info1 0x%llx info2 0x%llx intinfo 0x%x\n",
		v->dom->domid, v->id, why, sx->exit_code, sx->exit_info_1,
		sx->exit_info_2, sx->exit_int_info);
	kxen_vcpu_dump_regs(v);
	kxen_svm_dump_save(v);
}
