// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Kernel transport: a device registered with scstu_user.ko through
 * /dev/scstu_user (ABI: kernel/include/uapi/scstu_user.h, docs/abi.md).
 *
 * Per queue: the mmap'd rings and data area, one preallocated request
 * per ring slot (index = low 32 bits of the SQE id), and a CQ lock.
 * A worker (or scstu_dev_process()) consumes SQEs in batches and calls
 * the handler's ops; completions made on that thread during the batch
 * are published with one ENTER at the end of the batch, completions
 * from any other thread write their CQE under the CQ lock and ENTER
 * themselves.
 *
 * This file: registration, mmap, configfs, run/stop and teardown;
 * kernel_sq.c reads SQEs, kernel_cq.c writes CQEs.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"

static int kernel_run(struct scstu_dev *dev)
{
	struct kdev *kd = kdev_of(dev);
	unsigned int i, started = 0;
	int ret = 0;

	if (atomic_exchange(&kd->running, true))
		return -EBUSY;
	for (i = 0; i < kd->nr_queues; i++) {
		struct kqueue *q = &kd->queues[i];
		char name[24];

		q->error = 0;
		ret = -pthread_create(&q->thread, NULL, kq_worker, q);
		if (ret) {
			scstu_log(SCSTU_LOG_ERR, "%s: cannot start a worker: %s",
				  dev->name, strerror(-ret));
			scstu_dev_stop(dev);
			break;
		}
		snprintf(name, sizeof(name), "scstu-q%u", i);
		pthread_setname_np(q->thread, name);
		started++;
	}
	for (i = 0; i < started; i++) {
		pthread_join(kd->queues[i].thread, NULL);
		if (!ret && kd->queues[i].error)
			ret = kd->queues[i].error;
	}
	atomic_store(&kd->running, false);
	return ret;
}

/* async-signal-safe: an atomic store and ioctls */
static void kernel_stop(struct scstu_dev *dev)
{
	struct kdev *kd = kdev_of(dev);
	unsigned int i;
	int saved = errno;

	atomic_store(&kd->stop, true);
	for (i = 0; i < kd->nr_queues; i++)
		ioctl(kd->fd, SCSTU_USER_WAKE, (unsigned long)i);
	errno = saved;
}

static int kernel_fd(struct scstu_dev *dev)
{
	return kdev_of(dev)->fd;
}

