// SPDX-License-Identifier: GPL-2.0
/*
 * fpustate: the guest's x87, SSE and AVX registers and MXCSR survive
 * everything that takes the vCPU out of guest mode.
 *
 * On each vCPU (vCPU 1 too when the domain has it, started with
 * VCPUOP_initialise), in three phases:
 *   A  CR4.OSXSAVE off, XCR0 never written: the guest as an FXSAVE-only
 *      kernel runs it (x87 + SSE + MXCSR);
 *   B  CR4.OSXSAVE on, XCR0 = x87|SSE|YMM: YMM upper halves too (when
 *      AVX is offered);
 *   C  XCR0 switched between x87|SSE and x87|SSE|YMM every round.
 * Each round fills the registers with a pattern of (vCPU, phase, round)
 * through FXRSTOR (FCW, FSW, tag word, ST0-7, MXCSR, XMM0-15) and VMOVDQU
 * (YMM), then leaves guest mode one way or another (a spin long enough
 * for host interrupts, a hypercall, SCHEDOP_yield, CPUID, a 1 ms
 * SCHEDOP_poll that sleeps in the host, and on vCPU 0 an event upcall),
 * and reads them all back through FXSAVE and VMOVDQU.  Every register
 * compared is one check; a single mismatch is a FAILURE.
 *
 * The CPUID leaf 0xD the guest sees is checked against itself first:
 * sub-leaf 0 EBX is the end of the highest component enabled in XCR0,
 * ECX that of all offered ones, no component the feature leaves hide
 * (PKRU without PKU, MPX, AMX), and sub-leaves >= 2 only for offered
 * components.  rounds=N on the command line sets the rounds per phase.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/layout.h>
#include <kg/report.h>
#include <kg/time.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/hvm/hvm_vcpu.h>

KG_TEST_TITLE("fpustate");

#define UPCALL_VECTOR	0xf3
#define AP		1
#define DEF_ROUNDS	3000
#define POLL_NS		1000000ULL
#define WAIT_NS		1000000000ULL
#define AP_WAIT_POLLS	2000000000UL

#define XCR0_X87	BIT(0)
#define XCR0_SSE	BIT(1)
#define XCR0_YMM	BIT(2)
#define CR4_OSFXSR	BIT(9)
#define CR4_OSXMMEXCPT	BIT(10)
#define CR4_OSXSAVE	BIT(18)
#define CR0_MP		BIT(1)
#define CR0_EM		BIT(2)
#define CR0_TS		BIT(3)

/* FXSAVE image offsets (SDM Vol. 2A FXSAVE, 64-bit format). */
#define FX_FCW		0
#define FX_FSW		2
#define FX_FTW		4
#define FX_MXCSR	24
#define FX_ST		32
#define FX_XMM		160

enum action { SPIN, HCALL, YIELD, CPUID, POLL, EVENT, NR_ACTIONS };
static const char *const action_name[] = {
	"spin", "hypercall", "yield", "cpuid", "poll", "event",
};

struct mismatch {
	unsigned int phase, what;
	unsigned long round;
	enum action act;
	u64 got[2], want[2];
};

struct vstate {
	unsigned int id;
	evtchn_port_t poll_port;
	unsigned long checks, bad;
	struct mismatch first;
	bool done;
	u8 fx[512] __aligned(64);
	u8 fx_back[512] __aligned(64);
	u8 ymm[16][32] __aligned(32);
	u8 ymm_back[16][32] __aligned(32);
};

static struct vstate vs[2];
static bool avx;
static unsigned long rounds;
static evtchn_port_t event_port;
static u8 ap_stack[KG_STACK_SIZE] __aligned(16);

