// SPDX-License-Identifier: GPL-2.0
/*
 * nvmx: VMX operation of the guest's own, with nestedhvm = 1 on a VT-x
 * host (SDM Vol. 3 chapters 24, 25 and 31).
 *
 * nested=0 on the command line (no nestedhvm): CPUID shows no VMX,
 * IA32_FEATURE_CONTROL is locked with VMX off, IA32_VMX_BASIC raises
 * #GP, CR4.VMXE cannot be set (#GP) and VMXON raises #UD.
 *
 * nested=1:
 * - CPUID.1:ECX[5] (VMX); IA32_FEATURE_CONTROL locked with VMXON outside
 *   SMX allowed, read-only; IA32_VMX_BASIC: revision with bit 31 clear, a
 *   VMCS of 1..4096 bytes, no 32-bit address limit, read-only; the fixed
 *   CR0/CR4 MSRs ask for CR4.VMXE; IA32_VMX_PROCBASED_CTLS2 is absent
 *   (#GP) as IA32_VMX_PROCBASED_CTLS[63] says.
 * - The VMX instructions outside VMX operation raise #UD; VMXON with
 *   CR4.VMXE clear #UD, at CPL 3 #GP; an address past MAXPHYADDR, an
 *   unaligned one, a wrong revision or revision bit 31: VMfailInvalid.
 * - In VMX operation: VMXON again gives VMfailInvalid without a current
 *   VMCS and VMfailValid(15) with one; VMPTRLD's errors 9, 10, 11 leave
 *   the current VMCS as it was; VMPTRST stores it.
 * - VMREAD and VMWRITE: each width truncates as SDM 25.11.2 says, the
 *   HIGH access of a 64-bit field moves bits 63:32, register and memory
 *   operands (base, index, scale, displacement) both work, an unknown
 *   field gives VMfailValid(12), a read-only one for VMWRITE 13; two
 *   VMCSes keep their own values; VMCLEAR of the current one leaves none
 *   (VMREAD: VMfailInvalid).
 * - VMLAUNCH without a current VMCS: VMfailInvalid; VMRESUME of a clear
 *   VMCS: VMfailValid(5); VMLAUNCH of a clear one: VMfailValid(7), as
 *   kxen enters no nested guest on VT-x yet.
 * - CR4.VMXE cannot be cleared in VMX operation (#GP); VMXOFF leaves it,
 *   after which VMREAD raises #UD again and CR4.VMXE can be cleared.
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

#include "nvmx.h"

KG_TEST_TITLE("nvmx");

#define CPUID1_ECX_VMX		BIT(5)
#define CR4_VMXE		BIT(13)
#define CR0_NE			BIT(5)	/* VMX operation needs PE, NE, PG */
#define CR0_PG			BIT(31)
#define RF_CF			BIT(0)
#define RF_ZF			BIT(6)

#define MSR_FEATURE_CONTROL	0x03a
#define MSR_VMX_BASIC		0x480
#define MSR_VMX_PROCBASED	0x482
#define MSR_VMX_CR0_FIXED0	0x486
#define MSR_VMX_CR4_FIXED0	0x488
#define MSR_VMX_CR4_FIXED1	0x489
#define MSR_VMX_VMCS_ENUM	0x48a
#define MSR_VMX_PROCBASED2	0x48b

/* VMCS field encodings (SDM Vol. 3 Appendix B). */
#define F_GUEST_ES_SEL		0x0800
#define F_TSC_OFFSET		0x2010
#define F_TSC_OFFSET_HIGH	0x2011
#define F_EPT_POINTER		0x201a	/* EPT is not offered */
#define F_EXCEPTION_BITMAP	0x4004
#define F_VM_INSN_ERROR		0x4400
#define F_EXIT_REASON		0x4402
#define F_GUEST_RIP		0x681e

/* The nested guest's VMCS: controls, exit information, its state, ours. */
#define F_PIN			0x4000
#define F_PROC			0x4002
#define F_EXIT_CTLS		0x400c
#define F_ENTRY_CTLS		0x4012
#define F_ENTRY_INTR		0x4016
#define F_ENTRY_ERROR		0x4018
#define F_ENTRY_LEN		0x401a
#define F_CR3_TARGETS		0x400a
#define F_GUEST_INTERRUPTIBILITY 0x4824
#define F_GUEST_ACTIVITY	0x4826
#define F_EXIT_INTR_INFO	0x4404
#define F_EXIT_LEN		0x440c
#define F_EXIT_QUAL		0x6400
#define F_LINK			0x2800
#define F_GUEST_EFER		0x2806
#define F_GUEST_SEL(i)		(0x0800 + 2 * (i))	/* ES CS SS DS FS GS LDTR TR */
#define F_GUEST_LIMIT(i)	(0x4800 + 2 * (i))
#define F_GUEST_AR(i)		(0x4814 + 2 * (i))
#define F_GUEST_BASE(i)		(0x6806 + 2 * (i))
#define F_GUEST_GDTR_LIMIT	0x4810
#define F_GUEST_IDTR_LIMIT	0x4812
#define F_GUEST_GDTR_BASE	0x6816
#define F_GUEST_IDTR_BASE	0x6818
#define F_GUEST_CR0		0x6800
#define F_GUEST_CR3		0x6802
#define F_GUEST_CR4		0x6804
#define F_GUEST_DR7		0x681a
#define F_GUEST_RSP		0x681c
#define F_GUEST_RFLAGS		0x6820
#define F_HOST_SEL(i)		(0x0c00 + 2 * (i))	/* ES CS SS DS FS GS TR */
#define F_HOST_EFER		0x2c02
#define F_HOST_CR0		0x6c00
#define F_HOST_CR3		0x6c02
#define F_HOST_CR4		0x6c04
#define F_HOST_TR_BASE		0x6c0a
#define F_HOST_GDTR_BASE	0x6c0c
#define F_HOST_IDTR_BASE	0x6c0e

