/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 32-bit build's exception and interrupt entry stubs and hypercall
 * page.  No ring-3 path: the 32-bit guests run at CPL 0 only.
 */
#include <kg/layout.h>

/*
 * Hypercall page: one 4 KiB page, 128 slots of 32 bytes (Xen public
 * arch-x86/cpuid.h, leaf 2; xen.h "hypercall_page"), each returning
 * -ENOSYS (-38) until the hypervisor writes the page.
 */
	.section .text.page_aligned, "ax", @progbits
	.balign KG_PAGE_SIZE
	.globl hypercall_page
hypercall_page:
	.rept KG_PAGE_SIZE / 32
	.balign 32, 0xcc
	mov	$-38, %eax
	ret
	.endr
	.balign 32, 0xcc

/*
 * Exception stubs: push a zero error code where the CPU pushes none, then
 * the vector, then PUSHAD, so every frame is struct kg_regs (traps.h).
 * Vectors with an error code: Intel SDM Vol. 3A 6.3.1, table 6-1.
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
	pushal
	cld
	push	%esp		/* struct kg_regs * */
	/* Returns only for an exception the test expected (kg_expect_exception). */
	call	kg_do_exception
	jmp	regs_restore

	.section .rodata, "a", @progbits
	.balign 4
	.globl kg_exc_stubs
kg_exc_stubs:
	.irp v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.long exc_\v
	.endr
	.irp v, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.long exc_\v
	.endr

/*
 * Interrupt stubs for vectors 32-255, KG_IRQ_STUB_SIZE (16) bytes apart:
 * a zero error code and the vector, then irq_common, which returns to the
 * interrupted code with IRET.  A stub is at most 12 bytes (push imm8,
 * push imm32, jmp rel32).
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
	pushal
	cld
	push	%esp
	call	kg_do_irq
regs_restore:
	add	$4, %esp	/* the argument */
	popal
	add	$8, %esp	/* vector and error code */
	iret

	.section .note.GNU-stack, "", @progbits
