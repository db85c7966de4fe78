/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcmu_null: a minimal null disk for LIO's TCMU (target_core_user), the
 * comparator of the scstu userspace-path benchmark.  Written against the
 * kernel UAPI header <linux/target_core_user.h> only.
 */
#ifndef TCMU_NULL_H
#define TCMU_NULL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* SAM status codes used here */
#define TN_GOOD			0x00
#define TN_CHECK_CONDITION	0x02

#define TN_SENSE_LEN		18	/* fixed format, what we build */

/* What the emulation knows about the disk. */
struct tn_disk {
	uint64_t nr_blocks;
	uint32_t block_size;
	uint32_t max_xfer_blocks;	/* VPD B0 MAXIMUM TRANSFER LENGTH */
	char serial[21];		/* VPD 80, also in the VPD 83 id */
	int verbose;
};

/*
 * One command as the ring loop hands it to the emulation: the CDB and the
 * ring's iovec array (not 8-byte aligned in the packed ring entry, so read
 * with memcpy), whose iov_base are offsets into the mapping at base.
 */
struct tn_cmd {
	const uint8_t *cdb;
	const uint8_t *iov;
	unsigned int iov_cnt;
	uint8_t *base;
	size_t map_size;
	uint8_t sense[TN_SENSE_LEN];	/* filled on CHECK CONDITION */
};

/* Execute cmd; returns the SAM status (sense filled on CHECK CONDITION). */
uint8_t tn_execute(const struct tn_disk *disk, struct tn_cmd *cmd);

#endif
