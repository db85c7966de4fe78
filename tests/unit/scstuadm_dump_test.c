// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm unit tests: dump format and round trips, tree output.
 */
#include <string.h>

#include "cfs.h"
#include "conf.h"
#include "dump.h"
#include "plan.h"
#include "scstuadm_test.h"
#include "tree.h"

static const char full[] =
	"[device rd0]\n"
	"backend = ramdisk\n"
	"size = 256M\n"
	"block_size = 512\n"
	"vendor_id = SCSTU\n"
	"[device null0]\n"
	"backend = nullio\n"
	"size = 1099511627777\n"
	"[device off]\n"
	"backend = nullio\n"
	"enabled = false\n"
	"[target b]\n"
	"driver = local\n"
	"auto_rescan = off\n"
	"lun.16383 = rd0\n"
	"lun.0 = null0\n"
	"lun.0.read_only = 1\n"
	"sessions = z;a\n"
	"[group b g2]\n"
	"initiators = q;p\n"
	"lun.3 = rd0\n"
	"lun.3.read_only = on\n"
	"[group b g1]\n"
	"[target a]\n"
	"driver = local\n";

static const char full_dump[] =
	"# scstu configuration (scstuadm dump)\n"
	"\n"
	"[device null0]\n"
	"backend = nullio\n"
	"size = 1099511627777\n"
	"\n"
	"[device off]\n"
	"backend = nullio\n"
	"enabled = false\n"
	"\n"
	"[device rd0]\n"
	"backend = ramdisk\n"
	"block_size = 512\n"
	"size = 256M\n"
	"vendor_id = SCSTU\n"
	"\n"
	"[target a]\n"
	"driver = local\n"
	"\n"
	"[target b]\n"
	"driver = local\n"
	"auto_rescan = 0\n"
	"lun.0 = null0\n"
	"lun.0.read_only = true\n"
	"lun.16383 = rd0\n"
	"sessions = a;z\n"
	"\n"
	"[group b g1]\n"
	"\n"
	"[group b g2]\n"
	"initiators = p;q\n"
	"lun.3 = rd0\n"
	"lun.3.read_only = true\n";

static struct sa_model *parse_ok(const char *text)
{
	struct sa_diag *d;
	struct sa_model *m = t_parse(text, NULL, &d);

	t_expect_diag(d, (const char *const[]){ NULL });
	sa_diag_free(d);
	return m;
}

START_TEST(dump_format)
{
	struct sa_model *m = parse_ok(full);
	char *text = sa_dump(m);

	ck_assert_str_eq(text, full_dump);
	g_free(text);
	sa_model_free(m);
}
END_TEST

START_TEST(roundtrip_file)
{
	struct sa_model *m = parse_ok(full);
	char *text = sa_dump(m);
	struct sa_model *back = parse_ok(text);
	char *again = sa_dump(back);
	char *why = NULL;

	ck_assert_msg(sa_model_equal(m, back, &why), "%s", why);
	ck_assert_str_eq(again, text);
	g_free(again);
	g_free(text);
	sa_model_free(back);
	sa_model_free(m);
}
END_TEST