/* Controls: the default1 settings (IA32_VMX_*_CTLS) plus these. */
#define PIN_DEFAULT1		0x16
#define PIN_EXT_INTR		BIT(0)
#define PROC_DEFAULT1		0x0401e172
#define PROC_HLT		BIT(7)
#define PROC_UNCOND_IO		BIT(24)
#define PROC_SECONDARY		BIT(31)
#define EXIT_DEFAULT1		0x36dff
#define EXIT_HOST_64		BIT(9)
#define EXIT_SAVE_EFER		BIT(20)
#define EXIT_LOAD_EFER		BIT(21)
#define ENTRY_DEFAULT1		0x11ff
#define ENTRY_IA32E		BIT(9)
#define ENTRY_LOAD_EFER		BIT(15)

/* Basic exit reasons (SDM Vol. 3 Appendix C). */
#define X_EXCEPTION		0
#define X_EXT_INTR		1
#define X_CPUID			10
#define X_HLT			12
#define X_VMCALL		18
#define X_IO			30
#define X_ENTRY_FAIL_GUEST	(0x80000000u | 33)

#define MSR_EFER		0xc0000080
#define UPCALL_VECTOR		0xf3

enum { OK, FAIL_INVALID, FAIL_VALID };

static u8 vmxon_region[4096] __aligned(4096);
static u8 vmcs_a[4096] __aligned(4096);
static u8 vmcs_b[4096] __aligned(4096);
static u8 spare[4096] __aligned(4096);
static u8 user_stack[4096] __aligned(16);
static u8 l3_stack[4096] __aligned(16);
u64 l3_rax;		/* RAX as the nested guest left it (shared) */
static u64 mem_slots[8];
static u32 revision;

static int outcome(unsigned long rflags)
{
	if (rflags & RF_CF)
		return FAIL_INVALID;
	return rflags & RF_ZF ? FAIL_VALID : OK;
}

/*
 * The instructions, each with its pointer in RAX (or field in RAX and
 * value in RBX) so that its length is known for an expected fault:
 * vmxon (%rax) f3 0f c7 30, vmclear 66 0f c7 30, vmptrld 0f c7 30,
 * vmptrst 0f c7 38, vmread/vmwrite with registers 0f 78/79 c3.
 */
enum ptr_insn { VMXON, VMCLEAR, VMPTRLD, VMPTRST };

static int vmx_ptr_insn(enum ptr_insn insn, u64 *ptr)
{
	unsigned long rf;

	switch (insn) {
	case VMXON:
		asm volatile("vmxon (%%rax); pushfq; popq %0"
			     : "=r"(rf) : "a"(ptr) : "memory", "cc");
		break;
	case VMCLEAR:
		asm volatile("vmclear (%%rax); pushfq; popq %0"
			     : "=r"(rf) : "a"(ptr) : "memory", "cc");
		break;
	case VMPTRLD:
		asm volatile("vmptrld (%%rax); pushfq; popq %0"
			     : "=r"(rf) : "a"(ptr) : "memory", "cc");
		break;
	default:
		asm volatile("vmptrst (%%rax); pushfq; popq %0"
			     : "=r"(rf) : "a"(ptr) : "memory", "cc");
		break;
	}
	return outcome(rf);
}

#define vmxon(p)	vmx_ptr_insn(VMXON, p)
#define vmclear(p)	vmx_ptr_insn(VMCLEAR, p)
#define vmptrld(p)	vmx_ptr_insn(VMPTRLD, p)
#define vmptrst(p)	vmx_ptr_insn(VMPTRST, p)

static int vmx_read(u64 field, u64 *val)
{
	unsigned long rf;
	u64 v = 0;

	asm volatile("vmread %%rax, %%rbx; pushfq; popq %0"
		     : "=r"(rf), "+b"(v) : "a"(field) : "memory", "cc");
	*val = v;
	return outcome(rf);
}

