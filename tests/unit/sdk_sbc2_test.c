// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser unit tests: disk class WRITE SAME, COMPARE AND WRITE,
 * UNMAP, GET LBA STATUS, READ CAPACITY, SYNCHRONIZE CACHE, PRE-FETCH,
 * START STOP UNIT, FORMAT UNIT.
 */
#include <errno.h>
#include <string.h>
#include "sdk_test.h"

static uint8_t buf[65536];

static void gls(uint64_t lba, uint32_t alloc, struct scstu_harness_result *res)
{
	uint8_t cdb[16] = { 0x9e, 0x12 };

	t_put_be64(lba, &cdb[2]);
	t_put_be32(alloc, &cdb[10]);
	memset(buf, 0, alloc);
	t_run(td.dev, cdb, 16, SCSTU_DIR_READ, buf, alloc, res);
}

static void unmap(const uint8_t *p, uint16_t plen, uint32_t xfer,
		  struct scstu_harness_result *res)
{
	uint8_t cdb[10] = { 0x42 };

	t_put_be16(plen, &cdb[7]);
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, (void *)p, xfer, res);
}

START_TEST(write_same_emulated)
{
	struct scstu_harness_result res;
	uint8_t cdb[16], blk[512];
	unsigned int i;

	memset(blk, 0x77, sizeof(blk));
	t_rw10(cdb, 0x41, 5, 2000);
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, blk, 512, &res);
	hc_good(&res);
	for (i = 5 * 512; i < 2005 * 512; i++)
		ck_assert_uint_eq(td.mem[i], 0x77);
	ck_assert_uint_eq(td.mem[2005 * 512], 0);
	ck_assert_uint_eq(td.nr_write, 1);
	/* UNMAP with a zero block goes to ->unmap */
	memset(blk, 0, sizeof(blk));
	t_rw16(cdb, 0x93, 5, 10);
	cdb[1] = 0x08;
	t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, blk, 512, &res);
	hc_good(&res);
	ck_assert_uint_eq(td.nr_unmap, 1);
	ck_assert_uint_eq(td.mapped[5], 0);
	/* NDOB: zeros without data-out */
	t_rw16(cdb, 0x93, 100, 2);
	cdb[1] = 0x01;
	memset(td.mem + 100 * 512, 1, 1024);
	t_run(td.dev, cdb, 16, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	ck_assert_uint_eq(td.mem[100 * 512 + 1000], 0);
	/* 0 blocks (WSNZ), too many, ANCHOR, range, missing data */
	t_rw16(cdb, 0x93, 0, 0);
	t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, blk, 512, &res);
	hc_field(&res, 0x24, 0, 10, -1);
	t_rw16(cdb, 0x93, 0, (1 << 20) + 1);
	t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, blk, 512, &res);
	hc_field(&res, 0x24, 0, 10, -1);
	t_rw10(cdb, 0x41, 0, 1);
	cdb[1] = 0x10;
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, blk, 512, &res);
	hc_field(&res, 0x24, 0, 1, 4);
	t_rw10(cdb, 0x41, 2047, 2);
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, blk, 512, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x21, 0);
	t_rw10(cdb, 0x41, 0, 2);
	t_run(td.dev, cdb, 10, SCSTU_DIR_WRITE, blk, 100, &res);
	hc_field(&res, 0x24, 0, 7, -1);
	/* written in chunks of 1 MiB */
	td_teardown();
	td_setup(TD_ASYNC, 2048, 4096, NULL);
	t_rw16(cdb, 0x93, 10, 1000);
	t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, buf, 4096, &res);
	hc_good(&res);
	ck_assert_uint_eq(td.nr_write, 4);
}
END_TEST

START_TEST(write_same_handler)
{
	struct scstu_harness_result res;
	uint8_t cdb[16], blk[512] = { 1 };

	td_teardown();
	td_setup(TD_UNMAP | TD_WS | TD_ASYNC, 2048, 512, NULL);
	t_rw16(cdb, 0x93, 7, 100);
	cdb[1] = 0x08;
	t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, blk, 512, &res);
	hc_good(&res);
	ck_assert_uint_eq(td.nr_ws, 1);
	ck_assert(td.last_write_flags & SCSTU_DISK_WS_UNMAP);
	ck_assert_uint_eq(td.mem[7 * 512], 1);
}
END_TEST

static void caw(uint64_t lba, uint8_t nr, const uint8_t *data, uint32_t xfer,
		struct scstu_harness_result *res)
{
	uint8_t cdb[16] = { 0x89 };

	t_put_be64(lba, &cdb[2]);
	cdb[13] = nr;
	t_run(td.dev, cdb, 16, SCSTU_DIR_WRITE, (void *)data, xfer, res);
}

