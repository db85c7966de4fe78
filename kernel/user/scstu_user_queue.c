// SPDX-License-Identifier: GPL-2.0
/*
 * scstu_user: queues. Memory layout of a queue mapping, slots and command
 * ids, the data-area chunk allocator, publishing SQEs in order and the
 * dispatch path (->execute), which may run in atomic context. A command
 * without data-out takes one queue lock round-trip; a WRITE takes two,
 * with its data copied between them (see scstu_user_priv.h).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/bitmap.h>
#include <linux/smp.h>
#include <scsi/scsi_proto.h>
#include <scsi/scsi_status.h>
#include "scstu_user_priv.h"

int su_queue_init(struct su_queue *q, struct su_conn *conn, unsigned int idx)
{
	u32 i;

	spin_lock_init(&q->lock);
	mutex_init(&q->reap_mutex);
	mutex_init(&q->zc_mutex);
	INIT_LIST_HEAD(&q->vmas);
	init_waitqueue_head(&q->wq);
	atomic_set(&q->wake_seq, 0);
	INIT_LIST_HEAD(&q->pend_cmds);
	INIT_LIST_HEAD(&q->pend_events);
	q->conn = conn;
	q->idx = idx;
	q->entries = conn->entries;
	q->mask = conn->entries - 1;
	q->nr_chunks = conn->data_size / SU_CHUNK_SIZE;

	q->mem = vmalloc_user(conn->map_size);
	q->slots = kvcalloc(q->entries, sizeof(*q->slots), GFP_KERNEL);
	q->free_slots = kvcalloc(q->entries, sizeof(u32), GFP_KERNEL);
	q->sq_map = kvcalloc(q->entries, sizeof(u32), GFP_KERNEL);
	q->bitmap = bitmap_zalloc(q->nr_chunks, GFP_KERNEL);
	q->batch = kcalloc(SU_REAP_BATCH, sizeof(*q->batch), GFP_KERNEL);
	if (conn->features & SCSTU_USER_F_ZERO_COPY) {
		q->chunk_slot = kvcalloc(q->nr_chunks, sizeof(u32), GFP_KERNEL);
		if (!q->chunk_slot)
			return -ENOMEM;
	}
	if (!q->mem || !q->slots || !q->free_slots || !q->sq_map ||
	    !q->bitmap || !q->batch)
		return -ENOMEM;
	q->ring = q->mem;
	q->sq = q->mem + conn->sq_off;
	q->cq = q->mem + conn->cq_off;
	q->data = q->mem + conn->data_off;
	q->ring->ring_entries = q->entries;
	q->ring->ring_mask = q->mask;
	/* pop order: 0, 1, 2, ... */
	for (i = 0; i < q->entries; i++)
		q->free_slots[i] = q->entries - 1 - i;
	q->nr_free = q->entries;
	return 0;
}

void su_queue_free(struct su_queue *q)
{
	vfree(q->mem);
	kvfree(q->slots);
	kvfree(q->free_slots);
	kvfree(q->sq_map);
	bitmap_free(q->bitmap);
	kfree(q->batch);
	kvfree(q->chunk_slot);
}

void su_wake(struct su_queue *q)
{
	if (wq_has_sleeper(&q->wq))
		wake_up_all(&q->wq);
}

/* Complete every command on @list (linked by be_work.entry). */
void su_complete_list(struct list_head *list, u8 status)
{
	struct scstu_cmd *cmd, *tmp;

	list_for_each_entry_safe(cmd, tmp, list, be_work.entry) {
		list_del_init(&cmd->be_work.entry);
		cmd->sense_len = 0;
		cmd->xfer_len = 0;
		cmd->status = status;
		scstu_cmd_complete(cmd);
	}
}

/* LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED */
void su_fail_not_ready(struct scstu_cmd *cmd)
{
	cmd->xfer_len = 0;
	scstu_cmd_set_sense(cmd, NOT_READY, 0x04, 0x03);
	scstu_cmd_complete(cmd);
}

struct su_event *su_event_alloc(u8 kind, size_t names, gfp_t gfp)
{
	struct su_event *ev = kzalloc(struct_size(ev, names, names), gfp);

	if (ev) {
		INIT_LIST_HEAD(&ev->node);
		ev->kind = kind;
	}
	return ev;
}

void su_waiter_put(struct su_waiter *w)
{
	if (refcount_dec_and_test(&w->ref))
		kfree(w);
}

