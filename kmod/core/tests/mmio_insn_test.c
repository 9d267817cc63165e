// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the MMIO instruction decoder (kmod/core/mmio_insn.c):
 * each MOV form at each width, in 16-, 32- and 64-bit code, with
 * prefixes, REX and every ModRM/SIB/displacement shape; encodings it
 * must refuse; and, for every accepted one, each shorter fetch is
 * refused without a read past it (the bytes sit at the end of a heap
 * block of exactly that size, under ASan).  Then the register results
 * of loads and the values of stores, per the x86 rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../mmio_insn.h"
#include "tap.h"

#define M16	KXEN_INSN_MODE16
#define M32	KXEN_INSN_MODE32
#define M64	KXEN_INSN_MODE64

/* "8b 07" to bytes; the count. */
static unsigned int unhex(const char *hex, u8 *out, unsigned int max)
{
	unsigned int n = 0;
	char *end;

	while (*hex && n < max) {
		out[n++] = strtoul(hex, &end, 16);
		if (end == hex)
			abort();
		hex = end;
	}
	return n;
}

/* Decode exactly @n bytes copied into a heap block of that size. */
static int decode_n(const u8 *bytes, unsigned int n, enum kxen_insn_mode mode,
		    struct kxen_mmio_insn *out)
{
	u8 *buf = malloc(n ? n : 1);
	int ret;

	if (!buf)
		abort();
	memcpy(buf, bytes, n);
	ret = kxen_mmio_insn_decode(buf, n, mode, out);
	free(buf);
	return ret;
}

static int decode(const char *hex, enum kxen_insn_mode mode,
		  struct kxen_mmio_insn *out)
{
	u8 b[32];

	return decode_n(b, unhex(hex, b, sizeof(b)), mode, out);
}

