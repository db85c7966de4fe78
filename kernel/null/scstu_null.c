// SPDX-License-Identifier: GPL-2.0
/*
 * scstu_null: in-kernel SBC disk backends, the performance baseline.
 *
 *  nullio  - reads return zeros (the initiator's buffer is really zeroed),
 *            writes are discarded. No allocation, no lock per command.
 *  ramdisk - real data, sparse: one page per PAGE_SIZE of the medium in an
 *            xarray, allocated on the first write to it; unwritten ranges
 *            read as zeros; everything is freed on rmdir.
 *
 * This file: module, devices, configfs attributes, data path. The command
 * set lives in scstu_null_spc.c.
 *
 * Ramdisk page lifetime: readers and writers look pages up and copy under
 * rcu_read_lock(); a page is only freed (shrinking size) after it has been
 * erased from the xarray and an RCU grace period has passed. Pages are
 * inserted with xa_cmpxchg, so racing writers of one page agree on one.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/highmem.h>
#include <linux/scatterlist.h>
#include <linux/workqueue.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/ctype.h>
#include <scsi/scsi_proto.h>
#include <scsi/scsi_common.h>
#include <asm/unaligned.h>
#include "scstu_null.h"

static struct workqueue_struct *scstu_null_wq;
static struct scstu_backend scstu_null_nullio_be;
static struct scstu_backend scstu_null_ramdisk_be;

/* ------------------------------------------------------------------------
 * Scatterlist walking: map one piece at a time with kmap_local_page(), so
 * that nothing stays mapped while a ramdisk page is allocated.
 */
struct scstu_null_sgi {
	struct scatterlist *sg;
	unsigned int nents;		/* entries left, current included */
	unsigned int off;		/* offset inside the current entry */
};

static void sgi_init(struct scstu_null_sgi *it, struct scstu_cmd *cmd)
{
	it->sg = cmd->sg_cnt ? cmd->sgl : NULL;
	it->nents = cmd->sg_cnt;
	it->off = 0;
}

/* Map up to @max bytes at the current position; NULL at the end. */
static void *sgi_map(struct scstu_null_sgi *it, size_t max, size_t *len)
{
	struct scatterlist *sg;
	size_t pos;

	while (it->sg && it->off >= it->sg->length) {
		it->sg = --it->nents ? sg_next(it->sg) : NULL;
		it->off = 0;
	}
	sg = it->sg;
	if (!sg)
		return NULL;
	pos = sg->offset + it->off;
	*len = min3(max, (size_t)(sg->length - it->off),
		    (size_t)(PAGE_SIZE - offset_in_page(pos)));
	return kmap_local_page(nth_page(sg_page(sg), pos >> PAGE_SHIFT)) +
	       offset_in_page(pos);
}

static void sgi_unmap(struct scstu_null_sgi *it, void *addr, size_t len)
{
	kunmap_local(addr);
	it->off += len;
}

/* Offset of the first byte that differs; n if none. */
static size_t first_diff(const u8 *a, const u8 *b, size_t n)
{
	size_t i;

	if (!memcmp(a, b, n))
		return n;
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			break;
	return i;
}

/* ------------------------------------------------------------------------
 * ramdisk
 */

/*
 * Copy up to @len bytes between @page (at @poff; NULL = a hole) and the
 * scatterlist. Caller holds rcu_read_lock(). Returns bytes done.
 */
static u32 rd_copy_page(struct scstu_null_sgi *it, struct page *page,
			unsigned int poff, u32 len, bool write)
{
	u8 *base = page ? kmap_local_page(page) : NULL;
	u32 done = 0;

	while (done < len) {
		size_t n;
		u8 *p = sgi_map(it, len - done, &n);

		if (!p)
			break;
		if (write) {
			if (base)
				memcpy(base + poff + done, p, n);
		} else if (base) {
			memcpy(p, base + poff + done, n);
		} else {
			memset(p, 0, n);
		}
		sgi_unmap(it, p, n);
		done += n;
	}
	if (base)
		kunmap_local(base);
	return done;
}

