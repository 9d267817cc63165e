// SPDX-License-Identifier: GPL-2.0
/*
 * Guest accesses to guest-physical addresses with no RAM behind them:
 * above the domain's memory, or a frame the guest gave back
 * (XENMEM_decrease_reservation; kxen_gmem_release() unmaps it, so the
 * next access exits the same way).  As Xen 4.17's HVM code does, they go
 * to the emulated device that claims the address (the xAPIC page, while
 * the local APIC is in xAPIC mode) or else to a null handler: a read
 * returns all ones of its width, a write is dropped, and the instruction
 * retires.  XTF's drivers read all ones as "no such device" (the HPET at
 * 0xfed00000, the IO-APIC).
 *
 * The exit gives the address but not the register or width, so the
 * instruction at RIP is fetched and decoded (mmio_insn.c: the MOV
 * forms and BT).  What cannot be emulated still ends the domain, with the
 * reason: instruction fetches, the guest's page-table walks and event
 * delivery through such addresses, and instructions other than these.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>

#include "kxen.h"
#include "mmio_insn.h"

static int kxen_mmio_fail(struct kxen_vcpu *v, const struct kxen_mmio_fault *f,
			  const char *why)
{
	const char *what = f->fetch ? "fetch" : f->write ? "write" : "read";

	kxen_arch->dump(v, why);
	kxen_domain_crash(v->dom,
			  "vCPU%u: %s of GPA 0x%llx outside guest RAM at rip 0x%llx: %s",
			  v->id, what, f->gpa, v->st.rip, why);
	return KXEN_EXIT_CONTINUE;
}

/*
 * The instruction's bytes from the guest's linear RIP (CS base outside
 * 64-bit code).  Up to 15; fewer where the next page cannot be read,
 * the decoder then says whether the instruction fits.
 */
int kxen_vcpu_fetch_insn(struct kxen_vcpu *v, u64 cs_base, u8 *buf)
{
	u64 rip = v->st.long_mode ? v->st.rip : (u32)(cs_base + v->st.rip);
	unsigned int n = KXEN_INSN_MAX_LEN;

	if (!kxen_gva_read(v, rip, buf, n))
		return n;
	n = min_t(unsigned int, n, PAGE_SIZE - offset_in_page(rip));
	if (n < KXEN_INSN_MAX_LEN && !kxen_gva_read(v, rip, buf, n))
		return n;
	return -EFAULT;
}

static enum kxen_insn_mode kxen_mmio_mode(struct kxen_vcpu *v,
					  const struct kxen_mmio_fault *f)
{
	if (v->st.long_mode)
		return KXEN_INSN_MODE64;
	return f->cs_db ? KXEN_INSN_MODE32 : KXEN_INSN_MODE16;
}

int kxen_mmio_handle(struct kxen_vcpu *v, const struct kxen_mmio_fault *f)
{
	u8 buf[KXEN_INSN_MAX_LEN];
	struct kxen_mmio_insn in;
	unsigned long *reg;
	int n, ret;
	u64 val;

	/* RAM that gets its page on first touch: the access runs again. */
	ret = kxen_gmem_pod_fault(v, f->gpa);
	if (ret != -ENOENT)
		return ret;
	if (f->fetch)
		return kxen_mmio_fail(v, f, "instruction fetch");
	if (f->walk)
		return kxen_mmio_fail(v, f, "guest page-table walk");
	if (f->event)
		return kxen_mmio_fail(v, f, "event delivery");
	n = kxen_vcpu_fetch_insn(v, f->cs_base, buf);
	if (n < 0)
		return kxen_mmio_fail(v, f, "instruction not readable");
	ret = kxen_mmio_insn_decode(buf, n, kxen_mmio_mode(v, f), &in);
	if (ret) {
		pr_warn_ratelimited(KXEN_PR_PREFIX "d%u vCPU%u: MMIO instruction %*ph not emulated (%d)\n",
				    v->dom->domid, v->id, n, buf, ret);
		return kxen_mmio_fail(v, f, "instruction not emulated");
	}
	if (in.store != f->write)
		return kxen_mmio_fail(v, f, "access unlike its instruction");
	reg = &v->st.gprs[in.reg];
	if (in.bt) {
		/* Only CF changes; ZF is kept, the rest are undefined. */
		if (!kxen_lapic_mmio_read(v, f->gpa, in.size, &val))
			val = ~0ULL;
		v->st.rflags &= ~X86_EFLAGS_CF;
		if (kxen_mmio_insn_bt_bit(&in, *reg, val))
			v->st.rflags |= X86_EFLAGS_CF;
		v->st.dirty |= KXEN_DIRTY_RFLAGS;
	} else if (in.store) {
		val = kxen_mmio_insn_store_value(&in, *reg);
		kxen_lapic_mmio_write(v, f->gpa, in.size, val);
	} else {
		if (!kxen_lapic_mmio_read(v, f->gpa, in.size, &val))
			val = ~0ULL;
		*reg = kxen_mmio_insn_load_result(&in, *reg, val);
	}
	v->st.insn_len = in.len;
	return kxen_exit_skip(v);
}
