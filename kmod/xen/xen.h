/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kxen Xen ABI layer: what core calls (the vendor code reaches it only
 * through core, kmod/core/vcpu.c).  Nothing here touches a VMCS or VMCB;
 * it sees vCPUs through kmod/core/kxen.h only.
 */
#ifndef KXEN_XEN_H
#define KXEN_XEN_H

#include "../core/kxen.h"

/* Xen's CPUID leaves (xen/arch-x86/cpuid.h): base 0x40000000. */
#define KXEN_XEN_CPUID_BASE	0x40000000u
#define KXEN_XEN_CPUID_LAST	(KXEN_XEN_CPUID_BASE + 4)
/* Writing a GPA | page index here installs the hypercall page. */
#define KXEN_XEN_HYPERCALL_MSR	0x40000000u

enum kxen_block {
	KXEN_BLOCK_NONE,
	KXEN_BLOCK_HLT,		/* wakes on an upcall it can take (IF=1) */
	KXEN_BLOCK_SCHED,	/* SCHEDOP_block: wakes on an upcall */
	KXEN_BLOCK_POLL,	/* SCHEDOP_poll: a polled port or timeout */
};

int kxen_xen_domain_init(struct kxen_domain *d);
void kxen_xen_domain_free(struct kxen_domain *d);
/* The domain has its domid now (event channels name it). */
void kxen_xen_domain_published(struct kxen_domain *d);
/* Run loop hooks: the vector to inject (or -1), time refresh, blocking. */
int kxen_xen_pending_vector(struct kxen_vcpu *v);
void kxen_xen_vcpu_enter(struct kxen_vcpu *v);
/* The vCPU's thread starts, before its first entry (may sleep). */
void kxen_xen_vcpu_started(struct kxen_vcpu *v);
void kxen_xen_vcpu_running(struct kxen_vcpu *v);
/* The upcall vector again if the upcall is pending (after an INIT too). */
void kxen_xen_upcall_reassert(struct kxen_vcpu *v);
void kxen_xen_vcpu_block(struct kxen_vcpu *v, enum kxen_block why);
bool kxen_xen_vcpu_wake(struct kxen_vcpu *v);
/* Halted with interrupts off: down, as Xen's hvm_hlt() takes it. */
bool kxen_xen_vcpu_parked(struct kxen_vcpu *v);
void kxen_xen_vcpu_unblock(struct kxen_vcpu *v);
int kxen_xen_hypercall(struct kxen_vcpu *v);
bool kxen_xen_cpuid(struct kxen_vcpu *v, u32 leaf, u32 subleaf, u32 out[4]);
/* -ENOENT: not a Xen MSR; -EINVAL: the guest gets #GP. */
int kxen_xen_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val);
int kxen_xen_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val);
u64 kxen_xen_hcall_unknown(struct kxen_domain *d);
void kxen_xen_print_hcalls(struct kxen_domain *d);
int kxen_xen_toolstack_set_param(struct kxen_domain *d, u32 idx, u64 val);
ssize_t kxen_pvcons_input(struct kxen_domain *d, const char *buf, size_t len);

#endif /* KXEN_XEN_H */
