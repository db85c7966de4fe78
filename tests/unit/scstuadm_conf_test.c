// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm unit tests: config parser and validator. Every error kind must
 * name the right line and say what is wrong.
 */
#include <string.h>

#include "conf.h"
#include "scstuadm_test.h"
#include "validate.h"

#define EXPECT(text, ...) do { \
		static const char *const exp_[] = { __VA_ARGS__, NULL }; \
		struct sa_diag *d_; \
		struct sa_model *m_ = t_parse(text, NULL, &d_); \
		t_expect_diag(d_, exp_); \
		sa_diag_free(d_); \
		sa_model_free(m_); \
	} while (0)

static const char good[] =
	"# comment\n"				/* 1 */
	"[device rd0]\n"			/* 2 */
	"backend = ramdisk\n"			/* 3 */
	"size = 64M            # trailing comment\n" /* 4 */
	"block_size = 512\n"			/* 5 */
	"serial = abc#1\n"			/* 6 */
	"\n"					/* 7 */
	"[device null0]\n"			/* 8 */
	"backend = nullio\n"			/* 9 */
	"size = 1T\n"				/* 10 */
	"\n"					/* 11 */
	"[target local0]\n"			/* 12 */
	"driver = local\n"			/* 13 */
	"lun.0 = rd0\n"				/* 14 */
	"lun.1.read_only = true\n"		/* 15 */
	"lun.1 = null0\n"			/* 16 */
	"sessions = iqn.2026-11.org.scstu:ini0;iqn.2026-11.org.scstu:ini1\n"
	"auto_rescan = no\n"			/* 18 */
	"\n"
	"  [group local0 g1]  \n"		/* 20 */
	"initiators = iqn.2026-11.org.scstu:ini1\n"
	"lun.0 = null0\n";			/* 22 */

START_TEST(parse_good)
{
	struct sa_diag *d;
	struct sa_model *m = t_parse(good, NULL, &d);
	struct sa_device *rd, *nl;
	struct sa_target *t;
	struct sa_group *g;
	struct sa_lun *l;
	struct sa_attr *a;

	t_expect_diag(d, (const char *const[]){ NULL });
	rd = g_hash_table_lookup(m->devices, "rd0");
	nl = g_hash_table_lookup(m->devices, "null0");
	ck_assert_ptr_nonnull(rd);
	ck_assert_ptr_nonnull(nl);
	ck_assert_str_eq(rd->backend, "ramdisk");
	ck_assert(rd->enabled);
	ck_assert_int_eq(rd->line, 2);
	a = g_hash_table_lookup(rd->attrs, "size");
	ck_assert_str_eq(a->value, "67108864");
	ck_assert_int_eq(a->line, 4);
	a = g_hash_table_lookup(rd->attrs, "serial");
	ck_assert_str_eq(a->value, "abc#1");
	a = g_hash_table_lookup(nl->attrs, "size");
	ck_assert_str_eq(a->value, "1099511627776");
	ck_assert_uint_eq(g_hash_table_size(rd->attrs), 3);

	t = g_hash_table_lookup(m->targets, "local0");
	ck_assert_str_eq(t->driver, "local");
	ck_assert_uint_eq(g_hash_table_size(t->luns), 2);
	l = g_hash_table_lookup(t->luns, GUINT_TO_POINTER(1));
	ck_assert_str_eq(l->device, "null0");
	ck_assert(l->read_only);
	ck_assert_int_eq(l->line, 16);
	ck_assert_int_eq(l->ro_line, 15);
	l = g_hash_table_lookup(t->luns, GUINT_TO_POINTER(0));
	ck_assert(!l->read_only);
	ck_assert_uint_eq(g_hash_table_size(t->sessions), 2);
	ck_assert(g_hash_table_contains(t->sessions,
					"iqn.2026-11.org.scstu:ini1"));
	a = g_hash_table_lookup(t->attrs, "auto_rescan");
	ck_assert_str_eq(a->value, "0");
	g = g_hash_table_lookup(t->groups, "g1");
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->line, 20);
	ck_assert(g_hash_table_contains(g->initiators,
					"iqn.2026-11.org.scstu:ini1"));
	ck_assert_uint_eq(g_hash_table_size(g->luns), 1);
	sa_diag_free(d);
	sa_model_free(m);
}
END_TEST

