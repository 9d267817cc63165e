/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen detection and hypercalls, as Linux and XTF do them on x86 HVM: the
 * Xen CPUID leaves (Xen public arch-x86/cpuid.h), the hypercall page
 * (call hypercall_page + nr * 32) and the hypercall ABI of the mode the
 * guest runs in (xen-x86_64.h, xen-x86_32.h): number in %rax, arguments
 * in %rdi %rsi %rdx %r10 %r8 (64-bit) or %ebx %ecx %edx %esi %edi
 * (32-bit), result in %rax/%eax.  The argument registers are in/out
 * because a hypervisor may clobber them (Xen does in debug builds, and on
 * continuations it rewrites them).
 */
#ifndef KG_HYPERCALL_H
#define KG_HYPERCALL_H

#include <kg/lib.h>
#include <xen/xen.h>
#include <xen/errno.h>

#define KG_HCALL_SLOTS	(4096 / 32)	/* stubs in the one hypercall page */

extern u8 hypercall_page[4096];

struct kg_xen {
	bool present;		/* Xen signature found in CPUID */
	bool hcall_ready;	/* hypercall page written via the MSR */
	bool amd;		/* vendor uses VMMCALL rather than VMCALL */
	u32 base;		/* CPUID base leaf of the Xen range */
	u32 max_leaf;	/* EAX of the base leaf */
	u32 version;	/* EAX of base+1: major << 16 | minor */
	u32 hcall_pages;	/* EAX of base+2 */
	u32 hcall_msr;	/* EBX of base+2 */
};

extern struct kg_xen kg_xen;

/*
 * Our domid from CPUID base+4 (arch-x86/cpuid.h, XEN_HVM_CPUID_DOMID_PRESENT),
 * or -1 if the hypervisor does not report it.
 */
long kg_xen_domid(void);

/* Looks for "XenVMMXenVMM" and installs the hypercall page. */
void kg_xen_init(void);

/* Reports SKIP ("not running under Xen") and exits when Xen is absent. */
void kg_require_xen(void);

/* Hypercall through the page; nr must be below KG_HCALL_SLOTS. */
#ifdef __x86_64__
static inline long kg_hcall(unsigned int nr, unsigned long a1,
			    unsigned long a2, unsigned long a3,
			    unsigned long a4, unsigned long a5)
{
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;
	void *fn = hypercall_page + (nr % KG_HCALL_SLOTS) * 32;
	long ret;

	asm volatile("call *%[fn]"
		     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3),
		       "+r"(r10), "+r"(r8)
		     : [fn] "r"(fn)
		     : "memory");
	return ret;
}
#else
/*
 * Six registers hold the number and the arguments, so the stub's address
 * is a memory operand: the compiler may have no register left for it.
 */
static inline long kg_hcall(unsigned int nr, unsigned long a1,
			    unsigned long a2, unsigned long a3,
			    unsigned long a4, unsigned long a5)
{
	void *fn = hypercall_page + (nr % KG_HCALL_SLOTS) * 32;
	long ret;

	asm volatile("call *%[fn]"
		     : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3),
		       "+S"(a4), "+D"(a5)
		     : [fn] "m"(fn)
		     : "memory");
	return ret;
}
#endif

/* Hypercall by raw VMCALL (Intel) or VMMCALL (AMD), any number. */
long kg_hcall_raw(unsigned long nr, unsigned long a1, unsigned long a2,
		  unsigned long a3, unsigned long a4, unsigned long a5);

static inline long kg_xen_version(int cmd, void *arg)
{
	return kg_hcall(__HYPERVISOR_xen_version, (unsigned int)cmd,
			(unsigned long)arg, 0, 0, 0);
}

static inline long kg_console_io(int cmd, unsigned int count,
				 const char *buf)
{
	return kg_hcall(__HYPERVISOR_console_io, (unsigned int)cmd, count,
			(unsigned long)buf, 0, 0);
}

static inline long kg_sched_op(int cmd, void *arg)
{
	return kg_hcall(__HYPERVISOR_sched_op, (unsigned int)cmd,
			(unsigned long)arg, 0, 0, 0);
}

/* memory_op: XENMEM_* (xen/memory.h); extents or 0, or -errno. */
static inline long kg_memory_op(unsigned int cmd, void *arg)
{
	return kg_hcall(__HYPERVISOR_memory_op, cmd, (unsigned long)arg,
			0, 0, 0);
}

/* hvm_op: HVMOP_* (xen/hvm/hvm_op.h). */
static inline long kg_hvm_op(unsigned int cmd, void *arg)
{
	return kg_hcall(__HYPERVISOR_hvm_op, cmd, (unsigned long)arg, 0, 0, 0);
}

/* vcpu_op: VCPUOP_* on vCPU @vcpu (xen/vcpu.h). */
static inline long kg_vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
	return kg_hcall(__HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)arg,
			0, 0);
}

/* event_channel_op: EVTCHNOP_* (xen/event_channel.h). */
static inline long kg_evtchn_op(unsigned int cmd, void *arg)
{
	return kg_hcall(__HYPERVISOR_event_channel_op, cmd,
			(unsigned long)arg, 0, 0, 0);
}

/*
 * set_timer_op: one-shot timer at absolute system time @ns (0 cancels).
 * The 64-bit ABI passes the time in one register, the 32-bit ABI in two,
 * low half first (xen.h; Xen's compat do_set_timer_op).
 */
static inline long kg_set_timer_op(u64 ns)
{
#ifdef __x86_64__
	return kg_hcall(__HYPERVISOR_set_timer_op, ns, 0, 0, 0, 0);
#else
	return kg_hcall(__HYPERVISOR_set_timer_op, (u32)ns, (u32)(ns >> 32),
			0, 0, 0);
#endif
}

/* HVMOP_get_param / HVMOP_set_param on DOMID_SELF (hvm/params.h). */
long kg_hvm_get_param(unsigned int index, u64 *value);
long kg_hvm_set_param(unsigned int index, u64 value);

/* XENMEM_current_reservation and the like for DOMID_SELF (xen/memory.h). */
long kg_reservation(unsigned int cmd);
/* XENMEM_{increase,decrease}_reservation, populate_physmap on DOMID_SELF. */
long kg_reservation_op(unsigned int cmd, unsigned long n, unsigned int order,
		       xen_pfn_t *gfns);

/* SCHEDOP_shutdown with struct sched_shutdown (xen/sched.h). */
long kg_shutdown(unsigned int reason);

#ifdef __x86_64__
/* Start vCPU @vcpu at @fn (64-bit, our page tables, IRQs off). */
long kg_vcpu_start(unsigned int vcpu, void (*fn)(void), void *stack_top);
#endif

/* Name of a Xen errno value (xen/errno.h), or NULL if unknown. */
const char *kg_xen_errno_name(long rc);

#endif /* KG_HYPERCALL_H */
