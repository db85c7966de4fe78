// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm unit tests: JSON escaping and writer.
 */
#include "json.h"
#include "scstuadm_test.h"

static void expect_escape(const char *in, const char *out)
{
	GString *s = g_string_new(NULL);

	sa_json_escape(s, in);
	ck_assert_str_eq(s->str, out);
	g_string_free(s, TRUE);
}

START_TEST(escape_basic)
{
	expect_escape("", "\"\"");
	expect_escape("abc", "\"abc\"");
	expect_escape("a\"b", "\"a\\\"b\"");
	expect_escape("a\\b", "\"a\\\\b\"");
	expect_escape("/", "\"/\"");
	expect_escape(NULL, "\"\"");
}
END_TEST

START_TEST(escape_control)
{
	expect_escape("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	expect_escape("\b\f", "\"\\b\\f\"");
	expect_escape("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
}
END_TEST

START_TEST(escape_utf8)
{
	expect_escape("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	expect_escape("\xe2\x82\xac", "\"\xe2\x82\xac\"");
	/* invalid bytes, truncated sequence, surrogate encoded in UTF-8 */
	expect_escape("a\xff" "b", "\"a\\ufffdb\"");
	expect_escape("a\xc3", "\"a\\ufffd\"");
	expect_escape("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
}
END_TEST

START_TEST(writer)
{
	GString *s = g_string_new(NULL);
	struct sa_json j;

	sa_json_init(&j, s);
	sa_json_begin_object(&j, NULL);
	sa_json_string(&j, "name", "a\"b");
	sa_json_uint(&j, "n", 18446744073709551615ULL);
	sa_json_bool(&j, "ok", TRUE);
	sa_json_null(&j, "none");
	sa_json_begin_array(&j, "empty");
	sa_json_end_array(&j);
	sa_json_begin_array(&j, "list");
	sa_json_uint(&j, NULL, 1);
	sa_json_begin_object(&j, NULL);
	sa_json_end_object(&j);
	sa_json_end_array(&j);
	sa_json_end_object(&j);
	ck_assert_str_eq(s->str,
			 "{\n"
			 "  \"name\": \"a\\\"b\",\n"
			 "  \"n\": 18446744073709551615,\n"
			 "  \"ok\": true,\n"
			 "  \"none\": null,\n"
			 "  \"empty\": [],\n"
			 "  \"list\": [\n"
			 "    1,\n"
			 "    {}\n"
			 "  ]\n"
			 "}\n");
	g_string_free(s, TRUE);
}
END_TEST

Suite *sa_json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, escape_basic);
	tcase_add_test(tc, escape_control);
	tcase_add_test(tc, escape_utf8);
	tcase_add_test(tc, writer);
	suite_add_tcase(s, tc);
	return s;
}
