// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SSC-4 READ(6), WRITE(6) and WRITE FILEMARKS(6).
 *
 * Variable block mode (FIXED = 0): one logical block of TRANSFER LENGTH
 * bytes. Fixed mode (FIXED = 1): TRANSFER LENGTH blocks of the block
 * descriptor's BLOCK LENGTH (FIXED with block length 0 is refused).
 *
 * READ conditions (SSC-4 4.2.22, READ(6)), INFORMATION = residue:
 *  - incorrect length: NO SENSE, ILI, 00/00; variable mode: requested
 *    minus actual length (negative for an overlength block, whose data
 *    is truncated), fixed mode: blocks not read, the incorrect block
 *    not counted; the position is after the block. SILI suppresses it
 *    for an underlength block, and for an overlength one while the
 *    block descriptor's BLOCK LENGTH is 0.
 *  - filemark: NO SENSE, FILEMARK, 00/01 FILEMARK DETECTED, position
 *    after the filemark;
 *  - end of data: BLANK CHECK, 00/05 END-OF-DATA DETECTED, position at
 *    EOD;
 *  - unreadable block: MEDIUM ERROR 11/00 (or the medium error table
 *    of ssc.c), position after the block so the rest stays readable.
 * WRITE: a write in the early warning zone succeeds and reports NO
 * SENSE, EOM, 00/02 with INFORMATION 0; a write that does not fit gets
 * VOLUME OVERFLOW, EOM, 00/02 with INFORMATION = what was not written.
 *
 * Transfer length rule as in the disk class (sbc.h): an expected length
 * shorter than what the command moves, or the wrong direction, is
 * refused with 24/00 pointing at TRANSFER LENGTH.
 */
#include <errno.h>
#include "ssc.h"

static bool xfer_ok(struct scstu_req *req, uint64_t bytes,
		    enum scstu_dir dir)
{
	if (bytes && (req->dir != dir || req->xfer_len < bytes)) {
		scstu_req_invalid_cdb(req, 2, -1);
		return false;
	}
	return true;
}

static void count_read(struct ssc_drive *d, uint32_t got, uint32_t stored)
{
	d->cnt.blocks_read++;
	d->cnt.bytes_read += got;
	d->cnt.bytes_retrieved += stored;
	d->total.blocks_read++;
	d->total.bytes_read += got;
	d->total.bytes_retrieved += stored;
}

static void count_write(struct ssc_drive *d, uint32_t len, uint32_t stored)
{
	d->cnt.blocks_written++;
	d->cnt.bytes_written += len;
	d->cnt.bytes_stored += stored;
	d->total.blocks_written++;
	d->total.bytes_written += len;
	d->total.bytes_stored += stored;
}

/* After an error reading the object at the position: step over it. */
static void skip_bad(struct ssc_drive *d)
{
	if (d->obj < d->mops->eod(d->medium, d->part))
		d->obj++;
}

/*
 * Read the object at the position into buf (max bytes); false if the
 * command ended (sense set, *o not a block). info: residue so far.
 */
static bool read_one(struct scstu_req *req, void *buf, uint32_t max,
		     struct scstu_tape_obj *o, int64_t info, uint32_t resid)
{
	struct ssc_drive *d = ssc_of(req->dev);
	int ret;

	ret = d->mops->read(d->medium, d->part, d->obj, buf, max,
			    ssc_crypto_rkey(d, req->session), o);
	if (ret < 0) {
		skip_bad(d);
		ssc_medium_error_info(req, ret, false, info, resid);
		return false;
	}
	switch (o->type) {
	case SCSTU_TAPE_EOD:	/* END-OF-DATA DETECTED */
		ssc_check(req, SCSTU_BLANK_CHECK, 0x00, 0x05,
			  SCSTU_SENSE_INFO, info, resid);
		return false;
	case SCSTU_TAPE_FILEMARK:	/* FILEMARK DETECTED */
		d->obj++;
		ssc_check(req, SCSTU_NO_SENSE, 0x00, 0x01,
			  SCSTU_SENSE_INFO | SCSTU_SENSE_FILEMARK, info, resid);
		return false;
	default:
		d->obj++;
		count_read(d, o->len < max ? o->len : max, o->stored);
		return true;
	}
}

static void read_variable(struct scstu_req *req, uint32_t n, bool sili)
{
	struct ssc_drive *d = ssc_of(req->dev);
	struct scstu_tape_obj o = { 0 };
	uint32_t got;
	bool ili;

	if (!read_one(req, req->data, n, &o, n, req->xfer_len))
		return;
	got = o.len < n ? o.len : n;
	if (o.len < n)
		ili = !sili;
	else
		ili = o.len > n && (!sili || d->block_len);
	if (ili)
		ssc_check(req, SCSTU_NO_SENSE, 0x00, 0x00,
			  SCSTU_SENSE_INFO | SCSTU_SENSE_ILI,
			  (int64_t)n - (int64_t)o.len, req->xfer_len - got);
	else
		scstu_req_complete(req, SCSTU_GOOD, req->xfer_len - got);
}

