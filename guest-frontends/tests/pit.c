// SPDX-License-Identifier: GPL-2.0
/*
 * pit: kxen's PIT counter 2 and port 0x61 (kmod/core/i8254.h), timed
 * against Xen system time (pvclock):
 * - counters 0 and 1 are not there (their ports float to 0xff);
 * - mode 0 counts down at 1.193182 MHz: the drop between two reads lies
 *   between the clock's ticks over the time that surely passed between
 *   them and over the time that may have, give or take SLACK_PCT: the
 *   counter runs on the host's clock, pvclock on the TSC, and under an
 *   emulator the two were seen 1.1% (QEMU) and 7% (Bochs) apart;
 * - OUT (port 0x61 bit 5) rises at the terminal count: never seen high
 *   before the count's 10 ms can have passed, always after;
 * - a latched count holds while the counter moves on;
 * - gate low (port 0x61 bit 0) holds the count, gate high resumes it.
 * Xen gives a PVH domain no PIT: there the test skips.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/report.h>
#include <kg/time.h>

KG_TEST_TITLE("pit");

#define HZ		1193182ull
#define CNT2		0x42
#define CTRL		0x43
#define PORT_B		0x61
#define GATE2		0x01
#define SPEAKER		0x02
#define OUT2		0x20
#define MS		KG_NSEC_PER_MSEC
#define TC_COUNT	11932		/* 10 ms of clocks */
#define TC_NS		(10 * MS)
#define LATE_NS		(500 * MS)
#define SLACK_PCT	25		/* host clock against pvclock */

static u64 ticks(u64 ns)
{
	return ns * HZ / KG_NSEC_PER_SEC;
}

/* @v less or more SLACK_PCT percent. */
static u64 less(u64 v)
{
	return v * (100 - SLACK_PCT) / 100;
}

static u64 more(u64 v)
{
	return v * (100 + SLACK_PCT) / 100;
}

static void gate(bool on)
{
	kg_outb(PORT_B, (kg_inb(PORT_B) & ~(GATE2 | SPEAKER)) | (on ? GATE2 : 0));
}

/* Mode 0, LSB then MSB: the count loads with the second write. */
static void load(u16 count)
{
	kg_outb(CTRL, 0xb0);
	kg_outb(CNT2, count & 0xff);
	kg_outb(CNT2, count >> 8);
}

static u16 read_count(void)
{
	u16 lo = kg_inb(CNT2);

	return lo | kg_inb(CNT2) << 8;
}

static void check_rate(void)
{
	u64 ta, tb, tc, td, lo, hi, down;
	u16 c1, c2;

	load(0xffff);
	ta = kg_now_ns();
	c1 = read_count();
	tb = kg_now_ns();
	kg_delay_ns(2 * MS);
	tc = kg_now_ns();
	c2 = read_count();
	td = kg_now_ns();
	lo = less(ticks(tc - tb));
	hi = more(ticks(td - ta)) + 2;
	down = c1 > c2 ? c1 - c2 : 0;
	kg_check(down >= lo && down <= hi,
		 "mode 0 counts at 1.193182 MHz: down %llu over 2 ms, within [%llu, %llu]",
		 (unsigned long long)down, (unsigned long long)lo,
		 (unsigned long long)hi);
}

static void check_terminal_count(void)
{
	u64 t0, t1, before, after;
	bool early = false, late = false;
	u8 b;

	kg_outb(CTRL, 0xb0);
	kg_outb(CNT2, TC_COUNT & 0xff);
	t0 = kg_now_ns();
	kg_outb(CNT2, TC_COUNT >> 8);
	t1 = kg_now_ns();
	for (;;) {
		before = kg_now_ns();
		b = kg_inb(PORT_B);
		after = kg_now_ns();
		if (b & OUT2)
			break;
		/* Low although the count surely ran out: OUT is late. */
		if (before > t1 + more(TC_NS) + 2000)
			late = true;
		if (before - t0 > LATE_NS)
			break;
	}
	early = (b & OUT2) && after < t0 + less(TC_NS);
	kg_check((b & OUT2) && !early && !late,
		 "OUT rises at the terminal count: seen %llu us after the load (10000)%s%s",
		 (unsigned long long)(after - t0) / 1000,
		 early ? ", too early" : "", late ? ", late" : "");
}

static void check_latch(void)
{
	u16 latched, live;

	load(0xffff);
	kg_outb(CTRL, 0x80);			/* latch counter 2 */
	kg_delay_ns(1 * MS);
	latched = read_count();
	live = read_count();
	kg_check(latched > live && (u64)(latched - live) >= less(ticks(MS)),
		 "a latched count holds: %u latched, %u live 1 ms later",
		 latched, live);
}

static void check_gate(void)
{
	u16 c1, c2, c3;

	load(0xffff);
	gate(false);
	c1 = read_count();
	kg_delay_ns(1 * MS);
	c2 = read_count();
	gate(true);
	kg_delay_ns(1 * MS);
	c3 = read_count();
	kg_check(c1 == c2 && c2 > c3 && (u64)(c2 - c3) >= less(ticks(MS)),
		 "gate low holds the count (%u, %u), gate high resumes it (%u)",
		 c1, c2, c3);
}

void test_main(void)
{
	if (kg_map_shared_info() || !kg_pvclock_alive())
		kg_panic("no Xen system time to time the PIT with");
	if (kg_inb(PORT_B) == 0xff) {
		kg_skip("no PIT counter 2 (port 0x61 floats): Xen's PVH has none\n");
		return;
	}
	kg_check(kg_inb(0x40) == 0xff && kg_inb(0x41) == 0xff,
		 "counters 0 and 1 are not there: their ports read 0xff");
	gate(true);
	check_rate();
	check_terminal_count();
	check_latch();
	check_gate();
	kg_success(NULL);
}
