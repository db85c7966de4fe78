// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tape class: READ(6), WRITE(6), WRITE FILEMARKS(6) in variable and
 * fixed block mode, ILI and residues, filemarks and EOD while reading,
 * early warning and end of partition, medium errors, REQUEST SENSE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tape_test.h"

#define SILI	0x02
#define FIXED	0x01

START_TEST(test_variable_round_trip)
{
	struct scstu_harness_result res;
	uint8_t buf[3000], exp[3000];

	tt_put_block(1000, 1);
	tt_put_block(3000, 2);
	tt_put_block(1, 3);
	tt_at(3, 0);
	tt_rewind(&res);
	hc_good(&res);
	tt_at(0, 0);
	tt_read(0, 1000, buf, 1000, &res);
	hc_good(&res);
	tt_fill(exp, 1000, 1);
	ck_assert_mem_eq(buf, exp, 1000);
	tt_read(0, 3000, buf, 3000, &res);
	hc_good(&res);
	tt_fill(exp, 3000, 2);
	ck_assert_mem_eq(buf, exp, 3000);
	tt_read(0, 1, buf, 1, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[0], 3);
	tt_at(3, 0);
	/* then end of data: BLANK CHECK, residue = the whole request */
	tt_read(0, 512, buf, 512, &res);
	tt_sense_full(&res, SCSTU_BLANK_CHECK, 0x00, 0x05, SCSTU_SENSE_INFO,
		      512);
	ck_assert_int_eq(res.resid, 512);
	tt_at(3, 0);
}
END_TEST

START_TEST(test_ili_underlength)
{
	struct scstu_harness_result res;
	uint8_t buf[4096], exp[1000];

	tt_put_block(1000, 9);
	tt_put_block(1000, 9);
	tt_rewind(&res);
	/* a 1000-byte block read with 4096: ILI, INFORMATION +3096 */
	tt_read(0, 4096, buf, 4096, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x00,
		      SCSTU_SENSE_ILI | SCSTU_SENSE_INFO, 3096);
	ck_assert_int_eq(res.resid, 3096);
	tt_fill(exp, 1000, 9);
	ck_assert_mem_eq(buf, exp, 1000);
	tt_at(1, 0);
	/* SILI: no ILI for an underlength block */
	tt_read(SILI, 4096, buf, 4096, &res);
	hc_good(&res);
	ck_assert_int_eq(res.resid, 3096);
	tt_at(2, 0);
}
END_TEST

START_TEST(test_ili_overlength)
{
	struct scstu_harness_result res;
	uint8_t buf[600], exp[2000];

	tt_put_block(2000, 4);
	tt_put_block(2000, 4);
	tt_put_block(2000, 4);
	tt_rewind(&res);
	/* overlength: truncated data, negative INFORMATION, after block */
	tt_read(0, 600, buf, 600, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x00,
		      SCSTU_SENSE_ILI | SCSTU_SENSE_INFO, -1400);
	ck_assert_int_eq(res.resid, 0);
	tt_fill(exp, 2000, 4);
	ck_assert_mem_eq(buf, exp, 600);
	tt_at(1, 0);
	/* SILI with block length 0: not reported */
	tt_read(SILI, 600, buf, 600, &res);
	hc_good(&res);
	tt_at(2, 0);
	/* SILI with a block length set: overlength is still reported */
	tt_setblk(512, &res);
	hc_good(&res);
	tt_read(SILI, 600, buf, 600, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x00,
		      SCSTU_SENSE_ILI | SCSTU_SENSE_INFO, -1400);
	tt_at(3, 0);
}
END_TEST

START_TEST(test_ili_descriptor_sense)
{
	struct scstu_harness_result res;
	struct scstu_sense s;
	uint8_t buf[100];

	/* control page D_SENSE: descriptor format, 64-bit INFORMATION */
	ck_assert_int_eq(scstu_dev_set_d_sense(tt.dev, true), 0);
	tt_put_block(300, 1);
	tt_rewind(&res);
	tt_read(0, 100, buf, 100, &res);
	hc_sense(&res, SCSTU_NO_SENSE, 0, 0);
	ck_assert_int_eq(res.sense[0], 0x72);
	ck_assert_int_eq(scstu_sense_parse(res.sense, res.sense_len, &s), 0);
	ck_assert(s.flags & SCSTU_SENSE_ILI);
	ck_assert(s.flags & SCSTU_SENSE_INFO);
	ck_assert_int_eq((int64_t)s.info, -200);
}
END_TEST

