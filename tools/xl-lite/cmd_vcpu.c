// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite vcpu-list, vcpu-pin and vcpu-set, as xl's (tools/xl/xl_vcpu.c).
 * A vCPU is a kernel thread of the host: its state, last CPU and time
 * come from KXEN_CMD_VCPU_GET, its hard affinity is the thread's CPU set,
 * its soft affinity the CPUs of it the thread keeps to while they have
 * room (the module steers it: Linux's scheduler has no soft affinity),
 * and vcpu-pin sets both (KXEN_CMD_VCPU_SET_AFFINITY).  vcpu-set asks
 * the guest through xenstore, as libxl does for a PV or PVH guest.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenstore.h>

#include "domcfg.h"
#include "xl.h"
#include "xlparse.h"

unsigned int xl_host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	return n > 0 ? (unsigned int)n : 1;
}

static void print_vcpu(const struct kxen_dominfo *d,
		       const struct kxen_vcpuinfo *v, unsigned int nr_cpus)
{
	char hard[256], soft[256] = "all";

	printf("%-32s %5u %5u", d->name, d->domid, v->id);
	if (v->state == KXEN_VCPU_OFFLINE)
		printf("%5c %3c%cp ", '-', '-', '-');
	else
		printf("%5u %3c%c- ", v->has_cpu ? v->cpu : 0,
		       v->state == KXEN_VCPU_RUNNING ? 'r' : '-',
		       v->state == KXEN_VCPU_BLOCKED ? 'b' : '-');
	printf("%9.1f  ", v->time_ns / 1e9);
	xl_cpumap_format(v->cpumap, v->cpumap_words, nr_cpus, hard,
			 sizeof(hard));
	if (v->soft_words)
		xl_cpumap_format(v->cpumap_soft, v->soft_words, nr_cpus, soft,
				 sizeof(soft));
	printf("%s / %s\n", hard, soft);
}

static int list_domain(struct kxen_ctl *ctl, const struct kxen_dominfo *d,
		       unsigned int nr_cpus)
{
	struct kxen_vcpuinfo *v;
	size_t n, i;
	int err = kxen_vcpu_list(ctl, d->domid, &v, &n);

	if (err == -ESRCH)
		return 0;	/* gone since it was listed */
	if (err)
		return report("vcpu-list", err, ctl);
	for (i = 0; i < n; i++)
		print_vcpu(d, &v[i], nr_cpus);
	free(v);
	return 0;
}

static int list_named(struct kxen_ctl *ctl, const char *dom,
		      unsigned int nr_cpus)
{
	struct kxen_dominfo d;
	uint32_t domid;
	int err;

	if (find_domain(ctl, dom, &domid))
		return 1;
	err = kxen_domain_get(ctl, domid, &d);
	if (err == -ESRCH)
		return invalid_domain(dom);
	if (err)
		return report("vcpu-list", err, ctl);
	return list_domain(ctl, &d, nr_cpus);
}

/* Every domain's vCPUs, Domain-0 (the host) having none. */
static int list_all(struct kxen_ctl *ctl, unsigned int nr_cpus)
{
	struct kxen_dominfo *d;
	size_t n, i;
	int ret = kxen_domain_list(ctl, &d, &n);

	if (ret)
		return report("vcpu-list", ret, ctl);
	for (i = 0; !ret && i < n; i++)
		ret = list_domain(ctl, &d[i], nr_cpus);
	free(d);
	return ret;
}

int main_vcpu_list(int argc, char **argv)
{
	unsigned int nr_cpus = xl_host_cpus();
	struct kxen_ctl ctl;
	int ret = 0;

	while (cmd_getopt(argc, argv, "vcpu-list") != -1)
		;
	if (ctl_open_or_report(&ctl))
		return 1;
	printf("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU",
	       "State", "Time(s)", "Affinity (Hard / Soft)");
	if (optind == argc)
		ret = list_all(&ctl, nr_cpus);
	for (; optind < argc && !ret; optind++)
		ret = list_named(&ctl, argv[optind], nr_cpus);
	kxen_ctl_close(&ctl);
	return ret;
}

struct pin_req {
	const char *vcpu_arg;
	long vcpu;		/* -1: all */
	bool hard_set;		/* false: "-", leave it */
	bool soft_set;		/* false: "-" or not given, leave it */
	struct vcpu_cpumap map, soft;
};

