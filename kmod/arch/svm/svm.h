/* SPDX-License-Identifier: GPL-2.0 */
/* kxen AMD-V backend: private structures shared by the kmod/arch/svm files. */
#ifndef KXEN_SVM_H
#define KXEN_SVM_H

#include <linux/mm.h>
#include <linux/mem_encrypt.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <asm/asm.h>
#include <asm/svm.h>

#include "../../core/kxen.h"
#include "../../core/hap.h"

/* What the CPU offers, read once at load time (svm.c). */
struct kxen_svm_config {
	u32 nr_asids;		/* CPUID 0x8000000a EBX */
	bool nrips;		/* next_rip saved on instruction intercepts */
	bool flush_by_asid;	/* TLB_CONTROL_FLUSH_ASID is supported */
	bool decode_assists;	/* EXITINFO1 names a MOV CRx's register */
	unsigned long cr4_ok;	/* CR4 bits a guest may set */
	u64 iopm_pa, msrpm_pa;	/* all-ones permission maps, shared */
};

extern struct kxen_svm_config kxen_svm_conf;

/* The int_ctl bits of a virtual interrupt kxen offers or asks a window with. */
#define KXEN_SVM_VIRQ_CTL	(V_IRQ_MASK | V_IGN_TPR_MASK | V_INTR_PRIO_MASK)

/* Per-vCPU AMD-V state. */
struct kxen_svm_nested;

struct kxen_svm_vcpu {
	struct vmcb *vmcb;	/* the one that runs: vmcb01, or vmcb02 */
	u64 vmcb_pa;
	struct vmcb *vmcb01;	/* the guest's own */
	u64 vmcb01_pa;
	struct kxen_svm_nested *nested;	/* nestedhvm (nested.c), or NULL */
	int cpu;		/* where it last ran, or -1 */
	u32 asid;
	u64 asid_generation;
	unsigned long npt_gen;	/* nested-table generation last flushed */
	/* Guest state the hardware does not switch for us. */
	unsigned long dr[4];
	u64 tsc_aux;
	/* Exit information captured for the handlers. */
	u32 exit_code;
	u64 exit_info_1, exit_info_2;
	u32 exit_int_info, exit_int_info_err;
	u64 exit_count;
	/* An event to inject at the next entry (EVENTINJ). */
	u32 inject, inject_err;
	bool injecting;		/* an event is queued for this entry */
	bool inject_ours;	/* @inject was raised by kxen's emulation */
	/*
	 * Interrupts go in as a virtual interrupt (V_IRQ), not through
	 * EVENTINJ: see kxen_svm_offer_irq() in run.c.
	 */
	bool offered;		/* offered_vec is in V_IRQ for this entry */
	bool offered_apic;	/* ...from the local APIC: accept when taken */
	bool redeliver;		/* redeliver_vec was taken, an exit cut it */
	u8 offered_vec, redeliver_vec;
};

struct kxen_svm_domain {
	u64 ncr3;		/* nested CR3: PA of the top table */
	struct kxen_hap_fmt fmt;	/* NPT entries, with the C-bit */
	struct kxen_hap hap;	/* the nested table itself */
};

/* Physical addresses the SVM hardware reads carry the SME C-bit. */
static inline u64 kxen_sme_page_pa(struct page *pg)
{
	return __sme_set((u64)page_to_pfn(pg) << PAGE_SHIFT);
}

static inline struct kxen_svm_vcpu *to_svm(struct kxen_vcpu *v)
{
	return v->arch;
}

static inline struct kxen_svm_domain *to_svm_dom(struct kxen_domain *d)
{
	return d->arch;
}

void kxen_svm_op_fault(const char *insn);

/*
 * "INSN" with a fixup: the status byte %[f] becomes 1 if it faulted
 * (#UD: EFER.SVME is clear, APM Vol. 3 "CLGI"/"STGI").
 */
#define KXEN_SVM_INSN(insn)						\
	"1: " insn "\n\t"						\
	"jmp 3f\n\t"							\
	"2: movb $1, %[f]\n\t"						\
	"3:\n\t"							\
	_ASM_EXTABLE(1b, 2b)

/*
 * GIF: while clear, interrupts and NMIs wait (APM Vol. 2 15.17).  With
 * EFER.SVME clear both fault: the fixup makes that a rate-limited line
 * (the entry that follows fails the domain), not a host oops.
 */
static inline void kxen_clgi(void)
{
	u8 f = 0;

	asm volatile(KXEN_SVM_INSN("clgi") : [f] "+qm" (f) :: "memory");
	if (unlikely(f))
		kxen_svm_op_fault("clgi");
}

static inline void kxen_stgi(void)
{
	u8 f = 0;

	asm volatile(KXEN_SVM_INSN("stgi") : [f] "+qm" (f) :: "memory");
	if (unlikely(f))
		kxen_svm_op_fault("stgi");
}

