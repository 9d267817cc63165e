/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small AML encoder (ACPI 6.4 chapter 20, "ACPI Machine Language
 * Specification"): enough for a DSDT of named objects, devices and
 * constant methods.  Plain C over a byte buffer.
 *
 * Objects with a PkgLength (Scope, Device, Method, Buffer, Package) are
 * opened, filled and closed: the encoder reserves the one-byte form and,
 * once the body is known, moves the body up to make room for a longer
 * one.  With a NULL buffer nothing is written and only the length is
 * counted, so the same code sizes a table and then writes it into a
 * buffer of just that size.
 */
#ifndef XL_LITE_AML_H
#define XL_LITE_AML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 20.2.4: a PkgLength is 1 to 4 bytes and counts up to 2^28 - 1. */
#define AML_PKGLEN_MAX		((1U << 28) - 1)

struct aml {
	unsigned char *buf;	/* NULL: only count */
	size_t len, cap;
	bool error;		/* past @cap, or a bad name or length */
};

/* Start encoding into @buf (@cap bytes), or counting if @buf is NULL. */
void aml_init(struct aml *a, unsigned char *buf, size_t cap);

/*
 * The PkgLength for a body of @body bytes (not counting the encoding
 * itself) into @out; returns its length, 1 to 4, or 0 if too long.
 */
size_t aml_pkglen_encode(size_t body, unsigned char out[4]);

/* Raw bytes, for structures such as a MADT entry inside a Buffer. */
void aml_bytes(struct aml *a, const void *p, size_t n);

/*
 * A NameString (20.2.2): an optional root '\' or parent '^' prefixes,
 * then NameSegs separated by '.', each up to 4 characters from
 * A-Z 0-9 _ (the first not a digit), padded with '_'.
 */
void aml_namestring(struct aml *a, const char *name);

/* The shortest constant for @v: ZeroOp, OneOp, Byte/Word/DWord/QWord. */
void aml_integer(struct aml *a, uint64_t v);
/* A String constant: StringPrefix, ASCII @s (1..127), NUL. */
void aml_string(struct aml *a, const char *s);
/* Buffer (n) { bytes }: BufferOp, PkgLength, BufferSize, ByteList. */
void aml_buffer(struct aml *a, const void *p, size_t n);
/* Name (NAME, ...): NameOp and the name; the object follows. */
void aml_name(struct aml *a, const char *name);
/* Return (...): ReturnOp; the operand follows. */
void aml_return(struct aml *a);

/* Open objects: each returns the mark aml_close() takes. */
size_t aml_scope_open(struct aml *a, const char *name);
size_t aml_device_open(struct aml *a, const char *name);
/* Method (NAME, @args) NotSerialized (20.2.5.2 MethodFlags). */
size_t aml_method_open(struct aml *a, const char *name, unsigned int args);
/* Package (@n) { ... }: the elements follow, constants or names. */
size_t aml_package_open(struct aml *a, unsigned int n);
void aml_close(struct aml *a, size_t mark);

#endif /* XL_LITE_AML_H */
