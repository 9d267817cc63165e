// SPDX-License-Identifier: GPL-2.0
/*
 * Counter 2 of an 8254 and port 0x61, from the time alone: nothing is
 * scheduled, each read works out where the count is now (why, in
 * i8254.h).  Section numbers are the Intel 8254 datasheet's (231164).
 */
#include "i8254.h"

#define CW_SC(v)	((v) >> 6)		/* select counter, 3: read-back */
#define CW_RW(v)	(((v) >> 4) & 3)	/* 0: latch the count */
#define CW_MODE(v)	(((v) >> 1) & 7)
#define RB_NO_COUNT	0x20			/* read-back: don't latch count */
#define RB_NO_STATUS	0x10			/* ... nor status */
#define RB_COUNTER2	0x08
#define ST_OUT		0x80			/* status: the OUT pin */
#define ST_NULL_COUNT	0x40			/* ... no count loaded yet */
#define PB_GATE2	0x01			/* port 0x61 */
#define PB_WRITABLE	0x0f
#define PB_REFRESH	0x10
#define PB_OUT2		0x20
#define NS_PER_SEC	1000000000ULL
#define REFRESH_NS	15085	/* the DRAM refresh bit's half period */

/* Input clock periods in @ns, without overflow for any u64. */
static u64 ns_to_ticks(u64 ns)
{
	return ns / NS_PER_SEC * KXEN_I8254_HZ +
	       ns % NS_PER_SEC * KXEN_I8254_HZ / NS_PER_SEC;
}

/* What a count wraps at: 0 loads the largest count (Write Operations). */
static u32 modulus(const struct kxen_i8254 *p)
{
	return p->bcd ? 10000 : 65536;
}

static bool gated_mode(const struct kxen_i8254 *p)
{
	return p->mode != 1 && p->mode != 5;
}

static u64 elapsed(const struct kxen_i8254 *p, u64 now_ns)
{
	if (!p->running || now_ns < p->start_ns)
		return p->paused_ticks;
	return p->paused_ticks + ns_to_ticks(now_ns - p->start_ns);
}

static void restart(struct kxen_i8254 *p, u64 now_ns)
{
	p->paused_ticks = 0;
	p->start_ns = now_ns;
	p->running = true;
}

/* The count and OUT after @e clocks of counting, by mode. */
static u32 count_at(const struct kxen_i8254 *p, u64 e, bool *out)
{
	u32 n = p->reload, m = modulus(p), t, half;

	switch (p->mode) {
	case 2:		/* rate generator: N..1, OUT low for the 1 */
		t = n - e % n;
		*out = t != 1;
		return t % m;
	case 3:		/* square wave: counts by two, each half */
		t = e % n;
		half = (n + 1) / 2;
		*out = t < half;
		return (n - 2 * (t < half ? t : t - half)) % m;
	case 4:		/* software strobe: OUT low for one clock */
	case 5:
		*out = e != n;
		break;
	default:	/* 0, 1: OUT goes high at the terminal count */
		*out = e >= n;
		break;
	}
	/* Past zero the counter goes on down from its largest value. */
	return (n + m - (u32)(e % m)) % m;
}

static u32 count_now(const struct kxen_i8254 *p, u64 now_ns, bool *out)
{
	u32 c;

	if (!p->loaded) {
		*out = p->mode != 0;	/* mode 0 drives OUT low at once */
		return 0;
	}
	if (!gated_mode(p) && !p->triggered) {
		*out = true;
		return p->reload % modulus(p);
	}
	c = count_at(p, elapsed(p, now_ns), out);
	/* Gate low holds modes 2 and 3 with OUT high (Mode Definitions). */
	if (!(p->port_b & PB_GATE2) && (p->mode == 2 || p->mode == 3))
		*out = true;
	return c;
}

static u16 to_bcd(u32 v)
{
	return v % 10 | (v / 10 % 10) << 4 | (v / 100 % 10) << 8 |
	       (v / 1000 % 10) << 12;
}

static u32 from_bcd(u16 v)
{
	u32 n = 0, scale = 1, d;
	int i;

	for (i = 0; i < 4; i++, v >>= 4, scale *= 10) {
		d = v & 0xf;
		n += (d > 9 ? 9 : d) * scale;
	}
	return n;
}

static u16 encoded_count(const struct kxen_i8254 *p, u64 now_ns)
{
	bool out;
	u32 c = count_now(p, now_ns, &out);

	return p->bcd ? to_bcd(c) : (u16)c;
}

static u8 status_now(const struct kxen_i8254 *p, u64 now_ns)
{
	bool out;

	count_now(p, now_ns, &out);
	return (out ? ST_OUT : 0) | (p->loaded ? 0 : ST_NULL_COUNT) |
	       p->access << 4 | p->mode << 1 | p->bcd;
}

void kxen_i8254_init(struct kxen_i8254 *p)
{
	*p = (struct kxen_i8254){ .access = 3 };
}

bool kxen_i8254_owns(u16 port)
{
	return port == KXEN_I8254_COUNTER2 || port == KXEN_I8254_CONTROL ||
	       port == KXEN_I8254_PORT_B;
}

