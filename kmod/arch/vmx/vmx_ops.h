/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX instruction wrappers and width-checked VMCS accessors.
 *
 * A VMCS field encoding carries its width in bits 14:13 and its access
 * type in bit 0 (SDM Vol. 3 Appendix B); using the accessor of the wrong
 * width on a constant field is a build error, not a silent truncation.
 *
 * Every VMX instruction here has an exception-table fixup.  Outside VMX
 * operation they raise #UD (SDM Vol. 3 31.3, "VMX instructions"): a CPU
 * whose VMXON did not come back after a resume, or one left by an
 * emergency reboot.  The fixup makes that an error the caller already
 * handles (the domain fails at its next entry) and a rate-limited line,
 * where the host would otherwise oops.
 */
#ifndef KXEN_VMX_OPS_H
#define KXEN_VMX_OPS_H

#include <linux/build_bug.h>
#include <linux/printk.h>
#include <linux/types.h>
#include <asm/asm.h>
#include <asm/vmx.h>

#define KXEN_VMCS_WIDTH(f)	(((f) >> 13) & 3)
#define KXEN_VMCS_W16		0
#define KXEN_VMCS_W64		1
#define KXEN_VMCS_W32		2
#define KXEN_VMCS_WNAT		3

static __always_inline void kxen_vmcs_check(unsigned long f, int w)
{
	BUILD_BUG_ON_MSG(__builtin_constant_p(f) &&
			 (KXEN_VMCS_WIDTH(f) != w || (f & 1)),
			 "VMCS field of another width, or a high half");
}

void kxen_vmx_op_error(const char *insn, unsigned long field);
void kxen_vmx_op_fault(const char *insn);

/* The status byte the wrappers below leave: VMfail, or a fault. */
#define KXEN_VMX_FAILED		1
#define KXEN_VMX_FAULTED	2

/*
 * "INSN; setna" with a fixup: on a fault, 2 in the status byte instead.
 * %[e] is the status byte; the instruction's own operands follow.
 */
#define KXEN_VMX_INSN(insn)						\
	"1: " insn "\n\t"						\
	"setna %[e]\n\t"						\
	"jmp 3f\n\t"							\
	"2: movb $2, %[e]\n\t"						\
	"3:\n\t"							\
	_ASM_EXTABLE(1b, 2b)

static __always_inline bool kxen_vmx_status(u8 e, const char *insn,
					    unsigned long field)
{
	if (likely(!e))
		return true;
	if (e == KXEN_VMX_FAULTED)
		kxen_vmx_op_fault(insn);
	else
		kxen_vmx_op_error(insn, field);
	return false;
}

static __always_inline unsigned long __kxen_vmread(unsigned long field)
{
	unsigned long value = 0;
	u8 e;

	/* A faulting VMREAD leaves the 0 above: "+r", not "=rm". */
	asm volatile(KXEN_VMX_INSN("vmread %[f], %[v]")
		     : [v] "+r" (value), [e] "=qm" (e)
		     : [f] "r" (field) : "cc");
	kxen_vmx_status(e, "vmread", field);
	return value;
}

static __always_inline void __kxen_vmwrite(unsigned long field,
					   unsigned long value)
{
	u8 e;

	asm volatile(KXEN_VMX_INSN("vmwrite %[v], %[f]")
		     : [e] "=qm" (e)
		     : [f] "r" (field), [v] "rm" (value) : "cc");
	kxen_vmx_status(e, "vmwrite", field);
}

static __always_inline u16 vmcs_read16(unsigned long f)
{
	kxen_vmcs_check(f, KXEN_VMCS_W16);
	return __kxen_vmread(f);
}

static __always_inline u32 vmcs_read32(unsigned long f)
{
	kxen_vmcs_check(f, KXEN_VMCS_W32);
	return __kxen_vmread(f);
}

static __always_inline u64 vmcs_read64(unsigned long f)
{
	kxen_vmcs_check(f, KXEN_VMCS_W64);
	return __kxen_vmread(f);
}

static __always_inline unsigned long vmcs_readl(unsigned long f)
{
	kxen_vmcs_check(f, KXEN_VMCS_WNAT);
	return __kxen_vmread(f);
}

static __always_inline void vmcs_write16(unsigned long f, u16 v)
{
	kxen_vmcs_check(f, KXEN_VMCS_W16);
	__kxen_vmwrite(f, v);
}

static __always_inline void vmcs_write32(unsigned long f, u32 v)
{
	kxen_vmcs_check(f, KXEN_VMCS_W32);
	__kxen_vmwrite(f, v);
}

static __always_inline void vmcs_write64(unsigned long f, u64 v)
{
	kxen_vmcs_check(f, KXEN_VMCS_W64);
	__kxen_vmwrite(f, v);
}

static __always_inline void vmcs_writel(unsigned long f, unsigned long v)
{
	kxen_vmcs_check(f, KXEN_VMCS_WNAT);
	__kxen_vmwrite(f, v);
}

static __always_inline void vmcs_set_bits32(unsigned long f, u32 mask)
{
	vmcs_write32(f, vmcs_read32(f) | mask);
}

static __always_inline void vmcs_clear_bits32(unsigned long f, u32 mask)
{
	vmcs_write32(f, vmcs_read32(f) & ~mask);
}

/* VMXON/VMCLEAR/VMPTRLD take a memory operand holding the PA. */
static inline int kxen_vmxon(u64 pa)
{
	u8 e;

	asm volatile(KXEN_VMX_INSN("vmxon %[pa]")
		     : [e] "=qm" (e) : [pa] "m" (pa) : "cc", "memory");
	if (e == KXEN_VMX_FAULTED)
		return -EIO;	/* CR4.VMXE or IA32_FEATURE_CONTROL */
	return e ? -EBUSY : 0;
}

static inline void kxen_vmxoff(void)
{
	u8 e;

	asm volatile(KXEN_VMX_INSN("vmxoff")
		     : [e] "=qm" (e) :: "cc", "memory");
	kxen_vmx_status(e, "vmxoff", 0);
}

static inline int kxen_vmclear(u64 pa)
{
	u8 e;

	asm volatile(KXEN_VMX_INSN("vmclear %[pa]")
		     : [e] "=qm" (e) : [pa] "m" (pa) : "cc", "memory");
	return kxen_vmx_status(e, "vmclear", 0) ? 0 : -EIO;
}

static inline int kxen_vmptrld(u64 pa)
{
	u8 e;

	asm volatile(KXEN_VMX_INSN("vmptrld %[pa]")
		     : [e] "=qm" (e) : [pa] "m" (pa) : "cc", "memory");
	return kxen_vmx_status(e, "vmptrld", 0) ? 0 : -EIO;
}

/* INVEPT descriptor: EPTP, then a reserved quadword (SDM Vol. 3 30.3). */
static inline void kxen_invept(unsigned long type, u64 eptp)
{
	struct { u64 eptp, gpa; } desc = { eptp, 0 };
	u8 e;

	asm volatile(KXEN_VMX_INSN("invept %[d], %[t]")
		     : [e] "=qm" (e)
		     : [d] "m" (desc), [t] "r" (type) : "cc", "memory");
	kxen_vmx_status(e, "invept", type);
}

#endif /* KXEN_VMX_OPS_H */
