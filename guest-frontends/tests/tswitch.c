// SPDX-License-Identifier: GPL-2.0
/*
 * tswitch: hardware task switches of a 32-bit guest (SDM Vol. 3 7.3).
 * VT-x exits on every one and the hypervisor must do the switch itself;
 * AMD-V lets the CPU do it.  Built 32-bit only (task switches do not
 * exist in long mode).
 *
 * - JMP to a TSS: the new task's registers come from its TSS, TR names
 *   it, NT stays clear, CR0.TS is set; the JMP back frees it (busy bit)
 *   and the first task resumes past its JMP with its registers.
 * - CALL to a TSS and IRET back: NT set and the back link written in the
 *   called task; IRET frees it and comes back past the CALL.
 * - INT n through a task gate of the IDT: as CALL, back past the INT.
 * - #GP through a task gate: its error code on the handler task's stack,
 *   and the faulting instruction runs again after the IRET.
 * - JMP to a virtual-8086 task (Xen's XSA-192): its code runs in vm86
 *   mode with a null LDT; an INT n from it reaches a DPL-3 interrupt
 *   gate, whose handler jumps back to the first task.
 */
#include <kg/asm.h>
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/lib.h>
#include <kg/report.h>
#include <kg/traps.h>

KG_TEST_TITLE("tswitch");

/* The 32-bit TSS (SDM Vol. 3 Figure 7-2). */
struct tss32 {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3;
	u32 eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap;
} __packed;

#define SEL_MAIN	0x40
#define SEL_B		0x48	/* JMP, CALL and the INT n gate */
#define SEL_G		0x50	/* the #GP task gate */
#define SEL_V		0x58	/* the vm86 task */
#define GDT_N		12

#define EFLAGS_FIXED	0x2
#define EFLAGS_NT	0x4000
#define EFLAGS_IOPL3	0x3000
#define EFLAGS_VM	0x20000
#define CR0_TS		0x8

#define VEC_GATE	0x40	/* task gate to SEL_B */
#define VEC_VM86	0x41	/* DPL-3 interrupt gate for the vm86 task */
#define VM86_CODE	0x7000	/* linear address of the vm86 code */
#define BAD_SEL		0x1230	/* past the GDT limit: #GP(0x1230) */

static u64 gdt[GDT_N] __aligned(16);
static struct tss32 tss_main, tss_b, tss_g, tss_v __aligned(128);
static u8 stack_b[4096] __aligned(16);
static u8 stack_g[4096] __aligned(16);
static u8 stack_v0[4096] __aligned(16);

/* What the other tasks saw, written by the stubs below. */
struct seen {
	u32 eax, ebx, ecx, edx, esi, edi, ebp, eflags, tr, cr0, word;
};

struct seen b_seen, g_seen;
u32 b_use_iret;
u32 v_eflags, v_cs;

/*
 * Task B records the registers it started with (record_seen), then
 * leaves by IRET (to the task that called it) or by JMP to the first
 * task.  Task G does the same, takes the #GP error code from its stack
 * and gives the first task a good selector to retry with.  The vm86
 * handler runs with null data segments (an interrupt from vm86 loads
 * them so): it reaches memory through %ss only.
 */
asm(".pushsection .text\n"
	"record_seen:\n"			/* 4(%esp): the struct seen */
	"	push %edi\n"
	"	mov 8(%esp), %edi\n"
	"	mov %eax, 0(%edi)\n"
	"	mov %ebx, 4(%edi)\n"
	"	mov %ecx, 8(%edi)\n"
	"	mov %edx, 12(%edi)\n"
	"	mov %esi, 16(%edi)\n"
	"	pop %eax\n"
	"	mov %eax, 20(%edi)\n"
	"	mov %ebp, 24(%edi)\n"
	"	pushf\n"
	"	pop %eax\n"
	"	mov %eax, 28(%edi)\n"
	"	str %ax\n"
	"	movzwl %ax, %eax\n"
	"	mov %eax, 32(%edi)\n"
	"	mov %cr0, %eax\n"
	"	mov %eax, 36(%edi)\n"
	"	ret\n"
	"task_b_entry:\n"
	"	push $b_seen\n"
	"	call record_seen\n"
	"	add $4, %esp\n"
	"	cmpl $0, b_use_iret\n"
	"	jne 1f\n"
	"	ljmp $0x40, $0\n"
	"1:	iret\n"
	"task_g_entry:\n"
	"	push $g_seen\n"
	"	call record_seen\n"
	"	add $4, %esp\n"
	"	pop %eax\n"
	"	mov %eax, g_seen+40\n"
	"	movl $0x10, tss_main+40\n"	/* its EAX: KG_DS */
	"	iret\n"
	"vm86_handler:\n"
	"	mov %ss:8(%esp), %eax\n"
	"	mov %eax, %ss:v_eflags\n"
	"	mov %ss:4(%esp), %eax\n"
	"	mov %eax, %ss:v_cs\n"
	"	ljmp $0x40, $0\n"
	".popsection\n");

