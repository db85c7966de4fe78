// SPDX-License-Identifier: GPL-2.0
/*
 * scstu_null: the command set of the nullio and ramdisk disks (SPC-4,
 * SBC-3).
 *
 * One table describes every command the logical unit supports: opcode,
 * service action, CDB length, the CDB usage bitmap of REPORT SUPPORTED
 * OPERATION CODES and the function that executes it. The dispatcher uses
 * the same bitmap to refuse every bit the device server does not evaluate
 * (reserved, obsolete, CONTROL byte NACA/LINK) with INVALID FIELD IN CDB
 * and the exact field pointer, so what RSOC reports and what is accepted
 * cannot disagree. Commands the core answers itself (REPORT LUNS, REQUEST
 * SENSE, RESERVE/RELEASE) are listed so that RSOC is complete, but have no
 * function here.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <scsi/scsi_proto.h>
#include <scsi/scsi_common.h>
#include "scstu_null.h"

#define NULL_OP_SA	0x01	/* service action in CDB byte 1, bits 4:0 */

struct scstu_null_op {
	u8 opcode;
	u8 sa;
	u8 flags;
	u8 cdb_len;
	int (*exec)(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
		    bool may_sleep);
	u8 usage[16];
};

/* ------------------------------------------------------------------------
 * Helpers
 */

/* Left-aligned, space-padded ASCII field. */
static void put_ascii(u8 *dst, const char *src, size_t width)
{
	size_t n = strnlen(src, width);

	memcpy(dst, src, n);
	memset(dst + n, ' ', width - n);
}

static void null_lba_out_of_range(struct scstu_cmd *cmd)
{
	scstu_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x21, 0x00);
}

/* LBA + number of blocks within the capacity? Sets sense if not. */
static bool null_range_ok(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			  u64 lba, u32 nr)
{
	u64 cap = scstu_null_nr_blocks(nd);

	if (lba > cap || nr > cap - lba) {
		null_lba_out_of_range(cmd);
		return false;
	}
	return true;
}

/* Largest transfer in logical blocks (block limits VPD page). */
static u32 null_max_blocks(struct scstu_null_dev *nd)
{
	return SCSTU_NULL_MAX_XFER >> nd->lb_shift;
}

/*
 * LBA and number of blocks of the READ/WRITE/VERIFY/SYNCHRONIZE CACHE
 * families; *nr_byte is the offset of the length field (field pointer).
 */
static void null_decode_lba(const u8 *cdb, u64 *lba, u32 *nr, u16 *nr_byte)
{
	switch (cdb[0]) {
	case READ_6:
	case WRITE_6:
		*lba = get_unaligned_be24(&cdb[1]) & 0x1fffff;
		*nr = cdb[4] ? cdb[4] : 256;
		*nr_byte = 4;
		break;
	case READ_10:
	case WRITE_10:
	case VERIFY:
	case SYNCHRONIZE_CACHE:
		*lba = get_unaligned_be32(&cdb[2]);
		*nr = get_unaligned_be16(&cdb[7]);
		*nr_byte = 7;
		break;
	case READ_12:
	case WRITE_12:
	case VERIFY_12:
		*lba = get_unaligned_be32(&cdb[2]);
		*nr = get_unaligned_be32(&cdb[6]);
		*nr_byte = 6;
		break;
	default:	/* READ(16), WRITE(16), VERIFY(16), SYNC CACHE(16) */
		*lba = get_unaligned_be64(&cdb[2]);
		*nr = get_unaligned_be32(&cdb[10]);
		*nr_byte = 10;
		break;
	}
}

/* ------------------------------------------------------------------------
 * SBC-3 data commands
 */

/* Common checks; returns the byte count to transfer, or 0 (status set). */
static u32 null_rw_prepare(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			   enum dma_data_direction dir, u64 *pos)
{
	u64 lba;
	u32 nr;
	u16 nr_byte;

	null_decode_lba(cmd->cdb, &lba, &nr, &nr_byte);
	if (!null_range_ok(nd, cmd, lba, nr))
		return 0;
	if (nr > null_max_blocks(nd)) {
		scstu_cmd_invalid_field(cmd, true, nr_byte, -1);
		return 0;
	}
	if (cmd->dir != dir)
		return 0;
	*pos = lba << nd->lb_shift;
	/* the initiator may expect less (or more): transfer the minimum */
	return min_t(u64, (u64)nr << nd->lb_shift, cmd->data_len);
}

static int null_exec_read(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			  bool may_sleep)
{
	u64 pos;
	u32 len = null_rw_prepare(nd, cmd, DMA_FROM_DEVICE, &pos);

	return len ? scstu_null_read(nd, cmd, pos, len) : 0;
}

static int null_exec_write(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			   bool may_sleep)
{
	u64 pos;
	u32 len = null_rw_prepare(nd, cmd, DMA_TO_DEVICE, &pos);

	return len ? scstu_null_write(nd, cmd, pos, len, may_sleep) : 0;
}