struct good {
	const char *what;
	enum kxen_insn_mode mode;
	const char *hex;	/* the bytes, as "8b 07" */
	/* expected */
	u8 size, reg_size, reg;
	bool high, store, has_imm;
	u8 ext;
	u64 imm;
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const struct good goods[] = {
	/* 64-bit code: loads */
	{ "mov (%rdi),%eax", M64, "8b 07", 4, 4, 0 },
	{ "mov (%rdi),%rax", M64, "48 8b 07", 8, 8, 0 },
	{ "mov (%rdi),%ax", M64, "66 8b 07", 2, 2, 0 },
	{ "mov (%rdi),%al", M64, "8a 07", 1, 1, 0 },
	{ "mov (%rdi),%ah", M64, "8a 27", 1, 1, 0, true },
	{ "mov (%rdi),%bh", M64, "8a 3f", 1, 1, 3, true },
	{ "mov (%rdi),%spl (REX)", M64, "40 8a 27", 1, 1, 4 },
	{ "mov (%rdi),%r8d", M64, "44 8b 07", 4, 4, 8 },
	{ "mov (%r15),%r15", M64, "4d 8b 3f", 8, 8, 15 },
	{ "mov (%rdi),%r9b", M64, "44 8a 0f", 1, 1, 9 },
	/* 64-bit code: stores */
	{ "mov %esi,(%rdi)", M64, "89 37", 4, 4, 6, false, true },
	{ "mov %rsi,(%rdi)", M64, "48 89 37", 8, 8, 6, false, true },
	{ "mov %si,(%rdi)", M64, "66 89 37", 2, 2, 6, false, true },
	{ "mov %dh,(%rdi)", M64, "88 37", 1, 1, 2, true, true },
	{ "mov %sil,(%rdi)", M64, "40 88 37", 1, 1, 6, false, true },
	{ "movb $0xab,(%rdi)", M64, "c6 07 ab", 1, 1, 0, false, true,
	  true, 0, 0xffffffffffffffabULL },
	{ "movw $0x1234,(%rdi)", M64, "66 c7 07 34 12", 2, 2,
	  0, false, true, true, 0, 0x1234 },
	{ "movl $0x12345678,(%rdi)", M64,
	  "c7 07 78 56 34 12", 4, 4, 0, false, true, true,
	  0, 0x12345678 },
	{ "movq $-1,(%rdi)", M64, "48 c7 07 ff ff ff ff",
	  8, 8, 0, false, true, true, 0, ~0ULL },
	{ "movq $0x7fffffff,8(%rdi)", M64,
	  "48 c7 47 08 ff ff ff 7f", 8, 8, 0, false,
	  true, true, 0, 0x7fffffff },
	/* moffs: address-sized offsets */
	{ "movabs 0xfed00000,%eax", M64,
	  "a1 00 00 d0 fe 00 00 00 00", 4, 4, 0 },
	{ "movabs 0xfed00000,%rax", M64,
	  "48 a1 00 00 d0 fe 00 00 00 00", 8, 8, 0 },
	{ "movabs 0xfed00000,%al", M64,
	  "a0 00 00 d0 fe 00 00 00 00", 1, 1, 0 },
	{ "movabs %eax,0xfed00000", M64,
	  "a3 00 00 d0 fe 00 00 00 00", 4, 4, 0, false, true },
	{ "movabs %al,0xfed00000", M64,
	  "a2 00 00 d0 fe 00 00 00 00", 1, 1, 0, false, true },
	{ "addr32 mov 0xfed00000,%eax", M64,
	  "67 a1 00 00 d0 fe", 4, 4, 0 },
	/* MOVZX, MOVSX, MOVSXD */
	{ "movzbl (%rdi),%eax", M64, "0f b6 07", 1, 4, 0, .ext = 1 },
	{ "movzwl (%rdi),%eax", M64, "0f b7 07", 2, 4, 0, .ext = 1 },
	{ "movzbw (%rdi),%ax", M64, "66 0f b6 07", 1, 2, 0,
	  .ext = 1 },
	{ "movzbq (%rdi),%r10", M64, "4c 0f b6 17", 1, 8, 10,
	  .ext = 1 },
	{ "movsbl (%rdi),%esi", M64, "0f be 37", 1, 4, 6, .ext = 2 },
	{ "movswq (%rdi),%rax", M64, "48 0f bf 07", 2, 8, 0,
	  .ext = 2 },
	{ "movslq (%rdi),%rax", M64, "48 63 07", 4, 8, 0, .ext = 2 },
	{ "movsxd (%rdi),%eax (no REX.W)", M64, "63 07", 4, 4, 0,
	  .ext = 2 },
	/* ModRM, SIB and displacements */
	{ "mov 0x8(%rsp),%eax", M64, "8b 44 24 08", 4, 4, 0 },
	{ "mov 0x100(%rsp),%eax", M64, "8b 84 24 00 01 00 00", 4, 4,
	  0 },
	{ "mov 0xfed00000(,%riz),%eax", M64,
	  "8b 04 25 00 00 d0 fe", 4, 4, 0 },
	{ "mov 0x10(%rip),%eax", M64, "8b 05 10 00 00 00", 4, 4, 0 },
	{ "mov 0x10(%rdi),%eax", M64, "8b 47 10", 4, 4, 0 },
	{ "mov 0x1000(%rdi),%eax", M64, "8b 87 00 10 00 00", 4, 4, 0 },
	{ "mov (%rbp,%rcx,4),%edx", M64, "8b 54 8d 00", 4, 4, 2 },
	{ "mov (%r13),%eax", M64, "41 8b 45 00", 4, 4, 0 },
	{ "mov (%rax,%r12,8),%ecx", M64, "42 8b 0c e0", 4, 4, 1 },
	/* legacy prefixes */
	{ "mov %gs:(%rdi),%eax", M64, "65 8b 07", 4, 4, 0 },
	{ "mov %cs:(%rdi),%eax", M64, "2e 8b 07", 4, 4, 0 },
	{ "xrelease mov %eax,(%rdi)", M64, "f3 89 07", 4, 4, 0, false,
	  true },
	{ "repne mov (%rdi),%eax", M64, "f2 8b 07", 4, 4, 0 },
	{ "REX.W then 66: REX ignored", M64, "48 66 8b 07", 2, 2,
	  0 },
	{ "66 then REX.W: REX.W wins", M64, "66 48 8b 07", 8, 8,
	  0 },
	{ "REX then segment: REX.R ignored", M64, "44 3e 8b 07",
	  4, 4, 0 },
	{ "addr32 mov (%edi),%eax", M64, "67 8b 07", 4, 4, 0 },
	{ "13 prefixes, 15 bytes in all", M64,
	  "66 66 66 66 66 66 66 66 66 66 66 66 48 8b 07", 8, 8, 0 },
	/* 32-bit code */
	{ "32: mov (%edi),%eax", M32, "8b 07", 4, 4, 0 },
	{ "32: mov (%edi),%ax", M32, "66 8b 07", 2, 2, 0 },
	{ "32: mov %ch,(%edi)", M32, "88 2f", 1, 1, 1, true, true },
	{ "32: mov 0xfee000f0,%eax (disp32)", M32,
	  "8b 05 f0 00 e0 fe", 4, 4, 0 },
	{ "32: mov 0xfed00000,%eax (moffs32)", M32,
	  "a1 00 00 d0 fe", 4, 4, 0 },
	{ "32: addr16 moffs16", M32, "67 a1 00 10", 4, 4, 0 },
	{ "32: addr16 mov (%bx),%eax", M32, "67 8b 07", 4, 4, 0 },
	{ "32: addr16 mov 0x1234,%eax", M32, "67 8b 06 34 12",
	  4, 4, 0 },
	{ "32: movl $imm,0xfee000b0", M32,
	  "c7 05 b0 00 e0 fe 00 00 00 00", 4, 4, 0, false,
	  true, true, 0, 0 },
	{ "32: movzwl (%esi),%edx", M32, "0f b7 16", 2, 4, 2,
	  .ext = 1 },
	/* 16-bit code */
	{ "16: mov (%bx),%ax", M16, "8b 07", 2, 2, 0 },
	{ "16: mov (%bx),%eax", M16, "66 8b 07", 4, 4, 0 },
	{ "16: mov 0xd000,%ax (disp16)", M16, "8b 06 00 d0", 2, 2,
	  0 },
	{ "16: mov 0x10(%bp,%si),%cx", M16, "8b 4a 10", 2, 2, 1 },
	{ "16: mov 0x1000(%bx,%di),%dx", M16, "8b 91 00 10", 2, 2,
	  2 },
	{ "16: moffs16", M16, "a1 34 12", 2, 2, 0 },
	{ "16: movw $imm,0x0", M16, "c7 06 00 00 34 12", 2, 2, 0,
	  false, true, true, 0, 0x1234 },
	{ "16: movl $imm,0x0", M16,
	  "66 c7 06 00 00 78 56 34 12", 4, 4, 0, false,
	  true, true, 0, 0x12345678 },
	{ "16: addr32 mov 0xfed00000(,%eiz),%ax", M16,
	  "67 8b 04 25 00 00 d0 fe", 2, 2, 0 },
	{ "16: %fs: mov (%bx),%al", M16, "64 8a 07", 1, 1, 0 },
};

struct bad {
	const char *what;
	enum kxen_insn_mode mode;
	const char *hex;
};

static const struct bad bads[] = {
	{ "register operand (mod 3)", M64, "8b c0" },
	{ "lock mov", M64, "f0 89 07" },
	{ "add (not a MOV)", M64, "01 07" },
	{ "movs (string)", M64, "a5" },
	{ "C6 /1", M64, "c6 4f 00 00" },
	{ "C7 /7 mod 3 (xbegin)", M64, "c7 f8 00 00 00 00" },
	{ "0F 0B (ud2)", M64, "0f 0b" },
	{ "0F B8 (popcnt without F3)", M64, "0f b8 07" },
	{ "bts %eax,(%rdi) (writes)", M64, "0f ab 07" },
	{ "btsl $5,(%rdi) (0F BA /5)", M64, "0f ba 2f 05" },
	{ "0F BA /0 (undefined)", M64, "0f ba 07 05" },
	{ "bt register operand (mod 3)", M64, "0f a3 c0" },
	{ "movzx register source", M64, "0f b6 c0" },
	{ "32: 0x48 is dec, not REX", M32, "48 8b 07" },
	{ "32: 63 is arpl", M32, "63 07" },
	{ "16: 63 is arpl", M16, "63 07" },
	{ "16 bytes (over the limit)", M64,
	  "66 66 66 66 66 66 66 66 66 66 66 66 66 48 8b 07" },
	{ "15 prefixes", M64,
	  "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 8b 07" },
	{ "disp32 beyond 15 bytes", M64,
	  "66 66 66 66 66 66 66 66 66 66 8b 87 00 00 00 00" },
};

static bool same(const struct good *g, const struct kxen_mmio_insn *in,
		 unsigned int n)
{
	return in->len == n && in->size == g->size &&
	       in->reg_size == g->reg_size && in->reg == g->reg &&
	       in->high_byte == g->high && in->store == g->store &&
	       in->has_imm == g->has_imm && in->ext == g->ext &&
	       (!g->has_imm || in->imm == g->imm);
}

static void test_goods(void)
{
	struct kxen_mmio_insn in;
	unsigned int i, n, len;
	bool short_ok;
	u8 b[32];
	int ret;

	for (i = 0; i < ARRAY_SIZE(goods); i++) {
		const struct good *g = &goods[i];

		len = unhex(g->hex, b, sizeof(b));
		memset(&in, 0x5a, sizeof(in));
		ret = decode_n(b, len, g->mode, &in);
		CHECK(ret == 0 && same(g, &in, len),
		      "%s: len %u size %u reg %u/%u%s%s ext %u imm %#llx (ret %d)",
		      g->what, in.len, in.size, in.reg, in.reg_size,
		      in.high_byte ? " high" : "", in.store ? " store" : "",
		      in.ext, (unsigned long long)in.imm, ret);
		short_ok = true;
		for (n = 0; n < len; n++)
			if (decode_n(b, n, g->mode, &in) != -ENODATA)
				short_ok = false;
		CHECK(short_ok, "%s: every fetch shorter than %u bytes: -ENODATA",
		      g->what, len);
	}
}

static void test_bads(void)
{
	struct kxen_mmio_insn in;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bads); i++) {
		ret = decode(bads[i].hex, bads[i].mode, &in);
		CHECK(ret == -EOPNOTSUPP, "refused: %s (ret %d)", bads[i].what,
		      ret);
	}
	ret = decode(goods[0].hex, 3, &in);
	CHECK(ret == -EINVAL, "an unknown code mode is refused (ret %d)", ret);
}

