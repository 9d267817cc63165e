// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels: port table, and delivery under the 2-level ABI or,
 * once the guest has switched, the FIFO ABI of evtchn_fifo.c (see
 * evtchn_core.h).  Errors are Xen's, as event_channel.h documents them
 * and Xen's common/event_channel.c returns them.  Callers serialize calls
 * on one table; the bitmaps are shared with guest vCPUs and touched only
 * with atomic bit operations.
 */
#include "evtchn_core.h"

void kxen_evtchn_table_init(struct kxen_evtchn_table *t,
			    struct kxen_evtchn *ports, u32 *virq_port,
			    u32 nr_vcpus, u16 domid,
			    const struct kxen_evtchn_ops *ops, void *priv)
{
	memset(ports, 0, KXEN_EVTCHN_2L_PORTS * sizeof(*ports));
	memset(virq_port, 0, (size_t)nr_vcpus * NR_VIRQS * sizeof(u32));
	t->ports = ports;
	t->virq_port = virq_port;
	t->nr_vcpus = nr_vcpus;
	t->max_port = EVTCHN_FIFO_NR_CHANNELS - 1;
	t->domid = domid;
	t->ops = ops;
	t->priv = priv;
	t->compat = false;
	memset(&t->fifo, 0, sizeof(t->fifo));
	ports[0].state = KXEN_ECS_RESERVED;
}

u32 kxen_evtchn_nr_ports(const struct kxen_evtchn_table *t)
{
	return t->fifo.on ? KXEN_EVTCHN_2L_PORTS : kxen_evtchn_2l_ports(t);
}

/*
 * Xen's evtchn_allocate_port() refuses a port past the domain's
 * max_evtchn_port with -ENOSPC, as one past the ABI's last; ports bound
 * already stay valid whatever the limit.
 */
u32 kxen_evtchn_usable_ports(const struct kxen_evtchn_table *t)
{
	u32 nr = kxen_evtchn_nr_ports(t);

	return t->max_port < nr ? t->max_port + 1 : nr;
}

static bool kxen_port_valid(struct kxen_evtchn_table *t, u32 port)
{
	return port < kxen_evtchn_nr_ports(t);
}

/*
 * A port's slot, the port number clamped under speculation too: every
 * caller has checked it with kxen_port_valid() against a guest-chosen
 * number, and the CPU must not read past the table before that check
 * resolves (Spectre v1, as Xen's evtchn_from_port and KVM's
 * array_index_nospec uses).
 */
static struct kxen_evtchn *kxen_port(struct kxen_evtchn_table *t, u32 port)
{
	return &t->ports[array_index_nospec(port, KXEN_EVTCHN_2L_PORTS)];
}

static int kxen_port_alloc(struct kxen_evtchn_table *t)
{
	u32 p, nr = kxen_evtchn_usable_ports(t);

	/* A FIFO port still on a queue is not free yet (Xen's is_busy). */
	for (p = 1; p < nr; p++)
		if (t->ports[p].state == KXEN_ECS_FREE &&
		    !(t->fifo.on && kxen_evtchn_fifo_is_busy(t, p)))
			return p;
	return -ENOSPC;
}

/* A new binding; the port's FIFO queue history is kept. */
static void kxen_port_bind(struct kxen_evtchn_table *t, u32 port,
			   struct kxen_evtchn c)
{
	struct kxen_evtchn *p = kxen_port(t, port);

	c.priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	c.last_vcpu = p->last_vcpu;
	c.last_prio = p->last_prio;
	*p = c;
}

/* shared_info's mask bitmap: after 32 or 64 words of pending bits. */
static xen_ulong_t *kxen_2l_mask(struct kxen_evtchn_table *t,
				 struct shared_info *s)
{
	if (t->compat)
		return (xen_ulong_t *)((u8 *)s + KXEN_COMPAT_SHINFO_MASK);
	return s->evtchn_mask;
}

/* Raise the selector bit of @port's pending word; was it up already? */
static bool kxen_2l_select(struct kxen_evtchn_table *t, struct vcpu_info *vi,
			   u32 port)
{
	if (t->compat)
		return kxen_test_and_set32(port / 32, (u32 *)((u8 *)vi +
					   KXEN_COMPAT_VCPU_INFO_SEL));
	return kxen_test_and_set(port / (sizeof(xen_ulong_t) * 8),
				 &vi->evtchn_pending_sel);
}