START_TEST(test_fixed_mode)
{
	struct scstu_harness_result res;
	uint8_t buf[4 * 512], exp[4 * 512];

	tt_setblk(512, &res);
	hc_good(&res);
	tt_fill(buf, sizeof(buf), 5);
	tt_write(true, 4, buf, sizeof(buf), &res);
	hc_good(&res);
	tt_at(4, 0);
	tt_wfm(1, false, &res);
	hc_good(&res);
	tt_put_block(100, 1);		/* variable write in fixed mode */
	tt_rewind(&res);
	memset(buf, 0, sizeof(buf));
	tt_read(FIXED, 3, buf, 3 * 512, &res);
	hc_good(&res);
	tt_fill(exp, sizeof(exp), 5);
	ck_assert_mem_eq(buf, exp, 3 * 512);
	/* 1 block left before the filemark: 2 blocks not read */
	tt_read(FIXED, 3, buf, 3 * 512, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x01,
		      SCSTU_SENSE_FILEMARK | SCSTU_SENSE_INFO, 2);
	ck_assert_int_eq(res.resid, 2 * 512);
	ck_assert_mem_eq(buf, exp + 3 * 512, 512);
	tt_at(5, 1);
	/* a 100-byte block: ILI, INFORMATION = blocks not read (2) */
	tt_read(FIXED, 2, buf, 2 * 512, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x00,
		      SCSTU_SENSE_ILI | SCSTU_SENSE_INFO, 2);
	ck_assert_int_eq(res.resid, 2 * 512);
	tt_at(6, 1);
	tt_read(FIXED, 2, buf, 2 * 512, &res);
	tt_sense_full(&res, SCSTU_BLANK_CHECK, 0x00, 0x05, SCSTU_SENSE_INFO,
		      2);
}
END_TEST

START_TEST(test_fixed_cdb_errors)
{
	struct scstu_harness_result res;
	uint8_t buf[1024];

	/* FIXED in variable block mode */
	tt_read(FIXED, 1, buf, 512, &res);
	hc_field(&res, 0x24, 0, 1, 0);
	tt_write(true, 1, buf, 512, &res);
	hc_field(&res, 0x24, 0, 1, 0);
	tt_setblk(512, &res);
	hc_good(&res);
	/* SILI and FIXED together */
	tt_read(FIXED | SILI, 1, buf, 512, &res);
	hc_field(&res, 0x24, 0, 1, 1);
	/* expected length shorter than the blocks */
	tt_write(true, 2, buf, 512, &res);
	hc_field(&res, 0x24, 0, 2, -1);
	tt_read(FIXED, 2, buf, 1000, &res);
	hc_field(&res, 0x24, 0, 2, -1);
	/* wrong direction */
	tt_write(true, 1, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 2, -1);
	/* reserved bit in READ byte 1, CONTROL byte */
	{
		uint8_t cdb[6] = { 0x08, 0x04, 0, 0, 1, 0 };

		tt_run(cdb, 6, SCSTU_DIR_READ, buf, 1, &res);
		hc_field(&res, 0x24, 0, 1, 2);
		cdb[1] = 0;
		cdb[5] = 0x04;
		tt_run(cdb, 6, SCSTU_DIR_READ, buf, 1, &res);
		hc_field(&res, 0x24, 0, 5, 2);
	}
	/* nothing was written */
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 0);
}
END_TEST

START_TEST(test_variable_too_long)
{
	struct scstu_harness_result res;
	uint8_t cdb[6] = { 0x0a, 0, 0x80, 0x00, 0x01 };	/* 8 MiB + 1 */

	/* above the READ BLOCK LIMITS maximum (8 MiB on IBM) */
	tt_run(cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 2, -1);
	/* transfer length 0: nothing happens */
	tt_write(false, 0, NULL, 0, &res);
	hc_good(&res);
	tt_read(0, 0, NULL, 0, &res);
	hc_good(&res);
	tt_at(0, 0);
}
END_TEST

