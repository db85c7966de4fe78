// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm unit tests: helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfs.h"
#include "conf.h"
#include "scstuadm_test.h"
#include "validate.h"

struct sa_model *t_parse(const char *text, const struct sa_model *running,
			 struct sa_diag **diag)
{
	struct sa_model *m;

	*diag = sa_diag_new("test.conf");
	m = sa_conf_parse(text, strlen(text), *diag);
	if (m)
		sa_validate(m, running, *diag);
	return m;
}

void t_expect_diag(struct sa_diag *d, const char *const *expected)
{
	unsigned int n = 0;

	for (; expected[n]; n++) {
		char *got = sa_diag_format(d, n);

		ck_assert_msg(got, "missing diagnostic %u: %s", n,
			      expected[n]);
		ck_assert_msg(g_str_has_prefix(got, expected[n]),
			      "diagnostic %u: got '%s', expected '%s...'", n,
			      got, expected[n]);
		g_free(got);
	}
	if (sa_diag_count(d) != n) {
		char *extra = sa_diag_format(d, n);

		ck_abort_msg("%u diagnostics, expected %u; first extra: %s",
			     sa_diag_count(d), n, extra);
		g_free(extra);
	}
}

static void mkdir_p(const char *root, const char *rel)
{
	char *p = g_build_filename(root, rel, NULL);

	ck_assert_int_eq(g_mkdir_with_parents(p, 0755), 0);
	g_free(p);
}

void t_write(const char *root, const char *rel, const char *value, int mode)
{
	char *p = g_build_filename(root, rel, NULL);
	FILE *f = fopen(p, "w");

	ck_assert_msg(f != NULL, "%s: %s", p, strerror(errno));
	fprintf(f, "%s\n", value);
	fclose(f);
	ck_assert_int_eq(chmod(p, mode), 0);
	g_free(p);
}

char *t_fake_root(void)
{
	char *root = g_strdup("/tmp/scstuadm-unit-XXXXXX");

	ck_assert_ptr_nonnull(mkdtemp(root));
	mkdir_p(root, "devices/nullio");
	mkdir_p(root, "devices/ramdisk");
	mkdir_p(root, "targets/local");
	t_write(root, "version", "1", 0444);
	return root;
}

void t_fake_device(const char *root, const char *backend, const char *name,
		   gboolean enabled, const char *size, const char *bs)
{
	char *d = g_strdup_printf("devices/%s/%s", backend, name);
	char *p;

	mkdir_p(root, d);
#define F(attr, val, mode) do { \
		p = g_strdup_printf("%s/%s", d, attr); \
		t_write(root, p, val, mode); \
		g_free(p); \
	} while (0)
	F("enable", enabled ? "1" : "0", 0644);
	F("size", size, 0644);
	F("block_size", bs, 0644);
	F("serial", name, 0644);
	F("type", "0", 0444);
	F("stats", "commands 7\nread_bytes 4096\nerrors 0", 0444);
	F("reset", "", 0200);	/* write-only: never read or dumped */
#undef F
	g_free(d);
}

void t_fake_target(const char *root, const char *driver, const char *name)
{
	char *d = g_strdup_printf("targets/%s/%s", driver, name);
	char *p;

	mkdir_p(root, d);
	p = g_strdup_printf("%s/luns", d);
	mkdir_p(root, p);
	g_free(p);
	p = g_strdup_printf("%s/ini_groups", d);
	mkdir_p(root, p);
	g_free(p);
	p = g_strdup_printf("%s/sessions", d);
	mkdir_p(root, p);
	g_free(p);
	p = g_strdup_printf("%s/auto_rescan", d);
	t_write(root, p, "1", 0644);
	g_free(p);
	g_free(d);
}

void t_fake_lun(const char *root, const char *base, unsigned int num,
		const char *backend, const char *dev, gboolean ro)
{
	char *d = g_strdup_printf("%s/luns/%u", base, num);
	char *p = g_strdup_printf("%s/read_only", d);
	char *l, *t;

	mkdir_p(root, d);
	t_write(root, p, ro ? "1" : "0", 0644);
	g_free(p);
	p = g_strdup_printf("%s/stats", d);
	t_write(root, p, "commands 1", 0444);
	g_free(p);
	if (dev) {
		l = g_strdup_printf("%s/%s/device", root, d);
		t = g_strdup_printf("%s/devices/%s/%s", root, backend, dev);
		ck_assert_int_eq(symlink(t, l), 0);
		g_free(l);
		g_free(t);
	}
	g_free(d);
}

