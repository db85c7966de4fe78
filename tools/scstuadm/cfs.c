// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm - configfs access.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfs.h"
#include "util.h"

const char *sa_cfs_default_root(void)
{
	const char *env = g_getenv("SCSTU_CONFIGFS");

	return env && *env ? env : SA_CONFIGFS_DEFAULT;
}

static char *path_join(const char *a, const char *b)
{
	return g_build_filename(a, b, NULL);
}

static gboolean is_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

gboolean sa_cfs_present(const char *root)
{
	char *d = path_join(root, "devices");
	char *t = path_join(root, "targets");
	gboolean ok = is_dir(root) && is_dir(d) && is_dir(t);

	g_free(d);
	g_free(t);
	return ok;
}

static char *read_file(const char *path, int *errnum)
{
	GString *s = g_string_new(NULL);
	char buf[4096];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*errnum = errno;
		g_string_free(s, TRUE);
		return NULL;
	}
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		g_string_append_len(s, buf, n);
	}
	if (n < 0) {
		*errnum = errno;
		close(fd);
		g_string_free(s, TRUE);
		return NULL;
	}
	close(fd);
	g_strchomp(s->str);
	s->len = strlen(s->str);
	return g_string_free(s, FALSE);
}

char *sa_cfs_read(const char *root, const char *rel, int *errnum)
{
	char *p = path_join(root, rel);
	char *v = read_file(p, errnum);

	g_free(p);
	return v;
}

enum { ENT_DIR = 1, ENT_FILE = 2, ENT_LINK = 4 };

/* Sorted names of the entries of dir of the given kinds. */
static GPtrArray *list_dir(const char *dir, int kinds)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	if (!d)
		return a;
	while ((name = g_dir_read_name(d))) {
		char *p = path_join(dir, name);
		struct stat st;
		int kind = 0;

		if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				kind = ENT_DIR;
			else if (S_ISREG(st.st_mode))
				kind = ENT_FILE;
			else if (S_ISLNK(st.st_mode))
				kind = ENT_LINK;
		}
		if (kind & kinds)
			g_ptr_array_add(a, g_strdup(name));
		g_free(p);
	}
	g_dir_close(d);
	g_ptr_array_sort(a, sa_cmp_strptr);
	return a;
}

/*
 * Read the attribute files of dir into attrs, except the names in skip.
 * Write-only files are not read.
 */
static void read_attrs(const char *dir, GHashTable *attrs,
		       const char *const *skip)
{
	GPtrArray *files = list_dir(dir, ENT_FILE);

	for (guint i = 0; i < files->len; i++) {
		const char *name = files->pdata[i];
		char *p = path_join(dir, name);
		gboolean skipped = FALSE;
		struct stat st;
		char *v;
		int e;

		for (const char *const *s = skip; s && *s; s++)
			if (strcmp(*s, name) == 0)
				skipped = TRUE;
		if (!skipped && stat(p, &st) == 0 && (st.st_mode & 0444)) {
			v = read_file(p, &e);
			if (v)
				sa_attr_set(attrs, name, v,
					    (st.st_mode & 0222) != 0, 0);
			g_free(v);
		}
		g_free(p);
	}
	g_ptr_array_unref(files);
}

static struct sa_attr *steal_attr(GHashTable *attrs, const char *name)
{
	struct sa_attr *a = g_hash_table_lookup(attrs, name);

	if (a)
		g_hash_table_steal(attrs, name);
	return a;
}

static void attr_destroy(struct sa_attr *a)
{
	if (a) {
		g_free(a->name);
		g_free(a->value);
		g_free(a);
	}
}

