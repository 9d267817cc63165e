// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels, FIFO ABI (see evtchn_fifo.h).  The semantics are Xen's
 * common/event_fifo.c: an event is linked at the tail of the queue of its
 * vCPU and priority, the queue's READY bit in that vCPU's control block
 * raises the upcall, and the guest consumes from HEAD, clearing LINKED.
 *
 * Callers serialize calls on one table (one lock per domain), so the
 * queues' tails need no locks of their own; the event words and control
 * blocks are shared with running guest vCPUs and are only touched with
 * atomic operations.  Every guest-supplied value is bounded here: GFNs
 * go through ops->page(), offsets, vCPUs, priorities and the array size
 * are checked with the errors Xen gives.
 */
#include "evtchn_core.h"

#define KXEN_FIFO_W(bit)	(1u << EVTCHN_FIFO_##bit)

void kxen_evtchn_fifo_attach(struct kxen_evtchn_table *t,
			     struct kxen_evtchn_fifo_vcpu *vcpus)
{
	t->fifo.vcpus = vcpus;
}

/*
 * The word of @port, or NULL when no array page covers it yet.  May run
 * without the table's lock (SCHEDOP_poll's wake check): then it only
 * reads, and a racing reset at worst makes it read a stale guest page.
 */
static event_word_t *kxen_fifo_word(struct kxen_evtchn_table *t, u32 port)
{
	u32 nr = READ_ONCE(t->fifo.nr_pages);
	event_word_t *page;

	if (!READ_ONCE(t->fifo.on) || nr > KXEN_FIFO_MAX_PAGES ||
	    port >= nr * KXEN_FIFO_WORDS_PER_PAGE)
		return NULL;
	page = t->ops->page(t->priv, READ_ONCE(t->fifo.array_gfn[port /
					KXEN_FIFO_WORDS_PER_PAGE]));
	return page ? page + port % KXEN_FIFO_WORDS_PER_PAGE : NULL;
}

static struct evtchn_fifo_control_block *
kxen_fifo_cb(struct kxen_evtchn_table *t, u32 vcpu)
{
	struct kxen_evtchn_fifo_vcpu *fv;
	u8 *page;

	if (vcpu >= t->nr_vcpus)
		return NULL;
	vcpu = array_index_nospec(vcpu, t->nr_vcpus);
	fv = &t->fifo.vcpus[vcpu];
	if (!fv->has_cb)
		return NULL;
	page = t->ops->page(t->priv, fv->cb_gfn);
	return page ? (void *)(page + fv->cb_offset) : NULL;
}

/*
 * Point the LINK of a still-LINKED tail word at @link: 1 done, 0 the
 * tail is no longer linked (the guest consumed it), -EAGAIN it changed
 * under us; *w holds the word as last seen.
 */
static int kxen_fifo_try_link(event_word_t *word, event_word_t *w, u32 link)
{
	event_word_t old = *w, new;

	if (!(old & KXEN_FIFO_W(LINKED)))
		return 0;
	new = (old & ~(KXEN_FIFO_W(BUSY) | EVTCHN_FIFO_LINK_MASK)) | link;
	*w = kxen_cmpxchg32(word, old, new);
	return *w == old ? 1 : -EAGAIN;
}

/*
 * The guest may only set or clear MASKED, clear PENDING, or clear LINKED
 * (with LINK) of a linked word.  BUSY stops it from unmasking, so after
 * setting it the cmpxchg can lose to at most a few guest changes.
 */
static bool kxen_fifo_set_link(event_word_t *word, u32 link)
{
	event_word_t w = READ_ONCE(*word);
	unsigned int try;
	int ret;

	ret = kxen_fifo_try_link(word, &w, link);
	if (ret >= 0)
		return ret;
	kxen_test_and_set32(EVTCHN_FIFO_BUSY, word);
	w = READ_ONCE(*word);
	for (try = 0; try < 4; try++) {
		ret = kxen_fifo_try_link(word, &w, link);
		if (ret == 1)
			return true;	/* the new LINK cleared BUSY */
		if (ret == 0)
			break;
	}
	kxen_test_and_clear32(EVTCHN_FIFO_BUSY, word);
	/* A guest that keeps changing the word loses the event, as in Xen. */
	return ret != 0;
}

/* READY went up: the upcall is pending (Xen's vcpu_mark_events_pending). */
static bool kxen_fifo_mark_vcpu(struct kxen_evtchn_table *t, u32 vcpu)
{
	struct vcpu_info *vi = t->ops->vcpu_info(t->priv, vcpu);

	if (!vi || READ_ONCE(vi->evtchn_upcall_pending))
		return false;
	kxen_evtchn_upcall(t, vi, vcpu);
	return true;
}

