// SPDX-License-Identifier: GPL-2.0
/*
 * Nested AMD-V for a domain created with nestedhvm (xl.cfg(5)): the guest
 * sees SVM in CPUID and runs guests of its own with VMRUN (AMD APM Vol. 2
 * 15.5-15.7, 15.17).  kxen emulates VMRUN and the #VMEXIT back, VMLOAD,
 * VMSAVE, STGI, CLGI and INVLPGA.  The guest's guest (its "nested guest")
 * runs in a VMCB of kxen's (vmcb02), built at each VMRUN from the VMCB the
 * guest wrote (vmcb12, in guest memory) and kxen's own intercepts.  An
 * exit of the nested guest goes back to the guest when vmcb12 asks for it
 * (nested_wants()); any other is kxen's, handled on the nested guest's
 * state as it would be on the guest's.
 *
 * Offered in CPUID 0x8000000a: SVM revision 1, next-RIP saving where the
 * CPU has it, and nothing else.  No nested paging: the guest shadows its
 * guest's page tables, so the nested guest's physical addresses are the
 * guest's own and kxen's nested table translates them.  A VMRUN asking
 * for more (nested paging, SEV) fails its consistency checks.
 *
 * What differs from a CPU: a physical interrupt for the guest leaves the
 * nested guest only when vmcb12 intercepts INTR (every hypervisor does);
 * without the intercept it waits for the nested guest's next exit, where
 * a CPU would deliver it into the nested guest; a HLT of the nested
 * guest the guest does not intercept wakes by the nested guest's IF, not
 * by V_INTR_MASKING's rule.  NMIs ignore GIF.  The SVM instructions in
 * the nested guest raise #UD unless vmcb12 intercepts them: no third
 * level.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/trapnr.h>

#include "svm.h"

/* CPUID 0x8000000a (APM Vol. 3 E.4.9) as the guest sees it. */
#define KXEN_NSVM_REVISION	1
#define KXEN_NSVM_ASIDS		64
#define KXEN_NSVM_FEAT_NRIPS	BIT(3)

/* The int_ctl bits the guest gives its guest (APM 15.21). */
#define KXEN_NSVM_INT_CTL	(V_TPR_MASK | V_IRQ_MASK | V_INTR_PRIO_MASK | \
				 V_IGN_TPR_MASK)

/* The IOPM spans 12 KiB, the MSRPM 8 KiB (APM 15.10.1, 15.11). */
#define KXEN_NSVM_IOPM_SIZE	(3 * PAGE_SIZE)
#define KXEN_NSVM_MSRPM_SIZE	(2 * PAGE_SIZE)

static struct kxen_svm_nested *nested_of(struct kxen_vcpu *v)
{
	return to_svm(v)->nested;
}

int kxen_svm_nested_create(struct kxen_vcpu *v)
{
	struct kxen_svm_nested *n;
	struct page *p02, *p12;

	if (!(v->dom->flags & KXEN_DOMAIN_F_NESTED_HVM))
		return 0;
	n = kzalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
	if (!n)
		return -ENOMEM;
	p02 = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!p02)
		goto err_02;
	p12 = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!p12)
		goto err_12;
	n->vmcb02 = page_address(p02);
	n->vmcb02_pa = kxen_sme_page_pa(p02);
	n->v12 = page_address(p12);
	n->gif = true;
	kxen_stats_pages(2);
	to_svm(v)->nested = n;
	return 0;
err_12:
	__free_page(p02);
err_02:
	kfree(n);
	return -ENOMEM;
}

void kxen_svm_nested_free(struct kxen_vcpu *v)
{
	struct kxen_svm_nested *n = nested_of(v);

	if (!n)
		return;
	free_page((unsigned long)n->vmcb02);
	free_page((unsigned long)n->v12);
	kxen_stats_pages(-2);
	kfree(n);
	to_svm(v)->nested = NULL;
}

/*
 * Make @l3's VMCB (vmcb02) or the guest's own (vmcb01) the one that runs.
 * Both carry the vCPU's ASID; the TLB is flushed at every switch, since
 * the guest and its guest share that ASID and their mappings differ.
 */
