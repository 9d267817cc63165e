// SPDX-License-Identifier: GPL-2.0
/*
 * PIT counter 2 and port 0x61 (kmod/core/i8254.c) on a virtual clock:
 * each mode's count and OUT against the 8254 datasheet, latches, the
 * access modes, BCD, the gate, the read-back command; then the probe
 * Linux's early boot runs (quick_pit_calibrate() in
 * arch/x86/kernel/tsc.c), to show why the device is there: with reads
 * as slow as an emulator's VM exits it gives up within a few dozen
 * reads (it spun 100,000 on an empty bus), and with fast reads it
 * calibrates a simulated 3 GHz TSC to within its 500 ppm.
 */
#include <stdio.h>
#include "../i8254.h"
#include "tap.h"

#define MS	1000000ULL
#define CTRL	KXEN_I8254_CONTROL
#define CNT2	KXEN_I8254_COUNTER2
#define PORTB	KXEN_I8254_PORT_B

static struct kxen_i8254 pit;
static u64 now;			/* the virtual clock, ns */
static u64 read_cost;		/* ns each port read takes */
static unsigned long reads;

static u8 in(u16 port)
{
	reads++;
	now += read_cost;
	return kxen_i8254_read(&pit, port, now);
}

static void out(u16 port, u8 val)
{
	kxen_i8254_write(&pit, port, val, now);
}

static unsigned int read16(void)
{
	unsigned int lo = in(CNT2);

	return lo | in(CNT2) << 8;
}

/* Counter 2 in @mode, LSB then MSB, binary, loaded with @count. */
static void program(unsigned int mode, unsigned int count)
{
	out(CTRL, 0x80 | 0x30 | mode << 1);
	out(CNT2, count & 0xff);
	out(CNT2, count >> 8);
}

static void reset(bool gate)
{
	kxen_i8254_init(&pit);
	now = 1000 * MS;
	read_cost = 0;
	out(PORTB, gate ? 1 : 0);
}

static bool out2(void)
{
	return in(PORTB) & 0x20;
}

static void test_mode0(void)
{
	unsigned int c;
	u64 t0;

	reset(true);
	program(0, 0xffff);
	now += 1 * MS;				/* 1193.182 clocks */
	c = read16();
	CHECK(c == 0xffff - 1193, "mode 0: 1 ms after loading 0xffff the count is %u (want %u)",
	      c, 0xffff - 1193);
	program(0, 1193);
	t0 = now;
	CHECK(!out2(), "mode 0: OUT low while counting");
	now += 999 * 1000;
	CHECK(!out2(), "mode 0: OUT still low 1 clock before the terminal count");
	now += 2 * 1000;
	CHECK(out2(), "mode 0: OUT high after the terminal count");
	now = t0 + 1198 * 1000000000ULL / KXEN_I8254_HZ + 1;
	c = read16();
	CHECK(c == 0xfffb, "mode 0: 5 clocks past zero the count reads 0xfffb (%#x)", c);
	program(0, 0);
	c = read16();
	CHECK(c == 0, "mode 0: a count of 0 is 65536, read as 0 before the first clock");
	now += 1 * MS;
	CHECK(read16() == 65536 - 1193, "mode 0: ... and counts down from 65536");
}

static void test_gate(void)
{
	unsigned int c;

	reset(false);
	program(0, 5000);
	now += 10 * MS;
	CHECK(read16() == 5000, "gate low: a loaded count does not move");
	out(PORTB, 1);
	now += 1 * MS;
	c = read16();
	CHECK(c == 5000 - 1193, "gate raised: counting starts (%u)", c);
	out(PORTB, 0);
	now += 50 * MS;
	CHECK(read16() == c, "gate lowered: the count holds (mode 0)");
	out(PORTB, 1);
	now += 1 * MS;
	c = read16();
	CHECK(c == 5000 - 2386 || c == 5000 - 2387,
	      "gate raised again: counting resumes where it stopped (%u)", c);
	out(PORTB, 0x0f);
	CHECK((in(PORTB) & 0xcf) == 0x0f,
	      "port 0x61: bits 0-3 read back, SERR and IOCHK clear");
	CHECK(in(CTRL) == 0xff, "the control word register is write-only: reads float");
}

