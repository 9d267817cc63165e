// SPDX-License-Identifier: GPL-2.0
/*
 * diskbench: the disk measures of the disks issue, on one file or block
 * device, the same program in L1 (the store itself) and in an L2 guest
 * (its xvda through kxen's block backend):
 *   seq-write  MiB written in 1 MiB O_DIRECT writes, MB/s
 *   seq-read   the same read back, MB/s
 *   (the time of the writes, their fdatasync and the reads only: making
 *   and checking the pattern is the program's own CPU work, slower in a
 *   nested guest than in L1, and no part of the disk's speed)
 *   rand-read  4 KiB O_DIRECT reads at random offsets, 32 in flight
 *              (32 threads), IOPS
 * It prints "DISKBENCH name value unit" lines and checks what it read
 * back, so a wrong answer is an error, not a number.  After each, a line
 * "DISKCPU name" gives how the machine's CPU time went meanwhile (from
 * /proc/stat, in per cent): whether the program, the kernel, the idle
 * loop or interrupts took it.
 *
 *   diskbench PATH MIB [SECONDS [nocheck]]
 *
 * nocheck: read back without checking, for a device that keeps no data
 * (null_blk without memory_backed, an anchor with no copy at all).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK		1048576
#define SMALL		4096
#define QUEUE_DEPTH	32

static int fd;
static uint64_t size;
static double rand_secs = 5;
static int nocheck;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What block @i holds: its number in every 8 bytes. */
static void fill(uint64_t *buf, uint64_t i)
{
	size_t k;

	for (k = 0; k < BLOCK / 8; k++)
		buf[k] = i * (BLOCK / 8) + k;
}

/* Block @i's 1 MiB at @buf, read or written: 0, or -1 and why. */
static int block_io(uint64_t *buf, uint64_t i, int write)
{
	ssize_t r = write ? pwrite(fd, buf, BLOCK, i * BLOCK) :
			    pread(fd, buf, BLOCK, i * BLOCK);

	if (r == BLOCK)
		return 0;
	fprintf(stderr, "diskbench: %s at %llu: %s\n", write ? "write" : "read",
		(unsigned long long)i * BLOCK,
		r < 0 ? strerror(errno) : "short");
	return -1;
}

static int check(const uint64_t *buf, uint64_t i)
{
	uint64_t k;

	for (k = 0; k < BLOCK / 8; k++) {
		if (buf[k] != i * (BLOCK / 8) + k) {
			fprintf(stderr, "diskbench: wrong data at %llu\n",
				(unsigned long long)(i * BLOCK + k * 8));
			return -1;
		}
	}
	return 0;
}

static int sequential(uint64_t *buf, int write)
{
	uint64_t i, n = size / BLOCK;
	double t, io = 0;

	for (i = 0; i < n; i++) {
		if (write)
			fill(buf, i);
		t = now();
		if (block_io(buf, i, write))
			return -1;
		io += now() - t;
		if (!write && !nocheck && check(buf, i))
			return -1;
	}
	t = now();
	if (write && fdatasync(fd)) {
		perror("diskbench: fdatasync");
		return -1;
	}
	io += now() - t;
	printf("DISKBENCH seq-%s %.1f MB/s\n", write ? "write" : "read",
	       size / io / 1e6);
	return 0;
}

/* /proc/stat's first line: user nice system idle iowait irq softirq steal. */
#define CPU_FIELDS	8

struct cpu_times {
	unsigned long long t[CPU_FIELDS];
};

static void cpu_read(struct cpu_times *c)
{
	FILE *f = fopen("/proc/stat", "r");

	memset(c, 0, sizeof(*c));
	if (!f)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &c->t[0],
		   &c->t[1], &c->t[2], &c->t[3], &c->t[4], &c->t[5], &c->t[6],
		   &c->t[7]) != CPU_FIELDS)
		memset(c, 0, sizeof(*c));
	fclose(f);
}

/* Where the CPU time since @a went, for @name. */
static void cpu_print(const char *name, const struct cpu_times *a)
{
	static const char *const field[CPU_FIELDS] = {
		"user", "nice", "system", "idle", "iowait", "irq", "softirq",
		"steal",
	};
	unsigned long long d[CPU_FIELDS], sum = 0;
	struct cpu_times b;
	int i;

	cpu_read(&b);
	for (i = 0; i < CPU_FIELDS; i++) {
		d[i] = b.t[i] - a->t[i];
		sum += d[i];
	}
	if (!sum)
		return;
	printf("DISKCPU %s", name);
	for (i = 0; i < CPU_FIELDS; i++)
		printf(" %s %.0f%%", field[i], 100.0 * d[i] / sum);
	printf("\n");
}

struct worker {
	pthread_t th;
	uint64_t ops, seed;
	int err;
};

static double stop_at;

static void *rand_reader(void *arg)
{
	struct worker *w = arg;
	uint64_t *buf, off, x = w->seed;

	if (posix_memalign((void **)&buf, SMALL, SMALL))
		return NULL;
	while (now() < stop_at) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		off = (x % (size / SMALL)) * SMALL;
		if (pread(fd, buf, SMALL, off) != SMALL ||
		    (!nocheck && buf[0] != off / 8)) {
			w->err = 1;
			break;
		}
		w->ops++;
	}
	free(buf);
	return NULL;
}

static int rand_read(void)
{
	struct worker w[QUEUE_DEPTH] = { 0 };
	uint64_t ops = 0;
	double t = now();
	int i, err = 0;

	stop_at = t + rand_secs;
	for (i = 0; i < QUEUE_DEPTH; i++) {
		w[i].seed = 0x9e3779b97f4a7c15ull * (i + 1);
		pthread_create(&w[i].th, NULL, rand_reader, &w[i]);
	}
	for (i = 0; i < QUEUE_DEPTH; i++) {
		pthread_join(w[i].th, NULL);
		ops += w[i].ops;
		err |= w[i].err;
	}
	t = now() - t;
	if (err) {
		fprintf(stderr, "diskbench: a random read failed or was wrong\n");
		return -1;
	}
	printf("DISKBENCH rand-read %.0f IOPS\n", ops / t);
	return 0;
}

int main(int argc, char **argv)
{
	struct cpu_times c;
	uint64_t *buf;

	if (argc < 3) {
		fprintf(stderr, "usage: diskbench PATH MIB [SECONDS [nocheck]]\n");
		return 2;
	}
	/* Each line as it is made: a pipe to the console must not hold it. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	size = strtoull(argv[2], NULL, 0) << 20;
	if (argc > 3)
		rand_secs = atof(argv[3]);
	nocheck = argc > 4 && !strcmp(argv[4], "nocheck");
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "diskbench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (posix_memalign((void **)&buf, SMALL, BLOCK))
		return 1;
	cpu_read(&c);
	if (sequential(buf, 1))
		return 1;
	cpu_print("seq-write", &c);
	cpu_read(&c);
	if (sequential(buf, 0))
		return 1;
	cpu_print("seq-read", &c);
	cpu_read(&c);
	if (rand_read())
		return 1;
	cpu_print("rand-read", &c);
	free(buf);
	close(fd);
	return 0;
}