static void read_fixed(struct scstu_req *req, uint32_t n)
{
	struct ssc_drive *d = ssc_of(req->dev);
	uint32_t bl = d->block_len, i;
	uint8_t *p = req->data;
	struct scstu_tape_obj o;

	for (i = 0; i < n; i++) {
		uint32_t resid = req->xfer_len - i * bl;

		o = (struct scstu_tape_obj){ 0 };
		if (!read_one(req, p + (size_t)i * bl, bl, &o, n - i, resid))
			return;
		if (o.len != bl) {
			ssc_check(req, SCSTU_NO_SENSE, 0x00, 0x00,
				  SCSTU_SENSE_INFO | SCSTU_SENSE_ILI, n - i,
				  resid);
			return;
		}
	}
	scstu_req_complete(req, SCSTU_GOOD, req->xfer_len - n * bl);
}

void ssc_read6(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	const uint8_t *cdb = req->cdb;
	bool fixed = cdb[1] & 0x01, sili = cdb[1] & 0x02;
	uint32_t n = get_be24(&cdb[2]);
	uint64_t bytes;

	if (fixed && sili) {
		scstu_req_invalid_cdb(req, 1, 1);
		return;
	}
	if (fixed && !d->block_len) {
		scstu_req_invalid_cdb(req, 1, 0);
		return;
	}
	bytes = fixed ? (uint64_t)n * d->block_len : n;
	if (!xfer_ok(req, bytes, SCSTU_DIR_READ) || !ssc_ready(req))
		return;
	if (!n) {
		scstu_req_complete(req, SCSTU_GOOD, req->xfer_len);
		return;
	}
	if (fixed)
		read_fixed(req, n);
	else
		read_variable(req, n, sili);
}

/* One block at the position; false if the command ended (sense set). */
static bool write_one(struct scstu_req *req, const void *buf, uint32_t len,
		      int64_t info, uint32_t resid)
{
	struct ssc_drive *d = ssc_of(req->dev);
	struct scstu_tape_wopts w = {
		.compress = d->compress,
		.key = ssc_crypto_wkey(d, req->session),
	};
	int ret;

	ret = d->mops->write(d->medium, d->part, d->obj, buf, len, &w);
	if (ret < 0) {
		ssc_medium_error_info(req, ret, true, info, resid);
		return false;
	}
	d->obj++;
	d->dirty = true;
	count_write(d, len, (uint32_t)ret);
	return true;
}

/* Complete a write that did all it had to, with early warning. */
static void write_done(struct scstu_req *req, uint32_t resid)
{
	if (ssc_in_ew(ssc_of(req->dev)))
		/* END-OF-PARTITION/MEDIUM DETECTED */
		ssc_check(req, SCSTU_NO_SENSE, 0x00, 0x02,
			  SCSTU_SENSE_INFO | SCSTU_SENSE_EOM, 0, resid);
	else
		scstu_req_complete(req, SCSTU_GOOD, resid);
}

void ssc_write6(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	const uint8_t *cdb = req->cdb;
	bool fixed = cdb[1] & 0x01;
	uint32_t n = get_be24(&cdb[2]), bl = d->block_len, i;
	const uint8_t *p = req->data;
	uint64_t bytes;

	if (fixed && !bl) {
		scstu_req_invalid_cdb(req, 1, 0);
		return;
	}
	if (!fixed && n > d->max_block) {
		scstu_req_invalid_cdb(req, 2, -1);
		return;
	}
	bytes = fixed ? (uint64_t)n * bl : n;
	if (!xfer_ok(req, bytes, SCSTU_DIR_WRITE) || !ssc_ready(req))
		return;
	if (!n) {
		scstu_req_complete(req, SCSTU_GOOD, req->xfer_len);
		return;
	}
	if (!ssc_writable(req))
		return;
	if (!fixed) {
		if (write_one(req, p, n, n, req->xfer_len))
			write_done(req, req->xfer_len - n);
		return;
	}
	for (i = 0; i < n; i++)
		if (!write_one(req, p + (size_t)i * bl, bl, n - i,
			       req->xfer_len - i * bl))
			return;
	write_done(req, req->xfer_len - n * bl);
}

void ssc_write_filemarks(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	bool immed = req->cdb[1] & 0x01;
	uint32_t n = get_be24(&req->cdb[2]);
	int ret;

	if (!ssc_ready(req))
		return;
	if (n) {
		if (!ssc_writable(req))
			return;
		ret = d->mops->write_filemarks(d->medium, d->part, d->obj, n);
		if (ret < 0) {
			ssc_medium_error_info(req, ret, true, n, 0);
			return;
		}
		d->obj += n;
		d->dirty = true;
		d->cnt.filemarks_written += n;
		d->total.filemarks_written += n;
	}
	/* IMMED: return before the data reaches the medium */
	if (!immed) {
		ret = ssc_sync(d);
		if (ret) {
			ssc_medium_error(req, ret, true);
			return;
		}
	}
	if (n)
		write_done(req, 0);
	else
		scstu_req_done(req);
}
