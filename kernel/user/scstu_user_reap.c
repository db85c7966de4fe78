// SPDX-License-Identifier: GPL-2.0
/*
 * scstu_user: consuming the completion ring (SCSTU_USER_ENTER).
 *
 * Every CQE is copied once from the shared page into a local structure;
 * only the copy is used. A batch of CQEs is validated and its slots
 * claimed under one queue lock round-trip; READ data is copied to the
 * initiator's scatterlist without the lock; a second round-trip frees the
 * slots and publishes what was waiting for them. Invalid CQEs are counted
 * (protocol_errors) and dropped: they never reach an initiator.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <scsi/scsi_status.h>
#include "scstu_user_priv.h"

void su_protocol_error(struct su_queue *q, const char *what, u64 id)
{
	struct su_dev *udev = q->conn->udev;

	atomic64_inc(&udev->protocol_errors);
	pr_warn_ratelimited("scstu_user: %s: queue %u: %s (id %#llx)\n",
			    udev->dev.name, q->idx, what, id);
}

/* Handler-raised events, applied without our locks. */
struct su_dev_event {
	u8 kind;
	u8 asc;
	u8 ascq;
	u64 except;
	u64 value;
};

struct su_find_sess {
	struct scstu_nexus_visitor v;
	u64 id;
	struct scstu_session *sess;
};

static void su_find_sess_fn(struct scstu_nexus_visitor *v,
			    struct scstu_dev *dev, struct scstu_session *sess,
			    u64 lun)
{
	struct su_find_sess *f = container_of(v, struct su_find_sess, v);

	if (sess->id == f->id)
		f->sess = sess;
}

static void su_apply_dev_event(struct su_dev *udev,
			       const struct su_dev_event *e)
{
	struct su_find_sess f = { .v.fn = su_find_sess_fn };

	if (e->kind == SCSTU_USER_CQE_SET_PARAM) {
		WRITE_ONCE(udev->dev.d_sense, !!e->value);
		return;
	}
	/* the pointer is only compared, never dereferenced, by the core */
	if (e->except != SCSTU_USER_NO_SESSION) {
		f.id = e->except;
		scstu_dev_visit_nexuses(&udev->dev, &f.v);
	}
	scstu_dev_ua(&udev->dev, f.sess, e->asc, e->ascq);
}

/*
 * Free a command slot the handler has answered, outside a reap batch: an
 * aborted command or an orphan. If its pages were ever mapped, its chunks
 * must not be reused before they are unmapped: it waits for the zap of
 * the whole window that *zap_all asks for (su_zap_batch()).
 */
static void su_slot_end_locked(struct su_queue *q, u32 idx, bool *zap_all)
{
	struct su_slot *s = &q->slots[idx];

	if (s->zc && s->zc_mapped) {
		*zap_all = true;
		s->state = SU_SLOT_ZAPPING;
		s->cmd = NULL;
		return;
	}
	su_slot_free_locked(q, idx);
}

/*
 * The handler answered event slot @s: free it. An ABORT's answer ends the
 * aborted command too (its id becomes invalid); a command still owned by
 * the slot is returned in *abcmd for completion with TASK ABORTED.
 */
static void su_event_done_locked(struct su_queue *q, u32 idx,
				 struct scstu_cmd **abcmd, bool *zap_all)
{
	struct su_event *ev = q->slots[idx].ev;

	if (ev->kind == SCSTU_USER_SQE_ABORT) {
		u32 ci = lower_32_bits(ev->cmd_id);
		struct su_slot *cs = &q->slots[ci];

		if (ci < q->entries && cs->gen == upper_32_bits(ev->cmd_id)) {
			if (cs->state == SU_SLOT_CMD)
				*abcmd = cs->cmd;
			if (cs->state == SU_SLOT_CMD ||
			    cs->state == SU_SLOT_ORPHAN)
				su_slot_end_locked(q, ci, zap_all);
		}
	}
	su_slot_free_locked(q, idx);
	su_event_free(ev);
}

