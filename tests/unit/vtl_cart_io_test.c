// SPDX-License-Identifier: GPL-2.0
/*
 * Cartridges: create/open, media types, round trips, filemarks and EOD,
 * overwrite, partitions and FORMAT, capacity, MAM, WORM and cleaning.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vtl_cart_test.h"
#include "unit_registry.h"

static const struct scstu_tape_wopts plain = { .compress = false };

START_TEST(create_and_stat)
{
	struct scstu_tape_media m;
	struct scstu_tape_obj o;
	uint64_t cap, used;
	struct cart *c;

	ct_create("ABC123L8", NULL, 0, CART_COMPRESS_LZ4);
	ck_assert_int_eq(cart_stat(ct_dir, "ABC123L8", &m, &used), 0);
	ck_assert_uint_eq(m.generation, 8);
	ck_assert(!m.worm && !m.cleaning && !m.type_m);
	ck_assert_uint_eq(m.capacity, 12000000000000ull);
	ck_assert_str_eq(m.barcode, "ABC123L8");
	ck_assert_uint_gt(strlen(m.serial), 0);
	ck_assert_uint_eq(used, 0);
	c = ct_open("ABC123L8");
	cart_media(c, &m);
	ck_assert_str_eq(m.barcode, "ABC123L8");
	ck_assert_uint_eq(CM->nr_partitions(c), 1);
	ck_assert_uint_eq(CM->eod(c, 0), 0);
	ck_assert_int_eq(CM->read(c, 0, 0, NULL, 0, NULL, &o), 0);
	ck_assert_int_eq(o.type, SCSTU_TAPE_EOD);
	CM->space(c, 0, &cap, &used);
	ck_assert_uint_eq(cap, 12000000000000ull);
	ck_assert_uint_eq(used, 0);
	ck_assert_int_eq(CM->mam_read(c, NULL, 0), 0);
	cart_close(c);
	ck_assert_uint_eq(ct_warnings, 0);
}
END_TEST

START_TEST(create_errors)
{
	static const char *const bad[] = {
		"", "abc123L8", "ABC-23L8", "ABC 23L8",
		"A23456789012345678901234567890123L8",
	};
	struct cart_spec s = { .compress = CART_COMPRESS_LZ4 };
	char *msg = NULL;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s.barcode = bad[i];
		ck_assert_int_eq(cart_create(ct_dir, &s, &msg), -EINVAL);
		ck_assert_ptr_nonnull(strstr(msg, "barcode"));
		free(msg);
	}
	s.barcode = NULL;
	ck_assert_int_eq(cart_create(ct_dir, &s, &msg), -EINVAL);
	free(msg);
	s.barcode = "ABC123";		/* no media identifier */
	ck_assert_int_eq(cart_create(ct_dir, &s, &msg), -EINVAL);
	ck_assert_ptr_nonnull(strstr(msg, "media type"));
	free(msg);
	s.type = "LTO10";
	ck_assert_int_eq(cart_create(ct_dir, &s, &msg), -EINVAL);
	ck_assert_ptr_nonnull(strstr(msg, "LTO10"));
	free(msg);
	s.type = "LTO6";
	s.compress = 7;
	ck_assert_int_eq(cart_create(ct_dir, &s, &msg), -EINVAL);
	free(msg);
	s.compress = CART_COMPRESS_ZSTD;
	ck_assert_int_eq(cart_create(ct_dir, &s, &msg), 0);
	ck_assert_ptr_null(msg);
	ck_assert_int_eq(cart_create(ct_dir, &s, &msg), -EEXIST);
	ck_assert_ptr_nonnull(msg);
	free(msg);
	ck_assert_int_eq(cart_create("/nonexistent/dir", &s, &msg), -ENOENT);
	free(msg);
}
END_TEST

