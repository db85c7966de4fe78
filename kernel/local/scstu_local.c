// SPDX-License-Identifier: GPL-2.0
/*
 * scstu_local - local loopback target driver.
 *
 * Every session (configfs: targets/local/<tgt>/sessions/<initiator>) is one
 * Linux SCSI host whose commands go straight into the scstu core, so the
 * kernel's own initiator stack (sd, st, sg, ch) talks to scstu devices.
 * Several sessions on one target are several hosts with different
 * initiator names, which is what LUN masking and reservations need.
 *
 * See docs/local-target.md for the design and the rules the error
 * handling follows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/blk-mq.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>
#include <scsi/scsi_proto.h>

#include "scstu.h"

/* Host queue limits (see docs/local-target.md, "Queueing"). */
#define SCSTU_LOCAL_CAN_QUEUE	1024
#define SCSTU_LOCAL_CMD_PER_LUN	128
#define SCSTU_LOCAL_MAX_SECTORS	8192	/* 4 MiB */

/*
 * LUNs 0..255 use the peripheral device addressing method, larger ones the
 * flat space method (SAM-5 4.7), which scsilun_to_int() turns into
 * 0x4000 | n: the midlayer's integer LUNs of a session go up to 0x7fff.
 * The core takes cmd->lun and tmf->lun in that form.
 */
#define SCSTU_LOCAL_FLAT_LUN	0x4000
#define SCSTU_LOCAL_MAX_LUN	0x8000

static unsigned int tmf_timeout = 60;
module_param(tmf_timeout, uint, 0644);
MODULE_PARM_DESC(tmf_timeout,
		 "Seconds to wait for a task management function (default 60)");

static struct device *scstu_local_root;
static struct workqueue_struct *scstu_local_wq;

/* target->drv_priv */
struct scstu_local_tgt {
	bool auto_rescan;
};

/* shost_priv() of the host of one session; session->drv_priv points here */
struct scstu_local_host {
	struct Scsi_Host *shost;
	struct scstu_session *sess;
	struct work_struct rescan_work;
	spinlock_t lock;		/* removing vs. queueing rescan_work */
	bool removing;
	u8 task_attr;			/* sent with every command */
};

/* scsi_cmd_priv() of every scsi_cmnd of our hosts */
struct scstu_local_cmd {
	struct scstu_cmd cmd;
	/*
	 * True from submission until ->cmd_done() no longer touches the
	 * command. Cleared inside an RCU read-side section that also covers
	 * scsi_done(), so "false, then synchronize_rcu()" means the core and
	 * this driver are done with the scsi_cmnd.
	 */
	bool in_core;
	/* Re-sent by the SCSI error handler (TEST UNIT READY, ...). */
	bool eh_cmd;
};

/* One task management request; freed by whoever drops the last ref. */
struct scstu_local_tmf {
	struct scstu_tmf tmf;
	struct completion done;
	refcount_t ref;
};

static u64 scstu_local_lun_to_int(u64 lun)
{
	return lun < 256 ? lun : SCSTU_LOCAL_FLAT_LUN | lun;
}

static bool scstu_local_int_to_lun(u64 ilun, u64 *lun)
{
	if (ilun < 256) {
		*lun = ilun;
		return true;
	}
	if ((ilun & ~0x3fffULL) == SCSTU_LOCAL_FLAT_LUN) {
		*lun = ilun & 0x3fff;
		return true;
	}
	return false;
}

/*
 * The midlayer sets SCMD_STATE_COMPLETE when a command completes or times
 * out; from then on it owns the command (scsi_done() has no effect) until
 * it re-dispatches it. The error handler re-sends such commands (TEST UNIT
 * READY, REQUEST SENSE, START STOP UNIT) with the bit still set.
 */
static bool scstu_local_mid_owns(struct scsi_cmnd *sc)
{
	return test_bit(SCMD_STATE_COMPLETE, &sc->state);
}