/* SBC-3 5.27-5.29 VERIFY(10/12/16) */
static int null_exec_verify(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			    bool may_sleep)
{
	u8 bytchk = (cmd->cdb[1] >> 1) & 0x03;
	u64 lba, pos, offset;
	u32 nr, len;
	u16 nr_byte;

	/* 00b: medium check only; 01b: compare; 10b reserved; 11b unsupported */
	if (bytchk > 1) {
		scstu_cmd_invalid_field(cmd, true, 1, 2);
		return 0;
	}
	null_decode_lba(cmd->cdb, &lba, &nr, &nr_byte);
	if (!null_range_ok(nd, cmd, lba, nr) || !bytchk)
		return 0;
	if (nr > null_max_blocks(nd)) {
		scstu_cmd_invalid_field(cmd, true, nr_byte, -1);
		return 0;
	}
	if (cmd->dir != DMA_TO_DEVICE)
		return 0;
	pos = lba << nd->lb_shift;
	len = min_t(u64, (u64)nr << nd->lb_shift, cmd->data_len);
	if (len && scstu_null_compare(nd, cmd, pos, len, &offset))
		/* MISCOMPARE DURING VERIFY OPERATION */
		scstu_cmd_set_sense_info(cmd, MISCOMPARE, 0x1d, 0x00, offset);
	return 0;
}

/* SBC-3 5.22/5.23 SYNCHRONIZE CACHE(10/16): nothing is ever cached. */
static int null_exec_sync(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			  bool may_sleep)
{
	u64 lba;
	u32 nr;
	u16 nr_byte;

	null_decode_lba(cmd->cdb, &lba, &nr, &nr_byte);
	null_range_ok(nd, cmd, lba, nr);
	return 0;
}

static int null_exec_tur(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			 bool may_sleep)
{
	return 0;
}

/*
 * SBC-3 5.20 START STOP UNIT. The medium is not removable and there are no
 * power conditions: START/STOP (with or without IMMED, NO_FLUSH) is
 * accepted and changes nothing; LOEJ and any power condition are refused.
 */
static int null_exec_start_stop(struct scstu_null_dev *nd,
				struct scstu_cmd *cmd, bool may_sleep)
{
	const u8 *cdb = cmd->cdb;

	if (cdb[4] & 0xf0)
		scstu_cmd_invalid_field(cmd, true, 4, 7);
	else if (cdb[3] & 0x0f)
		scstu_cmd_invalid_field(cmd, true, 3, 3);
	else if (cdb[4] & 0x02)
		scstu_cmd_invalid_field(cmd, true, 4, 1);
	return 0;
}

/* SBC-3 5.15 READ CAPACITY(10) */
static int null_exec_read_capacity(struct scstu_null_dev *nd,
				   struct scstu_cmd *cmd, bool may_sleep)
{
	const u8 *cdb = cmd->cdb;
	u64 last = scstu_null_nr_blocks(nd) - 1;
	u8 buf[8];

	/* PMI = 0 needs LOGICAL BLOCK ADDRESS = 0 */
	if (!(cdb[8] & 0x01) && get_unaligned_be32(&cdb[2])) {
		scstu_cmd_invalid_field(cmd, true, 2, -1);
		return 0;
	}
	/* no delay is ever encountered: PMI = 1 returns the last LBA too */
	put_unaligned_be32(min_t(u64, last, 0xffffffff), &buf[0]);
	put_unaligned_be32(nd->block_size, &buf[4]);
	scstu_cmd_copy_to_sg(cmd, buf, sizeof(buf));
	return 0;
}

/* SBC-3 5.16 READ CAPACITY(16) */
static int null_exec_read_capacity16(struct scstu_null_dev *nd,
				     struct scstu_cmd *cmd, bool may_sleep)
{
	const u8 *cdb = cmd->cdb;
	u32 alloc = get_unaligned_be32(&cdb[10]);
	u8 buf[32] = { 0 };

	if (!(cdb[14] & 0x01) && get_unaligned_be64(&cdb[2])) {
		scstu_cmd_invalid_field(cmd, true, 2, -1);
		return 0;
	}
	put_unaligned_be64(scstu_null_nr_blocks(nd) - 1, &buf[0]);
	put_unaligned_be32(nd->block_size, &buf[8]);
	/*
	 * buf[12]: no protection; buf[13]: one logical block per physical
	 * block; buf[14..15]: LBPME = LBPRZ = 0, lowest aligned LBA 0.
	 */
	scstu_cmd_copy_to_sg(cmd, buf, min_t(u32, alloc, sizeof(buf)));
	return 0;
}

/* ------------------------------------------------------------------------
 * SPC-4 6.6 INQUIRY and 7.8 VPD pages
 */
