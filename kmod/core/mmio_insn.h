/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of the instructions a guest touches MMIO with: the MOV forms
 * (SDM Vol. 2B "MOV", "MOVZX", "MOVSX") and BT, which only reads (SDM
 * Vol. 2A "BT"; XTF's xsa-195 aims one at a frame given back), in 16-,
 * 32- and 64-bit code,
 * with legacy prefixes and REX (SDM Vol. 2A ch. 2).  Plain C for the
 * kernel and for the userspace unit tests and fuzzer: the caller fetches
 * the bytes, this says what the instruction does with them.  The memory
 * address is never computed (the exit gives the guest-physical one); the
 * ModRM/SIB/displacement bytes are only walked over for the length.
 */
#ifndef KXEN_CORE_MMIO_INSN_H
#define KXEN_CORE_MMIO_INSN_H

#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#endif
#include "plain_types.h"

#define KXEN_INSN_MAX_LEN	15	/* SDM Vol. 2A 2.1 */

/* The default operand/address size of the code: CS.L, CS.D (bytes). */
enum kxen_insn_mode {
	KXEN_INSN_MODE16 = 2,
	KXEN_INSN_MODE32 = 4,
	KXEN_INSN_MODE64 = 8,
};

enum kxen_insn_ext {
	KXEN_INSN_EXT_NONE,	/* MOV: register as wide as the access */
	KXEN_INSN_EXT_ZERO,	/* MOVZX */
	KXEN_INSN_EXT_SIGN,	/* MOVSX */
};

/* One decoded memory access. */
struct kxen_mmio_insn {
	u8 len;		/* bytes of the whole instruction */
	u8 size;	/* bytes read or written in memory: 1, 2, 4 or 8 */
	u8 reg_size;	/* bytes of the register written by a load */
	u8 reg;		/* GPR number (SDM Vol. 2A Table 2-2) */
	bool high_byte;	/* AH, CH, DH or BH: bits 15:8 of GPR @reg */
	bool store;	/* memory is written */
	bool has_imm;	/* a store of @imm rather than of a register */
	bool bt;	/* BT: CF gets a bit of the operand, no register */
	u8 ext;		/* enum kxen_insn_ext, for loads */
	u64 imm;	/* already sign-extended to @size; BT's bit offset */
};

/*
 * Decode @buf, of which @avail bytes were fetched, as code of @mode.
 * 0 and *@out on success; -ENODATA if the instruction runs past @avail
 * (never read), -EOPNOTSUPP for anything but a MOV to or from memory.
 */
int kxen_mmio_insn_decode(const u8 *buf, unsigned int avail,
			  enum kxen_insn_mode mode, struct kxen_mmio_insn *out);

/* The value a store writes, from the source register's value @regval. */
u64 kxen_mmio_insn_store_value(const struct kxen_mmio_insn *in, u64 regval);

/*
 * The register's new value after a load of @data (the access's @size
 * low bytes count): 8- and 16-bit destinations merge into @old, 32-bit
 * ones zero-extend to 64 bits (SDM Vol. 1 3.4.1.1).
 */
u64 kxen_mmio_insn_load_result(const struct kxen_mmio_insn *in, u64 old,
			       u64 data);

/*
 * BT's result, the new CF: the bit of @data that the bit offset (@imm,
 * or the value @regval of register @reg) names within the operand.
 * The CPU has already moved the access to the operand that holds it.
 */
bool kxen_mmio_insn_bt_bit(const struct kxen_mmio_insn *in, u64 regval,
			   u64 data);

#endif /* KXEN_CORE_MMIO_INSN_H */
