// SPDX-License-Identifier: GPL-2.0
/*
 * A vif's netdev on the host: joined to its bridge over rtnetlink
 * (libnl-route-3), as Xen's vif-bridge script does with ip(8), or handed
 * to a hotplug script as libxl hands it.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>

#include "util.h"
#include "vifplug.h"

/* xen-network-common.sh's _setup_bridge_port: never a bridge's own */
static const unsigned char vif_host_mac[] = {
	0xfe, 0xff, 0xff, 0xff, 0xff, 0xff
};

bool vif_netdev_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

static struct nl_sock *rt_open(const struct errbuf *e)
{
	struct nl_sock *sock = nl_socket_alloc();
	int r;

	if (!sock) {
		errf(e, "rtnetlink: out of memory");
		return NULL;
	}
	r = nl_connect(sock, NETLINK_ROUTE);
	if (r) {
		errf(e, "rtnetlink: %s", nl_geterror(r));
		nl_socket_free(sock);
		return NULL;
	}
	return sock;
}

/* @what @name ("bridge xenbr0") from the kernel: 0, 1 if absent, -1. */
static int get_link(struct nl_sock *sock, const char *what, const char *name,
		    struct rtnl_link **link, const struct errbuf *e)
{
	int r = rtnl_link_get_kernel(sock, 0, name, link);

	if (r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV)
		return 1;
	if (r)
		return errf(e, "%s %s: %s", what, name, nl_geterror(r));
	return 0;
}

/*
 * One change to @link: @up 0 takes it down, 1 brings it up, -1 leaves
 * it; @addr and @mtu are set when given.  0, or libnl's error.
 */
static int link_set(struct nl_sock *sock, struct rtnl_link *link, int up,
		    struct nl_addr *addr, unsigned int mtu)
{
	struct rtnl_link *chg = rtnl_link_alloc();
	int r;

	if (!chg)
		return -NLE_NOMEM;
	if (up == 0)
		rtnl_link_unset_flags(chg, IFF_UP);
	else if (up > 0)
		rtnl_link_set_flags(chg, IFF_UP);
	if (addr)
		rtnl_link_set_addr(chg, addr);
	if (mtu)
		rtnl_link_set_mtu(chg, mtu);
	r = rtnl_link_change(sock, link, chg, 0);
	rtnl_link_put(chg);
	return r;
}

static int step_failed(const struct errbuf *e, const char *dev,
		       const char *step, int r)
{
	return errf(e, "netdev %s: cannot %s: %s", dev, step, nl_geterror(r));
}

/* vif-bridge's steps, in its order, for @link on @br. */
static int join_bridge(struct nl_sock *sock, struct rtnl_link *link,
		       struct rtnl_link *br, unsigned int mtu,
		       const struct errbuf *e)
{
	const char *dev = rtnl_link_get_name(link);
	struct nl_addr *mac;
	char step[64];
	int r;

	r = link_set(sock, link, 0, NULL, 0);
	if (r)
		return step_failed(e, dev, "take it down", r);
	mac = nl_addr_build(AF_LLC, vif_host_mac, sizeof(vif_host_mac));
	if (!mac)
		return errf(e, "netdev %s: out of memory", dev);
	r = link_set(sock, link, -1, mac, 0);
	nl_addr_put(mac);
	if (r)
		return step_failed(e, dev, "set its MAC to fe:ff:ff:ff:ff:ff", r);
	r = link_set(sock, link, -1, NULL, mtu);
	snprintf(step, sizeof(step), "set its MTU to %u", mtu);
	if (r)
		return step_failed(e, dev, step, r);
	r = rtnl_link_enslave(sock, br, link);
	snprintf(step, sizeof(step), "join bridge %s", rtnl_link_get_name(br));
	if (r)
		return step_failed(e, dev, step, r);
	r = link_set(sock, link, 1, NULL, 0);
	if (r)
		return step_failed(e, dev, "bring it up", r);
	return 0;
}