static void nested_switch(struct kxen_svm_vcpu *sx, bool l3)
{
	struct kxen_svm_nested *n = sx->nested;
	struct vmcb *to = l3 ? n->vmcb02 : sx->vmcb01;

	sx->vmcb = to;
	sx->vmcb_pa = l3 ? n->vmcb02_pa : sx->vmcb01_pa;
	to->control.asid = sx->asid;
	to->control.tlb_ctl = kxen_svm_conf.flush_by_asid ?
			      TLB_CONTROL_FLUSH_ASID :
			      TLB_CONTROL_FLUSH_ALL_ASID;
	to->control.clean = 0;
	n->guest_mode = l3;
}

/* INIT, a PVH boot or VCPUOP_initialise: SVM state as after RESET. */
void kxen_svm_nested_reset(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct kxen_svm_nested *n = sx->nested;

	if (!n)
		return;
	if (n->guest_mode)
		nested_switch(sx, false);
	n->gif = true;
	n->svme = false;
	n->hsave_pa = 0;
}

/* ---- CPUID and MSRs ---- */

void kxen_svm_nested_cpuid(struct kxen_vcpu *v, u32 leaf, u32 out[4])
{
	if (!nested_of(v))
		return;
	if (leaf == 0x80000001) {
		out[2] |= BIT(X86_FEATURE_SVM & 31);
	} else if (leaf == SVM_CPUID_FUNC) {
		out[0] = KXEN_NSVM_REVISION;
		out[1] = KXEN_NSVM_ASIDS;
		out[2] = 0;
		out[3] = kxen_svm_conf.nrips ? KXEN_NSVM_FEAT_NRIPS : 0;
	}
}

/* 0 and *val, -EINVAL for #GP, -ENOENT for an MSR not of nested SVM. */
int kxen_svm_nested_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val)
{
	struct kxen_svm_nested *n = nested_of(v);

	if (!n)
		return -ENOENT;
	switch (msr) {
	case MSR_VM_CR:
		*val = 0;	/* SVM enabled, not locked (APM 15.30.1) */
		return 0;
	case MSR_VM_HSAVE_PA:
		*val = n->hsave_pa;
		return 0;
	}
	return -ENOENT;
}

int kxen_svm_nested_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val)
{
	struct kxen_svm_nested *n = nested_of(v);

	if (!n)
		return -ENOENT;
	switch (msr) {
	case MSR_VM_CR:
		/* Neither disabling SVM nor locking VM_CR is offered. */
		return val ? -EINVAL : 0;
	case MSR_VM_HSAVE_PA:
		/* Page aligned, inside the physical address width. */
		if (val & ~PAGE_MASK || val >> boot_cpu_data.x86_phys_bits)
			return -EINVAL;
		n->hsave_pa = val;
		return 0;
	}
	return -ENOENT;
}

/* ---- the SVM instructions ---- */

/*
 * #UD without EFER.SVME (and in the nested guest, where no intercept of
 * the guest's sent it back), #GP at CPL > 0 (APM Vol. 3 "VMRUN" ff.).
 * The exceptions come before the intercept on a CPU, so kxen checks them.
 */
static bool nested_insn_ok(struct kxen_vcpu *v)
{
	struct kxen_svm_nested *n = nested_of(v);

	if (!n || n->guest_mode || !n->svme) {
		kxen_exit_ud(v);
		return false;
	}
	if (v->st.cpl) {
		kxen_exit_gp(v);
		return false;
	}
	return true;
}

/* The VMCB address in rAX: page aligned and guest RAM, else #GP. */
static bool nested_vmcb_gpa(struct kxen_vcpu *v, u64 *gpa)
{
	u64 a = v->st.gprs[KXEN_REG_RAX];

	if (!v->st.long_mode)
		a = (u32)a;
	if (a & ~PAGE_MASK || a >= v->dom->mem.size) {
		kxen_exit_gp(v);
		return false;
	}
	*gpa = a;
	return true;
}

/* An address the guest gave, made canonical as a CPU's would hold it. */
static u64 nested_canon(u64 va)
{
	return (u64)((s64)(va << 16) >> 16);
}

static void nested_seg_canon(struct vmcb_seg *s)
{
	s->base = nested_canon(s->base);
}

/* What VMLOAD and VMSAVE move (APM 15.5.2): the rest VMRUN does. */
static void nested_copy_hidden(struct vmcb_save_area *to,
			       const struct vmcb_save_area *from)
{
	to->fs = from->fs;
	to->gs = from->gs;
	to->tr = from->tr;
	to->ldtr = from->ldtr;
	to->kernel_gs_base = from->kernel_gs_base;
	to->star = from->star;
	to->lstar = from->lstar;
	to->cstar = from->cstar;
	to->sfmask = from->sfmask;
	to->sysenter_cs = from->sysenter_cs;
	to->sysenter_esp = from->sysenter_esp;
	to->sysenter_eip = from->sysenter_eip;
}