/* Fast path ------------------------------------------------------------- */

static int scstu_local_queuecommand(struct Scsi_Host *shost,
				    struct scsi_cmnd *sc)
{
	struct scstu_local_host *lh = shost_priv(shost);
	struct scstu_local_cmd *lc = scsi_cmd_priv(sc);
	struct scstu_cmd *cmd = &lc->cmd;

	scstu_cmd_init(cmd);
	cmd->sess = lh->sess;
	cmd->lun = sc->device->lun;
	cmd->tag = blk_mq_unique_tag(scsi_cmd_to_rq(sc));
	cmd->cdb = sc->cmnd;
	cmd->cdb_len = sc->cmd_len;
	cmd->task_attr = READ_ONCE(lh->task_attr);
	cmd->dir = sc->sc_data_direction;
	cmd->sgl = scsi_sglist(sc);
	cmd->sg_cnt = scsi_sg_count(sc);
	cmd->data_len = scsi_bufflen(sc);
	cmd->tgt_priv = sc;

	lc->eh_cmd = scstu_local_mid_owns(sc);
	WRITE_ONCE(lc->in_core, true);
	scstu_cmd_submit(cmd, SCSTU_SUBMIT_ATOMIC);
	return 0;
}

static void scstu_local_cmd_done(struct scstu_cmd *cmd)
{
	struct scstu_local_cmd *lc = container_of(cmd, struct scstu_local_cmd,
						  cmd);
	struct scsi_cmnd *sc = cmd->tgt_priv;
	u32 resid = 0;

	rcu_read_lock();
	if (unlikely(!lc->eh_cmd && scstu_local_mid_owns(sc))) {
		/*
		 * Timed out: the error handler owns it and is waiting in one
		 * of our eh_*_handler()s for in_core to drop. Leave it alone.
		 */
		WRITE_ONCE(lc->in_core, false);
		rcu_read_unlock();
		return;
	}
	if (unlikely(scstu_cmd_aborted(cmd))) {
		/*
		 * Aborted by a TMF the midlayer did not ask for (another
		 * session, the tmf attribute, an sg_reset ioctl with live
		 * I/O): report TASK ABORTED, which the midlayer retries when
		 * the command allows retries.
		 */
		sc->result = SAM_STAT_TASK_ABORTED;
		resid = cmd->data_len;
	} else {
		sc->result = cmd->status;
		if (cmd->sense_len)
			memcpy(sc->sense_buffer, cmd->sense,
			       min_t(u32, cmd->sense_len,
				     SCSI_SENSE_BUFFERSIZE));
		if (cmd->xfer_len < cmd->data_len)
			resid = cmd->data_len - cmd->xfer_len;
	}
	scsi_set_resid(sc, resid);
	WRITE_ONCE(lc->in_core, false);
	scsi_done(sc);
	rcu_read_unlock();
}

static int scstu_local_init_cmd_priv(struct Scsi_Host *shost,
				     struct scsi_cmnd *sc)
{
	/*
	 * Having this hook keeps the midlayer from clearing cmd_size bytes
	 * per command; scstu_cmd_init() sets up what the core needs.
	 */
	memset(scsi_cmd_priv(sc), 0, sizeof(struct scstu_local_cmd));
	return 0;
}

/* Task management ------------------------------------------------------- */

static void scstu_local_tmf_put(struct scstu_local_tmf *lt)
{
	if (refcount_dec_and_test(&lt->ref))
		kfree(lt);
}

static void scstu_local_tmf_done(struct scstu_tmf *tmf)
{
	struct scstu_local_tmf *lt = tmf->tgt_priv;

	complete(&lt->done);
	scstu_local_tmf_put(lt);
}

static bool scstu_local_resp_ok(enum scstu_tmf_resp resp)
{
	return resp == SCSTU_TMF_FUNCTION_COMPLETE ||
	       resp == SCSTU_TMF_FUNCTION_SUCCEEDED;
}

