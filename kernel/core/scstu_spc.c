// SPDX-License-Identifier: GPL-2.0
/*
 * scstu core: the SPC commands the core answers itself — REPORT LUNS,
 * REQUEST SENSE, RESERVE/RELEASE (SPC-2 semantics) — and the answers for
 * LUNs that are not mapped.
 */
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <asm/unaligned.h>
#include <scsi/scsi_proto.h>
#include <scsi/scsi_status.h>
#include "scstu_priv.h"


static void scstu_put_lun(struct scstu_cmd *cmd, unsigned int idx, u64 lun,
			  u32 limit)
{
	u8 sl[8] = { 0 };
	u32 off = 8 + idx * 8;

	if (off + 8 > limit)
		return;
	/* peripheral device addressing below 256, flat space above */
	sl[0] = lun < 256 ? 0 : 0x40 | (lun >> 8);
	sl[1] = lun & 0xff;
	sg_pcopy_from_buffer(cmd->sgl, cmd->sg_cnt, sl, 8, off);
}

/* SPC-4 6.33 REPORT LUNS */
static void scstu_report_luns(struct scstu_cmd *cmd, struct scstu_tgt_dev *td)
{
	struct scstu_session *sess = cmd->sess;
	const u8 *cdb = cmd->cdb;
	struct scstu_tgt_dev *t;
	unsigned long idx;
	unsigned int n = 0;
	u32 alloc, limit;
	u8 hdr[8] = { 0 };

	if (cmd->cdb_len < 12) {
		scstu_cmd_invalid_field(cmd, true, 0, -1);
		return;
	}
	alloc = get_unaligned_be32(&cdb[6]);
	if (alloc < 16) {
		scstu_cmd_invalid_field(cmd, true, 6, -1);
		return;
	}
	limit = min(alloc, cmd->data_len);
	if (!cmd->sgl)
		limit = 0;

	switch (cdb[2]) {
	case 0x00:	/* all LUs except well-known ones */
	case 0x02:	/* all LUs */
		rcu_read_lock();
		xa_for_each(&sess->tgt_devs, idx, t)
			scstu_put_lun(cmd, n++, idx, limit);
		rcu_read_unlock();
		/* an initiator must always be able to find LUN 0 */
		if (!n)
			scstu_put_lun(cmd, n++, 0, limit);
		break;
	case 0x01:	/* well-known LUs: none */
	case 0x10:	/* administrative LUs: none */
	case 0x11:	/* administrative LUs and their subsidiaries: none */
		break;
	case 0x12:	/* only valid when addressed to an administrative LU */
	default:
		scstu_cmd_invalid_field(cmd, true, 2, -1);
		return;
	}
	put_unaligned_be32(n * 8, hdr);
	if (limit)
		sg_pcopy_from_buffer(cmd->sgl, cmd->sg_cnt, hdr,
				     min_t(u32, 8, limit), 0);
	cmd->xfer_len = min_t(u32, limit, 8 + n * 8);
	scstu_cmd_good(cmd);

	if (td) {
		unsigned long flags;

		spin_lock_irqsave(&td->dev->lock, flags);
		scstu_ua_clear_locked(td, 0x3f, 0x0e);
		spin_unlock_irqrestore(&td->dev->lock, flags);
	}
}

/* Return sense data as REQUEST SENSE parameter data (SPC-4 6.39). */
static void scstu_sense_data(struct scstu_cmd *cmd, u8 key, u8 asc, u8 ascq)
{
	u8 buf[SCSTU_SENSE_LEN];
	u8 len;

	len = scstu_build_sense(buf, cmd->cdb[1] & 0x01, key, asc, ascq);
	scstu_cmd_copy_to_sg(cmd, buf, min_t(u32, len, cmd->cdb[4]));
	scstu_cmd_good(cmd);
}

static bool scstu_request_sense_cdb_ok(struct scstu_cmd *cmd)
{
	if (cmd->cdb_len < 6 || (cmd->cdb[1] & 0xfe)) {
		scstu_cmd_invalid_field(cmd, true, 1, -1);
		return false;
	}
	return true;
}

/*
 * SPC-4 6.39 REQUEST SENSE: a pending unit attention, else NO SENSE; or,
 * for a backend with its own sense (be_request_sense), false: the backend
 * answers.
 */
static bool scstu_request_sense(struct scstu_cmd *cmd,
				struct scstu_tgt_dev *td)
{
	unsigned long flags;
	u8 asc = 0, ascq = 0;
	bool got;

	if (!scstu_request_sense_cdb_ok(cmd))
		return true;
	spin_lock_irqsave(&td->dev->lock, flags);
	got = scstu_ua_pop_locked(td, &asc, &ascq);
	spin_unlock_irqrestore(&td->dev->lock, flags);
	if (!got && READ_ONCE(td->dev->be_request_sense))
		return false;
	scstu_sense_data(cmd, got ? UNIT_ATTENTION : NO_SENSE, asc, ascq);
	return true;
}

/* SPC-2 7.21/7.22 RESERVE(6/10), 7.19/7.20 RELEASE(6/10) */
static void scstu_reserve_release(struct scstu_cmd *cmd,
				  struct scstu_tgt_dev *td)
{
	struct scstu_dev *dev = td->dev;
	const u8 *cdb = cmd->cdb;
	bool reserve = cdb[0] == RESERVE || cdb[0] == RESERVE_10;
	unsigned long flags;

