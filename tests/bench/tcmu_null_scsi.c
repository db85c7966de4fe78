// SPDX-License-Identifier: GPL-2.0
/*
 * tcmu_null's command set: what a null disk needs to be probed by sd and
 * driven by fio.  READs return zeros, WRITEs are dropped, anything not
 * listed is ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE.  REPORT LUNS
 * never gets here (LIO answers it).
 */
#include <stdio.h>
#include <string.h>

#include <scsi/sg_lib.h>
#include <scsi/sg_unaligned.h>

#include "tcmu_null.h"

#define VENDOR	"TCMUNULL"	/* 8 bytes */
#define PRODUCT	"NULL            "	/* 16 bytes */
#define REV	"0001"

/* sense keys, ASC/ASCQ pairs */
#define ILLEGAL_REQUEST		0x05
#define ASC_INVALID_OPCODE	0x20
#define ASC_LBA_OUT_OF_RANGE	0x21
#define ASC_INVALID_FIELD_CDB	0x24
#define ASC_SAVING_NOT_SUPP	0x39

static uint8_t check_condition(struct tn_cmd *cmd, uint8_t key, uint8_t asc)
{
	memset(cmd->sense, 0, sizeof(cmd->sense));
	cmd->sense[0] = 0x70;		/* current error, fixed format */
	cmd->sense[2] = key;
	cmd->sense[7] = TN_SENSE_LEN - 8;
	cmd->sense[12] = asc;
	cmd->sense[13] = 0;
	return TN_CHECK_CONDITION;
}

/* iovec i as a pointer into the mapping, or NULL if it does not fit */
static uint8_t *iov_ptr(const struct tn_cmd *cmd, unsigned int i, size_t *len)
{
	struct iovec v;
	uintptr_t off;

	memcpy(&v, cmd->iov + i * sizeof(v), sizeof(v));
	off = (uintptr_t)v.iov_base;
	*len = v.iov_len;
	if (off > cmd->map_size || *len > cmd->map_size - off)
		return NULL;
	return cmd->base + off;
}

/*
 * Copy min(len, alloc) bytes of buf into the data-in buffers and zero the
 * rest of them: the kernel returns the whole buffer, which may still hold
 * another command's data.
 */
static void put_data(struct tn_cmd *cmd, const uint8_t *buf, size_t len,
		     size_t alloc)
{
	unsigned int i;
	size_t n, seg;
	uint8_t *p;

	if (len > alloc)
		len = alloc;
	for (i = 0; i < cmd->iov_cnt; i++) {
		p = iov_ptr(cmd, i, &seg);
		if (!p)
			return;
		n = seg < len ? seg : len;
		memcpy(p, buf, n);
		memset(p + n, 0, seg - n);
		buf += n;
		len -= n;
	}
}

/* what a null disk reads: zeros in every data-in buffer */
static void zero_data(struct tn_cmd *cmd)
{
	unsigned int i;
	size_t seg;
	uint8_t *p;

	for (i = 0; i < cmd->iov_cnt; i++) {
		p = iov_ptr(cmd, i, &seg);
		if (p)
			memset(p, 0, seg);
	}
}

static uint8_t inquiry_vpd(const struct tn_disk *d, struct tn_cmd *cmd,
			   size_t alloc)
{
	static const uint8_t pages[] = { 0x00, 0x80, 0x83, 0xb0 };
	uint8_t b[64] = { 0 };
	size_t len, sl = strlen(d->serial);

	b[1] = cmd->cdb[2];
	switch (cmd->cdb[2]) {
	case 0x00:		/* supported pages */
		memcpy(b + 4, pages, sizeof(pages));
		len = sizeof(pages);
		break;
	case 0x80:		/* unit serial number */
		memcpy(b + 4, d->serial, sl);
		len = sl;
		break;
	case 0x83:		/* device identification: one T10 vendor id */
		b[4] = 0x02;	/* code set ASCII */
		b[5] = 0x01;	/* LU association, T10 vendor id */
		b[7] = 8 + sl;
		memcpy(b + 8, VENDOR, 8);
		memcpy(b + 16, d->serial, sl);
		len = 4 + 8 + sl;
		break;
	case 0xb0:		/* block limits */
		sg_put_unaligned_be32(d->max_xfer_blocks, b + 8);
		len = 0x3c;
		break;
	default:
		return check_condition(cmd, ILLEGAL_REQUEST,
				       ASC_INVALID_FIELD_CDB);
	}
	sg_put_unaligned_be16(len, b + 2);
	put_data(cmd, b, len + 4, alloc);
	return TN_GOOD;
}

static uint8_t inquiry(const struct tn_disk *d, struct tn_cmd *cmd)
{
	size_t alloc = sg_get_unaligned_be16(cmd->cdb + 3);
	uint8_t b[36] = { 0 };

	if (cmd->cdb[1] & 0x01)
		return inquiry_vpd(d, cmd, alloc);
	if (cmd->cdb[2] || (cmd->cdb[1] & 0x02))
		return check_condition(cmd, ILLEGAL_REQUEST,
				       ASC_INVALID_FIELD_CDB);
	b[0] = 0x00;		/* connected direct-access block device */
	b[2] = 0x06;		/* SPC-4 */
	b[3] = 0x02;		/* response data format 2 */
	b[4] = sizeof(b) - 5;
	b[7] = 0x02;		/* CMDQUE */
	memcpy(b + 8, VENDOR, 8);
	memcpy(b + 16, PRODUCT, 16);
	memcpy(b + 32, REV, 4);
	put_data(cmd, b, sizeof(b), alloc);
	return TN_GOOD;
}