void t_fake_group(const char *root, const char *tgt_base, const char *name,
		  const char *const *initiators)
{
	char *g = g_strdup_printf("%s/ini_groups/%s", tgt_base, name);
	char *p = g_strdup_printf("%s/luns", g);

	mkdir_p(root, p);
	g_free(p);
	p = g_strdup_printf("%s/initiators", g);
	mkdir_p(root, p);
	g_free(p);
	for (; initiators && *initiators; initiators++) {
		p = g_strdup_printf("%s/initiators/%s", g, *initiators);
		mkdir_p(root, p);
		g_free(p);
	}
	g_free(g);
}

void t_fake_session(const char *root, const char *tgt_base, const char *ini,
		    gboolean with_files)
{
	char *s = g_strdup_printf("%s/sessions/%s", tgt_base, ini);
	char *p;

	mkdir_p(root, s);
	if (with_files) {
		p = g_strdup_printf("%s/luns", s);
		t_write(root, p, "0\n1", 0444);
		g_free(p);
		p = g_strdup_printf("%s/host", s);
		t_write(root, p, "3", 0444);
		g_free(p);
		p = g_strdup_printf("%s/stats", s);
		t_write(root, p, "commands 9", 0444);
		g_free(p);
	}
	g_free(s);
}

static GString *listing;
static size_t listing_root_len;

static int list_cb(const char *path, const struct stat *st, int flag,
		   struct FTW *ftw)
{
	const char *rel = path + listing_root_len;
	char buf[4096];
	gchar *text;
	ssize_t n;

	(void)ftw;
	g_string_append_printf(listing, "%s %o", *rel ? rel : "/",
			       st->st_mode & 07777);
	if (flag == FTW_SL) {
		n = readlink(path, buf, sizeof(buf) - 1);
		buf[n < 0 ? 0 : n] = '\0';
		g_string_append_printf(listing, " -> %s", buf);
	} else if (S_ISREG(st->st_mode) &&
		   g_file_get_contents(path, &text, NULL, NULL)) {
		g_string_append_printf(listing, " = %s", g_strchomp(text));
		g_free(text);
	}
	g_string_append_c(listing, '\n');
	return 0;
}

static gint cmp_lines(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

char *t_listing(const char *root)
{
	gchar **lines;
	GPtrArray *v = g_ptr_array_new();
	GString *out = g_string_new(NULL);

	listing = g_string_new(NULL);
	listing_root_len = strlen(root);
	ck_assert_int_eq(nftw(root, list_cb, 16, FTW_PHYS), 0);
	/* one entry per line: file contents may contain newlines */
	g_string_replace(listing, "\n", "|", 0);
	lines = g_strsplit(listing->str, "|/", -1);
	for (gchar **l = lines; *l; l++)
		g_ptr_array_add(v, *l);
	g_ptr_array_sort(v, cmp_lines);
	for (guint i = 0; i < v->len; i++)
		g_string_append_printf(out, "%s\n", (char *)v->pdata[i]);
	g_ptr_array_unref(v);
	g_strfreev(lines);
	g_string_free(listing, TRUE);
	listing = NULL;
	return g_string_free(out, FALSE);
}

static int rm_cb(const char *path, const struct stat *st, int flag,
		 struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

void t_rm_tree(char *root)
{
	if (!root)
		return;
	ck_assert_int_eq(nftw(root, rm_cb, 16, FTW_PHYS | FTW_DEPTH), 0);
	g_free(root);
}

struct sa_model *t_load(const char *root)
{
	GError *err = NULL;
	struct sa_model *m = sa_cfs_load(root, &err);

	ck_assert_msg(m != NULL, "load %s: %s", root,
		      err ? err->message : "?");
	return m;
}

static int saved_stderr = -1;
static char *capture_path;

void t_stderr_begin(void)
{
	int fd;

	capture_path = g_strdup("/tmp/scstuadm-unit-stderr-XXXXXX");
	fd = mkstemp(capture_path);
	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	ck_assert_int_ge(saved_stderr, 0);
	ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
	close(fd);
}

char *t_stderr_end(void)
{
	char *text = NULL;

	fflush(stderr);
	ck_assert_int_ge(dup2(saved_stderr, STDERR_FILENO), 0);
	close(saved_stderr);
	saved_stderr = -1;
	ck_assert(g_file_get_contents(capture_path, &text, NULL, NULL));
	unlink(capture_path);
	g_free(capture_path);
	capture_path = NULL;
	return text;
}
