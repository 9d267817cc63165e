// SPDX-License-Identifier: GPL-2.0
/*
 * IDT and TSS.  Every exception is unexpected in these guests: the handler
 * prints the vector, error code and registers and ends the test with
 * kg_panic().  Vector 0x80 is a DPL-3 gate used only to come back from
 * ring 3 (entry.S).  Vectors 32-255 get a gate only once a test registers
 * a handler for them (kg_set_irq_handler()).  Intel SDM Vol. 3A: "64-Bit Mode IDT", "Task
 * Management in 64-bit Mode", "System Descriptor Types"; the 32-bit build
 * has 8-byte protected-mode gates and no TSS (it never enters ring 3).
 */
#include <kg/asm.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <kg/traps.h>

#ifdef __x86_64__
struct idt_gate {
	u16 off_lo;
	u16 sel;
	u8 ist;
	u8 type_attr;	/* P | DPL << 5 | type */
	u16 off_mid;
	u32 off_hi;
	u32 reserved;
} __packed;

static_assert(sizeof(struct idt_gate) == 16, "IDT gate is 16 bytes");

/* SDM Vol. 3A, "64-Bit TSS Format". */
struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

static_assert(sizeof(struct tss64) == 0x68, "64-bit TSS is 104 bytes");

#define GATE_INTR	0x0e	/* 64-bit interrupt gate */
#define DESC_TSS_AVAIL	0x09	/* available 64-bit TSS */
#else
/* SDM Vol. 3A 6.11, "IDT Descriptors": 8 bytes in protected mode. */
struct idt_gate {
	u16 off_lo;
	u16 sel;
	u8 reserved;
	u8 type_attr;	/* P | DPL << 5 | type */
	u16 off_hi;
} __packed;

static_assert(sizeof(struct idt_gate) == 8, "IDT gate is 8 bytes");

#define GATE_INTR	0x0e	/* 32-bit interrupt gate */
#endif
#define DESC_P		0x80

static struct idt_gate idt[256] __aligned(16);

static void set_gate(unsigned int vec, unsigned long addr, unsigned int dpl)
{
	struct idt_gate *g = &idt[vec];

	memset(g, 0, sizeof(*g));
	g->off_lo = (u16)addr;
	g->sel = KG_CS;
	g->type_attr = DESC_P | (u8)(dpl << 5) | GATE_INTR;
#ifdef __x86_64__
	g->off_mid = (u16)(addr >> 16);
	g->off_hi = (u32)(addr >> 32);
#else
	g->off_hi = (u16)(addr >> 16);
#endif
}

#ifdef __x86_64__
static struct tss64 tss __aligned(16);
static u8 ring0_stack[KG_STACK_SIZE] __aligned(16);

