/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMRUN and #VMEXIT.  Guest general-purpose registers live in an array
 * indexed by their encoding (enum kxen_reg); RAX, RSP and RIP are in the
 * VMCB.  VMRUN switches only part of the state (AMD APM Vol. 2 15.5.1):
 * FS, GS, TR and LDTR with their hidden parts, KernelGSBase, the SYSCALL
 * and SYSENTER MSRs are moved by VMSAVE/VMLOAD (15.5.2), here, with GIF
 * clear, so no interrupt or NMI ever sees the guest's GS base.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/alternative.h>
#include <asm/nospec-branch.h>

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

/* Stack slots once the arguments are pushed. */
#define S_HOST	0
#define S_VMCB	8
#define S_REGS	16

.section .text, "ax"

/*
 * int __kxen_svm_vcpu_run(unsigned long *regs, u64 vmcb_pa, u64 host_pa)
 * Called with IRQs off and GIF clear.  Returns 0 after a #VMEXIT, 2 if
 * the first VMSAVE or VMLOAD faulted (#UD with EFER.SVME clear, APM
 * Vol. 3 "VMSAVE"): the exception table sends those to .Lfault, with the
 * host's own state still in place.  VMRUN itself has no fixup: by then
 * the guest's hidden state is loaded, and an exception handler would run
 * on the guest's GS base; with SVME set it faults only on a bad
 * VM_HSAVE_PA, which run.c checks before each entry.
 */
SYM_FUNC_START(__kxen_svm_vcpu_run)
	push %rbp
	mov  %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	push %rdi
	push %rsi
	push %rdx

	/* The host's hidden state out, the guest's in. */
	mov %rdx, %rax
.Lvmsave_host:
	vmsave %rax
	mov %rsi, %rax
.Lvmload_guest:
	vmload %rax

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
	mov S_VMCB(%rsp), %rax

	/*
	 * TSA: clear the CPU buffers of host data right before VMRUN where
	 * the kernel asks for it (alternative on X86_FEATURE_CLEAR_CPU_BUF_VM,
	 * Documentation/admin-guide/hw-vuln/ and KVM's VMRUN path).
	 */
	VM_CLEAR_CPU_BUFFERS

	/*
	 * With GIF clear no interrupt reaches the host here; IF set lets
	 * physical interrupts that arrive in the guest exit (15.21.1).
	 */
	sti
	vmrun %rax
	/* Where #VMEXIT resumes the host: run.c tells it from a guest RIP. */
SYM_INNER_LABEL(kxen_svm_vmrun_ret, SYM_L_GLOBAL)
	cli

	/* RSP and RAX are the host's again; the rest are the guest's. */
	mov S_REGS(%rsp), %rax
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

	mov S_VMCB(%rsp), %rax
	vmsave %rax
	mov S_HOST(%rsp), %rax
	vmload %rax

	/*
	 * Before the first RET: the guest must not steer the host's returns
	 * (SpectreRSB).  The kernel's fill on X86_FEATURE_RSB_VMEXIT, the bit
	 * its spectre_v2= choice sets for this: X86_FEATURE_RETPOLINE said
	 * nothing of IBRS mode, and filled where retbleed=ibpb had dropped
	 * the fill for the IBPB below.
	 */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	/*
	 * Retbleed and SRSO on AMD: untrain the return predictor, or IBPB
	 * on every exit where retbleed=ibpb or spec_rstack_overflow=ibpb-vmexit
	 * chose that (the kernel's macros; entry_ibpb clobbers RAX, RCX, RDX,
	 * which hold guest values already saved).
	 */
	UNTRAIN_RET
	ALTERNATIVE "", "call entry_ibpb", X86_FEATURE_IBPB_ON_VMEXIT

	/* Leave no guest value in a register the host may speculate on. */
	xor %eax, %eax
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d

.Lout:
	add $24, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET

.Lfault:
	mov $2, %eax
	jmp .Lout

	_ASM_EXTABLE(.Lvmsave_host, .Lfault)
	_ASM_EXTABLE(.Lvmload_guest, .Lfault)
SYM_FUNC_END(__kxen_svm_vcpu_run)
