// SPDX-License-Identifier: GPL-2.0
/*
 * diskbench: the disk measures of the disks issue, on one file or block
 * device, the same program in L1 (the store itself) and in an L2 guest
 * (its xvda through kxen's block backend):
 *   seq-write  MiB written in 1 MiB O_DIRECT writes, MB/s
 *   seq-read   the same read back, MB/s
 *   rand-read  4 KiB O_DIRECT reads at random offsets, 32 in flight
 *              (32 threads), IOPS
 * It prints "DISKBENCH name value unit" lines and checks what it read
 * back, so a wrong answer is an error, not a number.
 *
 *   diskbench PATH MIB [SECONDS]
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

static int sequential(uint64_t *buf, int write)
{
	uint64_t i, n = size / BLOCK, k;
	double t = now();
	ssize_t r;

	for (i = 0; i < n; i++) {
		if (write)
			fill(buf, i);
		r = write ? pwrite(fd, buf, BLOCK, i * BLOCK) :
			    pread(fd, buf, BLOCK, i * BLOCK);
		if (r != BLOCK) {
			fprintf(stderr, "diskbench: %s at %llu: %s\n",
				write ? "write" : "read",
				(unsigned long long)i * BLOCK,
				r < 0 ? strerror(errno) : "short");
			return -1;
		}
		for (k = 0; !write && k < BLOCK / 8; k++) {
			if (buf[k] != i * (BLOCK / 8) + k) {
				fprintf(stderr, "diskbench: wrong data at %llu\n",
					(unsigned long long)(i * BLOCK + k * 8));
				return -1;
			}
		}
	}
	if (write && fdatasync(fd)) {
		perror("diskbench: fdatasync");
		return -1;
	}
	t = now() - t;
	printf("DISKBENCH seq-%s %.1f MB/s\n", write ? "write" : "read",
	       size / t / 1e6);
	return 0;
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
		    buf[0] != off / 8) {
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
	uint64_t *buf;

	if (argc < 3) {
		fprintf(stderr, "usage: diskbench PATH MIB [SECONDS]\n");
		return 2;
	}
	size = strtoull(argv[2], NULL, 0) << 20;
	if (argc > 3)
		rand_secs = atof(argv[3]);
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "diskbench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (posix_memalign((void **)&buf, SMALL, BLOCK))
		return 1;
	if (sequential(buf, 1) || sequential(buf, 0) || rand_read())
		return 1;
	free(buf);
	close(fd);
	return 0;
}
