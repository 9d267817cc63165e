// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite top, as xl top (which runs xentop): every domain's CPU time,
 * memory and devices, refreshed every DELAY seconds.  -b is xentop's
 * batch mode: the header and one line a domain each time, no screen
 * handling.  Without it the screen is cleared (ANSI) before each table
 * and q quits.  CPU(sec) sums the vCPUs' run times (KXEN_CMD_VCPU_GET),
 * MEM and MAXMEM are what the domain holds and its maximum in kxen,
 * NETTX/NETRX the guest's side of its vifs' backend netdev counters
 * (sysfs statistics: the netdev's rx is the guest's tx).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#include "devices.h"
#include "top.h"
#include "xl.h"

struct top_sample {
	struct top_row *rows;
	size_t n;
	uint64_t at_ns;		/* CLOCK_MONOTONIC */
};

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* A netdev's /sys/class/net/DEV/statistics/@what; 0 when absent. */
static uint64_t netdev_stat(const char *dev, const char *what)
{
	unsigned long long v = 0;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", dev,
		 what);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/* The backend's devices of @type ("vif", "vbd") for @r's domain. */
static char **backend_devs(struct xs_handle *xs, const char *type,
			   uint32_t domid, unsigned int *n)
{
	char path[64];

	*n = 0;
	if (!xs)
		return NULL;
	snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u", type,
		 domid);
	return xs_directory(xs, XBT_NULL, path, n);
}

static void top_devices(struct xs_handle *xs, struct top_row *r)
{
	unsigned int n, i;
	char **ids = backend_devs(xs, "vif", r->domid, &n);
	char dev[64], *name;

	r->nets = ids ? n : 0;
	for (i = 0; ids && i < n; i++) {
		name = devices_xs_read(xs, "/local/domain/0/backend/vif/%u/%s/vifname",
				       r->domid, ids[i]);
		if (name)
			snprintf(dev, sizeof(dev), "%s", name);
		else
			snprintf(dev, sizeof(dev), "vif%u.%s", r->domid, ids[i]);
		free(name);
		r->net_tx_bytes += netdev_stat(dev, "rx_bytes");
		r->net_rx_bytes += netdev_stat(dev, "tx_bytes");
	}
	free(ids);
	ids = backend_devs(xs, "vbd", r->domid, &n);
	r->vbds = ids ? n : 0;
	free(ids);
}

static void top_domain(struct kxen_ctl *ctl, struct xs_handle *xs,
		       const struct kxen_dominfo *d, struct top_row *r)
{
	struct kxen_vcpuinfo *v;
	size_t n, i;

	memset(r, 0, sizeof(*r));
	r->domid = d->domid;
	snprintf(r->name, sizeof(r->name), "%s", d->name);
	r->state = d->state;
	/* xentop counts the vCPUs online (xenstat_domain_num_vcpus) */
	r->vcpus = d->vcpus_online;
	r->mem_kb = d->cur_mem_kb ? d->cur_mem_kb : d->mem_kb;
	r->max_kb = d->max_mem_kb ? d->max_mem_kb : d->mem_kb;
	r->cpu_ns = d->cpu_time_ns;
	memcpy(r->vbd, d->vbd, sizeof(r->vbd));
	if (!kxen_vcpu_list(ctl, d->domid, &v, &n)) {
		for (r->cpu_ns = 0, i = 0; i < n; i++)
			r->cpu_ns += v[i].time_ns;
		free(v);
	}
	top_devices(xs, r);
}

/* Domain-0, the host, as list shows it: no limit on its memory. */
static void top_dom0(struct top_row *r)
{
	unsigned long long mem;
	double busy;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", DOM0_NAME);
	r->state = KXEN_STATE_RUNNING;
	host_usage(&mem, &busy);
	r->mem_kb = mem * 1024;
	r->cpu_ns = busy * 1e9;
	r->vcpus = sysconf(_SC_NPROCESSORS_ONLN);
}

static int top_sample(struct kxen_ctl *ctl, struct top_sample *s)
{
	struct xs_handle *xs;
	struct kxen_dominfo *d;
	size_t n, i;
	int err = kxen_domain_list(ctl, &d, &n);

	if (err)
		return report("top", err, ctl);
	s->rows = calloc(n + 1, sizeof(*s->rows));
	if (!s->rows) {
		free(d);
		return report("top", -ENOMEM, NULL);
	}
	s->at_ns = now_ns();
	xs = xs_open(0);
	top_dom0(&s->rows[0]);
	for (i = 0; i < n; i++)
		top_domain(ctl, xs, &d[i], &s->rows[i + 1]);
	s->n = n + 1;
	if (xs)
		xs_close(xs);
	free(d);
	return 0;
}

