/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstu_null: in-kernel nullio and ramdisk SBC backends (private header).
 *
 * scstu_null.c holds the module, the devices and their configfs attributes
 * and the data path (read, write, compare) of both kinds; scstu_null_spc.c
 * holds the command table (dispatch and REPORT SUPPORTED OPERATION CODES),
 * INQUIRY/VPD, READ CAPACITY, the mode pages and the CDB decoding.
 */
#ifndef _SCSTU_NULL_H
#define _SCSTU_NULL_H

#include <linux/types.h>
#include <linux/xarray.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include "scstu.h"

#define SCSTU_NULL_VENDOR_LEN	8
#define SCSTU_NULL_PRODUCT_LEN	16
#define SCSTU_NULL_REV_LEN	4
#define SCSTU_NULL_SERIAL_LEN	64

#define SCSTU_NULL_DEF_SIZE	(1ULL << 30)
#define SCSTU_NULL_MIN_SIZE	4096ULL
#define SCSTU_NULL_MAX_SIZE	(1ULL << 60)
/* Largest data transfer of one command (block limits VPD page). */
#define SCSTU_NULL_MAX_XFER	(8U << 20)
#define SCSTU_NULL_MAX_DELAY_MS	300000U

enum scstu_null_kind {
	SCSTU_NULL_NULLIO,
	SCSTU_NULL_RAMDISK,
};

struct scstu_null_dev {
	struct scstu_dev dev;
	enum scstu_null_kind kind;

	/* Read locklessly in the I/O path; written under cfg_mutex. */
	u64 size;			/* bytes; READ_ONCE/WRITE_ONCE */
	u32 block_size;			/* changes only while disabled */
	u8 lb_shift;
	bool wce;			/* caching mode page WCE */
	unsigned int delay_ms;		/* test aid, see delay_ms attribute */

	struct mutex cfg_mutex;		/* attribute stores, enabled */
	bool enabled;

	/* Identification; the strings are read and written under id_lock. */
	spinlock_t id_lock;
	char vendor[SCSTU_NULL_VENDOR_LEN + 1];
	char product[SCSTU_NULL_PRODUCT_LEN + 1];
	char revision[SCSTU_NULL_REV_LEN + 1];
	char serial[SCSTU_NULL_SERIAL_LEN + 1];
	u8 naa[8];			/* NAA 3 designator, fixed at mkdir */

	/* Commands waiting for their delayed completion (delay_ms). */
	spinlock_t delay_lock;
	struct list_head delayed;

	/* ramdisk: page index (byte offset >> PAGE_SHIFT) -> struct page */
	struct xarray pages;
	atomic_long_t nr_pages;		/* pages allocated */
};

static inline struct scstu_null_dev *to_null_dev(struct scstu_dev *dev)
{
	return container_of(dev, struct scstu_null_dev, dev);
}

/* Capacity in logical blocks. */
static inline u64 scstu_null_nr_blocks(struct scstu_null_dev *nd)
{
	return READ_ONCE(nd->size) >> nd->lb_shift;
}

/* Identification strings, copied under id_lock. */
struct scstu_null_id {
	char vendor[SCSTU_NULL_VENDOR_LEN + 1];
	char product[SCSTU_NULL_PRODUCT_LEN + 1];
	char revision[SCSTU_NULL_REV_LEN + 1];
	char serial[SCSTU_NULL_SERIAL_LEN + 1];
};

void scstu_null_get_id(struct scstu_null_dev *nd, struct scstu_null_id *id);

/*
 * Data path (scstu_null.c). @pos and @len are in bytes, already checked
 * against the capacity; @len is at most the command's data_len. They set
 * cmd->xfer_len. Return 0, or -EAGAIN when !may_sleep and the command must
 * be retried from process context (nothing has been completed then).
 */
int scstu_null_read(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
		    u64 pos, u32 len);
int scstu_null_write(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
		     u64 pos, u32 len, bool may_sleep);
/*
 * Compare the data-out buffer with the medium (nullio: with zeros).
 * Returns true on a miscompare and stores the offset of the first
 * differing byte in *offset.
 */
bool scstu_null_compare(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			u64 pos, u32 len, u64 *offset);

/* Command set (scstu_null_spc.c). */
int scstu_null_spc_init(void);
/* Decode and execute; sets status/sense. 0 or -EAGAIN (!may_sleep only). */
int scstu_null_dispatch(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			bool may_sleep);

#endif /* _SCSTU_NULL_H */