/* parse(dump(running)) == running, and applying it plans nothing */
START_TEST(roundtrip_running)
{
	char *root = t_fake_root();
	static const char *const inis[] = { "iqn.2026-11.org.scstu:ini1",
					    NULL };
	struct sa_model *have, *back;
	struct sa_plan *p;
	char *text, *why = NULL;

	t_fake_device(root, "ramdisk", "rd0", TRUE, "268435456", "512");
	t_fake_device(root, "nullio", "null0", TRUE, "1099511627776", "4096");
	t_fake_device(root, "nullio", "spare", FALSE, "4096", "4096");
	t_write(root, "devices/nullio/null0/product_id", "scstu null", 0644);
	t_fake_target(root, "local", "local0");
	t_fake_lun(root, "targets/local/local0", 0, "ramdisk", "rd0", FALSE);
	t_fake_lun(root, "targets/local/local0", 1, "nullio", "null0", TRUE);
	t_fake_group(root, "targets/local/local0", "g1", inis);
	t_fake_lun(root, "targets/local/local0/ini_groups/g1", 0, "nullio",
		   "null0", FALSE);
	t_fake_session(root, "targets/local/local0",
		       "iqn.2026-11.org.scstu:ini0", TRUE);
	t_fake_session(root, "targets/local/local0",
		       "iqn.2026-11.org.scstu:ini1", TRUE);
	have = t_load(root);
	text = sa_dump(have);
	ck_assert_ptr_nonnull(strstr(text, "product_id = scstu null\n"));
	ck_assert_ptr_nonnull(strstr(text, "sessions = iqn.2026-11.org.scstu:ini0;iqn.2026-11.org.scstu:ini1\n"));
	/* read-only and write-only files are not in the dump */
	ck_assert_ptr_null(strstr(text, "stats"));
	ck_assert_ptr_null(strstr(text, "type"));
	ck_assert_ptr_null(strstr(text, "reset"));
	ck_assert_ptr_null(strstr(text, "enable ="));
	back = parse_ok(text);
	ck_assert_msg(sa_model_equal(back, have, &why), "%s", why);
	p = sa_plan_compute(back, have);
	ck_assert_uint_eq(p->ops->len, 0);
	sa_plan_free(p);
	sa_model_free(back);
	g_free(text);
	sa_model_free(have);
	t_rm_tree(root);
}
END_TEST

START_TEST(unrepresentable_values)
{
	char *root = t_fake_root();
	struct sa_model *have, *back;
	char *text;

	t_fake_device(root, "nullio", "n", TRUE, "4096", "512");
	t_write(root, "devices/nullio/n/serial", "a #b", 0644);
	t_write(root, "devices/nullio/n/auto_rescan", "Y", 0644);
	have = t_load(root);
	text = sa_dump(have);
	ck_assert_ptr_nonnull(strstr(text,
		"# serial = \"a #b\" (cannot be written in this format)\n"));
	ck_assert_ptr_nonnull(strstr(text,
		"# auto_rescan = \"Y\" (cannot be written in this format)\n"));
	back = parse_ok(text);
	sa_model_free(back);
	g_free(text);
	sa_model_free(have);
	t_rm_tree(root);
}
END_TEST

START_TEST(tree_output)
{
	char *root = t_fake_root();
	struct sa_model *have;
	char *text, *json;

	t_fake_device(root, "nullio", "null0", TRUE, "1099511627776", "4096");
	t_fake_target(root, "local", "local0");
	t_fake_lun(root, "targets/local/local0", 1, "nullio", "null0", TRUE);
	t_fake_session(root, "targets/local/local0", "ini\"0", TRUE);
	have = t_load(root);
	text = sa_tree_text(have, root);
	ck_assert_ptr_nonnull(strstr(text,
		"  null0 (nullio) enabled, type 0, size 1.0 TiB, block 4096\n"));
	ck_assert_ptr_nonnull(strstr(text, "      1 -> null0 (read-only)\n"));
	ck_assert_ptr_nonnull(strstr(text, "      ini\"0: luns 0,1, host 3\n"));
	ck_assert_ptr_nonnull(strstr(text, "stats: commands=7 read_bytes=4096 errors=0\n"));
	json = sa_tree_json(have, root);
	ck_assert_ptr_nonnull(strstr(json, "\"initiator\": \"ini\\\"0\""));
	ck_assert_ptr_nonnull(strstr(json, "\"commands\": 7"));
	ck_assert_ptr_nonnull(strstr(json, "\"read_only\": true"));
	ck_assert_ptr_nonnull(strstr(json, "\"host\": 3"));
	ck_assert_ptr_nonnull(strstr(json, "\"luns\": [\n            0,\n            1\n          ]"));
	g_free(json);
	g_free(text);
	sa_model_free(have);
	t_rm_tree(root);
}
END_TEST

Suite *sa_dump_suite(void)
{
	Suite *s = suite_create("dump");
	TCase *tc = tcase_create("dump");

	tcase_add_test(tc, dump_format);
	tcase_add_test(tc, roundtrip_file);
	tcase_add_test(tc, roundtrip_running);
	tcase_add_test(tc, unrepresentable_values);
	tcase_add_test(tc, tree_output);
	suite_add_tcase(s, tc);
	return s;
}
