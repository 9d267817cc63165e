/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PVH start of day: struct hvm_start_info (Xen public
 * arch-x86/hvm/start_info.h) and the command line in it, plus the test's
 * own entry points that each guest defines.
 */
#ifndef KG_BOOT_H
#define KG_BOOT_H

#include <kg/lib.h>
#include <xen/arch-x86/hvm/start_info.h>

/* A copy of the loader's start_info (page 0 is unmapped after boot). */
extern const struct hvm_start_info *kg_start_info;

/* Copy of the memory map (at most 64 entries); *nr gets the count. */
const struct hvm_memmap_table_entry *kg_memmap(unsigned int *nr);

/* The RAM entry of the memory map holding @addr, or NULL. */
const struct hvm_memmap_table_entry *kg_memmap_ram_at(u64 addr);

/* Command line from start_info ("" if none), copied at boot. */
extern const char *kg_cmdline;

/* Value of "key=N" on the command line, or def if absent or malformed. */
unsigned long kg_cmdline_ulong(const char *key, unsigned long def);

/* Prints magic, version, flags, modules, cmdline, RSDP and memory map. */
void kg_dump_start_info(void);

/* Defined by each test guest: its name, and its body. */
extern const char kg_test_title[];
#define KG_TEST_TITLE(name)	const char kg_test_title[] = name
void test_main(void);

#endif /* KG_BOOT_H */
