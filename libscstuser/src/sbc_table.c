// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The disk class command table: every command, its CDB usage map (what
 * the dispatcher accepts and RSOC reports) and whether the handler's
 * callbacks allow it. Commands the kernel core answers (REQUEST SENSE,
 * REPORT LUNS, RESERVE/RELEASE) are listed without a handler so RSOC is
 * complete.
 */
#include "sbc.h"

#define CTL	0x00	/* CONTROL byte: NACA and LINK are not supported */
#define RWFL	0x18	/* DPO, FUA; RDPROTECT/WRPROTECT 0 */
#define VRFL	0x16	/* DPO, BYTCHK; VRPROTECT 0 */
#define GRP	0x1f	/* GROUP NUMBER */
#define FF4	0xff, 0xff, 0xff, 0xff
#define FF8	FF4, FF4

static bool caw_ok(struct scstu_dev *dev)
{
	return sbc_has_caw(dev);
}

static const struct spc_cmd sbc_cmds[] = {
	{ 0x00, 0, 0, 6, sbc_tur, NULL, 0,		/* TEST UNIT READY */
	  { 0x00, 0, 0, 0, 0, CTL } },
	{ 0x03, 0, 0, 6, NULL, NULL, 0,			/* REQUEST SENSE */
	  { 0x03, 0x01, 0, 0, 0xff, CTL } },
	{ 0x04, 0, 0, 6, sbc_format_unit, sbc_has_write, 0,
	  { 0x04, 0, 0, 0, 0, CTL } },			/* FORMAT UNIT */
	{ 0x08, 0, 0, 6, sbc_read, NULL, 0,		/* READ(6) */
	  { 0x08, 0x1f, 0xff, 0xff, 0xff, CTL } },
	{ 0x0a, 0, 0, 6, sbc_write, sbc_has_write, 0,	/* WRITE(6) */
	  { 0x0a, 0x1f, 0xff, 0xff, 0xff, CTL } },
	{ 0x12, 0, 0, 6, spc_inquiry, NULL, 0,		/* INQUIRY */
	  { 0x12, 0x01, 0xff, 0xff, 0xff, CTL } },
	{ 0x15, 0, 0, 6, spc_mode_select, NULL, 0,	/* MODE SELECT(6) */
	  { 0x15, 0x11, 0, 0, 0xff, CTL } },
	{ 0x16, 0, 0, 6, NULL, NULL, 0,			/* RESERVE(6) */
	  { 0x16, 0, 0, 0, 0, CTL } },
	{ 0x17, 0, 0, 6, NULL, NULL, 0,			/* RELEASE(6) */
	  { 0x17, 0, 0, 0, 0, CTL } },
	{ 0x1a, 0, 0, 6, spc_mode_sense, NULL, 0,	/* MODE SENSE(6) */
	  { 0x1a, 0x08, 0xff, 0xff, 0xff, CTL } },
	{ 0x1b, 0, 0, 6, sbc_start_stop, NULL, 0,	/* START STOP UNIT */
	  { 0x1b, 0x01, 0, 0x0f, 0xf7, CTL } },
	{ 0x25, 0, 0, 10, sbc_read_capacity, NULL, 0,	/* READ CAPACITY */
	  { 0x25, 0, FF4, 0, 0, 0x01, CTL } },
	{ 0x28, 0, 0, 10, sbc_read, NULL, 0,		/* READ(10) */
	  { 0x28, RWFL, FF4, GRP, 0xff, 0xff, CTL } },
	{ 0x2a, 0, 0, 10, sbc_write, sbc_has_write, 0,	/* WRITE(10) */
	  { 0x2a, RWFL, FF4, GRP, 0xff, 0xff, CTL } },
	{ 0x2e, 0, 0, 10, sbc_write, sbc_has_write, 0,	/* WRITE AND VERIFY */
	  { 0x2e, VRFL, FF4, GRP, 0xff, 0xff, CTL } },
	{ 0x2f, 0, 0, 10, sbc_verify, NULL, 0,		/* VERIFY(10) */
	  { 0x2f, VRFL, FF4, GRP, 0xff, 0xff, CTL } },
	{ 0x34, 0, 0, 10, sbc_prefetch, NULL, 0,	/* PRE-FETCH(10) */
	  { 0x34, 0x02, FF4, GRP, 0xff, 0xff, CTL } },
	{ 0x35, 0, 0, 10, sbc_sync_cache, NULL, 0,	/* SYNC CACHE(10) */
	  { 0x35, 0x02, FF4, GRP, 0xff, 0xff, CTL } },
	{ 0x41, 0, 0, 10, sbc_write_same, sbc_has_write_same, 0,
	  { 0x41, 0x08, FF4, GRP, 0xff, 0xff, CTL } },	/* WRITE SAME(10) */
	{ 0x42, 0, 0, 10, sbc_unmap, sbc_has_unmap, 0,	/* UNMAP */
	  { 0x42, 0, 0, 0, 0, 0, GRP, 0xff, 0xff, CTL } },
	{ 0x55, 0, 0, 10, spc_mode_select, NULL, 0,	/* MODE SELECT(10) */
	  { 0x55, 0x11, 0, 0, 0, 0, 0, 0xff, 0xff, CTL } },
	{ 0x56, 0, 0, 10, NULL, NULL, 0,		/* RESERVE(10) */
	  { 0x56, 0, 0, 0, 0, 0, 0, 0, 0, CTL } },
	{ 0x57, 0, 0, 10, NULL, NULL, 0,		/* RELEASE(10) */
	  { 0x57, 0, 0, 0, 0, 0, 0, 0, 0, CTL } },
	{ 0x5a, 0, 0, 10, spc_mode_sense, NULL, 0,	/* MODE SENSE(10) */
	  { 0x5a, 0x18, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, CTL } },
	{ 0x88, 0, 0, 16, sbc_read, NULL, 0,		/* READ(16) */
	  { 0x88, RWFL, FF8, FF4, GRP, CTL } },
	{ 0x89, 0, 0, 16, sbc_compare_and_write, caw_ok, 0,
	  { 0x89, RWFL, FF8, 0, 0, 0, 0xff, GRP, CTL } },
	{ 0x8a, 0, 0, 16, sbc_write, sbc_has_write, 0,	/* WRITE(16) */
	  { 0x8a, RWFL, FF8, FF4, GRP, CTL } },
	{ 0x8e, 0, 0, 16, sbc_write, sbc_has_write, 0,	/* WRITE AND VERIFY */
	  { 0x8e, VRFL, FF8, FF4, GRP, CTL } },
	{ 0x8f, 0, 0, 16, sbc_verify, NULL, 0,		/* VERIFY(16) */
	  { 0x8f, VRFL, FF8, FF4, GRP, CTL } },
	{ 0x90, 0, 0, 16, sbc_prefetch, NULL, 0,	/* PRE-FETCH(16) */
	  { 0x90, 0x02, FF8, FF4, GRP, CTL } },
	{ 0x91, 0, 0, 16, sbc_sync_cache, NULL, 0,	/* SYNC CACHE(16) */
	  { 0x91, 0x02, FF8, FF4, GRP, CTL } },
	{ 0x93, 0, 0, 16, sbc_write_same, sbc_has_write_same, 0,
	  { 0x93, 0x09, FF8, FF4, GRP, CTL } },		/* WRITE SAME(16) */
	{ 0x9e, 0x10, SPC_CMD_SA, 16, sbc_read_capacity16, NULL, 0,
	  { 0x9e, 0x10, FF8, FF4, 0x01, CTL } },	/* READ CAPACITY(16) */
	{ 0x9e, 0x12, SPC_CMD_SA, 16, sbc_get_lba_status, sbc_has_map_status,
	  0, { 0x9e, 0x12, FF8, FF4, 0, CTL } },	/* GET LBA STATUS */
	{ 0xa0, 0, 0, 12, NULL, NULL, 0,		/* REPORT LUNS */
	  { 0xa0, 0, 0xff, 0, 0, 0, FF4, 0, CTL } },
	{ 0xa3, 0x0c, SPC_CMD_SA, 12, spc_rsoc, NULL, 0,
	  { 0xa3, 0x0c, 0x87, 0xff, 0xff, 0xff, FF4, 0, CTL } },
	{ 0xa8, 0, 0, 12, sbc_read, NULL, 0,		/* READ(12) */
	  { 0xa8, RWFL, FF4, FF4, GRP, CTL } },
	{ 0xaa, 0, 0, 12, sbc_write, sbc_has_write, 0,	/* WRITE(12) */
	  { 0xaa, RWFL, FF4, FF4, GRP, CTL } },
};

const struct spc_cmd_table sbc_cmd_table = {
	.cmds = sbc_cmds,
	.nr = sizeof(sbc_cmds) / sizeof(sbc_cmds[0]),
};
