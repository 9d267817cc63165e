// SPDX-License-Identifier: GPL-2.0
/*
 * nsvm: the guest's own AMD-V, with nestedhvm = 1 (AMD APM Vol. 2
 * chapter 15).  The guest runs small guests of its own ("L3" below) in
 * its address space, at CPL 0, with VMRUN, and checks what comes back.
 *
 * nested=0 on the command line (no nestedhvm): CPUID shows no SVM,
 * EFER.SVME cannot be set (#GP) and VMRUN raises #UD.
 *
 * nested=1:
 * - CPUID 0x80000001 ECX[2] (SVM); leaf 0x8000000a: revision 1, some
 *   ASIDs, no nested paging.  VMRUN raises #UD until EFER.SVME is set;
 *   VM_HSAVE_PA takes a page address and refuses an unaligned one.
 * - Exits the guest intercepts come back with their code, RIP and
 *   information: VMMCALL (with the nested guest's RAX in the VMCB and the
 *   guest's own RAX back), an OUT to a port set in the IOPM (a port not
 *   set does not exit), RDMSR of an MSR set in the MSRPM (its WRMSR, not
 *   set, does not exit, and lands in the nested guest's hidden state that
 *   VMSAVE then shows), #UD, HLT.  CPUID not intercepted runs with the
 *   guest's values.  VMMCALL not intercepted raises #UD in the nested
 *   guest, never a hypercall.  A VMCB without the VMRUN intercept or with
 *   ASID 0 gives VMEXIT_INVALID and the nested guest never runs.
 * - VMSAVE and VMLOAD move KERNEL_GS_BASE both ways; VMSAVE stores
 *   nothing but its own fields (not RIP, not the GDTR).
 * - garbage=N (default 2000) VMRUNs of VMCBs with random intercepts,
 *   controls, event injection and flipped bits in EFER, CR0, CR4, DR6,
 *   DR7, RFLAGS, CPL and CS (none that moves the nested guest's code
 *   outside RAM): each ends in VMEXIT_INVALID or an exit of an
 *   intercept's code, and the guest goes on.
 * - GIF: after #VMEXIT an event channel upcall waits, with IF set, until
 *   STGI; with the INTR intercept, a pending upcall makes VMRUN exit
 *   (code 0x60) before the nested guest runs an instruction.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <kg/time.h>
#include <kg/traps.h>

#include "nsvm.h"

KG_TEST_TITLE("nsvm");

#define MSR_VM_HSAVE_PA		0xc0010117
#define MSR_FS_BASE		0xc0000100
#define MSR_KERNEL_GS_BASE	0xc0000102
#define EFER_SVME		BIT_ULL(12)
#define UPCALL_VECTOR		0xf3
#define WAIT_NS			(50 * KG_NSEC_PER_MSEC)

/* VMCB offsets (APM Vol. 2 Appendix B, Tables B-1 and B-2). */
#define C_ICPT(w)	(4 * (w))	/* intercept words 0-5 */
#define C_IOPM		0x040
#define C_MSRPM		0x048
#define C_ASID		0x058
#define C_INT_CTL	0x060
#define C_EXIT_CODE	0x070
#define C_EXIT_HI	0x074
#define C_INFO1		0x078
#define C_INFO2		0x080
#define C_NRIP		0x0c8
#define S_ES		0x400
#define S_CS		0x410
#define S_SS		0x420
#define S_DS		0x430
#define S_FS		0x440
#define S_GDTR		0x460
#define S_IDTR		0x480
#define S_CPL		0x4cb
#define S_EFER		0x4d0
#define S_CR4		0x548
#define S_CR3		0x550
#define S_CR0		0x558
#define S_DR7		0x560
#define S_DR6		0x568
#define S_RFLAGS	0x570
#define S_RIP		0x578
#define S_RSP		0x5d8
#define S_RAX		0x5f8
#define S_KGS		0x620
#define S_PAT		0x668

/* Exit codes and intercept bits (APM Appendix C; bit n is exit code n). */
#define X_UD		0x046
#define X_INTR		0x060
#define X_HLT		0x078
#define X_IOIO		0x07b
#define X_MSR		0x07c
#define X_VMRUN		0x080
#define X_VMMCALL	0x081
#define X_SHUTDOWN	0x07f
#define X_INVALID	0xffffffffu
#define I_IOIO_PROT	0x07b
#define I_MSR_PROT	0x07c
#define V_INTR_MASKING	BIT(24)

