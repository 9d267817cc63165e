// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite helpers shared by the commands: errors as xl words them, the
 * control socket, domain names, and the -v log.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xl.h"

void xl_log(const char *fmt, ...)
{
	char date[64];
	struct tm tm;
	time_t now;
	va_list ap;

	if (xl_opts.timestamps) {
		/* as xl's -T logger: date, time, zone, then [pid] */
		now = time(NULL);
		localtime_r(&now, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S %Z", &tm);
		fprintf(stderr, "%s [%ld] ", date, (long)getpid());
	}
	fprintf(stderr, "xl-lite: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *const kxen_cmd_names[] = {
	[KXEN_CMD_GET_INFO] = "GET_INFO",
	[KXEN_CMD_DOMAIN_CREATE] = "DOMAIN_CREATE",
	[KXEN_CMD_DOMAIN_DESTROY] = "DOMAIN_DESTROY",
	[KXEN_CMD_DOMAIN_PAUSE] = "DOMAIN_PAUSE",
	[KXEN_CMD_DOMAIN_UNPAUSE] = "DOMAIN_UNPAUSE",
	[KXEN_CMD_DOMAIN_SHUTDOWN] = "DOMAIN_SHUTDOWN",
	[KXEN_CMD_DOMAIN_GET] = "DOMAIN_GET",
	[KXEN_CMD_VCPU_SET_BOOT] = "VCPU_SET_BOOT",
	[KXEN_CMD_EVENT] = "EVENT",
	[KXEN_CMD_DOMAIN_SET_PARAM] = "DOMAIN_SET_PARAM",
	[KXEN_CMD_VCPU_GET] = "VCPU_GET",
	[KXEN_CMD_VCPU_SET_AFFINITY] = "VCPU_SET_AFFINITY",
	[KXEN_CMD_DOMAIN_SET_MAX_MEM] = "DOMAIN_SET_MAX_MEM",
	[KXEN_CMD_DOMAIN_RENAME] = "DOMAIN_RENAME",
	[KXEN_CMD_DOMAIN_SET_SCHED] = "DOMAIN_SET_SCHED",
};

/* -v: each request to kxen and its answer. */
static void trace_request(uint8_t cmd, bool dump, int err)
{
	const char *name = cmd < ARRAY_SIZE(kxen_cmd_names) &&
			   kxen_cmd_names[cmd] ? kxen_cmd_names[cmd] : "?";

	xl_log("kxen: KXEN_CMD_%s%s: %s", name, dump ? " (dump)" : "",
	       err ? strerror(-err) : "ok");
}

int report(const char *op, int err, const struct kxen_ctl *ctl)
{
	if (ctl && ctl->ext_msg[0])
		fprintf(stderr, "xl-lite: %s: %s (%s)\n", op, strerror(-err),
			ctl->ext_msg);
	else
		fprintf(stderr, "xl-lite: %s: %s\n", op, strerror(-err));
	return 1;
}

void ctl_trace(struct kxen_ctl *ctl, int err)
{
	if (!xl_opts.verbose)
		return;
	xl_log("kxen: generic netlink family \"%s\": %s", KXEN_GENL_NAME,
	       err == -ENOENT ? "not registered" :
	       err ? strerror(-err) : "found");
	if (!err)
		ctl->trace = trace_request;
}

int ctl_open_or_report(struct kxen_ctl *ctl)
{
	int err = kxen_ctl_open(ctl);

	ctl_trace(ctl, err);
	if (err == -ENOENT)
		fprintf(stderr, "xl-lite: %s\n", KXEN_NOT_LOADED_HINT);
	else if (err)
		report("netlink", err, NULL);
	return err;
}

int invalid_domain(const char *dom)
{
	fprintf(stderr, "%s is an invalid domain identifier\n", dom);
	return 1;
}

bool domid_parse(const char *s, uint32_t *domid)
{
	unsigned long long n = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		n = n * 10 + (*p - '0');
		if (n > UINT32_MAX)
			return false;
	}
	*domid = n;
	return p != s;
}

bool xl_parse_ulong(const char *s, unsigned long min, unsigned long max,
		    unsigned long *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;	/* strtoul would take blanks and a sign */
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

int find_domain(struct kxen_ctl *ctl, const char *dom, uint32_t *domid)
{
	struct kxen_dominfo *v;
	size_t nr, i;
	int err;

	if (domid_parse(dom, domid))
		return 0;
	if (!strcmp(dom, DOM0_NAME)) {
		*domid = 0;
		return 0;
	}
	err = kxen_domain_list(ctl, &v, &nr);
	if (err) {
		report("list", err, ctl);
		return -1;
	}
	for (i = 0; i < nr && strcmp(v[i].name, dom); i++)
		;
	if (i < nr)
		*domid = v[i].domid;
	free(v);
	if (i == nr) {
		invalid_domain(dom);
		return -1;
	}
	return 0;
}

int find_live_domain(struct kxen_ctl *ctl, const char *dom, uint32_t *domid)
{
	struct kxen_dominfo di;
	int err;

	if (find_domain(ctl, dom, domid))
		return -1;
	err = kxen_domain_get(ctl, *domid, &di);
	if (err == -ESRCH)
		invalid_domain(dom);
	else if (err)
		report("domain", err, ctl);
	return err ? -1 : 0;
}

/* "MemTotal" etc. of /proc/meminfo in MiB, as xl's *_memory; 0 if none. */
unsigned long long meminfo_mib(const char *name)
{
	unsigned long long kb = 0;
	char line[256], fmt[64];
	FILE *f = fopen("/proc/meminfo", "r");

	snprintf(fmt, sizeof(fmt), "%s: %%llu kB", name);
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, fmt, &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb / 1024;
}
