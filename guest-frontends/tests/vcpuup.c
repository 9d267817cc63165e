// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuup: bringing more vCPUs up and down with VCPUOP_initialise,
 * VCPUOP_up, VCPUOP_down and VCPUOP_is_up (xen/vcpu.h), the context an
 * HVM/PVH guest passes being a struct vcpu_hvm_context
 * (xen/hvm/hvm_vcpu.h).  Needs three vCPUs; with fewer it reports SKIP.
 *
 * - vCPU 1 is down before anything is done; VCPUOP_up of it is -EINVAL
 *   while it has no state.
 * - VCPUOP_initialise: an unknown mode, a 64-bit context without
 *   paging, a non-canonical RIP, a non-zero pad are -EINVAL; an
 *   unreadable context is -EFAULT; vCPU 0 (already running) is -EEXIST;
 *   vCPU 99 is -ENOENT (so are up and down of it).
 * - A good 64-bit context (our CR0/CR3/CR4/EFER, RIP at a function that
 *   counts in a loop, its own stack) is 0; the vCPU stays down (is_up 0,
 *   the counter does not move) until VCPUOP_up; a second initialise is
 *   -EEXIST.  After VCPUOP_up is_up is 1 and the counter moves;
 *   after VCPUOP_down is_up is 0 and the counter stops (once the vCPU
 *   has left the time slice it was in); up again, it moves again.
 * - vCPU 2 in 32-bit mode (VCPU_HVM_MODE_32B, flat segments, paging
 *   off): a null CS, a read-only SS, a TR that is not a TSS, EIP past
 *   the CS limit, a non-zero pad are -EINVAL (Xen's check_segment() and
 *   sanity checks); a good one runs a 32-bit loop that counts.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/hvm/hvm_vcpu.h>

KG_TEST_TITLE("vcpuup");

#define AP		1
#define AP32		2
#define NO_SUCH_VCPU	99
#define SPIN_LIMIT	20000000UL	/* polls of the counter, with yields */
#define QUIET_POLLS	200000UL	/* a stopped vCPU stays so this long */
#define SETTLE_ROUNDS	20

static u64 ap_counter;		/* vCPU 1 counts here */
static u8 ap_stack[KG_STACK_SIZE] __aligned(16);

/*
 * vCPU 2's code: 32-bit, flat, paging off; counts ap32_counter.  It sits
 * in this function, which jumps over it and returns its address.
 */
static u32 ap32_counter;

static u32 ap32_entry(void)
{
	u64 entry;

	asm volatile("lea 1f(%%rip), %0\n\t"
		     "jmp 2f\n\t"
		     ".code32\n"
		     "1:\tlock incl %c1\n\t"
		     "pause\n\t"
		     "jmp 1b\n\t"
		     ".code64\n"
		     "2:"
		     : "=r"(entry) : "i"(&ap32_counter) : "memory");
	return (u32)entry;
}

static void __noreturn ap_main(void)
{
	for (;;) {
		WRITE_ONCE(ap_counter, ap_counter + 1);
		kg_cpu_relax();
	}
}

static unsigned long read_cr(int n)
{
	unsigned long v = 0;

	switch (n) {
	case 0:
		asm volatile("mov %%cr0, %0" : "=r"(v));
		break;
	case 3:
		asm volatile("mov %%cr3, %0" : "=r"(v));
		break;
	case 4:
		asm volatile("mov %%cr4, %0" : "=r"(v));
		break;
	}
	return v;
}

static u64 read_efer(void)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
	return ((u64)hi << 32) | lo;
}

static void good_context(struct vcpu_hvm_context *ctx)
{
	struct vcpu_hvm_x86_64 *r = &ctx->cpu_regs.x86_64;

	*ctx = (struct vcpu_hvm_context){ .mode = VCPU_HVM_MODE_64B };
	r->rip = (uintptr_t)ap_main;
	/* As if called: the return address slot below a 16-byte boundary. */
	r->rsp = (uintptr_t)(ap_stack + sizeof(ap_stack)) - 8;
	r->rflags = 0x2;
	r->cr0 = read_cr(0);
	r->cr3 = read_cr(3);
	r->cr4 = read_cr(4);
	r->efer = read_efer();
}

static long initialise(unsigned int vcpu, struct vcpu_hvm_context *ctx)
{
	return kg_vcpu_op(VCPUOP_initialise, vcpu, ctx);
}

/* Waits, yielding, for the counter to leave @from; false on timeout. */
static bool counter_moves(u64 from)
{
	unsigned long i;

	for (i = 0; i < SPIN_LIMIT; i++) {
		if (READ_ONCE(ap_counter) != from)
			return true;
		if (!(i % 64))
			kg_sched_op(SCHEDOP_yield, NULL);
		kg_cpu_relax();
	}
	return false;
}