static int rd_alloc_page(struct scstu_null_dev *nd, pgoff_t idx,
			 bool may_sleep)
{
	gfp_t gfp = may_sleep ? GFP_NOIO : GFP_NOWAIT;
	struct page *page, *old;
	unsigned long flags;

	page = alloc_page(gfp | __GFP_ZERO | __GFP_NOWARN | __GFP_HIGHMEM);
	if (!page)
		return -ENOMEM;
	if (may_sleep) {
		old = xa_cmpxchg_irq(&nd->pages, idx, NULL, page, gfp);
	} else {
		xa_lock_irqsave(&nd->pages, flags);
		old = __xa_cmpxchg(&nd->pages, idx, NULL, page, gfp);
		xa_unlock_irqrestore(&nd->pages, flags);
	}
	if (old) {
		/* another writer was first, or no memory for the node */
		__free_page(page);
		if (xa_is_err(old))
			return xa_err(old);
		return 0;
	}
	atomic_long_inc(&nd->nr_pages);
	return 0;
}

static int rd_read(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
		   u64 pos, u32 len)
{
	struct scstu_null_sgi it;
	u32 done = 0;

	sgi_init(&it, cmd);
	while (done < len) {
		unsigned int poff = offset_in_page(pos);
		u32 chunk = min_t(u32, len - done, PAGE_SIZE - poff);
		u32 got;

		rcu_read_lock();
		got = rd_copy_page(&it, xa_load(&nd->pages, pos >> PAGE_SHIFT),
				   poff, chunk, false);
		rcu_read_unlock();
		done += got;
		pos += got;
		if (got < chunk)
			break;
	}
	cmd->xfer_len = done;
	return 0;
}

static int rd_write(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
		    u64 pos, u32 len, bool may_sleep)
{
	struct scstu_null_sgi it;
	u32 done = 0;

	sgi_init(&it, cmd);
	while (done < len) {
		unsigned int poff = offset_in_page(pos);
		u32 chunk = min_t(u32, len - done, PAGE_SIZE - poff);
		pgoff_t idx = pos >> PAGE_SHIFT;
		struct page *page;
		u32 got;

		rcu_read_lock();
		page = xa_load(&nd->pages, idx);
		/* no page past a concurrent shrink: its data is gone anyway */
		if (!page && pos < READ_ONCE(nd->size)) {
			int ret;

			rcu_read_unlock();
			ret = rd_alloc_page(nd, idx, may_sleep);
			if (ret == -ENOMEM && !may_sleep)
				return -EAGAIN;
			if (ret) {
				cmd->xfer_len = done;
				/* ABORTED COMMAND, INSUFFICIENT RESOURCES */
				scstu_cmd_set_sense(cmd, ABORTED_COMMAND,
						    0x55, 0x03);
				return 0;
			}
			rcu_read_lock();
			page = xa_load(&nd->pages, idx);
		}
		got = rd_copy_page(&it, page, poff, chunk, true);
		rcu_read_unlock();
		done += got;
		pos += got;
		if (got < chunk)
			break;
	}
	cmd->xfer_len = done;
	return 0;
}

static bool rd_compare(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
		       u64 pos, u32 len, u64 *offset)
{
	struct scstu_null_sgi it;
	bool miscompare = false;
	u32 done = 0;

	sgi_init(&it, cmd);
	while (done < len && !miscompare) {
		unsigned int poff = offset_in_page(pos);
		u32 chunk = min_t(u32, len - done, PAGE_SIZE - poff);
		struct page *page;
		u8 *base = NULL;
		u32 got = 0;

		rcu_read_lock();
		page = xa_load(&nd->pages, pos >> PAGE_SHIFT);
		if (page)
			base = kmap_local_page(page);
		while (got < chunk) {
			size_t n, i;
			u8 *p = sgi_map(&it, chunk - got, &n);

			if (!p)
				break;
			if (base) {
				i = first_diff(p, base + poff + got, n);
			} else {
				u8 *nz = memchr_inv(p, 0, n);

				i = nz ? nz - p : n;
			}
			sgi_unmap(&it, p, n);
			if (i < n) {
				*offset = done + got + i;
				miscompare = true;
				break;
			}
			got += n;
		}
		if (base)
			kunmap_local(base);
		rcu_read_unlock();
		done += got;
		pos += got;
		if (got < chunk)
			break;
	}
	cmd->xfer_len = len;
	return miscompare;
}

