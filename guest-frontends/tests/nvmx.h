/* SPDX-License-Identifier: GPL-2.0 */
/* The nested guest nvmx.c runs (nvmx_l3.S): where each of its exits is. */
#ifndef NVMX_H
#define NVMX_H

#include <kg/lib.h>

extern const u8 l3_code[], l3_vmcall[], l3_cpuid[], l3_hlt[], l3_out[],
	l3_ud2[], l3_spin[];

#endif /* NVMX_H */