static u8 vmcb[4096] __aligned(4096);
static u8 vmcb2[4096] __aligned(4096);
static u8 hsave[4096] __aligned(4096);
static u8 iopm[3 * 4096] __aligned(4096);
static u8 msrpm[2 * 4096] __aligned(4096);
static u8 l3_stack[4096] __aligned(16);
u32 l3_out;

/* VMCB fields; every VMRUN, VMSAVE and VMLOAD clobbers memory. */
#define F8(b, o)	(*(u8 *)((b) + (o)))
#define F16(b, o)	(*(u16 *)((b) + (o)))
#define F32(b, o)	(*(u32 *)((b) + (o)))
#define F64(b, o)	(*(u64 *)((b) + (o)))

static u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return lo | (u64)hi << 32;
}

static void stgi(void)
{
	asm volatile("stgi" ::: "memory");
}

static void clgi(void)
{
	asm volatile("clgi" ::: "memory");
}

/* Run the nested guest of the VMCB at @pa; it may change any register. */
static u64 run_l3(u64 pa)
{
	u64 rax = pa;

	asm volatile("push %%rbp\n\t push %%rbx\n\t push %%r12\n\t"
		     "push %%r13\n\t push %%r14\n\t push %%r15\n\t"
		     "vmrun\n\t"
		     "pop %%r15\n\t pop %%r14\n\t pop %%r13\n\t"
		     "pop %%r12\n\t pop %%rbx\n\t pop %%rbp"
		     : "+a"(rax)
		     : : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
		       "memory", "cc");
	return rax;
}

static void seg(u8 *b, unsigned int off, u16 sel, u16 attr)
{
	F16(b, off) = sel;
	F16(b, off + 2) = attr;
	F32(b, off + 4) = 0xffffffff;
	F64(b, off + 8) = 0;
}

/* A VMCB for a nested guest at @rip in this address space, 64-bit. */
static void vmcb_init(u8 *b, const u8 *rip)
{
	struct { u16 limit; u64 base; } __attribute__((packed)) gdt, idt;

	memset(b, 0, 4096);
	asm volatile("vmsave" : : "a"((u64)(unsigned long)b) : "memory");
	asm volatile("sgdt %0; sidt %1" : "=m"(gdt), "=m"(idt));
	F32(b, C_ICPT(4)) = 1u << (X_VMRUN - 128) | 1u << (X_VMMCALL - 128);
	F32(b, C_ASID) = 1;
	seg(b, S_CS, KG_CS, 0xa9b);	/* 64-bit code, present */
	seg(b, S_SS, KG_DS, 0xc93);
	seg(b, S_DS, KG_DS, 0xc93);
	seg(b, S_ES, KG_DS, 0xc93);
	F32(b, S_GDTR + 4) = gdt.limit;
	F64(b, S_GDTR + 8) = gdt.base;
	F32(b, S_IDTR + 4) = idt.limit;
	F64(b, S_IDTR + 8) = idt.base;
	F8(b, S_CPL) = 0;
	F64(b, S_EFER) = rdmsr(MSR_EFER);
	F64(b, S_CR0) = kg_read_cr0();
	F64(b, S_CR3) = kg_read_cr3();
	F64(b, S_CR4) = kg_read_cr4();
	F64(b, S_DR6) = 0xffff0ff0;
	F64(b, S_DR7) = 0x400;
	F64(b, S_RFLAGS) = 2;
	F64(b, S_RIP) = (unsigned long)rip;
	F64(b, S_RSP) = (unsigned long)(l3_stack + sizeof(l3_stack));
	F64(b, S_PAT) = 0x0007040600070406ULL;
}

static bool exited(const char *what, u32 code, const u8 *at)
{
	u32 got = F32(vmcb, C_EXIT_CODE);
	u64 rip = F64(vmcb, S_RIP);

	if (!at)
		return kg_check(got == code, "%s: exit %#x (want %#x)", what,
				got, code);
	return kg_check(got == code && rip == (unsigned long)at,
			"%s: exit %#x at %#lx (want %#x at %#lx)", what, got,
			(unsigned long)rip, code, (unsigned long)at);
}

