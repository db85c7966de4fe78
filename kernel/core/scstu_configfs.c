// SPDX-License-Identifier: GPL-2.0
/*
 * scstu core: management through configfs (/sys/kernel/config/scstu).
 * The layout is documented in docs/configuration.md.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/kernel.h>
#include <linux/configfs.h>
#include "scstu_priv.h"

static struct config_group scstu_devices_group;
static struct config_group scstu_targets_group;

/* ---- helpers ---- */

static int scstu_parse_bool(const char *page, bool *v)
{
	return kstrtobool(page, v);
}

static struct configfs_attribute **
scstu_join_attrs(struct configfs_attribute **a, struct configfs_attribute **b)
{
	struct configfs_attribute **all;
	unsigned int na = 0, nb = 0, i;

	while (a && a[na])
		na++;
	while (b && b[nb])
		nb++;
	all = kcalloc(na + nb + 1, sizeof(*all), GFP_KERNEL);
	if (!all)
		return NULL;
	for (i = 0; i < na; i++)
		all[i] = a[i];
	for (i = 0; i < nb; i++)
		all[na + i] = b[i];
	return all;
}

/* ---- devices/<backend>/<dev> ---- */

static ssize_t scstu_dev_enable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", scstu_dev_from_item(item)->enabled);
}

static ssize_t scstu_dev_enable_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct scstu_dev *dev = scstu_dev_from_item(item);
	bool on;
	int ret = scstu_parse_bool(page, &on);

	if (ret)
		return ret;
	mutex_lock(&dev->mutex);
	if (on && !dev->enabled) {
		ret = dev->be->enable_dev ? dev->be->enable_dev(dev) : 0;
		if (!ret)
			dev->enabled = true;
	} else if (!on && dev->enabled) {
		if (dev->nr_luns) {
			ret = -EBUSY;
		} else {
			if (dev->be->disable_dev)
				dev->be->disable_dev(dev);
			dev->enabled = false;
		}
	}
	mutex_unlock(&dev->mutex);
	return ret ? ret : count;
}

static ssize_t scstu_dev_type_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", scstu_dev_from_item(item)->type);
}

static ssize_t scstu_dev_stats_show(struct config_item *item, char *page)
{
	struct scstu_dev *dev = scstu_dev_from_item(item);

	return scstu_stats_show(dev->stats, page, READ_ONCE(dev->nr_active),
				READ_ONCE(dev->nr_deferred));
}

CONFIGFS_ATTR(scstu_dev_, enable);
CONFIGFS_ATTR_RO(scstu_dev_, type);
CONFIGFS_ATTR_RO(scstu_dev_, stats);

static struct configfs_attribute *scstu_dev_core_attrs[] = {
	&scstu_dev_attr_enable,
	&scstu_dev_attr_type,
	&scstu_dev_attr_stats,
	NULL,
};

static void scstu_dev_release(struct config_item *item)
{
	struct scstu_dev *dev = scstu_dev_from_item(item);

	scstu_stats_free(dev->stats);
	dev->be->free_dev(dev);
}

static struct configfs_item_operations scstu_dev_item_ops = {
	.release = scstu_dev_release,
};

bool scstu_item_is_dev(struct config_item *item)
{
	return item->ci_type && item->ci_type->ct_item_ops == &scstu_dev_item_ops;
}

