/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error values returned to guests are Xen's (xen/include/public/errno.h),
 * part of the guest ABI.  On x86 they equal Linux's, which the build
 * checks, so internal -Exxx results can be passed through unchanged.
 */
#ifndef KXEN_XEN_ERRNO_H
#define KXEN_XEN_ERRNO_H

#include <linux/build_bug.h>
#include <linux/errno.h>

#define XEN_EPERM	1
#define XEN_ENXIO	6
#define XEN_ENOMEM	12
#define XEN_EBUSY	16
#define XEN_EEXIST	17
#define XEN_EACCES	13
#define XEN_EFAULT	14
#define XEN_EINVAL	22
#define XEN_ENOENT	2
#define XEN_ESRCH	3
#define XEN_ENOSYS	38	/* unknown hypercall or sub-op */
#define XEN_ETIME	62
#define XEN_EILSEQ	84
#define XEN_EOPNOTSUPP	95

/* Internal results passed through to guests unchanged. */
static_assert(XEN_EPERM == EPERM && XEN_EFAULT == EFAULT &&
	      XEN_EINVAL == EINVAL && XEN_ESRCH == ESRCH &&
	      XEN_ENOENT == ENOENT && XEN_ENOMEM == ENOMEM);

#endif /* KXEN_XEN_ERRNO_H */
