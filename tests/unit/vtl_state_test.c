// SPDX-License-Identifier: GPL-2.0
/* scstu-vtl element state file: round trip, atomic replace, corruption. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <glib.h>
#include <isa-l/crc.h>

#include "unit_registry.h"
#include "vtl_state.h"

static char *dir, *path, *msg;
static struct vtl_state_elem *got;
static unsigned int nr;

static void setup(void)
{
	dir = g_dir_make_tmp("vtlstate-XXXXXX", NULL);
	ck_assert_ptr_nonnull(dir);
	path = g_build_filename(dir, VTL_STATE_FILE, NULL);
}

static void teardown(void)
{
	char *tmp = g_strdup_printf("%s.tmp", path);

	unlink(tmp);
	unlink(path);
	rmdir(dir);
	g_free(tmp);
	g_free(path);
	g_free(dir);
	g_free(msg);
	g_free(got);
	msg = NULL;
	got = NULL;
}

static const struct vtl_state_elem three[] = {
	{ .addr = 0x1000, .source = 0, .barcode = "E01000L8" },
	{ .addr = 0x0101, .source = 0x1001, .barcode = "E01001L8" },
	{ .addr = 0x0010, .source = 0, .barcode = "CLN001L1" },
};

static int load(void)
{
	g_free(msg);
	g_free(got);
	msg = NULL;
	got = NULL;
	return vtl_state_load(path, "lib0", &got, &nr, &msg);
}

/* Write text with a correct end line: errors the CRC cannot catch. */
static void write_signed(const char *body, unsigned int count)
{
	uint32_t crc = crc32_iscsi((unsigned char *)body, strlen(body),
				   0xffffffff) ^ 0xffffffff;
	char *s = g_strdup_printf("%send %u crc32c 0x%08x\n", body, count,
				  crc);

	ck_assert(g_file_set_contents(path, s, -1, NULL));
	g_free(s);
}

START_TEST(round_trip)
{
	char *text, *tmp;

	ck_assert_int_eq(load(), -ENOENT);
	ck_assert_ptr_nonnull(msg);
	g_free(msg);
	ck_assert_int_eq(vtl_state_save(path, "lib0", three, 3, &msg), 0);
	ck_assert_ptr_null(msg);
	tmp = g_strdup_printf("%s.tmp", path);
	ck_assert(!g_file_test(tmp, G_FILE_TEST_EXISTS));
	g_free(tmp);
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	ck_assert(g_str_has_prefix(text,
		"scstu-vtl-state 1\n"
		"library lib0\n"
		"element 0x1000 E01000L8 0x0000\n"
		"element 0x0101 E01001L8 0x1001\n"
		"element 0x0010 CLN001L1 0x0000\n"
		"end 3 crc32c 0x"));
	g_free(text);
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(nr, 3);
	ck_assert_mem_eq(got, three, sizeof(three));

	/* replaced, not appended */
	ck_assert_int_eq(vtl_state_save(path, "lib0", three + 1, 1, &msg),
			 0);
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(nr, 1);
	ck_assert_str_eq(got[0].barcode, "E01001L8");
	ck_assert_uint_eq(got[0].source, 0x1001);

	/* an empty library */
	ck_assert_int_eq(vtl_state_save(path, "lib0", NULL, 0, &msg), 0);
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(nr, 0);
}
END_TEST

START_TEST(save_error)
{
	char *bad = g_build_filename(dir, "nodir", "vtl.state", NULL);

	ck_assert_int_eq(vtl_state_save(bad, "lib0", three, 3, &msg),
			 -ENOENT);
	ck_assert(g_str_has_prefix(msg, bad));
	ck_assert_ptr_nonnull(strstr(msg, "cannot create"));
	g_free(bad);
}
END_TEST

#define CORRUPT(want) do {						\
	ck_assert_int_eq(load(), -EBADMSG);				\
	ck_assert_ptr_null(got);					\
	ck_assert_uint_eq(nr, 0);					\
	ck_assert(g_str_has_prefix(msg, path));				\
	ck_assert_str_eq(msg + strlen(path), want);			\
} while (0)

