// SPDX-License-Identifier: GPL-2.0
/*
 * EPT (SDM Vol. 3 29.3): the domain's second-level table (kmod/core/hap.c)
 * in EPT's entry format, a 4-level walk with write-back memory type.
 * Every GPA outside guest RAM is unmapped, so a guest touching it takes
 * an EPT violation and is crashed; the host is unaffected.
 */
#include <linux/slab.h>
#include <asm/vmx.h>

#include "vmx.h"

#define KXEN_EPT_RWX	(VMX_EPT_READABLE_MASK | VMX_EPT_WRITABLE_MASK | \
			 VMX_EPT_EXECUTABLE_MASK)
#define KXEN_EPT_WB	(VMX_EPTP_MT_WB << VMX_EPT_MT_EPTE_SHIFT)

/* SDM Vol. 3 Table 29-3 to 29-6: bit 7 of a PDE makes a 2 MiB page. */
static const struct kxen_hap_fmt kxen_ept_fmt = {
	.table = KXEN_EPT_RWX,
	.leaf = KXEN_EPT_RWX | KXEN_EPT_WB,
	.large = BIT_ULL(7),
	.addr = GENMASK_ULL(51, 12),
};

int kxen_ept_set_gfn(struct kxen_domain *d, u64 gfn, unsigned long pfn)
{
	return kxen_hap_set_gfn(&to_vmx_dom(d)->hap, gfn, pfn);
}

void kxen_ept_flush(struct kxen_domain *d)
{
	kxen_hap_flush(&to_vmx_dom(d)->hap, d);
}

int kxen_ept_init(struct kxen_domain *d)
{
	struct kxen_vmx_domain *vd;
	int ret;

	vd = kzalloc(sizeof(*vd), GFP_KERNEL);
	if (!vd)
		return -ENOMEM;
	d->arch = vd;
	kxen_stats_objects(1);
	ret = kxen_hap_init(&vd->hap, &kxen_ept_fmt, 4, d);
	/* EPTP: WB, 4-level walk (SDM Vol. 3 25.6.11). */
	if (vd->hap.root)
		vd->eptp = kxen_hap_root_pa(&vd->hap) | VMX_EPTP_MT_WB |
			   VMX_EPTP_PWL_4;
	return ret;	/* on error, kxen_ept_free() cleans up */
}

void kxen_ept_free(struct kxen_domain *d)
{
	struct kxen_vmx_domain *vd = to_vmx_dom(d);

	if (!vd)
		return;
	kxen_hap_free(&vd->hap);
	kfree(vd);
	d->arch = NULL;
	kxen_stats_objects(-1);
}
