/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's own VMX (nestedhvm on VT-x): what nested.c (VMX operation,
 * the instructions and MSRs) and nested_run.c (VM entry into the nested
 * guest and the VM exits back) share.
 */
#ifndef KXEN_VMX_NESTED_H
#define KXEN_VMX_NESTED_H

#include "vmx.h"

#define KXEN_NVMX_NO_VMCS	(~0ULL)

/* vmcs12 in guest memory: this header, then 64-bit field slots. */
#define KXEN_VMCS12_LAUNCH	8	/* u32: 0 clear, 1 launched */
#define KXEN_VMCS12_FIELDS	16

/* VM-instruction error numbers (SDM Vol. 3 31.4). */
#define VMXERR_VMCLEAR_BAD_ADDR		2
#define VMXERR_VMCLEAR_VMXON_PTR	3
#define VMXERR_LAUNCH_NOT_CLEAR		4
#define VMXERR_RESUME_NOT_LAUNCHED	5
#define VMXERR_ENTRY_BAD_CONTROLS	7
#define VMXERR_ENTRY_BAD_HOST_STATE	8
#define VMXERR_VMPTRLD_BAD_ADDR		9
#define VMXERR_VMPTRLD_VMXON_PTR	10
#define VMXERR_VMPTRLD_BAD_REVISION	11
#define VMXERR_BAD_COMPONENT		12
#define VMXERR_READ_ONLY_COMPONENT	13
#define VMXERR_VMXON_IN_ROOT		15

/* The controls the guest may set: default1 plus these (SDM Vol. 3 A.3-A.5). */
#define KXEN_NVMX_PIN_DEFAULT1		0x00000016U
#define KXEN_NVMX_PROC_DEFAULT1		0x0401e172U
#define KXEN_NVMX_EXIT_DEFAULT1		0x00036dffU
#define KXEN_NVMX_ENTRY_DEFAULT1	0x000011ffU
#define KXEN_NVMX_PIN_ALLOWED	(KXEN_NVMX_PIN_DEFAULT1 |		\
				 PIN_BASED_EXT_INTR_MASK)
/* The exits the guest may ask for; kxen reflects each one it gets. */
#define KXEN_NVMX_PROC_EXITS	(CPU_BASED_INTR_WINDOW_EXITING |	\
				 CPU_BASED_HLT_EXITING |		\
				 CPU_BASED_INVLPG_EXITING |		\
				 CPU_BASED_MWAIT_EXITING |		\
				 CPU_BASED_RDPMC_EXITING |		\
				 CPU_BASED_RDTSC_EXITING |		\
				 CPU_BASED_CR3_LOAD_EXITING |		\
				 CPU_BASED_CR3_STORE_EXITING |		\
				 CPU_BASED_CR8_LOAD_EXITING |		\
				 CPU_BASED_CR8_STORE_EXITING |		\
				 CPU_BASED_MOV_DR_EXITING |		\
				 CPU_BASED_UNCOND_IO_EXITING |		\
				 CPU_BASED_MONITOR_EXITING |		\
				 CPU_BASED_PAUSE_EXITING)
#define KXEN_NVMX_PROC_ALLOWED	(KXEN_NVMX_PROC_DEFAULT1 | KXEN_NVMX_PROC_EXITS)
#define KXEN_NVMX_EXIT_ALLOWED	(KXEN_NVMX_EXIT_DEFAULT1 |		\
				 VM_EXIT_HOST_ADDR_SPACE_SIZE |		\
				 VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT | \
				 VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER)
#define KXEN_NVMX_ENTRY_ALLOWED	(KXEN_NVMX_ENTRY_DEFAULT1 |		\
				 VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_IA32_PAT | \
				 VM_ENTRY_LOAD_IA32_EFER)
/* CR0 bits VMX operation needs (no unrestricted guest is offered). */
#define KXEN_NVMX_CR0_FIXED0	(X86_CR0_PE | X86_CR0_NE | X86_CR0_PG)

struct kxen_vmx_nested {
	bool vmxon;		/* in VMX root operation */
	u64 vmxon_ptr;
	u64 current_ptr;	/* current-VMCS pointer, or KXEN_NVMX_NO_VMCS */
	u64 *f12;		/* vmcs12's fields, copied out at VM entry */
	/* The guest's own controls, while its guest runs in their place. */
	struct {
		u32 pin, proc, proc2, entry, exc_bitmap;
		unsigned long cr0_mask, cr4_mask;
	} l1;
};

extern const unsigned int kxen_nvmx_nr_fields;

static inline struct kxen_vmx_nested *kxen_nvmx_of(struct kxen_vcpu *v)
{
	return to_vmx(v)->nested;
}

/* nested.c */
int kxen_nvmx_slot(u32 field);
int kxen_nvmx_fail(struct kxen_vcpu *v, u32 err);

/* nested_run.c: VMLAUNCH (@launch) or VMRESUME, after the common checks */
int kxen_nvmx_enter(struct kxen_vcpu *v, bool launch);
void kxen_nvmx_leave(struct kxen_vcpu *v);

#endif /* KXEN_VMX_NESTED_H */
