/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PVH entry point of the 32-bit guests, which stay in 32-bit protected
 * mode (the environments XTF calls hvm32 and hvm32pae).
 *
 * Entry state (Xen docs/misc/pvh.pandoc, "x86/HVM direct boot ABI"):
 * 32-bit protected mode, paging off, flat 4 GiB CS/DS/ES, CR4 = 0,
 * EFLAGS.IF = 0, %ebx = physical address of struct hvm_start_info.
 * Nothing else is defined: no stack, SS unspecified, no GDT we may keep.
 *
 * So: load our own GDT, reload CS and the data segments from it, take a
 * stack, clear .bss and call kg_main(start_info_pa).  Without KG_PAE
 * paging stays off, so linear == physical.  With KG_PAE the first 4 GiB
 * are identity mapped with PAE paging (Intel SDM Vol. 3A 4.4): 4 KiB
 * pages for the first 2 MiB (so boot.c can unmap page 0), 2 MiB pages
 * above.  The Xen ELF notes are in notes.S.
 */
#include <kg/layout.h>

#define NR_PD		4	/* 4 page directories: 4 GiB of 2 MiB pages */

	.section .text.head, "ax", @progbits
	.code32
	.globl kg_pvh_start
kg_pvh_start:
	cld
	lgdt	gdt_ptr32
	ljmp	$KG_CS, $1f
1:	mov	$KG_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$boot_stack_top, %esp

	/* Clear .bss (stacks, and the page tables with KG_PAE). */
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	shr	$2, %ecx
	xor	%eax, %eax
	rep stosl

#ifdef KG_PAE
	/* PT for 0-2 MiB in 4 KiB pages; the upper half of each entry is 0. */
	mov	$pt_low, %edi
	mov	$(PTE_P | PTE_W | PTE_U), %eax
	mov	$512, %ecx
1:	mov	%eax, (%edi)
	add	$KG_PAGE_SIZE, %eax
	add	$8, %edi
	loop	1b

	/* PDs: 2 MiB pages for 0-4 GiB, entry 0 points at pt_low. */
	mov	$pd, %edi
	mov	$(PTE_P | PTE_W | PTE_U | PTE_PS), %eax
	mov	$(NR_PD * 512), %ecx
1:	mov	%eax, (%edi)
	add	$0x200000, %eax
	add	$8, %edi
	loop	1b
	movl	$(pt_low + PTE_P + PTE_W + PTE_U), pd

	/* PDPTEs 0-3: in PAE paging only P may be set (SDM Vol. 3A 4.4.1). */
	mov	$kg_pdpt, %edi
	mov	$(pd + PTE_P), %eax
	mov	$NR_PD, %ecx
1:	mov	%eax, (%edi)
	add	$KG_PAGE_SIZE, %eax
	add	$8, %edi
	loop	1b

	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$kg_pdpt, %eax
	mov	%eax, %cr3
	mov	%cr0, %eax
	or	$(X86_CR0_PG | X86_CR0_WP), %eax
	mov	%eax, %cr0
#endif

	xor	%ebp, %ebp
	push	%ebx			/* kg_main(start_info_pa) */
	call	kg_main
1:	cli
	hlt
	jmp	1b

	.data
	.balign 16
	.globl kg_gdt
kg_gdt:
	.quad 0				/* 0x00 null */
	.quad 0x00cf9b000000ffff	/* 0x08 ring-0 code, 32-bit, flat */
	.quad 0x00cf93000000ffff	/* 0x10 ring-0 data, flat */
	.quad 0				/* 0x18 unused */
	.quad 0x00cff3000000ffff	/* 0x20 ring-3 data, DPL 3 */
	.quad 0x00cffb000000ffff	/* 0x28 ring-3 code, 32-bit, DPL 3 */
	.quad 0, 0			/* 0x30 TSS (not used in 32-bit) */
gdt_end:

	/* lgdt operand: 16-bit limit, then the 32-bit base. */
	.balign 8
	.word 0
gdt_ptr32:
	.word gdt_end - kg_gdt - 1
	.long kg_gdt

	.section .bss.page_aligned, "aw", @nobits
	.balign KG_PAGE_SIZE
#ifdef KG_PAE
	.globl kg_pdpt
kg_pdpt:
	.skip KG_PAGE_SIZE
pd:
	.skip NR_PD * KG_PAGE_SIZE
pt_low:
	.skip KG_PAGE_SIZE
#endif

	.balign 16
	.globl boot_stack
boot_stack:
	.skip KG_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
