/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstu - SCSI target core: the in-kernel API between the core (scstu.ko),
 * target drivers (which deliver commands from initiators) and device
 * backends (which execute them).
 *
 * Life of a command:
 *  1. The target driver owns the memory of a struct scstu_cmd (typically
 *     embedded in its own per-command structure), calls scstu_cmd_init(),
 *     fills in the "target driver" fields and calls scstu_cmd_submit().
 *  2. The core resolves the LUN through the session's LUN map, checks unit
 *     attentions, reservations, write protection and task ordering, answers
 *     the commands it owns (REPORT LUNS, REQUEST SENSE, RESERVE/RELEASE,
 *     anything addressed to an unmapped LUN) and hands the rest to the
 *     backend's ->execute().
 *  3. The backend sets status, sense and xfer_len and calls
 *     scstu_cmd_complete(), from any context.
 *  4. The core accounts statistics, releases task ordering and calls the
 *     template's ->cmd_done(), from any context (possibly atomic).
 *     If scstu_cmd_aborted() is true, the command was aborted by a task
 *     management function: the driver must not send a response.
 */
#ifndef _SCSTU_H
#define _SCSTU_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/kref.h>
#include <linux/workqueue.h>
#include <linux/scatterlist.h>
#include <linux/dma-direction.h>
#include <linux/configfs.h>
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/xarray.h>
#include <linux/wait.h>

#define SCSTU_MAX_CDB_LEN	260
#define SCSTU_SENSE_LEN		96
#define SCSTU_MAX_LUN		16383
#define SCSTU_NAME_LEN		224

/* SAM-5 task attributes */
enum scstu_task_attr {
	SCSTU_TASK_SIMPLE = 0,
	SCSTU_TASK_HEAD_OF_QUEUE = 1,
	SCSTU_TASK_ORDERED = 2,
	SCSTU_TASK_ACA = 4,
};

struct scstu_dev;
struct scstu_target;
struct scstu_session;
struct scstu_tgt_dev;
struct scstu_tmf;
struct scstu_stats;

/* cmd->flags bits (core private, read with the helpers below) */
enum {
	SCSTU_CMD_ABORTED = 0,
	SCSTU_CMD_COMPLETED,
	SCSTU_CMD_EXECUTING,
	SCSTU_CMD_DEFERRED,
	SCSTU_CMD_LUN_RO,
	SCSTU_CMD_ACCOUNTED,
};

struct scstu_cmd {
	/* ---- filled by the target driver before scstu_cmd_submit() ---- */
	struct scstu_session *sess;
	u64 lun;			/* scsilun_to_int() form */
	u64 tag;			/* unique per session while in flight */
	const u8 *cdb;			/* may point to cdb_buf */
	u16 cdb_len;
	u8 task_attr;			/* enum scstu_task_attr */
	enum dma_data_direction dir;	/* DMA_TO_DEVICE = write */
	struct scatterlist *sgl;
	unsigned int sg_cnt;
	u32 data_len;			/* expected data transfer length */
	void *tgt_priv;
	u8 cdb_buf[32];			/* optional inline CDB storage */

	/* ---- result: set by the core or the backend ---- */
	u8 status;			/* SAM status */
	u8 sense_len;
	u32 xfer_len;			/* bytes actually transferred */
	u8 sense[SCSTU_SENSE_LEN];

	/* ---- backend ---- */
	struct scstu_dev *dev;		/* set by the core before ->execute */
	void *be_priv;
	struct work_struct be_work;	/* free for the backend to use */

	/* ---- core private ---- */
	unsigned long flags;
	struct scstu_tgt_dev *tgt_dev;
	struct list_head dev_node;
	struct work_struct work;
	ktime_t start;
};

/* Target driver side ---------------------------------------------------- */

struct scstu_tgt_template {
	const char *name;		/* configfs: targets/<name>/ */
	struct module *owner;

