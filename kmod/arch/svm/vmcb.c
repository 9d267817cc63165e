// SPDX-License-Identifier: GPL-2.0
/*
 * VMCB lifetime and contents (AMD APM Vol. 2 15.5, Appendix B): the
 * intercepts, nested paging, and the PVH boot state of the guest.  There
 * is no per-CPU VMCB state to track as VT-x's VMCLEAR needs: a VMCB is
 * plain memory, and a vCPU that moves only takes a new ASID (svm.c).
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/cpufeature.h>
#include <asm/trapnr.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "svm.h"

static void kxen_vmcb_set_intercept(struct vmcb_control_area *c, u32 bit)
{
	c->intercepts[bit / 32] |= BIT(bit % 32);
}

/*
 * What exits (APM Appendix B, Table B-1): external interrupts, NMIs and
 * SMIs so the host keeps its CPU; CPUID, HLT, every port and MSR access;
 * the SVM instructions, which the guest must not use (VMRUN's intercept
 * is mandatory); MONITOR/MWAIT; XSETBV so XCR0 stays the host's to set;
 * a shutdown (triple fault).  With nested paging the guest owns its CR0
 * and CR3 and the hardware switches them; writes to CR4 exit, since the
 * CPU would take bits the guest's CPUID does not offer (exits.c).
 */
static void kxen_vmcb_setup_intercepts(struct vmcb_control_area *c)
{
	static const u32 bits[] = {
		INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_SMI, INTERCEPT_CPUID,
		INTERCEPT_INVD, INTERCEPT_HLT, INTERCEPT_INVLPGA,
		INTERCEPT_IOIO_PROT, INTERCEPT_MSR_PROT, INTERCEPT_SHUTDOWN,
		INTERCEPT_VMRUN, INTERCEPT_VMMCALL, INTERCEPT_VMLOAD,
		INTERCEPT_VMSAVE, INTERCEPT_STGI, INTERCEPT_CLGI,
		INTERCEPT_SKINIT, INTERCEPT_WBINVD, INTERCEPT_MONITOR,
		INTERCEPT_MWAIT, INTERCEPT_MWAIT_COND, INTERCEPT_XSETBV,
		INTERCEPT_CR4_WRITE, INTERCEPT_ICEBP,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(bits); i++)
		kxen_vmcb_set_intercept(c, bits[i]);
	/*
	 * #DB and #AC, so a guest whose delivery of one raises it again
	 * loops through the host instead of inside the CPU, where no
	 * interrupt gets in (CVE-2015-8104, CVE-2015-5307); #MC, which is
	 * the host's.  As KVM's svm init_vmcb.
	 */
	kxen_vmcb_set_intercept(c, INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_DB);
	kxen_vmcb_set_intercept(c, INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_AC);
	kxen_vmcb_set_intercept(c, INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_MC);
}

static void kxen_vmcb_setup_control(struct kxen_vcpu *v)
{
	struct vmcb_control_area *c = &to_svm(v)->vmcb->control;

	kxen_vmcb_setup_intercepts(c);
	c->iopm_base_pa = kxen_svm_conf.iopm_pa;
	c->msrpm_base_pa = kxen_svm_conf.msrpm_pa;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = to_svm_dom(v->dom)->ncr3;
	/*
	 * Virtual interrupt masking: the guest's RFLAGS.IF gates only
	 * virtual interrupts; physical ones follow the host's IF and exit
	 * (APM 15.21.1).
	 */
	c->int_ctl = V_INTR_MASKING_MASK;
	c->tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
}

int kxen_svm_vcpu_create(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx;
	struct page *pg;
	int ret;

	sx = kzalloc(sizeof(*sx), GFP_KERNEL);
	if (!sx)
		return -ENOMEM;
	sx->cpu = -1;
	pg = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!pg) {
		kfree(sx);
		return -ENOMEM;
	}
	sx->vmcb = page_address(pg);
	sx->vmcb_pa = kxen_sme_page_pa(pg);
	sx->vmcb01 = sx->vmcb;
	sx->vmcb01_pa = sx->vmcb_pa;
	kxen_stats_pages(1);
	v->arch = sx;
	kxen_vmcb_setup_control(v);
	ret = kxen_svm_nested_create(v);
	if (ret)
		goto err_nested;
	return 0;
