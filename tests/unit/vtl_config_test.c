// SPDX-License-Identifier: GPL-2.0
/* scstu-vtl configuration files: values, defaults, ranges, errors. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <glib.h>

#include "unit_registry.h"
#include "vtl_config.h"

static struct vtl_config *cfg;
static char *msg;

static int parse(const char *text)
{
	vtl_config_free(cfg);
	cfg = NULL;
	g_free(msg);
	msg = NULL;
	return vtl_config_parse("t.conf", text, strlen(text), &cfg, &msg);
}

static void teardown(void)
{
	vtl_config_free(cfg);
	cfg = NULL;
	g_free(msg);
	msg = NULL;
}

/* parse must fail with exactly this message */
#define BAD(text, want) do {						\
	ck_assert_int_eq(parse(text), -EINVAL);				\
	ck_assert_ptr_null(cfg);					\
	ck_assert_ptr_nonnull(msg);					\
	ck_assert_str_eq(msg, want);					\
} while (0)

START_TEST(minimal_defaults)
{
	ck_assert_int_eq(parse("[library]\nname = lib0\n[drive 0]\n"), 0);
	ck_assert_ptr_null(msg);
	ck_assert_str_eq(cfg->name, "lib0");
	ck_assert_str_eq(cfg->dir, "/var/lib/scstu-vtl/lib0");
	ck_assert_str_eq(cfg->socket, "/run/scstu-vtl/lib0.sock");
	ck_assert_ptr_null(cfg->serial);
	ck_assert_uint_eq(cfg->slots, 20);
	ck_assert_uint_eq(cfg->mailslots, 4);
	ck_assert_uint_eq(cfg->nr_drives, 1);
	ck_assert_int_eq(cfg->compress, VTL_COMPRESS_LZ4);
	ck_assert_str_eq(cfg->drives[0].personality, "ibm-lto8");
	ck_assert_ptr_null(cfg->drives[0].serial);
	ck_assert_ptr_null(cfg->drives[0].revision);
	ck_assert_uint_eq(cfg->nr_create, 0);
	ck_assert_ptr_null(cfg->create);
	ck_assert_uint_eq(cfg->capacity, 0);
}
END_TEST

START_TEST(full)
{
	ck_assert_int_eq(parse(
		"# a library\n"
		"\n"
		"[library]\n"
		"name=lib_1\n"
		"  dir = /srv/tapes/lib1  \n"
		"socket = /tmp/x/lib1.sock\n"
		"serial = CH0001\n"
		"slots = 100	# a comment after a blank\n"
		"mailslots = 0\n"
		"compression = zstd\n"
		"[drive 1]\n"
		"personality = hp-lto6\n"
		"serial = HU0002\n"
		"revision = Z5A1\n"
		"[drive 0]\n"
		"personality = ibm-lto9\n"
		"serial = 1013000001\n"
		"[cartridges]\n"
		"create = E01000L8-E01002L8, CLN001L1 W00001LX  # five\n"
		"capacity = 512M\n"), 0);
	ck_assert_str_eq(cfg->name, "lib_1");
	ck_assert_str_eq(cfg->dir, "/srv/tapes/lib1");
	ck_assert_str_eq(cfg->socket, "/tmp/x/lib1.sock");
	ck_assert_str_eq(cfg->serial, "CH0001");
	ck_assert_uint_eq(cfg->slots, 100);
	ck_assert_uint_eq(cfg->mailslots, 0);
	ck_assert_int_eq(cfg->compress, VTL_COMPRESS_ZSTD);
	ck_assert_uint_eq(cfg->nr_drives, 2);
	ck_assert_str_eq(cfg->drives[0].personality, "ibm-lto9");
	ck_assert_str_eq(cfg->drives[0].serial, "1013000001");
	ck_assert_str_eq(cfg->drives[1].personality, "hp-lto6");
	ck_assert_str_eq(cfg->drives[1].serial, "HU0002");
	ck_assert_str_eq(cfg->drives[1].revision, "Z5A1");
	ck_assert_uint_eq(cfg->drives[1].line, 11);
	ck_assert_uint_eq(cfg->nr_create, 5);
	ck_assert_str_eq(cfg->create[0], "E01000L8");
	ck_assert_str_eq(cfg->create[2], "E01002L8");
	ck_assert_str_eq(cfg->create[3], "CLN001L1");
	ck_assert_str_eq(cfg->create[4], "W00001LX");
	ck_assert_ptr_null(cfg->create[5]);
	ck_assert_uint_eq(cfg->create_line, 19);
	ck_assert_uint_eq(cfg->capacity, 512ULL << 20);
}
END_TEST