	/* Command finished (possibly aborted). Any context. Required. */
	void (*cmd_done)(struct scstu_cmd *cmd);
	/* TMF finished. Process context. Required. */
	void (*tmf_done)(struct scstu_tmf *tmf);

	/* mkdir/rmdir targets/<name>/<tgt>. Optional. Process context. */
	int (*add_target)(struct scstu_target *tgt);
	void (*del_target)(struct scstu_target *tgt);

	/*
	 * mkdir targets/<name>/<tgt>/sessions/<initiator>: the core has
	 * created the session; the driver brings up its side (e.g. a SCSI
	 * host). If NULL, sessions cannot be created from configfs.
	 * del_session() is called on rmdir before the core drains and frees
	 * the session; the driver must stop submitting before it returns.
	 */
	int (*add_session)(struct scstu_session *sess);
	void (*del_session)(struct scstu_session *sess);

	/*
	 * The set of LUNs visible to a session changed (mapping, masking).
	 * Called with the target's mutex held: only schedule work from here.
	 * Never called once ->del_session() has started. Optional.
	 */
	void (*luns_changed)(struct scstu_session *sess);

	/* Extra configfs attributes (NULL terminated). Optional. */
	struct configfs_attribute **tgt_attrs;
	struct configfs_attribute **sess_attrs;

	/* core private */
	struct list_head node;
	struct config_group group;
	void *core_priv;
};

int scstu_register_target_template(struct scstu_tgt_template *t);
void scstu_unregister_target_template(struct scstu_tgt_template *t);

struct scstu_target {
	char name[SCSTU_NAME_LEN];
	struct scstu_tgt_template *tmpl;
	void *drv_priv;			/* for the target driver */
	u16 rel_port_id;		/* relative target port identifier */

	/* core private */
	struct config_group group;
	struct config_group luns_group;
	struct config_group groups_group;
	struct config_group sessions_group;
	struct mutex lock;		/* LUN maps, groups, sessions */
	struct list_head sessions;
	struct list_head ini_groups;
	struct xarray luns;		/* default LUN set: lun -> scstu_lun */
};

struct scstu_session {
	char initiator[SCSTU_NAME_LEN];
	struct scstu_target *tgt;
	void *drv_priv;			/* for the target driver */
	u64 id;				/* unique, never reused */

	/* core private */
	struct config_group group;
	struct kref kref;
	struct list_head tgt_node;
	struct xarray tgt_devs;	/* lun -> scstu_tgt_dev (RCU readers) */
	struct completion drained;
	atomic_t nr_cmds;		/* in flight, +1 while alive */
	bool stopping;
	struct scstu_stats __percpu *stats;
};

/* Returns the session configfs item (for driver attributes). */
static inline struct scstu_session *scstu_sess_from_item(struct config_item *i)
{
	return container_of(to_config_group(i), struct scstu_session, group);
}

static inline struct scstu_target *scstu_tgt_from_item(struct config_item *i)
{
	return container_of(to_config_group(i), struct scstu_target, group);
}

/*
 * Fill in the list of LUNs the session currently sees, ascending, as LUN
 * numbers 0..16383 (not in scsilun_to_int() form). Returns
 * the number of LUNs (may exceed max; only max are stored).
 */
unsigned int scstu_session_luns(struct scstu_session *sess, u64 *luns,
				unsigned int max);

/* Commands ---------------------------------------------------------------- */

/* Flags for scstu_cmd_submit() */
#define SCSTU_SUBMIT_ATOMIC	0x1	/* caller may not sleep */

void scstu_cmd_init(struct scstu_cmd *cmd);
/* Always ends in ->cmd_done(), even for errors. */
void scstu_cmd_submit(struct scstu_cmd *cmd, unsigned int flags);

/* Backend: finish a command (any context). */
void scstu_cmd_complete(struct scstu_cmd *cmd);

static inline bool scstu_cmd_aborted(const struct scstu_cmd *cmd)
{
	return test_bit(SCSTU_CMD_ABORTED, &cmd->flags);
}

