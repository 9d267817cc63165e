/* SPDX-License-Identifier: GPL-2.0 */
/* Thin wrappers around x86 instructions (Intel SDM Vol. 2). */
#ifndef KG_CPU_H
#define KG_CPU_H

#include <kg/lib.h>

struct kg_cpuid {
	u32 eax, ebx, ecx, edx;
};

static inline struct kg_cpuid kg_cpuid(u32 leaf, u32 subleaf)
{
	struct kg_cpuid r;

	asm volatile("cpuid"
		     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

static inline void kg_wrmsr(u32 msr, u64 val)
{
	asm volatile("wrmsr"
		     : : "c"(msr), "a"((u32)val),
		       "d"((u32)(val >> 32)) : "memory");
}

static inline u64 kg_rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void kg_outb(u16 port, u8 val)
{
	asm volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

static inline u8 kg_inb(u16 port)
{
	u8 val;

	asm volatile("inb %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static inline unsigned long kg_read_cr0(void)
{
	unsigned long v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline unsigned long kg_read_cr3(void)
{
	unsigned long v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline unsigned long kg_read_cr4(void)
{
	unsigned long v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* mov %eax/%rax, %cr4 is 0f 22 e0: 3 bytes to skip when it faults. */
static inline void kg_write_cr4(unsigned long v)
{
	asm volatile("mov %0, %%cr4" : : "a"(v) : "memory");
}

static inline unsigned long kg_read_cr2(void)
{
	unsigned long v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

#ifdef __x86_64__
/*
 * One 8-byte load or store at @p that the compiler may neither drop nor
 * merge nor split, as the kernel's readq()/writeq() on x86.
 */
static inline u64 kg_readq(const u64 *p)
{
	u64 v;

	asm volatile("movq %1, %0" : "=r"(v) : "m"(*p) : "memory");
	return v;
}

static inline void kg_writeq(u64 *p, u64 val)
{
	asm volatile("movq %1, %0" : "=m"(*p) : "r"(val) : "memory");
}
#endif

static inline void kg_invlpg(const void *va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void kg_sti(void)
{
	asm volatile("sti" : : : "memory");
}

static inline void kg_cli(void)
{
	asm volatile("cli" : : : "memory");
}

/*
 * "sti; hlt": the STI interrupt shadow (SDM Vol. 2B, STI) keeps an
 * interrupt from arriving between the two, so one that becomes pending
 * after the caller's last check still wakes the HLT.
 */
static inline void kg_safe_halt(void)
{
	asm volatile("sti; hlt" : : : "memory");
}

static inline void kg_cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

static inline bool kg_irqs_enabled(void)
{
	unsigned long flags;

	asm volatile("pushf; pop %0" : "=r"(flags));
	return flags & 0x200;	/* EFLAGS.IF */
}

/* LFENCE keeps RDTSC from running ahead of earlier loads (SDM RDTSC). */
static inline u64 kg_rdtsc(void)
{
	u32 lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (u64)hi << 32 | lo;
}

/* Compiler barrier: no memory access is moved across it. */
static inline void kg_barrier(void)
{
	asm volatile("" : : : "memory");
}

static inline void __noreturn kg_halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

/* Operand of lgdt/lidt: 8-byte base in 64-bit mode, else 4 (SDM Vol. 3A 3.5.1, 6.10). */
struct kg_desc_ptr {
	u16 limit;
	unsigned long base;
} __packed;

static inline void kg_lidt(const struct kg_desc_ptr *p)
{
	asm volatile("lidt %0" : : "m"(*p));
}

#endif /* KG_CPU_H */
