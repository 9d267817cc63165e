/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XL_LITE_VNUMA_H
#define XL_LITE_VNUMA_H

#include "cfg.h"
#include "domcfg.h"

#define DOMCFG_MAX_VNODES	64

/*
 * xl.cfg(5)'s vnuma: checked as xl and libxl check it, and its vCPU and
 * memory totals taken as maxvcpus and maxmem where those are not set.
 * kxen gives the guest no NUMA topology (a warning says so).  @host_nodes
 * and @host_cpus are the host's NUMA nodes and online CPUs.  Returns 0,
 * or -1 with cfg->err set.
 */
int dom_vnuma_parse(struct cfg *cfg, struct dom_config *dc,
		    unsigned int host_nodes, unsigned int host_cpus);

/* The host's NUMA nodes (1 where sysfs shows none) and online CPUs. */
unsigned int dom_host_nodes(void);
unsigned int dom_host_cpus(void);

#endif /* XL_LITE_VNUMA_H */
