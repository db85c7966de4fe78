// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm - the configuration model.
 */
#include <stdarg.h>
#include <string.h>

#include "model.h"
#include "util.h"

static void attr_free(gpointer p)
{
	struct sa_attr *a = p;

	g_free(a->name);
	g_free(a->value);
	g_free(a);
}

static void lun_free(gpointer p)
{
	struct sa_lun *l = p;

	g_free(l->device);
	g_free(l->device_backend);
	g_free(l->link_name);
	g_free(l->stats);
	g_free(l);
}

void sa_group_free(gpointer p)
{
	struct sa_group *g = p;

	if (!g)
		return;
	g_free(g->name);
	g_free(g->target);
	g_hash_table_unref(g->initiators);
	g_hash_table_unref(g->luns);
	g_free(g);
}

static void session_free(gpointer p)
{
	struct sa_session *s = p;

	g_free(s->initiator);
	g_hash_table_unref(s->attrs);
	g_free(s);
}

static void target_free(gpointer p)
{
	struct sa_target *t = p;

	g_free(t->name);
	g_free(t->driver);
	g_hash_table_unref(t->attrs);
	g_hash_table_unref(t->luns);
	g_hash_table_unref(t->groups);
	g_hash_table_unref(t->sessions);
	g_free(t);
}

static void device_free(gpointer p)
{
	struct sa_device *d = p;

	g_free(d->name);
	g_free(d->backend);
	g_hash_table_unref(d->attrs);
	g_free(d);
}

GHashTable *sa_attrs_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, NULL, attr_free);
}

GHashTable *sa_luns_new(void)
{
	return g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
				     lun_free);
}

struct sa_model *sa_model_new(void)
{
	struct sa_model *m = g_new0(struct sa_model, 1);

	/* own keys: a running device may be keyed "backend/name" */
	m->devices = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   device_free);
	m->targets = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					   target_free);
	return m;
}

void sa_model_free(struct sa_model *m)
{
	if (!m)
		return;
	g_hash_table_unref(m->devices);
	g_hash_table_unref(m->targets);
	if (m->backends)
		g_ptr_array_unref(m->backends);
	if (m->drivers)
		g_ptr_array_unref(m->drivers);
	g_free(m->version);
	g_free(m);
}

struct sa_device *sa_device_new(const char *name, const char *backend)
{
	struct sa_device *d = g_new0(struct sa_device, 1);

	d->name = g_strdup(name);
	d->backend = g_strdup(backend);
	d->enabled = TRUE;
	d->attrs = sa_attrs_new();
	return d;
}

struct sa_target *sa_target_new(const char *name, const char *driver)
{
	struct sa_target *t = g_new0(struct sa_target, 1);

	t->name = g_strdup(name);
	t->driver = g_strdup(driver);
	t->attrs = sa_attrs_new();
	t->luns = sa_luns_new();
	/* keys point into the values' own name strings */
	t->groups = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					  sa_group_free);
	t->sessions = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					    session_free);
	return t;
}

struct sa_group *sa_group_new(const char *target, const char *name)
{
	struct sa_group *g = g_new0(struct sa_group, 1);

	g->name = g_strdup(name);
	g->target = g_strdup(target);
	g->initiators = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      NULL);
	g->luns = sa_luns_new();
	return g;
}

struct sa_lun *sa_lun_new(guint num, const char *device)
{
	struct sa_lun *l = g_new0(struct sa_lun, 1);

	l->num = num;
	l->device = g_strdup(device);
	return l;
}

struct sa_session *sa_session_new(const char *initiator)
{
	struct sa_session *s = g_new0(struct sa_session, 1);

	s->initiator = g_strdup(initiator);
	s->attrs = sa_attrs_new();
	return s;
}

struct sa_attr *sa_attr_set(GHashTable *attrs, const char *name,
			    const char *value, gboolean writable, int line)
{
	struct sa_attr *a = g_new0(struct sa_attr, 1);

	a->name = g_strdup(name);
	a->value = g_strdup(value);
	a->writable = writable;
	a->line = line;
	g_hash_table_replace(attrs, a->name, a);
	return a;
}

GPtrArray *sa_sorted_keys(GHashTable *h)
{
	GPtrArray *a = g_ptr_array_new();
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_ptr_array_add(a, k);
	g_ptr_array_sort(a, sa_cmp_strptr);
	return a;
}