/* Free every page at or beyond byte @from; zero the tail of a partial one. */
static void rd_trim(struct scstu_null_dev *nd, u64 from)
{
	pgoff_t first = DIV_ROUND_UP(from, PAGE_SIZE);
	struct page *page, *tmp;
	unsigned long idx;
	LIST_HEAD(victims);

	if (offset_in_page(from)) {
		rcu_read_lock();
		page = xa_load(&nd->pages, from >> PAGE_SHIFT);
		if (page)
			memzero_page(page, offset_in_page(from),
				     PAGE_SIZE - offset_in_page(from));
		rcu_read_unlock();
	}
	xa_for_each_start(&nd->pages, idx, page, first) {
		xa_erase_irq(&nd->pages, idx);
		atomic_long_dec(&nd->nr_pages);
		list_add(&page->lru, &victims);
		cond_resched();
	}
	if (list_empty(&victims))
		return;
	/* in-flight readers and writers may still hold a page */
	synchronize_rcu();
	list_for_each_entry_safe(page, tmp, &victims, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
}

static void rd_free_all(struct scstu_null_dev *nd)
{
	struct page *page;
	unsigned long idx;

	xa_for_each(&nd->pages, idx, page) {
		__free_page(page);
		cond_resched();
	}
	xa_destroy(&nd->pages);
	atomic_long_set(&nd->nr_pages, 0);
}

/* ------------------------------------------------------------------------
 * Data path entry points for scstu_null_spc.c
 */
int scstu_null_read(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
		    u64 pos, u32 len)
{
	if (nd->kind == SCSTU_NULL_RAMDISK)
		return rd_read(nd, cmd, pos, len);
	cmd->xfer_len = len ? sg_zero_buffer(cmd->sgl, cmd->sg_cnt, len, 0) : 0;
	return 0;
}

int scstu_null_write(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
		     u64 pos, u32 len, bool may_sleep)
{
	if (nd->kind == SCSTU_NULL_RAMDISK)
		return rd_write(nd, cmd, pos, len, may_sleep);
	cmd->xfer_len = len;
	return 0;
}

bool scstu_null_compare(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			u64 pos, u32 len, u64 *offset)
{
	struct scstu_null_sgi it;
	u32 done = 0;
	size_t n;
	u8 *p;

	if (nd->kind == SCSTU_NULL_RAMDISK)
		return rd_compare(nd, cmd, pos, len, offset);

	cmd->xfer_len = len;
	sgi_init(&it, cmd);
	while (done < len) {
		u8 *nz;

		p = sgi_map(&it, len - done, &n);
		if (!p)
			break;
		nz = memchr_inv(p, 0, n);

		sgi_unmap(&it, p, n);
		if (nz) {
			*offset = done + (nz - p);
			return true;
		}
		done += n;
	}
	return false;
}

/* ------------------------------------------------------------------------
 * Delayed completion (delay_ms test aid)
 */
struct scstu_null_delay {
	struct delayed_work dw;
	struct list_head node;		/* nd->delayed, under delay_lock */
	struct scstu_cmd *cmd;
	struct scstu_null_dev *nd;
};

static void scstu_null_delay_fn(struct work_struct *work)
{
	struct scstu_null_delay *d =
		container_of(to_delayed_work(work), struct scstu_null_delay, dw);
	struct scstu_null_dev *nd = d->nd;
	unsigned long flags;

	spin_lock_irqsave(&nd->delay_lock, flags);
	list_del(&d->node);
	spin_unlock_irqrestore(&nd->delay_lock, flags);
	scstu_cmd_complete(d->cmd);
	kfree(d);
}

static void scstu_null_delay_start(struct scstu_null_dev *nd,
				   struct scstu_null_delay *d,
				   struct scstu_cmd *cmd, unsigned int ms)
{
	unsigned long flags;

	INIT_DELAYED_WORK(&d->dw, scstu_null_delay_fn);
	d->cmd = cmd;
	d->nd = nd;
	spin_lock_irqsave(&nd->delay_lock, flags);
	list_add_tail(&d->node, &nd->delayed);
	/*
	 * An abort that came before the command was on the list has set the
	 * flag already: complete at once. Later aborts find it on the list.
	 */
	queue_delayed_work(scstu_null_wq, &d->dw,
			   scstu_cmd_aborted(cmd) ? 0 : msecs_to_jiffies(ms));
	spin_unlock_irqrestore(&nd->delay_lock, flags);
}

/*
 * Called in atomic context with core locks held: only reschedule. The
 * entry is valid while it is on the list (its work removes it under
 * delay_lock before completing). If the timer already fired, the work is
 * running or about to and completes the command by itself; otherwise the
 * cancelled work is queued again to run now. It never runs twice.
 */
static void scstu_null_abort_cmd(struct scstu_cmd *cmd)
{
	struct scstu_null_dev *nd = to_null_dev(cmd->dev);
	struct scstu_null_delay *d;
	unsigned long flags;

	spin_lock_irqsave(&nd->delay_lock, flags);
	list_for_each_entry(d, &nd->delayed, node) {
		if (d->cmd != cmd)
			continue;
		if (cancel_delayed_work(&d->dw))
			queue_delayed_work(scstu_null_wq, &d->dw, 0);
		break;
	}
	spin_unlock_irqrestore(&nd->delay_lock, flags);
}

/* Complete every delayed command now and wait for them. */
static void scstu_null_delay_flush(struct scstu_null_dev *nd)
{
	struct scstu_null_delay *d;
	unsigned long flags;
	bool empty;

	for (;;) {
		spin_lock_irqsave(&nd->delay_lock, flags);
		list_for_each_entry(d, &nd->delayed, node)
			if (cancel_delayed_work(&d->dw))
				queue_delayed_work(scstu_null_wq, &d->dw, 0);
		empty = list_empty(&nd->delayed);
		spin_unlock_irqrestore(&nd->delay_lock, flags);
		if (empty)
			break;
		flush_workqueue(scstu_null_wq);
	}
}

/* ------------------------------------------------------------------------
 * Backend operations
 */
static int scstu_null_execute(struct scstu_cmd *cmd, bool may_sleep)
{
	struct scstu_null_dev *nd = to_null_dev(cmd->dev);
	unsigned int delay = READ_ONCE(nd->delay_ms);
	struct scstu_null_delay *d = NULL;
	int ret;

	if (unlikely(delay)) {
		d = kmalloc(sizeof(*d), may_sleep ? GFP_NOIO : GFP_NOWAIT);
		/* without memory the command completes undelayed */
		if (!d && !may_sleep)
			return -EAGAIN;
	}
	ret = scstu_null_dispatch(nd, cmd, may_sleep);
	if (unlikely(ret)) {
		kfree(d);
		if (ret == -EAGAIN && !may_sleep)
			return ret;
		/* never expected: INTERNAL TARGET FAILURE */
		scstu_cmd_set_sense(cmd, HARDWARE_ERROR, 0x44, 0x00);
		d = NULL;
	}
	if (unlikely(d))
		scstu_null_delay_start(nd, d, cmd, delay);
	else
		scstu_cmd_complete(cmd);
	return 0;
}

static u64 fnv1a64(const char *s, u64 h)
{
	while (*s) {
		h ^= (u8)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static struct scstu_dev *scstu_null_alloc_dev(struct scstu_backend *be,
					      const char *name)
{
	struct scstu_null_dev *nd;
	u64 h;

	nd = kzalloc(sizeof(*nd), GFP_KERNEL);
	if (!nd)
		return NULL;
	nd->kind = be == &scstu_null_ramdisk_be ? SCSTU_NULL_RAMDISK :
						  SCSTU_NULL_NULLIO;
	strscpy(nd->dev.name, name, sizeof(nd->dev.name));
	nd->dev.type = TYPE_DISK;
	nd->size = SCSTU_NULL_DEF_SIZE;
	nd->block_size = 512;
	nd->lb_shift = 9;
	nd->wce = true;
	mutex_init(&nd->cfg_mutex);
	spin_lock_init(&nd->id_lock);
	spin_lock_init(&nd->delay_lock);
	INIT_LIST_HEAD(&nd->delayed);
	xa_init_flags(&nd->pages, XA_FLAGS_LOCK_IRQ);

	strscpy(nd->vendor, "SCSTU", sizeof(nd->vendor));
	strscpy(nd->product, nd->kind == SCSTU_NULL_RAMDISK ? "RAMDISK" :
			     "NULLIO", sizeof(nd->product));
	strscpy(nd->revision, "0001", sizeof(nd->revision));

	/* stable identifiers from "<backend>/<name>" */
	h = fnv1a64(be->name, 0xcbf29ce484222325ULL);
	h = fnv1a64("/", h);
	h = fnv1a64(name, h);
	snprintf(nd->serial, sizeof(nd->serial), "%016llx", h);
	/* NAA 3h (locally assigned): 4-bit NAA, 60-bit value */
	put_unaligned_be64((3ULL << 60) | (h & ((1ULL << 60) - 1)), nd->naa);
	return &nd->dev;
}

static void scstu_null_free_dev(struct scstu_dev *dev)
{
	struct scstu_null_dev *nd = to_null_dev(dev);

	scstu_null_delay_flush(nd);
	rd_free_all(nd);
	mutex_destroy(&nd->cfg_mutex);
	kfree(nd);
}

static int scstu_null_enable_dev(struct scstu_dev *dev)
{
	struct scstu_null_dev *nd = to_null_dev(dev);

	mutex_lock(&nd->cfg_mutex);
	nd->enabled = true;
	mutex_unlock(&nd->cfg_mutex);
	return 0;
}

static void scstu_null_disable_dev(struct scstu_dev *dev)
{
	struct scstu_null_dev *nd = to_null_dev(dev);

	mutex_lock(&nd->cfg_mutex);
	nd->enabled = false;
	mutex_unlock(&nd->cfg_mutex);
}

void scstu_null_get_id(struct scstu_null_dev *nd, struct scstu_null_id *id)
{
	unsigned long flags;

	spin_lock_irqsave(&nd->id_lock, flags);
	memcpy(id->vendor, nd->vendor, sizeof(id->vendor));
	memcpy(id->product, nd->product, sizeof(id->product));
	memcpy(id->revision, nd->revision, sizeof(id->revision));
	memcpy(id->serial, nd->serial, sizeof(id->serial));
	spin_unlock_irqrestore(&nd->id_lock, flags);
}

/* ------------------------------------------------------------------------
 * configfs attributes
 */
static struct scstu_null_dev *item_to_nd(struct config_item *item)
{
	return to_null_dev(scstu_dev_from_item(item));
}

static ssize_t scstu_null_size_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%llu\n", READ_ONCE(item_to_nd(item)->size));
}

static ssize_t scstu_null_size_store(struct config_item *item,
				     const char *page, size_t count)
{
	struct scstu_null_dev *nd = item_to_nd(item);
	u64 size, old;
	int ret;

	ret = kstrtou64(page, 0, &size);
	if (ret)
		return ret;
	if (size < SCSTU_NULL_MIN_SIZE || size > SCSTU_NULL_MAX_SIZE ||
	    size % 512)
		return -EINVAL;
	mutex_lock(&nd->cfg_mutex);
	old = nd->size;
	WRITE_ONCE(nd->size, size);
	if (size < old && nd->kind == SCSTU_NULL_RAMDISK)
		rd_trim(nd, size);
	if (nd->enabled && size >> nd->lb_shift != old >> nd->lb_shift)
		scstu_dev_capacity_changed(&nd->dev);
	mutex_unlock(&nd->cfg_mutex);
	return count;
}

static ssize_t scstu_null_block_size_show(struct config_item *item,
					  char *page)
{
	return sysfs_emit(page, "%u\n", item_to_nd(item)->block_size);
}

static ssize_t scstu_null_block_size_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct scstu_null_dev *nd = item_to_nd(item);
	u32 bs;
	int ret;

	ret = kstrtou32(page, 0, &bs);
	if (ret)
		return ret;
	if (bs != 512 && bs != 4096)
		return -EINVAL;
	mutex_lock(&nd->cfg_mutex);
	if (nd->enabled) {
		ret = -EBUSY;
	} else {
		nd->block_size = bs;
		nd->lb_shift = ilog2(bs);
	}
	mutex_unlock(&nd->cfg_mutex);
	return ret ? ret : count;
}

/* Store an identification string: printable ASCII, 1..max characters. */
static ssize_t scstu_null_store_id(struct config_item *item, char *dst,
				   size_t max, bool spaces, const char *page,
				   size_t count)
{
	struct scstu_null_dev *nd = item_to_nd(item);
	size_t len = count, i;
	bool changed;

	if (len && page[len - 1] == '\n')
		len--;
	if (!len || len > max)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (page[i] < (spaces ? 0x20 : 0x21) || page[i] > 0x7e)
			return -EINVAL;
	mutex_lock(&nd->cfg_mutex);
	spin_lock_irq(&nd->id_lock);
	changed = strlen(dst) != len || memcmp(dst, page, len);
	memcpy(dst, page, len);
	dst[len] = '\0';
	spin_unlock_irq(&nd->id_lock);
	if (changed && nd->enabled)
		scstu_dev_inquiry_changed(&nd->dev);
	mutex_unlock(&nd->cfg_mutex);
	return count;
}

static ssize_t scstu_null_show_id(struct config_item *item, const char *src,
				  char *page)
{
	struct scstu_null_dev *nd = item_to_nd(item);
	ssize_t ret;

	spin_lock_irq(&nd->id_lock);
	ret = sysfs_emit(page, "%s\n", src);
	spin_unlock_irq(&nd->id_lock);
	return ret;
}

#define SCSTU_NULL_ID_ATTR(attr, field, max, spaces)			\
static ssize_t scstu_null_##attr##_show(struct config_item *item,	\
					char *page)			\
{									\
	return scstu_null_show_id(item, item_to_nd(item)->field, page);	\
}									\
static ssize_t scstu_null_##attr##_store(struct config_item *item,	\
					 const char *page, size_t count)\
{									\
	return scstu_null_store_id(item, item_to_nd(item)->field, max,	\
				   spaces, page, count);		\
}

