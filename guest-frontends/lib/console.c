// SPDX-License-Identifier: GPL-2.0
/*
 * Console: debug port 0xe9 always (QEMU's and Bochs's "port e9 hack", and
 * the hypervisor's debug console), plus CONSOLEIO_write (xen/xen.h) once
 * hypercalls work.  Output of console_io is ignored: a hypervisor may deny
 * it to unprivileged domains, and the 0xe9 copy is still there.
 */
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>

static bool use_xen;

void kg_console_use_xen(bool on)
{
	use_xen = on;
}

void kg_puts_raw(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		kg_outb(0xe9, (u8)s[i]);
	if (use_xen && len)
		kg_console_io(CONSOLEIO_write, (unsigned int)len, s);
}

void kg_vprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n = kg_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	kg_puts_raw(buf, (size_t)n);
}

void kg_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kg_vprintf(fmt, ap);
	va_end(ap);
}