static struct config_group *scstu_dev_make(struct config_group *group,
					   const char *name)
{
	struct scstu_backend *be = container_of(group, struct scstu_backend,
						group);
	struct scstu_dev *dev;

	if (strlen(name) >= SCSTU_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	dev = be->alloc_dev(be, name);
	if (IS_ERR_OR_NULL(dev))
		return dev ? ERR_CAST(dev) : ERR_PTR(-ENOMEM);
	dev->stats = scstu_stats_alloc();
	if (!dev->stats) {
		be->free_dev(dev);
		return ERR_PTR(-ENOMEM);
	}
	strscpy(dev->name, name, sizeof(dev->name));
	dev->be = be;
	mutex_init(&dev->mutex);
	spin_lock_init(&dev->lock);
	INIT_LIST_HEAD(&dev->tgt_devs);
	INIT_LIST_HEAD(&dev->task_set);
	INIT_LIST_HEAD(&dev->deferred);
	init_waitqueue_head(&dev->tmf_wq);
	atomic_set(&dev->nr_aborting, 0);
	config_group_init_type_name(&dev->group, name, &be->dev_type);
	return &dev->group;
}

static void scstu_dev_drop(struct config_group *group, struct config_item *item)
{
	struct scstu_dev *dev = scstu_dev_from_item(item);

	/* no LUN links left: configfs refuses rmdir of a link target */
	mutex_lock(&dev->mutex);
	if (dev->enabled && dev->be->disable_dev)
		dev->be->disable_dev(dev);
	dev->enabled = false;
	mutex_unlock(&dev->mutex);
	config_item_put(item);
}

static struct configfs_group_operations scstu_backend_group_ops = {
	.make_group = scstu_dev_make,
	.drop_item = scstu_dev_drop,
};

static const struct config_item_type scstu_backend_type = {
	.ct_group_ops = &scstu_backend_group_ops,
	.ct_owner = THIS_MODULE,
};

int scstu_configfs_add_backend(struct scstu_backend *be)
{
	int ret;

	be->all_attrs = scstu_join_attrs(scstu_dev_core_attrs, be->dev_attrs);
	if (!be->all_attrs)
		return -ENOMEM;
	be->dev_type.ct_item_ops = &scstu_dev_item_ops;
	be->dev_type.ct_attrs = be->all_attrs;
	be->dev_type.ct_owner = be->owner;
	config_group_init_type_name(&be->group, be->name, &scstu_backend_type);
	ret = configfs_register_group(&scstu_devices_group, &be->group);
	if (ret) {
		kfree(be->all_attrs);
		be->all_attrs = NULL;
	}
	return ret;
}

void scstu_configfs_del_backend(struct scstu_backend *be)
{
	configfs_unregister_group(&be->group);
	kfree(be->all_attrs);
	be->all_attrs = NULL;
}

/* ---- LUNs: targets/<drv>/<tgt>/luns/<N> and .../ini_groups/<g>/luns/<N> ---- */

static inline struct scstu_lun *scstu_lun_from_item(struct config_item *item)
{
	return container_of(to_config_group(item), struct scstu_lun, group);
}

static ssize_t scstu_lun_read_only_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", scstu_lun_from_item(item)->read_only);
}

static ssize_t scstu_lun_read_only_store(struct config_item *item,
					 const char *page, size_t count)
{
	struct scstu_lun *l = scstu_lun_from_item(item);
	bool v;
	int ret = scstu_parse_bool(page, &v);

	if (ret)
		return ret;
	mutex_lock(&l->tgt->lock);
	l->read_only = v;
	scstu_target_luns_changed(l->tgt);
	mutex_unlock(&l->tgt->lock);
	return count;
}

static ssize_t scstu_lun_stats_show(struct config_item *item, char *page)
{
	return scstu_stats_show(scstu_lun_from_item(item)->stats, page, 0, 0);
}

CONFIGFS_ATTR(scstu_lun_, read_only);
CONFIGFS_ATTR_RO(scstu_lun_, stats);

static struct configfs_attribute *scstu_lun_attrs[] = {
	&scstu_lun_attr_read_only,
	&scstu_lun_attr_stats,
	NULL,
};

static int scstu_lun_allow_link(struct config_item *item,
				struct config_item *target)
{
	struct scstu_lun *l = scstu_lun_from_item(item);
	struct scstu_dev *dev;
	int ret = 0;

	if (!scstu_item_is_dev(target))
		return -EINVAL;
	dev = scstu_dev_from_item(target);
	mutex_lock(&dev->mutex);
	mutex_lock(&l->tgt->lock);
	if (!dev->enabled) {
		ret = -ENODEV;
	} else if (l->dev) {
		ret = -EBUSY;
	} else {
		l->dev = dev;
		dev->nr_luns++;
		scstu_target_luns_changed(l->tgt);
	}
	mutex_unlock(&l->tgt->lock);
	mutex_unlock(&dev->mutex);
	return ret;
}

static void scstu_lun_drop_link(struct config_item *item,
				struct config_item *target)
{
	struct scstu_lun *l = scstu_lun_from_item(item);
	struct scstu_dev *dev = scstu_dev_from_item(target);