/* BT: what it reads, the register or immediate bit offset, and the CF. */
static void bt(const char *what, enum kxen_insn_mode mode, const char *hex,
	       unsigned int len, unsigned int size, int reg, u64 regval,
	       u64 data, bool want)
{
	struct kxen_mmio_insn in;
	bool ok, cf = false;
	int ret;

	memset(&in, 0x5a, sizeof(in));
	ret = decode(hex, mode, &in);
	ok = !ret && in.bt && !in.store && in.len == len && in.size == size &&
	     (reg < 0 ? in.has_imm : !in.has_imm && in.reg == reg);
	if (ok)
		cf = kxen_mmio_insn_bt_bit(&in, regval, data);
	CHECK(ok && cf == want, "%s: len %u size %u, CF %d (want %d, ret %d)",
	      what, in.len, in.size, cf, want, ret);
}

static void test_bt(void)
{
	bt("bt %rax,(%rdi), offset 63 of ~0", M64, "48 0f a3 07", 4, 8, 0,
	   63, ~0ULL, true);
	bt("bt %rcx,(%rdi), negative offset, bit 1 of 0b10", M64,
	   "48 0f a3 0f", 4, 8, 1, (u64)-63, 2, true);
	bt("bt %ecx,(%rdi), offset 33 wraps to bit 1 of 1", M64, "0f a3 0f",
	   3, 4, 1, 33, 1, false);
	bt("bt %r9w,8(%rdi)", M64, "66 44 0f a3 4f 08", 6, 2, 9, 15,
	   0x8000, true);
	bt("btl $5,(%rdi) of 0x20", M64, "0f ba 27 05", 4, 4, -1, 0, 0x20,
	   true);
	bt("btq $0x41,(%rdi): bit 1 of 1", M64, "48 0f ba 27 41", 5, 8, -1,
	   0, 1, false);
	bt("32: bt %eax,0xfed00000", M32, "0f a3 05 00 00 d0 fe", 7, 4, 0,
	   31, ~0ULL, true);
}