START_TEST(syntax_errors)
{
	EXPECT("[device a]\nbackend = nullio\nthis is not a key\n",
	       "3: expected '[section]', 'key = value' or a '#' comment");
	EXPECT("backend = nullio\n[device a]\nbackend = nullio\n",
	       "1: key 'backend' before the first [section]");
	EXPECT("[device a\nbackend = nullio\n",
	       "1: section header does not end with ']'");
	EXPECT("# x\n[]\n", "2: empty section name");
	EXPECT("[device a]\nbackend = nullio\n = 3\n",
	       "3: missing key before '='");
	EXPECT("[device a]\nbackend = nullio\nsize[fr] = 3\n",
	       "3: invalid key 'size[fr]' (contains '[' or ']')");
	EXPECT("[device a]\nbackend = nullio\nserial = \xff\n",
	       "3: line is not valid UTF-8");
	/* several at once, reported in line order */
	EXPECT("oops\n[device a]\nbackend = x\nbad line\n[x\n",
	       "1: expected '[section]'", "4: expected '[section]'",
	       "5: section header does not end with ']'");
}
END_TEST

START_TEST(duplicates)
{
	EXPECT("[device a]\nbackend = nullio\n\n[device a]\nbackend = nullio\n",
	       "4: duplicate section [device a] (first at line 1)");
	EXPECT("[device a]\nbackend = nullio\n[device  a]\nbackend = nullio\n",
	       "3: duplicate device 'a' (first at line 1)");
	EXPECT("[device a]\nbackend = nullio\nsize = 1M\nsize = 2M\n",
	       "4: duplicate key 'size' in [device a] (first at line 3)");
	EXPECT("[device a]\nbackend = nullio\n[target t]\ndriver = local\n"
	       "lun.0 = a\nlun.00 = a\n",
	       "6: duplicate LUN 0 (first at line 5)");
	EXPECT("[device a]\nbackend = nullio\n[target t]\ndriver = local\n"
	       "lun.1 = a\nlun.1.read_only = 1\nlun.01.read_only = 0\n",
	       "7: duplicate read_only for LUN 1 (first at line 6)");
	EXPECT("[target t]\ndriver = local\nsessions = a;b;a\n",
	       "3: session 'a' listed twice");
	EXPECT("[target t]\ndriver = local\n[group t g]\n[group  t g]\n",
	       "4: duplicate group 'g' of target 't' (first at line 3)");
}
END_TEST

START_TEST(sections)
{
	EXPECT("[devices a]\nbackend = nullio\n",
	       "1: unknown section kind 'devices' (expected device, target or group)");
	EXPECT("[device]\nbackend = nullio\n",
	       "1: section [device] must be [device NAME]");
	EXPECT("[target a b]\ndriver = local\n",
	       "1: section [target a b] must be [target NAME]");
	EXPECT("[target t]\ndriver = local\n[group t]\n",
	       "3: section [group t] must be [group TARGET NAME]");
	EXPECT("[device a]\nsize = 1M\n",
	       "1: device 'a' has no 'backend' key");
	EXPECT("[target t]\nlun.0 = x\n",
	       "1: target 't' has no 'driver' key",
	       "2: LUN 0: unknown device 'x'");
}
END_TEST

START_TEST(names)
{
	EXPECT("[device a/b]\nbackend = nullio\n",
	       "1: invalid device name 'a/b': name contains '/'");
	EXPECT("[device a]\nbackend = null/io\n",
	       "2: invalid backend name 'null/io': name contains '/'");
	EXPECT("[target ..]\ndriver = local\n",
	       "1: invalid target name '..'");
	EXPECT("[target t]\ndriver = local\nsessions = ok;bad/name\n",
	       "3: invalid initiator name 'bad/name': name contains '/'");
	EXPECT("[target t]\ndriver = local\n[group t g/1]\n",
	       "3: invalid group name 'g/1'");
	EXPECT("[target t]\ndriver = local\nlun.0 = x/y\n",
	       "3: invalid device name 'x/y'");
	EXPECT("[target t]\ndriver = local\n[group t g]\ninitiators = a/b\n",
	       "4: invalid initiator name 'a/b'");
}
END_TEST

