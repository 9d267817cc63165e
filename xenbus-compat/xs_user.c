// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace side of xs_os.h: logging goes to stderr when XS_LOG is set
 * in the environment, and nowhere otherwise (tests and the fuzzer would
 * drown in it).
 */
#include <stdarg.h>

#include "xs_os.h"

void xs_user_log(const char *fmt, ...)
{
	va_list ap;

	if (!getenv("XS_LOG"))
		return;
	va_start(ap, fmt);
	fputs("xenstore: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}
