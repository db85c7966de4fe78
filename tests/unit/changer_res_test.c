// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Changer class: READ ELEMENT STATUS byte layouts for each element type,
 * with and without VOLTAG and DVCID, selection, truncation, sense.
 */
#include <stdio.h>
#include <string.h>
#include "changer_test.h"
#include "unit_registry.h"

static uint8_t buf[8192];

/* READ ELEMENT STATUS into buf. */
static void res_run(uint8_t type, bool voltag, uint16_t start, uint16_t nr,
		    bool dvcid, uint32_t alloc,
		    struct scstu_harness_result *res)
{
	uint8_t cdb[12];

	memset(buf, 0xee, sizeof(buf));
	c_res(cdb, type, voltag, start, nr, dvcid, alloc);
	c_run(cdb, 12, SCSTU_DIR_READ, buf, alloc, res);
}

static void check_hdr(uint16_t first, uint16_t nr, uint32_t bytes)
{
	ck_assert_uint_eq(c_be16(&buf[0]), first);
	ck_assert_uint_eq(c_be16(&buf[2]), nr);
	ck_assert_uint_eq(buf[4], 0);
	ck_assert_uint_eq(c_be24(&buf[5]), bytes);
}

static void check_page(const uint8_t *p, uint8_t type, uint8_t vol,
		       uint16_t dlen, uint32_t bytes)
{
	ck_assert_uint_eq(p[0], type);
	ck_assert_uint_eq(p[1], vol);
	ck_assert_uint_eq(c_be16(&p[2]), dlen);
	ck_assert_uint_eq(p[4], 0);
	ck_assert_uint_eq(c_be24(&p[5]), bytes);
}

static void check_voltag(const uint8_t *p, const char *tag)
{
	char exp[36];
	size_t n = strlen(tag);

	memset(exp, 0, sizeof(exp));
	if (n) {
		memset(exp, ' ', 32);
		memcpy(exp, tag, n);
	}
	ck_assert_int_eq(memcmp(p, exp, 36), 0);
}

START_TEST(test_storage_voltag)
{
	struct scstu_harness_result res;
	const uint8_t *d;
	unsigned int i;

	tl_fill_slot(0, "A00001L8");
	tl_fill_slot(3, "A00004L8");
	res_run(2, true, TL_ST, 100, false, 4096, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 8 + 8 + 20 * 52);
	check_hdr(TL_ST, 20, 8 + 20 * 52);
	check_page(&buf[8], 2, 0x80, 52, 20 * 52);
	for (i = 0; i < 20; i++) {
		bool full = i == 0 || i == 3;

		d = &buf[16 + 52 * i];
		ck_assert_uint_eq(c_be16(&d[0]), TL_ST + i);
		ck_assert_uint_eq(d[2], full ? 0x09 : 0x08);
		ck_assert_uint_eq(d[3], 0);
		ck_assert_uint_eq(c_be16(&d[4]), 0);
		ck_assert_uint_eq(d[6] | d[7] | d[8], 0);
		ck_assert_uint_eq(d[9], 0);		/* no SVALID */
		ck_assert_uint_eq(c_be16(&d[10]), 0);
		check_voltag(&d[12], i == 0 ? "A00001L8" :
			     i == 3 ? "A00004L8" : "");
		/* identifier: none */
		ck_assert_uint_eq(d[48] | d[49] | d[50] | d[51], 0);
	}
	/* nothing past the data */
	ck_assert_uint_eq(buf[16 + 20 * 52], 0xee);
}
END_TEST

START_TEST(test_storage_no_voltag)
{
	struct scstu_harness_result res;

	tl_fill_slot(1, "A00002L8");
	res_run(2, false, TL_ST, 20, false, 4096, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 8 + 8 + 20 * 16);
	check_hdr(TL_ST, 20, 8 + 20 * 16);
	check_page(&buf[8], 2, 0x00, 16, 20 * 16);
	ck_assert_uint_eq(buf[16 + 16 + 2], 0x09);
	ck_assert_uint_eq(c_be16(&buf[16 + 16]), TL_ST + 1);
}
END_TEST

