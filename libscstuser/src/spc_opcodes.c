// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SPC-4 command dispatch from a class's command table, and REPORT
 * SUPPORTED OPERATION CODES (SPC-4 6.35) from the same table, so what
 * RSOC reports and what the dispatcher accepts cannot disagree.
 *
 * Dispatch: an opcode the table lacks (or the device does not support)
 * gets 20/00 INVALID COMMAND OPERATION CODE; a known opcode with an
 * unknown service action 24/00 pointing at the SERVICE ACTION field
 * (byte 1, bit 4); a CDB shorter than the command's 24/00 pointing at
 * byte 0; any bit the usage map does not claim (reserved, obsolete,
 * unsupported options, CONTROL byte NACA/LINK) 24/00 with a field
 * pointer to its byte and highest offending bit.
 */
#include <stdlib.h>
#include <string.h>
#include "spc.h"

#define RSOC_TIMEOUTS_LEN	12
#define RSOC_DEF_TIMEOUT	30

int spc_high_bit(uint8_t v)
{
	int bit = 7;

	while (bit > 0 && !(v & (1U << bit)))
		bit--;
	return bit;
}

static bool cmd_supported(struct scstu_dev *dev, const struct spc_cmd *c)
{
	return !c->supported || c->supported(dev);
}

/* First entry of opcode, or NULL. */
static const struct spc_cmd *find_opcode(const struct spc_cmd_table *t,
					 uint8_t opcode)
{
	unsigned int lo = 0, hi = t->nr;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (t->cmds[mid].opcode < opcode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nr && t->cmds[lo].opcode == opcode ? &t->cmds[lo] :
	       NULL;
}

/* Entry of opcode/sa among the supported ones; *bad_sa if only the
 * service action is unknown. */
static const struct spc_cmd *find_cmd(struct scstu_dev *dev,
				      const struct spc_cmd_table *t,
				      uint8_t opcode, uint16_t sa,
				      bool *bad_sa)
{
	const struct spc_cmd *c = find_opcode(t, opcode);
	const struct spc_cmd *end = t->cmds + t->nr;

	*bad_sa = false;
	if (!c)
		return NULL;
	if (!(c->flags & SPC_CMD_SA))
		return cmd_supported(dev, c) ? c : NULL;
	for (; c < end && c->opcode == opcode; c++)
		if (c->sa == sa && cmd_supported(dev, c))
			return c;
	*bad_sa = true;
	return NULL;
}

void spc_dispatch(struct scstu_req *req)
{
	struct scstu_dev *dev = req->dev;
	const uint8_t *cdb = req->cdb;
	const struct spc_cmd *c;
	unsigned int i;
	bool bad_sa;

	if (!req->cdb_len) {
		scstu_req_invalid_cdb(req, 0, -1);
		return;
	}
	c = find_cmd(dev, spc_of(dev)->cmds, cdb[0],
		     req->cdb_len > 1 ? cdb[1] & 0x1f : 0, &bad_sa);
	if (!c || !c->exec) {
		if (bad_sa)
			scstu_req_invalid_cdb(req, 1, 4);
		else
			scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x20, 0);
		return;
	}
	if (req->cdb_len < c->cdb_len) {
		scstu_req_invalid_cdb(req, 0, -1);
		return;
	}
	for (i = 1; i < c->cdb_len; i++) {
		uint8_t allowed = c->usage[i];
		uint8_t bad;

		if (i == 1 && (c->flags & SPC_CMD_SA))
			allowed |= 0x1f;
		bad = cdb[i] & ~allowed;
		if (bad) {
			scstu_req_invalid_cdb(req, i, spc_high_bit(bad));
			return;
		}
	}
	c->exec(req);
}

/* Command timeouts descriptor (SPC-4 6.35.4) */
static void put_timeouts(const struct spc_cmd *c, uint8_t *p)
{
	put_be16(RSOC_TIMEOUTS_LEN - 2, &p[0]);
	/* nominal 0: not specified */
	put_be32(c->timeout ? c->timeout : RSOC_DEF_TIMEOUT, &p[8]);
}

static uint32_t rsoc_all(struct scstu_dev *dev, const struct spc_cmd_table *t,
			 bool rctd, uint8_t *buf)
{
	uint32_t dlen = 8 + (rctd ? RSOC_TIMEOUTS_LEN : 0), off = 4;
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		const struct spc_cmd *c = &t->cmds[i];
		uint8_t *d = &buf[off];

		if (!cmd_supported(dev, c))
			continue;
		d[0] = c->opcode;
		if (c->flags & SPC_CMD_SA) {
			put_be16(c->sa, &d[2]);
			d[5] |= 0x01;			/* SERVACTV */
		}
		put_be16(c->cdb_len, &d[6]);
		if (rctd) {
			d[5] |= 0x02;			/* CTDP */
			put_timeouts(c, &d[8]);
		}
		off += dlen;
	}
	put_be32(off - 4, &buf[0]);
	return off;
}

static uint32_t rsoc_one(const struct spc_cmd *c, bool rctd, uint8_t *buf)
{
	if (!c) {
		buf[1] = 0x01;	/* SUPPORT 001b: not supported */
		return 4;
	}
	buf[1] = 0x03;		/* SUPPORT 011b: as the standard says */
	put_be16(c->cdb_len, &buf[2]);
	memcpy(&buf[4], c->usage, c->cdb_len);
	if (!rctd)
		return 4 + c->cdb_len;
	buf[1] |= 0x80;		/* CTDP */
	put_timeouts(c, &buf[4 + c->cdb_len]);
	return 4 + c->cdb_len + RSOC_TIMEOUTS_LEN;
}

void spc_rsoc(struct scstu_req *req)
{
	struct scstu_dev *dev = req->dev;
	const struct spc_cmd_table *t = spc_of(dev)->cmds;
	const uint8_t *cdb = req->cdb;
	bool rctd = cdb[2] & 0x80, has_sa, bad_sa;
	uint8_t ro = cdb[2] & 0x07, opcode = cdb[3];
	uint16_t sa = get_be16(&cdb[4]);
	uint32_t alloc = get_be32(&cdb[6]), len;
	const struct spc_cmd *c = find_opcode(t, opcode);
	uint8_t *buf;

	has_sa = c && (c->flags & SPC_CMD_SA);
	switch (ro) {
	case 0:		/* all commands */
		break;
	case 1:		/* one command without service action */
		if (has_sa) {
			scstu_req_invalid_cdb(req, 3, -1);
			return;
		}
		c = find_cmd(dev, t, opcode, 0, &bad_sa);
		break;
	case 2:		/* one command with service action */
		if (c && !has_sa) {
			scstu_req_invalid_cdb(req, 3, -1);
			return;
		}
		/* fall through */
	case 3:		/* one command, service action if it has them */
		if (sa > 0x1f && has_sa)
			c = NULL;
		else
			c = find_cmd(dev, t, opcode, has_sa ? sa : 0, &bad_sa);
		break;
	default:
		scstu_req_invalid_cdb(req, 2, 2);
		return;
	}
	buf = calloc(1, 4 + t->nr * (8 + RSOC_TIMEOUTS_LEN) + 16);
	if (!buf) {
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		return;
	}
	len = ro ? rsoc_one(c, rctd, buf) : rsoc_all(dev, t, rctd, buf);
	scstu_req_reply(req, buf, len < alloc ? len : alloc);
	free(buf);
}