/*
 * Validate one CQE (a private copy) and claim what it answers. Under
 * q->lock. Returns false if it was rejected.
 */
static bool su_claim_locked(struct su_queue *q, const struct scstu_user_cqe *c,
			    struct su_done *d, struct su_dev_event *de,
			    struct list_head *aborted, bool *zap_all)
{
	u32 idx = lower_32_bits(c->id);
	struct scstu_cmd *abcmd = NULL;
	struct su_slot *s;

	d->cmd = NULL;
	de->kind = 0;
	switch (c->kind) {
	case SCSTU_USER_CQE_DONE:
		break;
	case SCSTU_USER_CQE_UA:
	case SCSTU_USER_CQE_SET_PARAM:
		if (!(q->conn->features & SCSTU_USER_F_DEV_EVENTS)) {
			su_protocol_error(q, "device event not negotiated",
					  c->id);
			return false;
		}
		if (c->kind == SCSTU_USER_CQE_SET_PARAM &&
		    c->u.param.param != SCSTU_USER_PARAM_D_SENSE) {
			su_protocol_error(q, "unknown parameter", c->id);
			return false;
		}
		de->kind = c->kind;
		de->asc = c->u.ua.asc;
		de->ascq = c->u.ua.ascq;
		de->except = c->u.ua.except_session;
		de->value = c->u.param.value;
		return true;
	default:
		su_protocol_error(q, "unknown CQE kind", c->id);
		return false;
	}
	if (idx >= q->entries) {
		su_protocol_error(q, "id out of range", c->id);
		return false;
	}
	s = &q->slots[idx];
	if (s->gen != upper_32_bits(c->id) ||
	    (s->state != SU_SLOT_CMD && s->state != SU_SLOT_EVENT &&
	     s->state != SU_SLOT_ORPHAN)) {
		su_protocol_error(q, "unknown or already answered id", c->id);
		return false;
	}
	if (s->state == SU_SLOT_EVENT) {
		su_event_done_locked(q, idx, &abcmd, zap_all);
		if (abcmd)
			list_add_tail(&abcmd->be_work.entry, aborted);
		return true;
	}
	if (c->sense_len > SCSTU_USER_SENSE_MAX) {
		su_protocol_error(q, "sense_len > 96", c->id);
		return false;
	}
	if (c->resid > s->xfer_len) {
		su_protocol_error(q, "resid > xfer_len", c->id);
		return false;
	}
	if (s->state == SU_SLOT_ORPHAN) {
		/* completed on tmf_timeout_ms already: just release it */
		su_slot_end_locked(q, idx, zap_all);
		return true;
	}
	s->state = SU_SLOT_REAPING;
	d->cmd = s->cmd;
	d->slot = idx;
	d->dir = s->dir;
	d->off = s->chunk * SU_CHUNK_SIZE;
	d->len = s->xfer_len - c->resid;
	d->zc = s->zc;
	/* never touched by the handler: nothing to unmap */
	d->zap = s->zc && s->zc_mapped;
	d->chunk = s->chunk;
	d->nr_chunks = s->nr_chunks;
	d->cmd->status = c->status;
	if (c->status == SAM_STAT_CHECK_CONDITION && c->sense_len) {
		memcpy(d->cmd->sense, c->u.sense, c->sense_len);
		d->cmd->sense_len = c->sense_len;
	} else {
		d->cmd->sense_len = 0;
	}
	return true;
}

/*
 * Unmap what the handler may still reach of a batch's zero-copy commands:
 * adjacent ranges in one zap (one TLB flush), or the whole window after an
 * aborted command's answer, whose chunks are freed only then.
 */