START_TEST(open_errors)
{
	struct scstu_tape_media m;
	struct cart *c;
	char *msg;

	ck_assert_int_eq(ct_open_err("NONE00L8", &msg), -ENOENT);
	free(msg);
	ck_assert_int_eq(ct_open_err("bad/../x", &msg), -EINVAL);
	free(msg);
	ck_assert_int_eq(cart_stat(ct_dir, "NONE00L8", &m, NULL), -ENOENT);
	ct_create("BUSY00L7", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("BUSY00L7");
	ck_assert_int_eq(ct_open_err("BUSY00L7", &msg), -EBUSY);
	ck_assert_ptr_nonnull(strstr(msg, "in use"));
	free(msg);
	cart_close(c);
	cart_close(ct_open("BUSY00L7"));
	cart_close(NULL);
}
END_TEST

struct ty {
	const char *type, *barcode;
	int gen;
	bool m, worm, cln;
	uint64_t cap;
};

START_TEST(type_parse)
{
	static const struct ty ok[] = {
		{ "LTO3", NULL, 3, 0, 0, 0, 400000000000ull },
		{ "LTO4", NULL, 4, 0, 0, 0, 800000000000ull },
		{ "LTO5", NULL, 5, 0, 0, 0, 1500000000000ull },
		{ "LTO6", NULL, 6, 0, 0, 0, 2500000000000ull },
		{ "LTO7", NULL, 7, 0, 0, 0, 6000000000000ull },
		{ "LTO7M8", NULL, 7, 1, 0, 0, 9000000000000ull },
		{ "LTO8", NULL, 8, 0, 0, 0, 12000000000000ull },
		{ "LTO9", NULL, 9, 0, 0, 0, 18000000000000ull },
		{ "lto9", NULL, 9, 0, 0, 0, 18000000000000ull },
		{ "LTO5W", NULL, 5, 0, 1, 0, 1500000000000ull },
		{ "LTO6W", NULL, 6, 0, 1, 0, 2500000000000ull },
		{ "LTO7W", NULL, 7, 0, 1, 0, 6000000000000ull },
		{ "LTO8W", NULL, 8, 0, 1, 0, 12000000000000ull },
		{ "LTO9W", NULL, 9, 0, 1, 0, 18000000000000ull },
		{ "CLN", NULL, 0, 0, 0, 1, 0 },
		{ "CLN", "CLN001L8", 8, 0, 0, 1, 0 },
		{ "LTO8", "XYZ001L5", 8, 0, 0, 0, 12000000000000ull },
		{ NULL, "ABC001L5", 5, 0, 0, 0, 1500000000000ull },
		{ NULL, "ABC001L6", 6, 0, 0, 0, 2500000000000ull },
		{ NULL, "ABC001L7", 7, 0, 0, 0, 6000000000000ull },
		{ NULL, "ABC001M8", 7, 1, 0, 0, 9000000000000ull },
		{ NULL, "ABC001L8", 8, 0, 0, 0, 12000000000000ull },
		{ NULL, "ABC001L9", 9, 0, 0, 0, 18000000000000ull },
		{ NULL, "ABC001LT", 3, 0, 1, 0, 400000000000ull },
		{ NULL, "ABC001LU", 4, 0, 1, 0, 800000000000ull },
		{ NULL, "ABC001LV", 5, 0, 1, 0, 1500000000000ull },
		{ NULL, "ABC001LW", 6, 0, 1, 0, 2500000000000ull },
		{ NULL, "ABC001LX", 7, 0, 1, 0, 6000000000000ull },
		{ NULL, "ABC001LY", 8, 0, 1, 0, 12000000000000ull },
		{ NULL, "ABC001LZ", 9, 0, 1, 0, 18000000000000ull },
		{ NULL, "CLN001L1", 1, 0, 0, 1, 0 },
		{ NULL, "CLNU01CU", 0, 0, 0, 1, 0 },
		{ NULL, "CLN", 0, 0, 0, 1, 0 },
	};
	static const char *const bad_types[] = {
		"LTO", "LTO10", "LTO2", "LTO7M8W", "LTOW", "", "W",
		"LTO8WW", "CLNW", "DLT4", "LTO8 ", "LTO88888888888888",
	};
	static const char *const bad_barcodes[] = {
		"ABC001L2", "ABC001L1", "ABC001LS", "ABC001M7", "ABC001", "L8",
		"ABC001l8", "A",
	};
	struct scstu_tape_media m;
	unsigned int i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(&m, 0x5A, sizeof(m));
		ck_assert_msg(cart_type_parse(ok[i].type, ok[i].barcode, &m),
			      "%s/%s", ok[i].type, ok[i].barcode);
		ck_assert_uint_eq(m.generation, ok[i].gen);
		ck_assert_int_eq(m.type_m, ok[i].m);
		ck_assert_int_eq(m.worm, ok[i].worm);
		ck_assert_int_eq(m.cleaning, ok[i].cln);
		ck_assert_uint_eq(m.capacity, ok[i].cap);
		ck_assert_str_eq(m.barcode, ok[i].barcode ? ok[i].barcode : "");
	}
	for (i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++)
		ck_assert_msg(!cart_type_parse(bad_types[i], "ABC001L8", &m),
			      "type %s", bad_types[i]);
	for (i = 0; i < sizeof(bad_barcodes) / sizeof(bad_barcodes[0]); i++)
		ck_assert_msg(!cart_type_parse(NULL, bad_barcodes[i], &m),
			      "barcode %s", bad_barcodes[i]);
	ck_assert(!cart_type_parse(NULL, NULL, &m));
	ck_assert(!cart_type_parse("LTO8",
		"A234567890123456789012345678901234", &m));
}
END_TEST

