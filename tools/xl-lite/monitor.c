// SPDX-License-Identifier: GPL-2.0
/*
 * xl-lite's domain monitor: what xl's create leaves running in the
 * background.  It waits for its domain to shut down or crash and does
 * what the config says for that reason (xl.cfg(5) "Event Actions"):
 * destroy it, re-create it from the same config under the same name
 * (rename-restart: after renaming the old one, which is kept), or leave
 * it.  It exits once the domain is destroyed (by it or anyone
 * else), preserved, or the module goes away, so none is ever left over.
 *
 * Events from kxen's multicast group only wake it up: the state is
 * always read back with DOMAIN_GET, because an event can be lost (a
 * full socket buffer, or one sent before we subscribed), and a check
 * every MONITOR_POLL_MS catches whatever was missed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xen/xen.h>
#include <xen/sched.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "devices.h"
#include "kxenctl.h"
#include "monitor.h"
#include "util.h"
#include "xl.h"
#include "xlparse.h"

#define MONITOR_POLL_MS		1000
/* rename-restarts within one minute that find a name to take */
#define MONITOR_PRESERVE_TRIES	100

struct monitor {
	const struct dom_config *dc;
	struct kxen_ctl ctl;
	struct nl_sock *ev;	/* the events group; NULL: poll only */
	uint32_t domid;
	unsigned int restarts;	/* since xl-lite create */
	unsigned int quick;	/* quick restarts in a row */
	struct timespec started;
	bool fresh_uuid;	/* a preserved domain holds the config's */
};

/* What the monitor does next, from an action. */
enum mon_next {
	MON_WAIT,	/* keep watching (the domain was restarted) */
	MON_DONE,	/* exit 0 */
	MON_ERROR,	/* exit 1 */
};

static void mon_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void mon_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static const char *reason_name(uint32_t r)
{
	/* Xen's SHUTDOWN_* (xen/sched.h) */
	static const char *const names[] = {
		[SHUTDOWN_poweroff] = "poweroff",
		[SHUTDOWN_reboot] = "reboot",
		[SHUTDOWN_suspend] = "suspend",
		[SHUTDOWN_crash] = "crash",
		[SHUTDOWN_watchdog] = "watchdog",
		[SHUTDOWN_soft_reset] = "soft_reset",
	};

	return r < ARRAY_SIZE(names) ? names[r] : "unknown";
}

/* Subscribe to the events group; best effort, polling covers a failure. */
static struct nl_sock *events_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int grp;

	if (!sk)
		return NULL;
	if (genl_connect(sk))
		goto err_free;
	grp = genl_ctrl_resolve_grp(sk, KXEN_GENL_NAME,
				    KXEN_GENL_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(sk, grp))
		goto err_free;
	/* Events carry no sequence numbers of ours. */
	nl_socket_disable_seq_check(sk);
	if (nl_socket_set_nonblocking(sk))
		goto err_free;
	return sk;
err_free:
	nl_socket_free(sk);
	return NULL;
}

/* Sleep until an event or MONITOR_POLL_MS, then drop what was queued. */
static void mon_wait(struct monitor *m)
{
	struct pollfd p;
	int i;

	if (!m->ev) {
		poll(NULL, 0, MONITOR_POLL_MS);
		return;
	}
	p.fd = nl_socket_get_fd(m->ev);
	p.events = POLLIN;
	if (poll(&p, 1, MONITOR_POLL_MS) <= 0)
		return;
	/* Bounded: the state is read back anyway. */
	for (i = 0; i < 64 && nl_recvmsgs_default(m->ev) >= 0; i++)
		;
}

static enum dom_action mon_action(const struct monitor *m,
				  const struct kxen_dominfo *di,
				  uint32_t *reason)
{
	const struct dom_config *dc = m->dc;

	/* A domain kxen crashed is a crash, whatever it asked for. */
	if (di->state == KXEN_STATE_CRASHED)
		*reason = SHUTDOWN_crash;
	else
		*reason = di->has_reason ? di->shutdown_reason :
			  SHUTDOWN_poweroff;
	switch (*reason) {
	case SHUTDOWN_poweroff:
		return dc->on_poweroff;
	case SHUTDOWN_reboot:
		return dc->on_reboot;
	case SHUTDOWN_crash:
		return dc->on_crash;
	case SHUTDOWN_watchdog:
		return dc->on_watchdog;
	case SHUTDOWN_soft_reset:
		return dc->on_soft_reset;
	case SHUTDOWN_suspend:
		/* xl leaves a suspended domain to whoever suspended it */
		return ACT_PRESERVE;
	default:
		return ACT_DESTROY;
	}
}