START_TEST(values)
{
	EXPECT("[device a]\nbackend = nullio\nsize = 12Q\n",
	       "3: invalid size '12Q' for 'size'");
	EXPECT("[device a]\nbackend = nullio\nsize = \n",
	       "3: invalid size '' for 'size'");
	EXPECT("[device a]\nbackend = nullio\nblock_size = 4K\n",
	       "3: invalid number '4K' for 'block_size'");
	EXPECT("[device a]\nbackend = nullio\nenabled = maybe\n",
	       "3: invalid boolean 'maybe' for 'enabled'");
	EXPECT("[device a]\nbackend = nullio\n[target t]\ndriver = local\n"
	       "lun.0 = a\nlun.0.read_only = sure\n",
	       "6: invalid boolean 'sure' for 'lun.0.read_only'");
	EXPECT("[target t]\ndriver = local\nauto_rescan = 2\n",
	       "3: invalid boolean '2' for 'auto_rescan'");
	EXPECT("[device a]\nbackend = nullio\nserial = a\tb\n",
	       "3: value of 'serial' contains control characters");
}
END_TEST

START_TEST(keys)
{
	EXPECT("[device a]\nbackend = nullio\nenable = 1\n",
	       "3: unknown key 'enable' (did you mean 'enabled'?)");
	EXPECT("[device a]\nbackend = nullio\ntype = 0\nstats = x\n",
	       "3: 'type' is a read-only device attribute",
	       "4: 'stats' is a read-only device attribute");
	EXPECT("[device a]\nbackend = nullio\nblock-size = 512\n",
	       "3: invalid attribute name 'block-size'");
	EXPECT("[target t]\ndriver = local\n[group t g]\nsessions = a\n",
	       "4: unknown key 'sessions' in a group section");
	EXPECT("[target t]\ndriver = local\nluns = 1\n",
	       "3: unknown key 'luns' in a target section");
}
END_TEST

START_TEST(luns)
{
	EXPECT("[device a]\nbackend = nullio\n[target t]\ndriver = local\n"
	       "lun.16384 = a\n",
	       "5: LUN 16384 out of range (0..16383)");
	EXPECT("[device a]\nbackend = nullio\n[target t]\ndriver = local\n"
	       "lun.16383 = a\nlun.99999999999999999999 = a\n",
	       "6: invalid LUN number '99999999999999999999'");
	EXPECT("[target t]\ndriver = local\nlun.x = a\nlun.-1 = a\n",
	       "3: invalid LUN number 'x' in 'lun.x'",
	       "4: invalid LUN number '-1' in 'lun.-1'");
	EXPECT("[target t]\ndriver = local\nlun.1.ro = 1\nlun. = a\n",
	       "3: invalid key 'lun.1.ro' (expected lun.N or lun.N.read_only)",
	       "4: invalid key 'lun.' (expected lun.N or lun.N.read_only)");
	EXPECT("[device a]\nbackend = nullio\n[target t]\ndriver = local\n"
	       "lun.2.read_only = true\n",
	       "5: 'lun.2.read_only' but LUN 2 is not mapped in this section");
}
END_TEST

START_TEST(references)
{
	EXPECT("[target t]\ndriver = local\nlun.0 = nosuch\n",
	       "3: LUN 0: unknown device 'nosuch' (no [device nosuch] section)");
	EXPECT("[device a]\nbackend = nullio\nenabled = false\n"
	       "[target t]\ndriver = local\nlun.3 = a\n",
	       "6: LUN 3: device 'a' is disabled (enabled = false at line 3)");
	EXPECT("[target t]\ndriver = local\n[group u g]\n",
	       "3: group 'g': unknown target 'u' (no [target u] section)");
	EXPECT("[target t]\ndriver = local\n[group t g1]\ninitiators = x;y\n"
	       "[group t g2]\ninitiators = z;y\n",
	       "6: initiator 'y' is in two groups of target 't': 'g1' (line 4) and 'g2'");
	/* the same initiator in groups of different targets is fine */
	EXPECT("[target t]\ndriver = local\n[target u]\ndriver = local\n"
	       "[group t g]\ninitiators = x\n[group u g]\ninitiators = x\n",
	       NULL);
	/* a group before its target and a LUN before its device are fine */
	EXPECT("[group t g]\nlun.0 = d\n[target t]\ndriver = local\n"
	       "[device d]\nbackend = nullio\n", NULL);
	/* a group LUN to an unknown device */
	EXPECT("[target t]\ndriver = local\n[group t g]\nlun.5 = nope\n",
	       "4: LUN 5: unknown device 'nope'");
}
END_TEST

