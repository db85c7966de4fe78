// SPDX-License-Identifier: LGPL-2.1-or-later
/* Tape services: LOG SENSE / LOG SELECT pages (ssc_log.c). */
#include <string.h>
#include "tape_svc_rig.h"
#include "unit_registry.h"

static uint8_t buf[2048];
static struct scstu_harness_result res;

static void log_sense(uint8_t b1, uint8_t pc_page, uint8_t sub,
		      uint16_t ptr, uint16_t alloc)
{
	uint8_t cdb[10] = { 0x4d, b1, pc_page, sub, 0, (uint8_t)(ptr >> 8),
			    (uint8_t)ptr, (uint8_t)(alloc >> 8),
			    (uint8_t)alloc, 0 };

	memset(buf, 0xee, sizeof(buf));
	r_run(1, cdb, 10, SCSTU_DIR_READ, buf, alloc, &res);
}

static void log_select(uint8_t b1, uint8_t pc_page, uint8_t sub,
		       const uint8_t *list, uint16_t len)
{
	uint8_t cdb[10] = { 0x4c, b1, pc_page, sub, 0, 0, 0,
			    (uint8_t)(len >> 8), (uint8_t)len, 0 };

	memcpy(buf, list, len);
	r_run(1, cdb, 10, len ? SCSTU_DIR_WRITE : SCSTU_DIR_NONE,
	      len ? buf : NULL, len, &res);
}

/* Offset of parameter code in a page, or -1. */
static int param(uint16_t code)
{
	unsigned int off, end = 4U + r_be16(&buf[2]);

	for (off = 4; off + 4 <= end; off += 4U + buf[off + 3])
		if (r_be16(&buf[off]) == code)
			return (int)off;
	return -1;
}

START_TEST(supported_pages)
{
	static const uint8_t want[] = {
		0x00, 0x00, 0x00, 0x06, 0x00, 0x0c, 0x17, 0x2e, 0x31, 0x32,
	};
	static const uint8_t want_sub[] = {
		0x40, 0xff, 0x00, 0x0e, 0x00, 0x00, 0x00, 0xff, 0x0c, 0x00,
		0x17, 0x00, 0x2e, 0x00, 0x31, 0x00, 0x32, 0x00,
	};

	log_sense(0, 0x40, 0, 0, 512);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
	log_sense(0, 0x40, 0xff, 0, 512);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, sizeof(want_sub));
	ck_assert_mem_eq(buf, want_sub, sizeof(want_sub));
	/* allocation length cuts the page */
	log_sense(0, 0x40, 0, 0, 5);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 5);
	ck_assert_uint_eq(res.resid, 0);
}
END_TEST

START_TEST(sequential_access)
{
	static const uint8_t want[] = {
		0x0c, 0x00, 0x00, 0x45,
		0x00, 0x00, 0x40, 0x08, 0, 0, 0, 0, 0, 0, 0x10, 0x00,
		0x00, 0x01, 0x40, 0x08, 0, 0, 0, 0, 0, 0, 0x08, 0x00,
		0x00, 0x02, 0x40, 0x08, 0, 0, 0, 0, 0, 0, 0x04, 0x00,
		0x00, 0x03, 0x40, 0x08, 0, 0, 0, 0, 0, 0, 0x02, 0x00,
		0x00, 0x04, 0x40, 0x04, 0, 0, 0x00, 0x0a,
		0x00, 0x05, 0x40, 0x04, 0, 0, 0x01, 0xa3,
		0x01, 0x00, 0x40, 0x01, 0x00,
	};

	rig_load();
	rig.m.used[0] = 10485760;		/* 10 MB */
	rig.d.cnt.bytes_written = 0x1000;
	rig.d.cnt.bytes_stored = 0x800;
	rig.d.cnt.bytes_retrieved = 0x400;
	rig.d.cnt.bytes_read = 0x200;
	log_sense(0, 0x4c, 0, 0, 512);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
	/* default cumulative values: counters 0 */
	log_sense(0, 0xcc, 0, 0, 512);
	hc_good(&res);
	ck_assert_uint_eq(r_be64(&buf[8]), 0);
	/* the parameter pointer skips codes below it */
	log_sense(0, 0x4c, 0, 3, 512);
	hc_good(&res);
	ck_assert_uint_eq(r_be16(&buf[2]), 12 + 8 + 8 + 5);
	ck_assert_uint_eq(r_be16(&buf[4]), 3);
	log_sense(0, 0x4c, 0, 0x0101, 512);
	hc_field(&res, 0x24, 0, 5, -1);
}
END_TEST