static int attach(struct nl_sock *sock, const char *dev, const char *bridge,
		  unsigned int mtu, unsigned int *mtu_set,
		  const struct errbuf *e)
{
	struct rtnl_link *br = NULL, *link = NULL;
	int r;

	r = get_link(sock, "bridge", bridge, &br, e);
	if (r > 0)
		r = errf(e, "bridge %s does not exist (netdev %s has none to join)",
			 bridge, dev);
	if (!r && !rtnl_link_is_bridge(br))
		r = errf(e, "%s is not a bridge (netdev %s cannot join it)",
			 bridge, dev);
	if (!r)
		r = get_link(sock, "netdev", dev, &link, e);
	if (r > 0)
		r = errf(e, "netdev %s does not exist", dev);
	if (!r) {
		*mtu_set = mtu ? mtu : rtnl_link_get_mtu(br);
		r = join_bridge(sock, link, br, *mtu_set, e);
	}
	if (link)
		rtnl_link_put(link);
	if (br)
		rtnl_link_put(br);
	return r;
}

int vif_bridge_attach(const char *dev, const char *bridge, unsigned int mtu,
		      unsigned int *mtu_set, char *err, size_t errlen)
{
	const struct errbuf e = { err, errlen };
	struct nl_sock *sock = rt_open(&e);
	int r;

	if (!sock)
		return -1;
	r = attach(sock, dev, bridge, mtu, mtu_set, &e);
	nl_socket_free(sock);
	return r;
}

static int leave_bridge(struct nl_sock *sock, struct rtnl_link *link,
			const struct errbuf *e)
{
	const char *dev = rtnl_link_get_name(link);
	int r = link_set(sock, link, 0, NULL, 0);

	if (r)
		return step_failed(e, dev, "take it down", r);
	if (!rtnl_link_get_master(link))
		return 0;
	r = rtnl_link_release(sock, link);
	return r ? step_failed(e, dev, "leave its bridge", r) : 0;
}

int vif_bridge_detach(const char *dev, char *err, size_t errlen)
{
	const struct errbuf e = { err, errlen };
	struct nl_sock *sock = rt_open(&e);
	struct rtnl_link *link;
	int r;

	if (!sock)
		return -1;
	r = get_link(sock, "netdev", dev, &link, &e);
	if (!r) {
		r = leave_bridge(sock, link, &e);
		rtnl_link_put(link);
	}
	nl_socket_free(sock);
	return r > 0 ? 0 : r;	/* gone already: out of any bridge */
}

/* The child: libxl's environment and descriptors, then the script. */
static void script_exec(const struct vif_script *s, const char *action)
{
	int fd = open("/dev/null", O_RDONLY);

	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	dup2(2, 1);
	if (setenv("script", s->script, 1) ||
	    setenv("XENBUS_TYPE", "vif", 1) ||
	    setenv("XENBUS_PATH", s->xenbus_path, 1) ||
	    setenv("XENBUS_BASE_PATH", "backend", 1) ||
	    setenv("netdev", s->gatewaydev, 1) || setenv("vif", s->vif, 1))
		_exit(127);
	execl(s->script, s->script, action, "type_if=vif", (char *)NULL);
	fprintf(stderr, "xl-lite: %s: %s\n", s->script, strerror(errno));
	_exit(127);
}

int vif_run_script(const struct vif_script *s, const char *action,
		   char *err, size_t errlen)
{
	const struct errbuf e = { err, errlen };
	int status, i;
	pid_t pid, r = 0;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		script_exec(s, action);
	if (pid < 0)
		return errf(&e, "script %s: cannot fork: %s", s->script,
			    strerror(errno));
	for (i = 0; i < VIF_SCRIPT_TIMEOUT_S * 20 && r != pid; i++) {
		r = waitpid(pid, &status, WNOHANG);
		if (r < 0 && errno != EINTR)
			return errf(&e, "script %s %s: %s", s->script, action,
				    strerror(errno));
		if (r <= 0)
			usleep(50000);
	}
	if (r != pid) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return errf(&e, "script %s %s: still running after %d s: killed",
			    s->script, action, VIF_SCRIPT_TIMEOUT_S);
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFEXITED(status))
		return errf(&e, "script %s %s: exited with status %d",
			    s->script, action, WEXITSTATUS(status));
	return errf(&e, "script %s %s: killed by signal %d", s->script,
		    action, WTERMSIG(status));
}
