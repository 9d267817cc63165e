// SPDX-License-Identifier: GPL-2.0
/*
 * upcallvec: the per-vCPU event upcall vector (HVMOP_set_evtchn_upcall_vector,
 * hvm_op.h), which Linux uses when Xen's CPUID leaf 4 offers
 * XEN_HVM_CPUID_UPCALL_VECTOR (arch-x86/cpuid.h).  Unlike the domain-wide
 * callback vector it is an interrupt of the local APIC, as Xen's
 * hvm_assert_evtchn_irq raises it with vlapic_set_irq: requested in IRR
 * once per rise of evtchn_upcall_pending, in service (ISR, PPR) while
 * its handler runs, and held back until the guest's EOI, after which a
 * request made meanwhile is delivered.  The APIC is in x2APIC mode, the
 * mode in which VT-x can deliver these without an exit.  Checked against
 * Xen 4.17 (scripts/check XEN).
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <kg/traps.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/hvm/hvm_op.h>

KG_TEST_TITLE("upcallvec");

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_EN_EXTD	0xc00	/* enabled, x2APIC mode */
#define MSR_X2APIC_PPR		0x80a
#define MSR_X2APIC_EOI		0x80b
#define MSR_X2APIC_SVR		0x80f
#define MSR_X2APIC_ISR0		0x810
#define MSR_X2APIC_IRR0		0x820
#define UPCALL_VECTOR		0xf3
#define MS			1000000ULL
#define EOI_ROUNDS		100

static unsigned int entries, eoi_in_handler = 1;
static u64 isr_in_handler, ppr_in_handler;

/* Whether @vec is set in the ISR or IRR bank starting at MSR @first. */
static bool apic_bit(u32 first, unsigned int vec)
{
	return kg_rdmsr(first + vec / 32) & (1u << (vec % 32));
}

static void handler(struct kg_regs *regs)
{
	if (!entries) {
		isr_in_handler = apic_bit(MSR_X2APIC_ISR0, UPCALL_VECTOR);
		ppr_in_handler = kg_rdmsr(MSR_X2APIC_PPR);
	}
	WRITE_ONCE(entries, entries + 1);
	kg_evtchn_upcall(regs);
	if (READ_ONCE(eoi_in_handler))
		kg_wrmsr(MSR_X2APIC_EOI, 0);
}

/* With interrupts on for @ns: how many times the handler ran. */
static unsigned int open_window(u64 ns)
{
	kg_sti();
	kg_delay_ns(ns);
	kg_cli();
	return READ_ONCE(entries);
}

static bool offered(void)
{
	struct kg_cpuid r;

	if (kg_xen.max_leaf < kg_xen.base + 4)
		return false;
	r = kg_cpuid(kg_xen.base + 4, 0);
	return r.eax & XEN_HVM_CPUID_UPCALL_VECTOR;
}

static void first_delivery(evtchn_port_t port)
{
	unsigned int seen;

	kg_evtchn_send(port);
	kg_check(apic_bit(MSR_X2APIC_IRR0, UPCALL_VECTOR) && !entries,
		 "an event with interrupts off: vector %#x requested in IRR, not delivered",
		 UPCALL_VECTOR);
	seen = kg_evtchn_wait_upcall(port, 1000 * MS);
	kg_check(seen == 1 && READ_ONCE(entries) == 1,
		 "delivered once when interrupts are on (%u times)",
		 READ_ONCE(entries));
	kg_check(isr_in_handler && (ppr_in_handler & 0xf0) == 0xf0,
		 "in service while its handler ran: ISR bit %lu, PPR %#lx",
		 isr_in_handler, ppr_in_handler);
	kg_check(!apic_bit(MSR_X2APIC_ISR0, UPCALL_VECTOR) &&
		 !apic_bit(MSR_X2APIC_IRR0, UPCALL_VECTOR),
		 "after the handler's EOI neither ISR nor IRR holds it");
}

static void eoi_gates(evtchn_port_t port)
{
	unsigned int n;

	WRITE_ONCE(eoi_in_handler, 0);
	kg_evtchn_send(port);
	kg_check(open_window(20 * MS) == 2 &&
		 apic_bit(MSR_X2APIC_ISR0, UPCALL_VECTOR),
		 "a handler without EOI: delivered, and still in service");
	/* The handler cleared evtchn_upcall_pending: this one rises again. */
	kg_evtchn_send(port);
	n = open_window(20 * MS);
	kg_check(n == 2 && apic_bit(MSR_X2APIC_IRR0, UPCALL_VECTOR),
		 "a second event meanwhile waits in IRR behind the one in service (%u)",
		 n);
	WRITE_ONCE(eoi_in_handler, 1);
	kg_sti();
	kg_wrmsr(MSR_X2APIC_EOI, 0);
	kg_delay_ns(20 * MS);
	kg_cli();
	kg_check(READ_ONCE(entries) == 3 &&
		 !apic_bit(MSR_X2APIC_ISR0, UPCALL_VECTOR) &&
		 !apic_bit(MSR_X2APIC_IRR0, UPCALL_VECTOR),
		 "the EOI lets it in: %u deliveries, nothing left requested",
		 READ_ONCE(entries));
	kg_evtchn_send(port);
	kg_evtchn_send(port);
	n = open_window(20 * MS);
	kg_check(n == 4,
		 "two sends before the guest looks: one rise, one delivery (%u)",
		 n);
}

void test_main(void)
{
	struct xen_hvm_evtchn_upcall_vector uv = {
		.vcpu = 0, .vector = UPCALL_VECTOR,
	};
	evtchn_port_t port;
	unsigned int n;
	long rc;

	kg_require_xen();
	if (!kg_setup_shared_info())
		kg_exit();
	if (!kg_check(offered(), "CPUID leaf %#x offers XEN_HVM_CPUID_UPCALL_VECTOR",
		      kg_xen.base + 4))
		kg_exit();
	/* Xen starts a PVH guest's APIC in xAPIC mode, kxen in x2APIC. */
	kg_wrmsr(MSR_APIC_BASE, kg_rdmsr(MSR_APIC_BASE) | APIC_BASE_EN_EXTD);
	kg_wrmsr(MSR_X2APIC_SVR, 0x1ff);	/* APIC software-enabled */
	kg_set_irq_handler(UPCALL_VECTOR, handler);
	rc = kg_hvm_op(HVMOP_set_evtchn_upcall_vector, &uv);
	if (!kg_check(rc == 0, "HVMOP_set_evtchn_upcall_vector(vCPU 0, %#x) rc %ld",
		      UPCALL_VECTOR, rc))
		kg_exit();
	rc = kg_evtchn_bind_ipi(0, &port);
	if (!kg_check(rc == 0, "EVTCHNOP_bind_ipi rc %ld", rc))
		kg_exit();
	first_delivery(port);
	eoi_gates(port);
	/*
	 * EOIs with nothing in service change nothing; the lab counts the
	 * MSR-write exits they cause (none where VT-x delivers interrupts
	 * itself, guest_abi.sh).
	 */
	for (n = 0; n < EOI_ROUNDS; n++)
		kg_wrmsr(MSR_X2APIC_EOI, 0);
	kg_check(!apic_bit(MSR_X2APIC_ISR0, UPCALL_VECTOR) &&
		 open_window(5 * MS) == 4,
		 "%u more EOIs with nothing in service: no delivery, nothing in service",
		 EOI_ROUNDS);
	kg_success(NULL);
	kg_exit();
}