int kxen_svm_nested_vmload(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct vmcb_save_area *s;
	u64 gpa;

	if (!nested_insn_ok(v) || !nested_vmcb_gpa(v, &gpa))
		return KXEN_EXIT_CONTINUE;
	if (kxen_gpa_read(v->dom, gpa, sx->nested->v12, PAGE_SIZE))
		return kxen_exit_gp(v);
	s = &sx->nested->v12->save;
	nested_seg_canon(&s->fs);
	nested_seg_canon(&s->gs);
	nested_seg_canon(&s->tr);
	nested_seg_canon(&s->ldtr);
	s->kernel_gs_base = nested_canon(s->kernel_gs_base);
	s->lstar = nested_canon(s->lstar);
	s->cstar = nested_canon(s->cstar);
	s->sysenter_esp = nested_canon(s->sysenter_esp);
	s->sysenter_eip = nested_canon(s->sysenter_eip);
	nested_copy_hidden(&sx->vmcb->save, s);
	return kxen_exit_skip(v);
}

/*
 * VMSAVE's stores, and no other byte of the guest's page: FS and GS,
 * LDTR, TR, and the MSRs from STAR to SYSENTER_EIP (APM Table B-2).
 */
static int nested_write_hidden(struct kxen_vcpu *v, u64 gpa,
			       const struct vmcb *from)
{
	static const struct { size_t start, end; } runs[] = {
		{ offsetof(struct vmcb, save.fs), offsetof(struct vmcb, save.gdtr) },
		{ offsetof(struct vmcb, save.ldtr), offsetof(struct vmcb, save.idtr) },
		{ offsetof(struct vmcb, save.tr), offsetof(struct vmcb, save.tr) +
		  sizeof(struct vmcb_seg) },
		{ offsetof(struct vmcb, save.star), offsetof(struct vmcb, save.cr2) },
	};
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(runs); i++) {
		ret = kxen_gpa_write(v->dom, gpa + runs[i].start,
				     (const u8 *)from + runs[i].start,
				     runs[i].end - runs[i].start);
		if (ret)
			return ret;
	}
	return 0;
}

int kxen_svm_nested_vmsave(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct vmcb *v12;
	u64 gpa;

	if (!nested_insn_ok(v) || !nested_vmcb_gpa(v, &gpa))
		return KXEN_EXIT_CONTINUE;
	v12 = sx->nested->v12;
	nested_copy_hidden(&v12->save, &sx->vmcb->save);
	if (nested_write_hidden(v, gpa, v12))
		return kxen_exit_gp(v);
	return kxen_exit_skip(v);
}

/*
 * STGI and CLGI: GIF gates the guest's interrupts (APM 15.17); kxen
 * offers none while it is clear (run.c).
 */
int kxen_svm_nested_stgi(struct kxen_vcpu *v)
{
	if (!nested_insn_ok(v))
		return KXEN_EXIT_CONTINUE;
	nested_of(v)->gif = true;
	return kxen_exit_skip(v);
}

int kxen_svm_nested_clgi(struct kxen_vcpu *v)
{
	if (!nested_insn_ok(v))
		return KXEN_EXIT_CONTINUE;
	nested_of(v)->gif = false;
	return kxen_exit_skip(v);
}

/* Every switch to the nested guest flushes its ASID already. */
int kxen_svm_nested_invlpga(struct kxen_vcpu *v)
{
	if (!nested_insn_ok(v))
		return KXEN_EXIT_CONTINUE;
	return kxen_exit_skip(v);
}

/* ---- VMRUN ---- */

static bool nested_wants_bit(const u32 *icpt, u32 bit)
{
	return icpt[bit / 32] & BIT(bit % 32);
}

/* A guest-physical range inside guest RAM. */
static bool nested_gpa_range(struct kxen_vcpu *v, u64 gpa, u64 len)
{
	return gpa < v->dom->mem.size && len <= v->dom->mem.size - gpa;
}

/*
 * The control area checks of VMRUN (APM 15.5.1 "Canonicalization and
 * Consistency Checks"): the VMRUN intercept, an ASID, no feature the
 * guest was not offered, and permission maps it owns.  A reason, or NULL.
 */