/*
 * Issue a TMF on the session and wait for its response. Returns 0 and
 * sets *resp, or -ETIMEDOUT / -EINTR / -ENOMEM. On timeout the request
 * stays with the core and is freed by ->tmf_done() later.
 */
static int scstu_local_tmf(struct scstu_session *sess, enum scstu_tmf_fn fn,
			   u64 lun, u64 ref_tag, bool killable,
			   enum scstu_tmf_resp *resp, unsigned int *nr_aborted)
{
	unsigned long timeout = (unsigned long)tmf_timeout * HZ;
	struct scstu_local_tmf *lt;
	long left;

	lt = kzalloc(sizeof(*lt), GFP_NOIO);
	if (!lt)
		return -ENOMEM;
	init_completion(&lt->done);
	refcount_set(&lt->ref, 2);
	lt->tmf.sess = sess;
	lt->tmf.fn = fn;
	lt->tmf.lun = lun;
	lt->tmf.ref_tag = ref_tag;
	lt->tmf.tgt_priv = lt;

	scstu_tmf_submit(&lt->tmf);

	if (killable)
		left = wait_for_completion_killable_timeout(&lt->done, timeout);
	else
		left = wait_for_completion_timeout(&lt->done, timeout);
	if (left > 0) {
		*resp = lt->tmf.resp;
		if (nr_aborted)
			*nr_aborted = lt->tmf.nr_aborted;
	}
	scstu_local_tmf_put(lt);
	if (left > 0)
		return 0;
	return left < 0 ? -EINTR : -ETIMEDOUT;
}

struct scstu_local_busy {
	struct scsi_device *sdev;	/* NULL: the whole host */
	unsigned int nr;
};

static bool scstu_local_busy_fn(struct scsi_cmnd *sc, void *data)
{
	struct scstu_local_busy *busy = data;
	struct scstu_local_cmd *lc = scsi_cmd_priv(sc);

	if (busy->sdev && sc->device != busy->sdev)
		return true;
	if (READ_ONCE(lc->in_core) && scstu_local_mid_owns(sc))
		busy->nr++;
	return true;
}

/*
 * Wait until no command the midlayer has taken over (timed out) on @sdev
 * (or the whole host) is still inside the core: once an eh handler
 * returns, the midlayer may retry, fail or free those commands. timeout 0:
 * wait as long as it takes (the host reset handler has no way out).
 */
static bool scstu_local_wait_idle(struct Scsi_Host *shost,
				  struct scsi_device *sdev,
				  unsigned long timeout)
{
	unsigned long end = jiffies + timeout;
	unsigned long warn = jiffies + 30 * HZ;

	for (;;) {
		struct scstu_local_busy busy = { .sdev = sdev };

		scsi_host_busy_iter(shost, scstu_local_busy_fn, &busy);
		if (!busy.nr)
			break;
		if (timeout && time_after(jiffies, end))
			return false;
		if (!timeout && time_after(jiffies, warn)) {
			shost_printk(KERN_WARNING, shost,
				     "%u timed out commands still in the target core\n",
				     busy.nr);
			warn = jiffies + 30 * HZ;
		}
		msleep(20);
	}
	synchronize_rcu();
	return true;
}

static int scstu_local_eh_abort(struct scsi_cmnd *sc)
{
	struct scstu_local_host *lh = shost_priv(sc->device->host);
	struct scstu_local_cmd *lc = scsi_cmd_priv(sc);
	unsigned long end = jiffies + (unsigned long)tmf_timeout * HZ;
	enum scstu_tmf_resp resp;
	int ret;

	if (READ_ONCE(lc->in_core)) {
		ret = scstu_local_tmf(lh->sess, SCSTU_TMF_ABORT_TASK,
				      sc->device->lun,
				      blk_mq_unique_tag(scsi_cmd_to_rq(sc)),
				      false, &resp, NULL);
		if (ret || !scstu_local_resp_ok(resp))
			return FAILED;
		while (READ_ONCE(lc->in_core)) {
			if (time_after(jiffies, end))
				return FAILED;
			msleep(20);
		}
	}
	synchronize_rcu();
	return SUCCESS;
}