/* Free an event; a RESET waiter learns that it is over. Any context. */
void su_event_free(struct su_event *ev)
{
	if (ev->waiter) {
		complete(&ev->waiter->done);
		su_waiter_put(ev->waiter);
	}
	kfree(ev);
}

/* ---- slots and chunks (under q->lock) ---- */

static int su_chunks_alloc(struct su_queue *q, u32 n, u32 *first)
{
	unsigned long pos;

	if (!n) {
		*first = 0;
		return 0;
	}
	pos = bitmap_find_next_zero_area(q->bitmap, q->nr_chunks,
					 q->chunk_hint, n, 0);
	if (pos >= q->nr_chunks && q->chunk_hint)
		pos = bitmap_find_next_zero_area(q->bitmap, q->nr_chunks, 0,
						 n, 0);
	if (pos >= q->nr_chunks)
		return -ENOSPC;
	bitmap_set(q->bitmap, pos, n);
	q->chunk_hint = pos + n < q->nr_chunks ? pos + n : 0;
	*first = pos;
	return 0;
}

/* Take a slot and @n chunks; -ENOSPC if either is missing. */
static int su_slot_alloc(struct su_queue *q, bool is_cmd, u32 n, u32 *idx)
{
	struct su_slot *s;
	u32 first, i;

	if (!q->nr_free)
		return -ENOSPC;
	if (is_cmd && q->nr_cmds >= q->entries - SU_EVENT_SLOTS)
		return -ENOSPC;
	if (su_chunks_alloc(q, n, &first))
		return -ENOSPC;
	i = q->free_slots[--q->nr_free];
	s = &q->slots[i];
	if (++s->gen == 0)
		s->gen = 1;
	s->chunk = first;
	s->nr_chunks = n;
	s->is_cmd = is_cmd;
	s->zc = false;
	s->zc_mapped = false;
	s->aborting = false;
	s->cmd = NULL;
	s->ev = NULL;
	if (is_cmd)
		q->nr_cmds++;
	*idx = i;
	return 0;
}

void su_slot_free_locked(struct su_queue *q, u32 idx)
{
	struct su_slot *s = &q->slots[idx];

	if (s->nr_chunks)
		bitmap_clear(q->bitmap, s->chunk, s->nr_chunks);
	if (s->is_cmd)
		q->nr_cmds--;
	s->state = SU_SLOT_FREE;
	s->cmd = NULL;
	s->ev = NULL;
	s->nr_chunks = 0;
	q->free_slots[q->nr_free++] = idx;
}

/*
 * Take the next SQ position for slot @idx. The entry is invisible to the
 * handler until sq_tail passes it. It cannot still be in use: a slot is
 * free, so some later entry was answered, so the handler read this one.
 */
static struct scstu_user_sqe *su_sq_reserve_locked(struct su_queue *q,
						   u32 idx)
{
	u32 pos = q->sq_next++;
	struct scstu_user_sqe *sqe = &q->sq[pos & q->mask];

	q->slots[idx].sq_pos = pos;
	q->sq_map[pos & q->mask] = idx;
	memset(sqe, 0, sizeof(*sqe));
	return sqe;
}

static void su_sq_ready_locked(struct su_queue *q, u32 pos)
{
	q->sq_map[pos & q->mask] |= SU_SQ_READY;
}

/*
 * Publish the ready SQEs that follow sq_tail, up to the first one still
 * being filled. Returns true if sq_tail moved.
 */
static bool su_sq_advance_locked(struct su_queue *q)
{
	u32 t = q->sq_tail, m;
	struct su_slot *s;

	while (t != q->sq_next) {
		m = q->sq_map[t & q->mask];
		if (!(m & SU_SQ_READY))
			break;
		q->sq_map[t & q->mask] = 0;
		s = &q->slots[m & ~SU_SQ_READY];
		if (s->state == SU_SLOT_FILLING)
			s->state = SU_SLOT_CMD;
		t++;
	}
	if (t == q->sq_tail)
		return false;
	q->sq_tail = t;
	/* the entries' bytes (and WRITE data) before the new tail */
	smp_store_release(&q->ring->sq_tail, t);
	return true;
}

/* ---- commands ---- */

static u8 su_dir(const struct scstu_cmd *cmd)
{
	if (!cmd->data_len)
		return SCSTU_USER_DIR_NONE;
	if (cmd->dir == DMA_TO_DEVICE)
		return SCSTU_USER_DIR_WRITE;
	if (cmd->dir == DMA_FROM_DEVICE)
		return SCSTU_USER_DIR_READ;
	return SCSTU_USER_DIR_NONE;
}

