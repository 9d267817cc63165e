// SPDX-License-Identifier: GPL-2.0
/*
 * xl list -l's JSON (domjson.c): libxl's field names, yajl's spacing,
 * yajl's string escapes, and only the fields kxen reports.
 */
#include <stdlib.h>
#include <string.h>

#include "domjson.h"
#include "tap.h"

/* What @fn writes, as a malloc()ed string. */
static char *capture(void (*fn)(FILE *f, const void *arg), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fn(f, arg);
	fclose(f);
	return buf;
}

struct doms {
	const struct kxen_dominfo *v;
	const uint64_t *target_kb;
	const uint64_t *max_kb;
	const struct dom_avail *avail;
	size_t n;
};

static void print_doms(FILE *f, const void *arg)
{
	const struct doms *d = arg;

	dom_json_print(f, d->v, d->target_kb, d->max_kb, d->avail, d->n);
}

static int same(const char *got, const char *want, const char *what)
{
	if (got && !strcmp(got, want))
		return tap_ok(1, "%s", what);
	tap_diag("got:\n%s", got ? got : "(nothing)");
	tap_diag("want:\n%s", want);
	return tap_ok(0, "%s", what);
}

static void two_domains(void)
{
	struct kxen_dominfo v[2] = {
		{ .domid = 3, .name = "web", .mem_kb = 262144, .vcpus = 2,
		  .max_mem_kb = 524288, .has_uuid = true,
		  .uuid = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
			    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef },
		  .max_grant_frames = 4, .max_evtchn_port = 1023 },
		{ .domid = 12, .name = "db", .mem_kb = 1024, .vcpus = 1 },
	};
	static const uint64_t target_kb[2] = { 131072, 0 };
	static const uint64_t max_kb[2] = { 1048576, 0 };
	struct doms d = { v, target_kb, max_kb, NULL, 2 };
	char *got = capture(print_doms, &d);

	same(got,
	     "[\n"
	     "    {\n"
	     "        \"domid\": 3,\n"
	     "        \"config\": {\n"
	     "            \"c_info\": {\n"
	     "                \"type\": \"pvh\",\n"
	     "                \"name\": \"web\",\n"
	     "                \"uuid\": \"01234567-89ab-cdef-0123-456789abcdef\"\n"
	     "            },\n"
	     "            \"b_info\": {\n"
	     "                \"max_vcpus\": 2,\n"
	     "                \"avail_vcpus\": [\n"
	     "                    0,\n"
	     "                    1\n"
	     "                ],\n"
	     "                \"max_memkb\": 1048576,\n"
	     "                \"target_memkb\": 131072,\n"
	     "                \"max_grant_frames\": 4,\n"
	     "                \"event_channels\": 1023\n"
	     "            }\n"
	     "        }\n"
	     "    },\n"
	     "    {\n"
	     "        \"domid\": 12,\n"
	     "        \"config\": {\n"
	     "            \"c_info\": {\n"
	     "                \"type\": \"pvh\",\n"
	     "                \"name\": \"db\"\n"
	     "            },\n"
	     "            \"b_info\": {\n"
	     "                \"max_vcpus\": 1,\n"
	     "                \"avail_vcpus\": [\n"
	     "                    0\n"
	     "                ],\n"
	     "                \"max_memkb\": 1024,\n"
	     "                \"target_memkb\": 1024\n"
	     "            }\n"
	     "        }\n"
	     "    }\n"
	     "]\n",
	     "list -l: two domains, libxl's names, yajl's layout, no uuid or limits where none, xenstore's static-max and target, else kxen's maximum and memory, the grant and event-channel limits");
	free(got);
}

static void no_domains(void)
{
	struct doms d = { NULL, NULL, NULL, NULL, 0 };
	char *got = capture(print_doms, &d);

	/* yajl's beautified empty array, then xl's puts() */
	same(got, "[\n\n]\n", "list -l: no domains is yajl's empty array");
	free(got);
}

/* maxvcpus 4, vCPUs 0 and 2 online in xenstore: libxl's avail_vcpus */
static void avail_from_xenstore(void)
{
	struct kxen_dominfo v = { .domid = 5, .name = "hot", .mem_kb = 1024,
				  .vcpus = 4 };
	struct dom_avail a = { .known = true, .map = { 0x5 } };
	struct doms d = { &v, NULL, NULL, &a, 1 };
	char *got = capture(print_doms, &d);

	tap_ok(got && strstr(got, "\"max_vcpus\": 4,\n") &&
	       strstr(got, "\"avail_vcpus\": [\n"
			   "                    0,\n"
			   "                    2\n"
			   "                ],\n"),
	       "list -l: avail_vcpus are the vCPUs xenstore says online, max_vcpus all of them");
	free(got);
}

static void print_string(FILE *f, const void *arg)
{
	struct json_out j;

	json_init(&j, f);
	json_string(&j, arg);
}

static void string_escapes(void)
{
	char *got = capture(print_string, "a\"b\\c\n\t\x01/");

	same(got, "\"a\\\"b\\\\c\\n\\t\\u0001/\"",
	     "json strings: yajl's escapes, \\u00XX for other controls");
	free(got);
}

void domjson_tests(void)
{
	two_domains();
	avail_from_xenstore();
	no_domains();
	string_escapes();
}