#define NULL_INQ_LEN	96
/* room for the standard data and every VPD page */
#define NULL_INQ_BUF	128
#define NULL_VPD83_MAX	(4 + 12 + 4 + SCSTU_NULL_VENDOR_LEN + \
			 SCSTU_NULL_SERIAL_LEN)

static_assert(NULL_INQ_LEN <= NULL_INQ_BUF && NULL_VPD83_MAX <= NULL_INQ_BUF);

static const u8 null_vpd_pages[] = { 0x00, 0x80, 0x83, 0xb0, 0xb1 };

static u32 null_std_inquiry(struct scstu_null_dev *nd, u8 *buf)
{
	struct scstu_null_id id;

	scstu_null_get_id(nd, &id);
	buf[0] = TYPE_DISK;		/* qualifier 000b */
	buf[1] = 0;			/* RMB = 0 */
	buf[2] = 0x06;			/* SPC-4 */
	buf[3] = 0x10 | 0x02;		/* HiSup, response data format 2 */
	buf[4] = NULL_INQ_LEN - 5;
	buf[7] = 0x02;			/* CmdQue */
	put_ascii(&buf[8], id.vendor, SCSTU_NULL_VENDOR_LEN);
	put_ascii(&buf[16], id.product, SCSTU_NULL_PRODUCT_LEN);
	put_ascii(&buf[32], id.revision, SCSTU_NULL_REV_LEN);
	/* version descriptors: SAM-5, SPC-4, SBC-3 */
	put_unaligned_be16(0x00a0, &buf[58]);
	put_unaligned_be16(0x0460, &buf[60]);
	put_unaligned_be16(0x04c0, &buf[62]);
	return NULL_INQ_LEN;
}

/* Builds VPD page @page into @buf; returns its length or 0 if unknown. */
static u32 null_vpd(struct scstu_null_dev *nd, u8 page, u8 *buf)
{
	struct scstu_null_id id;
	u32 len, n;
	u8 *d;

	buf[0] = TYPE_DISK;
	buf[1] = page;
	switch (page) {
	case 0x00:	/* supported VPD pages */
		memcpy(&buf[4], null_vpd_pages, sizeof(null_vpd_pages));
		len = sizeof(null_vpd_pages);
		break;
	case 0x80:	/* unit serial number */
		scstu_null_get_id(nd, &id);
		len = strlen(id.serial);
		memcpy(&buf[4], id.serial, len);
		break;
	case 0x83:	/* device identification */
		scstu_null_get_id(nd, &id);
		d = &buf[4];
		/* NAA, binary, associated with the logical unit */
		d[0] = 0x01;
		d[1] = 0x03;
		d[3] = sizeof(nd->naa);
		memcpy(&d[4], nd->naa, sizeof(nd->naa));
		d += 4 + sizeof(nd->naa);
		/* T10 vendor ID based, ASCII: vendor + unit serial number */
		n = strlen(id.serial);
		d[0] = 0x02;
		d[1] = 0x01;
		d[3] = SCSTU_NULL_VENDOR_LEN + n;
		put_ascii(&d[4], id.vendor, SCSTU_NULL_VENDOR_LEN);
		memcpy(&d[4 + SCSTU_NULL_VENDOR_LEN], id.serial, n);
		d += 4 + SCSTU_NULL_VENDOR_LEN + n;
		len = d - &buf[4];
		break;
	case 0xb0:	/* block limits (SBC-3 6.5.3) */
		len = 0x3c;
		/* OPTIMAL TRANSFER LENGTH GRANULARITY: one page */
		put_unaligned_be16(PAGE_SIZE >> nd->lb_shift, &buf[6]);
		put_unaligned_be32(null_max_blocks(nd), &buf[8]);
		break;
	case 0xb1:	/* block device characteristics (SBC-3 6.5.2) */
		len = 0x3c;
		put_unaligned_be16(0x0001, &buf[4]);	/* non-rotating */
		break;
	default:
		return 0;
	}
	put_unaligned_be16(len, &buf[2]);
	return 4 + len;
}

static int null_exec_inquiry(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			     bool may_sleep)
{
	const u8 *cdb = cmd->cdb;
	u16 alloc = get_unaligned_be16(&cdb[3]);
	u8 buf[NULL_INQ_BUF] = { 0 };
	u32 len;

	if (!(cdb[1] & 0x01)) {
		if (cdb[2]) {
			scstu_cmd_invalid_field(cmd, true, 2, -1);
			return 0;
		}
		len = null_std_inquiry(nd, buf);
	} else {
		len = null_vpd(nd, cdb[2], buf);
		if (!len) {
			scstu_cmd_invalid_field(cmd, true, 2, -1);
			return 0;
		}
	}
	scstu_cmd_copy_to_sg(cmd, buf, min_t(u32, alloc, len));
	return 0;
}

/* ------------------------------------------------------------------------
 * SPC-4 7.5 mode parameters: caching (SBC-3 6.4.5) and control (SPC-4
 * 7.5.8) mode pages
 */
