// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SBC-4 WRITE SAME(10/16) and COMPARE AND WRITE.
 *
 * WRITE SAME: NUMBER OF LOGICAL BLOCKS 0 is refused (WSNZ = 1 in the
 * block limits page), as is more than MAXIMUM WRITE SAME LENGTH and the
 * ANCHOR bit (no anchored state). NDOB (16 only) means a block of zeros
 * and no data-out. With ->write_same the handler gets the whole range;
 * otherwise an all-zero block with UNMAP set goes to ->unmap when there
 * is one (LBPRZ is 0: unmapped blocks may read anything), and everything
 * else is written through ->write in chunks of up to 1 MiB.
 *
 * COMPARE AND WRITE: the data-out buffer holds the verify blocks then
 * the write blocks. Without ->compare_and_write the SDK reads, compares
 * and writes, one such command at a time per device (others queue). A
 * difference gives MISCOMPARE, 1D/00 with the offset of the first
 * differing byte in INFORMATION.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sbc.h"

#define WS_CHUNK	(1U << 20)

static const uint8_t zero_block[4096];

static void miscompare(struct scstu_req *req, uint64_t off)
{
	struct scstu_sense s = {
		.key = SCSTU_MISCOMPARE, .asc = 0x1d,
		.flags = SCSTU_SENSE_INFO, .info = off,
	};

	scstu_req_check_sense(req, &s, 0);
}

static void free_finish(struct scstu_req *req, int result)
{
	free(req->class_ptr);
	req->class_ptr = NULL;
	sbc_finish(req, result);
}

/* Write chunks of the pattern buffer until done or asynchronous. */
static void ws_step(struct scstu_req *req);

static void ws_cont(struct scstu_req *req, int result)
{
	uint64_t n = req->class_u64[SBC_U_LEFT];
	uint32_t chunk = WS_CHUNK >> sbc_of(req->dev)->shift;

	if (result) {
		free_finish(req, result);
		return;
	}
	n = n < chunk ? n : chunk;
	req->class_u64[SBC_U_LBA] += n;
	req->class_u64[SBC_U_LEFT] -= n;
	ws_step(req);
}

static void ws_step(struct scstu_req *req)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	uint32_t chunk = WS_CHUNK >> sd->shift;
	int ret;

	while (req->class_u64[SBC_U_LEFT]) {
		uint64_t left = req->class_u64[SBC_U_LEFT];
		uint32_t n = left < chunk ? (uint32_t)left : chunk;

		req->cont = ws_cont;
		ret = sd->ops.write(req, req->class_u64[SBC_U_LBA], n,
				    req->class_ptr, sbc_write_flags(req, false));
		if (ret == SCSTU_ASYNC)
			return;
		req->cont = NULL;
		if (ret) {
			free_finish(req, ret);
			return;
		}
		req->class_u64[SBC_U_LBA] += n;
		req->class_u64[SBC_U_LEFT] -= n;
	}
	free_finish(req, 0);
}

static void ws_emulate(struct scstu_req *req, uint64_t lba, uint64_t nr,
		       const uint8_t *block)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	uint64_t chunk = WS_CHUNK >> sd->shift, i;
	uint8_t *buf;

	chunk = nr < chunk ? nr : chunk;
	buf = malloc(chunk << sd->shift);
	if (!buf) {
		sbc_finish(req, -ENOMEM);
		return;
	}
	for (i = 0; i < chunk; i++)
		memcpy(buf + (i << sd->shift), block, sd->block_size);
	req->class_ptr = buf;
	req->class_u64[SBC_U_LBA] = lba;
	req->class_u64[SBC_U_LEFT] = nr;
	ws_step(req);
}

static void ws_unmap(struct scstu_req *req, uint64_t lba, uint64_t nr)
{
	struct scstu_extent *ext = malloc(sizeof(*ext));

	if (!ext) {
		sbc_finish(req, -ENOMEM);
		return;
	}
	ext->lba = lba;
	ext->nr_blocks = nr;
	req->class_ptr = ext;
	req->cont = free_finish;
	sbc_result(req, sbc_of(req->dev)->ops.unmap(req, ext, 1));
}

void sbc_write_same(struct scstu_req *req)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	const uint8_t *cdb = req->cdb;
	bool ten = cdb[0] == 0x41, unmap = cdb[1] & 0x08;
	bool ndob = !ten && (cdb[1] & 0x01);
	unsigned int len_byte = ten ? 7 : 10;
	const uint8_t *block;
	uint64_t lba = ten ? get_be32(&cdb[2]) : get_be64(&cdb[2]);
	uint32_t nr = ten ? get_be16(&cdb[7]) : get_be32(&cdb[10]);

	if (!nr || nr > sbc_max_ws_blocks(sd)) {
		scstu_req_invalid_cdb(req, len_byte, -1);
		return;
	}
	if (!sbc_range_ok(req, lba, nr) || !sbc_writable(req) ||
	    !sbc_xfer_ok(req, ndob ? 0 : sd->block_size, SCSTU_DIR_WRITE,
			 len_byte))
		return;
	block = ndob ? zero_block : req->data;
	if (sd->ops.write_same) {
		unsigned int flags = sbc_write_flags(req, false);

		if (unmap)
			flags |= SCSTU_DISK_WS_UNMAP;
		sbc_result(req, sd->ops.write_same(req, lba, nr, block,
						   flags));
	} else if (unmap && sd->ops.unmap &&
		   !memcmp(block, zero_block, sd->block_size)) {
		ws_unmap(req, lba, nr);
	} else {
		ws_emulate(req, lba, nr, block);
	}
}