	/* no third-party or extent reservations, no long ids */
	if (cdb[1] & 0x1f) {
		scstu_cmd_invalid_field(cmd, true, 1, -1);
		return;
	}
	spin_lock_irqsave(&dev->lock, flags);
	if (reserve) {
		if (dev->reserved_by && dev->reserved_by != cmd->sess) {
			spin_unlock_irqrestore(&dev->lock, flags);
			scstu_cmd_set_status(cmd,
					     SAM_STAT_RESERVATION_CONFLICT);
			return;
		}
		dev->reserved_by = cmd->sess;
	} else if (dev->reserved_by == cmd->sess) {
		/* a RELEASE from another nexus succeeds and does nothing */
		dev->reserved_by = NULL;
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	scstu_cmd_good(cmd);
}

/*
 * Commands the core answers for a mapped LUN. Returns true if the command
 * has been answered (status set).
 */
bool scstu_spc_core_cmd(struct scstu_cmd *cmd, struct scstu_tgt_dev *td)
{
	switch (cmd->cdb[0]) {
	case REPORT_LUNS:
		scstu_report_luns(cmd, td);
		return true;
	case REQUEST_SENSE:
		return scstu_request_sense(cmd, td);
	case RESERVE:
	case RELEASE:
	case RESERVE_10:
	case RELEASE_10:
		scstu_reserve_release(cmd, td);
		return true;
	default:
		return false;
	}
}

/* Standard INQUIRY data for a LUN that is not there: qualifier 011b. */
static void scstu_inquiry_no_lun(struct scstu_cmd *cmd)
{
	u8 buf[36] = { 0 };
	const u8 *cdb = cmd->cdb;
	u16 alloc;

	if (cmd->cdb_len < 6 || (cdb[1] & 0xfe) ||
	    (!(cdb[1] & 0x01) && cdb[2])) {
		scstu_cmd_invalid_field(cmd, true, cdb[1] & 0xfe ? 1 : 2, -1);
		return;
	}
	alloc = get_unaligned_be16(&cdb[3]);
	buf[0] = TYPE_NO_LUN;	/* qualifier 011b, type 1Fh */
	if (cdb[1] & 0x01) {
		/* VPD: the page header only */
		buf[1] = cdb[2];
		scstu_cmd_copy_to_sg(cmd, buf, min_t(u32, 4, alloc));
	} else {
		buf[2] = 0x06;		/* SPC-4 */
		buf[3] = 0x12;		/* HiSup, response data format 2 */
		buf[4] = sizeof(buf) - 5;
		buf[7] = 0x02;		/* CmdQue */
		memcpy(&buf[8], "SCSTU   ", 8);
		memcpy(&buf[16], "NO LUN          ", 16);
		memcpy(&buf[32], "0001", 4);
		scstu_cmd_copy_to_sg(cmd, buf, min_t(u32, sizeof(buf), alloc));
	}
	scstu_cmd_good(cmd);
}

/* Any command addressed to a LUN the session does not see. */
void scstu_spc_unmapped(struct scstu_cmd *cmd)
{
	switch (cmd->cdb[0]) {
	case INQUIRY:
		scstu_inquiry_no_lun(cmd);
		break;
	case REPORT_LUNS:
		scstu_report_luns(cmd, NULL);
		break;
	case REQUEST_SENSE:
		if (scstu_request_sense_cdb_ok(cmd))
			/* LOGICAL UNIT NOT SUPPORTED as parameter data */
			scstu_sense_data(cmd, ILLEGAL_REQUEST, 0x25, 0x00);
		break;
	default:
		scstu_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x25, 0x00);
		break;
	}
}

/* Does the command modify the medium? (for read-only LUN mappings) */
bool scstu_spc_is_write(u8 type, const u8 *cdb)
{
	switch (cdb[0]) {
	case WRITE_6:
	case WRITE_10:
	case WRITE_12:
	case WRITE_16:
	case WRITE_VERIFY:
	case WRITE_VERIFY_12:
	case WRITE_VERIFY_16:
	case WRITE_SAME:
	case WRITE_SAME_16:
	case WRITE_LONG:
	case UNMAP:
	case COMPARE_AND_WRITE:
	case FORMAT_UNIT:	/* FORMAT MEDIUM for tapes */
	case XDWRITEREAD_10:
	case ERASE:
		return true;
	case VARIABLE_LENGTH_CMD:
		/* WRITE(32), WRITE SAME(32), WRITE AND VERIFY(32) */
		return type == TYPE_DISK &&
		       (get_unaligned_be16(&cdb[8]) == WRITE_32 ||
			get_unaligned_be16(&cdb[8]) == WRITE_SAME_32 ||
			get_unaligned_be16(&cdb[8]) == 0x000c);
	case WRITE_FILEMARKS:
	case 0x8d:	/* WRITE ATTRIBUTE */
		return type == TYPE_TAPE;
	default:
		return false;
	}
}

/*
 * Does the command conflict with an SPC-2 reservation held by another
 * I_T nexus (SPC-2 5.5.1)?
 */
bool scstu_spc_conflicts(const u8 *cdb)
{
	switch (cdb[0]) {
	case INQUIRY:
	case REPORT_LUNS:
	case REQUEST_SENSE:
	case RELEASE:
	case RELEASE_10:
		return false;
	default:
		return true;
	}
}
