// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SBC-4 commands without a data transfer to the medium: READ CAPACITY
 * (10/16), GET LBA STATUS, UNMAP, SYNCHRONIZE CACHE(10/16), PRE-FETCH
 * (10/16), TEST UNIT READY, START STOP UNIT, FORMAT UNIT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sbc.h"

#define GLS_MAX_DESC	128

void sbc_tur(struct scstu_req *req)
{
	scstu_req_done(req);
}

/*
 * START STOP UNIT: the medium is not removable and there are no power
 * conditions; START/STOP (IMMED, NO_FLUSH) changes nothing, LOEJ and a
 * power condition are refused.
 */
void sbc_start_stop(struct scstu_req *req)
{
	const uint8_t *cdb = req->cdb;

	if (cdb[4] & 0xf0)
		scstu_req_invalid_cdb(req, 4, 7);
	else if (cdb[3] & 0x0f)
		scstu_req_invalid_cdb(req, 3, 3);
	else if (cdb[4] & 0x02)
		scstu_req_invalid_cdb(req, 4, 1);
	else
		scstu_req_done(req);
}

/* FORMAT UNIT without a parameter list: the medium stays as it is. */
void sbc_format_unit(struct scstu_req *req)
{
	if (sbc_writable(req))
		scstu_req_done(req);
}

void sbc_read_capacity(struct scstu_req *req)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	const uint8_t *cdb = req->cdb;
	uint64_t last = atomic_load(&sd->nr_blocks) - 1;
	uint8_t buf[8];

	/* PMI = 0 needs LOGICAL BLOCK ADDRESS = 0 */
	if (!(cdb[8] & 0x01) && get_be32(&cdb[2])) {
		scstu_req_invalid_cdb(req, 2, -1);
		return;
	}
	put_be32(last > 0xffffffff ? 0xffffffff : (uint32_t)last, &buf[0]);
	put_be32(sd->block_size, &buf[4]);
	scstu_req_reply(req, buf, sizeof(buf));
}

void sbc_read_capacity16(struct scstu_req *req)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	const uint8_t *cdb = req->cdb;
	uint32_t alloc = get_be32(&cdb[10]);
	uint8_t buf[32] = { 0 };

	if (!(cdb[14] & 0x01) && get_be64(&cdb[2])) {
		scstu_req_invalid_cdb(req, 2, -1);
		return;
	}
	put_be64(atomic_load(&sd->nr_blocks) - 1, &buf[0]);
	put_be32(sd->block_size, &buf[8]);
	buf[13] = sd->cfg.phys_block_exp;
	if (sd->ops.unmap)
		buf[14] = 0x80;			/* LBPME; LBPRZ 0 */
	scstu_req_reply(req, buf, alloc < sizeof(buf) ? alloc : sizeof(buf));
}

/*
 * GET LBA STATUS: descriptors from the starting LBA on, one per run of
 * blocks in one provisioning state, as many as the allocation length
 * holds (at most GLS_MAX_DESC).
 */
void sbc_get_lba_status(struct scstu_req *req)
{
	struct scstu_dev *dev = req->dev;
	struct sbc_dev *sd = sbc_of(dev);
	const uint8_t *cdb = req->cdb;
	uint64_t lba = get_be64(&cdb[2]);
	uint64_t cap = atomic_load(&sd->nr_blocks);
	uint32_t alloc = get_be32(&cdb[10]), max, n = 0;
	uint8_t *buf;
	int ret = 0;

	if (lba >= cap) {
		scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x21, 0x00);
		return;
	}
	max = alloc > 24 ? (alloc - 8) / 16 : 1;
	if (max > GLS_MAX_DESC)
		max = GLS_MAX_DESC;
	buf = calloc(1, 8 + 16 * max);
	if (!buf) {
		sbc_finish(req, -ENOMEM);
		return;
	}
	while (n < max && lba < cap) {
		enum scstu_map_state st = SCSTU_MAPPED;
		uint64_t len = 0;
		uint8_t *d;

		ret = sd->ops.map_status(dev, lba, &len, &st);
		if (ret)
			break;
		if (!len || len > cap - lba)
			len = cap - lba;
		d = n ? &buf[8 + 16 * (n - 1)] : NULL;
		/* merge with the previous run if it is the same state */
		if (d && (d[12] & 0x0f) == st &&
		    get_be32(&d[8]) + len <= 0xffffffff) {
			put_be32((uint32_t)(get_be32(&d[8]) + len), &d[8]);
		} else {
			d = &buf[8 + 16 * n++];
			if (len > 0xffffffff)
				len = 0xffffffff;
			put_be64(lba, &d[0]);
			put_be32((uint32_t)len, &d[8]);
			d[12] = (uint8_t)st & 0x0f;
		}
		lba += len;
	}
	if (ret) {
		free(buf);
		sbc_finish(req, ret);
		return;
	}
	put_be32(4 + 16 * n, &buf[0]);
	scstu_req_reply(req, buf, 8 + 16 * n < alloc ? 8 + 16 * n : alloc);
	free(buf);
}