/* A load through the decoder: old register, data, expected register. */
static void load(const char *what, enum kxen_insn_mode mode, const char *hex,
		 u64 old, u64 data, u64 want)
{
	struct kxen_mmio_insn in;
	u64 got = 0;
	int ret;

	ret = decode(hex, mode, &in);
	if (!ret)
		got = kxen_mmio_insn_load_result(&in, old, data);
	CHECK(!ret && !in.store && got == want, "%s: %#llx (want %#llx)",
	      what, (unsigned long long)got, (unsigned long long)want);
}

static void test_loads(void)
{
	const u64 old = 0x1122334455667788ULL, ones = ~0ULL;

	load("8-bit load merges into bits 7:0", M64, "8a 07",
	     old, ones, 0x11223344556677ffULL);
	load("AH load merges into bits 15:8", M64, "8a 27",
	     old, 0xab, 0x112233445566ab88ULL);
	load("16-bit load merges into bits 15:0", M64, "66 8b 07",
	     old, ones, 0x112233445566ffffULL);
	load("32-bit load zero-extends to 64", M64, "8b 07",
	     old, ones, 0x00000000ffffffffULL);
	load("64-bit load replaces all", M64, "48 8b 07",
	     old, 0x0123456789abcdefULL, 0x0123456789abcdefULL);
	load("64-bit load of all ones", M64, "48 8b 07",
	     0, ones, ones);
	load("movzbl: 0xff -> 0xff, upper 32 cleared", M64, "0f b6 07",
	     old, ones, 0xff);
	load("movzwq: 0xffff", M64, "48 0f b7 07",
	     old, ones, 0xffff);
	load("movsbl: 0x80 -> 0xffffff80, upper 32 cleared", M64, "0f be 07",
	     old, 0x80, 0xffffff80ULL);
	load("movsbq: 0x80 -> all ones but 7 bits", M64, "48 0f be 07",
	     old, 0x80, 0xffffffffffffff80ULL);
	load("movsbw: merges 0xff80 into bits 15:0", M64, "66 0f be 07",
	     old, 0x80, 0x112233445566ff80ULL);
	load("movswl: 0x7fff stays positive", M64, "0f bf 07",
	     old, 0x7fff, 0x7fff);
	load("movslq: 0x80000000", M64, "48 63 07",
	     old, 0x80000000ULL, 0xffffffff80000000ULL);
	load("data beyond the access width is ignored", M64, "8a 07",
	     old, 0xdeadbeef000000aaULL, 0x11223344556677aaULL);
	load("16: mov (%bx),%ax merges", M16, "8b 07",
	     old, ones, 0x112233445566ffffULL);
}

