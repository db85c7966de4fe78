// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser unit tests: disk class data commands (READ, WRITE, WRITE
 * AND VERIFY, VERIFY, error mapping, transfer length rules, async).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sdk_test.h"

static uint8_t wbuf[1 << 20], rbuf[1 << 20];

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

START_TEST(rw_all_sizes)
{
	static const uint8_t wops[] = { 0x0a, 0x2a, 0xaa, 0x8a, 0x2e, 0x8e };
	static const uint8_t rops[] = { 0x08, 0x28, 0xa8, 0x88, 0x28, 0x88 };
	struct scstu_harness_result res;
	uint8_t cdb[16];
	unsigned int i;

	for (i = 0; i < sizeof(wops); i++) {
		uint32_t lba = 10 + i * 8, nr = 4 + i;
		size_t n = nr * 512;

		memset(cdb, 0, 16);
		cdb[0] = wops[i];
		switch (wops[i] >> 5) {
		case 0:
			cdb[3] = lba;
			cdb[4] = nr;
			break;
		case 1:
			t_put_be32(lba, &cdb[2]);
			t_put_be16(nr, &cdb[7]);
			break;
		case 5:
			t_put_be32(lba, &cdb[2]);
			t_put_be32(nr, &cdb[6]);
			break;
		default:
			t_put_be64(lba, &cdb[2]);
			t_put_be32(nr, &cdb[10]);
			break;
		}
		fill(wbuf, n, i);
		t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, wbuf, n, &res);
		hc_good(&res);
		ck_assert_mem_eq(td.mem + lba * 512, wbuf, n);
		/* write cache off: write-through */
		ck_assert_uint_eq(td.last_write_flags, SCSTU_DISK_FUA);
		cdb[0] = rops[i];
		memset(rbuf, 0, n);
		t_run(td.dev, cdb, 16, SCSTU_DIR_READ, rbuf, n, &res);
		hc_good(&res);
		ck_assert_mem_eq(rbuf, wbuf, n);
	}
	/* READ(6) with 0 blocks means 256 */
	memset(cdb, 0, 16);
	cdb[0] = 0x08;
	t_run(td.dev, cdb, 6, SCSTU_DIR_READ, rbuf, 256 * 512, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 256 * 512);
}
END_TEST

START_TEST(fua_and_write_cache)
{
	struct scstu_harness_result res;
	uint8_t cdb[16];

	/* WCE off (default) and a flush callback: write-through */
	t_rw10(cdb, 0x2a, 0, 1);
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_good(&res);
	ck_assert_uint_eq(td.last_write_flags, SCSTU_DISK_FUA);
	td_teardown();
	td_setup(TD_FLUSH | TD_WCE, 64, 512, NULL);
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	ck_assert_uint_eq(td.last_write_flags, 0);
	cdb[1] = 0x08;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	ck_assert_uint_eq(td.last_write_flags, SCSTU_DISK_FUA);
	cdb[1] = 0x10;				/* DPO: accepted */
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_good(&res);
}
END_TEST

