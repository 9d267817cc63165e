/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl-lite top: xentop's table (tools/xentop/xentop.c), one row a
 * domain, as plain C for the unit tests.
 */
#ifndef XL_LITE_TOP_H
#define XL_LITE_TOP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/kxen.h>

struct top_row {
	uint32_t domid;
	char name[KXEN_NAME_MAX];
	uint32_t state;		/* enum kxen_domain_state */
	uint64_t cpu_ns;	/* summed over its vCPUs */
	double cpu_pct;
	uint64_t mem_kb;	/* what it holds now */
	uint64_t max_kb;	/* 0: no limit (Domain-0) */
	unsigned int vcpus, nets, vbds;
	uint64_t net_tx_bytes, net_rx_bytes;	/* the guest's view */
	uint64_t vbd[__KXEN_VBD_MAX];		/* KXEN_VBD_* */
};

/* xentop's six state letters, "dsbcpr", '-' for each that is not so. */
void top_state(uint32_t state, char out[7]);

/*
 * CPU(%): the share of one CPU @now_ns - @prev_ns of run time is over
 * @elapsed_ns (xentop: 0.0 without an earlier sample, @elapsed_ns 0).
 */
double top_cpu_pct(uint64_t prev_ns, uint64_t now_ns, uint64_t elapsed_ns);

/* The header line and one domain's line; @host_kb is the host's RAM. */
void top_print_header(FILE *f);
void top_print_row(FILE *f, const struct top_row *r, uint64_t host_kb);

#endif /* XL_LITE_TOP_H */
