/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the files of the xenstore core.
 *
 * The tree is persistent: nodes are reference counted and never changed
 * while shared.  A transaction's snapshot is one more reference on the
 * root; a change copies the nodes on its path (copy on write), so that
 * every change is made on a private copy and published, or dropped, as a
 * whole.  Each node carries the generation of its last change; a
 * transaction records the generation of every node it touches and its
 * commit fails with EAGAIN when one of them changed meanwhile
 * (docs/misc/xenstore.txt, TRANSACTION_END).
 */
#ifndef XS_CORE_H
#define XS_CORE_H

#include "xs_store.h"

#define XS_LOCAL_DOMAIN		"/local/domain/"
#define XS_SPECIAL_INTRODUCE	"@introduceDomain"
#define XS_SPECIAL_RELEASE	"@releaseDomain"
#define XS_NR_SPECIAL		2
#define XS_PERM_OWNER		0x4	/* xs_perm_for(): may change perms */

struct xs_node {
	u32 ref;
	u32 vlen;
	u64 gen;
	u8 *value;
	struct xs_perm *perms;	/* perms[0].domid owns the node */
	u32 nperms;
	u32 nkids;		/* sorted by name */
	u32 kcap;
	struct xs_node **kids;
	struct xs_node *free_next;	/* freeing without recursion */
	u32 namelen;
	char name[];
};

/* Node count changes of one operation, by owning domain. */
struct xs_acct_ent {
	u32 domid;
	int delta;
};

struct xs_acct {
	u32 n;
	u32 cap;
	struct xs_acct_ent *e;
};

struct xs_dom {
	struct xs_dom *next;
	u32 domid;
	u32 target;		/* SET_TARGET, or XS_DOMID_NONE */
	bool introduced;
	bool shutdown;		/* @releaseDomain fired for its shutdown */
	u32 nodes;
	u32 watches;
	u32 quota[XS_Q_COUNT];	/* 0: the store's default */
};

struct xs_watch {
	struct xs_watch *next;
	char *path;		/* absolute, or "@..." */
	char *token;
	bool relative;		/* events are reported relative */
};

/* What a transaction touched, and the generation it saw (0: absent). */
struct xs_access {
	char *path;
	u64 gen;
};

enum xs_op_type { XS_OP_WRITE, XS_OP_MKDIR, XS_OP_RM, XS_OP_SETPERMS };

struct xs_op {
	enum xs_op_type type;
	char *path;		/* canonical, absolute */
	void *data;		/* value, or struct xs_perm[] */
	u32 len;		/* bytes, or entries */
};

struct xs_txn {
	struct xs_txn *next;
	u32 id;
	struct xs_node *root;
	struct xs_access *acc;
	u32 nacc;
	u32 acap;
	struct xs_op *ops;
	u32 nops;
	u32 ocap;
	struct xs_acct acct;
};

struct xs_msg {
	struct xs_msg *next;
	bool event;		/* a WATCH_EVENT, not a reply */
	u32 len;
	u32 off;		/* bytes already read out */
	u8 data[];
};

struct xs_conn {
	struct xs_conn *next;	/* st->conns */
	struct xs_store *st;
	u32 domid;
	bool priv;
	bool closed;
	u32 in_have;		/* bytes of header + payload received */
	u8 *in_buf;		/* header, then up to XENSTORE_PAYLOAD_MAX */
	u8 *scratch;		/* a reply being built */
	struct xs_msg *out_head;
	struct xs_msg **out_tail;
	u32 nout;		/* messages queued */
	u32 nreplies;		/* of which replies (not events) */
	u32 dropped;		/* watch events dropped: queue full */
	struct xs_watch *watches;
	struct xs_txn *txns;
	u32 ntxns;
	u32 next_txid;
	xs_notify_fn notify;
	void *notify_arg;
	xs_event_fn event_cb;
	void *event_arg;
};

struct xs_store {
	struct xs_node *root;
	u64 gen;
	struct xs_dom *doms;
	struct xs_conn *conns;
	u32 quota[XS_Q_COUNT];
	struct xs_perm *special[XS_NR_SPECIAL];
	u32 nspecial[XS_NR_SPECIAL];
};