static int vmx_write(u64 field, u64 val)
{
	unsigned long rf;

	asm volatile("vmwrite %%rbx, %%rax; pushfq; popq %0"
		     : "=r"(rf) : "a"(field), "b"(val) : "memory", "cc");
	return outcome(rf);
}

static int vm_entry(bool launch)
{
	unsigned long rf;

	if (launch)
		asm volatile("vmlaunch; pushfq; popq %0" : "=r"(rf) : :
			     "memory", "cc");
	else
		asm volatile("vmresume; pushfq; popq %0" : "=r"(rf) : :
			     "memory", "cc");
	return outcome(rf);
}

static u64 ptr(const void *p)
{
	return (unsigned long)p;
}

/* Exception @vector from @fn, resuming @len bytes on; how many. */
#define EXPECT(vector, len, stmt) ({					\
	kg_expect_exception(vector, len);				\
	stmt;								\
	kg_expected_taken().count;					\
})

static u64 insn_error(void)
{
	u64 err = ~0ULL;

	vmx_read(F_VM_INSN_ERROR, &err);
	return err;
}

static void region(u8 *r, u32 rev)
{
	memset(r, 0, 4096);
	*(u32 *)r = rev;
}

/* Could CR4 take @val?  Restores the old value either way. */
static bool cr4_takes(unsigned long val)
{
	unsigned long old = kg_read_cr4();
	unsigned int n = EXPECT(13, 3, kg_write_cr4(val));

	kg_write_cr4(old);
	return n == 0;
}

static void check_off(void)
{
	u64 p = ptr(vmxon_region);

	kg_check(!(kg_cpuid(1, 0).ecx & CPUID1_ECX_VMX), "CPUID: no VMX");
	kg_check(kg_rdmsr(MSR_FEATURE_CONTROL) == 1,
		 "IA32_FEATURE_CONTROL %#lx: locked, VMX off",
		 (unsigned long)kg_rdmsr(MSR_FEATURE_CONTROL));
	kg_check(EXPECT(13, 2, kg_rdmsr(MSR_VMX_BASIC)) == 1,
		 "IA32_VMX_BASIC: #GP");
	kg_check(!cr4_takes(kg_read_cr4() | CR4_VMXE), "CR4.VMXE: #GP");
	kg_check(EXPECT(6, 4, vmxon(&p)) == 1, "VMXON: #UD");
}

static void check_msrs(void)
{
	u64 fc = kg_rdmsr(MSR_FEATURE_CONTROL), basic = kg_rdmsr(MSR_VMX_BASIC);
	u32 size = (basic >> 32) & 0x1fff;

	kg_check(kg_cpuid(1, 0).ecx & CPUID1_ECX_VMX, "CPUID: VMX");
	kg_check((fc & 5) == 5, "IA32_FEATURE_CONTROL %#lx: locked, VMXON",
		 (unsigned long)fc);
	kg_check(EXPECT(13, 2, kg_wrmsr(MSR_FEATURE_CONTROL, fc)) == 1,
		 "IA32_FEATURE_CONTROL: read-only");
	revision = (u32)basic;
	kg_check(!(revision >> 31) && size && size <= 4096 &&
		 !(basic & (1ull << 48)),
		 "IA32_VMX_BASIC %#lx: revision %#x, VMCS %u bytes",
		 (unsigned long)basic, revision, size);
	kg_check(EXPECT(13, 2, kg_wrmsr(MSR_VMX_BASIC, basic)) == 1,
		 "IA32_VMX_BASIC: read-only");
	kg_check((kg_rdmsr(MSR_VMX_CR4_FIXED0) & CR4_VMXE) &&
		 (kg_rdmsr(MSR_VMX_CR4_FIXED1) & CR4_VMXE) &&
		 (kg_rdmsr(MSR_VMX_CR0_FIXED0) & 1),
		 "CR0/CR4 fixed MSRs: PE and VMXE set");
	kg_check(kg_rdmsr(MSR_VMX_VMCS_ENUM), "IA32_VMX_VMCS_ENUM %#lx",
		 (unsigned long)kg_rdmsr(MSR_VMX_VMCS_ENUM));
	kg_check(!(kg_rdmsr(MSR_VMX_PROCBASED) >> 63) &&
		 EXPECT(13, 2, kg_rdmsr(MSR_VMX_PROCBASED2)) == 1,
		 "no secondary controls: IA32_VMX_PROCBASED_CTLS2 #GP");
}

static long user_vmxon(void)
{
	static u64 p;

	p = ptr(vmxon_region);
	return vmxon(&p);
}