START_TEST(test_filemark_read)
{
	struct scstu_harness_result res;
	uint8_t buf[512];

	tt_put_block(512, 1);
	tt_wfm(2, false, &res);
	hc_good(&res);
	tt_put_block(512, 2);
	tt_rewind(&res);
	tt_read(0, 512, buf, 512, &res);
	hc_good(&res);
	tt_read(0, 512, buf, 512, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x01,
		      SCSTU_SENSE_FILEMARK | SCSTU_SENSE_INFO, 512);
	ck_assert_int_eq(res.resid, 512);
	tt_at(2, 1);	/* after the filemark */
	tt_read(SILI, 512, buf, 512, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x01,
		      SCSTU_SENSE_FILEMARK | SCSTU_SENSE_INFO, 512);
	tt_at(3, 2);
	tt_read(0, 512, buf, 512, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[0], 2);
}
END_TEST

START_TEST(test_request_sense)
{
	struct scstu_harness_result res;
	uint8_t rs[6] = { 0x03, 0, 0, 0, 96 }, sense[96], buf[64];
	struct scstu_harness_result r2;
	struct scstu_sense s;

	tt_wfm(1, false, &res);
	hc_good(&res);
	tt_rewind(&res);
	tt_read(0, 64, buf, 64, &res);
	hc_sense(&res, SCSTU_NO_SENSE, 0, 1);
	/* REQUEST SENSE returns the sense of that command */
	tt_run(rs, 6, SCSTU_DIR_READ, sense, sizeof(sense), &r2);
	hc_good(&r2);
	ck_assert_int_eq(r2.xfer, 18);
	ck_assert_int_eq(scstu_sense_parse(sense, r2.xfer, &s), 0);
	ck_assert_int_eq(s.key, SCSTU_NO_SENSE);
	ck_assert_int_eq(s.asc, 0);
	ck_assert_int_eq(s.ascq, 1);
	ck_assert(s.flags & SCSTU_SENSE_FILEMARK);
	ck_assert_int_eq(s.info, 64);
	/* once: then no sense */
	tt_run(rs, 6, SCSTU_DIR_READ, sense, sizeof(sense), &r2);
	hc_good(&r2);
	ck_assert_int_eq(scstu_sense_parse(sense, r2.xfer, &s), 0);
	ck_assert_int_eq(s.key, 0);
	ck_assert_int_eq(s.asc, 0);
	ck_assert(!(s.flags & SCSTU_SENSE_FILEMARK));
	/* EOD, asked in descriptor format */
	tt_read(0, 64, buf, 64, &res);
	hc_sense(&res, SCSTU_BLANK_CHECK, 0, 5);
	rs[1] = 0x01;
	tt_run(rs, 6, SCSTU_DIR_READ, sense, sizeof(sense), &r2);
	hc_good(&r2);
	ck_assert_int_eq(sense[0], 0x72);
	ck_assert_int_eq(scstu_sense_parse(sense, r2.xfer, &s), 0);
	ck_assert_int_eq(s.key, SCSTU_BLANK_CHECK);
	ck_assert_int_eq(s.ascq, 5);
	ck_assert_int_eq(s.info, 64);
	/* another command in between clears it */
	tt_read(0, 64, buf, 64, &res);
	tt_rewind(&res);
	hc_good(&res);
	rs[1] = 0;
	tt_run(rs, 6, SCSTU_DIR_READ, sense, sizeof(sense), &r2);
	ck_assert_int_eq(scstu_sense_parse(sense, r2.xfer, &s), 0);
	ck_assert_int_eq(s.key, 0);
	/* kept for its I_T nexus only: another one's commands do not
	 * see or clear it */
	tt_read(0, 64, buf, 64, &res);
	hc_sense(&res, SCSTU_NO_SENSE, 0, 1);	/* the filemark at BOP */
	{
		struct scstu_harness_cmd c = {
			.cdb = rs, .cdb_len = 6, .dir = SCSTU_DIR_READ,
			.data = sense, .xfer_len = sizeof(sense), .session = 9,
		};
		uint8_t tur[6] = { 0 };

		ck_assert_int_eq(scstu_harness_run(tt.dev, &c, &r2), 0);
		hc_good(&r2);
		ck_assert_int_eq(scstu_sense_parse(sense, r2.xfer, &s), 0);
		ck_assert_int_eq(s.key, 0);
		c.cdb = tur;
		c.dir = SCSTU_DIR_NONE;
		c.data = NULL;
		c.xfer_len = 0;
		ck_assert_int_eq(scstu_harness_run(tt.dev, &c, &r2), 0);
		hc_good(&r2);
	}
	tt_run(rs, 6, SCSTU_DIR_READ, sense, sizeof(sense), &r2);
	ck_assert_int_eq(scstu_sense_parse(sense, r2.xfer, &s), 0);
	ck_assert(s.flags & SCSTU_SENSE_FILEMARK);
	ck_assert_int_eq(s.ascq, 1);
	/* allocation length truncates */
	rs[4] = 8;
	tt_run(rs, 6, SCSTU_DIR_READ, sense, sizeof(sense), &r2);
	hc_good(&r2);
	ck_assert_int_eq(r2.xfer, 8);
}
END_TEST

