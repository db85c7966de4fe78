// SPDX-License-Identifier: LGPL-2.1-or-later
/* Tape services: READ / WRITE ATTRIBUTE, the MAM (ssc_mam.c). */
#include <stdlib.h>
#include <string.h>
#include "tape_svc_rig.h"
#include "unit_registry.h"

static uint8_t buf[20000];
static struct scstu_harness_result res;

static void read_attr(uint8_t sa, uint8_t part, uint16_t first,
		      uint32_t alloc, bool cache)
{
	uint8_t cdb[16] = { 0x8c, sa, 0, 0, 0, 0, 0, part,
			    (uint8_t)(first >> 8), (uint8_t)first,
			    (uint8_t)(alloc >> 24), (uint8_t)(alloc >> 16),
			    (uint8_t)(alloc >> 8), (uint8_t)alloc, cache, 0 };

	memset(buf, 0xee, sizeof(buf));
	r_run(1, cdb, 16, SCSTU_DIR_READ, buf, alloc, &res);
}

static void write_attr(const uint8_t *list, uint32_t len)
{
	uint8_t cdb[16] = { 0x8d, 0x01, 0, 0, 0, 0, 0, 0, 0, 0,
			    (uint8_t)(len >> 24), (uint8_t)(len >> 16),
			    (uint8_t)(len >> 8), (uint8_t)len, 0, 0 };

	memcpy(buf, list, len);
	r_run(1, cdb, 16, SCSTU_DIR_WRITE, buf, len, &res);
}

/* A list of one attribute. */
static uint32_t one(uint8_t *l, uint16_t id, uint8_t fmt, const void *v,
		    uint16_t len)
{
	l[0] = 0;
	l[1] = 0;
	l[2] = (uint8_t)((5 + len) >> 8);
	l[3] = (uint8_t)(5 + len);
	l[4] = (uint8_t)(id >> 8);
	l[5] = (uint8_t)id;
	l[6] = fmt;
	l[7] = (uint8_t)(len >> 8);
	l[8] = (uint8_t)len;
	memcpy(&l[9], v, len);
	return 9U + len;
}

/* Append a second attribute to a list of n bytes; new length. */
static uint32_t two(uint8_t *l, uint32_t n, uint16_t id, uint8_t fmt,
		    const void *v, uint16_t len)
{
	uint8_t t[300];
	uint32_t m = one(t, id, fmt, v, len);

	memcpy(&l[n], &t[4], m - 4);
	n += m - 4;
	l[2] = (uint8_t)((n - 4) >> 8);
	l[3] = (uint8_t)(n - 4);
	return n;
}

static const char barcode[] = "ABC123L8                        ";