/* What the Linux ch driver sends for one element, byte offsets it uses */
START_TEST(test_ch_single_element)
{
	uint8_t cdb[12];
	struct scstu_harness_result res;
	struct scstu_harness_result mv;

	tl_fill_slot(5, "CH0005L8");
	mv = c_do_move(TL_ST + 5, TL_DT + 1);
	hc_good(&mv);
	c_res(cdb, 4, true, TL_DT + 1, 1, false, 255);
	cdb[1] |= 0x20;				/* LUN 1 in bits 7:5 */
	memset(buf, 0, 512);
	c_run(cdb, 12, SCSTU_DIR_READ, buf, 256, &res);
	hc_good(&res);
	ck_assert_uint_eq((buf[16] << 8) | buf[17], TL_DT + 1);
	ck_assert_uint_eq(buf[18] & 0x01, 0x01);	/* CESTATUS_FULL */
	ck_assert_uint_eq(buf[9] & 0x80, 0x80);		/* PVOLTAG */
	ck_assert_uint_eq(buf[22], 0);			/* ID/LUN unknown */
	ck_assert_uint_eq(buf[25] & 0xc0, 0x80);	/* SVALID, !INVERT */
	ck_assert_uint_eq((buf[26] << 8) | buf[27], TL_ST + 5);
	ck_assert_int_eq(memcmp(&buf[28], "CH0005L8    ", 12), 0);
}
END_TEST

START_TEST(test_drives_dvcid)
{
	struct scstu_harness_result res;
	const uint8_t *d;
	unsigned int i, dl = 16 + TL_ID_LEN;

	res_run(4, false, TL_DT, 4, true, 4096, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 16 + 4 * dl);
	check_hdr(TL_DT, 4, 8 + 4 * dl);
	check_page(&buf[8], 4, 0, dl, 4 * dl);
	for (i = 0; i < 4; i++) {
		char id[TL_ID_LEN + 1];

		d = &buf[16 + dl * i];
		ck_assert_uint_eq(c_be16(&d[0]), TL_DT + i);
		ck_assert_uint_eq(d[2], 0x08);		/* ACCESS, empty */
		if (i == 2) {
			/* no identifier configured: length 0, zero pad */
			ck_assert_uint_eq(d[12] | d[13] | d[15], 0);
			ck_assert_uint_eq(d[16] | d[16 + TL_ID_LEN - 1], 0);
			continue;
		}
		snprintf(id, sizeof(id), "IBM     ULT3580-TD8     %010u",
			 1000 + i);
		ck_assert_uint_eq(d[12], 2);		/* ASCII */
		ck_assert_uint_eq(d[13], 1);		/* T10 vendor ID */
		ck_assert_uint_eq(d[14], 0);
		ck_assert_uint_eq(d[15], TL_ID_LEN);
		ck_assert_int_eq(memcmp(&d[16], id, TL_ID_LEN), 0);
	}
	/* with VOLTAG the identifier follows the volume tag */
	res_run(4, true, TL_DT, 1, true, 4096, &res);
	hc_good(&res);
	check_page(&buf[8], 4, 0x80, 52 + TL_ID_LEN, 52 + TL_ID_LEN);
	ck_assert_uint_eq(buf[16 + 48], 2);
	ck_assert_uint_eq(buf[16 + 51], TL_ID_LEN);
	ck_assert_int_eq(memcmp(&buf[16 + 52], "IBM     ULT3580-TD8", 19), 0);
	/* DVCID does not change other element types */
	res_run(2, false, TL_ST, 1, true, 4096, &res);
	hc_good(&res);
	check_page(&buf[8], 2, 0, 16, 16);
}
END_TEST