START_TEST(capacity_and_compression)
{
	static const uint8_t cap[] = {
		0x31, 0x00, 0x00, 0x20,
		0x00, 0x01, 0x40, 0x04, 0x00, 0x00, 0x01, 0x7c,
		0x00, 0x02, 0x40, 0x04, 0x00, 0x00, 0x00, 0x64,
		0x00, 0x03, 0x40, 0x04, 0x00, 0x00, 0x01, 0x90,
		0x00, 0x04, 0x40, 0x04, 0x00, 0x00, 0x00, 0x64,
	};
	static const uint8_t comp[] = {
		0x32, 0x00, 0x00, 0x4c,
		0x00, 0x00, 0x40, 0x02, 0x00, 0x64,
		0x00, 0x01, 0x40, 0x02, 0x00, 0xc8,
		/* 1.5 MiB + 1 rounds to 2 MiB, rest -524287 */
		0x00, 0x02, 0x40, 0x04, 0x00, 0x00, 0x00, 0x02,
		0x00, 0x03, 0x40, 0x04, 0xff, 0xf8, 0x00, 0x01,
		0x00, 0x04, 0x40, 0x04, 0x00, 0x00, 0x00, 0x02,
		0x00, 0x05, 0x40, 0x04, 0xff, 0xf8, 0x00, 0x01,
		/* 4 MiB + 5 */
		0x00, 0x06, 0x40, 0x04, 0x00, 0x00, 0x00, 0x04,
		0x00, 0x07, 0x40, 0x04, 0x00, 0x00, 0x00, 0x05,
		/* 2 MiB */
		0x00, 0x08, 0x40, 0x04, 0x00, 0x00, 0x00, 0x02,
		0x00, 0x09, 0x40, 0x04, 0x00, 0x00, 0x00, 0x00,
	};

	/* no medium: capacities 0 */
	log_sense(0, 0x71, 0, 0, 512);
	hc_good(&res);
	ck_assert_uint_eq(r_be32(&buf[24]), 0);
	rig_load();
	rig.m.used[0] = 20ULL << 20;
	log_sense(0, 0x71, 0, 0, 512);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, sizeof(cap));
	ck_assert_mem_eq(buf, cap, sizeof(cap));

	rig.d.cnt.bytes_read = 3 * (1 << 19) + 1;
	rig.d.cnt.bytes_retrieved = 3 * (1 << 19) + 1;
	rig.d.cnt.bytes_written = (4 << 20) + 5;
	rig.d.cnt.bytes_stored = 2 << 20;
	log_sense(0, 0x72, 0, 0, 512);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, sizeof(comp));
	ck_assert_mem_eq(buf, comp, sizeof(comp));
}
END_TEST