/* True when the LUN the command came through is mapped read-only. */
static inline bool scstu_cmd_lun_ro(const struct scstu_cmd *cmd)
{
	return test_bit(SCSTU_CMD_LUN_RO, &cmd->flags);
}

/* Result helpers (status + sense). */
void scstu_cmd_good(struct scstu_cmd *cmd);
void scstu_cmd_set_sense(struct scstu_cmd *cmd, u8 key, u8 asc, u8 ascq);
/* Sense with the INFORMATION field set (VALID bit in fixed format). */
void scstu_cmd_set_sense_info(struct scstu_cmd *cmd, u8 key, u8 asc, u8 ascq,
			      u64 info);
/*
 * ILLEGAL REQUEST, INVALID FIELD IN CDB (24/00) or IN PARAMETER LIST
 * (26/00) with the sense-key specific field pointer (SPC-4 4.5.2.4.2).
 * bit < 0: no bit pointer.
 */
void scstu_cmd_invalid_field(struct scstu_cmd *cmd, bool in_cdb, u16 byte,
			     int bit);
void scstu_cmd_set_status(struct scstu_cmd *cmd, u8 status);

/*
 * Copy between the command's scatterlist and a buffer. copy_to_sg copies
 * min(len, data_len), sets xfer_len and returns bytes copied.
 */
u32 scstu_cmd_copy_to_sg(struct scstu_cmd *cmd, const void *buf, u32 len);
u32 scstu_cmd_copy_from_sg(struct scstu_cmd *cmd, void *buf, u32 len);

/* Task management ---------------------------------------------------------- */

enum scstu_tmf_fn {
	SCSTU_TMF_ABORT_TASK = 1,
	SCSTU_TMF_ABORT_TASK_SET,
	SCSTU_TMF_CLEAR_TASK_SET,
	SCSTU_TMF_LUN_RESET,
	SCSTU_TMF_TARGET_RESET,
	SCSTU_TMF_I_T_NEXUS_RESET,
};

/* SAM-5 service responses */
enum scstu_tmf_resp {
	SCSTU_TMF_FUNCTION_COMPLETE = 0,
	SCSTU_TMF_FUNCTION_SUCCEEDED,
	SCSTU_TMF_FUNCTION_REJECTED,
	SCSTU_TMF_INCORRECT_LUN,
};

struct scstu_tmf {
	struct scstu_session *sess;
	enum scstu_tmf_fn fn;
	u64 lun;			/* scsilun_to_int() form */
	u64 ref_tag;			/* ABORT TASK: tag of the command */
	void *tgt_priv;

	enum scstu_tmf_resp resp;	/* result */
	unsigned int nr_aborted;	/* result: commands aborted */

	/* core private */
	struct work_struct work;
};

/* Asynchronous; ends in ->tmf_done() from process context. */
void scstu_tmf_submit(struct scstu_tmf *tmf);
const char *scstu_tmf_name(enum scstu_tmf_fn fn);

/* Backend side ---------------------------------------------------------- */

struct scstu_backend {
	const char *name;		/* configfs: devices/<name>/ */
	struct module *owner;

	/* mkdir devices/<name>/<dev>: allocate (embedding struct scstu_dev) */
	struct scstu_dev *(*alloc_dev)(struct scstu_backend *be,
				       const char *name);
	void (*free_dev)(struct scstu_dev *dev);
	/* echo 1 > enable: make ready for I/O; 0: undo (no LUN links left) */
	int (*enable_dev)(struct scstu_dev *dev);
	void (*disable_dev)(struct scstu_dev *dev);

	/*
	 * Execute a command; complete it now or later with
	 * scstu_cmd_complete(). If may_sleep is false and the backend would
	 * have to sleep, return -EAGAIN without completing: the core calls
	 * again from a worker with may_sleep = true.
	 */
	int (*execute)(struct scstu_cmd *cmd, bool may_sleep);