static void unmap_done(struct scstu_req *req, int result)
{
	free(req->class_ptr);
	req->class_ptr = NULL;
	sbc_finish(req, result);
}

/*
 * UNMAP parameter list (SBC-4 5.32.2): an 8-byte header (UNMAP DATA
 * LENGTH, UNMAP BLOCK DESCRIPTOR DATA LENGTH) then 16-byte descriptors.
 * Length 0: nothing to do; 1..7: 1A/00. Descriptors beyond the list,
 * partial ones and those of 0 blocks are ignored. More descriptors than
 * the block limits page allows, or more blocks in total: 26/00.
 */
void sbc_unmap(struct scstu_req *req)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	const uint8_t *cdb = req->cdb, *p = req->data;
	uint32_t plen = get_be16(&cdb[7]), bddl, nd, i, n = 0;
	uint64_t total = 0;
	struct scstu_extent *ext;

	if (cdb[1] & 0x01) {		/* ANCHOR: no anchored state */
		scstu_req_invalid_cdb(req, 1, 0);
		return;
	}
	if (!sbc_writable(req))
		return;
	if (!plen) {
		scstu_req_done(req);
		return;
	}
	if (plen < 8) {
		scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
		return;
	}
	if (!sbc_xfer_ok(req, plen, SCSTU_DIR_WRITE, 7))
		return;
	bddl = get_be16(&p[2]);
	nd = (bddl < plen - 8 ? bddl : plen - 8) / 16;
	if (nd > sbc_max_unmap_desc(sd)) {
		scstu_req_invalid_param(req, 2, -1);
		return;
	}
	ext = calloc(nd ? nd : 1, sizeof(*ext));
	if (!ext) {
		sbc_finish(req, -ENOMEM);
		return;
	}
	for (i = 0; i < nd; i++) {
		const uint8_t *d = &p[8 + 16 * i];
		uint64_t lba = get_be64(d);
		uint32_t nr = get_be32(&d[8]);

		if (!nr)
			continue;
		total += nr;
		if (total > sbc_max_unmap_blocks(sd)) {
			free(ext);
			scstu_req_invalid_param(req, 8 + 16 * i + 8, -1);
			return;
		}
		if (!sbc_range_ok(req, lba, nr)) {
			free(ext);
			return;
		}
		ext[n].lba = lba;
		ext[n].nr_blocks = nr;
		n++;
	}
	if (!n) {
		free(ext);
		sbc_finish(req, 0);
		return;
	}
	req->class_ptr = ext;
	req->cont = unmap_done;
	sbc_result(req, sd->ops.unmap(req, ext, n));
}

/* SYNCHRONIZE CACHE(10/16): NUMBER OF LOGICAL BLOCKS 0 is "to the end". */
void sbc_sync_cache(struct scstu_req *req)
{
	struct sbc_dev *sd = sbc_of(req->dev);
	unsigned int len_byte;
	uint64_t lba;
	uint32_t nr;

	sbc_decode(req->cdb, &lba, &nr, &len_byte);
	if (!sbc_range_ok(req, lba, nr))
		return;
	req->class_u64[SBC_U_RESID] = req->xfer_len;
	req->class_u64[SBC_U_WRITE] = 1;
	if (!sd->ops.flush) {
		sbc_finish(req, 0);
		return;
	}
	sbc_result(req, sd->ops.flush(req));
}

/* PRE-FETCH(10/16): there is no cache to load: GOOD after range checks. */
void sbc_prefetch(struct scstu_req *req)
{
	unsigned int len_byte;
	uint64_t lba;
	uint32_t nr;

	sbc_decode(req->cdb, &lba, &nr, &len_byte);
	if (sbc_range_ok(req, lba, nr))
		scstu_req_done(req);
}
