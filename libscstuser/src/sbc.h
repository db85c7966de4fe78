/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser private: the disk (SBC-4) class of scstuser_disk.h.
 *   sbc.c        creation, execute, completion, accessors
 *   sbc_table.c  the command table
 *   sbc_rw.c     READ, WRITE, WRITE AND VERIFY, VERIFY
 *   sbc_ws.c     WRITE SAME, COMPARE AND WRITE
 *   sbc_cmds.c   READ CAPACITY, GET LBA STATUS, UNMAP, SYNCHRONIZE CACHE,
 *                PRE-FETCH, TEST UNIT READY, START STOP UNIT, FORMAT UNIT
 *   sbc_pages.c  mode pages and VPD pages B0h, B1h, B2h
 *
 * Transfer length rule (SAM-5 5.4.2, "overlength/underlength"): the
 * bytes a data command moves (blocks x block size) are compared with the
 * initiator's expected transfer length. If the expected length is
 * larger, the command runs and the difference is the residual
 * (underflow). If it is smaller, or the direction is not the command's,
 * the command is refused with 24/00 pointing at the CDB's TRANSFER
 * LENGTH field: the transport cannot report an overflow residual and a
 * partial block transfer would leave the medium or the initiator's
 * buffer half written (LIO refuses such writes the same way).
 */
#ifndef SCSTU_SBC_H
#define SCSTU_SBC_H

#include "scstuser_disk.h"
#include "spc.h"

struct sbc_dev {
	struct spc_dev spc;		/* first: spc_of() */
	struct scstu_disk_ops ops;
	struct scstu_disk_config cfg;	/* strings not kept */
	_Atomic uint64_t nr_blocks;
	uint32_t block_size;
	unsigned int shift;		/* log2(block_size) */
	atomic_bool wce;
	/* COMPARE AND WRITE emulation: one at a time, others wait */
	pthread_mutex_t caw_lock;
	bool caw_busy;
	struct scstu_req *caw_head, *caw_tail;
};

static inline struct sbc_dev *sbc_of(const struct scstu_dev *dev)
{
	return dev->class_priv;
}

/* req->class_u64[] use */
#define SBC_U_RESID	0	/* residual of a GOOD completion */
#define SBC_U_WRITE	1	/* nonzero: a write (for -EIO's sense) */
#define SBC_U_LBA	2	/* class continuation state */
#define SBC_U_LEFT	3

extern const struct spc_cmd_table sbc_cmd_table;

/* sbc.c */
void sbc_finish(struct scstu_req *req, int result);
/* Result of a callback: complete now unless it is SCSTU_ASYNC. */
void sbc_result(struct scstu_req *req, int ret);
bool sbc_range_ok(struct scstu_req *req, uint64_t lba, uint64_t nr);
/*
 * The transfer length rule above; bytes = what the command moves in
 * direction dir; len_byte = the CDB's length field. False: sense set.
 */
bool sbc_xfer_ok(struct scstu_req *req, uint64_t bytes, enum scstu_dir dir,
		 unsigned int len_byte);
bool sbc_writable(struct scstu_req *req);
uint32_t sbc_max_blocks(struct scstu_dev *dev);
unsigned int sbc_write_flags(struct scstu_req *req, bool fua);
bool sbc_has_write(struct scstu_dev *dev);
bool sbc_has_unmap(struct scstu_dev *dev);
bool sbc_has_map_status(struct scstu_dev *dev);
bool sbc_has_write_same(struct scstu_dev *dev);
bool sbc_has_caw(struct scstu_dev *dev);

/* sbc_rw.c */
void sbc_read(struct scstu_req *req);
void sbc_write(struct scstu_req *req);
void sbc_verify(struct scstu_req *req);
/* Decode LBA/blocks of the READ/WRITE/VERIFY/... families. */
void sbc_decode(const uint8_t *cdb, uint64_t *lba, uint32_t *nr,
		unsigned int *len_byte);

/* sbc_ws.c */
void sbc_write_same(struct scstu_req *req);
void sbc_compare_and_write(struct scstu_req *req);

/* sbc_cmds.c */
void sbc_read_capacity(struct scstu_req *req);
void sbc_read_capacity16(struct scstu_req *req);
void sbc_get_lba_status(struct scstu_req *req);
void sbc_unmap(struct scstu_req *req);
void sbc_sync_cache(struct scstu_req *req);
void sbc_prefetch(struct scstu_req *req);
void sbc_tur(struct scstu_req *req);
void sbc_start_stop(struct scstu_req *req);
void sbc_format_unit(struct scstu_req *req);

/* sbc_pages.c */
int sbc_pages_init(struct scstu_dev *dev);
extern const struct spc_vpd_page sbc_vpd_pages[];
extern const unsigned int sbc_nr_vpd_pages;
uint32_t sbc_max_unmap_blocks(struct sbc_dev *sd);
uint32_t sbc_max_unmap_desc(struct sbc_dev *sd);
uint32_t sbc_max_ws_blocks(struct sbc_dev *sd);
uint32_t sbc_max_caw_blocks(struct scstu_dev *dev);

#endif /* SCSTU_SBC_H */
