/* SPDX-License-Identifier: GPL-2.0 */
/* Thin wrappers around x86 instructions (Intel SDM Vol. 2). */
#ifndef KG_CPU_H
#define KG_CPU_H

#include <kg/lib.h>

struct kg_cpuid {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct kg_cpuid kg_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct kg_cpuid r;

	asm volatile("cpuid"
		     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

static inline void kg_wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr"
		     : : "c"(msr), "a"((uint32_t)val),
		       "d"((uint32_t)(val >> 32)) : "memory");
}

static inline void kg_outb(uint16_t port, uint8_t val)
{
	asm volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

static inline unsigned long kg_read_cr2(void)
{
	unsigned long v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline void kg_invlpg(const volatile void *va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void __noreturn kg_halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

/* Operand of lgdt/lidt in 64-bit mode (SDM Vol. 3A 3.5.1, 6.10). */
struct kg_desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static inline void kg_lidt(const struct kg_desc_ptr *p)
{
	asm volatile("lidt %0" : : "m"(*p));
}

#endif /* KG_CPU_H */
