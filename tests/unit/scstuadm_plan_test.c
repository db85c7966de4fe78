// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm unit tests: the plan (difference between a file and a running
 * configuration read from a fake configfs tree) and its execution with
 * rollback.
 */
#include <stdio.h>
#include <string.h>

#include "cfs.h"
#include "dump.h"
#include "plan.h"
#include "scstuadm_test.h"

/*
 * A running configuration: 2 devices, a target with 2 LUNs, a group, 2
 * sessions. The same thing as a config file is running_conf.
 */
static char *make_running(void)
{
	char *root = t_fake_root();
	static const char *const inis[] = { "ini1", NULL };

	t_fake_device(root, "ramdisk", "rd0", TRUE, "67108864", "512");
	t_fake_device(root, "nullio", "null0", TRUE, "1099511627776", "4096");
	t_fake_target(root, "local", "t0");
	t_fake_lun(root, "targets/local/t0", 0, "ramdisk", "rd0", FALSE);
	t_fake_lun(root, "targets/local/t0", 1, "nullio", "null0", TRUE);
	t_fake_group(root, "targets/local/t0", "g1", inis);
	t_fake_lun(root, "targets/local/t0/ini_groups/g1", 0, "nullio",
		   "null0", FALSE);
	t_fake_session(root, "targets/local/t0", "ini0", TRUE);
	t_fake_session(root, "targets/local/t0", "ini1", TRUE);
	return root;
}

static const char running_conf[] =
	"[device rd0]\n"
	"backend = ramdisk\n"
	"size = 64M\n"
	"block_size = 512\n"
	"serial = rd0\n"
	"[device null0]\n"
	"backend = nullio\n"
	"size = 1T\n"
	"block_size = 4096\n"
	"serial = null0\n"
	"[target t0]\n"
	"driver = local\n"
	"auto_rescan = 1\n"
	"lun.0 = rd0\n"
	"lun.1 = null0\n"
	"lun.1.read_only = yes\n"
	"sessions = ini1; ini0\n"
	"[group t0 g1]\n"
	"initiators = ini1\n"
	"lun.0 = null0\n";

static struct sa_model *parse_ok(const char *text)
{
	struct sa_diag *d;
	struct sa_model *m = t_parse(text, NULL, &d);

	t_expect_diag(d, (const char *const[]){ NULL });
	sa_diag_free(d);
	return m;
}

/* Plan from text to the tree at root, as "op\n" lines. */
static char *plan_text(const char *text, const char *root)
{
	struct sa_model *want = parse_ok(text);
	struct sa_model *have = t_load(root);
	struct sa_plan *p = sa_plan_compute(want, have);
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < p->ops->len; i++) {
		char *d = sa_op_describe(p->ops->pdata[i]);

		g_string_append_printf(s, "%s\n", d);
		g_free(d);
	}
	sa_plan_free(p);
	sa_model_free(want);
	sa_model_free(have);
	return g_string_free(s, FALSE);
}

/* Replace "key = old" by "key = new" in the first section named. */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	GString *s;

	ck_assert_ptr_nonnull(p);
	s = g_string_new_len(text, p - text);
	g_string_append(s, to);
	g_string_append(s, p + strlen(from));
	return g_string_free(s, FALSE);
}

START_TEST(same_config_no_ops)
{
	char *root = make_running();
	char *ops = plan_text(running_conf, root);

	ck_assert_str_eq(ops, "");
	g_free(ops);
	t_rm_tree(root);
}
END_TEST

START_TEST(model_equal_running)
{
	char *root = make_running();
	struct sa_model *want = parse_ok(running_conf);
	struct sa_model *have = t_load(root);
	char *why = NULL;

	ck_assert_msg(sa_model_equal(want, have, &why), "%s", why);
	ck_assert_msg(sa_model_equal(have, want, &why), "%s", why);
	sa_model_free(want);
	sa_model_free(have);
	t_rm_tree(root);
}
END_TEST