START_TEST(tapealert)
{
	log_sense(0, 0x6e, 0, 0, 1024);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 4 + 64 * 5);
	ck_assert_uint_eq(r_be16(&buf[2]), 320);
	ck_assert_uint_eq(buf[4 + 5 * 2 + 4], 0);
	ssc_log_tapealert(&rig.d, 3);
	ssc_log_tapealert(&rig.d, 64);
	ssc_log_tapealert(&rig.d, 0);		/* ignored */
	ssc_log_tapealert(&rig.d, 65);
	/* read only flags 1..3: 3 is cleared, 64 stays */
	log_sense(0, 0x6e, 0, 0, 4 + 3 * 5);
	hc_good(&res);
	ck_assert_uint_eq(r_be16(&buf[4 + 10]), 3);
	ck_assert_uint_eq(buf[4 + 10 + 2], 0x40);
	ck_assert_uint_eq(buf[4 + 10 + 3], 1);
	ck_assert_uint_eq(buf[4 + 10 + 4], 1);
	log_sense(0, 0x6e, 0, 0, 1024);
	hc_good(&res);
	ck_assert_uint_eq(buf[4 + 10 + 4], 0);
	ck_assert_uint_eq(buf[4 + 63 * 5 + 4], 1);
	log_sense(0, 0x6e, 0, 0, 1024);
	hc_good(&res);
	ck_assert_uint_eq(buf[4 + 63 * 5 + 4], 0);
	/* pointer: flag 64 only */
	log_sense(0, 0x6e, 0, 64, 1024);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 9);
	log_sense(0, 0x6e, 0, 65, 1024);
	hc_field(&res, 0x24, 0, 5, -1);
}
END_TEST

START_TEST(volume_statistics)
{
	int off;

	log_sense(0, 0x57, 0, 0, 1024);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 9);		/* page not valid */
	ck_assert_uint_eq(buf[8], 0);
	rig_load();
	rig.m.used[1] = 3000000;
	rig.d.cnt.bytes_written = 5000000;
	rig.d.cnt.bytes_stored = 2500000;
	rig.d.media.worm = true;
	log_sense(0, 0x57, 0, 0, 1024);
	hc_good(&res);
	ck_assert_uint_eq(buf[0], 0x17);
	ck_assert_uint_eq(buf[8], 1);
	off = param(0x0001);			/* thread count: loads */
	ck_assert_int_gt(off, 0);
	ck_assert_uint_eq(r_be32(&buf[off + 4]), 1);
	off = param(0x000e);
	ck_assert_uint_eq(r_be32(&buf[off + 4]), 5);
	off = param(0x0012);			/* write ratio x100 */
	ck_assert_uint_eq(r_be16(&buf[off + 4]), 200);
	off = param(0x0042);
	ck_assert_uint_eq(buf[off + 2], 0x41);
	ck_assert_uint_eq(buf[off + 3], 32);
	ck_assert_mem_eq(&buf[off + 4], "ABC123L8                        ",
			 32);
	off = param(0x0081);
	ck_assert_uint_eq(buf[off + 4], 1);
	off = param(0x0203);			/* used, per partition */
	ck_assert_uint_eq(buf[off + 2], 0x43);
	ck_assert_uint_eq(buf[off + 3], 16);
	ck_assert_uint_eq(buf[off + 4], 7);
	ck_assert_uint_eq(r_be16(&buf[off + 6]), 0);
	ck_assert_uint_eq(r_be32(&buf[off + 8]), 0);
	ck_assert_uint_eq(r_be16(&buf[off + 14]), 1);
	ck_assert_uint_eq(r_be32(&buf[off + 16]), 3);
	off = param(0x0202);
	ck_assert_uint_eq(r_be32(&buf[off + 8]), 419);
}
END_TEST

START_TEST(sense_cdb_errors)
{
	log_sense(0x01, 0x4c, 0, 0, 512);	/* SP */
	hc_field(&res, 0x24, 0, 1, 0);
	log_sense(0x02, 0x4c, 0, 0, 512);	/* PPC */
	hc_field(&res, 0x24, 0, 1, 1);
	log_sense(0, 0x0c, 0, 0, 512);		/* threshold values */
	hc_field(&res, 0x24, 0, 2, 7);
	log_sense(0, 0x8c, 0, 0, 512);
	hc_field(&res, 0x24, 0, 2, 7);
	log_sense(0, 0x70, 0, 0, 512);		/* no page 30h */
	hc_field(&res, 0x24, 0, 2, 5);
	log_sense(0, 0x4c, 0x01, 0, 512);	/* no subpage 01h */
	hc_field(&res, 0x24, 0, 3, -1);
	log_sense(0, 0x40, 0, 1, 512);		/* page 0 has no params */
	hc_field(&res, 0x24, 0, 5, -1);
	/* reserved byte 4: the table's usage map refuses it */
	{
		uint8_t cdb[10] = { 0x4d, 0, 0x4c, 0, 0x01, 0, 0, 0, 64, 0 };

		r_run(1, cdb, 10, SCSTU_DIR_READ, buf, 64, &res);
		hc_field(&res, 0x24, 0, 4, 0);
	}
}
END_TEST

