/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl's command-line value syntax, as plain C for the unit tests: memory
 * sizes (xl's parse_mem_size_kb) and host CPU sets as kxen passes them
 * (u32 words, uapi/linux/kxen.h) and xl prints them (print_bitmap).
 */
#ifndef XL_LITE_XLPARSE_H
#define XL_LITE_XLPARSE_H

#include <stddef.h>
#include <stdint.h>

struct dom_cpumask;

/*
 * "N[bBkKmMgGtT]" in KiB, as xl's parse_mem_size_kb: no suffix is MiB,
 * "b" bytes (rounded down).  -1 for anything else, a negative number or
 * one whose KiB do not fit in an int64_t.
 */
int64_t xl_mem_size_kb(const char *s);

/*
 * The CPUs of @m below @nr_cpus into @words (@nwords u32 words, which
 * must hold @nr_cpus bits); the others are dropped.  Returns how many
 * CPUs are left.
 */
unsigned int xl_cpumask_to_words(const struct dom_cpumask *m,
				 unsigned int nr_cpus, uint32_t *words,
				 unsigned int nwords);

/*
 * xl's print_bitmap of CPUs 0..@nr_cpus-1: "all" when every one is set,
 * "none" when none is, else ranges "0-3,5".
 */
void xl_cpumap_format(const uint32_t *words, unsigned int nwords,
		      unsigned int nr_cpus, char *buf, size_t len);

/*
 * The name rename-restart gives the old domain, as xl's preserve_domain:
 * @name with "-YYYYMMDDTHHMMZ" (@utc's minute) appended, and "-@n" for
 * @n > 1 (kxen's names are unique: a second one within the minute).
 * @name is shortened so that the result fits @len bytes.  Returns @out.
 */
struct tm;
char *xl_preserve_name(char *out, size_t len, const char *name,
		       const struct tm *utc, unsigned int n);

/*
 * sched-credit2's -w and -c: a decimal number in @min..@max, all of @s
 * (xl takes strtol's prefix; a typo here is refused instead).  0 and
 * the value in *@out, or -1.
 */
int xl_sched_value(const char *s, long min, long max, uint32_t *out);

/* sched-credit2's header (@name NULL) or a domain's row, as xl's. */
void xl_sched_row(char *buf, size_t len, const char *name, uint32_t domid,
		  uint32_t weight, uint32_t cap);

#endif /* XL_LITE_XLPARSE_H */
