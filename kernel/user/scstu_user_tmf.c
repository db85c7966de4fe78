// SPDX-License-Identifier: GPL-2.0
/*
 * scstu_user: task management and lifecycle. Aborts (ABORT SQEs and
 * tmf_timeout_ms), resets (RESET SQEs), nexus events (ATTACH/DETACH),
 * handler death (BUSY for dispatched commands, holding new ones),
 * re-attachment and the reattach timeout (NOT READY 04/03).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <scsi/scsi_status.h>
#include "scstu_user_priv.h"

/*
 * ->abort_cmd: atomic context, core dev->lock held. The abort work finds
 * every aborted command wherever it is.
 */
void su_abort_cmd(struct scstu_cmd *cmd)
{
	mod_delayed_work(system_wq, &to_su_dev(cmd->dev)->abort_work, 0);
}

/*
 * One queue: aborted pending commands go to @done; dispatched ones get an
 * ABORT SQE (with SCSTU_USER_F_TMF_EVENTS) and a deadline; past it they
 * are completed (to @timedout) and their slot stays reserved until the
 * handler answers. Returns the jiffies until the next deadline, or 0.
 */
static unsigned long su_abort_queue(struct su_queue *q, unsigned int tmo_ms,
				    struct list_head *done,
				    struct list_head *timedout)
{
	bool tmf = q->conn->features & SCSTU_USER_F_TMF_EVENTS;
	unsigned long now = jiffies, next = 0;
	struct scstu_cmd *cmd, *tmp;
	bool wake = false, zap = false;
	LIST_HEAD(fill);
	u32 i;

	/* covers the fill below (see su_conn_detach()) */
	rcu_read_lock();
	spin_lock_irq(&q->lock);
	if (q->dead) {
		spin_unlock_irq(&q->lock);
		rcu_read_unlock();
		return 0;
	}
	list_for_each_entry_safe(cmd, tmp, &q->pend_cmds, be_work.entry)
		if (scstu_cmd_aborted(cmd))
			list_move_tail(&cmd->be_work.entry, done);
	for (i = 0; i < q->entries; i++) {
		struct su_slot *s = &q->slots[i];

		/* being filled by a dispatcher: look again in a jiffy */
		if (s->state == SU_SLOT_FILLING && scstu_cmd_aborted(s->cmd)) {
			next = 1;
			continue;
		}
		if (s->state != SU_SLOT_CMD || !scstu_cmd_aborted(s->cmd))
			continue;
		if (!s->aborting) {
			struct su_event *ev = NULL;

			s->aborting = true;
			s->deadline = now + msecs_to_jiffies(tmo_ms);
			if (tmf)
				ev = su_event_alloc(SCSTU_USER_SQE_ABORT, 0,
						    GFP_ATOMIC);
			if (ev) {
				ev->cmd_id = su_id(q, i);
				ev->session = s->cmd->sess->id;
				ev->lun = s->cmd->lun < 256 ? s->cmd->lun :
					  s->cmd->lun & 0x3fff;
				list_add_tail(&ev->node, &q->pend_events);
			}
		} else if (time_after_eq(now, s->deadline)) {
			s->state = SU_SLOT_ORPHAN;
			zap |= s->zc && s->zc_mapped;
			list_add_tail(&s->cmd->be_work.entry, timedout);
			s->cmd = NULL;
			continue;
		}
		if (!next || s->deadline - now < next)
			next = max(1UL, s->deadline - now);
	}
	wake = su_drain_pending_locked(q, done, &fill);
	spin_unlock_irq(&q->lock);
	if (wake)
		su_wake(q);
	su_fill_list(q, &fill);
	rcu_read_unlock();
	/* orphans end when we return: the handler loses their pages now */
	if (zap) {
		su_zc_lock(q);
		su_zc_zap_locked(q, 0, 0);
		su_zc_unlock(q);
	}
	return next;
}

void su_abort_work(struct work_struct *work)
{
	struct su_dev *udev = container_of(to_delayed_work(work),
					   struct su_dev, abort_work);
	unsigned int tmo = READ_ONCE(udev->tmf_timeout_ms);
	struct scstu_cmd *cmd, *tmp;
	unsigned long next = 0, n;
	LIST_HEAD(timedout);
	struct su_conn *conn;
	LIST_HEAD(done);
	u32 i;

	spin_lock_irq(&udev->lock);
	list_for_each_entry_safe(cmd, tmp, &udev->held, be_work.entry)
		if (scstu_cmd_aborted(cmd))
			list_move_tail(&cmd->be_work.entry, &done);
	spin_unlock_irq(&udev->lock);

	conn = su_dev_get_conn(udev);
	if (conn) {
		for (i = 0; i < conn->nr_queues; i++) {
			n = su_abort_queue(&conn->queues[i], tmo, &done,
					   &timedout);
			if (n && (!next || n < next))
				next = n;
		}
		su_conn_put(conn);
	}
	su_complete_list(&done, SAM_STAT_TASK_ABORTED);
	if (!list_empty(&timedout))
		pr_warn_ratelimited("scstu_user: %s: aborted commands not answered within %u ms\n",
				    udev->dev.name, tmo);
	su_complete_list(&timedout, SAM_STAT_TASK_ABORTED);
	if (next)
		queue_delayed_work(system_wq, &udev->abort_work, next);
}

