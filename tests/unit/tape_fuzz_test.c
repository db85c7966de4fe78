// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tape class robustness: seeded random CDBs (mostly of the drive's own
 * opcodes, random fields, directions, transfer lengths and data) against
 * a drive with a small medium. Every command must complete with GOOD or
 * CHECK CONDITION with sense, never transfer more than asked, and the
 * drive must still work afterwards. Run natively and under ASan/UBSan.
 */
#include <stdlib.h>
#include <string.h>
#include "tape_test.h"

#define ITERS	20000
#define BUF	65536

static const uint8_t ops[] = {
	0x00, 0x01, 0x03, 0x04, 0x05, 0x08, 0x0a, 0x10, 0x11, 0x12, 0x15,
	0x19, 0x1a, 0x1b, 0x1e, 0x2b, 0x34, 0x44, 0x55, 0x5a, 0x91, 0x92,
	0xa3,
};
static const uint8_t lens[] = { 6, 10, 12, 16 };

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

static unsigned int cdb_len_of(uint8_t op)
{
	if (op < 0x20)
		return 6;
	if (op < 0x60)
		return 10;
	if (op >= 0x80 && op < 0xa0)
		return 16;
	return 12;
}

START_TEST(test_random_cdbs)
{
	struct scstu_harness_result res;
	uint64_t seed = 0x7a9e5eedULL + (uint64_t)_i;
	uint8_t *buf = malloc(BUF), cdb[16], ld[6] = { 0x1b, 0, 0, 0, 1 };
	unsigned int i, j, good = 0, check = 0;

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < ITERS; i++) {
		uint32_t r = rnd(&seed), xfer;
		unsigned int len;
		enum scstu_dir dir;

		for (j = 0; j < sizeof(cdb); j++)
			cdb[j] = (uint8_t)rnd(&seed);
		cdb[0] = r % 8 ? ops[rnd(&seed) % sizeof(ops)] :
			 (uint8_t)rnd(&seed);
		len = r % 16 ? cdb_len_of(cdb[0]) :
		      lens[rnd(&seed) % sizeof(lens)];
		/* most CDBs plausible: few option bits, small counts */
		if (r % 4) {
			uint8_t op = cdb[0];

			memset(cdb, 0, sizeof(cdb));
			cdb[0] = op;
			cdb[1] = (uint8_t)(rnd(&seed) % 4);
			if (op == 0x34)
				cdb[1] = "\x00\x01\x06\x08"[rnd(&seed) % 4];
			if (len == 6) {
				cdb[3] = (uint8_t)(rnd(&seed) % 2);
				cdb[4] = (uint8_t)rnd(&seed);
			} else if (len == 10) {
				cdb[6] = (uint8_t)(rnd(&seed) % 16);
				cdb[8] = (uint8_t)rnd(&seed);
			} else {
				cdb[3] = (uint8_t)(rnd(&seed) % 2);
				cdb[11] = (uint8_t)(rnd(&seed) % 16);
			}
		}
		xfer = rnd(&seed) % 4 ? rnd(&seed) % 4097 :
		       rnd(&seed) % BUF;
		dir = (enum scstu_dir)(rnd(&seed) % 3);
		if (dir == SCSTU_DIR_NONE)
			xfer = 0;
		else if (dir == SCSTU_DIR_WRITE)
			for (j = 0; j < xfer && j < 64; j++)
				buf[j] = (uint8_t)rnd(&seed);
		tt_run(cdb, len, dir, xfer ? buf : NULL, xfer, &res);
		ck_assert_uint_le(res.xfer, xfer);
		if (res.status == SCSTU_GOOD) {
			good++;
		} else {
			ck_assert_int_eq(res.status, SCSTU_CHECK_CONDITION);
			ck_assert_uint_gt(res.sense_len, 0);
			check++;
		}
		/* bring an unloaded medium back now and then */
		if (!(i % 64)) {
			tt_run(ld, 6, SCSTU_DIR_NONE, NULL, 0, &res);
			ck_assert(res.status == SCSTU_GOOD ||
				  res.status == SCSTU_CHECK_CONDITION);
		}
	}
	ck_assert_uint_gt(good, ITERS / 20);
	ck_assert_uint_gt(check, ITERS / 20);
	/* still a working drive */
	{
		uint8_t pa[6] = { 0x1e }, mode[12] = { 0, 0, 0x10, 8 };
		uint8_t ms[6] = { 0x15, 0x10, 0, 0, 12 };

		tt_run(pa, 6, SCSTU_DIR_NONE, NULL, 0, &res);
		hc_good(&res);
		tt_run(ld, 6, SCSTU_DIR_NONE, NULL, 0, &res);
		hc_good(&res);
		tt_run(ms, 6, SCSTU_DIR_WRITE, mode, 12, &res);
		hc_good(&res);
		tt_wfm(0, false, &res);
		hc_good(&res);
		tt_put_block(100, 1);
		tt_rewind(&res);
		hc_good(&res);
		tt_read(0, 100, buf, 100, &res);
		hc_good(&res);
		ck_assert_int_eq(buf[0], 1);
	}
	free(buf);
}
END_TEST

static Suite *tape_fuzz_suite(void)
{
	Suite *s = suite_create("tape_fuzz");
	TCase *tc = tcase_create("fuzz");

	tcase_add_checked_fixture(tc, tt_default_setup, tt_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_random_cdbs, 0, 3);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(tape_fuzz_suite)