enum {
	NULL_PC_CURRENT = 0,
	NULL_PC_CHANGEABLE = 1,
	NULL_PC_DEFAULT = 2,
	NULL_PC_SAVED = 3,
};

#define NULL_MP_CACHING		0x08
#define NULL_MP_CACHING_LEN	20
#define NULL_MP_CONTROL		0x0a
#define NULL_MP_CONTROL_LEN	12
#define NULL_MP_MAX_LEN		20
#define NULL_MP_ALL		0x3f

static const u8 null_mode_pages[] = { NULL_MP_CACHING, NULL_MP_CONTROL };

/* Builds mode page @code for page control @pc; returns its length or 0. */
static u32 null_mode_page(struct scstu_null_dev *nd, u8 code, int pc, u8 *p)
{
	switch (code) {
	case NULL_MP_CACHING:
		memset(p, 0, NULL_MP_CACHING_LEN);
		p[0] = NULL_MP_CACHING;
		p[1] = NULL_MP_CACHING_LEN - 2;
		/* WCE (bit 2): changeable, default 1; RCD = 0 */
		if (pc != NULL_PC_CURRENT || READ_ONCE(nd->wce))
			p[2] = 0x04;
		return NULL_MP_CACHING_LEN;
	case NULL_MP_CONTROL:
		memset(p, 0, NULL_MP_CONTROL_LEN);
		p[0] = NULL_MP_CONTROL;
		p[1] = NULL_MP_CONTROL_LEN - 2;
		if (pc == NULL_PC_CHANGEABLE) {
			p[2] = 0x04;		/* D_SENSE */
			return NULL_MP_CONTROL_LEN;
		}
		/* TST 000b (one task set); D_SENSE default 0 */
		if (pc == NULL_PC_CURRENT && READ_ONCE(nd->dev.d_sense))
			p[2] = 0x04;
		/* QUEUE ALGORITHM MODIFIER 1: unrestricted reordering, QERR 0 */
		p[3] = 0x10;
		/*
		 * TAS = 0: the core ends commands aborted for another I_T
		 * nexus without status and raises COMMANDS CLEARED BY
		 * ANOTHER INITIATOR there.
		 */
		return NULL_MP_CONTROL_LEN;
	default:
		return 0;
	}
}

static bool null_mode_page_known(u8 code)
{
	return memchr(null_mode_pages, code, sizeof(null_mode_pages));
}

/* SPC-4 6.11/6.12 MODE SENSE(6/10) */
static int null_exec_mode_sense(struct scstu_null_dev *nd,
				struct scstu_cmd *cmd, bool may_sleep)
{
	const u8 *cdb = cmd->cdb;
	bool ten = cdb[0] == MODE_SENSE_10;
	bool dbd = cdb[1] & 0x08;
	bool llbaa = ten && (cdb[1] & 0x10);
	int pc = cdb[2] >> 6;
	u8 page = cdb[2] & 0x3f, subpage = cdb[3];
	u32 alloc = ten ? get_unaligned_be16(&cdb[7]) : cdb[4];
	u32 hdr = ten ? 8 : 4, bdl = 0, off, i;
	u8 buf[8 + 16 + NULL_MP_CACHING_LEN + NULL_MP_CONTROL_LEN] = { 0 };
	u64 nblocks;

	if (pc == NULL_PC_SAVED) {
		/* SAVING PARAMETERS NOT SUPPORTED */
		scstu_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x39, 0x00);
		return 0;
	}
	if (page != NULL_MP_ALL && !null_mode_page_known(page)) {
		scstu_cmd_invalid_field(cmd, true, 2, 5);
		return 0;
	}
	/* no page has subpages: only 00h and "all subpages" (FFh) exist */
	if (subpage && subpage != 0xff) {
		scstu_cmd_invalid_field(cmd, true, 3, -1);
		return 0;
	}

	off = hdr;
	if (!dbd) {
		/* the capacity and block length cannot be changed */
		nblocks = pc == NULL_PC_CHANGEABLE ? 0 :
			  scstu_null_nr_blocks(nd);
		if (llbaa) {
			bdl = 16;
			put_unaligned_be64(nblocks, &buf[off]);
			if (pc != NULL_PC_CHANGEABLE)
				put_unaligned_be32(nd->block_size,
						   &buf[off + 12]);
		} else {
			bdl = 8;
			put_unaligned_be32(min_t(u64, nblocks, 0xffffffff),
					   &buf[off]);
			if (pc != NULL_PC_CHANGEABLE)
				put_unaligned_be24(nd->block_size,
						   &buf[off + 5]);
		}
		off += bdl;
	}
	for (i = 0; i < ARRAY_SIZE(null_mode_pages); i++)
		if (page == NULL_MP_ALL || page == null_mode_pages[i])
			off += null_mode_page(nd, null_mode_pages[i], pc,
					      &buf[off]);

	/* DEVICE-SPECIFIC PARAMETER: WP, DPOFUA */
	if (ten) {
		put_unaligned_be16(off - 2, &buf[0]);
		buf[3] = 0x10 | (scstu_cmd_lun_ro(cmd) ? 0x80 : 0);
		buf[4] = llbaa && bdl ? 0x01 : 0;	/* LONGLBA */
		put_unaligned_be16(bdl, &buf[6]);
	} else {
		buf[0] = off - 1;
		buf[2] = 0x10 | (scstu_cmd_lun_ro(cmd) ? 0x80 : 0);
		buf[3] = bdl;
	}
	scstu_cmd_copy_to_sg(cmd, buf, min(alloc, off));
	return 0;
}