static void check_cpuid(bool nested)
{
	struct kg_cpuid c = kg_cpuid(0x80000001, 0);
	bool svm = c.ecx & (1u << 2);

	kg_check(svm == nested, "CPUID 0x80000001 ECX %#x: SVM %s", c.ecx,
		 svm ? "shown" : "not shown");
	if (!nested)
		return;
	c = kg_cpuid(0x8000000a, 0);
	kg_check(c.eax == 1 && c.ebx && !(c.edx & 1),
		 "CPUID 0x8000000a: revision %u, %u ASIDs, EDX %#x (no NP)",
		 c.eax, c.ebx, c.edx);
}

/* VMRUN with EFER.SVME clear: #UD; setting SVME without SVM: #GP. */
static void check_disabled(bool nested)
{
	struct kg_exception e;
	u64 efer = rdmsr(MSR_EFER);

	kg_expect_exception(6, 3);
	run_l3((unsigned long)vmcb);
	e = kg_expected_taken();
	kg_check(e.count == 1, "VMRUN with EFER.SVME clear: %u #UD", e.count);
	if (nested)
		return;
	kg_expect_exception(13, 2);
	kg_wrmsr(MSR_EFER, efer | EFER_SVME);
	e = kg_expected_taken();
	kg_check(e.count == 1 && !(rdmsr(MSR_EFER) & EFER_SVME),
		 "EFER.SVME without SVM: %u #GP", e.count);
}

static void enable_svm(void)
{
	struct kg_exception e;

	kg_wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	kg_check(rdmsr(MSR_EFER) & EFER_SVME, "EFER.SVME set");
	kg_wrmsr(MSR_VM_HSAVE_PA, (unsigned long)hsave);
	kg_check(rdmsr(MSR_VM_HSAVE_PA) == (unsigned long)hsave,
		 "VM_HSAVE_PA %#lx", rdmsr(MSR_VM_HSAVE_PA));
	kg_expect_exception(13, 2);
	kg_wrmsr(MSR_VM_HSAVE_PA, (unsigned long)hsave + 8);
	e = kg_expected_taken();
	kg_check(e.count == 1, "an unaligned VM_HSAVE_PA: %u #GP", e.count);
}

static void check_vmmcall(void)
{
	u64 rax;

	vmcb_init(vmcb, l3_vmmcall);
	rax = run_l3((unsigned long)vmcb);
	stgi();
	exited("VMMCALL", X_VMMCALL, l3_vmmcall_at);
	kg_check(F64(vmcb, S_RAX) == 0xabc && rax == (unsigned long)vmcb,
		 "its RAX %#lx in the VMCB, ours %#lx back",
		 F64(vmcb, S_RAX), rax);
	kg_check(!F64(vmcb, C_NRIP) ||
		 F64(vmcb, C_NRIP) == (unsigned long)l3_vmmcall_at + 3,
		 "next RIP %#lx", F64(vmcb, C_NRIP));
}

static void check_cpuid_passthrough(void)
{
	struct kg_cpuid c = kg_cpuid(0, 0);

	l3_out = 0;
	vmcb_init(vmcb, l3_cpuid);
	run_l3((unsigned long)vmcb);
	stgi();
	exited("CPUID not intercepted, then VMMCALL", X_VMMCALL, NULL);
	kg_check(l3_out == c.eax, "its CPUID(0).EAX %#x (ours %#x)", l3_out,
		 c.eax);
}

static void check_io(void)
{
	memset(iopm, 0, sizeof(iopm));
	iopm[0x80 / 8] = 1u << (0x80 % 8);
	vmcb_init(vmcb, l3_io);
	F32(vmcb, C_ICPT(3)) |= 1u << (I_IOIO_PROT - 96);
	F64(vmcb, C_IOPM) = (unsigned long)iopm;
	run_l3((unsigned long)vmcb);
	stgi();
	if (exited("OUT to port 0x80 (in the IOPM; 0x81 is not)", X_IOIO,
		   l3_io_at))
		kg_check(F64(vmcb, C_INFO1) >> 16 == 0x80 &&
			 !(F64(vmcb, C_INFO1) & 1) &&
			 F64(vmcb, C_INFO2) == (unsigned long)l3_io_next,
			 "EXITINFO1 %#lx, EXITINFO2 %#lx",
			 F64(vmcb, C_INFO1), F64(vmcb, C_INFO2));
	/* On from the next instruction. */
	F64(vmcb, S_RIP) = F64(vmcb, C_INFO2);
	run_l3((unsigned long)vmcb);
	stgi();
	exited("resumed past the OUT", X_VMMCALL, l3_io_next);
}