static u32 su_cmd_xfer(const struct scstu_cmd *cmd)
{
	return su_dir(cmd) == SCSTU_USER_DIR_NONE ? 0 : cmd->data_len;
}

/* Bytes of data area a command needs (data, then a long CDB). */
static u64 su_cmd_bytes(const struct scstu_cmd *cmd)
{
	u64 n = su_cmd_xfer(cmd);

	if (cmd->cdb_len > SCSTU_USER_CDB_INLINE)
		n = ALIGN(n, 8) + cmd->cdb_len;
	return n;
}

/* LUN number (0..16383) from the scsilun_to_int() form. */
static u64 su_lun_number(u64 ilun)
{
	if (ilun < 256)
		return ilun;
	return ilun & 0x3fff;
}

/*
 * Reserve a slot, a buffer and an SQ entry for @cmd and write the SQE.
 * Under q->lock. Returns -ENOSPC (no slot or buffer), 0 (ready: publish
 * with su_sq_advance_locked()) or 1 (slot FILLING: su_cmd_fill() without
 * the lock, then mark it ready).
 */
static int su_cmd_reserve_locked(struct su_queue *q, struct scstu_cmd *cmd,
				 u32 *pidx)
{
	u32 xfer = su_cmd_xfer(cmd), n, idx, off, i;
	struct su_dev *udev = q->conn->udev;
	struct scstu_user_sqe *sqe;
	struct su_slot *s;
	bool fill, zc;

	n = DIV_ROUND_UP((u32)su_cmd_bytes(cmd), SU_CHUNK_SIZE);
	if (su_slot_alloc(q, true, n, &idx))
		return -ENOSPC;
	s = &q->slots[idx];
	s->cmd = cmd;
	s->dir = su_dir(cmd);
	s->xfer_len = xfer;
	off = s->chunk * SU_CHUNK_SIZE;
	zc = q->chunk_slot && xfer >= READ_ONCE(udev->zero_copy_min) &&
	     su_zc_eligible(cmd, xfer);
	fill = !zc && (s->dir == SCSTU_USER_DIR_WRITE ||
		       cmd->cdb_len > SCSTU_USER_CDB_INLINE);
	s->state = fill ? SU_SLOT_FILLING : SU_SLOT_CMD;
	s->zc = zc;
	if (zc) {
		/* the pages of the command are the buffer: no copy */
		for (i = 0; i < n; i++)
			q->chunk_slot[s->chunk + i] = idx;
		off += q->conn->data_size;
		atomic64_inc(&udev->zc_cmds);
	} else if (xfer) {
		atomic64_inc(&udev->copied_cmds);
	}
	*pidx = idx;

	sqe = su_sq_reserve_locked(q, idx);
	sqe->id = su_id(q, idx);
	sqe->kind = SCSTU_USER_SQE_CMD;
	sqe->dir = s->dir;
	sqe->task_attr = cmd->task_attr;
	sqe->cdb_len = cmd->cdb_len;
	sqe->lun = su_lun_number(cmd->lun);
	sqe->session = cmd->sess->id;
	sqe->xfer_len = xfer;
	sqe->data_off = n ? off : 0;
	sqe->data_len = n * SU_CHUNK_SIZE;
	if (cmd->cdb_len > SCSTU_USER_CDB_INLINE)
		sqe->flags = SCSTU_USER_SQE_CDB_IN_DATA;
	else
		memcpy(sqe->u.cdb, cmd->cdb, cmd->cdb_len);
	if (fill)
		return 1;
	su_sq_ready_locked(q, s->sq_pos);
	return 0;
}

/*
 * Copy a FILLING command's data-out and long CDB into its buffer. No lock:
 * the slot and its chunks belong to the caller until marked ready.
 */
static void su_cmd_fill(struct su_queue *q, struct su_slot *s)
{
	struct scstu_cmd *cmd = s->cmd;
	u8 *buf = q->data + s->chunk * SU_CHUNK_SIZE;

	if (cmd->cdb_len > SCSTU_USER_CDB_INLINE)
		memcpy(buf + ALIGN(s->xfer_len, 8), cmd->cdb, cmd->cdb_len);
	if (s->dir == SCSTU_USER_DIR_WRITE)
		scstu_cmd_copy_from_sg(cmd, buf, s->xfer_len);
}

