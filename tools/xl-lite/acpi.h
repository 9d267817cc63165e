/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI tables a PVH guest finds through hvm_start_info.rsdp_paddr,
 * as Xen's toolstack builds them (tools/libs/light/libxl_x86_acpi.c):
 * RSDP -> XSDT -> { FADT -> DSDT, MADT }.  Table layouts from the ACPI
 * 5.0 specification, chapter 5.2; the FADT is hardware-reduced (5.2.9,
 * HW_REDUCED_ACPI), so there is no FACS and no PM register block.
 */
#ifndef XL_LITE_ACPI_H
#define XL_LITE_ACPI_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define ACPI_OEM_ID		"KXEN  "	/* 6 bytes */
#define ACPI_OEM_TABLE_ID	"KXENPVH "	/* 8 bytes */
#define ACPI_LAPIC_BASE		0xfee00000U	/* SDM vol. 3A 10.4.1 */

/* Per vCPU, as libxl's acpi_lapic_id() and kxen's CPUID leaf 1 */
#define ACPI_APIC_ID(vcpu)	((vcpu) * 2)

/* 5.2.5.3 Root System Description Pointer, revision 2 */
struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;		/* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;		/* 2: ACPI 2.0 and later */
	uint32_t rsdt_address;
	uint32_t length;		/* 36 */
	uint64_t xsdt_address;
	uint8_t extended_checksum;	/* over all 36 bytes */
	uint8_t reserved[3];
} __attribute__((packed));

/* 5.2.6 System Description Table Header */
struct acpi_header {
	char signature[4];
	uint32_t length;		/* the whole table */
	uint8_t revision;
	uint8_t checksum;		/* the whole table sums to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));

/* 5.2.3.2 Generic Address Structure */
struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));

/* 5.2.9 Fixed ACPI Description Table, revision 5 */
struct acpi_fadt {
	struct acpi_header h;
	uint32_t firmware_ctrl;		/* FACS; none when hardware-reduced */
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	uint32_t pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint8_t reserved2[3];
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk, x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk, x_gpe1_blk;
	struct acpi_gas sleep_control_reg, sleep_status_reg;
} __attribute__((packed));

#define ACPI_FADT_REVISION		5
#define ACPI_FADT_RESET_REG_SUP		BIT(10)		/* Table 5-35 */
#define ACPI_FADT_HW_REDUCED_ACPI	BIT(20)
#define ACPI_GAS_SYSTEM_IO		1		/* Table 5-25 */
#define ACPI_GAS_ACCESS_BYTE		1
#define ACPI_FADT_NO_VGA		BIT(2)		/* Table 5-36 */
#define ACPI_FADT_NO_CMOS_RTC		BIT(5)

/* 5.2.12 Multiple APIC Description Table */
struct acpi_madt {
	struct acpi_header h;
	uint32_t lapic_address;
	uint32_t flags;			/* bit 0 PCAT_COMPAT: 8259s present */
} __attribute__((packed));

/* 5.2.12.2 Processor Local APIC Structure */
struct acpi_madt_lapic {
	uint8_t type;			/* 0 */
	uint8_t length;			/* 8 */
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;			/* bit 0: enabled */
} __attribute__((packed));

#define ACPI_MADT_REVISION		3
#define ACPI_MADT_LAPIC			0
#define ACPI_MADT_LAPIC_ENABLED		1

/* Where the tables of one guest go (guest-physical addresses). */
struct acpi_tables {
	unsigned int vcpus;		/* MADT entries and DSDT processors */
	unsigned int enabled;		/* the first ones, enabled at boot */
	uint64_t base, size;		/* the tables' region */
	uint64_t rsdp, xsdt, fadt, madt, dsdt;
	size_t dsdt_aml;		/* bytes of AML after its header */
	uint64_t rsdp_low;		/* the RSDP's copy in the BIOS area */
};

/* Bytes the tables take for @vcpus vCPUs (RSDP included). */
uint64_t acpi_tables_size(unsigned int vcpus);

/*
 * The DSDT's AML (after its header) for @vcpus processors, into @buf
 * (@cap bytes; NULL to only count).  Returns its length, 0 if it does
 * not fit.
 */
size_t acpi_dsdt_aml(unsigned char *buf, size_t cap, unsigned int vcpus);

/*
 * Place the tables for @vcpus from @base (16-byte aligned) up, the RSDP
 * first, and the RSDP's copy at @rsdp_low.  All @vcpus are enabled in
 * the MADT until the caller lowers t->enabled (maxvcpus above vcpus).
 */
void acpi_plan(struct acpi_tables *t, uint64_t base, unsigned int vcpus,
	       uint64_t rsdp_low);

/* Write the planned tables into @ram (guest-physical 0 at ram[0]). */
void acpi_write(const struct acpi_tables *t, unsigned char *ram);

/* Sum of @len bytes (0 for a table with a right checksum). */
uint8_t acpi_sum(const void *p, uint64_t len);

#endif /* XL_LITE_ACPI_H */