/*
 * Link @port at the tail of queue (@vcpu, @prio); true when the queue
 * was empty, so HEAD now names it and READY must go up.
 */
static bool kxen_fifo_link(struct kxen_evtchn_table *t, u32 port, u32 vcpu,
			   u8 prio, struct evtchn_fifo_control_block *cb)
{
	struct kxen_evtchn *c =
		&t->ports[array_index_nospec(port, KXEN_EVTCHN_2L_PORTS)];
	u32 *old_tail, *tail = &t->fifo.vcpus[vcpu].tail[prio];
	event_word_t *tail_word;
	bool linked = false;

	/*
	 * A port that was the tail of its last queue leaves that queue
	 * empty once consumed: forget it there, or a later event on the old
	 * queue would link behind a word that now belongs to this one.
	 */
	if (c->last_vcpu < t->nr_vcpus &&
	    c->last_prio < EVTCHN_FIFO_MAX_QUEUES) {
		old_tail = &t->fifo.vcpus[c->last_vcpu].tail[c->last_prio];
		if (*old_tail == port)
			*old_tail = 0;
	}
	c->last_vcpu = vcpu;
	c->last_prio = prio;
	if (*tail) {
		tail_word = kxen_fifo_word(t, *tail);
		linked = tail_word && kxen_fifo_set_link(tail_word, port);
	}
	if (!linked)
		WRITE_ONCE(cb->head[prio], port);
	*tail = port;
	return !linked;
}

void kxen_evtchn_fifo_set_pending(struct kxen_evtchn_table *t, u32 port)
{
	struct kxen_evtchn *c =
		&t->ports[array_index_nospec(port, KXEN_EVTCHN_2L_PORTS)];
	event_word_t *word = kxen_fifo_word(t, port);
	struct evtchn_fifo_control_block *cb;
	u32 vcpu = c->notify_vcpu;
	u8 prio = c->priority;
	bool was_pending, kick = false;

	if (!word) {
		/* Raised again when the array page arrives. */
		c->fifo_saved = true;
		return;
	}
	was_pending = kxen_test_and_set32(EVTCHN_FIFO_PENDING, word);
	cb = kxen_fifo_cb(t, vcpu);
	/*
	 * No control block: the guest must not unmask an event of that
	 * vCPU before it has one, so the event just stays pending.
	 */
	if (cb && prio < EVTCHN_FIFO_MAX_QUEUES &&
	    !kxen_test32(EVTCHN_FIFO_MASKED, word) &&
	    !kxen_test_and_set32(EVTCHN_FIFO_LINKED, word) &&
	    kxen_fifo_link(t, port, vcpu, prio, cb) &&
	    !kxen_test_and_set32(prio, &cb->ready))
		kick = kxen_fifo_mark_vcpu(t, vcpu);
	/* A newly pending port also wakes a vCPU polling it. */
	if (kick || !was_pending)
		t->ops->kick(t->priv, vcpu);
}

void kxen_evtchn_fifo_clear_pending(struct kxen_evtchn_table *t, u32 port)
{
	event_word_t *word = kxen_fifo_word(t, port);

	/* No unlinking: the guest skips a linked word that is not pending. */
	if (word)
		kxen_test_and_clear32(EVTCHN_FIFO_PENDING, word);
	t->ports[array_index_nospec(port, KXEN_EVTCHN_2L_PORTS)].fifo_saved =
		false;
}

void kxen_evtchn_fifo_unmask(struct kxen_evtchn_table *t, u32 port)
{
	event_word_t *word = kxen_fifo_word(t, port);

	if (!word)
		return;
	kxen_test_and_clear32(EVTCHN_FIFO_MASKED, word);
	/* Pending while masked: link it now. */
	if (kxen_test32(EVTCHN_FIFO_PENDING, word))
		kxen_evtchn_fifo_set_pending(t, port);
}

bool kxen_evtchn_fifo_is_pending(struct kxen_evtchn_table *t, u32 port)
{
	event_word_t *word = kxen_fifo_word(t, port);

	return word && kxen_test32(EVTCHN_FIFO_PENDING, word);
}

bool kxen_evtchn_fifo_is_busy(struct kxen_evtchn_table *t, u32 port)
{
	event_word_t *word = kxen_fifo_word(t, port);

	return word && kxen_test32(EVTCHN_FIFO_LINKED, word);
}

/*
 * The switch from the 2-level ABI: ports already bound keep their
 * pending state (raised when their array page arrives) and get the
 * default priority (Xen's setup_ports).
 */
