// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the xl.cfg parser and the domain config built
 * from it: any bytes as a config file, then the same bytes again as a
 * command-line override (the overrides path: settings replace and '+='
 * onto those already parsed).  The text sits in a heap block of exactly
 * its size, so a read past it is caught (ASan).  What must hold: a parse
 * either fails with a message or leaves every setting with a key, a
 * value of a known type and list items that are atoms; a string's len
 * is its strlen; every setting is found again by its key.
 */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "domcfg.h"

/* Well formed, lists at most CFG_MAX_DEPTH deep. */
static void check_value(const struct cfg_value *v, int depth)
{
	size_t i;

	switch (v->type) {
	case CFG_STRING:
	case CFG_NUMBER:
		if (!v->str || strlen(v->str) != v->len || v->len >= v->alen)
			abort();
		return;
	case CFG_LIST:
		if (depth >= CFG_MAX_DEPTH || v->nitems > v->aitems)
			abort();
		for (i = 0; i < v->nitems; i++)
			check_value(&v->items[i], depth + 1);
		return;
	}
	abort();
}

static void check(struct cfg *cfg, int r)
{
	size_t i;

	if (r) {
		if (!cfg->err[0])
			abort();
		return;
	}
	for (i = 0; i < cfg->nset; i++) {
		struct cfg_setting *s = &cfg->set[i];

		if (!s->key || !s->key[0] || cfg_find(cfg, s->key) != s)
			abort();
		check_value(&s->val, 0);
	}
}

static void ignore(const char *msg)
{
	(void)msg;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	struct dom_config dc;
	struct cfg cfg;
	int r;

	if (!text)
		return 0;
	memcpy(text, data, size);
	cfg_init(&cfg);
	r = cfg_parse(&cfg, "fuzz.cfg", text, size);
	check(&cfg, r);
	if (!r) {
		r = cfg_parse(&cfg, "<command line>", text, size);
		check(&cfg, r);
	}
	if (!r && !dom_config_from_cfg(&cfg, &dc, ignore))
		dom_config_free(&dc);
	cfg_free(&cfg);
	free(text);
	return 0;
}
