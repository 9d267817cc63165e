/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Console output: every line goes to debug port 0xe9 and, once the
 * hypercall page is set up, also to HYPERVISOR_console_io(CONSOLEIO_write).
 * Format directives: %s %c %d %i %u %x %X %p %%, with l/ll/z length,
 * '0'/'-' flags and a field width.
 */
#ifndef KG_CONSOLE_H
#define KG_CONSOLE_H

#include <kg/lib.h>

int kg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int kg_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
void kg_vprintf(const char *fmt, va_list ap);
void kg_printf(const char *fmt, ...) __printf(1, 2);
void kg_puts_raw(const char *s, size_t len);

/* Set by the Xen layer once console_io may be called. */
void kg_console_use_xen(bool on);

#endif /* KG_CONSOLE_H */
