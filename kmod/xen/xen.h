/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kxen Xen ABI layer: what the vendor exit handlers call.  Nothing here
 * touches a VMCS or VMCB; it sees vCPUs through kmod/core/kxen.h only.
 */
#ifndef KXEN_XEN_H
#define KXEN_XEN_H

#include "../core/kxen.h"

/* Xen's CPUID leaves (xen/arch-x86/cpuid.h): base 0x40000000. */
#define KXEN_XEN_CPUID_BASE	0x40000000u
#define KXEN_XEN_CPUID_LAST	(KXEN_XEN_CPUID_BASE + 4)
/* Writing a GPA | page index here installs the hypercall page. */
#define KXEN_XEN_HYPERCALL_MSR	0x40000000u

/* Handler results for the vendor exit loop. */
#define KXEN_EXIT_CONTINUE	1
#define KXEN_EXIT_LEAVE		0	/* back to the core (block/stop) */

void kxen_xen_domain_init(struct kxen_domain *d);
int kxen_xen_hypercall(struct kxen_vcpu *v);
bool kxen_xen_cpuid(struct kxen_vcpu *v, u32 leaf, u32 subleaf, u32 out[4]);
/* -ENOENT: not a Xen MSR; -EINVAL: the guest gets #GP. */
int kxen_xen_wrmsr(struct kxen_vcpu *v, u32 msr, u64 val);
int kxen_xen_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *val);
u64 kxen_xen_hcall_unknown(struct kxen_domain *d);

#endif /* KXEN_XEN_H */
