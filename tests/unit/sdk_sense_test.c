// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser unit tests: sense data encoding and decoding.
 */
#include <errno.h>
#include <string.h>
#include "sdk_test.h"

static const struct scstu_sense full = {
	.key = SCSTU_MEDIUM_ERROR, .asc = 0x11, .ascq = 0x01,
	.flags = SCSTU_SENSE_INFO | SCSTU_SENSE_CMD_INFO | SCSTU_SENSE_SKS |
		 SCSTU_SENSE_FILEMARK | SCSTU_SENSE_EOM | SCSTU_SENSE_ILI,
	.info = 0x12345678, .cmd_info = 0x9abcdef0,
	.sks = { 0x48, 0x01, 0x02 },
};

START_TEST(fixed_layout)
{
	uint8_t b[SCSTU_SENSE_MAX];
	size_t n = scstu_sense_build(b, sizeof(b), false, &full);

	ck_assert_uint_eq(n, 18);
	ck_assert_uint_eq(b[0], 0xf0);			/* VALID, 70h */
	ck_assert_uint_eq(b[2], 0xe0 | SCSTU_MEDIUM_ERROR);
	ck_assert_uint_eq(t_be32(&b[3]), 0x12345678);
	ck_assert_uint_eq(b[7], 10);
	ck_assert_uint_eq(t_be32(&b[8]), 0x9abcdef0);
	ck_assert_uint_eq(b[12], 0x11);
	ck_assert_uint_eq(b[13], 0x01);
	ck_assert_uint_eq(b[15], 0xc8);			/* SKSV */
	ck_assert_uint_eq(b[16], 0x01);
	ck_assert_uint_eq(b[17], 0x02);
}
END_TEST

START_TEST(desc_layout)
{
	uint8_t b[SCSTU_SENSE_MAX];
	size_t n = scstu_sense_build(b, sizeof(b), true, &full);

	ck_assert_uint_eq(n, 8 + 12 + 12 + 8 + 4);
	ck_assert_uint_eq(b[0], 0x72);
	ck_assert_uint_eq(b[1], SCSTU_MEDIUM_ERROR);
	ck_assert_uint_eq(b[2], 0x11);
	ck_assert_uint_eq(b[3], 0x01);
	ck_assert_uint_eq(b[7], n - 8);
	/* information */
	ck_assert_uint_eq(b[8], 0x00);
	ck_assert_uint_eq(b[9], 0x0a);
	ck_assert_uint_eq(b[10], 0x80);
	ck_assert_uint_eq(t_be64(&b[12]), 0x12345678);
	/* command-specific information */
	ck_assert_uint_eq(b[20], 0x01);
	ck_assert_uint_eq(t_be64(&b[24]), 0x9abcdef0);
	/* sense-key specific */
	ck_assert_uint_eq(b[32], 0x02);
	ck_assert_uint_eq(b[33], 0x06);
	ck_assert_uint_eq(b[36], 0xc8);
	/* stream commands */
	ck_assert_uint_eq(b[40], 0x04);
	ck_assert_uint_eq(b[41], 0x02);
	ck_assert_uint_eq(b[43], 0xe0);
}
END_TEST

START_TEST(roundtrip)
{
	uint8_t b[SCSTU_SENSE_MAX];
	struct scstu_sense s;
	int desc;

	for (desc = 0; desc < 2; desc++) {
		size_t n = scstu_sense_build(b, sizeof(b), desc, &full);

		ck_assert_int_eq(scstu_sense_parse(b, n, &s), 0);
		ck_assert_uint_eq(s.key, full.key);
		ck_assert_uint_eq(s.asc, full.asc);
		ck_assert_uint_eq(s.ascq, full.ascq);
		ck_assert_uint_eq(s.flags, full.flags);
		ck_assert_uint_eq(s.info, full.info);
		ck_assert_uint_eq(s.cmd_info, full.cmd_info);
		ck_assert_mem_eq(s.sks, full.sks, 3);
	}
}
END_TEST

START_TEST(large_info)
{
	struct scstu_sense in = {
		.key = SCSTU_MISCOMPARE, .asc = 0x1d,
		.flags = SCSTU_SENSE_INFO, .info = 0x123456789aULL,
	}, s;
	uint8_t b[SCSTU_SENSE_MAX];
	size_t n;

	/* fixed: does not fit, VALID = 0 */
	n = scstu_sense_build(b, sizeof(b), false, &in);
	ck_assert_uint_eq(b[0], 0x70);
	ck_assert_int_eq(scstu_sense_parse(b, n, &s), 0);
	ck_assert(!(s.flags & SCSTU_SENSE_INFO));
	/* descriptor: 64 bits */
	n = scstu_sense_build(b, sizeof(b), true, &in);
	ck_assert_int_eq(scstu_sense_parse(b, n, &s), 0);
	ck_assert(s.flags & SCSTU_SENSE_INFO);
	ck_assert_uint_eq(s.info, 0x123456789aULL);
}
END_TEST

START_TEST(minimal_and_truncated)
{
	struct scstu_sense in = { .key = 5, .asc = 0x20 }, s;
	uint8_t b[SCSTU_SENSE_MAX];

	ck_assert_uint_eq(scstu_sense_build(b, sizeof(b), true, &in), 8);
	ck_assert_uint_eq(b[7], 0);
	ck_assert_uint_eq(scstu_sense_build(b, 10, false, &in), 10);
	ck_assert_int_eq(scstu_sense_parse(b, 10, &s), 0);
	ck_assert_uint_eq(s.key, 5);
	ck_assert_uint_eq(s.asc, 0);		/* cut off */
	ck_assert_int_eq(scstu_sense_parse(b, 0, &s), -EINVAL);
	b[0] = 0x7f;
	ck_assert_int_eq(scstu_sense_parse(b, 18, &s), -EINVAL);
	b[0] = 0x72;
	ck_assert_int_eq(scstu_sense_parse(b, 3, &s), -EINVAL);
	/* a descriptor running past the end is ignored */
	memset(b, 0, sizeof(b));
	b[0] = 0x72;
	b[1] = 3;
	b[7] = 40;
	b[8] = 0x00;
	b[9] = 0x30;
	ck_assert_int_eq(scstu_sense_parse(b, 20, &s), 0);
	ck_assert_uint_eq(s.key, 3);
	ck_assert_uint_eq(s.flags, 0);
}
END_TEST

START_TEST(block_descriptor_ili)
{
	uint8_t b[16] = { 0x72, 0x05, 0x24, 0x00, 0, 0, 0, 4,
			  0x05, 0x02, 0, 0x20 };
	struct scstu_sense s;

	ck_assert_int_eq(scstu_sense_parse(b, 12, &s), 0);
	ck_assert_uint_eq(s.flags, SCSTU_SENSE_ILI);
}
END_TEST

Suite *sdk_sense_suite(void)
{
	Suite *s = suite_create("sdk_sense");
	TCase *tc = tcase_create("sense");

	tcase_add_test(tc, fixed_layout);
	tcase_add_test(tc, desc_layout);
	tcase_add_test(tc, roundtrip);
	tcase_add_test(tc, large_info);
	tcase_add_test(tc, minimal_and_truncated);
	tcase_add_test(tc, block_descriptor_ili);
	suite_add_tcase(s, tc);
	return s;
}