START_TEST(round_trip_sizes)
{
	static const uint32_t sizes[] = {
		1, 2, 3, 511, 512, 4096, 65539, 262144, 1 << 20,
		(8 << 20) - 1, 8 << 20,
	};
	const unsigned int n = sizeof(sizes) / sizeof(sizes[0]);
	struct scstu_tape_media m;
	struct scstu_tape_obj o;
	uint8_t small[7];
	uint64_t cap, used, sum = 0;
	struct cart *c;
	unsigned int i;

	ct_create("RT0001L9", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("RT0001L9");
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(ct_write(c, 0, i, sizes[i], i, &plain),
				 (int)sizes[i]);
		sum += sizes[i];
	}
	ck_assert_uint_eq(CM->eod(c, 0), n);
	for (i = 0; i < n; i++)
		ct_check(c, 0, i, sizes[i], i, NULL);
	/* a short read copies what fits and tells the real length */
	ck_assert_int_eq(CM->read(c, 0, 3, small, sizeof(small), NULL, &o),
			 0);
	ck_assert_uint_eq(o.len, 511);
	ck_assert_uint_eq(o.stored, 511);
	ck_assert(!o.compressed && !o.encrypted);
	{
		uint8_t want[511];

		ct_fill(want, sizeof(want), 3);
		ck_assert(!memcmp(small, want, sizeof(small)));
	}
	CM->space(c, 0, &cap, &used);
	ck_assert_uint_eq(used, sum);
	ck_assert_int_eq(CM->read(c, 0, n, NULL, 0, NULL, &o), 0);
	ck_assert_int_eq(o.type, SCSTU_TAPE_EOD);
	ck_assert_int_eq(CM->read(c, 0, n + 1, NULL, 0, NULL, &o), -EINVAL);
	ck_assert_int_eq(CM->read(c, 1, 0, NULL, 0, NULL, &o), -EINVAL);
	ck_assert_int_eq(ct_write(c, 0, n + 1, 10, 0, &plain), -EINVAL);
	ck_assert_int_eq(ct_write(c, 1, 0, 10, 0, &plain), -EINVAL);
	ck_assert_int_eq(CM->write(c, 0, n, small, 0, &plain), -EINVAL);
	ck_assert_int_eq(CM->write(c, 0, n, NULL, 10, &plain), -EINVAL);
	ck_assert_int_eq(CM->sync(c), 0);
	cart_close(c);
	c = ct_open("RT0001L9");
	ck_assert_uint_eq(CM->eod(c, 0), n);
	for (i = 0; i < n; i++)
		ct_check(c, 0, i, sizes[i], i, NULL);
	cart_close(c);
	used = 0;
	ck_assert_int_eq(cart_stat(ct_dir, "RT0001L9", &m, &used), 0);
	ck_assert_uint_eq(used, sum);
	ck_assert_uint_eq(ct_size("RT0001L9", "p0.dat"), sum);
	ck_assert_uint_eq(ct_warnings, 0);
}
END_TEST

