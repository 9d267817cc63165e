// SPDX-License-Identifier: GPL-2.0
/*
 * mmio: accesses to guest-physical addresses with no RAM behind them, as
 * Xen 4.17 completes them for an HVM/PVH guest, and the local APIC's
 * xAPIC mode (what XTF's apic_init() and its HPET/IO-APIC probes do).
 *
 * - Unbacked MMIO (the HPET's 0xfed00000; no HPET is emulated): reads
 *   return all ones of their width and writes are dropped, each
 *   instruction retiring.  Every MOV form and width, with the register
 *   bits outside the access checked per the x86 rules (8/16-bit loads
 *   merge, 32-bit ones zero-extend, AH without REX, MOVZX/MOVSX).
 * - A frame of ours given back (XENMEM_decrease_reservation) reads as
 *   all ones too, a write to it is dropped; populated again, it is RAM.
 * - IA32_APIC_BASE (SDM Vol. 3 10.12.5): x2APIC at start; x2APIC ->
 *   xAPIC, EXTD without EN, disabled -> x2APIC and reserved bits are #GP;
 *   x2APIC -> disabled -> xAPIC -> x2APIC work.  In xAPIC mode the page
 *   at 0xfee00000 holds the registers (version, ID in bits 31:24, TPR
 *   written and read back, ESR after an illegal vector as XSA-462's PoC
 *   checks it, a self-IPI through ICR2/ICR and EOI), and the x2APIC MSRs
 *   are #GP; in x2APIC or disabled mode the page is unbacked MMIO.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <kg/traps.h>
#include <xen/memory.h>

KG_TEST_TITLE("mmio");

#define HPET_BASE		0xfed00000ul
#define APIC_BASE		0xfee00000ul
#define MSR_APICBASE		0x1b
#define APICBASE_BSP		0x100
#define APICBASE_EXTD		0x400
#define APICBASE_EN		0x800
#define MSR_X2APIC_ID		0x802
#define MSR_X2APIC_VER		0x803
#define APIC_ID			0x020
#define APIC_VER		0x030
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ISR		0x100
#define APIC_ESR		0x280
#define APIC_ICR		0x300
#define APIC_ICR2		0x310
#define ESR_SEND_ILLEGAL	0x20
#define ESR_RECV_ILLEGAL	0x40
#define IPI_VECTOR		0xe0
#define GP_VECTOR		13
#define WRMSR_LEN		2
#define OLD			0x1122334455667788ul

static u8 given[KG_PAGE_SIZE] __aligned(KG_PAGE_SIZE);
static unsigned int ipis;

static u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return lo | (u64)hi << 32;
}

/* #GP count of a WRMSR / RDMSR (2 bytes each). */
static unsigned int wrmsr_gp(u32 msr, u64 val)
{
	kg_expect_exception(GP_VECTOR, WRMSR_LEN);
	kg_wrmsr(msr, val);
	return kg_expected_taken().count;
}

static unsigned int rdmsr_gp(u32 msr)
{
	kg_expect_exception(GP_VECTOR, WRMSR_LEN);
	rdmsr(msr);
	return kg_expected_taken().count;
}

