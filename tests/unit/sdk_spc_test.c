// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser unit tests: INQUIRY/VPD, REPORT SUPPORTED OPERATION CODES
 * and the dispatcher's CDB checks (every bit outside every usage map).
 */
#include <string.h>
#include "sdk_test.h"

static void inquiry(uint8_t evpd, uint8_t page, uint8_t *buf, uint16_t alloc,
		    struct scstu_harness_result *res)
{
	uint8_t cdb[6] = { 0x12, evpd, page };

	t_put_be16(alloc, &cdb[3]);
	memset(buf, 0, alloc);
	t_run(td.dev, cdb, 6, SCSTU_DIR_READ, buf, alloc, res);
}

START_TEST(inquiry_standard)
{
	struct scstu_harness_result res;
	uint8_t b[255];

	inquiry(0, 0, b, 255, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 96);
	ck_assert_uint_eq(b[0], 0x00);
	ck_assert_uint_eq(b[2], 0x06);
	ck_assert_uint_eq(b[4], 91);
	ck_assert_uint_eq(b[7], 0x02);
	ck_assert_mem_eq(&b[8], "SCSTU   USER DISK       ", 24);
	ck_assert_uint_eq(t_be16(&b[62]), 0x04c0);
	inquiry(0, 0, b, 5, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 5);
	inquiry(0, 0x80, b, 255, &res);
	hc_field(&res, 0x24, 0, 2, -1);
	inquiry(1, 0x42, b, 255, &res);
	hc_field(&res, 0x24, 0, 2, -1);
}
END_TEST

START_TEST(vpd_pages)
{
	static const uint8_t pages[] = { 0, 0x80, 0x83, 0xb0, 0xb1, 0xb2 };
	struct scstu_nexus nx = { .session = 9, .lun = 0, .initiator = "i",
				  .target = "t", .rel_port = 3 };
	struct scstu_harness_result res;
	uint8_t b[255], cdb[6] = { 0x12, 1, 0x83, 0, 255 };

	inquiry(1, 0, b, 255, &res);
	hc_good(&res);
	ck_assert_uint_eq(t_be16(&b[2]), sizeof(pages));
	ck_assert_mem_eq(&b[4], pages, sizeof(pages));
	inquiry(1, 0x80, b, 255, &res);
	ck_assert_uint_eq(t_be16(&b[2]), 6);
	ck_assert_mem_eq(&b[4], "SER123", 6);
	inquiry(1, 0x83, b, 255, &res);
	hc_good(&res);
	ck_assert_uint_eq(b[4], 0x01);		/* binary */
	ck_assert_uint_eq(b[5], 0x03);		/* LU, NAA */
	ck_assert_uint_eq(b[8] >> 4, 3);
	ck_assert_uint_eq(b[16], 0x02);		/* ASCII */
	ck_assert_uint_eq(b[17], 0x01);		/* T10 vendor id */
	ck_assert_uint_eq(b[19], 14);
	ck_assert_mem_eq(&b[20], "SCSTU   SER123", 14);
	ck_assert_uint_eq(b[35], 0x14);		/* port, relative port */
	ck_assert_uint_eq(t_be16(&b[40]), 1);
	ck_assert_uint_eq(t_be16(&b[2]), 38);
	ck_assert_int_eq(scstu_harness_attach(td.dev, &nx), 0);
	t_run_sess(td.dev, 9, cdb, 6, SCSTU_DIR_READ, b, 255, &res);
	ck_assert_uint_eq(t_be16(&b[40]), 3);
	ck_assert_int_eq(scstu_harness_detach(td.dev, 9, 0), 0);
	t_run_sess(td.dev, 9, cdb, 6, SCSTU_DIR_READ, b, 255, &res);
	ck_assert_uint_eq(t_be16(&b[40]), 1);

	inquiry(1, 0xb0, b, 255, &res);
	hc_good(&res);
	ck_assert_uint_eq(t_be16(&b[2]), 0x3c);
	ck_assert_uint_eq(b[4], 0x01);			/* WSNZ */
	ck_assert_uint_eq(b[5], 255);			/* max CAW */
	ck_assert_uint_eq(t_be32(&b[8]), (1 << 20) / 512);
	ck_assert_uint_eq(t_be32(&b[20]), 1 << 22);	/* max unmap */
	ck_assert_uint_eq(t_be32(&b[24]), 256);
	ck_assert_uint_eq(t_be32(&b[28]), 1);
	ck_assert_uint_eq(t_be64(&b[36]), 1 << 20);
	inquiry(1, 0xb1, b, 255, &res);
	ck_assert_uint_eq(t_be16(&b[4]), 1);		/* non-rotating */
	inquiry(1, 0xb2, b, 255, &res);
	hc_good(&res);
	ck_assert_uint_eq(t_be16(&b[2]), 4);
	ck_assert_uint_eq(b[5], 0xe0);
	ck_assert_uint_eq(b[6], 0x02);
}
END_TEST

