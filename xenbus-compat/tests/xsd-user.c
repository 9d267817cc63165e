// SPDX-License-Identifier: GPL-2.0
/*
 * xsd-user: the xenstore core served on a Unix socket, as the host's
 * privileged clients see it.  It lets Debian's libxenstore tools
 * (XENSTORED_PATH=SOCKET xenstore-read ...) and pyxs run against the
 * same code kxen.ko carries, on any machine, and gives the benchmark a
 * target.  Single-threaded, poll()-driven.
 *
 *   xsd-user SOCKET     serve until SIGTERM/SIGINT
 *
 * pfd[0] is the listening socket, pfd[1] a signalfd, clients follow.
 */
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xs_store.h"

#define MAXCLIENTS 64
#define FIRST 2

static int listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16))
		return -1;
	return fd;
}

/* Feed what the client sent; 0 to keep it, -1 to drop it. */
static int serve(int fd, struct xs_conn *c)
{
	char buf[8192];
	ssize_t n = read(fd, buf, sizeof(buf));
	size_t off = 0, out;
	long used;

	if (n <= 0)
		return -1;
	/* The host is never stalled: everything is taken at once. */
	used = xs_conn_input(c, buf, n);
	if (used < 0)
		return -1;
	while ((out = xs_conn_output(c, buf, sizeof(buf))) > 0) {
		for (off = 0; off < out; ) {
			n = write(fd, buf + off, out - off);
			if (n <= 0)
				return -1;
			off += n;
		}
	}
	return 0;
}

static void flush_events(struct pollfd *pfd, struct xs_conn **conns, int n)
{
	char buf[8192];
	size_t out;
	int i;

	for (i = FIRST; i < n; i++)
		while ((out = xs_conn_output(conns[i], buf, sizeof(buf))) > 0)
			if (write(pfd[i].fd, buf, out) != (ssize_t)out)
				break;
}

int main(int argc, char **argv)
{
	struct pollfd pfd[MAXCLIENTS + FIRST];
	struct xs_conn *conns[MAXCLIENTS + FIRST];
	struct xs_store *st;
	int n = FIRST, i, fd;
	sigset_t mask;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SOCKET\n", argv[0]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	st = xs_store_new();
	pfd[0].fd = listen_on(argv[1]);
	pfd[1].fd = signalfd(-1, &mask, 0);
	if (!st || pfd[0].fd < 0 || pfd[1].fd < 0) {
		perror(argv[1]);
		return 1;
	}
	pfd[0].events = POLLIN;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, n, -1) < 0)
			continue;
		if (pfd[1].revents)
			break;
		if ((pfd[0].revents & POLLIN) && n < MAXCLIENTS + FIRST) {
			fd = accept(pfd[0].fd, NULL, NULL);
			conns[n] = fd < 0 ? NULL :
				   xs_conn_new(st, 0, XS_CONN_PRIV);
			if (conns[n]) {
				pfd[n].fd = fd;
				pfd[n].events = POLLIN;
				pfd[n].revents = 0;	/* not polled yet */
				n++;
			} else if (fd >= 0) {
				close(fd);
			}
		}
		for (i = FIRST; i < n; i++) {
			if (!pfd[i].revents || !serve(pfd[i].fd, conns[i]))
				continue;
			close(pfd[i].fd);
			xs_conn_free(conns[i]);
			pfd[i] = pfd[n - 1];
			conns[i] = conns[n - 1];
			n--;
			i--;
		}
		/* Events another client's change queued. */
		flush_events(pfd, conns, n);
	}
	unlink(argv[1]);
	xs_store_free(st);
	return 0;
}