static void check_vmxon(void)
{
	unsigned int maxphys = kg_cpuid(0x80000008, 0).eax & 0xff;
	unsigned long cr4 = kg_read_cr4();
	u64 p = ptr(vmxon_region), v;

	region(vmxon_region, revision);
	kg_check(EXPECT(6, 4, vmxon(&p)) == 1, "VMXON, CR4.VMXE clear: #UD");
	kg_write_cr4(cr4 | CR4_VMXE);
	kg_check(kg_read_cr4() & CR4_VMXE, "CR4.VMXE set");
	kg_check(EXPECT(6, 3, vmptrld(&p)) == 1 &&
		 EXPECT(6, 3, vmx_read(F_GUEST_RIP, &v)) == 1,
		 "VMPTRLD, VMREAD outside VMX operation: #UD");
	kg_check(EXPECT(13, 4, kg_usermode_call(user_vmxon, user_stack +
						 sizeof(user_stack))) == 1,
		 "VMXON at CPL 3: #GP");
	p = 1ull << maxphys;
	kg_check(vmxon(&p) == FAIL_INVALID, "VMXON past MAXPHYADDR %u",
		 maxphys);
	p = ptr(vmxon_region) | 0x80;
	kg_check(vmxon(&p) == FAIL_INVALID, "VMXON unaligned");
	p = ptr(vmxon_region);
	region(vmxon_region, revision ^ 2);
	kg_check(vmxon(&p) == FAIL_INVALID, "VMXON wrong revision");
	region(vmxon_region, revision | 1u << 31);
	kg_check(vmxon(&p) == FAIL_INVALID, "VMXON revision bit 31");
	region(vmxon_region, revision);
	kg_check(vmxon(&p) == OK, "VMXON");
	kg_check(vmxon(&p) == FAIL_INVALID,
		 "VMXON in VMX operation, no current VMCS: VMfailInvalid");
	kg_check(EXPECT(13, 4, kg_usermode_call(user_vmxon, user_stack +
						 sizeof(user_stack))) == 1,
		 "VMXON at CPL 3 in VMX operation: #GP");
	kg_check(vmx_read(F_GUEST_RIP, &v) == FAIL_INVALID,
		 "VMREAD without a current VMCS: VMfailInvalid");
}

static void check_vmptrld(void)
{
	u64 a = ptr(vmcs_a), p, st = 0;
	bool ok;

	region(vmcs_a, revision);
	region(vmcs_b, revision);
	kg_check(vmptrld(&a) == OK, "VMPTRLD");
	ok = vmptrst(&st) == OK;
	kg_check(ok && st == a, "VMPTRST %#lx", (unsigned long)st);
	p = ptr(vmxon_region);
	kg_check(vmxon(&p) == FAIL_VALID && insn_error() == 15,
		 "VMXON with a current VMCS: VMfailValid(15)");
	p = a + 8;
	kg_check(vmptrld(&p) == FAIL_VALID && insn_error() == 9,
		 "VMPTRLD unaligned: VMfailValid(9)");
	p = ptr(vmxon_region);
	kg_check(vmptrld(&p) == FAIL_VALID && insn_error() == 10,
		 "VMPTRLD of the VMXON region: VMfailValid(10)");
	region(spare, revision + 1);
	p = ptr(spare);
	kg_check(vmptrld(&p) == FAIL_VALID && insn_error() == 11,
		 "VMPTRLD wrong revision: VMfailValid(11)");
	kg_check(vmptrst(&st) == OK && st == a,
		 "the failed VMPTRLDs left the current VMCS");
}

/* VMWRITE @val to @wf, then VMREAD @rf: @want. */
static void check_field(const char *what, u64 wf, u64 val, u64 rf, u64 want)
{
	u64 v = 0;
	bool ok = vmx_write(wf, val) == OK && vmx_read(rf, &v) == OK;

	kg_check(ok && v == want, "%s: %#lx", what, (unsigned long)v);
}

static void check_fields(void)
{
	u64 v = 0;

	check_field("16-bit field", F_GUEST_ES_SEL, 0x12345, F_GUEST_ES_SEL,
		    0x2345);
	check_field("32-bit field", F_EXCEPTION_BITMAP, 0x123456789ull,
		    F_EXCEPTION_BITMAP, 0x23456789);
	check_field("64-bit field, HIGH read", F_TSC_OFFSET,
		    0x1122334455667788ull, F_TSC_OFFSET_HIGH, 0x11223344);
	check_field("64-bit field, HIGH write", F_TSC_OFFSET_HIGH,
		    0xaabbccddeeull, F_TSC_OFFSET, 0xbbccddee55667788ull);
	check_field("natural-width field", F_GUEST_RIP, 0xffffffff81000000ull,
		    F_GUEST_RIP, 0xffffffff81000000ull);
	kg_check(vmx_read(F_EPT_POINTER, &v) == FAIL_VALID &&
		 insn_error() == 12 && vmx_read(1ull << 32 | F_GUEST_RIP, &v) ==
		 FAIL_VALID && insn_error() == 12,
		 "unsupported fields: VMfailValid(12)");
	kg_check(vmx_write(F_EXIT_REASON, 1) == FAIL_VALID &&
		 insn_error() == 13, "read-only field: VMfailValid(13)");
}