err_nested:
	v->arch = NULL;
	free_page((unsigned long)sx->vmcb01);
	kxen_stats_pages(-1);
	kfree(sx);
	return ret;
}

void kxen_svm_vcpu_free(struct kxen_vcpu *v)
{
	struct kxen_svm_vcpu *sx = to_svm(v);

	if (!sx)
		return;
	kxen_svm_nested_free(v);
	free_page((unsigned long)sx->vmcb01);
	kxen_stats_pages(-1);
	kfree(sx);
	v->arch = NULL;
}

static void kxen_vmcb_seg(struct vmcb_seg *s, u16 sel, u16 attrib,
			  u32 limit)
{
	s->selector = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = 0;
}

/* Segment attributes in the VMCB's packed form (APM 15.5.1): G, D/B, P,
 * S, type.  Flat 32-bit code (execute/read, accessed), data (read/write,
 * accessed), a busy 32-bit TSS and an LDT.
 */
#define KXEN_ATTR_CODE32	0xc9b
#define KXEN_ATTR_DATA32	0xc93
#define KXEN_ATTR_TSS32		0x08b
#define KXEN_ATTR_LDT		0x082
#define KXEN_ATTR_CODE16	0x09b	/* real mode: 16-bit, byte limit */
#define KXEN_ATTR_DATA16	0x093
#define KXEN_ATTR_TSS16		0x083

/* INIT drops whatever event was on its way into the old context. */
static void kxen_vmcb_drop_events(struct kxen_svm_vcpu *sx)
{
	sx->inject = 0;
	sx->offered = false;
	sx->redeliver = false;
	sx->vmcb->control.int_ctl &= ~KXEN_SVM_VIRQ_CTL;
}

/*
 * After INIT-SIPI-SIPI (APM Vol. 2 16.5): real mode, CS = vector << 8
 * with base vector << 12, IP 0, 64 KiB segments, caches as after INIT.
 */
void kxen_svm_vcpu_set_sipi(struct kxen_vcpu *v, u8 vector)
{
	struct vmcb_save_area *s;

	kxen_svm_nested_reset(v);
	s = &to_svm(v)->vmcb->save;
	kxen_vmcb_drop_events(to_svm(v));
	memset(s, 0, sizeof(*s));
	kxen_vmcb_seg(&s->cs, vector << 8, KXEN_ATTR_CODE16, 0xffff);
	s->cs.base = vector << 12;
	kxen_vmcb_seg(&s->ds, 0, KXEN_ATTR_DATA16, 0xffff);
	kxen_vmcb_seg(&s->es, 0, KXEN_ATTR_DATA16, 0xffff);
	kxen_vmcb_seg(&s->ss, 0, KXEN_ATTR_DATA16, 0xffff);
	kxen_vmcb_seg(&s->fs, 0, KXEN_ATTR_DATA16, 0xffff);
	kxen_vmcb_seg(&s->gs, 0, KXEN_ATTR_DATA16, 0xffff);
	kxen_vmcb_seg(&s->tr, 0, KXEN_ATTR_TSS16, 0xffff);
	kxen_vmcb_seg(&s->ldtr, 0, KXEN_ATTR_LDT, 0xffff);
	kxen_vmcb_seg(&s->gdtr, 0, 0, 0xffff);
	kxen_vmcb_seg(&s->idtr, 0, 0, 0xffff);
	s->efer = EFER_SVME;
	s->cr0 = X86_CR0_ET;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->rflags = X86_EFLAGS_FIXED;
	s->g_pat = 0x0007040600070406ULL;

	memset(v->st.gprs, 0, sizeof(v->st.gprs));
	v->st.rip = 0;
	v->st.rflags = X86_EFLAGS_FIXED;
	v->st.cr0 = s->cr0;
	v->st.cr3 = 0;
	v->st.cr4 = 0;
	v->st.efer = 0;
	v->st.dirty = 0;
}

/*
 * PVH entry state (Xen docs/misc/pvh.pandoc): 32-bit protected mode,
 * paging off, flat 4 GiB code and data segments, %ebx = start_info.
 * With nested paging this runs natively.  The guest's EFER must hold
 * SVME or VMRUN refuses the state (APM 15.5.1); the guest never sees it
 * (msr.c).
 */