START_TEST(vpd_without_unmap)
{
	struct scstu_harness_result res;
	uint8_t b[255];

	td_teardown();
	td_setup(0, 100, 4096, NULL);
	inquiry(1, 0, b, 255, &res);
	ck_assert_uint_eq(t_be16(&b[2]), 5);
	inquiry(1, 0xb2, b, 255, &res);
	hc_field(&res, 0x24, 0, 2, -1);
	inquiry(1, 0xb0, b, 255, &res);
	ck_assert_uint_eq(t_be32(&b[8]), (1 << 20) / 4096);
	ck_assert_uint_eq(t_be32(&b[20]), 0);
}
END_TEST

static void rsoc(uint8_t ro, uint8_t op, uint16_t sa, uint8_t *buf,
		 uint32_t alloc, struct scstu_harness_result *res)
{
	uint8_t cdb[12] = { 0xa3, 0x0c, ro, op };

	t_put_be16(sa, &cdb[4]);
	t_put_be32(alloc, &cdb[6]);
	memset(buf, 0, alloc);
	t_run(td.dev, cdb, 12, SCSTU_DIR_READ, buf, alloc, res);
}

/* The commands RSOC lists, as opcode << 8 | sa. */
static unsigned int rsoc_list(uint16_t *out)
{
	struct scstu_harness_result res;
	static uint8_t b[4096];
	unsigned int n = 0, off;

	rsoc(0, 0, 0, b, sizeof(b), &res);
	hc_good(&res);
	for (off = 4; off < 4 + t_be32(b); off += 8, n++) {
		out[n] = b[off] << 8 | (b[off + 5] & 1 ? b[off + 3] : 0);
		ck_assert_uint_eq(b[off + 5] & 2, 0);
	}
	ck_assert_uint_eq(res.xfer, 4 + 8 * n);
	return n;
}

static bool listed(const uint16_t *l, unsigned int n, uint16_t c)
{
	while (n--)
		if (l[n] == c)
			return true;
	return false;
}

START_TEST(rsoc_follows_callbacks)
{
	static const uint16_t opt[] = { 0x0400, 0x0a00, 0x2a00, 0x2e00,
		0x4100, 0x4200, 0x8900, 0x8a00, 0x8e00, 0x9300, 0x9e12,
		0xaa00 };
	static const uint16_t always[] = { 0x0000, 0x0300, 0x0800, 0x1200,
		0x1500, 0x1a00, 0x1b00, 0x2500, 0x2800, 0x2f00, 0x3400,
		0x3500, 0x5500, 0x5a00, 0x8800, 0x8f00, 0x9000, 0x9100,
		0x9e10, 0xa000, 0xa30c, 0xa800 };
	uint16_t l[64];
	unsigned int n = rsoc_list(l), i;

	for (i = 0; i < sizeof(opt) / 2; i++)
		ck_assert_msg(listed(l, n, opt[i]), "%04x", opt[i]);
	for (i = 0; i < sizeof(always) / 2; i++)
		ck_assert_msg(listed(l, n, always[i]), "%04x", always[i]);
	ck_assert_uint_eq(n, sizeof(opt) / 2 + sizeof(always) / 2 + 4);

	/* read-only handler without write, unmap or map_status */
	td_teardown();
	td_setup(TD_NO_WRITE, 100, 512, NULL);
	n = rsoc_list(l);
	for (i = 0; i < sizeof(opt) / 2; i++)
		ck_assert_msg(!listed(l, n, opt[i]), "%04x", opt[i]);
	ck_assert_uint_eq(n, sizeof(always) / 2 + 4);
}
END_TEST

