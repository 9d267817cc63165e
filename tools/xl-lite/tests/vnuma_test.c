// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for lists inside lists (cfg.c) and xl's vnuma (vnuma.c):
 * the structure parsed, the depth bound, the checks xl and libxl make,
 * and the totals taken as maxvcpus and maxmem.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "domcfg.h"
#include "vnuma.h"
#include "tap.h"

static struct cfg cfg;

static int parse(const char *text)
{
	cfg_free(&cfg);
	cfg_init(&cfg);
	return cfg_parse(&cfg, "t.cfg", text, strlen(text));
}

static void test_nested(void)
{
	const struct cfg_value *l;
	char deep[64];
	int i, n = 0;

	tap_ok(!parse("v = [ [ 'a', 1 ],\n  [ ],\n 'c', [ [ 'd' ] ] ]") &&
	       cfg_get_list(&cfg, "v", &l) == 1 && l->nitems == 4 &&
	       l->items[0].type == CFG_LIST && l->items[0].nitems == 2 &&
	       !strcmp(l->items[0].items[0].str, "a") &&
	       l->items[0].items[1].type == CFG_NUMBER &&
	       l->items[1].type == CFG_LIST && !l->items[1].nitems &&
	       l->items[2].type == CFG_STRING &&
	       l->items[3].items[0].items[0].type == CFG_STRING &&
	       l->items[3].line == 3 && l->items[3].col == 7,
	       "lists inside lists, empty ones, mixed with atoms, positions kept");
	tap_ok(!parse("v = [ [ 'a' ] ]\nv += [ [ 'b' ], 'c' ]") &&
	       cfg_get_list(&cfg, "v", &l) == 1 && l->nitems == 3 &&
	       !strcmp(l->items[1].items[0].str, "b"),
	       "'+=' appends lists to a list of lists");
	n += snprintf(deep + n, sizeof(deep) - n, "v = ");
	for (i = 0; i < CFG_MAX_DEPTH; i++)
		n += snprintf(deep + n, sizeof(deep) - n, "[");
	for (i = 0; i < CFG_MAX_DEPTH; i++)
		n += snprintf(deep + n, sizeof(deep) - n, "]");
	tap_ok(!parse(deep), "lists %d deep parse", CFG_MAX_DEPTH);
	strcpy(deep + 4, "[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]");
	tap_ok(parse(deep) == -1 &&
	       !strcmp(cfg.err, "t.cfg:1:21: v: lists nested more than 16 deep"),
	       "one more is refused, naming where: %s", cfg.err);
}

static char warned[1024];

static void warn(const char *msg)
{
	strncat(warned, msg, sizeof(warned) - strlen(warned) - 2);
	strcat(warned, "\n");
}

#define BASE "type='pvh'\nname='d'\nkernel='k'\n"
#define NODE(p, s, c, d) \
	"[ 'pnode=" p "', 'size=" s "', 'vcpus=" c "', 'vdistances=" d "' ]"
#define TWO NODE("0", "256", "0-1", "10,20") ",\n" NODE("0", "256", "2", "20,10")

/* dom_config_from_cfg() over @text, with this host's nodes and CPUs. */
static int dom(const char *text, struct dom_config *dc)
{
	warned[0] = '\0';
	if (parse(text))
		return -2;
	memset(dc, 0, sizeof(*dc));
	return dom_config_from_cfg(&cfg, dc, warn);
}

static void vn_bad(const char *text, const char *msg)
{
	struct dom_config dc;
	int r;

	warned[0] = '\0';
	r = parse(text);
	if (!r) {
		memset(&dc, 0, sizeof(dc));
		dc.memory_mib = 512;
		dc.vcpus = 2;
		dc.max_vcpus = 2;
		dc.maxmem_mib = 512;
		r = dom_vnuma_parse(&cfg, &dc, 2, 8);
	}
	if (!tap_ok(r == -1 && !strcmp(cfg.err, msg), "vnuma: %s", msg))
		tap_diag("got %d \"%s\"", r, cfg.err);
}

