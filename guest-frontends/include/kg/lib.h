/* SPDX-License-Identifier: GPL-2.0 */
/* Freestanding basics: types, string functions, small helpers. */
#ifndef KG_LIB_H
#define KG_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's names for the <stdint.h> types, built the same way. */
typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT8_TYPE__ s8;
typedef __INT16_TYPE__ s16;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* What <assert.h> provides, which is not a freestanding header. */
#define static_assert	_Static_assert

/* The kernel's spellings of the attributes used here. */
#define __noreturn	__attribute__((__noreturn__))
#define __printf(a, b)	__attribute__((__format__(printf, a, b)))
#define __aligned(n)	__attribute__((__aligned__(n)))
#define __packed	__attribute__((__packed__))

#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))

/*
 * One load or store the compiler may neither tear, merge nor drop (for
 * data an interrupt handler or the hypervisor changes), as the kernel's
 * READ_ONCE()/WRITE_ONCE(); scalars of 1, 2, 4 or 8 bytes.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)

/* gcc may emit calls to these even in freestanding code. */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);

#ifndef __x86_64__
/* What gcc calls for 64-bit division on i386 (lib/divdi3.c). */
u64 __udivmoddi4(u64 n, u64 d, u64 *rem);
u64 __udivdi3(u64 n, u64 d);
u64 __umoddi3(u64 n, u64 d);
s64 __divdi3(s64 n, s64 d);
s64 __moddi3(s64 n, s64 d);
#endif

/* Parses an unsigned number (decimal, or hex with 0x); false if none. */
bool kg_parse_ulong(const char *s, unsigned long *val, const char **end);

/* xorshift64 (Marsaglia 2003): fixed-seed garbage for tests. */
static inline u64 kg_xorshift64(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#endif /* KG_LIB_H */
