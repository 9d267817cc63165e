/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A domain's configuration, from xl.cfg settings (xl.cfg(5)) to plain
 * values, with xl's defaults and xl's rules for the kernel command line.
 */
#ifndef XL_LITE_DOMCFG_H
#define XL_LITE_DOMCFG_H

#include <stdint.h>

#include "cfg.h"
#include "diskspec.h"
#include "nicspec.h"

/*
 * xl.cfg(5) "Event Actions".  rename-restart and the coredump ones are
 * refused when parsed (dom_config_from_cfg says why), so a dom_config
 * only ever holds destroy, restart or preserve.
 */
enum dom_action {
	ACT_DESTROY,
	ACT_RESTART,
	ACT_RESTART_RENAME,
	ACT_PRESERVE,
	ACT_COREDUMP_DESTROY,
	ACT_COREDUMP_RESTART,
};

struct dom_config {
	const char *name;
	const char *kernel;
	const char *ramdisk;	/* NULL: none */
	char *cmdline;		/* built; "" when none */
	uint64_t memory_mib;
	unsigned int vcpus;
	unsigned int debug_port;	/* xl-lite extension, 0 or 1 */
	enum dom_action on_poweroff, on_reboot, on_crash;
	enum dom_action on_watchdog, on_soft_reset;
	struct disk_spec *disks;	/* disk = [...], in order */
	unsigned int ndisks;
	struct nic_spec *nics;		/* vif = [...], in order, devids set */
	unsigned int nnics;
};

#define DOMCFG_DEFAULT_MEMORY_MIB	32	/* libxl's default max_memkb */

/*
 * Fill @dc from @cfg (which must outlive @dc).  Unknown keys are passed
 * to @warn one message at a time ("file:line:col: key: ...") and are not
 * fatal.  Returns 0, or -1 with cfg->err set.
 */
int dom_config_from_cfg(struct cfg *cfg, struct dom_config *dc,
			void (*warn)(const char *msg));
void dom_config_free(struct dom_config *dc);

const char *dom_action_name(enum dom_action a);

#endif /* XL_LITE_DOMCFG_H */
