// SPDX-License-Identifier: GPL-2.0
/*
 * hcall: the hypervisor's CPUID leaves, hypercall page and the hypercalls
 * every guest relies on first (xen_version, console_io, sched_op), each
 * compared with what Xen does.  Every check prints "PASS: ..." or
 * "FAIL: ..."; any FAIL makes the result FAILURE.
 *
 * References: Xen public arch-x86/cpuid.h (leaves), version.h (XENVER_*
 * and their return values), xen.h (CONSOLEIO_*, hypercall numbers),
 * errno.h.  Xen's HVM hypercall dispatcher returns -EPERM to callers at
 * CPL > 0 and -ENOSYS for numbers it does not implement.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <kg/traps.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/sched.h>
#include <xen/version.h>

KG_TEST_TITLE("hcall");

#define UNUSED_HYPERCALL	63	/* no __HYPERVISOR_* has this number */
#define BAD_XENVER_CMD		0x1000
#define BAD_SUBOP		99
#define NONCANONICAL_PTR	((void *)0x8000000000000000ul)

static bool is_errno(long rc, int xen_errno)
{
	return rc == -(long)xen_errno;
}

static void check_cpuid(void)
{
	struct kg_cpuid r;

	kg_check(kg_xen.base == XEN_CPUID_FIRST_LEAF,
		 "Xen signature at CPUID %#x (expected %#x)",
		 kg_xen.base, XEN_CPUID_FIRST_LEAF);
	kg_check(kg_xen.version != 0, "CPUID base+1 version %u.%u",
		 kg_xen.version >> 16, kg_xen.version & 0xffff);
	kg_check(kg_xen.hcall_pages == 1, "CPUID base+2: %u hypercall page(s)",
		 kg_xen.hcall_pages);
	kg_check(kg_xen.hcall_msr == 0x40000000,
		 "CPUID base+2: hypercall MSR %#x", kg_xen.hcall_msr);
	if (kg_check(kg_xen.max_leaf >= kg_xen.base + 4,
		     "CPUID base leaf reports max leaf %#x (need base+4)",
		     kg_xen.max_leaf)) {
		r = kg_cpuid(kg_xen.base + 4, 0);
		kg_printf("  base+4: eax %#x ebx %#x ecx %#x edx %#x\n",
			  r.eax, r.ebx, r.ecx, r.edx);
	}
}

/* Xen's stub: mov $nr,%eax; vmcall|vmmcall; ret (b8 nr32 0f 01 c1|d9 c3). */
static bool stub_ok(unsigned int nr, const u8 *p, bool *amd)
{
	u32 imm;

	memcpy(&imm, p + 1, sizeof(imm));
	if (p[0] != 0xb8 || imm != nr || p[5] != 0x0f || p[6] != 0x01 ||
	    (p[7] != 0xc1 && p[7] != 0xd9) || p[8] != 0xc3)
		return false;
	*amd = p[7] == 0xd9;
	return true;
}

static void check_hypercall_page(void)
{
	unsigned int nr, bad = 0, first_bad = 0;
	bool amd = false;

	for (nr = 0; nr < KG_HCALL_SLOTS; nr++) {
		const u8 *p = hypercall_page + nr * 32;

		/* Xen puts ud2 in the iret slot of HVM guests. */
		if (nr == __HYPERVISOR_iret && p[0] == 0x0f && p[1] == 0x0b)
			continue;
		if (!stub_ok(nr, p, &amd) && !bad++)
			first_bad = nr;
	}
	if (!kg_check(!bad, "hypercall page: %u/%u stubs well formed (%s)",
		      KG_HCALL_SLOTS - bad, KG_HCALL_SLOTS,
		      amd ? "vmmcall" : "vmcall")) {
		const u8 *p = hypercall_page + first_bad * 32;

		kg_printf("  slot %u: %02x %02x %02x %02x %02x %02x %02x %02x %02x\n",
			  first_bad, p[0], p[1], p[2], p[3], p[4], p[5], p[6],
			  p[7], p[8]);
	}
	kg_check(amd == kg_xen.amd, "stub instruction matches CPU vendor (%s)",
		 kg_xen.amd ? "AMD" : "Intel");
}

/* A string of at most len bytes came back NUL-terminated. */
static bool str_ok(long rc, const char *s, size_t len)
{
	return rc == 0 && strnlen(s, len) < len;
}