static u32 mmio_read32(unsigned long addr)
{
	u32 v;

	asm volatile("movl (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void mmio_write32(unsigned long addr, u32 v)
{
	asm volatile("movl %1, (%0)" : : "r"(addr), "r"(v) : "memory");
}

/* Loads of every width into a register holding OLD first. */
/*
 * BT reads: CF is the bit named, 1 from all ones; ZF is kept.  A
 * negative register offset reaches the operand before @p (XTF's xsa-195
 * aims one at a frame given back), so @p + 8 is the base there.
 */
static void bt_loads(const char *where, unsigned long p)
{
	u64 flags;

	asm volatile("xor %%eax, %%eax; btl $3, (%1); pushfq; popq %0"
		     : "=r"(flags) : "S"(p) : "rax", "cc", "memory");
	kg_check((flags & 0x41) == 0x41, "%s: btl $3 sets CF, keeps ZF: %#lx",
		 where, (unsigned long)flags);
	asm volatile("bt %2, (%1); pushfq; popq %0"
		     : "=r"(flags) : "S"(p + 8), "r"(-1L) : "cc", "memory");
	kg_check(flags & 1, "%s: btq with offset -1 (the bit before): CF",
		 where);
}

static void loads(const char *where, unsigned long p)
{
	register u64 r9 asm("r9");
	u64 v;

	asm volatile("movb (%1), %b0" : "=a"(v) : "S"(p), "0"(OLD) : "memory");
	kg_check(v == 0x11223344556677fful, "%s: movb -> %%al: %#lx", where, v);
	asm volatile("movb (%1), %h0" : "=a"(v) : "S"(p), "0"(OLD) : "memory");
	kg_check(v == 0x112233445566ff88ul, "%s: movb -> %%ah: %#lx", where, v);
	asm volatile("movw (%1), %w0" : "=a"(v) : "S"(p), "0"(OLD) : "memory");
	kg_check(v == 0x112233445566fffful, "%s: movw -> %%ax: %#lx", where, v);
	asm volatile("movl (%1), %k0" : "=a"(v) : "S"(p), "0"(OLD) : "memory");
	kg_check(v == 0xfffffffful, "%s: movl -> %%eax (zero-extended): %#lx",
		 where, v);
	asm volatile("movq (%1), %0" : "=a"(v) : "S"(p), "0"(OLD) : "memory");
	kg_check(v == ~0ul, "%s: movq -> %%rax: %#lx", where, v);
	r9 = OLD;
	asm volatile("movl (%1), %%r9d" : "+r"(r9) : "S"(p) : "memory");
	kg_check(r9 == 0xfffffffful, "%s: movl -> %%r9d: %#lx", where,
		 (unsigned long)r9);
	asm volatile("movzbl (%1), %k0" : "=a"(v) : "S"(p), "0"(OLD) : "memory");
	kg_check(v == 0xff, "%s: movzbl: %#lx", where, v);
	asm volatile("movzwq (%1), %0" : "=a"(v) : "S"(p), "0"(OLD) : "memory");
	kg_check(v == 0xffff, "%s: movzwq: %#lx", where, v);
	asm volatile("movsbq (%1), %0" : "=a"(v) : "S"(p), "0"(OLD) : "memory");
	kg_check(v == ~0ul, "%s: movsbq: %#lx", where, v);
	asm volatile("movswl (%1), %k0" : "=a"(v) : "S"(p), "0"(OLD) : "memory");
	kg_check(v == 0xfffffffful, "%s: movswl: %#lx", where, v);
	asm volatile("movslq (%1), %0" : "=a"(v) : "S"(p), "0"(OLD) : "memory");
	kg_check(v == ~0ul, "%s: movslq: %#lx", where, v);
	asm volatile("movl (%k1), %k0" : "=a"(v) : "S"(p), "0"(OLD)
		     : "memory");
	kg_check(v == 0xfffffffful, "%s: movl (%%e..) (67 prefix): %#lx",
		 where, v);
	bt_loads(where, p);
}

/* Stores of every form; the reads after them still see all ones. */
static void stores(const char *where, unsigned long p)
{
	u64 v;

	asm volatile("movb $0x5a, (%0)" : : "S"(p) : "memory");
	asm volatile("movw %w1, (%0)" : : "S"(p), "r"(0x1234ul) : "memory");
	asm volatile("movl $0x12345678, (%0)" : : "S"(p) : "memory");
	asm volatile("movq %1, (%0)" : : "S"(p), "r"(OLD) : "memory");
	asm volatile("movb %%ah, (%0)" : : "S"(p), "a"(OLD) : "memory");
	v = mmio_read32(p);
	kg_check(v == 0xffffffff, "%s: 5 writes dropped, then %#lx", where,
		 v);
}

static void unbacked(void)
{
	u64 v;

	loads("HPET page", HPET_BASE);
	asm volatile("movabs 0xfed00000, %%eax" : "=a"(v) : "0"(OLD));
	kg_check(v == 0xfffffffful, "HPET page: movabs moffs -> %%eax: %#lx",
		 v);
	stores("HPET page", HPET_BASE);
	v = kg_readq((const u64 *)(HPET_BASE + 0xff8));
	kg_check(v == ~0ul, "end of the HPET page: %#lx", v);
}

/* A frame of ours given back: unbacked until populated again. */
static void given_back(void)
{
	xen_pfn_t gfn = (unsigned long)given / KG_PAGE_SIZE;
	unsigned long p = (unsigned long)given;
	long rc;

	WRITE_ONCE(given[0], 1);
	rc = kg_reservation_op(XENMEM_decrease_reservation, 1, 0, &gfn);
	if (!kg_check(rc == 1, "decrease_reservation of gfn %#lx: rc %ld",
		      (unsigned long)gfn, rc))
		return;
	loads("given-back frame", p);
	stores("given-back frame", p + 8);
	rc = kg_reservation_op(XENMEM_populate_physmap, 1, 0, &gfn);
	kg_check(rc == 1, "populate_physmap of it again: rc %ld", rc);
	mmio_write32(p, 0x6b78656e);
	kg_check(mmio_read32(p) == 0x6b78656e, "and it is RAM again");
}

static void ipi_handler(struct kg_regs *regs)
{
	(void)regs;
	WRITE_ONCE(ipis, ipis + 1);
	mmio_write32(APIC_BASE + APIC_EOI, 0);
}

/* Interrupts on until one more IPI came, or for a while. */
static void wait_ipi(unsigned int before)
{
	unsigned int i;

	kg_sti();
	for (i = 0; i < 1000000 && READ_ONCE(ipis) == before; i++)
		kg_cpu_relax();
	kg_cli();
}

/* Self-IPIs through ICR2/ICR: to our ID, then to an ID nobody has. */
static void xapic_ipi(u32 id)
{
	u32 isr;

	kg_set_irq_handler(IPI_VECTOR, ipi_handler);
	mmio_write32(APIC_BASE + APIC_ICR2, id << 24);
	mmio_write32(APIC_BASE + APIC_ICR, IPI_VECTOR);	/* fixed, physical */
	wait_ipi(0);
	isr = mmio_read32(APIC_BASE + APIC_ISR + (IPI_VECTOR / 32) * 0x10);
	kg_check(ipis == 1 && !(isr & 1u << (IPI_VECTOR % 32)),
		 "xAPIC: self-IPI by ICR2/ICR taken %u time(s), EOI'd (ISR %#x)",
		 ipis, isr);
	mmio_write32(APIC_BASE + APIC_ICR2, (id + 1) << 24);
	mmio_write32(APIC_BASE + APIC_ICR, IPI_VECTOR);
	wait_ipi(1);
	kg_check(ipis == 1, "xAPIC: an IPI to ID %u does not reach us", id + 1);
	kg_set_irq_handler(IPI_VECTOR, NULL);
}

static void xapic_regs(u32 x2id)
{
	u32 ver = mmio_read32(APIC_BASE + APIC_VER), esr;
	u8 tpr;

	kg_check((ver & 0xff) >= 0x10 && ((ver >> 16) & 0xff) >= 3,
		 "xAPIC: version register %#x (integrated APIC, LVTs)", ver);
	kg_check(mmio_read32(APIC_BASE + APIC_ID) == x2id << 24,
		 "xAPIC: ID %#x is the x2APIC ID %u in bits 31:24",
		 mmio_read32(APIC_BASE + APIC_ID), x2id);
	mmio_write32(APIC_BASE + APIC_SVR, 0x1ff);
	mmio_write32(APIC_BASE + APIC_TPR, 0x20);
	asm volatile("movb (%1), %0" : "=q"(tpr) : "r"(APIC_BASE + APIC_TPR)
		     : "memory");
	kg_check(mmio_read32(APIC_BASE + APIC_TPR) == 0x20 && tpr == 0x20,
		 "xAPIC: TPR written 0x20, read back %#x (byte %#x)",
		 mmio_read32(APIC_BASE + APIC_TPR), tpr);
	mmio_write32(APIC_BASE + APIC_TPR, 0);
	/* XSA-462's check: an illegal vector is a send and receive error. */
	mmio_write32(APIC_BASE + APIC_ESR, 0);
	mmio_write32(APIC_BASE + APIC_ICR2, x2id << 24);
	mmio_write32(APIC_BASE + APIC_ICR, 0x0f);
	mmio_write32(APIC_BASE + APIC_ESR, 0);
	esr = mmio_read32(APIC_BASE + APIC_ESR);
	kg_check(esr == (ESR_SEND_ILLEGAL | ESR_RECV_ILLEGAL),
		 "xAPIC: ESR after an IPI of vector 15: %#x (want %#x)", esr,
		 ESR_SEND_ILLEGAL | ESR_RECV_ILLEGAL);
	xapic_ipi(x2id);
	kg_check(rdmsr_gp(MSR_X2APIC_VER) == 1,
		 "xAPIC: RDMSR of an x2APIC register is #GP");
}

static void apic_modes(void)
{
	u64 base = rdmsr(MSR_APICBASE), b = base & ~0xfffull;
	u32 x2id;

	kg_check((base & (APICBASE_EN | APICBASE_EXTD | APICBASE_BSP)) ==
		 (APICBASE_EN | APICBASE_EXTD | APICBASE_BSP) &&
		 b == APIC_BASE, "APIC_BASE %#lx: x2APIC, BSP, at %#lx",
		 (unsigned long)base, APIC_BASE);
	x2id = rdmsr(MSR_X2APIC_ID);
	kg_check(mmio_read32(APIC_BASE + APIC_VER) == 0xffffffff,
		 "x2APIC mode: the xAPIC page is unbacked (all ones)");
	kg_check(wrmsr_gp(MSR_APICBASE, b | APICBASE_EN) == 1,
		 "x2APIC -> xAPIC is #GP");
	kg_check(wrmsr_gp(MSR_APICBASE, b | APICBASE_EXTD) == 1,
		 "EXTD without EN is #GP");
	kg_check(wrmsr_gp(MSR_APICBASE, base | 0x200) == 1,
		 "reserved bit 9 is #GP");
	kg_check(wrmsr_gp(MSR_APICBASE, b) == 0, "x2APIC -> disabled");
	kg_check(rdmsr_gp(MSR_X2APIC_VER) == 1 &&
		 mmio_read32(APIC_BASE + APIC_VER) == 0xffffffff,
		 "disabled: x2APIC MSRs #GP, xAPIC page unbacked");
	kg_check(wrmsr_gp(MSR_APICBASE, b | APICBASE_EN | APICBASE_EXTD) == 1,
		 "disabled -> x2APIC is #GP");
	kg_check(wrmsr_gp(MSR_APICBASE, b | APICBASE_EN) == 0 &&
		 (rdmsr(MSR_APICBASE) & (APICBASE_EN | APICBASE_EXTD)) ==
		 APICBASE_EN, "disabled -> xAPIC: APIC_BASE %#lx",
		 (unsigned long)rdmsr(MSR_APICBASE));
	xapic_regs(x2id);
	kg_check(wrmsr_gp(MSR_APICBASE, base) == 0 &&
		 rdmsr(MSR_X2APIC_ID) == x2id &&
		 mmio_read32(APIC_BASE + APIC_VER) == 0xffffffff,
		 "xAPIC -> x2APIC: MSRs back, the page unbacked again");
}

void test_main(void)
{
	kg_require_xen();
	unbacked();
	given_back();
	apic_modes();
	kg_success(NULL);
}
