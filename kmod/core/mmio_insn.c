// SPDX-License-Identifier: GPL-2.0
/*
 * The MOV forms a guest reaches MMIO with, decoded (SDM Vol. 2A ch. 2
 * for the format, Vol. 2B for MOV/MOVZX/MOVSX/MOVSXD): prefixes, REX,
 * opcode, ModRM, SIB, displacement, immediate.  Every byte is taken
 * through kxen_insn_byte(), which stops at what was fetched and at the
 * architectural 15-byte limit.
 */
#include "mmio_insn.h"

struct kxen_insn_cursor {
	const u8 *buf;
	unsigned int avail;
	unsigned int pos;
};

struct kxen_insn_prefixes {
	bool opsize;	/* 66 */
	bool adsize;	/* 67 */
	u8 rex;		/* 0x40-0x4f right before the opcode, else 0 */
};

#define KXEN_REX_W	0x08
#define KXEN_REX_R	0x04

static int kxen_insn_byte(struct kxen_insn_cursor *c, u8 *b)
{
	if (c->pos >= KXEN_INSN_MAX_LEN)
		return -EOPNOTSUPP;	/* the CPU raises #GP */
	if (c->pos >= c->avail)
		return -ENODATA;
	*b = c->buf[c->pos++];
	return 0;
}

