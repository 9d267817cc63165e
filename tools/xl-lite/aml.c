// SPDX-License-Identifier: GPL-2.0
/*
 * The AML encoder of aml.h.  Encodings from ACPI 6.4 chapter 20:
 * 20.2.2 name objects, 20.2.3 data objects, 20.2.4 package length,
 * 20.2.5 term objects; opcode values from 20.3.
 */
#include <string.h>

#include "aml.h"

#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_STRING_PREFIX	0x0d
#define AML_QWORD_PREFIX	0x0e
#define AML_SCOPE_OP		0x10
#define AML_BUFFER_OP		0x11
#define AML_PACKAGE_OP		0x12
#define AML_METHOD_OP		0x14
#define AML_DUAL_NAME_PREFIX	0x2e
#define AML_MULTI_NAME_PREFIX	0x2f
#define AML_EXT_OP_PREFIX	0x5b
#define AML_DEVICE_OP		0x82	/* after AML_EXT_OP_PREFIX */
#define AML_ROOT_CHAR		'\\'
#define AML_PARENT_PREFIX	'^'
#define AML_RETURN_OP		0xa4

#define AML_NAMESEG		4
#define AML_MAX_SEGS		255	/* MultiNamePrefix SegCount is a byte */

void aml_init(struct aml *a, unsigned char *buf, size_t cap)
{
	a->buf = buf;
	a->len = 0;
	a->cap = buf ? cap : 0;
	a->error = false;
}

size_t aml_pkglen_encode(size_t body, unsigned char out[4])
{
	size_t n, total;

	/*
	 * The length counts its own bytes.  One byte holds 0..63 in bits
	 * 5:0; longer forms say in bits 7:6 how many bytes follow, put
	 * the low nibble in bits 3:0 and 8 more bits in each next byte.
	 */
	if (body + 1 <= 0x3f) {
		out[0] = body + 1;
		return 1;
	}
	for (n = 2; n <= 4; n++) {
		total = body + n;
		if (total >= 1UL << (4 + 8 * (n - 1)))
			continue;
		out[0] = (n - 1) << 6 | (total & 0xf);
		out[1] = total >> 4;
		out[2] = total >> 12;
		out[3] = total >> 20;
		return n;
	}
	return 0;
}

void aml_bytes(struct aml *a, const void *p, size_t n)
{
	if (a->buf && !a->error) {
		if (n > a->cap - a->len) {
			a->error = true;
			return;
		}
		memcpy(a->buf + a->len, p, n);
	}
	a->len += n;
}

static void aml_byte(struct aml *a, unsigned char b)
{
	aml_bytes(a, &b, 1);
}

static bool seg_char(char c, bool lead)
{
	return (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!lead && c >= '0' && c <= '9');
}

/* One NameSeg from @s (up to '.' or the end); the characters taken. */
static size_t aml_nameseg(struct aml *a, const char *s)
{
	char seg[AML_NAMESEG] = { '_', '_', '_', '_' };
	size_t i;

	for (i = 0; s[i] && s[i] != '.'; i++) {
		if (i == AML_NAMESEG || !seg_char(s[i], !i)) {
			a->error = true;
			return i;
		}
		seg[i] = s[i];
	}
	if (!i)
		a->error = true;
	aml_bytes(a, seg, sizeof(seg));
	return i;
}

void aml_namestring(struct aml *a, const char *name)
{
	const char *p = name;
	size_t segs = 1;

	if (*p == AML_ROOT_CHAR)
		aml_byte(a, *p++);
	else
		while (*p == AML_PARENT_PREFIX)
			aml_byte(a, *p++);
	for (name = p; *name; name++)
		segs += *name == '.';
	if (segs == 2) {
		aml_byte(a, AML_DUAL_NAME_PREFIX);
	} else if (segs > 2) {
		if (segs > AML_MAX_SEGS) {
			a->error = true;
			return;
		}
		aml_byte(a, AML_MULTI_NAME_PREFIX);
		aml_byte(a, segs);
	}
	while (segs--) {
		p += aml_nameseg(a, p);
		if (a->error)
			return;
		p += *p == '.';
	}
}