	/*
	 * Optional hint: the command is being aborted; finish it soon.
	 * Called in atomic context with core locks held: it must not call
	 * scstu_cmd_complete() itself (schedule the completion instead).
	 */
	void (*abort_cmd)(struct scstu_cmd *cmd);

	/*
	 * Optional: an I_T_L nexus to the device appeared (added) or went
	 * away. Process context, target mutex held: copy what is needed
	 * (sess->initiator, sess->tgt->name, sess->id) and return quickly.
	 * lun is the LUN number (0..16383). When a nexus goes away every
	 * command it carried has finished.
	 */
	void (*nexus_event)(struct scstu_dev *dev, struct scstu_session *sess,
			    u64 lun, bool added);

	/*
	 * Optional: LOGICAL UNIT RESET, TARGET RESET (fn tells which) or
	 * I_T NEXUS RESET reached the device through sess; every command it
	 * aborted has finished. Process context, target mutex held; may
	 * sleep, but must return within a bounded time. lun is the LUN
	 * number, U64_MAX for TARGET RESET.
	 */
	void (*reset)(struct scstu_dev *dev, enum scstu_tmf_fn fn,
		      struct scstu_session *sess, u64 lun);

	/* Backend configfs attributes (NULL terminated). */
	struct configfs_attribute **dev_attrs;

	/* core private */
	struct list_head node;
	struct config_group group;
	struct config_item_type dev_type;
	struct configfs_attribute **all_attrs;
};

int scstu_register_backend(struct scstu_backend *be);
void scstu_unregister_backend(struct scstu_backend *be);

struct scstu_dev {
	char name[SCSTU_NAME_LEN];
	struct scstu_backend *be;
	u8 type;			/* peripheral device type (SPC) */
	bool d_sense;			/* descriptor format sense */
	/* REQUEST SENSE with no unit attention pending goes to the backend */
	bool be_request_sense;
	bool enabled;

	/* core private */
	struct config_group group;
	struct mutex mutex;		/* enable, lun links */
	spinlock_t lock;		/* task set, reservation, tgt_devs */
	struct list_head tgt_devs;	/* every I_T_L to this device */
	struct list_head task_set;	/* executing commands */
	unsigned int nr_luns;		/* LUN links */
	unsigned int nr_active;		/* executing commands */
	unsigned int nr_deferred;	/* waiting for task ordering */
	struct list_head deferred;	/* waiting for task ordering */
	bool ordered_active;
	wait_queue_head_t tmf_wq;
	atomic_t nr_aborting;		/* aborted, not yet finished */
	struct scstu_session *reserved_by;	/* SPC-2 reservation */
	struct scstu_stats __percpu *stats;
};

static inline struct scstu_dev *scstu_dev_from_item(struct config_item *i)
{
	return container_of(to_config_group(i), struct scstu_dev, group);
}

/*
 * Device events that establish a unit attention on every I_T_L nexus to
 * the device (except `except`, which may be NULL).
 */
void scstu_dev_ua(struct scstu_dev *dev, struct scstu_session *except,
		  u8 asc, u8 ascq);
/*
 * scstu_dev_visit_nexuses() calls v->fn for every I_T_L nexus to the
 * device, under the device spinlock (fn must not sleep). lun is the LUN
 * number (0..16383).
 */
struct scstu_nexus_visitor {
	void (*fn)(struct scstu_nexus_visitor *v, struct scstu_dev *dev,
		   struct scstu_session *sess, u64 lun);
};

void scstu_dev_visit_nexuses(struct scstu_dev *dev,
			      struct scstu_nexus_visitor *v);
#define scstu_dev_capacity_changed(dev) scstu_dev_ua(dev, NULL, 0x2a, 0x09)
#define scstu_dev_inquiry_changed(dev) scstu_dev_ua(dev, NULL, 0x3f, 0x03)
#define scstu_dev_mode_changed(dev, by) scstu_dev_ua(dev, by, 0x2a, 0x01)

#endif /* _SCSTU_H */
