// SPDX-License-Identifier: GPL-2.0
/*
 * scstu core: the command path. LUN lookup, unit attention and reservation
 * checks, task ordering (SAM-5 task attributes), execution and completion.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <scsi/scsi_proto.h>
#include <scsi/scsi_status.h>
#include "scstu_priv.h"

void scstu_cmd_init(struct scstu_cmd *cmd)
{
	cmd->flags = 0;
	cmd->status = SAM_STAT_GOOD;
	cmd->sense_len = 0;
	cmd->xfer_len = 0;
	cmd->dev = NULL;
	cmd->be_priv = NULL;
	cmd->tgt_dev = NULL;
	cmd->task_attr = SCSTU_TASK_SIMPLE;
	INIT_LIST_HEAD(&cmd->dev_node);
}
EXPORT_SYMBOL_GPL(scstu_cmd_init);

/* Hand the command back to the target driver and drop its references. */
void scstu_cmd_finish(struct scstu_cmd *cmd)
{
	struct scstu_session *sess = cmd->sess;
	struct scstu_tgt_dev *td = cmd->tgt_dev;
	u64 lat = ktime_to_ns(ktime_sub(ktime_get(), cmd->start));
	bool aborted = scstu_cmd_aborted(cmd);

	if (td) {
		scstu_stats_account(td->dev->stats, cmd, lat);
		scstu_stats_account(td->lun_ent->stats, cmd, lat);
	}
	scstu_stats_account(sess->stats, cmd, lat);

	/* the driver may reuse cmd from here on */
	sess->tgt->tmpl->cmd_done(cmd);

	if (td) {
		/* a TMF waits until every command it aborted is done */
		if (aborted && atomic_dec_and_test(&td->dev->nr_aborting))
			wake_up_all(&td->dev->tmf_wq);
		percpu_ref_put(&td->ref);
	}
	if (atomic_dec_and_test(&sess->nr_cmds))
		complete(&sess->drained);
}

static void scstu_exec_work(struct work_struct *work)
{
	struct scstu_cmd *cmd = container_of(work, struct scstu_cmd, work);

	scstu_cmd_exec(cmd, true);
}

void scstu_cmd_exec(struct scstu_cmd *cmd, bool may_sleep)
{
	struct scstu_dev *dev = cmd->dev;
	int ret;

	if (scstu_cmd_aborted(cmd)) {
		scstu_cmd_set_status(cmd, SAM_STAT_TASK_ABORTED);
		scstu_cmd_complete(cmd);
		return;
	}
	ret = dev->be->execute(cmd, may_sleep);
	if (!ret)
		return;
	if (ret == -EAGAIN && !may_sleep) {
		INIT_WORK(&cmd->work, scstu_exec_work);
		queue_work(scstu_wq, &cmd->work);
		return;
	}
	/* INTERNAL TARGET FAILURE */
	scstu_cmd_set_sense(cmd, HARDWARE_ERROR, 0x44, 0x00);
	scstu_cmd_complete(cmd);
}

/*
 * Task ordering: can the command start now? Called under dev->lock.
 * SIMPLE commands run concurrently unless an ORDERED command runs or waits
 * before them; an ORDERED command waits until everything before it has
 * finished; HEAD OF QUEUE starts at once.
 */
static bool scstu_may_start(struct scstu_dev *dev, struct scstu_cmd *cmd)
{
	switch (cmd->task_attr) {
	case SCSTU_TASK_HEAD_OF_QUEUE:
		return true;
	case SCSTU_TASK_ORDERED:
		return !dev->nr_active && list_empty(&dev->deferred);
	default:
		return !dev->ordered_active && list_empty(&dev->deferred);
	}
}

static void scstu_start_locked(struct scstu_dev *dev, struct scstu_cmd *cmd)
{
	dev->nr_active++;
	if (cmd->task_attr == SCSTU_TASK_ORDERED)
		dev->ordered_active = true;
	set_bit(SCSTU_CMD_EXECUTING, &cmd->flags);
	list_add_tail(&cmd->dev_node, &dev->task_set);
}

/* Move deferred commands that may now start to @run. Under dev->lock. */
static void scstu_release_deferred(struct scstu_dev *dev,
				   struct list_head *run)
{
	struct scstu_cmd *cmd, *tmp;

	list_for_each_entry_safe(cmd, tmp, &dev->deferred, dev_node) {
		if (cmd->task_attr == SCSTU_TASK_ORDERED) {
			if (dev->nr_active)
				break;
		} else if (dev->ordered_active) {
			break;
		}
		list_del(&cmd->dev_node);
		dev->nr_deferred--;
		clear_bit(SCSTU_CMD_DEFERRED, &cmd->flags);
		scstu_start_locked(dev, cmd);
		list_add_tail(&cmd->work.entry, run);
		if (cmd->task_attr == SCSTU_TASK_ORDERED)
			break;
	}
}

static void scstu_run_list(struct list_head *run)
{
	struct scstu_cmd *cmd, *tmp;

	list_for_each_entry_safe(cmd, tmp, run, work.entry) {
		list_del_init(&cmd->work.entry);
		INIT_WORK(&cmd->work, scstu_exec_work);
		queue_work(scstu_wq, &cmd->work);
	}
}

/* Start whatever the task ordering now allows (after a TMF). */
void scstu_dev_kick(struct scstu_dev *dev)
{
	unsigned long flags;
	LIST_HEAD(run);

	spin_lock_irqsave(&dev->lock, flags);
	scstu_release_deferred(dev, &run);
	spin_unlock_irqrestore(&dev->lock, flags);
	scstu_run_list(&run);
}