static void latch_count(struct kxen_i8254 *p, u64 now_ns)
{
	/* A second latch before the first is read is ignored. */
	if (p->latched)
		return;
	p->latch = encoded_count(p, now_ns);
	p->latched = true;
}

/* The read-back command, for the one counter there is (Figure 10). */
static void read_back(struct kxen_i8254 *p, u8 val, u64 now_ns)
{
	if (!(val & RB_COUNTER2))
		return;
	if (!(val & RB_NO_STATUS) && !p->status_latched) {
		p->status = status_now(p, now_ns);
		p->status_latched = true;
	}
	if (!(val & RB_NO_COUNT))
		latch_count(p, now_ns);
}

static void write_control(struct kxen_i8254 *p, u8 val, u64 now_ns)
{
	if (CW_SC(val) == 3) {
		read_back(p, val, now_ns);
		return;
	}
	if (CW_SC(val) != 2)
		return;		/* counters 0 and 1: not there */
	if (!CW_RW(val)) {
		latch_count(p, now_ns);
		return;
	}
	p->access = CW_RW(val);
	p->mode = CW_MODE(val) > 5 ? CW_MODE(val) - 4 : CW_MODE(val);
	p->bcd = val & 1;
	p->loaded = false;
	p->running = false;
	p->triggered = false;
	p->paused_ticks = 0;
	p->write_msb = false;
	p->read_msb = false;
	p->latched = false;
	p->status_latched = false;
}

static void load_count(struct kxen_i8254 *p, u16 raw, u64 now_ns)
{
	u32 n = p->bcd ? from_bcd(raw) : raw;

	p->reload = n ? n : modulus(p);
	p->loaded = true;
	p->triggered = false;
	p->paused_ticks = 0;
	p->running = false;
	/* Modes 1 and 5 wait for the gate's rising edge. */
	if (gated_mode(p) && (p->port_b & PB_GATE2))
		restart(p, now_ns);
}

static void write_counter(struct kxen_i8254 *p, u8 val, u64 now_ns)
{
	switch (p->access) {
	case 1:
		load_count(p, val, now_ns);
		break;
	case 2:
		load_count(p, val << 8, now_ns);
		break;
	default:
		if (!p->write_msb) {
			p->first = val;
			p->write_msb = true;
			break;
		}
		p->write_msb = false;
		load_count(p, p->first | val << 8, now_ns);
		break;
	}
}

static void gate_rises(struct kxen_i8254 *p, u64 now_ns)
{
	if (!p->loaded)
		return;
	if (p->mode == 0 || p->mode == 4) {
		p->start_ns = now_ns;	/* resume where it paused */
		p->running = true;
		return;
	}
	/* 1, 5: a trigger; 2, 3: a fresh period. */
	p->triggered = true;
	restart(p, now_ns);
}

static void gate_falls(struct kxen_i8254 *p, u64 now_ns)
{
	if (!gated_mode(p) || !p->running)
		return;
	p->paused_ticks = elapsed(p, now_ns);
	p->running = false;
}

static void write_port_b(struct kxen_i8254 *p, u8 val, u64 now_ns)
{
	bool was = p->port_b & PB_GATE2;

	p->port_b = val & PB_WRITABLE;
	if (!was && (val & PB_GATE2))
		gate_rises(p, now_ns);
	else if (was && !(val & PB_GATE2))
		gate_falls(p, now_ns);
}

void kxen_i8254_write(struct kxen_i8254 *p, u16 port, u8 val, u64 now_ns)
{
	switch (port) {
	case KXEN_I8254_COUNTER2:
		write_counter(p, val, now_ns);
		break;
	case KXEN_I8254_CONTROL:
		write_control(p, val, now_ns);
		break;
	case KXEN_I8254_PORT_B:
		write_port_b(p, val, now_ns);
		break;
	}
}

/* One byte of a 16-bit value, as the access mode and flip-flop say. */
static u8 next_byte(struct kxen_i8254 *p, u16 v, bool *done)
{
	bool msb = p->access == 2 || (p->access == 3 && p->read_msb);

	if (p->access == 3)
		p->read_msb = !p->read_msb;
	*done = p->access != 3 || !p->read_msb;
	return msb ? v >> 8 : v & 0xff;
}

static u8 read_counter(struct kxen_i8254 *p, u64 now_ns)
{
	bool done;
	u8 b;

	if (p->status_latched) {
		p->status_latched = false;
		return p->status;
	}
	if (!p->latched)
		return next_byte(p, encoded_count(p, now_ns), &done);
	b = next_byte(p, p->latch, &done);
	if (done)
		p->latched = false;
	return b;
}

u8 kxen_i8254_read(struct kxen_i8254 *p, u16 port, u64 now_ns)
{
	bool out;

	switch (port) {
	case KXEN_I8254_COUNTER2:
		return read_counter(p, now_ns);
	case KXEN_I8254_PORT_B:
		count_now(p, now_ns, &out);
		return p->port_b | (out ? PB_OUT2 : 0) |
		       (now_ns / REFRESH_NS & 1 ? PB_REFRESH : 0);
	default:	/* the control word register is write-only */
		return 0xff;
	}
}
