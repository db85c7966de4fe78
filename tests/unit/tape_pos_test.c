// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tape class positioning: SPACE(6/16), LOCATE(10/16), READ POSITION
 * forms, REWIND, ERASE, FORMAT MEDIUM and two partitions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tape_test.h"

/* File f (0..2) has f + 2 blocks of 100 * (f + 1) + b bytes. */
static uint32_t blen(unsigned int f, unsigned int b)
{
	return 100 * (f + 1) + b;
}

static void write_three_files(void)
{
	struct scstu_harness_result res;
	unsigned int f, b;

	for (f = 0; f < 3; f++) {
		for (b = 0; b < f + 2; b++)
			tt_put_block(blen(f, b), (uint8_t)(16 * f + b));
		tt_wfm(1, false, &res);
		hc_good(&res);
	}
	/* objects: 0 1 FM(2) 3 4 5 FM(6) 7 8 9 10 FM(11), EOD 12 */
	tt_at(12, 3);
}

static void read_check(unsigned int f, unsigned int b)
{
	struct scstu_harness_result res;
	uint8_t buf[1000], exp[1000];
	uint32_t n = blen(f, b);

	tt_read(0, n, buf, n, &res);
	hc_good(&res);
	tt_fill(exp, n, (uint8_t)(16 * f + b));
	ck_assert_mem_eq(buf, exp, n);
}

START_TEST(test_three_files)
{
	struct scstu_harness_result res;
	uint8_t cdb10[10];

	write_three_files();
	tt_rewind(&res);
	hc_good(&res);
	tt_at(0, 0);
	/* forward one file: after the first filemark */
	tt_space6(1, 1, &res);
	hc_good(&res);
	tt_at(3, 1);
	read_check(1, 0);
	read_check(1, 1);
	/* back over a filemark from inside file 1: BOP side of FM 2 */
	tt_space6(1, -1, &res);
	hc_good(&res);
	tt_at(2, 0);
	/* forward 2 filemarks from there: after FM 6 */
	tt_space6(1, 2, &res);
	hc_good(&res);
	tt_at(7, 2);
	read_check(2, 0);
	/* LOCATE(16) to the beginning of file 1 */
	tt_locate16(1, false, 0, 1, &res);
	hc_good(&res);
	tt_at(3, 1);
	read_check(1, 0);
	/* LOCATE(10) to object 9 */
	memset(cdb10, 0, sizeof(cdb10));
	cdb10[0] = 0x2b;
	cdb10[6] = 9;
	tt_run(cdb10, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	tt_at(9, 2);
	read_check(2, 2);
	read_check(2, 3);
	/* reading on: the last filemark, then EOD */
	{
		uint8_t buf[64];

		tt_read(0, 64, buf, 64, &res);
		hc_sense(&res, SCSTU_NO_SENSE, 0, 1);
		tt_at(12, 3);
		tt_read(0, 64, buf, 64, &res);
		hc_sense(&res, SCSTU_BLANK_CHECK, 0, 5);
	}
	/* space back 2 blocks from EOD: stops at FM 11 (BOP side) */
	tt_space6(0, -2, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x01,
		      SCSTU_SENSE_FILEMARK | SCSTU_SENSE_INFO, 2);
	tt_at(11, 2);
	tt_space6(0, -2, &res);
	hc_good(&res);
	tt_at(9, 2);
	read_check(2, 2);
	/* SPACE to EOD, then file numbers */
	tt_rewind(&res);
	tt_space6(3, 0, &res);
	hc_good(&res);
	tt_at(12, 3);
	/* LOCATE(16) to EOD and to file 0 */
	tt_locate16(1, false, 0, 0, &res);
	hc_good(&res);
	tt_at(0, 0);
	tt_locate16(3, false, 0, 0, &res);
	hc_good(&res);
	tt_at(12, 3);
}
END_TEST

START_TEST(test_space_blocks_sense)
{
	struct scstu_harness_result res;

	write_three_files();
	tt_rewind(&res);
	/* forward 5 blocks in a 2-block file: FM after 2, 3 not spaced */
	tt_space6(0, 5, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x01,
		      SCSTU_SENSE_FILEMARK | SCSTU_SENSE_INFO, 3);
	tt_at(3, 1);
	/* backward 4 from object 4 (1 block back, then FM 2) */
	tt_space6(0, 1, &res);
	hc_good(&res);
	tt_space6(0, -4, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x01,
		      SCSTU_SENSE_FILEMARK | SCSTU_SENSE_INFO, 3);
	tt_at(2, 0);
	/* from the BOP side of the filemark, back into the blocks */
	tt_space6(0, -1, &res);
	hc_good(&res);
	tt_at(1, 0);
	/* backward past BOP: EOM, 00/04, count not spaced */
	tt_locate16(0, false, 0, 1, &res);
	hc_good(&res);
	tt_space6(0, -3, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x04,
		      SCSTU_SENSE_EOM | SCSTU_SENSE_INFO, 2);
	tt_at(0, 0);
	/* forward into EOD */
	tt_locate16(0, false, 0, 10, &res);
	hc_good(&res);
	tt_space6(0, 1, &res);
	hc_good(&res);
	tt_at(11, 2);
	tt_space6(0, 1, &res);	/* the filemark stops it */
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x01,
		      SCSTU_SENSE_FILEMARK | SCSTU_SENSE_INFO, 1);
	tt_space6(0, 7, &res);
	tt_sense_full(&res, SCSTU_BLANK_CHECK, 0x00, 0x05, SCSTU_SENSE_INFO,
		      7);
	tt_at(12, 3);
	/* count 0: nothing */
	tt_space6(0, 0, &res);
	hc_good(&res);
	tt_at(12, 3);
}
END_TEST

