// SPDX-License-Identifier: GPL-2.0
/*
 * scstu_user: the userspace handler backend. This file: the module, the
 * misc device /dev/scstu_user (open, REGISTER, mmap, ENTER, WAKE, poll,
 * release), the "user" backend and its configfs attributes.
 * docs/abi.md is the specification of what a handler sees.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/miscdevice.h>
#include <linux/poll.h>
#include <linux/uaccess.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/nospec.h>
#include "scstu_compat.h"
#include "scstu_user_priv.h"

static LIST_HEAD(su_devs);
static DEFINE_MUTEX(su_devs_mutex);
static struct scstu_backend su_backend;

/* ---- objects ---- */

static void su_dev_release(struct kref *kref)
{
	kfree(container_of(kref, struct su_dev, kref));
}

void su_dev_put(struct su_dev *udev)
{
	kref_put(&udev->kref, su_dev_release);
}

static void su_conn_release(struct kref *kref)
{
	struct su_conn *conn = container_of(kref, struct su_conn, kref);
	u32 i;

	if (conn->queues) {
		for (i = 0; i < conn->nr_queues; i++)
			su_queue_free(&conn->queues[i]);
		kvfree(conn->queues);
	}
	if (conn->udev)
		su_dev_put(conn->udev);
	if (conn->mm)
		mmdrop(conn->mm);
	kfree(conn);
}

void su_conn_put(struct su_conn *conn)
{
	kref_put(&conn->kref, su_conn_release);
}

struct su_conn *su_dev_get_conn(struct su_dev *udev)
{
	struct su_conn *conn;
	unsigned long flags;

	spin_lock_irqsave(&udev->lock, flags);
	conn = rcu_dereference_protected(udev->conn,
					 lockdep_is_held(&udev->lock));
	if (conn)
		kref_get(&conn->kref);
	spin_unlock_irqrestore(&udev->lock, flags);
	return conn;
}

/* ---- REGISTER ---- */

#define SU_REG_MIN_SIZE	offsetof(struct scstu_user_register, reserved)

static int su_reg_check(struct scstu_user_register *r)
{
	u32 i;

	if (r->abi_major != SCSTU_USER_ABI_MAJOR)
		return -EPROTONOSUPPORT;
	if (r->reserved0 || r->reserved1)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(r->reserved); i++)
		if (r->reserved[i])
			return -EINVAL;
	if (!r->name[0] || strnlen(r->name, sizeof(r->name)) == sizeof(r->name))
		return -EINVAL;
	if (r->type != SCSTU_USER_TYPE_DISK && r->type != SCSTU_USER_TYPE_TAPE &&
	    r->type != SCSTU_USER_TYPE_CHANGER)
		return -EINVAL;
	if (!r->nr_queues)
		r->nr_queues = 1;
	if (r->nr_queues > SCSTU_USER_MAX_QUEUES)
		return -EINVAL;
	if (!r->ring_entries)
		r->ring_entries = SCSTU_USER_DEF_ENTRIES;
	if (r->ring_entries < SCSTU_USER_MIN_ENTRIES ||
	    r->ring_entries > SCSTU_USER_MAX_ENTRIES ||
	    !is_power_of_2(r->ring_entries))
		return -EINVAL;
	if (!r->data_size)
		r->data_size = SCSTU_USER_DEF_DATA_SIZE;
	if (r->data_size < SU_CHUNK_SIZE ||
	    r->data_size > SCSTU_USER_MAX_DATA_SIZE)
		return -EINVAL;
	r->data_size = round_up(r->data_size, SU_CHUNK_SIZE);
	return 0;
}

static struct su_dev *su_find_get(const char *name)
{
	struct su_dev *udev;

	mutex_lock(&su_devs_mutex);
	list_for_each_entry(udev, &su_devs, node) {
		if (!strcmp(udev->dev.name, name)) {
			kref_get(&udev->kref);
			mutex_unlock(&su_devs_mutex);
			return udev;
		}
	}
	mutex_unlock(&su_devs_mutex);
	return NULL;
}

