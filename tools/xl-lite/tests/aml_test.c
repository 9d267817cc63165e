// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the AML encoder (aml.c): PkgLength's four forms and
 * their limits (ACPI 6.4 20.2.4), NameStrings, the shortest integer
 * constants, strings, buffers, and nested objects whose reserved
 * PkgLength shrinks, written and only counted.
 */
#include <string.h>

#include "aml.h"
#include "tap.h"

static int same(const unsigned char *got, size_t n, const unsigned char *want,
		size_t wn)
{
	size_t i;

	if (n == wn && !memcmp(got, want, n))
		return 1;
	printf("# got %zu bytes:", n);
	for (i = 0; i < n; i++)
		printf(" %02x", got[i]);
	printf("\n# want %zu bytes:", wn);
	for (i = 0; i < wn; i++)
		printf(" %02x", want[i]);
	printf("\n");
	return 0;
}

#define SAME(got, n, ...) \
	same(got, n, (const unsigned char[]){ __VA_ARGS__ }, \
	     sizeof((const unsigned char[]){ __VA_ARGS__ }))

static void test_pkglen(void)
{
	unsigned char b[4];
	size_t n;

	n = aml_pkglen_encode(0, b);
	tap_ok(SAME(b, n, 0x01), "PkgLength of an empty body: 1, one byte");
	n = aml_pkglen_encode(62, b);
	tap_ok(SAME(b, n, 0x3f), "62 bytes: 63, the most one byte holds");
	n = aml_pkglen_encode(63, b);
	tap_ok(SAME(b, n, 0x41, 0x04),
	       "63 bytes: 65 in two bytes (1 follows, low nibble, then 8 bits)");
	n = aml_pkglen_encode(4093, b);
	tap_ok(SAME(b, n, 0x4f, 0xff), "4093 bytes: 4095, the most in two");
	n = aml_pkglen_encode(4094, b);
	tap_ok(SAME(b, n, 0x81, 0x00, 0x01), "4094 bytes: 4097 in three");
	n = aml_pkglen_encode((1U << 20) - 4, b);
	tap_ok(SAME(b, n, 0x8f, 0xff, 0xff), "2^20 - 4 bytes: the most in three");
	n = aml_pkglen_encode((1U << 20) - 3, b);
	tap_ok(SAME(b, n, 0xc1, 0x00, 0x00, 0x01),
	       "2^20 - 3 bytes: 2^20 + 1 in four");
	n = aml_pkglen_encode(AML_PKGLEN_MAX - 4, b);
	tap_ok(SAME(b, n, 0xcf, 0xff, 0xff, 0xff), "2^28 - 5 bytes: the most");
	tap_ok(!aml_pkglen_encode(AML_PKGLEN_MAX - 3, b),
	       "2^28 - 4 bytes: too long for a PkgLength");
}

/* @name as a NameString: its bytes, or error. */
static int name_is(const char *name, const char *want, size_t wn)
{
	unsigned char b[64];
	struct aml a;

	aml_init(&a, b, sizeof(b));
	aml_namestring(&a, name);
	if (!want)
		return a.error;
	return !a.error && same(b, a.len, (const unsigned char *)want, wn);
}

static void test_names(void)
{
	tap_ok(name_is("_SB", "_SB_", 4), "NameSeg padded with '_'");
	tap_ok(name_is("\\_SB", "\\_SB_", 5), "root prefix");
	tap_ok(name_is("^^PR0", "^^PR0_", 6), "parent prefixes");
	tap_ok(name_is("\\_SB.PR01", "\\\x2e_SB_PR01", 10),
	       "two segments: DualNamePrefix");
	tap_ok(name_is("A.B2.C", "\057\003A___B2__C___", 14),
	       "three segments: MultiNamePrefix and the count");
	tap_ok(name_is("1ABC", NULL, 0) && name_is("ABCDE", NULL, 0) &&
	       name_is("abc", NULL, 0) && name_is("", NULL, 0) &&
	       name_is("A..B", NULL, 0) && name_is("\\", NULL, 0),
	       "refused: leading digit, 5 characters, lower case, empty");
}

