// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SSC-4 positioning and medium handling: SPACE(6/16), LOCATE(10/16),
 * READ POSITION, REWIND, ERASE, LOAD UNLOAD, FORMAT MEDIUM, PREVENT
 * ALLOW MEDIUM REMOVAL.
 *
 * SPACE stops at a filemark (spacing over blocks: NO SENSE, FILEMARK,
 * 00/01; forward on its EOM side, backward on its BOP side), at EOD
 * (BLANK CHECK 00/05, at EOD) and at BOP (NO SENSE, EOM, 00/04, at
 * BOP). INFORMATION is the count not spaced, as a magnitude in both
 * directions (what Linux st and the LTO drives use).
 *
 * Positioning syncs what was written first (REWIND, LOCATE, UNLOAD).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ssc.h"

#define SPACE_BLOCKS	0
#define SPACE_FMKS	1
#define SPACE_EOD	3

static uint64_t fm_before(struct ssc_drive *d, uint64_t obj)
{
	return d->mops->filemarks_before(d->medium, d->part, obj);
}

static void space_blocks(struct scstu_req *req, int64_t count)
{
	struct ssc_drive *d = ssc_of(req->dev);
	uint64_t eod = d->mops->eod(d->medium, d->part), fm, n;
	int ret;

	if (count > 0) {
		n = (uint64_t)count;
		ret = d->mops->find_filemark(d->medium, d->part, d->obj, 1, 1,
					     &fm);
		if (ret && ret != -ENOENT)
			goto err;
		if (!ret && fm - d->obj < n && fm < eod) {
			n -= fm - d->obj;
			d->obj = fm + 1;
			ssc_check(req, SCSTU_NO_SENSE, 0x00, 0x01,
				  SCSTU_SENSE_INFO | SCSTU_SENSE_FILEMARK, n,
				  0);
			return;
		}
		if (eod - d->obj < n) {
			n -= eod - d->obj;
			d->obj = eod;
			ssc_check(req, SCSTU_BLANK_CHECK, 0x00, 0x05,
				  SCSTU_SENSE_INFO, n, 0);
			return;
		}
		d->obj += n;
	} else {
		n = -(uint64_t)count;
		ret = d->mops->find_filemark(d->medium, d->part, d->obj, -1, 1,
					     &fm);
		if (ret && ret != -ENOENT)
			goto err;
		if (!ret && d->obj - fm <= n) {
			n -= d->obj - fm - 1;
			d->obj = fm;
			ssc_check(req, SCSTU_NO_SENSE, 0x00, 0x01,
				  SCSTU_SENSE_INFO | SCSTU_SENSE_FILEMARK, n,
				  0);
			return;
		}
		if (d->obj < n) {
			n -= d->obj;
			d->obj = 0;
			/* BEGINNING-OF-PARTITION/MEDIUM DETECTED */
			ssc_check(req, SCSTU_NO_SENSE, 0x00, 0x04,
				  SCSTU_SENSE_INFO | SCSTU_SENSE_EOM, n, 0);
			return;
		}
		d->obj -= n;
	}
	scstu_req_done(req);
	return;
err:
	ssc_medium_error(req, ret, false);
}

static void space_filemarks(struct scstu_req *req, int64_t count)
{
	struct ssc_drive *d = ssc_of(req->dev);
	uint64_t eod = d->mops->eod(d->medium, d->part), pos, n, have;
	int dir = count > 0 ? 1 : -1;
	int ret;

	n = count > 0 ? (uint64_t)count : -(uint64_t)count;
	ret = d->mops->find_filemark(d->medium, d->part, d->obj, dir, n,
				     &pos);
	if (!ret) {
		/* forward: after it; backward: on its BOP side */
		d->obj = dir > 0 ? pos + 1 : pos;
		scstu_req_done(req);
		return;
	}
	if (ret != -ENOENT) {
		ssc_medium_error(req, ret, false);
		return;
	}
	if (dir > 0) {
		have = fm_before(d, eod) - fm_before(d, d->obj);
		d->obj = eod;
		ssc_check(req, SCSTU_BLANK_CHECK, 0x00, 0x05,
			  SCSTU_SENSE_INFO, n - have, 0);
	} else {
		have = fm_before(d, d->obj);
		d->obj = 0;
		ssc_check(req, SCSTU_NO_SENSE, 0x00, 0x04,
			  SCSTU_SENSE_INFO | SCSTU_SENSE_EOM, n - have, 0);
	}
}