static int su_conn_setup(struct su_conn *conn, struct scstu_user_register *r)
{
	size_t ring = PAGE_ALIGN(sizeof(struct scstu_user_ring));
	size_t sq = PAGE_ALIGN((size_t)r->ring_entries *
			       sizeof(struct scstu_user_sqe));
	size_t cq = PAGE_ALIGN((size_t)r->ring_entries *
			       sizeof(struct scstu_user_cqe));
	u32 i;
	int ret;

	conn->features = r->features & SCSTU_USER_F_ALL;
	/* zero copy maps pages at chunk granularity, of a single mm */
	if (!SU_ZC_POSSIBLE || !current->mm)
		conn->features &= ~SCSTU_USER_F_ZERO_COPY;
	conn->nr_queues = r->nr_queues;
	conn->entries = r->ring_entries;
	conn->data_size = r->data_size;
	conn->sq_off = ring;
	conn->cq_off = ring + sq;
	conn->data_off = ring + sq + cq;
	conn->map_size = conn->data_off + PAGE_ALIGN(r->data_size);
	if (conn->features & SCSTU_USER_F_ZERO_COPY) {
		/* the zero-copy window follows the copy window */
		conn->zc_off = conn->map_size;
		conn->map_size += PAGE_ALIGN(r->data_size);
		if (!conn->mm) {
			conn->mm = current->mm;
			mmgrab(conn->mm);
		}
	}
	conn->stride = conn->map_size;
	conn->queues = kvcalloc(conn->nr_queues, sizeof(*conn->queues),
				GFP_KERNEL);
	if (!conn->queues)
		return -ENOMEM;
	for (i = 0; i < conn->nr_queues; i++) {
		ret = su_queue_init(&conn->queues[i], conn, i);
		if (ret)
			return ret;
	}
	r->abi_minor = SCSTU_USER_ABI_MINOR;
	r->features = conn->features;
	r->chunk_size = SU_CHUNK_SIZE;
	r->max_xfer = r->data_size;
	r->map_size = conn->map_size;
	r->sq_off = conn->sq_off;
	r->cq_off = conn->cq_off;
	r->data_off = conn->data_off;
	r->queue_stride = conn->stride;
	return 0;
}

/* Release queue memory allocated by a failed su_conn_setup(). */
static void su_conn_unsetup(struct su_conn *conn)
{
	u32 i;

	if (!conn->queues)
		return;
	for (i = 0; i < conn->nr_queues; i++)
		su_queue_free(&conn->queues[i]);
	kvfree(conn->queues);
	conn->queues = NULL;
	conn->nr_queues = 0;
}

static int su_attach(struct su_conn *conn, struct su_dev *udev, u8 type)
{
	int ret = 0;

	/* dev->mutex orders us against enable/disable */
	mutex_lock(&udev->dev.mutex);
	spin_lock_irq(&udev->lock);
	if (udev->removed)
		ret = -ENODEV;
	else if (rcu_access_pointer(udev->conn))
		ret = -EBUSY;
	else if (udev->dev.enabled && udev->dev.type != type)
		ret = -EBUSY;
	if (!ret) {
		udev->dev.type = type;
		WRITE_ONCE(udev->dev.be_request_sense,
			   !!(conn->features & SCSTU_USER_F_REQUEST_SENSE));
		/* queues are ready: ENTER, WAKE and poll may use them */
		smp_store_release(&conn->udev, udev);
		conn->pid = task_tgid_nr(current);
		udev->pid = conn->pid;
		udev->nr_queues = conn->nr_queues;
		udev->queue_depth = conn->entries - SU_EVENT_SLOTS;
		udev->state = SU_STATE_ATTACHED;
		rcu_assign_pointer(udev->conn, conn);
	}
	spin_unlock_irq(&udev->lock);
	mutex_unlock(&udev->dev.mutex);
	if (ret)
		return ret;
	cancel_delayed_work(&udev->reattach_work);
	su_announce_nexuses(udev, conn);
	su_dev_attach_held(udev);
	return 0;
}