static void null_param_len_error(struct scstu_cmd *cmd)
{
	/* PARAMETER LIST LENGTH ERROR */
	scstu_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x1a, 0x00);
}

/* Check the block descriptor: nothing in it may change. */
static bool null_select_bdesc(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			      const u8 *buf, u32 off, u32 bdl)
{
	const u8 *bd = buf + off;
	u64 cap = scstu_null_nr_blocks(nd), nblocks;
	u32 blen;

	if (bdl == 16) {
		nblocks = get_unaligned_be64(bd);
		if (get_unaligned_be32(&bd[8])) {
			scstu_cmd_invalid_field(cmd, false, off + 8, -1);
			return false;
		}
		blen = get_unaligned_be32(&bd[12]);
		if (blen != nd->block_size) {
			scstu_cmd_invalid_field(cmd, false, off + 12, -1);
			return false;
		}
	} else {
		nblocks = get_unaligned_be32(bd);
		cap = min_t(u64, cap, 0xffffffff);
		if (bd[4]) {
			scstu_cmd_invalid_field(cmd, false, off + 4, -1);
			return false;
		}
		blen = get_unaligned_be24(&bd[5]);
		if (blen != nd->block_size) {
			scstu_cmd_invalid_field(cmd, false, off + 5, -1);
			return false;
		}
	}
	/* NUMBER OF LOGICAL BLOCKS 0: no change */
	if (nblocks && nblocks != cap) {
		scstu_cmd_invalid_field(cmd, false, off, -1);
		return false;
	}
	return true;
}

/*
 * Validate the mode parameter list of MODE SELECT and apply it only if all
 * of it is valid. Returns true if a parameter changed.
 */
static bool null_select_parse(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			      const u8 *buf, u32 plen, bool ten)
{
	u32 hdr = ten ? 8 : 4, bdl, off, i;
	bool wce = READ_ONCE(nd->wce), d_sense = READ_ONCE(nd->dev.d_sense);
	bool changed;
	u8 cur[NULL_MP_MAX_LEN], mask[NULL_MP_MAX_LEN];

	if (plen < hdr) {
		null_param_len_error(cmd);
		return false;
	}
	/* MODE DATA LENGTH is reserved here and ignored; MEDIUM TYPE 00h */
	if (buf[ten ? 2 : 1]) {
		scstu_cmd_invalid_field(cmd, false, ten ? 2 : 1, -1);
		return false;
	}
	/* DEVICE-SPECIFIC PARAMETER (WP, DPOFUA) is ignored by MODE SELECT */
	if (ten) {
		bdl = get_unaligned_be16(&buf[6]);
		if (buf[4] & 0xfe) {
			scstu_cmd_invalid_field(cmd, false, 4, 7);
			return false;
		}
		if (bdl && bdl != (buf[4] & 0x01 ? 16 : 8)) {
			scstu_cmd_invalid_field(cmd, false, 6, -1);
			return false;
		}
	} else {
		bdl = buf[3];
		if (bdl && bdl != 8) {
			scstu_cmd_invalid_field(cmd, false, 3, -1);
			return false;
		}
	}
	if (plen < hdr + bdl) {
		null_param_len_error(cmd);
		return false;
	}
	if (bdl && !null_select_bdesc(nd, cmd, buf, hdr, bdl))
		return false;

	for (off = hdr + bdl; off < plen; off += 2 + buf[off + 1]) {
		u8 code = buf[off] & 0x3f;
		u32 len;

		if (plen - off < 2) {
			null_param_len_error(cmd);
			return false;
		}
		/* PS is reserved in MODE SELECT; no page has subpages */
		if (buf[off] & 0x40) {
			scstu_cmd_invalid_field(cmd, false, off, 6);
			return false;
		}
		len = null_mode_page(nd, code, NULL_PC_CURRENT, cur);
		if (!len) {
			scstu_cmd_invalid_field(cmd, false, off, 5);
			return false;
		}
		if (buf[off + 1] != len - 2) {
			scstu_cmd_invalid_field(cmd, false, off + 1, -1);
			return false;
		}
		if (plen - off < len) {
			null_param_len_error(cmd);
			return false;
		}
		null_mode_page(nd, code, NULL_PC_CHANGEABLE, mask);
		for (i = 2; i < len; i++) {
			u8 bad = (buf[off + i] ^ cur[i]) & ~mask[i];

			if (bad) {
				scstu_cmd_invalid_field(cmd, false, off + i,
							fls(bad) - 1);
				return false;
			}
		}
		if (code == NULL_MP_CACHING)
			wce = buf[off + 2] & 0x04;
		else if (code == NULL_MP_CONTROL)
			d_sense = buf[off + 2] & 0x04;
	}

	changed = wce != READ_ONCE(nd->wce) ||
		  d_sense != READ_ONCE(nd->dev.d_sense);
	WRITE_ONCE(nd->wce, wce);
	WRITE_ONCE(nd->dev.d_sense, d_sense);
	return changed;
}

