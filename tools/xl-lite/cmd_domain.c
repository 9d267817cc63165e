// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite commands on existing domains: destroy, pause, unpause,
 * console (list: cmd_list.c, info: cmd_info.c, shutdown and reboot:
 * cmd_shutdown.c).
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

/*
 * xl's destroy_domain: domain 0 only with -f, and kxen's domain 0 is the
 * host, which nothing here can destroy.  0, or 1 with a message.
 */
static int destroy_dom0(bool force)
{
	if (!force)
		fprintf(stderr, "Not destroying domain 0; use -f to force.\n"
			"This can only be done using a disaggregated hardware domain and toolstack.\n\n");
	else
		fprintf(stderr, "xl-lite: destroy: Domain-0 is the host: kxen cannot destroy it\n");
	return 1;
}

/* destroy, pause, unpause: DOMID-only commands */
static int domain_op(int argc, char **argv, const char *name, uint8_t cmd)
{
	struct kxen_ctl ctl;
	bool force = false;
	uint32_t domid;
	int err, opt, ret = 1;

	while ((opt = cmd_getopt(argc, argv, name)) != -1)
		force |= opt == 'f';
	if (cmd == KXEN_CMD_DOMAIN_DESTROY &&
	    ((domid_parse(argv[optind], &domid) && !domid) ||
	     !strcmp(argv[optind], DOM0_NAME)))
		return destroy_dom0(force);
	if (ctl_open_or_report(&ctl))
		return 1;
	if (!find_domain(&ctl, argv[optind], &domid)) {
		/* as libxl's destroy, the vifs' hotplug offline first */
		if (cmd == KXEN_CMD_DOMAIN_DESTROY)
			devices_release_nics(domid);
		err = kxen_domain_cmd(&ctl, cmd, domid);
		if (err == -ESRCH)
			invalid_domain(argv[optind]);
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
		invalid_domain(dom);
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