START_TEST(test_dvcid_unsupported)
{
	struct scstu_harness_result res;

	tl_teardown();
	tl_setup_opts(true, NULL);
	res_run(4, false, TL_DT, 4, true, 4096, &res);
	hc_field(&res, 0x24, 0, 6, 0);
	res_run(0, true, 0, 100, true, 4096, &res);
	hc_field(&res, 0x24, 0, 6, 0);
	/* without DVCID drives report 16-byte descriptors */
	res_run(4, false, TL_DT, 4, false, 4096, &res);
	hc_good(&res);
	check_page(&buf[8], 4, 0, 16, 64);
}
END_TEST

START_TEST(test_all_types)
{
	struct scstu_harness_result res;
	unsigned int off, dt = 52 + TL_ID_LEN;
	uint32_t total = 4 * 8 + 25 * 52 + 4 * dt;

	tl_fill_slot(19, "A00020L8");
	ck_assert_int_eq(scstu_changer_import(tl.dev, TL_IE + 2, "IMP003L8"),
			 0);
	res_run(0, true, 0, 0xffff, true, sizeof(buf), &res);
	hc_good(&res);
	check_hdr(TL_MT, TL_NR_ELEMS, total);
	ck_assert_uint_eq(res.xfer, 8 + total);
	/* pages in address order: transport, drives, mail slots, slots */
	off = 8;
	check_page(&buf[off], 1, 0x80, 52, 52);
	ck_assert_uint_eq(c_be16(&buf[off + 8]), TL_MT);
	ck_assert_uint_eq(buf[off + 8 + 2], 0x00);	/* MT: empty */
	off += 8 + 52;
	check_page(&buf[off], 4, 0x80, dt, 4 * dt);
	off += 8 + 4 * dt;
	check_page(&buf[off], 3, 0x80, 52, 4 * 52);
	ck_assert_uint_eq(c_be16(&buf[off + 8]), TL_IE);
	ck_assert_uint_eq(buf[off + 8 + 2], 0x38);	/* InEnab ExEnab Acc */
	ck_assert_uint_eq(buf[off + 8 + 2 * 52 + 2], 0x3b); /* +ImpExp Full */
	check_voltag(&buf[off + 8 + 2 * 52 + 12], "IMP003L8");
	off += 8 + 4 * 52;
	check_page(&buf[off], 2, 0x80, 52, 20 * 52);
	ck_assert_uint_eq(c_be16(&buf[off + 8 + 19 * 52]), TL_ST + 19);
	check_voltag(&buf[off + 8 + 19 * 52 + 12], "A00020L8");
	ck_assert_uint_eq(off + 8 + 20 * 52, 8 + total);
}
END_TEST

START_TEST(test_selection)
{
	struct scstu_harness_result res;

	/* NUMBER OF ELEMENTS across pages: transport + 2 drives */
	res_run(0, false, 0, 3, false, 4096, &res);
	hc_good(&res);
	check_hdr(TL_MT, 3, 8 + 16 + 8 + 32);
	check_page(&buf[8], 1, 0, 16, 16);
	check_page(&buf[8 + 8 + 16], 4, 0, 16, 32);
	ck_assert_uint_eq(c_be16(&buf[8 + 8 + 16 + 8 + 16]), TL_DT + 1);
	/* starting inside a range */
	res_run(2, false, TL_ST + 18, 10, false, 4096, &res);
	hc_good(&res);
	check_hdr(TL_ST + 18, 2, 8 + 32);
	/* a starting address that is no element's: the next ones */
	res_run(0, false, 2, 1, false, 4096, &res);
	hc_good(&res);
	check_hdr(TL_DT, 1, 8 + 16);
	ck_assert_uint_eq(buf[8], 4);
	/* a type with nothing at or above the start: empty report */
	res_run(1, false, TL_DT, 10, false, 4096, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 8);
	check_hdr(0, 0, 0);
	/* NUMBER OF ELEMENTS 0 */
	res_run(2, true, TL_ST, 0, false, 4096, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 8);
	check_hdr(0, 0, 0);
	/* CURDATA is accepted */
	{
		uint8_t cdb[12];

		c_res(cdb, 3, true, TL_IE, 4, false, 4096);
		cdb[6] = 0x02;
		c_run(cdb, 12, SCSTU_DIR_READ, buf, 4096, &res);
		hc_good(&res);
		check_hdr(TL_IE, 4, 8 + 4 * 52);
	}
}
END_TEST