void kxen_svm_vcpu_set_boot(struct kxen_vcpu *v, u32 entry, u32 ebx)
{
	struct vmcb_save_area *s;

	kxen_svm_nested_reset(v);
	s = &to_svm(v)->vmcb->save;
	kxen_vmcb_drop_events(to_svm(v));
	memset(s, 0, sizeof(*s));
	kxen_vmcb_seg(&s->cs, 0x10, KXEN_ATTR_CODE32, 0xffffffff);
	kxen_vmcb_seg(&s->ds, 0x18, KXEN_ATTR_DATA32, 0xffffffff);
	kxen_vmcb_seg(&s->es, 0x18, KXEN_ATTR_DATA32, 0xffffffff);
	kxen_vmcb_seg(&s->ss, 0x18, KXEN_ATTR_DATA32, 0xffffffff);
	kxen_vmcb_seg(&s->fs, 0x18, KXEN_ATTR_DATA32, 0xffffffff);
	kxen_vmcb_seg(&s->gs, 0x18, KXEN_ATTR_DATA32, 0xffffffff);
	kxen_vmcb_seg(&s->tr, 0, KXEN_ATTR_TSS32, 0x67);
	kxen_vmcb_seg(&s->ldtr, 0, KXEN_ATTR_LDT, 0xffff);
	kxen_vmcb_seg(&s->gdtr, 0, 0, 0xffff);
	kxen_vmcb_seg(&s->idtr, 0, 0, 0xffff);
	s->cpl = 0;
	s->efer = EFER_SVME;
	s->cr0 = X86_CR0_PE | X86_CR0_ET;
	s->dr6 = 0xffff0ff0;	/* reset values (APM Vol. 2 13.1.1.5-6) */
	s->dr7 = 0x400;
	s->rflags = X86_EFLAGS_FIXED;
	s->rip = entry;
	s->g_pat = 0x0007040600070406ULL;

	memset(v->st.gprs, 0, sizeof(v->st.gprs));
	v->st.gprs[KXEN_REG_RBX] = ebx;
	v->st.rip = entry;
	v->st.rflags = X86_EFLAGS_FIXED;
	v->st.cr0 = s->cr0;
	v->st.cr3 = 0;
	v->st.cr4 = 0;
	v->st.efer = 0;
	v->st.dirty = 0;
}

static void kxen_vmcb_seg_state(struct vmcb_seg *s,
				const struct kxen_seg_state *seg)
{
	kxen_vmcb_seg(s, seg->sel, seg->attr, seg->limit);
	s->base = seg->base;
}

/* A complete start state (VCPUOP_initialise). */
void kxen_svm_vcpu_set_regs(struct kxen_vcpu *v,
			    const struct kxen_vcpu_regs *r)
{
	struct vmcb_save_area *s;

	kxen_svm_nested_reset(v);
	s = &to_svm(v)->vmcb->save;
	memset(s, 0, sizeof(*s));
	kxen_vmcb_seg_state(&s->cs, &r->cs);
	kxen_vmcb_seg_state(&s->ds, &r->ds);
	kxen_vmcb_seg_state(&s->es, &r->es);
	kxen_vmcb_seg_state(&s->ss, &r->ss);
	kxen_vmcb_seg_state(&s->fs, &r->ds);
	kxen_vmcb_seg_state(&s->gs, &r->ds);
	kxen_vmcb_seg_state(&s->tr, &r->tr);
	kxen_vmcb_seg(&s->ldtr, 0, KXEN_ATTR_LDT, 0xffff);
	kxen_vmcb_seg(&s->gdtr, 0, 0, 0xffff);
	kxen_vmcb_seg(&s->idtr, 0, 0, 0xffff);
	s->cpl = (r->ss.attr >> 5) & 3;
	s->efer = r->efer | EFER_SVME;
	s->cr0 = r->cr0;
	s->cr3 = r->cr3;
	s->cr4 = r->cr4;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->rflags = r->rflags;
	s->rip = r->rip;
	s->rsp = r->gprs[KXEN_REG_RSP];
	s->rax = r->gprs[KXEN_REG_RAX];
	s->g_pat = 0x0007040600070406ULL;

	memcpy(v->st.gprs, r->gprs, sizeof(v->st.gprs));
	v->st.rip = r->rip;
	v->st.rflags = r->rflags;
	v->st.cr0 = r->cr0;
	v->st.cr3 = r->cr3;
	v->st.cr4 = r->cr4;
	v->st.efer = r->efer;
	v->st.dirty = 0;
}
