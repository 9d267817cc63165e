// SPDX-License-Identifier: GPL-2.0
/*
 * xl.cfg lexer and parser (see cfg.h for the grammar).  A hand-written
 * recursive-descent parser: one token of look-ahead, every error names
 * file:line:column and, once known, the key being set.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

enum tok {
	T_EOF,
	T_NL,
	T_SEMI,
	T_IDENT,
	T_NUMBER,
	T_STRING,
	T_EQ,
	T_PLUSEQ,
	T_LBRACK,
	T_RBRACK,
	T_COMMA,
	T_ERR,
};

struct lexer {
	struct cfg *cfg;
	const char *file;
	const char *p, *end, *bol;	/* cursor, end, beginning of line */
	int line;
	enum tok tok;			/* current token */
	char *text;			/* its text (IDENT, NUMBER, STRING) */
	int tline, tcol;		/* its position */
	const char *key;		/* key of the statement, for messages */
	int depth;			/* lists open around the cursor */
};

static const char *const tok_names[] = {
	[T_EOF] = "end of file", [T_NL] = "newline", [T_SEMI] = "';'",
	[T_IDENT] = "name", [T_NUMBER] = "number", [T_STRING] = "string",
	[T_EQ] = "'='", [T_PLUSEQ] = "'+='", [T_LBRACK] = "'['",
	[T_RBRACK] = "']'", [T_COMMA] = "','", [T_ERR] = "error",
};

static void vset_err(struct cfg *cfg, const char *file, int line, int col,
		     const char *key, const char *fmt, va_list ap)
{
	int n;

	n = snprintf(cfg->err, sizeof(cfg->err), "%s:%d:%d: %s%s", file,
		     line, col, key ? key : "", key ? ": " : "");
	if (n < 0 || (size_t)n >= sizeof(cfg->err))
		return;
	vsnprintf(cfg->err + n, sizeof(cfg->err) - n, fmt, ap);
}

