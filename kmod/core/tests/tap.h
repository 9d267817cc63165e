/* SPDX-License-Identifier: GPL-2.0 */
/* TAP for the userspace unit tests: CHECK() lines, then tap_done(). */
#ifndef KXEN_TESTS_TAP_H
#define KXEN_TESTS_TAP_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		passed++;						\
		printf("ok %d - ", passed + failed);			\
	} else {							\
		failed++;						\
		printf("not ok %d - ", passed + failed);		\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

/* The plan and a summary line; the exit status main() returns. */
static inline int tap_done(void)
{
	printf("1..%d\n", passed + failed);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

#endif /* KXEN_TESTS_TAP_H */
