// SPDX-License-Identifier: GPL-2.0
/*
 * xl's command-line value syntax (see xlparse.h): sizes as xl's
 * tools/xl/xl_parse.c parse_mem_size_kb reads them, CPU sets as xl's
 * print_bitmap writes them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domcfg.h"
#include "xlparse.h"

int64_t xl_mem_size_kb(const char *s)
{
	unsigned int shift = 0;
	long long n;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || strlen(end) > 1)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case 't':
		shift = 30;
		break;
	case 'g':
		shift = 20;
		break;
	case '\0':
	case 'm':
		shift = 10;
		break;
	case 'k':
		break;
	case 'b':
		return n >> 10;
	default:
		return -1;
	}
	if (n > INT64_MAX >> shift)
		return -1;
	return (int64_t)n << shift;
}

static bool cpu_set(const uint32_t *words, unsigned int nwords,
		    unsigned int cpu)
{
	return cpu / 32 < nwords && (words[cpu / 32] >> (cpu % 32) & 1);
}

unsigned int xl_cpumask_to_words(const struct dom_cpumask *m,
				 unsigned int nr_cpus, uint32_t *words,
				 unsigned int nwords)
{
	unsigned int cpu, n = 0;

	memset(words, 0, nwords * sizeof(*words));
	for (cpu = 0; cpu < nr_cpus && cpu < DOMCFG_MAX_CPUS &&
	     cpu / 32 < nwords; cpu++) {
		if (!(m->bits[cpu / 64] >> (cpu % 64) & 1))
			continue;
		words[cpu / 32] |= 1U << (cpu % 32);
		n++;
	}
	return n;
}

/* "," then "a" or "a-b", as far as @len allows. */
static size_t put_range(char *buf, size_t len, size_t off, unsigned int a,
			unsigned int b)
{
	int n;

	if (off >= len)
		return off;
	n = snprintf(buf + off, len - off, a == b ? "%s%u" : "%s%u-%u",
		     off ? "," : "", a, b);
	return n < 0 ? off : off + n;
}

void xl_cpumap_format(const uint32_t *words, unsigned int nwords,
		      unsigned int nr_cpus, char *buf, size_t len)
{
	unsigned int cpu, first;
	size_t off = 0;

	buf[0] = '\0';
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (!cpu_set(words, nwords, cpu))
			continue;
		first = cpu;
		while (cpu + 1 < nr_cpus && cpu_set(words, nwords, cpu + 1))
			cpu++;
		if (!first && cpu + 1 == nr_cpus) {
			snprintf(buf, len, "all");
			return;
		}
		off = put_range(buf, len, off, first, cpu);
	}
	if (!off)
		snprintf(buf, len, "none");
}

char *xl_preserve_name(char *out, size_t len, const char *name,
		       const struct tm *utc, unsigned int n)
{
	char suffix[48];
	size_t keep, slen;

	slen = strftime(suffix, sizeof(suffix), "-%Y%m%dT%H%MZ", utc);
	if (n > 1)
		slen += snprintf(suffix + slen, sizeof(suffix) - slen, "-%u",
				 n);
	if (!len)
		return out;
	keep = strlen(name);
	if (keep + slen >= len)
		keep = len > slen ? len - 1 - slen : 0;
	snprintf(out, len, "%.*s%s", (int)keep, name, suffix);
	return out;
}

int xl_sched_value(const char *s, long min, long max, uint32_t *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;	/* no sign, no space: strtol would take them */
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* xl's sched_credit2_domain_output columns: name 33, id 4, 6, 4. */
void xl_sched_row(char *buf, size_t len, const char *name, uint32_t domid,
		  uint32_t weight, uint32_t cap)
{
	if (!name)
		snprintf(buf, len, "%-33s %4s %6s %4s", "Name", "ID", "Weight",
			 "Cap");
	else
		snprintf(buf, len, "%-33s %4u %6u %4u", name, domid, weight,
			 cap);
}