static void test_data(void)
{
	unsigned char b[64];
	struct aml a;

	aml_init(&a, b, sizeof(b));
	aml_integer(&a, 0);
	aml_integer(&a, 1);
	aml_integer(&a, 2);
	aml_integer(&a, 0xff);
	tap_ok(SAME(b, a.len, 0x00, 0x01, 0x0a, 0x02, 0x0a, 0xff),
	       "ZeroOp, OneOp, BytePrefix up to 0xff");
	aml_init(&a, b, sizeof(b));
	aml_integer(&a, 0x100);
	aml_integer(&a, 0x12345678);
	aml_integer(&a, 0x100000000ULL);
	tap_ok(SAME(b, a.len, 0x0b, 0x00, 0x01, 0x0c, 0x78, 0x56, 0x34, 0x12,
		    0x0e, 0, 0, 0, 0, 1, 0, 0, 0),
	       "Word, DWord and QWord prefixes, little-endian");
	aml_init(&a, b, sizeof(b));
	aml_string(&a, "ACPI0007");
	tap_ok(SAME(b, a.len, 0x0d, 'A', 'C', 'P', 'I', '0', '0', '0', '7', 0),
	       "String: StringPrefix, the characters, NUL");
	aml_init(&a, b, sizeof(b));
	aml_string(&a, "\xc3\xa9");
	tap_ok(a.error, "a String holds ASCII only");
	aml_init(&a, b, sizeof(b));
	aml_buffer(&a, (const unsigned char[]){ 1, 2 }, 2);
	tap_ok(SAME(b, a.len, 0x11, 0x05, 0x0a, 0x02, 0x01, 0x02),
	       "Buffer (2) { 1, 2 }: BufferOp, PkgLength, BufferSize, bytes");
	aml_init(&a, b, sizeof(b));
	aml_name(&a, "_S5");
	aml_close(&a, aml_package_open(&a, 2));
	tap_ok(SAME(b, a.len, 0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x02),
	       "Name (_S5, Package (2) {}): NameOp, PackageOp, NumElements");
}

/*
 * Device (DEV0) { Name (_UID, 7); Method (_STA) { Return (0x0f) } }
 * inside Scope (\_SB), and one whose body needs a 2-byte PkgLength.
 */
static size_t nested(unsigned char *b, size_t cap, size_t pad, bool *err)
{
	static const unsigned char fill[100];
	struct aml a;
	size_t sb, dev, sta;

	aml_init(&a, b, cap);
	sb = aml_scope_open(&a, "\\_SB");
	dev = aml_device_open(&a, "DEV0");
	aml_name(&a, "_UID");
	aml_integer(&a, 7);
	sta = aml_method_open(&a, "_STA", 0);
	aml_return(&a);
	aml_integer(&a, 0x0f);
	aml_close(&a, sta);
	aml_name(&a, "BUF0");
	aml_buffer(&a, fill, pad);
	aml_close(&a, dev);
	aml_close(&a, sb);
	*err = a.error;
	return a.len;
}

static void test_nested(void)
{
	unsigned char b[256];
	size_t n;
	bool err;

	n = nested(b, sizeof(b), 0, &err);
	tap_ok(!err && SAME(b, n,
			    0x10, 0x26, '\\', '_', 'S', 'B', '_',
			    0x5b, 0x82, 0x1e, 'D', 'E', 'V', '0',
			    0x08, '_', 'U', 'I', 'D', 0x0a, 0x07,
			    0x14, 0x09, '_', 'S', 'T', 'A', 0x00,
			    0xa4, 0x0a, 0x0f,
			    0x08, 'B', 'U', 'F', '0', 0x11, 0x02, 0x00),
	       "Scope, Device, Name, Method, Buffer: one-byte PkgLengths");
	n = nested(b, sizeof(b), 100, &err);
	tap_ok(!err && n == 143 && b[1] == 0x4e && b[2] == 0x08 &&
	       b[3] == '\\' && b[8] == 0x5b && b[9] == 0x82 &&
	       b[10] == 0x45 && b[11] == 0x08 && b[12] == 'D' &&
	       b[n - 1] == 0,
	       "a 100-byte buffer: Scope and Device take 2-byte PkgLengths, the bodies moved down");
	tap_ok(nested(NULL, 0, 100, &err) == n && !err,
	       "counting without a buffer gives the written length");
	nested(b, n - 1, 100, &err);
	tap_ok(err, "one byte short of room: an error, nothing past the end");
}

void aml_tests(void)
{
	test_pkglen();
	test_names();
	test_data();
	test_nested();
}