/* vmread %rax, 8(%rbx,%rcx,4) and vmwrite 8(%rbx,%rcx,4), %rax. */
static void check_memory_operands(void)
{
	unsigned long rf;
	u64 v = 0;
	bool ok;

	mem_slots[5] = 0x5a5a5a5a12345678ull;
	asm volatile("vmwrite 8(%%rbx,%%rcx,4), %%rax; pushfq; popq %0"
		     : "=r"(rf) : "a"((u64)F_GUEST_RIP), "b"(mem_slots),
		       "c"(8ul) : "memory", "cc");
	ok = outcome(rf) == OK && vmx_read(F_GUEST_RIP, &v) == OK;
	kg_check(ok && v == mem_slots[5], "VMWRITE from memory: %#lx",
		 (unsigned long)v);
	mem_slots[3] = 0;
	asm volatile("vmread %%rax, 8(%%rbx,%%rcx,4); pushfq; popq %0"
		     : "=r"(rf) : "a"((u64)F_TSC_OFFSET), "b"(mem_slots),
		       "c"(4ul) : "memory", "cc");
	kg_check(outcome(rf) == OK && mem_slots[3] == 0xbbccddee55667788ull,
		 "VMREAD to memory: %#lx", (unsigned long)mem_slots[3]);
}

static void check_two_vmcs(void)
{
	u64 a = ptr(vmcs_a), b = ptr(vmcs_b), va = 0, vb = 0, st = 0;
	bool ok;

	vmptrld(&b);
	vmx_write(F_GUEST_RIP, 0xbbbb);
	vmptrld(&a);
	vmx_read(F_GUEST_RIP, &va);
	vmptrld(&b);
	vmx_read(F_GUEST_RIP, &vb);
	kg_check(va == mem_slots[5] && vb == 0xbbbb,
		 "two VMCSes keep their own values: %#lx, %#lx",
		 (unsigned long)va, (unsigned long)vb);
	kg_check(vm_entry(false) == FAIL_VALID && insn_error() == 5,
		 "VMRESUME of a clear VMCS: VMfailValid(5)");
	kg_check(vm_entry(true) == FAIL_VALID && insn_error() == 7,
		 "VMLAUNCH of a VMCS of zeros: VMfailValid(7)");
	ok = vmclear(&b) == OK && vmptrst(&st) == OK;
	kg_check(ok && st == ~0ull,
		 "VMCLEAR of the current VMCS: none left (%#lx)",
		 (unsigned long)st);
	kg_check(vmx_read(F_GUEST_RIP, &va) == FAIL_INVALID &&
		 vm_entry(true) == FAIL_INVALID,
		 "VMREAD, VMLAUNCH without a current VMCS: VMfailInvalid");
}

static void check_vmxoff(void)
{
	unsigned long cr4 = kg_read_cr4();
	unsigned long rf;
	u64 v;

	kg_check(!cr4_takes(cr4 & ~CR4_VMXE),
		 "CR4.VMXE in VMX operation: clearing it #GP");
	asm volatile("vmxoff; pushfq; popq %0" : "=r"(rf) : : "cc");
	kg_check(outcome(rf) == OK, "VMXOFF");
	kg_check(EXPECT(6, 3, vmx_read(F_GUEST_RIP, &v)) == 1,
		 "VMREAD after VMXOFF: #UD");
	kg_check(cr4_takes(cr4 & ~CR4_VMXE), "CR4.VMXE cleared after VMXOFF");
}

/*
 * VMLAUNCH or VMRESUME of the current VMCS with this function's frame as
 * the host state's RSP and label 1 as its RIP: OK after a VM exit, the
 * VMfail outcome else.  The nested guest may change any register.
 */
static int vm_run(bool launch)
{
	unsigned long rf;

	asm volatile("push %%rbp\n\t push %%rbx\n\t push %%r12\n\t"
		     "push %%r13\n\t push %%r14\n\t push %%r15\n\t"
		     "mov $0x6c14, %%rdx\n\t vmwrite %%rsp, %%rdx\n\t"
		     "lea 1f(%%rip), %%rdx\n\t mov $0x6c16, %%rcx\n\t"
		     "vmwrite %%rdx, %%rcx\n\t"
		     "test %%al, %%al\n\t jz 2f\n\t"
		     "vmlaunch\n\t jmp 3f\n"
		     "2:\t vmresume\n"
		     "3:\t pushfq\n\t popq %%rax\n\t jmp 4f\n"
		     "1:\t mov %%rax, l3_rax(%%rip)\n\t xor %%eax, %%eax\n"
		     "4:\t pop %%r15\n\t pop %%r14\n\t pop %%r13\n\t"
		     "pop %%r12\n\t pop %%rbx\n\t pop %%rbp"
		     : "=a"(rf) : "a"((unsigned long)launch)
		     : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
		       "memory", "cc");
	return outcome(rf);
}