/* evtchn_upcall_pending goes up; a rise is the platform's to signal. */
void kxen_evtchn_upcall(struct kxen_evtchn_table *t, struct vcpu_info *vi,
			u32 vcpu)
{
	if (!kxen_xchg8(&vi->evtchn_upcall_pending, 1) && t->ops->upcall)
		t->ops->upcall(t->priv, vcpu);
}

/* Xen's 2-level delivery: pending, then (unmasked) selector and upcall. */
static void kxen_evtchn_mark(struct kxen_evtchn_table *t, u32 port)
{
	struct shared_info *s = t->ops->shinfo(t->priv);
	u32 vcpu = kxen_port(t, port)->notify_vcpu;
	struct vcpu_info *vi;

	if (t->fifo.on) {
		kxen_evtchn_fifo_set_pending(t, port);
		return;
	}
	if (!s || kxen_test_and_set(port, s->evtchn_pending))
		return;
	if (kxen_test(port, kxen_2l_mask(t, s)))
		goto kick;
	vi = t->ops->vcpu_info(t->priv, vcpu);
	if (!vi || kxen_2l_select(t, vi, port))
		goto kick;
	kxen_evtchn_upcall(t, vi, vcpu);
kick:
	/* Also for masked ports: a vCPU may be polling this one. */
	t->ops->kick(t->priv, vcpu);
}

void kxen_evtchn_set_pending(struct kxen_evtchn_table *t, u32 port)
{
	if (kxen_port_valid(t, port) && kxen_port(t, port)->state > KXEN_ECS_RESERVED)
		kxen_evtchn_mark(t, port);
}

bool kxen_evtchn_is_pending(struct kxen_evtchn_table *t, u32 port)
{
	struct shared_info *s = t->ops->shinfo(t->priv);

	if (!kxen_port_valid(t, port))
		return false;
	if (READ_ONCE(t->fifo.on))
		return kxen_evtchn_fifo_is_pending(t, port);
	return s && kxen_test(port, s->evtchn_pending);
}

int kxen_evtchn_alloc_unbound(struct kxen_evtchn_table *t, u16 remote_dom)
{
	int port = kxen_port_alloc(t);

	if (port < 0)
		return port;
	kxen_port_bind(t, port, (struct kxen_evtchn) {
		.state = KXEN_ECS_UNBOUND, .remote_dom = remote_dom,
	});
	return port;
}

/* bind_interdomain to one of the domain's own unbound ports. */
int kxen_evtchn_bind_loopback(struct kxen_evtchn_table *t, u32 remote_port)
{
	struct kxen_evtchn *r;
	int port;

	if (!kxen_port_valid(t, remote_port))
		return -EINVAL;
	r = kxen_port(t, remote_port);
	if (r->state != KXEN_ECS_UNBOUND || r->remote_dom != t->domid)
		return -EINVAL;
	port = kxen_port_alloc(t);
	if (port < 0)
		return port;
	kxen_port_bind(t, port, (struct kxen_evtchn) {
		.state = KXEN_ECS_INTERDOMAIN, .remote_dom = t->domid,
		.remote_port = remote_port,
	});
	r->state = KXEN_ECS_INTERDOMAIN;
	r->remote_port = port;
	/* Xen marks the new local port pending so no event is lost. */
	kxen_evtchn_mark(t, port);
	return port;
}

int kxen_evtchn_bind_host(struct kxen_evtchn_table *t, u32 port)
{
	struct kxen_evtchn *c;

	if (!kxen_port_valid(t, port))
		return -EINVAL;
	c = kxen_port(t, port);
	if (c->state != KXEN_ECS_UNBOUND || c->remote_dom != 0)
		return -EINVAL;
	c->state = KXEN_ECS_INTERDOMAIN;
	c->remote_port = port;
	return 0;
}

int kxen_evtchn_unbind_host(struct kxen_evtchn_table *t, u32 port)
{
	struct kxen_evtchn *c;

	if (!kxen_port_valid(t, port))
		return -EINVAL;
	c = kxen_port(t, port);
	if (c->state != KXEN_ECS_INTERDOMAIN || c->remote_dom != 0)
		return -EINVAL;
	c->state = KXEN_ECS_UNBOUND;
	c->remote_port = 0;
	return 0;
}

bool kxen_evtchn_is_host_bound(struct kxen_evtchn_table *t, u32 port)
{
	struct kxen_evtchn *c;

	if (!kxen_port_valid(t, port))
		return false;
	c = kxen_port(t, port);
	return c->state == KXEN_ECS_INTERDOMAIN && c->remote_dom == 0;
}