static double mon_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
}

static enum mon_next mon_destroy(struct monitor *m)
{
	int err;

	mon_log("Domain %u needs to be cleaned up: destroying the domain",
		m->domid);
	devices_release_nics(m->domid);
	err = kxen_domain_cmd(&m->ctl, KXEN_CMD_DOMAIN_DESTROY, m->domid);
	if (err && err != -ESRCH) {
		mon_log("destroy domain %u: %s", m->domid, strerror(-err));
		return MON_ERROR;
	}
	return MON_DONE;
}

/*
 * rename-restart's first half, as xl's preserve_domain: the old domain
 * is kept, renamed NAME-YYYYMMDDTHHMMZ (UTC), with "-N" after it when
 * that is taken.  It keeps its UUID: kxen cannot change one.
 */
static int mon_preserve(struct monitor *m)
{
	char name[KXEN_NAME_MAX];
	time_t now = time(NULL);
	unsigned int n;
	struct tm tm;
	int ret = -EEXIST;

	gmtime_r(&now, &tm);
	for (n = 1; ret == -EEXIST && n <= MONITOR_PRESERVE_TRIES; n++) {
		xl_preserve_name(name, sizeof(name), m->dc->name, &tm, n);
		ret = dom_rename(&m->ctl, m->domid, name, "rename-restart");
	}
	if (ret < 0) {
		mon_log("Preserving domain %u %s failed: %s", m->domid,
			m->dc->name, ret == -EEXIST ? "every name is taken" :
			"kxen refused the rename");
		return -1;
	}
	/* ret 1: kxen has the new name, xenstore not; the old one is free */
	mon_log("Preserving domain %u %s as %s", m->domid, m->dc->name,
		name);
	return 0;
}

/* The domain again, from the config: create's own path. */
static int mon_create(struct monitor *m, uint32_t *domid)
{
	struct dom_config dc = *m->dc;

	if (m->fresh_uuid)
		dc.uuid_given = false;
	return create_build(&dc, false, domid);
}

static enum mon_next mon_restart(struct monitor *m, bool rename)
{
	double ran = mon_since(&m->started);
	uint32_t domid;

	m->quick = ran < MONITOR_QUICK_S ? m->quick + 1 : 0;
	if (m->quick > MONITOR_QUICK_MAX) {
		mon_log("Domain %u (%s) restarted too quickly: %u restarts in a row",
			m->domid, m->dc->name, MONITOR_QUICK_MAX);
		mon_log("each under %d s; not restarting it, it is left as it is",
			MONITOR_QUICK_S);
		return MON_DONE;
	}
	if (rename && mon_preserve(m))
		return MON_ERROR;
	if (!rename && mon_destroy(m) != MON_DONE)
		return MON_ERROR;
	/*
	 * xl gives the preserved domain a new UUID and the new one the
	 * config's; kxen cannot change a domain's UUID, so the preserved
	 * one keeps it and the new ones get their own from now on.
	 */
	if (rename && m->dc->uuid_given && !m->fresh_uuid) {
		m->fresh_uuid = true;
		mon_log("Domain %u keeps the config's UUID; the new domain gets a new one",
			m->domid);
	}
	mon_log("Done. Rebooting now");
	if (mon_create(m, &domid)) {
		mon_log("re-creating domain %s failed", m->dc->name);
		return MON_ERROR;
	}
	m->restarts++;
	clock_gettime(CLOCK_MONOTONIC, &m->started);
	mon_log("Domain %s restarted: domid %u, restart %u (the last one ran %.1f s)",
		m->dc->name, domid, m->restarts, ran);
	m->domid = domid;
	return MON_WAIT;
}