static long su_ioctl_register(struct su_conn *conn, void __user *arg)
{
	struct scstu_user_register r;
	struct su_dev *udev;
	u32 size;
	int ret;

	if (get_user(size, (u32 __user *)arg))
		return -EFAULT;
	if (size < SU_REG_MIN_SIZE || size > PAGE_SIZE)
		return -EINVAL;
	ret = copy_struct_from_user(&r, sizeof(r), arg, size);
	if (ret)
		return ret == -E2BIG ? -EINVAL : ret;
	ret = su_reg_check(&r);
	if (ret)
		return ret;

	mutex_lock(&conn->mutex);
	if (conn->udev) {
		ret = -EALREADY;
		goto out;
	}
	udev = su_find_get(r.name);
	if (!udev) {
		ret = -ENOENT;
		goto out;
	}
	ret = su_conn_setup(conn, &r);
	if (!ret && copy_to_user(arg, &r, min_t(size_t, size, sizeof(r))))
		ret = -EFAULT;
	if (!ret)
		ret = su_attach(conn, udev, r.type);
	if (ret) {
		su_conn_unsetup(conn);
		su_dev_put(udev);
	} else {
		pr_info("scstu_user: %s: handler %d attached, %u queue(s) of %u entries, features %#llx\n",
			udev->dev.name, conn->pid, conn->nr_queues,
			conn->entries, conn->features);
	}
out:
	mutex_unlock(&conn->mutex);
	return ret;
}

/* ---- ENTER / WAKE ---- */

static struct su_queue *su_conn_queue(struct su_conn *conn, u32 qi)
{
	/* conn->udev is set once, under conn->mutex, before queues exist */
	if (!smp_load_acquire(&conn->udev) || qi >= conn->nr_queues)
		return NULL;
	return &conn->queues[array_index_nospec(qi, conn->nr_queues)];
}

static bool su_has_work(struct su_queue *q, int seq)
{
	return READ_ONCE(q->ring->sq_head) != READ_ONCE(q->sq_tail) ||
	       atomic_read(&q->wake_seq) != seq ||
	       READ_ONCE(q->conn->udev->removed);
}

static long su_ioctl_enter(struct su_conn *conn, void __user *arg)
{
	struct scstu_user_enter e;
	struct su_queue *q;
	long ret;
	int seq;

	if (copy_from_user(&e, arg, sizeof(e)))
		return -EFAULT;
	if (e.flags & ~SCSTU_USER_ENTER_WAIT || e.reserved)
		return -EINVAL;
	q = su_conn_queue(conn, e.queue);
	if (!q)
		return -EINVAL;
	if (READ_ONCE(conn->udev->removed))
		return -ENODEV;
	seq = atomic_read(&q->wake_seq);
	e.reaped = 0;
	e.rejected = 0;
	ret = su_reap(q, &e.reaped, &e.rejected);
	if (!ret && (e.flags & SCSTU_USER_ENTER_WAIT)) {
		if (e.timeout_ms)
			ret = wait_event_interruptible_timeout(q->wq,
					su_has_work(q, seq),
					msecs_to_jiffies(e.timeout_ms));
		else
			ret = wait_event_interruptible(q->wq,
					su_has_work(q, seq));
		if (ret == -ERESTARTSYS)
			ret = -EINTR;
		else
			ret = 0;
		if (!ret && READ_ONCE(conn->udev->removed))
			ret = -ENODEV;
	}
	if (copy_to_user(arg, &e, sizeof(e)))
		return -EFAULT;
	return ret;
}