START_TEST(one_attribute)
{
	char *root = make_running();
	char *text = edit(running_conf, "size = 64M", "size = 128M");
	char *ops = plan_text(text, root);

	ck_assert_str_eq(ops, "write devices/ramdisk/rd0/size = 134217728 (was 67108864)\n");
	g_free(ops);
	g_free(text);
	t_rm_tree(root);
}
END_TEST

START_TEST(unlisted_attribute_left_alone)
{
	char *root = make_running();
	char *text = edit(running_conf, "serial = rd0\n", "");
	char *ops = plan_text(text, root);

	ck_assert_str_eq(ops, "");
	g_free(ops);
	g_free(text);
	t_rm_tree(root);
}
END_TEST

START_TEST(read_only_change)
{
	char *root = make_running();
	char *text = edit(running_conf, "lun.1.read_only = yes\n", "");
	char *ops = plan_text(text, root);

	ck_assert_str_eq(ops, "write targets/local/t0/luns/1/read_only = 0 (was 1)\n");
	g_free(ops);
	g_free(text);
	t_rm_tree(root);
}
END_TEST

START_TEST(block_size_recreates)
{
	char *root = make_running();
	char *text = edit(running_conf, "block_size = 4096", "block_size = 512");
	char *ops = plan_text(text, root);

	ck_assert_str_eq(ops,
		"unlink targets/local/t0/luns/1/device (-> devices/nullio/null0)\n"
		"unlink targets/local/t0/ini_groups/g1/luns/0/device (-> devices/nullio/null0)\n"
		"write devices/nullio/null0/enable = 0 (was 1)\n"
		"rmdir devices/nullio/null0\n"
		"mkdir devices/nullio/null0\n"
		"write devices/nullio/null0/block_size = 512\n"
		"write devices/nullio/null0/size = 1099511627776\n"
		"write devices/nullio/null0/serial = null0\n"
		"write devices/nullio/null0/enable = 1\n"
		"symlink targets/local/t0/luns/1/device -> devices/nullio/null0\n"
		"symlink targets/local/t0/ini_groups/g1/luns/0/device -> devices/nullio/null0\n");
	g_free(ops);
	g_free(text);
	t_rm_tree(root);
}
END_TEST

START_TEST(block_size_on_disabled_device)
{
	char *root = t_fake_root();
	char *ops;

	t_fake_device(root, "nullio", "n", FALSE, "1024", "512");
	ops = plan_text("[device n]\nbackend = nullio\nenabled = no\n"
			"block_size = 4096\n", root);
	ck_assert_str_eq(ops, "write devices/nullio/n/block_size = 4096 (was 512)\n");
	g_free(ops);
	ops = plan_text("[device n]\nbackend = nullio\nblock_size = 4096\n",
			root);
	ck_assert_str_eq(ops,
		"write devices/nullio/n/block_size = 4096 (was 512)\n"
		"write devices/nullio/n/enable = 1 (was 0)\n");
	g_free(ops);
	t_rm_tree(root);
}
END_TEST

START_TEST(clear_order)
{
	char *root = make_running();
	char *ops = plan_text("", root);

	ck_assert_str_eq(ops,
		"rmdir targets/local/t0/sessions/ini0\n"
		"rmdir targets/local/t0/sessions/ini1\n"
		"unlink targets/local/t0/luns/0/device (-> devices/ramdisk/rd0)\n"
		"unlink targets/local/t0/luns/1/device (-> devices/nullio/null0)\n"
		"unlink targets/local/t0/ini_groups/g1/luns/0/device (-> devices/nullio/null0)\n"
		"rmdir targets/local/t0/luns/0\n"
		"rmdir targets/local/t0/luns/1\n"
		"rmdir targets/local/t0/ini_groups/g1/luns/0\n"
		"rmdir targets/local/t0/ini_groups/g1/initiators/ini1\n"
		"rmdir targets/local/t0/ini_groups/g1\n"
		"rmdir targets/local/t0\n"
		"write devices/nullio/null0/enable = 0 (was 1)\n"
		"write devices/ramdisk/rd0/enable = 0 (was 1)\n"
		"rmdir devices/nullio/null0\n"
		"rmdir devices/ramdisk/rd0\n");
	g_free(ops);
	t_rm_tree(root);
}
END_TEST