START_TEST(running_checks)
{
	char *root = t_fake_root();
	struct sa_model *run, *m;
	struct sa_diag *d;

	t_fake_device(root, "nullio", "n0", TRUE, "1024", "512");
	t_fake_target(root, "local", "t0");
	run = t_load(root);
	m = t_parse("[device a]\n"			/* 1 */
		    "backend = fileio\n"		/* 2 */
		    "[device b]\n"			/* 3 */
		    "backend = nullio\n"		/* 4 */
		    "colour = blue\n"			/* 5 */
		    "size = 1M\n"			/* 6 */
		    "[target t]\n"			/* 7 */
		    "driver = iscsi\n"			/* 8 */
		    "[target u]\n"			/* 9 */
		    "driver = local\n"			/* 10 */
		    "speed = 3\n",			/* 11 */
		    run, &d);
	t_expect_diag(d, (const char *const[]){
		"2: device 'a': unknown backend 'fileio' (available: nullio, ramdisk)",
		"5: device 'b': backend 'nullio' has no attribute 'colour'",
		"8: target 't': unknown driver 'iscsi' (available: local)",
		"11: target 'u': driver 'local' has no attribute 'speed'",
		NULL });
	sa_diag_free(d);
	sa_model_free(m);
	sa_model_free(run);
	t_rm_tree(root);
}
END_TEST

START_TEST(running_readonly_attr)
{
	char *root = t_fake_root();
	struct sa_model *run, *m;
	struct sa_diag *d;

	t_fake_device(root, "nullio", "n0", TRUE, "1024", "512");
	t_write(root, "devices/nullio/n0/naa_id", "0x6001405", 0444);
	run = t_load(root);
	m = t_parse("[device n0]\nbackend = nullio\nnaa_id = 1\n", run, &d);
	t_expect_diag(d, (const char *const[]){
		"3: device 'n0': attribute 'naa_id' is read-only", NULL });
	sa_diag_free(d);
	sa_model_free(m);
	sa_model_free(run);
	t_rm_tree(root);
}
END_TEST

/* per-section and cross-section errors are all reported in one run */
START_TEST(many_errors)
{
	EXPECT("[device rd0]\n"			/* 1 */
	       "backend = ramdisk\n"		/* 2 */
	       "size = 12Q\n"			/* 3 */
	       "[device bad/name]\n"		/* 4 */
	       "backend = nullio\n"		/* 5 */
	       "[target lt]\n"			/* 6 */
	       "driver = local\n"		/* 7 */
	       "lun.0 = rd0\n"			/* 8 */
	       "lun.16384 = rd0\n"		/* 9 */
	       "lun.00 = rd0\n"			/* 10 */
	       "lun.2 = ghost\n"			/* 11 */
	       "[group lt g1]\n"			/* 12 */
	       "initiators = i1\n"		/* 13 */
	       "[group lt g2]\n"			/* 14 */
	       "initiators = i1\n"		/* 15 */
	       "[group nowhere g]\n"		/* 16 */
	       "[frobnicate x]\n",		/* 17 */
	       "3: invalid size '12Q' for 'size'",
	       "4: invalid device name 'bad/name': name contains '/'",
	       "9: LUN 16384 out of range (0..16383)",
	       "10: duplicate LUN 0 (first at line 8)",
	       "11: LUN 2: unknown device 'ghost'",
	       "15: initiator 'i1' is in two groups of target 'lt'",
	       "16: group 'g': unknown target 'nowhere'",
	       "17: unknown section kind 'frobnicate'");
}
END_TEST

START_TEST(gkeyfile_agrees)
{
	/* CRLF line ends and indented keys are accepted like GKeyFile does */
	EXPECT("[device a]\r\n  backend = nullio\r\n  size=1K\r\n", NULL);
}
END_TEST

START_TEST(load_missing_file)
{
	struct sa_diag *d = sa_diag_new("/nonexistent/x.conf");
	struct sa_model *m = sa_conf_load("/nonexistent/x.conf", d);
	char *s;

	ck_assert_uint_eq(sa_diag_count(d), 1);
	s = sa_diag_format(d, 0);
	ck_assert(g_str_has_prefix(s, "0: cannot read:"));
	g_free(s);
	sa_diag_free(d);
	sa_model_free(m);
}
END_TEST

Suite *sa_conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, parse_good);
	tcase_add_test(tc, syntax_errors);
	tcase_add_test(tc, duplicates);
	tcase_add_test(tc, sections);
	tcase_add_test(tc, names);
	tcase_add_test(tc, values);
	tcase_add_test(tc, keys);
	tcase_add_test(tc, luns);
	tcase_add_test(tc, references);
	tcase_add_test(tc, running_checks);
	tcase_add_test(tc, running_readonly_attr);
	tcase_add_test(tc, many_errors);
	tcase_add_test(tc, gkeyfile_agrees);
	tcase_add_test(tc, load_missing_file);
	suite_add_tcase(s, tc);
	return s;
}
