// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm unit tests: sizes, booleans, names, lists.
 */
#include "scstuadm_test.h"

START_TEST(size_valid)
{
	static const struct {
		const char *in;
		guint64 out;
	} cases[] = {
		{ "0", 0 },
		{ "512", 512 },
		{ "4096", 4096 },
		{ "1K", 1024 },
		{ "1k", 1024 },
		{ "64M", 64ULL << 20 },
		{ "256M", 256ULL << 20 },
		{ "2G", 2ULL << 30 },
		{ "1T", 1ULL << 40 },
		{ "2GiB", 2ULL << 30 },
		{ "3mb", 3ULL << 20 },
		{ "16777215T", 16777215ULL << 40 },
		{ "18446744073709551615", G_MAXUINT64 },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		guint64 v = 1;

		ck_assert_msg(sa_parse_size(cases[i].in, &v), "%s",
			      cases[i].in);
		ck_assert_msg(v == cases[i].out, "%s -> %" G_GUINT64_FORMAT,
			      cases[i].in, v);
	}
}
END_TEST

START_TEST(size_invalid)
{
	static const char *const bad[] = {
		"", "M", "12Q", "-1", " 1", "1 ", "1.5G", "0x10", "1KK",
		"1Ki", "1iB", "16777216T", "18446744073709551616", "1P",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		guint64 v = 42;

		ck_assert_msg(!sa_parse_size(bad[i], &v), "'%s' accepted",
			      bad[i]);
		ck_assert(v == 42);
	}
	ck_assert(!sa_parse_size(NULL, NULL));
}
END_TEST

START_TEST(size_format_roundtrip)
{
	static const guint64 vals[] = {
		0, 1, 512, 1000, 1024, 1536, 4096, 64ULL << 20,
		(1ULL << 40) + 4096, 1ULL << 40, 5ULL << 40, G_MAXUINT64,
	};
	static const char *const expect[] = {
		"0", "1", "512", "1000", "1K", "1536", "4K", "64M",
		"1073741828K", "1T", "5T", "18446744073709551615",
	};

	for (guint i = 0; i < G_N_ELEMENTS(vals); i++) {
		char *s = sa_format_size(vals[i]);
		guint64 back;

		ck_assert_str_eq(s, expect[i]);
		ck_assert(sa_parse_size(s, &back));
		ck_assert(back == vals[i]);
		g_free(s);
	}
}
END_TEST

START_TEST(size_human)
{
	char *s = sa_format_size_human(256ULL << 20);

	ck_assert_str_eq(s, "256.0 MiB");
	g_free(s);
	s = sa_format_size_human(100);
	ck_assert_str_eq(s, "100 B");
	g_free(s);
}
END_TEST

START_TEST(uint_parse)
{
	guint64 v;

	ck_assert(sa_parse_uint("4096", &v) && v == 4096);
	ck_assert(!sa_parse_uint("4K", &v));
	ck_assert(!sa_parse_uint("", &v));
	ck_assert(!sa_parse_uint("+1", &v));
	ck_assert(!sa_parse_uint("99999999999999999999", &v));
}
END_TEST

START_TEST(bool_parse)
{
	static const char *const yes[] = { "1", "true", "TRUE", "yes", "On" };
	static const char *const no[] = { "0", "false", "No", "off", "OFF" };
	static const char *const bad[] = { "", "2", "y", "tru", "enabled" };
	gboolean b;

	for (guint i = 0; i < G_N_ELEMENTS(yes); i++)
		ck_assert(sa_parse_bool(yes[i], &b) && b);
	for (guint i = 0; i < G_N_ELEMENTS(no); i++)
		ck_assert(sa_parse_bool(no[i], &b) && !b);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
		ck_assert_msg(!sa_parse_bool(bad[i], &b), "%s", bad[i]);
}
END_TEST

START_TEST(names)
{
	char *longname = g_strnfill(224, 'a');

	ck_assert_ptr_null(sa_name_problem("rd0"));
	ck_assert_ptr_null(sa_name_problem("iqn.2026-11.org.scstu:ini0"));
	ck_assert_str_eq(sa_name_problem("a/b"), "name contains '/'");
	ck_assert_str_eq(sa_name_problem(""), "empty name");
	ck_assert_str_eq(sa_name_problem(".."),
			 "'.' and '..' are not names");
	ck_assert_ptr_nonnull(sa_name_problem("a b"));
	ck_assert_ptr_nonnull(sa_name_problem("a;b"));
	ck_assert_ptr_nonnull(sa_name_problem(longname));
	longname[223] = '\0';
	ck_assert_ptr_null(sa_name_problem(longname));
	g_free(longname);
	ck_assert(sa_attr_name_ok("block_size"));
	ck_assert(!sa_attr_name_ok("block-size"));
	ck_assert(!sa_attr_name_ok("1x"));
	ck_assert(!sa_attr_name_ok("a/b"));
}
END_TEST

START_TEST(lists_and_comments)
{
	GPtrArray *l = sa_split_list(" a ; b;;c ;");
	char s[] = "64M   # a comment";
	char t[] = "ab#c";

	ck_assert_uint_eq(l->len, 3);
	ck_assert_str_eq(l->pdata[0], "a");
	ck_assert_str_eq(l->pdata[1], "b");
	ck_assert_str_eq(l->pdata[2], "c");
	g_ptr_array_unref(l);
	sa_strip_comment(s);
	ck_assert_str_eq(s, "64M");
	sa_strip_comment(t);
	ck_assert_str_eq(t, "ab#c");
}
END_TEST

Suite *sa_util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, size_valid);
	tcase_add_test(tc, size_invalid);
	tcase_add_test(tc, size_format_roundtrip);
	tcase_add_test(tc, size_human);
	tcase_add_test(tc, uint_parse);
	tcase_add_test(tc, bool_parse);
	tcase_add_test(tc, names);
	tcase_add_test(tc, lists_and_comments);
	suite_add_tcase(s, tc);
	return s;
}