/* @n little-endian bytes, sign-extended to 64 bits. */
static int kxen_insn_imm(struct kxen_insn_cursor *c, unsigned int n, u64 *val)
{
	u64 v = 0;
	unsigned int i;
	int ret;
	u8 b;

	for (i = 0; i < n; i++) {
		ret = kxen_insn_byte(c, &b);
		if (ret)
			return ret;
		v |= (u64)b << (8 * i);
	}
	if (n && n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~0ULL << (8 * n);
	*val = v;
	return 0;
}

/*
 * Legacy prefixes in any order, then REX (64-bit code only); a REX
 * followed by another prefix is ignored (SDM Vol. 2A 2.2.1).  LOCK on a
 * MOV is #UD, so it is refused; F2/F3 only hint (XACQUIRE/XRELEASE).
 */
static int kxen_insn_prefixes(struct kxen_insn_cursor *c,
			      enum kxen_insn_mode mode,
			      struct kxen_insn_prefixes *p, u8 *op)
{
	int ret;
	u8 b;

	for (;;) {
		ret = kxen_insn_byte(c, &b);
		if (ret)
			return ret;
		switch (b) {
		case 0x66:
			p->opsize = true;
			break;
		case 0x67:
			p->adsize = true;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e:
		case 0x64: case 0x65: case 0xf2: case 0xf3:
			break;
		case 0xf0:
			return -EOPNOTSUPP;
		default:
			if (mode == KXEN_INSN_MODE64 && (b & 0xf0) == 0x40) {
				p->rex = b;
				continue;
			}
			*op = b;
			return 0;
		}
		p->rex = 0;
	}
}

/* Operand size: SDM Vol. 1 3.6 and Vol. 2A Table 2-4 (REX.W over 66). */
static u8 kxen_insn_opsize(enum kxen_insn_mode mode,
			   const struct kxen_insn_prefixes *p)
{
	if (mode == KXEN_INSN_MODE64 && (p->rex & KXEN_REX_W))
		return 8;
	if (mode == KXEN_INSN_MODE16)
		return p->opsize ? 4 : 2;
	return p->opsize ? 2 : 4;
}

static u8 kxen_insn_adsize(enum kxen_insn_mode mode,
			   const struct kxen_insn_prefixes *p)
{
	if (mode == KXEN_INSN_MODE64)
		return p->adsize ? 4 : 8;
	if (mode == KXEN_INSN_MODE32)
		return p->adsize ? 2 : 4;
	return p->adsize ? 4 : 2;
}

static int kxen_insn_skip(struct kxen_insn_cursor *c, unsigned int n)
{
	u64 ignored;

	return kxen_insn_imm(c, n, &ignored);
}

/*
 * ModRM with a memory operand, its SIB and displacement (SDM Vol. 2A
 * Tables 2-1 to 2-3); mod 3 names a register, which no MMIO exit has.
 */
static int kxen_insn_modrm(struct kxen_insn_cursor *c, u8 adsize, u8 *modrm)
{
	unsigned int mod, rm, disp = 0;
	int ret;
	u8 sib;

	ret = kxen_insn_byte(c, modrm);
	if (ret)
		return ret;
	mod = *modrm >> 6;
	rm = *modrm & 7;
	if (mod == 3)
		return -EOPNOTSUPP;
	if (adsize == 2) {
		if (mod == 1)
			disp = 1;
		else if (mod == 2 || rm == 6)
			disp = 2;
		return kxen_insn_skip(c, disp);
	}
	if (rm == 4) {
		ret = kxen_insn_byte(c, &sib);
		if (ret)
			return ret;
		if (mod == 0 && (sib & 7) == 5)
			disp = 4;
	}
	if (mod == 1)
		disp = 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		disp = 4;
	return kxen_insn_skip(c, disp);
}

/* The register of ModRM.reg, with AH..BH for byte registers sans REX. */
static void kxen_insn_set_reg(struct kxen_mmio_insn *in, u8 modrm, u8 rex,
			      u8 reg_size)
{
	in->reg = ((modrm >> 3) & 7) | (rex & KXEN_REX_R ? 8 : 0);
	in->reg_size = reg_size;
	if (reg_size == 1 && !rex && in->reg >= 4) {
		in->reg -= 4;
		in->high_byte = true;
	}
}

/* 0F A3 BT r/m, r; 0F BA /4 BT r/m, imm8: a read of operand size. */
static int kxen_insn_bt(struct kxen_insn_cursor *c, u8 op, u8 modrm,
			u8 osize, const struct kxen_insn_prefixes *p,
			struct kxen_mmio_insn *in)
{
	in->bt = true;
	in->size = osize;
	if (op == 0xa3) {
		kxen_insn_set_reg(in, modrm, p->rex, osize);
		return 0;
	}
	if (((modrm >> 3) & 7) != 4)
		return -EOPNOTSUPP;	/* BTS, BTR, BTC write */
	in->has_imm = true;
	return kxen_insn_imm(c, 1, &in->imm);
}

/*
 * 0F B6/B7 MOVZX, 0F BE/BF MOVSX: register of operand size, r/m 8/16;
 * 0F A3 and 0F BA: BT.
 */
static int kxen_insn_0f(struct kxen_insn_cursor *c, u8 osize, u8 asize,
			const struct kxen_insn_prefixes *p,
			struct kxen_mmio_insn *in)
{
	u8 op, modrm;
	int ret;

	ret = kxen_insn_byte(c, &op);
	if (ret)
		return ret;
	if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf &&
	    op != 0xa3 && op != 0xba)
		return -EOPNOTSUPP;
	ret = kxen_insn_modrm(c, asize, &modrm);
	if (ret)
		return ret;
	if (op == 0xa3 || op == 0xba)
		return kxen_insn_bt(c, op, modrm, osize, p, in);
	in->size = op & 1 ? 2 : 1;
	in->ext = op & 8 ? KXEN_INSN_EXT_SIGN : KXEN_INSN_EXT_ZERO;
	kxen_insn_set_reg(in, modrm, p->rex, osize);
	return 0;
}

/* 88/89 store, 8A/8B load, 63 MOVSXD (64-bit code), C6/C7 store imm. */
static int kxen_insn_modrm_op(struct kxen_insn_cursor *c, u8 op, u8 osize,
			      u8 asize, const struct kxen_insn_prefixes *p,
			      struct kxen_mmio_insn *in)
{
	int ret;
	u8 modrm;