/*
 * The reset handlers are also called from the SG_SCSI_RESET ioctl with a
 * dummy command (no request, no tag): use only sc->device.
 */
static int scstu_local_reset(struct scsi_cmnd *sc, enum scstu_tmf_fn fn,
			     bool lun_only, bool last_resort)
{
	struct scsi_device *sdev = sc->device;
	struct Scsi_Host *shost = sdev->host;
	struct scstu_local_host *lh = shost_priv(shost);
	enum scstu_tmf_resp resp;
	bool ok;

	ok = !scstu_local_tmf(lh->sess, fn, sdev->lun, 0, false, &resp, NULL) &&
	     scstu_local_resp_ok(resp);
	if (!ok)
		shost_printk(KERN_WARNING, shost, "%s failed\n",
			     scstu_tmf_name(fn));
	if (!scstu_local_wait_idle(shost, lun_only ? sdev : NULL,
				   last_resort ? 0 :
				   (unsigned long)tmf_timeout * HZ))
		return FAILED;
	return ok ? SUCCESS : FAILED;
}

static int scstu_local_eh_device_reset(struct scsi_cmnd *sc)
{
	return scstu_local_reset(sc, SCSTU_TMF_LUN_RESET, true, false);
}

static int scstu_local_eh_target_reset(struct scsi_cmnd *sc)
{
	return scstu_local_reset(sc, SCSTU_TMF_TARGET_RESET, false, false);
}

static int scstu_local_eh_bus_reset(struct scsi_cmnd *sc)
{
	return scstu_local_reset(sc, SCSTU_TMF_I_T_NEXUS_RESET, false, false);
}

static int scstu_local_eh_host_reset(struct scsi_cmnd *sc)
{
	return scstu_local_reset(sc, SCSTU_TMF_I_T_NEXUS_RESET, false, true);
}

static const char *scstu_local_info(struct Scsi_Host *shost)
{
	return "scstu local loopback target";
}

static struct scsi_host_template scstu_local_sht = {
	.module			= THIS_MODULE,
	.name			= "scstu_local",
	.proc_name		= "scstu_local",
	.info			= scstu_local_info,
	.queuecommand		= scstu_local_queuecommand,
	.init_cmd_priv		= scstu_local_init_cmd_priv,
	.change_queue_depth	= scsi_change_queue_depth,
	.eh_abort_handler	= scstu_local_eh_abort,
	.eh_device_reset_handler = scstu_local_eh_device_reset,
	.eh_target_reset_handler = scstu_local_eh_target_reset,
	.eh_bus_reset_handler	= scstu_local_eh_bus_reset,
	.eh_host_reset_handler	= scstu_local_eh_host_reset,
	.can_queue		= SCSTU_LOCAL_CAN_QUEUE,
	.cmd_per_lun		= SCSTU_LOCAL_CMD_PER_LUN,
	.this_id		= -1,
	.sg_tablesize		= SG_MAX_SEGMENTS,
	.max_sectors		= SCSTU_LOCAL_MAX_SECTORS,
	.max_segment_size	= UINT_MAX,
	.skip_settle_delay	= 1,
	.track_queue_depth	= 0,
	.cmd_size		= sizeof(struct scstu_local_cmd),
};

/* LUN changes ----------------------------------------------------------- */

/*
 * Bring the host's scsi_devices in line with the session's LUN set:
 * remove those whose LUN is gone, and if a LUN is missing let the
 * midlayer scan the target (REPORT LUNS), which adds the new ones with
 * the LUN encoding the core reports.
 */
