// SPDX-License-Identifier: GPL-2.0
/*
 * 64-bit division for the 32-bit build.  gcc turns u64 '/' and '%' on
 * i386 into calls to libgcc's __udivdi3 and friends (gcc internals,
 * "Routines for integer arithmetic"); the guests link no libgcc (an
 * i386 one needs the multilib packages), so these are the routines, by
 * shift and subtract: slow, but only printing and time arithmetic use
 * them.
 */
#include <kg/lib.h>

u64 __udivmoddi4(u64 n, u64 d, u64 *rem)
{
	u64 q = 0, r = 0;
	int i;

	if (!d)
		__builtin_trap();	/* #UD: as fatal as the CPU's #DE */
	if (!(n >> 32) && !(d >> 32)) {
		/* One 32-bit DIV does it. */
		q = (u32)n / (u32)d;
		r = (u32)n % (u32)d;
	} else {
		for (i = 63; i >= 0; i--) {
			r = r << 1 | ((n >> i) & 1);
			if (r >= d) {
				r -= d;
				q |= 1ull << i;
			}
		}
	}
	if (rem)
		*rem = r;
	return q;
}

u64 __udivdi3(u64 n, u64 d)
{
	return __udivmoddi4(n, d, NULL);
}

u64 __umoddi3(u64 n, u64 d)
{
	u64 r;

	__udivmoddi4(n, d, &r);
	return r;
}

/* C's truncating division: the quotient's sign is the operands' xor. */
s64 __divdi3(s64 n, s64 d)
{
	u64 q = __udivmoddi4(n < 0 ? -(u64)n : (u64)n,
			     d < 0 ? -(u64)d : (u64)d, NULL);

	return (n < 0) != (d < 0) ? -(s64)q : (s64)q;
}

/* The remainder takes the dividend's sign. */
s64 __moddi3(s64 n, s64 d)
{
	u64 r;

	__udivmoddi4(n < 0 ? -(u64)n : (u64)n, d < 0 ? -(u64)d : (u64)d, &r);
	return n < 0 ? -(s64)r : (s64)r;
}
