// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The changer class command table: every command, its CDB usage map
 * (what the dispatcher accepts and RSOC reports). Commands the kernel
 * core answers (REQUEST SENSE, REPORT LUNS, RESERVE/RELEASE) are listed
 * without a handler so RSOC is complete.
 *
 * Byte 1 bits 7:5 (the obsolete SCSI-2 LUN field) are accepted and
 * ignored in the commands the Linux ch driver sends: it fills them with
 * the changer's LUN. Bits 7:6 of the CONTROL byte of MOVE MEDIUM and
 * EXCHANGE MEDIUM (vendor specific; mtx's "eepos") are accepted and
 * ignored too. INVERT is not in the maps: the robot cannot rotate a
 * cartridge, so INVERT=1 gets 24/00 pointing at the bit.
 */
#include "smc.h"

#define CTL	0x00	/* CONTROL byte: NACA and LINK are not supported */
#define CTLV	0xc0	/* vendor specific bits of CONTROL, ignored */
#define LUN	0xe0	/* obsolete LUN field of byte 1, ignored */
#define FF2	0xff, 0xff
#define FF4	FF2, FF2

static const struct spc_cmd smc_cmds[] = {
	{ 0x00, 0, 0, 6, smc_tur, NULL, 0,		/* TEST UNIT READY */
	  { 0x00, 0, 0, 0, 0, CTL } },
	{ 0x03, 0, 0, 6, NULL, NULL, 0,			/* REQUEST SENSE */
	  { 0x03, 0x01, 0, 0, 0xff, CTL } },
	{ 0x07, 0, 0, 6, smc_init_status, NULL, 0,	/* INIT ELEM STATUS */
	  { 0x07, LUN, 0, 0, 0, CTL } },
	{ 0x12, 0, 0, 6, spc_inquiry, NULL, 0,		/* INQUIRY */
	  { 0x12, 0x01, 0xff, 0xff, 0xff, CTL } },
	{ 0x15, 0, 0, 6, spc_mode_select, NULL, 0,	/* MODE SELECT(6) */
	  { 0x15, 0x11, 0, 0, 0xff, CTL } },
	{ 0x16, 0, 0, 6, NULL, NULL, 0,			/* RESERVE(6) */
	  { 0x16, 0, 0, 0, 0, CTL } },
	{ 0x17, 0, 0, 6, NULL, NULL, 0,			/* RELEASE(6) */
	  { 0x17, 0, 0, 0, 0, CTL } },
	{ 0x1a, 0, 0, 6, spc_mode_sense, NULL, 0,	/* MODE SENSE(6) */
	  { 0x1a, LUN | 0x08, 0xff, 0xff, 0xff, CTL } },
	{ 0x1e, 0, 0, 6, smc_prevent_allow, NULL, 0,	/* PREVENT ALLOW */
	  { 0x1e, 0, 0, 0, 0x01, CTL } },
	{ 0x2b, 0, 0, 10, smc_position, NULL, 0,	/* POSITION TO ELEM */
	  { 0x2b, LUN, FF4, 0, 0, 0, CTL } },
	{ 0x37, 0, 0, 10, smc_init_status_range, NULL, 0,
	  { 0x37, 0x03, FF2, 0, 0, FF2, 0, CTL } },	/* IES WITH RANGE */
	{ 0x55, 0, 0, 10, spc_mode_select, NULL, 0,	/* MODE SELECT(10) */
	  { 0x55, 0x11, 0, 0, 0, 0, 0, 0xff, 0xff, CTL } },
	{ 0x56, 0, 0, 10, NULL, NULL, 0,		/* RESERVE(10) */
	  { 0x56, 0, 0, 0, 0, 0, 0, 0, 0, CTL } },
	{ 0x57, 0, 0, 10, NULL, NULL, 0,		/* RELEASE(10) */
	  { 0x57, 0, 0, 0, 0, 0, 0, 0, 0, CTL } },
	{ 0x5a, 0, 0, 10, spc_mode_sense, NULL, 0,	/* MODE SENSE(10) */
	  { 0x5a, 0x18, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, CTL } },
	{ 0xa0, 0, 0, 12, NULL, NULL, 0,		/* REPORT LUNS */
	  { 0xa0, 0, 0xff, 0, 0, 0, FF4, 0, CTL } },
	{ 0xa3, 0x0c, SPC_CMD_SA, 12, spc_rsoc, NULL, 0,
	  { 0xa3, 0x0c, 0x87, 0xff, 0xff, 0xff, FF4, 0, CTL } },
	{ 0xa5, 0, 0, 12, smc_move_medium, NULL, 0,	/* MOVE MEDIUM */
	  { 0xa5, LUN, FF4, FF2, 0, 0, 0, CTLV } },
	{ 0xa6, 0, 0, 12, smc_exchange_medium, NULL, 0,	/* EXCHANGE MEDIUM */
	  { 0xa6, LUN, FF4, FF4, 0, CTLV } },
	{ 0xb8, 0, 0, 12, smc_read_element_status, NULL, 0,
	  { 0xb8, LUN | 0x1f, FF4, 0x03, 0xff, FF2, 0, CTL } },
};

const struct spc_cmd_table smc_cmd_table = {
	.cmds = smc_cmds,
	.nr = sizeof(smc_cmds) / sizeof(smc_cmds[0]),
};
