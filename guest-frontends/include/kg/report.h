/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test outcome reporting with XTF's semantics: four outcomes ordered
 * SUCCESS < SKIP < ERROR < FAILURE; the worst one reported wins.  ERROR
 * means the test itself could not run properly, FAILURE that the thing
 * under test misbehaved.  kg_exit() prints exactly one final line
 * "Test result: <OUTCOME>" and powers the domain off.
 */
#ifndef KG_REPORT_H
#define KG_REPORT_H

#include <kg/lib.h>

void kg_success(const char *fmt, ...) __printf(1, 2);
void kg_skip(const char *fmt, ...) __printf(1, 2);
void kg_error(const char *fmt, ...) __printf(1, 2);
void kg_failure(const char *fmt, ...) __printf(1, 2);

/* Prints the result line and shuts down (poweroff); never returns. */
void __noreturn kg_exit(void);

/*
 * For the unexpected: prints "PANIC: ...", "Test result: ERROR" and asks
 * for SHUTDOWN_crash, so the crash is visible in the domain's state too.
 */
void __noreturn kg_panic(const char *fmt, ...) __printf(1, 2);

/* One check line: "PASS: what" or "FAIL: what" (the latter sets FAILURE). */
bool kg_check(bool ok, const char *fmt, ...) __printf(2, 3);

#endif /* KG_REPORT_H */