START_TEST(test_bad_fields)
{
	struct scstu_harness_result res;

	/* past the highest element address (mtx's all-types walk ends) */
	res_run(0, false, TL_ST + TL_NR_ST, 10, false, 4096, &res);
	hc_field(&res, 0x21, 0x01, 2, -1);
	res_run(0, false, 0xffff, 10, false, 4096, &res);
	hc_field(&res, 0x21, 0x01, 2, -1);
	/* element type code 5..15 */
	res_run(5, false, 0, 10, false, 4096, &res);
	hc_field(&res, 0x24, 0, 1, 3);
	res_run(15, false, 0, 10, false, 4096, &res);
	hc_field(&res, 0x24, 0, 1, 3);
}
END_TEST

START_TEST(test_truncation)
{
	struct scstu_harness_result res;
	uint32_t total = 4 * 8 + TL_NR_ELEMS * 52;
	uint32_t alloc;

	/* header only: the byte count tells the real size (mtx, Dell) */
	res_run(0, true, 0, 0xffff, false, 8, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 8);
	ck_assert_uint_eq(res.resid, 0);
	check_hdr(TL_MT, TL_NR_ELEMS, total);
	/* then the whole report */
	alloc = c_be24(&buf[5]) + 8;
	res_run(0, true, 0, 0xffff, false, alloc, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, alloc);
	/* shorter than the header: that many bytes of it */
	res_run(0, true, 0, 0xffff, false, 5, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 5);
	ck_assert_uint_eq(c_be16(&buf[2]), TL_NR_ELEMS);
	/* whole descriptors only: MT page, DT page + 2 drives (+10) */
	alloc = 8 + 8 + 52 + 8 + 2 * 52 + 10;
	res_run(0, true, 0, 0xffff, false, alloc, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, alloc - 10);
	ck_assert_uint_eq(res.resid, 10);
	check_hdr(TL_MT, TL_NR_ELEMS, total);
	check_page(&buf[8 + 8 + 52], 4, 0x80, 52, 4 * 52);
	ck_assert_uint_eq(buf[alloc - 10], 0xee);
	/* room for a page header but no descriptor of it */
	alloc = 8 + 8 + 52 + 8 + 20;
	res_run(0, true, 0, 0xffff, false, alloc, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 8 + 8 + 52 + 8);
	/* a data-in buffer shorter than the allocation length */
	{
		uint8_t cdb[12];

		c_res(cdb, 0, true, 0, 0xffff, false, 4096);
		c_run(cdb, 12, SCSTU_DIR_READ, buf, 100, &res);
		hc_good(&res);
		ck_assert_uint_eq(res.xfer, 100);
	}
}
END_TEST

static Suite *changer_res_suite(void)
{
	Suite *s = suite_create("changer_res");
	TCase *tc = tcase_create("res");

	tcase_add_checked_fixture(tc, tl_setup, tl_teardown);
	tcase_add_test(tc, test_storage_voltag);
	tcase_add_test(tc, test_storage_no_voltag);
	tcase_add_test(tc, test_ch_single_element);
	tcase_add_test(tc, test_drives_dvcid);
	tcase_add_test(tc, test_dvcid_unsupported);
	tcase_add_test(tc, test_all_types);
	tcase_add_test(tc, test_selection);
	tcase_add_test(tc, test_bad_fields);
	tcase_add_test(tc, test_truncation);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(changer_res_suite)