static const char *nested_check_control(struct kxen_vcpu *v,
					const struct vmcb_control_area *c)
{
	u32 type = c->event_inj & SVM_EVTINJ_TYPE_MASK;
	u8 vec = c->event_inj & SVM_EVTINJ_VEC_MASK;

	if (!nested_wants_bit(c->intercepts, INTERCEPT_VMRUN))
		return "VMRUN not intercepted";
	if (!c->asid)
		return "ASID 0";
	if (c->nested_ctl)
		return "nested paging or SEV asked for";
	if (nested_wants_bit(c->intercepts, INTERCEPT_IOIO_PROT) &&
	    !nested_gpa_range(v, c->iopm_base_pa & PAGE_MASK,
			      KXEN_NSVM_IOPM_SIZE))
		return "IOPM outside guest RAM";
	if (nested_wants_bit(c->intercepts, INTERCEPT_MSR_PROT) &&
	    !nested_gpa_range(v, c->msrpm_base_pa & PAGE_MASK,
			      KXEN_NSVM_MSRPM_SIZE))
		return "MSRPM outside guest RAM";
	if ((c->event_inj & SVM_EVTINJ_VALID) &&
	    ((type != SVM_EVTINJ_TYPE_INTR && type != SVM_EVTINJ_TYPE_NMI &&
	      type != SVM_EVTINJ_TYPE_EXEPT && type != SVM_EVTINJ_TYPE_SOFT) ||
	     (type == SVM_EVTINJ_TYPE_EXEPT &&
	      (vec == X86_TRAP_NMI || vec > 31))))
		return "EVENTINJ of a reserved type or vector";
	return NULL;
}

static const char *nested_check_save(const struct vmcb_save_area *s)
{
	bool lme_pg = (s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG);

	if (!(s->efer & EFER_SVME))
		return "EFER.SVME clear";
	if (s->efer & ~(KXEN_EFER_ALLOWED | EFER_SVME))
		return "EFER reserved bit set";
	if (!(s->cr0 & X86_CR0_CD) && (s->cr0 & X86_CR0_NW))
		return "CR0.NW without CR0.CD";
	if (s->cr0 >> 32 || s->dr6 >> 32 || s->dr7 >> 32)
		return "CR0, DR6 or DR7 bits 63:32 set";
	if (s->cr4 & ~kxen_svm_conf.cr4_ok)
		return "CR4 bit not offered";
	if (lme_pg && !(s->cr4 & X86_CR4_PAE))
		return "long mode without CR4.PAE";
	if (lme_pg && !(s->cr0 & X86_CR0_PE))
		return "long mode without CR0.PE";
	if (lme_pg && (s->cs.attrib & SVM_SELECTOR_L_MASK) &&
	    (s->cs.attrib & SVM_SELECTOR_DB_MASK))
		return "CS.L and CS.D both set";
	if (lme_pg && s->cr3 >> boot_cpu_data.x86_phys_bits)
		return "CR3 beyond the physical address width";
	return NULL;
}

/* VMRUN refused: VMEXIT_INVALID in vmcb12, the guest goes on. */
static int nested_vmrun_invalid(struct kxen_vcpu *v, u64 gpa,
				const char *why)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 4);
	struct vmcb_control_area *c = &nested_of(v)->v12->control;

	if (__ratelimit(&rs))
		pr_info(KXEN_PR_PREFIX "d%uv%u: VMRUN of vmcb12 %#llx: VMEXIT_INVALID: %s\n",
			v->dom->domid, v->id, gpa, why);
	c->exit_code = SVM_EXIT_ERR;
	c->exit_code_hi = U32_MAX;
	c->exit_info_1 = 0;
	c->exit_info_2 = 0;
	if (kxen_gpa_write(v->dom, gpa, nested_of(v)->v12, PAGE_SIZE))
		return kxen_exit_gp(v);
	return KXEN_EXIT_CONTINUE;
}