START_TEST(values_after_load)
{
	static const uint8_t serial[] = {
		0x00, 0x00, 0x00, 0x25,
		0x04, 0x01, 0x81, 0x00, 0x20,
		'S', 'N', '8', '7', '6', '5', ' ', ' ', ' ', ' ', ' ', ' ',
		' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
		' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	};
	static const uint16_t ids[] = {
		0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006,
		0x020a, 0x0220, 0x0221, 0x0222, 0x0223, 0x0400, 0x0401,
		0x0402, 0x0403, 0x0404, 0x0405, 0x0407, 0x0408, 0x0409,
	};
	unsigned int i;

	rig_load();
	read_attr(0x01, 0, 0, 1024, false);	/* attribute list */
	hc_good(&res);
	ck_assert_uint_eq(r_be32(buf), 2 * 21);
	for (i = 0; i < 21; i++)
		ck_assert_uint_eq(r_be16(&buf[4 + 2 * i]), ids[i]);
	/* one value, cut by the allocation length to exactly it */
	read_attr(0x00, 0, 0x0401, 9 + 32, false);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 41);
	ck_assert_uint_eq(r_be32(buf), 37 + 9 + 9 + 13 + 6 + 13 + 6 + 7);
	memcpy(buf, serial, 4);		/* available data checked above */
	ck_assert_mem_eq(buf, serial, sizeof(serial));
	/* device attributes */
	read_attr(0x00, 0, 0x0000, 1024, false);
	hc_good(&res);
	ck_assert_uint_eq(r_be16(&buf[4]), 0x0000);
	ck_assert_uint_eq(buf[6], 0x80);
	ck_assert_uint_eq(r_be16(&buf[7]), 8);
	ck_assert_uint_eq(r_be64(&buf[9]), 400);	/* MiB left */
	ck_assert_uint_eq(r_be64(&buf[4 + 13 + 5]), 400);
	ck_assert_uint_eq(r_be16(&buf[4 + 3 * 13]), 0x0003);
	ck_assert_uint_eq(r_be64(&buf[4 + 3 * 13 + 5]), 1);	/* loads */
	/* partition 1 */
	rig.m.used[1] = 30 << 20;
	read_attr(0x00, 1, 0x0000, 13 + 4, false);
	hc_good(&res);
	ck_assert_uint_eq(r_be64(&buf[9]), 70);
	read_attr(0x00, 0, 0x0405, 10, false);
	ck_assert_uint_eq(buf[9], 0x5e);		/* LTO-8 */
	read_attr(0x00, 0, 0x0408, 10, false);
	ck_assert_uint_eq(buf[9], 0x00);		/* data medium */
	read_attr(0x00, 0, 0x020a, 64, false);
	ck_assert_mem_eq(&buf[9], "IBM     1068000123", 18);
}
END_TEST

START_TEST(lists_and_cdb_errors)
{
	static const uint8_t parts[] = { 0x00, 0x02, 0x00, 0x02 };
	static const uint8_t vols[] = { 0x00, 0x02, 0x00, 0x01 };
	uint8_t cdb[16] = { 0x8c, 0x00, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0 };

	read_attr(0x03, 0, 0, 64, false);	/* no medium */
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
	read_attr(0x05, 0, 0x0800, 1024, false);	/* supported */
	hc_good(&res);
	ck_assert_uint_eq(r_be32(buf), 2 * 15);
	ck_assert_uint_eq(r_be16(&buf[4]), 0x0800);
	ck_assert_uint_eq(r_be16(&buf[4 + 2 * 14]), 0x0821);
	rig_load();
	read_attr(0x03, 0, 0, 64, false);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 4);
	ck_assert_mem_eq(buf, parts, 4);
	read_attr(0x02, 0, 0, 64, false);
	ck_assert_mem_eq(buf, vols, 4);
	read_attr(0x04, 0, 0, 64, false);
	hc_field(&res, 0x24, 0, 1, 4);
	read_attr(0x06, 0, 0, 64, false);
	hc_field(&res, 0x24, 0, 1, 4);
	read_attr(0x00, 2, 0, 64, false);	/* partition 2 */
	hc_field(&res, 0x24, 0, 7, -1);
	read_attr(0x00, 0, 0x0806, 64, false);	/* no barcode yet */
	hc_field(&res, 0x24, 0, 8, -1);
	r_run(1, cdb, 16, SCSTU_DIR_READ, buf, 256, &res);	/* volume 1 */
	hc_field(&res, 0x24, 0, 5, -1);
	cdb[5] = 0;
	cdb[14] = 0x02;					/* reserved */
	r_run(1, cdb, 16, SCSTU_DIR_READ, buf, 256, &res);
	hc_field(&res, 0x24, 0, 14, 1);
}
END_TEST

