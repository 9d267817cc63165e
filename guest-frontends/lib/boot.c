// SPDX-License-Identifier: GPL-2.0
/*
 * C start of day: traps, Xen detection, start_info checks, then the test.
 * struct hvm_start_info and its magic come from Xen public
 * arch-x86/hvm/start_info.h; memmap fields exist from version 1 on.
 */
#include <kg/asm.h>
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/hypercall.h>
#include <kg/pagetable.h>
#include <kg/report.h>
#include <kg/traps.h>

#define CMDLINE_MAX	1024
#define MEMMAP_MAX	64
#define FOUR_GIB	0x100000000ull

/*
 * Copies of what the loader handed over: it may place start_info, the
 * memory map or the command line in page 0 (QEMU's PVH ROM does), and
 * page 0 is unmapped once they are copied, so NULL dereferences fault.
 */
static struct hvm_start_info start_info_copy;
static struct hvm_memmap_table_entry memmap_copy[MEMMAP_MAX];
static char cmdline_buf[CMDLINE_MAX];
static u32 start_info_pa;

const struct hvm_start_info *kg_start_info = &start_info_copy;
const char *kg_cmdline = cmdline_buf;

/* Everything below 4 GiB is identity mapped (head.S). */
static const void *phys_ptr(u64 pa, u64 len)
{
	if (!pa || pa >= FOUR_GIB || len > FOUR_GIB - pa)
		return NULL;
	return (const void *)(uintptr_t)pa;
}

static bool copy_start_info(u32 pa)
{
	const struct hvm_start_info *si = phys_ptr(pa, sizeof(*si));
	const struct hvm_memmap_table_entry *e;
	const char *cmdline;

	if (!si) {
		kg_error("start_info address %#x is not usable\n", pa);
		return false;
	}
	if (si->magic != XEN_HVM_START_MAGIC_VALUE) {
		kg_error("start_info magic %#x, expected %#x\n",
			 si->magic, XEN_HVM_START_MAGIC_VALUE);
		return false;
	}
	start_info_copy = *si;
	cmdline = phys_ptr(si->cmdline_paddr, 1);
	if (cmdline)
		memcpy(cmdline_buf, cmdline, strnlen(cmdline, CMDLINE_MAX - 1));
	else if (si->cmdline_paddr)
		kg_printf("start_info: cmdline at %#llx is not usable\n",
			  (unsigned long long)si->cmdline_paddr);
	if (si->version < 1)
		return true;
	if (si->memmap_entries > MEMMAP_MAX)
		start_info_copy.memmap_entries = MEMMAP_MAX;
	e = phys_ptr(si->memmap_paddr, start_info_copy.memmap_entries *
		     sizeof(*e));
	if (e)
		memcpy(memmap_copy, e, start_info_copy.memmap_entries *
		       sizeof(*e));
	else
		start_info_copy.memmap_entries = 0;
	return true;
}

void kg_main(u32 pa)
{
	bool ok;

	start_info_pa = pa;
	kg_traps_init();
	kg_printf("--- kxen test guest: %s ---\n", kg_test_title);
	kg_xen_init();
	ok = copy_start_info(pa);
	kg_unmap_page(0);
	if (ok)
		test_main();
	kg_exit();
}

unsigned long kg_cmdline_ulong(const char *key, unsigned long def)
{
	size_t klen = strlen(key);
	const char *p = kg_cmdline, *end;
	unsigned long v;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == '=' &&
		    kg_parse_ulong(p + klen + 1, &v, &end) &&
		    (*end == ' ' || !*end))
			return v;
		while (*p && *p != ' ')
			p++;
	}
	return def;
}

static const char *memmap_type(u32 type)
{
	static const char *const names[] = {
		[XEN_HVM_MEMMAP_TYPE_RAM] = "RAM",
		[XEN_HVM_MEMMAP_TYPE_RESERVED] = "reserved",
		[XEN_HVM_MEMMAP_TYPE_ACPI] = "ACPI",
		[XEN_HVM_MEMMAP_TYPE_NVS] = "NVS",
		[XEN_HVM_MEMMAP_TYPE_UNUSABLE] = "unusable",
		[XEN_HVM_MEMMAP_TYPE_DISABLED] = "disabled",
		[XEN_HVM_MEMMAP_TYPE_PMEM] = "PMEM",
	};

	if (type < ARRAY_SIZE(names) && names[type])
		return names[type];
	return "unknown";
}

static void dump_memmap(const struct hvm_start_info *si)
{
	u32 i;

	kg_printf("start_info: memmap %u entries at %#llx\n",
		  si->memmap_entries, (unsigned long long)si->memmap_paddr);
	for (i = 0; i < si->memmap_entries; i++)
		kg_printf("  memmap[%u]: %#llx-%#llx %s\n", i,
			  (unsigned long long)memmap_copy[i].addr,
			  (unsigned long long)(memmap_copy[i].addr +
					       memmap_copy[i].size - 1),
			  memmap_type(memmap_copy[i].type));
}

const struct hvm_memmap_table_entry *kg_memmap(unsigned int *nr)
{
	*nr = start_info_copy.memmap_entries;
	return memmap_copy;
}

const struct hvm_memmap_table_entry *kg_memmap_ram_at(u64 addr)
{
	const struct hvm_memmap_table_entry *e = memmap_copy;
	unsigned int i;

	for (i = 0; i < start_info_copy.memmap_entries; i++, e++)
		if (e->type == XEN_HVM_MEMMAP_TYPE_RAM && addr >= e->addr &&
		    addr - e->addr < e->size)
			return e;
	return NULL;
}

void kg_dump_start_info(void)
{
	const struct hvm_start_info *si = kg_start_info;

	kg_printf("start_info: at %#x magic %#x (ok) version %u flags %#x\n",
		  start_info_pa, si->magic, si->version, si->flags);
	kg_printf("start_info: nr_modules %u modlist %#llx rsdp %#llx\n",
		  si->nr_modules, (unsigned long long)si->modlist_paddr,
		  (unsigned long long)si->rsdp_paddr);
	kg_printf("start_info: cmdline \"%s\"\n", kg_cmdline);
	if (si->version >= 1)
		dump_memmap(si);
}