/* ->reset: post a RESET SQE and wait (tmf_timeout_ms at most) for it. */
void su_reset(struct scstu_dev *dev, enum scstu_tmf_fn fn,
	      struct scstu_session *sess, u64 lun)
{
	struct su_dev *udev = to_su_dev(dev);
	struct su_conn *conn = su_dev_get_conn(udev);
	struct su_waiter *w;
	struct su_event *ev;

	if (!conn)
		return;
	if (!(conn->features & SCSTU_USER_F_TMF_EVENTS))
		goto out;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	ev = su_event_alloc(SCSTU_USER_SQE_RESET, 0, GFP_KERNEL);
	if (!w || !ev) {
		kfree(w);
		kfree(ev);
		goto out;
	}
	refcount_set(&w->ref, 2);
	init_completion(&w->done);
	ev->waiter = w;
	ev->session = sess ? sess->id : SCSTU_USER_NO_SESSION;
	switch (fn) {
	case SCSTU_TMF_TARGET_RESET:
		ev->fn = SCSTU_USER_RESET_TARGET;
		ev->lun = ~0ULL;
		break;
	case SCSTU_TMF_I_T_NEXUS_RESET:
		ev->fn = SCSTU_USER_RESET_NEXUS;
		ev->lun = lun;
		break;
	default:
		ev->fn = SCSTU_USER_RESET_LUN;
		ev->lun = lun;
		break;
	}
	su_post_event(&conn->queues[0], ev);
	if (!wait_for_completion_timeout(&w->done,
			msecs_to_jiffies(READ_ONCE(udev->tmf_timeout_ms))))
		pr_warn_ratelimited("scstu_user: %s: RESET not answered within %u ms\n",
				    dev->name, READ_ONCE(udev->tmf_timeout_ms));
	su_waiter_put(w);
out:
	su_conn_put(conn);
}

static struct su_event *su_nexus_ev(struct scstu_session *sess, u64 lun,
				    bool added, gfp_t gfp)
{
	size_t il = strnlen(sess->initiator, SCSTU_NAME_LEN - 1);
	size_t tl = strnlen(sess->tgt->name, SCSTU_NAME_LEN - 1);
	struct su_event *ev;

	ev = su_event_alloc(added ? SCSTU_USER_SQE_ATTACH :
			    SCSTU_USER_SQE_DETACH, added ? il + tl + 2 : 0, gfp);
	if (!ev)
		return NULL;
	ev->session = sess->id;
	ev->lun = lun;
	if (added) {
		ev->ini_len = il;
		ev->tgt_len = tl;
		ev->rel_port = sess->tgt->rel_port_id;
		memcpy(ev->names, sess->initiator, il);
		memcpy(ev->names + il + 1, sess->tgt->name, tl);
	}
	return ev;
}

void su_nexus_event(struct scstu_dev *dev, struct scstu_session *sess,
		    u64 lun, bool added)
{
	struct su_conn *conn = su_dev_get_conn(to_su_dev(dev));
	struct su_event *ev;

	if (!conn)
		return;
	if (conn->features & SCSTU_USER_F_NEXUS_EVENTS) {
		ev = su_nexus_ev(sess, lun, added, GFP_KERNEL);
		if (ev)
			su_post_event(&conn->queues[0], ev);
		else
			pr_warn_ratelimited("scstu_user: %s: nexus event lost (no memory)\n",
					    dev->name);
	}
	su_conn_put(conn);
}

struct su_announce {
	struct scstu_nexus_visitor v;
	struct su_conn *conn;
};

static void su_announce_fn(struct scstu_nexus_visitor *v,
			   struct scstu_dev *dev, struct scstu_session *sess,
			   u64 lun)
{
	struct su_announce *a = container_of(v, struct su_announce, v);
	struct su_event *ev = su_nexus_ev(sess, lun, true, GFP_ATOMIC);

	if (ev)
		su_post_event(&a->conn->queues[0], ev);
}

