// SPDX-License-Identifier: GPL-2.0
/*
 * Finding Xen and setting up hypercalls.
 *
 * Xen public arch-x86/cpuid.h: the Xen leaves start at 0x40000000 or at a
 * multiple of 0x100 above it (another hypervisor's interface, e.g.
 * Viridian, may sit at 0x40000000); base+0 returns "XenVMMXenVMM" in
 * EBX:ECX:EDX and the largest leaf in EAX, base+1 the version, base+2 the
 * number of hypercall pages (EAX) and the MSR to write their GPA to (EBX).
 */
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/hvm/hvm_op.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/hvm/hvm_vcpu.h>

struct kg_xen kg_xen;

static bool is_xen_signature(const struct kg_cpuid *r)
{
	/* "XenV" "MMXe" "nVMM", little-endian (arch-x86/cpuid.h). */
	return r->ebx == XEN_CPUID_SIGNATURE_EBX &&
	       r->ecx == XEN_CPUID_SIGNATURE_ECX &&
	       r->edx == XEN_CPUID_SIGNATURE_EDX;
}

static bool find_xen_leaves(void)
{
	u32 base;

	for (base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_FIRST_LEAF + 0x10000;
	     base += 0x100) {
		struct kg_cpuid r = kg_cpuid(base, 0);

		if (is_xen_signature(&r) && r.eax >= base + 2) {
			kg_xen.base = base;
			kg_xen.max_leaf = r.eax;
			return true;
		}
	}
	return false;
}

static bool cpu_is_amd(void)
{
	struct kg_cpuid r = kg_cpuid(0, 0);

	/* "AuthenticAMD" and "HygonGenuine": EBX "Auth" / "Hygo". */
	return r.ebx == 0x68747541 || r.ebx == 0x6f677948;
}

void kg_xen_init(void)
{
	struct kg_cpuid r;

	kg_xen.amd = cpu_is_amd();
	if (!find_xen_leaves())
		return;
	kg_xen.present = true;
	kg_xen.version = kg_cpuid(kg_xen.base + 1, 0).eax;
	r = kg_cpuid(kg_xen.base + 2, 0);
	kg_xen.hcall_pages = r.eax;
	kg_xen.hcall_msr = r.ebx;
	kg_printf("Xen CPUID leaves at %#x: version %u.%u, %u hypercall page(s), MSR %#x\n",
		  kg_xen.base, kg_xen.version >> 16, kg_xen.version & 0xffff,
		  kg_xen.hcall_pages, kg_xen.hcall_msr);
	if (kg_xen.hcall_pages < 1) {
		kg_printf("Xen reports no hypercall pages\n");
		return;
	}
	/* MSR value: GPA of the page | page index 0 (arch-x86/cpuid.h). */
	kg_wrmsr(kg_xen.hcall_msr, (u64)(uintptr_t)hypercall_page);
	kg_xen.hcall_ready = true;
	kg_console_use_xen(true);
}

long kg_xen_domid(void)
{
	struct kg_cpuid r;

	if (!kg_xen.present || kg_xen.max_leaf < kg_xen.base + 4)
		return -1;
	r = kg_cpuid(kg_xen.base + 4, 0);
	return (r.eax & XEN_HVM_CPUID_DOMID_PRESENT) ? (long)(r.ecx & 0xffff)
						    : -1;
}

void kg_require_xen(void)
{
	if (kg_xen.hcall_ready)
		return;
	if (kg_xen.present)
		kg_error("Xen found but its hypercall page cannot be set up\n");
	else
		kg_skip("not running under Xen\n");
	kg_exit();
}

#ifdef __x86_64__
long kg_hcall_raw(unsigned long nr, unsigned long a1, unsigned long a2,
		  unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;
	long ret = (long)nr;

	/* AMD APM Vol. 3 VMMCALL; Intel SDM Vol. 3C VMCALL. */
	if (kg_xen.amd)
		asm volatile("vmmcall"
			     : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3),
			       "+r"(r10), "+r"(r8)
			     : : "memory");
	else
		asm volatile("vmcall"
			     : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3),
			       "+r"(r10), "+r"(r8)
			     : : "memory");
	return ret;
}
#else
long kg_hcall_raw(unsigned long nr, unsigned long a1, unsigned long a2,
		  unsigned long a3, unsigned long a4, unsigned long a5)
{
	long ret = (long)nr;

	/* The 32-bit ABI: ebx ecx edx esi edi (xen-x86_32.h). */
	if (kg_xen.amd)
		asm volatile("vmmcall"
			     : "+a"(ret), "+b"(a1), "+c"(a2), "+d"(a3),
			       "+S"(a4), "+D"(a5)
			     : : "memory");
	else
		asm volatile("vmcall"
			     : "+a"(ret), "+b"(a1), "+c"(a2), "+d"(a3),
			       "+S"(a4), "+D"(a5)
			     : : "memory");
	return ret;
}
#endif

long kg_hvm_get_param(unsigned int index, u64 *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long rc = kg_hvm_op(HVMOP_get_param, &p);

	*value = p.value;
	return rc;
}

long kg_hvm_set_param(unsigned int index, u64 value)
{
	struct xen_hvm_param p = {
		.domid = DOMID_SELF, .index = index, .value = value,
	};

	return kg_hvm_op(HVMOP_set_param, &p);
}

long kg_reservation(unsigned int cmd)
{
	domid_t dom = DOMID_SELF;

	return kg_memory_op(cmd, &dom);
}

long kg_reservation_op(unsigned int cmd, unsigned long n, unsigned int order,
		       xen_pfn_t *gfns)
{
	struct xen_memory_reservation r = {
		.nr_extents = n, .extent_order = order, .domid = DOMID_SELF,
	};

	set_xen_guest_handle(r.extent_start, gfns);
	return kg_memory_op(cmd, &r);
}

long kg_shutdown(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };

	return kg_sched_op(SCHEDOP_shutdown, &s);
}

#ifdef __x86_64__
/*
 * Start another vCPU at @fn on the stack ending at @stack_top, in our own
 * long mode (CR0, CR3, CR4, EFER), interrupts off: VCPUOP_initialise
 * with a 64-bit vcpu_hvm_context, then VCPUOP_up.
 */
long kg_vcpu_start(unsigned int vcpu, void (*fn)(void), void *stack_top)
{
	struct vcpu_hvm_context c = { .mode = VCPU_HVM_MODE_64B };
	struct vcpu_hvm_x86_64 *r = &c.cpu_regs.x86_64;
	u32 lo, hi;
	long rc;

	asm volatile("mov %%cr0, %0\n\tmov %%cr3, %1\n\tmov %%cr4, %2"
		     : "=r"(r->cr0), "=r"(r->cr3), "=r"(r->cr4));
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080));
	r->efer = (u64)hi << 32 | lo;
	r->rip = (uintptr_t)fn;
	/* As if called: the return address slot below a 16-byte boundary. */
	r->rsp = (uintptr_t)stack_top - 8;
	r->rflags = 0x2;
	rc = kg_vcpu_op(VCPUOP_initialise, vcpu, &c);
	return rc ? rc : kg_vcpu_op(VCPUOP_up, vcpu, NULL);
}
#endif

const char *kg_xen_errno_name(long rc)
{
	static const struct {
		long val;
		const char *name;
	} names[] = {
#define XEN_ERRNO(name, value) { value, #name },
#include <xen/errno.h>
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].val == -rc)
			return names[i].name;
	return NULL;
}
