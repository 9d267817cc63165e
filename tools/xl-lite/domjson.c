// SPDX-License-Identifier: GPL-2.0
/*
 * xl list -l's JSON (domjson.h).  The spacing follows yajl's generator
 * in beautify mode, which libxl uses: a separator is "," and a newline
 * inside an array or map, ": " between a key and its value, and each
 * element starts on a line of its own, indented four spaces a level.
 */
#include <stdbool.h>
#include <stdio.h>

#include "domjson.h"
#include "util.h"

enum json_state {
	JS_START,
	JS_MAP_START,
	JS_MAP_KEY,
	JS_MAP_VAL,
	JS_ARRAY_START,
	JS_IN_ARRAY,
	JS_COMPLETE,
};

void json_init(struct json_out *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->state[0] = JS_START;
}

static void json_sep(struct json_out *j)
{
	unsigned char s = j->state[j->depth];

	if (s == JS_MAP_KEY || s == JS_IN_ARRAY)
		fputs(",\n", j->f);
	else if (s == JS_MAP_VAL)
		fputs(": ", j->f);
}

static void json_indent(struct json_out *j)
{
	int i;

	if (j->state[j->depth] == JS_MAP_VAL)
		return;
	for (i = 0; i < j->depth; i++)
		fputs("    ", j->f);
}

/* After a value (or key) at the current level, what comes next. */
static void json_appended(struct json_out *j)
{
	unsigned char *s = &j->state[j->depth];

	switch (*s) {
	case JS_START:
		*s = JS_COMPLETE;
		break;
	case JS_MAP_START:
	case JS_MAP_KEY:
		*s = JS_MAP_VAL;
		break;
	case JS_ARRAY_START:
		*s = JS_IN_ARRAY;
		break;
	case JS_MAP_VAL:
		*s = JS_MAP_KEY;
		break;
	}
}

static void json_open(struct json_out *j, char c, enum json_state st)
{
	json_sep(j);
	json_indent(j);
	if (j->depth < JSON_DEPTH_MAX)
		j->state[++j->depth] = st;
	fprintf(j->f, "%c\n", c);
}

static void json_close(struct json_out *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	fputc('\n', j->f);
	json_appended(j);
	json_indent(j);
	fputc(c, j->f);
}

void json_map_open(struct json_out *j)
{
	json_open(j, '{', JS_MAP_START);
}

void json_map_close(struct json_out *j)
{
	json_close(j, '}');
}

void json_array_open(struct json_out *j)
{
	json_open(j, '[', JS_ARRAY_START);
}

void json_array_close(struct json_out *j)
{
	json_close(j, ']');
}

/* One character of a string, escaped as yajl_string_encode does. */
static void json_char(FILE *f, unsigned char c)
{
	static const char short_esc[][2] = {
		{ '"', '"' }, { '\\', '\\' }, { '\b', 'b' }, { '\f', 'f' },
		{ '\n', 'n' }, { '\r', 'r' }, { '\t', 't' },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(short_esc); i++) {
		if (c == short_esc[i][0]) {
			fprintf(f, "\\%c", short_esc[i][1]);
			return;
		}
	}
	if (c < 0x20)
		fprintf(f, "\\u%04X", c);
	else
		fputc(c, f);
}

void json_string(struct json_out *j, const char *s)
{
	json_sep(j);
	json_indent(j);
	fputc('"', j->f);
	for (; *s; s++)
		json_char(j->f, *s);
	fputc('"', j->f);
	json_appended(j);
}

void json_uint(struct json_out *j, unsigned long long v)
{
	json_sep(j);
	json_indent(j);
	fprintf(j->f, "%llu", v);
	json_appended(j);
}

void uuid_format(const uint8_t u[16], char out[UUID_STR_LEN])
{
	snprintf(out, UUID_STR_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

static void json_key_uint(struct json_out *j, const char *key,
			  unsigned long long v)
{
	json_string(j, key);
	json_uint(j, v);
}

static void dom_c_info(struct json_out *j, const struct kxen_dominfo *d)
{
	char uuid[UUID_STR_LEN];

	json_string(j, "c_info");
	json_map_open(j);
	json_string(j, "type");
	json_string(j, "pvh");
	json_string(j, "name");
	json_string(j, d->name);
	if (d->has_uuid) {
		uuid_format(d->uuid, uuid);
		json_string(j, "uuid");
		json_string(j, uuid);
	}
	json_map_close(j);
}

static void dom_b_info(struct json_out *j, const struct kxen_dominfo *d,
		       uint64_t target_kb, uint64_t max_kb,
		       const struct dom_avail *avail)
{
	/* libxl reads static-max back as max_memkb */
	if (!max_kb)
		max_kb = d->max_mem_kb ? d->max_mem_kb : d->mem_kb;
	uint32_t i;

	json_string(j, "b_info");
	json_map_open(j);
	json_key_uint(j, "max_vcpus", d->vcpus);
	/* a libxl_bitmap: the numbers of its set bits */
	json_string(j, "avail_vcpus");
	json_array_open(j);
	for (i = 0; i < d->vcpus; i++)
		if (!avail || !avail->known || i >= KXEN_MAX_VCPUS ||
		    avail->map[i / 64] >> (i % 64) & 1)
			json_uint(j, i);
	json_array_close(j);
	json_key_uint(j, "max_memkb", max_kb);
	json_key_uint(j, "target_memkb", target_kb ? target_kb : max_kb);
	/* libxl_types.idl's order; event_channels is max_evtchn_port */
	if (d->max_grant_frames)
		json_key_uint(j, "max_grant_frames", d->max_grant_frames);
	if (d->max_evtchn_port)
		json_key_uint(j, "event_channels", d->max_evtchn_port);
	json_map_close(j);
}

void dom_json_print(FILE *f, const struct kxen_dominfo *v,
		    const uint64_t *target_kb, const uint64_t *max_kb,
		    const struct dom_avail *avail, size_t n)
{
	struct json_out j;
	size_t i;

	json_init(&j, f);
	json_array_open(&j);
	for (i = 0; i < n; i++) {
		json_map_open(&j);
		json_key_uint(&j, "domid", v[i].domid);
		json_string(&j, "config");
		json_map_open(&j);
		dom_c_info(&j, &v[i]);
		dom_b_info(&j, &v[i], target_kb ? target_kb[i] : 0,
			   max_kb ? max_kb[i] : 0, avail ? &avail[i] : NULL);
		json_map_close(&j);
		json_map_close(&j);
	}
	json_array_close(&j);
	fputc('\n', f);
}
