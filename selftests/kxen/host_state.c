// SPDX-License-Identifier: GPL-2.0
/*
 * host_state: does an L1 user task keep what a VM exit takes from the CPU?
 * A VT-x exit leaves LDTR null and the TSS limit at 0x67 (SDM Vol. 3
 * 28.5.2); a hypervisor that does not put them back breaks a task that
 * uses an LDT segment (modify_ldt) or an I/O bitmap (ioperm) and runs on
 * that CPU after the vCPU thread.  This task does both, in a loop, for
 * SECONDS seconds: it reloads %gs from its LDT entry (a null LDTR makes
 * that #GP, a SIGSEGV) and writes I/O port 0x80 (the lost bitmap makes
 * that #GP too).
 *
 *   host_state SECONDS     prints "host_state: N rounds" and exits 0, or
 *                          dies of SIGSEGV
 */
#include <asm/ldt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define LDT_SEL		((0 << 3) | 4 | 3)	/* entry 0, LDT, RPL 3 */

static void ldt_setup(void)
{
	struct user_desc d;

	memset(&d, 0, sizeof(d));
	d.entry_number = 0;
	d.limit = 0xfffff;
	d.seg_32bit = 1;
	d.limit_in_pages = 1;
	if (syscall(SYS_modify_ldt, 1, &d, sizeof(d))) {
		perror("host_state: modify_ldt");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	unsigned long rounds = 0, i;
	time_t end;

	if (argc != 2) {
		fprintf(stderr, "usage: host_state SECONDS\n");
		return 2;
	}
	ldt_setup();
	if (ioperm(0x80, 1, 1)) {
		perror("host_state: ioperm");
		return 2;
	}
	end = time(NULL) + atoi(argv[1]);
	while (time(NULL) < end) {
		for (i = 0; i < 10000; i++) {
			asm volatile("mov %0, %%gs" : : "r" (LDT_SEL));
			outb(0, 0x80);
		}
		rounds++;
		usleep(100);	/* let the vCPU threads run on this CPU */
	}
	printf("host_state: %lu rounds\n", rounds);
	return 0;
}