static void load_tss(void)
{
	u64 base = (uintptr_t)&tss;
	u64 limit = sizeof(tss) - 1;

	/* RSP0: the stack used when ring-3 code traps or returns. */
	tss.rsp[0] = (uintptr_t)(ring0_stack + sizeof(ring0_stack));
	tss.iomap_base = sizeof(tss);	/* no I/O bitmap */

	/* SDM Vol. 3A, "TSS Descriptor in 64-bit mode" (16 bytes). */
	kg_gdt[KG_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			     ((u64)(DESC_P | DESC_TSS_AVAIL) << 40) |
			     ((limit >> 16 & 0xf) << 48) |
			     ((base >> 24 & 0xff) << 56);
	kg_gdt[KG_TSS / 8 + 1] = base >> 32;
	asm volatile("ltr %w0" : : "r"(KG_TSS));
}

/* The way back from ring 3 (kg_usermode_call), and the stack for it. */
static void init_ring3(void)
{
	set_gate(KG_USER_RETURN_VECTOR, (uintptr_t)kg_usermode_return, 3);
	load_tss();
}
#else
/* The 32-bit guests never leave ring 0: no TSS, no gate for ring 3. */
static void init_ring3(void)
{
}
#endif

void kg_traps_init(void)
{
	struct kg_desc_ptr p = {
		.limit = sizeof(idt) - 1,
		.base = (uintptr_t)idt,
	};
	unsigned int v;

	for (v = 0; v < ARRAY_SIZE(kg_exc_stubs); v++)
		set_gate(v, kg_exc_stubs[v], 0);
	kg_lidt(&p);
	init_ring3();
}

void kg_traps_init_ap(void)
{
	/* The GDT up to the TSS's 16-byte descriptor (layout.h). */
	struct kg_desc_ptr gdt = {
		.limit = KG_TSS + 16 - 1,
		.base = (uintptr_t)kg_gdt,
	};
	struct kg_desc_ptr p = {
		.limit = sizeof(idt) - 1,
		.base = (uintptr_t)idt,
	};

	asm volatile("lgdt %0" : : "m"(gdt));
	kg_lidt(&p);
}

static kg_irq_handler_t irq_handlers[256];

void kg_set_irq_handler(unsigned int vec, kg_irq_handler_t fn)
{
	if (vec < 32 || vec > 255 || vec == KG_USER_RETURN_VECTOR)
		kg_panic("no handler can be set for vector %u\n", vec);
	irq_handlers[vec] = fn;
	if (fn)
		set_gate(vec, (uintptr_t)kg_irq_stubs +
			 (vec - 32) * KG_IRQ_STUB_SIZE, 0);
	else
		memset(&idt[vec], 0, sizeof(idt[vec]));
}

void kg_do_irq(struct kg_regs *r)
{
	kg_irq_handler_t fn = r->vector < 256 ? irq_handlers[r->vector] : NULL;

	if (!fn)
		kg_panic("interrupt on vector %lu with no handler\n",
			 (unsigned long)r->vector);
	fn(r);
}

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
	"#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

static struct {
	unsigned int vector, len;
	bool armed;
	struct kg_exception taken;
} expect;

void kg_expect_exception(unsigned int vector, unsigned int len)
{
	expect.vector = vector;
	expect.len = len;
	expect.taken = (struct kg_exception){ 0 };
	WRITE_ONCE(expect.armed, true);
}

struct kg_exception kg_expected_taken(void)
{
	WRITE_ONCE(expect.armed, false);
	return expect.taken;
}

/* The one exception a test asked for: recorded, then resumed past. */
static bool kg_exception_expected(struct kg_regs *r)
{
	if (!READ_ONCE(expect.armed) || r->vector != expect.vector)
		return false;
	expect.taken.count++;
	expect.taken.error_code = r->error_code;
	expect.taken.rip = r->rip;
	expect.taken.cs = r->cs;
	r->rip += expect.len;
	/*
	 * #DB: no single-stepping into the handler's return, and RF so an
	 * instruction breakpoint does not fire again on the same
	 * instruction (SDM Vol. 3 18.3.1.1).
	 */
	if (r->vector == 1)
		r->rflags = (r->rflags & ~0x100UL) | 0x10000UL;
	return true;
}

#ifdef __x86_64__
static void dump_regs(const struct kg_regs *r)
{
	kg_printf("  rip %#lx cs %#lx rflags %#lx rsp %#lx ss %#lx\n",
		  r->rip, r->cs, r->rflags, r->rsp, r->ss);
	if (r->vector == 14)
		kg_printf("  cr2 %#lx\n", kg_read_cr2());
	kg_printf("  rax %#lx rbx %#lx rcx %#lx rdx %#lx\n",
		  r->rax, r->rbx, r->rcx, r->rdx);
	kg_printf("  rsi %#lx rdi %#lx rbp %#lx r8 %#lx\n",
		  r->rsi, r->rdi, r->rbp, r->r8);
}
#else
static void dump_regs(const struct kg_regs *r)
{
	kg_printf("  eip %#x cs %#x eflags %#x\n", r->rip, r->cs, r->rflags);
	if (r->vector == 14)
		kg_printf("  cr2 %#lx\n", kg_read_cr2());
	kg_printf("  eax %#x ebx %#x ecx %#x edx %#x\n",
		  r->rax, r->rbx, r->rcx, r->rdx);
	kg_printf("  esi %#x edi %#x ebp %#x\n", r->rsi, r->rdi, r->rbp);
}
#endif

void kg_do_exception(struct kg_regs *r)
{
	const char *name = r->vector < 32 ? exc_names[r->vector] : "?";

	if (kg_exception_expected(r))
		return;

	kg_printf("Unhandled exception: vector %lu (%s), error code %#lx\n",
		  (unsigned long)r->vector, name,
		  (unsigned long)r->error_code);
	dump_regs(r);
	kg_panic("unexpected %s at %#lx\n", name, (unsigned long)r->rip);
}