static void scstu_local_rescan_work(struct work_struct *work)
{
	struct scstu_local_host *lh = container_of(work, struct scstu_local_host,
						   rescan_work);
	struct Scsi_Host *shost = lh->shost;
	struct scsi_device *sdev;
	unsigned int i, n, max = 64;
	unsigned long *want;
	u64 *luns, lun;

	want = bitmap_zalloc(SCSTU_MAX_LUN + 1, GFP_KERNEL);
	if (!want)
		return;
	for (;;) {
		luns = kvmalloc_array(max, sizeof(*luns), GFP_KERNEL);
		if (!luns)
			goto out;
		n = scstu_session_luns(lh->sess, luns, max);
		if (n <= max)
			break;
		kvfree(luns);
		max = n + 16;
	}
	for (i = 0; i < n; i++)
		if (luns[i] <= SCSTU_MAX_LUN)
			__set_bit(luns[i], want);
	kvfree(luns);

	shost_for_each_device(sdev, shost) {
		if (!sdev->channel && !sdev->id &&
		    scstu_local_int_to_lun(sdev->lun, &lun) &&
		    test_bit(lun, want)) {
			__clear_bit(lun, want);	/* already there */
			continue;
		}
		sdev_printk(KERN_INFO, sdev, "LUN gone, removing\n");
		scsi_remove_device(sdev);
	}
	if (!bitmap_empty(want, SCSTU_MAX_LUN + 1))
		scsi_scan_target(&shost->shost_gendev, 0, 0, SCAN_WILD_CARD,
				 SCSI_SCAN_RESCAN);
out:
	bitmap_free(want);
}

static void scstu_local_luns_changed(struct scstu_session *sess)
{
	struct scstu_local_tgt *lt = sess->tgt->drv_priv;
	struct scstu_local_host *lh = READ_ONCE(sess->drv_priv);

	if (!lh || !lt || !READ_ONCE(lt->auto_rescan))
		return;
	spin_lock(&lh->lock);
	if (!lh->removing)
		queue_work(scstu_local_wq, &lh->rescan_work);
	spin_unlock(&lh->lock);
}

/* Targets and sessions -------------------------------------------------- */

static int scstu_local_add_target(struct scstu_target *tgt)
{
	struct scstu_local_tgt *lt = kzalloc(sizeof(*lt), GFP_KERNEL);

	if (!lt)
		return -ENOMEM;
	lt->auto_rescan = true;
	tgt->drv_priv = lt;
	return 0;
}

static void scstu_local_del_target(struct scstu_target *tgt)
{
	kfree(tgt->drv_priv);
	tgt->drv_priv = NULL;
}

static int scstu_local_add_session(struct scstu_session *sess)
{
	struct scstu_local_host *lh;
	struct Scsi_Host *shost;
	int ret;

	shost = scsi_host_alloc(&scstu_local_sht, sizeof(*lh));
	if (!shost)
		return -ENOMEM;
	shost->max_channel = 0;
	shost->max_id = 1;
	shost->max_lun = SCSTU_LOCAL_MAX_LUN;
	shost->max_cmd_len = sizeof(((struct scsi_cmnd *)NULL)->cmnd);

	lh = shost_priv(shost);
	lh->shost = shost;
	lh->sess = sess;
	lh->task_attr = SCSTU_TASK_SIMPLE;
	spin_lock_init(&lh->lock);
	INIT_WORK(&lh->rescan_work, scstu_local_rescan_work);

	ret = scsi_add_host(shost, scstu_local_root);
	if (ret) {
		scsi_host_put(shost);
		return ret;
	}
	/* Publish for luns_changed() and the configfs attributes. */
	smp_store_release(&sess->drv_priv, lh);
	scsi_scan_host(shost);
	return 0;
}