START_TEST(range_and_length)
{
	struct scstu_harness_result res;
	uint8_t cdb[16];

	t_rw16(cdb, 0x88, 2048, 1);
	t_run(td.dev, cdb, 16, SCSTU_DIR_READ, rbuf, 512, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x21, 0);
	t_rw16(cdb, 0x88, 2047, 2);
	t_run(td.dev, cdb, 16, SCSTU_DIR_READ, rbuf, 1024, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x21, 0);
	t_rw16(cdb, 0x8a, UINT64_MAX, 2);
	t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, wbuf, 1024, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x21, 0);
	t_rw16(cdb, 0x88, 2048, 0);		/* at the end, nothing */
	t_run(td.dev, cdb, 16, SCSTU_DIR_READ, NULL, 0, &res);
	hc_good(&res);
	/* more than MAXIMUM TRANSFER LENGTH (1 MiB here) */
	td_teardown();
	td_setup(0, 8192, 512, NULL);
	t_rw10(cdb, 0x28, 0, 2049);
	t_run(td.dev, cdb, 10, SCSTU_DIR_READ, rbuf, 0, &res);
	hc_field(&res, 0x24, 0, 7, -1);
	t_rw16(cdb, 0x88, 0, 4096);
	t_run(td.dev, cdb, 16, SCSTU_DIR_READ, rbuf, 0, &res);
	hc_field(&res, 0x24, 0, 10, -1);
	/* expected length too short, wrong direction: refused */
	t_rw10(cdb, 0x28, 0, 4);
	t_run(td.dev, cdb, 10, SCSTU_DIR_READ, rbuf, 2047, &res);
	hc_field(&res, 0x24, 0, 7, -1);
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 2048, &res);
	hc_field(&res, 0x24, 0, 7, -1);
	t_run(td.dev, cdb, 6 + 4, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 7, -1);
	/* longer: runs, the rest is residual */
	t_run(td.dev, cdb, 10, SCSTU_DIR_READ, rbuf, 4096, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 2048);
	ck_assert_uint_eq(res.resid, 2048);
	/* zero blocks: no callback, everything residual */
	t_rw10(cdb, 0x2a, 0, 0);
	td.nr_write = 0;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.resid, 512);
	ck_assert_uint_eq(td.nr_write, 0);
}
END_TEST

START_TEST(errors_map_to_sense)
{
	struct scstu_harness_result res;
	uint8_t cdb[16];

	t_rw10(cdb, 0x28, 0, 1);
	td.fail = -EIO;
	t_run(td.dev, cdb, 10, SCSTU_DIR_READ, rbuf, 512, &res);
	hc_sense(&res, SCSTU_MEDIUM_ERROR, 0x11, 0);
	ck_assert_uint_eq(res.xfer, 0);
	t_rw10(cdb, 0x2a, 0, 1);
	td.fail = -EIO;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_sense(&res, SCSTU_MEDIUM_ERROR, 0x0c, 0);
	td.fail = -ENOSPC;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_sense(&res, SCSTU_DATA_PROTECT, 0x27, 0x07);
	td.fail = -EROFS;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_sense(&res, SCSTU_DATA_PROTECT, 0x27, 0x00);
	td.fail = -ENOMEM;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_sense(&res, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
}
END_TEST

START_TEST(read_only_and_no_write)
{
	struct scstu_harness_result res;
	uint8_t cdb[16], b[64];

	td_teardown();
	td_setup(TD_RO | TD_UNMAP, 64, 512, NULL);
	t_rw10(cdb, 0x2a, 0, 1);
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_sense(&res, SCSTU_DATA_PROTECT, 0x27, 0);
	memset(cdb, 0, 16);
	cdb[0] = 0x42;
	t_run(td.dev, cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_DATA_PROTECT, 0x27, 0);
	cdb[0] = 0x04;
	t_run(td.dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_DATA_PROTECT, 0x27, 0);
	cdb[0] = 0x1a;				/* WP in MODE SENSE */
	cdb[2] = 0x3f;
	cdb[4] = 64;
	t_run(td.dev, cdb, 6, SCSTU_DIR_READ, b, 64, &res);
	ck_assert_uint_eq(b[2], 0x90);
	td_teardown();
	td_setup(TD_NO_WRITE, 64, 512, NULL);
	t_rw10(cdb, 0x2a, 0, 1);
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x20, 0);
}
END_TEST

