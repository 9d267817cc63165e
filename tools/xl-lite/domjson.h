/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl list -l's output for kxen's domains: a JSON array of
 * { "domid": N, "config": { "c_info": {...}, "b_info": {...} } }, with
 * libxl's names for the fields (libxl_types.idl) and libxl's layout
 * (yajl's beautified output, four spaces an indent level).  Only what the
 * module reports is there: c_info's type (kxen builds PVH domains only),
 * name and uuid; b_info's max_vcpus, avail_vcpus, max_memkb (the
 * domain's maximum in kxen, XEN_DOMCTL_max_mem), target_memkb (its
 * memory/target in xenstore, as libxl reads it back), max_grant_frames
 * and event_channels (its highest event-channel port).
 */
#ifndef XL_LITE_DOMJSON_H
#define XL_LITE_DOMJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kxenctl.h"

#define JSON_DEPTH_MAX	8

/* A JSON writer that spaces its output as yajl's beautify mode does. */
struct json_out {
	FILE *f;
	int depth;
	unsigned char state[JSON_DEPTH_MAX + 1];
};

void json_init(struct json_out *j, FILE *f);
void json_map_open(struct json_out *j);
void json_map_close(struct json_out *j);
void json_array_open(struct json_out *j);
void json_array_close(struct json_out *j);
/* A string: a map's key where one is due, else a value. */
void json_string(struct json_out *j, const char *s);
void json_uint(struct json_out *j, unsigned long long v);

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", as libxl prints a uuid. */
#define UUID_STR_LEN	37
void uuid_format(const uint8_t uuid[16], char out[UUID_STR_LEN]);

/*
 * The array of @n domains, and a newline, as xl list -l prints it.
 * @target_kb and @max_kb (either may be NULL) hold each one's
 * memory/target and memory/static-max, 0 where not known: then the
 * maximum is the domain's in kxen, and the target the maximum.
 */
/* vCPUs online in xenstore; !known: none said, all are shown. */
struct dom_avail {
	bool known;
	uint64_t map[(KXEN_MAX_VCPUS + 63) / 64];
};

void dom_json_print(FILE *f, const struct kxen_dominfo *v,
		    const uint64_t *target_kb, const uint64_t *max_kb,
		    const struct dom_avail *avail, size_t n);

#endif /* XL_LITE_DOMJSON_H */