GPtrArray *sa_sorted_values(GHashTable *h)
{
	GPtrArray *keys = sa_sorted_keys(h);
	GPtrArray *a = g_ptr_array_sized_new(keys->len);

	for (guint i = 0; i < keys->len; i++)
		g_ptr_array_add(a, g_hash_table_lookup(h, keys->pdata[i]));
	g_ptr_array_unref(keys);
	return a;
}

static gint lun_cmp(gconstpointer a, gconstpointer b)
{
	const struct sa_lun *x = *(struct sa_lun * const *)a;
	const struct sa_lun *y = *(struct sa_lun * const *)b;

	return x->num < y->num ? -1 : x->num > y->num;
}

GPtrArray *sa_sorted_luns(GHashTable *luns)
{
	GPtrArray *a = g_ptr_array_new();
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, luns);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(a, v);
	g_ptr_array_sort(a, lun_cmp);
	return a;
}

static int apply_rank(const char *name)
{
	if (strcmp(name, "block_size") == 0)
		return 0;
	if (strcmp(name, "size") == 0)
		return 1;
	return 2;
}

static gint attr_cmp_apply(gconstpointer a, gconstpointer b)
{
	const struct sa_attr *x = *(struct sa_attr * const *)a;
	const struct sa_attr *y = *(struct sa_attr * const *)b;
	int rx = apply_rank(x->name), ry = apply_rank(y->name);

	if (rx != ry)
		return rx - ry;
	return strcmp(x->name, y->name);
}

static gint attr_cmp_name(gconstpointer a, gconstpointer b)
{
	const struct sa_attr *x = *(struct sa_attr * const *)a;
	const struct sa_attr *y = *(struct sa_attr * const *)b;

	return strcmp(x->name, y->name);
}

GPtrArray *sa_sorted_attrs(GHashTable *attrs, gboolean writable_only,
			   gboolean apply_order)
{
	GPtrArray *a = g_ptr_array_new();
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, attrs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct sa_attr *at = v;

		if (!writable_only || at->writable)
			g_ptr_array_add(a, at);
	}
	g_ptr_array_sort(a, apply_order ? attr_cmp_apply : attr_cmp_name);
	return a;
}

static const struct {
	const char *name;
	enum sa_attr_type type;
} known_attrs[] = {
	{ "size", SA_ATTR_SIZE },
	{ "block_size", SA_ATTR_UINT },
	{ "delay_ms", SA_ATTR_UINT },
	{ "write_cache", SA_ATTR_BOOL },
	{ "auto_rescan", SA_ATTR_BOOL },
	{ "read_only", SA_ATTR_BOOL },
};

enum sa_attr_type sa_attr_type(const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(known_attrs); i++)
		if (strcmp(known_attrs[i].name, name) == 0)
			return known_attrs[i].type;
	return SA_ATTR_STRING;
}

gboolean sa_attr_offline(const char *backend, const char *name)
{
	(void)backend;
	return strcmp(name, "block_size") == 0;
}

/* ---- equality ---- */