START_TEST(write_read_back)
{
	static const uint8_t want[] = {
		0x00, 0x00, 0x00, 0x25,
		0x08, 0x06, 0x01, 0x00, 0x20,
	};
	uint8_t l[256], vci[70];
	unsigned int w;

	rig_load();
	w = rig.m.mam_writes;
	write_attr(l, one(l, 0x0806, 0x01, barcode, 32));
	hc_good(&res);
	ck_assert_uint_eq(rig.m.mam_writes, w + 1);	/* written at once */
	read_attr(0x00, 0, 0x0806, 41, false);
	hc_good(&res);
	ck_assert_mem_eq(buf, want, sizeof(want));
	ck_assert_mem_eq(&buf[9], barcode, 32);
	/* volume coherency information, variable length */
	memset(vci, 0x5a, sizeof(vci));
	write_attr(l, one(l, 0x080c, 0x00, vci, sizeof(vci)));
	hc_good(&res);
	read_attr(0x00, 0, 0x080c, 1024, false);
	hc_good(&res);
	ck_assert_uint_eq(r_be32(buf), 75);
	ck_assert_uint_eq(buf[6], 0x00);		/* writable, binary */
	ck_assert_uint_eq(r_be16(&buf[7]), 70);
	ck_assert_mem_eq(&buf[9], vci, 70);
	/* length 0 deletes */
	write_attr(l, one(l, 0x080c, 0x00, vci, 0));
	hc_good(&res);
	read_attr(0x00, 0, 0x080c, 1024, false);
	hc_field(&res, 0x24, 0, 8, -1);
	/* an empty list changes nothing */
	write_attr(l, 0);
	hc_good(&res);
}
END_TEST

START_TEST(write_errors)
{
	uint8_t l[512];
	uint32_t n;

	write_attr(l, one(l, 0x0806, 0x01, barcode, 32));
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
	rig_load();
	write_attr(l, one(l, 0x0401, 0x01, barcode, 32));	/* read only */
	hc_field(&res, 0x26, 0, 4, -1);
	write_attr(l, one(l, 0x0c00, 0x00, barcode, 4));	/* reserved */
	hc_field(&res, 0x26, 0, 4, -1);
	write_attr(l, one(l, 0x0806, 0x00, barcode, 32));	/* format */
	hc_field(&res, 0x26, 0, 6, 1);
	write_attr(l, one(l, 0x0806, 0x81, barcode, 32));	/* READ ONLY */
	hc_field(&res, 0x26, 0, 6, 7);
	write_attr(l, one(l, 0x0806, 0x01, barcode, 31));	/* length */
	hc_field(&res, 0x26, 0, 7, -1);
	n = one(l, 0x0806, 0x01, barcode, 32);
	l[9 + 3] = 0x07;					/* not ASCII */
	write_attr(l, n);
	hc_field(&res, 0x26, 0, 12, -1);
	/* two attributes, the second before the first */
	n = one(l, 0x0806, 0x01, barcode, 32);
	n = two(l, n, 0x0800, 0x01, "LTFS    ", 8);
	write_attr(l, n);
	hc_field(&res, 0x26, 0, 41, -1);
	/* a valid first attribute is not applied when the second fails */
	n = one(l, 0x0800, 0x01, "LTFS    ", 8);
	n = two(l, n, 0x0806, 0x00, barcode, 32);
	write_attr(l, n);
	hc_field(&res, 0x26, 0, 19, 1);
	read_attr(0x00, 0, 0x0800, 64, false);
	hc_field(&res, 0x24, 0, 8, -1);
	/* lengths */
	n = one(l, 0x0806, 0x01, barcode, 32);
	write_attr(l, n - 1);				/* attribute cut */
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
	l[3] = 2;					/* header cut */
	write_attr(l, 6);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
	write_attr(l, 3);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
	/* write protected medium */
	rig.d.write_protected = true;
	write_attr(l, one(l, 0x0806, 0x01, barcode, 32));
	hc_sense(&res, SCSTU_DATA_PROTECT, 0x27, 0x00);
	rig.d.write_protected = false;
	/* the medium fails the write */
	rig.m.mam_write_err = -5;
	write_attr(l, one(l, 0x0806, 0x01, barcode, 32));
	hc_sense(&res, SCSTU_MEDIUM_ERROR, 0x0c, 0x0b);
}
END_TEST