static void check_version_strings(void)
{
	static xen_extraversion_t extra;
	static xen_compile_info_t ci;
	static xen_capabilities_info_t caps;
	static xen_changeset_info_t cset;
	long rc;

	rc = kg_xen_version(XENVER_extraversion, extra);
	kg_check(str_ok(rc, extra, sizeof(extra)),
		 "XENVER_extraversion rc %ld \"%s\"", rc, rc ? "" : extra);
	rc = kg_xen_version(XENVER_compile_info, &ci);
	kg_check(str_ok(rc, ci.compiler, sizeof(ci.compiler)) &&
		 str_ok(rc, ci.compile_date, sizeof(ci.compile_date)),
		 "XENVER_compile_info rc %ld compiler \"%s\" date \"%s\"", rc,
		 rc ? "" : ci.compiler, rc ? "" : ci.compile_date);
	rc = kg_xen_version(XENVER_capabilities, caps);
	kg_check(str_ok(rc, caps, sizeof(caps)) &&
		 strstr(caps, "hvm-3.0-x86_64"),
		 "XENVER_capabilities rc %ld \"%s\" has hvm-3.0-x86_64", rc,
		 rc ? "" : caps);
	rc = kg_xen_version(XENVER_changeset, cset);
	kg_check(str_ok(rc, cset, sizeof(cset)),
		 "XENVER_changeset rc %ld \"%s\"", rc, rc ? "" : cset);
}

static void check_version_structs(void)
{
	static xen_platform_parameters_t pp = { .virt_start = 0x5a5a5a5a };
	static xen_feature_info_t fi;
	static xen_domain_handle_t handle;
	long rc;

	rc = kg_xen_version(XENVER_platform_parameters, &pp);
	kg_check(rc == 0 && pp.virt_start != 0x5a5a5a5a,
		 "XENVER_platform_parameters rc %ld virt_start %#lx", rc,
		 (unsigned long)pp.virt_start);
	fi.submap_idx = 0;
	rc = kg_xen_version(XENVER_get_features, &fi);
	kg_check(rc == 0, "XENVER_get_features(0) rc %ld submap %#x", rc,
		 fi.submap);
	fi.submap_idx = XENFEAT_NR_SUBMAPS;
	rc = kg_xen_version(XENVER_get_features, &fi);
	kg_check(is_errno(rc, XEN_EINVAL),
		 "XENVER_get_features(%u) rc %ld (want -EINVAL)",
		 XENFEAT_NR_SUBMAPS, rc);
	rc = kg_xen_version(XENVER_pagesize, NULL);
	kg_check(rc == 4096, "XENVER_pagesize rc %ld", rc);
	rc = kg_xen_version(XENVER_guest_handle, handle);
	kg_check(rc == 0, "XENVER_guest_handle rc %ld %02x%02x%02x%02x-...",
		 rc, handle[0], handle[1], handle[2], handle[3]);
}

/*
 * XENVER_commandline and XENVER_build_id are privileged in Xen (XSM
 * dummy policy): an unprivileged domain gets "" / "<denied>" or -EPERM.
 * build_id may also be -ENODATA when the hypervisor has none.
 */
static void check_version_privileged(void)
{
	static xen_commandline_t cmdline;
	static union {
		xen_build_id_t id;
		u8 raw[sizeof(xen_build_id_t) + 256];
	} bid = { .id.len = 256 };
	long rc;

	rc = kg_xen_version(XENVER_commandline, cmdline);
	kg_check(str_ok(rc, cmdline, sizeof(cmdline)) ||
		 is_errno(rc, XEN_EPERM),
		 "XENVER_commandline rc %ld (0 or -EPERM) \"%s\"", rc,
		 rc ? "" : cmdline);
	rc = kg_xen_version(XENVER_build_id, &bid);
	kg_check((rc > 0 && rc <= 256) || is_errno(rc, XEN_EPERM) ||
		 is_errno(rc, XEN_ENODATA),
		 "XENVER_build_id rc %ld (length, -EPERM or -ENODATA)", rc);
}

static void check_version(void)
{
	long rc, raw;

	rc = kg_xen_version(XENVER_version, NULL);
	kg_check(rc > 0 && (u32)rc == kg_xen.version,
		 "XENVER_version rc %#lx matches CPUID %#x", rc,
		 kg_xen.version);
	raw = kg_hcall_raw(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0,
			   0);
	kg_check(raw == rc, "raw %s xen_version rc %#lx == page rc %#lx",
		 kg_xen.amd ? "vmmcall" : "vmcall", raw, rc);
	check_version_strings();
	check_version_structs();
	check_version_privileged();
	rc = kg_xen_version(BAD_XENVER_CMD, NULL);
	kg_check(is_errno(rc, XEN_ENOSYS), "xen_version(%#x) rc %ld (-ENOSYS)",
		 BAD_XENVER_CMD, rc);
	rc = kg_xen_version(XENVER_extraversion, NULL);
	kg_check(is_errno(rc, XEN_EFAULT),
		 "XENVER_extraversion to NULL rc %ld (-EFAULT)", rc);
	rc = kg_xen_version(XENVER_capabilities, NONCANONICAL_PTR);
	kg_check(is_errno(rc, XEN_EFAULT),
		 "XENVER_capabilities to non-canonical rc %ld (-EFAULT)", rc);
}