/* The address of one of the stubs above. */
#define STUB(sym) ({ u32 a_; asm("mov $" #sym ", %0" : "=r"(a_)); a_; })

static u64 tss_desc(const struct tss32 *t)
{
	u32 base = (u32)(uintptr_t)t, limit = sizeof(*t) - 1;

	/* 32-bit available TSS (type 9), present, DPL 0. */
	return (limit & 0xffff) | ((u64)(base & 0xffffff) << 16) |
	       (0x89ULL << 40) | ((u64)(limit & 0xf0000) << 32) |
	       ((u64)(base >> 24) << 56);
}

static bool busy(u16 sel)
{
	return (gdt[sel / 8] >> 41) & 1;
}

static u16 read_tr(void)
{
	u16 sel;

	asm volatile("str %0" : "=r"(sel));
	return sel;
}

static u32 read_cr3(void)
{
	u32 v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static void task_init(struct tss32 *t, u32 entry, u8 *stack_top)
{
	memset(t, 0, sizeof(*t));
	t->eip = entry;
	t->eflags = EFLAGS_FIXED;
	t->esp = (u32)(uintptr_t)stack_top;
	t->cs = KG_CS;
	t->ss = KG_DS;
	t->ds = KG_DS;
	t->es = KG_DS;
	t->fs = KG_DS;
	t->gs = KG_DS;
	t->cr3 = read_cr3();
	t->eax = 0xa0a0a0a0;
	t->ebx = 0xb0b0b0b0;
	t->ecx = 0xc0c0c0c0;
	t->edx = 0xd0d0d0d0;
	t->esi = 0x51515151;
	t->edi = 0xd1d1d1d1;
	t->ebp = 0xbebebebe;
	t->iomap = sizeof(*t);		/* no I/O bitmap */
}

/* Our GDT: the library's entries, then the TSSs; TR = the main TSS. */
static void gdt_init(void)
{
	struct kg_desc_ptr p = { sizeof(gdt) - 1, (uintptr_t)gdt };

	memcpy(gdt, kg_gdt, KG_GDT_ENTRIES * 8);
	/* CR3 is a static field: a switch back to us loads it from here. */
	tss_main.cr3 = read_cr3();
	tss_main.iomap = sizeof(tss_main);
	gdt[SEL_MAIN / 8] = tss_desc(&tss_main);
	gdt[SEL_B / 8] = tss_desc(&tss_b);
	gdt[SEL_G / 8] = tss_desc(&tss_g);
	gdt[SEL_V / 8] = tss_desc(&tss_v);
	asm volatile("lgdt %0" : : "m"(p));
	asm volatile("ltr %w0" : : "r"(SEL_MAIN));
}

static u64 *idt_entry(unsigned int vec)
{
	struct kg_desc_ptr p;

	asm volatile("sidt %0" : "=m"(p));
	return (u64 *)p.base + vec;
}

static bool seen_regs_ok(const struct seen *s)
{
	return s->eax == 0xa0a0a0a0 && s->ebx == 0xb0b0b0b0 &&
	       s->ecx == 0xc0c0c0c0 && s->edx == 0xd0d0d0d0 &&
	       s->esi == 0x51515151 && s->edi == 0xd1d1d1d1 &&
	       s->ebp == 0xbebebebe;
}

static void jmp_task(void)
{
	u32 ebx = 0x600dcafe, esi = 0x12345678;

	task_init(&tss_b, STUB(task_b_entry), stack_b + sizeof(stack_b));
	b_use_iret = 0;
	memset(&b_seen, 0, sizeof(b_seen));
	asm volatile("ljmp $0x48, $0" : "+b"(ebx), "+S"(esi) : : "memory");
	kg_check(seen_regs_ok(&b_seen),
		 "JMP: the new task starts with its TSS's registers (eax %#x ebp %#x)",
		 b_seen.eax, b_seen.ebp);
	kg_check(b_seen.tr == SEL_B && !(b_seen.eflags & EFLAGS_NT) &&
		 (b_seen.cr0 & CR0_TS),
		 "JMP: TR %#x, NT clear, CR0.TS set (eflags %#x cr0 %#x)",
		 b_seen.tr, b_seen.eflags, b_seen.cr0);
	kg_check(read_tr() == SEL_MAIN && ebx == 0x600dcafe && esi == 0x12345678,
		 "JMP back: TR %#x, our registers kept (ebx %#x esi %#x)",
		 read_tr(), ebx, esi);
	kg_check(busy(SEL_MAIN) && !busy(SEL_B) && tss_b.link == 0,
		 "JMP: the left task is free, ours busy, no back link");
	asm volatile("clts");
}

static void call_task(void)
{
	u32 flags;

	task_init(&tss_b, STUB(task_b_entry), stack_b + sizeof(stack_b));
	b_use_iret = 1;
	memset(&b_seen, 0, sizeof(b_seen));
	asm volatile("lcall $0x48, $0" : : : "memory");
	asm volatile("pushf; pop %0" : "=r"(flags));
	kg_check(seen_regs_ok(&b_seen) && b_seen.tr == SEL_B &&
		 (b_seen.eflags & EFLAGS_NT) && tss_b.link == SEL_MAIN,
		 "CALL: called task has NT (eflags %#x), back link %#x",
		 b_seen.eflags, tss_b.link);
	kg_check(read_tr() == SEL_MAIN && !busy(SEL_B) && busy(SEL_MAIN) &&
		 !(flags & EFLAGS_NT),
		 "IRET back: TR %#x, called task free, our NT clear",
		 read_tr());
	asm volatile("clts");
}

static void gate_task(void)
{
	u64 *gate = idt_entry(VEC_GATE);

	task_init(&tss_b, STUB(task_b_entry), stack_b + sizeof(stack_b));
	b_use_iret = 1;
	memset(&b_seen, 0, sizeof(b_seen));
	/* Task gate (type 5), present, DPL 0, TSS selector SEL_B. */
	*gate = ((u64)SEL_B << 16) | (0x85ULL << 40);
	asm volatile("int $0x40" : : : "memory");
	*gate = 0;
	kg_check(seen_regs_ok(&b_seen) && (b_seen.eflags & EFLAGS_NT) &&
		 tss_b.link == SEL_MAIN && read_tr() == SEL_MAIN &&
		 !busy(SEL_B),
		 "INT $0x40 through a task gate: ran with NT, link %#x, came back past the INT",
		 tss_b.link);
	asm volatile("clts");
}

static void gp_gate_task(void)
{
	u64 *gate = idt_entry(13), old = *gate;
	u32 sel = BAD_SEL;

	task_init(&tss_g, STUB(task_g_entry), stack_g + sizeof(stack_g));
	memset(&g_seen, 0, sizeof(g_seen));
	*gate = ((u64)SEL_G << 16) | (0x85ULL << 40);
	/* Task G replaces our saved EAX with KG_DS: the retry loads it. */
	asm volatile("mov %%eax, %%fs" : "+a"(sel) : : "memory");
	*gate = old;
	kg_check(g_seen.word == BAD_SEL && seen_regs_ok(&g_seen) &&
		 tss_g.link == SEL_MAIN,
		 "#GP through a task gate: error code %#x on the new stack (want %#x), link %#x",
		 g_seen.word, BAD_SEL, tss_g.link);
	kg_check(sel == KG_DS && read_tr() == SEL_MAIN,
		 "#GP: the faulting MOV ran again after IRET (eax %#x)", sel);
	asm volatile("mov %0, %%fs" : : "r"(KG_DS));
	asm volatile("clts");
}

static void vm86_task(void)
{
	static const u8 code[] = { 0xcd, VEC_VM86 };	/* int $0x41 */
	u64 *gate = idt_entry(VEC_VM86);
	u32 off = STUB(vm86_handler);
	u16 ldt;

	memcpy((void *)VM86_CODE, code, sizeof(code));
	memset(&tss_v, 0, sizeof(tss_v));
	tss_v.eflags = EFLAGS_VM | EFLAGS_IOPL3 | EFLAGS_FIXED;
	tss_v.cs = VM86_CODE >> 4;
	tss_v.ds = tss_v.cs;
	tss_v.es = tss_v.cs;
	tss_v.fs = tss_v.cs;
	tss_v.gs = tss_v.cs;
	tss_v.ss = (VM86_CODE + 0x1000) >> 4;
	tss_v.esp = 0xff0;
	tss_v.esp0 = (u32)(uintptr_t)(stack_v0 + sizeof(stack_v0));
	tss_v.ss0 = KG_DS;
	tss_v.cr3 = read_cr3();
	tss_v.iomap = sizeof(tss_v);
	/* 32-bit interrupt gate (type 0xe), present, DPL 3. */
	*gate = (off & 0xffff) | ((u64)KG_CS << 16) | (0xeeULL << 40) |
		((u64)(off >> 16) << 48);
	asm volatile("ljmp $0x58, $0" : : : "memory");
	*gate = 0;
	asm volatile("sldt %0" : "=r"(ldt));
	kg_check((v_eflags & EFLAGS_VM) && v_cs == VM86_CODE >> 4,
		 "vm86 task: INT from vm86 (eflags %#x, cs %#x)", v_eflags,
		 v_cs);
	kg_check(read_tr() == SEL_MAIN && !busy(SEL_V) && ldt == 0,
		 "vm86 task: back by JMP, TR %#x, LDTR %#x", read_tr(), ldt);
	asm volatile("clts");
}

void test_main(void)
{
	kg_require_xen();
	gdt_init();
	jmp_task();
	call_task();
	gate_task();
	gp_gate_task();
	vm86_task();
	kg_success(NULL);
	kg_exit();
}
