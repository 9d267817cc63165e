/* SPDX-License-Identifier: GPL-2.0 */
/* kxen VT-x backend: private structures shared by the kmod/arch/vmx files. */
#ifndef KXEN_VMX_H
#define KXEN_VMX_H

#include <linux/list.h>
#include <linux/types.h>

#include "../../core/kxen.h"
#include "../../core/hap.h"

/* Control values chosen once at load time (capabilities.c). */
struct kxen_vmcs_config {
	u32 revision_id;
	u32 vmcs_size;
	u32 pin, proc, proc2, exit, entry;
	u64 ept_vpid_cap;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u8 preemption_timer_shift;
	u8 *msr_bitmap;		/* set when virtual-interrupt delivery is used */
};

extern struct kxen_vmcs_config kxen_vmcs_conf;

/* Virtual-interrupt delivery in use (capabilities.c): asked every entry. */
static inline bool kxen_vmx_has_vid(void)
{
	return kxen_vmcs_conf.msr_bitmap;
}

struct kxen_vmcs {
	u32 revision_id;
	u32 abort;
	char data[];
};

/* Per-vCPU VT-x state. */
struct kxen_vmx_vcpu {
	struct kxen_vmcs *vmcs;
	int cpu;			/* where the VMCS is active, or -1 */
	bool launched;
	struct list_head loaded_node;	/* on that CPU's loaded list */
	unsigned long host_cr3, host_cr4;
	/* Guest state the hardware does not switch for us. */
	u64 kernel_gs_base, star, lstar, cstar, sfmask, tsc_aux;
	unsigned long dr[4], dr6;
	unsigned long cr2;		/* not switched by VT-x */
	u8 cr8;
	/* Exit information captured for the handlers. */
	u32 exit_reason;
	unsigned long exit_qual;
	u32 exit_intr_info, idt_vectoring;
	u64 exit_count;
	/* An event to inject at the next entry (VM_ENTRY_INTR_INFO). */
	u32 inject_info, inject_error, inject_len;
	bool injecting;			/* an event is queued for this entry */
	unsigned long ept_gen;		/* EPT generation this CPU's TLB has */
	bool l1d_flush;			/* host code ran: flush before entry */
	bool vid_on;			/* virtual-interrupt delivery enabled */
	struct kxen_vmx_nested *nested;	/* nestedhvm (nested.c), or NULL */
	bool l2;			/* the guest's own guest runs */
};

struct kxen_vmx_domain {
	u64 eptp;
	struct kxen_hap hap;		/* the EPT itself */
};

static inline struct kxen_vmx_vcpu *to_vmx(struct kxen_vcpu *v)
{
	return v->arch;
}

static inline struct kxen_vmx_domain *to_vmx_dom(struct kxen_domain *d)
{
	return d->arch;
}

/* capabilities.c */
int kxen_vmx_setup_config(void);
bool kxen_vmx_has_preemption_timer(void);
void kxen_vmx_free_config(void);

/* ept.c */
int kxen_ept_init(struct kxen_domain *d);
void kxen_ept_free(struct kxen_domain *d);
int kxen_ept_set_gfn(struct kxen_domain *d, u64 gfn, unsigned long pfn);
void kxen_ept_flush(struct kxen_domain *d);

/* vmcs.c */
int kxen_vmx_vcpu_create(struct kxen_vcpu *v);
void kxen_vmx_vcpu_free(struct kxen_vcpu *v);
void kxen_vmx_vcpu_set_boot(struct kxen_vcpu *v, u32 entry, u32 ebx);
void kxen_vmx_vcpu_set_sipi(struct kxen_vcpu *v, u8 vector);
void kxen_vmx_vcpu_set_regs(struct kxen_vcpu *v,
			    const struct kxen_vcpu_regs *r);
void kxen_vmx_load(struct kxen_vcpu *v);
void kxen_vmx_clear_loaded_on_cpu(void);
void kxen_vmx_write_cr0(struct kxen_vcpu *v, unsigned long val);
void kxen_vmx_write_cr4(struct kxen_vcpu *v, unsigned long val);
/* exits.c: the PDPTEs for PAE paging at @cr3, into the VMCS; -EFAULT. */
int kxen_vmx_load_pdptrs(struct kxen_vcpu *v, unsigned long cr3);

/* run.c */
int kxen_vmx_vcpu_run(struct kxen_vcpu *v);
void kxen_vmx_l1d_setup(void);
void kxen_vmx_inject_exception(struct kxen_vcpu *v, u8 vector,
			       bool has_error, u32 error);
void kxen_vmx_dump(struct kxen_vcpu *v, const char *why);

/* msr.c: 0, or -EINVAL for #GP */
int kxen_vmx_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val);
int kxen_vmx_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val);

/* exits.c */
int kxen_vmx_handle_exit(struct kxen_vcpu *v);
/* The guest CR4 bits kxen lets the guest set. */
unsigned long kxen_vmx_cr4_allowed(struct kxen_vcpu *v);

/* nested.c: VMX operation for a domain with nestedhvm */
void kxen_vmx_nested_setup(void);		/* once, at load */
int kxen_vmx_nested_create(struct kxen_vcpu *v);
void kxen_vmx_nested_free(struct kxen_vcpu *v);
void kxen_vmx_nested_reset(struct kxen_vcpu *v);
bool kxen_vmx_nested_vmxon(struct kxen_vcpu *v);
int kxen_vmx_nested_insn(struct kxen_vcpu *v);
void kxen_vmx_nested_cpuid(struct kxen_vcpu *v, u32 leaf, u32 out[4]);
/* 0, -EINVAL for #GP, -ENOENT: not an MSR of nested.c's */
int kxen_vmx_nested_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val);
int kxen_vmx_nested_wrmsr(struct kxen_vcpu *v, u32 msr);
/* nested_run.c: exits of the guest's guest; -ENOENT: kxen's own */
int kxen_vmx_nested_exit(struct kxen_vcpu *v);
bool kxen_vmx_nested_intr(struct kxen_vcpu *v);
/* task_switch.c: the TASK_SWITCH exit, emulated (SDM Vol. 3 7.3). */
int kxen_vmx_task_switch(struct kxen_vcpu *v);
const char *kxen_vmx_exit_name(u32 reason);

/* vmenter.S: 0 after a VM exit, 1 if VMLAUNCH/VMRESUME failed. */
extern const char kxen_vmx_vmexit[];	/* HOST_RIP */
int __kxen_vmx_vcpu_run(unsigned long *regs, bool launched);

#endif /* KXEN_VMX_H */