void su_fill_list(struct su_queue *q, struct list_head *fill)
{
	struct su_slot *s, *tmp;
	unsigned long flags;
	bool wake;

	if (list_empty(fill))
		return;
	list_for_each_entry(s, fill, fill)
		su_cmd_fill(q, s);
	spin_lock_irqsave(&q->lock, flags);
	list_for_each_entry_safe(s, tmp, fill, fill) {
		list_del_init(&s->fill);
		su_sq_ready_locked(q, s->sq_pos);
	}
	wake = su_sq_advance_locked(q);
	spin_unlock_irqrestore(&q->lock, flags);
	if (wake)
		su_wake(q);
}

/* ---- events ---- */

static int su_event_publish_locked(struct su_queue *q, struct su_event *ev)
{
	u32 names = 0, n, idx, off;
	struct scstu_user_sqe *sqe;
	struct su_slot *s;

	if (ev->kind == SCSTU_USER_SQE_ATTACH)
		names = ev->ini_len + 1 + ev->tgt_len + 1;
	n = DIV_ROUND_UP(names, SU_CHUNK_SIZE);
	if (su_slot_alloc(q, false, n, &idx))
		return -ENOSPC;
	s = &q->slots[idx];
	s->state = SU_SLOT_EVENT;
	s->ev = ev;
	s->dir = SCSTU_USER_DIR_NONE;
	s->xfer_len = 0;
	off = s->chunk * SU_CHUNK_SIZE;

	sqe = su_sq_reserve_locked(q, idx);
	sqe->id = su_id(q, idx);
	sqe->kind = ev->kind;
	sqe->session = ev->session;
	sqe->lun = ev->lun;
	switch (ev->kind) {
	case SCSTU_USER_SQE_ATTACH:
		memcpy(q->data + off, ev->names, names);
		sqe->xfer_len = names;
		sqe->data_off = off;
		sqe->data_len = n * SU_CHUNK_SIZE;
		sqe->u.nexus.initiator_len = ev->ini_len;
		sqe->u.nexus.target_len = ev->tgt_len;
		sqe->u.nexus.rel_port = ev->rel_port;
		break;
	case SCSTU_USER_SQE_ABORT:
		sqe->u.tmf.cmd_id = ev->cmd_id;
		break;
	case SCSTU_USER_SQE_RESET:
		sqe->u.tmf.fn = ev->fn;
		break;
	}
	su_sq_ready_locked(q, s->sq_pos);
	return 0;
}

/*
 * Publish pending events, then pending commands, in FIFO order, as long
 * as slots and buffers allow. Aborted commands are moved to @done (to be
 * completed with TASK ABORTED). Returns true if sq_tail moved.
 */
bool su_drain_pending_locked(struct su_queue *q, struct list_head *done,
			     struct list_head *fill)
{
	struct su_event *ev, *etmp;
	struct scstu_cmd *cmd, *ctmp;
	int ret;
	u32 idx;

	list_for_each_entry_safe(ev, etmp, &q->pend_events, node) {
		if (su_event_publish_locked(q, ev))
			break;
		list_del_init(&ev->node);
	}
	list_for_each_entry_safe(cmd, ctmp, &q->pend_cmds, be_work.entry) {
		if (scstu_cmd_aborted(cmd)) {
			list_move_tail(&cmd->be_work.entry, done);
			continue;
		}
		ret = su_cmd_reserve_locked(q, cmd, &idx);
		if (ret < 0)
			break;
		list_del_init(&cmd->be_work.entry);
		if (ret && fill) {
			list_add_tail(&q->slots[idx].fill, fill);
		} else if (ret) {
			su_cmd_fill(q, &q->slots[idx]);
			su_sq_ready_locked(q, q->slots[idx].sq_pos);
		}
	}
	return su_sq_advance_locked(q);
}

/* Post an event on @q, or free it if the queue is dead. Any context. */
void su_post_event(struct su_queue *q, struct su_event *ev)
{
	unsigned long flags;
	bool published = false;

	spin_lock_irqsave(&q->lock, flags);
	if (q->dead) {
		spin_unlock_irqrestore(&q->lock, flags);
		su_event_free(ev);
		return;
	}
	if (!list_empty(&q->pend_events) || su_event_publish_locked(q, ev))
		list_add_tail(&ev->node, &q->pend_events);
	else
		published = su_sq_advance_locked(q);
	spin_unlock_irqrestore(&q->lock, flags);
	if (published)
		su_wake(q);
}

/* ---- dispatch ---- */

enum {
	SU_QUEUED,		/* published or pending: the handler owns it */
	SU_DEAD,		/* queue dead: hold or retry */
	SU_ABORTED,		/* complete with TASK ABORTED */
	SU_TOO_BIG,		/* ILLEGAL REQUEST, INVALID FIELD IN CDB */
	SU_BAD_CDB,		/* long CDB without SCSTU_USER_F_LONG_CDB */
	SU_FILL,		/* slot reserved: copy data, then publish */
};

