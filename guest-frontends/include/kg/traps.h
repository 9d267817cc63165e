/* SPDX-License-Identifier: GPL-2.0 */
/* IDT, TSS and the exception frame. */
#ifndef KG_TRAPS_H
#define KG_TRAPS_H

#include <kg/lib.h>

/* Frame built by entry.S: GPRs, then vector/error, then the CPU's part. */
#ifdef __x86_64__
struct kg_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;
};
#else
/*
 * entry32.S: PUSHAD's order (esp is the value before PUSHAD), then
 * vector/error.  At CPL 0 the CPU pushes no SS:ESP (SDM Vol. 3A 6.12.1),
 * so the frame ends with EFLAGS.  The 64-bit names keep traps.c shared.
 */
struct kg_regs {
	u32 rdi, rsi, rbp, rsp, rbx, rdx, rcx, rax;
	u32 vector, error_code;
	u32 rip, cs, rflags;
};
#endif

void kg_traps_init(void);
/*
 * On a vCPU started with VCPUOP_initialise (no GDT or IDT of its own):
 * the boot CPU's GDT and IDT, so that an exception there is reported
 * instead of ending the guest in a triple fault.  Ring 0 only (no TSS).
 */
void kg_traps_init_ap(void);
/* Returns only for an expected exception (kg_expect_exception). */
void kg_do_exception(struct kg_regs *regs);

/* What an expected exception left behind (kg_expected_taken). */
struct kg_exception {
	unsigned int count;
	u64 error_code, rip, cs;
};

/*
 * Until kg_expected_taken(), exception @vector is expected: each one is
 * counted and the code resumes @len bytes past where it was raised (the
 * faulting instruction's length for a fault; 0 for a trap).  Any other
 * exception is still fatal.
 */
void kg_expect_exception(unsigned int vector, unsigned int len);
struct kg_exception kg_expected_taken(void);

/*
 * Interrupt handlers for vectors 32-255 (except KG_USER_RETURN_VECTOR):
 * fn runs with interrupts off and returns through IRETQ.  A vector with
 * no handler has no IDT gate, so it raises #GP (the unexpected path).
 * fn == NULL removes the handler.
 */
typedef void (*kg_irq_handler_t)(struct kg_regs *regs);
void kg_set_irq_handler(unsigned int vector, kg_irq_handler_t fn);
void kg_do_irq(struct kg_regs *regs);

#ifdef __x86_64__
/* Runs fn at CPL 3 on its own stack and returns its result (entry.S). */
long kg_usermode_call(long (*fn)(void), void *user_stack_top);
#endif

#endif /* KG_TRAPS_H */