static void kxen_fifo_setup_ports(struct kxen_evtchn_table *t)
{
	struct shared_info *s = t->ops->shinfo(t->priv);
	u32 p;

	memset(t->fifo.vcpus, 0, t->nr_vcpus * sizeof(*t->fifo.vcpus));
	t->fifo.nr_pages = 0;
	for (p = 1; p < KXEN_EVTCHN_2L_PORTS; p++) {
		struct kxen_evtchn *c = &t->ports[p];

		c->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
		c->fifo_saved = c->state > KXEN_ECS_RESERVED && s &&
				p < kxen_evtchn_2l_ports(t) &&
				kxen_test(p, s->evtchn_pending);
	}
}

int kxen_evtchn_init_control(struct kxen_evtchn_table *t,
			     struct evtchn_init_control *ic)
{
	struct kxen_evtchn_fifo_vcpu *fv;

	ic->link_bits = EVTCHN_FIFO_LINK_BITS;
	if (!t->fifo.vcpus || !t->ops->page)
		return -KXEN_FIFO_ENOSYS;
	if (ic->vcpu >= t->nr_vcpus)
		return -ENOENT;
	ic->vcpu = array_index_nospec(ic->vcpu, t->nr_vcpus);
	/* Within one page, 8-byte aligned. */
	if (ic->offset > KXEN_FIFO_PAGE_SIZE -
			 sizeof(struct evtchn_fifo_control_block) ||
	    ic->offset & 7)
		return -EINVAL;
	fv = &t->fifo.vcpus[ic->vcpu];
	if (t->fifo.on && fv->has_cb)
		return -EINVAL;
	if (!t->ops->page(t->priv, ic->control_gfn))
		return -EINVAL;
	if (!t->fifo.on) {
		kxen_fifo_setup_ports(t);
		WRITE_ONCE(t->fifo.on, true);
	}
	fv->cb_gfn = ic->control_gfn;
	fv->cb_offset = ic->offset;
	fv->has_cb = true;
	return 0;
}

int kxen_evtchn_expand_array(struct kxen_evtchn_table *t, u64 gfn)
{
	u32 slot = t->fifo.nr_pages, p, end;

	if (!t->fifo.on)
		return -EOPNOTSUPP;
	/*
	 * Past the ABI's last page, or a page that could only hold ports
	 * the guest may not bind (its max_evtchn_port): nothing to grow for.
	 */
	if (slot >= KXEN_FIFO_MAX_PAGES ||
	    slot * KXEN_FIFO_WORDS_PER_PAGE > t->max_port)
		return -ENOSPC;
	if (!t->ops->page(t->priv, gfn))
		return -EINVAL;
	t->fifo.array_gfn[slot] = gfn;
	/* The GFN before the count that shows it to lockless readers. */
	smp_wmb();
	WRITE_ONCE(t->fifo.nr_pages, slot + 1);
	/* Events raised while this page was missing. */
	p = slot * KXEN_FIFO_WORDS_PER_PAGE;
	end = p + KXEN_FIFO_WORDS_PER_PAGE;
	for (; p < end && p < KXEN_EVTCHN_2L_PORTS; p++) {
		if (!t->ports[p].fifo_saved)
			continue;
		t->ports[p].fifo_saved = false;
		kxen_evtchn_fifo_set_pending(t, p);
	}
	return 0;
}

int kxen_evtchn_set_priority(struct kxen_evtchn_table *t, u32 port,
			     u32 priority)
{
	if (port >= KXEN_EVTCHN_2L_PORTS)
		return -EINVAL;
	if (!t->fifo.on)
		return -KXEN_FIFO_ENOSYS;
	if (priority > EVTCHN_FIFO_PRIORITY_MIN)
		return -EINVAL;
	/* For the next event: one already linked stays where it is. */
	t->ports[array_index_nospec(port, KXEN_EVTCHN_2L_PORTS)].priority =
		array_index_nospec(priority, EVTCHN_FIFO_PRIORITY_MIN + 1);
	return 0;
}

bool kxen_evtchn_fifo_uses_gfn(const struct kxen_evtchn_table *t, u64 gfn)
{
	u32 i;

	if (!t->fifo.on)
		return false;
	for (i = 0; i < t->nr_vcpus; i++)
		if (t->fifo.vcpus[i].has_cb && t->fifo.vcpus[i].cb_gfn == gfn)
			return true;
	for (i = 0; i < t->fifo.nr_pages && i < KXEN_FIFO_MAX_PAGES; i++)
		if (t->fifo.array_gfn[i] == gfn)
			return true;
	return false;
}

void kxen_evtchn_fifo_destroy(struct kxen_evtchn_table *t)
{
	WRITE_ONCE(t->fifo.on, false);
	WRITE_ONCE(t->fifo.nr_pages, 0);
	memset(t->fifo.array_gfn, 0, sizeof(t->fifo.array_gfn));
	if (t->fifo.vcpus)
		memset(t->fifo.vcpus, 0,
		       t->nr_vcpus * sizeof(*t->fifo.vcpus));
}