/* A change being made: who makes it, on which tree, recording what. */
struct xs_ctx {
	struct xs_store *st;
	struct xs_conn *c;
	struct xs_node *root;	/* working root: one reference owned */
	struct xs_txn *t;	/* record accesses here, or NULL */
	struct xs_acct acct;
	bool changed;		/* the op changed something: fire watches */
};

/* xs_tree.c */
struct xs_node *xs_node_new(const char *name, u32 namelen);
void xs_node_get(struct xs_node *n);
void xs_node_put(struct xs_node *n);
struct xs_node *xs_node_lookup(struct xs_node *root, const char *path);
int xs_tree_op(struct xs_ctx *ctx, const struct xs_op *op);
u32 xs_tree_count(struct xs_node *n);
typedef int (*xs_walk_fn)(struct xs_node *n, const char *path, void *arg);
int xs_tree_walk(struct xs_node *n, const char *path, xs_walk_fn fn,
		 void *arg);

/* xs_path.c */
int xs_path_canon(const struct xs_conn *c, const char *in, bool special,
		  char **out);
bool xs_path_is_child(const char *child, const char *parent);
int xs_parse_u32(const char *s, u32 *val);

/* xs_perms.c */
u32 xs_perm_for(struct xs_store *st, const struct xs_conn *c,
		const struct xs_perm *p, u32 n);
int xs_perms_parse(const char *const *strs, u32 n, struct xs_perm **out);
int xs_perm_format(const struct xs_perm *p, char *buf, size_t len);
int xs_special_index(const char *path);

/* xs_quota.c */
void xs_quota_init(struct xs_store *st);
struct xs_dom *xs_dom_find(struct xs_store *st, u32 domid);
struct xs_dom *xs_dom_get(struct xs_store *st, u32 domid);
u32 xs_quota(struct xs_store *st, const struct xs_conn *c, enum xs_quota q);
int xs_acct_add(struct xs_acct *a, u32 domid, int delta);
int xs_acct_delta(const struct xs_acct *a, u32 domid);
int xs_acct_merge(struct xs_acct *into, const struct xs_acct *from);
void xs_acct_apply(struct xs_store *st, const struct xs_acct *a);
void xs_acct_free(struct xs_acct *a);
int xs_quota_nodes_check(struct xs_ctx *ctx, u32 extra);

/* xs_txn.c */
struct xs_txn *xs_txn_find(struct xs_conn *c, u32 id);
int xs_txn_note(struct xs_ctx *ctx, const char *path, struct xs_node *n);
void xs_txn_free(struct xs_store *st, struct xs_txn *t);
void xs_op_free(struct xs_op *op);

/* xs_txn.c: the transaction's root, @ctx set up to work on it */
struct xs_node *xs_txn_root(struct xs_conn *c, u32 txid, struct xs_ctx *ctx);
void xs_txn_free_all(struct xs_conn *c);

/* xs_watch.c */
int xs_watch_add(struct xs_conn *c, const char *path, const char *token,
		 struct xs_watch **out);
void xs_watch_initial(struct xs_conn *c, struct xs_watch *w);
void xs_fire(struct xs_store *st, const char *path, bool removal);
void xs_fire_special(struct xs_store *st, int idx);
void xs_watch_free_all(struct xs_conn *c);

/* xs_conn.c */
int xs_queue(struct xs_conn *c, u32 type, u32 req_id, u32 tx_id,
	     const void *payload, u32 len);
void xs_queue_event(struct xs_conn *c, const char *path, const char *token);

/* xs_proto.c */
void xs_proto_handle(struct xs_conn *c, const struct xsd_sockmsg *h,
		     const u8 *payload);

/* xs_control.c */
int xs_control(struct xs_conn *c, const struct xsd_sockmsg *h,
	       const char **v, int n);

/* xs_api.c */
int xs_change(struct xs_conn *c, u32 txid, const struct xs_op *op);
int xs_directory_gen(struct xs_conn *c, u32 txid, const char *path,
		     char **names, u32 *len, u64 *gen);

#endif /* XS_CORE_H */