START_TEST(out_of_space)
{
	static uint8_t big[2048];
	uint8_t *l = malloc(9 + sizeof(big));
	unsigned int i;

	ck_assert_ptr_nonnull(l);
	rig_load();
	for (i = 0; i < 15; i++) {
		write_attr(l, one(l, (uint16_t)(0x0900 + i), 0x00, big,
				  1024));
		hc_good(&res);
	}
	write_attr(l, one(l, 0x0920, 0x00, big, 1024));
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x55, 0x06);
	write_attr(l, one(l, 0x0920, 0x00, big, 2000));	/* too long */
	hc_field(&res, 0x26, 0, 7, -1);
	/* space remaining (0004h) */
	read_attr(0x00, 0, 0x0004, 17, false);
	ck_assert_uint_eq(r_be64(&buf[9]), 16384 - 8 - 13 - 45 -
			  15 * 1029);
	free(l);
}
END_TEST

START_TEST(persist_and_cache)
{
	uint8_t l[64];

	rig_load();
	rig.d.cnt.bytes_stored = 5 << 20;
	write_attr(l, one(l, 0x0806, 0x01, barcode, 32));
	hc_good(&res);
	rig_unload();
	/* not loaded: the values of the last medium with CACHE */
	read_attr(0x00, 0, 0x0806, 64, false);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
	read_attr(0x00, 0, 0x0806, 64, true);
	hc_good(&res);
	ck_assert_mem_eq(&buf[9], barcode, 32);
	read_attr(0x01, 0, 0x0800, 64, true);
	hc_good(&res);
	ck_assert_uint_eq(r_be32(buf), 2);
	/* again in a drive: kept, load count 2, lifetime MiB */
	rig_load();
	read_attr(0x00, 0, 0x0806, 64, false);
	hc_good(&res);
	ck_assert_mem_eq(&buf[9], barcode, 32);
	read_attr(0x00, 0, 0x0003, 17, false);
	ck_assert_uint_eq(r_be64(&buf[9]), 2);
	read_attr(0x00, 0, 0x0220, 17, false);
	ck_assert_uint_eq(r_be64(&buf[9]), 5);
	read_attr(0x00, 0, 0x020b, 64, false);	/* previous load's drive */
	hc_good(&res);
	ck_assert_mem_eq(&buf[9], "IBM     1068000123", 18);
}
END_TEST

START_TEST(corrupt_mam)
{
	uint8_t l[64];

	memcpy(rig.m.mam, "SMAM\x01\0\0\0\x08\x06\x01\x00\x40", 13);
	rig.m.mam_len = 13;			/* attribute cut short */
	rig_load();
	read_attr(0x00, 0, 0x0000, 64, false);
	hc_sense(&res, SCSTU_MEDIUM_ERROR, 0x11, 0x12);
	/* rewriting makes it good again */
	write_attr(l, one(l, 0x0806, 0x01, barcode, 32));
	hc_good(&res);
	read_attr(0x00, 0, 0x0806, 64, false);
	hc_good(&res);
	rig_unload();
	rig.m.mam_read_err = -5;
	rig_load();
	read_attr(0x01, 0, 0, 64, false);
	hc_sense(&res, SCSTU_MEDIUM_ERROR, 0x11, 0x12);
	rig_unload();
	rig.m.mam_read_err = 0;
	memcpy(rig.m.mam, "XMAM", 4);		/* bad magic */
	rig_load();
	read_attr(0x01, 0, 0, 64, false);
	hc_sense(&res, SCSTU_MEDIUM_ERROR, 0x11, 0x12);
}
END_TEST

static Suite *tape_svc_mam_suite(void)
{
	Suite *s = suite_create("tape_svc_mam");
	TCase *tc = tcase_create("mam");

	tcase_add_checked_fixture(tc, rig_setup, rig_teardown);
	tcase_add_test(tc, values_after_load);
	tcase_add_test(tc, lists_and_cdb_errors);
	tcase_add_test(tc, write_read_back);
	tcase_add_test(tc, write_errors);
	tcase_add_test(tc, out_of_space);
	tcase_add_test(tc, persist_and_cache);
	tcase_add_test(tc, corrupt_mam);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(tape_svc_mam_suite)