static void nested_build_control(struct kxen_svm_vcpu *sx,
				 const struct vmcb_control_area *c12)
{
	struct kxen_svm_nested *n = sx->nested;
	const struct vmcb_control_area *c01 = &sx->vmcb01->control;
	struct vmcb_control_area *c = &n->vmcb02->control;
	int i;

	memset(c, 0, sizeof(*c));
	/* kxen's own intercepts and the guest's ... */
	for (i = 0; i < MAX_INTERCEPT; i++)
		c->intercepts[i] = c01->intercepts[i] | c12->intercepts[i];
	/* ... less kxen's interrupt window, which is vmcb01's (run.c). */
	if (!nested_wants_bit(c12->intercepts, INTERCEPT_VINTR))
		c->intercepts[INTERCEPT_VINTR / 32] &= ~BIT(INTERCEPT_VINTR % 32);
	c->iopm_base_pa = kxen_svm_conf.iopm_pa;
	c->msrpm_base_pa = kxen_svm_conf.msrpm_pa;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = c01->nested_cr3;
	c->tsc_offset = c01->tsc_offset + c12->tsc_offset;
	/* The guest's IF keeps gating its own interrupts (APM 15.21.1). */
	c->int_ctl = V_INTR_MASKING_MASK | (c12->int_ctl & KXEN_NSVM_INT_CTL);
	c->int_vector = c12->int_vector & 0xff;
	c->int_state = c12->int_state & SVM_INTERRUPT_SHADOW_MASK;

	memcpy(n->intercepts, c12->intercepts, sizeof(n->intercepts));
	n->iopm_gpa = c12->iopm_base_pa & PAGE_MASK;
	n->msrpm_gpa = c12->msrpm_base_pa & PAGE_MASK;
	n->int_ctl = c12->int_ctl;
}

/*
 * What VMRUN loads (APM 15.5.1); the state VMLOAD and VMSAVE move stays
 * what the guest has now, as on a CPU.
 */
static void nested_build_save(struct kxen_svm_vcpu *sx,
			      const struct vmcb_save_area *s12)
{
	const struct vmcb_save_area *s01 = &sx->vmcb01->save;
	struct vmcb_save_area *s = &sx->nested->vmcb02->save;

	memset(s, 0, sizeof(*s));
	s->es = s12->es;
	s->cs = s12->cs;
	s->ss = s12->ss;
	s->ds = s12->ds;
	s->gdtr = s12->gdtr;
	s->idtr = s12->idtr;
	s->efer = s12->efer;
	s->cr0 = s12->cr0;
	s->cr2 = s12->cr2;
	s->cr3 = s12->cr3;
	s->cr4 = s12->cr4;
	s->dr6 = s12->dr6;
	s->dr7 = s12->dr7;
	s->rflags = s12->rflags | X86_EFLAGS_FIXED;
	s->rip = s12->rip;
	s->rsp = s12->rsp;
	s->rax = s12->rax;
	s->cpl = s12->cpl & 3;
	s->g_pat = s01->g_pat;
	nested_copy_hidden(s, s01);
}

int kxen_svm_nested_vmrun(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct kxen_svm_nested *n;
	const char *why;
	struct vmcb *v12;
	u64 gpa;

	if (!nested_insn_ok(v) || !nested_vmcb_gpa(v, &gpa))
		return KXEN_EXIT_CONTINUE;
	n = sx->nested;
	v12 = n->v12;
	/* One copy, checked and used: the guest may change its page. */
	if (kxen_gpa_read(v->dom, gpa, v12, PAGE_SIZE))
		return kxen_exit_gp(v);
	/* The guest resumes past VMRUN when its guest exits. */
	kxen_vcpu_advance_rip(v);
	why = nested_check_control(v, &v12->control) ?:
	      nested_check_save(&v12->save);
	if (why)
		return nested_vmrun_invalid(v, gpa, why);
	/* The guest's state stays in vmcb01 while its guest runs. */
	kxen_svm_write_state(v);
	n->vmcb12_gpa = gpa;
	nested_build_control(sx, &v12->control);
	nested_build_save(sx, &v12->save);
	nested_switch(sx, true);
	n->gif = true;
	sx->inject = 0;
	sx->inject_ours = false;
	if (v12->control.event_inj & SVM_EVTINJ_VALID) {
		sx->inject = v12->control.event_inj;
		sx->inject_err = v12->control.event_inj_err;
	}
	kxen_svm_read_state(v);
	return KXEN_EXIT_CONTINUE;
}

/* ---- #VMEXIT to the guest ---- */