	ret = kxen_insn_modrm(c, asize, &modrm);
	if (ret)
		return ret;
	if (op == 0x63) {
		/* MOVSXD r, r/m32; with 66 or without REX.W a plain MOV. */
		in->size = osize == 8 ? 4 : osize;
		in->ext = KXEN_INSN_EXT_SIGN;
		kxen_insn_set_reg(in, modrm, p->rex, osize);
		return 0;
	}
	in->size = op & 1 ? osize : 1;
	if (op == 0xc6 || op == 0xc7) {
		if ((modrm >> 3) & 7)
			return -EOPNOTSUPP;	/* only /0 is MOV */
		in->store = true;
		in->has_imm = true;
		in->reg_size = in->size;
		return kxen_insn_imm(c, in->size == 8 ? 4 : in->size,
				     &in->imm);
	}
	in->store = !(op & 2);
	kxen_insn_set_reg(in, modrm, p->rex, in->size);
	return 0;
}

int kxen_mmio_insn_decode(const u8 *buf, unsigned int avail,
			  enum kxen_insn_mode mode, struct kxen_mmio_insn *out)
{
	struct kxen_insn_cursor c = { .buf = buf, .avail = avail };
	struct kxen_insn_prefixes p = { 0 };
	struct kxen_mmio_insn in = { 0 };
	u8 op, osize, asize;
	int ret;

	if (mode != KXEN_INSN_MODE16 && mode != KXEN_INSN_MODE32 &&
	    mode != KXEN_INSN_MODE64)
		return -EINVAL;
	ret = kxen_insn_prefixes(&c, mode, &p, &op);
	if (ret)
		return ret;
	osize = kxen_insn_opsize(mode, &p);
	asize = kxen_insn_adsize(mode, &p);
	switch (op) {
	case 0x88: case 0x89: case 0x8a: case 0x8b: case 0xc6: case 0xc7:
		ret = kxen_insn_modrm_op(&c, op, osize, asize, &p, &in);
		break;
	case 0x63:
		if (mode != KXEN_INSN_MODE64)
			return -EOPNOTSUPP;	/* ARPL */
		ret = kxen_insn_modrm_op(&c, op, osize, asize, &p, &in);
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		/* AL/rAX to or from moffs, an address-sized offset. */
		in.size = op & 1 ? osize : 1;
		in.reg_size = in.size;
		in.store = op & 2;
		ret = kxen_insn_skip(&c, asize);
		break;
	case 0x0f:
		ret = kxen_insn_0f(&c, osize, asize, &p, &in);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (ret)
		return ret;
	in.len = c.pos;
	*out = in;
	return 0;
}

static u64 kxen_insn_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

u64 kxen_mmio_insn_store_value(const struct kxen_mmio_insn *in, u64 regval)
{
	if (in->has_imm)
		return in->imm & kxen_insn_mask(in->size);
	if (in->high_byte)
		regval >>= 8;
	return regval & kxen_insn_mask(in->size);
}

bool kxen_mmio_insn_bt_bit(const struct kxen_mmio_insn *in, u64 regval,
			   u64 data)
{
	unsigned int bit = (in->has_imm ? in->imm : regval) & (8 * in->size - 1);

	return (data >> bit) & 1;
}

u64 kxen_mmio_insn_load_result(const struct kxen_mmio_insn *in, u64 old,
			       u64 data)
{
	u64 v = data & kxen_insn_mask(in->size);

	if (in->ext == KXEN_INSN_EXT_SIGN && in->size < 8 &&
	    (v >> (8 * in->size - 1)) & 1)
		v |= ~kxen_insn_mask(in->size);
	switch (in->reg_size) {
	case 1:
		if (in->high_byte)
			return (old & ~0xff00ULL) | ((v & 0xff) << 8);
		return (old & ~0xffULL) | (v & 0xff);
	case 2:
		return (old & ~0xffffULL) | (v & 0xffff);
	case 4:
		return (u32)v;
	}
	return v;
}