/* At REGISTER: ATTACH for every I_T_L nexus that exists already. */
void su_announce_nexuses(struct su_dev *udev, struct su_conn *conn)
{
	struct su_announce a = { .v.fn = su_announce_fn, .conn = conn };

	if (conn->features & SCSTU_USER_F_NEXUS_EVENTS)
		scstu_dev_visit_nexuses(&udev->dev, &a.v);
}

/* A handler (re-)attached: dispatch what was held for it. */
void su_dev_attach_held(struct su_dev *udev)
{
	struct scstu_cmd *cmd, *tmp;
	LIST_HEAD(held);

	spin_lock_irq(&udev->lock);
	list_splice_init(&udev->held, &held);
	spin_unlock_irq(&udev->lock);
	list_for_each_entry_safe(cmd, tmp, &held, be_work.entry) {
		list_del_init(&cmd->be_work.entry);
		su_dispatch(udev, cmd);
	}
}

/* reattach_timeout_ms passed without a handler: fail what is held. */
void su_reattach_work(struct work_struct *work)
{
	struct su_dev *udev = container_of(to_delayed_work(work),
					   struct su_dev, reattach_work);
	struct scstu_cmd *cmd, *tmp;
	LIST_HEAD(held);

	spin_lock_irq(&udev->lock);
	if (udev->state == SU_STATE_DETACHED) {
		udev->state = SU_STATE_FAILED;
		list_splice_init(&udev->held, &held);
	}
	spin_unlock_irq(&udev->lock);
	if (!list_empty(&held))
		pr_warn("scstu_user: %s: no handler within %u ms, failing commands\n",
			udev->dev.name, READ_ONCE(udev->reattach_timeout_ms));
	list_for_each_entry_safe(cmd, tmp, &held, be_work.entry) {
		list_del_init(&cmd->be_work.entry);
		su_fail_not_ready(cmd);
	}
}

/*
 * The connection's file is released (handler exit or close): dispatched
 * unanswered commands complete with BUSY, pending ones are dispatched
 * again (held until a handler re-attaches), events are dropped.
 */
void su_conn_detach(struct su_conn *conn)
{
	struct su_dev *udev = conn->udev;
	struct scstu_cmd *cmd, *tmp;
	LIST_HEAD(busy);
	LIST_HEAD(again);
	LIST_HEAD(events);
	struct su_event *ev, *etmp;
	u32 i, j;

	spin_lock_irq(&udev->lock);
	if (rcu_access_pointer(udev->conn) == conn) {
		RCU_INIT_POINTER(udev->conn, NULL);
		udev->pid = 0;
		if (!udev->removed) {
			udev->state = SU_STATE_DETACHED;
			mod_delayed_work(system_wq, &udev->reattach_work,
				msecs_to_jiffies(udev->reattach_timeout_ms));
		}
	}
	spin_unlock_irq(&udev->lock);

	for (i = 0; i < conn->nr_queues; i++) {
		struct su_queue *q = &conn->queues[i];

		spin_lock_irq(&q->lock);
		q->dead = true;
		spin_unlock_irq(&q->lock);
	}
	/* dispatchers that saw the connection have left its queues */
	synchronize_rcu();

	for (i = 0; i < conn->nr_queues; i++) {
		struct su_queue *q = &conn->queues[i];

		spin_lock_irq(&q->lock);
		for (j = 0; j < q->entries; j++) {
			struct su_slot *s = &q->slots[j];

			/* fills end inside RCU sections waited for above */
			WARN_ON_ONCE(s->state == SU_SLOT_FILLING);
			if (s->state == SU_SLOT_CMD ||
			    s->state == SU_SLOT_FILLING)
				list_add_tail(&s->cmd->be_work.entry, &busy);
			else if (s->state == SU_SLOT_EVENT)
				list_add_tail(&s->ev->node, &events);
			if (s->state != SU_SLOT_FREE)
				su_slot_free_locked(q, j);
		}
		list_splice_tail_init(&q->pend_cmds, &again);
		list_splice_tail_init(&q->pend_events, &events);
		spin_unlock_irq(&q->lock);
		wake_up_all(&q->wq);
	}
	list_for_each_entry_safe(ev, etmp, &events, node) {
		list_del(&ev->node);
		su_event_free(ev);
	}
	if (!list_empty(&busy))
		pr_info("scstu_user: %s: handler gone, in-flight commands end BUSY\n",
			udev->dev.name);
	su_complete_list(&busy, SAM_STAT_BUSY);
	list_for_each_entry_safe(cmd, tmp, &again, be_work.entry) {
		list_del_init(&cmd->be_work.entry);
		su_dispatch(udev, cmd);
	}
}