static void su_zap_batch(struct su_queue *q, const struct su_done *b,
			 unsigned int nd, bool zap_all)
{
	u32 first = 0, end = 0, i;

	su_zc_lock(q);
	if (zap_all) {
		su_zc_zap_locked(q, 0, 0);
	} else {
		for (i = 0; i < nd; i++) {
			if (!b[i].zap)
				continue;
			if (end && b[i].chunk == end) {
				end += b[i].nr_chunks;
				continue;
			}
			if (end)
				su_zc_zap_locked(q, first, end - first);
			first = b[i].chunk;
			end = first + b[i].nr_chunks;
		}
		if (end)
			su_zc_zap_locked(q, first, end - first);
	}
	su_zc_unlock(q);
	if (!zap_all)
		return;
	spin_lock_irq(&q->lock);
	for (i = 0; i < q->entries; i++)
		if (q->slots[i].state == SU_SLOT_ZAPPING)
			su_slot_free_locked(q, i);
	spin_unlock_irq(&q->lock);
}

/*
 * Consume the CQEs between cq_head and cq_tail. Called with reap_mutex.
 * Returns 0 or -EPROTO (cq_tail out of range: nothing consumed).
 */
static int su_reap_locked(struct su_queue *q, u32 *reaped, u32 *rejected)
{
	struct su_dev *udev = q->conn->udev;
	struct su_dev_event de[SU_REAP_BATCH / 4];
	/* the handler's CQE bytes are visible after its release of cq_tail */
	u32 tail = smp_load_acquire(&q->ring->cq_tail);
	u32 head = q->cq_head;
	u32 avail = tail - head;
	struct scstu_user_cqe c;
	LIST_HEAD(aborted);
	LIST_HEAD(fill);
	unsigned int nd, ne, nz, i;
	bool wake, zap_all;

	if (avail > q->entries) {
		su_protocol_error(q, "cq_tail out of range", tail);
		return -EPROTO;
	}
	while (head != tail) {
		nd = 0;
		ne = 0;
		nz = 0;
		zap_all = false;
		spin_lock_irq(&q->lock);
		while (head != tail && nd < SU_REAP_BATCH &&
		       ne < ARRAY_SIZE(de)) {
			memcpy(&c, &q->cq[head & q->mask], sizeof(c));
			head++;
			(*reaped)++;
			if (!su_claim_locked(q, &c, &q->batch[nd], &de[ne],
					     &aborted, &zap_all)) {
				(*rejected)++;
				continue;
			}
			if (q->batch[nd].cmd)
				nz += q->batch[nd++].zap;
			else if (de[ne].kind)
				ne++;
		}
		spin_unlock_irq(&q->lock);
		/* the handler may reuse the CQEs from here */
		smp_store_release(&q->ring->cq_head, head);
		q->cq_head = head;

		/* the handler loses the pages of zero-copy commands first */
		if (nz || zap_all)
			su_zap_batch(q, q->batch, nd, zap_all);
		for (i = 0; i < nd; i++) {
			struct su_done *d = &q->batch[i];

			if (d->dir == SCSTU_USER_DIR_READ && !d->zc)
				scstu_cmd_copy_to_sg(d->cmd, q->data + d->off,
						     d->len);
			else
				d->cmd->xfer_len = d->len;
		}

		rcu_read_lock();
		spin_lock_irq(&q->lock);
		for (i = 0; i < nd; i++)
			su_slot_free_locked(q, q->batch[i].slot);
		wake = su_drain_pending_locked(q, &aborted, &fill);
		spin_unlock_irq(&q->lock);
		if (wake)
			su_wake(q);
		su_fill_list(q, &fill);
		rcu_read_unlock();

		for (i = 0; i < nd; i++)
			scstu_cmd_complete(q->batch[i].cmd);
		for (i = 0; i < ne; i++)
			su_apply_dev_event(udev, &de[i]);
		su_complete_list(&aborted, SAM_STAT_TASK_ABORTED);
	}
	return 0;
}

int su_reap(struct su_queue *q, u32 *reaped, u32 *rejected)
{
	int ret;

	mutex_lock(&q->reap_mutex);
	ret = su_reap_locked(q, reaped, rejected);
	mutex_unlock(&q->reap_mutex);
	return ret;
}
