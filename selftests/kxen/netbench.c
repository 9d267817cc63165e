// SPDX-License-Identifier: GPL-2.0
/*
 * netbench: the network measures of the network issue, the same program
 * on both ends of a link (L1 and an L2 guest behind kxen's network
 * backend, or L1 and a network namespace over a veth pair):
 *   tcp  one TCP stream for SECONDS (or BYTES), a known pattern the
 *        receiver checks; the receiver sends back the count it got, so
 *        the sender's time covers the whole transfer.  MB/s.
 *   udp  small datagrams (64 bytes of payload by default) as fast as the
 *        sender can, each numbered and filled after its number; an end
 *        packet carries the count sent, the receiver answers with the
 *        count it got.  Packets/s sent and received, and the loss.
 * It prints "NETBENCH name value unit" lines; data that arrive wrong, a
 * count that differs or an answer that never comes is an error (exit 1),
 * not a number.  A receiver prints "NETBENCH-LISTEN proto port" once it
 * is ready, before it waits.  -p puts PREFIX before each of those lines.
 *
 *   netbench [-p PREFIX] [-t SECONDS] [-n BYTES] send tcp HOST PORT
 *   netbench [-p PREFIX] [-t SECONDS] [-s SIZE] send udp HOST PORT
 *   netbench [-p PREFIX] [-w SECONDS] recv tcp|udp PORT
 *
 * HOST is a dotted IPv4 address (a static binary has no resolver).
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The TCP pattern repeats every PERIOD bytes: 8191 (a prime) 8-byte words. */
#define PERIOD		(8191 * 8)
#define RBUF		65536

#define UDP_MAGIC	0x4e424e43u	/* "NBNC" */
#define UDP_HDR		24
#define UDP_MAX		1472		/* one 1500-byte frame */
#define UDP_RCVBUF	(4 << 20)

enum { PKT_DATA = 1, PKT_END, PKT_REPORT };

static double secs = 5;
static double wait_secs = 120;
static uint64_t nbytes;
static size_t udp_size = 64;

static const char *prefix = "";
static unsigned char pattern[PERIOD];

/* One result line on stdout, after the -p prefix. */
static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;

	fputs(prefix, stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void make_pattern(void)
{
	uint64_t w;
	size_t i;

	for (i = 0; i < PERIOD / 8; i++) {
		w = (i + 1) * 0x9e3779b97f4a7c15ull;
		memcpy(pattern + i * 8, &w, 8);
	}
}

static int addr_of(const char *host, const char *port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(atoi(port));
	if (host && inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
		fprintf(stderr, "netbench: %s: not an IPv4 address\n", host);
		return -1;
	}
	return 0;
}

/* A socket of @type connected to HOST:PORT, or -1. */
static int connect_to(const char *host, const char *port, int type)
{
	struct sockaddr_in sa;
	int fd;

	if (addr_of(host, port, &sa))
		return -1;
	fd = socket(AF_INET, type, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "netbench: connect %s:%s: %s\n", host, port,
			strerror(errno));
		return -1;
	}
	return fd;
}