/* @n bytes of @v, least significant first, as AML stores integers. */
static void aml_le(struct aml *a, uint64_t v, unsigned int n)
{
	while (n--) {
		aml_byte(a, v & 0xff);
		v >>= 8;
	}
}

void aml_integer(struct aml *a, uint64_t v)
{
	if (v <= 1) {
		aml_byte(a, v ? AML_ONE_OP : AML_ZERO_OP);
	} else if (v <= 0xff) {
		aml_byte(a, AML_BYTE_PREFIX);
		aml_le(a, v, 1);
	} else if (v <= 0xffff) {
		aml_byte(a, AML_WORD_PREFIX);
		aml_le(a, v, 2);
	} else if (v <= 0xffffffff) {
		aml_byte(a, AML_DWORD_PREFIX);
		aml_le(a, v, 4);
	} else {
		aml_byte(a, AML_QWORD_PREFIX);
		aml_le(a, v, 8);
	}
}

void aml_string(struct aml *a, const char *s)
{
	const unsigned char *c;

	for (c = (const unsigned char *)s; *c; c++)
		if (*c > 0x7f)	/* AsciiCharList: 0x01..0x7f */
			a->error = true;
	aml_byte(a, AML_STRING_PREFIX);
	aml_bytes(a, s, strlen(s) + 1);
}

/*
 * Reserve the shortest PkgLength after the opcode; aml_close() grows it.
 * The length so only grows, and never passes the final one: a buffer
 * of the counted length is enough.  The mark is where it starts.
 */
static size_t aml_open(struct aml *a)
{
	size_t mark = a->len;

	aml_byte(a, 0);
	return mark;
}

void aml_close(struct aml *a, size_t mark)
{
	size_t body = a->len - mark - 1, n;
	unsigned char enc[4];

	n = aml_pkglen_encode(body, enc);
	if (!n) {
		a->error = true;
		return;
	}
	if (a->buf && !a->error) {
		if (n - 1 > a->cap - a->len) {
			a->error = true;
			return;
		}
		memmove(a->buf + mark + n, a->buf + mark + 1, body);
		memcpy(a->buf + mark, enc, n);
	}
	a->len += n - 1;
}

void aml_buffer(struct aml *a, const void *p, size_t n)
{
	size_t mark;

	aml_byte(a, AML_BUFFER_OP);
	mark = aml_open(a);
	aml_integer(a, n);
	aml_bytes(a, p, n);
	aml_close(a, mark);
}

void aml_name(struct aml *a, const char *name)
{
	aml_byte(a, AML_NAME_OP);
	aml_namestring(a, name);
}

void aml_return(struct aml *a)
{
	aml_byte(a, AML_RETURN_OP);
}

size_t aml_scope_open(struct aml *a, const char *name)
{
	size_t mark;

	aml_byte(a, AML_SCOPE_OP);
	mark = aml_open(a);
	aml_namestring(a, name);
	return mark;
}

size_t aml_device_open(struct aml *a, const char *name)
{
	size_t mark;

	aml_byte(a, AML_EXT_OP_PREFIX);
	aml_byte(a, AML_DEVICE_OP);
	mark = aml_open(a);
	aml_namestring(a, name);
	return mark;
}

size_t aml_method_open(struct aml *a, const char *name, unsigned int args)
{
	size_t mark;

	if (args > 7)	/* ArgCount is bits 2:0 */
		a->error = true;
	aml_byte(a, AML_METHOD_OP);
	mark = aml_open(a);
	aml_namestring(a, name);
	/* NotSerialized, SyncLevel 0 */
	aml_byte(a, args & 7);
	return mark;
}

size_t aml_package_open(struct aml *a, unsigned int n)
{
	size_t mark;

	if (n > 0xff)	/* NumElements is a byte */
		a->error = true;
	aml_byte(a, AML_PACKAGE_OP);
	mark = aml_open(a);
	aml_byte(a, n & 0xff);
	return mark;
}
