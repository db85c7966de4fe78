/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstu_user: the userspace handler backend (private header).
 *
 * Objects:
 *  - su_dev: one per configfs device devices/user/<name>; outlives its
 *    configfs item while a connection still refers to it (kref).
 *  - su_conn: one per open /dev/scstu_user; after REGISTER it owns
 *    nr_queues queues and is attached to one su_dev.
 *  - su_queue: the mmap'd memory (ring header, SQ, CQ, data area), the
 *    slots (one per unanswered SQE), the data-area bitmap and the FIFO of
 *    commands and events waiting for a slot or a buffer.
 *
 * Lock order: core dev->lock -> su_dev.lock -> su_queue.lock. No lock of
 * ours is held while calling scstu_cmd_complete() or scstu_dev_ua().
 * su_dev.conn is published with RCU: the dispatch path reads it under
 * rcu_read_lock() and takes only the queue lock.
 *
 * Who owns a command: exactly one of the device's held list (no handler),
 * a queue's pending list, or a queue slot (state SU_SLOT_FILLING or
 * SU_SLOT_CMD). Whoever takes it off under the corresponding lock
 * completes it; a FILLING slot belongs to the thread filling it.
 *
 * Publishing a WRITE: under q->lock a slot, its chunks and the next SQ
 * position are reserved (slot FILLING); the data is copied without the
 * lock; under q->lock again the position is marked ready and sq_tail
 * advances over every ready position in order (su_sq_advance_locked), so
 * SQEs become visible in tail order and only complete. Fills run inside
 * an RCU read-side section that began before the reservation, so
 * su_conn_detach()'s synchronize_rcu() waits for them.
 *
 * Zero copy (SCSTU_USER_F_ZERO_COPY, scstu_user_zc.c): a command whose
 * data is whole pages gets its chunks in the zero-copy window; nothing is
 * copied at dispatch, the handler's first touch faults the command's
 * pages in (su_vm_fault), and every path that completes such a command
 * first zaps the range in every mapping of the queue (su_zc_zap_*).
 * Lock order: mmap_lock -> su_queue.zc_mutex -> su_queue.lock; zc_mutex
 * orders a fault's check-and-insert against the zap.
 */
#ifndef _SCSTU_USER_PRIV_H
#define _SCSTU_USER_PRIV_H

#include <linux/types.h>
#include <linux/kref.h>
#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/completion.h>
#include "scstu.h"
#include "uapi/scstu_user.h"

#define SU_CHUNK_SIZE		4096U
#define SU_EVENT_SLOTS		8U
#define SU_REAP_BATCH		32U
#define SU_DEF_REATTACH_MS	30000U
#define SU_DEF_TMF_MS		10000U
#define SU_MAX_TIMEOUT_MS	3600000U
/*
 * Below this, a copy is cheaper than a fault plus a zap and TLB flush:
 * under TCG 4 KiB random reads ran at about half the IOPS with zero copy.
 */
#define SU_DEF_ZC_MIN		(64U << 10)
#define SU_SQ_READY		(1U << 31)	/* q->sq_map: may be published */
/* zero copy maps one page per data chunk */
#define SU_ZC_POSSIBLE		(PAGE_SIZE == SU_CHUNK_SIZE)

enum su_state {
	SU_STATE_NEW,		/* never registered */
	SU_STATE_ATTACHED,
	SU_STATE_DETACHED,	/* handler gone, commands held */
	SU_STATE_FAILED,	/* reattach timeout passed */
};

enum su_slot_state {
	SU_SLOT_FREE,
	SU_SLOT_CMD,		/* a command published to the handler */
	SU_SLOT_EVENT,		/* an event published to the handler */
	SU_SLOT_ORPHAN,		/* aborted command completed on timeout */
	SU_SLOT_REAPING,	/* DONE being processed by the reaper */
	SU_SLOT_FILLING,	/* command reserved, data being copied */
	SU_SLOT_ZAPPING,	/* aborted zero-copy command: chunks wait for the zap */
};