static void scstu_local_del_session(struct scstu_session *sess)
{
	struct scstu_local_host *lh = sess->drv_priv;
	struct Scsi_Host *shost;

	if (!lh)
		return;
	shost = lh->shost;

	spin_lock(&lh->lock);
	lh->removing = true;
	spin_unlock(&lh->lock);
	cancel_work_sync(&lh->rescan_work);

	/*
	 * Removes every scsi_device and waits until their queues are empty.
	 * A request cannot end while its command is in the core: either
	 * ->cmd_done() completed it, or the midlayer timed it out and our eh
	 * handlers waited for the core to let go of it. After this no
	 * ->queuecommand() is called for the host.
	 */
	scsi_remove_host(shost);
	WRITE_ONCE(sess->drv_priv, NULL);
	/* Let ->cmd_done() calls still returning from scsi_done() finish. */
	synchronize_rcu();
	scsi_host_put(shost);
}

/* configfs attributes --------------------------------------------------- */

static ssize_t scstu_local_sess_host_show(struct config_item *item,
					  char *page)
{
	struct scstu_session *sess = scstu_sess_from_item(item);
	/* Pairs with the release in scstu_local_add_session(). */
	struct scstu_local_host *lh = smp_load_acquire(&sess->drv_priv);

	if (!lh)
		return -ENODEV;
	return sprintf(page, "%u\n", lh->shost->host_no);
}

static const struct {
	const char *name;
	enum scstu_tmf_fn fn;
	bool lun;
} scstu_local_tmf_names[] = {
	{ "abort_task_set", SCSTU_TMF_ABORT_TASK_SET, true },
	{ "clear_task_set", SCSTU_TMF_CLEAR_TASK_SET, true },
	{ "lun_reset", SCSTU_TMF_LUN_RESET, true },
	{ "target_reset", SCSTU_TMF_TARGET_RESET, false },
	{ "it_nexus_reset", SCSTU_TMF_I_T_NEXUS_RESET, false },
};

/*
 * Test aid: "abort_task_set <lun>", "clear_task_set <lun>",
 * "lun_reset <lun>", "target_reset", "it_nexus_reset" issue that TMF from
 * this session and wait for the response.
 */
static ssize_t scstu_local_sess_tmf_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct scstu_session *sess = scstu_sess_from_item(item);
	enum scstu_tmf_resp resp;
	unsigned int i, nr = 0;
	char name[16];
	u64 lun = 0;
	int n, ret;

	n = sscanf(page, "%15s %llu", name, &lun);
	if (n < 1)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(scstu_local_tmf_names); i++)
		if (!strcmp(name, scstu_local_tmf_names[i].name))
			break;
	if (i == ARRAY_SIZE(scstu_local_tmf_names))
		return -EINVAL;
	if (scstu_local_tmf_names[i].lun && (n != 2 || lun > SCSTU_MAX_LUN))
		return -EINVAL;

	ret = scstu_local_tmf(sess, scstu_local_tmf_names[i].fn,
			      scstu_local_lun_to_int(lun), 0, true, &resp, &nr);
	if (ret)
		return ret;
	if (resp == SCSTU_TMF_INCORRECT_LUN)
		return -ENXIO;
	if (!scstu_local_resp_ok(resp))
		return -EIO;
	pr_info("%s: %s %llu: %u commands aborted\n", sess->initiator, name,
		lun, nr);
	return count;
}

static const char * const scstu_local_attr_names[] = {
	[SCSTU_TASK_SIMPLE] = "simple",
	[SCSTU_TASK_HEAD_OF_QUEUE] = "head_of_queue",
	[SCSTU_TASK_ORDERED] = "ordered",
};

static ssize_t scstu_local_sess_task_attr_show(struct config_item *item,
					       char *page)
{
	struct scstu_session *sess = scstu_sess_from_item(item);
	/* Pairs with the release in scstu_local_add_session(). */
	struct scstu_local_host *lh = smp_load_acquire(&sess->drv_priv);

	if (!lh)
		return -ENODEV;
	return sprintf(page, "%s\n",
		       scstu_local_attr_names[READ_ONCE(lh->task_attr)]);
}

/*
 * Linux sends every command SIMPLE; this makes the session send all its
 * commands with another task attribute, to exercise task ordering.
 */