/* SPC-4 6.9/6.10 MODE SELECT(6/10) */
static int null_exec_mode_select(struct scstu_null_dev *nd,
				 struct scstu_cmd *cmd, bool may_sleep)
{
	const u8 *cdb = cmd->cdb;
	bool ten = cdb[0] == MODE_SELECT_10;
	u32 plen = ten ? get_unaligned_be16(&cdb[7]) : cdb[4];
	u8 *buf;

	if (!(cdb[1] & 0x10)) {		/* PF: only page format */
		scstu_cmd_invalid_field(cmd, true, 1, 4);
		return 0;
	}
	if (cdb[1] & 0x01) {		/* SP: nothing can be saved */
		scstu_cmd_invalid_field(cmd, true, 1, 0);
		return 0;
	}
	if (!plen)
		return 0;
	if (!may_sleep)
		return -EAGAIN;
	buf = kzalloc(plen, GFP_KERNEL);
	if (!buf) {
		scstu_cmd_set_sense(cmd, ABORTED_COMMAND, 0x55, 0x03);
		return 0;
	}
	if (cmd->dir == DMA_TO_DEVICE)
		cmd->xfer_len = scstu_cmd_copy_from_sg(cmd, buf, plen);
	/* a shorter data-out buffer truncates the parameter list */
	if (null_select_parse(nd, cmd, buf, cmd->xfer_len, ten))
		/* MODE PARAMETERS CHANGED for the other I_T nexuses */
		scstu_dev_mode_changed(&nd->dev, cmd->sess);
	kfree(buf);
	return 0;
}

/* ------------------------------------------------------------------------
 * The command table
 */
static int null_exec_rsoc(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			  bool may_sleep);

#define CTL	0x00	/* CONTROL byte: NACA and LINK are not supported */
#define RWFL	0x1a	/* DPO, FUA, FUA_NV; RDPROTECT/WRPROTECT = 0 */
#define VRFL	0x16	/* DPO, BYTCHK; VRPROTECT = 0 */
#define GRP	0x1f	/* GROUP NUMBER */