static long su_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct su_conn *conn = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct su_queue *q;

	/* REGISTER carries its size in the structure, not in the number */
	if (_IOC_TYPE(cmd) == SCSTU_USER_IOC_MAGIC &&
	    _IOC_NR(cmd) == _IOC_NR(SCSTU_USER_REGISTER) &&
	    _IOC_DIR(cmd) == (_IOC_READ | _IOC_WRITE))
		return su_ioctl_register(conn, uarg);
	switch (cmd) {
	case SCSTU_USER_ENTER:
		return su_ioctl_enter(conn, uarg);
	case SCSTU_USER_WAKE:
		q = su_conn_queue(conn, arg > U32_MAX ? U32_MAX : arg);
		if (!q)
			return -EINVAL;
		atomic_inc(&q->wake_seq);
		wake_up_all(&q->wq);
		return 0;
	}
	return -ENOTTY;
}

/* ---- mmap / poll / open / release ---- */

static int su_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct su_conn *conn = file->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	struct su_queue *q;
	int ret = -EINVAL;

	mutex_lock(&conn->mutex);
	if (!conn->udev || !(vma->vm_flags & VM_SHARED))
		goto out;
	if (off % conn->stride || off / conn->stride >= conn->nr_queues)
		goto out;
	if (len != conn->map_size)
		goto out;
	q = &conn->queues[off / conn->stride];
	if (conn->features & SCSTU_USER_F_ZERO_COPY) {
		ret = su_zc_mmap(q, vma);
		goto out;
	}
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	ret = remap_vmalloc_range(vma, q->mem, 0);
out:
	mutex_unlock(&conn->mutex);
	return ret;
}

static __poll_t su_poll(struct file *file, poll_table *wait)
{
	struct su_conn *conn = file->private_data;
	__poll_t mask = 0;
	u32 i;

	/* pairs with the release in su_attach(): queues are set up */
	if (!smp_load_acquire(&conn->udev))
		return EPOLLERR;
	for (i = 0; i < conn->nr_queues; i++)
		poll_wait(file, &conn->queues[i].wq, wait);
	for (i = 0; i < conn->nr_queues; i++) {
		struct su_queue *q = &conn->queues[i];

		if (READ_ONCE(q->ring->sq_head) != READ_ONCE(q->sq_tail))
			mask |= EPOLLIN | EPOLLRDNORM;
	}
	if (READ_ONCE(conn->udev->removed))
		mask |= EPOLLHUP;
	return mask;
}

static int su_open(struct inode *inode, struct file *file)
{
	struct su_conn *conn = kzalloc(sizeof(*conn), GFP_KERNEL);

	if (!conn)
		return -ENOMEM;
	kref_init(&conn->kref);
	mutex_init(&conn->mutex);
	file->private_data = conn;
	return nonseekable_open(inode, file);
}

static int su_release(struct inode *inode, struct file *file)
{
	struct su_conn *conn = file->private_data;

	if (conn->udev) {
		pr_info("scstu_user: %s: handler %d detached\n",
			conn->udev->dev.name, conn->pid);
		su_conn_detach(conn);
	}
	su_conn_put(conn);
	return 0;
}

static const struct file_operations su_fops = {
	.owner		= THIS_MODULE,
	.open		= su_open,
	.release	= su_release,
	.unlocked_ioctl	= su_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= su_mmap,
	.poll		= su_poll,
	.llseek		= noop_llseek,
};

static struct miscdevice su_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "scstu_user",
	.fops	= &su_fops,
	.mode	= 0600,
};

/* ---- backend ---- */