static gboolean differ(char **why, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean differ(char **why, const char *fmt, ...)
{
	va_list ap;

	if (why && !*why) {
		va_start(ap, fmt);
		*why = g_strdup_vprintf(fmt, ap);
		va_end(ap);
	}
	return FALSE;
}

static gboolean attrs_equal(GHashTable *a, GHashTable *b, const char *what,
			    char **why)
{
	GPtrArray *x = sa_sorted_attrs(a, TRUE, FALSE);
	GPtrArray *y = sa_sorted_attrs(b, TRUE, FALSE);
	gboolean ok = TRUE;

	if (x->len != y->len) {
		ok = differ(why, "%s: %u vs %u attributes", what, x->len,
			    y->len);
		goto out;
	}
	for (guint i = 0; i < x->len; i++) {
		struct sa_attr *p = x->pdata[i], *q = y->pdata[i];

		if (strcmp(p->name, q->name) || strcmp(p->value, q->value)) {
			ok = differ(why, "%s: %s=%s vs %s=%s", what, p->name,
				    p->value, q->name, q->value);
			goto out;
		}
	}
out:
	g_ptr_array_unref(x);
	g_ptr_array_unref(y);
	return ok;
}

static gboolean luns_equal(GHashTable *a, GHashTable *b, const char *what,
			   char **why)
{
	GPtrArray *x = sa_sorted_luns(a);
	GPtrArray *y = sa_sorted_luns(b);
	gboolean ok = TRUE;

	if (x->len != y->len) {
		ok = differ(why, "%s: %u vs %u LUNs", what, x->len, y->len);
		goto out;
	}
	for (guint i = 0; i < x->len; i++) {
		struct sa_lun *p = x->pdata[i], *q = y->pdata[i];

		if (p->num != q->num || g_strcmp0(p->device, q->device) ||
		    !p->read_only != !q->read_only) {
			ok = differ(why, "%s: LUN %u (%s%s) vs LUN %u (%s%s)",
				    what, p->num, p->device,
				    p->read_only ? ", ro" : "", q->num,
				    q->device, q->read_only ? ", ro" : "");
			goto out;
		}
	}
out:
	g_ptr_array_unref(x);
	g_ptr_array_unref(y);
	return ok;
}

static gboolean keysets_equal(GHashTable *a, GHashTable *b, const char *what,
			      char **why)
{
	GPtrArray *x = sa_sorted_keys(a);
	GPtrArray *y = sa_sorted_keys(b);
	gboolean ok = TRUE;

	if (x->len != y->len) {
		ok = differ(why, "%s: %u vs %u entries", what, x->len, y->len);
		goto out;
	}
	for (guint i = 0; i < x->len; i++) {
		if (strcmp(x->pdata[i], y->pdata[i])) {
			ok = differ(why, "%s: %s vs %s", what,
				    (char *)x->pdata[i], (char *)y->pdata[i]);
			goto out;
		}
	}
out:
	g_ptr_array_unref(x);
	g_ptr_array_unref(y);
	return ok;
}

static gboolean device_equal(const struct sa_device *a,
			     const struct sa_device *b, char **why)
{
	char *what = g_strdup_printf("device %s", a->name);
	gboolean ok = TRUE;

	if (strcmp(a->backend, b->backend))
		ok = differ(why, "%s: backend %s vs %s", what, a->backend,
			    b->backend);
	else if (!a->enabled != !b->enabled)
		ok = differ(why, "%s: enabled %d vs %d", what, a->enabled,
			    b->enabled);
	else
		ok = attrs_equal(a->attrs, b->attrs, what, why);
	g_free(what);
	return ok;
}

static gboolean group_equal(const struct sa_group *a, const struct sa_group *b,
			    char **why)
{
	char *what = g_strdup_printf("group %s %s", a->target, a->name);
	gboolean ok;

	ok = keysets_equal(a->initiators, b->initiators, what, why) &&
	     luns_equal(a->luns, b->luns, what, why);
	g_free(what);
	return ok;
}

static gboolean target_equal(const struct sa_target *a,
			     const struct sa_target *b, char **why)
{
	char *what = g_strdup_printf("target %s", a->name);
	gboolean ok = TRUE;
	GPtrArray *ga = NULL;

	if (strcmp(a->driver, b->driver)) {
		ok = differ(why, "%s: driver %s vs %s", what, a->driver,
			    b->driver);
		goto out;
	}
	if (!attrs_equal(a->attrs, b->attrs, what, why) ||
	    !luns_equal(a->luns, b->luns, what, why) ||
	    !keysets_equal(a->sessions, b->sessions, what, why) ||
	    !keysets_equal(a->groups, b->groups, what, why)) {
		ok = FALSE;
		goto out;
	}
	ga = sa_sorted_values(a->groups);
	for (guint i = 0; i < ga->len && ok; i++) {
		const struct sa_group *g = ga->pdata[i];

		ok = group_equal(g, g_hash_table_lookup(b->groups, g->name),
				 why);
	}
out:
	if (ga)
		g_ptr_array_unref(ga);
	g_free(what);
	return ok;
}

gboolean sa_model_equal(const struct sa_model *a, const struct sa_model *b,
			char **why)
{
	GPtrArray *v;
	gboolean ok;

	if (!keysets_equal(a->devices, b->devices, "devices", why) ||
	    !keysets_equal(a->targets, b->targets, "targets", why))
		return FALSE;
	ok = TRUE;
	v = sa_sorted_values(a->devices);
	for (guint i = 0; i < v->len && ok; i++) {
		const struct sa_device *d = v->pdata[i];

		ok = device_equal(d, g_hash_table_lookup(b->devices, d->name),
				  why);
	}
	g_ptr_array_unref(v);
	v = sa_sorted_values(a->targets);
	for (guint i = 0; i < v->len && ok; i++) {
		const struct sa_target *t = v->pdata[i];

		ok = target_equal(t, g_hash_table_lookup(b->targets, t->name),
				  why);
	}
	g_ptr_array_unref(v);
	return ok;
}