static u64 rd(u64 field)
{
	u64 v = ~0ULL;

	vmx_read(field, &v);
	return v;
}

/* The TSS's base, from its 16-byte descriptor in the GDT. */
static u64 tss_base(u64 gdt)
{
	const u8 *d = (const u8 *)(unsigned long)(gdt + KG_TSS);

	return d[2] | d[3] << 8 | d[4] << 16 | (u64)d[7] << 24 |
	       (u64)*(const u32 *)(d + 8) << 32;
}

/* A VMCS for a 64-bit nested guest at @rip in this address space. */
static void l3_setup(const u8 *rip)
{
	struct { u16 limit; u64 base; } __attribute__((packed)) gdt, idt;
	static const u16 sel[] = { KG_DS, KG_CS, KG_DS, KG_DS, KG_DS, KG_DS,
				   0, KG_TSS };
	unsigned int i;
	u64 tss;

	asm volatile("sgdt %0; sidt %1" : "=m"(gdt), "=m"(idt));
	tss = tss_base(gdt.base);
	vmx_write(F_PIN, PIN_DEFAULT1 | PIN_EXT_INTR);
	vmx_write(F_PROC, PROC_DEFAULT1 | PROC_HLT | PROC_UNCOND_IO);
	vmx_write(F_EXCEPTION_BITMAP, BIT(6));
	vmx_write(F_EXIT_CTLS, EXIT_DEFAULT1 | EXIT_HOST_64 | EXIT_SAVE_EFER |
		  EXIT_LOAD_EFER);
	vmx_write(F_ENTRY_CTLS, ENTRY_DEFAULT1 | ENTRY_IA32E | ENTRY_LOAD_EFER);
	vmx_write(F_LINK, ~0ULL);
	for (i = 0; i < 8; i++) {
		vmx_write(F_GUEST_SEL(i), sel[i]);
		vmx_write(F_GUEST_BASE(i), i == 7 ? tss : 0);
		vmx_write(F_GUEST_LIMIT(i), i == 7 ? 0x67 : 0xffffffff);
		vmx_write(F_GUEST_AR(i), i == 1 ? 0xa09b : i == 6 ? 0x10000 :
			  i == 7 ? 0x8b : 0xc093);
	}
	vmx_write(F_GUEST_GDTR_BASE, gdt.base);
	vmx_write(F_GUEST_GDTR_LIMIT, gdt.limit);
	vmx_write(F_GUEST_IDTR_BASE, idt.base);
	vmx_write(F_GUEST_IDTR_LIMIT, idt.limit);
	vmx_write(F_GUEST_CR0, kg_read_cr0() | CR0_NE);
	vmx_write(F_GUEST_CR3, kg_read_cr3());
	vmx_write(F_GUEST_CR4, kg_read_cr4());
	vmx_write(F_GUEST_DR7, 0x400);
	vmx_write(F_GUEST_EFER, kg_rdmsr(MSR_EFER));
	vmx_write(F_GUEST_RSP, (unsigned long)(l3_stack + sizeof(l3_stack)));
	vmx_write(F_GUEST_RIP, (unsigned long)rip);
	vmx_write(F_GUEST_RFLAGS, 2);
	for (i = 0; i < 7; i++)
		vmx_write(F_HOST_SEL(i), i == 1 ? KG_CS : i == 6 ? KG_TSS :
			  i >= 4 ? 0 : KG_DS);
	vmx_write(F_HOST_CR0, kg_read_cr0() | CR0_NE);
	vmx_write(F_HOST_CR3, kg_read_cr3());
	vmx_write(F_HOST_CR4, kg_read_cr4());
	vmx_write(F_HOST_EFER, kg_rdmsr(MSR_EFER));
	vmx_write(F_HOST_TR_BASE, tss);
	vmx_write(F_HOST_GDTR_BASE, gdt.base);
	vmx_write(F_HOST_IDTR_BASE, idt.base);
}

/* After an exit: its reason, and the nested guest stopped at @at. */
static bool exited(const char *what, u32 reason, const u8 *at)
{
	u64 got = rd(F_EXIT_REASON), rip = rd(F_GUEST_RIP);

	return kg_check(got == reason && rip == (unsigned long)at,
			"%s: exit %#lx at %#lx (want %#x at %#lx)", what,
			(unsigned long)got, (unsigned long)rip, reason,
			(unsigned long)at);
}

/* Past the instruction that exited, then VMRESUME. */
static int resume_next(void)
{
	vmx_write(F_GUEST_RIP, rd(F_GUEST_RIP) + rd(F_EXIT_LEN));
	return vm_run(false);
}

/* A fresh, clear VMCS A, current. */
static void fresh_vmcs(void)
{
	u64 a = ptr(vmcs_a);

	vmclear(&a);
	region(vmcs_a, revision);
	vmptrld(&a);
}

