// SPDX-License-Identifier: GPL-2.0
/*
 * Outcome tracking with XTF's four outcomes (XTF common/report.c):
 * the worst outcome reported so far wins, a test that reports nothing
 * ends in ERROR.  After the result line the domain is powered off with
 * SCHEDOP_shutdown(SHUTDOWN_poweroff) (xen/sched.h), as XTF does for every
 * outcome; only kg_panic() asks for SHUTDOWN_crash.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <xen/sched.h>

enum kg_status {
	KG_RUNNING,
	KG_SUCCESS,
	KG_SKIP,
	KG_ERROR,
	KG_FAILURE,
};

static const char *const status_name[] = {
	[KG_RUNNING] = "RUNNING",
	[KG_SUCCESS] = "SUCCESS",
	[KG_SKIP] = "SKIP",
	[KG_ERROR] = "ERROR",
	[KG_FAILURE] = "FAILURE",
};

static enum kg_status status;

static void set_status(enum kg_status s, const char *fmt, va_list ap)
{
	if (s > status)
		status = s;
	if (fmt)
		kg_vprintf(fmt, ap);
}

#define REPORT_FN(name, st)					\
void name(const char *fmt, ...)					\
{								\
	va_list ap;						\
								\
	va_start(ap, fmt);					\
	set_status(st, fmt, ap);				\
	va_end(ap);						\
}

REPORT_FN(kg_success, KG_SUCCESS)
REPORT_FN(kg_skip, KG_SKIP)
REPORT_FN(kg_error, KG_ERROR)
REPORT_FN(kg_failure, KG_FAILURE)

bool kg_check(bool ok, const char *fmt, ...)
{
	char line[400];
	va_list ap;

	/* One console write per line: hypervisors prefix e9 output by line. */
	va_start(ap, fmt);
	kg_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!ok && status < KG_FAILURE)
		status = KG_FAILURE;
	kg_printf("%s: %s\n", ok ? "PASS" : "FAIL", line);
	return ok;
}

/*
 * Without Xen there is nobody to power off to.  "debug_exit=PORT" on the
 * command line names an I/O port to write the outcome to first (QEMU's
 * isa-debug-exit device exits with status (value << 1) | 1), so emulator
 * runs need not wait for a timeout.
 */
static void __noreturn power_off(unsigned int reason)
{
	unsigned long port;
	long rc;

	if (kg_xen.hcall_ready) {
		rc = kg_shutdown(reason);
		/* Only reached if the hypervisor ignored the request. */
		kg_printf("SCHEDOP_shutdown(%u) returned %ld\n", reason, rc);
	} else {
		port = kg_cmdline_ulong("debug_exit", 0);
		if (port && port <= 0xffff)
			kg_outb((u16)port, (u8)status);
	}
	kg_halt_forever();
}

void kg_exit(void)
{
	if (status == KG_RUNNING)
		kg_error("Test did not report a status\n");
	kg_printf("Test result: %s\n", status_name[status]);
	power_off(SHUTDOWN_poweroff);
}

void kg_panic(const char *fmt, ...)
{
	va_list ap;

	kg_printf("PANIC: ");
	va_start(ap, fmt);
	kg_vprintf(fmt, ap);
	va_end(ap);
	status = KG_ERROR;
	kg_printf("Test result: ERROR\n");
	power_off(SHUTDOWN_crash);
}
