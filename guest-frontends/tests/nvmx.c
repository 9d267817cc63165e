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
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/traps.h>

KG_TEST_TITLE("nvmx");

#define CPUID1_ECX_VMX		BIT(5)
#define CR4_VMXE		BIT(13)
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

enum { OK, FAIL_INVALID, FAIL_VALID };

static u8 vmxon_region[4096] __aligned(4096);
static u8 vmcs_a[4096] __aligned(4096);
static u8 vmcs_b[4096] __aligned(4096);
static u8 spare[4096] __aligned(4096);
static u8 user_stack[4096] __aligned(16);
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
		 "VMLAUNCH: VMfailValid(7), no nested VM entry on VT-x yet");
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

void test_main(void)
{
	kg_require_xen();
	if (!kg_cmdline_ulong("nested", 1)) {
		check_off();
		kg_success(NULL);
		kg_exit();
	}
	check_msrs();
	check_vmxon();
	check_vmptrld();
	check_fields();
	check_memory_operands();
	check_two_vmcs();
	check_vmxoff();
	kg_success(NULL);
	kg_exit();
}