static struct scstu_dev *su_alloc_dev(struct scstu_backend *be,
				      const char *name)
{
	struct su_dev *udev = kzalloc(sizeof(*udev), GFP_KERNEL);

	if (!udev)
		return NULL;
	strscpy(udev->dev.name, name, sizeof(udev->dev.name));
	kref_init(&udev->kref);
	spin_lock_init(&udev->lock);
	INIT_LIST_HEAD(&udev->held);
	udev->state = SU_STATE_NEW;
	udev->reattach_timeout_ms = SU_DEF_REATTACH_MS;
	udev->tmf_timeout_ms = SU_DEF_TMF_MS;
	atomic64_set(&udev->protocol_errors, 0);
	atomic64_set(&udev->zc_cmds, 0);
	atomic64_set(&udev->copied_cmds, 0);
	udev->zero_copy_min = SU_DEF_ZC_MIN;
	INIT_DELAYED_WORK(&udev->reattach_work, su_reattach_work);
	INIT_DELAYED_WORK(&udev->abort_work, su_abort_work);
	mutex_lock(&su_devs_mutex);
	list_add_tail(&udev->node, &su_devs);
	mutex_unlock(&su_devs_mutex);
	return &udev->dev;
}

/*
 * configfs item released (rmdir; no LUN links, so no commands). An
 * attached handler learns it from ENTER (ENODEV), RING_DEAD and EPOLLHUP;
 * the memory stays until it closes.
 */
static void su_free_dev(struct scstu_dev *dev)
{
	struct su_dev *udev = to_su_dev(dev);
	struct su_conn *conn;
	u32 i;

	mutex_lock(&su_devs_mutex);
	list_del(&udev->node);
	mutex_unlock(&su_devs_mutex);

	spin_lock_irq(&udev->lock);
	WRITE_ONCE(udev->removed, true);
	spin_unlock_irq(&udev->lock);
	cancel_delayed_work_sync(&udev->reattach_work);
	cancel_delayed_work_sync(&udev->abort_work);

	conn = su_dev_get_conn(udev);
	if (conn) {
		for (i = 0; i < conn->nr_queues; i++) {
			struct su_queue *q = &conn->queues[i];

			WRITE_ONCE(q->ring->flags,
				   q->ring->flags | SCSTU_USER_RING_DEAD);
			wake_up_all(&q->wq);
		}
		su_conn_put(conn);
	}
	su_dev_put(udev);
}

static int su_enable_dev(struct scstu_dev *dev)
{
	struct su_dev *udev = to_su_dev(dev);

	/* a handler must have registered once (the device type is its) */
	return READ_ONCE(udev->state) == SU_STATE_NEW ? -ENODEV : 0;
}

static void su_disable_dev(struct scstu_dev *dev)
{
}

/* ---- configfs attributes ---- */

static struct su_dev *item_to_su(struct config_item *item)
{
	return to_su_dev(scstu_dev_from_item(item));
}

static ssize_t su_store_ms(const char *page, size_t count, unsigned int *v)
{
	unsigned int ms;
	int ret = kstrtouint(page, 0, &ms);

	if (ret)
		return ret;
	if (ms > SU_MAX_TIMEOUT_MS)
		return -EINVAL;
	WRITE_ONCE(*v, ms);
	return count;
}

static ssize_t su_reattach_timeout_ms_show(struct config_item *item,
					   char *page)
{
	return sysfs_emit(page, "%u\n",
			  READ_ONCE(item_to_su(item)->reattach_timeout_ms));
}

static ssize_t su_reattach_timeout_ms_store(struct config_item *item,
					    const char *page, size_t count)
{
	return su_store_ms(page, count,
			   &item_to_su(item)->reattach_timeout_ms);
}

static ssize_t su_tmf_timeout_ms_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n",
			  READ_ONCE(item_to_su(item)->tmf_timeout_ms));
}

static ssize_t su_tmf_timeout_ms_store(struct config_item *item,
				       const char *page, size_t count)
{
	return su_store_ms(page, count, &item_to_su(item)->tmf_timeout_ms);
}

static ssize_t su_handler_show(struct config_item *item, char *page)
{
	pid_t pid = READ_ONCE(item_to_su(item)->pid);

	return pid ? sysfs_emit(page, "%d\n", pid) : sysfs_emit(page, "none\n");
}

