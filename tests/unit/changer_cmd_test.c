// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Changer class: creation, INQUIRY, TEST UNIT READY, REPORT SUPPORTED
 * OPERATION CODES, the dispatcher on malformed CDBs, mode pages.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "changer_test.h"
#include "unit_registry.h"

START_TEST(test_create_invalid)
{
	struct scstu_harness *h = scstu_harness_new();
	struct scstu_dev_config cfg = { .name = "bad", .harness = h };
	struct scstu_changer_config cc = {
		.transport_addr = 1, .storage_addr = 10, .nr_storage = 10,
		.ie_addr = 15, .nr_ie = 2,	/* overlaps storage */
		.drive_addr = 100, .nr_drives = 1,
	};
	struct scstu_changer_ops ops = { .move = NULL };
	struct scstu_changer_drive d = { .code_set = 2, .id_len = 65 };

	/* no ->move */
	errno = 0;
	ck_assert_ptr_null(scstu_changer_create(&cfg, &cc, &ops, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ops.move = (void *)1;
	ck_assert_ptr_null(scstu_changer_create(&cfg, &cc, &ops, NULL));
	ck_assert_int_eq(errno, EINVAL);
	/* past address 65535 */
	cc.ie_addr = 0xffff;
	ck_assert_ptr_null(scstu_changer_create(&cfg, &cc, &ops, NULL));
	ck_assert_int_eq(errno, EINVAL);
	/* identifier longer than its buffer */
	cc.ie_addr = 50;
	cc.drives = &d;
	ck_assert_ptr_null(scstu_changer_create(&cfg, &cc, &ops, NULL));
	ck_assert_int_eq(errno, EINVAL);
	scstu_harness_free(h);
}
END_TEST

START_TEST(test_inquiry)
{
	uint8_t cdb[6] = { 0x12, 0, 0, 0, 96, 0 }, buf[96];
	struct scstu_harness_result res;

	c_run(cdb, 6, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_uint_eq(buf[0], 0x08);		/* medium changer */
	ck_assert_uint_eq(buf[1], 0x80);		/* RMB */
	ck_assert_uint_eq(buf[6] & 0x08, 0);		/* MChngr 0 */
	ck_assert_int_eq(memcmp(&buf[8], "SCSTU   ", 8), 0);
	ck_assert_int_eq(memcmp(&buf[16], "TEST LIBRARY    ", 16), 0);
	ck_assert_int_eq(memcmp(&buf[32], "0001", 4), 0);
	/* SAM-5, SPC-4, SMC-3 */
	ck_assert_uint_eq(c_be16(&buf[58]), 0x00a0);
	ck_assert_uint_eq(c_be16(&buf[60]), 0x0460);
	ck_assert_uint_eq(c_be16(&buf[62]), 0x0480);
	/* unit serial number VPD */
	cdb[1] = 1;
	cdb[2] = 0x80;
	c_run(cdb, 6, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_uint_eq(buf[0], 0x08);
	ck_assert_uint_eq(buf[3], 7);
	ck_assert_int_eq(memcmp(&buf[4], "LIB0001", 7), 0);
}
END_TEST

START_TEST(test_tur_and_init)
{
	uint8_t tur[6] = { 0 }, ies[6] = { 0x07 };
	uint8_t iesr[10] = { 0x37, 0x01 };
	struct scstu_harness_result res;

	c_run(tur, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	c_run(ies, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	/* the Linux ch driver puts the LUN in byte 1 bits 7:5 */
	ies[1] = 0x20;
	c_run(ies, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	ies[1] = 0x01;
	c_run(ies, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 1, 0);
	/* WITH RANGE: from a storage element, 5 of them */
	c_put16(TL_ST, &iesr[2]);
	c_put16(5, &iesr[6]);
	c_run(iesr, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	/* FAST too */
	iesr[1] = 0x03;
	c_run(iesr, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	/* no element at the starting address */
	c_put16(2, &iesr[2]);
	c_run(iesr, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x21, 0x01, 2, -1);
	/* without RANGE the address is not looked at */
	iesr[1] = 0;
	c_run(iesr, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	/* reserved byte 4 */
	iesr[4] = 0x80;
	c_run(iesr, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 4, 7);
}
END_TEST

START_TEST(test_unsupported_and_malformed)
{
	uint8_t cdb[16] = { 0x28 };		/* READ(10): not a changer's */
	struct scstu_harness_result res;

	c_run(cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x20, 0x00);
	/* SEND VOLUME TAG is not supported */
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = 0xb6;
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x20, 0x00);
	/* short CDB */
	c_move(cdb, TL_MT, TL_ST, TL_DT);
	c_run(cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 0, -1);
	/* NACA in the CONTROL byte */
	c_move(cdb, TL_MT, TL_ST, TL_DT);
	cdb[11] = 0x04;
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 11, 2);
	/* reserved bit of READ ELEMENT STATUS byte 6 */
	c_res(cdb, 0, true, 0, 10, false, 1024);
	cdb[6] = 0x04;
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 6, 2);
	/* PREVENT field value 10b */
	memset(cdb, 0, 6);
	cdb[0] = 0x1e;
	cdb[4] = 0x02;
	c_run(cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 4, 1);
}
END_TEST

START_TEST(test_fixed_sense_bytes)
{
	uint8_t cdb[12];
	struct scstu_harness_result res;

	/* 21/01 for a bad source address, byte by byte (fixed format) */
	c_move(cdb, TL_MT, 0x500, TL_DT);
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	ck_assert_int_eq(res.status, SCSTU_CHECK_CONDITION);
	ck_assert_uint_ge(res.sense_len, 18);
	ck_assert_uint_eq(res.sense[0] & 0x7f, 0x70);
	ck_assert_uint_eq(res.sense[2] & 0x0f, SCSTU_ILLEGAL_REQUEST);
	ck_assert_uint_eq(res.sense[12], 0x21);
	ck_assert_uint_eq(res.sense[13], 0x01);
	ck_assert_uint_eq(res.sense[15], 0xc0);		/* SKSV, C/D */
	ck_assert_uint_eq(res.sense[16], 0);
	ck_assert_uint_eq(res.sense[17], 4);
}
END_TEST

static const uint8_t rsoc_expected[][2] = {
	{ 0x00, 6 }, { 0x03, 6 }, { 0x07, 6 }, { 0x12, 6 }, { 0x15, 6 },
	{ 0x16, 6 }, { 0x17, 6 }, { 0x1a, 6 }, { 0x1e, 6 }, { 0x2b, 10 },
	{ 0x37, 10 }, { 0x55, 10 }, { 0x56, 10 }, { 0x57, 10 },
	{ 0x5a, 10 }, { 0xa0, 12 }, { 0xa3, 12 }, { 0xa5, 12 },
	{ 0xa6, 12 }, { 0xb8, 12 },
};

START_TEST(test_rsoc)
{
	uint8_t cdb[12] = { 0xa3, 0x0c }, buf[512];
	struct scstu_harness_result res;
	unsigned int n = sizeof(rsoc_expected) / sizeof(rsoc_expected[0]);
	unsigned int i;

	cdb[8] = sizeof(buf) >> 8;		/* allocation length 512 */
	c_run(cdb, 12, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_uint_eq(c_be16(&buf[2]), n * 8);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(buf[4 + 8 * i], rsoc_expected[i][0]);
		ck_assert_uint_eq(c_be16(&buf[4 + 8 * i + 6]),
				  rsoc_expected[i][1]);
	}
	/* one command: READ ELEMENT STATUS, its usage map */
	cdb[2] = 0x01;
	cdb[3] = 0xb8;
	c_run(cdb, 12, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_uint_eq(buf[1] & 0x07, 0x03);
	ck_assert_uint_eq(c_be16(&buf[2]), 12);
	ck_assert_uint_eq(buf[4], 0xb8);
	ck_assert_uint_eq(buf[5], 0xff);		/* LUN, VOLTAG, type */
	ck_assert_uint_eq(buf[10], 0x03);		/* CURDATA, DVCID */
	/* MOVE MEDIUM: INVERT is not claimed */
	cdb[3] = 0xa5;
	c_run(cdb, 12, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_uint_eq(buf[4 + 10], 0x00);
	ck_assert_uint_eq(buf[4 + 11], 0xc0);
}
END_TEST

/* MODE SENSE(6) with DBD, as mtx sends it for page 1Dh */
START_TEST(test_mode_eaa)
{
	uint8_t cdb[6] = { 0x1a, 0x08, 0x1d, 0, 136, 0 }, buf[136];
	struct scstu_harness_result res;
	const uint8_t *pg;

	c_run(cdb, 6, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 4 + 20);
	ck_assert_uint_eq(buf[0], 4 + 20 - 1);
	ck_assert_uint_eq(buf[1], 0);			/* medium type */
	ck_assert_uint_eq(buf[2], 0);			/* device specific */
	ck_assert_uint_eq(buf[3], 0);			/* no block desc */
	pg = &buf[4 + buf[3]];
	ck_assert_uint_eq(pg[0], 0x1d);			/* PS 0 */
	ck_assert_uint_eq(pg[1], 0x12);
	ck_assert_uint_eq(c_be16(&pg[2]), TL_MT);
	ck_assert_uint_eq(c_be16(&pg[4]), 1);
	ck_assert_uint_eq(c_be16(&pg[6]), TL_ST);
	ck_assert_uint_eq(c_be16(&pg[8]), TL_NR_ST);
	ck_assert_uint_eq(c_be16(&pg[10]), TL_IE);
	ck_assert_uint_eq(c_be16(&pg[12]), TL_NR_IE);
	ck_assert_uint_eq(c_be16(&pg[14]), TL_DT);
	ck_assert_uint_eq(c_be16(&pg[16]), TL_NR_DT);
	/* the Linux ch driver: no DBD, LUN bits; same page (no bd) */
	cdb[1] = 0x20;
	cdb[4] = 255;
	c_run(cdb, 6, SCSTU_DIR_READ, buf, 255, &res);
	hc_good(&res);
	ck_assert_uint_eq(buf[3], 0);
	ck_assert_uint_eq(c_be16(&buf[buf[3] + 6]), TL_MT);
	ck_assert_uint_eq(c_be16(&buf[buf[3] + 18]), TL_DT);
	ck_assert_uint_eq(c_be16(&buf[buf[3] + 20]), TL_NR_DT);
}
END_TEST

START_TEST(test_mode_geometry_caps)
{
	uint8_t cdb[10] = { 0x5a, 0x08, 0x1e }, buf[256];
	struct scstu_harness_result res;

	c_put16(sizeof(buf), &cdb[7]);
	c_run(cdb, 10, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_uint_eq(c_be16(&buf[0]), 8 + 4 - 2);
	ck_assert_uint_eq(c_be16(&buf[6]), 0);
	ck_assert_uint_eq(buf[8], 0x1e);
	ck_assert_uint_eq(buf[9], 0x02);
	ck_assert_uint_eq(buf[10], 0);			/* no ROTATE */
	ck_assert_uint_eq(buf[11], 0);
	cdb[2] = 0x1f;
	c_run(cdb, 10, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 8 + 20);
	ck_assert_uint_eq(buf[8], 0x1f);
	ck_assert_uint_eq(buf[9], 0x12);
	ck_assert_uint_eq(buf[10], 0x0e);		/* StorDT/IE/ST */
	ck_assert_uint_eq(buf[12], 0x00);		/* MT->XX */
	ck_assert_uint_eq(buf[13], 0x0e);		/* ST->XX */
	ck_assert_uint_eq(buf[14], 0x0e);		/* IE->XX */
	ck_assert_uint_eq(buf[15], 0x0e);		/* DT->XX */
	ck_assert_uint_eq(buf[20], 0x00);		/* MT<>XX */
	ck_assert_uint_eq(buf[21], 0x0e);
	ck_assert_uint_eq(buf[22], 0x0e);
	ck_assert_uint_eq(buf[23], 0x0e);
	/* all pages: 0Ah, 1Dh, 1Eh, 1Fh in order */
	cdb[2] = 0x3f;
	c_run(cdb, 10, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 8 + 12 + 20 + 4 + 20);
	ck_assert_uint_eq(buf[8], 0x8a);		/* PS: savable */
	ck_assert_uint_eq(buf[20], 0x1d);
	ck_assert_uint_eq(buf[40], 0x1e);
	ck_assert_uint_eq(buf[44], 0x1f);
	/* no such page */
	cdb[2] = 0x1c;
	c_run(cdb, 10, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_field(&res, 0x24, 0, 2, 5);
	/* saved values of a page that cannot be saved */
	cdb[2] = 0xdd;
	c_run(cdb, 10, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x39, 0x00);
	/* changeable values: nothing in 1Dh */
	cdb[2] = 0x5d;
	c_run(cdb, 10, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_uint_eq(buf[8], 0x1d);
	ck_assert_uint_eq(buf[9], 0x12);
	ck_assert_uint_eq(c_be16(&buf[10]), 0);
	ck_assert_uint_eq(c_be16(&buf[24]), 0);
}
END_TEST

START_TEST(test_mode_select)
{
	uint8_t sense[10] = { 0x5a, 0x08, 0x1d }, sel[10] = { 0x55, 0x10 };
	uint8_t buf[64], ctl[8 + 12] = { 0 };
	struct scstu_harness_result res;
	uint8_t asc, ascq;

	c_put16(sizeof(buf), &sense[7]);
	c_run(sense, 10, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	/* 1Dh sent back unchanged: accepted */
	buf[0] = buf[1] = 0;
	c_put16(8 + 20, &sel[7]);
	c_run(sel, 10, SCSTU_DIR_WRITE, buf, 8 + 20, &res);
	hc_good(&res);
	/* a changed storage element count: 26/00 at that byte */
	buf[8 + 9] = 30;
	c_run(sel, 10, SCSTU_DIR_WRITE, buf, 8 + 20, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x26, 0x00);
	/* a block descriptor: a changer has none */
	memset(buf, 0, 16);
	c_put16(8, &buf[6]);
	c_put16(16, &sel[7]);
	c_run(sel, 10, SCSTU_DIR_WRITE, buf, 16, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x26, 0x00);
	/* control page D_SENSE: descriptor sense from then on */
	ctl[8] = 0x0a;
	ctl[9] = 0x0a;
	ctl[10] = 0x04;
	ctl[11] = 0x10;
	ctl[16] = ctl[17] = 0xff;
	c_put16(sizeof(ctl), &sel[7]);
	c_run(sel, 10, SCSTU_DIR_WRITE, ctl, sizeof(ctl), &res);
	hc_good(&res);
	ck_assert(scstu_dev_d_sense(tl.dev));
	ck_assert(scstu_harness_pop_ua(tl.dev, &asc, &ascq));
	ck_assert_uint_eq(asc, 0x2a);
	ck_assert_uint_eq(ascq, 0x01);
	c_run((const uint8_t *)"\x28\0\0\0\0\0\0\0\0\0", 10, SCSTU_DIR_NONE,
	      NULL, 0, &res);
	ck_assert_uint_eq(res.sense[0] & 0x7f, 0x72);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x20, 0x00);
}
END_TEST

START_TEST(test_mode_saved_file)
{
	char path[] = "/tmp/changer_modeXXXXXX";
	uint8_t sel[6] = { 0x15, 0x11, 0, 0, 16, 0 }, ctl[16] = { 0 };
	struct scstu_harness_result res;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(path);
	tl_teardown();
	tl_setup_opts(false, path);
	ctl[4] = 0x0a;
	ctl[5] = 0x0a;
	ctl[6] = 0x04;
	ctl[7] = 0x10;
	ctl[12] = ctl[13] = 0xff;
	c_run(sel, 6, SCSTU_DIR_WRITE, ctl, sizeof(ctl), &res);
	hc_good(&res);
	tl_teardown();
	/* a new changer on the same file starts with descriptor sense */
	tl_setup_opts(false, path);
	ck_assert(scstu_dev_d_sense(tl.dev));
	unlink(path);
}
END_TEST

static Suite *changer_cmd_suite(void)
{
	Suite *s = suite_create("changer_cmd");
	TCase *tc = tcase_create("cmd");

	tcase_add_checked_fixture(tc, tl_setup, tl_teardown);
	tcase_add_test(tc, test_inquiry);
	tcase_add_test(tc, test_tur_and_init);
	tcase_add_test(tc, test_unsupported_and_malformed);
	tcase_add_test(tc, test_fixed_sense_bytes);
	tcase_add_test(tc, test_rsoc);
	tcase_add_test(tc, test_mode_eaa);
	tcase_add_test(tc, test_mode_geometry_caps);
	tcase_add_test(tc, test_mode_select);
	tcase_add_test(tc, test_mode_saved_file);
	suite_add_tcase(s, tc);
	tc = tcase_create("create");
	tcase_add_test(tc, test_create_invalid);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(changer_cmd_suite)
