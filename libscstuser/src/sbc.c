// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser disk class: creation, command execution through the SPC
 * dispatcher, completion of callbacks (sync or SCSTU_ASYNC), and the
 * public accessors of scstuser_disk.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sbc.h"

uint32_t sbc_max_blocks(struct scstu_dev *dev)
{
	return dev->max_xfer >> sbc_of(dev)->shift;
}

bool sbc_has_write(struct scstu_dev *dev)
{
	return sbc_of(dev)->ops.write;
}

bool sbc_has_unmap(struct scstu_dev *dev)
{
	return sbc_of(dev)->ops.unmap;
}

bool sbc_has_map_status(struct scstu_dev *dev)
{
	return sbc_of(dev)->ops.map_status;
}

bool sbc_has_write_same(struct scstu_dev *dev)
{
	return sbc_of(dev)->ops.write_same || sbc_of(dev)->ops.write;
}

bool sbc_has_caw(struct scstu_dev *dev)
{
	return sbc_of(dev)->ops.compare_and_write || sbc_of(dev)->ops.write;
}

bool sbc_range_ok(struct scstu_req *req, uint64_t lba, uint64_t nr)
{
	uint64_t cap = atomic_load(&sbc_of(req->dev)->nr_blocks);

	if (lba > cap || nr > cap - lba) {
		/* LOGICAL BLOCK ADDRESS OUT OF RANGE */
		scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x21, 0x00);
		return false;
	}
	return true;
}

bool sbc_xfer_ok(struct scstu_req *req, uint64_t bytes, enum scstu_dir dir,
		 unsigned int len_byte)
{
	if (bytes && (req->dir != dir || req->xfer_len < bytes)) {
		scstu_req_invalid_cdb(req, len_byte, -1);
		return false;
	}
	req->class_u64[SBC_U_RESID] = req->xfer_len - bytes;
	return true;
}

bool sbc_writable(struct scstu_req *req)
{
	if (sbc_of(req->dev)->cfg.read_only) {
		/* WRITE PROTECTED */
		scstu_req_check(req, SCSTU_DATA_PROTECT, 0x27, 0x00);
		return false;
	}
	req->class_u64[SBC_U_WRITE] = 1;
	return true;
}

/* FUA when asked, and for every write while the write cache is off. */
unsigned int sbc_write_flags(struct scstu_req *req, bool fua)
{
	struct sbc_dev *sd = sbc_of(req->dev);

	if (fua || (sd->ops.flush && !atomic_load(&sd->wce)))
		return SCSTU_DISK_FUA;
	return 0;
}

void sbc_finish(struct scstu_req *req, int result)
{
	bool write = req->class_u64[SBC_U_WRITE];

	switch (result) {
	case 0:
		scstu_req_complete(req, SCSTU_GOOD,
				   (uint32_t)req->class_u64[SBC_U_RESID]);
		break;
	case SCSTU_DONE:
		break;
	case -EIO:	/* WRITE ERROR / UNRECOVERED READ ERROR */
		scstu_req_check(req, SCSTU_MEDIUM_ERROR, write ? 0x0c : 0x11,
				0x00);
		break;
	case -ENOSPC:	/* SPACE ALLOCATION FAILED WRITE PROTECT */
		scstu_req_check(req, SCSTU_DATA_PROTECT, 0x27, 0x07);
		break;
	case -EROFS:	/* WRITE PROTECTED */
		scstu_req_check(req, SCSTU_DATA_PROTECT, 0x27, 0x00);
		break;
	default:
		if (result > 0)
			scstu_log(SCSTU_LOG_ERR, "%s: bad disk callback "
				  "result %d", req->dev->name, result);
		/* INTERNAL TARGET FAILURE */
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		break;
	}
}

void scstu_disk_complete(struct scstu_req *req, int result)
{
	void (*cont)(struct scstu_req *req, int result) = req->cont;

	if (cont) {
		req->cont = NULL;
		cont(req, result);
	} else {
		sbc_finish(req, result);
	}
}

void sbc_result(struct scstu_req *req, int ret)
{
	if (ret != SCSTU_ASYNC)
		scstu_disk_complete(req, ret);
}

static void sbc_execute(struct scstu_req *req)
{
	spc_dispatch(req);
}

static void sbc_destroy(struct scstu_dev *dev)
{
	struct sbc_dev *sd = sbc_of(dev);

	if (!sd)
		return;
	spc_dev_free(&sd->spc);
	pthread_mutex_destroy(&sd->caw_lock);
	free(sd);
	dev->class_priv = NULL;
}