START_TEST(test_space_filemarks_sense)
{
	struct scstu_harness_result res;

	write_three_files();
	tt_rewind(&res);
	/* 5 filemarks forward, 3 exist: EOD, 2 not spaced */
	tt_space6(1, 5, &res);
	tt_sense_full(&res, SCSTU_BLANK_CHECK, 0x00, 0x05, SCSTU_SENSE_INFO,
		      2);
	tt_at(12, 3);
	/* 3 back from EOD: BOP side of FM 2 */
	tt_space6(1, -3, &res);
	hc_good(&res);
	tt_at(2, 0);
	/* 1 more back: BOP, 00/04 with EOM, 1 not spaced */
	tt_space6(1, -1, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x04,
		      SCSTU_SENSE_EOM | SCSTU_SENSE_INFO, 1);
	tt_at(0, 0);
}
END_TEST

START_TEST(test_space16_and_errors)
{
	struct scstu_harness_result res;
	uint8_t cdb[16] = { 0x91, 0x01 };

	write_three_files();
	tt_rewind(&res);
	cdb[11] = 2;			/* 2 filemarks forward */
	tt_run(cdb, 16, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	tt_at(7, 2);
	memset(&cdb[4], 0xff, 8);	/* -1 block */
	cdb[1] = 0;
	tt_run(cdb, 16, SCSTU_DIR_NONE, NULL, 0, &res);
	tt_sense_full(&res, SCSTU_NO_SENSE, 0x00, 0x01,
		      SCSTU_SENSE_FILEMARK | SCSTU_SENSE_INFO, 1);
	tt_at(6, 1);
	/* a parameter list is not supported */
	cdb[13] = 4;
	tt_run(cdb, 16, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 13, 2);
	cdb[13] = 0;
	/* setmarks, sequential filemarks */
	cdb[1] = 4;
	tt_run(cdb, 16, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 1, 3);
	tt_space6(2, 1, &res);
	hc_field(&res, 0x24, 0, 1, 3);
	/* reserved bits of byte 1 */
	tt_space6(0x10, 1, &res);
	hc_field(&res, 0x24, 0, 1, 4);
	tt_at(6, 1);
}
END_TEST

START_TEST(test_locate_errors)
{
	struct scstu_harness_result res;
	uint8_t cdb10[10] = { 0x2b };

	write_three_files();
	/* beyond EOD: BLANK CHECK 00/05, at EOD */
	tt_locate16(0, false, 0, 100, &res);
	hc_sense(&res, SCSTU_BLANK_CHECK, 0x00, 0x05);
	tt_at(12, 3);
	tt_locate16(1, false, 0, 9, &res);	/* file 9 */
	hc_sense(&res, SCSTU_BLANK_CHECK, 0x00, 0x05);
	tt_at(12, 3);
	/* DEST_TYPE 2 (reserved) */
	tt_locate16(2, false, 0, 0, &res);
	hc_field(&res, 0x24, 0, 1, 5);
	/* no partition 1 */
	tt_locate16(0, true, 1, 0, &res);
	hc_field(&res, 0x24, 0, 3, -1);
	cdb10[1] = 0x02;
	cdb10[8] = 1;
	tt_run(cdb10, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 8, -1);
	/* BT is accepted: block addresses are object identifiers */
	cdb10[1] = 0x04;
	cdb10[8] = 0;
	cdb10[6] = 4;
	tt_run(cdb10, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	tt_at(4, 1);
	/* BAM of LOCATE(16) is not supported */
	{
		uint8_t cdb[16] = { 0x92, 0, 0x01 };

		tt_run(cdb, 16, SCSTU_DIR_NONE, NULL, 0, &res);
		hc_field(&res, 0x24, 0, 2, 0);
	}
	/* LOCATE syncs what was written */
	tt.m->syncs = 0;
	tt_locate16(3, false, 0, 0, &res);
	tt_put_block(10, 1);
	tt_locate16(0, false, 0, 0, &res);
	hc_good(&res);
	ck_assert_uint_eq(tt.m->syncs, 1);
}
END_TEST

START_TEST(test_read_position_forms)
{
	struct scstu_harness_result res;
	uint8_t cdb[10] = { 0x34 }, buf[32];

	/* short form at BOP */
	tt_run(cdb, 10, SCSTU_DIR_READ, buf, 20, &res);
	hc_good(&res);
	ck_assert_int_eq(res.xfer, 20);
	ck_assert_int_eq(buf[0], 0x80);		/* BOP */
	ck_assert_int_eq(buf[1], 0);
	write_three_files();
	tt_locate16(0, false, 0, 5, &res);
	hc_good(&res);
	memset(buf, 0xee, sizeof(buf));
	tt_run(cdb, 10, SCSTU_DIR_READ, buf, 20, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[0], 0);
	ck_assert_int_eq(buf[7], 5);		/* first */
	ck_assert_int_eq(buf[11], 5);		/* last */
	ck_assert_int_eq(buf[15], 0);		/* nothing buffered */
	ck_assert_int_eq(buf[19], 0);
	/* 01h: the same */
	cdb[1] = 0x01;
	tt_run(cdb, 10, SCSTU_DIR_READ, buf, 20, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[7], 5);
	/* long form */
	tt_at(5, 1);
	/* extended form: allocation length applies */
	cdb[1] = 0x08;
	cdb[8] = 32;
	memset(buf, 0xee, sizeof(buf));
	tt_run(cdb, 10, SCSTU_DIR_READ, buf, 32, &res);
	hc_good(&res);
	ck_assert_int_eq(res.xfer, 32);
	ck_assert_int_eq(buf[3], 0x1c);
	ck_assert_int_eq(buf[15], 5);
	ck_assert_int_eq(buf[23], 5);
	cdb[8] = 8;
	tt_run(cdb, 10, SCSTU_DIR_READ, buf, 32, &res);
	hc_good(&res);
	ck_assert_int_eq(res.xfer, 8);
	/* unknown service action */
	cdb[1] = 0x07;
	tt_run(cdb, 10, SCSTU_DIR_READ, buf, 32, &res);
	hc_field(&res, 0x24, 0, 1, 4);
}
END_TEST

START_TEST(test_erase)
{
	struct scstu_harness_result res;
	uint8_t cdb[6] = { 0x19, 0x01 };

	write_three_files();
	tt_locate16(1, false, 0, 2, &res);
	hc_good(&res);
	tt_run(cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 7);
	tt_at(7, 2);
	cdb[1] = 0x04;		/* reserved */
	tt_run(cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 1, 2);
}
END_TEST

/* MODE SELECT(6) of the medium partition page. */
static void select_partitions(uint8_t add, uint8_t flags, uint8_t units,
			      uint16_t p0, uint16_t p1,
			      struct scstu_harness_result *res)
{
	uint8_t cdb[6] = { 0x15, 0x10, 0, 0, 16 };
	uint8_t buf[16] = { 0 };

	buf[4] = 0x11;
	buf[5] = 0x0a;
	buf[6] = 0x01;
	buf[7] = add;
	buf[8] = flags;
	buf[9] = 0x03;
	buf[11] = units;
	buf[12] = p0 >> 8;
	buf[13] = p0;
	buf[14] = p1 >> 8;
	buf[15] = p1;
	tt_run(cdb, 6, SCSTU_DIR_WRITE, buf, sizeof(buf), res);
}

static void format_medium(uint8_t fmt, struct scstu_harness_result *res)
{
	uint8_t cdb[6] = { 0x04, 0, fmt };

	tt_run(cdb, 6, SCSTU_DIR_NONE, NULL, 0, res);
}

START_TEST(test_two_partitions)
{
	struct scstu_harness_result res;
	uint8_t buf[64], ms[6] = { 0x1a, 0x08, 0x11, 0, 64 };
	unsigned int part;
	uint64_t obj, file;

	tt_put_block(100, 1);
	/* IDP, PSUM 11b, units 10^3: partition 0 of 100 kB, 1 the rest */
	select_partitions(1, 0x20 | 0x18 | 0x04, 3, 100, 0xffff, &res);
	hc_good(&res);
	/* not formatted yet (POFM) */
	ck_assert_uint_eq(tmed_ops.nr_partitions(tt.m), 1);
	/* FORMAT MEDIUM away from BOP */
	format_medium(1, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0c);
	tt_rewind(&res);
	format_medium(1, &res);
	hc_good(&res);
	ck_assert_uint_eq(tmed_ops.nr_partitions(tt.m), 2);
	ck_assert_uint_eq(tt.m->parts[0].capacity, 100000);
	ck_assert_uint_eq(tt.m->parts[1].capacity, (1 << 20) - 100000);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 0);
	/* MODE SENSE shows the medium's partitions */
	tt_run(ms, 6, SCSTU_DIR_READ, buf, 64, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[4] & 0x3f, 0x11);
	ck_assert_int_eq(buf[4 + 3], 1);
	ck_assert_int_eq(buf[4 + 8] << 8 | buf[4 + 9], 100);
	/* index in partition 0, data in partition 1 */
	tt_put_block(200, 0x10);
	tt_wfm(1, false, &res);
	tt_locate16(0, true, 1, 0, &res);
	hc_good(&res);
	tt_pos(&part, &obj, &file);
	ck_assert_uint_eq(part, 1);
	ck_assert_uint_eq(obj, 0);
	tt_put_block(300, 0x20);
	tt_put_block(300, 0x21);
	tt_wfm(1, false, &res);
	tt_pos(&part, &obj, &file);
	ck_assert_uint_eq(part, 1);
	ck_assert_uint_eq(obj, 3);
	ck_assert_uint_eq(file, 1);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 2);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 1), 3);
	/* mode page 10h ACTIVE PARTITION */
	ms[2] = 0x10;
	tt_run(ms, 6, SCSTU_DIR_READ, buf, 64, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[4 + 3], 1);
	/* REWIND: BOP of partition 0 */
	tt_rewind(&res);
	tt_at(0, 0);
	tt_read(0, 200, buf, 64, &res);
	hc_field(&res, 0x24, 0, 2, -1);
	{
		uint8_t b[300], exp[300];

		tt_read(0, 200, b, 200, &res);
		hc_good(&res);
		tt_fill(exp, 200, 0x10);
		ck_assert_mem_eq(b, exp, 200);
		tt_locate16(0, true, 1, 1, &res);
		hc_good(&res);
		tt_read(0, 300, b, 300, &res);
		hc_good(&res);
		tt_fill(exp, 300, 0x21);
		ck_assert_mem_eq(b, exp, 300);
	}
	/* format 0 back to one partition */
	tt_rewind(&res);
	format_medium(0, &res);
	hc_good(&res);
	ck_assert_uint_eq(tmed_ops.nr_partitions(tt.m), 1);
}
END_TEST

