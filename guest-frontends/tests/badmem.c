// SPDX-License-Identifier: GPL-2.0
/*
 * badmem: reads, writes, then executes a guest-physical address far
 * beyond the domain's RAM (default 0x700000000, 28 GiB; "addr=GPA" on
 * the command line overrides it).  The guest maps it into its own page
 * tables first, so each access reaches the hypervisor as an EPT/NPT
 * violation on a GPA with no backing.  As Xen 4.17 does with no device
 * model, the read returns all ones and the write is dropped (the mmio
 * guest checks those in detail); an instruction fetch from there cannot
 * be completed, and kxen crashes the domain.
 *
 * Under kxen the expected console output ends with the "jumping" line
 * and the domain is then crashed; any "Test result" line means it
 * survived the fetch (or a read was wrong: FAILURE).
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>
#include <kg/pagetable.h>
#include <kg/report.h>

KG_TEST_TITLE("badmem");

#define DEFAULT_BAD_GPA	0x700000000ul
#define FOUR_GIB	0x100000000ul

static bool in_ram(u64 gpa)
{
	const struct hvm_memmap_table_entry *e;
	unsigned int i, nr;

	e = kg_memmap(&nr);
	for (i = 0; i < nr; i++)
		if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
		    gpa >= e[i].addr && gpa - e[i].addr < e[i].size)
			return true;
	return false;
}

static bool usable_gpa(u64 gpa)
{
	unsigned int phys_bits = 36;

	/* CPUID 0x80000008 EAX[7:0]: physical address width (SDM Vol. 2A). */
	if (kg_cpuid(0x80000000, 0).eax >= 0x80000008)
		phys_bits = kg_cpuid(0x80000008, 0).eax & 0xff;
	if (gpa >> phys_bits) {
		kg_error("addr %#lx is beyond MAXPHYADDR (%u bits)\n",
			 (unsigned long)gpa, phys_bits);
		return false;
	}
	if (in_ram(gpa)) {
		kg_error("addr %#lx is RAM in the memory map\n",
			 (unsigned long)gpa);
		return false;
	}
	if (gpa >= FOUR_GIB && !kg_map_page(gpa, gpa)) {
		kg_error("cannot map addr %#lx\n", (unsigned long)gpa);
		return false;
	}
	return true;
}

void test_main(void)
{
	u64 gpa = kg_cmdline_ulong("addr", DEFAULT_BAD_GPA) & ~0xfffull;
	/* kg_readq/kg_writeq: the accesses themselves are the test. */
	u64 *p = (u64 *)(uintptr_t)gpa;
	u64 v;

	kg_require_xen();
	if (!usable_gpa(gpa))
		return;
	kg_printf("badmem: reading GPA %#lx (not RAM)\n", (unsigned long)gpa);
	v = kg_readq(p);
	kg_printf("badmem: read returned %#lx; now writing GPA %#lx\n",
		  (unsigned long)v, (unsigned long)gpa);
	kg_writeq(p, 0x6b78656e6b78656eull);
	if (kg_readq(p) != ~0ull || v != ~0ull)
		kg_failure("reads of GPA %#lx: %#lx, then %#lx (want all ones)\n",
			   (unsigned long)gpa, (unsigned long)v,
			   (unsigned long)kg_readq(p));
	kg_printf("badmem: jumping to GPA %#lx; the hypervisor must crash this domain now\n",
		  (unsigned long)gpa);
	((void (*)(void))(uintptr_t)gpa)();
	kg_failure("domain survived executing GPA %#lx\n", (unsigned long)gpa);
}
