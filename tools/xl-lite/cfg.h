/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl.cfg parser: plain C over plain structs, no kernel calls.
 *
 * Grammar, as xl(1) reads it (xl.cfg(5), libxlu_cfg_y.y / libxlu_cfg_l.l):
 *   file    := { stmt }
 *   stmt    := KEY ( "=" | "+=" ) value ( ";" | NEWLINE | EOF ) | ";" | NEWLINE
 *   value   := atom | "[" [ value { "," value } [ "," ] ] "]"
 *   atom    := STRING | NUMBER
 *   KEY     := [a-z][._0-9a-z]*
 *   NUMBER  := [0-9][0-9a-fx]*, read (strtoull base 0: decimal, 0x-hex,
 *              0-octal) only when a key is read as a number
 *   STRING  := '...' or "..." on one line, with the escapes libxlu
 *              takes: \a \b \f \n \r \t \v \\ \' \", and a digit 0-7 then
 *              two or three decimal digits, which libxlu drops (a
 *              warning says so); no \x
 * "#" starts a comment to the end of the line; newlines are allowed inside
 * a list.  "key = v" replaces an earlier setting of key; "key += v"
 * appends v to an earlier string or list (like "=" when there is none).
 *
 * As in xl (libxlu_cfg.c), an atom is text whatever its quoting: a number
 * may be quoted (memory = '512', as xen-tools writes it) and a bare number
 * read as a string.  Only list versus atom is a type error.
 *
 * Cost is linear in the input: one allocation per token, sized to it;
 * keys in a hash table; "+=" grows its target geometrically.  A config
 * over CFG_MAX_SIZE bytes is refused (xl has no limit; a domain config
 * is a few KiB, so 1 MiB leaves room and bounds what a bad file costs).
 */
#ifndef XL_LITE_CFG_H
#define XL_LITE_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFG_ERR_MAX	512
#define CFG_MAX_SIZE	(1024 * 1024)

/* Lists inside lists, at most (xl's vnuma needs two levels). */
#define CFG_MAX_DEPTH	16

enum cfg_type {
	CFG_STRING,
	CFG_NUMBER,
	CFG_LIST,
};

struct cfg_value {
	enum cfg_type type;
	char *str;		/* STRING: unquoted text; NUMBER: as written */
	size_t len, alen;	/* strlen(str) and its allocation ("+=") */
	struct cfg_value *items;	/* LIST: atoms, or lists (vnuma) */
	size_t nitems, aitems;
	int line, col;		/* where the value starts, 1-based */
};

struct cfg_setting {
	char *key;
	struct cfg_value val;
	const char *file;	/* name used in messages */
	int line, col;		/* where the key starts, 1-based */
	bool used;		/* looked up by a consumer */
};

struct cfg {
	struct cfg_setting *set;
	size_t nset, aset;
	size_t *hash;		/* open addressing: set index + 1, 0 empty */
	size_t hsize;		/* a power of two, at least 2 * nset */
	size_t size;		/* bytes parsed so far, at most max_size */
	size_t max_size;	/* cfg_init: CFG_MAX_SIZE (0 reads as that) */
	char **files;		/* owned copies of the names in messages */
	size_t nfiles;
	char err[CFG_ERR_MAX];	/* "file:line:col: key: problem" */
	char warn[CFG_ERR_MAX];	/* the first warning, "" if none */
};

void cfg_init(struct cfg *cfg);
void cfg_free(struct cfg *cfg);

/*
 * Parse @len bytes of @text, naming @fname in messages.  Settings add to
 * (and override) those already in @cfg, which is how command-line
 * "key=value" overrides are applied after the file.  All the text given
 * to one @cfg counts against its max_size (CFG_MAX_SIZE unless a caller,
 * such as the benchmark, raised it).
 * Returns 0, or -1 with cfg->err set.
 */
int cfg_parse(struct cfg *cfg, const char *fname, const char *text,
	      size_t len);

/* Read and parse a file; a missing file is an error naming it. */
int cfg_parse_file(struct cfg *cfg, const char *path);

/* Look-ups mark the setting used.  NULL when absent. */
struct cfg_setting *cfg_find(struct cfg *cfg, const char *key);

/*
 * Typed look-ups: 1 found, 0 absent, -1 wrong type (cfg->err set).
 * A string is any atom; a number is an atom whose whole text is a
 * number (strtoull base 0), quoted or not.
 */
int cfg_get_string(struct cfg *cfg, const char *key, const char **out);
int cfg_get_u64(struct cfg *cfg, const char *key, uint64_t *out);
int cfg_get_list(struct cfg *cfg, const char *key,
		 const struct cfg_value **out);

/* An atom's number, quoted or not: 0, or -1 when it is not a number. */
int cfg_atom_u64(const struct cfg_value *v, uint64_t *out);
/* The same for text: a whole number as strtoull base 0 reads it. */
int cfg_str_u64(const char *s, uint64_t *out);

/* Set cfg->err as "file:line:col: key: message" for a setting's value. */
void cfg_error(struct cfg *cfg, const struct cfg_setting *s,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

const char *cfg_type_name(enum cfg_type type);

#endif /* XL_LITE_CFG_H */