/* svm.c: the per-CPU host save area VMSAVE/VMLOAD use around VMRUN. */
u64 kxen_svm_host_save_pa(void);
int kxen_svm_check_hsave(struct kxen_vcpu *v);
void kxen_svm_dump_hsave(struct kxen_vcpu *v);
void kxen_svm_assign_asid(struct kxen_vcpu *v);

/* npt.c */
int kxen_npt_init(struct kxen_domain *d);
void kxen_npt_free(struct kxen_domain *d);
int kxen_npt_set_gfn(struct kxen_domain *d, u64 gfn, unsigned long pfn);
void kxen_npt_flush(struct kxen_domain *d);

/* vmcb.c */
int kxen_svm_vcpu_create(struct kxen_vcpu *v);
void kxen_svm_vcpu_free(struct kxen_vcpu *v);
void kxen_svm_vcpu_set_boot(struct kxen_vcpu *v, u32 entry, u32 ebx);
void kxen_svm_vcpu_set_sipi(struct kxen_vcpu *v, u8 vector);
void kxen_svm_vcpu_set_regs(struct kxen_vcpu *v,
			    const struct kxen_vcpu_regs *r);
const char *kxen_svm_exit_name(u32 code);

/* run.c */
int kxen_svm_vcpu_run(struct kxen_vcpu *v);
void kxen_svm_write_state(struct kxen_vcpu *v);
void kxen_svm_read_state(struct kxen_vcpu *v);
void kxen_svm_inject_exception(struct kxen_vcpu *v, u8 vector,
			       bool has_error, u32 error);
void kxen_svm_dump(struct kxen_vcpu *v, const char *why);

/* msr.c: 0, or -EINVAL for #GP */
int kxen_svm_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val);
int kxen_svm_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val);

/* exits.c */
int kxen_svm_handle_exit(struct kxen_vcpu *v);

/* nested.c: the guest's own AMD-V, per vCPU of a domain with nestedhvm */
struct kxen_svm_nested {
	struct vmcb *vmcb02;	/* the nested guest's, while it runs */
	u64 vmcb02_pa;
	struct vmcb *v12;	/* a copy of the guest's vmcb12 */
	u64 hsave_pa;		/* VM_HSAVE_PA as the guest wrote it */
	u64 vmcb12_gpa;		/* the VMCB of the VMRUN now running */
	/* What vmcb12 asked for, copied once at VMRUN (no double fetch). */
	u32 intercepts[MAX_INTERCEPT];
	u64 iopm_gpa, msrpm_gpa;
	u32 int_ctl;
	bool svme;		/* the guest's EFER.SVME */
	bool gif;		/* the guest's global interrupt flag */
	bool guest_mode;	/* vmcb02 is the one that runs */
};

/* Inline: each entry and exit asks, and most domains have no nesting. */
static inline bool kxen_svm_nested_l3(const struct kxen_svm_vcpu *sx)
{
	return sx->nested && sx->nested->guest_mode;
}

static inline bool kxen_svm_nested_gif(const struct kxen_svm_vcpu *sx)
{
	return !sx->nested || sx->nested->gif;
}

static inline bool kxen_svm_nested_svme(const struct kxen_svm_vcpu *sx)
{
	return sx->nested && sx->nested->svme;
}

int kxen_svm_nested_create(struct kxen_vcpu *v);
void kxen_svm_nested_free(struct kxen_vcpu *v);
void kxen_svm_nested_reset(struct kxen_vcpu *v);
void kxen_svm_nested_cpuid(struct kxen_vcpu *v, u32 leaf, u32 out[4]);
int kxen_svm_nested_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val);
int kxen_svm_nested_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val);
int kxen_svm_nested_vmrun(struct kxen_vcpu *v);
int kxen_svm_nested_vmload(struct kxen_vcpu *v);
int kxen_svm_nested_vmsave(struct kxen_vcpu *v);
int kxen_svm_nested_stgi(struct kxen_vcpu *v);
int kxen_svm_nested_clgi(struct kxen_vcpu *v);
int kxen_svm_nested_invlpga(struct kxen_vcpu *v);
bool kxen_svm_nested_reflect(struct kxen_vcpu *v, int *ret);
bool kxen_svm_nested_pre_entry(struct kxen_vcpu *v, int *ret);

/*
 * vmenter.S: VMSAVE the host's hidden state to @host_pa, VMLOAD the
 * guest's, VMRUN, and the reverse.  Called with IRQs off and GIF clear.
 */
int __kxen_svm_vcpu_run(unsigned long *regs, u64 vmcb_pa, u64 host_pa);
extern const u8 kxen_svm_vmrun_ret[];

#endif /* KXEN_SVM_H */
