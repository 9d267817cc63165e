// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite shutdown / reboot, as xl's (tools/xl/xl_vmcontrol.c): the guest
 * is asked through xenstore, by writing "poweroff" or "reboot" to its
 * ~/control/shutdown node (Xen's docs/misc/xenstore-paths), which
 * Linux's xenbus "control" watch acts on.  When there is no xenstore to
 * write to, the guest has no PV control interface (it never wrote
 * ~/control/feature-poweroff or feature-reboot), or it has not shut down
 * within SHUTDOWN_ANSWER_S, kxen shuts the domain down itself with that
 * reason (KXEN_CMD_DOMAIN_SHUTDOWN), exactly as if the guest had asked;
 * the domain's monitor then does what on_poweroff / on_reboot say.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>
#include <xen/xen.h>
#include <xen/sched.h>

#include "xl.h"

#define SHUTDOWN_ANSWER_S	30
#define SHUTDOWN_POLL_MS	200

/*
 * Whether the guest's PV drivers said they act on this request:
 * ~/control/feature-poweroff or feature-reboot is "1" (xenstore-paths),
 * as libxl checks before it asks.
 */
static bool xs_guest_listens(struct xs_handle *xs, uint32_t domid,
			     const char *what)
{
	unsigned int len = 0;
	char path[80], *val;
	bool yes;

	snprintf(path, sizeof(path), "/local/domain/%u/control/feature-%s",
		 domid, what);
	val = xs_read(xs, XBT_NULL, path, &len);
	yes = val && len == 1 && val[0] == '1';
	free(val);
	return yes;
}

/*
 * 0 when written; -ENOENT when there is no xenstore to talk to,
 * -EOPNOTSUPP when the guest has no PV control interface.
 */
static int xs_request(uint32_t domid, const char *what)
{
	struct xs_handle *xs = xs_open(0);
	char path[64];
	bool ok;

	if (!xs)
		return -ENOENT;
	if (!xs_guest_listens(xs, domid, what)) {
		xs_close(xs);
		return -EOPNOTSUPP;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown",
		 domid);
	errno = 0;
	ok = xs_write(xs, XBT_NULL, path, what, strlen(what));
	if (!ok && !errno)
		errno = EIO;
	xs_close(xs);
	return ok ? 0 : -errno;
}

/* Shut down, crashed, dying or gone: the request has been acted on. */
static bool domain_down(struct kxen_ctl *ctl, uint32_t domid,
			struct kxen_dominfo *di)
{
	int err = kxen_domain_get(ctl, domid, di);

	if (err == -ESRCH) {
		di->state = KXEN_STATE_DYING;
		return true;
	}
	return !err && (di->state == KXEN_STATE_SHUTDOWN ||
			di->state == KXEN_STATE_CRASHED ||
			di->state == KXEN_STATE_DYING);
}

/* Poll until domain_down(), for at most @secs (< 0: no limit). */
static bool wait_down(struct kxen_ctl *ctl, uint32_t domid, int secs,
		      struct kxen_dominfo *di)
{
	long waited = 0;

	while (!domain_down(ctl, domid, di)) {
		if (secs >= 0 && waited >= secs * 1000L)
			return false;
		poll(NULL, 0, SHUTDOWN_POLL_MS);
		waited += SHUTDOWN_POLL_MS;
	}
	return true;
}

/* Ask the guest, then make kxen do it if the guest does not. */
static int ask_or_force(struct kxen_ctl *ctl, uint32_t domid,
			const char *what, uint32_t reason, bool force)
{
	struct kxen_dominfo di;
	int err = force ? -ENOENT : xs_request(domid, what);

	if (!err) {
		if (wait_down(ctl, domid, SHUTDOWN_ANSWER_S, &di))
			return 0;
		fprintf(stderr,
			"xl-lite: domain %u did not act on control/shutdown in %d s: kxen shuts it down\n",
			domid, SHUTDOWN_ANSWER_S);
	} else if (err == -EOPNOTSUPP) {
		fprintf(stderr,
			"xl-lite: domain %u has no PV control interface (control/feature-%s unset): kxen shuts it down\n",
			domid, what);
	} else if (!force) {
		fprintf(stderr,
			"xl-lite: no xenstore to ask domain %u through (%s): kxen shuts it down\n",
			domid, strerror(-err));
	}
	err = kxen_domain_shutdown(ctl, domid, reason);
	if (err == -ESRCH)
		return 0;	/* gone meanwhile: nothing left to do */
	if (err)
		return report(what, err, ctl);
	return 0;
}

/* What shutdown -w prints once @domid is down (xl's wording). */
static void report_down(uint32_t domid, const struct kxen_dominfo *di)
{
	if (di->state == KXEN_STATE_DYING)
		printf("Domain %u has been destroyed.\n", domid);
	else
		printf("Domain %u has been shut down, reason code %u\n", domid,
		       di->state == KXEN_STATE_CRASHED ? SHUTDOWN_crash :
		       di->shutdown_reason);
}

/*
 * The domains to act on: the one named, or with -a every domain but
 * Domain-0 (as xl's -a).  0 with *ids malloc()ed, or 1 with a message.
 */
static int target_domains(struct kxen_ctl *ctl, const char *dom, bool all,
			  uint32_t **ids, size_t *n)
{
	struct kxen_dominfo *v;
	size_t i;
	int err;

	if (!all) {
		*ids = malloc(sizeof(**ids));
		*n = 1;
		if (!*ids)
			return report("shutdown", -ENOMEM, NULL);
		if (!find_live_domain(ctl, dom, *ids))
			return 0;
		free(*ids);
		return 1;
	}
	err = kxen_domain_list(ctl, &v, n);
	if (err)
		return report("list", err, ctl);
	*ids = calloc(*n ? *n : 1, sizeof(**ids));
	for (i = 0; *ids && i < *n; i++)
		(*ids)[i] = v[i].domid;
	free(v);
	return *ids ? 0 : report("shutdown", -ENOMEM, NULL);
}

static int shutdown_reboot(int argc, char **argv, const char *name,
			   const char *what, uint32_t reason)
{
	struct kxen_dominfo di;
	struct kxen_ctl ctl;
	bool wait = false, force = false, all = false;
	uint32_t *ids;
	size_t n, i;
	int opt, ret = 0;

	while ((opt = cmd_getopt(argc, argv, name)) != -1) {
		wait |= opt == 'w';
		force |= opt == 'F';
		all |= opt == 'a';
	}
	if (!all && optind >= argc) {
		fprintf(stderr, "You must specify -a or a domain id.\n\n");
		return 1;
	}
	if (ctl_open_or_report(&ctl))
		return 1;
	if (target_domains(&ctl, argv[optind], all, &ids, &n)) {
		kxen_ctl_close(&ctl);
		return 1;
	}
	for (i = 0; i < n; i++) {
		printf("%s domain %u\n", reason == SHUTDOWN_reboot ?
		       "Rebooting" : "Shutting down", ids[i]);
		fflush(stdout);
		ret |= ask_or_force(&ctl, ids[i], what, reason, force);
	}
	if (!ret && wait) {
		printf("Waiting for %zu domains\n", n);
		fflush(stdout);
		for (i = 0; i < n; i++) {
			wait_down(&ctl, ids[i], -1, &di);
			report_down(ids[i], &di);
		}
	}
	free(ids);
	kxen_ctl_close(&ctl);
	return ret;
}

int main_shutdown(int argc, char **argv)
{
	return shutdown_reboot(argc, argv, "shutdown", "poweroff",
			       SHUTDOWN_poweroff);
}

int main_reboot(int argc, char **argv)
{
	return shutdown_reboot(argc, argv, "reboot", "reboot",
			       SHUTDOWN_reboot);
}
