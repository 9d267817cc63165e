/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX instruction wrappers and width-checked VMCS accessors.
 *
 * A VMCS field encoding carries its width in bits 14:13 and its access
 * type in bit 0 (SDM Vol. 3 Appendix B); using the accessor of the wrong
 * width on a constant field is a build error, not a silent truncation.
 */
#ifndef KXEN_VMX_OPS_H
#define KXEN_VMX_OPS_H

#include <linux/build_bug.h>
#include <linux/printk.h>
#include <linux/types.h>
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

static __always_inline unsigned long __kxen_vmread(unsigned long field)
{
	unsigned long value;
	bool fail;

	asm volatile("vmread %[f], %[v]\n\tsetna %[e]"
		     : [v] "=rm" (value), [e] "=qm" (fail)
		     : [f] "r" (field) : "cc");
	if (unlikely(fail))
		kxen_vmx_op_error("vmread", field);
	return value;
}

static __always_inline void __kxen_vmwrite(unsigned long field,
					   unsigned long value)
{
	bool fail;

	asm volatile("vmwrite %[v], %[f]\n\tsetna %[e]"
		     : [e] "=qm" (fail)
		     : [f] "r" (field), [v] "rm" (value) : "cc");
	if (unlikely(fail))
		kxen_vmx_op_error("vmwrite", field);
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
	bool fail;

	asm volatile("vmxon %[pa]\n\tsetna %[e]"
		     : [e] "=qm" (fail) : [pa] "m" (pa) : "cc", "memory");
	return fail ? -EBUSY : 0;
}

static inline void kxen_vmxoff(void)
{
	asm volatile("vmxoff" ::: "cc", "memory");
}

static inline int kxen_vmclear(u64 pa)
{
	bool fail;

	asm volatile("vmclear %[pa]\n\tsetna %[e]"
		     : [e] "=qm" (fail) : [pa] "m" (pa) : "cc", "memory");
	return fail ? -EIO : 0;
}

static inline int kxen_vmptrld(u64 pa)
{
	bool fail;

	asm volatile("vmptrld %[pa]\n\tsetna %[e]"
		     : [e] "=qm" (fail) : [pa] "m" (pa) : "cc", "memory");
	return fail ? -EIO : 0;
}

/* INVEPT descriptor: EPTP, then a reserved quadword (SDM Vol. 3 30.3). */
static inline void kxen_invept(unsigned long type, u64 eptp)
{
	struct { u64 eptp, gpa; } desc = { eptp, 0 };

	asm volatile("invept %[d], %[t]"
		     :: [d] "m" (desc), [t] "r" (type) : "cc", "memory");
}

#endif /* KXEN_VMX_OPS_H */
