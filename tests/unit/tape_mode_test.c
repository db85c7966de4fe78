// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tape class mode parameters: MODE SENSE page 00h (Linux st's open),
 * data compression 0Fh and device configuration 10h kept in step, the
 * block descriptor (block length, density), MODE SELECT parameter list
 * errors.
 */
#include <string.h>
#include "tape_test.h"

START_TEST(test_mode_sense_page0)
{
	struct scstu_harness_result res;
	uint8_t ms[6] = { 0x1a, 0, 0, 0, 12 }, buf[12];

	/* as Linux st opens a tape: header + block descriptor */
	tt_setblk(1024, &res);
	hc_good(&res);
	tt_run(ms, 6, SCSTU_DIR_READ, buf, 12, &res);
	hc_good(&res);
	ck_assert_int_eq(res.xfer, 12);
	ck_assert_int_eq(buf[0], 11);
	ck_assert_int_eq(buf[3], 8);
	ck_assert_int_eq(buf[4], 0x5e);
	ck_assert_int_eq(buf[9] << 16 | buf[10] << 8 | buf[11], 1024);
	/* page 00h subpage 01h does not exist */
	ms[3] = 1;
	tt_run(ms, 6, SCSTU_DIR_READ, buf, 12, &res);
	hc_field(&res, 0x24, 0, 2, 5);
}
END_TEST