static void check_run(void)
{
	int r;

	fresh_vmcs();
	l3_setup(l3_code);
	l3_rax = 0;
	r = vm_run(true);
	kg_check(r == OK, "VMLAUNCH: %d, error %lu (want a VM exit)", r,
		 r == FAIL_VALID ? (unsigned long)insn_error() : 0);
	exited("VMCALL", X_VMCALL, l3_vmcall);
	kg_check(rd(F_EXIT_LEN) == 3 && l3_rax == 0x4b58454e,
		 "VMCALL: length %lu, the nested guest's RAX %#lx",
		 (unsigned long)rd(F_EXIT_LEN), (unsigned long)l3_rax);
	kg_check(vm_run(true) == FAIL_VALID && insn_error() == 4,
		 "VMLAUNCH of a launched VMCS: VMfailValid(4)");
	kg_check(resume_next() == OK, "VMRESUME");
	exited("CPUID", X_CPUID, l3_cpuid);
	resume_next();
	exited("HLT", X_HLT, l3_hlt);
	resume_next();
	kg_check(exited("OUT", X_IO, l3_out) && rd(F_EXIT_QUAL) == 0x800040,
		 "OUT 0x80 (immediate): qualification %#lx", (unsigned long)rd(F_EXIT_QUAL));
	resume_next();
	kg_check(exited("UD2", X_EXCEPTION, l3_ud2) &&
		 rd(F_EXIT_INTR_INFO) == 0x80000306,
		 "#UD: interruption information %#lx",
		 (unsigned long)rd(F_EXIT_INTR_INFO));
}

/* Entries that fail: controls (7), host state (8), guest state (33). */
static void check_run_refused(void)
{
	int r;

	fresh_vmcs();
	l3_setup(l3_code);
	vmx_write(F_PROC, PROC_DEFAULT1 | PROC_SECONDARY);
	kg_check(vm_run(true) == FAIL_VALID && insn_error() == 7,
		 "secondary controls (not offered): VMfailValid(7)");
	l3_setup(l3_code);
	vmx_write(F_EXIT_CTLS, EXIT_DEFAULT1);
	kg_check(vm_run(true) == FAIL_VALID && insn_error() == 8,
		 "a 32-bit host from 64-bit code: VMfailValid(8)");
	l3_setup(l3_code);
	vmx_write(F_GUEST_CR0, (kg_read_cr0() | CR0_NE) & ~CR0_PG);
	r = vm_run(true);
	kg_check(r == OK && rd(F_EXIT_REASON) == X_ENTRY_FAIL_GUEST,
		 "a guest without CR0.PG: %d, exit %#lx (want 0x80000021)", r,
		 (unsigned long)rd(F_EXIT_REASON));
}

static u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	return kg_xorshift64(&rnd_state);
}

/* @field with one of @bits flipped. */
static void flip_one(u64 field, u64 bits)
{
	u64 pick;

	do
		pick = BIT_ULL(rnd() & 63);
	while (!(pick & bits));
	vmx_write(field, rd(field) ^ pick);
}

/* The nested guest's state fields that garbage flips, and in which bits. */
static const struct { u64 field, bits; } garbage_state[] = {
	/* CR0: NE, WP, CD, NW, PG or a reserved bit */
	{ F_GUEST_CR0, BIT_ULL(5) | BIT_ULL(16) | BIT_ULL(29) | BIT_ULL(30) |
		       BIT_ULL(31) | BIT_ULL(40) },
	/* CR4: PSE, PAE, PGE, OSFXSR, VMXE or a reserved bit */
	{ F_GUEST_CR4, BIT_ULL(4) | BIT_ULL(5) | BIT_ULL(7) | BIT_ULL(9) |
		       BIT_ULL(13) | BIT_ULL(25) },
	/* EFER: SCE, LME, LMA, NX or a reserved bit */
	{ F_GUEST_EFER, BIT_ULL(0) | BIT_ULL(8) | BIT_ULL(10) | BIT_ULL(11) |
			BIT_ULL(33) },
	{ F_GUEST_DR7, ~0ULL },
	/* RFLAGS: the fixed bit, TF, IF, NT, RF, VM, AC or a reserved bit */
	{ F_GUEST_RFLAGS, BIT_ULL(1) | BIT_ULL(8) | BIT_ULL(9) | BIT_ULL(14) |
			  BIT_ULL(16) | BIT_ULL(17) | BIT_ULL(18) | BIT_ULL(40) },
	/* CS, SS, TR: type, S, DPL, P, L, D/B, G, unusable */
	{ F_GUEST_AR(1), 0x1f0ff },
	{ F_GUEST_AR(2), 0x1f0ff },
	{ F_GUEST_AR(7), 0x1f0ff },
	{ F_GUEST_INTERRUPTIBILITY, 0x1f },
	{ F_GUEST_ACTIVITY, 3 },
	{ F_LINK, ~0ULL },
};

