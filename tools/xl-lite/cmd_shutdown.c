// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite shutdown / reboot, as xl's (tools/xl/xl_vmcontrol.c): the guest
 * is asked through xenstore, by writing "poweroff" or "reboot" to its
 * ~/control/shutdown node (Xen's docs/misc/xenstore-paths), which
 * Linux's xenbus "control" watch acts on, and that is all: the command
 * returns (or with -w waits, without limit) and nothing is forced.
 *
 * A guest with no PV control interface (it never wrote
 * ~/control/feature-poweroff or feature-reboot), or no xenstore to ask it
 * through, is libxl's ERROR_NOPARAVIRT: xl fails and names -F, whose
 * fallback is an ACPI power or reset button.  A PVH guest here has no
 * ACPI event to receive, so kxen's fallback is to shut the domain down
 * itself with that reason (KXEN_CMD_DOMAIN_SHUTDOWN), exactly as if the
 * guest had asked; the domain's monitor then does what on_poweroff /
 * on_reboot say.  --force-after=SECS, kxen's own, also falls back when a
 * guest that was asked is not down SECS seconds later.
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

#define SHUTDOWN_POLL_MS	200
#define SHUTDOWN_AFTER_MAX_S	86400

/* libxl's error code for a guest without PV control (libxl_types.idl). */
#define ERROR_NOPARAVIRT	(-10)

struct shutdown_opts {
	bool wait;		/* -w */
	bool fallback;		/* -F */
	bool all;		/* -a */
	int force_after;	/* --force-after seconds; -1: never */
};

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

/* kxen shuts @domid down with @reason, as if the guest had asked. */
static int force_down(struct kxen_ctl *ctl, uint32_t domid, const char *name,
		      uint32_t reason)
{
	int err = kxen_domain_shutdown(ctl, domid, reason);

	if (err == -ESRCH)
		return 0;	/* gone meanwhile: nothing left to do */
	return err ? report(name, err, ctl) : 0;
}

/* xl's words for ERROR_NOPARAVIRT, with -F or without it. */
static int no_paravirt(struct kxen_ctl *ctl, uint32_t domid, const char *name,
		       uint32_t reason, int err, bool fallback)
{
	const char *why = err == -EOPNOTSUPP ? "PV control interface not available" :
		"no xenstore to ask the guest through";

	if (fallback) {
		fprintf(stderr, "%s: kxen shuts it down (reason %s).\n", why,
			reason == SHUTDOWN_reboot ? "reboot" : "poweroff");
		return force_down(ctl, domid, name, reason);
	}
	fprintf(stderr,
		"%s: external graceful %s not possible.\n"
		"Use \"-F\" to fall back to kxen shutting the domain down.\n"
		"%s failed (rc=%d)\n", why, name, name, ERROR_NOPARAVIRT);
	return 1;
}

/*
 * Ask the guest; without PV control, fall back with -F; with
 * --force-after, fall back too once the guest has had that long.
 */
static int ask_guest(struct kxen_ctl *ctl, uint32_t domid, const char *name,
		     const char *what, uint32_t reason,
		     const struct shutdown_opts *o)
{
	struct kxen_dominfo di;
	int err = xs_request(domid, what);

	if (err == -ENOENT || err == -EOPNOTSUPP)
		return no_paravirt(ctl, domid, name, reason, err,
				   o->fallback || o->force_after >= 0);
	if (err)
		return report(name, err, NULL);
	if (o->force_after < 0 || wait_down(ctl, domid, o->force_after, &di))
		return 0;
	fprintf(stderr,
		"Domain %u did not act on control/shutdown in %d s: kxen shuts it down.\n",
		domid, o->force_after);
	return force_down(ctl, domid, name, reason);
}

/* What shutdown -w prints once @domid is down (xl's wording). */
static void report_down(uint32_t domid, const struct kxen_dominfo *di)
{
	if (di->state == KXEN_STATE_DYING)
		fprintf(stderr, "Domain %u has been destroyed\n", domid);
	else
		fprintf(stderr, "Domain %u has been shut down, reason code %u\n",
			domid, di->state == KXEN_STATE_CRASHED ? SHUTDOWN_crash :
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

/* Options into @o: 0, or 2 (usage) with a message. */
static int shutdown_getopt(int argc, char **argv, const char *name,
			   struct shutdown_opts *o)
{
	unsigned long v;
	int opt;

	*o = (struct shutdown_opts){ .force_after = -1 };
	while ((opt = cmd_getopt(argc, argv, name)) != -1) {
		o->wait |= opt == 'w';
		o->fallback |= opt == 'F';
		o->all |= opt == 'a';
		if (opt != OPT_FORCE_AFTER)
			continue;
		if (!xl_parse_ulong(optarg, 0, SHUTDOWN_AFTER_MAX_S, &v)) {
			fprintf(stderr,
				"xl-lite %s: --force-after: \"%s\" is not a number of seconds (0-%d)\n",
				name, optarg, SHUTDOWN_AFTER_MAX_S);
			return 2;
		}
		o->force_after = v;
	}
	if (!o->all && optind >= argc) {
		fprintf(stderr, "You must specify -a or a domain id.\n\n");
		return 1;
	}
	return 0;
}

static int shutdown_reboot(int argc, char **argv, const char *name,
			   const char *what, uint32_t reason)
{
	struct shutdown_opts o;
	struct kxen_dominfo di;
	struct kxen_ctl ctl;
	uint32_t *ids;
	size_t n, i;
	int ret;

	ret = shutdown_getopt(argc, argv, name, &o);
	if (ret)
		return ret;
	if (ctl_open_or_report(&ctl))
		return 1;
	if (target_domains(&ctl, argv[optind], o.all, &ids, &n)) {
		kxen_ctl_close(&ctl);
		return 1;
	}
	for (i = 0; i < n; i++) {
		fprintf(stderr, "%s domain %u\n", reason == SHUTDOWN_reboot ?
			"Rebooting" : "Shutting down", ids[i]);
		ret |= ask_guest(&ctl, ids[i], name, what, reason, &o);
	}
	if (!ret && o.wait) {
		fprintf(stderr, "Waiting for %zu domains\n", n);
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