START_TEST(create_from_empty)
{
	char *root = t_fake_root();
	char *ops = plan_text(running_conf, root);

	ck_assert_str_eq(ops,
		"mkdir devices/nullio/null0\n"
		"write devices/nullio/null0/block_size = 4096\n"
		"write devices/nullio/null0/size = 1099511627776\n"
		"write devices/nullio/null0/serial = null0\n"
		"write devices/nullio/null0/enable = 1\n"
		"mkdir devices/ramdisk/rd0\n"
		"write devices/ramdisk/rd0/block_size = 512\n"
		"write devices/ramdisk/rd0/size = 67108864\n"
		"write devices/ramdisk/rd0/serial = rd0\n"
		"write devices/ramdisk/rd0/enable = 1\n"
		"mkdir targets/local/t0\n"
		"write targets/local/t0/auto_rescan = 1\n"
		"mkdir targets/local/t0/luns/0\n"
		"symlink targets/local/t0/luns/0/device -> devices/ramdisk/rd0\n"
		"mkdir targets/local/t0/luns/1\n"
		"write targets/local/t0/luns/1/read_only = 1\n"
		"symlink targets/local/t0/luns/1/device -> devices/nullio/null0\n"
		"mkdir targets/local/t0/ini_groups/g1\n"
		"mkdir targets/local/t0/ini_groups/g1/luns/0\n"
		"symlink targets/local/t0/ini_groups/g1/luns/0/device -> devices/nullio/null0\n"
		"mkdir targets/local/t0/ini_groups/g1/initiators/ini1\n"
		"mkdir targets/local/t0/sessions/ini0\n"
		"mkdir targets/local/t0/sessions/ini1\n");
	g_free(ops);
	t_rm_tree(root);
}
END_TEST

START_TEST(relink_and_sessions)
{
	char *root = make_running();
	char *t1 = edit(running_conf, "lun.0 = rd0", "lun.0 = null0\nlun.7 = rd0");
	char *t2 = edit(t1, "sessions = ini1; ini0", "sessions = ini2;ini1");
	char *ops = plan_text(t2, root);

	ck_assert_str_eq(ops,
		"rmdir targets/local/t0/sessions/ini0\n"
		"unlink targets/local/t0/luns/0/device (-> devices/ramdisk/rd0)\n"
		"symlink targets/local/t0/luns/0/device -> devices/nullio/null0\n"
		"mkdir targets/local/t0/luns/7\n"
		"symlink targets/local/t0/luns/7/device -> devices/ramdisk/rd0\n"
		"mkdir targets/local/t0/sessions/ini2\n");
	g_free(ops);
	g_free(t2);
	g_free(t1);
	t_rm_tree(root);
}
END_TEST

START_TEST(initiator_moves_between_groups)
{
	char *root = make_running();
	char *t1 = edit(running_conf, "initiators = ini1\n",
			"initiators = ini0\n");
	char *t2 = g_strconcat(t1, "[group t0 g2]\ninitiators = ini1\n", NULL);
	char *ops = plan_text(t2, root);

	ck_assert_str_eq(ops,
		"rmdir targets/local/t0/ini_groups/g1/initiators/ini1\n"
		"mkdir targets/local/t0/ini_groups/g1/initiators/ini0\n"
		"mkdir targets/local/t0/ini_groups/g2\n"
		"mkdir targets/local/t0/ini_groups/g2/initiators/ini1\n");
	g_free(ops);
	g_free(t2);
	g_free(t1);
	t_rm_tree(root);
}
END_TEST

