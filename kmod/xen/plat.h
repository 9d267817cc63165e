/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few primitives kmod/xen's plain-C protocol logic needs, for the
 * kernel and for the userspace unit tests: fixed-width types, the Xen
 * public headers, atomic bit operations on guest-shared words.  This is
 * the only file of that logic that knows where it is compiled.
 */
#ifndef KXEN_XEN_PLAT_H
#define KXEN_XEN_PLAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/atomic.h>
#include <asm/barrier.h>
#include <linux/nospec.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

static inline bool kxen_test_and_set(unsigned int nr, xen_ulong_t *w)
{
	return test_and_set_bit(nr, (unsigned long *)w);
}

static inline bool kxen_test_and_clear(unsigned int nr, xen_ulong_t *w)
{
	return test_and_clear_bit(nr, (unsigned long *)w);
}

static inline bool kxen_test(unsigned int nr, const xen_ulong_t *w)
{
	return test_bit(nr, (const unsigned long *)w);
}

static inline void kxen_clear(unsigned int nr, xen_ulong_t *w)
{
	clear_bit(nr, (unsigned long *)w);
}

/* 32-bit words shared with the guest (FIFO event words, ready bits). */
static inline bool kxen_test_and_set32(unsigned int nr, u32 *w)
{
	return atomic_fetch_or((int)BIT(nr), (atomic_t *)w) & BIT(nr);
}

static inline bool kxen_test_and_clear32(unsigned int nr, u32 *w)
{
	return atomic_fetch_andnot((int)BIT(nr), (atomic_t *)w) & BIT(nr);
}

static inline u32 kxen_cmpxchg32(u32 *w, u32 old, u32 new)
{
	return cmpxchg(w, old, new);
}

static inline void kxen_atomic_andnot32(u32 *w, u32 bits)
{
	atomic_andnot((int)bits, (atomic_t *)w);
}

/* vcpu_info's evtchn_upcall_pending byte: set it, return what it was. */
static inline u8 kxen_xchg8(u8 *b, u8 v)
{
	return xchg(b, v);
}
#else
#include <errno.h>
#include <linux/types.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s16 s16;
typedef __s32 s32;

/* Userspace tests need no speculation barrier. */
#define array_index_nospec(index, size)	(index)

#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_SEQ_CST)
/* The kernel's write barrier, here a full fence. */
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

#define KXEN_WORD_BITS	(sizeof(xen_ulong_t) * 8)
#define KXEN_BIT(nr)	((xen_ulong_t)1 << ((nr) % KXEN_WORD_BITS))

static inline bool kxen_test_and_set(unsigned int nr, xen_ulong_t *w)
{
	return __atomic_fetch_or(&w[nr / KXEN_WORD_BITS], KXEN_BIT(nr),
				 __ATOMIC_SEQ_CST) & KXEN_BIT(nr);
}

static inline bool kxen_test_and_clear(unsigned int nr, xen_ulong_t *w)
{
	return __atomic_fetch_and(&w[nr / KXEN_WORD_BITS], ~KXEN_BIT(nr),
				  __ATOMIC_SEQ_CST) & KXEN_BIT(nr);
}

static inline bool kxen_test(unsigned int nr, const xen_ulong_t *w)
{
	return __atomic_load_n(&w[nr / KXEN_WORD_BITS], __ATOMIC_SEQ_CST) &
	       KXEN_BIT(nr);
}

static inline void kxen_clear(unsigned int nr, xen_ulong_t *w)
{
	kxen_test_and_clear(nr, w);
}

static inline bool kxen_test_and_set32(unsigned int nr, u32 *w)
{
	return __atomic_fetch_or(w, 1u << nr, __ATOMIC_SEQ_CST) & (1u << nr);
}

static inline bool kxen_test_and_clear32(unsigned int nr, u32 *w)
{
	return __atomic_fetch_and(w, ~(1u << nr), __ATOMIC_SEQ_CST) &
	       (1u << nr);
}

static inline u8 kxen_xchg8(u8 *b, u8 v)
{
	return __atomic_exchange_n(b, v, __ATOMIC_SEQ_CST);
}

/*
 * The unit tests may play the guest between a read and the exchange:
 * kxen_test_cmpxchg_hook, when set, runs just before each exchange.
 */
extern void (*kxen_test_cmpxchg_hook)(u32 *w);

static inline u32 kxen_cmpxchg32(u32 *w, u32 old, u32 new)
{
	if (kxen_test_cmpxchg_hook)
		kxen_test_cmpxchg_hook(w);
	__atomic_compare_exchange_n(w, &old, new, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return old;
}

static inline void kxen_atomic_andnot32(u32 *w, u32 bits)
{
	__atomic_fetch_and(w, ~bits, __ATOMIC_SEQ_CST);
}
#endif

/* Bit @nr of a 32-bit guest-shared word. */
static inline bool kxen_test32(unsigned int nr, const u32 *w)
{
	return READ_ONCE(*w) & (1u << nr);
}

#endif /* KXEN_XEN_PLAT_H */
