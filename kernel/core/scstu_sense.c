// SPDX-License-Identifier: GPL-2.0
/*
 * scstu core: status and sense data (SPC-4 4.5).
 */
#include <linux/module.h>
#include <linux/string.h>
#include <linux/scatterlist.h>
#include <asm/unaligned.h>
#include <scsi/scsi_proto.h>
#include <scsi/scsi_status.h>
#include "scstu_priv.h"

#define FIXED_LEN	18
#define DESC_HDR_LEN	8

/* Returns the length of the sense data written to buf. */
u8 scstu_build_sense(u8 *buf, bool desc, u8 key, u8 asc, u8 ascq)
{
	memset(buf, 0, SCSTU_SENSE_LEN);
	if (desc) {
		buf[0] = 0x72;
		buf[1] = key & 0x0f;
		buf[2] = asc;
		buf[3] = ascq;
		return DESC_HDR_LEN;
	}
	buf[0] = 0x70;
	buf[2] = key & 0x0f;
	buf[7] = FIXED_LEN - 8;
	buf[12] = asc;
	buf[13] = ascq;
	return FIXED_LEN;
}

static bool cmd_desc_sense(struct scstu_cmd *cmd)
{
	return cmd->dev && cmd->dev->d_sense;
}

void scstu_cmd_set_status(struct scstu_cmd *cmd, u8 status)
{
	cmd->status = status;
	cmd->sense_len = 0;
}
EXPORT_SYMBOL_GPL(scstu_cmd_set_status);

void scstu_cmd_good(struct scstu_cmd *cmd)
{
	scstu_cmd_set_status(cmd, SAM_STAT_GOOD);
}
EXPORT_SYMBOL_GPL(scstu_cmd_good);

void scstu_cmd_set_sense(struct scstu_cmd *cmd, u8 key, u8 asc, u8 ascq)
{
	cmd->status = SAM_STAT_CHECK_CONDITION;
	cmd->sense_len = scstu_build_sense(cmd->sense, cmd_desc_sense(cmd),
					   key, asc, ascq);
}
EXPORT_SYMBOL_GPL(scstu_cmd_set_sense);

void scstu_cmd_set_sense_info(struct scstu_cmd *cmd, u8 key, u8 asc, u8 ascq,
			      u64 info)
{
	u8 *s = cmd->sense;

	scstu_cmd_set_sense(cmd, key, asc, ascq);
	if (s[0] == 0x72) {
		/* information descriptor */
		s[8] = 0x00;
		s[9] = 0x0a;
		s[10] = 0x80;
		put_unaligned_be64(info, &s[12]);
		s[7] = 12;
		cmd->sense_len = DESC_HDR_LEN + 12;
	} else {
		s[0] |= 0x80;
		put_unaligned_be32((u32)info, &s[3]);
	}
}
EXPORT_SYMBOL_GPL(scstu_cmd_set_sense_info);

void scstu_cmd_invalid_field(struct scstu_cmd *cmd, bool in_cdb, u16 byte,
			     int bit)
{
	u8 sks[3];
	u8 *s = cmd->sense;

	scstu_cmd_set_sense(cmd, ILLEGAL_REQUEST, in_cdb ? 0x24 : 0x26, 0);
	sks[0] = 0x80 | (in_cdb ? 0x40 : 0);
	if (bit >= 0 && bit <= 7)
		sks[0] |= 0x08 | bit;
	put_unaligned_be16(byte, &sks[1]);
	if (s[0] == 0x72) {
		u8 *d = s + DESC_HDR_LEN + s[7];

		d[0] = 0x02;
		d[1] = 0x06;
		memcpy(&d[4], sks, 3);
		s[7] += 8;
		cmd->sense_len = DESC_HDR_LEN + s[7];
	} else {
		memcpy(&s[15], sks, 3);
	}
}
EXPORT_SYMBOL_GPL(scstu_cmd_invalid_field);

u32 scstu_cmd_copy_to_sg(struct scstu_cmd *cmd, const void *buf, u32 len)
{
	u32 n = min(len, cmd->data_len);

	if (n && cmd->sgl)
		n = sg_copy_from_buffer(cmd->sgl, cmd->sg_cnt, buf, n);
	else
		n = 0;
	cmd->xfer_len = n;
	return n;
}
EXPORT_SYMBOL_GPL(scstu_cmd_copy_to_sg);

u32 scstu_cmd_copy_from_sg(struct scstu_cmd *cmd, void *buf, u32 len)
{
	u32 n = min(len, cmd->data_len);

	if (!n || !cmd->sgl)
		return 0;
	return sg_copy_to_buffer(cmd->sgl, cmd->sg_cnt, buf, n);
}
EXPORT_SYMBOL_GPL(scstu_cmd_copy_from_sg);
