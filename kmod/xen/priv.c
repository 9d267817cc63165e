// SPDX-License-Identifier: GPL-2.0
/*
 * __HYPERVISOR_sysctl and __HYPERVISOR_domctl: the toolstack's
 * hypercalls (sysctl.h, domctl.h).  kxen's toolstack is the host, so a
 * guest never gets one through, but it gets Xen's answers to an
 * unprivileged caller, in Xen's order (common/sysctl.c, domctl.c): the
 * struct unreadable is EFAULT, an interface version other than the
 * one this Xen speaks EACCES (guests probe for it that way), and then
 * the dummy XSM policy's EPERM.  XTF's livepatch-priv-check counts on
 * the EPERM.
 */
#include <linux/types.h>

#include "hcall.h"
#include "errno.h"

/* Xen 4.17's XEN_SYSCTL_INTERFACE_VERSION and XEN_DOMCTL_INTERFACE_VERSION. */
#define KXEN_SYSCTL_INTERFACE_VERSION	0x15
#define KXEN_DOMCTL_INTERFACE_VERSION	0x15

/* Both structs start with u32 cmd, u32 interface_version. */
static long kxen_priv_op(struct kxen_hcall *hc, u32 version)
{
	u32 head[2];

	if (kxen_gva_read(hc->v, hc->args[0], head, sizeof(head)))
		return -XEN_EFAULT;
	if (head[1] != version)
		return -XEN_EACCES;
	return -XEN_EPERM;
}

long kxen_hc_sysctl(struct kxen_hcall *hc)
{
	return kxen_priv_op(hc, KXEN_SYSCTL_INTERFACE_VERSION);
}

long kxen_hc_domctl(struct kxen_hcall *hc)
{
	return kxen_priv_op(hc, KXEN_DOMCTL_INTERFACE_VERSION);
}