/* A socket of @type bound to PORT on every address, or -1. */
static int bind_to(const char *port, int type)
{
	struct sockaddr_in sa;
	int fd, one = 1;

	if (addr_of(NULL, port, &sa))
		return -1;
	fd = socket(AF_INET, type, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "netbench: bind %s: %s\n", port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Waits up to @s seconds for @fd to be readable: 1, 0 on timeout, -1. */
static int wait_in(int fd, double s)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do {
		r = poll(&p, 1, (int)(s * 1000));
	} while (r < 0 && errno == EINTR);
	return r;
}

/* ---- TCP ---- */

static int tcp_send(const char *host, const char *port)
{
	uint64_t sent = 0, acked_be = 0, acked;
	size_t off = 0, len;
	double t0, t;
	ssize_t r;
	int fd;

	fd = connect_to(host, port, SOCK_STREAM);
	if (fd < 0)
		return 1;
	t0 = now();
	while (nbytes ? sent < nbytes : now() < t0 + secs) {
		len = PERIOD - off;
		if (nbytes && len > nbytes - sent)
			len = nbytes - sent;
		r = write(fd, pattern + off, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			perror("netbench: tcp write");
			return 1;
		}
		sent += r;
		off = (off + r) % PERIOD;
	}
	/* The receiver answers our end of stream with what it got. */
	shutdown(fd, SHUT_WR);
	len = 0;
	while (len < sizeof(acked_be)) {
		r = read(fd, (char *)&acked_be + len, sizeof(acked_be) - len);
		if (r <= 0) {
			fprintf(stderr, "netbench: no count from the receiver\n");
			return 1;
		}
		len += r;
	}
	t = now() - t0;
	close(fd);
	acked = be64toh(acked_be);
	out("NETBENCH tcp-sent %llu bytes\n", (unsigned long long)sent);
	out("NETBENCH tcp-acked %llu bytes\n", (unsigned long long)acked);
	out("NETBENCH tcp-send %.2f MB/s\n", sent / t / 1e6);
	if (acked != sent) {
		fprintf(stderr, "netbench: sent %llu bytes, the receiver got %llu\n",
			(unsigned long long)sent, (unsigned long long)acked);
		return 1;
	}
	return 0;
}

/* Compares @len bytes read at stream offset @at with the pattern. */
static int tcp_check(const unsigned char *buf, size_t len, uint64_t at)
{
	size_t off = at % PERIOD, n;

	while (len) {
		n = PERIOD - off < len ? PERIOD - off : len;
		if (memcmp(buf, pattern + off, n))
			return -1;
		buf += n;
		len -= n;
		off = 0;
	}
	return 0;
}

/* One stream from an accepted connection; its count goes back. */
static int tcp_drain(int fd)
{
	static unsigned char buf[RBUF];
	struct timeval tv = { .tv_sec = 60 };
	uint64_t got = 0, be;
	double t0 = now(), t;
	ssize_t r;
	int bad = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		r = read(fd, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			perror("netbench: tcp read");
			return 1;
		}
		if (!r)
			break;
		if (!bad && tcp_check(buf, r, got)) {
			fprintf(stderr, "netbench: wrong data within %zd bytes at offset %llu\n",
				r, (unsigned long long)got);
			bad = 1;
		}
		got += r;
	}
	t = now() - t0;
	be = htobe64(got);
	if (write(fd, &be, sizeof(be)) != sizeof(be))
		perror("netbench: tcp count");
	out("NETBENCH tcp-received %llu bytes\n", (unsigned long long)got);
	out("NETBENCH tcp-recv %.2f MB/s\n", t > 0 ? got / t / 1e6 : 0);
	return bad;
}

static int tcp_recv(const char *port)
{
	int lfd, fd, ret;

	lfd = bind_to(port, SOCK_STREAM);
	if (lfd < 0 || listen(lfd, 1)) {
		perror("netbench: listen");
		return 1;
	}
	out("NETBENCH-LISTEN tcp %s\n", port);
	if (wait_in(lfd, wait_secs) <= 0) {
		fprintf(stderr, "netbench: no connection in %.0f s\n", wait_secs);
		return 1;
	}
	fd = accept(lfd, NULL, NULL);
	close(lfd);
	if (fd < 0) {
		perror("netbench: accept");
		return 1;
	}
	ret = tcp_drain(fd);
	close(fd);
	return ret;
}

/* ---- UDP ---- */

struct nb_pkt {
	uint32_t magic;
	uint32_t type;
	uint64_t n;	/* DATA: its number; END: sent; REPORT: received */
	uint64_t bad;	/* REPORT: packets that arrived wrong */
	unsigned char fill[UDP_MAX - UDP_HDR];
};