/* CPU(%) of each domain in @s over the time since @prev. */
static void top_rates(struct top_sample *s, const struct top_sample *prev)
{
	size_t i, j;

	for (i = 0; prev->rows && i < s->n; i++)
		for (j = 0; j < prev->n; j++)
			if (prev->rows[j].domid == s->rows[i].domid)
				s->rows[i].cpu_pct =
					top_cpu_pct(prev->rows[j].cpu_ns,
						    s->rows[i].cpu_ns,
						    s->at_ns - prev->at_ns);
}

/*
 * Sleep @secs, or until q on a terminal (@keys) or SIGINT or SIGTERM
 * (@sigfd, a signalfd): false to quit.
 */
static bool top_wait(unsigned int secs, int sigfd, bool *keys)
{
	struct pollfd p[2] = {
		{ .fd = sigfd, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	uint64_t end = now_ns() + secs * 1000000000ULL, t;
	char c;

	while ((t = now_ns()) < end) {
		if (poll(p, *keys ? 2 : 1, (end - t) / 1000000 + 1) <= 0)
			continue;
		if (p[0].revents)
			return false;
		if (read(STDIN_FILENO, &c, 1) != 1)
			*keys = false;	/* end of input: keep refreshing */
		else if (c == 'q' || c == 'Q')
			return false;
	}
	return true;
}

struct top_opts {
	bool batch;
	unsigned int delay;		/* seconds between tables */
	unsigned int iterations;	/* 0: until told to stop */
};

static void top_print(const struct top_sample *s, bool batch)
{
	uint64_t host_kb = meminfo_mib("MemTotal") * 1024;
	size_t i;

	if (!batch)
		fputs("\033[H\033[2J", stdout);
	top_print_header(stdout);
	for (i = 0; i < s->n; i++)
		top_print_row(stdout, &s->rows[i], host_kb);
	fflush(stdout);
}

static int top_loop(struct kxen_ctl *ctl, const struct top_opts *o,
		    int sigfd)
{
	struct top_sample prev = { 0 }, cur = { 0 };
	bool keys = !o->batch && isatty(STDIN_FILENO);
	unsigned int done = 0;
	int ret = 0;

	for (;;) {
		ret = top_sample(ctl, &cur);
		if (ret)
			break;
		top_rates(&cur, &prev);
		free(prev.rows);
		prev = cur;
		top_print(&cur, o->batch);
		if (++done == o->iterations || !top_wait(o->delay, sigfd, &keys))
			break;
	}
	free(prev.rows);
	return ret;
}

/* A positive count for -d or -i: 0 (and a message) when it is not. */
static unsigned int top_count(const char *opt, const char *arg)
{
	unsigned long v;

	if (!xl_parse_ulong(arg, 1, 86400, &v)) {
		fprintf(stderr, "xl-lite: top: %s: \"%s\" is not a number from 1 to 86400\n",
			opt, arg);
		return 0;
	}
	return v;
}

static int top_options(int argc, char **argv, struct top_opts *o)
{
	int opt;

	while ((opt = cmd_getopt(argc, argv, "top")) != -1) {
		if (opt == 'b')
			o->batch = true;
		else if (opt == 'd')
			o->delay = top_count("-d", optarg);
		else if (opt == 'i')
			o->iterations = top_count("-i", optarg);
		if ((opt == 'd' && !o->delay) || (opt == 'i' && !o->iterations))
			return 2;
	}
	if (optind < argc) {
		cmd_help("top");
		return 2;
	}
	return 0;
}

int main_top(int argc, char **argv)
{
	struct top_opts o = { .delay = 3 };
	struct termios saved, raw;
	struct kxen_ctl ctl;
	sigset_t quit;
	int sigfd, ret = top_options(argc, argv, &o);
	bool term;

	if (ret)
		return ret;
	if (ctl_open_or_report(&ctl))
		return 1;
	/* Ctrl-C and SIGTERM end the loop, so the terminal is restored */
	sigemptyset(&quit);
	sigaddset(&quit, SIGINT);
	sigaddset(&quit, SIGTERM);
	sigprocmask(SIG_BLOCK, &quit, NULL);
	sigfd = signalfd(-1, &quit, SFD_CLOEXEC);
	/* keys without Enter, not echoed, for q */
	term = !o.batch && !tcgetattr(STDIN_FILENO, &saved);
	if (term) {
		raw = saved;
		raw.c_lflag &= ~(ICANON | ECHO);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	ret = top_loop(&ctl, &o, sigfd);
	if (term)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	if (sigfd >= 0)
		close(sigfd);
	kxen_ctl_close(&ctl);
	return ret;
}
