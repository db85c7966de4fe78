// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser unit tests: MODE SENSE/SELECT of the disk class, saved
 * pages, D_SENSE and the mode-changed unit attention.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sdk_test.h"

static void sense6(uint8_t b1, uint8_t b2, uint8_t sub, uint8_t *buf,
		   uint8_t alloc, struct scstu_harness_result *res)
{
	uint8_t cdb[6] = { 0x1a, b1, b2, sub, alloc };

	memset(buf, 0, alloc);
	t_run(td.dev, cdb, 6, SCSTU_DIR_READ, buf, alloc, res);
}

static void sense10(uint8_t b1, uint8_t b2, uint8_t sub, uint8_t *buf,
		    uint16_t alloc, struct scstu_harness_result *res)
{
	uint8_t cdb[10] = { 0x5a, b1, b2, sub };

	t_put_be16(alloc, &cdb[7]);
	memset(buf, 0, alloc);
	t_run(td.dev, cdb, 10, SCSTU_DIR_READ, buf, alloc, res);
}

static void select6(uint8_t b1, uint8_t *p, uint8_t plen,
		    struct scstu_harness_result *res)
{
	uint8_t cdb[6] = { 0x15, b1, 0, 0, plen };

	t_run_sess(td.dev, 1, cdb, 6, SCSTU_DIR_WRITE, p, plen, res);
}

START_TEST(sense_all_pages)
{
	struct scstu_harness_result res;
	uint8_t b[255];

	sense6(0, 0x3f, 0, b, 255, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 4 + 8 + 12 + 20 + 12 + 12);
	ck_assert_uint_eq(b[0], res.xfer - 1);
	ck_assert_uint_eq(b[2], 0x10);			/* DPOFUA */
	ck_assert_uint_eq(b[3], 8);
	ck_assert_uint_eq(t_be32(&b[4]), 2048);
	ck_assert_uint_eq(b[9] << 16 | t_be16(&b[10]), 512);
	ck_assert_uint_eq(b[12], 0x01);
	ck_assert_uint_eq(b[24], 0x88);			/* PS, caching */
	ck_assert_uint_eq(b[26], 0x00);			/* WCE off */
	ck_assert_uint_eq(b[44], 0x8a);
	ck_assert_uint_eq(b[47], 0x10);
	ck_assert_uint_eq(b[56], 0x1c);
	/* DBD, truncated */
	sense6(0x08, 0x08, 0, b, 10, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 10);
	ck_assert_uint_eq(b[0], 4 + 20 - 1);
	ck_assert_uint_eq(b[3], 0);
	ck_assert_uint_eq(b[4], 0x88);
	/* all subpages */
	sense6(0, 0x3f, 0xff, b, 255, &res);
	ck_assert_uint_eq(res.xfer, 4 + 8 + 56);
	sense6(0x08, 0x08, 0xff, b, 255, &res);
	ck_assert_uint_eq(res.xfer, 4 + 20);
	sense6(0, 0x08, 0x01, b, 255, &res);
	hc_field(&res, 0x24, 0, 3, -1);
	sense6(0, 0x05, 0, b, 255, &res);
	hc_field(&res, 0x24, 0, 2, 5);
	sense6(0, 0x3f, 0x05, b, 255, &res);
	hc_field(&res, 0x24, 0, 3, -1);
}
END_TEST