static uint8_t read_capacity(const struct tn_disk *d, struct tn_cmd *cmd,
			     int sixteen)
{
	uint64_t last = d->nr_blocks - 1;
	uint8_t b[32] = { 0 };

	if (!sixteen) {
		sg_put_unaligned_be32(last > 0xffffffffULL ? 0xffffffff : last,
				      b);
		sg_put_unaligned_be32(d->block_size, b + 4);
		put_data(cmd, b, 8, 8);
		return TN_GOOD;
	}
	if ((cmd->cdb[1] & 0x1f) != 0x10)	/* READ CAPACITY (16) */
		return check_condition(cmd, ILLEGAL_REQUEST,
				       ASC_INVALID_FIELD_CDB);
	sg_put_unaligned_be64(last, b);
	sg_put_unaligned_be32(d->block_size, b + 8);
	put_data(cmd, b, sizeof(b), sg_get_unaligned_be32(cmd->cdb + 10));
	return TN_GOOD;
}

/*
 * Append mode page `page` (caching 08h or control 0Ah).  Current, default
 * and changeable values are all zero: write cache off (nothing to flush),
 * control page defaults, nothing changeable.
 */
static size_t mode_page(uint8_t *p, uint8_t page)
{
	size_t len = page == 0x08 ? 20 : 12;

	memset(p, 0, len);
	p[0] = page;
	p[1] = len - 2;
	return len;
}

static uint8_t mode_sense(const struct tn_disk *d, struct tn_cmd *cmd,
			  int ten)
{
	const uint8_t *cdb = cmd->cdb;
	int dbd = cdb[1] & 0x08, pc = cdb[2] >> 6;
	uint8_t page = cdb[2] & 0x3f, sub = cdb[3];
	size_t hdr = ten ? 8 : 4, len, alloc;
	uint8_t b[128] = { 0 };
	uint8_t *p;

	alloc = ten ? sg_get_unaligned_be16(cdb + 7) : cdb[4];
	if (pc == 3)
		return check_condition(cmd, ILLEGAL_REQUEST,
				       ASC_SAVING_NOT_SUPP);
	if ((page != 0x08 && page != 0x0a && page != 0x3f) ||
	    (sub && !(page == 0x3f && sub == 0xff)))
		return check_condition(cmd, ILLEGAL_REQUEST,
				       ASC_INVALID_FIELD_CDB);
	p = b + hdr;
	if (!dbd) {		/* one short block descriptor */
		uint64_t n = d->nr_blocks > 0xffffff ? 0 : d->nr_blocks;

		sg_put_unaligned_be32(n, p);	/* density code 0 */
		sg_put_unaligned_be32(d->block_size, p + 4);
		p += 8;
	}
	if (page == 0x08 || page == 0x3f)
		p += mode_page(p, 0x08);
	if (page == 0x0a || page == 0x3f)
		p += mode_page(p, 0x0a);
	len = p - b;
	if (ten) {
		sg_put_unaligned_be16(len - 2, b);
		b[7] = dbd ? 0 : 8;
	} else {
		b[0] = len - 1;
		b[3] = dbd ? 0 : 8;
	}
	put_data(cmd, b, len, alloc);
	return TN_GOOD;
}

/* READ/WRITE (6/10/16): range check, zeros for READ */
static uint8_t rw(const struct tn_disk *d, struct tn_cmd *cmd, int is_read)
{
	const uint8_t *cdb = cmd->cdb;
	uint64_t lba;
	uint32_t n;

	switch (cdb[0]) {
	case 0x08:
	case 0x0a:
		lba = sg_get_unaligned_be32(cdb) & 0x1fffff;
		n = cdb[4] ? cdb[4] : 256;
		break;
	case 0x28:
	case 0x2a:
		lba = sg_get_unaligned_be32(cdb + 2);
		n = sg_get_unaligned_be16(cdb + 7);
		break;
	default:
		lba = sg_get_unaligned_be64(cdb + 2);
		n = sg_get_unaligned_be32(cdb + 10);
		break;
	}
	if (lba > d->nr_blocks || n > d->nr_blocks - lba)
		return check_condition(cmd, ILLEGAL_REQUEST,
				       ASC_LBA_OUT_OF_RANGE);
	if (is_read)
		zero_data(cmd);
	return TN_GOOD;
}

uint8_t tn_execute(const struct tn_disk *d, struct tn_cmd *cmd)
{
	char name[64];

	switch (cmd->cdb[0]) {
	case 0x00:		/* TEST UNIT READY */
	case 0x35:		/* SYNCHRONIZE CACHE (10) */
	case 0x91:		/* SYNCHRONIZE CACHE (16) */
		return TN_GOOD;
	case 0x12:
		return inquiry(d, cmd);
	case 0x25:
		return read_capacity(d, cmd, 0);
	case 0x9e:
		return read_capacity(d, cmd, 1);
	case 0x1a:
		return mode_sense(d, cmd, 0);
	case 0x5a:
		return mode_sense(d, cmd, 1);
	case 0x08:
	case 0x28:
	case 0x88:
		return rw(d, cmd, 1);
	case 0x0a:
	case 0x2a:
	case 0x8a:
		return rw(d, cmd, 0);
	}
	if (d->verbose) {
		sg_get_opcode_name(cmd->cdb[0], 0, sizeof(name), name);
		fprintf(stderr, "tcmu_null: unsupported opcode 0x%02x (%s)\n",
			cmd->cdb[0], name);
	}
	return check_condition(cmd, ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
}