START_TEST(ranges)
{
	unsigned int n = 0;
	char *why = NULL;
	char **v;

	v = vtl_barcodes_expand("E01098L8-E01101L8", 100, &n, &why);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(v[0], "E01098L8");
	ck_assert_str_eq(v[1], "E01099L8");
	ck_assert_str_eq(v[2], "E01100L8");
	ck_assert_str_eq(v[3], "E01101L8");
	g_strfreev(v);

	v = vtl_barcodes_expand("A1-A1,,B2", 100, &n, &why);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0], "A1");
	ck_assert_str_eq(v[1], "B2");
	g_strfreev(v);

	/* only the number may differ */
	v = vtl_barcodes_expand("A00001L8-B00001L8", 100, &n, &why);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(why, "bad range 'A00001L8-B00001L8': the ends must differ in one number only");
	g_free(why);
	/* the number nearest the end that differs */
	v = vtl_barcodes_expand("A00001L8-A00001L9", 100, &n, &why);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[1], "A00001L9");
	g_strfreev(v);
	v = vtl_barcodes_expand("A1B1-A2B2", 100, &n, &why);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(why, "bad range 'A1B1-A2B2': the ends must differ in one number only");
	g_free(why);
	v = vtl_barcodes_expand("A0009L8-A00010L8", 100, &n, &why);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(why, "bad range 'A0009L8-A00010L8': the ends differ in length");
	g_free(why);
	v = vtl_barcodes_expand("A00009L8-A00001L8", 100, &n, &why);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(why, "bad range 'A00009L8-A00001L8': it goes backwards");
	g_free(why);
	v = vtl_barcodes_expand("A00001L8-A00100L8", 50, &n, &why);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(why, "more than 50 cartridges");
	g_free(why);
	v = vtl_barcodes_expand("A1-A3 A2", 50, &n, &why);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(why, "barcode A2 is listed twice");
	g_free(why);
	v = vtl_barcodes_expand("a00001l8", 50, &n, &why);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(why, "bad barcode 'a00001l8': 1 to 32 characters A-Z 0-9");
	g_free(why);
	v = vtl_barcodes_expand("A1-", 50, &n, &why);
	ck_assert_ptr_null(v);
	g_free(why);
	v = vtl_barcodes_expand("A1-A2-A3", 50, &n, &why);
	ck_assert_ptr_null(v);
	g_free(why);
	v = vtl_barcodes_expand("X0000000000000000000001-X0000000000000000000009",
				50, &n, &why);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(why, "bad range 'X0000000000000000000001-X0000000000000000000009': number too long");
	g_free(why);
}
END_TEST

