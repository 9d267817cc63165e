// SPDX-License-Identifier: GPL-2.0
/* Xen pvclock reader (xen.h struct vcpu_time_info). */
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/time.h>

/*
 * (delta * mul) >> 32 without a 128-bit type (none in the 32-bit build):
 * the high half's product needs no shift, the low half's gives its carry.
 */
static u64 scale_delta(u64 delta, u32 mul, s8 shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (delta >> 32) * mul + (((delta & 0xffffffffu) * mul) >> 32);
}

/*
 * A u64 of the time info.  The 32-bit build reads it as two halves (one
 * 8-byte load would need lock cmpxchg8b, or libatomic): the version check
 * around every read catches an update between them.
 */
static u64 read_u64(const u64 *p)
{
#ifdef __x86_64__
	return READ_ONCE(*p);
#else
	const u32 *h = (const u32 *)p;

	return READ_ONCE(h[0]) | (u64)READ_ONCE(h[1]) << 32;
#endif
}

u64 kg_pvclock_ns_tsc(const struct vcpu_time_info *t, u64 *tsc)
{
	u32 version;
	u64 ns;

	do {
		version = READ_ONCE(t->version);
		kg_barrier();
		*tsc = kg_rdtsc();
		ns = read_u64(&t->system_time) +
		     scale_delta(*tsc - read_u64(&t->tsc_timestamp),
				 READ_ONCE(t->tsc_to_system_mul),
				 READ_ONCE(t->tsc_shift));
		kg_barrier();
	} while ((version & 1) || version != READ_ONCE(t->version));
	return ns;
}

u64 kg_pvclock_ns(const struct vcpu_time_info *t)
{
	u64 tsc;

	return kg_pvclock_ns_tsc(t, &tsc);
}

u64 kg_now_ns(void)
{
	return kg_pvclock_ns(&kg_vcpu_info->time);
}

u64 kg_pvclock_tsc_khz(const struct vcpu_time_info *t)
{
	/* xen.h: Hz = ((10^9 << 32) / mul) >> shift; here kHz = 10^6. */
	u64 khz = ((u64)1000000 << 32) / (t->tsc_to_system_mul ?: 1);

	return t->tsc_shift < 0 ? khz << -t->tsc_shift : khz >> t->tsc_shift;
}

bool kg_pvclock_alive(void)
{
	u64 ns = kg_now_ns(), tsc = kg_rdtsc();

	while (kg_rdtsc() - tsc < (1ul << 24))
		kg_cpu_relax();
	return kg_vcpu_info->time.tsc_to_system_mul && kg_now_ns() > ns;
}

void kg_delay_ns(u64 ns)
{
	u64 end = kg_now_ns() + ns;

	while (kg_now_ns() < end)
		kg_cpu_relax();
}