static int kernel_process(struct scstu_dev *dev)
{
	struct kdev *kd = kdev_of(dev);
	unsigned int i;
	int ret;

	for (i = 0; i < kd->nr_queues; i++) {
		ret = kq_batch(&kd->queues[i], true);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static void free_queues(struct kdev *kd)
{
	unsigned int i;

	for (i = 0; i < kd->nr_queues; i++) {
		struct kqueue *q = &kd->queues[i];

		if (q->map && q->map != MAP_FAILED)
			munmap(q->map, kd->map_size);
		free(q->slots);
		free(q->ctx_area);
		pthread_mutex_destroy(&q->cq_lock);
	}
	free(kd->queues);
	kd->queues = NULL;
}

static void kdev_free(struct kdev *kd)
{
	if (kd->queues)
		free_queues(kd);
	if (kd->fd >= 0)
		close(kd->fd);
	if (kd->nexuses)
		g_hash_table_destroy(kd->nexuses);
	pthread_mutex_destroy(&kd->nexus_lock);
	free(kd);
}

static void kernel_destroy(struct scstu_dev *dev)
{
	struct kdev *kd = kdev_of(dev);

	/* closing the fd detaches the handler; the device stays */
	kdev_free(kd);
	dev->tpriv = NULL;
}

static const struct scstu_transport_ops kernel_tops = {
	.complete = kq_complete,
	.raise_ua = kq_raise_ua,
	.set_d_sense = kq_set_d_sense,
	.run = kernel_run,
	.stop = kernel_stop,
	.fd = kernel_fd,
	.process = kernel_process,
	.destroy = kernel_destroy,
};

/* configfs: make devices/user/<name> exist */
static int cfs_mkdir(const char *name)
{
	char path[256];

	if (access(CFS_USER_DIR, F_OK)) {
		scstu_log(SCSTU_LOG_ERR, "%s: %s missing: is scstu_user.ko "
			  "loaded and configfs mounted?", name, CFS_USER_DIR);
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "%s/%s", CFS_USER_DIR, name);
	if (mkdir(path, 0755) && errno != EEXIST) {
		int err = errno;

		scstu_log(SCSTU_LOG_ERR, "%s: mkdir %s: %s", name, path,
			  strerror(err));
		return -err;
	}
	return 0;
}

static int cfs_enable(const char *name)
{
	char path[256], cur[8] = "";
	int fd, err;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s/enable", CFS_USER_DIR, name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	n = read(fd, cur, sizeof(cur) - 1);
	if (n > 0 && cur[0] == '1') {
		close(fd);
		return 0;
	}
	if (pwrite(fd, "1\n", 2, 0) != 2) {
		err = errno;
		close(fd);
		errno = err;
		goto fail;
	}
	close(fd);
	return 0;
fail:
	err = errno;
	scstu_log(SCSTU_LOG_ERR, "%s: enable (%s): %s", name, path,
		  strerror(err));
	return -err;
}

static int setup_queue(struct kdev *kd, struct kqueue *q, unsigned int i,
		       const struct scstu_user_register *reg)
{
	struct scstu_dev *dev = kd->dev;
	size_t ctx = (dev->req_ctx_size + 15) & ~(size_t)15;
	uint32_t e;

	q->kd = kd;
	q->index = i;
	pthread_mutex_init(&q->cq_lock, NULL);
	q->map = mmap(NULL, reg->map_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_POPULATE, kd->fd,
		      (off_t)(i * reg->queue_stride));
	if (q->map == MAP_FAILED) {
		q->map = NULL;
		scstu_log(SCSTU_LOG_ERR, "%s: mmap of queue %u: %s",
			  dev->name, i, strerror(errno));
		return -errno;
	}
	q->ring = q->map;
	q->sqes = (void *)((uint8_t *)q->map + reg->sq_off);
	q->cqes = (void *)((uint8_t *)q->map + reg->cq_off);
	q->data = (uint8_t *)q->map + reg->data_off;
	e = q->ring->ring_entries;
	if (e != reg->ring_entries || q->ring->ring_mask != e - 1) {
		scstu_log(SCSTU_LOG_ERR, "%s: queue %u: ring header says %u "
			  "entries, registration %u", dev->name, i, e,
			  reg->ring_entries);
		return -EPROTO;
	}
	q->entries = e;
	q->mask = e - 1;
	q->sq_head = load_acquire(&q->ring->sq_head);
	q->cq_tail = load_acquire(&q->ring->cq_tail);
	q->slots = calloc(e, sizeof(*q->slots));
	if (ctx)
		q->ctx_area = calloc(e, ctx);
	if (!q->slots || (ctx && !q->ctx_area))
		return -ENOMEM;
	for (e = 0; e < q->entries; e++) {
		struct scstu_req *req = &q->slots[e].req;

		req->dev = dev;
		req->queue = i;
		req->ctx = ctx ? (uint8_t *)q->ctx_area + e * ctx : NULL;
		req->tpriv = q;
	}
	return 0;
}

/*
 * Zero copy is asked for unless SCSTU_ZERO_COPY=0: the handler's buffers
 * are then the initiator's own pages whenever they are whole pages.
 */
static uint64_t want_zero_copy(void)
{
	const char *s = getenv("SCSTU_ZERO_COPY");

	return s && !strcmp(s, "0") ? 0 : SCSTU_USER_F_ZERO_COPY;
}

int scstu_kernel_bind(struct scstu_dev *dev)
{
	struct scstu_user_register reg = {
		.size = sizeof(reg),
		.abi_major = SCSTU_USER_ABI_MAJOR,
		.abi_minor = SCSTU_USER_ABI_MINOR,
		.features = SCSTU_USER_F_TMF_EVENTS | SCSTU_USER_F_DEV_EVENTS |
			    SCSTU_USER_F_LONG_CDB | SCSTU_USER_F_NEXUS_EVENTS |
			    want_zero_copy() |
			    (dev->flags & SCSTU_DEV_REQUEST_SENSE ?
			     SCSTU_USER_F_REQUEST_SENSE : 0),
		.type = dev->type,
		.nr_queues = (uint16_t)dev->nr_queues,
		.ring_entries = dev->queue_depth,
		.data_size = (uint32_t)dev->data_size,
	};
	struct kdev *kd;
	unsigned int i;
	int ret;

	kd = calloc(1, sizeof(*kd));
	if (!kd)
		return -ENOMEM;
	kd->dev = dev;
	kd->fd = -1;
	pthread_mutex_init(&kd->nexus_lock, NULL);
	kd->nexuses = g_hash_table_new_full(kq_nexus_hash, kq_nexus_equal,
					    NULL, kq_nexus_free);
	ret = cfs_mkdir(dev->name);
	if (ret)
		goto fail;
	kd->fd = open(SCSTU_USER_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (kd->fd < 0) {
		ret = -errno;
		scstu_log(SCSTU_LOG_ERR, "%s: open %s: %s", dev->name,
			  SCSTU_USER_DEV_PATH, strerror(errno));
		goto fail;
	}
	snprintf(reg.name, sizeof(reg.name), "%s", dev->name);
	if (ioctl(kd->fd, SCSTU_USER_REGISTER, &reg) < 0) {
		ret = -errno;
		scstu_log(SCSTU_LOG_ERR, "%s: register: %s%s", dev->name,
			  strerror(errno), errno == EBUSY ?
			  " (another handler serves it?)" : "");
		goto fail;
	}
	if (!reg.nr_queues || reg.nr_queues > SCSTU_USER_MAX_QUEUES ||
	    !reg.ring_entries || (reg.ring_entries & (reg.ring_entries - 1))) {
		scstu_log(SCSTU_LOG_ERR, "%s: register: bad answer", dev->name);
		ret = -EPROTO;
		goto fail;
	}
	kd->features = reg.features;
	kd->map_size = reg.map_size;
	/* with zero copy, the zero-copy window follows the copy window */
	kd->data_size = reg.data_size;
	if (reg.features & SCSTU_USER_F_ZERO_COPY)
		kd->data_size *= 2;
	dev->nr_queues = reg.nr_queues;
	dev->queue_depth = reg.ring_entries;
	dev->data_size = reg.data_size;
	dev->max_xfer = reg.max_xfer;
	kd->queues = calloc(reg.nr_queues, sizeof(*kd->queues));
	if (!kd->queues) {
		ret = -ENOMEM;
		goto fail;
	}
	kd->nr_queues = reg.nr_queues;
	for (i = 0; i < kd->nr_queues; i++) {
		ret = setup_queue(kd, &kd->queues[i], i, &reg);
		if (ret)
			goto fail;
	}
	dev->tops = &kernel_tops;
	dev->tpriv = kd;
	ret = cfs_enable(dev->name);
	if (ret)
		goto fail;
	scstu_log(SCSTU_LOG_INFO, "%s: registered, ABI %u.%u, features 0x%"
		  PRIx64 ", %u queue(s) x %u entries, data %u bytes, "
		  "max transfer %u", dev->name, reg.abi_major, reg.abi_minor,
		  (uint64_t)reg.features, reg.nr_queues, reg.ring_entries,
		  reg.data_size, reg.max_xfer);
	return 0;
fail:
	dev->tops = NULL;
	dev->tpriv = NULL;
	kdev_free(kd);
	return ret;
}