	mutex_lock(&dev->mutex);
	mutex_lock(&l->tgt->lock);
	if (l->dev == dev) {
		l->dev = NULL;
		scstu_target_luns_changed(l->tgt);
		dev->nr_luns--;
	}
	mutex_unlock(&l->tgt->lock);
	mutex_unlock(&dev->mutex);
}

static void scstu_lun_release(struct config_item *item)
{
	struct scstu_lun *l = scstu_lun_from_item(item);

	scstu_stats_free(l->stats);
	kfree(l);
}

static struct configfs_item_operations scstu_lun_item_ops = {
	.release = scstu_lun_release,
	.allow_link = scstu_lun_allow_link,
	.drop_link = scstu_lun_drop_link,
};

static const struct config_item_type scstu_lun_type = {
	.ct_item_ops = &scstu_lun_item_ops,
	.ct_attrs = scstu_lun_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_group *scstu_lun_make(struct scstu_target *tgt,
					   struct xarray *set,
					   const char *name)
{
	struct scstu_lun *l;
	char canon[8];
	u16 lun;
	int ret;

	if (kstrtou16(name, 10, &lun) || lun > SCSTU_MAX_LUN)
		return ERR_PTR(-EINVAL);
	snprintf(canon, sizeof(canon), "%u", lun);
	if (strcmp(canon, name))
		return ERR_PTR(-EINVAL);
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return ERR_PTR(-ENOMEM);
	l->stats = scstu_stats_alloc();
	if (!l->stats) {
		kfree(l);
		return ERR_PTR(-ENOMEM);
	}
	l->lun = lun;
	l->tgt = tgt;
	l->set = set;
	mutex_lock(&tgt->lock);
	ret = xa_insert(set, lun, l, GFP_KERNEL);
	mutex_unlock(&tgt->lock);
	if (ret) {
		scstu_stats_free(l->stats);
		kfree(l);
		return ERR_PTR(ret);
	}
	config_group_init_type_name(&l->group, name, &scstu_lun_type);
	return &l->group;
}

static void scstu_lun_drop(struct config_group *group, struct config_item *item)
{
	struct scstu_lun *l = scstu_lun_from_item(item);

	/* the link inside is gone: configfs refuses rmdir of a non-empty dir */
	mutex_lock(&l->tgt->lock);
	xa_erase(l->set, l->lun);
	mutex_unlock(&l->tgt->lock);
	config_item_put(item);
}

static struct config_group *scstu_tgt_luns_make(struct config_group *group,
						const char *name)
{
	struct scstu_target *tgt = container_of(group, struct scstu_target,
						luns_group);

	return scstu_lun_make(tgt, &tgt->luns, name);
}

static struct config_group *scstu_grp_luns_make(struct config_group *group,
						const char *name)
{
	struct scstu_ini_group *grp = container_of(group,
						   struct scstu_ini_group,
						   luns_group);

	return scstu_lun_make(grp->tgt, &grp->luns, name);
}

static struct configfs_group_operations scstu_tgt_luns_ops = {
	.make_group = scstu_tgt_luns_make,
	.drop_item = scstu_lun_drop,
};

static const struct config_item_type scstu_tgt_luns_type = {
	.ct_group_ops = &scstu_tgt_luns_ops,
	.ct_owner = THIS_MODULE,
};

static struct configfs_group_operations scstu_grp_luns_ops = {
	.make_group = scstu_grp_luns_make,
	.drop_item = scstu_lun_drop,
};

static const struct config_item_type scstu_grp_luns_type = {
	.ct_group_ops = &scstu_grp_luns_ops,
	.ct_owner = THIS_MODULE,
};

/* ---- initiator groups: targets/<drv>/<tgt>/ini_groups/<g> ---- */

static void scstu_ini_release(struct config_item *item)
{
	kfree(container_of(item, struct scstu_ini, item));
}

static struct configfs_item_operations scstu_ini_item_ops = {
	.release = scstu_ini_release,
};

static const struct config_item_type scstu_ini_type = {
	.ct_item_ops = &scstu_ini_item_ops,
	.ct_owner = THIS_MODULE,
};

static struct config_item *scstu_ini_make(struct config_group *group,
					  const char *name)
{
	struct scstu_ini_group *grp = container_of(group,
						   struct scstu_ini_group,
						   inis_group);
	struct scstu_target *tgt = grp->tgt;
	struct scstu_ini_group *g;
	struct scstu_ini *ini;

	if (strlen(name) >= SCSTU_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	ini = kzalloc(sizeof(*ini), GFP_KERNEL);
	if (!ini)
		return ERR_PTR(-ENOMEM);
	strscpy(ini->name, name, sizeof(ini->name));
	ini->grp = grp;
	mutex_lock(&tgt->lock);
	list_for_each_entry(g, &tgt->ini_groups, node) {
		struct scstu_ini *o;

		list_for_each_entry(o, &g->inis, node) {
			if (strcmp(o->name, name))
				continue;
			mutex_unlock(&tgt->lock);
			kfree(ini);
			return ERR_PTR(-EEXIST);
		}
	}
	list_add_tail(&ini->node, &grp->inis);
	scstu_target_luns_changed(tgt);
	mutex_unlock(&tgt->lock);
	config_item_init_type_name(&ini->item, name, &scstu_ini_type);
	return &ini->item;
}

static void scstu_ini_drop(struct config_group *group, struct config_item *item)
{
	struct scstu_ini *ini = container_of(item, struct scstu_ini, item);
	struct scstu_target *tgt = ini->grp->tgt;

	mutex_lock(&tgt->lock);
	list_del(&ini->node);
	scstu_target_luns_changed(tgt);
	mutex_unlock(&tgt->lock);
	config_item_put(item);
}

static struct configfs_group_operations scstu_inis_ops = {
	.make_item = scstu_ini_make,
	.drop_item = scstu_ini_drop,
};

static const struct config_item_type scstu_inis_type = {
	.ct_group_ops = &scstu_inis_ops,
	.ct_owner = THIS_MODULE,
};

static void scstu_grp_release(struct config_item *item)
{
	struct scstu_ini_group *grp = container_of(to_config_group(item),
						   struct scstu_ini_group,
						   group);

	xa_destroy(&grp->luns);
	kfree(grp);
}

static struct configfs_item_operations scstu_grp_item_ops = {
	.release = scstu_grp_release,
};

static const struct config_item_type scstu_grp_type = {
	.ct_item_ops = &scstu_grp_item_ops,
	.ct_owner = THIS_MODULE,
};

static struct config_group *scstu_grp_make(struct config_group *group,
					   const char *name)
{
	struct scstu_target *tgt = container_of(group, struct scstu_target,
						groups_group);
	struct scstu_ini_group *grp = kzalloc(sizeof(*grp), GFP_KERNEL);

	if (!grp)
		return ERR_PTR(-ENOMEM);
	grp->tgt = tgt;
	INIT_LIST_HEAD(&grp->inis);
	xa_init(&grp->luns);
	config_group_init_type_name(&grp->group, name, &scstu_grp_type);
	config_group_init_type_name(&grp->inis_group, "initiators",
				    &scstu_inis_type);
	configfs_add_default_group(&grp->inis_group, &grp->group);
	config_group_init_type_name(&grp->luns_group, "luns",
				    &scstu_grp_luns_type);
	configfs_add_default_group(&grp->luns_group, &grp->group);
	mutex_lock(&tgt->lock);
	list_add_tail(&grp->node, &tgt->ini_groups);
	mutex_unlock(&tgt->lock);
	return &grp->group;
}

static void scstu_grp_drop(struct config_group *group, struct config_item *item)
{
	struct scstu_ini_group *grp = container_of(to_config_group(item),
						   struct scstu_ini_group,
						   group);
	struct scstu_target *tgt = grp->tgt;

	mutex_lock(&tgt->lock);
	list_del(&grp->node);
	scstu_target_luns_changed(tgt);
	mutex_unlock(&tgt->lock);
	config_item_put(item);
}

static struct configfs_group_operations scstu_groups_ops = {
	.make_group = scstu_grp_make,
	.drop_item = scstu_grp_drop,
};

static const struct config_item_type scstu_groups_type = {
	.ct_group_ops = &scstu_groups_ops,
	.ct_owner = THIS_MODULE,
};

/* ---- sessions: targets/<drv>/<tgt>/sessions/<initiator> ---- */

static ssize_t scstu_sess_luns_show(struct config_item *item, char *page)
{
	struct scstu_session *sess = scstu_sess_from_item(item);
	struct scstu_tgt_dev *td;
	unsigned long idx;
	ssize_t len = 0;

	rcu_read_lock();
	xa_for_each(&sess->tgt_devs, idx, td) {
		if (len + 8 >= PAGE_SIZE)
			break;
		len += sysfs_emit_at(page, len, "%lu\n", idx);
	}
	rcu_read_unlock();
	return len;
}

static ssize_t scstu_sess_stats_show(struct config_item *item, char *page)
{
	struct scstu_session *sess = scstu_sess_from_item(item);

	return scstu_stats_show(sess->stats, page,
				atomic_read(&sess->nr_cmds) - 1, 0);
}

CONFIGFS_ATTR_RO(scstu_sess_, luns);
CONFIGFS_ATTR_RO(scstu_sess_, stats);

static struct configfs_attribute *scstu_sess_core_attrs[] = {
	&scstu_sess_attr_luns,
	&scstu_sess_attr_stats,
	NULL,
};

static void scstu_sess_release(struct config_item *item)
{
	scstu_session_put(scstu_sess_from_item(item));
}

static struct configfs_item_operations scstu_sess_item_ops = {
	.release = scstu_sess_release,
};

static struct config_group *scstu_sess_make(struct config_group *group,
					    const char *name)
{
	struct scstu_target *tgt = container_of(group, struct scstu_target,
						sessions_group);
	struct scstu_tmpl_priv *priv = tgt->tmpl->core_priv;
	struct scstu_session *sess;
	int ret;

	if (strlen(name) >= SCSTU_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	sess = scstu_session_alloc(tgt, name);
	if (!sess)
		return ERR_PTR(-ENOMEM);
	config_group_init_type_name(&sess->group, name, &priv->sess_type);
	scstu_session_start(sess);
	ret = tgt->tmpl->add_session(sess);
	if (ret) {
		scstu_session_stop(sess);
		scstu_session_drain(sess);
		scstu_session_put(sess);
		return ERR_PTR(ret);
	}
	return &sess->group;
}

static void scstu_sess_drop(struct config_group *group,
			    struct config_item *item)
{
	struct scstu_session *sess = scstu_sess_from_item(item);

	scstu_session_stop(sess);
	sess->tgt->tmpl->del_session(sess);
	scstu_session_drain(sess);
	config_item_put(item);
}

static struct configfs_group_operations scstu_sessions_ops = {
	.make_group = scstu_sess_make,
	.drop_item = scstu_sess_drop,
};

static const struct config_item_type scstu_sessions_type = {
	.ct_group_ops = &scstu_sessions_ops,
	.ct_owner = THIS_MODULE,
};

static const struct config_item_type scstu_sessions_ro_type = {
	.ct_owner = THIS_MODULE,
};

/* ---- targets/<drv>/<tgt> ---- */

static void scstu_tgt_release(struct config_item *item)
{
	struct scstu_target *tgt = scstu_tgt_from_item(item);

	xa_destroy(&tgt->luns);
	kfree(tgt);
}

static struct configfs_item_operations scstu_tgt_item_ops = {
	.release = scstu_tgt_release,
};

static atomic_t scstu_rel_port_ids = ATOMIC_INIT(0);

static struct config_group *scstu_tgt_make(struct config_group *group,
					   const char *name)
{
	struct scstu_tgt_template *t = container_of(group,
						    struct scstu_tgt_template,
						    group);
	struct scstu_tmpl_priv *priv = t->core_priv;
	struct scstu_target *tgt;
	int ret;

	if (strlen(name) >= SCSTU_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	tgt = kzalloc(sizeof(*tgt), GFP_KERNEL);
	if (!tgt)
		return ERR_PTR(-ENOMEM);
	strscpy(tgt->name, name, sizeof(tgt->name));
	tgt->tmpl = t;
	tgt->rel_port_id = (atomic_inc_return(&scstu_rel_port_ids) %
			    0xfffe) + 1;
	scstu_target_init(tgt);
	config_group_init_type_name(&tgt->group, name, &priv->tgt_type);
	config_group_init_type_name(&tgt->luns_group, "luns",
				    &scstu_tgt_luns_type);
	configfs_add_default_group(&tgt->luns_group, &tgt->group);
	config_group_init_type_name(&tgt->groups_group, "ini_groups",
				    &scstu_groups_type);
	configfs_add_default_group(&tgt->groups_group, &tgt->group);
	config_group_init_type_name(&tgt->sessions_group, "sessions",
				    t->add_session ? &scstu_sessions_type :
				    &scstu_sessions_ro_type);
	configfs_add_default_group(&tgt->sessions_group, &tgt->group);
	if (t->add_target) {
		ret = t->add_target(tgt);
		if (ret) {
			kfree(tgt);
			return ERR_PTR(ret);
		}
	}
	return &tgt->group;
}

static void scstu_tgt_drop(struct config_group *group, struct config_item *item)
{
	struct scstu_target *tgt = scstu_tgt_from_item(item);

	if (tgt->tmpl->del_target)
		tgt->tmpl->del_target(tgt);
	config_item_put(item);
}

static struct configfs_group_operations scstu_tmpl_group_ops = {
	.make_group = scstu_tgt_make,
	.drop_item = scstu_tgt_drop,
};

static const struct config_item_type scstu_tmpl_type = {
	.ct_group_ops = &scstu_tmpl_group_ops,
	.ct_owner = THIS_MODULE,
};

int scstu_configfs_add_template(struct scstu_tgt_template *t)
{
	struct scstu_tmpl_priv *priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	int ret = -ENOMEM;

	if (!priv)
		return -ENOMEM;
	priv->tgt_attrs = scstu_join_attrs(NULL, t->tgt_attrs);
	priv->sess_attrs = scstu_join_attrs(scstu_sess_core_attrs,
					    t->sess_attrs);
	if (!priv->tgt_attrs || !priv->sess_attrs)
		goto err;
	priv->tgt_type.ct_item_ops = &scstu_tgt_item_ops;
	priv->tgt_type.ct_attrs = priv->tgt_attrs;
	priv->tgt_type.ct_owner = t->owner;
	priv->sess_type.ct_item_ops = &scstu_sess_item_ops;
	priv->sess_type.ct_attrs = priv->sess_attrs;
	priv->sess_type.ct_owner = t->owner;
	t->core_priv = priv;
	config_group_init_type_name(&t->group, t->name, &scstu_tmpl_type);
	ret = configfs_register_group(&scstu_targets_group, &t->group);
	if (!ret)
		return 0;
err:
	kfree(priv->tgt_attrs);
	kfree(priv->sess_attrs);
	kfree(priv);
	t->core_priv = NULL;
	return ret;
}

void scstu_configfs_del_template(struct scstu_tgt_template *t)
{
	struct scstu_tmpl_priv *priv = t->core_priv;

	configfs_unregister_group(&t->group);
	kfree(priv->tgt_attrs);
	kfree(priv->sess_attrs);
	kfree(priv);
	t->core_priv = NULL;
}

/* ---- the subsystem root ---- */

static ssize_t scstu_root_version_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "1\n");
}

CONFIGFS_ATTR_RO(scstu_root_, version);

static struct configfs_attribute *scstu_root_attrs[] = {
	&scstu_root_attr_version,
	NULL,
};

static const struct config_item_type scstu_root_type = {
	.ct_attrs = scstu_root_attrs,
	.ct_owner = THIS_MODULE,
};

static const struct config_item_type scstu_plain_type = {
	.ct_owner = THIS_MODULE,
};

struct configfs_subsystem scstu_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "scstu",
			.ci_type = &scstu_root_type,
		},
	},
};

int scstu_configfs_init(void)
{
	config_group_init(&scstu_subsys.su_group);
	mutex_init(&scstu_subsys.su_mutex);
	config_group_init_type_name(&scstu_devices_group, "devices",
				    &scstu_plain_type);
	configfs_add_default_group(&scstu_devices_group, &scstu_subsys.su_group);
	config_group_init_type_name(&scstu_targets_group, "targets",
				    &scstu_plain_type);
	configfs_add_default_group(&scstu_targets_group, &scstu_subsys.su_group);
	return configfs_register_subsystem(&scstu_subsys);
}

void scstu_configfs_exit(void)
{
	configfs_unregister_subsystem(&scstu_subsys);
}
