/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers that the kernel has and userspace lacks. */
#ifndef XL_LITE_UTIL_H
#define XL_LITE_UTIL_H

/* Number of elements in array @a, as the kernel's ARRAY_SIZE(). */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Bit @n, as the kernel's BIT(). */
#define BIT(n)		(1UL << (n))

#endif /* XL_LITE_UTIL_H */
