/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen system time from a struct vcpu_time_info (xen.h): nanoseconds since
 * boot, read seqlock-style on "version" and extrapolated from the TSC:
 *   system_time + ((((tsc - tsc_timestamp) << tsc_shift) * mul) >> 32)
 */
#ifndef KG_TIME_H
#define KG_TIME_H

#include <kg/lib.h>
#include <xen/xen.h>

#define KG_NSEC_PER_MSEC	1000000ul
#define KG_NSEC_PER_SEC		1000000000ul

/* System time now, in ns, from @t. */
u64 kg_pvclock_ns(const struct vcpu_time_info *t);
/* The same, and the TSC value it was computed from in @tsc. */
u64 kg_pvclock_ns_tsc(const struct vcpu_time_info *t, u64 *tsc);

/* The same from vCPU 0's vcpu_info (kg_map_shared_info() first). */
u64 kg_now_ns(void);

/* TSC frequency in kHz implied by @t's multiplier and shift. */
u64 kg_pvclock_tsc_khz(const struct vcpu_time_info *t);

/*
 * True if vCPU 0's pvclock has a multiplier and advances over 2^24 TSC
 * ticks; the tests' timeouts depend on it, so they check it first.
 */
bool kg_pvclock_alive(void);

/* Busy-waits @ns of system time. */
void kg_delay_ns(u64 ns);

#endif /* KG_TIME_H */
