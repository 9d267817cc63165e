// SPDX-License-Identifier: GPL-2.0
/*
 * Xen's CPUID leaves (xen/include/public/arch-x86/cpuid.h) and the
 * hypercall-page MSR they advertise.
 */
#include <linux/types.h>
#include <linux/string.h>
#include <asm/tsc.h>

#include "xen.h"

#define KXEN_XEN_VERSION	((KXEN_XEN_MAJOR << 16) | KXEN_XEN_MINOR)
/* Leaf 4 (HVM-specific) flags. */
#define XEN_HVM_CPUID_VCPU_ID_PRESENT	BIT(3)
#define XEN_HVM_CPUID_DOMID_PRESENT	BIT(4)
/* HVMOP_set_evtchn_upcall_vector: a local APIC vector per vCPU. */
#define XEN_HVM_CPUID_UPCALL_VECTOR	BIT(6)

bool kxen_xen_cpuid(struct kxen_vcpu *v, u32 leaf, u32 subleaf, u32 out[4])
{
	if (leaf < KXEN_XEN_CPUID_BASE || leaf > KXEN_XEN_CPUID_LAST)
		return false;
	memset(out, 0, 4 * sizeof(u32));
	switch (leaf - KXEN_XEN_CPUID_BASE) {
	case 0:	/* max leaf and "XenVMMXenVMM" */
		out[0] = KXEN_XEN_CPUID_LAST;
		memcpy(&out[1], "XenV", 4);
		memcpy(&out[2], "MMXe", 4);
		memcpy(&out[3], "nVMM", 4);
		break;
	case 1:
		out[0] = KXEN_XEN_VERSION;
		break;
	case 2:	/* one hypercall page, installed through this MSR */
		out[0] = 1;
		out[1] = KXEN_XEN_HYPERCALL_MSR;
		break;
	case 3:	/* time: guest TSC kHz (sub-leaf 0 ECX), host's (2, EAX) */
		if (subleaf == 0)
			out[2] = tsc_khz;
		else if (subleaf == 2)
			out[0] = tsc_khz;
		break;
	case 4:
		out[0] = XEN_HVM_CPUID_VCPU_ID_PRESENT |
			 XEN_HVM_CPUID_DOMID_PRESENT |
			 XEN_HVM_CPUID_UPCALL_VECTOR;
		out[1] = v->id;
		out[2] = v->dom->domid;
		break;
	}
	return true;
}