/* The nested guest's state into the copy of vmcb12 (APM 15.6). */
static void nested_save_l3(struct kxen_svm_vcpu *sx, struct vmcb *v12)
{
	const struct vmcb *l3 = sx->nested->vmcb02;
	struct vmcb_save_area *s = &v12->save;
	struct vmcb_control_area *c = &v12->control;

	s->es = l3->save.es;
	s->cs = l3->save.cs;
	s->ss = l3->save.ss;
	s->ds = l3->save.ds;
	s->gdtr = l3->save.gdtr;
	s->idtr = l3->save.idtr;
	s->efer = l3->save.efer;
	s->cr0 = l3->save.cr0;
	s->cr2 = l3->save.cr2;
	s->cr3 = l3->save.cr3;
	s->cr4 = l3->save.cr4;
	s->dr6 = l3->save.dr6;
	s->dr7 = l3->save.dr7;
	s->rflags = l3->save.rflags;
	s->rip = l3->save.rip;
	s->rsp = l3->save.rsp;
	s->rax = l3->save.rax;
	s->cpl = l3->save.cpl;
	c->int_state = l3->control.int_state & SVM_INTERRUPT_SHADOW_MASK;
	c->int_ctl = (c->int_ctl & ~(V_TPR_MASK | V_IRQ_MASK)) |
		     (l3->control.int_ctl & (V_TPR_MASK | V_IRQ_MASK));
	c->event_inj &= ~SVM_EVTINJ_VALID;
	c->next_rip = kxen_svm_conf.nrips ? l3->control.next_rip : 0;
}

/*
 * The nested guest exits to the guest with @code: vmcb12 gets its state
 * and the exit's information, the guest its own state back as VMRUN left
 * it, with GIF clear and breakpoints off (APM 15.6, 15.7).  An event
 * kxen still had to deliver to the nested guest is the guest's now, in
 * EXITINTINFO.
 */
static int nested_vmexit(struct kxen_vcpu *v, u32 code, u64 info1,
			 u64 info2, u32 intinfo, u32 intinfo_err)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct kxen_svm_nested *n = sx->nested;
	struct vmcb *v12 = n->v12;

	kxen_svm_write_state(v);
	if (kxen_gpa_read(v->dom, n->vmcb12_gpa, v12, PAGE_SIZE))
		return kxen_exit_fail(v, "nested #VMEXIT: vmcb12 is no longer guest RAM");
	nested_save_l3(sx, v12);
	v12->control.exit_code = code;
	v12->control.exit_code_hi = code == SVM_EXIT_ERR ? U32_MAX : 0;
	v12->control.exit_info_1 = info1;
	v12->control.exit_info_2 = info2;
	v12->control.exit_int_info = intinfo;
	v12->control.exit_int_info_err = intinfo_err;
	if (kxen_gpa_write(v->dom, n->vmcb12_gpa, v12, PAGE_SIZE))
		return kxen_exit_fail(v, "nested #VMEXIT: vmcb12 is no longer guest RAM");
	/*
	 * VMSAVE, not #VMEXIT, stores these: the guest has them now; and
	 * the PAT, one register for both levels without nested paging.
	 */
	nested_copy_hidden(&sx->vmcb01->save, &n->vmcb02->save);
	sx->vmcb01->save.g_pat = n->vmcb02->save.g_pat;
	nested_switch(sx, false);
	sx->vmcb01->save.dr7 = 0x400;	/* DR7 at reset: none enabled */
	n->gif = false;
	sx->inject = 0;
	sx->inject_ours = false;
	sx->redeliver = false;
	kxen_svm_read_state(v);
	v->st.dirty = 0;
	return KXEN_EXIT_CONTINUE;
}

/*
 * Port I/O the guest intercepts: the IOPM bits of every byte the access
 * touches (APM 15.10.1).  A map the guest can no longer read is taken as
 * intercepting, as KVM does.
 */