bool kxen_evtchn_virq_is_global(u32 virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return false;
	default:
		return true;
	}
}

/* Index in virq_port[] of @virq bound for @vcpu: global ones live on 0. */
static u32 kxen_evtchn_virq_slot(u32 virq, u32 vcpu)
{
	return (kxen_evtchn_virq_is_global(virq) ? 0 : vcpu) * NR_VIRQS + virq;
}

int kxen_evtchn_bind_virq(struct kxen_evtchn_table *t, u32 virq, u32 vcpu)
{
	int port;

	if (virq >= NR_VIRQS)
		return -EINVAL;
	if (kxen_evtchn_virq_is_global(virq) && vcpu != 0)
		return -EINVAL;
	if (vcpu >= t->nr_vcpus)
		return -ENOENT;
	vcpu = array_index_nospec(vcpu, t->nr_vcpus);
	if (t->virq_port[vcpu * NR_VIRQS + virq])
		return -EEXIST;
	port = kxen_port_alloc(t);
	if (port < 0)
		return port;
	kxen_port_bind(t, port, (struct kxen_evtchn) {
		.state = KXEN_ECS_VIRQ, .virq = virq, .notify_vcpu = vcpu,
	});
	t->virq_port[vcpu * NR_VIRQS + virq] = port;
	return port;
}

int kxen_evtchn_bind_ipi(struct kxen_evtchn_table *t, u32 vcpu)
{
	int port;

	if (vcpu >= t->nr_vcpus)
		return -ENOENT;
	vcpu = array_index_nospec(vcpu, t->nr_vcpus);
	port = kxen_port_alloc(t);
	if (port < 0)
		return port;
	kxen_port_bind(t, port, (struct kxen_evtchn) {
		.state = KXEN_ECS_IPI, .notify_vcpu = vcpu,
	});
	return port;
}

static void kxen_evtchn_free(struct kxen_evtchn_table *t, u32 port)
{
	struct shared_info *s = t->ops->shinfo(t->priv);

	/* A closed port's stale pending bit would confuse its next user. */
	if (t->fifo.on)
		kxen_evtchn_fifo_clear_pending(t, port);
	else if (s)
		kxen_clear(port, s->evtchn_pending);
	kxen_port_bind(t, port, (struct kxen_evtchn){ .state = KXEN_ECS_FREE });
}

int kxen_evtchn_close(struct kxen_evtchn_table *t, u32 port)
{
	struct kxen_evtchn *c;
	u32 peer;

	if (!kxen_port_valid(t, port))
		return -EINVAL;
	c = kxen_port(t, port);
	switch (c->state) {
	case KXEN_ECS_FREE:
	case KXEN_ECS_RESERVED:
		return -EINVAL;
	case KXEN_ECS_VIRQ:
		/* A global VIRQ moved by bind_vcpu still has vCPU 0's slot. */
		t->virq_port[kxen_evtchn_virq_slot(c->virq, c->notify_vcpu)] = 0;
		break;
	case KXEN_ECS_INTERDOMAIN:
		peer = c->remote_port;
		/* A loopback peer goes back to waiting for a connection. */
		if (c->remote_dom == t->domid && kxen_port_valid(t, peer) &&
		    kxen_port(t, peer)->state == KXEN_ECS_INTERDOMAIN)
			kxen_port(t, peer)->state = KXEN_ECS_UNBOUND;
		break;
	}
	kxen_evtchn_free(t, port);
	return 0;
}

int kxen_evtchn_send(struct kxen_evtchn_table *t, u32 port)
{
	struct kxen_evtchn *c;

	if (!kxen_port_valid(t, port))
		return -EINVAL;
	c = kxen_port(t, port);
	switch (c->state) {
	case KXEN_ECS_IPI:
		kxen_evtchn_mark(t, port);
		return 0;
	case KXEN_ECS_INTERDOMAIN:
		if (c->remote_dom == t->domid) {
			kxen_evtchn_mark(t, c->remote_port);
			return 0;
		}
		return t->ops->send_remote(t->priv, c->remote_dom,
					   c->remote_port);
	case KXEN_ECS_UNBOUND:
		return 0;	/* silently dropped, as Xen does */
	default:
		return -EINVAL;
	}
}

int kxen_evtchn_status(struct kxen_evtchn_table *t, u32 port,
		       struct evtchn_status *st)
{
	struct kxen_evtchn *c;

