// SPDX-License-Identifier: GPL-2.0
/*
 * scstu core: sessions (I_T nexuses) and their LUN maps (I_T_L nexuses).
 *
 * A session sees the LUN set of the initiator group its initiator name
 * belongs to, or the target's default LUN set. Whenever a LUN, a link, a
 * group or a group member changes, every session of the target gets its
 * map recomputed under the target mutex; readers in the I/O path use RCU.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include "scstu_priv.h"

static atomic64_t scstu_sess_ids = ATOMIC64_INIT(0);

void scstu_target_init(struct scstu_target *tgt)
{
	mutex_init(&tgt->lock);
	INIT_LIST_HEAD(&tgt->sessions);
	INIT_LIST_HEAD(&tgt->ini_groups);
	xa_init(&tgt->luns);
}

static void scstu_td_release(struct percpu_ref *ref)
{
	struct scstu_tgt_dev *td = container_of(ref, struct scstu_tgt_dev, ref);

	complete(&td->released);
}

static void scstu_td_free_rcu(struct rcu_head *rcu)
{
	struct scstu_tgt_dev *td = container_of(rcu, struct scstu_tgt_dev, rcu);

	percpu_ref_exit(&td->ref);
	kfree(td);
}

static struct scstu_tgt_dev *scstu_td_alloc(struct scstu_session *sess,
					    struct scstu_lun *l)
{
	struct scstu_tgt_dev *td = kzalloc(sizeof(*td), GFP_KERNEL);

	if (!td)
		return NULL;
	if (percpu_ref_init(&td->ref, scstu_td_release, 0, GFP_KERNEL)) {
		kfree(td);
		return NULL;
	}
	init_completion(&td->released);
	td->sess = sess;
	td->dev = l->dev;
	td->lun_ent = l;
	td->lun = l->lun;
	td->read_only = l->read_only;
	return td;
}

/* Unhook an I_T_L nexus and wait for its commands. Under tgt->lock. */
static void scstu_td_remove(struct scstu_tgt_dev *td)
{
	struct scstu_dev *dev = td->dev;
	unsigned long flags;

	xa_erase(&td->sess->tgt_devs, td->lun);
	percpu_ref_kill(&td->ref);
	wait_for_completion(&td->released);

	spin_lock_irqsave(&dev->lock, flags);
	list_del(&td->dev_node);
	if (dev->reserved_by == td->sess) {
		bool other = false;
		struct scstu_tgt_dev *o;

		/* still reachable by the same nexus through another LUN? */
		list_for_each_entry(o, &dev->tgt_devs, dev_node)
			if (o->sess == td->sess)
				other = true;
		if (!other)
			dev->reserved_by = NULL;
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	if (dev->be->nexus_event)
		dev->be->nexus_event(dev, td->sess, td->lun, false);
	call_rcu(&td->rcu, scstu_td_free_rcu);
}

static struct xarray *scstu_sess_lun_set(struct scstu_session *sess)
{
	struct scstu_target *tgt = sess->tgt;
	struct scstu_ini_group *grp;
	struct scstu_ini *ini;

	list_for_each_entry(grp, &tgt->ini_groups, node)
		list_for_each_entry(ini, &grp->inis, node)
			if (!strcmp(ini->name, sess->initiator))
				return &grp->luns;
	return &tgt->luns;
}

/*
 * Bring a session's LUN map in line with its LUN set. Under tgt->lock.
 * Returns true if the set of LUNs changed.
 */
static bool scstu_sess_rebuild(struct scstu_session *sess, bool initial)
{
	struct xarray *set = sess->stopping ? NULL : scstu_sess_lun_set(sess);
	struct scstu_tgt_dev *td;
	struct scstu_lun *l;
	unsigned long idx;
	unsigned long flags;
	bool changed = false;

	/* drop what is no longer there or now points elsewhere */
	xa_for_each(&sess->tgt_devs, idx, td) {
		l = set ? xa_load(set, idx) : NULL;
		if (l && l == td->lun_ent && l->dev == td->dev) {
			WRITE_ONCE(td->read_only, l->read_only);
			continue;
		}
		scstu_td_remove(td);
		changed = true;
	}
	if (!set)
		return changed;

	/* existing nexuses learn that the inventory changed */
	xa_for_each(set, idx, l) {
		if (!l->dev || xa_load(&sess->tgt_devs, idx))
			continue;
		changed = true;
	}
	if (changed && !initial)
		scstu_sess_ua(sess, 0x3f, 0x0e);

	xa_for_each(set, idx, l) {
		if (!l->dev || xa_load(&sess->tgt_devs, idx))
			continue;
		td = scstu_td_alloc(sess, l);
		if (!td) {
			pr_err("scstu: out of memory mapping LUN %lu\n", idx);
			continue;
		}
		/* POWER ON, RESET, OR BUS DEVICE RESET OCCURRED */
		td->ua[0] = 0x2900;
		td->nr_ua = 1;
		spin_lock_irqsave(&l->dev->lock, flags);
		list_add_tail(&td->dev_node, &l->dev->tgt_devs);
		spin_unlock_irqrestore(&l->dev->lock, flags);
		if (xa_err(xa_store(&sess->tgt_devs, idx, td, GFP_KERNEL))) {
			spin_lock_irqsave(&l->dev->lock, flags);
			list_del(&td->dev_node);
			spin_unlock_irqrestore(&l->dev->lock, flags);
			percpu_ref_exit(&td->ref);
			kfree(td);
			continue;
		}
		if (l->dev->be->nexus_event)
			l->dev->be->nexus_event(l->dev, sess, idx, true);
	}
	return changed;
}

/* Recompute every session's map. Caller holds tgt->lock. */
void scstu_target_luns_changed(struct scstu_target *tgt)
{
	struct scstu_session *sess;

	lockdep_assert_held(&tgt->lock);
	list_for_each_entry(sess, &tgt->sessions, tgt_node) {
		if (sess->stopping)
			continue;
		if (scstu_sess_rebuild(sess, false) && tgt->tmpl->luns_changed)
			tgt->tmpl->luns_changed(sess);
	}
}

struct scstu_session *scstu_session_alloc(struct scstu_target *tgt,
					  const char *initiator)
{
	struct scstu_session *sess = kzalloc(sizeof(*sess), GFP_KERNEL);

	if (!sess)
		return NULL;
	sess->stats = scstu_stats_alloc();
	if (!sess->stats) {
		kfree(sess);
		return NULL;
	}
	strscpy(sess->initiator, initiator, sizeof(sess->initiator));
	sess->tgt = tgt;
	sess->id = atomic64_inc_return(&scstu_sess_ids);
	kref_init(&sess->kref);
	INIT_LIST_HEAD(&sess->tgt_node);
	xa_init(&sess->tgt_devs);
	init_completion(&sess->drained);
	atomic_set(&sess->nr_cmds, 1);
	return sess;
}

/* Attach the session to its target and build its LUN map. */
void scstu_session_start(struct scstu_session *sess)
{
	struct scstu_target *tgt = sess->tgt;

	mutex_lock(&tgt->lock);
	list_add_tail(&sess->tgt_node, &tgt->sessions);
	scstu_sess_rebuild(sess, true);
	mutex_unlock(&tgt->lock);
}

/*
 * Detach: no more luns_changed calls, wait for commands in flight, then
 * tear the LUN map down (releasing reservations the nexus held).
 */
void scstu_session_stop(struct scstu_session *sess)
{
	struct scstu_target *tgt = sess->tgt;

	mutex_lock(&tgt->lock);
	sess->stopping = true;
	mutex_unlock(&tgt->lock);
}

void scstu_session_drain(struct scstu_session *sess)
{
	struct scstu_target *tgt = sess->tgt;

	if (!atomic_dec_and_test(&sess->nr_cmds))
		wait_for_completion(&sess->drained);
	mutex_lock(&tgt->lock);
	scstu_sess_rebuild(sess, false);
	list_del_init(&sess->tgt_node);
	mutex_unlock(&tgt->lock);
}

static void scstu_session_free(struct kref *kref)
{
	struct scstu_session *sess = container_of(kref, struct scstu_session,
						  kref);

	WARN_ON(!list_empty(&sess->tgt_node));
	xa_destroy(&sess->tgt_devs);
	scstu_stats_free(sess->stats);
	kfree(sess);
}

void scstu_session_put(struct scstu_session *sess)
{
	kref_put(&sess->kref, scstu_session_free);
}

unsigned int scstu_session_luns(struct scstu_session *sess, u64 *luns,
				unsigned int max)
{
	struct scstu_tgt_dev *td;
	unsigned long idx;
	unsigned int n = 0;

	rcu_read_lock();
	xa_for_each(&sess->tgt_devs, idx, td) {
		if (n < max)
			luns[n] = idx;
		n++;
	}
	rcu_read_unlock();
	return n;
}
EXPORT_SYMBOL_GPL(scstu_session_luns);

void scstu_dev_visit_nexuses(struct scstu_dev *dev,
			      struct scstu_nexus_visitor *v)
{
	struct scstu_tgt_dev *td;
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	list_for_each_entry(td, &dev->tgt_devs, dev_node)
		v->fn(v, dev, td->sess, td->lun);
	spin_unlock_irqrestore(&dev->lock, flags);
}
EXPORT_SYMBOL_GPL(scstu_dev_visit_nexuses);