START_TEST(rsoc_one_command)
{
	struct scstu_harness_result res;
	uint8_t b[64];

	rsoc(1, 0x28, 0, b, 64, &res);
	hc_good(&res);
	ck_assert_uint_eq(b[1], 0x03);
	ck_assert_uint_eq(t_be16(&b[2]), 10);
	ck_assert_uint_eq(b[4], 0x28);
	ck_assert_uint_eq(b[5], 0x18);
	ck_assert_uint_eq(res.xfer, 14);
	rsoc(1, 0x9e, 0, b, 64, &res);
	hc_field(&res, 0x24, 0, 3, -1);
	rsoc(2, 0x28, 0, b, 64, &res);
	hc_field(&res, 0x24, 0, 3, -1);
	rsoc(2, 0x9e, 0x10, b, 64, &res);
	hc_good(&res);
	ck_assert_uint_eq(b[1], 0x03);
	ck_assert_uint_eq(t_be16(&b[2]), 16);
	ck_assert_uint_eq(b[5], 0x10);
	rsoc(2, 0x9e, 0x11, b, 64, &res);
	hc_good(&res);
	ck_assert_uint_eq(b[1], 0x01);
	rsoc(3, 0x28, 0x1234, b, 64, &res);
	hc_good(&res);
	ck_assert_uint_eq(b[1], 0x03);
	rsoc(3, 0xc0, 0, b, 64, &res);
	hc_good(&res);
	ck_assert_uint_eq(b[1], 0x01);
	ck_assert_uint_eq(res.xfer, 4);
	rsoc(4, 0, 0, b, 64, &res);
	hc_field(&res, 0x24, 0, 2, 2);
	/* RCTD: timeouts descriptor */
	rsoc(0x83, 0x35, 0, b, 64, &res);
	hc_good(&res);
	ck_assert_uint_eq(b[1], 0x83);
	ck_assert_uint_eq(t_be16(&b[14]), 10);
	ck_assert_uint_eq(t_be32(&b[22]), 30);
	rsoc(0x80, 0, 0, b, 64, &res);
	ck_assert_uint_eq(b[4 + 5], 0x02);		/* CTDP */
	ck_assert_uint_eq(t_be16(&b[4 + 8]), 10);
	ck_assert_uint_eq(t_be32(&b[4 + 16]), 30);
	ck_assert_uint_eq(t_be32(b) % 20, 0);
	/* GET LBA STATUS disappears without map_status */
	td_teardown();
	td_setup(0, 100, 512, NULL);
	rsoc(2, 0x9e, 0x12, b, 64, &res);
	ck_assert_uint_eq(b[1], 0x01);
}
END_TEST

/* Every bit a usage map does not claim is refused with its pointer. */
START_TEST(reserved_bits_sweep)
{
	struct scstu_harness_result res;
	uint16_t l[64];
	unsigned int n = rsoc_list(l), i, byte, bit, checked = 0;
	uint8_t u[64], cdb[16];

	for (i = 0; i < n; i++) {
		uint8_t op = l[i] >> 8, sa = l[i] & 0xff;
		bool has_sa = op == 0x9e || op == 0xa3;
		unsigned int len;

		/* answered by the kernel core */
		if (op == 0x03 || op == 0x16 || op == 0x17 || op == 0x56 ||
		    op == 0x57 || op == 0xa0)
			continue;
		rsoc(3, op, sa, u, sizeof(u), &res);
		hc_good(&res);
		ck_assert_uint_eq(u[1], 0x03);
		len = t_be16(&u[2]);
		ck_assert_uint_eq(u[4], op);
		for (byte = 1; byte < len; byte++) {
			for (bit = 0; bit < 8; bit++) {
				if (u[4 + byte] & (1U << bit))
					continue;
				if (byte == 1 && has_sa && bit < 5)
					continue;
				memset(cdb, 0, sizeof(cdb));
				cdb[0] = op;
				if (has_sa)
					cdb[1] = sa;
				cdb[byte] |= 1U << bit;
				t_run(td.dev, cdb, len, SCSTU_DIR_NONE, NULL,
				      0, &res);
				hc_field(&res, 0x24, 0, byte, (int)bit);
				checked++;
			}
		}
	}
	ck_assert_uint_gt(checked, 300);
}
END_TEST

START_TEST(bad_opcodes)
{
	struct scstu_harness_result res;
	uint8_t cdb[16] = { 0xc0 };

	t_run(td.dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x20, 0);
	cdb[0] = 0x03;		/* the kernel answers REQUEST SENSE */
	t_run(td.dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x20, 0);
	cdb[0] = 0x9e;
	cdb[1] = 0x05;
	t_run(td.dev, cdb, 16, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 1, 4);
	cdb[0] = 0xa3;
	cdb[1] = 0x0a;		/* REPORT TARGET PORT GROUPS */
	t_run(td.dev, cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 1, 4);
	cdb[0] = 0x88;		/* READ(16) in 10 bytes */
	cdb[1] = 0;
	t_run(td.dev, cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 0, -1);
	cdb[0] = 0x00;		/* TUR */
	t_run(td.dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
}
END_TEST

Suite *sdk_spc_suite(void)
{
	Suite *s = suite_create("sdk_spc");
	TCase *tc = tcase_create("spc");

	tcase_add_checked_fixture(tc, td_default_setup, td_teardown);
	tcase_add_test(tc, inquiry_standard);
	tcase_add_test(tc, vpd_pages);
	tcase_add_test(tc, vpd_without_unmap);
	tcase_add_test(tc, rsoc_follows_callbacks);
	tcase_add_test(tc, rsoc_one_command);
	tcase_add_test(tc, reserved_bits_sweep);
	tcase_add_test(tc, bad_opcodes);
	suite_add_tcase(s, tc);
	return s;
}
