/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser disk (SBC-4) device class.
 *
 * The handler supplies read/write and, optionally, flush, unmap,
 * write_same, compare_and_write and a mapping query. The SDK answers
 * INQUIRY (standard, VPD 00/80/83/B0/B1/B2), MODE SENSE/SELECT (6/10),
 * READ CAPACITY (10/16), REPORT SUPPORTED OPERATION CODES (built from the
 * callbacks present), GET LBA STATUS (with map_status), VERIFY, PRE-FETCH,
 * WRITE AND VERIFY, SYNCHRONIZE CACHE, TEST UNIT READY, START STOP UNIT,
 * and checks every CDB (reserved bits, LBA range, transfer length).
 *
 * Return values of the I/O callbacks:
 *   0             done; the SDK completes the command (GOOD)
 *   SCSTU_ASYNC   the handler calls scstu_disk_complete() later, from
 *                 any thread
 *   SCSTU_DONE    the handler already completed the request itself
 *                 (e.g. with scstu_req_check())
 *   -errno        failure: -EIO gives MEDIUM ERROR (11/00 on read,
 *                 0C/00 on write), -ENOSPC DATA PROTECT 27/07 (space
 *                 allocation failed write protect), -EROFS 27/00,
 *                 -ENOMEM and others HARDWARE ERROR 44/00.
 */
#ifndef SCSTUSER_DISK_H
#define SCSTUSER_DISK_H

#include "scstuser.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SCSTU_ASYNC	1
#define SCSTU_DONE	2

/* write flags */
#define SCSTU_DISK_FUA		(1U << 0)	/* force unit access */
/* write_same flags */
#define SCSTU_DISK_WS_UNMAP	(1U << 1)	/* may deallocate */

struct scstu_extent {
	uint64_t lba;
	uint64_t nr_blocks;
};

/* map_status states (GET LBA STATUS provisioning status) */
enum scstu_map_state {
	SCSTU_MAPPED = 0,
	SCSTU_DEALLOCATED = 1,
	SCSTU_ANCHORED = 2,
};

struct scstu_disk_ops {
	int (*read)(struct scstu_req *req, uint64_t lba, uint32_t nr_blocks,
		    void *buf);
	int (*write)(struct scstu_req *req, uint64_t lba, uint32_t nr_blocks,
		     const void *buf, unsigned int flags);
	/* Optional: without it the device reports no write cache. */
	int (*flush)(struct scstu_req *req);
	/* Optional: UNMAP and thin provisioning (LBPME). */
	int (*unmap)(struct scstu_req *req, const struct scstu_extent *ext,
		     unsigned int nr);
	/*
	 * Optional: WRITE SAME (10/16) with one block of data. Without it
	 * the SDK writes the block repeatedly through ->write (and, with
	 * the UNMAP bit, through ->unmap when the block is all zeros).
	 */
	int (*write_same)(struct scstu_req *req, uint64_t lba,
			  uint64_t nr_blocks, const void *block,
			  unsigned int flags);
	/*
	 * Optional: COMPARE AND WRITE. Return -EILSEQ with *miscompare_off
	 * set (byte offset of the first difference) on a miscompare.
	 * Without it the SDK reads, compares and writes, atomically with
	 * respect to other COMPARE AND WRITE commands.
	 */
	int (*compare_and_write)(struct scstu_req *req, uint64_t lba,
				 uint32_t nr_blocks, const void *verify,
				 const void *data, uint32_t *miscompare_off);
	/*
	 * Optional, synchronous: provisioning state of the run of blocks
	 * starting at lba (store its length in *nr_blocks). Enables GET
	 * LBA STATUS.
	 */
	int (*map_status)(struct scstu_dev *dev, uint64_t lba,
			  uint64_t *nr_blocks, enum scstu_map_state *state);
};

struct scstu_disk_config {
	uint64_t nr_blocks;		/* capacity in logical blocks */
	uint32_t block_size;		/* 512, 1024, 2048 or 4096 */
	uint8_t phys_block_exp;		/* physical block = 2^exp logical */
	const char *vendor;		/* 8 chars, default "SCSTU" */
	const char *product;		/* 16 chars, default "USER DISK" */
	const char *revision;		/* 4 chars, default the SDK version */
	const char *serial;		/* unit serial number, default name */
	bool read_only;
	bool write_cache;		/* WCE initially set (needs flush) */
	bool rotational;		/* default: non-rotating medium */
	/* unmap limits (with ops->unmap); 0 selects defaults */
	uint32_t max_unmap_blocks;
	uint32_t max_unmap_descriptors;
	uint32_t unmap_granularity;	/* in logical blocks */
	uint32_t max_write_same_blocks;
	uint32_t opt_xfer_blocks;	/* optimal transfer length */
	/*
	 * Saved mode pages are kept in this file (created if missing);
	 * NULL: saving is still accepted but lasts until the handler exits.
	 */
	const char *mode_file;
};

/*
 * Create a disk device: cfg as for scstu_dev_create() (type must be
 * SCSTU_TYPE_DISK or is set to it), ops->execute is provided by the SDK.
 * Extra raw callbacks (abort, attach...) may be passed in raw_ops
 * (may be NULL; its execute must be NULL).
 */
struct scstu_dev *scstu_disk_create(const struct scstu_dev_config *cfg,
				    const struct scstu_disk_config *dc,
				    const struct scstu_disk_ops *ops,
				    const struct scstu_ops *raw_ops);

/* Complete a request for which a callback returned SCSTU_ASYNC. */
void scstu_disk_complete(struct scstu_req *req, int result);

/* Change the capacity; initiators get 2A/09 CAPACITY DATA HAS CHANGED. */
int scstu_disk_set_capacity(struct scstu_dev *dev, uint64_t nr_blocks);
uint64_t scstu_disk_capacity(const struct scstu_dev *dev);
uint32_t scstu_disk_block_size(const struct scstu_dev *dev);
/* Current WCE bit of the caching mode page. */
bool scstu_disk_write_cache(const struct scstu_dev *dev);

#ifdef __cplusplus
}
#endif

#endif /* SCSTUSER_DISK_H */