START_TEST(test_mode_pages)
{
	struct scstu_harness_result res;
	uint8_t ms[6] = { 0x1a, 0, 0x0f, 0, 255 }, buf[255];
	uint8_t sel[6] = { 0x15, 0x10, 0, 0, 0 }, p[32];

	/* data compression: DCE 1, DCC 1, DDE 1, algorithm 1 */
	tt_run(ms, 6, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_int_eq(buf[3], 8);
	ck_assert_int_eq(buf[2], 0x10);		/* buffered mode 1 */
	ck_assert_int_eq(buf[4], 0x5e);		/* LTO-8 density */
	ck_assert_int_eq(buf[12] & 0x3f, 0x0f);
	ck_assert_int_eq(buf[14], 0xc0);
	ck_assert_int_eq(buf[15], 0x80);
	ck_assert_int_eq(buf[19], 1);
	tt_put_block(10, 1);
	ck_assert(tt.m->last_compress);
	/* DCE off (MODE SELECT of what MODE SENSE returned) */
	memcpy(p, buf, 28);
	p[0] = 0;
	p[14] = 0x40;
	sel[4] = 28;
	tt_run(sel, 6, SCSTU_DIR_WRITE, p, 28, &res);
	hc_good(&res);
	tt_put_block(10, 1);
	ck_assert(!tt.m->last_compress);
	/* page 10h follows: SELECT DATA COMPRESSION ALGORITHM 0 */
	ms[2] = 0x10;
	tt_run(ms, 6, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_int_eq(buf[12 + 14], 0);
	/* and back through page 10h */
	memcpy(p, buf, 28);
	p[0] = 0;
	p[26] = 1;
	tt_run(sel, 6, SCSTU_DIR_WRITE, p, 28, &res);
	hc_good(&res);
	tt_put_block(10, 1);
	ck_assert(tt.m->last_compress);
	p[26] = 2;
	tt_run(sel, 6, SCSTU_DIR_WRITE, p, 28, &res);
	hc_field(&res, 0x26, 0, 26, -1);
	/* the extension subpage 10h/01h */
	ms[2] = 0x10;
	ms[3] = 0x01;
	tt_run(ms, 6, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_int_eq(buf[12], 0x50);
	ck_assert_int_eq(buf[13], 0x01);
	/* all pages */
	ms[2] = 0x3f;
	ms[3] = 0xff;
	tt_run(ms, 6, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_int_eq(buf[0] + 1, 4 + 8 + 12 + 16 + 16 + 32 + 12 + 12);
	/* changeable values of the block descriptor */
	ms[2] = 0x40 | 0x0a;
	ms[3] = 0;
	tt_run(ms, 6, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_int_eq(buf[4], 0xff);
	ck_assert_int_eq(buf[9] << 16 | buf[10] << 8 | buf[11], 0xffffff);
	ck_assert_int_eq(buf[14], 0x04);	/* D_SENSE */
}
END_TEST

START_TEST(test_block_descriptor)
{
	struct scstu_harness_result res;
	uint8_t cdb[6] = { 0x15, 0x10, 0, 0, 12 };
	uint8_t bd[12] = { 0, 0, 0x10, 8 };
	uint8_t ms[6] = { 0x1a, 0, 0x00, 0, 12 }, buf[12];

	tt_setblk(0x10000, &res);
	hc_good(&res);
	ms[2] = 0x0a;
	tt_run(ms, 6, SCSTU_DIR_READ, buf, 12, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[9] << 16 | buf[10] << 8 | buf[11], 0x10000);
	/* above the maximum block length */
	tt_setblk(0x800001, &res);
	hc_field(&res, 0x26, 0, 9, -1);
	/* NUMBER OF BLOCKS must be 0 */
	bd[6] = 1;
	tt_run(cdb, 6, SCSTU_DIR_WRITE, bd, 12, &res);
	hc_field(&res, 0x26, 0, 5, -1);
	bd[6] = 0;
	/* a density this drive does not know */
	bd[4] = 0x42;
	tt_run(cdb, 6, SCSTU_DIR_WRITE, bd, 12, &res);
	hc_field(&res, 0x26, 0, 4, -1);
	/* the medium's, default and no change are fine */
	bd[4] = 0x5e;
	tt_run(cdb, 6, SCSTU_DIR_WRITE, bd, 12, &res);
	hc_good(&res);
	bd[4] = 0x7f;
	tt_run(cdb, 6, SCSTU_DIR_WRITE, bd, 12, &res);
	hc_good(&res);
	/* variable again */
	tt_setblk(0, &res);
	hc_good(&res);
	tt_put_block(7, 1);
	/* PF 0 */
	cdb[1] = 0;
	tt_run(cdb, 6, SCSTU_DIR_WRITE, bd, 12, &res);
	hc_field(&res, 0x24, 0, 1, 4);
	/* LLBAA is refused */
	{
		uint8_t ms10[10] = { 0x5a, 0x10, 0x3f, 0, 0, 0, 0, 0, 64 };

		tt_run(ms10, 10, SCSTU_DIR_READ, buf, 12, &res);
		hc_field(&res, 0x24, 0, 1, 4);
	}
}
END_TEST

START_TEST(test_mode_select_malformed)
{
	struct scstu_harness_result res;
	uint8_t cdb6[6] = { 0x15, 0x10, 0, 0, 12 };
	uint8_t cdb10[10] = { 0x55, 0x10, 0, 0, 0, 0, 0, 0, 24 };
	uint8_t p[24] = { 0 };

	/* MODE SELECT(10) with a long LBA block descriptor */
	p[4] = 0x01;
	p[7] = 16;
	tt_run(cdb10, 10, SCSTU_DIR_WRITE, p, 24, &res);
	hc_field(&res, 0x26, 0, 6, -1);
	/* a list cut inside the block descriptor */
	memset(p, 0, sizeof(p));
	p[3] = 8;
	cdb6[4] = 10;
	tt_run(cdb6, 6, SCSTU_DIR_WRITE, p, 10, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
	/* a block descriptor length of 4 */
	p[3] = 4;
	cdb6[4] = 12;
	tt_run(cdb6, 6, SCSTU_DIR_WRITE, p, 12, &res);
	hc_field(&res, 0x26, 0, 3, -1);
	/* a medium type in the header */
	p[3] = 8;
	p[1] = 0x58;
	tt_run(cdb6, 6, SCSTU_DIR_WRITE, p, 12, &res);
	hc_field(&res, 0x26, 0, 1, -1);
	/* reserved byte 4 of the block descriptor */
	p[1] = 0;
	p[8] = 1;
	tt_run(cdb6, 6, SCSTU_DIR_WRITE, p, 12, &res);
	hc_field(&res, 0x26, 0, 8, -1);
	/* a page cut short */
	p[8] = 0;
	p[12] = 0x0f;
	p[13] = 0x0e;
	cdb6[4] = 20;
	tt_run(cdb6, 6, SCSTU_DIR_WRITE, p, 20, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
	/* nothing changed */
	{
		uint8_t ms[6] = { 0x1a, 0, 0x0f, 0, 28 }, b[28];

		tt_run(ms, 6, SCSTU_DIR_READ, b, 28, &res);
		hc_good(&res);
		ck_assert_int_eq(b[9] << 16 | b[10] << 8 | b[11], 0);
		ck_assert_int_eq(b[14], 0xc0);
	}
}
END_TEST

static Suite *tape_mode_suite(void)
{
	Suite *s = suite_create("tape_mode");
	TCase *tc = tcase_create("mode");

	tcase_add_checked_fixture(tc, tt_default_setup, tt_teardown);
	tcase_add_test(tc, test_mode_sense_page0);
	tcase_add_test(tc, test_mode_pages);
	tcase_add_test(tc, test_block_descriptor);
	tcase_add_test(tc, test_mode_select_malformed);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(tape_mode_suite)