unsigned int vcpu_cpumap_from_mask(const struct dom_cpumask *m,
				   struct vcpu_cpumap *map)
{
	unsigned int nr_cpus = xl_host_cpus();

	map->nwords = (nr_cpus + 31) / 32;
	if (map->nwords > KXEN_CPUMAP_WORDS)
		map->nwords = KXEN_CPUMAP_WORDS;
	return xl_cpumask_to_words(m, nr_cpus, map->words, map->nwords);
}

/* One CPU list of vcpu-pin, as xl's: "all", "3", "0-3,^2". */
static int pin_map(const char *arg, struct vcpu_cpumap *map)
{
	static struct dom_cpumask m;
	char err[256];

	if (dom_cpumask_parse(arg, &m, err, sizeof(err))) {
		fprintf(stderr, "xl-lite: vcpu-pin: %s\n", err);
		return 1;
	}
	if (!vcpu_cpumap_from_mask(&m, map)) {
		fprintf(stderr, "xl-lite: vcpu-pin: \"%s\" names no CPU of this host (0-%u)\n",
			arg, xl_host_cpus() - 1);
		return 1;
	}
	return 0;
}

/* The vCPU argument and the CPU lists, as xl's main_vcpupin: 0 or 1. */
static int pin_parse(struct pin_req *r, char **args, int nargs, bool force)
{
	char *end;

	r->vcpu_arg = args[1];
	r->vcpu = strtol(args[1], &end, 10);
	if (end == args[1] || *end || r->vcpu < 0) {
		if (strcmp(args[1], "all")) {
			fprintf(stderr, "Error: Invalid argument %s as VCPU.\n",
				args[1]);
			return 1;
		}
		if (force) {
			fprintf(stderr, "Error: --force and 'all' as VCPU not allowed.\n");
			return 1;
		}
		r->vcpu = -1;
	}
	r->hard_set = strcmp(args[2], "-");
	r->soft_set = nargs > 3 && strcmp(args[3], "-");
	if (r->hard_set && pin_map(args[2], &r->map))
		return 1;
	if (r->soft_set && pin_map(args[3], &r->soft))
		return 1;
	return 0;
}

int vcpu_pin_one(struct kxen_ctl *ctl, uint32_t domid, uint32_t vcpu,
		 const struct vcpu_cpumap *hard, const struct vcpu_cpumap *soft,
		 const char *cmd)
{
	/* Both from vcpu_cpumap_from_mask(): the same length. */
	unsigned int nwords = hard ? hard->nwords : soft->nwords;
	int err = kxen_vcpu_set_affinity(ctl, domid, vcpu,
				     hard ? hard->words : NULL,
				     soft ? soft->words : NULL, nwords);

	if (!err)
		return 0;
	fprintf(stderr, "Could not set affinity for vcpu `%u'.\n", vcpu);
	return report(cmd, err, ctl);
}

static int pin_domain(struct kxen_ctl *ctl, uint32_t domid,
		      const struct pin_req *r)
{
	const struct vcpu_cpumap *hard = r->hard_set ? &r->map : NULL;
	const struct vcpu_cpumap *soft = r->soft_set ? &r->soft : NULL;
	struct kxen_vcpuinfo *v;
	size_t n, i;
	int err, ret = 0;

	if (r->vcpu >= 0)
		return vcpu_pin_one(ctl, domid, r->vcpu, hard, soft,
				    "vcpu-pin");
	err = kxen_vcpu_list(ctl, domid, &v, &n);
	if (err)
		return report("vcpu-pin", err, ctl);
	for (i = 0; i < n; i++)
		ret |= vcpu_pin_one(ctl, domid, v[i].id, hard, soft,
				    "vcpu-pin");
	free(v);
	return ret;
}

int main_vcpu_pin(int argc, char **argv)
{
	static struct pin_req r;
	struct kxen_ctl ctl;
	uint32_t domid;
	bool force = false;
	char map[256], soft[256];
	int opt, ret = 1;

	while ((opt = cmd_getopt(argc, argv, "vcpu-pin")) != -1)
		force |= opt == 'f';
	if (pin_parse(&r, argv + optind, argc - optind, force))
		return 1;
	if (xl_opts.dryrun) {
		/* xl's dry run: the CPU set it would apply */
		if (r.hard_set)
			xl_cpumap_format(r.map.words, r.map.nwords,
					 xl_host_cpus(), map, sizeof(map));
		if (r.soft_set)
			xl_cpumap_format(r.soft.words, r.soft.nwords,
					 xl_host_cpus(), soft, sizeof(soft));
		printf("cpumap: %s%s%s\n", r.hard_set ? map : "-",
		       r.soft_set ? " " : "", r.soft_set ? soft : "");
		return 0;
	}
	if (ctl_open_or_report(&ctl))
		return 1;
	if (!find_live_domain(&ctl, argv[optind], &domid))
		ret = r.hard_set || r.soft_set ? pin_domain(&ctl, domid, &r) : 0;
	kxen_ctl_close(&ctl);
	return ret;
}

