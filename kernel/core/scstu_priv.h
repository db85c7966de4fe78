/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstu core private definitions.
 *
 * Locking:
 *  - scstu_target.lock (mutex): LUN sets, initiator groups, the session
 *    list and every session's LUN map (writers). Never taken in the I/O
 *    path.
 *  - scstu_dev.lock (spinlock): task set, task ordering, SPC-2
 *    reservation and the unit attention queues of every I_T_L nexus to
 *    the device. Taken twice per command (submit and completion); there is
 *    no lock shared between devices in the I/O path.
 *  - Session LUN maps are xarrays read under RCU; an I_T_L nexus
 *    (scstu_tgt_dev) is pinned by a percpu_ref for each command in flight.
 *  Order: target.lock -> dev.lock.
 */
#ifndef _SCSTU_PRIV_H
#define _SCSTU_PRIV_H

#include <linux/percpu-refcount.h>
#include "scstu.h"

#define SCSTU_UA_MAX		8

struct scstu_stats {
	u64 cmds;
	u64 read_cmds;
	u64 write_cmds;
	u64 read_bytes;
	u64 write_bytes;
	u64 errors;
	u64 lat_ns;
	u64 lat_max_ns;
};

/* A LUN in a target's default LUN set or in an initiator group. */
struct scstu_lun {
	struct config_group group;
	u64 lun;
	struct scstu_target *tgt;
	struct xarray *set;		/* the LUN set it belongs to */
	struct scstu_dev *dev;		/* NULL until linked */
	bool read_only;
	struct scstu_stats __percpu *stats;
};

struct scstu_ini_group {
	struct config_group group;
	struct config_group inis_group;
	struct config_group luns_group;
	struct scstu_target *tgt;
	struct list_head node;		/* tgt->ini_groups */
	struct list_head inis;
	struct xarray luns;		/* lun -> scstu_lun */
};

struct scstu_ini {
	struct config_item item;
	struct scstu_ini_group *grp;
	struct list_head node;
	char name[SCSTU_NAME_LEN];
};

/* I_T_L nexus: a session's view of one device through one LUN. */
struct scstu_tgt_dev {
	struct percpu_ref ref;		/* one per command in flight */
	struct completion released;
	struct rcu_head rcu;
	struct scstu_session *sess;
	struct scstu_dev *dev;
	struct scstu_lun *lun_ent;
	u64 lun;
	bool read_only;
	struct list_head dev_node;	/* dev->tgt_devs, under dev->lock */
	/* unit attention queue, under dev->lock */
	unsigned int nr_ua;
	u16 ua[SCSTU_UA_MAX];		/* asc << 8 | ascq */
};

struct scstu_tmpl_priv {
	struct config_item_type tgt_type;
	struct config_item_type sess_type;
	struct configfs_attribute **tgt_attrs;
	struct configfs_attribute **sess_attrs;
};

extern struct workqueue_struct *scstu_wq;
extern struct configfs_subsystem scstu_subsys;

/* scstu_configfs.c */
int scstu_configfs_init(void);
void scstu_configfs_exit(void);
int scstu_configfs_add_backend(struct scstu_backend *be);
void scstu_configfs_del_backend(struct scstu_backend *be);
int scstu_configfs_add_template(struct scstu_tgt_template *t);
void scstu_configfs_del_template(struct scstu_tgt_template *t);
bool scstu_item_is_dev(struct config_item *item);

/* scstu_sess.c */
struct scstu_session *scstu_session_alloc(struct scstu_target *tgt,
					  const char *initiator);
void scstu_session_start(struct scstu_session *sess);
void scstu_session_stop(struct scstu_session *sess);
void scstu_session_drain(struct scstu_session *sess);
void scstu_session_put(struct scstu_session *sess);
void scstu_target_luns_changed(struct scstu_target *tgt);
void scstu_target_init(struct scstu_target *tgt);
void scstu_tgt_dev_put(struct scstu_tgt_dev *td);

/* scstu_cmd.c */
void scstu_cmd_finish(struct scstu_cmd *cmd);
void scstu_cmd_exec(struct scstu_cmd *cmd, bool may_sleep);
void scstu_dev_kick(struct scstu_dev *dev);
bool scstu_lun_number(u64 ilun, u64 *lun);

/* scstu_spc.c */
bool scstu_spc_core_cmd(struct scstu_cmd *cmd, struct scstu_tgt_dev *td);
void scstu_spc_unmapped(struct scstu_cmd *cmd);
bool scstu_spc_is_write(u8 type, const u8 *cdb);
bool scstu_spc_conflicts(const u8 *cdb);

/* scstu_ua.c */
void scstu_ua_add_locked(struct scstu_tgt_dev *td, u8 asc, u8 ascq);
void scstu_ua_add(struct scstu_tgt_dev *td, u8 asc, u8 ascq);
bool scstu_ua_pop_locked(struct scstu_tgt_dev *td, u8 *asc, u8 *ascq);
void scstu_ua_clear_locked(struct scstu_tgt_dev *td, u8 asc, u8 ascq);
void scstu_sess_ua(struct scstu_session *sess, u8 asc, u8 ascq);

/* scstu_sense.c */
u8 scstu_build_sense(u8 *buf, bool desc, u8 key, u8 asc, u8 ascq);

/* scstu_stats.c */
struct scstu_stats __percpu *scstu_stats_alloc(void);
void scstu_stats_free(struct scstu_stats __percpu *s);
void scstu_stats_account(struct scstu_stats __percpu *s,
			 const struct scstu_cmd *cmd, u64 lat_ns);
ssize_t scstu_stats_show(struct scstu_stats __percpu *s, char *page,
			 long in_flight, long waiting);

/* scstu_tmf.c */
void scstu_tmf_release_reservation(struct scstu_dev *dev,
				   struct scstu_session *holder);

#endif /* _SCSTU_PRIV_H */