static void caw_cases(void)
{
	struct scstu_harness_result res;
	struct scstu_sense s;

	memset(td.mem + 10 * 512, 0x11, 1024);
	memset(buf, 0x11, 1024);
	memset(buf + 1024, 0x22, 1024);
	caw(10, 2, buf, 2048, &res);
	hc_good(&res);
	ck_assert_uint_eq(td.mem[10 * 512 + 1023], 0x22);
	/* now the medium differs from the verify data at byte 0 */
	caw(10, 2, buf, 2048, &res);
	hc_sense(&res, SCSTU_MISCOMPARE, 0x1d, 0);
	ck_assert_int_eq(scstu_sense_parse(res.sense, res.sense_len, &s), 0);
	ck_assert_uint_eq(s.info, 0);
	memset(buf, 0x22, 1024);
	buf[700] = 0;
	caw(10, 2, buf, 2048, &res);
	hc_sense(&res, SCSTU_MISCOMPARE, 0x1d, 0);
	ck_assert_int_eq(scstu_sense_parse(res.sense, res.sense_len, &s), 0);
	ck_assert_uint_eq(s.info, 700);
	ck_assert_uint_eq(td.mem[10 * 512 + 700], 0x22);	/* unchanged */
	caw(10, 0, buf, 0, &res);
	hc_good(&res);
	caw(10, 2, buf, 1024, &res);
	hc_field(&res, 0x24, 0, 13, -1);
	caw(2047, 2, buf, 2048, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x21, 0);
	caw(0, 255, buf, 0, &res);		/* > max (1 MiB / 2) */
	ck_assert_uint_eq(res.status, SCSTU_CHECK_CONDITION);
}

START_TEST(compare_and_write_emulated)
{
	caw_cases();
}
END_TEST

START_TEST(compare_and_write_emulated_async)
{
	td_teardown();
	td_setup(TD_ASYNC, 2048, 512, NULL);
	caw_cases();
}
END_TEST

START_TEST(compare_and_write_handler)
{
	td_teardown();
	td_setup(TD_CAW | TD_ASYNC, 2048, 512, NULL);
	caw_cases();
}
END_TEST