START_TEST(barcodes_and_sizes)
{
	uint64_t v;

	ck_assert(vtl_barcode_valid("E01000L8"));
	ck_assert(vtl_barcode_valid("A"));
	ck_assert(!vtl_barcode_valid(""));
	ck_assert(!vtl_barcode_valid("E01000l8"));
	ck_assert(!vtl_barcode_valid("E01 00L8"));
	ck_assert(!vtl_barcode_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"));
	ck_assert(vtl_barcode_valid("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"));
	ck_assert(vtl_parse_size("1500000", &v));
	ck_assert_uint_eq(v, 1500000);
	ck_assert(vtl_parse_size("2G", &v));
	ck_assert_uint_eq(v, 2ULL << 30);
	ck_assert(vtl_parse_size("3t", &v));
	ck_assert_uint_eq(v, 3ULL << 40);
	ck_assert(!vtl_parse_size("", &v));
	ck_assert(!vtl_parse_size("M", &v));
	ck_assert(!vtl_parse_size("-1", &v));
	ck_assert(!vtl_parse_size("10MB", &v));
	ck_assert(!vtl_parse_size("99999999999999999999", &v));
	ck_assert(!vtl_parse_size("17000000000T", &v));
}
END_TEST

START_TEST(syntax_errors)
{
	BAD("[library]\nname = a\n[drive 0]\nthis is not a key\n",
	    "t.conf:4: expected [group] or key = value");
	BAD("name = a\n", "t.conf:1: key before the first [group]");
	BAD("\n[library\nname = a\n", "t.conf:2: bad group line");
	BAD("[library]\n= x\n", "t.conf:2: expected [group] or key = value");
	BAD("[library]\nname = a\n[drive 0]\n[library]\n",
	    "t.conf:4: group [library] appears again (first at line 1)");
	BAD("[library]\nname = a\nslots = 3\n[drive 0]\n[library]\n",
	    "t.conf:5: group [library] appears again (first at line 1)");
	BAD("[library]\nname = a\n# c\nname = b\n[drive 0]\n",
	    "t.conf:4: [library] name appears again (first at line 2)");
	BAD("[library]\nname = a\\sb\n[drive 0]\n",
	    "t.conf:2: name 'a b': 1 to 48 characters A-Z a-z 0-9 - _, starting with a letter or digit");
}
END_TEST

START_TEST(unknown)
{
	BAD("[library]\nname = a\n[drive 0]\n[robot]\n",
	    "t.conf:4: unknown group [robot] (known: [library], [drive N] with N from 0 to 63, [cartridges])");
	BAD("[library]\nname = a\n[drive 64]\n",
	    "t.conf:3: unknown group [drive 64] (known: [library], [drive N] with N from 0 to 63, [cartridges])");
	BAD("[library]\nname = a\n[drive 01]\n",
	    "t.conf:3: unknown group [drive 01] (known: [library], [drive N] with N from 0 to 63, [cartridges])");
	BAD("[library]\nname = a\nslot = 3\n[drive 0]\n",
	    "t.conf:3: unknown key 'slot' in [library] (known: name, dir, socket, serial, slots, mailslots, compression)");
	BAD("[library]\nname = a\n[drive 0]\nmodel = x\n",
	    "t.conf:4: unknown key 'model' in [drive 0] (known: personality, serial, revision)");
	BAD("[library]\nname = a\n[drive 0]\n[cartridges]\ncreat = A1\n",
	    "t.conf:5: unknown key 'creat' in [cartridges] (known: create, capacity)");
	BAD("[library]\nname[de] = a\n[drive 0]\n",
	    "t.conf:2: unknown key 'name[de]' in [library] (known: name, dir, socket, serial, slots, mailslots, compression)");
}
END_TEST

START_TEST(structure_errors)
{
	BAD("[drive 0]\n", "t.conf: no [library] group");
	BAD("[library]\nname = a\n",
	    "t.conf: no [drive 0] group: a library needs a drive");
	BAD("[library]\nslots = 2\n[drive 0]\n",
	    "t.conf:1: [library] has no name");
	BAD("[library]\nname = a\n[drive 0]\n[drive 2]\n",
	    "t.conf:4: [drive 1] before [drive 2] is missing: drives are numbered from 0 without gaps");
	BAD("[library]\nname = a\n[drive 1]\n",
	    "t.conf:3: [drive 0] before [drive 1] is missing: drives are numbered from 0 without gaps");
	BAD("[library]\nname = a\n[drive 0]\nserial = S1\n[drive 1]\nserial = S1\n",
	    "t.conf:5: [drive 1] has the serial of [drive 0] (S1)");
}
END_TEST

START_TEST(value_errors)
{
	BAD("[library]\nname =   # no name\n[drive 0]\n",
	    "t.conf:2: name '': 1 to 48 characters A-Z a-z 0-9 - _, starting with a letter or digit");
	BAD("[library]\nname = lib0#x\n[drive 0]\n",
	    "t.conf:2: name 'lib0#x': 1 to 48 characters A-Z a-z 0-9 - _, starting with a letter or digit");
	BAD("[library]\nname = -x\n[drive 0]\n",
	    "t.conf:2: name '-x': 1 to 48 characters A-Z a-z 0-9 - _, starting with a letter or digit");
	BAD("[library]\nname = a.b\n[drive 0]\n",
	    "t.conf:2: name 'a.b': 1 to 48 characters A-Z a-z 0-9 - _, starting with a letter or digit");
	BAD("[library]\nname = a\ndir = tapes\n[drive 0]\n",
	    "t.conf:3: dir 'tapes': must be an absolute path");
	BAD("[library]\nname = a\nsocket = x.sock\n[drive 0]\n",
	    "t.conf:3: socket 'x.sock': must be an absolute path");
	BAD("[library]\nname = a\nslots = 0\n[drive 0]\n",
	    "t.conf:3: slots '0': a number from 1 to 8192");
	BAD("[library]\nname = a\nslots = 8193\n[drive 0]\n",
	    "t.conf:3: slots '8193': a number from 1 to 8192");
	BAD("[library]\nname = a\nslots = 1x\n[drive 0]\n",
	    "t.conf:3: slots '1x': a number from 1 to 8192");
	BAD("[library]\nname = a\nmailslots = 241\n[drive 0]\n",
	    "t.conf:3: mailslots '241': a number from 0 to 240");
	BAD("[library]\nname = a\ncompression = gzip\n[drive 0]\n",
	    "t.conf:3: compression 'gzip': lz4 or zstd");
	BAD("[library]\nname = a\nserial = a b\n[drive 0]\n",
	    "t.conf:3: serial 'a b': 1 to 32 characters A-Z a-z 0-9 - _ .");
	BAD("[library]\nname = a\n[drive 0]\npersonality = ibm-lto4\n",
	    "t.conf:4: personality 'ibm-lto4': one of ibm-lto5..ibm-lto9, hp-lto5..hp-lto9");
	BAD("[library]\nname = a\n[drive 0]\nrevision = 12345\n",
	    "t.conf:4: revision '12345': 1 to 4 characters A-Z a-z 0-9");
	BAD("[library]\nname = a\n[drive 0]\n[cartridges]\ncreate = A1-A3, a4\n",
	    "t.conf:5: create: bad barcode 'a4': 1 to 32 characters A-Z 0-9");
	BAD("[library]\nname = a\n[drive 0]\n[cartridges]\ncapacity = 1000\n",
	    "t.conf:5: capacity '1000': a size of at least 1M (a number with K, M, G or T)");
}
END_TEST

START_TEST(load_file)
{
	char *dir = g_dir_make_tmp("vtlcfg-XXXXXX", NULL);
	char *path = g_build_filename(dir, "lib.conf", NULL);
	char *missing = g_build_filename(dir, "none.conf", NULL);

	ck_assert_ptr_nonnull(dir);
	ck_assert(g_file_set_contents(path,
		"[library]\nname = x\n[drive 0]\nserial = q q\n", -1, NULL));
	ck_assert_int_eq(vtl_config_load(path, &cfg, &msg), -EINVAL);
	ck_assert_ptr_null(cfg);
	ck_assert(g_str_has_prefix(msg, path));
	ck_assert(g_str_has_suffix(msg, ":4: serial 'q q': 1 to 32 characters A-Z a-z 0-9 - _ ."));
	g_free(msg);
	msg = NULL;
	ck_assert_int_eq(vtl_config_load(missing, &cfg, &msg), -ENOENT);
	ck_assert(g_str_has_prefix(msg, missing));
	g_free(msg);
	msg = NULL;
	ck_assert(g_file_set_contents(path,
		"[library]\nname = x\n[drive 0]\n", -1, NULL));
	ck_assert_int_eq(vtl_config_load(path, &cfg, &msg), 0);
	ck_assert_str_eq(cfg->file, path);
	ck_assert_str_eq(cfg->name, "x");
	unlink(path);
	rmdir(dir);
	g_free(path);
	g_free(missing);
	g_free(dir);
}
END_TEST

static Suite *vtl_config_suite(void)
{
	Suite *s = suite_create("vtl_config");
	TCase *tc = tcase_create("config");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, minimal_defaults);
	tcase_add_test(tc, full);
	tcase_add_test(tc, ranges);
	tcase_add_test(tc, barcodes_and_sizes);
	tcase_add_test(tc, syntax_errors);
	tcase_add_test(tc, unknown);
	tcase_add_test(tc, structure_errors);
	tcase_add_test(tc, value_errors);
	tcase_add_test(tc, load_file);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(vtl_config_suite)
