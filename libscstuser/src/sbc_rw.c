// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SBC-4 READ(6/10/12/16), WRITE(6/10/12/16), WRITE AND VERIFY(10/16) and
 * VERIFY(10/16). Checks in this order: CDB fields, LBA range (21/00),
 * MAXIMUM TRANSFER LENGTH of the block limits page (24/00 on the length
 * field), write protection, the transfer length rule of sbc.h.
 *
 * WRITE AND VERIFY writes with FUA: once the data is on the medium there
 * is nothing more to verify or compare (BYTCHK 0 and 1 are accepted).
 * VERIFY with BYTCHK 00b only checks the range (the SDK cannot verify a
 * medium better than the handler's read would); 01b reads the blocks and
 * compares them with the data-out buffer, 11b compares every block with
 * the single block sent. A difference gives MISCOMPARE, 1D/00 MISCOMPARE
 * DURING VERIFY OPERATION with the byte offset of the first difference
 * in INFORMATION.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sbc.h"

void sbc_decode(const uint8_t *cdb, uint64_t *lba, uint32_t *nr,
		unsigned int *len_byte)
{
	switch (cdb[0] >> 5) {
	case 0:		/* 6-byte: READ(6), WRITE(6) */
		*lba = get_be24(&cdb[1]) & 0x1fffff;
		*nr = cdb[4] ? cdb[4] : 256;
		*len_byte = 4;
		break;
	case 1:		/* 10-byte */
	case 2:
		*lba = get_be32(&cdb[2]);
		*nr = get_be16(&cdb[7]);
		*len_byte = 7;
		break;
	case 5:		/* 12-byte */
		*lba = get_be32(&cdb[2]);
		*nr = get_be32(&cdb[6]);
		*len_byte = 6;
		break;
	default:	/* 16-byte */
		*lba = get_be64(&cdb[2]);
		*nr = get_be32(&cdb[10]);
		*len_byte = 10;
		break;
	}
}

/* Common checks of a data transfer command; false: sense set. */
static bool rw_prepare(struct scstu_req *req, enum scstu_dir dir,
		       uint64_t *lba, uint32_t *nr)
{
	struct scstu_dev *dev = req->dev;
	unsigned int len_byte;

	sbc_decode(req->cdb, lba, nr, &len_byte);
	if (!sbc_range_ok(req, *lba, *nr))
		return false;
	if (*nr > sbc_max_blocks(dev)) {
		scstu_req_invalid_cdb(req, len_byte, -1);
		return false;
	}
	if (dir == SCSTU_DIR_WRITE && !sbc_writable(req))
		return false;
	return sbc_xfer_ok(req, (uint64_t)*nr << sbc_of(dev)->shift, dir,
			   len_byte);
}

void sbc_read(struct scstu_req *req)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	uint64_t lba;
	uint32_t nr;

	if (!rw_prepare(req, SCSTU_DIR_READ, &lba, &nr))
		return;
	if (!nr) {
		sbc_finish(req, 0);
		return;
	}
	sbc_result(req, sd->ops.read(req, lba, nr, req->data));
}

void sbc_write(struct scstu_req *req)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	const uint8_t *cdb = req->cdb;
	bool verify = cdb[0] == 0x2e || cdb[0] == 0x8e;
	bool fua = verify || (cdb[1] & 0x08);
	uint64_t lba;
	uint32_t nr;

	/* WRITE AND VERIFY: BYTCHK 10b is reserved, 11b not defined */
	if (verify && (cdb[1] & 0x04)) {
		scstu_req_invalid_cdb(req, 1, 2);
		return;
	}
	if (!rw_prepare(req, SCSTU_DIR_WRITE, &lba, &nr))
		return;
	if (!nr) {
		sbc_finish(req, 0);
		return;
	}
	sbc_result(req, sd->ops.write(req, lba, nr, req->data,
				      sbc_write_flags(req, fua)));
}

/* Byte offset of the first difference, or -1. */
static int64_t first_diff(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t i;

	if (!memcmp(a, b, len))
		return -1;
	for (i = 0; a[i] == b[i]; i++)
		;
	return (int64_t)i;
}

static void verify_done(struct scstu_req *req, int result)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	uint8_t *blocks = req->class_ptr;
	const uint8_t *data = req->data;
	uint32_t nr = (uint32_t)req->class_u64[SBC_U_LEFT];
	bool single = ((req->cdb[1] >> 1) & 3) == 3;
	int64_t off = -1;
	uint32_t i;

	req->class_ptr = NULL;
	if (!result && !single) {
		off = first_diff(blocks, data, (size_t)nr << sd->shift);
	} else if (!result) {
		for (i = 0; i < nr && off < 0; i++) {
			off = first_diff(blocks + ((size_t)i << sd->shift),
					 data, sd->block_size);
			if (off >= 0)
				off += (int64_t)i << sd->shift;
		}
	}
	free(blocks);
	if (off >= 0) {
		struct scstu_sense s = {
			.key = SCSTU_MISCOMPARE, .asc = 0x1d,
			.flags = SCSTU_SENSE_INFO, .info = (uint64_t)off,
		};

		scstu_req_check_sense(req, &s,
				      (uint32_t)req->class_u64[SBC_U_RESID]);
		return;
	}
	sbc_finish(req, result);
}

void sbc_verify(struct scstu_req *req)
{
	struct scstu_dev *dev = req->dev;
	struct sbc_dev *sd = sbc_of(dev);
	uint8_t bytchk = (req->cdb[1] >> 1) & 3;
	unsigned int len_byte;
	uint64_t lba, bytes;
	uint32_t nr;
	void *blocks;

	if (bytchk == 2) {		/* reserved */
		scstu_req_invalid_cdb(req, 1, 2);
		return;
	}
	sbc_decode(req->cdb, &lba, &nr, &len_byte);
	if (!sbc_range_ok(req, lba, nr))
		return;
	if (bytchk && nr > sbc_max_blocks(dev)) {
		scstu_req_invalid_cdb(req, len_byte, -1);
		return;
	}
	bytes = !bytchk || !nr ? 0 :
		bytchk == 3 ? sd->block_size : (uint64_t)nr << sd->shift;
	if (!sbc_xfer_ok(req, bytes, SCSTU_DIR_WRITE, len_byte))
		return;
	if (!bytes) {
		sbc_finish(req, 0);
		return;
	}
	blocks = malloc((size_t)nr << sd->shift);
	if (!blocks) {
		sbc_finish(req, -ENOMEM);
		return;
	}
	req->class_ptr = blocks;
	req->class_u64[SBC_U_LEFT] = nr;
	req->cont = verify_done;
	sbc_result(req, sd->ops.read(req, lba, nr, blocks));
}
