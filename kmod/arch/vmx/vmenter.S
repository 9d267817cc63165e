/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VM entry and exit.  Guest general-purpose registers live in an array
 * indexed by their encoding (enum kxen_reg); RSP and RIP are in the VMCS.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/unwind_hints.h>
#include <asm/alternative.h>
#include <asm/nospec-branch.h>

#define HOST_RSP_FIELD	0x00006c14	/* SDM Vol. 3 Appendix B.4.4 */

#define R_RAX	0*8
#define R_RCX	1*8
#define R_RDX	2*8
#define R_RBX	3*8
#define R_RBP	5*8
#define R_RSI	6*8
#define R_RDI	7*8
#define R_R8	8*8
#define R_R9	9*8
#define R_R10	10*8
#define R_R11	11*8
#define R_R12	12*8
#define R_R13	13*8
#define R_R14	14*8
#define R_R15	15*8

.section .text, "ax"

/*
 * int __kxen_vmx_vcpu_run(unsigned long *regs, bool launched)
 * Returns 0 after a VM exit, 1 if VMLAUNCH/VMRESUME failed (VMfail), 2 if
 * a VMX instruction faulted (#UD outside VMX operation: the exception
 * table sends it to .Lvmfault).  Called with IRQs off and the vCPU's VMCS
 * current.
 */
SYM_FUNC_START(__kxen_vmx_vcpu_run)
	push %rbp
	mov  %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	/* The regs pointer, found again at 0(%rsp) after the exit. */
	push %rdi
	/* Remember whether to VMRESUME. */
	push %rsi

	mov $HOST_RSP_FIELD, %rax
.Lvmwrite_rsp:
	vmwrite %rsp, %rax
	jbe .Lfail_early

	/*
	 * The launched flag into CF now: VERW below clobbers ZF only, and
	 * nothing after it may touch host memory.
	 */
	bt $0, %esi

	mov %rdi, %rax
	mov R_RCX(%rax), %rcx
	mov R_RDX(%rax), %rdx
	mov R_RBX(%rax), %rbx
	mov R_RBP(%rax), %rbp
	mov R_RSI(%rax), %rsi
	mov R_RDI(%rax), %rdi
	mov R_R8(%rax),  %r8
	mov R_R9(%rax),  %r9
	mov R_R10(%rax), %r10
	mov R_R11(%rax), %r11
	mov R_R12(%rax), %r12
	mov R_R13(%rax), %r13
	mov R_R14(%rax), %r14
	mov R_R15(%rax), %r15
	mov R_RAX(%rax), %rax

	/*
	 * MDS, TAA, MMIO Stale Data, RFDS: clear the CPU buffers of host
	 * data as the last thing before the entry, with the kernel's own
	 * sequence and where its mitigation asks for it (alternative on
	 * X86_FEATURE_CLEAR_CPU_BUF; Documentation/admin-guide/hw-vuln/mds.rst
	 * "Virtualization mitigation").
	 */
	CLEAR_CPU_BUFFERS

	UNWIND_HINT_SAVE
	jc .Lresume
.Lvmlaunch:
	vmlaunch
	jmp .Lvmfail
.Lresume:
.Lvmresume:
	vmresume
	jmp .Lvmfail

SYM_INNER_LABEL(kxen_vmx_vmexit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	/* Here RSP = HOST_RSP: 0(%rsp) launched flag, 8(%rsp) regs. */
	push %rax
	mov 16(%rsp), %rax
	pop R_RAX(%rax)
	mov %rcx, R_RCX(%rax)
	mov %rdx, R_RDX(%rax)
	mov %rbx, R_RBX(%rax)
	mov %rbp, R_RBP(%rax)
	mov %rsi, R_RSI(%rax)
	mov %rdi, R_RDI(%rax)
	mov %r8,  R_R8(%rax)
	mov %r9,  R_R9(%rax)
	mov %r10, R_R10(%rax)
	mov %r11, R_R11(%rax)
	mov %r12, R_R12(%rax)
	mov %r13, R_R13(%rax)
	mov %r14, R_R14(%rax)
	mov %r15, R_R15(%rax)

	/*
	 * Before the first RET: the guest must not steer the host's returns
	 * through the RSB it left (SpectreRSB, Spectre v2 with retpoline or
	 * IBRS), nor through PBRSB with eIBRS; the kernel's fill, keyed on
	 * the bits its spectre_v2= choice set (X86_FEATURE_RSB_VMEXIT, one
	 * CALL for X86_FEATURE_RSB_VMEXIT_LITE).  Where retbleed=ibpb made
	 * it drop those, the IBPB it counts on instead.
	 */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE
	ALTERNATIVE "", "call entry_ibpb", X86_FEATURE_IBPB_ON_VMEXIT

	xor %eax, %eax
	/* Leave no guest value in a register the host may speculate on. */
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d

.Lout:
	add $16, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET

.Lvmfail:
	/* Callee-saved registers hold guest values: the pops restore them. */
	mov $1, %eax
	jmp .Lout

.Lfail_early:
	mov $1, %eax
	jmp .Lout

.Lvmfault:
	/* As .Lvmfail: RSP is still the host's, the pops restore the rest. */
	mov $2, %eax
	jmp .Lout

	_ASM_EXTABLE(.Lvmwrite_rsp, .Lvmfault)
	_ASM_EXTABLE(.Lvmlaunch, .Lvmfault)
	_ASM_EXTABLE(.Lvmresume, .Lvmfault)
SYM_FUNC_END(__kxen_vmx_vcpu_run)