START_TEST(sense10_llbaa_and_pc)
{
	struct scstu_harness_result res;
	uint8_t b[512];

	sense10(0x10, 0x0a, 0, b, 512, &res);
	hc_good(&res);
	ck_assert_uint_eq(t_be16(&b[0]), 8 + 16 + 12 - 2);
	ck_assert_uint_eq(b[4], 0x01);			/* LONGLBA */
	ck_assert_uint_eq(t_be16(&b[6]), 16);
	ck_assert_uint_eq(t_be64(&b[8]), 2048);
	ck_assert_uint_eq(t_be32(&b[20]), 512);
	/* changeable */
	sense10(0, 0x40 | 0x3f, 0, b, 512, &res);
	hc_good(&res);
	ck_assert_uint_eq(t_be32(&b[8]), 0);		/* block desc */
	ck_assert_uint_eq(b[16], 0x01);
	ck_assert_uint_eq(b[18], 0x00);
	ck_assert_uint_eq(b[28], 0x88);
	ck_assert_uint_eq(b[30], 0x04);			/* WCE */
	ck_assert_uint_eq(b[48], 0x8a);
	ck_assert_uint_eq(b[50], 0x04);			/* D_SENSE */
	ck_assert_uint_eq(b[51], 0x00);
	/* saved: a page that cannot be saved */
	sense10(0x08, 0xc0 | 0x01, 0, b, 512, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x39, 0);
	sense10(0x08, 0xc0 | 0x08, 0, b, 512, &res);
	hc_good(&res);
	/* default */
	sense10(0x08, 0x80 | 0x1c, 0, b, 512, &res);
	hc_good(&res);
	ck_assert_uint_eq(b[10], 0x08);			/* DEXCPT */
}
END_TEST

START_TEST(select_applies_and_raises_ua)
{
	struct scstu_harness_result res;
	uint8_t p[64] = { 0 }, b[255], asc, ascq;

	/* WCE on, D_SENSE on */
	p[4] = 0x08;
	p[5] = 0x12;
	p[6] = 0x04;
	p[24] = 0x0a;
	p[25] = 0x0a;
	p[26] = 0x04;
	p[27] = 0x10;
	p[32] = 0xff;
	p[33] = 0xff;
	ck_assert(!scstu_disk_write_cache(td.dev));
	select6(0x10, p, 36, &res);
	hc_good(&res);
	ck_assert(scstu_disk_write_cache(td.dev));
	ck_assert(scstu_dev_d_sense(td.dev));
	ck_assert(scstu_harness_pop_ua(td.dev, &asc, &ascq));
	ck_assert_uint_eq(asc, 0x2a);
	ck_assert_uint_eq(ascq, 0x01);
	ck_assert(!scstu_harness_pop_ua(td.dev, &asc, &ascq));
	sense6(0x08, 0x08, 0, b, 255, &res);
	ck_assert_uint_eq(b[6], 0x04);
	/* the same again: nothing changes, no UA */
	select6(0x10, p, 36, &res);
	hc_good(&res);
	ck_assert(!scstu_harness_pop_ua(td.dev, &asc, &ascq));
	/* sense is now in descriptor format */
	sense6(0, 0x05, 0, b, 255, &res);
	ck_assert_uint_eq(res.sense[0], 0x72);
	hc_field(&res, 0x24, 0, 2, 5);
	/* PS echoed back is ignored; a zero-length list does nothing */
	p[4] = 0x88;
	select6(0x10, p, 24, &res);
	hc_good(&res);
	select6(0x10, p, 0, &res);
	hc_good(&res);
}
END_TEST

