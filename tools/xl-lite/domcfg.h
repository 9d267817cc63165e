/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A domain's configuration, from xl.cfg settings (xl.cfg(5)) to plain
 * values, with xl's defaults and xl's rules for the kernel command line.
 */
#ifndef XL_LITE_DOMCFG_H
#define XL_LITE_DOMCFG_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg.h"
#include "diskspec.h"
#include "nicspec.h"

/*
 * xl.cfg(5) "Event Actions".  The coredump ones are refused when parsed
 * (dom_config_from_cfg says why), so a dom_config only ever holds
 * destroy, restart, rename-restart or preserve.
 */
enum dom_action {
	ACT_DESTROY,
	ACT_RESTART,
	ACT_RESTART_RENAME,
	ACT_PRESERVE,
	ACT_COREDUMP_DESTROY,
	ACT_COREDUMP_RESTART,
};

/* Host CPUs an affinity can name: Debian's amd64 NR_CPUS. */
#define DOMCFG_MAX_CPUS		8192
#define DOMCFG_CPU_WORDS	(DOMCFG_MAX_CPUS / 64)

struct dom_cpumask {
	uint64_t bits[DOMCFG_CPU_WORDS];
};

/*
 * cpus / cpus_soft (xl.cfg(5)): a string applies to every vCPU (n = 1,
 * per_vcpu false); a list gives vCPU i the mask of entry i (n entries,
 * the vCPUs past them unrestricted).  n = 0: not set.
 */
struct dom_affinity {
	struct dom_cpumask *masks;
	unsigned int n;
	bool per_vcpu;
	const struct cfg_setting *set;	/* where it was given */
};

struct dom_config {
	const char *name;
	const char *kernel;	/* with a bootloader: in the guest, or NULL */
	const char *ramdisk;	/* NULL: none */
	const char *bootloader;	/* NULL: none (kernel= boots) */
	char **bootloader_args;	/* its extra arguments */
	unsigned int nbootloader_args;
	char *bootloader_buf;	/* the words of a string bootloader_args */
	char *cmdline;		/* built; "" when none */
	uint64_t memory_mib;
	unsigned int vcpus;
	unsigned int debug_port;	/* xl-lite extension, 0 or 1 */
	unsigned int nestedhvm;		/* 0 or 1 */
	enum dom_action on_poweroff, on_reboot, on_crash;
	enum dom_action on_watchdog, on_soft_reset;
	struct disk_spec *disks;	/* disk = [...], in order */
	unsigned int ndisks;
	struct nic_spec *nics;		/* vif = [...], in order, devids set */
	unsigned int nnics;
	/*
	 * The guest sees maxmem_mib of RAM and holds memory_mib (populate
	 * on demand), and has max_vcpus vCPUs, vcpus of them online at
	 * boot and the rest there to hot-add (vcpu-set).
	 */
	uint64_t maxmem_mib;		/* >= memory_mib */
	unsigned int max_vcpus;		/* >= vcpus */
	/* Given to the module when the domain is made (xl.cfg(5)). */
	uint8_t uuid[16];
	bool uuid_given;		/* else the module makes one */
	unsigned int max_grant_frames;	/* 0: kxen's (Xen's default) 64 */
	unsigned int max_event_channels;	/* 0: libxl's default 1023 */
	unsigned int cpu_weight;	/* 0: not set, else 1..65535 */
	int cap;			/* -1: not set, 0: none, else % */
	struct dom_affinity cpus, cpus_soft;
	unsigned int nr_vnodes;		/* vnuma: checked, not given (warned) */
};

#define DOMCFG_DEFAULT_MEMORY_MIB	32	/* libxl's default max_memkb */
#define DOMCFG_MAX_GRANT_FRAMES		64	/* KXEN_MAX_GRANT_FRAMES */
/* The FIFO ABI's last port (xl.cfg(5)), KXEN_MAX_EVTCHN_PORT */
#define DOMCFG_MAX_EVENT_CHANNELS	131071
/* libxl's b_info->event_channels when max_event_channels is not set */
#define DOMCFG_DEFAULT_EVENT_CHANNELS	1023
#define DOMCFG_MAX_BOOTLOADER_ARGS	32

/* vCPU @vcpu's mask in @a; NULL when @a leaves it unrestricted. */
const struct dom_cpumask *dom_affinity_mask(const struct dom_affinity *a,
					    unsigned int vcpu);
/* "file:line:col: key: \"spec\"" of vCPU @vcpu's entry in @a (one it has). */
void dom_affinity_where(const struct dom_affinity *a, unsigned int vcpu,
			char *buf, size_t len);

/* "N" or "N-M", decimal as xl reads them, into [*lo, *hi]; 0 or -1. */
int dom_range_parse(const char *s, unsigned long *lo, unsigned long *hi);

/* Parse one xl cpu list ("all", "3", "0-3,^2", ...) into @m. */
int dom_cpumask_parse(const char *spec, struct dom_cpumask *m, char *err,
		      size_t errlen);

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