START_TEST(test_wfm)
{
	struct scstu_harness_result res;
	unsigned int syncs;

	tt_put_block(100, 1);
	syncs = tt.m->syncs;
	tt_wfm(1, true, &res);		/* IMMED: no sync */
	hc_good(&res);
	ck_assert_uint_eq(tt.m->syncs, syncs);
	tt_wfm(0, false, &res);		/* count 0: a flush point */
	hc_good(&res);
	ck_assert_uint_eq(tt.m->syncs, syncs + 1);
	tt_at(2, 1);
	tt_wfm(3, false, &res);
	hc_good(&res);
	tt_at(5, 4);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 5);
	/* WSMK (setmarks) is refused */
	{
		uint8_t cdb[6] = { 0x10, 0x02, 0, 0, 1, 0 };

		tt_run(cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
		hc_field(&res, 0x24, 0, 1, 1);
	}
	/* a failing sync is a write error */
	tt.m->fail_sync = -EIO;
	tt_wfm(1, false, &res);
	hc_sense(&res, SCSTU_MEDIUM_ERROR, 0x0c, 0x00);
}
END_TEST

START_TEST(test_overwrite_truncates)
{
	struct scstu_harness_result res;
	uint8_t buf[100];

	tt_put_block(100, 1);
	tt_put_block(100, 2);
	tt_wfm(1, false, &res);
	tt_put_block(100, 3);
	tt_locate16(0, false, 0, 1, &res);
	hc_good(&res);
	tt_put_block(50, 7);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 2);
	tt_read(0, 100, buf, 100, &res);
	hc_sense(&res, SCSTU_BLANK_CHECK, 0, 5);
	tt_rewind(&res);
	tt_read(0, 100, buf, 100, &res);
	hc_good(&res);
	tt_read(SILI, 100, buf, 100, &res);
	hc_good(&res);
	ck_assert_int_eq(res.resid, 50);
	ck_assert_int_eq(buf[0], 7);
}
END_TEST

/* Early warning (last 2%) and end of partition on a 100 000-byte tape. */
START_TEST(test_ew_eom)
{
	struct scstu_harness_result res;
	uint8_t *buf = calloc(1, 10000);
	uint64_t n = 0;
	unsigned int i;

	tt_teardown();
	tt_setup(NULL, 8, 100000, 0);
	/* 97 000 bytes: before the EW zone (98 000) */
	for (i = 0; i < 97; i++) {
		tt_write(false, 1000, buf, 1000, &res);
		hc_good(&res);
	}
	/* crossing into it: written, NO SENSE, EOM, 00/02, INFO 0 */
	tt_write(false, 1500, buf, 1500, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x02,
		      SCSTU_SENSE_EOM | SCSTU_SENSE_INFO, 0);
	ck_assert_int_eq(res.resid, 0);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 98);
	/* READ POSITION: EOP and BPEW */
	{
		uint8_t cdb[10] = { 0x34 }, rp[20];

		tt_run(cdb, 10, SCSTU_DIR_READ, rp, 20, &res);
		hc_good(&res);
		ck_assert_int_eq(rp[0] & 0xc1, 0x41);
	}
	/* filemarks in the zone too */
	tt_wfm(1, false, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x02,
		      SCSTU_SENSE_EOM | SCSTU_SENSE_INFO, 0);
	/* 1 000 more fit (99 500), then a 1 000-byte block does not */
	tt_write(false, 1000, buf, 1000, &res);
	hc_sense(&res, SCSTU_NO_SENSE, 0x00, 0x02);
	tt_write(false, 1000, buf, 1000, &res);
	tt_sense_full(&res, SCSTU_VOLUME_OVERFLOW, 0x00, 0x02,
		      SCSTU_SENSE_EOM | SCSTU_SENSE_INFO, 1000);
	ck_assert_int_eq(res.resid, 1000);
	tt_pos(NULL, &n, NULL);
	ck_assert_uint_eq(n, 100);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 100);
	/* fixed mode: INFORMATION = blocks not written */
	tt_setblk(200, &res);
	hc_good(&res);
	tt_write(true, 5, buf, 1000, &res);
	tt_sense_full(&res, SCSTU_VOLUME_OVERFLOW, 0x00, 0x02,
		      SCSTU_SENSE_EOM | SCSTU_SENSE_INFO, 3);
	ck_assert_int_eq(res.resid, 600);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 102);
	free(buf);
}
END_TEST