static bool counter32_moves(void)
{
	unsigned long i;

	for (i = 0; i < SPIN_LIMIT; i++) {
		if (READ_ONCE(ap32_counter))
			return true;
		if (!(i % 64))
			kg_sched_op(SCHEDOP_yield, NULL);
		kg_cpu_relax();
	}
	return false;
}

/* True if the counter stays put over QUIET_POLLS polls (with yields). */
static bool counter_still(void)
{
	u64 c = READ_ONCE(ap_counter);
	unsigned long i;

	for (i = 0; i < QUIET_POLLS; i++) {
		if (!(i % 64))
			kg_sched_op(SCHEDOP_yield, NULL);
		kg_cpu_relax();
	}
	return READ_ONCE(ap_counter) == c;
}

/*
 * VCPUOP_down of another vCPU takes effect asynchronously (Xen's
 * vcpu_sleep_nosync()): it may finish the time slice it is in.  True
 * once the counter stays put, false if it never does.
 */
static bool counter_settles(void)
{
	unsigned int round;

	for (round = 0; round < SETTLE_ROUNDS; round++)
		if (counter_still())
			return true;
	return false;
}

static void check_bad_contexts(void)
{
	struct vcpu_hvm_context ctx;
	long rc;

	good_context(&ctx);
	ctx.mode = 5;
	rc = initialise(AP, &ctx);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_initialise(mode 5) rc %ld (want -EINVAL)", rc);
	good_context(&ctx);
	ctx.cpu_regs.x86_64.cr0 &= ~X86_CR0_PG;
	rc = initialise(AP, &ctx);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_initialise(64-bit, CR0.PG clear) rc %ld (want -EINVAL)",
		 rc);
	good_context(&ctx);
	ctx.cpu_regs.x86_64.efer &= ~EFER_LME;
	rc = initialise(AP, &ctx);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_initialise(64-bit, EFER.LME clear) rc %ld (want -EINVAL)",
		 rc);
	good_context(&ctx);
	ctx.cpu_regs.x86_64.rip = 0x0000800000000000UL;
	rc = initialise(AP, &ctx);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_initialise(RIP non-canonical) rc %ld (want -EINVAL)",
		 rc);
	good_context(&ctx);
	ctx.pad = 1;
	rc = initialise(AP, &ctx);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_initialise(pad 1) rc %ld (want -EINVAL)", rc);
	rc = initialise(AP, NULL);
	kg_check(rc == -XEN_EFAULT,
		 "VCPUOP_initialise(NULL) rc %ld (want -EFAULT)", rc);
	good_context(&ctx);
	rc = initialise(0, &ctx);
	kg_check(rc == -XEN_EEXIST,
		 "VCPUOP_initialise(0, running) rc %ld (want -EEXIST)", rc);
	rc = initialise(NO_SUCH_VCPU, &ctx);
	kg_check(rc == -XEN_ENOENT,
		 "VCPUOP_initialise(%u) rc %ld (want -ENOENT)", NO_SUCH_VCPU,
		 rc);
	rc = kg_vcpu_op(VCPUOP_up, NO_SUCH_VCPU, NULL);
	kg_check(rc == -XEN_ENOENT, "VCPUOP_up(%u) rc %ld (want -ENOENT)",
		 NO_SUCH_VCPU, rc);
	rc = kg_vcpu_op(VCPUOP_down, NO_SUCH_VCPU, NULL);
	kg_check(rc == -XEN_ENOENT, "VCPUOP_down(%u) rc %ld (want -ENOENT)",
		 NO_SUCH_VCPU, rc);
}

static void check_up_down(void)
{
	struct vcpu_hvm_context ctx;
	long rc, up;
	bool moved;

	good_context(&ctx);
	rc = initialise(AP, &ctx);
	up = kg_vcpu_op(VCPUOP_is_up, AP, NULL);
	if (!kg_check(rc == 0 && up == 0,
		      "VCPUOP_initialise(%u, 64-bit) rc %ld, is_up %ld (want 0, 0)",
		      AP, rc, up))
		return;
	kg_check(counter_still() && READ_ONCE(ap_counter) == 0,
		 "initialised vCPU does not run before VCPUOP_up (counter %lu)",
		 (unsigned long)READ_ONCE(ap_counter));
	rc = initialise(AP, &ctx);
	kg_check(rc == -XEN_EEXIST,
		 "VCPUOP_initialise(%u) again rc %ld (want -EEXIST)", AP, rc);
	rc = kg_vcpu_op(VCPUOP_up, AP, NULL);
	up = kg_vcpu_op(VCPUOP_is_up, AP, NULL);
	kg_check(rc == 0 && up == 1, "VCPUOP_up(%u) rc %ld, is_up %ld (want 0, 1)",
		 AP, rc, up);
	moved = counter_moves(0);
	kg_check(moved, "vCPU %u runs: counter %lu", AP,
		 (unsigned long)READ_ONCE(ap_counter));
	rc = kg_vcpu_op(VCPUOP_down, AP, NULL);
	up = kg_vcpu_op(VCPUOP_is_up, AP, NULL);
	kg_check(rc == 0 && up == 0,
		 "VCPUOP_down(%u) rc %ld, is_up %ld (want 0, 0)", AP, rc, up);
	kg_check(counter_settles(), "vCPU %u stopped: counter stays at %lu", AP,
		 (unsigned long)READ_ONCE(ap_counter));
	rc = kg_vcpu_op(VCPUOP_up, AP, NULL);
	moved = counter_moves(READ_ONCE(ap_counter));
	kg_check(rc == 0 && moved,
		 "VCPUOP_up(%u) again rc %ld: counter moves on (%lu)", AP, rc,
		 (unsigned long)READ_ONCE(ap_counter));
}