START_TEST(select_resets)
{
	static const uint8_t none[1];

	rig_load();
	rig.d.cnt.bytes_written = 4 << 20;
	rig.d.cnt.bytes_stored = 4 << 20;
	/* page 32h to its defaults: 0Ch keeps counting */
	log_select(0, 0x72, 0, none, 0);
	hc_good(&res);
	log_sense(0, 0x72, 0, 6, 512);
	hc_good(&res);
	ck_assert_uint_eq(r_be32(&buf[8]), 0);
	log_sense(0, 0x4c, 0, 0, 512);
	ck_assert_uint_eq(r_be64(&buf[8]), 4 << 20);
	rig.d.cnt.bytes_written += 1 << 20;
	log_sense(0, 0x72, 0, 6, 512);
	ck_assert_uint_eq(r_be32(&buf[8]), 1);
	/* PCR: everything */
	ssc_log_tapealert(&rig.d, 5);
	log_select(0x02, 0x40, 0, none, 0);
	hc_good(&res);
	log_sense(0, 0x4c, 0, 0, 512);
	ck_assert_uint_eq(r_be64(&buf[8]), 0);
	log_sense(0, 0x6e, 0, 5, 512);
	ck_assert_uint_eq(buf[8], 0);
}
END_TEST

START_TEST(select_errors)
{
	static const uint8_t list[] = {
		0x0c, 0x00, 0x00, 0x0c,
		0x00, 0x00, 0x00, 0x08, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	static const uint8_t badpage[] = { 0x30, 0x00, 0x00, 0x00 };
	static const uint8_t empty32[] = { 0x32, 0x00, 0x00, 0x00 };
	uint8_t l[32];

	log_select(0x01, 0x40, 0, list, 0);	/* SP */
	hc_field(&res, 0x24, 0, 1, 0);
	log_select(0x02, 0x40, 0, list, sizeof(list));	/* PCR + list */
	hc_field(&res, 0x24, 0, 7, -1);
	log_select(0, 0x70, 0, list, 0);
	hc_field(&res, 0x24, 0, 2, 5);
	log_select(0, 0x4c, 0x02, list, 0);
	hc_field(&res, 0x24, 0, 3, -1);
	/* no parameter can be written */
	log_select(0, 0x40, 0, list, sizeof(list));
	hc_field(&res, 0x26, 0, 4, -1);
	log_select(0, 0x40, 0, badpage, sizeof(badpage));
	hc_field(&res, 0x26, 0, 0, 5);
	/* a page without parameters is accepted */
	log_select(0, 0x40, 0, empty32, sizeof(empty32));
	hc_good(&res);
	/* page length past the list */
	memcpy(l, list, sizeof(list));
	l[3] = 0x20;
	log_select(0, 0x40, 0, l, sizeof(list));
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
	/* a parameter cut by its page */
	l[3] = 0x06;
	log_select(0, 0x40, 0, l, sizeof(list));
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
	log_select(0, 0x40, 0, l, 3);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
}
END_TEST

static Suite *tape_svc_log_suite(void)
{
	Suite *s = suite_create("tape_svc_log");
	TCase *tc = tcase_create("log");

	tcase_add_checked_fixture(tc, rig_setup, rig_teardown);
	tcase_add_test(tc, supported_pages);
	tcase_add_test(tc, sequential_access);
	tcase_add_test(tc, capacity_and_compression);
	tcase_add_test(tc, tapealert);
	tcase_add_test(tc, volume_statistics);
	tcase_add_test(tc, sense_cdb_errors);
	tcase_add_test(tc, select_resets);
	tcase_add_test(tc, select_errors);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(tape_svc_log_suite)
