// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Device objects: creation (binding to the kernel or to a harness),
 * running, stopping, accessors. The transport (transport_kernel.c or
 * harness.c) does the real work through dev->tops.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SCSTU_DEF_QUEUE_DEPTH	256
#define SCSTU_MAX_QUEUE_DEPTH	4096
#define SCSTU_MIN_QUEUE_DEPTH	16
#define SCSTU_MAX_QUEUES	64
#define SCSTU_DEF_DATA_SIZE	(32UL << 20)
#define SCSTU_MAX_DATA_SIZE	(1UL << 30)

static bool valid_name(const char *name)
{
	size_t len, i;

	if (!name)
		return false;
	len = strlen(name);
	if (len == 0 || len >= sizeof(((struct scstu_dev *)0)->name))
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		if (c <= ' ' || c == '/' || c >= 0x7f)
			return false;
	}
	return true;
}

static int check_config(const struct scstu_dev_config *cfg,
			const struct scstu_ops *ops)
{
	unsigned int d = cfg->queue_depth;

	if (!valid_name(cfg->name)) {
		scstu_log(SCSTU_LOG_ERR, "device name '%s': 1..63 printable "
			  "characters without '/' or spaces",
			  cfg->name ? cfg->name : "(null)");
		return -EINVAL;
	}
	if (cfg->type != SCSTU_TYPE_DISK && cfg->type != SCSTU_TYPE_TAPE &&
	    cfg->type != SCSTU_TYPE_CHANGER) {
		scstu_log(SCSTU_LOG_ERR, "%s: unsupported device type 0x%02x",
			  cfg->name, cfg->type);
		return -EINVAL;
	}
	if (!ops || !ops->execute) {
		scstu_log(SCSTU_LOG_ERR, "%s: ops->execute is required",
			  cfg->name);
		return -EINVAL;
	}
	if (cfg->nr_queues > SCSTU_MAX_QUEUES) {
		scstu_log(SCSTU_LOG_ERR, "%s: at most %d queues", cfg->name,
			  SCSTU_MAX_QUEUES);
		return -EINVAL;
	}
	if (d && (d < SCSTU_MIN_QUEUE_DEPTH || d > SCSTU_MAX_QUEUE_DEPTH ||
		  (d & (d - 1)))) {
		scstu_log(SCSTU_LOG_ERR, "%s: queue depth %u: a power of two "
			  "in %d..%d", cfg->name, d, SCSTU_MIN_QUEUE_DEPTH,
			  SCSTU_MAX_QUEUE_DEPTH);
		return -EINVAL;
	}
	if (cfg->data_size > SCSTU_MAX_DATA_SIZE) {
		scstu_log(SCSTU_LOG_ERR, "%s: data area larger than %lu bytes",
			  cfg->name, SCSTU_MAX_DATA_SIZE);
		return -EINVAL;
	}
	if (cfg->flags & ~(SCSTU_DEV_OWN_LOOP | SCSTU_DEV_REQUEST_SENSE)) {
		scstu_log(SCSTU_LOG_ERR, "%s: unknown flags 0x%x", cfg->name,
			  cfg->flags);
		return -EINVAL;
	}
	return 0;
}

struct scstu_dev *scstu_dev_create(const struct scstu_dev_config *cfg,
				   const struct scstu_ops *ops)
{
	struct scstu_dev *dev;
	int ret;

	if (!cfg) {
		errno = EINVAL;
		return NULL;
	}
	ret = check_config(cfg, ops);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		errno = ENOMEM;
		return NULL;
	}
	strcpy(dev->name, cfg->name);
	dev->type = cfg->type;
	dev->flags = cfg->flags;
	dev->nr_queues = cfg->nr_queues ? cfg->nr_queues : 1;
	dev->queue_depth = cfg->queue_depth ? cfg->queue_depth :
			   SCSTU_DEF_QUEUE_DEPTH;
	dev->data_size = cfg->data_size ? cfg->data_size : SCSTU_DEF_DATA_SIZE;
	dev->req_ctx_size = cfg->req_ctx_size;
	dev->busy_poll_us = cfg->busy_poll_us;
	dev->priv = cfg->priv;
	dev->ops = *ops;
	atomic_init(&dev->d_sense, false);

	if (cfg->harness)
		ret = scstu_harness_bind(cfg->harness, dev);
	else
		ret = scstu_kernel_bind(dev);
	if (ret) {
		free(dev);
		errno = ret < 0 ? -ret : EIO;
		return NULL;
	}
	scstu_log(SCSTU_LOG_INFO, "%s: created (%s, %u queue(s) of %u)",
		  dev->name, cfg->harness ? "harness" : "kernel",
		  dev->nr_queues, dev->queue_depth);
	return dev;
}

int scstu_dev_run(struct scstu_dev *dev)
{
	if (dev->flags & SCSTU_DEV_OWN_LOOP)
		return -EINVAL;
	if (!dev->tops->run)
		return -EOPNOTSUPP;
	return dev->tops->run(dev);
}

void scstu_dev_stop(struct scstu_dev *dev)
{
	if (dev->tops->stop)
		dev->tops->stop(dev);
}

void scstu_dev_destroy(struct scstu_dev *dev)
{
	if (!dev)
		return;
	if (dev->class_destroy)
		dev->class_destroy(dev);
	if (dev->tops->destroy)
		dev->tops->destroy(dev);
	scstu_log(SCSTU_LOG_INFO, "%s: destroyed", dev->name);
	free(dev);
}

int scstu_dev_fd(struct scstu_dev *dev)
{
	if (!dev->tops->fd)
		return -EOPNOTSUPP;
	return dev->tops->fd(dev);
}

int scstu_dev_process(struct scstu_dev *dev)
{
	if (!dev->tops->process)
		return -EOPNOTSUPP;
	return dev->tops->process(dev);
}

void *scstu_dev_priv(struct scstu_dev *dev)
{
	return dev->priv;
}

const char *scstu_dev_name(const struct scstu_dev *dev)
{
	return dev->name;
}

uint8_t scstu_dev_type(const struct scstu_dev *dev)
{
	return dev->type;
}

unsigned int scstu_dev_nr_queues(const struct scstu_dev *dev)
{
	return dev->nr_queues;
}

uint32_t scstu_dev_max_xfer(const struct scstu_dev *dev)
{
	return dev->max_xfer;
}

int scstu_dev_raise_ua(struct scstu_dev *dev, uint8_t asc, uint8_t ascq,
		       uint64_t except_session)
{
	if (!dev->tops->raise_ua)
		return -EOPNOTSUPP;
	scstu_log(SCSTU_LOG_DEBUG, "%s: unit attention %02x/%02x", dev->name,
		  asc, ascq);
	return dev->tops->raise_ua(dev, asc, ascq, except_session);
}

int scstu_dev_set_d_sense(struct scstu_dev *dev, bool desc)
{
	int ret = 0;

	atomic_store(&dev->d_sense, desc);
	if (dev->tops->set_d_sense)
		ret = dev->tops->set_d_sense(dev, desc);
	return ret;
}

bool scstu_dev_d_sense(const struct scstu_dev *dev)
{
	return atomic_load(&((struct scstu_dev *)dev)->d_sense);
}