static bool nested_wants_io(struct kxen_vcpu *v, u64 info1)
{
	struct kxen_svm_nested *n = nested_of(v);
	u32 port = info1 >> 16;
	u32 size = (info1 & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT;
	__le16 bits = 0;
	u16 mask;

	if (!nested_wants_bit(n->intercepts, INTERCEPT_IOIO_PROT))
		return false;
	mask = ((1u << size) - 1) << (port & 7);
	if (kxen_gpa_read(v->dom, n->iopm_gpa + port / 8, &bits,
			  mask > 0xff ? 2 : 1))
		return true;
	return le16_to_cpu(bits) & mask;
}

/*
 * MSRs the guest intercepts: two bits each, read then write, in three
 * ranges of 8192 MSRs; one outside them always exits (APM 15.11).
 */
static bool nested_wants_msr(struct kxen_vcpu *v, bool write)
{
	static const u32 base[] = { 0, 0xc0000000, 0xc0010000 };
	struct kxen_svm_nested *n = nested_of(v);
	u32 msr = v->st.gprs[KXEN_REG_RCX];
	u32 bit;
	u8 byte;
	int i;

	if (!nested_wants_bit(n->intercepts, INTERCEPT_MSR_PROT))
		return false;
	for (i = 0; i < ARRAY_SIZE(base); i++) {
		if (msr - base[i] >= 0x2000)
			continue;
		bit = i * 0x2000 * 2 + (msr - base[i]) * 2 + write;
		if (kxen_gpa_read(v->dom, n->msrpm_gpa + bit / 8, &byte, 1))
			return true;
		return byte & BIT(bit % 8);
	}
	return true;
}

/* Whether this exit of the nested guest is the guest's to handle. */
static bool nested_wants(struct kxen_vcpu *v, u32 code, u64 info1)
{
	switch (code) {
	/* The host's own events and kxen's own nested table. */
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
	case SVM_EXIT_EXCP_BASE + X86_TRAP_MC:
	case SVM_EXIT_NPF:
		return false;
	case SVM_EXIT_ERR:
		return true;	/* the CPU refused vmcb02: vmcb12's state */
	case SVM_EXIT_IOIO:
		return nested_wants_io(v, info1);
	case SVM_EXIT_MSR:
		return nested_wants_msr(v, info1);
	}
	return code < 32 * MAX_INTERCEPT &&
	       nested_wants_bit(nested_of(v)->intercepts, code);
}

/* An exit of the nested guest: true if it went to the guest. */
bool kxen_svm_nested_reflect(struct kxen_vcpu *v, int *ret)
{
	struct kxen_svm_vcpu *sx = to_svm(v);

	if (!nested_wants(v, sx->exit_code, sx->exit_info_1))
		return false;
	*ret = nested_vmexit(v, sx->exit_code, sx->exit_info_1,
			     sx->exit_info_2, sx->exit_int_info,
			     sx->exit_int_info_err);
	return true;
}

/*
 * An exception kxen raised in the nested guest (a #UD for an instruction
 * of the guest's it did not intercept, a #GP of an MSR) that vmcb12
 * intercepts is an exit to the guest, as the CPU would have made it; an
 * event merely carried over from an exit was the guest's to intercept
 * already, and goes in (APM 15.12, 15.20).
 */
static bool nested_excp_exit(struct kxen_vcpu *v, int *ret)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	u32 ev = sx->inject;
	u8 vec = ev & SVM_EVTINJ_VEC_MASK;

	if (!sx->inject_ours ||
	    (ev & SVM_EVTINJ_TYPE_MASK) != SVM_EVTINJ_TYPE_EXEPT ||
	    !nested_wants_bit(sx->nested->intercepts,
			      INTERCEPT_EXCEPTION_OFFSET + vec))
		return false;
	sx->inject = 0;
	*ret = nested_vmexit(v, SVM_EXIT_EXCP_BASE + vec,
			     ev & SVM_EVTINJ_VALID_ERR ? sx->inject_err : 0,
			     0, 0, 0);
	return true;
}

/*
 * Before entering the nested guest (true if it exited instead): first an
 * exception of kxen's the guest intercepts; then an interrupt for the
 * guest, where vmcb12 intercepts INTR and the guest could take it (its
 * own IF with V_INTR_MASKING, else its guest's), exits at once (APM
 * 15.21.1).  An event still queued for the nested guest goes to the
 * guest in EXITINTINFO, as a CPU reports one it could not deliver.
 */
bool kxen_svm_nested_pre_entry(struct kxen_vcpu *v, int *ret)
{
	struct kxen_svm_vcpu *sx = to_svm(v);
	struct kxen_svm_nested *n = sx->nested;
	u64 rflags;

	if (nested_excp_exit(v, ret))
		return true;
	if (!nested_wants_bit(n->intercepts, INTERCEPT_INTR))
		return false;
	rflags = n->int_ctl & V_INTR_MASKING_MASK ? sx->vmcb01->save.rflags :
						     v->st.rflags;
	if (!(rflags & X86_EFLAGS_IF))
		return false;
	if (kxen_vcpu_pending_vector(v) < 0 && kxen_lapic_pending(v) < 0)
		return false;
	*ret = nested_vmexit(v, SVM_EXIT_INTR, 0, 0, sx->inject,
			     sx->inject_err);
	return true;
}
