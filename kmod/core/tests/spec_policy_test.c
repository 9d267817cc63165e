// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the speculation mitigation choice (kmod/core/spec_policy.c):
 * for each host setting, the mitigations kxen reports and the L1D flush
 * mode, per vendor, as the kernel's bits and l1tf= mode ask.
 */
#include <stdio.h>
#include <string.h>

#include "../spec_policy.h"
#include "tap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct kxen_spec_out choose(const struct kxen_spec_in *in)
{
	struct kxen_spec_out out;

	memset(&out, 0xa5, sizeof(out));
	kxen_spec_choose(in, &out);
	return out;
}

static void test_nothing(void)
{
	struct kxen_spec_in in = { .vmx = true };
	struct kxen_spec_out o = choose(&in);

	CHECK(o.mit == 0, "vmx: no bits, no mitigation");
	CHECK(o.l1d == KXEN_L1D_NOT_AFFECTED, "vmx: no L1TF, no flush");
	in.vmx = false;
	o = choose(&in);
	CHECK(o.mit == 0 && o.l1d == KXEN_L1D_NOT_VMX, "svm: nothing");
}

static void test_rsb(void)
{
	struct kxen_spec_in in = { .vmx = true, .rsb_vmexit = true };

	CHECK(choose(&in).mit == KXEN_MIT_RSB_VMEXIT, "vmx: RSB_VMEXIT fills");
	in.rsb_vmexit_lite = true;
	CHECK(choose(&in).mit == KXEN_MIT_RSB_VMEXIT,
	      "vmx: full fill wins over the lite one");
	in.rsb_vmexit = false;
	CHECK(choose(&in).mit == KXEN_MIT_RSB_VMEXIT_LITE,
	      "vmx: RSB_VMEXIT_LITE alone: one CALL");
	in.vmx = false;
	CHECK(choose(&in).mit == 0, "svm: the lite bit is not used");
	in.rsb_vmexit = true;
	CHECK(choose(&in).mit == KXEN_MIT_RSB_VMEXIT, "svm: RSB_VMEXIT fills");
}

static void test_verw(void)
{
	struct kxen_spec_in in = { .vmx = true, .clear_cpu_buf = true };

	CHECK(choose(&in).mit == KXEN_MIT_VERW, "vmx: CLEAR_CPU_BUF: verw");
	in.clear_cpu_buf = false;
	in.clear_cpu_buf_vm = true;
	CHECK(choose(&in).mit == 0, "vmx: CLEAR_CPU_BUF_VM alone: none");
	in.vmx = false;
	CHECK(choose(&in).mit == KXEN_MIT_VERW, "svm: CLEAR_CPU_BUF_VM: verw");
	in.clear_cpu_buf_vm = false;
	in.clear_cpu_buf = true;
	CHECK(choose(&in).mit == 0, "svm: CLEAR_CPU_BUF alone: none");
}

static void test_ibpb(void)
{
	struct kxen_spec_in in = { .vmx = true, .use_ibpb = true };
	int vmx;

	for (vmx = 0; vmx < 2; vmx++) {
		in.vmx = vmx;
		in.ibpb_on_vmexit = false;
		CHECK(choose(&in).mit == KXEN_MIT_IBPB,
		      "%s: USE_IBPB: ibpb between domains", vmx ? "vmx" : "svm");
		in.ibpb_on_vmexit = true;
		CHECK(choose(&in).mit == KXEN_MIT_IBPB_VMEXIT,
		      "%s: IBPB_ON_VMEXIT: on each exit, none between domains",
		      vmx ? "vmx" : "svm");
	}
	in.use_ibpb = false;
	in.ibpb_on_vmexit = false;
	CHECK(choose(&in).mit == 0, "no USE_IBPB: no ibpb");
}

static void test_l1d(void)
{
	struct kxen_spec_in in = {
		.vmx = true, .bug_l1tf = true, .flush_l1d = true,
		.l1tf = KXEN_SPEC_L1TF_FLUSH,
	};
	struct kxen_spec_out o = choose(&in);

	CHECK(o.l1d == KXEN_L1D_COND && o.mit == KXEN_MIT_L1D_FLUSH,
	      "l1tf=flush: conditional flushes");
	in.l1tf = KXEN_SPEC_L1TF_FULL;
	o = choose(&in);
	CHECK(o.l1d == KXEN_L1D_ALWAYS && o.mit == KXEN_MIT_L1D_FLUSH,
	      "l1tf=full: flush every entry");
	in.l1tf = KXEN_SPEC_L1TF_OFF;
	o = choose(&in);
	CHECK(o.l1d == KXEN_L1D_NEVER && o.mit == 0, "l1tf=off: none");
	in.l1tf = KXEN_SPEC_L1TF_FLUSH;
	in.skip_l1dflush = true;
	o = choose(&in);
	CHECK(o.l1d == KXEN_L1D_NOT_AFFECTED && o.mit == 0,
	      "SKIP_L1DFL_VMENTRY: not needed");
	in.skip_l1dflush = false;
	in.flush_l1d = false;
	o = choose(&in);
	CHECK(o.l1d == KXEN_L1D_NO_MSR && o.mit == 0,
	      "no IA32_FLUSH_CMD: skipped, not reported");
	in.flush_l1d = true;
	in.bug_l1tf = false;
	o = choose(&in);
	CHECK(o.l1d == KXEN_L1D_NOT_AFFECTED && o.mit == 0,
	      "not affected: no flush");
	in.bug_l1tf = true;
	in.vmx = false;
	o = choose(&in);
	CHECK(o.l1d == KXEN_L1D_NOT_VMX && o.mit == 0, "svm: never flushes");
}

static void test_all(void)
{
	struct kxen_spec_in in = {
		.vmx = true, .rsb_vmexit = true, .clear_cpu_buf = true,
		.use_ibpb = true, .bug_l1tf = true, .flush_l1d = true,
		.l1tf = KXEN_SPEC_L1TF_FLUSH,
	};
	static const char *const names[] = KXEN_MIT_NAMES;
	unsigned int i;

	CHECK(choose(&in).mit == (KXEN_MIT_RSB_VMEXIT | KXEN_MIT_VERW |
				  KXEN_MIT_IBPB | KXEN_MIT_L1D_FLUSH),
	      "vmx: an affected CPU with retpolines gets all four");
	CHECK(ARRAY_SIZE(names) == 6 &&
	      KXEN_MIT_ALL == (1ULL << 6) - 1, "one name per KXEN_MIT_ bit");
	for (i = 0; i < 6; i++)
		CHECK(names[i] && strlen(names[i]) && !strchr(names[i], ' '),
		      "name %u is one word: %s", i, names[i]);
	CHECK(strcmp(names[0], "rsb_vmexit") == 0 &&
	      strcmp(names[2], "verw") == 0 &&
	      strcmp(names[3], "l1d_flush") == 0 &&
	      strcmp(names[4], "ibpb") == 0, "names match their bits");
}

int main(void)
{
	test_nothing();
	test_rsb();
	test_verw();
	test_ibpb();
	test_l1d();
	test_all();
	return tap_done();
}