static void check_msr(void)
{
	u32 bit = 0x800 * 8 + 0x100 * 2;	/* FS_BASE, read */

	memset(msrpm, 0, sizeof(msrpm));
	msrpm[bit / 8] |= 1u << (bit % 8);
	vmcb_init(vmcb, l3_msr);
	F32(vmcb, C_ICPT(3)) |= 1u << (I_MSR_PROT - 96);
	F64(vmcb, C_MSRPM) = (unsigned long)msrpm;
	run_l3((unsigned long)vmcb);
	stgi();
	if (exited("RDMSR FS_BASE (read set in the MSRPM, write not)", X_MSR,
		   l3_msr_at))
		kg_check(F64(vmcb, C_INFO1) == 0, "EXITINFO1 %lu (a read)",
			 F64(vmcb, C_INFO1));
	/* Its WRMSR went to its FS base, which #VMEXIT leaves loaded. */
	asm volatile("vmsave" : : "a"((u64)(unsigned long)vmcb2) : "memory");
	kg_check(F64(vmcb2, S_FS + 8) == 0x5555000,
		 "VMSAVE after it: FS base %#lx (want 0x5555000)",
		 F64(vmcb2, S_FS + 8));
	kg_wrmsr(MSR_FS_BASE, 0);
}

static void check_exceptions(void)
{
	vmcb_init(vmcb, l3_ud);
	F32(vmcb, C_ICPT(2)) = 1u << 6;
	run_l3((unsigned long)vmcb);
	stgi();
	exited("UD2 with #UD intercepted", X_UD, l3_ud);

	/* VMMCALL not intercepted: #UD in the nested guest. */
	vmcb_init(vmcb, l3_vmmcall);
	F32(vmcb, C_ICPT(4)) &= ~(1u << (X_VMMCALL - 128));
	F32(vmcb, C_ICPT(2)) = 1u << 6;
	run_l3((unsigned long)vmcb);
	stgi();
	exited("VMMCALL not intercepted raises #UD", X_UD, l3_vmmcall_at);

	vmcb_init(vmcb, l3_hlt);
	F32(vmcb, C_ICPT(3)) |= 1u << (X_HLT - 96);
	run_l3((unsigned long)vmcb);
	stgi();
	exited("HLT", X_HLT, l3_hlt);
}

static void check_invalid(void)
{
	l3_out = 0;
	vmcb_init(vmcb, l3_marker);
	F32(vmcb, C_ICPT(4)) &= ~(1u << (X_VMRUN - 128));
	run_l3((unsigned long)vmcb);
	stgi();
	kg_check(F32(vmcb, C_EXIT_CODE) == X_INVALID &&
		 F32(vmcb, C_EXIT_HI) == X_INVALID && !l3_out,
		 "no VMRUN intercept: exit %#x:%#x, ran %u (want VMEXIT_INVALID, 0)",
		 F32(vmcb, C_EXIT_HI), F32(vmcb, C_EXIT_CODE), l3_out);
	vmcb_init(vmcb, l3_marker);
	F32(vmcb, C_ASID) = 0;
	run_l3((unsigned long)vmcb);
	stgi();
	kg_check(F32(vmcb, C_EXIT_CODE) == X_INVALID && !l3_out,
		 "ASID 0: exit %#x, ran %u (want VMEXIT_INVALID, 0)",
		 F32(vmcb, C_EXIT_CODE), l3_out);
}

static u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	return kg_xorshift64(&rnd_state);
}

/* Flip one of @bits' set bits in the 64-bit field at @off, one time in 4. */
static void flip_one(unsigned int off, u64 bits)
{
	u64 pick;

	if (rnd() & 3)
		return;
	do
		pick = BIT_ULL(rnd() & 63);
	while (!(pick & bits));
	F64(vmcb, off) ^= pick;
}

