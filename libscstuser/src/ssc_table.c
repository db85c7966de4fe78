// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The tape drive command table: every SSC-4 and SPC-4 command the drive
 * knows, its CDB usage map (what the dispatcher accepts and RSOC
 * reports) and the recommended timeout of an LTO drive. Commands the
 * kernel core answers (REPORT LUNS, RESERVE/RELEASE) are listed without
 * a handler so RSOC is complete. Options the drive does not implement
 * are absent from the maps and refused with 24/00: WSMK (setmarks),
 * VERIFY of FORMAT MEDIUM, BAM of LOCATE(16), a SPACE(16) parameter
 * list, LLBAA of MODE SENSE(10).
 *
 * The tape services' commands (LOG SENSE/SELECT, READ/WRITE
 * ATTRIBUTE, SECURITY PROTOCOL IN/OUT) run in ssc_log.c, ssc_mam.c and
 * ssc_crypto.c.
 */
#include "ssc.h"

#define CTL	0x00	/* CONTROL byte: NACA and LINK are not supported */
#define FF4	0xff, 0xff, 0xff, 0xff
#define FF8	FF4, FF4
#define RP(sa)	{ 0x34, sa, 0, 0, 0, 0, 0, 0xff, 0xff, CTL }
#define RA(sa)	{ 0x8c, sa, SPC_CMD_SA, 16, ssc_read_attribute, NULL, 0, \
		  { 0x8c, sa, 0, 0, 0, 0xff, 0, 0xff, 0xff, 0xff, FF4, \
		    0x01, CTL } }		/* READ ATTRIBUTE */

