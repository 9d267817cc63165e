// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite mem-set and mem-max, as xl's (tools/xl/xl_mem.c) over libxl's
 * libxl_set_memory_target (enforced) and libxl_domain_setmaxmem
 * (tools/libs/light/libxl_mem.c):
 *  - mem-max refuses a maximum below ~/memory/target, then sets the
 *    domain's maximum (kxen's XEN_DOMCTL_max_mem) and ~/memory/static-max
 *    (as libxl does since 4.17);
 *  - mem-set refuses a target above ~/memory/static-max, sets the
 *    maximum to the target, then writes ~/memory/target and
 *    /vm/UUID/memory (MiB), which the guest's balloon driver watches.
 * libxl adds its slack for Xen's own pages (LIBXL_MAXMEM_CONSTANT) to
 * the maximum; kxen keeps no such pages in a domain, so none is added.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "devices.h"
#include "domjson.h"
#include "xl.h"
#include "xlparse.h"

int mem_set_max_kb(struct kxen_ctl *ctl, uint32_t domid, uint64_t kb,
		   const char *cmd)
{
	/* kxen counts whole pages, as Xen's max_pages */
	int err = kxen_domain_set_max_mem(ctl, domid, (kb + 3) & ~3ULL);

	return err ? report(cmd, err, ctl) : 0;
}

static int set_max_kb(uint32_t domid, uint64_t kb, const char *cmd)
{
	struct kxen_ctl ctl;
	int ret;

	if (ctl_open_or_report(&ctl))
		return 1;
	ret = mem_set_max_kb(&ctl, domid, kb, cmd);
	kxen_ctl_close(&ctl);
	return ret;
}

long long dom_mem_node_kb(struct xs_handle *xs, uint32_t domid,
			  const char *node)
{
	char *s = devices_xs_read(xs, "/local/domain/%u/memory/%s", domid,
				  node);
	long long v = -1;
	char *end;

	if (s) {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno || end == s || *end || v < 0)
			v = -1;
	}
	free(s);
	return v;
}

/* ~/memory/@node in KiB; -1 with a message when absent or malformed. */
static long long mem_node(struct xs_handle *xs, uint32_t domid,
			  const char *node, const char *cmd)
{
	long long v = dom_mem_node_kb(xs, domid, node);

	if (v < 0)
		fprintf(stderr, "xl-lite: %s: domain %u: no valid memory/%s in xenstore\n",
			cmd, domid, node);
	return v;
}

uint64_t *dom_mem_nodes_kb(struct xs_handle *xs,
			   const struct kxen_dominfo *v, size_t n,
			   const char *node)
{
	uint64_t *t = xs ? calloc(n ? n : 1, sizeof(*t)) : NULL;
	long long kb;
	size_t i;

	for (i = 0; t && i < n; i++) {
		kb = dom_mem_node_kb(xs, v[i].domid, node);
		t[i] = kb > 0 ? kb : 0;
	}
	return t;
}

struct dom_avail *dom_avail_vcpus(struct xs_handle *xs,
				  const struct kxen_dominfo *v, size_t n)
{
	struct dom_avail *a = xs ? calloc(n ? n : 1, sizeof(*a)) : NULL;
	uint32_t i, c;
	char *s;

	for (i = 0; a && i < n; i++)
		for (c = 0; c < v[i].vcpus && c < KXEN_MAX_VCPUS; c++) {
			s = devices_xs_read(xs,
					    "/local/domain/%u/cpu/%u/availability",
					    v[i].domid, c);
			a[i].known |= !!s;
			if (s && !strcmp(s, "online"))
				a[i].map[c / 64] |= 1ULL << (c % 64);
			free(s);
		}
	return a;
}

static int mem_max(struct xs_handle *xs, uint32_t domid, uint64_t kb)
{
	long long target = mem_node(xs, domid, "target", "mem-max");
	char path[64], val[32];
	const char *p = path, *v = val;

	if (target < 0)
		return 1;
	if (kb < (uint64_t)target) {
		fprintf(stderr, "xl-lite: mem-max: %s (%lld KiB)\n",
			"memory_static_max must be greater than or equal to memory_dynamic_max",
			target);
		return 1;
	}
	if (set_max_kb(domid, kb, "mem-max"))
		return 1;
	/* libxl 4.17's setmaxmem: the new maximum is mem-set's bound too. */
	snprintf(val, sizeof(val), "%llu", (unsigned long long)kb);
	snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max",
		 domid);
	return xl_xs_write_all(xs, "mem-max", &p, &v, 1);
}

static int mem_set(struct xs_handle *xs, uint32_t domid, uint64_t kb)
{
	long long max = mem_node(xs, domid, "static-max", "mem-set");
	char target[32], mib[32];

	if (max < 0)
		return 1;
	if (kb > (uint64_t)max) {
		fprintf(stderr, "xl-lite: mem-set: %s (%lld KiB)\n",
			"memory_dynamic_max must be less than or equal to memory_static_max",
			max);
		return 1;
	}
	if (set_max_kb(domid, kb, "mem-set"))
		return 1;
	snprintf(target, sizeof(target), "%llu", (unsigned long long)kb);
	snprintf(mib, sizeof(mib), "%llu", (unsigned long long)kb / 1024);
	return dom_xs_write(xs, "mem-set", domid, "memory/target", target,
			    "memory", mib);
}

static int mem_cmd(int argc, char **argv, const char *name, bool target)
{
	struct xs_handle *xs;
	const char *size;
	uint32_t domid;
	int64_t kb;
	int ret;

	while (cmd_getopt(argc, argv, name) != -1)
		;
	size = argv[optind + 1];
	kb = xl_mem_size_kb(size);
	if (kb < 0) {
		fprintf(stderr, "invalid memory size: %s\n", size);
		return 1;
	}
	ret = devices_open_dom(argv[optind], &xs, &domid);
	if (ret)
		return ret;
	ret = target ? mem_set(xs, domid, kb) : mem_max(xs, domid, kb);
	if (ret)
		fprintf(stderr, "cannot set domid %u %s max memory to : %s\n",
			domid, target ? "dynamic" : "static", size);
	xs_close(xs);
	return ret;
}

int main_mem_set(int argc, char **argv)
{
	return mem_cmd(argc, argv, "mem-set", true);
}

int main_mem_max(int argc, char **argv)
{
	return mem_cmd(argc, argv, "mem-max", false);
}