/* --- COMPARE AND WRITE -------------------------------------------- */

static void caw_start(struct scstu_req *req);

/* Let the next queued COMPARE AND WRITE run. */
static void caw_release(struct sbc_dev *sd)
{
	struct scstu_req *next;

	pthread_mutex_lock(&sd->caw_lock);
	next = sd->caw_head;
	if (next) {
		sd->caw_head = next->class_ptr;
		if (!sd->caw_head)
			sd->caw_tail = NULL;
		next->class_ptr = NULL;
	} else {
		sd->caw_busy = false;
	}
	pthread_mutex_unlock(&sd->caw_lock);
	if (next)
		caw_start(next);
}

static void caw_end(struct scstu_req *req, int result, int64_t off)
{
	struct sbc_dev *sd = sbc_of(req->dev);

	free(req->class_ptr);
	req->class_ptr = NULL;
	if (off >= 0)
		miscompare(req, (uint64_t)off);
	else
		sbc_finish(req, result);
	/* req may be gone now */
	caw_release(sd);
}

static void caw_written(struct scstu_req *req, int result)
{
	caw_end(req, result, -1);
}

static void caw_read(struct scstu_req *req, int result)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	uint32_t nr = (uint32_t)req->class_u64[SBC_U_LEFT];
	size_t len = (size_t)nr << sd->shift;
	const uint8_t *data = req->data;
	const uint8_t *cur = req->class_ptr;
	size_t i;

	if (result) {
		caw_end(req, result, -1);
		return;
	}
	if (memcmp(cur, data, len)) {
		for (i = 0; cur[i] == data[i]; i++)
			;
		caw_end(req, 0, (int64_t)i);
		return;
	}
	req->cont = caw_written;
	sbc_result(req, sd->ops.write(req, req->class_u64[SBC_U_LBA], nr,
				      data + len,
				      sbc_write_flags(req,
						      req->cdb[1] & 0x08)));
}

static void caw_start(struct scstu_req *req)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	uint32_t nr = (uint32_t)req->class_u64[SBC_U_LEFT];
	void *cur = malloc((size_t)nr << sd->shift);

	if (!cur) {
		caw_end(req, -ENOMEM, -1);
		return;
	}
	req->class_ptr = cur;
	req->cont = caw_read;
	sbc_result(req, sd->ops.read(req, req->class_u64[SBC_U_LBA], nr,
				     cur));
}

static void caw_handler_done(struct scstu_req *req, int result)
{
	uint32_t *off = req->class_ptr;
	uint32_t v = off ? *off : 0;

	free(off);
	req->class_ptr = NULL;
	if (result == -EILSEQ)
		miscompare(req, v);
	else
		sbc_finish(req, result);
}

void sbc_compare_and_write(struct scstu_req *req)
{
	struct scstu_dev *dev = req->dev;
	struct sbc_dev *sd = sbc_of(dev);
	uint64_t lba = get_be64(&req->cdb[2]);
	uint32_t nr = req->cdb[13], *off;
	bool busy;

	if (nr > sbc_max_caw_blocks(dev)) {
		scstu_req_invalid_cdb(req, 13, -1);
		return;
	}
	if (!sbc_range_ok(req, lba, nr) || !sbc_writable(req) ||
	    !sbc_xfer_ok(req, 2 * ((uint64_t)nr << sd->shift),
			 SCSTU_DIR_WRITE, 13))
		return;
	if (!nr) {
		sbc_finish(req, 0);
		return;
	}
	if (sd->ops.compare_and_write) {
		off = calloc(1, sizeof(*off));
		if (!off) {
			sbc_finish(req, -ENOMEM);
			return;
		}
		req->class_ptr = off;
		req->cont = caw_handler_done;
		sbc_result(req, sd->ops.compare_and_write(req, lba, nr,
			req->data, (uint8_t *)req->data + ((size_t)nr << sd->shift),
			off));
		return;
	}
	req->class_u64[SBC_U_LBA] = lba;
	req->class_u64[SBC_U_LEFT] = nr;
	pthread_mutex_lock(&sd->caw_lock);
	busy = sd->caw_busy;
	if (busy) {
		req->class_ptr = NULL;
		if (sd->caw_tail)
			sd->caw_tail->class_ptr = req;
		else
			sd->caw_head = req;
		sd->caw_tail = req;
	}
	sd->caw_busy = true;
	pthread_mutex_unlock(&sd->caw_lock);
	if (!busy)
		caw_start(req);
}