/* A RESET waiting for its DONE (shared by the waiter and the event). */
struct su_waiter {
	refcount_t ref;
	struct completion done;
};

struct su_event {
	struct list_head node;		/* queue pend_events */
	u8 kind;			/* enum scstu_user_sqe_kind */
	u32 fn;				/* RESET */
	u64 session;
	u64 lun;
	u64 cmd_id;			/* ABORT */
	u16 rel_port;
	u16 ini_len;			/* ATTACH names, without NULs */
	u16 tgt_len;
	struct su_waiter *waiter;	/* RESET */
	char names[];			/* ATTACH: "ini\0tgt\0" */
};

struct su_slot {
	u32 gen;			/* never 0 once used */
	u8 state;			/* enum su_slot_state */
	u8 dir;				/* enum scstu_user_dir */
	bool aborting;			/* CMD: an abort was seen */
	bool is_cmd;			/* counts in nr_cmds */
	bool zc;			/* CMD: data in the zero-copy window */
	bool zc_mapped;			/* zc: a fault mapped its pages */
	u32 chunk;			/* first data chunk */
	u32 nr_chunks;
	u32 xfer_len;
	u32 sq_pos;			/* FILLING: its SQ position */
	unsigned long deadline;		/* aborting: jiffies */
	struct list_head fill;		/* FILLING: on a caller's list */
	struct scstu_cmd *cmd;		/* CMD, REAPING */
	struct su_event *ev;		/* EVENT */
};

/* One DONE being processed outside the queue lock. */
struct su_done {
	struct scstu_cmd *cmd;
	u32 slot;
	u32 off;			/* READ data in the data area */
	u32 len;			/* bytes to copy (READ) or transferred */
	u32 chunk;			/* zc: the range to unmap */
	u32 nr_chunks;
	u8 dir;
	bool zc;
	bool zap;			/* zc and mapped: unmap before completion */
};

struct su_conn;

struct su_queue {
	spinlock_t lock;
	struct su_conn *conn;
	unsigned int idx;
	bool dead;			/* handler gone: no new entries */

	void *mem;			/* vmalloc_user, map_size bytes */
	struct scstu_user_ring *ring;
	struct scstu_user_sqe *sq;
	struct scstu_user_cqe *cq;
	u8 *data;
	u32 entries;
	u32 mask;
	u32 sq_tail;			/* published, under lock */
	u32 sq_next;			/* reserved, under lock */
	u32 *sq_map;			/* per SQ entry: slot | SU_SQ_READY */
	u32 cq_head;			/* kernel's copy, under reap_mutex */

	u32 nr_chunks;
	u32 chunk_hint;
	unsigned long *bitmap;		/* data chunks in use */
	struct su_slot *slots;
	u32 *free_slots;		/* stack of free slot indices */
	u32 nr_free;
	u32 nr_cmds;			/* slots held by commands */
	struct list_head pend_cmds;	/* via cmd->be_work.entry */
	struct list_head pend_events;

	wait_queue_head_t wq;		/* ENTER sleepers and poll */
	atomic_t wake_seq;		/* bumped by SCSTU_USER_WAKE */
	struct mutex reap_mutex;
	struct su_done *batch;		/* SU_REAP_BATCH, under reap_mutex */

	/* zero copy */
	struct mutex zc_mutex;		/* vmas; fault vs zap */
	struct list_head vmas;		/* struct su_vma, under zc_mutex */
	u32 *chunk_slot;		/* zc chunk -> slot, under lock */
};

struct su_dev;

struct su_conn {
	struct kref kref;
	struct mutex mutex;		/* REGISTER, mmap */
	struct su_dev *udev;		/* set once by REGISTER */
	u64 features;
	u32 nr_queues;
	u32 entries;
	u32 data_size;
	u32 map_size;
	u64 stride;
	u32 sq_off;
	u32 cq_off;
	u32 data_off;
	pid_t pid;
	struct su_queue *queues;
	struct mm_struct *mm;		/* zero copy: the only mm mapping us */
	u32 zc_off;			/* zero-copy window in a queue map */
};