START_TEST(test_partition_page_errors)
{
	struct scstu_harness_result res;

	/* 2 additional partitions: the maximum is 1 */
	select_partitions(2, 0x20 | 0x18 | 0x04, 3, 100, 0xffff, &res);
	hc_field(&res, 0x26, 0, 4 + 3, -1);
	/* FDP and IDP together */
	select_partitions(1, 0x80 | 0x20 | 0x18 | 0x04, 3, 100, 0xffff,
			  &res);
	hc_field(&res, 0x26, 0, 4 + 4, 7);
	/* POFM is not changeable */
	select_partitions(1, 0x20 | 0x18, 3, 100, 0xffff, &res);
	hc_field(&res, 0x26, 0, 4 + 4, 2);
	/* more than the medium holds: refused at FORMAT MEDIUM */
	select_partitions(1, 0x20 | 0x18 | 0x04, 9, 100, 0xffff, &res);
	hc_good(&res);
	format_medium(1, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x26, 0x00);
	ck_assert_uint_eq(tmed_ops.nr_partitions(tt.m), 1);
	/* SDP: two equal partitions */
	select_partitions(1, 0x40 | 0x18 | 0x04, 9, 0, 0, &res);
	hc_good(&res);
	format_medium(2, &res);
	hc_good(&res);
	ck_assert_uint_eq(tt.m->parts[0].capacity, 1 << 19);
	/* format 3 is reserved */
	format_medium(3, &res);
	hc_field(&res, 0x24, 0, 2, 3);
}
END_TEST

