// SPDX-License-Identifier: GPL-2.0
/*
 * scstu core: module init, registration of backends and target templates.
 */
#include <linux/module.h>
#include <linux/workqueue.h>
#include "scstu_priv.h"

struct workqueue_struct *scstu_wq;

int scstu_register_backend(struct scstu_backend *be)
{
	if (!be->name || !be->alloc_dev || !be->free_dev || !be->execute)
		return -EINVAL;
	return scstu_configfs_add_backend(be);
}
EXPORT_SYMBOL_GPL(scstu_register_backend);

void scstu_unregister_backend(struct scstu_backend *be)
{
	scstu_configfs_del_backend(be);
}
EXPORT_SYMBOL_GPL(scstu_unregister_backend);

int scstu_register_target_template(struct scstu_tgt_template *t)
{
	if (!t->name || !t->cmd_done || !t->tmf_done)
		return -EINVAL;
	return scstu_configfs_add_template(t);
}
EXPORT_SYMBOL_GPL(scstu_register_target_template);

void scstu_unregister_target_template(struct scstu_tgt_template *t)
{
	scstu_configfs_del_template(t);
}
EXPORT_SYMBOL_GPL(scstu_unregister_target_template);

static int __init scstu_init(void)
{
	int ret;

	scstu_wq = alloc_workqueue("scstu", WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!scstu_wq)
		return -ENOMEM;
	ret = scstu_configfs_init();
	if (ret) {
		destroy_workqueue(scstu_wq);
		return ret;
	}
	pr_info("scstu: SCSI target core loaded\n");
	return 0;
}

static void __exit scstu_exit(void)
{
	scstu_configfs_exit();
	destroy_workqueue(scstu_wq);
	pr_info("scstu: SCSI target core unloaded\n");
}

module_init(scstu_init);
module_exit(scstu_exit);
MODULE_DESCRIPTION("scstu SCSI target core");
MODULE_LICENSE("GPL");
