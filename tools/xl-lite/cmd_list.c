// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite list, domid and domname, as xl's (tools/xl/xl_info.c): the
 * host is kxen's domain 0 and is listed as Domain-0.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenstore.h>

#include "domjson.h"
#include "util.h"
#include "xl.h"

/* xl list's six state columns: r b p s <reason> d (xl_info.c) */
static void state_string(const struct kxen_dominfo *d, char s[7])
{
	/* Xen's SHUTDOWN_* order: poweroff reboot suspend crash watchdog
	 * soft_reset (xen/sched.h)
	 */
	static const char reason[] = "-rscwS";

	memcpy(s, "------", 7);
	switch (d->state) {
	case KXEN_STATE_RUNNING:
		s[0] = 'r';
		break;
	case KXEN_STATE_BLOCKED:
		s[1] = 'b';
		break;
	case KXEN_STATE_CREATED:
	case KXEN_STATE_PAUSED:
		s[2] = 'p';
		break;
	case KXEN_STATE_SHUTDOWN:
		s[3] = 's';
		if (d->has_reason)
			s[4] = d->shutdown_reason < sizeof(reason) - 1 ?
			       reason[d->shutdown_reason] : '?';
		break;
	case KXEN_STATE_CRASHED:
		s[3] = 's';
		s[4] = 'c';
		break;
	case KXEN_STATE_DYING:
		s[5] = 'd';
		break;
	default:
		s[0] = '?';
	}
}

/* list -v's columns: UUID, reason code, security label (kxen: none). */
static void print_verbose(const struct kxen_dominfo *d)
{
	char uuid[UUID_STR_LEN] = "-";

	if (d->has_uuid)
		uuid_format(d->uuid, uuid);
	printf(" %-36s", uuid);
	if (d->state == KXEN_STATE_SHUTDOWN || d->state == KXEN_STATE_CRASHED)
		printf(" %8x", d->has_reason ? d->shutdown_reason : 0);
	else
		printf(" %8s", "-");
	printf(" %16s", "-");
}

static void print_domain(const struct kxen_dominfo *d, bool verbose)
{
	char st[7];

	state_string(d, st);
	/*
	 * xl's Mem: what the domain holds (Xen's tot_pages), else its RAM;
	 * its VCPUs: those online (maxvcpus above vcpus counts the rest)
	 */
	printf("%-40s %5u %5llu %5u     %s  %8.1f", d->name, d->domid,
	       (unsigned long long)((d->cur_mem_kb ?: d->mem_kb) / 1024),
	       d->vcpus_online, st,
	       d->cpu_time_ns / 1e9);
	if (verbose)
		print_verbose(d);
	printf("\n");
}

void host_usage(unsigned long long *mem_mib, double *busy_s)
{
	unsigned long long t[8] = { 0 };
	FILE *f;
	int i;

	*mem_mib = meminfo_mib("MemTotal");
	*busy_s = 0;
	f = fopen("/proc/stat", "r");
	if (f) {
		/* cpu user nice system idle iowait irq softirq steal */
		if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6],
			   &t[7]) == 8)
			for (i = 0; i < 8; i++)
				if (i != 3 && i != 4)
					*busy_s += (double)t[i];
		fclose(f);
		*busy_s /= sysconf(_SC_CLK_TCK);
	}
}

/*
 * The host kernel is kxen's domain 0: list it first, as xl lists
 * Domain-0, with the host's memory, online CPUs and busy CPU time.
 */
static void print_dom0(bool verbose)
{
	struct kxen_dominfo d0 = {
		.name = DOM0_NAME,
		.state = KXEN_STATE_RUNNING,
		/* Xen's domain 0 has the nil UUID unless told otherwise */
		.has_uuid = true,
	};
	unsigned long long mem;
	double busy;

	host_usage(&mem, &busy);
	d0.mem_kb = mem * 1024;
	d0.vcpus = sysconf(_SC_NPROCESSORS_ONLN);
	d0.vcpus_online = d0.vcpus;
	d0.cpu_time_ns = busy * 1e9;
	print_domain(&d0, verbose);
}

/* One domain's info; ESRCH as xl's list words it. */
static int list_one(struct kxen_ctl *ctl, const char *dom,
		    struct kxen_dominfo *one)
{
	uint32_t domid;
	int err;

	if (find_domain(ctl, dom, &domid))
		return -1;
	err = kxen_domain_get(ctl, domid, one);
	if (err == -ESRCH)
		fprintf(stderr, "Error: Domain '%s' does not exist.\n", dom);
	else if (err)
		report("list", err, ctl);
	return err ? -1 : 0;
}