/* B F B B F F B, then EOD */
static const char layout[] = "BFBBFFB";

static void write_layout(struct cart *c, unsigned int part)
{
	unsigned int i;

	for (i = 0; layout[i]; i++) {
		if (layout[i] == 'F')
			ck_assert_int_eq(CM->write_filemarks(c, part, i, 1), 0);
		else
			ck_assert_int_eq(ct_write(c, part, i, 100 + i, i,
						  &plain), 100 + (int)i);
	}
}

static void check_layout(struct cart *c, unsigned int part)
{
	struct scstu_tape_obj o;
	uint64_t fm = 0, pos;
	unsigned int i;

	ck_assert_uint_eq(CM->eod(c, part), strlen(layout));
	for (i = 0; i <= strlen(layout); i++) {
		ck_assert_uint_eq(CM->filemarks_before(c, part, i), fm);
		ck_assert_int_eq(CM->read(c, part, i, NULL, 0, NULL, &o), 0);
		if (!layout[i]) {
			ck_assert_int_eq(o.type, SCSTU_TAPE_EOD);
		} else if (layout[i] == 'F') {
			ck_assert_int_eq(o.type, SCSTU_TAPE_FILEMARK);
			fm++;
		} else {
			ck_assert_int_eq(o.type, SCSTU_TAPE_BLOCK);
			ct_check(c, part, i, 100 + i, i, NULL);
		}
	}
	/* filemarks at 1, 4, 5 */
	ck_assert_int_eq(CM->find_filemark(c, part, 0, 1, 1, &pos), 0);
	ck_assert_uint_eq(pos, 1);
	ck_assert_int_eq(CM->find_filemark(c, part, 1, 1, 1, &pos), 0);
	ck_assert_uint_eq(pos, 1);		/* at or after */
	ck_assert_int_eq(CM->find_filemark(c, part, 2, 1, 1, &pos), 0);
	ck_assert_uint_eq(pos, 4);
	ck_assert_int_eq(CM->find_filemark(c, part, 2, 1, 2, &pos), 0);
	ck_assert_uint_eq(pos, 5);
	ck_assert_int_eq(CM->find_filemark(c, part, 2, 1, 3, &pos), -ENOENT);
	ck_assert_int_eq(CM->find_filemark(c, part, 6, 1, 1, &pos), -ENOENT);
	ck_assert_int_eq(CM->find_filemark(c, part, 7, -1, 1, &pos), 0);
	ck_assert_uint_eq(pos, 5);
	ck_assert_int_eq(CM->find_filemark(c, part, 5, -1, 1, &pos), 0);
	ck_assert_uint_eq(pos, 4);		/* strictly before */
	ck_assert_int_eq(CM->find_filemark(c, part, 5, -1, 2, &pos), 0);
	ck_assert_uint_eq(pos, 1);
	ck_assert_int_eq(CM->find_filemark(c, part, 5, -1, 3, &pos), -ENOENT);
	ck_assert_int_eq(CM->find_filemark(c, part, 1, -1, 1, &pos), -ENOENT);
	ck_assert_int_eq(CM->find_filemark(c, part, 0, 1, 0, &pos), -EINVAL);
	ck_assert_int_eq(CM->find_filemark(c, part, 0, 0, 1, &pos), -EINVAL);
	ck_assert_int_eq(CM->find_filemark(c, 3, 0, 1, 1, &pos), -EINVAL);
}