START_TEST(unmap_and_lba_status)
{
	struct scstu_harness_result res;
	uint8_t p[8 + 16 * 300] = { 0 };

	/* blocks 0..99 mapped, 40..59 and 80..89 unmapped */
	memset(td.mapped, 1, 100);
	t_put_be16(8 + 32 - 2, &p[0]);
	t_put_be16(32, &p[2]);
	t_put_be64(40, &p[8]);
	t_put_be32(20, &p[16]);
	t_put_be64(80, &p[24]);
	t_put_be32(10, &p[32]);
	unmap(p, 40, 40, &res);
	hc_good(&res);
	ck_assert_uint_eq(td.nr_unmap, 1);
	gls(0, 4096, &res);
	hc_good(&res);
	ck_assert_uint_eq(t_be32(buf), 4 + 16 * 6);
	ck_assert_uint_eq(res.xfer, 8 + 16 * 6);
	ck_assert_uint_eq(t_be64(&buf[8]), 0);
	ck_assert_uint_eq(t_be32(&buf[16]), 40);
	ck_assert_uint_eq(buf[20], 0);
	ck_assert_uint_eq(t_be64(&buf[24]), 40);
	ck_assert_uint_eq(t_be32(&buf[32]), 20);
	ck_assert_uint_eq(buf[36], 1);
	ck_assert_uint_eq(t_be64(&buf[72]), 90);
	ck_assert_uint_eq(t_be32(&buf[80]), 10);
	ck_assert_uint_eq(t_be64(&buf[88]), 100);
	ck_assert_uint_eq(t_be32(&buf[96]), 2048 - 100);
	ck_assert_uint_eq(buf[100], 1);
	/* small allocation: one descriptor */
	gls(45, 24, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 24);
	ck_assert_uint_eq(t_be64(&buf[8]), 45);
	ck_assert_uint_eq(t_be32(&buf[16]), 15);
	gls(2048, 24, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x21, 0);

	/* parameter list checks */
	unmap(p, 0, 0, &res);
	hc_good(&res);
	unmap(p, 6, 6, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0);
	unmap(p, 40, 20, &res);			/* list longer than data */
	hc_field(&res, 0x24, 0, 7, -1);
	t_put_be16(16 * 300, &p[2]);
	unmap(p, sizeof(p), sizeof(p), &res);
	hc_field(&res, 0x26, 0, 2, -1);
	t_put_be16(32, &p[2]);
	t_put_be32(0xffffffff, &p[32]);
	unmap(p, 40, 40, &res);
	hc_field(&res, 0x26, 0, 32, -1);
	t_put_be32(10, &p[32]);
	t_put_be64(2040, &p[24]);
	unmap(p, 40, 40, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x21, 0);
	/* partial descriptors and zero-block ones are ignored */
	t_put_be32(0, &p[16]);
	unmap(p, 8 + 16 + 8, 8 + 16 + 8, &res);
	hc_good(&res);
	p[1] = 0;
	{
		uint8_t cdb[10] = { 0x42, 0x01 };

		t_run(td.dev, cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
		hc_field(&res, 0x24, 0, 1, 0);
	}
}
END_TEST

START_TEST(read_capacity_and_resize)
{
	struct scstu_harness_result res;
	uint8_t rc10[10] = { 0x25 }, rc16[16] = { 0x9e, 0x10 }, asc, ascq;

	t_run(td.dev, rc10, 10, SCSTU_DIR_READ, buf, 8, &res);
	hc_good(&res);
	ck_assert_uint_eq(t_be32(buf), 2047);
	ck_assert_uint_eq(t_be32(&buf[4]), 512);
	t_put_be32(32, &rc16[10]);
	t_run(td.dev, rc16, 16, SCSTU_DIR_READ, buf, 32, &res);
	hc_good(&res);
	ck_assert_uint_eq(t_be64(buf), 2047);
	ck_assert_uint_eq(t_be32(&buf[8]), 512);
	ck_assert_uint_eq(buf[14], 0x80);		/* LBPME */
	rc10[5] = 1;					/* LBA without PMI */
	t_run(td.dev, rc10, 10, SCSTU_DIR_READ, buf, 8, &res);
	hc_field(&res, 0x24, 0, 2, -1);
	rc10[8] = 1;
	t_run(td.dev, rc10, 10, SCSTU_DIR_READ, buf, 8, &res);
	hc_good(&res);
	ck_assert(!scstu_harness_pop_ua(td.dev, &asc, &ascq));
	ck_assert_int_eq(scstu_disk_set_capacity(td.dev, 1ULL << 33), 0);
	ck_assert(scstu_harness_pop_ua(td.dev, &asc, &ascq));
	ck_assert_uint_eq(asc, 0x2a);
	ck_assert_uint_eq(ascq, 0x09);
	ck_assert_uint_eq(scstu_disk_capacity(td.dev), 1ULL << 33);
	ck_assert_uint_eq(scstu_disk_block_size(td.dev), 512);
	t_run(td.dev, rc10, 10, SCSTU_DIR_READ, buf, 8, &res);
	ck_assert_uint_eq(t_be32(buf), 0xffffffff);
	t_put_be32(12, &rc16[10]);
	t_run(td.dev, rc16, 16, SCSTU_DIR_READ, buf, 32, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 12);
	ck_assert_uint_eq(t_be64(buf), (1ULL << 33) - 1);
	ck_assert_int_eq(scstu_disk_set_capacity(td.dev, 1ULL << 33), 0);
	ck_assert(!scstu_harness_pop_ua(td.dev, &asc, &ascq));
	ck_assert_int_ne(scstu_disk_set_capacity(td.dev, 0), 0);
}
END_TEST

START_TEST(misc_commands)
{
	struct scstu_harness_result res;
	uint8_t cdb[16] = { 0 };

	t_rw10(cdb, 0x35, 0, 0);			/* SYNC CACHE */
	t_run(td.dev, cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	ck_assert_uint_eq(td.nr_flush, 1);
	t_rw16(cdb, 0x91, 2047, 2);
	t_run(td.dev, cdb, 16, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x21, 0);
	td.fail = -EIO;
	t_rw16(cdb, 0x91, 0, 0);
	t_run(td.dev, cdb, 16, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_MEDIUM_ERROR, 0x0c, 0);
	t_rw10(cdb, 0x34, 0, 10);			/* PRE-FETCH */
	cdb[1] = 0x02;
	t_run(td.dev, cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	t_rw16(cdb, 0x90, 2048, 1);
	t_run(td.dev, cdb, 16, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x21, 0);
	memset(cdb, 0, 16);
	cdb[0] = 0x1b;					/* START STOP */
	cdb[4] = 0x01;
	t_run(td.dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	cdb[4] = 0x02;
	t_run(td.dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 4, 1);
	cdb[4] = 0x30;
	t_run(td.dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 4, 7);
	cdb[4] = 0;
	cdb[3] = 0x01;
	t_run(td.dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 3, 3);
	memset(cdb, 0, 16);
	cdb[0] = 0x04;					/* FORMAT UNIT */
	t_run(td.dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	cdb[1] = 0x10;					/* FMTDATA */
	t_run(td.dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 1, 4);
}
END_TEST

Suite *sdk_sbc2_suite(void)
{
	Suite *s = suite_create("sdk_sbc2");
	TCase *tc = tcase_create("sbc2");

	tcase_add_checked_fixture(tc, td_default_setup, td_teardown);
	tcase_add_test(tc, write_same_emulated);
	tcase_add_test(tc, write_same_handler);
	tcase_add_test(tc, compare_and_write_emulated);
	tcase_add_test(tc, compare_and_write_emulated_async);
	tcase_add_test(tc, compare_and_write_handler);
	tcase_add_test(tc, unmap_and_lba_status);
	tcase_add_test(tc, read_capacity_and_resize);
	tcase_add_test(tc, misc_commands);
	suite_add_tcase(s, tc);
	return s;
}
