// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite top's table (top.c): xentop's header, widths and formats,
 * its state letters and CPU(%).
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "top.h"

static char *row_text(const struct top_row *r, uint64_t host_kb)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (r)
		top_print_row(f, r, host_kb);
	else
		top_print_header(f);
	fclose(f);
	return buf;
}

static void text_is(const struct top_row *r, uint64_t host_kb,
		    const char *want, const char *what)
{
	char *got = row_text(r, host_kb);

	if (!tap_ok(got && !strcmp(got, want), "top: %s", what))
		tap_diag("got  [%s]\nwant [%s]", got ? got : "", want);
	free(got);
}

static void test_table(void)
{
	struct top_row web = {
		.domid = 3, .name = "webserver-frontend", .state = KXEN_STATE_BLOCKED,
		.cpu_ns = 12999999999ULL, .cpu_pct = 12.345, .mem_kb = 262144,
		.max_kb = 524288, .vcpus = 2, .nets = 1, .vbds = 2,
		.net_tx_bytes = 2047, .net_rx_bytes = 1048576,
		.vbd = { [KXEN_VBD_OO] = 7, [KXEN_VBD_RD] = 1234,
			 [KXEN_VBD_WR] = 56789012, [KXEN_VBD_RSECT] = 98765,
			 [KXEN_VBD_WSECT] = 4294967296ULL },
	};
	struct top_row dom0 = {
		.name = "Domain-0", .state = KXEN_STATE_RUNNING,
		.cpu_ns = 5000000000ULL, .mem_kb = 1048576, .vcpus = 4,
	};

	text_is(NULL, 0,
		"      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID\n",
		"xentop's header, right-aligned columns");
	text_is(&web, 2097152,
		"webserver- --b---         12   12.3     262144   12.5     524288      25.0     2    1        1     1024    2        7     1234 56789012      98765 4294967296    0\n",
		"a domain: name cut to 10, whole seconds, KiB, percent of the host, its VBD counters");
	text_is(&dom0, 2097152,
		"  Domain-0 -----r          5    0.0    1048576   50.0   no limit       n/a     4    0        0        0    0        0        0        0          0          0    0\n",
		"Domain-0: no limit, n/a");
}

static void state_is(uint32_t state, const char *want)
{
	char got[7];

	top_state(state, got);
	tap_ok(!strcmp(got, want), "top: state %u is %s (got %s)", state, want,
	       got);
}

static void test_states(void)
{
	state_is(KXEN_STATE_CREATED, "----p-");
	state_is(KXEN_STATE_RUNNING, "-----r");
	state_is(KXEN_STATE_BLOCKED, "--b---");
	state_is(KXEN_STATE_PAUSED, "----p-");
	state_is(KXEN_STATE_SHUTDOWN, "-s----");
	state_is(KXEN_STATE_CRASHED, "---c--");
	state_is(KXEN_STATE_DYING, "d-----");
	state_is(99, "------");
}

static void test_cpu_pct(void)
{
	tap_ok(top_cpu_pct(1000000000ULL, 2500000000ULL, 3000000000ULL) == 50.0,
	       "top: 1.5 s of run time over 3 s is 50%%");
	tap_ok(top_cpu_pct(0, 6000000000ULL, 3000000000ULL) == 200.0,
	       "top: two busy vCPUs are 200%%, as xentop counts");
	tap_ok(top_cpu_pct(5, 9, 0) == 0.0 && top_cpu_pct(9, 5, 10) == 0.0,
	       "top: no time elapsed, or a counter that went back, is 0");
}

void top_tests(void)
{
	test_table();
	test_states();
	test_cpu_pct();
}
