/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PVH entry point and the switch to 64-bit long mode.
 *
 * Entry state (Xen docs/misc/pvh.pandoc, "x86/HVM direct boot ABI"):
 * 32-bit protected mode, paging off, flat 4 GiB CS/DS/ES, CR4 = 0,
 * EFLAGS.IF = 0, %ebx = physical address of struct hvm_start_info.
 * Nothing else is defined: no stack, SS unspecified, no GDT we may keep.
 *
 * So: load our own GDT and flat segments, take a stack, clear .bss, build
 * identity-mapped page tables for the first 4 GiB (4 KiB pages for the
 * first 2 MiB, 2 MiB pages above), enable PAE, EFER.LME and CR0.PG
 * (Intel SDM Vol. 3A 10.8.5, "Initializing IA-32e Mode"), far jump to
 * 64-bit code, and call kg_main(start_info_pa).  Every page is
 * user-accessible so that ring-3 test code can run anywhere in the image
 * (SMEP/SMAP stay off: CR4 has only PAE set).  The Xen ELF notes are in
 * notes.S.
 */
#include <kg/layout.h>

#define NR_PD		4	/* 4 page directories: 4 GiB of 2 MiB pages */

	.section .text.head, "ax", @progbits
	.code32
	.globl kg_pvh_start
kg_pvh_start:
	cld
	lgdt	gdt_ptr32
	mov	$KG_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$boot_stack_top, %esp

	/* Clear .bss (page tables and stacks live there). */
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	shr	$2, %ecx
	xor	%eax, %eax
	rep stosl

	mov	%ebx, kg_start_info_pa

	/* CPUID 0x80000001 EDX bit 29: long mode (SDM Vol. 2A, CPUID). */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	no_long_mode
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	no_long_mode

	/*
	 * PT for 0-2 MiB in 4 KiB pages, so that boot.c can unmap page 0
	 * once it has copied what the loader may have put there.
	 */
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

	/* PDPT entries 0-3, PML4 entry 0. */
	mov	$pdpt, %edi
	mov	$(pd + PTE_P + PTE_W + PTE_U), %eax
	mov	$NR_PD, %ecx
1:	mov	%eax, (%edi)
	add	$KG_PAGE_SIZE, %eax
	add	$8, %edi
	loop	1b
	movl	$(pdpt + PTE_P + PTE_W + PTE_U), kg_pml4

	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$kg_pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$(X86_CR0_PG | X86_CR0_WP | X86_CR0_PE), %eax
	mov	%eax, %cr0
	ljmp	$KG_CS64, $start64

no_long_mode:
	/* Nothing else can work: say so on the debug port and stop. */
	mov	$no_lm_msg, %esi
	mov	$0xe9, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	cli
	hlt
	jmp	2b

	.code64
start64:
	mov	$boot_stack_top, %rsp
	xor	%ebp, %ebp
	mov	kg_start_info_pa(%rip), %edi
	call	kg_main
1:	cli
	hlt
	jmp	1b

	.section .rodata, "a", @progbits
no_lm_msg:
	.asciz "kxen-test: CPU has no long mode\nTest result: ERROR\n"

	.data
	.balign 16
	.globl kg_gdt
kg_gdt:
	.quad 0				/* 0x00 null */
	.quad 0x00af9b000000ffff	/* 0x08 ring-0 code, L=1 */
	.quad 0x00cf93000000ffff	/* 0x10 ring-0 data, flat */
	.quad 0				/* 0x18 unused */
	.quad 0x00cff3000000ffff	/* 0x20 ring-3 data, DPL 3 */
	.quad 0x00affb000000ffff	/* 0x28 ring-3 code, L=1, DPL 3 */
	.quad 0, 0			/* 0x30 TSS, filled by traps.c */
gdt_end:

	/* lgdt operand: 16-bit limit, then the base (32 bits are enough). */
	.balign 8
	.word 0
gdt_ptr32:
	.word gdt_end - kg_gdt - 1
	.quad kg_gdt

	.globl kg_start_info_pa
kg_start_info_pa:
	.long 0

	.section .bss.page_aligned, "aw", @nobits
	.balign KG_PAGE_SIZE
	.globl kg_pml4
kg_pml4:
	.skip KG_PAGE_SIZE
pdpt:
	.skip KG_PAGE_SIZE
pd:
	.skip NR_PD * KG_PAGE_SIZE
pt_low:
	.skip KG_PAGE_SIZE
	.globl kg_pdpt
	.set kg_pdpt, pdpt

	.balign 16
	.globl boot_stack
boot_stack:
	.skip KG_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