static void space(struct scstu_req *req, unsigned int code, int64_t count)
{
	struct ssc_drive *d = ssc_of(req->dev);

	if (code != SPACE_BLOCKS && code != SPACE_FMKS && code != SPACE_EOD) {
		/* setmarks and sequential filemarks: not on LTO */
		scstu_req_invalid_cdb(req, 1, 3);
		return;
	}
	if (!ssc_ready(req))
		return;
	if (code == SPACE_EOD) {
		d->obj = d->mops->eod(d->medium, d->part);
		scstu_req_done(req);
	} else if (!count) {
		scstu_req_done(req);
	} else if (code == SPACE_BLOCKS) {
		space_blocks(req, count);
	} else {
		space_filemarks(req, count);
	}
}

void ssc_space6(struct scstu_req *req)
{
	uint32_t c = get_be24(&req->cdb[2]);

	/* 24-bit two's complement */
	space(req, req->cdb[1] & 0x0f,
	      c & 0x800000 ? (int64_t)c - 0x1000000 : (int64_t)c);
}

void ssc_space16(struct scstu_req *req)
{
	space(req, req->cdb[1] & 0x0f, (int64_t)get_be64(&req->cdb[4]));
}

#define DEST_OBJECT	0
#define DEST_FILE	1
#define DEST_EOD	3

static void locate(struct scstu_req *req, bool cp, unsigned int part,
		   unsigned int part_byte, unsigned int dest, uint64_t target)
{
	struct ssc_drive *d = ssc_of(req->dev);
	uint64_t eod, pos;
	int ret;

	if (!ssc_ready(req))
		return;
	if (cp && part >= d->mops->nr_partitions(d->medium)) {
		scstu_req_invalid_cdb(req, part_byte, -1);
		return;
	}
	ret = ssc_sync(d);
	if (ret) {
		ssc_medium_error(req, ret, true);
		return;
	}
	if (!cp)
		part = d->part;
	eod = d->mops->eod(d->medium, part);
	switch (dest) {
	case DEST_EOD:
		pos = eod;
		break;
	case DEST_FILE:
		/* file n begins after the n-th filemark */
		pos = 0;
		if (!target)
			break;
		ret = d->mops->find_filemark(d->medium, part, 0, 1, target,
					     &pos);
		if (ret == -ENOENT) {
			pos = eod + 1;
		} else if (ret) {
			ssc_medium_error(req, ret, false);
			return;
		} else {
			pos++;
		}
		break;
	default:
		pos = target;
		break;
	}
	if (pos > eod) {
		ssc_set_pos(d, part, eod);
		/* END-OF-DATA DETECTED */
		ssc_check(req, SCSTU_BLANK_CHECK, 0x00, 0x05, 0, 0, 0);
		return;
	}
	ssc_set_pos(d, part, pos);
	scstu_req_done(req);
}

void ssc_locate10(struct scstu_req *req)
{
	const uint8_t *cdb = req->cdb;

	/* BT: the block address is the logical object identifier here */
	locate(req, cdb[1] & 0x02, cdb[8], 8, DEST_OBJECT, get_be32(&cdb[3]));
}

void ssc_locate16(struct scstu_req *req)
{
	const uint8_t *cdb = req->cdb;
	unsigned int dest = (cdb[1] >> 3) & 0x07;

	if (dest != DEST_OBJECT && dest != DEST_FILE && dest != DEST_EOD) {
		scstu_req_invalid_cdb(req, 1, 5);
		return;
	}
	locate(req, cdb[1] & 0x02, cdb[3], 3, dest, get_be64(&cdb[4]));
}

#define RP_BOP		0x80
#define RP_EOP		0x40
#define RP_PERR		0x02
#define RP_BPEW		0x01

