// SPDX-License-Identifier: GPL-2.0
/*
 * xdpcheck: an XDP program on a network interface for a while, to check
 * that a netback honours the frontend's "xdp-headroom" (netif.h): Linux's
 * xen-netfront runs its XDP program on the first RX page from the offset
 * it asked for, so a backend that puts the data elsewhere shows the
 * program garbage.  The program passes a frame whose Ethernet type is
 * IPv4, ARP or IPv6 and drops anything else, counting both in a map; it
 * is attached in driver mode (netfront's own XDP), which is what makes
 * netfront ask for the headroom.  When SECONDS are up, or stdin ends,
 * it prints "XDP pass N drop M" and detaches.
 *
 *   xdpcheck IFNAME SECONDS
 *
 * Static, no libbpf: the program is a handful of raw BPF instructions,
 * attached over rtnetlink (IFLA_XDP).
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

static int bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int map_create(void)
{
	union bpf_attr a = {
		.map_type = BPF_MAP_TYPE_ARRAY,
		.key_size = 4,
		.value_size = 8,
		.max_entries = 2,	/* 0: passed, 1: dropped */
	};

	return bpf(BPF_MAP_CREATE, &a);
}

/*
 * r2 = data, r3 = data_end; no whole Ethernet header: drop.  r5 = the
 * type (big endian, read as little endian).  Count the verdict at key
 * r7 (0 pass, 1 drop) with an atomic add, return it.
 */
static int prog_load(int map, char *log, size_t logsz)
{
	struct bpf_insn p[] = {
		INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, 0, 0),	/* data */
		INSN(BPF_LDX | BPF_W | BPF_MEM, 3, 1, 4, 0),	/* data_end */
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 7, 0, 0, 1),	/* drop */
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, 14),
		INSN(BPF_JMP | BPF_JGT | BPF_X, 4, 3, 5, 0),	/* -> count */
		INSN(BPF_LDX | BPF_H | BPF_MEM, 5, 2, 12, 0),
		INSN(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 2, 0x0008),	/* IPv4 */
		INSN(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1, 0x0608),	/* ARP */
		INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 1, 0xdd86),	/* IPv6 */
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 7, 0, 0, 0),	/* pass */
		/* count: */
		INSN(BPF_STX | BPF_W | BPF_MEM, 10, 7, -4, 0),
		INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, map),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 1),
		INSN(BPF_STX | BPF_DW | BPF_ATOMIC, 0, 1, 0, BPF_ADD),
		/* XDP_PASS is 2, XDP_DROP 1: 2 - r7. */
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, XDP_PASS),
		INSN(BPF_ALU64 | BPF_SUB | BPF_X, 0, 7, 0, 0),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	union bpf_attr a = {
		.prog_type = BPF_PROG_TYPE_XDP,
		.insn_cnt = ARRAY_SIZE(p),
		.insns = (uintptr_t)p,
		.license = (uintptr_t)"GPL",
		.log_buf = (uintptr_t)log,
		.log_size = logsz,
		.log_level = 1,
	};

	return bpf(BPF_PROG_LOAD, &a);
}

/* RTM_SETLINK with IFLA_XDP { FD, FLAGS }: @fd -1 detaches. */
static int xdp_attach(int ifindex, int fd)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		char attrs[64];
	} req = {
		.nh.nlmsg_type = RTM_SETLINK,
		.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.ifi.ifi_family = AF_UNSPEC,
		.ifi.ifi_index = ifindex,
	};
	struct { struct nlmsghdr nh; struct nlmsgerr err; } ack;
	struct rtattr *xdp = (struct rtattr *)req.attrs, *a;
	__u32 flags = XDP_FLAGS_DRV_MODE;
	int s, ret;

	xdp->rta_type = IFLA_XDP | NLA_F_NESTED;
	a = (struct rtattr *)((char *)xdp + RTA_LENGTH(0));
	a->rta_type = IFLA_XDP_FD;
	a->rta_len = RTA_LENGTH(sizeof(fd));
	memcpy(RTA_DATA(a), &fd, sizeof(fd));
	a = (struct rtattr *)((char *)a + RTA_ALIGN(a->rta_len));
	a->rta_type = IFLA_XDP_FLAGS;
	a->rta_len = RTA_LENGTH(sizeof(flags));
	memcpy(RTA_DATA(a), &flags, sizeof(flags));
	xdp->rta_len = RTA_LENGTH(2 * RTA_ALIGN(RTA_LENGTH(4)));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi)) + xdp->rta_len;

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0)
		return -errno;
	ret = send(s, &req, req.nh.nlmsg_len, 0) < 0 ? -errno : 0;
	if (!ret)
		ret = recv(s, &ack, sizeof(ack), 0) < 0 ? -errno :
		      ack.nh.nlmsg_type == NLMSG_ERROR ? ack.err.error : -EPROTO;
	close(s);
	return ret;
}

static long long count(int map, __u32 key)
{
	__u64 v = 0;
	union bpf_attr a = {
		.map_fd = map,
		.key = (uintptr_t)&key,
		.value = (uintptr_t)&v,
	};

	return bpf(BPF_MAP_LOOKUP_ELEM, &a) ? -1 : (long long)v;
}

int main(int argc, char **argv)
{
	static char log[65536];
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	int ifindex, map, prog, ret;
	char c;

	if (argc != 3) {
		fprintf(stderr, "usage: xdpcheck IFNAME SECONDS\n");
		return 2;
	}
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "xdpcheck: %s: no such interface\n", argv[1]);
		return 1;
	}
	map = map_create();
	prog = map < 0 ? -1 : prog_load(map, log, sizeof(log));
	if (prog < 0) {
		fprintf(stderr, "xdpcheck: loading the program: %s\n%s",
			strerror(errno), log);
		return 1;
	}
	ret = xdp_attach(ifindex, prog);
	if (ret) {
		fprintf(stderr, "xdpcheck: attaching to %s: %s\n", argv[1],
			strerror(-ret));
		return 1;
	}
	printf("XDP attached to %s\n", argv[1]);
	fflush(stdout);
	/* Until the time is up, or stdin ends. */
	while (poll(&pfd, 1, atoi(argv[2]) * 1000) > 0 && read(0, &c, 1) > 0)
		;
	printf("XDP pass %lld drop %lld\n", count(map, 0), count(map, 1));
	ret = xdp_attach(ifindex, -1);
	if (ret)
		fprintf(stderr, "xdpcheck: detaching: %s\n", strerror(-ret));
	return ret ? 1 : 0;
}