/* The domain has ended (shut down or crashed): carry out its action. */
static enum mon_next mon_act(struct monitor *m, const struct kxen_dominfo *di)
{
	uint32_t reason;
	enum dom_action a = mon_action(m, di, &reason);

	mon_log("Domain %u has shut down, reason code %u (%s)", m->domid,
		reason, reason_name(reason));
	mon_log("Action for shutdown reason code %u is %s", reason,
		dom_action_name(a));
	switch (a) {
	case ACT_RESTART:
	case ACT_RESTART_RENAME:
		return mon_restart(m, a == ACT_RESTART_RENAME);
	case ACT_PRESERVE:
		mon_log("Preserving domain %u. Done. Exiting now", m->domid);
		return MON_DONE;
	default:
		/* destroy; the others are refused when the config is parsed */
		return mon_destroy(m);
	}
}

int monitor_run(const struct dom_config *dc, uint32_t domid)
{
	struct monitor m = { .dc = dc, .domid = domid };
	enum mon_next next = MON_WAIT;
	struct kxen_dominfo di;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &m.started);
	if (kxen_ctl_open(&m.ctl)) {
		mon_log("cannot talk to kxen: exiting");
		return 1;
	}
	m.ev = events_open();
	mon_log("Waiting for domain %s (domid %u) to die [pid %ld]", dc->name,
		domid, (long)getpid());
	while (next == MON_WAIT) {
		err = kxen_domain_get(&m.ctl, m.domid, &di);
		if (err == -ESRCH) {
			mon_log("Domain %u has been destroyed.", m.domid);
			next = MON_DONE;
		} else if (err) {
			mon_log("domain %u: %s: exiting", m.domid,
				strerror(-err));
			next = MON_ERROR;
		} else if (di.state == KXEN_STATE_SHUTDOWN ||
			   di.state == KXEN_STATE_CRASHED) {
			next = mon_act(&m, &di);
		} else {
			mon_wait(&m);
		}
	}
	if (m.ev)
		nl_socket_free(m.ev);
	kxen_ctl_close(&m.ctl);
	return next == MON_DONE ? 0 : 1;
}

/*
 * A log that is there already moves to .1, .1 to .2 ... and .10 goes,
 * as libxl_create_logfile() rotates xl's logs.
 */
static void log_rotate(const char *path)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct stat st;
	int i;

	if (stat(path, &st))
		return;
	snprintf(to, sizeof(to), "%s.%d", path, MONITOR_LOG_KEEP);
	unlink(to);
	for (i = MONITOR_LOG_KEEP - 1; i > 0; i--) {
		snprintf(from, sizeof(from), "%s.%d", path, i);
		snprintf(to, sizeof(to), "%s.%d", path, i + 1);
		rename(from, to);
	}
	snprintf(to, sizeof(to), "%s.1", path);
	rename(path, to);
}

/* stdin from /dev/null, stdout and stderr to the domain's log. */
static void daemon_stdio(const char *name)
{
	char path[sizeof(MONITOR_LOG_DIR) + KXEN_NAME_MAX + 16];
	int in = open("/dev/null", O_RDONLY), out;
	char *p;

	/* mkdir -p: a minimal root may have no /var */
	snprintf(path, sizeof(path), "%s/", MONITOR_LOG_DIR);
	for (p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	snprintf(path, sizeof(path), "%s/xl-%s.log", MONITOR_LOG_DIR, name);
	log_rotate(path);
	out = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (out < 0)
		out = open("/dev/null", O_WRONLY);
	if (in >= 0) {
		dup2(in, STDIN_FILENO);
		close(in);
	}
	if (out >= 0) {
		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
		close(out);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
}

int monitor_spawn(const struct dom_config *dc, uint32_t domid)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("xl-lite: fork the domain monitor");
		return 1;
	}
	if (pid > 0) {
		/* The middle process exits at once: no zombie is left. */
		if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st)) {
			fprintf(stderr,
				"xl-lite: could not start the domain monitor\n");
			return 1;
		}
		return 0;
	}
	/* Out of the caller's session and process group, then re-parented. */
	if (setsid() < 0)
		_exit(1);
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	if (chdir("/"))
		_exit(1);
	daemon_stdio(dc->name);
	exit(monitor_run(dc, domid));
}