void ssc_read_position(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	uint8_t sa = req->cdb[1] & 0x1f, buf[32] = { 0 }, flags = 0;
	uint32_t len, alloc = get_be16(&req->cdb[7]);

	if (!ssc_ready(req))
		return;
	if (!d->obj)
		flags |= RP_BOP;
	if (ssc_in_ew(d))
		flags |= RP_EOP | RP_BPEW;
	switch (sa) {
	case 0x06:	/* long form */
		buf[0] = flags & (RP_BOP | RP_EOP | RP_BPEW);
		put_be32(d->part, &buf[4]);
		put_be64(d->obj, &buf[8]);
		put_be64(fm_before(d, d->obj), &buf[16]);
		len = 32;
		break;
	case 0x08:	/* extended form; nothing is buffered */
		buf[0] = flags;
		buf[1] = (uint8_t)d->part;
		put_be16(0x1c, &buf[2]);
		put_be64(d->obj, &buf[8]);
		put_be64(d->obj, &buf[16]);
		len = 32;
		break;
	default:	/* short form (00h block id, 01h vendor specific) */
		if (d->obj > UINT32_MAX) {
			flags |= RP_PERR;
		} else {
			put_be32((uint32_t)d->obj, &buf[4]);
			put_be32((uint32_t)d->obj, &buf[8]);
		}
		buf[0] = flags;
		buf[1] = (uint8_t)d->part;
		len = 20;
		break;
	}
	/* the short and long forms have a fixed length */
	if (sa == 0x08 && alloc < len)
		len = alloc;
	scstu_req_reply(req, buf, len);
}

void ssc_rewind(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	int ret;

	if (!ssc_ready(req))
		return;
	ret = ssc_sync(d);
	if (ret) {
		ssc_medium_error(req, ret, true);
		return;
	}
	ssc_set_pos(d, 0, 0);
	scstu_req_done(req);
}

void ssc_erase(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	bool immed = req->cdb[1] & 0x02;
	int ret;

	/* short and long erase both end the data here (EOD) */
	if (!ssc_ready(req) || !ssc_writable(req))
		return;
	ret = d->mops->write_filemarks(d->medium, d->part, d->obj, 0);
	if (!ret) {
		d->dirty = true;
		if (!immed)
			ret = ssc_sync(d);
	}
	if (ret)
		ssc_medium_error(req, ret, true);
	else
		scstu_req_done(req);
}

/* Thread the medium of a loaded or ejected drive at BOP 0. */
static void thread(struct ssc_drive *d)
{
	if (d->state != SCSTU_TAPE_LOADED || d->held) {
		memset(&d->cnt, 0, sizeof(d->cnt));
		d->cnt.loads = 1;
		d->total.loads++;
		ssc_mam_loaded(d);
	}
	d->state = SCSTU_TAPE_LOADED;
	d->held = false;
	ssc_set_pos(d, 0, 0);
}

void ssc_load_unload(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	uint8_t b = req->cdb[4];
	bool load = b & 0x01, eot = b & 0x04, hold = b & 0x08;
	bool threaded = d->state == SCSTU_TAPE_LOADED && !d->held;
	int ret;

	/* RETEN is accepted: there is nothing to retension */
	if (load && eot) {
		scstu_req_invalid_cdb(req, 4, 2);
		return;
	}
	if (d->state == SCSTU_TAPE_EMPTY) {
		/* MEDIUM NOT PRESENT */
		ssc_check(req, SCSTU_NOT_READY, 0x3a, 0x00, 0, 0, 0);
		return;
	}
	if (!load && d->prevent) {
		/* MEDIUM REMOVAL PREVENTED */
		ssc_check(req, SCSTU_ILLEGAL_REQUEST, 0x53, 0x02, 0, 0, 0);
		return;
	}
	if (!load && d->state == SCSTU_TAPE_EJECTED) {
		scstu_req_done(req);
		return;
	}
	if (threaded) {
		ret = ssc_sync(d);
		if (ret) {
			ssc_medium_error(req, ret, true);
			return;
		}
	}
	if (load && !hold) {
		thread(d);
		if (!threaded)
			scstu_dev_raise_ua(req->dev, 0x28, 0x00, req->session);
	} else if (load || hold) {
		/* hold position: present, MAM readable, not threaded */
		if (threaded)
			ssc_mam_unloading(d);
		d->state = SCSTU_TAPE_LOADED;
		d->held = true;
		ssc_set_pos(d, 0, 0);
	} else {
		if (threaded) {
			ssc_mam_unloading(d);
			ssc_crypto_unloading(d);
		}
		d->state = SCSTU_TAPE_EJECTED;
		d->held = false;
		ssc_set_pos(d, 0, 0);
		d->unload_pending = true;
	}
	scstu_req_done(req);
}