START_TEST(filemarks_and_eod)
{
	struct cart *c;

	ct_create("FM0001L8", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("FM0001L8");
	write_layout(c, 0);
	check_layout(c, 0);
	/* several at once, and count 0 */
	ck_assert_int_eq(CM->write_filemarks(c, 0, 7, 3), 0);
	ck_assert_uint_eq(CM->eod(c, 0), 10);
	ck_assert_uint_eq(CM->filemarks_before(c, 0, 10), 6);
	ck_assert_int_eq(CM->write_filemarks(c, 0, 10, 0), 0);
	ck_assert_uint_eq(CM->eod(c, 0), 10);
	ck_assert_int_eq(CM->write_filemarks(c, 0, 11, 1), -EINVAL);
	/* count 0 before EOD: sets EOD there */
	ck_assert_int_eq(CM->write_filemarks(c, 0, 7, 0), 0);
	ck_assert_uint_eq(CM->eod(c, 0), 7);
	cart_close(c);
	c = ct_open("FM0001L8");
	check_layout(c, 0);
	cart_close(c);
}
END_TEST

START_TEST(many_small_blocks)
{
	struct cart *c;
	unsigned int i;

	/* more records than one index batch, closed without a sync */
	ct_create("MANY01L8", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("MANY01L8");
	for (i = 0; i < 1000; i++) {
		if (i % 100 == 99)
			ck_assert_int_eq(CM->write_filemarks(c, 0, i, 1), 0);
		else
			ck_assert_int_eq(ct_write(c, 0, i, 1 + i % 37, i,
						  &plain), 1 + (int)(i % 37));
	}
	cart_close(c);
	c = ct_open("MANY01L8");
	ck_assert_uint_eq(CM->eod(c, 0), 1000);
	ck_assert_uint_eq(CM->filemarks_before(c, 0, 1000), 10);
	for (i = 0; i < 1000; i++)
		if (i % 100 != 99)
			ct_check(c, 0, i, 1 + i % 37, i, NULL);
	cart_close(c);
	ck_assert_uint_eq(ct_size("MANY01L8", "p0.idx"), 32 + 1000 * 32);
}
END_TEST

START_TEST(overwrite_middle)
{
	uint64_t cap, used;
	struct cart *c;
	unsigned int i;

	ct_create("OVR001L8", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("OVR001L8");
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(ct_write(c, 0, i, 1000, i, &plain), 1000);
	cart_close(c);
	c = ct_open("OVR001L8");
	for (i = 0; i < 10; i++)
		ct_check(c, 0, i, 1000, i, NULL);
	ck_assert_int_eq(CM->write_filemarks(c, 0, 10, 2), 0);
	ck_assert_int_eq(ct_write(c, 0, 4, 300, 99, &plain), 300);
	ck_assert_uint_eq(CM->eod(c, 0), 5);
	ck_assert_uint_eq(CM->filemarks_before(c, 0, 5), 0);
	CM->space(c, 0, &cap, &used);
	ck_assert_uint_eq(used, 4 * 1000 + 300);
	/* while loaded the files keep their space, for the next writes */
	ck_assert_uint_eq(ct_size("OVR001L8", "p0.dat"), 10000);
	ck_assert_int_eq(CM->sync(c), 0);
	ck_assert_uint_eq(ct_size("OVR001L8", "p0.idx"), 32 + 10 * 32);
	ck_assert_int_eq(ct_write(c, 0, 5, 50, 100, &plain), 50);
	ck_assert_uint_eq(ct_size("OVR001L8", "p0.dat"), 10000);
	cart_close(c);
	/* the unload gives the space beyond EOD back */
	ck_assert_uint_eq(ct_size("OVR001L8", "p0.dat"), 4350);
	ck_assert_uint_eq(ct_size("OVR001L8", "p0.idx"), 32 + 6 * 32);
	c = ct_open("OVR001L8");
	ck_assert_uint_eq(CM->eod(c, 0), 6);
	for (i = 0; i < 4; i++)
		ct_check(c, 0, i, 1000, i, NULL);
	ct_check(c, 0, 4, 300, 99, NULL);
	ct_check(c, 0, 5, 50, 100, NULL);
	/* overwrite at 0: an empty tape again */
	ck_assert_int_eq(ct_write(c, 0, 0, 7, 7, &plain), 7);
	ck_assert_uint_eq(CM->eod(c, 0), 1);
	cart_close(c);
	ck_assert_uint_eq(ct_size("OVR001L8", "p0.dat"), 7);
	c = ct_open("OVR001L8");
	ck_assert_uint_eq(CM->eod(c, 0), 1);
	ct_check(c, 0, 0, 7, 7, NULL);
	cart_close(c);
	ck_assert_uint_eq(ct_warnings, 0);
}
END_TEST

START_TEST(partitions_format)
{
	uint64_t sizes[4] = { 1000000, 0 }, cap, used;
	struct cart *c;

	ct_create("PART01L8", NULL, 50000000, CART_COMPRESS_LZ4);
	c = ct_open("PART01L8");
	ck_assert_int_eq(ct_write(c, 0, 0, 100, 1, &plain), 100);
	ck_assert_int_eq(CM->format(c, 2, sizes), 0);
	ck_assert_uint_eq(CM->nr_partitions(c), 2);
	ck_assert_uint_eq(CM->eod(c, 0), 0);
	CM->space(c, 0, &cap, &used);
	ck_assert_uint_eq(cap, 1000000);
	ck_assert_uint_eq(used, 0);
	CM->space(c, 1, &cap, &used);
	ck_assert_uint_eq(cap, 49000000);
	write_layout(c, 0);
	write_layout(c, 1);
	ck_assert_int_eq(ct_write(c, 1, 7, 4000, 77, &plain), 4000);
	CM->space(c, 1, &cap, &used);
	ck_assert_uint_eq(used, 100 + 102 + 103 + 106 + 4000);
	cart_close(c);
	c = ct_open("PART01L8");
	ck_assert_uint_eq(CM->nr_partitions(c), 2);
	check_layout(c, 0);
	ct_check(c, 1, 7, 4000, 77, NULL);
	ck_assert_int_eq(CM->write_filemarks(c, 1, 7, 0), 0);
	check_layout(c, 1);
	/* bad layouts change nothing */
	sizes[0] = 50000001;
	ck_assert_int_eq(CM->format(c, 2, sizes), -EINVAL);
	sizes[0] = 0;
	ck_assert_int_eq(CM->format(c, 2, sizes), -EINVAL);	/* 2 zeros */
	sizes[0] = 50000000;
	ck_assert_int_eq(CM->format(c, 2, sizes), -EINVAL);	/* no rest */
	ck_assert_int_eq(CM->format(c, 5, sizes), -EINVAL);
	ck_assert_int_eq(CM->format(c, 0, sizes), -EINVAL);
	ck_assert_int_eq(CM->format(c, 2, NULL), -EINVAL);
	ck_assert_uint_eq(CM->nr_partitions(c), 2);
	check_layout(c, 0);
	/* four partitions */
	sizes[0] = sizes[1] = sizes[2] = 1000;
	sizes[3] = 0;
	ck_assert_int_eq(CM->format(c, 4, sizes), 0);
	ck_assert_uint_eq(CM->nr_partitions(c), 4);
	ck_assert_int_eq(ct_write(c, 3, 0, 5000, 3, &plain), 5000);
	ck_assert_int_eq(ct_write(c, 2, 0, 1000, 2, &plain), 1000);
	ck_assert_int_eq(ct_write(c, 2, 1, 1, 2, &plain), -ENOSPC);
	cart_close(c);
	c = ct_open("PART01L8");
	ck_assert_uint_eq(CM->nr_partitions(c), 4);
	ck_assert_uint_eq(CM->eod(c, 0), 0);
	ck_assert_uint_eq(CM->eod(c, 1), 0);
	ct_check(c, 3, 0, 5000, 3, NULL);
	ct_check(c, 2, 0, 1000, 2, NULL);
	/* back to one partition: everything gone */
	ck_assert_int_eq(CM->format(c, 1, NULL), 0);
	ck_assert_uint_eq(CM->nr_partitions(c), 1);
	ck_assert_uint_eq(CM->eod(c, 0), 0);
	CM->space(c, 0, &cap, &used);
	ck_assert_uint_eq(cap, 50000000);
	cart_close(c);
	c = ct_open("PART01L8");
	ck_assert_uint_eq(CM->nr_partitions(c), 1);
	ck_assert_uint_eq(CM->eod(c, 0), 0);
	cart_close(c);
	ck_assert_uint_eq(ct_size("PART01L8", "p3.dat"), 0);
	ck_assert_uint_eq(ct_warnings, 0);
}
END_TEST

START_TEST(partitions_by_generation)
{
	uint64_t sizes[4] = { 1000, 1000, 1000, 0 };
	struct cart *c;

	ct_create("GEN001L5", NULL, 100000, CART_COMPRESS_LZ4);
	c = ct_open("GEN001L5");
	ck_assert_int_eq(CM->format(c, 3, sizes), -EINVAL);
	ck_assert_int_eq(CM->format(c, 2, sizes), 0);
	cart_close(c);
	ct_create("GEN001L4", NULL, 100000, CART_COMPRESS_LZ4);
	c = ct_open("GEN001L4");
	ck_assert_int_eq(CM->format(c, 2, sizes), -EINVAL);
	ck_assert_int_eq(CM->format(c, 1, NULL), 0);
	cart_close(c);
	ct_create("GEN001L6", NULL, 100000, CART_COMPRESS_LZ4);
	c = ct_open("GEN001L6");
	ck_assert_int_eq(CM->format(c, 4, sizes), 0);
	cart_close(c);
}
END_TEST

START_TEST(capacity_enospc)
{
	uint64_t cap, used;
	struct cart *c;
	unsigned int i;

	ct_create("CAP001L8", NULL, 1 << 20, CART_COMPRESS_LZ4);
	c = ct_open("CAP001L8");
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(ct_write(c, 0, i, 256 << 10, i, &plain),
				 256 << 10);
	ck_assert_int_eq(ct_write(c, 0, 4, 1, 4, &plain), -ENOSPC);
	ck_assert_uint_eq(CM->eod(c, 0), 4);
	ck_assert_int_eq(CM->write_filemarks(c, 0, 4, 1), 0);
	CM->space(c, 0, &cap, &used);
	ck_assert_uint_eq(cap, 1 << 20);
	ck_assert_uint_eq(used, 1 << 20);
	/* a failed overwrite discards nothing */
	ck_assert_int_eq(ct_write(c, 0, 3, (256 << 10) + 1, 9, &plain),
			 -ENOSPC);
	ck_assert_uint_eq(CM->eod(c, 0), 5);
	/* overwriting frees space */
	ck_assert_int_eq(ct_write(c, 0, 2, 512 << 10, 5, &plain), 512 << 10);
	ck_assert_uint_eq(CM->eod(c, 0), 3);
	cart_close(c);
	c = ct_open("CAP001L8");
	CM->space(c, 0, &cap, &used);
	ck_assert_uint_eq(used, 1 << 20);
	ct_check(c, 0, 2, 512 << 10, 5, NULL);
	cart_close(c);
}
END_TEST

START_TEST(mam_blob)
{
	uint8_t blob[3000], buf[4000];
	struct cart *c;
	unsigned int i;

	for (i = 0; i < sizeof(blob); i++)
		blob[i] = i * 31;
	ct_create("MAM001L8", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("MAM001L8");
	ck_assert_int_eq(CM->mam_read(c, buf, sizeof(buf)), 0);
	ck_assert_int_eq(CM->mam_write(c, blob, sizeof(blob)), 0);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(CM->mam_read(c, buf, sizeof(buf)), sizeof(blob));
	ck_assert(!memcmp(buf, blob, sizeof(blob)));
	cart_close(c);
	c = ct_open("MAM001L8");
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(CM->mam_read(c, buf, 10), sizeof(blob));
	ck_assert(!memcmp(buf, blob, 10));
	ck_assert_uint_eq(buf[10], 0);
	ck_assert_int_eq(CM->mam_write(c, blob, 5), 0);
	ck_assert_int_eq(CM->mam_read(c, buf, sizeof(buf)), 5);
	ck_assert_int_eq(CM->mam_write(c, blob, 0), 0);
	ck_assert_int_eq(CM->mam_read(c, buf, sizeof(buf)), 0);
	ck_assert_int_eq(CM->mam_write(c, blob, (1 << 20) + 1), -ENOSPC);
	ck_assert_int_eq(CM->mam_write(c, blob, sizeof(blob)), 0);
	ck_assert_int_eq(access(ct_path("MAM001L8", "mam.new"), F_OK), -1);
	/* damage: a flipped byte, then a truncated file */
	ct_flip("MAM001L8", "mam", 100, 0x01);
	ck_assert_int_eq(CM->mam_read(c, buf, sizeof(buf)), -EBADMSG);
	ct_flip("MAM001L8", "mam", 100, 0x01);
	ck_assert_int_eq(CM->mam_read(c, buf, sizeof(buf)), sizeof(blob));
	ct_flip("MAM001L8", "mam", 9, 0x80);	/* length */
	ck_assert_int_eq(CM->mam_read(c, buf, sizeof(buf)), -EBADMSG);
	ct_flip("MAM001L8", "mam", 9, 0x80);
	ct_truncate("MAM001L8", "mam", 1000);
	ck_assert_int_eq(CM->mam_read(c, buf, sizeof(buf)), -EBADMSG);
	ct_truncate("MAM001L8", "mam", 5);
	ck_assert_int_eq(CM->mam_read(c, buf, sizeof(buf)), -EBADMSG);
	ck_assert_int_eq(CM->mam_write(c, blob, sizeof(blob)), 0);
	ck_assert_int_eq(CM->mam_read(c, buf, sizeof(buf)), sizeof(blob));
	cart_close(c);
}
END_TEST

START_TEST(worm_rules)
{
	struct scstu_tape_media m;
	struct cart *c;

	ct_create("WORM01LY", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("WORM01LY");
	cart_media(c, &m);
	ck_assert(m.worm);
	ck_assert_uint_eq(m.generation, 8);
	ck_assert_int_eq(ct_write(c, 0, 0, 100, 0, &plain), 100);
	ck_assert_int_eq(ct_write(c, 0, 1, 100, 1, &plain), 100);
	ck_assert_int_eq(CM->write_filemarks(c, 0, 2, 2), 0);
	/* data blocks stay; filemarks before EOD may be overwritten */
	ck_assert_int_eq(ct_write(c, 0, 0, 100, 5, &plain), -EROFS);
	ck_assert_int_eq(ct_write(c, 0, 1, 100, 5, &plain), -EROFS);
	ck_assert_int_eq(CM->write_filemarks(c, 0, 1, 1), -EROFS);
	ck_assert_int_eq(CM->format(c, 1, NULL), -EROFS);
	ck_assert_int_eq(ct_write(c, 0, 3, 100, 3, &plain), 100);
	ck_assert_uint_eq(CM->eod(c, 0), 4);
	ck_assert_int_eq(ct_write(c, 0, 4, 100, 4, &plain), 100);
	ct_check(c, 0, 1, 100, 1, NULL);
	cart_close(c);
}
END_TEST

START_TEST(cleaning_cartridge)
{
	struct scstu_tape_media m;
	struct cart *c;

	ct_create("CLN001L1", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("CLN001L1");
	cart_media(c, &m);
	ck_assert(m.cleaning);
	ck_assert_int_eq(ct_write(c, 0, 0, 100, 0, &plain), -EIO);
	ck_assert_int_eq(CM->write_filemarks(c, 0, 0, 1), -EIO);
	ck_assert_int_eq(CM->format(c, 1, NULL), -EIO);
	ck_assert_uint_eq(CM->eod(c, 0), 0);
	cart_close(c);
}
END_TEST

Suite *vtl_cart_suite(void)
{
	Suite *s = suite_create("vtl_cart");
	TCase *tc = tcase_create("io");

	tcase_add_checked_fixture(tc, ct_setup, ct_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, create_and_stat);
	tcase_add_test(tc, create_errors);
	tcase_add_test(tc, open_errors);
	tcase_add_test(tc, type_parse);
	tcase_add_test(tc, round_trip_sizes);
	tcase_add_test(tc, filemarks_and_eod);
	tcase_add_test(tc, many_small_blocks);
	tcase_add_test(tc, overwrite_middle);
	tcase_add_test(tc, partitions_format);
	tcase_add_test(tc, partitions_by_generation);
	tcase_add_test(tc, capacity_enospc);
	tcase_add_test(tc, mam_blob);
	tcase_add_test(tc, worm_rules);
	tcase_add_test(tc, cleaning_cartridge);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(vtl_cart_suite)
