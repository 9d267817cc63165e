// SPDX-License-Identifier: GPL-2.0
/*
 * create's cpus, cpus_soft and maxvcpus, applied as libxl applies them
 * (libxl__build_pre, libxl__build_post): after the domain and its vCPUs
 * exist, before it is unpaused, through vcpu-pin's call and xenstore.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "create_apply.h"
#include "domjson.h"
#include "xlparse.h"

/* One of cpus / cpus_soft as one map per vCPU; *maps NULL when unset. */
static int plan_maps(const struct dom_affinity *a, unsigned int nr,
		     const char *key, struct vcpu_cpumap **maps)
{
	const struct dom_cpumask *m;
	char where[CFG_ERR_MAX];
	unsigned int i;

	*maps = NULL;
	if (!a->n)
		return 0;
	*maps = calloc(nr, sizeof(**maps));
	if (!*maps) {
		fprintf(stderr, "xl-lite: %s: out of memory\n", key);
		return -1;
	}
	for (i = 0; i < nr; i++) {
		m = dom_affinity_mask(a, i);
		if (!m || vcpu_cpumap_from_mask(m, &(*maps)[i]))
			continue;
		dom_affinity_where(a, i, where, sizeof(where));
		fprintf(stderr, "%s names no CPU of this host (0-%u)\n", where,
			xl_host_cpus() - 1);
		free(*maps);
		*maps = NULL;
		return -1;
	}
	return 0;
}

int create_plan_affinity(const struct dom_config *dc, struct vcpu_pins *p)
{
	p->soft = NULL;
	if (plan_maps(&dc->cpus, dc->max_vcpus, "cpus", &p->hard))
		return -1;
	if (!plan_maps(&dc->cpus_soft, dc->max_vcpus, "cpus_soft", &p->soft))
		return 0;
	create_pins_free(p);
	return -1;
}

void create_pins_free(struct vcpu_pins *p)
{
	free(p->hard);
	free(p->soft);
	p->hard = NULL;
	p->soft = NULL;
}

/* vCPU @i's map in @maps, or NULL: not set for it. */
static const struct vcpu_cpumap *pin_of(const struct vcpu_cpumap *maps,
					unsigned int i)
{
	return maps && maps[i].nwords ? &maps[i] : NULL;
}

int create_apply(struct kxen_ctl *ctl, uint32_t domid,
		 const struct dom_config *dc, const struct vcpu_pins *p)
{
	const struct vcpu_cpumap *hard, *soft;
	unsigned int i;

	for (i = 0; i < dc->max_vcpus; i++) {
		hard = pin_of(p->hard, i);
		soft = pin_of(p->soft, i);
		if ((hard || soft) &&
		    vcpu_pin_one(ctl, domid, i, hard, soft, "create"))
			return -1;
	}
	/*
	 * libxl__build_post writes cpu/I/availability from avail_vcpus: the
	 * module made them all "online"; the guest must find the vCPUs
	 * above vcpus "offline" when it boots, or it brings them up.
	 */
	/*
	 * maxmem needs nothing here: the domain was made with maxmem of RAM
	 * and memory as its maximum, and the module's default nodes are
	 * static-max = its RAM and target = its maximum, as libxl writes.
	 */
	if (dc->max_vcpus > dc->vcpus &&
	    vcpu_avail_write(domid, dc->max_vcpus, dc->vcpus, "create"))
		return -1;
	return 0;
}

/* "KEY: vcpu I: MAP" for each vCPU @maps sets. */
static void print_maps(FILE *f, const char *key,
		       const struct vcpu_cpumap *maps, unsigned int nr)
{
	char map[256];
	unsigned int i;

	for (i = 0; maps && i < nr; i++) {
		if (!maps[i].nwords)
			continue;
		xl_cpumap_format(maps[i].words, maps[i].nwords, xl_host_cpus(),
				 map, sizeof(map));
		fprintf(f, "%s: vcpu %u: %s\n", key, i, map);
	}
}

void create_print_applied(FILE *f, const struct dom_config *dc,
			  const struct vcpu_pins *p)
{
	char uuid[UUID_STR_LEN];

	if (dc->uuid_given) {
		uuid_format(dc->uuid, uuid);
		fprintf(f, "uuid: %s\n", uuid);
	}
	if (dc->max_grant_frames)
		fprintf(f, "max_grant_frames: %u\n", dc->max_grant_frames);
	if (dc->max_event_channels)
		fprintf(f, "max_event_channels: %u\n", dc->max_event_channels);
	if (dc->cpu_weight)
		fprintf(f, "cpu_weight: %u\n", dc->cpu_weight);
	if (dc->cap >= 0)
		fprintf(f, "cap: %d\n", dc->cap);
	if (dc->maxmem_mib > dc->memory_mib)
		fprintf(f, "maxmem_mib: %llu\n",
			(unsigned long long)dc->maxmem_mib);
	print_maps(f, "cpus", p->hard, dc->max_vcpus);
	print_maps(f, "cpus_soft", p->soft, dc->max_vcpus);
}