static void load_devices(const char *root, struct sa_model *m)
{
	char *devdir = path_join(root, "devices");
	GPtrArray *backends = list_dir(devdir, ENT_DIR);

	m->backends = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < backends->len; i++) {
		const char *be = backends->pdata[i];
		char *bedir = path_join(devdir, be);
		GPtrArray *devs = list_dir(bedir, ENT_DIR);

		g_ptr_array_add(m->backends, g_strdup(be));
		for (guint j = 0; j < devs->len; j++) {
			const char *name = devs->pdata[j];
			char *dir = path_join(bedir, name);
			struct sa_device *d = sa_device_new(name, be);
			struct sa_attr *en;
			char *key;

			read_attrs(dir, d->attrs, NULL);
			en = steal_attr(d->attrs, "enable");
			d->enabled = en && strcmp(en->value, "0") != 0;
			attr_destroy(en);
			if (g_hash_table_contains(m->devices, name)) {
				/* cannot be named in a file: apply removes it */
				key = g_strdup_printf("%s/%s", be, name);
				sa_msg("warning: device name '%s' exists under two backends",
				       name);
			} else {
				key = g_strdup(name);
			}
			g_hash_table_insert(m->devices, key, d);
			g_free(dir);
		}
		g_ptr_array_unref(devs);
		g_free(bedir);
	}
	g_ptr_array_unref(backends);
	g_free(devdir);
}

/* The device a LUN dir's symlink points to: ".../devices/<be>/<dev>". */
static void read_lun_link(const char *dir, struct sa_lun *l)
{
	GPtrArray *links = list_dir(dir, ENT_LINK);

	if (links->len) {
		char *p = path_join(dir, links->pdata[0]);
		char *target = g_file_read_link(p, NULL);

		if (target) {
			char *t = g_strdup(target);
			char *base, *parent;

			/* strip trailing slashes */
			while (strlen(t) > 1 && t[strlen(t) - 1] == '/')
				t[strlen(t) - 1] = '\0';
			base = g_path_get_basename(t);
			parent = g_path_get_dirname(t);
			l->device = base;
			l->device_backend = g_path_get_basename(parent);
			l->link_name = g_strdup(links->pdata[0]);
			g_free(parent);
			g_free(t);
		}
		g_free(target);
		g_free(p);
	}
	g_ptr_array_unref(links);
}

static void load_luns(const char *dir, GHashTable *luns)
{
	GPtrArray *nums = list_dir(dir, ENT_DIR);

	for (guint i = 0; i < nums->len; i++) {
		const char *n = nums->pdata[i];
		char *ldir = path_join(dir, n);
		GHashTable *attrs = sa_attrs_new();
		struct sa_attr *a;
		struct sa_lun *l;
		guint64 v;

		if (!sa_parse_uint(n, &v) || v > SA_MAX_LUN) {
			sa_msg("warning: ignoring %s (not a LUN number)", ldir);
			goto next;
		}
		l = sa_lun_new((guint)v, NULL);
		read_lun_link(ldir, l);
		read_attrs(ldir, attrs, NULL);
		a = g_hash_table_lookup(attrs, "read_only");
		l->read_only = a && strcmp(a->value, "0") != 0;
		a = g_hash_table_lookup(attrs, "stats");
		l->stats = a ? g_strdup(a->value) : NULL;
		g_hash_table_insert(luns, GUINT_TO_POINTER(l->num), l);
next:
		g_hash_table_unref(attrs);
		g_free(ldir);
	}
	g_ptr_array_unref(nums);
}

static void load_groups(const char *dir, struct sa_target *t)
{
	GPtrArray *names = list_dir(dir, ENT_DIR);

	for (guint i = 0; i < names->len; i++) {
		char *gdir = path_join(dir, names->pdata[i]);
		char *idir = path_join(gdir, "initiators");
		char *ldir = path_join(gdir, "luns");
		struct sa_group *g = sa_group_new(t->name, names->pdata[i]);
		GPtrArray *inis = list_dir(idir, ENT_DIR);

		for (guint j = 0; j < inis->len; j++)
			g_hash_table_insert(g->initiators,
					    g_strdup(inis->pdata[j]),
					    GINT_TO_POINTER(0));
		load_luns(ldir, g->luns);
		g_hash_table_insert(t->groups, g->name, g);
		g_ptr_array_unref(inis);
		g_free(ldir);
		g_free(idir);
		g_free(gdir);
	}
	g_ptr_array_unref(names);
}

