/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counter 2 of an 8254 timer (Intel 8254 datasheet, 231164) and the bits
 * of port 0x61 that go with it: the PC speaker's timer.  A PVH domain has
 * no 8259 or I/O APIC, so counters 0 and 1, whose outputs are interrupt
 * lines, would drive nothing; counter 2's output is only read back
 * through port 0x61, so it works without one.
 *
 * Why a PVH domain gets it: Linux calibrates the CPU frequency early in
 * boot with counter 2 (quick_pit_calibrate(), arch/x86/kernel/tsc.c)
 * before it has parsed ACPI and learnt there is no legacy PIC, whatever
 * the hypervisor says.  On an empty bus its reads float to 0xff, the
 * counter's MSB never changes, and the loop spins its full 50,000 rounds:
 * 100,000 port reads, each a VM exit, in every Linux boot.  With a
 * counter that counts, the loop sees the MSB move (or gives up because
 * each read takes too long to calibrate with) within a few dozen reads.
 *
 * Plain C for the kernel (pio.c) and the userspace unit test: the caller
 * passes the time in nanoseconds and serialises the calls.
 */
#ifndef KXEN_CORE_I8254_H
#define KXEN_CORE_I8254_H

#include "plain_types.h"

#define KXEN_I8254_HZ		1193182	/* its input clock */
#define KXEN_I8254_COUNTER2	0x42
#define KXEN_I8254_CONTROL	0x43
#define KXEN_I8254_PORT_B	0x61	/* "system control port B" */

struct kxen_i8254 {
	u64 start_ns;		/* when counting began, less any pause */
	u64 paused_ticks;	/* the count's progress while paused */
	u32 reload;		/* the initial count, 1..65536 */
	u16 first;		/* the LSB of a two-byte write */
	u16 latch;		/* a latched count */
	u8 status;		/* a latched status byte */
	u8 mode;		/* 0-5 */
	u8 access;		/* RW bits: 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;
	bool loaded;		/* a count was written after the control word */
	bool running;		/* counting now (gate, trigger) */
	bool triggered;		/* modes 1 and 5: the gate rose since load */
	bool write_msb;		/* the next byte written is the MSB */
	bool read_msb;		/* the next byte read is the MSB */
	bool latched;
	bool status_latched;
	u8 port_b;		/* port 0x61's writable bits 0-3 */
};

void kxen_i8254_init(struct kxen_i8254 *p);
bool kxen_i8254_owns(u16 port);
u8 kxen_i8254_read(struct kxen_i8254 *p, u16 port, u64 now_ns);
void kxen_i8254_write(struct kxen_i8254 *p, u16 port, u8 val, u64 now_ns);

#endif