static ssize_t scstu_local_sess_task_attr_store(struct config_item *item,
						const char *page,
						size_t count)
{
	struct scstu_session *sess = scstu_sess_from_item(item);
	/* Pairs with the release in scstu_local_add_session(). */
	struct scstu_local_host *lh = smp_load_acquire(&sess->drv_priv);
	unsigned int i;

	if (!lh)
		return -ENODEV;
	for (i = 0; i < ARRAY_SIZE(scstu_local_attr_names); i++) {
		if (scstu_local_attr_names[i] &&
		    sysfs_streq(page, scstu_local_attr_names[i])) {
			WRITE_ONCE(lh->task_attr, i);
			return count;
		}
	}
	return -EINVAL;
}

CONFIGFS_ATTR_RO(scstu_local_sess_, host);
CONFIGFS_ATTR_WO(scstu_local_sess_, tmf);
CONFIGFS_ATTR(scstu_local_sess_, task_attr);

static struct configfs_attribute *scstu_local_sess_attrs[] = {
	&scstu_local_sess_attr_host,
	&scstu_local_sess_attr_tmf,
	&scstu_local_sess_attr_task_attr,
	NULL,
};

static ssize_t scstu_local_tgt_auto_rescan_show(struct config_item *item,
						char *page)
{
	struct scstu_local_tgt *lt = scstu_tgt_from_item(item)->drv_priv;

	if (!lt)
		return -ENODEV;
	return sprintf(page, "%d\n", READ_ONCE(lt->auto_rescan));
}

static ssize_t scstu_local_tgt_auto_rescan_store(struct config_item *item,
						 const char *page,
						 size_t count)
{
	struct scstu_local_tgt *lt = scstu_tgt_from_item(item)->drv_priv;
	bool val;
	int ret;

	if (!lt)
		return -ENODEV;
	ret = kstrtobool(page, &val);
	if (ret)
		return ret;
	WRITE_ONCE(lt->auto_rescan, val);
	return count;
}

CONFIGFS_ATTR(scstu_local_tgt_, auto_rescan);

static struct configfs_attribute *scstu_local_tgt_attrs[] = {
	&scstu_local_tgt_attr_auto_rescan,
	NULL,
};

static struct scstu_tgt_template scstu_local_tmpl = {
	.name		= "local",
	.owner		= THIS_MODULE,
	.cmd_done	= scstu_local_cmd_done,
	.tmf_done	= scstu_local_tmf_done,
	.add_target	= scstu_local_add_target,
	.del_target	= scstu_local_del_target,
	.add_session	= scstu_local_add_session,
	.del_session	= scstu_local_del_session,
	.luns_changed	= scstu_local_luns_changed,
	.tgt_attrs	= scstu_local_tgt_attrs,
	.sess_attrs	= scstu_local_sess_attrs,
};

static int __init scstu_local_init(void)
{
	int ret;

	scstu_local_root = root_device_register("scstu_local");
	if (IS_ERR(scstu_local_root))
		return PTR_ERR(scstu_local_root);
	scstu_local_wq = alloc_workqueue("scstu_local", WQ_UNBOUND, 0);
	if (!scstu_local_wq) {
		ret = -ENOMEM;
		goto err_root;
	}
	ret = scstu_register_target_template(&scstu_local_tmpl);
	if (ret)
		goto err_wq;
	return 0;

err_wq:
	destroy_workqueue(scstu_local_wq);
err_root:
	root_device_unregister(scstu_local_root);
	return ret;
}

static void __exit scstu_local_exit(void)
{
	/* No target can exist here: configfs pins the module while one does. */
	scstu_unregister_target_template(&scstu_local_tmpl);
	destroy_workqueue(scstu_local_wq);
	root_device_unregister(scstu_local_root);
}

module_init(scstu_local_init);
module_exit(scstu_local_exit);

MODULE_DESCRIPTION("scstu local loopback target driver");
MODULE_LICENSE("GPL");