static void test_vnuma(void)
{
	struct dom_config dc;
	int r;

	/* maxvcpus given: the check against this host's CPUs is skipped. */
	r = dom(BASE "memory = 512\nvcpus = 2\nmaxvcpus = 3\n"
		"vnuma = [ " TWO " ]\n", &dc);
	tap_ok(!r && dc.nr_vnodes == 2 && dc.max_vcpus == 3 && dc.vcpus == 2 &&
	       dc.maxmem_mib == 512 &&
	       strstr(warned, "t.cfg:7:1: vnuma: parsed, not applied: kxen"),
	       "two vnodes of 3 vCPUs and 512 MiB: checked, and a warning");
	if (r || dc.max_vcpus != 3)
		tap_diag("got %d \"%s\" nodes %u max_vcpus %u maxmem %llu warned \"%s\"",
			 r, cfg.err, dc.nr_vnodes, dc.max_vcpus,
			 (unsigned long long)dc.maxmem_mib, warned);
	if (!r)
		dom_config_free(&dc);
	tap_ok(!dom(BASE "memory = 512\n"
		    "vnuma = [ [ ' size = 512 ', 'vcpus=0', 'vdistances=10', 'future=1' ] ]\n",
		    &dc) &&
	       dc.nr_vnodes == 1 && dc.maxmem_mib == 512,
	       "blanks around keys and values, unknown keys ignored (as xl)");
	dom_config_free(&dc);
	vn_bad("vnuma = [ 'size=512' ]",
	       "t.cfg:1:11: vnuma: vnode 0: each vnode is a list of \"key=value\" strings");
	vn_bad("vnuma = [ [ 512 ] ]",
	       "t.cfg:1:13: vnuma: vnode 0: each option is a \"key=value\" string");
	vn_bad("vnuma = [ [ 'size' ] ]",
	       "t.cfg:1:13: vnuma: vnode 0: \"size\" is not key=value");
	vn_bad("vnuma = [ " NODE("2", "512", "0-1", "10") " ]",
	       "t.cfg:1:13: vnuma: vnode 0: invalid pnode \"2\": the host has 2 node(s)");
	vn_bad("vnuma = [ " NODE("0", "0", "0-1", "10") " ]",
	       "t.cfg:1:24: vnuma: vnode 0: bad size \"0\" (MiB)");
	vn_bad("vnuma = [ " NODE("0", "512", "1-0", "10") " ]",
	       "t.cfg:1:36: vnuma: vnode 0: bad vcpus range");
	vn_bad("vnuma = [ " NODE("0", "256", "0-1", "10,20") ", "
	       NODE("0", "256", "1", "20,10") " ]",
	       "t.cfg:1:96: vnuma: vnode 1: vCPU 1 is in vnode 0 already");
	vn_bad("vnuma = [ " NODE("0", "512", "0-1", "10,20") " ]",
	       "t.cfg:1:49: vnuma: vnode 0: 2 vdistances for 1 vnodes");
	vn_bad("vnuma = [ " NODE("0", "512", "0,2", "10") " ]",
	       "t.cfg:1:9: vnuma: vCPU 1 is in no vnode (vCPUs 0..1 must all be)");
	vn_bad("vnuma = [ " NODE("0", "512", "0-8", "10") " ]",
	       "t.cfg:1:9: vnuma: 9 vCPUs, more than the host's 8 CPUs; maxvcpus= overrides this check");
	vn_bad("maxvcpus = 2\nvnuma = [ " NODE("0", "512", "0-2", "10") " ]",
	       "t.cfg:2:9: vnuma: 3 vCPUs, maxvcpus says 2 (they must match)");
	vn_bad("vnuma = [ " NODE("0", "512", "0", "10") " ]",
	       "t.cfg:1:9: vnuma: 1 vCPUs, fewer than vcpus (2)");
	vn_bad("maxmem = 512\nvnuma = [ " NODE("0", "1024", "0-1", "10") " ]",
	       "t.cfg:2:9: vnuma: 1024 MiB, maxmem says 512 (they must match)");
	vn_bad("vnuma = [ " NODE("0", "256", "0-1", "10") " ]",
	       "t.cfg:1:9: vnuma: 256 MiB, less than memory (512)");
	vn_bad("vnuma = [ [ 'size=512' ] ]",
	       "t.cfg:1:9: vnuma: vnodes with no vcpus");
	tap_ok(parse(BASE "cpus = [ [ '0' ] ]") == 0 &&
	       dom_config_from_cfg(&cfg, &dc, warn) == -1 &&
	       !strcmp(cfg.err, "t.cfg:4:10: cpus: each entry is a CPU list string, not a list"),
	       "cpus: a list inside is refused: %s", cfg.err);
}

void vnuma_tests(void)
{
	cfg_init(&cfg);
	test_nested();
	test_vnuma();
	cfg_free(&cfg);
}
