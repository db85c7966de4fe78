/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the SDK's changer class through the harness: a test
 * library (1 transport, 4 drives, 4 import/export, 20 storage elements,
 * IBM-like addresses) whose ->move records the moves and fails on
 * demand, and helpers to send CDBs and check sense.
 */
#ifndef CHANGER_TEST_H
#define CHANGER_TEST_H

#include <check.h>
#include <stdint.h>
#include "scstuser.h"
#include "scstuser_changer.h"
#include "scstuser_harness.h"
#include "harness_check.h"

#define TL_MT		1
#define TL_DT		0x101	/* 257..260 */
#define TL_IE		0x301	/* 769..772 */
#define TL_ST		0x401	/* 1025..1044 */
#define TL_NR_DT	4
#define TL_NR_IE	4
#define TL_NR_ST	20
#define TL_NR_ELEMS	(1 + TL_NR_DT + TL_NR_IE + TL_NR_ST)
#define TL_ID_LEN	34	/* T10 vendor ID designator of a drive */

struct tmove {
	uint16_t src, dst;
	enum scstu_elem_type src_type, dst_type;
	char voltag[SCSTU_VOLTAG_LEN + 1];
};

struct tlib {
	struct scstu_harness *h;
	struct scstu_dev *dev;
	struct tmove moves[32];
	unsigned int nr_moves;
	unsigned int nr_changed;
	int fail;		/* ->move returns this ... */
	unsigned int fail_at;	/* ... on this call (0: the next one) */
	unsigned int calls;
	unsigned int nr_resets;
	struct scstu_changer_drive drives[TL_NR_DT];
	/* what ->changed saw (scstu_changer_list from inside it) */
	unsigned int changed_full;
};

extern struct tlib tl;

/* Create tl: drives with DVCID data unless no_ids; mode_file may be NULL. */
void tl_setup_opts(bool no_ids, const char *mode_file);
void tl_setup(void);
void tl_teardown(void);
/* Put cartridge voltag into slot i (0-based storage element). */
void tl_fill_slot(unsigned int i, const char *voltag);

void c_run(const uint8_t *cdb, unsigned int len, enum scstu_dir dir,
	   void *buf, uint32_t xfer, struct scstu_harness_result *res);
void c_run_sess(uint64_t session, const uint8_t *cdb, unsigned int len,
		enum scstu_dir dir, void *buf, uint32_t xfer,
		struct scstu_harness_result *res);

uint16_t c_be16(const uint8_t *p);
uint32_t c_be24(const uint8_t *p);
void c_put16(uint16_t v, uint8_t *p);

/* CDB builders */
void c_move(uint8_t *cdb, uint16_t t, uint16_t src, uint16_t dst);
void c_res(uint8_t *cdb, uint8_t type, bool voltag, uint16_t start,
	   uint16_t nr, bool dvcid, uint32_t alloc);
/* MOVE MEDIUM src -> dst on tl, session 0; returns the result. */
struct scstu_harness_result c_do_move(uint16_t src, uint16_t dst);

#endif /* CHANGER_TEST_H */