START_TEST(test_medium_error_mid_tape)
{
	struct scstu_harness_result res;
	uint8_t buf[100];

	tt_put_block(100, 1);
	tt_put_block(100, 2);
	tt_put_block(100, 3);
	tmed_set_bad(tt.m, 0, 1, -EBADMSG);
	tt_rewind(&res);
	tt_read(0, 100, buf, 100, &res);
	hc_good(&res);
	tt_read(0, 100, buf, 100, &res);
	tt_sense_full(&res, SCSTU_MEDIUM_ERROR, 0x11, 0x00, SCSTU_SENSE_INFO,
		      100);
	/* still usable, past the damaged block */
	tt_at(2, 0);
	tt_read(0, 100, buf, 100, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[0], 3);
	tt_locate16(0, false, 0, 0, &res);
	hc_good(&res);
	tt_space6(0, 2, &res);
	hc_good(&res);
	tt_at(2, 0);
}
END_TEST

START_TEST(test_medium_error_table)
{
	static const struct { int err; bool write; int key, asc, ascq; } t[] = {
		{ -EIO, false, SCSTU_MEDIUM_ERROR, 0x11, 0x00 },
		{ -EBADMSG, false, SCSTU_MEDIUM_ERROR, 0x11, 0x00 },
		{ -ENOKEY, false, SCSTU_DATA_PROTECT, 0x74, 0x01 },
		{ -EKEYREJECTED, false, SCSTU_DATA_PROTECT, 0x74, 0x03 },
		{ -EINVAL, false, SCSTU_HARDWARE_ERROR, 0x44, 0x00 },
		{ -EIO, true, SCSTU_MEDIUM_ERROR, 0x0c, 0x00 },
		{ -EROFS, true, SCSTU_DATA_PROTECT, 0x27, 0x00 },
		{ -ENOSPC, true, SCSTU_VOLUME_OVERFLOW, 0x00, 0x02 },
		{ -EBADMSG, true, SCSTU_MEDIUM_ERROR, 0x0c, 0x00 },
	};
	struct scstu_harness_result res;
	uint8_t buf[10] = { 0 };
	unsigned int i;

	tt_put_block(10, 1);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		tt_rewind(&res);
		if (t[i].write) {
			tt.m->fail_write = t[i].err;
			tt_write(false, 10, buf, 10, &res);
		} else {
			tt.m->fail_read = t[i].err;
			tt_read(0, 10, buf, 10, &res);
		}
		hc_sense(&res, t[i].key, t[i].asc, t[i].ascq);
	}
}
END_TEST

static Suite *tape_rw_suite(void)
{
	Suite *s = suite_create("tape_rw");
	TCase *tc = tcase_create("rw");

	tcase_add_checked_fixture(tc, tt_default_setup, tt_teardown);
	tcase_add_test(tc, test_variable_round_trip);
	tcase_add_test(tc, test_ili_underlength);
	tcase_add_test(tc, test_ili_overlength);
	tcase_add_test(tc, test_ili_descriptor_sense);
	tcase_add_test(tc, test_fixed_mode);
	tcase_add_test(tc, test_fixed_cdb_errors);
	tcase_add_test(tc, test_variable_too_long);
	tcase_add_test(tc, test_filemark_read);
	tcase_add_test(tc, test_request_sense);
	tcase_add_test(tc, test_wfm);
	tcase_add_test(tc, test_overwrite_truncates);
	tcase_add_test(tc, test_ew_eom);
	tcase_add_test(tc, test_medium_error_mid_tape);
	tcase_add_test(tc, test_medium_error_table);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(tape_rw_suite)
