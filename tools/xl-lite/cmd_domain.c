// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite commands on existing domains and on the host: list, destroy,
 * pause, unpause, console, info (shutdown and reboot: cmd_shutdown.c).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "devices.h"
#include "util.h"
#include "xl.h"

#define CTRL_CLOSE_BRACKET	0x1d	/* Ctrl-]: detach, as xl console */

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

static void print_domain(const struct kxen_dominfo *d)
{
	char st[7];

	state_string(d, st);
	printf("%-40s %5u %5llu %5u     %s  %8.1f\n", d->name, d->domid,
	       (unsigned long long)(d->mem_kb / 1024), d->vcpus, st,
	       d->cpu_time_ns / 1e9);
}

/* Host memory in MiB and busy CPU seconds, from /proc. */
static void host_usage(unsigned long long *mem_mib, double *busy_s)
{
	unsigned long long kb = 0, t[8] = { 0 };
	char line[256];
	FILE *f;
	int i;

	*mem_mib = 0;
	*busy_s = 0;
	f = fopen("/proc/meminfo", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
				break;
		fclose(f);
		*mem_mib = kb / 1024;
	}
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
static void print_dom0(void)
{
	unsigned long long mem;
	double busy;

	host_usage(&mem, &busy);
	printf("%-40s %5u %5llu %5ld     %s  %8.1f\n", "Domain-0", 0, mem,
	       sysconf(_SC_NPROCESSORS_ONLN), "r-----", busy);
}

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

int main_list(int argc, char **argv)
{
	struct kxen_dominfo *v = NULL, one;
	struct kxen_ctl ctl;
	size_t n = 1, i;
	int err;

	while (cmd_getopt(argc, argv, "list") != -1)
		;
	if (argc - optind > 1) {
		cmd_help("list");
		return 2;
	}
	if (ctl_open_or_report(&ctl))
		return 1;
	if (optind < argc) {
		err = list_one(&ctl, argv[optind], &one);
	} else {
		err = kxen_domain_list(&ctl, &v, &n);
		if (err)
			report("list", err, &ctl);
	}
	kxen_ctl_close(&ctl);
	if (err)
		return 1;
	printf("Name                                        ID   Mem VCPUs\t"
	       "State\tTime(s)\n");
	if (optind >= argc)
		print_dom0();
	for (i = 0; i < n; i++)
		print_domain(v ? &v[i] : &one);
	free(v);
	return 0;
}

/* destroy, pause, unpause: DOMID-only commands */
static int domain_op(int argc, char **argv, const char *name, uint8_t cmd)
{
	struct kxen_ctl ctl;
	uint32_t domid;
	int err, ret = 1;

	while (cmd_getopt(argc, argv, name) != -1)
		;
	if (ctl_open_or_report(&ctl))
		return 1;
	if (!find_domain(&ctl, argv[optind], &domid)) {
		/* as libxl's destroy, the vifs' hotplug offline first */
		if (cmd == KXEN_CMD_DOMAIN_DESTROY)
			devices_release_nics(domid);
		err = kxen_domain_cmd(&ctl, cmd, domid);
		if (err == -ESRCH)
			fprintf(stderr, "Error: Domain '%s' does not exist.\n",
				argv[optind]);
		else if (err)
			report(name, err, &ctl);
		ret = !!err;
	}
	kxen_ctl_close(&ctl);
	return ret;
}

int main_destroy(int argc, char **argv)
{
	return domain_op(argc, argv, "destroy", KXEN_CMD_DOMAIN_DESTROY);
}

int main_pause(int argc, char **argv)
{
	return domain_op(argc, argv, "pause", KXEN_CMD_DOMAIN_PAUSE);
}

int main_unpause(int argc, char **argv)
{
	return domain_op(argc, argv, "unpause", KXEN_CMD_DOMAIN_UNPAUSE);
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * Typed input goes to the guest's PV console, as far as Ctrl-] (which
 * detaches, as in xl console).  Returns false when stdin is done: at EOF
 * (output keeps coming), on Ctrl-] (*detach set), or when the domain has
 * no PV console to type into.
 */
static bool forward_input(int fd, bool *detach)
{
	char buf[256];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf)), w, off = 0;
	char *end;
	int tries = 0;

	if (n <= 0)
		return false;
	end = memchr(buf, CTRL_CLOSE_BRACKET, n);
	if (end) {
		n = end - buf;
		*detach = true;
	}
	while (off < n) {
		w = write(fd, buf + off, n - off);
		if (w > 0) {
			off += w;
			continue;
		}
		if (w < 0 && errno == ENODEV) {
			fprintf(stderr,
				"xl-lite: console: no PV console: input dropped\n");
			return false;
		}
		/* Ring full: let the guest catch up, a little while. */
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return false;
		if (++tries > 500)
			return false;
		poll(NULL, 0, 10);
	}
	return !*detach;
}

