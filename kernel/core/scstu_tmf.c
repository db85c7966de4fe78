// SPDX-License-Identifier: GPL-2.0
/*
 * scstu core: task management functions (SAM-5 7). A TMF marks the
 * commands it covers aborted, drops those still waiting for task ordering,
 * hints the backend about executing ones, waits until every one of them
 * has been handed back to its target driver, then establishes the unit
 * attentions and reservation changes the function implies.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <scsi/scsi_status.h>
#include "scstu_priv.h"

static const char * const scstu_tmf_names[] = {
	[SCSTU_TMF_ABORT_TASK] = "ABORT TASK",
	[SCSTU_TMF_ABORT_TASK_SET] = "ABORT TASK SET",
	[SCSTU_TMF_CLEAR_TASK_SET] = "CLEAR TASK SET",
	[SCSTU_TMF_LUN_RESET] = "LOGICAL UNIT RESET",
	[SCSTU_TMF_TARGET_RESET] = "TARGET RESET",
	[SCSTU_TMF_I_T_NEXUS_RESET] = "I_T NEXUS RESET",
};

const char *scstu_tmf_name(enum scstu_tmf_fn fn)
{
	if (fn < ARRAY_SIZE(scstu_tmf_names) && scstu_tmf_names[fn])
		return scstu_tmf_names[fn];
	return "unknown TMF";
}
EXPORT_SYMBOL_GPL(scstu_tmf_name);

/* What a TMF covers on one device. */
struct scstu_abort_scope {
	struct scstu_session *sess;	/* only this nexus, or NULL: all */
	struct scstu_tgt_dev *td;	/* only this I_T_L, or NULL */
	bool by_tag;
	u64 tag;
	/* COMMANDS CLEARED BY ANOTHER INITIATOR for other nexuses */
	struct scstu_session *issuer;
};

static bool scstu_scope_match(const struct scstu_abort_scope *s,
			      const struct scstu_cmd *cmd)
{
	if (s->sess && cmd->sess != s->sess)
		return false;
	if (s->td && cmd->tgt_dev != s->td)
		return false;
	if (s->by_tag && cmd->tag != s->tag)
		return false;
	return true;
}

static void scstu_mark_aborted_locked(struct scstu_dev *dev,
				      struct scstu_cmd *cmd,
				      const struct scstu_abort_scope *s)
{
	set_bit(SCSTU_CMD_ABORTED, &cmd->flags);
	atomic_inc(&dev->nr_aborting);
	if (s->issuer && cmd->sess != s->issuer)
		scstu_ua_add_locked(cmd->tgt_dev, 0x2f, 0x00);
}

/* Abort what @s covers on @dev and wait for it. Returns the count. */
static unsigned int scstu_abort_dev(struct scstu_dev *dev,
				    const struct scstu_abort_scope *s)
{
	struct scstu_cmd *cmd, *tmp;
	unsigned long flags;
	unsigned int n = 0;
	LIST_HEAD(dropped);

	spin_lock_irqsave(&dev->lock, flags);
	list_for_each_entry(cmd, &dev->task_set, dev_node) {
		if (!scstu_scope_match(s, cmd) || scstu_cmd_aborted(cmd))
			continue;
		scstu_mark_aborted_locked(dev, cmd, s);
		if (dev->be->abort_cmd)
			dev->be->abort_cmd(cmd);
		n++;
	}
	list_for_each_entry_safe(cmd, tmp, &dev->deferred, dev_node) {
		if (!scstu_scope_match(s, cmd))
			continue;
		scstu_mark_aborted_locked(dev, cmd, s);
		list_move_tail(&cmd->dev_node, &dropped);
		dev->nr_deferred--;
		n++;
	}
	spin_unlock_irqrestore(&dev->lock, flags);

	/* commands that never started end here */
	list_for_each_entry_safe(cmd, tmp, &dropped, dev_node) {
		list_del_init(&cmd->dev_node);
		set_bit(SCSTU_CMD_COMPLETED, &cmd->flags);
		scstu_cmd_set_status(cmd, SAM_STAT_TASK_ABORTED);
		scstu_cmd_finish(cmd);
	}
	if (n)
		scstu_dev_kick(dev);
	wait_event_idle(dev->tmf_wq, !atomic_read(&dev->nr_aborting));
	return n;
}

void scstu_tmf_release_reservation(struct scstu_dev *dev,
				   struct scstu_session *holder)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	if (!holder || dev->reserved_by == holder)
		dev->reserved_by = NULL;
	spin_unlock_irqrestore(&dev->lock, flags);
}

/* Tell the backend, once the aborted commands have finished. */
static void scstu_reset_notify(struct scstu_dev *dev, struct scstu_tmf *tmf,
			       u64 lun)
{
	if (dev->be->reset)
		dev->be->reset(dev, tmf->fn, tmf->sess, lun);
}

/* LOGICAL UNIT RESET semantics on one device (also used by TARGET RESET) */
static unsigned int scstu_reset_dev(struct scstu_dev *dev,
				    struct scstu_tmf *tmf, u64 lun)
{
	struct scstu_abort_scope s = { };
	unsigned int n = scstu_abort_dev(dev, &s);

