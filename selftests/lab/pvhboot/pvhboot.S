/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvhboot: a BIOS disk loader that starts a Linux vmlinux at its PVH entry
 * point, so the lab's L1 skips both GRUB and the kernel decompressing
 * itself inside the emulator (most of a Bochs boot).
 *
 * The disk (made by mkpvhdisk) holds this loader in its first
 * LOADER_SECTORS sectors, then the regions named by the parameter block at
 * offset 512: the hvm_start_info block (start_info, module list, command
 * line), the flat kernel image and the initrd.  The loader:
 *   1. reads each region with int 13h AH=42h (EDD) into a bounce buffer
 *      and copies it to its physical address from "unreal" mode (flat
 *      4 GiB data segments left in the segment caches after a trip through
 *      protected mode), which reaches above 1 MiB;
 *   2. writes the BIOS E820 map (int 15h EAX=E820h) as the start_info
 *      memory map: hvm_memmap_table_entry has the E820 layout (addr, size,
 *      type) with a 32-bit reserved field instead of the ACPI 3.0
 *      attributes, which is forced to zero;
 *   3. enters the PVH entry as xen/include/public/arch-x86/hvm/start_info.h
 *      specifies: 32-bit protected mode, paging off, flat CS/DS/ES/SS,
 *      interrupts off, EBX = physical address of hvm_start_info.
 * Progress and errors go to COM1 and the Bochs port 0xe9.
 */

	.equ	LOADER_SECTORS, 8	/* sectors of this loader; mkpvhdisk */
	.equ	PARAMS_MAGIC, 0x4250584b /* "KXPB", also in mkpvhdisk.c */
	.equ	BOUNCE_SEG, 0x1000	/* 64 KiB bounce buffer at 0x10000 */
	.equ	BOUNCE, 0x10000
	.equ	CHUNK, 64		/* sectors per int 13h call */
	.equ	CODE_SEL, 0x08
	.equ	DATA_SEL, 0x10
	.equ	SMAP, 0x534d4150	/* "SMAP", int 15h E820h signature */
	.equ	COM1, 0x3f8

	/* Parameter block fields (struct pvhboot_params in mkpvhdisk.c). */
	.equ	P_MAGIC, 0
	.equ	P_KERNEL_LBA, 4
	.equ	P_KERNEL_SECTORS, 8
	.equ	P_KERNEL_PADDR, 12
	.equ	P_INITRD_LBA, 16
	.equ	P_INITRD_SECTORS, 20
	.equ	P_INITRD_PADDR, 24
	.equ	P_INFO_LBA, 28
	.equ	P_INFO_SECTORS, 32
	.equ	P_INFO_PADDR, 36
	.equ	P_ENTRY, 40
	.equ	P_START_INFO, 44
	.equ	P_MEMMAP, 48
	.equ	P_MEMMAP_MAX, 52
	.equ	P_MEMMAP_COUNT, 56

	.code16
	.text
	.globl	_start
_start:
	ljmp	$0, $1f			/* some BIOSes enter at 07c0:0000 */
1:	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7c00, %sp
	sti
	cld
	movb	%dl, boot_drive
	call	uart_init

	/* Stage 1: the rest of the loader, right behind this sector. */
	movw	$LOADER_SECTORS - 1, dap_count
	movw	$0x7e00, dap_off
	movw	$0, dap_seg
	movl	$1, dap_lba
	call	read_dap
	jmp	main

/* One int 13h extended read of the packet at dap; stops on error. */
read_dap:
	movw	$dap, %si
	movb	$0x42, %ah
	movb	boot_drive, %dl
	int	$0x13
	jc	disk_error
	ret

disk_error:
	movw	$msg_disk, %si
fatal:
	call	puts
2:	cli
	hlt
	jmp	2b

/* Prints the NUL-terminated string at DS:SI. */
puts:
	lodsb
	testb	%al, %al
	jz	1f
	call	putc
	jmp	puts
1:	ret

/*
 * COM1 at 115200 8N1: the BIOS leaves the line control register at its
 * reset value (5-bit words), which would mangle every character.
 */
uart_init:
	movw	$COM1 + 3, %dx
	movb	$0x80, %al		/* DLAB: the divisor latch */
	outb	%al, %dx
	movw	$COM1, %dx
	movb	$1, %al			/* 115200 baud */
	outb	%al, %dx
	incw	%dx
	xorb	%al, %al
	outb	%al, %dx
	movw	$COM1 + 3, %dx
	movb	$0x03, %al		/* 8 bits, no parity, 1 stop bit */
	outb	%al, %dx
	ret

putc:
	pushw	%dx
	pushw	%ax
	movw	$COM1 + 5, %dx		/* line status: wait for THR empty */
1:	inb	%dx, %al
	testb	$0x20, %al
	jz	1b
	popw	%ax
	movw	$COM1, %dx
	outb	%al, %dx
	outb	%al, $0xe9
	popw	%dx
	ret

	.balign	4
dap:					/* EDD disk address packet */
	.byte	0x10, 0
dap_count:
	.word	0
dap_off:
	.word	0
dap_seg:
	.word	0
dap_lba:
	.quad	0
boot_drive:
	.byte	0x80