void scstu_cmd_complete(struct scstu_cmd *cmd)
{
	struct scstu_dev *dev = cmd->dev;
	unsigned long flags;
	LIST_HEAD(run);

	if (test_and_set_bit(SCSTU_CMD_COMPLETED, &cmd->flags)) {
		pr_err_ratelimited("scstu: command tag %llu completed twice\n",
				   cmd->tag);
		return;
	}
	if (cmd->xfer_len > cmd->data_len)
		cmd->xfer_len = cmd->data_len;

	spin_lock_irqsave(&dev->lock, flags);
	list_del_init(&cmd->dev_node);
	dev->nr_active--;
	if (cmd->task_attr == SCSTU_TASK_ORDERED)
		dev->ordered_active = false;
	if (!list_empty(&dev->deferred))
		scstu_release_deferred(dev, &run);
	spin_unlock_irqrestore(&dev->lock, flags);

	if (!list_empty(&run))
		scstu_run_list(&run);
	scstu_cmd_finish(cmd);
}
EXPORT_SYMBOL_GPL(scstu_cmd_complete);

/*
 * Drivers pass LUNs in the integer form of scsilun_to_int(); the core
 * numbers LUNs 0..16383 (peripheral device or flat space addressing).
 */
bool scstu_lun_number(u64 ilun, u64 *lun)
{
	if (ilun < 256) {
		*lun = ilun;
		return true;
	}
	if ((ilun & ~0x3fffULL) == 0x4000) {
		*lun = ilun & 0x3fff;
		return true;
	}
	return false;
}

static struct scstu_tgt_dev *scstu_lookup(struct scstu_session *sess, u64 ilun)
{
	struct scstu_tgt_dev *td;
	u64 lun;

	if (!scstu_lun_number(ilun, &lun))
		return NULL;
	rcu_read_lock();
	td = xa_load(&sess->tgt_devs, lun);
	if (td && !percpu_ref_tryget_live(&td->ref))
		td = NULL;
	rcu_read_unlock();
	return td;
}

/* Complete a command that never reached the task set. */
static void scstu_cmd_done_early(struct scstu_cmd *cmd)
{
	set_bit(SCSTU_CMD_COMPLETED, &cmd->flags);
	if (cmd->xfer_len > cmd->data_len)
		cmd->xfer_len = cmd->data_len;
	scstu_cmd_finish(cmd);
}

void scstu_cmd_submit(struct scstu_cmd *cmd, unsigned int sflags)
{
	struct scstu_session *sess = cmd->sess;
	struct scstu_tgt_dev *td;
	struct scstu_dev *dev;
	unsigned long flags;
	u8 asc, ascq;
	bool start;

	cmd->start = ktime_get();
	atomic_inc(&sess->nr_cmds);

	if (unlikely(!cmd->cdb_len || cmd->cdb_len > SCSTU_MAX_CDB_LEN)) {
		scstu_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x24, 0x00);
		scstu_cmd_done_early(cmd);
		return;
	}
	if (cmd->dir == DMA_NONE)
		cmd->data_len = 0;

	td = scstu_lookup(sess, cmd->lun);
	if (unlikely(!td)) {
		scstu_spc_unmapped(cmd);
		scstu_cmd_done_early(cmd);
		return;
	}
	cmd->tgt_dev = td;
	cmd->dev = dev = td->dev;
	if (READ_ONCE(td->read_only))
		set_bit(SCSTU_CMD_LUN_RO, &cmd->flags);

	/* Unit attention (SAM-5 5.14, SPC-4 5.14) */
	if (unlikely(READ_ONCE(td->nr_ua))) {
		u8 op = cmd->cdb[0];

		if (op != INQUIRY && op != REPORT_LUNS && op != REQUEST_SENSE) {
			bool got;

			spin_lock_irqsave(&dev->lock, flags);
			got = scstu_ua_pop_locked(td, &asc, &ascq);
			spin_unlock_irqrestore(&dev->lock, flags);
			if (got) {
				scstu_cmd_set_sense(cmd, UNIT_ATTENTION,
						    asc, ascq);
				scstu_cmd_done_early(cmd);
				return;
			}
		}
	}

	if (scstu_spc_core_cmd(cmd, td)) {
		scstu_cmd_done_early(cmd);
		return;
	}

	if (unlikely(test_bit(SCSTU_CMD_LUN_RO, &cmd->flags) &&
		     scstu_spc_is_write(dev->type, cmd->cdb))) {
		scstu_cmd_set_sense(cmd, DATA_PROTECT, 0x27, 0x00);
		scstu_cmd_done_early(cmd);
		return;
	}

	spin_lock_irqsave(&dev->lock, flags);
	if (unlikely(dev->reserved_by && dev->reserved_by != sess &&
		     scstu_spc_conflicts(cmd->cdb))) {
		spin_unlock_irqrestore(&dev->lock, flags);
		scstu_cmd_set_status(cmd, SAM_STAT_RESERVATION_CONFLICT);
		scstu_cmd_done_early(cmd);
		return;
	}
	if (cmd->task_attr != SCSTU_TASK_ORDERED &&
	    cmd->task_attr != SCSTU_TASK_HEAD_OF_QUEUE)
		cmd->task_attr = SCSTU_TASK_SIMPLE;
	start = scstu_may_start(dev, cmd);
	if (likely(start)) {
		scstu_start_locked(dev, cmd);
	} else {
		set_bit(SCSTU_CMD_DEFERRED, &cmd->flags);
		list_add_tail(&cmd->dev_node, &dev->deferred);
		dev->nr_deferred++;
	}
	spin_unlock_irqrestore(&dev->lock, flags);

	if (start)
		scstu_cmd_exec(cmd, !(sflags & SCSTU_SUBMIT_ATOMIC));
}
EXPORT_SYMBOL_GPL(scstu_cmd_submit);
