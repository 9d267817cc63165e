// SPDX-License-Identifier: GPL-2.0
/*
 * conecho: a guest on the far side of the PV console, for the host's
 * console tty.  It finds its xencons_interface ring (io/console.h) and
 * event channel from HVM_PARAM_CONSOLE_PFN/EVTCHN (hvm/params.h), prints
 * a prompt into out[], and answers every line that arrives in in[] with
 * "ECHO: " and the line in capitals.  "quit" ends it with SUCCESS; no
 * input for a minute ends it with FAILURE.
 *
 * It sleeps in SCHEDOP_poll on the console port between lines, so an idle
 * guest costs the emulated lab nothing.
 */
#include <kg/boot.h>
#include <kg/console.h>
#include <kg/cpu.h>
#include <kg/evtchn.h>
#include <kg/hypercall.h>
#include <kg/report.h>
#include <kg/time.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

KG_TEST_TITLE("conecho");

#define IDLE_LIMIT_NS	(60ULL * KG_NSEC_PER_SEC)
#define POLL_NS		(50 * KG_NSEC_PER_MSEC)

static struct xencons_interface *ring;
static evtchn_port_t port;

static void ring_put(const char *s)
{
	XENCONS_RING_IDX prod = ring->out_prod;

	while (*s) {
		while (prod - READ_ONCE(ring->out_cons) >= sizeof(ring->out))
			kg_cpu_relax();	/* the host drains on every notify */
		ring->out[MASK_XENCONS_IDX(prod, ring->out)] = *s++;
		prod++;
		if (!*s || prod - READ_ONCE(ring->out_cons) == sizeof(ring->out)) {
			kg_barrier();	/* x86 keeps stores in order */
			WRITE_ONCE(ring->out_prod, prod);
			kg_evtchn_send(port);
		}
	}
}

/* One byte of input, or -1 when in[] is empty. */
static int ring_get(void)
{
	XENCONS_RING_IDX cons = ring->in_cons;
	int ch;

	if (cons == READ_ONCE(ring->in_prod))
		return -1;
	kg_barrier();	/* x86 keeps loads in order */
	ch = (u8)ring->in[MASK_XENCONS_IDX(cons, ring->in)];
	kg_barrier();	/* nor moves a store above a load */
	WRITE_ONCE(ring->in_cons, cons + 1);
	return ch;
}

static void wait_input(void)
{
	kg_evtchn_clear_pending(port);
	if (READ_ONCE(ring->in_cons) == READ_ONCE(ring->in_prod))
		kg_poll_port(port, POLL_NS);
}

static void answer(const char *line)
{
	char out[160] = "ECHO: ";
	size_t n = 6;

	for (; *line && n < sizeof(out) - 2; line++)
		out[n++] = (*line >= 'a' && *line <= 'z') ? *line - 32 : *line;
	out[n++] = '\n';
	out[n] = '\0';
	ring_put(out);
}

static bool setup(void)
{
	u64 pfn = 0, evtchn = 0;
	long rc;

	rc = kg_hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn);
	if (!kg_check(rc == 0 && pfn, "HVM_PARAM_CONSOLE_PFN: rc %ld, %#lx",
		      rc, (unsigned long)pfn))
		return false;
	rc = kg_hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &evtchn);
	if (!kg_check(rc == 0 && evtchn, "HVM_PARAM_CONSOLE_EVTCHN: rc %ld, %lu",
		      rc, (unsigned long)evtchn))
		return false;
	if (!kg_setup_shared_info())
		return false;
	ring = (struct xencons_interface *)(unsigned long)(pfn << 12);
	port = (evtchn_port_t)evtchn;
	return true;
}

void test_main(void)
{
	char line[128];
	size_t len = 0;
	u64 idle_since;
	int ch;

	kg_require_xen();
	if (!setup())
		kg_exit();
	ring_put("conecho: ready\n");
	idle_since = kg_now_ns();
	while (kg_now_ns() - idle_since < IDLE_LIMIT_NS) {
		ch = ring_get();
		if (ch < 0) {
			wait_input();
			continue;
		}
		idle_since = kg_now_ns();
		if (ch != '\r' && ch != '\n') {
			if (len < sizeof(line) - 1)
				line[len++] = (char)ch;
			continue;
		}
		line[len] = '\0';
		len = 0;
		if (!strcmp(line, "quit")) {
			ring_put("conecho: bye\n");
			kg_success(NULL);
			kg_exit();
		}
		if (line[0])
			answer(line);
	}
	kg_failure("no input for %llu s", IDLE_LIMIT_NS / KG_NSEC_PER_SEC);
	kg_exit();
}