static void test_latch(void)
{
	unsigned int c;

	reset(true);
	program(0, 0xffff);
	now += 1 * MS;
	out(CTRL, 0x80);			/* counter 2, latch */
	now += 5 * MS;
	out(CTRL, 0x80);			/* ignored: already latched */
	c = read16();
	CHECK(c == 0xffff - 1193, "latch: the count of the moment of the latch (%u)", c);
	c = read16();
	CHECK(c == 0xffff - 7159, "latch: released once both bytes were read (%u)", c);
	out(CTRL, 0x80 | 0x10);			/* LSB only */
	out(CNT2, 0x40);
	CHECK(in(CNT2) == 0x40 && in(CNT2) == 0x40,
	      "LSB-only access: each read is the LSB");
	out(CTRL, 0x80 | 0x20);			/* MSB only */
	out(CNT2, 0x12);
	CHECK(in(CNT2) == 0x12, "MSB-only access: 0x12 loads 0x1200, reads 0x12");
	now += 1 * MS;
	CHECK(in(CNT2) == (0x1200 - 1193) >> 8, "MSB-only access: counting");
}

static void test_bcd(void)
{
	reset(true);
	out(CTRL, 0x80 | 0x30 | 1);		/* mode 0, BCD */
	out(CNT2, 0x99);
	out(CNT2, 0x99);
	now += 10 * 1000000000ULL / KXEN_I8254_HZ + 1;	/* 10 clocks */
	CHECK(read16() == 0x9989, "BCD: 9999 less 10 clocks reads 0x9989");
	out(CTRL, 0x80 | 0x30 | 1);
	out(CNT2, 0x00);
	out(CNT2, 0x00);
	now += 1 * MS;
	CHECK(read16() == 0x8807, "BCD: 0 is 10000; 1193 clocks later 0x8807");
}

static void test_readback(void)
{
	u8 st;

	reset(true);
	out(CTRL, 0x80 | 0x30 | 2 << 1);	/* mode 2, no count yet */
	out(CTRL, 0xc0 | 0x20 | 0x08);		/* status of counter 2 */
	st = in(CNT2);
	CHECK(st == (0x80 | 0x40 | 0x30 | 2 << 1),
	      "read-back status: OUT, null count, LSB/MSB, mode 2 (%#x)", st);
	out(CNT2, 100);
	out(CNT2, 0);
	out(CTRL, 0xc0 | 0x08);			/* status and count */
	now += 1 * MS;
	st = in(CNT2);
	CHECK(st == (0x80 | 0x30 | 2 << 1), "read-back: count loaded (%#x)", st);
	CHECK(read16() == 100, "read-back: then the count latched with it");
	out(CTRL, 0xc0 | 0x06);			/* counters 0 and 1 only */
	now += 10 * 1000000000ULL / KXEN_I8254_HZ + 1;
	CHECK(read16() == 97, "read-back of other counters: nothing latched");
	out(CTRL, 0x00 | 0x30 | 0);		/* counter 0, mode 0 */
	out(CTRL, 0x40 | 0x10 | 4 << 1);	/* counter 1 */
	out(CTRL, 0xc0 | 0x20 | 0x08);
	CHECK((in(CNT2) & 0x0f) == 2 << 1,
	      "control words for counters 0 and 1 leave counter 2 alone");
	CHECK(!kxen_i8254_owns(0x40) && !kxen_i8254_owns(0x41) &&
	      kxen_i8254_owns(CNT2) && kxen_i8254_owns(CTRL) &&
	      kxen_i8254_owns(PORTB),
	      "ports: 0x42, 0x43, 0x61 are the device's, 0x40 and 0x41 are not");
}

