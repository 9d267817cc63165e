// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite uptime, as xl's (tools/xl/xl_info.c): Domain-0's uptime is the
 * host's (/proc/uptime); a domain's runs from the start_time that create
 * writes into xenstore under the domain's /vm/UUID directory, which is
 * where libxl writes it and xl reads it.  kxen itself does not report
 * when a domain was started.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <xenstore.h>

#include "devices.h"
#include "xl.h"

/* xl's uptime_to_string: "[D day[s], ]HH:MM[:SS]". */
static void uptime_string(unsigned long up, bool short_mode, char *buf,
			  size_t len)
{
	unsigned long day = up / 86400, hour = up / 3600 % 24;
	unsigned long min = up / 60 % 60, sec = up % 60;
	int n = 0;

	if (day)
		n = snprintf(buf, len, "%lu day%s, ", day, day > 1 ? "s" : "");
	if (short_mode)
		snprintf(buf + n, len - n, "%2lu:%02lu", hour, min);
	else
		snprintf(buf + n, len - n, "%2lu:%02lu:%02lu", hour, min, sec);
}

static void print_uptime(const char *name, uint32_t domid,
			 unsigned long up, bool short_mode, time_t now)
{
	char ut[64], clock[16];
	struct tm tm;

	uptime_string(up, short_mode, ut, sizeof(ut));
	if (!short_mode) {
		printf("%-33s %4u %s\n", name, domid, ut);
		return;
	}
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	printf(" %s up %s, %s (%u)\n", clock, ut, name, domid);
}

static int dom0_uptime(bool short_mode, time_t now)
{
	unsigned long up;
	FILE *f = fopen("/proc/uptime", "r");
	int ok = f && fscanf(f, "%lu", &up) == 1;

	if (f)
		fclose(f);
	if (!ok) {
		fprintf(stderr, "Can not get Dom0 uptime.\n");
		return 1;
	}
	print_uptime(DOM0_NAME, 0, up, short_mode, now);
	return 0;
}

/* libxl_vm_get_start_time: ~/vm, then its start_time ("SECS.CC"). */
static int read_start_time(struct xs_handle *xs, uint32_t domid,
			   unsigned long *secs)
{
	char *vm = devices_xs_read(xs, "/local/domain/%u/vm", domid);
	char *st = vm ? devices_xs_read(xs, "%s/start_time", vm) : NULL;
	char *end;
	int ret = -1;

	if (st) {
		errno = 0;
		*secs = strtoul(st, &end, 10);
		ret = end != st && !errno && (*end == '.' || !*end) ? 0 : -1;
	}
	if (ret)
		fprintf(stderr, "xl-lite: uptime: domain %u: no %s/%s in xenstore\n",
			domid, vm ? vm : "~/vm", "start_time");
	free(vm);
	free(st);
	return ret;
}

/* @xs NULL: xenstore did not open, and uptime_xs_open() said so. */
static int domu_uptime(struct xs_handle *xs, const struct kxen_dominfo *d,
		       bool short_mode, time_t now)
{
	unsigned long s;

	if (!xs || read_start_time(xs, d->domid, &s))
		return 1;
	print_uptime(d->name, d->domid, now > (time_t)s ? now - s : 0,
		     short_mode, now);
	return 0;
}

static bool is_dom0(const char *dom)
{
	uint32_t domid;

	return !strcmp(dom, DOM0_NAME) || (domid_parse(dom, &domid) && !domid);
}

/* One domain other than Domain-0, into @d: 0, or 1 with a message. */
static int uptime_get(struct kxen_ctl *ctl, const char *dom,
		      struct kxen_dominfo *d)
{
	uint32_t domid;
	int err;

	if (find_domain(ctl, dom, &domid))
		return 1;
	err = kxen_domain_get(ctl, domid, d);
	if (err == -ESRCH)
		return invalid_domain(dom);
	return err ? report("uptime", err, ctl) : 0;
}

/*
 * The domains named in @names but Domain-0, in order, or every domain
 * (@n 0): 0 with *v malloc()ed, or 1 with a message.
 */
static int uptime_domains(char **names, int n, struct kxen_dominfo **v,
			  size_t *nv)
{
	struct kxen_ctl ctl;
	int i, err = 0;

	if (ctl_open_or_report(&ctl))
		return 1;
	if (!n) {
		err = kxen_domain_list(&ctl, v, nv);
		kxen_ctl_close(&ctl);
		return err ? report("uptime", err, &ctl) : 0;
	}
	*nv = 0;
	*v = calloc(n, sizeof(**v));
	if (!*v)
		err = report("uptime", -ENOMEM, NULL);
	for (i = 0; i < n && !err; i++)
		if (!is_dom0(names[i]))
			err = uptime_get(&ctl, names[i], &(*v)[(*nv)++]);
	kxen_ctl_close(&ctl);
	return err;
}

/* xenstore, where create wrote each domain's start time: NULL, said why. */
static struct xs_handle *uptime_xs_open(void)
{
	struct xs_handle *xs = xs_open(0);

	if (!xs)
		fprintf(stderr, "xl-lite: uptime: cannot open xenstore: %s\n",
			strerror(errno));
	return xs;
}

int main_uptime(int argc, char **argv)
{
	struct kxen_dominfo *v = NULL;
	struct xs_handle *xs = NULL;
	bool short_mode = false, kxen;
	size_t nv = 0, j = 0;
	char **names;
	int i, n, opt, ret = 0;
	time_t now;

	while ((opt = cmd_getopt(argc, argv, "uptime")) != -1)
		short_mode = opt == 's';
	names = argv + optind;
	n = argc - optind;
	for (i = 0, kxen = !n; i < n; i++)
		kxen |= !is_dom0(names[i]);
	if (kxen && uptime_domains(names, n, &v, &nv))
		return 1;
	if (nv) {
		xs = uptime_xs_open();
		ret = !xs;
	}
	now = time(NULL);
	if (!short_mode)
		printf("%-33s %4s %s\n", "Name", "ID", "Uptime");
	if (!n)
		ret |= dom0_uptime(short_mode, now);
	for (j = 0; !n && j < nv; j++)
		ret |= domu_uptime(xs, &v[j], short_mode, now);
	for (i = 0, j = 0; i < n; i++) {
		if (is_dom0(names[i]))
			ret |= dom0_uptime(short_mode, now);
		else
			ret |= domu_uptime(xs, &v[j++], short_mode, now);
	}
	if (xs)
		xs_close(xs);
	free(v);
	return ret;
}