/* Partition sizes in bytes from mode page 11h; returns their number. */
static unsigned int partition_sizes(struct ssc_drive *d, unsigned int fmt,
				    uint64_t *sizes)
{
	struct spc_mode *m = &d->spc.mode;
	uint8_t add = spc_mode_byte(m, 0x11, 0, 3);
	uint8_t fl = spc_mode_byte(m, 0x11, 0, 4);
	uint8_t psum = (fl >> 3) & 0x03, units = spc_mode_byte(m, 0x11, 0, 7);
	uint64_t unit = 1, cap = d->media.capacity;
	unsigned int nr, i;

	sizes[0] = sizes[1] = 0;
	if (fmt == 0)
		return 1;
	if (fl & 0x80) {		/* FDP: the drive's own layout */
		sizes[0] = cap / 20;
		return 2;
	}
	nr = add + 1U;
	if (fl & 0x40) {		/* SDP: equal partitions */
		for (i = 0; i + 1 < nr; i++)
			sizes[i] = cap / nr;
		return nr;
	}
	if (!(fl & 0x20))		/* IDP = 0: as it is */
		return 1;
	switch (psum) {
	case 1:
		unit = 1000;
		break;
	case 2:
		unit = 1000000;
		break;
	case 3:
		for (i = 0; i < (units & 0x0f); i++)
			unit *= 10;
		break;
	}
	for (i = 0; i < nr; i++) {
		uint16_t v = (uint16_t)(spc_mode_byte(m, 0x11, 0, 8 + 2 * i)
					<< 8 | spc_mode_byte(m, 0x11, 0,
							     9 + 2 * i));

		sizes[i] = v == 0xffff ? 0 : v * unit;
	}
	return nr;
}

void ssc_format_medium(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	unsigned int fmt = req->cdb[2] & 0x0f, nr;
	uint64_t sizes[2];
	int ret;

	if (fmt > 2) {
		scstu_req_invalid_cdb(req, 2, 3);
		return;
	}
	if (!ssc_ready(req))
		return;
	if (d->part || d->obj) {
		/* POSITION PAST BEGINNING OF MEDIUM */
		ssc_check(req, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0c, 0, 0, 0);
		return;
	}
	if (!ssc_writable(req))
		return;
	if (d->media.worm && (d->mops->eod(d->medium, 0) ||
			      d->mops->nr_partitions(d->medium) > 1)) {
		/* WORM MEDIUM - OVERWRITE ATTEMPTED */
		ssc_check(req, SCSTU_DATA_PROTECT, 0x30, 0x0c, 0, 0, 0);
		return;
	}
	nr = partition_sizes(d, fmt, sizes);
	if (d->mops->format)
		ret = d->mops->format(d->medium, nr, sizes);
	else if (nr == 1)
		ret = d->mops->write_filemarks(d->medium, 0, 0, 0);
	else
		ret = -EINVAL;
	if (ret == -EINVAL) {
		/* the partition page asks for what this medium cannot do */
		ssc_check(req, SCSTU_ILLEGAL_REQUEST, 0x26, 0x00, 0, 0, 0);
		return;
	}
	if (!ret) {
		d->dirty = true;
		ret = ssc_sync(d);
	}
	ssc_set_pos(d, 0, 0);
	ssc_pages_medium(d);
	if (ret)
		ssc_medium_error(req, ret, true);
	else
		scstu_req_done(req);
}

/*
 * PREVENT ALLOW MEDIUM REMOVAL is per I_T nexus (SPC-4 6.15): removal
 * is prevented while any nexus prevents it; ALLOW ends only the
 * sender's prevention; I_T nexus loss ends that nexus's, a logical unit
 * or target reset every one.
 */
int ssc_prevent_set(struct ssc_drive *d, uint64_t session, bool prevent)
{
	uint64_t *n;
	unsigned int i;

	for (i = 0; i < d->nr_prevent; i++)
		if (d->prevent_sess[i] == session)
			break;
	if (!prevent) {
		if (i < d->nr_prevent)
			d->prevent_sess[i] = d->prevent_sess[--d->nr_prevent];
	} else if (i == d->nr_prevent) {
		n = realloc(d->prevent_sess, (i + 1) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		d->prevent_sess = n;
		n[d->nr_prevent++] = session;
	}
	d->prevent = d->nr_prevent;
	return 0;
}

void ssc_prevent_clear(struct ssc_drive *d, uint64_t session)
{
	if (session == SCSTU_NO_SESSION)
		d->nr_prevent = 0;
	else
		ssc_prevent_set(d, session, false);
	d->prevent = d->nr_prevent;
}

void ssc_prevent_allow(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	uint8_t v = req->cdb[4] & 0x03;

	if (v > 1) {		/* 10b, 11b: obsolete (media changers) */
		scstu_req_invalid_cdb(req, 4, 1);
		return;
	}
	if (ssc_prevent_set(d, req->session, v))
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
	else
		scstu_req_done(req);
}