msg_disk:
	.asciz	"pvhboot: disk read error\r\n"

	.org	510
	.word	0xaa55

	/* Filled in by mkpvhdisk. */
params:
	.long	PARAMS_MAGIC
	.fill	15, 4, 0

main:
	cmpl	$PARAMS_MAGIC, params + P_MAGIC
	jne	bad_params
	movw	$msg_hello, %si
	call	puts
	call	enable_a20

	movl	params + P_INFO_LBA, %eax
	movl	params + P_INFO_SECTORS, %ecx
	movl	params + P_INFO_PADDR, %edi
	call	load_region
	movl	params + P_KERNEL_LBA, %eax
	movl	params + P_KERNEL_SECTORS, %ecx
	movl	params + P_KERNEL_PADDR, %edi
	call	load_region
	movl	params + P_INITRD_LBA, %eax
	movl	params + P_INITRD_SECTORS, %ecx
	movl	params + P_INITRD_PADDR, %edi
	call	load_region

	call	build_memmap
	movw	$msg_jump, %si
	call	puts
	jmp	enter_pvh

bad_params:
	movw	$msg_params, %si
	jmp	fatal

/* A20 through the "fast A20" port and the BIOS, whichever works. */
enable_a20:
	movw	$0x2401, %ax
	int	$0x15
	inb	$0x92, %al
	orb	$0x02, %al
	andb	$0xfe, %al		/* bit 0 would reset the machine */
	outb	%al, $0x92
	ret

/*
 * load_region: EAX = first LBA, ECX = sectors, EDI = physical destination.
 * Reads CHUNK sectors at a time into the bounce buffer and copies them up.
 */
load_region:
	testl	%ecx, %ecx
	jz	2f
	movl	%ecx, %ebx
	cmpl	$CHUNK, %ebx
	jbe	1f
	movl	$CHUNK, %ebx
1:	movw	%bx, dap_count
	movw	$0, dap_off
	movw	$BOUNCE_SEG, dap_seg
	movl	%eax, dap_lba
	pushal
	call	read_dap
	popal
	pushal
	movl	$BOUNCE, %esi
	movl	%ebx, %ecx
	shll	$7, %ecx		/* sectors to dwords */
	call	copy_high
	popal
	addl	%ebx, %eax
	subl	%ebx, %ecx
	shll	$9, %ebx
	addl	%ebx, %edi
	jmp	load_region
2:	ret

/*
 * copy_high: copies ECX dwords from linear ESI to linear EDI.  Loading
 * DS/ES in protected mode leaves 4 GiB limits in their caches; back in
 * real mode, with base 0, 32-bit addresses then reach all memory.  Redone
 * for every copy, as a BIOS call may have reloaded the segments.
 */
copy_high:
	cli
	lgdtl	gdt_desc
	movl	%cr0, %eax
	orb	$1, %al
	movl	%eax, %cr0
	jmp	1f
1:	movw	$DATA_SEL, %dx
	movw	%dx, %ds
	movw	%dx, %es
	andb	$0xfe, %al
	movl	%eax, %cr0
	jmp	2f
2:	xorw	%dx, %dx
	movw	%dx, %ds
	movw	%dx, %es
	addr32	rep movsl
	sti
	ret

/* The E820 map into the hvm_memmap_table_entry array (24-byte entries). */
build_memmap:
	movw	params + P_MEMMAP, %di
	xorl	%ebx, %ebx
	xorw	%bp, %bp
1:	movl	$0xe820, %eax
	movl	$SMAP, %edx
	movl	$24, %ecx
	movl	$0, %es:20(%di)
	int	$0x15
	jc	2f
	cmpl	$SMAP, %eax
	jne	2f
	movl	$0, %es:20(%di)		/* reserved: must be zero */
	movl	%es:8(%di), %eax	/* skip empty ranges */
	orl	%es:12(%di), %eax
	jz	3f
	addw	$24, %di
	incw	%bp
	cmpw	params + P_MEMMAP_MAX, %bp
	jae	2f
3:	testl	%ebx, %ebx
	jnz	1b
2:	testw	%bp, %bp
	jz	no_memmap
	movw	params + P_MEMMAP_COUNT, %di
	movzwl	%bp, %eax
	movl	%eax, (%di)
	ret

no_memmap:
	movw	$msg_e820, %si
	jmp	fatal

enter_pvh:
	cli
	lgdtl	gdt_desc
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$CODE_SEL, $pm32

	.code32
pm32:
	movl	$DATA_SEL, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movl	params + P_START_INFO, %ebx
	movl	params + P_ENTRY, %eax
	jmp	*%eax

	.balign	8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: code, base 0, 4 GiB, 32-bit */
	.quad	0x00cf92000000ffff	/* 0x10: data, base 0, 4 GiB */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

msg_hello:
	.asciz	"pvhboot: loading L1\r\n"
msg_jump:
	.asciz	"pvhboot: entering the kernel\r\n"
msg_params:
	.asciz	"pvhboot: no parameter block (not made by mkpvhdisk?)\r\n"
msg_e820:
	.asciz	"pvhboot: the BIOS gave no E820 memory map\r\n"

	.org	LOADER_SECTORS * 512