static const struct scstu_null_op null_ops[] = {
	{ TEST_UNIT_READY, 0, 0, 6, null_exec_tur,
	  { TEST_UNIT_READY, 0, 0, 0, 0, CTL } },
	{ REQUEST_SENSE, 0, 0, 6, NULL,
	  { REQUEST_SENSE, 0x01, 0, 0, 0xff, CTL } },
	{ READ_6, 0, 0, 6, null_exec_read,
	  { READ_6, 0x1f, 0xff, 0xff, 0xff, CTL } },
	{ WRITE_6, 0, 0, 6, null_exec_write,
	  { WRITE_6, 0x1f, 0xff, 0xff, 0xff, CTL } },
	{ INQUIRY, 0, 0, 6, null_exec_inquiry,
	  { INQUIRY, 0x01, 0xff, 0xff, 0xff, CTL } },
	{ MODE_SELECT, 0, 0, 6, null_exec_mode_select,
	  { MODE_SELECT, 0x11, 0, 0, 0xff, CTL } },
	{ RESERVE, 0, 0, 6, NULL,
	  { RESERVE, 0, 0, 0, 0, CTL } },
	{ RELEASE, 0, 0, 6, NULL,
	  { RELEASE, 0, 0, 0, 0, CTL } },
	{ MODE_SENSE, 0, 0, 6, null_exec_mode_sense,
	  { MODE_SENSE, 0x08, 0xff, 0xff, 0xff, CTL } },
	{ START_STOP, 0, 0, 6, null_exec_start_stop,
	  { START_STOP, 0x01, 0, 0x0f, 0xf7, CTL } },
	{ READ_CAPACITY, 0, 0, 10, null_exec_read_capacity,
	  { READ_CAPACITY, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0x01, CTL } },
	{ READ_10, 0, 0, 10, null_exec_read,
	  { READ_10, RWFL, 0xff, 0xff, 0xff, 0xff, GRP, 0xff, 0xff, CTL } },
	{ WRITE_10, 0, 0, 10, null_exec_write,
	  { WRITE_10, RWFL, 0xff, 0xff, 0xff, 0xff, GRP, 0xff, 0xff, CTL } },
	{ VERIFY, 0, 0, 10, null_exec_verify,
	  { VERIFY, VRFL, 0xff, 0xff, 0xff, 0xff, GRP, 0xff, 0xff, CTL } },
	{ SYNCHRONIZE_CACHE, 0, 0, 10, null_exec_sync,
	  { SYNCHRONIZE_CACHE, 0x02, 0xff, 0xff, 0xff, 0xff, GRP, 0xff, 0xff,
	    CTL } },
	{ MODE_SELECT_10, 0, 0, 10, null_exec_mode_select,
	  { MODE_SELECT_10, 0x11, 0, 0, 0, 0, 0, 0xff, 0xff, CTL } },
	{ RESERVE_10, 0, 0, 10, NULL,
	  { RESERVE_10, 0, 0, 0, 0, 0, 0, 0, 0, CTL } },
	{ RELEASE_10, 0, 0, 10, NULL,
	  { RELEASE_10, 0, 0, 0, 0, 0, 0, 0, 0, CTL } },
	{ MODE_SENSE_10, 0, 0, 10, null_exec_mode_sense,
	  { MODE_SENSE_10, 0x18, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, CTL } },
	{ READ_16, 0, 0, 16, null_exec_read,
	  { READ_16, RWFL, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, GRP, CTL } },
	{ WRITE_16, 0, 0, 16, null_exec_write,
	  { WRITE_16, RWFL, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, GRP, CTL } },
	{ VERIFY_16, 0, 0, 16, null_exec_verify,
	  { VERIFY_16, VRFL, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, GRP, CTL } },
	{ SYNCHRONIZE_CACHE_16, 0, 0, 16, null_exec_sync,
	  { SYNCHRONIZE_CACHE_16, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, GRP, CTL } },
	{ SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, NULL_OP_SA, 16,
	  null_exec_read_capacity16,
	  { SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, CTL } },
	{ REPORT_LUNS, 0, 0, 12, NULL,
	  { REPORT_LUNS, 0, 0xff, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, CTL } },
	{ MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, NULL_OP_SA, 12,
	  null_exec_rsoc,
	  { MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 0x87, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, CTL } },
	{ READ_12, 0, 0, 12, null_exec_read,
	  { READ_12, RWFL, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, GRP,
	    CTL } },
	{ WRITE_12, 0, 0, 12, null_exec_write,
	  { WRITE_12, RWFL, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, GRP,
	    CTL } },
	{ VERIFY_12, 0, 0, 12, null_exec_verify,
	  { VERIFY_12, VRFL, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    GRP, CTL } },
};

/* First table entry of each opcode (entries are sorted by opcode, SA). */
static const struct scstu_null_op *null_op_first[256];

int scstu_null_spc_init(void)
{
	int i;

	for (i = ARRAY_SIZE(null_ops) - 1; i >= 0; i--) {
		const struct scstu_null_op *op = &null_ops[i];

		if (i && (op[-1].opcode > op->opcode ||
			  (op[-1].opcode == op->opcode &&
			   op[-1].sa >= op->sa))) {
			pr_err("scstu_null: command table not sorted\n");
			return -EINVAL;
		}
		null_op_first[op->opcode] = op;
	}
	return 0;
}

/* Looks up opcode (and service action). *bad_sa: opcode known, SA not. */
static const struct scstu_null_op *null_find_op(u8 opcode, u8 sa,
						 bool *bad_sa)
{
	const struct scstu_null_op *op = null_op_first[opcode];
	const struct scstu_null_op *end = null_ops + ARRAY_SIZE(null_ops);

	*bad_sa = false;
	if (!op || !(op->flags & NULL_OP_SA))
		return op;
	for (; op < end && op->opcode == opcode; op++)
		if (op->sa == sa)
			return op;
	*bad_sa = true;
	return NULL;
}

int scstu_null_dispatch(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			bool may_sleep)
{
	const u8 *cdb = cmd->cdb;
	const struct scstu_null_op *op;
	unsigned int i;
	bool bad_sa;

	scstu_cmd_good(cmd);
	cmd->xfer_len = 0;

	op = null_find_op(cdb[0], cmd->cdb_len > 1 ? cdb[1] & 0x1f : 0,
			  &bad_sa);
	if (unlikely(!op || !op->exec)) {
		if (bad_sa)
			scstu_cmd_invalid_field(cmd, true, 1, 4);
		else	/* INVALID COMMAND OPERATION CODE */
			scstu_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x20, 0x00);
		return 0;
	}
	if (unlikely(cmd->cdb_len < op->cdb_len)) {
		scstu_cmd_invalid_field(cmd, true, 0, -1);
		return 0;
	}
	/* every bit the usage map does not claim must be zero */
	for (i = 1; i < op->cdb_len; i++) {
		u8 allowed = op->usage[i];
		u8 bad;

		if (i == 1 && (op->flags & NULL_OP_SA))
			allowed |= 0x1f;
		bad = cdb[i] & ~allowed;
		if (unlikely(bad)) {
			scstu_cmd_invalid_field(cmd, true, i, fls(bad) - 1);
			return 0;
		}
	}
	return op->exec(nd, cmd, may_sleep);
}