static int lex_err(struct lexer *lx, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int lex_err(struct lexer *lx, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset_err(lx->cfg, lx->file, line, col, lx->key, fmt, ap);
	va_end(ap);
	lx->tok = T_ERR;
	return -1;
}

void cfg_error(struct cfg *cfg, const struct cfg_setting *s,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset_err(cfg, s->file, s->val.line, s->val.col, s->key, fmt, ap);
	va_end(ap);
}

const char *cfg_type_name(enum cfg_type type)
{
	switch (type) {
	case CFG_STRING:
		return "string";
	case CFG_NUMBER:
		return "number";
	case CFG_LIST:
		return "list";
	}
	return "?";
}

#define ESC_DROPPED	(-2)

/*
 * An octal escape as Xen 4.17's libxlu reads one (xlu__cfgl_dequote):
 * its first digit, then two or three decimal digits, all consumed and
 * none stored.  xl drops the character, so xl-lite does too, and warns.
 */
static int lex_octal(struct lexer *lx, const char **pp, int line, int col)
{
	const char *p = *pp + 1;
	int n = 0;

	while (n < 3 && p + n < lx->end && p[n] >= '0' && p[n] <= '9')
		n++;
	if (n < 2)
		return lex_err(lx, line, col,
			       "bad escape '\\%c': xl's parser wants two more digits after it",
			       **pp);
	if (!lx->cfg->warn[0])
		snprintf(lx->cfg->warn, sizeof(lx->cfg->warn),
			 "%s:%d:%d: %s%sescape '\\%.*s' dropped, as xl's parser drops it",
			 lx->file, line, col, lx->key ? lx->key : "",
			 lx->key ? ": " : "", n + 1, *pp);
	*pp = p + n;
	return ESC_DROPPED;
}

/*
 * One escape after a backslash at *pp: the byte, ESC_DROPPED, or -1.
 * The set libxlu takes: C's letter escapes, quotes, backslash and its
 * odd octal form; its hex form never parses (libxlu skips the digit
 * after the x), so xl-lite refuses it too.
 */
static int lex_escape(struct lexer *lx, const char **pp, int line, int col)
{
	static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\''\"\"";
	const char *p = *pp;
	const char *s;

	if (p >= lx->end || *p == '\n')
		return lex_err(lx, line, col, "unterminated string");
	for (s = simple; *s; s += 2) {
		if (*p == s[0]) {
			*pp = p + 1;
			return (unsigned char)s[1];
		}
	}
	if (*p == 'x')
		return lex_err(lx, line, col,
			       "bad escape '\\x': xl's parser takes no hex escapes");
	if (*p >= '0' && *p <= '7')
		return lex_octal(lx, pp, line, col);
	return lex_err(lx, line, col, "bad escape '\\%c' in string",
		       *p >= 0x20 && *p < 0x7f ? *p : '?');
}

/* Bytes up to the closing quote, or to where the string breaks off. */
static size_t quoted_span(const struct lexer *lx, const char *p, char quote)
{
	const char *s = p;

	while (p < lx->end && *p != quote && *p != '\n')
		p += *p == '\\' && p + 1 < lx->end && p[1] != '\n' ? 2 : 1;
	return p - s;
}

static int lex_string(struct lexer *lx)
{
	char quote = *lx->p;
	const char *p = lx->p + 1;
	char *out, *q;
	int c;

	/* Sized to the token: the unquoted text is never the longer. */
	out = malloc(quoted_span(lx, p, quote) + 1);
	if (!out)
		return lex_err(lx, lx->tline, lx->tcol, "out of memory");
	q = out;
	for (;;) {
		if (p >= lx->end || *p == '\n') {
			free(out);
			return lex_err(lx, lx->tline, lx->tcol,
				       "unterminated string");
		}
		if (*p == quote)
			break;
		if (*p == '\\') {
			int col = (int)(p - lx->bol) + 1;

			p++;
			c = lex_escape(lx, &p, lx->line, col);
			if (c == ESC_DROPPED)
				continue;
			if (c < 0) {
				free(out);
				return -1;
			}
			*q++ = (char)c;
			continue;
		}
		if (*p == '\0') {
			free(out);
			return lex_err(lx, lx->line, (int)(p - lx->bol) + 1,
				       "NUL byte in string");
		}
		*q++ = *p++;
	}
	*q = '\0';
	lx->p = p + 1;
	lx->text = out;
	lx->tok = T_STRING;
	return 0;
}

/*
 * libxlu's tokens (Xen 4.17): a key is [a-z][._0-9a-z]*, a number
 * [0-9][0-9a-fx]* whose value is read only when a key is, so "x = 08"
 * parses and "memory = 08" is an error.
 */
static bool key_char(int c, bool first)
{
	if (c >= 'a' && c <= 'z')
		return true;
	return !first && ((c >= '0' && c <= '9') || c == '_' || c == '.');
}

static bool word_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static int lex_word(struct lexer *lx, enum tok tok)
{
	const char *s = lx->p, *c;

	/* A number runs on over letters, so "12k" is one bad number. */
	while (lx->p < lx->end && (tok == T_IDENT ? key_char(*lx->p, false) :
				   word_char(*lx->p)))
		lx->p++;
	for (c = s; tok == T_NUMBER && c < lx->p; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f') ||
		      *c == 'x'))
			return lex_err(lx, lx->tline, lx->tcol,
				       "bad number '%.*s'", (int)(lx->p - s), s);
	lx->text = strndup(s, lx->p - s);
	if (!lx->text)
		return lex_err(lx, lx->tline, lx->tcol, "out of memory");
	lx->tok = tok;
	return 0;
}

