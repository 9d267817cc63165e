/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception entry stubs, the hypercall page, and the ring-3 call/return
 * path.
 */
#include <kg/layout.h>

/*
 * Hypercall page: one 4 KiB page, 128 slots of 32 bytes (Xen public
 * arch-x86/cpuid.h, leaf 2; xen.h "hypercall_page").  The hypervisor
 * overwrites it when its GPA is written to the MSR from CPUID base+2.
 * Until then every slot returns -ENOSYS (-38), so a missing page write
 * shows up as failing hypercalls rather than a wild jump.
 */
	.section .text.page_aligned, "ax", @progbits
	.balign KG_PAGE_SIZE
	.globl hypercall_page
hypercall_page:
	.rept KG_PAGE_SIZE / 32
	.balign 32, 0xcc
	mov	$-38, %rax
	ret
	.endr
	.balign 32, 0xcc

/*
 * Exception stubs: push a zero error code where the CPU pushes none, then
 * the vector, so every frame is struct kg_regs (traps.h).  Vectors with an
 * error code: Intel SDM Vol. 3A 6.3.1, table 6-1.
 */
	.text
.macro EXC vec, has_err
	.balign 16
exc_\vec:
	.if !\has_err
	push	$0
	.endif
	push	$\vec
	jmp	exc_common
.endm

	EXC 0, 0
	EXC 1, 0
	EXC 2, 0
	EXC 3, 0
	EXC 4, 0
	EXC 5, 0
	EXC 6, 0
	EXC 7, 0
	EXC 8, 1
	EXC 9, 0
	EXC 10, 1
	EXC 11, 1
	EXC 12, 1
	EXC 13, 1
	EXC 14, 1
	EXC 15, 0
	EXC 16, 0
	EXC 17, 1
	EXC 18, 0
	EXC 19, 0
	EXC 20, 0
	EXC 21, 1
	EXC 22, 0
	EXC 23, 0
	EXC 24, 0
	EXC 25, 0
	EXC 26, 0
	EXC 27, 0
	EXC 28, 0
	EXC 29, 1
	EXC 30, 1
	EXC 31, 0

exc_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	/* CPU frame + vector + error + 15 GPRs = 176 bytes: rsp is 16-aligned. */
	mov	%rsp, %rdi
	/* Returns only for an exception the test expected (kg_expect_exception). */
	call	kg_do_exception
	jmp	regs_restore

	.section .rodata, "a", @progbits
	.balign 8
	.globl kg_exc_stubs
kg_exc_stubs:
	.irp v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.quad exc_\v
	.endr
	.irp v, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.quad exc_\v
	.endr

/*
 * Interrupt stubs for vectors 32-255, KG_IRQ_STUB_SIZE (16) bytes apart:
 * a zero error code and the vector, then irq_common, which unlike
 * exc_common returns to the interrupted code with IRETQ.  A stub is at
 * most 12 bytes (push imm8, push imm32, jmp rel32), so .balign puts stub
 * n at kg_irq_stubs + n * 16.
 */
	.text
	.balign 16
	.globl kg_irq_stubs
kg_irq_stubs:
	vec = 32
	.rept 256 - 32
	.balign KG_IRQ_STUB_SIZE
	push	$0
	push	$vec
	jmp	irq_common
	vec = vec + 1
	.endr

irq_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
	mov	%rsp, %rdi
	call	kg_do_irq
regs_restore:
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp	/* vector and error code */
	iretq

/*
 * long kg_usermode_call(long (*fn)(void), void *user_stack_top)
 *
 * Runs fn at CPL 3 by building an IRETQ frame (SDM Vol. 3A 6.14.3), and
 * comes back when the ring-3 trampoline executes "int $0x80" with fn's
 * result in %rdi.  That gate (DPL 3) enters kg_usermode_return on the
 * TSS.RSP0 stack; we throw that frame away and resume on the stack saved
 * here, so the call looks like an ordinary function call to C.
 */
	.text
	.globl kg_usermode_call
kg_usermode_call:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, usermode_saved_rsp(%rip)
	mov	%rdi, %r11
	pushq	$KG_USER_DS
	push	%rsi
	pushfq
	pushq	$KG_USER_CS
	lea	usermode_trampoline(%rip), %rax
	push	%rax
	iretq

usermode_trampoline:
	call	*%r11
	mov	%rax, %rdi
	int	$KG_USER_RETURN_VECTOR
	ud2

	.globl kg_usermode_return
kg_usermode_return:
	mov	usermode_saved_rsp(%rip), %rsp
	mov	$KG_DS, %eax
	mov	%eax, %ss
	mov	%eax, %ds
	mov	%eax, %es
	mov	%rdi, %rax
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret

	.data
usermode_saved_rsp:
	.quad 0

	.section .note.GNU-stack, "", @progbits
