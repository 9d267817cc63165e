/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nested guests of the nsvm test (nsvm.c): each a few instructions
 * run by the test's VMRUN at CPL 0 in its address space, with a label
 * where the exit the test expects is taken.  None returns: the test
 * moves the nested guest's RIP itself.
 */
	.text
	.globl l3_vmmcall, l3_vmmcall_at, l3_cpuid, l3_io, l3_io_at
	.globl l3_io_next, l3_msr, l3_msr_at, l3_ud, l3_hlt, l3_marker

/* RAX for the test to find in the VMCB, then VMMCALL. */
l3_vmmcall:
	mov	$0xabc, %eax
l3_vmmcall_at:
	vmmcall
	jmp	.

/* CPUID leaf 0, not intercepted: its EAX into l3_out. */
l3_cpuid:
	xor	%eax, %eax
	xor	%ecx, %ecx
	cpuid
	mov	%eax, l3_out(%rip)
	vmmcall
	jmp	.

/* Port 0x81 is not in the test's IOPM, port 0x80 is. */
l3_io:
	mov	$0x5a, %al
	out	%al, $0x81
l3_io_at:
	out	%al, $0x80
l3_io_next:
	vmmcall
	jmp	.

/* WRMSR of FS_BASE is not in the test's MSRPM, RDMSR is. */
l3_msr:
	mov	$0xc0000100, %ecx
	mov	$0x5555000, %eax
	xor	%edx, %edx
	wrmsr
l3_msr_at:
	rdmsr
	vmmcall
	jmp	.

l3_ud:
	ud2
	jmp	.

l3_hlt:
	hlt
	jmp	.

/* Sets l3_out: the test sees whether the nested guest ran at all. */
l3_marker:
	movl	$1, l3_out(%rip)
	vmmcall
	jmp	.

/*
 * For VMCBs of garbage: no memory access of its own in any mode the
 * garbage may pick (VMMCALL is 0f 01 d9 in all of them), and any event
 * it takes meets an IDT of limit 0, so ends in a triple fault.
 */
	.globl l3_inert
l3_inert:
	vmmcall
	ud2
