/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What create does to a domain once it exists and before it runs, for
 * the xl.cfg settings that are not part of building it: cpus and
 * cpus_soft (each vCPU's hard and soft affinity), maxvcpus (which vCPUs are online) and maxmem
 * (the domain's maximum).
 */
#ifndef XL_LITE_CREATE_APPLY_H
#define XL_LITE_CREATE_APPLY_H

#include <stdint.h>
#include <stdio.h>

#include "domcfg.h"
#include "xl.h"

/* cpus and cpus_soft: one map per vCPU (nwords 0: not set), or NULL. */
struct vcpu_pins {
	struct vcpu_cpumap *hard;
	struct vcpu_cpumap *soft;
};

/*
 * cpus = ... and cpus_soft = ... as this host's CPU maps, checked before
 * the domain exists: each NULL when its key is not set, else malloc()ed.
 * 0, or -1 after a message naming the entry's file:line:col when an
 * entry names none of this host's CPUs.
 */
int create_plan_affinity(const struct dom_config *dc, struct vcpu_pins *p);
void create_pins_free(struct vcpu_pins *p);

/*
 * Pin the vCPUs (as vcpu-pin) and write cpu/I/availability (as
 * vcpu-set), as libxl's build does: 0, or -1 after a message.
 */
int create_apply(struct kxen_ctl *ctl, uint32_t domid,
		 const struct dom_config *dc, const struct vcpu_pins *p);

/*
 * create -n's lines for them: "uuid: U", "max_grant_frames: N" and
 * "max_event_channels: N" when set (the module takes these when it
 * makes the domain), "maxmem_mib: N" when above memory, and
 * "cpus: vcpu I: MAP" and "cpus_soft: vcpu I: MAP" for each vCPU with
 * a hard or a soft affinity.
 */
void create_print_applied(FILE *f, const struct dom_config *dc,
			  const struct vcpu_pins *p);

#endif /* XL_LITE_CREATE_APPLY_H */
