// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the MMIO instruction decoder: any bytes a guest
 * can put at its RIP, in any code mode.  The bytes sit in a heap block
 * of exactly their size, so a read past them is caught (ASan).  What is
 * accepted is a whole instruction within what was fetched and within 15
 * bytes, of a width and register that exist (BT: no register written); it decodes the same from
 * exactly its own bytes, and not at all from fewer.
 */
#include <stdlib.h>
#include <string.h>

#include "../mmio_insn.h"

static const enum kxen_insn_mode modes[] = {
	KXEN_INSN_MODE16, KXEN_INSN_MODE32, KXEN_INSN_MODE64,
};

static void check(const struct kxen_mmio_insn *in, unsigned int avail)
{
	if (!in->len || in->len > avail || in->len > KXEN_INSN_MAX_LEN)
		abort();
	if (in->size != 1 && in->size != 2 && in->size != 4 && in->size != 8)
		abort();
	/* BT reads, writes no register; its offset is a register or imm8. */
	if (in->bt) {
		if (in->store || in->ext || in->high_byte || in->size == 1 ||
		    (!in->has_imm && (in->reg >= 16 || in->reg_size != in->size)))
			abort();
		return;
	}
	if (in->reg_size < in->size || in->reg >= 16 ||
	    (in->high_byte && (in->reg >= 4 || in->reg_size != 1)) ||
	    (in->store && in->ext) || (in->has_imm && !in->store))
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct kxen_mmio_insn in, again;
	enum kxen_insn_mode mode;
	unsigned int n;
	u8 *buf;

	if (!size)
		return 0;
	mode = modes[data[0] % 3];
	n = size - 1;
	buf = malloc(n ? n : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, n);
	if (kxen_mmio_insn_decode(buf, n, mode, &in) == 0) {
		check(&in, n);
		if (kxen_mmio_insn_decode(buf, in.len, mode, &again) ||
		    memcmp(&in, &again, sizeof(in)))
			abort();
		if (in.len > 1 &&
		    kxen_mmio_insn_decode(buf, in.len - 1, mode, &again) !=
		    -ENODATA)
			abort();
		kxen_mmio_insn_load_result(&in, ~0ULL, ~0ULL);
		kxen_mmio_insn_store_value(&in, ~0ULL);
		kxen_mmio_insn_bt_bit(&in, ~0ULL, ~0ULL);
	}
	free(buf);
	return 0;
}