static const u64 garbage_controls[] = {
	F_PIN, F_PROC, F_EXIT_CTLS, F_ENTRY_CTLS,
};

/*
 * One VMCS of garbage for l3_code, one kind of change at a time.  The
 * nested guest's paging and code stay this guest's and its IDT has
 * limit 0, so one that runs can only reach its VMCALL, an exception
 * exit or a triple fault.
 */
static void vmcs_garbage(void)
{
	unsigned int i;

	fresh_vmcs();
	l3_setup(l3_code);
	vmx_write(F_GUEST_IDTR_LIMIT, 0);
	vmx_write(F_EXCEPTION_BITMAP, rnd());
	switch (rnd() % 4) {
	case 0:
		i = rnd() % ARRAY_SIZE(garbage_controls);
		flip_one(garbage_controls[i], ~0ULL);
		if (!(rnd() & 7))
			vmx_write(F_CR3_TARGETS, rnd() & 3);
		break;
	case 1:
		vmx_write(F_ENTRY_INTR, rnd() & 0x80000fff);
		vmx_write(F_ENTRY_ERROR, rnd() & (rnd() & 1 ? 0xffff : ~0U));
		vmx_write(F_ENTRY_LEN, rnd() & 15);
		break;
	case 2:
		i = rnd() % ARRAY_SIZE(garbage_state);
		flip_one(garbage_state[i].field, garbage_state[i].bits);
		break;
	}
}

/*
 * Garbage VM entries: each refused (VMfailValid 7 or 8), or a VM-entry
 * failure, or a nested guest that ran into one of its exits; never the
 * guest itself hurt, never an unknown outcome.
 */
static void check_run_garbage(unsigned long rounds)
{
	unsigned long i, fail7 = 0, fail8 = 0, entry = 0, vmcall = 0;
	unsigned long other = 0, bad = 0;
	u64 err, why;
	int r;

	for (i = 0; i < rounds; i++) {
		vmcs_garbage();
		r = vm_run(true);
		err = r == FAIL_VALID ? insn_error() : 0;
		why = r == OK ? rd(F_EXIT_REASON) : 0;
		if (r == FAIL_VALID && (err == 7 || err == 8))
			err == 7 ? fail7++ : fail8++;
		else if (r == OK && why == X_ENTRY_FAIL_GUEST)
			entry++;
		else if (r == OK && why == X_VMCALL)
			vmcall++;
		else if (r == OK && why < 65)
			other++;
		else if (!bad++)
			kg_printf("  round %lu: outcome %d, error %lu, exit %#lx\n",
				  i, r, (unsigned long)err, (unsigned long)why);
	}
	kg_check(!bad && vmcall && other && fail7 && entry,
		 "%lu VMCSes of garbage: %lu VMfailValid(7), %lu (8), %lu entry failures, %lu VMCALL, %lu other exits, %lu unknown",
		 rounds, fail7, fail8, entry, vmcall, other, bad);
	fresh_vmcs();
	l3_setup(l3_code);
	kg_check(vm_run(true) == OK && rd(F_EXIT_REASON) == X_VMCALL,
		 "then a clean VMCS runs to its VMCALL");
}

/* An event for this guest while its guest runs: an interrupt exit. */
static void check_run_interrupt(evtchn_port_t port)
{
	unsigned int seen;
	int r;

	fresh_vmcs();
	l3_setup(l3_spin);
	kg_cli();
	kg_evtchn_log_reset();
	kg_evtchn_send(port);
	r = vm_run(true);
	kg_check(r == OK && rd(F_EXIT_REASON) == X_EXT_INTR &&
		 !READ_ONCE(kg_evtchn_log.upcalls),
		 "an upcall pending: exit %#lx, %u upcall(s) (want 1, 0)",
		 (unsigned long)rd(F_EXIT_REASON),
		 READ_ONCE(kg_evtchn_log.upcalls));
	seen = kg_evtchn_wait_upcall(port, 50 * KG_NSEC_PER_MSEC);
	kg_check(seen == 1, "then with interrupts on: %u upcall(s)", seen);
}

void test_main(void)
{
	evtchn_port_t port;

	kg_require_xen();
	if (!kg_cmdline_ulong("nested", 1)) {
		check_off();
		kg_success(NULL);
		kg_exit();
	}
	if (!kg_evtchn_setup_self_ipi(UPCALL_VECTOR, &port))
		kg_exit();
	check_msrs();
	check_vmxon();
	check_vmptrld();
	check_fields();
	check_memory_operands();
	check_two_vmcs();
	check_run();
	check_run_refused();
	check_run_garbage(kg_cmdline_ulong("garbage", 1000));
	check_run_interrupt(port);
	check_vmxoff();
	kg_success(NULL);
	kg_exit();
}