START_TEST(test_no_medium)
{
	struct scstu_harness_result res;
	uint8_t rp[10] = { 0x34 }, buf[20];
	void *m;

	ck_assert_int_eq(scstu_tape_eject(tt.dev, true, &m), 0);
	ck_assert_ptr_eq(m, tt.m);
	tt_run(rp, 10, SCSTU_DIR_READ, buf, 20, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
	tt_space6(0, 1, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
	tt_rewind(&res);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
	tt_locate16(0, false, 0, 0, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
	format_medium(0, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
	tt_wfm(0, false, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
}
END_TEST

static Suite *tape_pos_suite(void)
{
	Suite *s = suite_create("tape_pos");
	TCase *tc = tcase_create("pos");

	tcase_add_checked_fixture(tc, tt_default_setup, tt_teardown);
	tcase_add_test(tc, test_three_files);
	tcase_add_test(tc, test_space_blocks_sense);
	tcase_add_test(tc, test_space_filemarks_sense);
	tcase_add_test(tc, test_space16_and_errors);
	tcase_add_test(tc, test_locate_errors);
	tcase_add_test(tc, test_read_position_forms);
	tcase_add_test(tc, test_erase);
	tcase_add_test(tc, test_two_partitions);
	tcase_add_test(tc, test_partition_page_errors);
	tcase_add_test(tc, test_no_medium);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(tape_pos_suite)
