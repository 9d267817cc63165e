/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xenstore core is plain C over plain structs, built both into kxen.ko
 * and into a userspace library for unit tests and fuzzing.  This header is
 * the only place that knows which: it maps allocation, logging and the
 * fixed-width types onto the kernel or onto libc, and includes the Xen
 * public header io/xs_wire.h from where each world keeps it.
 *
 * The core does no locking of its own: one store is used by one thread at
 * a time, and the kernel glue serializes callers with a mutex.
 */
#ifndef XS_OS_H
#define XS_OS_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <xen/interface/io/xs_wire.h>

static inline void *xs_zalloc(size_t n)
{
	return kzalloc(n, GFP_KERNEL);
}

static inline void *xs_realloc(void *p, size_t n)
{
	return krealloc(p, n, GFP_KERNEL);
}

static inline void xs_free(const void *p)
{
	kfree(p);
}

#define xs_log(fmt, ...) pr_info("kxen: xenstore: " fmt "\n", ##__VA_ARGS__)

#else /* !__KERNEL__ */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/io/xs_wire.h>

/* The kernel's spellings, with the kernel's underlying types. */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

static inline void *xs_zalloc(size_t n)
{
	return calloc(1, n);
}

static inline void *xs_realloc(void *p, size_t n)
{
	return realloc(p, n);
}

static inline void xs_free(const void *p)
{
	free((void *)p);
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Formats are checked by the kernel build, where this is pr_info(). */
void xs_user_log(const char *fmt, ...);
#define xs_log(fmt, ...) xs_user_log(fmt "\n", ##__VA_ARGS__)

#endif /* __KERNEL__ */

#endif /* XS_OS_H */