START_TEST(select_errors)
{
	struct scstu_harness_result res;
	uint8_t p[64] = { 0 }, asc, ascq;

	p[3] = 8;
	t_put_be32(2048, &p[4]);
	p[10] = 0x02;			/* block length 512 */
	p[12] = 0x08;
	p[13] = 0x12;
	p[14] = 0x04;
	p[32] = 0x0a;
	p[33] = 0x0a;
	p[35] = 0x10;
	p[40] = 0xff;
	p[41] = 0xff;
	select6(0x10, p, 44, &res);
	hc_good(&res);
	ck_assert(scstu_harness_pop_ua(td.dev, &asc, &ascq));
	select6(0x00, p, 44, &res);		/* PF = 0 */
	hc_field(&res, 0x24, 0, 1, 4);
	select6(0x10, p, 3, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0);
	p[1] = 1;				/* medium type */
	select6(0x10, p, 44, &res);
	hc_field(&res, 0x26, 0, 1, -1);
	p[1] = 0;
	p[3] = 4;
	select6(0x10, p, 44, &res);
	hc_field(&res, 0x26, 0, 3, -1);
	p[3] = 8;
	p[10] = 0x04;				/* block length 1024 */
	select6(0x10, p, 44, &res);
	hc_field(&res, 0x26, 0, 9, -1);
	p[10] = 0x02;
	t_put_be32(100, &p[4]);			/* other capacity */
	select6(0x10, p, 44, &res);
	hc_field(&res, 0x26, 0, 4, -1);
	t_put_be32(0, &p[4]);			/* 0: no change */
	p[14] = 0x05;				/* RCD: not changeable */
	select6(0x10, p, 44, &res);
	hc_field(&res, 0x26, 0, 14, 0);
	p[14] = 0x00;
	p[13] = 0x10;				/* page length */
	select6(0x10, p, 44, &res);
	hc_field(&res, 0x26, 0, 13, -1);
	p[13] = 0x12;
	p[32] = 0x05;				/* unknown page */
	select6(0x10, p, 44, &res);
	hc_field(&res, 0x26, 0, 32, 5);
	p[32] = 0x0a;
	select6(0x10, p, 40, &res);		/* truncated page */
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0);
	p[34] = 0x80;				/* TST: not changeable */
	select6(0x10, p, 44, &res);
	hc_field(&res, 0x26, 0, 34, 7);
	/* nothing of the valid caching page was applied */
	ck_assert(scstu_disk_write_cache(td.dev));
	ck_assert(!scstu_harness_pop_ua(td.dev, &asc, &ascq));
}
END_TEST

START_TEST(select10_and_saved_file)
{
	char path[] = "/tmp/sdk_mode_XXXXXX";
	struct scstu_harness_result res;
	uint8_t p[64] = { 0 }, b[255];
	uint8_t cdb[10] = { 0x55, 0x11, 0, 0, 0, 0, 0, 0, 8 + 20 };
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(path);
	td_teardown();
	td_setup(TD_FLUSH | TD_WCE, 64, 4096, path);
	ck_assert(scstu_disk_write_cache(td.dev));
	p[8] = 0x08;
	p[9] = 0x12;			/* WCE off, saved */
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, p, 8 + 20, &res);
	hc_good(&res);
	ck_assert(!scstu_disk_write_cache(td.dev));
	ck_assert_int_eq(access(path, R_OK), 0);
	td_teardown();
	td_setup(TD_FLUSH | TD_WCE, 64, 4096, path);
	ck_assert(!scstu_disk_write_cache(td.dev));
	sense6(0x08, 0xc8, 0, b, 255, &res);		/* saved */
	ck_assert_uint_eq(b[6], 0x00);
	sense6(0x08, 0x88, 0, b, 255, &res);		/* default */
	ck_assert_uint_eq(b[6], 0x04);
	/* LONGLBA with a short block descriptor length */
	cdb[8] = 8 + 8;
	p[4] = 0x01;
	p[7] = 8;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, p, 16, &res);
	hc_field(&res, 0x26, 0, 6, -1);
	p[4] = 0x02;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, p, 16, &res);
	hc_field(&res, 0x26, 0, 4, 1);
	unlink(path);
}
END_TEST

START_TEST(saved_file_garbage_ignored)
{
	char path[] = "/tmp/sdk_mode_XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "# comment\nzz\n08 00 0812\n0a 00 0a0a041000000000ffff0000\n");
	fclose(f);
	td_teardown();
	td_setup(TD_FLUSH, 64, 512, path);
	ck_assert(scstu_dev_d_sense(td.dev));
	ck_assert(!scstu_disk_write_cache(td.dev));
	unlink(path);
}
END_TEST

Suite *sdk_mode_suite(void)
{
	Suite *s = suite_create("sdk_mode");
	TCase *tc = tcase_create("mode");

	tcase_add_checked_fixture(tc, td_default_setup, td_teardown);
	tcase_add_test(tc, sense_all_pages);
	tcase_add_test(tc, sense10_llbaa_and_pc);
	tcase_add_test(tc, select_applies_and_raises_ua);
	tcase_add_test(tc, select_errors);
	tcase_add_test(tc, select10_and_saved_file);
	tcase_add_test(tc, saved_file_garbage_ignored);
	suite_add_tcase(s, tc);
	return s;
}