/* Packed attributes (hvm_vcpu.h *_ar): G, D/B, P, S, type. */
#define AR_CODE32	0xc9b
#define AR_DATA32	0xc93
#define AR_RODATA32	0xc91
#define AR_TSS32	0x08b
#define AR_LDT		0x082

static void context32(struct vcpu_hvm_context *ctx)
{
	struct vcpu_hvm_x86_32 *r = &ctx->cpu_regs.x86_32;

	*ctx = (struct vcpu_hvm_context){ .mode = VCPU_HVM_MODE_32B };
	r->eip = ap32_entry();
	r->esp = (u32)(uintptr_t)(ap_stack + sizeof(ap_stack) / 2);
	r->eflags = 0x2;
	r->cr0 = X86_CR0_PE;
	/* Limits in bytes, as libxenguest gives them (G set as well). */
	r->cs_limit = ~0u;
	r->ds_limit = ~0u;
	r->ss_limit = ~0u;
	r->es_limit = ~0u;
	r->cs_ar = AR_CODE32;
	r->ds_ar = AR_DATA32;
	r->ss_ar = AR_DATA32;
	r->es_ar = AR_DATA32;
	r->tr_limit = 0x67;
	r->tr_ar = AR_TSS32;
}

static void check_32bit(void)
{
	struct vcpu_hvm_context ctx;
	bool moved;
	long rc;

	context32(&ctx);
	ctx.cpu_regs.x86_32.cs_ar = 0;
	rc = initialise(AP32, &ctx);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_initialise(32-bit, null CS) rc %ld (want -EINVAL)", rc);
	context32(&ctx);
	ctx.cpu_regs.x86_32.ss_ar = AR_RODATA32;
	rc = initialise(AP32, &ctx);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_initialise(32-bit, read-only SS) rc %ld (want -EINVAL)",
		 rc);
	context32(&ctx);
	ctx.cpu_regs.x86_32.tr_ar = AR_LDT;
	rc = initialise(AP32, &ctx);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_initialise(32-bit, LDT as TR) rc %ld (want -EINVAL)", rc);
	context32(&ctx);
	ctx.cpu_regs.x86_32.cs_limit = 0;	/* Xen's check: 4 KiB with G */
	rc = initialise(AP32, &ctx);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_initialise(32-bit, EIP %#x past CS limit 0xfff) rc %ld (want -EINVAL)",
		 ctx.cpu_regs.x86_32.eip, rc);
	context32(&ctx);
	ctx.cpu_regs.x86_32.pad1 = 1;
	rc = initialise(AP32, &ctx);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_initialise(32-bit, pad1 1) rc %ld (want -EINVAL)", rc);
	context32(&ctx);
	rc = initialise(AP32, &ctx);
	if (!kg_check(rc == 0, "VCPUOP_initialise(%u, 32-bit flat) rc %ld",
		      AP32, rc))
		return;
	rc = kg_vcpu_op(VCPUOP_up, AP32, NULL);
	moved = counter32_moves();
	kg_check(rc == 0 && moved,
		 "VCPUOP_up(%u) rc %ld: the 32-bit loop counts (%u)", AP32, rc,
		 READ_ONCE(ap32_counter));
	rc = kg_vcpu_op(VCPUOP_down, AP32, NULL);
	kg_check(rc == 0, "VCPUOP_down(%u) rc %ld", AP32, rc);
}

void test_main(void)
{
	long rc;

	kg_require_xen();
	rc = kg_vcpu_op(VCPUOP_is_up, AP32, NULL);
	if (rc == -XEN_ENOENT) {
		kg_skip("needs 3 vCPUs (VCPUOP_is_up(%u) rc %ld)\n", AP32, rc);
		return;
	}
	rc = kg_vcpu_op(VCPUOP_is_up, AP, NULL);
	kg_check(rc == 0, "VCPUOP_is_up(%u) rc %ld before anything (want 0)",
		 AP, rc);
	rc = kg_vcpu_op(VCPUOP_up, AP, NULL);
	kg_check(rc == -XEN_EINVAL,
		 "VCPUOP_up(%u) without a state rc %ld (want -EINVAL)", AP, rc);
	check_bad_contexts();
	check_up_down();
	check_32bit();
	kg_success(NULL);
}
