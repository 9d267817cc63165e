/* SPDX-License-Identifier: GPL-2.0 */
/* The nested guests nsvm.c runs (nsvm_l3.S), and what they write. */
#ifndef NSVM_H
#define NSVM_H

#include <kg/lib.h>

extern const u8 l3_vmmcall[], l3_vmmcall_at[], l3_cpuid[], l3_io[],
	l3_io_at[], l3_io_next[], l3_msr[], l3_msr_at[], l3_ud[], l3_hlt[],
	l3_marker[], l3_inert[];
extern u32 l3_out;

#endif /* NSVM_H */