static void test_stores(void)
{
	struct kxen_mmio_insn in;
	u64 v;

	decode("88 37", M64, &in);
	v = kxen_mmio_insn_store_value(&in, 0x1234);
	CHECK(v == 0x12, "mov %%dh,(%%rdi) stores bits 15:8 (%#llx)",
	      (unsigned long long)v);
	decode("40 88 37", M64, &in);
	v = kxen_mmio_insn_store_value(&in, 0x1234);
	CHECK(v == 0x34, "mov %%sil,(%%rdi) stores bits 7:0 (%#llx)",
	      (unsigned long long)v);
	decode("89 37", M64, &in);
	v = kxen_mmio_insn_store_value(&in, 0xffffffff12345678ULL);
	CHECK(v == 0x12345678, "32-bit store takes the low half (%#llx)",
	      (unsigned long long)v);
	decode("c6 07 80", M64, &in);
	v = kxen_mmio_insn_store_value(&in, ~0ULL);
	CHECK(v == 0x80, "movb $0x80 stores one byte (%#llx)",
	      (unsigned long long)v);
	decode("48 c7 07 00 00 00 80", M64, &in);
	v = kxen_mmio_insn_store_value(&in, 0);
	CHECK(v == 0xffffffff80000000ULL,
	      "movq $imm32 sign-extends to 64 bits (%#llx)",
	      (unsigned long long)v);
}

int main(void)
{
	test_goods();
	test_bads();
	test_bt();
	test_loads();
	test_stores();
	return tap_done();
}
