// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite sched-credit2, as xl's (tools/xl/xl_sched.c), and the config
 * keys cpu_weight and cap.  kxen's vCPUs are host threads: the weight
 * sets their nice level (256, Xen's default, is nice 0; each nice step
 * is a factor of about 1.25 in weight), the cap a CPU-time budget the
 * module enforces every 10 ms (uapi/linux/kxen.h).  The host has one
 * scheduler and no cpupools, so xl's pool options are refused.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domcfg.h"
#include "xl.h"
#include "xlparse.h"

#define SCHED_CMD	"sched-credit2"
/* Xen's credit2 takes both as uint16_t; the module bounds the cap more. */
#define SCHED_CAP_MAX	65535
#define DOM0_HOST_MSG \
	"Domain-0 is the host: its threads are the host scheduler's own"
#define NO_POOLS_MSG \
	"kxen has no cpupools: the host's one scheduler has no pool parameters"

struct sched_req {
	const char *dom;	/* -d, or NULL: list every domain */
	uint32_t weight;	/* -w, 0: not given */
	int64_t cap;		/* -c, -1: not given */
};

static void print_row(const char *name, uint32_t domid, uint32_t weight,
		      uint32_t cap)
{
	char row[128];

	xl_sched_row(row, sizeof(row), name, domid, weight, cap);
	printf("%s\n", row);
}

/* Domain-0 is the host: its threads are the host's, never capped. */
static void print_dom0(void)
{
	print_row(DOM0_NAME, 0, KXEN_SCHED_WEIGHT_DEFAULT, 0);
}

static void print_dom(const struct kxen_dominfo *d)
{
	if (d->has_sched)
		print_row(d->name, d->domid, d->sched_weight, d->sched_cap);
	else	/* a module from before weight and cap: Xen's defaults */
		print_row(d->name, d->domid, KXEN_SCHED_WEIGHT_DEFAULT, 0);
}

static int list_all(struct kxen_ctl *ctl)
{
	struct kxen_dominfo *d;
	size_t n, i;
	int err = kxen_domain_list(ctl, &d, &n);

	if (err)
		return report(SCHED_CMD, err, ctl);
	print_row(NULL, 0, 0, 0);
	print_dom0();
	for (i = 0; i < n; i++)
		print_dom(&d[i]);
	free(d);
	return 0;
}

static int show_or_set(struct kxen_ctl *ctl, const struct sched_req *r)
{
	struct kxen_dominfo d;
	uint32_t domid;
	int err;

	if (find_domain(ctl, r->dom, &domid))
		return 1;
	if (!domid && (r->weight || r->cap >= 0)) {
		fprintf(stderr, "xl-lite: %s: %s\n", SCHED_CMD, DOM0_HOST_MSG);
		return 1;
	}
	if (r->weight || r->cap >= 0) {
		err = kxen_domain_set_sched(ctl, domid, r->weight, r->cap);
		if (err == -ESRCH)
			return invalid_domain(r->dom);
		return err ? report(SCHED_CMD, err, ctl) : 0;
	}
	if (!domid) {
		print_row(NULL, 0, 0, 0);
		print_dom0();
		return 0;
	}
	err = kxen_domain_get(ctl, domid, &d);
	if (err == -ESRCH)
		return invalid_domain(r->dom);
	if (err)
		return report(SCHED_CMD, err, ctl);
	print_row(NULL, 0, 0, 0);
	print_dom(&d);
	return 0;
}

/* A -w or -c value; exits with 2, as a usage error, on a bad one. */
static uint32_t sched_arg(const char *what, const char *s, long min,
			  long max)
{
	uint32_t v;

	if (xl_sched_value(s, min, max, &v)) {
		fprintf(stderr, "xl-lite %s: invalid %s '%s': must be %ld..%ld\n",
			SCHED_CMD, what, s, min, max);
		exit(2);
	}
	return v;
}

static void parse_args(int argc, char **argv, struct sched_req *r)
{
	int opt;

	while ((opt = cmd_getopt(argc, argv, SCHED_CMD)) != -1) {
		switch (opt) {
		case 'd':
			r->dom = optarg;
			break;
		case 'w':
			r->weight = sched_arg("weight", optarg,
					      KXEN_SCHED_WEIGHT_MIN,
					      KXEN_SCHED_WEIGHT_MAX);
			break;
		case 'c':
			r->cap = sched_arg("cap", optarg, 0, SCHED_CAP_MAX);
			break;
		default:	/* -s, -r, -p: a pool's parameters */
			fprintf(stderr, "xl-lite: %s: -%c: %s\n", SCHED_CMD, opt,
				NO_POOLS_MSG);
			exit(1);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "xl-lite %s: unexpected argument '%s'\n"
			"Run 'xl-lite help %s' for usage.\n", SCHED_CMD,
			argv[optind], SCHED_CMD);
		exit(2);
	}
}

int main_sched_credit2(int argc, char **argv)
{
	struct sched_req r = { .cap = -1 };
	struct kxen_ctl ctl;
	int ret;

	parse_args(argc, argv, &r);
	if (!r.dom && (r.weight || r.cap >= 0)) {
		fprintf(stderr, "Must specify a domain.\n");	/* as xl */
		return 1;
	}
	if (xl_opts.dryrun && r.dom && (r.weight || r.cap >= 0)) {
		printf("Dry run, nothing done: %s -d %s", SCHED_CMD, r.dom);
		if (r.weight)
			printf(" -w %u", r.weight);
		if (r.cap >= 0)
			printf(" -c %lld", (long long)r.cap);
		printf("\n");
		return 0;
	}
	if (ctl_open_or_report(&ctl))
		return 1;
	ret = r.dom ? show_or_set(&ctl, &r) : list_all(&ctl);
	kxen_ctl_close(&ctl);
	return ret;
}

/*
 * create: the config's cpu_weight and cap, before the domain first
 * runs, as libxl sets them at build time.  Nothing asked, nothing sent.
 */
int sched_config_apply(struct kxen_ctl *ctl, uint32_t domid,
		       const struct dom_config *dc)
{
	int err;

	if (!dc->cpu_weight && dc->cap < 0)
		return 0;
	err = kxen_domain_set_sched(ctl, domid, dc->cpu_weight, dc->cap);
	if (err) {
		report("set cpu_weight/cap", err, ctl);
		return -1;
	}
	return 0;
}