static void load_sessions(const char *dir, struct sa_target *t)
{
	GPtrArray *names = list_dir(dir, ENT_DIR);

	for (guint i = 0; i < names->len; i++) {
		char *sdir = path_join(dir, names->pdata[i]);
		struct sa_session *s = sa_session_new(names->pdata[i]);
		GHashTableIter it;
		gpointer v;

		read_attrs(sdir, s->attrs, NULL);
		/* a session is created, never configured: all info */
		g_hash_table_iter_init(&it, s->attrs);
		while (g_hash_table_iter_next(&it, NULL, &v))
			((struct sa_attr *)v)->writable = FALSE;
		g_hash_table_insert(t->sessions, s->initiator, s);
		g_free(sdir);
	}
	g_ptr_array_unref(names);
}

static void load_targets(const char *root, struct sa_model *m)
{
	char *tdir = path_join(root, "targets");
	GPtrArray *drivers = list_dir(tdir, ENT_DIR);

	m->drivers = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < drivers->len; i++) {
		const char *drv = drivers->pdata[i];
		char *ddir = path_join(tdir, drv);
		GPtrArray *tgts = list_dir(ddir, ENT_DIR);

		g_ptr_array_add(m->drivers, g_strdup(drv));
		for (guint j = 0; j < tgts->len; j++) {
			const char *name = tgts->pdata[j];
			char *dir = path_join(ddir, name);
			char *sub;
			struct sa_target *t;

			if (g_hash_table_contains(m->targets, name)) {
				sa_msg("warning: target name '%s' exists under two drivers; ignoring %s",
				       name, dir);
				g_free(dir);
				continue;
			}
			t = sa_target_new(name, drv);
			read_attrs(dir, t->attrs, NULL);
			sub = path_join(dir, "luns");
			load_luns(sub, t->luns);
			g_free(sub);
			sub = path_join(dir, "ini_groups");
			load_groups(sub, t);
			g_free(sub);
			sub = path_join(dir, "sessions");
			load_sessions(sub, t);
			g_free(sub);
			g_hash_table_insert(m->targets, t->name, t);
			g_free(dir);
		}
		g_ptr_array_unref(tgts);
		g_free(ddir);
	}
	g_ptr_array_unref(drivers);
	g_free(tdir);
}

struct sa_model *sa_cfs_load(const char *root, GError **err)
{
	struct sa_model *m;
	int e;

	if (!sa_cfs_present(root)) {
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
			    "%s: no scstu configfs tree (is scstu.ko loaded and configfs mounted?)",
			    root);
		return NULL;
	}
	m = sa_model_new();
	m->version = sa_cfs_read(root, "version", &e);
	load_devices(root, m);
	load_targets(root, m);
	return m;
}

int sa_cfs_mkdir(const char *root, const char *rel)
{
	char *p = path_join(root, rel);
	int r = mkdir(p, 0755) ? errno : 0;

	g_free(p);
	return r;
}

int sa_cfs_rmdir(const char *root, const char *rel)
{
	char *p = path_join(root, rel);
	int r = rmdir(p) ? errno : 0;

	g_free(p);
	return r;
}

int sa_cfs_write(const char *root, const char *rel, const char *value)
{
	char *p = path_join(root, rel);
	/* configfs calls ->store() only for a non-empty write */
	const char *v = *value ? value : "\n";
	size_t len = strlen(v);
	ssize_t n;
	int fd, r = 0;

	fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC);
	g_free(p);
	if (fd < 0)
		return errno;
	do {
		n = write(fd, v, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		r = errno;
	else if ((size_t)n != len)
		r = EIO;
	if (close(fd) && !r)
		r = errno;
	return r;
}

int sa_cfs_symlink(const char *root, const char *link, const char *target)
{
	char *l = path_join(root, link);
	char *t = path_join(root, target);
	int r = symlink(t, l) ? errno : 0;

	g_free(l);
	g_free(t);
	return r;
}

int sa_cfs_unlink(const char *root, const char *rel)
{
	char *p = path_join(root, rel);
	int r = unlink(p) ? errno : 0;

	g_free(p);
	return r;
}
