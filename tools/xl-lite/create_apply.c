// SPDX-License-Identifier: GPL-2.0
/*
 * create's cpus and maxvcpus, applied as libxl applies them
 * (libxl__build_pre, libxl__build_post): after the domain and its vCPUs
 * exist, before it is unpaused, through vcpu-pin's call and xenstore.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "create_apply.h"
#include "domjson.h"
#include "xlparse.h"

int create_plan_affinity(const struct dom_config *dc,
			 struct vcpu_cpumap **hard)
{
	const struct dom_cpumask *m;
	char where[CFG_ERR_MAX];
	unsigned int i;

	*hard = NULL;
	if (!dc->cpus.n)
		return 0;
	*hard = calloc(dc->max_vcpus, sizeof(**hard));
	if (!*hard) {
		fprintf(stderr, "xl-lite: cpus: out of memory\n");
		return -1;
	}
	for (i = 0; i < dc->max_vcpus; i++) {
		m = dom_affinity_mask(&dc->cpus, i);
		if (!m || vcpu_cpumap_from_mask(m, &(*hard)[i]))
			continue;
		dom_affinity_where(&dc->cpus, i, where, sizeof(where));
		fprintf(stderr, "%s names no CPU of this host (0-%u)\n", where,
			xl_host_cpus() - 1);
		free(*hard);
		*hard = NULL;
		return -1;
	}
	return 0;
}

int create_apply(struct kxen_ctl *ctl, uint32_t domid,
		 const struct dom_config *dc, const struct vcpu_cpumap *hard)
{
	unsigned int i;

	for (i = 0; hard && i < dc->max_vcpus; i++)
		if (hard[i].nwords &&
		    vcpu_pin_one(ctl, domid, i, &hard[i], "create"))
			return -1;
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

void create_print_applied(FILE *f, const struct dom_config *dc,
			  const struct vcpu_cpumap *hard)
{
	char map[256], uuid[UUID_STR_LEN];
	unsigned int i;

	if (dc->uuid_given) {
		uuid_format(dc->uuid, uuid);
		fprintf(f, "uuid: %s\n", uuid);
	}
	if (dc->max_grant_frames)
		fprintf(f, "max_grant_frames: %u\n", dc->max_grant_frames);
	if (dc->max_event_channels)
		fprintf(f, "max_event_channels: %u\n", dc->max_event_channels);
	if (dc->maxmem_mib > dc->memory_mib)
		fprintf(f, "maxmem_mib: %llu\n",
			(unsigned long long)dc->maxmem_mib);
	for (i = 0; hard && i < dc->max_vcpus; i++) {
		if (!hard[i].nwords)
			continue;
		xl_cpumap_format(hard[i].words, hard[i].nwords, xl_host_cpus(),
				 map, sizeof(map));
		fprintf(f, "cpus: vcpu %u: %s\n", i, map);
	}
}