/*
 * One VMCB of garbage for l3_inert: the paging and code stay this
 * guest's, so a nested guest that runs can only reach VMMCALL, #UD or a
 * triple fault (its IDT has limit 0; SHUTDOWN is always intercepted).
 */
static void vmcb_garbage(void)
{
	int w;

	vmcb_init(vmcb, l3_inert);
	F32(vmcb, S_IDTR + 4) = 0;
	for (w = 0; w < 6; w++)
		F32(vmcb, C_ICPT(w)) = rnd() & rnd();
	F32(vmcb, C_ICPT(3)) |= 1u << (X_SHUTDOWN - 96);
	if (rnd() & 7)
		F32(vmcb, C_ICPT(4)) |= 1u << (X_VMRUN - 128);
	F32(vmcb, C_ASID) = rnd() & 3;
	F64(vmcb, C_INT_CTL) = rnd() & rnd();	/* int_ctl, int_vector */
	F32(vmcb, C_INT_CTL + 8) = rnd() & 1;	/* interrupt shadow */
	F64(vmcb, 0x0a8) = rnd() & 3 ? 0 : rnd();	/* EVENTINJ and its error */
	F64(vmcb, 0x050) = rnd();		/* TSC offset */
	F64(vmcb, 0x090) = rnd() & 7 ? 0 : rnd() & 0xf;	/* nested control */
	F64(vmcb, C_IOPM) = (rnd() & 0x1ffff) << 12;
	F64(vmcb, C_MSRPM) = (rnd() & 0x1ffff) << 12;
	/*
	 * Never a bit that changes the paging mode but PAE, which long mode
	 * requires: a nested guest translating through this guest's tables
	 * in another mode fetches from outside its RAM, which crashes the
	 * domain as it would the guest itself.  CR0: CD, NW, WP or a
	 * reserved high bit.
	 */
	flip_one(S_CR0, BIT_ULL(29) | BIT_ULL(30) | BIT_ULL(16) |
		 BIT_ULL(40));
	flip_one(S_CR4, BIT_ULL(4) | BIT_ULL(5) | BIT_ULL(7) | BIT_ULL(12) |
		 BIT_ULL(18) | BIT_ULL(20) | BIT_ULL(21) | BIT_ULL(25));
	/* EFER: SCE, NX, SVME or a reserved bit */
	flip_one(S_EFER, BIT_ULL(0) | BIT_ULL(11) | BIT_ULL(12) |
		 BIT_ULL(14) | BIT_ULL(33));
	flip_one(S_DR6, ~0ULL);
	flip_one(S_DR7, ~0ULL);
	/* TF, IF, NT, AC or a reserved bit; not VM (real-mode-like fetches) */
	flip_one(S_RFLAGS, BIT_ULL(8) | BIT_ULL(9) | BIT_ULL(14) |
		 BIT_ULL(18) | BIT_ULL(40));
	F8(vmcb, S_CPL) = rnd() & 7 ? 0 : rnd() & 3;
	/* CS: L, D, P or DPL */
	if (!(rnd() & 3))
		F16(vmcb, S_CS + 2) ^= BIT(9 + (rnd() & 1)) | (rnd() & 1 ? BIT(7) : 0);
	if (!(rnd() & 7))
		F16(vmcb, S_CS + 2) ^= 3 << 5;
}

static void check_garbage(unsigned long rounds)
{
	unsigned long i, invalid = 0, vmmcall = 0, other = 0, bad = 0;
	u32 code, first_bad = 0;

	for (i = 0; i < rounds; i++) {
		vmcb_garbage();
		run_l3((unsigned long)vmcb);
		stgi();
		code = F32(vmcb, C_EXIT_CODE);
		if (code == X_INVALID) {
			invalid++;
		} else if (code == X_VMMCALL) {
			vmmcall++;
		} else if (code < 0x400) {
			other++;
		} else {
			if (!bad++)
				first_bad = code;
		}
	}
	kg_check(!bad && invalid && vmmcall,
		 "%lu VMCBs of garbage: %lu VMEXIT_INVALID, %lu VMMCALL, %lu other intercepts, %lu unknown codes (first %#x)",
		 rounds, invalid, vmmcall, other, bad, first_bad);
}