struct su_dev {
	struct scstu_dev dev;
	struct kref kref;		/* configfs item + connections */
	struct list_head node;		/* su_devs, under su_devs_mutex */

	spinlock_t lock;		/* everything below */
	struct su_conn __rcu *conn;	/* attached handler */
	enum su_state state;
	bool removed;			/* configfs item released */
	struct list_head held;		/* commands, via be_work.entry */
	pid_t pid;
	u32 nr_queues;
	u32 queue_depth;

	unsigned int reattach_timeout_ms;
	unsigned int tmf_timeout_ms;
	atomic64_t protocol_errors;
	atomic64_t zc_cmds;		/* data commands dispatched zero-copy */
	atomic64_t copied_cmds;		/* and through the copy window */
	unsigned int zero_copy_min;	/* smaller transfers are copied */
	struct delayed_work reattach_work;
	struct delayed_work abort_work;
};

static inline struct su_dev *to_su_dev(struct scstu_dev *dev)
{
	return container_of(dev, struct su_dev, dev);
}

static inline u64 su_id(struct su_queue *q, u32 idx)
{
	return (u64)q->slots[idx].gen << 32 | idx;
}

/* scstu_user_main.c */
void su_dev_put(struct su_dev *udev);
void su_conn_put(struct su_conn *conn);
/* The attached connection with a reference, or NULL. */
struct su_conn *su_dev_get_conn(struct su_dev *udev);

/* scstu_user_queue.c */
int su_queue_init(struct su_queue *q, struct su_conn *conn, unsigned int idx);
void su_queue_free(struct su_queue *q);
int su_execute(struct scstu_cmd *cmd, bool may_sleep);
/* Dispatch to the attached handler, hold, or fail (process context). */
void su_dispatch(struct su_dev *udev, struct scstu_cmd *cmd);
void su_post_event(struct su_queue *q, struct su_event *ev);
struct su_event *su_event_alloc(u8 kind, size_t names, gfp_t gfp);
void su_event_free(struct su_event *ev);
void su_slot_free_locked(struct su_queue *q, u32 idx);
/*
 * Publish what the pending lists allow; aborted commands go to @done.
 * With @fill, commands whose data must be copied are left FILLING on it
 * for su_fill_list() after the lock is dropped; without, they are copied
 * at once.
 */
bool su_drain_pending_locked(struct su_queue *q, struct list_head *done,
			     struct list_head *fill);
/* Copy and publish the FILLING slots on @fill (no lock held, RCU read). */
void su_fill_list(struct su_queue *q, struct list_head *fill);
void su_wake(struct su_queue *q);
void su_complete_list(struct list_head *list, u8 status);
void su_fail_not_ready(struct scstu_cmd *cmd);

/* scstu_user_zc.c */
bool su_zc_eligible(const struct scstu_cmd *cmd, u32 xfer);
int su_zc_mmap(struct su_queue *q, struct vm_area_struct *vma);
/* Unmap zero-copy ranges: lock, zap each range (nr 0: all), unlock. */
void su_zc_lock(struct su_queue *q);
void su_zc_zap_locked(struct su_queue *q, u32 chunk, u32 nr);
void su_zc_unlock(struct su_queue *q);

/* scstu_user_reap.c */
int su_reap(struct su_queue *q, u32 *reaped, u32 *rejected);
void su_protocol_error(struct su_queue *q, const char *what, u64 id);

/* scstu_user_tmf.c */
void su_abort_cmd(struct scstu_cmd *cmd);
void su_abort_work(struct work_struct *work);
void su_reattach_work(struct work_struct *work);
void su_reset(struct scstu_dev *dev, enum scstu_tmf_fn fn,
	      struct scstu_session *sess, u64 lun);
void su_nexus_event(struct scstu_dev *dev, struct scstu_session *sess,
		    u64 lun, bool added);
void su_announce_nexuses(struct su_dev *udev, struct su_conn *conn);
void su_conn_detach(struct su_conn *conn);
void su_dev_attach_held(struct su_dev *udev);
void su_waiter_put(struct su_waiter *w);

#endif /* _SCSTU_USER_PRIV_H */