static void lex_skip_blank(struct lexer *lx)
{
	while (lx->p < lx->end) {
		if (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r') {
			lx->p++;
		} else if (*lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else {
			break;
		}
	}
}

static int lex_next(struct lexer *lx)
{
	char c;

	free(lx->text);
	lx->text = NULL;
	lex_skip_blank(lx);
	lx->tline = lx->line;
	lx->tcol = (int)(lx->p - lx->bol) + 1;
	if (lx->p >= lx->end) {
		lx->tok = T_EOF;
		return 0;
	}
	c = *lx->p;
	if (c == '"' || c == '\'')
		return lex_string(lx);
	if (c >= '0' && c <= '9')
		return lex_word(lx, T_NUMBER);
	if (key_char(c, true))
		return lex_word(lx, T_IDENT);
	lx->p++;
	switch (c) {
	case '\n':
		lx->line++;
		lx->bol = lx->p;
		lx->tok = T_NL;
		return 0;
	case ';':
		lx->tok = T_SEMI;
		return 0;
	case '=':
		lx->tok = T_EQ;
		return 0;
	case '[':
		lx->tok = T_LBRACK;
		return 0;
	case ']':
		lx->tok = T_RBRACK;
		return 0;
	case ',':
		lx->tok = T_COMMA;
		return 0;
	case '+':
		if (lx->p < lx->end && *lx->p == '=') {
			lx->p++;
			lx->tok = T_PLUSEQ;
			return 0;
		}
		break;
	}
	return lex_err(lx, lx->tline, lx->tcol, "unexpected character '%c'",
		       c >= 0x20 && c < 0x7f ? c : '?');
}

static void value_free(struct cfg_value *v)
{
	size_t i;

	for (i = 0; i < v->nitems; i++)
		value_free(&v->items[i]);
	free(v->items);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

/* Current token (NUMBER or STRING) becomes @v; takes its text. */
static int parse_atom(struct lexer *lx, struct cfg_value *v)
{
	v->line = lx->tline;
	v->col = lx->tcol;
	if (lx->tok == T_STRING) {
		v->type = CFG_STRING;
	} else if (lx->tok == T_NUMBER) {
		v->type = CFG_NUMBER;
	} else if (lx->tok != T_ERR) {
		return lex_err(lx, v->line, v->col, "expected a value, got %s",
			       tok_names[lx->tok]);
	} else {
		return -1;
	}
	v->str = lx->text;
	v->len = strlen(v->str);
	v->alen = v->len + 1;
	lx->text = NULL;
	return lex_next(lx);
}

static int lex_next_skip_nl(struct lexer *lx)
{
	do {
		if (lex_next(lx))
			return -1;
	} while (lx->tok == T_NL);
	return 0;
}

/* Room for @want items in @list, growing it geometrically; 0 or -1. */
static int list_reserve(struct cfg_value *list, size_t want)
{
	struct cfg_value *n;
	size_t a = list->aitems;

	if (want <= a)
		return 0;
	a = a * 2 > want ? a * 2 : (want > 4 ? want : 4);
	n = reallocarray(list->items, a, sizeof(*n));
	if (!n)
		return -1;
	list->items = n;
	list->aitems = a;
	return 0;
}

static int parse_value(struct lexer *lx, struct cfg_value *v);

static int list_push(struct lexer *lx, struct cfg_value *list)
{
	if (list_reserve(list, list->nitems + 1))
		return lex_err(lx, lx->tline, lx->tcol, "out of memory");
	memset(&list->items[list->nitems], 0, sizeof(*list->items));
	return parse_value(lx, &list->items[list->nitems++]);
}

/* The items of the list @v, the cursor past its "[". */
static int parse_list_items(struct lexer *lx, struct cfg_value *v)
{
	if (lex_next_skip_nl(lx))
		return -1;
	while (lx->tok != T_RBRACK) {
		if (lx->tok == T_EOF)
			return lex_err(lx, v->line, v->col,
				       "unterminated list");
		if (list_push(lx, v))
			return -1;
		while (lx->tok == T_NL)
			if (lex_next(lx))
				return -1;
		if (lx->tok == T_COMMA) {
			if (lex_next_skip_nl(lx))
				return -1;
		} else if (lx->tok != T_RBRACK) {
			if (lx->tok == T_EOF)
				return lex_err(lx, v->line, v->col,
					       "unterminated list");
			return lex_err(lx, lx->tline, lx->tcol,
				       "expected ',' or ']' in list, got %s",
				       tok_names[lx->tok]);
		}
	}
	return lex_next(lx);
}

/*
 * "[" value { "," value } [","] "]", newlines allowed anywhere inside.
 * A value may be a list itself, as in xl's grammar (vnuma's vnodes); the
 * depth is bounded, so a file of brackets cannot exhaust the stack.
 */
static int parse_list(struct lexer *lx, struct cfg_value *v)
{
	int ret;

	v->type = CFG_LIST;
	v->line = lx->tline;
	v->col = lx->tcol;
	if (lx->depth >= CFG_MAX_DEPTH)
		return lex_err(lx, v->line, v->col,
			       "lists nested more than %d deep", CFG_MAX_DEPTH);
	lx->depth++;
	ret = parse_list_items(lx, v);
	lx->depth--;
	return ret;
}

static int parse_value(struct lexer *lx, struct cfg_value *v)
{
	if (lx->tok == T_LBRACK)
		return parse_list(lx, v);
	return parse_atom(lx, v);
}

/*
 * FNV-1a, then a final mix: FNV's low bits, which index the table, are
 * weak for names that differ in a digit or two (k1, k2, ...), and linear
 * probing turns that into long runs.
 */
static size_t key_hash(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*key) {
		h ^= (unsigned char)*key++;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h;
}

/* The hash slot holding @key, or the empty slot where it would go. */
static size_t *hash_slot(const struct cfg *cfg, const char *key)
{
	size_t mask = cfg->hsize - 1, i = key_hash(key) & mask;

	while (cfg->hash[i] && strcmp(cfg->set[cfg->hash[i] - 1].key, key))
		i = (i + 1) & mask;
	return &cfg->hash[i];
}

/* Index of the setting of @key (one per key), or -1. */
static long find_index(const struct cfg *cfg, const char *key)
{
	size_t *slot;

	if (!cfg->hsize)
		return -1;
	slot = hash_slot(cfg, key);
	return *slot ? (long)(*slot - 1) : -1;
}

/* Keep the table at most half full, so probes stay short; 0 or -1. */
static int hash_reserve(struct cfg *cfg, size_t nset)
{
	size_t n = cfg->hsize ? cfg->hsize : 64, i, *old = cfg->hash;
	size_t oldsize = cfg->hsize;

	while (n < 2 * nset)
		n *= 2;
	if (n == cfg->hsize)
		return 0;
	cfg->hash = calloc(n, sizeof(*cfg->hash));
	if (!cfg->hash) {
		cfg->hash = old;
		return -1;
	}
	cfg->hsize = n;
	for (i = 0; i < oldsize; i++)
		if (old[i])
			*hash_slot(cfg, cfg->set[old[i] - 1].key) = old[i];
	free(old);
	return 0;
}

/* Append @add's text to @old's, doubling its buffer as needed; 0 or -1. */
static int string_append(struct cfg_value *old, const struct cfg_value *add)
{
	size_t want = old->len + add->len + 1, a = old->alen;
	char *s;

	if (want > a) {
		a = a * 2 > want ? a * 2 : want;
		s = realloc(old->str, a);
		if (!s)
			return -1;
		old->str = s;
		old->alen = a;
	}
	memcpy(old->str + old->len, add->str, add->len + 1);
	old->len += add->len;
	return 0;
}

static int append_value(struct lexer *lx, struct cfg_value *old,
			struct cfg_value *add)
{
	if (old->type != add->type || old->type == CFG_NUMBER)
		return lex_err(lx, add->line, add->col,
			       "cannot append a %s to a %s with '+='",
			       cfg_type_name(add->type),
			       cfg_type_name(old->type));
	if (old->type == CFG_STRING) {
		if (string_append(old, add))
			return lex_err(lx, add->line, add->col,
				       "out of memory");
		value_free(add);
		return 0;
	}
	if (list_reserve(old, old->nitems + add->nitems))
		return lex_err(lx, add->line, add->col, "out of memory");
	if (add->nitems)
		memcpy(old->items + old->nitems, add->items,
		       add->nitems * sizeof(*add->items));
	old->nitems += add->nitems;
	free(add->items);
	add->items = NULL;
	add->nitems = 0;
	value_free(add);
	return 0;
}

static int store(struct lexer *lx, char *key, int line, int col,
		 bool append, struct cfg_value *v)
{
	struct cfg *cfg = lx->cfg;
	struct cfg_setting *s;
	long i = find_index(cfg, key);
	int ret;

	if (append && i >= 0) {
		s = &cfg->set[i];
		ret = append_value(lx, &s->val, v);
		free(key);
		return ret;
	}
	if (i >= 0) {
		/* "=" replaces: keep one setting per key */
		s = &cfg->set[i];
		free(s->key);
		value_free(&s->val);
	} else {
		if (hash_reserve(cfg, cfg->nset + 1)) {
			free(key);
			return lex_err(lx, line, col, "out of memory");
		}
		if (cfg->nset == cfg->aset) {
			size_t n = cfg->aset ? cfg->aset * 2 : 16;

			s = realloc(cfg->set, n * sizeof(*s));
			if (!s) {
				free(key);
				return lex_err(lx, line, col, "out of memory");
			}
			cfg->set = s;
			cfg->aset = n;
		}
		s = &cfg->set[cfg->nset];
		*hash_slot(cfg, key) = ++cfg->nset;
	}
	memset(s, 0, sizeof(*s));
	s->key = key;
	s->val = *v;
	s->file = lx->file;
	s->line = line;
	s->col = col;
	return 0;
}

static int parse_stmt(struct lexer *lx)
{
	struct cfg_value v = { 0 };
	int line = lx->tline, col = lx->tcol;
	char *key;
	bool append;
	int ret;

	if (lx->tok != T_IDENT)
		return lex_err(lx, line, col, "expected a setting name, got %s",
			       tok_names[lx->tok]);
	key = lx->text;
	lx->text = NULL;
	lx->key = key;
	if (lex_next(lx))
		goto fail;
	if (lx->tok != T_EQ && lx->tok != T_PLUSEQ) {
		lex_err(lx, lx->tline, lx->tcol, "expected '=' or '+=', got %s",
			tok_names[lx->tok]);
		goto fail;
	}
	append = lx->tok == T_PLUSEQ;
	if (lex_next(lx) || parse_value(lx, &v))
		goto fail;
	if (lx->tok != T_NL && lx->tok != T_SEMI && lx->tok != T_EOF) {
		lex_err(lx, lx->tline, lx->tcol,
			"expected ';' or end of line after the value, got %s",
			tok_names[lx->tok]);
		goto fail;
	}
	ret = store(lx, key, line, col, append, &v);
	lx->key = NULL;
	if (ret)
		value_free(&v);
	return ret;
fail:
	value_free(&v);
	free(key);
	lx->key = NULL;
	return -1;
}

static const char *keep_name(struct cfg *cfg, const char *fname)
{
	char **n = realloc(cfg->files, (cfg->nfiles + 1) * sizeof(*n));

	if (!n)
		return NULL;
	cfg->files = n;
	n[cfg->nfiles] = strdup(fname);
	return n[cfg->nfiles] ? n[cfg->nfiles++] : NULL;
}

static size_t max_size(const struct cfg *cfg)
{
	return cfg->max_size ? cfg->max_size : CFG_MAX_SIZE;
}

static int too_big(struct cfg *cfg, const char *fname)
{
	snprintf(cfg->err, sizeof(cfg->err),
		 "%s: config too large (xl-lite reads at most %zu KiB)", fname,
		 max_size(cfg) / 1024);
	return -1;
}

int cfg_parse(struct cfg *cfg, const char *fname, const char *text,
	      size_t len)
{
	struct lexer lx = {
		.cfg = cfg, .p = text, .end = text + len, .bol = text,
		.line = 1,
	};
	int ret = 0;

	cfg->err[0] = '\0';
	if (cfg->size > max_size(cfg) || len > max_size(cfg) - cfg->size)
		return too_big(cfg, fname);
	cfg->size += len;
	lx.file = keep_name(cfg, fname);
	if (!lx.file) {
		snprintf(cfg->err, sizeof(cfg->err), "%s: out of memory",
			 fname);
		return -1;
	}
	if (lex_next(&lx))
		return -1;
	while (lx.tok != T_EOF) {
		if (lx.tok == T_NL || lx.tok == T_SEMI) {
			ret = lex_next(&lx);
		} else {
			ret = parse_stmt(&lx);
			if (!ret && lx.tok != T_EOF)
				ret = lex_next(&lx);
		}
		if (ret)
			break;
	}
	free(lx.text);
	return ret ? -1 : 0;
}

int cfg_parse_file(struct cfg *cfg, const char *path)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		snprintf(cfg->err, sizeof(cfg->err), "%s: %s", path,
			 strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (!nb) {
				free(buf);
				fclose(f);
				snprintf(cfg->err, sizeof(cfg->err),
					 "%s: out of memory", path);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0 && len <= max_size(cfg));
	if (len > max_size(cfg)) {
		ret = too_big(cfg, path);
	} else if (ferror(f)) {
		snprintf(cfg->err, sizeof(cfg->err), "%s: read error", path);
		ret = -1;
	} else {
		ret = cfg_parse(cfg, path, buf, len);
	}
	fclose(f);
	free(buf);
	return ret;
}

void cfg_init(struct cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_size = CFG_MAX_SIZE;
}

void cfg_free(struct cfg *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nset; i++) {
		free(cfg->set[i].key);
		value_free(&cfg->set[i].val);
	}
	for (i = 0; i < cfg->nfiles; i++)
		free(cfg->files[i]);
	free(cfg->files);
	free(cfg->set);
	free(cfg->hash);
	memset(cfg, 0, sizeof(*cfg));
}

struct cfg_setting *cfg_find(struct cfg *cfg, const char *key)
{
	long i = find_index(cfg, key);

	if (i < 0)
		return NULL;
	cfg->set[i].used = true;
	return &cfg->set[i];
}

/* @type: CFG_STRING takes any atom, as xl's xlu_cfg_get_string does. */
static int get_typed(struct cfg *cfg, const char *key, enum cfg_type type,
		     struct cfg_setting **out)
{
	struct cfg_setting *s = cfg_find(cfg, key);
	bool want_list = type == CFG_LIST, is_list;

	if (!s)
		return 0;
	is_list = s->val.type == CFG_LIST;
	if (want_list != is_list) {
		cfg_error(cfg, s, "expected a %s, got %s", cfg_type_name(type),
			  cfg_type_name(s->val.type));
		return -1;
	}
	*out = s;
	return 1;
}

int cfg_get_string(struct cfg *cfg, const char *key, const char **out)
{
	struct cfg_setting *s;
	int ret = get_typed(cfg, key, CFG_STRING, &s);

	if (ret > 0)
		*out = s->val.str;
	return ret;
}

int cfg_str_u64(const char *s, uint64_t *out)
{
	char *end;

	/* strtoull would take blanks and a sign: a number starts a digit */
	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return *end || errno ? -1 : 0;
}

int cfg_atom_u64(const struct cfg_value *v, uint64_t *out)
{
	return v->type == CFG_LIST ? -1 : cfg_str_u64(v->str, out);
}

int cfg_get_u64(struct cfg *cfg, const char *key, uint64_t *out)
{
	struct cfg_setting *s;
	int ret = get_typed(cfg, key, CFG_NUMBER, &s);

	if (ret <= 0)
		return ret;
	if (!cfg_atom_u64(&s->val, out))
		return 1;
	if (s->val.type == CFG_NUMBER)
		cfg_error(cfg, s, "bad number '%s'%s", s->val.str,
			  errno == ERANGE ? " (too large)" : "");
	else
		cfg_error(cfg, s, "expected a number, got \"%s\"", s->val.str);
	return -1;
}

int cfg_get_list(struct cfg *cfg, const char *key,
		 const struct cfg_value **out)
{
	struct cfg_setting *s;
	int ret = get_typed(cfg, key, CFG_LIST, &s);

	if (ret > 0)
		*out = &s->val;
	return ret;
}
