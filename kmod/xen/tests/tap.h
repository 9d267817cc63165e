/* SPDX-License-Identifier: GPL-2.0 */
/* TAP for the userspace unit tests: CHECK() lines, then tap_done(). */
#ifndef KXEN_XEN_TESTS_TAP_H
#define KXEN_XEN_TESTS_TAP_H

#include <stdio.h>

#include "../plat.h"
#include "../../core/tests/tap.h"

/* plat.h's test hook: none unless a test sets one. */
void (*kxen_test_cmpxchg_hook)(u32 *w);

#endif /* KXEN_XEN_TESTS_TAP_H */