START_TEST(backend_and_driver_change)
{
	char *root = make_running();
	char *t1 = edit(running_conf, "backend = nullio", "backend = ramdisk");
	char *ops = plan_text(t1, root);

	ck_assert(g_str_has_prefix(ops,
		"unlink targets/local/t0/luns/1/device (-> devices/nullio/null0)\n"
		"unlink targets/local/t0/ini_groups/g1/luns/0/device (-> devices/nullio/null0)\n"
		"write devices/nullio/null0/enable = 0 (was 1)\n"
		"rmdir devices/nullio/null0\n"
		"mkdir devices/ramdisk/null0\n"));
	ck_assert_ptr_nonnull(strstr(ops,
		"symlink targets/local/t0/luns/1/device -> devices/ramdisk/null0\n"));
	g_free(ops);
	g_free(t1);
	t_rm_tree(root);
}
END_TEST

START_TEST(device_disabled_by_file)
{
	char *root = make_running();
	char *ops = plan_text("[device rd0]\nbackend = ramdisk\nenabled = false\n",
			      root);

	/* everything else goes, rd0 stays but disabled */
	ck_assert_ptr_nonnull(strstr(ops,
		"write devices/ramdisk/rd0/enable = 0 (was 1)\n"));
	ck_assert_ptr_null(strstr(ops, "rmdir devices/ramdisk/rd0"));
	ck_assert_ptr_nonnull(strstr(ops, "rmdir devices/nullio/null0\n"));
	g_free(ops);
	t_rm_tree(root);
}
END_TEST

/* Executing a plan that works on plain directories, then reloading. */
START_TEST(execute_converges)
{
	char *root = make_running();
	char *t1 = edit(running_conf, "lun.0 = rd0", "lun.0 = null0");
	char *t2 = edit(t1, "size = 64M", "size = 32M");
	struct sa_model *want = parse_ok(t2);
	struct sa_model *have = t_load(root);
	struct sa_plan *p = sa_plan_compute(want, have);
	struct sa_plan *again;
	char *why = NULL;

	ck_assert_uint_eq(p->ops->len, 3);
	ck_assert(sa_plan_execute(p, root, "t.conf", NULL));
	sa_model_free(have);
	have = t_load(root);
	again = sa_plan_compute(want, have);
	ck_assert_uint_eq(again->ops->len, 0);
	ck_assert_msg(sa_model_equal(want, have, &why), "%s", why);
	sa_plan_free(again);
	sa_plan_free(p);
	sa_model_free(want);
	sa_model_free(have);
	g_free(t2);
	g_free(t1);
	t_rm_tree(root);
}
END_TEST

/*
 * A plan whose last operation fails (the new LUN dir of a plain tree has
 * no read_only file): every earlier change must be undone, leaving the
 * tree exactly as it was.
 */
START_TEST(rollback_restores_everything)
{
	char *root = make_running();
	char *t1 = edit(running_conf, "size = 64M", "size = 32M");
	char *t2 = edit(t1, "auto_rescan = 1", "auto_rescan = 0");
	char *t3 = edit(t2, "lun.0 = rd0", "lun.0 = null0\nlun.9 = rd0\n"
			"lun.9.read_only = 1");
	char *t4 = edit(t3, "sessions = ini1; ini0", "sessions = ini1");
	struct sa_model *want, *have;
	struct sa_plan *p;
	char *before, *after, *msg;

	/* the session to remove must be rmdir-able in a plain tree */
	t_rm_tree(g_build_filename(root, "targets/local/t0/sessions/ini0",
				   NULL));
	t_fake_session(root, "targets/local/t0", "ini0", FALSE);
	before = t_listing(root);
	want = parse_ok(t4);
	have = t_load(root);
	p = sa_plan_compute(want, have);
	ck_assert_uint_eq(p->ops->len, 8);
	t_stderr_begin();
	ck_assert(!sa_plan_execute(p, root, "t.conf", NULL));
	msg = t_stderr_end();
	ck_assert_str_eq(msg,
		"scstuadm: t.conf:16: write targets/local/t0/luns/9/read_only = 1: No such file or directory\n"
		"scstuadm: rolled back: the running configuration is unchanged\n");
	g_free(msg);
	after = t_listing(root);
	ck_assert_str_eq(after, before);
	g_free(after);
	g_free(before);
	sa_plan_free(p);
	sa_model_free(want);
	sa_model_free(have);
	g_free(t4);
	g_free(t3);
	g_free(t2);
	g_free(t1);
	t_rm_tree(root);
}
END_TEST