static void test_periodic(void)
{
	unsigned int c, lows = 0, highs = 0, i;

	reset(true);
	out(CTRL, 0x80 | 0x30 | 6 << 1);	/* mode 6 is mode 2 */
	out(CNT2, 10);
	out(CNT2, 0);
	for (i = 0; i < 20; i++) {
		now = 1000 * MS + (i * 1000000000ULL + KXEN_I8254_HZ - 1) /
		      KXEN_I8254_HZ;
		c = read16();
		if (c != 10 - i % 10)
			break;
		lows += !out2();
	}
	CHECK(i == 20 && lows == 2,
	      "mode 2 (as 6): 10, 9, .. 1 twice, OUT low at each 1 (%u, %u lows)",
	      i, lows);
	reset(true);
	program(3, 1000);
	for (lows = 0, i = 0; i < 1000; i++) {
		now = 1000 * MS + (i * 1000000000ULL + KXEN_I8254_HZ - 1) /
		      KXEN_I8254_HZ;
		if (out2())
			highs++;
		else
			lows++;
	}
	CHECK(highs == 500 && lows == 500, "mode 3: OUT high half the period, low half (%u/%u)",
	      highs, lows);
	out(PORTB, 0);
	CHECK(out2(), "mode 3: gate low forces OUT high");
}

static void test_triggered(void)
{
	reset(false);
	program(1, 1193);
	now += 5 * MS;
	CHECK(read16() == 1193 && out2(), "mode 1: waits for the gate's edge, OUT high");
	out(PORTB, 1);
	CHECK(!out2(), "mode 1: triggered, OUT low");
	now += 1 * MS;
	CHECK(read16() == 0 && out2(),
	      "mode 1: 1 ms later the count reached 0 and OUT went high");
	reset(false);
	program(5, 100);
	out(PORTB, 1);
	CHECK(out2(), "mode 5: OUT high until the terminal count");
}

/*
 * Linux's probe, rewritten from its description: count 0xffff in mode 0,
 * wait for each MSB step, stop when the TSC delta's error is < 1/2048.
 * The TSC here runs at 3 GHz on the virtual clock.
 */
#define TSC()	(now * 3)

static bool verify_msb(u8 val)
{
	in(CNT2);
	return in(CNT2) == val;
}

static bool expect_msb(u8 val, u64 *tsc, u64 *d)
{
	u64 prev = 0, t = 0;
	int count;

	for (count = 0; count < 50000; count++) {
		if (!verify_msb(val))
			break;
		prev = t;
		t = TSC();
	}
	*d = t - prev;
	*tsc = t;
	return count > 5;
}

static unsigned long linux_probe_khz(void)
{
	u64 tsc, delta, d1, d2;
	int i;

	out(PORTB, (in(PORTB) & ~2) | 1);
	program(0, 0xffff);
	verify_msb(0);
	if (!expect_msb(0xff, &tsc, &d1))
		return 0;
	for (i = 1; i <= 233; i++) {
		if (!expect_msb(0xff - i, &delta, &d2))
			return 0;
		delta -= tsc;
		if (i == 1 && d1 + d2 >= (delta * 233) >> 11)
			return 0;
		if (d1 + d2 >= delta >> 11)
			continue;
		if (!verify_msb(0xfe - i))
			return 0;
		return delta * KXEN_I8254_HZ / (i * 256 * 1000);
	}
	return 0;
}

static void test_linux_probe(void)
{
	unsigned long khz;

	reset(false);
	read_cost = 30000;		/* a VM exit under emulation */
	reads = 0;
	khz = linux_probe_khz();
	CHECK(khz == 0 && reads < 100,
	      "Linux's probe with 30 us reads gives up after %lu reads", reads);
	reset(false);
	read_cost = 1000;		/* 1 us, as on hardware */
	reads = 0;
	khz = linux_probe_khz();
	CHECK(khz > 2998500 && khz < 3001500,
	      "Linux's probe with 1 us reads: %lu kHz for a 3 GHz TSC, %lu reads",
	      khz, reads);
	reset(true);
	now = (1ULL << 63) + 12345;	/* no overflow at any time */
	program(0, 0xffff);
	now += 1 * MS;
	CHECK(read16() == 0xffff - 1193, "counting near 2^63 ns");
}

int main(void)
{
	test_mode0();
	test_gate();
	test_latch();
	test_bcd();
	test_readback();
	test_periodic();
	test_triggered();
	test_linux_probe();
	return tap_done();
}