	scstu_tmf_release_reservation(dev, NULL);
	/* BUS DEVICE RESET FUNCTION OCCURRED, on every I_T nexus */
	scstu_dev_ua(dev, NULL, 0x29, 0x03);
	scstu_reset_notify(dev, tmf, lun);
	return n;
}

static struct scstu_tgt_dev *scstu_tmf_td(struct scstu_tmf *tmf)
{
	u64 lun;

	if (!scstu_lun_number(tmf->lun, &lun))
		return NULL;
	return xa_load(&tmf->sess->tgt_devs, lun);
}

static void scstu_tmf_lun(struct scstu_tmf *tmf)
{
	struct scstu_abort_scope s = { };
	struct scstu_tgt_dev *td = scstu_tmf_td(tmf);

	if (!td) {
		tmf->resp = SCSTU_TMF_INCORRECT_LUN;
		return;
	}
	switch (tmf->fn) {
	case SCSTU_TMF_ABORT_TASK:
		s.sess = tmf->sess;
		s.td = td;
		s.by_tag = true;
		s.tag = tmf->ref_tag;
		tmf->nr_aborted = scstu_abort_dev(td->dev, &s);
		break;
	case SCSTU_TMF_ABORT_TASK_SET:
		s.sess = tmf->sess;
		s.td = td;
		tmf->nr_aborted = scstu_abort_dev(td->dev, &s);
		break;
	case SCSTU_TMF_CLEAR_TASK_SET:
		s.issuer = tmf->sess;
		tmf->nr_aborted = scstu_abort_dev(td->dev, &s);
		break;
	default:	/* LUN RESET */
		tmf->nr_aborted = scstu_reset_dev(td->dev, tmf, td->lun);
		break;
	}
}

static void scstu_tmf_nexus(struct scstu_tmf *tmf)
{
	struct scstu_session *sess = tmf->sess;
	struct scstu_abort_scope s = { .sess = sess };
	struct scstu_tgt_dev *td;
	unsigned long idx;

	xa_for_each(&sess->tgt_devs, idx, td) {
		tmf->nr_aborted += scstu_abort_dev(td->dev, &s);
		scstu_tmf_release_reservation(td->dev, sess);
		/* I_T NEXUS LOSS OCCURRED */
		scstu_ua_add(td, 0x29, 0x07);
		scstu_reset_notify(td->dev, tmf, td->lun);
	}
}

static void scstu_tmf_target(struct scstu_tmf *tmf)
{
	struct scstu_target *tgt = tmf->sess->tgt;
	struct scstu_session *sess;
	struct scstu_tgt_dev *td;
	struct scstu_dev **devs;
	unsigned int nr = 0, max = 64, i;
	unsigned long idx;

	devs = kcalloc(max, sizeof(*devs), GFP_KERNEL);
	if (!devs) {
		tmf->resp = SCSTU_TMF_FUNCTION_REJECTED;
		return;
	}
	list_for_each_entry(sess, &tgt->sessions, tgt_node) {
		xa_for_each(&sess->tgt_devs, idx, td) {
			for (i = 0; i < nr; i++)
				if (devs[i] == td->dev)
					break;
			if (i < nr)
				continue;
			if (nr == max) {
				struct scstu_dev **n;

				n = krealloc_array(devs, max * 2, sizeof(*devs),
						   GFP_KERNEL);
				if (!n)
					break;
				devs = n;
				max *= 2;
			}
			devs[nr++] = td->dev;
		}
	}
	for (i = 0; i < nr; i++)
		tmf->nr_aborted += scstu_reset_dev(devs[i], tmf, U64_MAX);
	kfree(devs);
}

static void scstu_tmf_work(struct work_struct *work)
{
	struct scstu_tmf *tmf = container_of(work, struct scstu_tmf, work);
	struct scstu_target *tgt = tmf->sess->tgt;

	/* the target mutex keeps LUN maps stable while we walk them */
	mutex_lock(&tgt->lock);
	switch (tmf->fn) {
	case SCSTU_TMF_ABORT_TASK:
	case SCSTU_TMF_ABORT_TASK_SET:
	case SCSTU_TMF_CLEAR_TASK_SET:
	case SCSTU_TMF_LUN_RESET:
		scstu_tmf_lun(tmf);
		break;
	case SCSTU_TMF_I_T_NEXUS_RESET:
		scstu_tmf_nexus(tmf);
		break;
	case SCSTU_TMF_TARGET_RESET:
		scstu_tmf_target(tmf);
		break;
	default:
		tmf->resp = SCSTU_TMF_FUNCTION_REJECTED;
		break;
	}
	mutex_unlock(&tgt->lock);
	pr_debug("scstu: %s from %s lun %llu: response %d, %u aborted\n",
		 scstu_tmf_name(tmf->fn), tmf->sess->initiator, tmf->lun,
		 tmf->resp, tmf->nr_aborted);
	tgt->tmpl->tmf_done(tmf);
}

void scstu_tmf_submit(struct scstu_tmf *tmf)
{
	tmf->resp = SCSTU_TMF_FUNCTION_COMPLETE;
	tmf->nr_aborted = 0;
	INIT_WORK(&tmf->work, scstu_tmf_work);
	queue_work(system_long_wq, &tmf->work);
}
EXPORT_SYMBOL_GPL(scstu_tmf_submit);