static void pkt_make(struct nb_pkt *p, uint32_t type, uint64_t n,
		     uint64_t bad)
{
	p->magic = htonl(UDP_MAGIC);
	p->type = htonl(type);
	p->n = htobe64(n);
	p->bad = htobe64(bad);
}

/* The payload after the header of DATA packet @n. */
static void pkt_fill(struct nb_pkt *p, uint64_t n, size_t size)
{
	size_t i;

	for (i = 0; i < size - UDP_HDR; i++)
		p->fill[i] = (unsigned char)(n + i);
}

static int pkt_fill_ok(const struct nb_pkt *p, uint64_t n, size_t size)
{
	size_t i;

	for (i = 0; i < size - UDP_HDR; i++)
		if (p->fill[i] != (unsigned char)(n + i))
			return 0;
	return 1;
}

/* End packets until the receiver's report comes: 0, or -1 after 5 s. */
static int udp_report(int fd, uint64_t sent, uint64_t *got, uint64_t *bad)
{
	struct nb_pkt p;
	int i;

	for (i = 0; i < 50; i++) {
		pkt_make(&p, PKT_END, sent, 0);
		send(fd, &p, UDP_HDR, 0);
		while (wait_in(fd, 0.1) > 0) {
			if (recv(fd, &p, sizeof(p), 0) < UDP_HDR ||
			    ntohl(p.magic) != UDP_MAGIC ||
			    ntohl(p.type) != PKT_REPORT)
				continue;
			*got = be64toh(p.n);
			*bad = be64toh(p.bad);
			return 0;
		}
	}
	return -1;
}

static int udp_send(const char *host, const char *port)
{
	uint64_t seq = 0, i, got, bad;
	struct nb_pkt p;
	double t0, t;
	int fd;

	fd = connect_to(host, port, SOCK_DGRAM);
	if (fd < 0)
		return 1;
	t0 = now();
	/* The clock is read every 64 tries: its cost is not the measure. */
	for (i = 0; (i & 63) || now() < t0 + secs; i++) {
		pkt_make(&p, PKT_DATA, seq, 0);
		pkt_fill(&p, seq, udp_size);
		if (send(fd, &p, udp_size, 0) == (ssize_t)udp_size) {
			seq++;
			continue;
		}
		/* A full queue, or an ICMP error from an earlier packet. */
		if (errno != ENOBUFS && errno != EAGAIN &&
		    errno != ECONNREFUSED && errno != EINTR) {
			perror("netbench: udp send");
			return 1;
		}
	}
	t = now() - t0;
	if (udp_report(fd, seq, &got, &bad)) {
		fprintf(stderr, "netbench: no report from the receiver\n");
		return 1;
	}
	close(fd);
	out("NETBENCH udp-sent %llu packets\n", (unsigned long long)seq);
	out("NETBENCH udp-send %.0f pkt/s\n", seq / t);
	out("NETBENCH udp-received %llu packets\n", (unsigned long long)got);
	out("NETBENCH udp-delivered %.0f pkt/s\n", got / t);
	out("NETBENCH udp-loss %.2f %%\n",
	    seq ? 100.0 * (seq - got) / seq : 0);
	if (bad || got > seq) {
		fprintf(stderr, "netbench: %llu packets arrived wrong, %llu of %llu counted\n",
			(unsigned long long)bad, (unsigned long long)got,
			(unsigned long long)seq);
		return 1;
	}
	return 0;
}

struct udp_rx {
	uint64_t got, bad, sent;
	double first, last;
	int ended;
};