/*
 * sysctl and domctl are the toolstack's: a domU gets Xen's answers, in
 * Xen's order: EFAULT for an unreadable struct, EACCES for another
 * interface version than 0x15 (Xen 4.17's; how XTF probes it), then
 * EPERM.  Both structs start with cmd and interface_version.
 */
static void check_toolstack_ops(void)
{
	static const unsigned int nrs[] = { 35, 36 };	/* sysctl, domctl */
	u32 op[32] = { 0 };
	unsigned int i;
	long rc, rc2, rc3;

	for (i = 0; i < 2; i++) {
		op[1] = 0x14;
		rc = kg_hcall(nrs[i], (unsigned long)op, 0, 0, 0, 0);
		op[1] = 0x15;
		rc2 = kg_hcall(nrs[i], (unsigned long)op, 0, 0, 0, 0);
		rc3 = kg_hcall(nrs[i], 0, 0, 0, 0, 0);
		kg_check(is_errno(rc, XEN_EACCES) && is_errno(rc2, XEN_EPERM) &&
			 is_errno(rc3, XEN_EFAULT),
			 "%s: version 0x14 rc %ld (-EACCES), 0x15 rc %ld (-EPERM), NULL rc %ld (-EFAULT)",
			 i ? "domctl" : "sysctl", rc, rc2, rc3);
	}
}

static void check_other_hypercalls(void)
{
	static const char msg[] = "console_io: hello via CONSOLEIO_write\n";
	long rc;

	rc = kg_hcall(UNUSED_HYPERCALL, 0, 0, 0, 0, 0);
	kg_check(is_errno(rc, XEN_ENOSYS), "hypercall %u rc %ld (-ENOSYS)",
		 UNUSED_HYPERCALL, rc);
	rc = kg_hcall_raw(1000, 0, 0, 0, 0, 0);
	kg_check(is_errno(rc, XEN_ENOSYS), "raw hypercall 1000 rc %ld (-ENOSYS)",
		 rc);
	rc = kg_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg);
	kg_check(rc == 0, "CONSOLEIO_write rc %ld", rc);
	rc = kg_console_io(CONSOLEIO_write, 16, NULL);
	kg_check(is_errno(rc, XEN_EFAULT),
		 "CONSOLEIO_write from NULL rc %ld (-EFAULT)", rc);
	rc = kg_console_io(BAD_SUBOP, 0, NULL);
	kg_check(is_errno(rc, XEN_ENOSYS), "console_io(%d) rc %ld (-ENOSYS)",
		 BAD_SUBOP, rc);
	rc = kg_sched_op(SCHEDOP_yield, NULL);
	kg_check(rc == 0, "SCHEDOP_yield rc %ld", rc);
	rc = kg_sched_op(BAD_SUBOP, NULL);
	kg_check(is_errno(rc, XEN_ENOSYS), "sched_op(%d) rc %ld (-ENOSYS)",
		 BAD_SUBOP, rc);
	check_toolstack_ops();
}

static u8 user_stack[8192] __aligned(16);

static long user_version_page(void)
{
	return kg_xen_version(XENVER_version, NULL);
}

static long user_version_raw(void)
{
	return kg_hcall_raw(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0,
			    0);
}

static long user_cs(void)
{
	unsigned long cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	return (long)cs;
}

/* Needs no hypervisor: runs before the Xen check, so QEMU exercises it. */
static bool check_ring3_works(void)
{
	long rc = kg_usermode_call(user_cs, user_stack + sizeof(user_stack));

	return kg_check(rc == KG_USER_CS, "ring-3 code runs with cs %#lx", rc);
}

static void check_user_mode(void)
{
	void *top = user_stack + sizeof(user_stack);
	long rc;

	rc = kg_usermode_call(user_version_page, top);
	kg_check(is_errno(rc, XEN_EPERM),
		 "xen_version via page from CPL 3 rc %ld (-EPERM)", rc);
	rc = kg_usermode_call(user_version_raw, top);
	kg_check(is_errno(rc, XEN_EPERM),
		 "xen_version via raw %s from CPL 3 rc %ld (-EPERM)",
		 kg_xen.amd ? "vmmcall" : "vmcall", rc);
}

void test_main(void)
{
	bool ring3 = check_ring3_works();

	kg_require_xen();
	check_cpuid();
	check_hypercall_page();
	check_version();
	check_other_hypercalls();
	if (ring3)
		check_user_mode();
	kg_success(NULL);
}