/* rmdir of a device is undone by mkdir + writing its attributes back. */
START_TEST(rollback_rmdir_restores_attributes)
{
	char *root = t_fake_root();
	struct sa_model *want, *have;
	struct sa_plan *p;
	struct sa_op *op;
	char *gone, *fresh, *msg;
	static const char *const restore[] = {
		"block_size", "512", "size", "1", "serial", "gone",
	};

	t_fake_device(root, "nullio", "gone", FALSE, "1", "512");
	have = t_load(root);
	want = parse_ok("[device fresh]\nbackend = nullio\nsize = 1K\n");
	p = sa_plan_compute(want, have);
	ck_assert_uint_eq(p->ops->len, 4);
	op = p->ops->pdata[0];
	ck_assert_int_eq(op->kind, SA_OP_RMDIR);
	ck_assert_str_eq(op->path, "devices/nullio/gone");
	ck_assert_ptr_nonnull(op->restore);
	ck_assert_uint_eq(op->restore->len, G_N_ELEMENTS(restore));
	for (guint i = 0; i < G_N_ELEMENTS(restore); i++)
		ck_assert_str_eq(op->restore->pdata[i], restore[i]);

	/*
	 * a plain dir with files cannot be removed: empty it first; then
	 * the write into the new (plain, empty) device dir fails
	 */
	gone = g_build_filename(root, "devices/nullio/gone", NULL);
	t_rm_tree(g_strdup(gone));
	ck_assert_int_eq(sa_cfs_mkdir(root, "devices/nullio/gone"), 0);
	t_stderr_begin();
	ck_assert(!sa_plan_execute(p, root, NULL, NULL));
	msg = t_stderr_end();
	/* the attribute files of a plain dir do not come back with mkdir */
	ck_assert_str_eq(msg,
		"scstuadm: write devices/nullio/fresh/size = 1024: No such file or directory\n"
		"scstuadm: rollback: write devices/nullio/gone/block_size = 512: No such file or directory\n"
		"scstuadm: rollback: write devices/nullio/gone/size = 1: No such file or directory\n"
		"scstuadm: rollback: write devices/nullio/gone/serial = gone: No such file or directory\n"
		"scstuadm: rollback incomplete: 3 undo operations failed; the running configuration is partly changed\n");
	g_free(msg);
	/* undone: the new dir is gone, the removed one is back */
	fresh = g_build_filename(root, "devices/nullio/fresh", NULL);
	ck_assert(!g_file_test(fresh, G_FILE_TEST_EXISTS));
	ck_assert(g_file_test(gone, G_FILE_TEST_IS_DIR));
	g_free(fresh);
	g_free(gone);
	sa_plan_free(p);
	sa_model_free(want);
	sa_model_free(have);
	t_rm_tree(root);
}
END_TEST

Suite *sa_plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("diff");
	TCase *tx = tcase_create("execute");

	tcase_add_test(tc, same_config_no_ops);
	tcase_add_test(tc, model_equal_running);
	tcase_add_test(tc, one_attribute);
	tcase_add_test(tc, unlisted_attribute_left_alone);
	tcase_add_test(tc, read_only_change);
	tcase_add_test(tc, block_size_recreates);
	tcase_add_test(tc, block_size_on_disabled_device);
	tcase_add_test(tc, clear_order);
	tcase_add_test(tc, create_from_empty);
	tcase_add_test(tc, relink_and_sessions);
	tcase_add_test(tc, initiator_moves_between_groups);
	tcase_add_test(tc, backend_and_driver_change);
	tcase_add_test(tc, device_disabled_by_file);
	suite_add_tcase(s, tc);
	tcase_add_test(tx, execute_converges);
	tcase_add_test(tx, rollback_restores_everything);
	tcase_add_test(tx, rollback_rmdir_restores_attributes);
	suite_add_tcase(s, tx);
	return s;
}