/* One packet in: counts DATA, answers END with a report. */
static void udp_take(int fd, struct udp_rx *rx)
{
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	struct nb_pkt p;
	ssize_t r;
	uint64_t n;

	r = recvfrom(fd, &p, sizeof(p), 0, (struct sockaddr *)&from, &flen);
	if (r < UDP_HDR || ntohl(p.magic) != UDP_MAGIC) {
		if (r >= 0)
			rx->bad++;
		return;
	}
	n = be64toh(p.n);
	switch (ntohl(p.type)) {
	case PKT_DATA:
		rx->last = now();
		if (!rx->got && !rx->bad)
			rx->first = rx->last;
		if (pkt_fill_ok(&p, n, r))
			rx->got++;
		else
			rx->bad++;
		break;
	case PKT_END:
		rx->sent = n;
		rx->ended = 1;
		pkt_make(&p, PKT_REPORT, rx->got, rx->bad);
		sendto(fd, &p, UDP_HDR, 0, (struct sockaddr *)&from, flen);
		break;
	}
}

static int udp_recv(const char *port)
{
	struct udp_rx rx = { 0 };
	int fd, sz = UDP_RCVBUF, r;
	double span;

	fd = bind_to(port, SOCK_DGRAM);
	if (fd < 0)
		return 1;
	/* Root may go past rmem_max; the loss is then the stack's, not ours. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	out("NETBENCH-LISTEN udp %s\n", port);
	/* Until 2 s pass without an end packet after the first one. */
	for (;;) {
		r = wait_in(fd, rx.ended ? 2 : rx.got ? 10 : wait_secs);
		if (r <= 0)
			break;
		udp_take(fd, &rx);
	}
	close(fd);
	if (!rx.ended) {
		fprintf(stderr, "netbench: %s; no end packet\n",
			rx.got ? "the packets stopped" : "nothing arrived");
		return 1;
	}
	span = rx.last - rx.first;
	out("NETBENCH udp-received %llu packets\n", (unsigned long long)rx.got);
	out("NETBENCH udp-sent %llu packets\n", (unsigned long long)rx.sent);
	out("NETBENCH udp-recv %.0f pkt/s\n", span > 0 ? rx.got / span : 0);
	out("NETBENCH udp-loss %.2f %%\n",
	    rx.sent ? 100.0 * (rx.sent - rx.got) / rx.sent : 0);
	if (rx.bad || rx.got > rx.sent) {
		fprintf(stderr, "netbench: %llu packets arrived wrong, %llu of %llu counted\n",
			(unsigned long long)rx.bad, (unsigned long long)rx.got,
			(unsigned long long)rx.sent);
		return 1;
	}
	return 0;
}

static int print_usage(void)
{
	fprintf(stderr, "usage: netbench [-p PREFIX] [-t SECONDS] [-n BYTES] send tcp HOST PORT\n"
		"       netbench [-t SECONDS] [-s SIZE] send udp HOST PORT\n"
		"       netbench [-w SECONDS] recv tcp|udp PORT\n");
	return 2;
}

int main(int argc, char **argv)
{
	int c, tcp, sending;

	while ((c = getopt(argc, argv, "p:t:n:s:w:")) != -1) {
		switch (c) {
		case 'p':
			prefix = optarg;
			break;
		case 't':
			secs = atof(optarg);
			break;
		case 'n':
			nbytes = strtoull(optarg, NULL, 0);
			break;
		case 's':
			udp_size = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			wait_secs = atof(optarg);
			break;
		default:
			return print_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 3 || udp_size < UDP_HDR || udp_size > UDP_MAX)
		return print_usage();
	sending = !strcmp(argv[0], "send");
	tcp = !strcmp(argv[1], "tcp");
	if ((!sending && strcmp(argv[0], "recv")) ||
	    (!tcp && strcmp(argv[1], "udp")) || argc != (sending ? 4 : 3))
		return print_usage();
	/* Lines reach a pipe (the guest's console through sed) at once. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	make_pattern();
	if (sending)
		return tcp ? tcp_send(argv[2], argv[3]) : udp_send(argv[2], argv[3]);
	return tcp ? tcp_recv(argv[2]) : udp_recv(argv[2]);
}