	if (!kxen_port_valid(t, port))
		return -EINVAL;
	c = kxen_port(t, port);
	st->vcpu = c->notify_vcpu;
	switch (c->state) {
	case KXEN_ECS_FREE:
	case KXEN_ECS_RESERVED:
		st->status = EVTCHNSTAT_closed;
		break;
	case KXEN_ECS_UNBOUND:
		st->status = EVTCHNSTAT_unbound;
		st->u.unbound.dom = c->remote_dom;
		break;
	case KXEN_ECS_INTERDOMAIN:
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = c->remote_dom;
		st->u.interdomain.port = c->remote_port;
		break;
	case KXEN_ECS_VIRQ:
		st->status = EVTCHNSTAT_virq;
		st->u.virq = c->virq;
		break;
	case KXEN_ECS_IPI:
		st->status = EVTCHNSTAT_ipi;
		break;
	}
	return 0;
}

int kxen_evtchn_bind_vcpu(struct kxen_evtchn_table *t, u32 port, u32 vcpu)
{
	struct kxen_evtchn *c;

	if (!kxen_port_valid(t, port))
		return -EINVAL;
	if (vcpu >= t->nr_vcpus)
		return -ENOENT;
	vcpu = array_index_nospec(vcpu, t->nr_vcpus);
	c = kxen_port(t, port);
	switch (c->state) {
	case KXEN_ECS_VIRQ:
		if (!kxen_evtchn_virq_is_global(c->virq))
			return -EINVAL;
		/* The VIRQ itself stays raised on vCPU 0's slot. */
		c->notify_vcpu = vcpu;
		return 0;
	case KXEN_ECS_UNBOUND:
	case KXEN_ECS_INTERDOMAIN:
		c->notify_vcpu = vcpu;
		return 0;
	default:
		return -EINVAL;
	}
}

int kxen_evtchn_unmask(struct kxen_evtchn_table *t, u32 port)
{
	struct shared_info *s = t->ops->shinfo(t->priv);
	struct vcpu_info *vi;
	u32 vcpu;

	if (!kxen_port_valid(t, port))
		return -EINVAL;
	if (t->fifo.on) {
		kxen_evtchn_fifo_unmask(t, port);
		return 0;
	}
	if (!s || !kxen_test_and_clear(port, kxen_2l_mask(t, s)) ||
	    !kxen_test(port, s->evtchn_pending))
		return 0;
	/* Pending while masked: deliver it now (Xen's evtchn_2l_unmask). */
	vcpu = kxen_port(t, port)->notify_vcpu;
	vi = t->ops->vcpu_info(t->priv, vcpu);
	if (vi && !kxen_2l_select(t, vi, port)) {
		kxen_evtchn_upcall(t, vi, vcpu);
		t->ops->kick(t->priv, vcpu);
	}
	return 0;
}

void kxen_evtchn_reset(struct kxen_evtchn_table *t)
{
	u32 p;

	for (p = 1; p < KXEN_EVTCHN_2L_PORTS; p++)
		if (t->ports[p].state > KXEN_ECS_RESERVED)
			kxen_evtchn_close(t, p);
	/* Back to the 2-level ABI (event_channel.h, EVTCHNOP_reset). */
	if (t->fifo.on)
		kxen_evtchn_fifo_destroy(t);
}

void kxen_evtchn_raise_virq(struct kxen_evtchn_table *t, u32 virq, u32 vcpu)
{
	u32 port;

	if (virq >= NR_VIRQS)
		return;
	if (kxen_evtchn_virq_is_global(virq))
		vcpu = 0;
	if (vcpu >= t->nr_vcpus)
		return;
	port = t->virq_port[vcpu * NR_VIRQS + virq];
	if (port)
		kxen_evtchn_mark(t, port);
}

void kxen_evtchn_vcpu_info_moved(struct kxen_evtchn_table *t, u32 vcpu)
{
	struct vcpu_info *vi = t->ops->vcpu_info(t->priv, vcpu);

	if (!vi)
		return;
	if (t->compat)
		WRITE_ONCE(*(u32 *)((u8 *)vi + KXEN_COMPAT_VCPU_INFO_SEL), ~0U);
	else
		WRITE_ONCE(vi->evtchn_pending_sel, ~(xen_ulong_t)0);
	kxen_evtchn_upcall(t, vi, vcpu);
	t->ops->kick(t->priv, vcpu);
}

bool kxen_evtchn_set_compat(struct kxen_evtchn_table *t, bool compat)
{
	if (t->compat == compat)
		return false;
	WRITE_ONCE(t->compat, compat);
	return true;
}