START_TEST(corrupt)
{
	char *text;
	gsize len;

	ck_assert_int_eq(vtl_state_save(path, "lib0", three, 3, &msg), 0);
	ck_assert(g_file_get_contents(path, &text, &len, NULL));

	/* one flipped character */
	text[40] ^= 1;
	ck_assert(g_file_set_contents(path, text, len, NULL));
	CORRUPT(":6: corrupt state file: CRC32C mismatch");
	text[40] ^= 1;

	/* torn: the end line is missing or cut */
	ck_assert(g_file_set_contents(path, text, len - 10, NULL));
	CORRUPT(": corrupt state file: truncated (no end line)");
	ck_assert(g_file_set_contents(path, text, strstr(text, "end ") -
				      text, NULL));
	CORRUPT(":5: corrupt state file: truncated (no end line)");

	/* empty, binary, foreign */
	ck_assert(g_file_set_contents(path, "", 0, NULL));
	CORRUPT(": corrupt state file: truncated (no end line)");
	ck_assert(g_file_set_contents(path, "scstu\0x\n", 8, NULL));
	CORRUPT(": corrupt state file: NUL bytes");
	ck_assert(g_file_set_contents(path, "[library]\nname=x\nz\n", -1,
				      NULL));
	CORRUPT(":1: corrupt state file: not a scstu-vtl state file");
	g_free(text);

	write_signed("scstu-vtl-state 2\nlibrary lib0\n", 0);
	CORRUPT(":1: corrupt state file: unknown version");
	write_signed("scstu-vtl-state 1\nlibrary lib0\n", 1);
	CORRUPT(":3: corrupt state file: wrong element count");
	write_signed("scstu-vtl-state 1\nlibrari lib0\n", 0);
	CORRUPT(":2: corrupt state file: no library line");
	write_signed("scstu-vtl-state 1\nlibrary lib1\n", 0);
	CORRUPT(": state of library 'lib1', not 'lib0'");
	write_signed("scstu-vtl-state 1\nlibrary lib0\n"
		     "element 0x1000 E01000L8 0x0000\n"
		     "element 0x1000 E01001L8 0x0000\n", 2);
	CORRUPT(":4: corrupt state file: element listed twice");
	write_signed("scstu-vtl-state 1\nlibrary lib0\n"
		     "element 0x1000 E01000L8 0x0000\n"
		     "element 0x1001 E01000L8 0x0000\n", 2);
	CORRUPT(":4: corrupt state file: cartridge in two elements");
	write_signed("scstu-vtl-state 1\nlibrary lib0\n"
		     "element 0x1000 e01000l8 0x0000\n", 1);
	CORRUPT(":3: corrupt state file: bad element line");
	write_signed("scstu-vtl-state 1\nlibrary lib0\n"
		     "element 0x10000 E01000L8 0x0000\n", 1);
	CORRUPT(":3: corrupt state file: bad element line");
	write_signed("scstu-vtl-state 1\nlibrary lib0\n"
		     "element 0x0000 E01000L8 0x0000\n", 1);
	CORRUPT(":3: corrupt state file: bad element line");
	write_signed("scstu-vtl-state 1\nlibrary lib0\n"
		     "element 0x1000 E01000L8\n", 1);
	CORRUPT(":3: corrupt state file: bad element line");
	write_signed("scstu-vtl-state 1\nlibrary lib0\n"
		     "element 0x1000 E01000L8 0x00zz\n", 1);
	CORRUPT(":3: corrupt state file: bad element line");

	/* a signed file still loads */
	write_signed("scstu-vtl-state 1\nlibrary lib0\n"
		     "element 0x1000 E01000L8 0x0000\n", 1);
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(nr, 1);
}
END_TEST

static Suite *vtl_state_suite(void)
{
	Suite *s = suite_create("vtl_state");
	TCase *tc = tcase_create("state");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, save_error);
	tcase_add_test(tc, corrupt);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(vtl_state_suite)