SCSTU_NULL_ID_ATTR(vendor_id, vendor, SCSTU_NULL_VENDOR_LEN, true)
SCSTU_NULL_ID_ATTR(product_id, product, SCSTU_NULL_PRODUCT_LEN, true)
SCSTU_NULL_ID_ATTR(revision, revision, SCSTU_NULL_REV_LEN, true)
SCSTU_NULL_ID_ATTR(serial, serial, SCSTU_NULL_SERIAL_LEN, false)

static ssize_t scstu_null_delay_ms_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(item_to_nd(item)->delay_ms));
}

static ssize_t scstu_null_delay_ms_store(struct config_item *item,
					 const char *page, size_t count)
{
	unsigned int ms;
	int ret;

	ret = kstrtouint(page, 0, &ms);
	if (ret)
		return ret;
	if (ms > SCSTU_NULL_MAX_DELAY_MS)
		return -EINVAL;
	WRITE_ONCE(item_to_nd(item)->delay_ms, ms);
	return count;
}

static ssize_t scstu_null_write_cache_show(struct config_item *item,
					   char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(item_to_nd(item)->wce));
}

static ssize_t scstu_null_write_cache_store(struct config_item *item,
					    const char *page, size_t count)
{
	struct scstu_null_dev *nd = item_to_nd(item);
	bool wce;
	int ret;

	ret = kstrtobool(page, &wce);
	if (ret)
		return ret;
	mutex_lock(&nd->cfg_mutex);
	if (READ_ONCE(nd->wce) != wce) {
		WRITE_ONCE(nd->wce, wce);
		if (nd->enabled)
			scstu_dev_mode_changed(&nd->dev, NULL);
	}
	mutex_unlock(&nd->cfg_mutex);
	return count;
}

