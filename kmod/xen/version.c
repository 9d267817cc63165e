// SPDX-License-Identifier: GPL-2.0
/*
 * __HYPERVISOR_xen_version (xen/include/public/version.h).  kxen presents
 * itself as Xen 4.17 (KXEN_XEN_* in uapi/linux/kxen.h); sub-ops that Xen
 * refuses to unprivileged domains (commandline, build_id) are refused
 * here too.
 */
#include <linux/types.h>
#include <linux/string.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>
#include <xen/interface/features.h>

#include "hcall.h"
#include "errno.h"

/* HYPERVISOR_VIRT_START of the x86-64 ABI (arch-x86/xen-x86_64.h). */
#define KXEN_VIRT_START_64	0xffff800000000000ULL

static long kxen_put_str(struct kxen_hcall *hc, const char *s, size_t size)
{
	char buf[64];
	size_t off, n, len = strlen(s);

	/* The guest buffer is a fixed-size array: pad with NULs. */
	for (off = 0; off < size; off += n) {
		n = min(size - off, sizeof(buf));
		memset(buf, 0, n);
		if (off < len)
			memcpy(buf, s + off, min(n, len - off));
		if (kxen_gva_write(hc->v, hc->args[1] + off, buf, n))
			return -EFAULT;
	}
	return 0;
}

static long kxen_ver_compile_info(struct kxen_hcall *hc)
{
	struct xen_compile_info ci = {};

	strscpy(ci.compiler, KXEN_XEN_COMPILER, sizeof(ci.compiler));
	strscpy(ci.compile_by, "kxen", sizeof(ci.compile_by));
	strscpy(ci.compile_domain, "kxen", sizeof(ci.compile_domain));
	strscpy(ci.compile_date, "kxen module", sizeof(ci.compile_date));
	return kxen_gva_write(hc->v, hc->args[1], &ci, sizeof(ci)) ?
	       -EFAULT : 0;
}

static long kxen_ver_platform(struct kxen_hcall *hc)
{
	u64 start = KXEN_VIRT_START_64;

	/* xen_ulong_t is 8 bytes for 64-bit callers, 4 in the 32-bit ABI. */
	return kxen_gva_write(hc->v, hc->args[1], &start,
			      hc->v->st.long_mode ? 8 : 4) ? -EFAULT : 0;
}

static long kxen_ver_features(struct kxen_hcall *hc)
{
	struct xen_feature_info fi;

	if (kxen_gva_read(hc->v, hc->args[1], &fi, sizeof(fi)))
		return -EFAULT;
	if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
		return -EINVAL;
	/*
	 * A translated (HVM-container) guest, as Xen reports for PVH: events
	 * arrive on a callback vector, and pvclock is safe to use.
	 */
	fi.submap = BIT(XENFEAT_writable_page_tables) |
		    BIT(XENFEAT_auto_translated_physmap) |
		    BIT(XENFEAT_hvm_callback_vector) |
		    BIT(XENFEAT_hvm_safe_pvclock);
	return kxen_gva_write(hc->v, hc->args[1], &fi, sizeof(fi)) ?
	       -EFAULT : 0;
}

long kxen_hc_xen_version(struct kxen_hcall *hc)
{
	struct kxen_domain *d = hc->v->dom;

	switch (hc->args[0]) {
	case XENVER_version:
		return (KXEN_XEN_MAJOR << 16) | KXEN_XEN_MINOR;
	case XENVER_extraversion:
		return kxen_put_str(hc, KXEN_XEN_EXTRA, XEN_EXTRAVERSION_LEN);
	case XENVER_compile_info:
		return kxen_ver_compile_info(hc);
	case XENVER_capabilities:
		return kxen_put_str(hc, KXEN_XEN_CAPS,
				    XEN_CAPABILITIES_INFO_LEN);
	case XENVER_changeset:
		return kxen_put_str(hc, "kxen", XEN_CHANGESET_INFO_LEN);
	case XENVER_platform_parameters:
		return kxen_ver_platform(hc);
	case XENVER_get_features:
		return kxen_ver_features(hc);
	case XENVER_pagesize:
		return PAGE_SIZE;
	case XENVER_guest_handle:
		return kxen_gva_write(hc->v, hc->args[1], &d->uuid,
				      sizeof(d->uuid)) ? -EFAULT : 0;
	case XENVER_commandline:
	case XENVER_build_id:
		return -XEN_EPERM;	/* privileged domains only */
	default:
		return -XEN_ENOSYS;
	}
}