static void check_vmload_vmsave(void)
{
	u64 old = rdmsr(MSR_KERNEL_GS_BASE);

	kg_wrmsr(MSR_KERNEL_GS_BASE, 0x123000);
	F64(vmcb2, S_RIP) = 0x5a5a5a5a;
	F64(vmcb2, S_GDTR + 8) = 0x6b6b6b6b;
	asm volatile("vmsave" : : "a"((u64)(unsigned long)vmcb2) : "memory");
	kg_check(F64(vmcb2, S_KGS) == 0x123000, "VMSAVE: KERNEL_GS_BASE %#lx",
		 F64(vmcb2, S_KGS));
	kg_check(F64(vmcb2, S_RIP) == 0x5a5a5a5a &&
		 F64(vmcb2, S_GDTR + 8) == 0x6b6b6b6b,
		 "VMSAVE leaves RIP %#lx and the GDTR base %#lx alone",
		 F64(vmcb2, S_RIP), F64(vmcb2, S_GDTR + 8));
	F64(vmcb2, S_KGS) = 0x456000;
	asm volatile("vmload" : : "a"((u64)(unsigned long)vmcb2) : "memory");
	kg_check(rdmsr(MSR_KERNEL_GS_BASE) == 0x456000,
		 "VMLOAD: KERNEL_GS_BASE %#lx", rdmsr(MSR_KERNEL_GS_BASE));
	kg_wrmsr(MSR_KERNEL_GS_BASE, old);
}

/* GIF clear after #VMEXIT: an upcall waits for STGI, IF set or not. */
static void check_gif(evtchn_port_t port)
{
	unsigned int seen;

	vmcb_init(vmcb, l3_vmmcall);
	run_l3((unsigned long)vmcb);
	kg_evtchn_log_reset();
	kg_evtchn_send(port);
	seen = kg_evtchn_wait_upcall(port, WAIT_NS);
	kg_check(seen == 0, "after #VMEXIT (GIF clear, IF set): %u upcall(s)",
		 seen);
	stgi();
	seen = kg_evtchn_wait_upcall(port, WAIT_NS);
	kg_check(seen == 1, "after STGI: %u upcall(s) (want 1)", seen);

	/* Pending at VMRUN with INTR intercepted: exits before it runs. */
	l3_out = 0;
	vmcb_init(vmcb, l3_marker);
	F32(vmcb, C_ICPT(3)) |= 1u << (X_INTR - 96);
	F32(vmcb, C_INT_CTL) = V_INTR_MASKING;
	clgi();
	kg_evtchn_log_reset();
	kg_evtchn_send(port);
	kg_sti();
	run_l3((unsigned long)vmcb);
	kg_check(F32(vmcb, C_EXIT_CODE) == X_INTR && !l3_out &&
		 !READ_ONCE(kg_evtchn_log.upcalls),
		 "upcall pending at VMRUN with INTR intercepted: exit %#x, ran %u, %u upcall(s) (want 0x60, 0, 0)",
		 F32(vmcb, C_EXIT_CODE), l3_out,
		 READ_ONCE(kg_evtchn_log.upcalls));
	stgi();
	seen = kg_evtchn_wait_upcall(port, WAIT_NS);
	kg_check(seen == 1, "then after STGI: %u upcall(s) (want 1)", seen);
	kg_cli();
}

void test_main(void)
{
	bool nested = kg_cmdline_ulong("nested", 1);
	evtchn_port_t port;

	kg_require_xen();
	check_cpuid(nested);
	check_disabled(nested);
	if (!nested) {
		kg_success(NULL);
		kg_exit();
	}
	if (!kg_evtchn_setup_self_ipi(UPCALL_VECTOR, &port))
		kg_exit();
	enable_svm();
	check_vmmcall();
	check_cpuid_passthrough();
	check_io();
	check_msr();
	check_exceptions();
	check_invalid();
	check_vmload_vmsave();
	check_garbage(kg_cmdline_ulong("garbage", 2000));
	check_gif(port);
	kg_success(NULL);
	kg_exit();
}
