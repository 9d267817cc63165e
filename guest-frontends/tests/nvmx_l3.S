/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nested guest of the nvmx test (nvmx.c), run by its VMLAUNCH at
 * CPL 0 in its address space.  Each label is where an exit the test
 * expects is taken, the test moving RIP past it and resuming:
 * mov $imm32, %eax is 5 bytes, vmcall 3, cpuid 2, hlt 1, outb 2, ud2 2.
 * l3_spin counts down, then makes a VMCALL: an interrupt exit comes
 * before it, when the test has one pending.
 */
	.text
	.globl l3_code, l3_vmcall, l3_cpuid, l3_hlt, l3_out, l3_ud2, l3_spin

l3_code:
	mov	$0x4b58454e, %eax
l3_vmcall:
	vmcall
l3_cpuid:
	cpuid
l3_hlt:
	hlt
l3_out:
	outb	%al, $0x80
l3_ud2:
	ud2
l3_spin:
	mov	$0x4000000, %ecx
1:	dec	%ecx
	jnz	1b
	vmcall
	jmp	.
