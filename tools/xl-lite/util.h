/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers that the kernel has and userspace lacks. */
#ifndef XL_LITE_UTIL_H
#define XL_LITE_UTIL_H

#include <stdarg.h>
#include <stdio.h>

/* Number of elements in array @a, as the kernel's ARRAY_SIZE(). */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Bit @n, as the kernel's BIT(). */
#define BIT(n)		(1UL << (n))

/* Where the parsers report an error: a caller's buffer of @len bytes. */
struct errbuf {
	char *buf;
	size_t len;
};

/* Format a message into @e (nothing when its length is 0); returns -1. */
static inline __attribute__((format(printf, 2, 3)))
int errf(const struct errbuf *e, const char *fmt, ...)
{
	va_list ap;

	if (e->len) {
		va_start(ap, fmt);
		vsnprintf(e->buf, e->len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

#endif /* XL_LITE_UTIL_H */