/*
 * True once the domain will write nothing more: shut down, crashed or
 * gone.  Checked when the console is idle, so that the console ends with
 * its domain as xl's does, even with nobody left to destroy the domain.
 */
static bool domain_finished(uint32_t domid)
{
	struct kxen_dominfo di;
	struct kxen_ctl ctl;
	int err;

	if (kxen_ctl_open(&ctl))
		return false;
	err = kxen_domain_get(&ctl, domid, &di);
	kxen_ctl_close(&ctl);
	return err == -ESRCH ||
	       (!err && (di.state == KXEN_STATE_SHUTDOWN ||
			 di.state == KXEN_STATE_CRASHED ||
			 di.state == KXEN_STATE_DYING));
}

#define CONSOLE_IDLE_MS	300

int console_loop(int fd, uint32_t domid)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	struct termios old, raw;
	bool tty = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &old);
	bool input = true, detach = false;
	char buf[4096];
	ssize_t n;
	int ret = 0, r;

	if (tty) {
		raw = old;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	for (;;) {
		r = poll(p, input ? 2 : 1, CONSOLE_IDLE_MS);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = report("console", -errno, NULL);
			break;
		}
		if (r == 0) {
			if (domain_finished(domid))
				break;
			continue;
		}
		if (input && (p[1].revents & (POLLIN | POLLHUP))) {
			input = forward_input(fd, &detach);
			if (detach || (tty && !input))
				break;
		}
		if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			ret = report("console", -errno, NULL);
		if (n <= 0 || write_all(STDOUT_FILENO, buf, n))
			break;
	}
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	return ret;
}

int console_attach(uint32_t domid, const char *dom)
{
	int fd, err;

	fd = kxen_dev_open();
	if (fd == -ENOENT) {
		fprintf(stderr, "xl-lite: %s: %s\n", KXEN_DEV_PATH,
			KXEN_NOT_LOADED_HINT);
		return 1;
	}
	if (fd < 0)
		return report(KXEN_DEV_PATH, fd, NULL);
	err = kxen_dev_bind(fd, domid);
	if (err == -ESRCH)
		fprintf(stderr, "Error: Domain '%s' does not exist.\n", dom);
	else if (err)
		report("console", err, NULL);
	err = err ? 1 : console_loop(fd, domid);
	close(fd);
	return err;
}

int main_console(int argc, char **argv)
{
	struct kxen_ctl ctl;
	uint32_t domid;
	int err;

	while (cmd_getopt(argc, argv, "console") != -1)
		;
	if (ctl_open_or_report(&ctl))
		return 1;
	err = find_domain(&ctl, argv[optind], &domid);
	kxen_ctl_close(&ctl);
	if (err)
		return 1;
	return console_attach(domid, argv[optind]);
}

static void print_caps(uint64_t caps)
{
	static const char *const names[] = {
		"vmx", "svm", "hap_2m", "pvh", "console_io", "stats",
	};
	unsigned int i;
	bool first = true;

	printf("%-23s:", "kxen_caps");
	for (i = 0; i < 64; i++) {
		if (!(caps & (1ULL << i)))
			continue;
		if (i < ARRAY_SIZE(names))
			printf(" %s", names[i]);
		else
			printf(" bit%u", i);
		first = false;
	}
	printf("%s (0x%llx)\n", first ? " none" : "",
	       (unsigned long long)caps);
}

int main_info(int argc, char **argv)
{
	struct kxen_hostinfo hi;
	struct kxen_ctl ctl;
	int err;

	while (cmd_getopt(argc, argv, "info") != -1)
		;
	if (ctl_open_or_report(&ctl))
		return 1;
	err = kxen_get_info(&ctl, &hi);
	if (err) {
		report("info", err, &ctl);
		kxen_ctl_close(&ctl);
		return 1;
	}
	kxen_ctl_close(&ctl);
	printf("%-23s: %u\n", "kxen_api_version", hi.api_version);
	print_caps(hi.caps);
	printf("%-23s: %s\n", "kxen_vendor", hi.vendor[0] ? hi.vendor : "-");
	if (hi.has_stats) {
		printf("%-23s: %u\n", "nr_domains", hi.domains);
		printf("%-23s: %llu\n", "live_pages",
		       (unsigned long long)hi.live_pages);
		printf("%-23s: %llu\n", "live_objects",
		       (unsigned long long)hi.live_objects);
	}
	printf("%-23s: %u\n", "xl_lite_api_version", KXEN_API_VERSION);
	return 0;
}