static int sbc_check_config(const struct scstu_disk_config *dc,
			    const struct scstu_disk_ops *ops,
			    const struct scstu_ops *raw_ops)
{
	if (!dc || !ops || !ops->read || (raw_ops && raw_ops->execute))
		return -EINVAL;
	switch (dc->block_size) {
	case 512:
	case 1024:
	case 2048:
	case 4096:
		break;
	default:
		scstu_log(SCSTU_LOG_ERR, "disk: block size %u: 512, 1024, "
			  "2048 or 4096", dc->block_size);
		return -EINVAL;
	}
	if (!dc->nr_blocks || dc->phys_block_exp > 15)
		return -EINVAL;
	return 0;
}

static int sbc_init(struct scstu_dev *dev, struct sbc_dev *sd,
		    const struct scstu_disk_config *dc,
		    const struct scstu_disk_ops *ops,
		    const struct scstu_ops *raw_ops)
{
	sd->ops = *ops;
	sd->cfg = *dc;
	sd->cfg.vendor = sd->cfg.product = sd->cfg.revision = NULL;
	sd->cfg.serial = sd->cfg.mode_file = NULL;
	atomic_init(&sd->nr_blocks, dc->nr_blocks);
	sd->block_size = dc->block_size;
	sd->shift = (unsigned int)__builtin_ctz(dc->block_size);
	atomic_init(&sd->wce, false);
	pthread_mutex_init(&sd->caw_lock, NULL);
	sd->spc.cmds = &sbc_cmd_table;
	sd->spc.vpd = sbc_vpd_pages;
	sd->spc.nr_vpd = sbc_nr_vpd_pages;
	/* SAM-5, SPC-4, SBC-3 */
	sd->spc.versions[0] = 0x00a0;
	sd->spc.versions[1] = 0x0460;
	sd->spc.versions[2] = 0x04c0;
	if (raw_ops) {
		sd->spc.attach = raw_ops->attach;
		sd->spc.detach = raw_ops->detach;
	}
	spc_dev_init(dev, &sd->spc, dc->vendor,
		     dc->product ? dc->product : "USER DISK", dc->revision,
		     dc->serial);
	dev->class_priv = sd;
	dev->class_destroy = sbc_destroy;
	return sbc_pages_init(dev) ?: spc_mode_start(dev, &sd->spc.mode,
						     dc->mode_file);
}

struct scstu_dev *scstu_disk_create(const struct scstu_dev_config *cfg,
				    const struct scstu_disk_config *dc,
				    const struct scstu_disk_ops *ops,
				    const struct scstu_ops *raw_ops)
{
	struct scstu_ops o = { .execute = sbc_execute };
	struct scstu_dev *dev;
	struct sbc_dev *sd;
	int ret;

	if (!cfg) {
		errno = EINVAL;
		return NULL;
	}
	ret = sbc_check_config(dc, ops, raw_ops);
	if (ret) {
		scstu_log(SCSTU_LOG_ERR, "%s: invalid disk configuration",
			  cfg->name ? cfg->name : "(null)");
		errno = -ret;
		return NULL;
	}
	if (raw_ops) {
		o.abort = raw_ops->abort;
		o.reset = raw_ops->reset;
	}
	o.attach = spc_attach;
	o.detach = spc_detach;
	sd = calloc(1, sizeof(*sd));
	if (!sd) {
		errno = ENOMEM;
		return NULL;
	}
	dev = spc_class_create(cfg, SCSTU_TYPE_DISK, 0, 0, &o, sd);
	if (!dev)
		return NULL;
	return spc_class_ready(dev, sbc_init(dev, sd, dc, ops, raw_ops));
}

int scstu_disk_set_capacity(struct scstu_dev *dev, uint64_t nr_blocks)
{
	struct sbc_dev *sd = sbc_of(dev);

	if (!sd || !nr_blocks)
		return -EINVAL;
	if (atomic_exchange(&sd->nr_blocks, nr_blocks) == nr_blocks)
		return 0;
	/* CAPACITY DATA HAS CHANGED */
	return scstu_dev_raise_ua(dev, 0x2a, 0x09, SCSTU_NO_SESSION);
}

uint64_t scstu_disk_capacity(const struct scstu_dev *dev)
{
	return atomic_load(&sbc_of(dev)->nr_blocks);
}

uint32_t scstu_disk_block_size(const struct scstu_dev *dev)
{
	return sbc_of(dev)->block_size;
}

bool scstu_disk_write_cache(const struct scstu_dev *dev)
{
	return atomic_load(&sbc_of(dev)->wce);
}