CONFIGFS_ATTR(scstu_null_, size);
CONFIGFS_ATTR(scstu_null_, block_size);
CONFIGFS_ATTR(scstu_null_, vendor_id);
CONFIGFS_ATTR(scstu_null_, product_id);
CONFIGFS_ATTR(scstu_null_, revision);
CONFIGFS_ATTR(scstu_null_, serial);
CONFIGFS_ATTR(scstu_null_, delay_ms);
CONFIGFS_ATTR(scstu_null_, write_cache);

/* ramdisk: bytes of RAM holding data (pages are allocated on first write) */
static ssize_t scstu_null_used_bytes_show(struct config_item *item,
					  char *page)
{
	return sysfs_emit(page, "%ld\n",
			  atomic_long_read(&item_to_nd(item)->nr_pages) <<
			  PAGE_SHIFT);
}

CONFIGFS_ATTR_RO(scstu_null_, used_bytes);

static struct configfs_attribute *scstu_null_attrs[] = {
	&scstu_null_attr_size,
	&scstu_null_attr_block_size,
	&scstu_null_attr_vendor_id,
	&scstu_null_attr_product_id,
	&scstu_null_attr_revision,
	&scstu_null_attr_serial,
	&scstu_null_attr_delay_ms,
	&scstu_null_attr_write_cache,
	&scstu_null_attr_used_bytes,
	NULL,
};

