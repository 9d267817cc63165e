/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's fixed-width types for kmod/core's plain C (the MMIO
 * decoder, the PIT model), which the userspace unit tests in
 * kmod/core/tests build too: there they come from the uapi types.
 */
#ifndef KXEN_CORE_PLAIN_TYPES_H
#define KXEN_CORE_PLAIN_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
#endif

#endif /* KXEN_CORE_PLAIN_TYPES_H */