/* ------------------------------------------------------------------------
 * SPC-4 6.35 REPORT SUPPORTED OPERATION CODES
 */
#define NULL_TIMEOUTS_LEN	12

/* Command timeouts descriptor (SPC-4 6.35.4), in seconds. */
static void null_put_timeouts(struct scstu_null_dev *nd, u8 *p)
{
	put_unaligned_be16(NULL_TIMEOUTS_LEN - 2, &p[0]);
	/* nominal: no delay configured -> 0 (not specified) */
	put_unaligned_be32(DIV_ROUND_UP(READ_ONCE(nd->delay_ms), 1000),
			   &p[4]);
	/* recommended: what sd uses, plus the configured delay */
	put_unaligned_be32(30 + DIV_ROUND_UP(READ_ONCE(nd->delay_ms), 1000),
			   &p[8]);
}

static u32 null_rsoc_all(struct scstu_null_dev *nd, bool rctd, u8 *buf)
{
	u32 dlen = 8 + (rctd ? NULL_TIMEOUTS_LEN : 0), off = 4;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(null_ops); i++, off += dlen) {
		const struct scstu_null_op *op = &null_ops[i];
		u8 *d = &buf[off];

		d[0] = op->opcode;
		if (op->flags & NULL_OP_SA) {
			put_unaligned_be16(op->sa, &d[2]);
			d[5] |= 0x01;			/* SERVACTV */
		}
		put_unaligned_be16(op->cdb_len, &d[6]);
		if (rctd) {
			d[5] |= 0x02;			/* CTDP */
			null_put_timeouts(nd, &d[8]);
		}
	}
	put_unaligned_be32(off - 4, &buf[0]);
	return off;
}

static u32 null_rsoc_one(struct scstu_null_dev *nd,
			 const struct scstu_null_op *op, bool rctd, u8 *buf)
{
	if (!op) {
		buf[1] = 0x01;	/* SUPPORT 001b: not supported */
		return 4;
	}
	buf[1] = 0x03;		/* SUPPORT 011b: as the standard says */
	put_unaligned_be16(op->cdb_len, &buf[2]);
	memcpy(&buf[4], op->usage, op->cdb_len);
	if (!rctd)
		return 4 + op->cdb_len;
	buf[1] |= 0x80;		/* CTDP */
	null_put_timeouts(nd, &buf[4 + op->cdb_len]);
	return 4 + op->cdb_len + NULL_TIMEOUTS_LEN;
}

static int null_exec_rsoc(struct scstu_null_dev *nd, struct scstu_cmd *cmd,
			  bool may_sleep)
{
	const u8 *cdb = cmd->cdb;
	bool rctd = cdb[2] & 0x80;
	u8 ro = cdb[2] & 0x07, req_op = cdb[3];
	u16 req_sa = get_unaligned_be16(&cdb[4]);
	u32 alloc = get_unaligned_be32(&cdb[6]);
	const struct scstu_null_op *op = null_op_first[req_op];
	const struct scstu_null_op *end = null_ops + ARRAY_SIZE(null_ops);
	bool has_sa = op && (op->flags & NULL_OP_SA);
	u32 len;
	u8 *buf;

	switch (ro) {
	case 0:		/* all commands */
		break;
	case 1:		/* one command without service action */
		if (has_sa) {
			scstu_cmd_invalid_field(cmd, true, 3, -1);
			return 0;
		}
		break;
	case 2:		/* one command with service action */
		if (op && !has_sa) {
			scstu_cmd_invalid_field(cmd, true, 3, -1);
			return 0;
		}
		fallthrough;
	case 3:		/* one command, service action if it has them */
		if (!has_sa)
			break;
		while (op < end && op->opcode == req_op && op->sa != req_sa)
			op++;
		if (op == end || op->opcode != req_op)
			op = NULL;
		break;
	default:
		scstu_cmd_invalid_field(cmd, true, 2, 2);
		return 0;
	}

	if (!may_sleep)
		return -EAGAIN;
	buf = kzalloc(4 + ARRAY_SIZE(null_ops) * (8 + NULL_TIMEOUTS_LEN),
		      GFP_KERNEL);
	if (!buf) {
		scstu_cmd_set_sense(cmd, ABORTED_COMMAND, 0x55, 0x03);
		return 0;
	}
	if (ro == 0)
		len = null_rsoc_all(nd, rctd, buf);
	else
		len = null_rsoc_one(nd, op, rctd, buf);
	scstu_cmd_copy_to_sg(cmd, buf, min(alloc, len));
	kfree(buf);
	return 0;
}