static u64 xorshift(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void xsetbv0(u64 val)
{
	asm volatile("xsetbv" : : "c"(0), "a"((u32)val),
		     "d"((u32)(val >> 32)) : "memory");
}

static void write_cr0(unsigned long v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

#define YMM_LD(n)	"vmovdqu " #n "*32(%0), %%ymm" #n "\n\t"
#define YMM_ST(n)	"vmovdqu %%ymm" #n ", " #n "*32(%0)\n\t"

/* The compiler uses no vector register (-mgeneral-regs-only). */
static void ymm_load(u8 (*m)[32])
{
	asm volatile(YMM_LD(0) YMM_LD(1) YMM_LD(2) YMM_LD(3)
		     YMM_LD(4) YMM_LD(5) YMM_LD(6) YMM_LD(7)
		     YMM_LD(8) YMM_LD(9) YMM_LD(10) YMM_LD(11)
		     YMM_LD(12) YMM_LD(13) YMM_LD(14) YMM_LD(15)
		     : : "r"(m), "m"(*(u8 (*)[512])m));
}

static void ymm_store(u8 (*m)[32])
{
	asm volatile(YMM_ST(0) YMM_ST(1) YMM_ST(2) YMM_ST(3)
		     YMM_ST(4) YMM_ST(5) YMM_ST(6) YMM_ST(7)
		     YMM_ST(8) YMM_ST(9) YMM_ST(10) YMM_ST(11)
		     YMM_ST(12) YMM_ST(13) YMM_ST(14) YMM_ST(15)
		     : : "r"(m) : "memory");
}

/*
 * A pattern FXRSTOR accepts: FCW with precision and rounding control
 * varied (PC 01 is reserved), FSW 0 (TOP 0), all eight tags valid, ST
 * values normal extended-precision numbers, MXCSR with rounding control
 * and FTZ varied but never the reset value, XMM registers random.
 */
static void make_pattern(struct vstate *s, unsigned int phase,
			 unsigned long round, bool ymm)
{
	u64 seed = ((u64)s->id << 56) ^ ((u64)phase << 48) ^ round ^
		   0x9e3779b97f4a7c15ULL;
	static const u16 pc[3] = { 0, 2, 3 };
	unsigned int i, m;

	memset(s->fx, 0, sizeof(s->fx));
	xorshift(&seed);
	*(u16 *)&s->fx[FX_FCW] = 0x7f | pc[seed % 3] << 8 |
				  ((seed >> 8) & 3) << 10;
	s->fx[FX_FTW] = 0xff;
	m = (xorshift(&seed) % 7) + 1;
	*(u32 *)&s->fx[FX_MXCSR] = 0x1f80 | (m & 3) << 13 |
				    ((m & 4) ? 0x8000 : 0);
	for (i = 0; i < 8; i++) {
		u8 *st = &s->fx[FX_ST + 16 * i];

		*(u64 *)st = xorshift(&seed) | BIT_ULL(63);
		*(u16 *)(st + 8) = 0x3fff + (xorshift(&seed) % 64) - 32;
	}
	for (i = 0; i < 16; i++) {
		*(u64 *)&s->ymm[i][0] = xorshift(&seed);
		*(u64 *)&s->ymm[i][8] = xorshift(&seed);
		*(u64 *)&s->ymm[i][16] = ymm ? xorshift(&seed) : 0;
		*(u64 *)&s->ymm[i][24] = ymm ? xorshift(&seed) : 0;
		memcpy(&s->fx[FX_XMM + 16 * i], s->ymm[i], 16);
	}
}

static void record(struct vstate *s, unsigned int phase, unsigned long round,
		   enum action act, unsigned int what, const u8 *got,
		   const u8 *want, unsigned int len)
{
	s->checks++;
	if (!memcmp(got, want, len))
		return;
	if (!s->bad++) {
		s->first = (struct mismatch){ .phase = phase, .what = what,
					      .round = round, .act = act };
		memcpy(s->first.got, got, len);
		memcpy(s->first.want, want, len);
	}
}

/* what: 0 FCW, 1 FSW, 2 FTW, 3 MXCSR, 10+i ST(i), 20+i XMMi, 40+i YMMHi */
static void compare(struct vstate *s, unsigned int phase, unsigned long round,
		    enum action act, bool ymm)
{
	const u8 *g = s->fx_back, *w = s->fx;
	unsigned int i;

	record(s, phase, round, act, 0, g + FX_FCW, w + FX_FCW, 2);
	record(s, phase, round, act, 1, g + FX_FSW, w + FX_FSW, 2);
	record(s, phase, round, act, 2, g + FX_FTW, w + FX_FTW, 1);
	record(s, phase, round, act, 3, g + FX_MXCSR, w + FX_MXCSR, 4);
	for (i = 0; i < 8; i++)
		record(s, phase, round, act, 10 + i, g + FX_ST + 16 * i,
		       w + FX_ST + 16 * i, 10);
	for (i = 0; i < 16; i++)
		record(s, phase, round, act, 20 + i, g + FX_XMM + 16 * i,
		       w + FX_XMM + 16 * i, 16);
	if (!ymm)
		return;
	for (i = 0; i < 16; i++)
		record(s, phase, round, act, 40 + i, &s->ymm_back[i][16],
		       &s->ymm[i][16], 16);
}

static void spin(void)
{
	unsigned int i;

	for (i = 0; i < 20000; i++)
		kg_cpu_relax();
}

static void leave_guest_mode(struct vstate *s, enum action act)
{
	struct kg_cpuid r;

	switch (act) {
	case SPIN:
		spin();
		break;
	case HCALL:
		kg_xen_version(XENVER_version, NULL);
		break;
	case YIELD:
		kg_sched_op(SCHEDOP_yield, NULL);
		break;
	case CPUID:
		r = kg_cpuid(0xd, 0);
		(void)r;
		break;
	case POLL:
		kg_poll_port(s->poll_port, POLL_NS);
		break;
	case EVENT:
		kg_evtchn_send(event_port);
		kg_evtchn_wait_upcall(event_port, WAIT_NS);
		break;
	case NR_ACTIONS:
		break;
	}
}

static void one_round(struct vstate *s, unsigned int phase,
		      unsigned long round)
{
	unsigned int nr = s->id ? EVENT : NR_ACTIONS;
	enum action act = round % nr;
	bool ymm = phase != 'A' && avx;

	if (phase == 'C' && avx) {
		ymm = round & 1;
		xsetbv0(XCR0_X87 | XCR0_SSE | (ymm ? XCR0_YMM : 0));
	}
	make_pattern(s, phase, round, ymm);
	if (ymm)
		ymm_load(s->ymm);
	asm volatile("fxrstor64 %0" : : "m"(s->fx));
	leave_guest_mode(s, act);
	asm volatile("fxsave64 %0" : "=m"(s->fx_back));
	if (ymm)
		ymm_store(s->ymm_back);
	compare(s, phase, round, act, ymm);
}

static void run_phases(struct vstate *s)
{
	static const char phases[] = "ABC";
	unsigned long r;
	unsigned int p;

	write_cr0((kg_read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	kg_write_cr4(kg_read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	for (p = 0; p < 3; p++) {
		if (phases[p] != 'A' && !avx)
			break;
		if (phases[p] == 'B') {
			kg_write_cr4(kg_read_cr4() | CR4_OSXSAVE);
			xsetbv0(XCR0_X87 | XCR0_SSE | XCR0_YMM);
		}
		for (r = 0; r < rounds; r++)
			one_round(s, phases[p], r);
	}
}

static void __noreturn ap_main(void)
{
	run_phases(&vs[AP]);
	WRITE_ONCE(vs[AP].done, true);
	kg_vcpu_op(VCPUOP_down, AP, NULL);
	kg_halt_forever();
}

/*
 * CPUID leaf 0xD as the guest sees it, before anything uses it: the
 * sizes must match the components (Linux compares them at boot and turns
 * XSAVE off, with a warning, when they do not).
 */
static unsigned int xstate_end(u64 mask)
{
	unsigned int i, end = 576;
	struct kg_cpuid r;

	for (i = 2; i < 63; i++) {
		if (!(mask & BIT_ULL(i)))
			continue;
		r = kg_cpuid(0xd, i);
		if (r.eax + r.ebx > end)
			end = r.eax + r.ebx;
	}
	return end;
}

static void check_cpuid_xstate(void)
{
	struct kg_cpuid l7 = kg_cpuid(7, 0), d0 = kg_cpuid(0xd, 0), r;
	u64 offered = (u64)d0.edx << 32 | d0.eax;
	unsigned int i, stray = 0;

	kg_check((offered & 3) == 3,
		 "CPUID 0xD.0 offers x87 and SSE: %#lx", offered);
	kg_check(d0.ebx == xstate_end(XCR0_X87),
		 "CPUID 0xD.0 EBX %u with XCR0 = x87 (want %u)", d0.ebx,
		 xstate_end(XCR0_X87));
	kg_check(d0.ecx == xstate_end(offered),
		 "CPUID 0xD.0 ECX %u: the end of every offered component (%u)",
		 d0.ecx, xstate_end(offered));
	kg_check(!(offered & BIT(9)) || (l7.ecx & BIT(3)),
		 "no PKRU state without PKU (offered %#lx, 7.0 ECX %#x)",
		 offered, l7.ecx);
	kg_check(!(offered & (BIT(3) | BIT(4))) || (l7.ebx & BIT(14)),
		 "no MPX state without MPX (offered %#lx)", offered);
	kg_check(!(offered & (BIT(17) | BIT(18))) || (l7.edx & BIT(24)),
		 "no AMX state without AMX (offered %#lx)", offered);
	kg_check(!(offered & (0x7 << 5)) || (l7.ebx & BIT(16)),
		 "no AVX-512 state without AVX512F (offered %#lx)", offered);
	for (i = 2; i < 63; i++) {
		r = kg_cpuid(0xd, i);
		if (!(offered & BIT_ULL(i)) && (r.eax || r.ebx || r.ecx || r.edx))
			stray++;
	}
	kg_check(!stray, "CPUID 0xD sub-leaves of components not offered read 0 (%u do not)",
		 stray);
	avx = (kg_cpuid(1, 0).ecx & BIT(28)) && (offered & XCR0_YMM);
	if (!avx)
		return;
	kg_write_cr4(kg_read_cr4() | CR4_OSXSAVE);
	xsetbv0(XCR0_X87 | XCR0_SSE | XCR0_YMM);
	r = kg_cpuid(0xd, 0);
	kg_check(r.ebx == xstate_end(XCR0_X87 | XCR0_SSE | XCR0_YMM),
		 "after XSETBV(x87|SSE|YMM) CPUID 0xD.0 EBX %u (want %u)",
		 r.ebx, xstate_end(XCR0_X87 | XCR0_SSE | XCR0_YMM));
	xsetbv0(XCR0_X87);
	kg_write_cr4(kg_read_cr4() & ~CR4_OSXSAVE);
}

static void good_context(struct vcpu_hvm_context *ctx)
{
	struct vcpu_hvm_x86_64 *r = &ctx->cpu_regs.x86_64;
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
	*ctx = (struct vcpu_hvm_context){ .mode = VCPU_HVM_MODE_64B };
	r->rip = (uintptr_t)ap_main;
	r->rsp = (uintptr_t)(ap_stack + sizeof(ap_stack)) - 8;
	r->rflags = 0x2;
	r->cr0 = kg_read_cr0();
	asm volatile("mov %%cr3, %0" : "=r"(r->cr3));
	r->cr4 = kg_read_cr4();
	r->efer = (u64)hi << 32 | lo;
}

/* vCPU 1, if the domain has one; false if it does not. */
static bool start_ap(void)
{
	struct vcpu_hvm_context ctx;
	long rc;

	good_context(&ctx);
	rc = kg_vcpu_op(VCPUOP_initialise, AP, &ctx);
	if (rc == -XEN_ENOENT)
		return false;
	if (!kg_check(rc == 0, "VCPUOP_initialise(vCPU 1) rc %ld", rc))
		return false;
	rc = kg_vcpu_op(VCPUOP_up, AP, NULL);
	return kg_check(rc == 0, "VCPUOP_up(vCPU 1) rc %ld", rc);
}

static void report(struct vstate *s)
{
	struct mismatch *m = &s->first;

	kg_check(!s->bad, "vCPU %u: %lu registers checked, %lu mismatches",
		 s->id, s->checks, s->bad);
	if (!s->bad)
		return;
	kg_printf("  first: phase %c round %lu, %s, reg %u: %016lx%016lx not %016lx%016lx\n",
		  m->phase, m->round, action_name[m->act], m->what,
		  m->got[1], m->got[0], m->want[1], m->want[0]);
}

static bool setup_ports(void)
{
	long rc;

	if (!kg_setup_shared_info())
		return false;
	rc = kg_evtchn_setup_upcall(UPCALL_VECTOR);
	rc = rc ?: kg_evtchn_bind_ipi(0, &event_port);
	rc = rc ?: kg_evtchn_bind_ipi(0, &vs[0].poll_port);
	rc = rc ?: kg_evtchn_bind_ipi(AP, &vs[AP].poll_port);
	if (rc == -XEN_ENOENT)	/* no vCPU 1 */
		rc = 0;
	return kg_check(rc == 0, "upcall and event channels set up (rc %ld)",
			rc);
}

void test_main(void)
{
	unsigned long i;
	bool smp;

	kg_require_xen();
	rounds = kg_cmdline_ulong("rounds", DEF_ROUNDS);
	vs[0].id = 0;
	vs[AP].id = AP;
	check_cpuid_xstate();
	if (!setup_ports())
		kg_exit();
	kg_printf("%lu rounds per phase, AVX %s\n", rounds,
		  avx ? "offered: phases A, B, C" : "not offered: phase A only");
	smp = start_ap();
	run_phases(&vs[0]);
	for (i = 0; smp && !READ_ONCE(vs[AP].done) && i < AP_WAIT_POLLS; i++)
		kg_cpu_relax();
	if (smp && !kg_check(READ_ONCE(vs[AP].done), "vCPU 1 finished"))
		kg_exit();
	report(&vs[0]);
	if (smp)
		report(&vs[AP]);
	kg_check(vs[0].checks + vs[AP].checks >= rounds * 28,
		 "%lu checks in all", vs[0].checks + vs[AP].checks);
	kg_success("registers preserved\n");
	kg_exit();
}