START_TEST(verify_bytchk)
{
	struct scstu_sense s;
	struct scstu_harness_result res;
	uint8_t cdb[16];

	fill(td.mem + 100 * 512, 4 * 512, 3);
	memcpy(wbuf, td.mem + 100 * 512, 4 * 512);
	t_rw10(cdb, 0x2f, 100, 4);
	t_run(td.dev, cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);					/* BYTCHK 0 */
	cdb[1] = 0x02;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 4 * 512, &res);
	hc_good(&res);
	wbuf[1234] ^= 1;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 4 * 512, &res);
	hc_sense(&res, SCSTU_MISCOMPARE, 0x1d, 0);
	ck_assert_int_eq(scstu_sense_parse(res.sense, res.sense_len, &s), 0);
	ck_assert(s.flags & SCSTU_SENSE_INFO);
	ck_assert_uint_eq(s.info, 1234);
	/* too little data-out */
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_field(&res, 0x24, 0, 7, -1);
	/* BYTCHK 10b reserved */
	cdb[1] = 0x04;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_field(&res, 0x24, 0, 1, 2);
	/* BYTCHK 11b: one block against every block (16) */
	memset(td.mem + 200 * 512, 0x5a, 3 * 512);
	memset(wbuf, 0x5a, 512);
	t_rw16(cdb, 0x8f, 200, 3);
	cdb[1] = 0x06;
	t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_good(&res);
	td.mem[202 * 512 + 7] = 0;
	t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_sense(&res, SCSTU_MISCOMPARE, 0x1d, 0);
	ck_assert_int_eq(scstu_sense_parse(res.sense, res.sense_len, &s), 0);
	ck_assert_uint_eq(s.info, 2 * 512 + 7);
	/* out of range even without data */
	t_rw16(cdb, 0x8f, 2040, 9);
	t_run(td.dev, cdb, 16, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x21, 0);
	/* a read error while verifying */
	t_rw10(cdb, 0x2f, 100, 4);
	cdb[1] = 0x02;
	td.fail = -EIO;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 4 * 512, &res);
	hc_sense(&res, SCSTU_MEDIUM_ERROR, 0x11, 0);
	/* WRITE AND VERIFY BYTCHK 1x */
	t_rw10(cdb, 0x2e, 0, 1);
	cdb[1] = 0x04;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, wbuf, 512, &res);
	hc_field(&res, 0x24, 0, 1, 2);
}
END_TEST

static void async_setup(void)
{
	td_setup(TD_FLUSH | TD_UNMAP | TD_ASYNC, 2048, 512, NULL);
}

START_TEST(async_data_commands)
{
	struct scstu_sense s;
	struct scstu_harness_result res;
	uint8_t cdb[16];

	fill(wbuf, 8 * 512, 9);
	t_rw16(cdb, 0x8a, 30, 8);
	t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, wbuf, 8 * 512, &res);
	hc_good(&res);
	t_rw16(cdb, 0x88, 30, 8);
	t_run(td.dev, cdb, 16, SCSTU_DIR_READ, rbuf, 8 * 512, &res);
	hc_good(&res);
	ck_assert_mem_eq(rbuf, wbuf, 8 * 512);
	t_rw16(cdb, 0x8f, 30, 8);
	cdb[1] = 0x02;
	wbuf[4000] ^= 0xff;
	t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, wbuf, 8 * 512, &res);
	hc_sense(&res, SCSTU_MISCOMPARE, 0x1d, 0);
	ck_assert_int_eq(scstu_sense_parse(res.sense, res.sense_len, &s), 0);
	ck_assert_uint_eq(s.info, 4000);
	td.fail = -EIO;
	t_rw16(cdb, 0x88, 30, 8);
	t_run(td.dev, cdb, 16, SCSTU_DIR_READ, rbuf, 8 * 512, &res);
	hc_sense(&res, SCSTU_MEDIUM_ERROR, 0x11, 0);
	memset(cdb, 0, 16);
	cdb[0] = 0x35;
	t_run(td.dev, cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	ck_assert_uint_eq(td.nr_flush, 1);
}
END_TEST

Suite *sdk_sbc_suite(void)
{
	Suite *s = suite_create("sdk_sbc");
	TCase *tc = tcase_create("rw");
	TCase *ta = tcase_create("async");

	tcase_add_checked_fixture(tc, td_default_setup, td_teardown);
	tcase_add_test(tc, rw_all_sizes);
	tcase_add_test(tc, fua_and_write_cache);
	tcase_add_test(tc, range_and_length);
	tcase_add_test(tc, errors_map_to_sense);
	tcase_add_test(tc, read_only_and_no_write);
	tcase_add_test(tc, verify_bytchk);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(ta, async_setup, td_teardown);
	tcase_add_test(ta, async_data_commands);
	suite_add_tcase(s, ta);
	return s;
}
