// SPDX-License-Identifier: GPL-2.0
/*
 * xentop's columns and their widths, as xentop prints them in batch
 * mode: right-aligned, one blank between columns, the name cut to 10
 * characters.  The VBD_* counters are kxen's block backend's, summed
 * over every disk the domain had (xentop sums the ones it has now).
 */
#include "top.h"
#include "util.h"

void top_state(uint32_t state, char out[7])
{
	/* xentop's order: dying, shutdown, blocked, crashed, paused, running */
	static const char letters[] = "dsbcpr";
	int set;

	switch (state) {
	case KXEN_STATE_DYING:
		set = 0;
		break;
	case KXEN_STATE_SHUTDOWN:
		set = 1;
		break;
	case KXEN_STATE_BLOCKED:
		set = 2;
		break;
	case KXEN_STATE_CRASHED:
		set = 3;
		break;
	case KXEN_STATE_CREATED:
	case KXEN_STATE_PAUSED:
		set = 4;
		break;
	case KXEN_STATE_RUNNING:
		set = 5;
		break;
	default:
		set = -1;
	}
	for (int i = 0; i < 6; i++)
		out[i] = i == set ? letters[i] : '-';
	out[6] = '\0';
}

double top_cpu_pct(uint64_t prev_ns, uint64_t now_ns, uint64_t elapsed_ns)
{
	if (!elapsed_ns || now_ns < prev_ns)
		return 0.0;
	return (double)(now_ns - prev_ns) * 100.0 / (double)elapsed_ns;
}

void top_print_header(FILE *f)
{
	/* xentop's field table: each header right-aligned in its width */
	static const struct {
		const char *name;
		int width;
	} cols[] = {
		{ "NAME", 10 }, { "STATE", 6 }, { "CPU(sec)", 10 },
		{ "CPU(%)", 6 }, { "MEM(k)", 10 }, { "MEM(%)", 6 },
		{ "MAXMEM(k)", 10 }, { "MAXMEM(%)", 9 }, { "VCPUS", 5 },
		{ "NETS", 4 }, { "NETTX(k)", 8 }, { "NETRX(k)", 8 },
		{ "VBDS", 4 }, { "VBD_OO", 8 }, { "VBD_RD", 8 },
		{ "VBD_WR", 8 }, { "VBD_RSECT", 10 }, { "VBD_WSECT", 10 },
		{ "SSID", 4 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cols); i++)
		fprintf(f, "%s%*s", i ? " " : "", cols[i].width, cols[i].name);
	fputc('\n', f);
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? (double)part * 100.0 / (double)whole : 0.0;
}

void top_print_row(FILE *f, const struct top_row *r, uint64_t host_kb)
{
	char state[7];

	top_state(r->state, state);
	fprintf(f, "%10.10s %6s %10llu %6.1f %10llu %6.1f ", r->name, state,
		(unsigned long long)(r->cpu_ns / 1000000000), r->cpu_pct,
		(unsigned long long)r->mem_kb, pct(r->mem_kb, host_kb));
	if (r->max_kb)
		fprintf(f, "%10llu %9.1f ", (unsigned long long)r->max_kb,
			pct(r->max_kb, host_kb));
	else
		fprintf(f, "%10s %9s ", "no limit", "n/a");
	fprintf(f, "%5u %4u %8llu %8llu %4u %8llu %8llu %8llu %10llu %10llu %4u\n",
		r->vcpus, r->nets, (unsigned long long)(r->net_tx_bytes / 1024),
		(unsigned long long)(r->net_rx_bytes / 1024), r->vbds,
		(unsigned long long)r->vbd[KXEN_VBD_OO],
		(unsigned long long)r->vbd[KXEN_VBD_RD],
		(unsigned long long)r->vbd[KXEN_VBD_WR],
		(unsigned long long)r->vbd[KXEN_VBD_RSECT],
		(unsigned long long)r->vbd[KXEN_VBD_WSECT], 0);
}