/* ------------------------------------------------------------------------
 * Module
 */
static struct scstu_backend scstu_null_nullio_be = {
	.name		= "nullio",
	.owner		= THIS_MODULE,
	.alloc_dev	= scstu_null_alloc_dev,
	.free_dev	= scstu_null_free_dev,
	.enable_dev	= scstu_null_enable_dev,
	.disable_dev	= scstu_null_disable_dev,
	.execute	= scstu_null_execute,
	.abort_cmd	= scstu_null_abort_cmd,
	.dev_attrs	= scstu_null_attrs,
};

static struct scstu_backend scstu_null_ramdisk_be = {
	.name		= "ramdisk",
	.owner		= THIS_MODULE,
	.alloc_dev	= scstu_null_alloc_dev,
	.free_dev	= scstu_null_free_dev,
	.enable_dev	= scstu_null_enable_dev,
	.disable_dev	= scstu_null_disable_dev,
	.execute	= scstu_null_execute,
	.abort_cmd	= scstu_null_abort_cmd,
	.dev_attrs	= scstu_null_attrs,
};

static int __init scstu_null_init(void)
{
	int ret;

	ret = scstu_null_spc_init();
	if (ret)
		return ret;
	scstu_null_wq = alloc_workqueue("scstu_null", WQ_MEM_RECLAIM, 0);
	if (!scstu_null_wq)
		return -ENOMEM;
	ret = scstu_register_backend(&scstu_null_nullio_be);
	if (ret)
		goto out_wq;
	ret = scstu_register_backend(&scstu_null_ramdisk_be);
	if (ret)
		goto out_nullio;
	return 0;

out_nullio:
	scstu_unregister_backend(&scstu_null_nullio_be);
out_wq:
	destroy_workqueue(scstu_null_wq);
	return ret;
}

static void __exit scstu_null_exit(void)
{
	scstu_unregister_backend(&scstu_null_ramdisk_be);
	scstu_unregister_backend(&scstu_null_nullio_be);
	destroy_workqueue(scstu_null_wq);
}

module_init(scstu_null_init);
module_exit(scstu_null_exit);

MODULE_DESCRIPTION("scstu nullio and ramdisk SBC backends");
MODULE_AUTHOR("scstu developers");
MODULE_LICENSE("GPL");