static const struct spc_cmd ssc_cmds[] = {
	{ 0x00, 0, 0, 6, ssc_tur, NULL, 0,		/* TEST UNIT READY */
	  { 0x00, 0, 0, 0, 0, CTL } },
	{ 0x01, 0, 0, 6, ssc_rewind, NULL, 600,		/* REWIND */
	  { 0x01, 0x01, 0, 0, 0, CTL } },
	{ 0x03, 0, 0, 6, ssc_request_sense, NULL, 0,	/* REQUEST SENSE */
	  { 0x03, 0x01, 0, 0, 0xff, CTL } },
	{ 0x04, 0, 0, 6, ssc_format_medium, NULL, 3000,	/* FORMAT MEDIUM */
	  { 0x04, 0x01, 0x0f, 0, 0, CTL } },
	{ 0x05, 0, 0, 6, ssc_read_block_limits, NULL, 0,
	  { 0x05, 0x01, 0, 0, 0, CTL } },		/* READ BLOCK LIMITS */
	{ 0x08, 0, 0, 6, ssc_read6, NULL, 1200,		/* READ(6) */
	  { 0x08, 0x03, 0xff, 0xff, 0xff, CTL } },
	{ 0x0a, 0, 0, 6, ssc_write6, NULL, 1200,	/* WRITE(6) */
	  { 0x0a, 0x01, 0xff, 0xff, 0xff, CTL } },
	{ 0x10, 0, 0, 6, ssc_write_filemarks, NULL, 600,
	  { 0x10, 0x01, 0xff, 0xff, 0xff, CTL } },	/* WRITE FILEMARKS(6) */
	{ 0x11, 0, 0, 6, ssc_space6, NULL, 2000,	/* SPACE(6) */
	  { 0x11, 0x0f, 0xff, 0xff, 0xff, CTL } },
	{ 0x12, 0, 0, 6, spc_inquiry, NULL, 0,		/* INQUIRY */
	  { 0x12, 0x01, 0xff, 0xff, 0xff, CTL } },
	{ 0x15, 0, 0, 6, spc_mode_select, NULL, 0,	/* MODE SELECT(6) */
	  { 0x15, 0x11, 0, 0, 0xff, CTL } },
	{ 0x16, 0, 0, 6, NULL, NULL, 0,			/* RESERVE(6) */
	  { 0x16, 0, 0, 0, 0, CTL } },
	{ 0x17, 0, 0, 6, NULL, NULL, 0,			/* RELEASE(6) */
	  { 0x17, 0, 0, 0, 0, CTL } },
	{ 0x19, 0, 0, 6, ssc_erase, NULL, 20000,	/* ERASE(6) */
	  { 0x19, 0x03, 0, 0, 0, CTL } },
	{ 0x1a, 0, 0, 6, spc_mode_sense, NULL, 0,	/* MODE SENSE(6) */
	  { 0x1a, 0x08, 0xff, 0xff, 0xff, CTL } },
	{ 0x1b, 0, 0, 6, ssc_load_unload, NULL, 600,	/* LOAD UNLOAD */
	  { 0x1b, 0x01, 0, 0, 0x0f, CTL } },
	{ 0x1e, 0, 0, 6, ssc_prevent_allow, NULL, 0,	/* PREVENT ALLOW */
	  { 0x1e, 0, 0, 0, 0x03, CTL } },
	{ 0x2b, 0, 0, 10, ssc_locate10, NULL, 2000,	/* LOCATE(10) */
	  { 0x2b, 0x07, 0, FF4, 0, 0xff, CTL } },
	{ 0x34, 0x00, SPC_CMD_SA, 10, ssc_read_position, NULL, 0,
	  RP(0x00) },			/* READ POSITION short, block id */
	{ 0x34, 0x01, SPC_CMD_SA, 10, ssc_read_position, NULL, 0,
	  RP(0x01) },			/* READ POSITION short, vendor */
	{ 0x34, 0x06, SPC_CMD_SA, 10, ssc_read_position, NULL, 0,
	  RP(0x06) },			/* READ POSITION long */
	{ 0x34, 0x08, SPC_CMD_SA, 10, ssc_read_position, NULL, 0,
	  RP(0x08) },			/* READ POSITION extended */
	{ 0x44, 0, 0, 10, ssc_report_density, NULL, 0,	/* REPORT DENSITY */
	  { 0x44, 0x03, 0, 0, 0, 0, 0, 0xff, 0xff, CTL } },
	{ 0x4c, 0, 0, 10, ssc_log_select, NULL, 0,	/* LOG SELECT */
	  { 0x4c, 0x03, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, CTL } },
	{ 0x4d, 0, 0, 10, ssc_log_sense, NULL, 0,	/* LOG SENSE */
	  { 0x4d, 0x03, 0xff, 0xff, 0, 0xff, 0xff, 0xff, 0xff, CTL } },
	{ 0x55, 0, 0, 10, spc_mode_select, NULL, 0,	/* MODE SELECT(10) */
	  { 0x55, 0x11, 0, 0, 0, 0, 0, 0xff, 0xff, CTL } },
	{ 0x56, 0, 0, 10, NULL, NULL, 0,		/* RESERVE(10) */
	  { 0x56, 0, 0, 0, 0, 0, 0, 0, 0, CTL } },
	{ 0x57, 0, 0, 10, NULL, NULL, 0,		/* RELEASE(10) */
	  { 0x57, 0, 0, 0, 0, 0, 0, 0, 0, CTL } },
	{ 0x5a, 0, 0, 10, spc_mode_sense, NULL, 0,	/* MODE SENSE(10) */
	  { 0x5a, 0x08, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, CTL } },
	RA(0x00), RA(0x01), RA(0x02), RA(0x03), RA(0x05),
	{ 0x8d, 0, 0, 16, ssc_write_attribute, NULL, 0,	/* WRITE ATTRIBUTE */
	  { 0x8d, 0x01, 0, 0, 0, 0xff, 0, 0xff, 0, 0, FF4, 0, CTL } },
	{ 0x91, 0, 0, 16, ssc_space16, NULL, 2000,	/* SPACE(16) */
	  { 0x91, 0x0f, 0, 0, FF8, 0, 0, 0, CTL } },
	{ 0x92, 0, 0, 16, ssc_locate16, NULL, 2000,	/* LOCATE(16) */
	  { 0x92, 0x3b, 0, 0xff, FF8, 0, 0, 0, CTL } },
	{ 0xa0, 0, 0, 12, NULL, NULL, 0,		/* REPORT LUNS */
	  { 0xa0, 0, 0xff, 0, 0, 0, FF4, 0, CTL } },
	{ 0xa2, 0, 0, 12, ssc_security_in, NULL, 0,	/* SECURITY PROT. IN */
	  { 0xa2, 0xff, 0xff, 0xff, 0x80, 0, FF4, 0, CTL } },
	{ 0xa3, 0x0c, SPC_CMD_SA, 12, spc_rsoc, NULL, 0,
	  { 0xa3, 0x0c, 0x87, 0xff, 0xff, 0xff, FF4, 0, CTL } },
	{ 0xb5, 0, 0, 12, ssc_security_out, NULL, 0,	/* ... OUT */
	  { 0xb5, 0xff, 0xff, 0xff, 0x80, 0, FF4, 0, CTL } },
};

const struct spc_cmd_table ssc_cmd_table = {
	.cmds = ssc_cmds,
	.nr = sizeof(ssc_cmds) / sizeof(ssc_cmds[0]),
};