/*
 * libxl__set_vcpuonline_xenstore: ~/cpu/I/availability "online" for the
 * first @n vCPUs and "offline" for the rest of the domain's @max, in one
 * transaction.  The guest's Xen CPU hotplug driver (Linux's
 * drivers/xen/cpu_hotplug.c) watches them: it takes an offline vCPU
 * down, and marks an online one present for the guest to bring up.
 */
int vcpu_avail_write(uint32_t domid, unsigned int max, unsigned int n,
		     const char *cmd)
{
	char (*path)[64] = calloc(max, sizeof(*path));
	const char **paths = calloc(max, sizeof(*paths));
	const char **vals = calloc(max, sizeof(*vals));
	struct xs_handle *xs = NULL;
	unsigned int i;
	int ret = 1;

	if (!path || !paths || !vals) {
		fprintf(stderr, "xl-lite: %s: out of memory\n", cmd);
		goto out;
	}
	xs = xs_open(0);
	if (!xs) {
		fprintf(stderr, "xl-lite: %s: cannot open xenstore: %s\n", cmd,
			strerror(errno));
		goto out;
	}
	for (i = 0; i < max; i++) {
		snprintf(path[i], sizeof(path[i]),
			 "/local/domain/%u/cpu/%u/availability", domid, i);
		paths[i] = path[i];
		vals[i] = i < n ? "online" : "offline";
	}
	ret = xl_xs_write_all(xs, cmd, paths, vals, max);
	xs_close(xs);
out:
	free(vals);
	free(paths);
	free(path);
	return ret;
}

/* The count: xl's parse and its host check (--ignore-host skips it). */
static int vcpu_set_count(const char *arg, bool check_host,
			  unsigned long *n)
{
	long host = sysconf(_SC_NPROCESSORS_ONLN);
	char *end;

	errno = 0;
	*n = strtoul(arg, &end, 10);
	if (end == arg || *end || errno || *n > INT_MAX || arg[0] == '-') {
		fprintf(stderr, "Error: Invalid argument %s as number of vcpus.\n",
			arg);
		return 1;
	}
	if (!*n) {
		fprintf(stderr, "xl-lite: vcpu-set: 0 vCPUs: a guest keeps its first vCPU\n");
		return 1;
	}
	if (check_host && host > 0 && *n > (unsigned long)host) {
		/* xl's words, its spelling included */
		fprintf(stderr, "You are overcommmitting! You have %ld %s %lu vCPUs! %s\n",
			host, "physical CPUs and want", *n,
			"Aborting, use --ignore-host to continue");
		return 1;
	}
	return 0;
}

int main_vcpu_set(int argc, char **argv)
{
	struct kxen_dominfo di;
	struct kxen_ctl ctl;
	bool check_host = true;
	unsigned long n;
	uint32_t domid;
	int opt, err;

	while ((opt = cmd_getopt(argc, argv, "vcpu-set")) != -1)
		check_host &= opt != 'i';
	if (vcpu_set_count(argv[optind + 1], check_host, &n))
		return 1;
	if (ctl_open_or_report(&ctl))
		return 1;
	if (find_live_domain(&ctl, argv[optind], &domid)) {
		kxen_ctl_close(&ctl);
		return 1;
	}
	err = kxen_domain_get(&ctl, domid, &di);
	if (err) {
		err = report("vcpu-set", err, &ctl);
		kxen_ctl_close(&ctl);
		return err;
	}
	kxen_ctl_close(&ctl);
	if (n > di.vcpus) {
		fprintf(stderr, "xl-lite: vcpu-set: domain %u: %s %lu vCPUs, %s %u\n",
			domid, "requested", n, "however maxcpus is", di.vcpus);
		return 1;
	}
	return vcpu_avail_write(domid, di.vcpus, n, "vcpu-set");
}