/* Every domain (@dom NULL) or one: *v malloc()ed, free it. */
static int list_get(const char *dom, struct kxen_dominfo **v, size_t *n)
{
	struct kxen_ctl ctl;
	int err;

	if (ctl_open_or_report(&ctl))
		return -1;
	if (dom) {
		*n = 1;
		*v = malloc(sizeof(**v));
		err = *v ? list_one(&ctl, dom, *v) : -ENOMEM;
		if (err == -ENOMEM)
			report("list", err, NULL);
	} else {
		err = kxen_domain_list(&ctl, v, n);
		if (err)
			report("list", err, &ctl);
	}
	kxen_ctl_close(&ctl);
	if (err) {
		free(*v);
		*v = NULL;
	}
	return err ? -1 : 0;
}

/* list -l: libxl's JSON, with what xenstore holds read in one session. */
static void list_details(const struct kxen_dominfo *v, size_t n)
{
	struct xs_handle *xs = xs_open(0);
	uint64_t *target_kb = dom_mem_nodes_kb(xs, v, n, "target");
	uint64_t *max_kb = dom_mem_nodes_kb(xs, v, n, "static-max");
	struct dom_avail *avail = dom_avail_vcpus(xs, v, n);

	if (xs)
		xs_close(xs);
	dom_json_print(stdout, v, target_kb, max_kb, avail, n);
	free(target_kb);
	free(max_kb);
	free(avail);
}

int main_list(int argc, char **argv)
{
	bool details = false, verbose = false;
	struct kxen_dominfo *v = NULL;
	const char *dom;
	size_t n, i;
	int opt;

	while ((opt = cmd_getopt(argc, argv, "list")) != -1) {
		if (opt == 'l')
			details = true;
		else if (opt == 'v')
			verbose = true;
	}
	if (argc - optind > 1) {
		cmd_help("list");
		return 2;
	}
	dom = optind < argc ? argv[optind] : NULL;
	if (list_get(dom, &v, &n))
		return 1;
	if (details) {
		list_details(v, n);
		free(v);
		return 0;
	}
	printf("Name                                        ID   Mem VCPUs\t"
	       "State\tTime(s)%s\n", verbose ?
	       "   UUID                            Reason-Code\tSecurity Label" :
	       "");
	if (!dom)
		print_dom0(verbose);
	for (i = 0; i < n; i++)
		print_domain(&v[i], verbose);
	free(v);
	return 0;
}

/* xl's words for a name or domid that names no domain */
static const char no_domid[] =
	"Can't get domid of domain name '%s', maybe this domain does not exist.\n";
static const char no_domname[] =
	"Can't get domain name of domain id '%u', maybe this domain does not exist.\n";

int main_domid(int argc, char **argv)
{
	struct kxen_dominfo *v;
	struct kxen_ctl ctl;
	const char *name;
	size_t n, i;
	int err;

	while (cmd_getopt(argc, argv, "domid") != -1)
		;
	name = argv[optind];
	if (!strcmp(name, DOM0_NAME)) {
		printf("0\n");
		return 0;
	}
	if (ctl_open_or_report(&ctl))
		return 1;
	err = kxen_domain_list(&ctl, &v, &n);
	kxen_ctl_close(&ctl);
	if (err)
		return report("domid", err, &ctl);
	for (i = 0; i < n && strcmp(v[i].name, name); i++)
		;
	if (i < n)
		printf("%u\n", v[i].domid);
	else
		fprintf(stderr, no_domid, name);
	free(v);
	return i < n ? 0 : 1;
}

/* A domid as xl's domname takes it, but whole: digits only. */
static int parse_domid_arg(const char *s, uint32_t *domid)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || errno || n > UINT32_MAX) {
		fprintf(stderr, "Invalid domain id.\n\n");
		return -1;
	}
	*domid = n;
	return 0;
}

int main_domname(int argc, char **argv)
{
	struct kxen_dominfo d;
	struct kxen_ctl ctl;
	uint32_t domid;
	int err;

	while (cmd_getopt(argc, argv, "domname") != -1)
		;
	if (parse_domid_arg(argv[optind], &domid))
		return 1;
	if (domid == 0) {
		printf("%s\n", DOM0_NAME);
		return 0;
	}
	if (ctl_open_or_report(&ctl))
		return 1;
	err = kxen_domain_get(&ctl, domid, &d);
	kxen_ctl_close(&ctl);
	if (err == -ESRCH)
		fprintf(stderr, no_domname, domid);
	else if (err)
		report("domname", err, &ctl);
	else
		printf("%s\n", d.name);
	return err ? 1 : 0;
}