/* Decide what happens to @cmd on @q and reserve its slot. Under q->lock. */
static int su_queue_cmd_locked(struct su_queue *q, struct scstu_cmd *cmd,
			       u32 *idx, bool *wake)
{
	int r;

	if (unlikely(q->dead))
		return SU_DEAD;
	if (unlikely(scstu_cmd_aborted(cmd)))
		return SU_ABORTED;
	if (unlikely(su_cmd_bytes(cmd) > (u64)q->nr_chunks * SU_CHUNK_SIZE))
		return SU_TOO_BIG;
	if (unlikely(cmd->cdb_len > SCSTU_USER_CDB_INLINE &&
		     !(q->conn->features & SCSTU_USER_F_LONG_CDB)))
		return SU_BAD_CDB;
	if (likely(list_empty(&q->pend_cmds))) {
		r = su_cmd_reserve_locked(q, cmd, idx);
		if (r > 0)
			return SU_FILL;
		if (!r) {
			*wake = su_sq_advance_locked(q);
			return SU_QUEUED;
		}
	}
	list_add_tail(&cmd->be_work.entry, &q->pend_cmds);
	return SU_QUEUED;
}

/* Under rcu_read_lock(), which covers the fill (see su_conn_detach()). */
static int su_queue_cmd(struct su_queue *q, struct scstu_cmd *cmd)
{
	unsigned long flags;
	bool wake = false;
	u32 idx = 0;
	int ret;

	spin_lock_irqsave(&q->lock, flags);
	ret = su_queue_cmd_locked(q, cmd, &idx, &wake);
	spin_unlock_irqrestore(&q->lock, flags);

	if (ret == SU_FILL) {
		/* the copy runs without the lock; publish in SQ order after */
		su_cmd_fill(q, &q->slots[idx]);
		spin_lock_irqsave(&q->lock, flags);
		su_sq_ready_locked(q, q->slots[idx].sq_pos);
		wake = su_sq_advance_locked(q);
		spin_unlock_irqrestore(&q->lock, flags);
		ret = SU_QUEUED;
	}
	if (wake)
		su_wake(q);
	return ret;
}

/* Try the attached handler; true if the command was consumed. */
static bool su_try_conn(struct su_dev *udev, struct scstu_cmd *cmd)
{
	struct su_conn *conn;
	int ret = SU_DEAD;

	rcu_read_lock();
	conn = rcu_dereference(udev->conn);
	if (likely(conn))
		ret = su_queue_cmd(&conn->queues[raw_smp_processor_id() %
						 conn->nr_queues], cmd);
	rcu_read_unlock();

	switch (ret) {
	case SU_QUEUED:
		return true;
	case SU_ABORTED:
		cmd->xfer_len = 0;
		scstu_cmd_set_status(cmd, SAM_STAT_TASK_ABORTED);
		scstu_cmd_complete(cmd);
		return true;
	case SU_TOO_BIG:
		scstu_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x24, 0x00);
		scstu_cmd_complete(cmd);
		return true;
	case SU_BAD_CDB:
		scstu_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x20, 0x00);
		scstu_cmd_complete(cmd);
		return true;
	}
	return false;
}

void su_dispatch(struct su_dev *udev, struct scstu_cmd *cmd)
{
	unsigned long flags;

	for (;;) {
		if (su_try_conn(udev, cmd))
			return;
		spin_lock_irqsave(&udev->lock, flags);
		/* a handler attached meanwhile: try it */
		if (rcu_access_pointer(udev->conn)) {
			spin_unlock_irqrestore(&udev->lock, flags);
			continue;
		}
		if (udev->state == SU_STATE_FAILED || udev->removed) {
			spin_unlock_irqrestore(&udev->lock, flags);
			su_fail_not_ready(cmd);
			return;
		}
		list_add_tail(&cmd->be_work.entry, &udev->held);
		spin_unlock_irqrestore(&udev->lock, flags);
		/* an abort that ran before we were on the list */
		if (scstu_cmd_aborted(cmd))
			mod_delayed_work(system_wq, &udev->abort_work, 0);
		return;
	}
}

int su_execute(struct scstu_cmd *cmd, bool may_sleep)
{
	INIT_LIST_HEAD(&cmd->be_work.entry);
	su_dispatch(to_su_dev(cmd->dev), cmd);
	return 0;
}