static ssize_t su_state_show(struct config_item *item, char *page)
{
	static const char * const names[] = {
		[SU_STATE_NEW] = "new",
		[SU_STATE_ATTACHED] = "attached",
		[SU_STATE_DETACHED] = "detached",
		[SU_STATE_FAILED] = "failed",
	};

	return sysfs_emit(page, "%s\n",
			  names[READ_ONCE(item_to_su(item)->state)]);
}

static ssize_t su_nr_queues_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(item_to_su(item)->nr_queues));
}

static ssize_t su_queue_depth_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n",
			  READ_ONCE(item_to_su(item)->queue_depth));
}

static ssize_t su_protocol_errors_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%lld\n",
			  atomic64_read(&item_to_su(item)->protocol_errors));
}

static ssize_t su_zero_copy_cmds_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%lld\n",
			  atomic64_read(&item_to_su(item)->zc_cmds));
}

static ssize_t su_copied_cmds_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%lld\n",
			  atomic64_read(&item_to_su(item)->copied_cmds));
}

static ssize_t su_zero_copy_min_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n",
			  READ_ONCE(item_to_su(item)->zero_copy_min));
}

static ssize_t su_zero_copy_min_store(struct config_item *item,
				      const char *page, size_t count)
{
	unsigned int v;
	int ret = kstrtouint(page, 0, &v);

	if (ret)
		return ret;
	WRITE_ONCE(item_to_su(item)->zero_copy_min, v);
	return count;
}

CONFIGFS_ATTR(su_, reattach_timeout_ms);
CONFIGFS_ATTR(su_, tmf_timeout_ms);
CONFIGFS_ATTR_RO(su_, handler);
CONFIGFS_ATTR_RO(su_, state);
CONFIGFS_ATTR_RO(su_, nr_queues);
CONFIGFS_ATTR_RO(su_, queue_depth);
CONFIGFS_ATTR_RO(su_, protocol_errors);
CONFIGFS_ATTR(su_, zero_copy_min);
CONFIGFS_ATTR_RO(su_, zero_copy_cmds);
CONFIGFS_ATTR_RO(su_, copied_cmds);

static struct configfs_attribute *su_attrs[] = {
	&su_attr_reattach_timeout_ms,
	&su_attr_tmf_timeout_ms,
	&su_attr_handler,
	&su_attr_state,
	&su_attr_nr_queues,
	&su_attr_queue_depth,
	&su_attr_protocol_errors,
	&su_attr_zero_copy_min,
	&su_attr_zero_copy_cmds,
	&su_attr_copied_cmds,
	NULL,
};

static struct scstu_backend su_backend = {
	.name		= "user",
	.owner		= THIS_MODULE,
	.alloc_dev	= su_alloc_dev,
	.free_dev	= su_free_dev,
	.enable_dev	= su_enable_dev,
	.disable_dev	= su_disable_dev,
	.execute	= su_execute,
	.abort_cmd	= su_abort_cmd,
	.nexus_event	= su_nexus_event,
	.reset		= su_reset,
	.dev_attrs	= su_attrs,
};

static int __init su_init(void)
{
	int ret;

	BUILD_BUG_ON(sizeof(struct scstu_user_sqe) != 128);
	BUILD_BUG_ON(sizeof(struct scstu_user_cqe) != 128);
	ret = misc_register(&su_misc);
	if (ret)
		return ret;
	ret = scstu_register_backend(&su_backend);
	if (ret)
		misc_deregister(&su_misc);
	return ret;
}

static void __exit su_exit(void)
{
	scstu_unregister_backend(&su_backend);
	misc_deregister(&su_misc);
}

module_init(su_init);
module_exit(su_exit);

MODULE_DESCRIPTION("scstu userspace handler backend (/dev/scstu_user)");
MODULE_AUTHOR("scstu developers");
MODULE_LICENSE("GPL");
