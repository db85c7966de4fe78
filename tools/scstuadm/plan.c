// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm - plan computation and execution with rollback.
 */
#include <errno.h>
#include <string.h>

#include "cfs.h"
#include "plan.h"
#include "util.h"

enum change {
	KEEP = 0,		/* exists in both: change in place */
	CREATE,
	REMOVE,
	RECREATE,		/* remove and create again */
};

struct planner {
	const struct sa_model *want;
	const struct sa_model *have;
	GPtrArray *ops;
	GHashTable *dev_state;	/* want/have device key -> enum change */
	GHashTable *tgt_state;	/* target name -> enum change */
};

static void op_free(gpointer p)
{
	struct sa_op *op = p;

	g_free(op->path);
	g_free(op->value);
	g_free(op->old);
	if (op->restore)
		g_ptr_array_unref(op->restore);
	g_free(op);
}

void sa_plan_free(struct sa_plan *p)
{
	if (!p)
		return;
	g_ptr_array_unref(p->ops);
	g_free(p);
}

static struct sa_op *add_op(struct planner *pl, enum sa_op_kind kind,
			    char *path, const char *value, const char *old,
			    int line)
{
	struct sa_op *op = g_new0(struct sa_op, 1);

	op->kind = kind;
	op->path = path;	/* takes ownership */
	op->value = g_strdup(value);
	op->old = g_strdup(old);
	op->line = line;
	g_ptr_array_add(pl->ops, op);
	return op;
}

/* rmdir whose undo re-creates the directory with these attributes. */
static void add_rmdir(struct planner *pl, char *path, GHashTable *attrs)
{
	struct sa_op *op = add_op(pl, SA_OP_RMDIR, path, NULL, NULL, 0);
	GPtrArray *v;

	if (!attrs)
		return;
	op->restore = g_ptr_array_new_with_free_func(g_free);
	v = sa_sorted_attrs(attrs, TRUE, TRUE);
	for (guint i = 0; i < v->len; i++) {
		const struct sa_attr *a = v->pdata[i];

		g_ptr_array_add(op->restore, g_strdup(a->name));
		g_ptr_array_add(op->restore, g_strdup(a->value));
	}
	g_ptr_array_unref(v);
}

static char *dev_path(const char *backend, const char *name)
{
	return g_strdup_printf("devices/%s/%s", backend, name);
}

static char *tgt_path(const struct sa_target *t)
{
	return g_strdup_printf("targets/%s/%s", t->driver, t->name);
}

static char *group_path(const struct sa_target *t, const char *group)
{
	return g_strdup_printf("targets/%s/%s/ini_groups/%s", t->driver,
			       t->name, group);
}

static enum change dev_state(struct planner *pl, const char *key)
{
	return GPOINTER_TO_INT(g_hash_table_lookup(pl->dev_state, key));
}

static enum change tgt_state(struct planner *pl, const char *name)
{
	return GPOINTER_TO_INT(g_hash_table_lookup(pl->tgt_state, name));
}

static gboolean offline_attr_changed(const struct sa_device *w,
				     const struct sa_device *h)
{
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, w->attrs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		const struct sa_attr *a = v;
		const struct sa_attr *o = g_hash_table_lookup(h->attrs,
							      a->name);

		if (sa_attr_offline(w->backend, a->name) &&
		    (!o || strcmp(o->value, a->value)))
			return TRUE;
	}
	return FALSE;
}

static void classify(struct planner *pl)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, pl->have->devices);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!g_hash_table_contains(pl->want->devices, k))
			g_hash_table_insert(pl->dev_state, k,
					    GINT_TO_POINTER(REMOVE));
	g_hash_table_iter_init(&it, pl->want->devices);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct sa_device *w = v;
		const struct sa_device *h;
		enum change c = KEEP;

		h = g_hash_table_lookup(pl->have->devices, k);
		if (!h)
			c = CREATE;
		else if (strcmp(h->backend, w->backend))
			c = RECREATE;
		else if (h->enabled && w->enabled &&
			 offline_attr_changed(w, h))
			c = RECREATE;
		g_hash_table_insert(pl->dev_state, k, GINT_TO_POINTER(c));
	}

	g_hash_table_iter_init(&it, pl->have->targets);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!g_hash_table_contains(pl->want->targets, k))
			g_hash_table_insert(pl->tgt_state, k,
					    GINT_TO_POINTER(REMOVE));
	g_hash_table_iter_init(&it, pl->want->targets);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct sa_target *w = v;
		const struct sa_target *h;
		enum change c = KEEP;

		h = g_hash_table_lookup(pl->have->targets, k);
		if (!h)
			c = CREATE;
		else if (strcmp(h->driver, w->driver))
			c = RECREATE;
		g_hash_table_insert(pl->tgt_state, k, GINT_TO_POINTER(c));
	}
}

/* The wanted counterpart of a running target, if it is kept. */
static const struct sa_target *kept_target(struct planner *pl,
					   const struct sa_target *h)
{
	if (tgt_state(pl, h->name) != KEEP)
		return NULL;
	return g_hash_table_lookup(pl->want->targets, h->name);
}

/* The running counterpart of a wanted target, if it is kept. */
static const struct sa_target *have_target(struct planner *pl,
					   const struct sa_target *w)
{
	if (tgt_state(pl, w->name) != KEEP)
		return NULL;
	return g_hash_table_lookup(pl->have->targets, w->name);
}

/* Can the running LUN keep its device link for the wanted one? */
static gboolean link_stays(struct planner *pl, const struct sa_lun *h,
			   const struct sa_lun *w)
{
	const struct sa_device *wd;

	if (!h->device || !w || strcmp(h->device, w->device))
		return FALSE;
	wd = g_hash_table_lookup(pl->want->devices, w->device);
	if (!wd || g_strcmp0(wd->backend, h->device_backend))
		return FALSE;
	return dev_state(pl, w->device) == KEEP;
}

static GHashTable *wanted_luns(const struct sa_target *wt, const char *group)
{
	const struct sa_group *g;

	if (!wt)
		return NULL;
	if (!group)
		return wt->luns;
	g = g_hash_table_lookup(wt->groups, group);
	return g ? g->luns : NULL;
}

/* Phase 2 and 3 for one LUN map: unlink, or rmdir LUN dirs. */
static void remove_luns(struct planner *pl, const char *base,
			GHashTable *have_luns, GHashTable *want_luns,
			gboolean dirs)
{
	GPtrArray *v = sa_sorted_luns(have_luns);

	for (guint i = 0; i < v->len; i++) {
		const struct sa_lun *h = v->pdata[i];
		const struct sa_lun *w = NULL;

		if (want_luns)
			w = g_hash_table_lookup(want_luns,
						GUINT_TO_POINTER(h->num));
		if (!dirs && h->device && !link_stays(pl, h, w)) {
			add_op(pl, SA_OP_UNLINK,
			       g_strdup_printf("%s/luns/%u/%s", base, h->num,
					       h->link_name),
			       NULL, NULL, 0)->old =
				dev_path(h->device_backend, h->device);
		}
		if (dirs && !w) {
			GHashTable *attrs = sa_attrs_new();

			sa_attr_set(attrs, "read_only",
				    h->read_only ? "1" : "0", TRUE, 0);
			add_rmdir(pl, g_strdup_printf("%s/luns/%u", base,
						      h->num), attrs);
			g_hash_table_unref(attrs);
		}
	}
	g_ptr_array_unref(v);
}

/* Phases 9/10: create or change the LUNs of one map. */
static void create_luns(struct planner *pl, const char *base,
			GHashTable *want_luns, GHashTable *have_luns)
{
	GPtrArray *v = sa_sorted_luns(want_luns);

	for (guint i = 0; i < v->len; i++) {
		const struct sa_lun *w = v->pdata[i];
		const struct sa_lun *h = NULL;
		const struct sa_device *wd;
		char *dir = g_strdup_printf("%s/luns/%u", base, w->num);

		if (have_luns)
			h = g_hash_table_lookup(have_luns,
						GUINT_TO_POINTER(w->num));
		if (!h) {
			add_op(pl, SA_OP_MKDIR, g_strdup(dir), NULL, NULL,
			       w->line);
			if (w->read_only)
				add_op(pl, SA_OP_WRITE,
				       g_strdup_printf("%s/read_only", dir),
				       "1", NULL,
				       w->ro_line ? w->ro_line : w->line);
		} else if (!h->read_only != !w->read_only) {
			add_op(pl, SA_OP_WRITE,
			       g_strdup_printf("%s/read_only", dir),
			       w->read_only ? "1" : "0",
			       h->read_only ? "1" : "0",
			       w->ro_line ? w->ro_line : w->line);
		}
		if (!h || !link_stays(pl, h, w)) {
			wd = g_hash_table_lookup(pl->want->devices, w->device);
			add_op(pl, SA_OP_SYMLINK,
			       g_strdup_printf("%s/%s", dir, SA_LUN_LINK),
			       NULL, NULL, w->line)->value =
				dev_path(wd->backend, wd->name);
		}
		g_free(dir);
	}
	g_ptr_array_unref(v);
}

static void phase_remove(struct planner *pl)
{
	GPtrArray *tv = sa_sorted_values(pl->have->targets);
	GPtrArray *dv = sa_sorted_keys(pl->have->devices);

	/* 1. sessions */
	for (guint i = 0; i < tv->len; i++) {
		const struct sa_target *h = tv->pdata[i];
		const struct sa_target *w = kept_target(pl, h);
		GPtrArray *s = sa_sorted_keys(h->sessions);
		char *base = tgt_path(h);

		for (guint j = 0; j < s->len; j++)
			if (!w || !g_hash_table_contains(w->sessions,
							 s->pdata[j]))
				add_rmdir(pl, g_strdup_printf("%s/sessions/%s",
							      base,
							      (char *)s->pdata[j]),
					  NULL);
		g_ptr_array_unref(s);
		g_free(base);
	}

	/* 2. LUN links, 3. LUN dirs: target level and in groups */
	for (int dirs = 0; dirs < 2; dirs++) {
		for (guint i = 0; i < tv->len; i++) {
			const struct sa_target *h = tv->pdata[i];
			const struct sa_target *w = kept_target(pl, h);
			GPtrArray *gv = sa_sorted_values(h->groups);
			char *base = tgt_path(h);

			remove_luns(pl, base, h->luns, wanted_luns(w, NULL),
				    dirs);
			for (guint j = 0; j < gv->len; j++) {
				const struct sa_group *g = gv->pdata[j];
				char *gp = group_path(h, g->name);

				remove_luns(pl, gp, g->luns,
					    wanted_luns(w, g->name), dirs);
				g_free(gp);
			}
			g_ptr_array_unref(gv);
			g_free(base);
		}
	}

	/* 4. initiators, then groups */
	for (guint i = 0; i < tv->len; i++) {
		const struct sa_target *h = tv->pdata[i];
		const struct sa_target *w = kept_target(pl, h);
		GPtrArray *gv = sa_sorted_values(h->groups);

		for (guint j = 0; j < gv->len; j++) {
			const struct sa_group *g = gv->pdata[j];
			const struct sa_group *wg = NULL;
			GPtrArray *inis = sa_sorted_keys(g->initiators);
			char *gp = group_path(h, g->name);

			if (w)
				wg = g_hash_table_lookup(w->groups, g->name);
			for (guint k = 0; k < inis->len; k++)
				if (!wg || !g_hash_table_contains(wg->initiators,
								  inis->pdata[k]))
					add_rmdir(pl,
						  g_strdup_printf("%s/initiators/%s",
								  gp,
								  (char *)inis->pdata[k]),
						  NULL);
			if (!wg)
				add_rmdir(pl, g_strdup(gp), NULL);
			g_free(gp);
			g_ptr_array_unref(inis);
		}
		g_ptr_array_unref(gv);
	}

	/* 5. targets */
	for (guint i = 0; i < tv->len; i++) {
		const struct sa_target *h = tv->pdata[i];

		if (!kept_target(pl, h))
			add_rmdir(pl, tgt_path(h), h->attrs);
	}

	/* 6. device disable, then device dirs */
	for (int dirs = 0; dirs < 2; dirs++) {
		for (guint i = 0; i < dv->len; i++) {
			const char *key = dv->pdata[i];
			const struct sa_device *h;
			const struct sa_device *w;
			enum change c = dev_state(pl, key);

			h = g_hash_table_lookup(pl->have->devices, key);
			w = g_hash_table_lookup(pl->want->devices, key);
			if (!dirs && h->enabled &&
			    (c != KEEP || !w->enabled)) {
				char *p = dev_path(h->backend, h->name);

				add_op(pl, SA_OP_WRITE,
				       g_strdup_printf("%s/enable", p), "0",
				       "1", 0);
				g_free(p);
			}
			if (dirs && c != KEEP)
				add_rmdir(pl, dev_path(h->backend, h->name),
					  h->attrs);
		}
	}
	g_ptr_array_unref(dv);
	g_ptr_array_unref(tv);
}

/* Write the wanted attributes that differ (all of them if !have). */
static void write_attrs(struct planner *pl, const char *base,
			GHashTable *want, GHashTable *have)
{
	GPtrArray *v = sa_sorted_attrs(want, TRUE, TRUE);

	for (guint i = 0; i < v->len; i++) {
		const struct sa_attr *a = v->pdata[i];
		const struct sa_attr *o = NULL;

		if (have) {
			o = g_hash_table_lookup(have, a->name);
			if (o && strcmp(o->value, a->value) == 0)
				continue;
		}
		/* no old value: the dir is new (or the write fails) */
		add_op(pl, SA_OP_WRITE,
		       g_strdup_printf("%s/%s", base, a->name), a->value,
		       o ? o->value : NULL, a->line);
	}
	g_ptr_array_unref(v);
}

static void phase_create(struct planner *pl)
{
	GPtrArray *dv = sa_sorted_values(pl->want->devices);
	GPtrArray *tv = sa_sorted_values(pl->want->targets);

	/* 7. devices */
	for (guint i = 0; i < dv->len; i++) {
		const struct sa_device *w = dv->pdata[i];
		const struct sa_device *h;
		enum change c = dev_state(pl, w->name);
		char *base = dev_path(w->backend, w->name);
		int eline = w->enabled_line ? w->enabled_line : w->line;

		h = g_hash_table_lookup(pl->have->devices, w->name);
		if (c != KEEP) {
			add_op(pl, SA_OP_MKDIR, g_strdup(base), NULL, NULL,
			       w->line);
			write_attrs(pl, base, w->attrs, NULL);
			if (w->enabled)
				add_op(pl, SA_OP_WRITE,
				       g_strdup_printf("%s/enable", base), "1",
				       "0", eline)->fresh = TRUE;
		} else {
			write_attrs(pl, base, w->attrs, h->attrs);
			if (w->enabled && !h->enabled)
				add_op(pl, SA_OP_WRITE,
				       g_strdup_printf("%s/enable", base), "1",
				       "0", eline);
		}
		g_free(base);
	}

	/* 8. targets */
	for (guint i = 0; i < tv->len; i++) {
		const struct sa_target *w = tv->pdata[i];
		const struct sa_target *h = have_target(pl, w);
		char *base = tgt_path(w);

		if (!h)
			add_op(pl, SA_OP_MKDIR, g_strdup(base), NULL, NULL,
			       w->line);
		write_attrs(pl, base, w->attrs, h ? h->attrs : NULL);
		g_free(base);
	}

	/* 9. target LUNs */
	for (guint i = 0; i < tv->len; i++) {
		const struct sa_target *w = tv->pdata[i];
		const struct sa_target *h = have_target(pl, w);
		char *base = tgt_path(w);

		create_luns(pl, base, w->luns, h ? h->luns : NULL);
		g_free(base);
	}

	/* 10. groups: dir, LUNs, then initiators (they see the LUNs at once) */
	for (guint i = 0; i < tv->len; i++) {
		const struct sa_target *w = tv->pdata[i];
		const struct sa_target *h = have_target(pl, w);
		GPtrArray *gv = sa_sorted_values(w->groups);

		for (guint j = 0; j < gv->len; j++) {
			const struct sa_group *g = gv->pdata[j];
			const struct sa_group *hg = NULL;
			GPtrArray *inis = sa_sorted_keys(g->initiators);
			char *gp = group_path(w, g->name);

			if (h)
				hg = g_hash_table_lookup(h->groups, g->name);
			if (!hg)
				add_op(pl, SA_OP_MKDIR, g_strdup(gp), NULL,
				       NULL, g->line);
			create_luns(pl, gp, g->luns, hg ? hg->luns : NULL);
			for (guint k = 0; k < inis->len; k++)
				if (!hg || !g_hash_table_contains(hg->initiators,
								  inis->pdata[k]))
					add_op(pl, SA_OP_MKDIR,
					       g_strdup_printf("%s/initiators/%s",
							       gp,
							       (char *)inis->pdata[k]),
					       NULL, NULL, g->initiators_line);
			g_free(gp);
			g_ptr_array_unref(inis);
		}
		g_ptr_array_unref(gv);
	}

	/* 11. sessions, last: they come up with their final LUN set */
	for (guint i = 0; i < tv->len; i++) {
		const struct sa_target *w = tv->pdata[i];
		const struct sa_target *h = have_target(pl, w);
		GPtrArray *s = sa_sorted_keys(w->sessions);
		char *base = tgt_path(w);

		for (guint j = 0; j < s->len; j++)
			if (!h || !g_hash_table_contains(h->sessions,
							 s->pdata[j]))
				add_op(pl, SA_OP_MKDIR,
				       g_strdup_printf("%s/sessions/%s", base,
						       (char *)s->pdata[j]),
				       NULL, NULL, w->sessions_line);
		g_free(base);
		g_ptr_array_unref(s);
	}
	g_ptr_array_unref(tv);
	g_ptr_array_unref(dv);
}

struct sa_plan *sa_plan_compute(const struct sa_model *want,
				const struct sa_model *have)
{
	struct planner pl = { .want = want, .have = have };
	struct sa_plan *p = g_new0(struct sa_plan, 1);

	pl.ops = g_ptr_array_new_with_free_func(op_free);
	pl.dev_state = g_hash_table_new(g_str_hash, g_str_equal);
	pl.tgt_state = g_hash_table_new(g_str_hash, g_str_equal);
	classify(&pl);
	phase_remove(&pl);
	phase_create(&pl);
	g_hash_table_unref(pl.dev_state);
	g_hash_table_unref(pl.tgt_state);
	p->ops = pl.ops;
	return p;
}

char *sa_op_describe(const struct sa_op *op)
{
	switch (op->kind) {
	case SA_OP_MKDIR:
		return g_strdup_printf("mkdir %s", op->path);
	case SA_OP_RMDIR:
		return g_strdup_printf("rmdir %s", op->path);
	case SA_OP_WRITE:
		if (op->old && !op->fresh)
			return g_strdup_printf("write %s = %s (was %s)",
					       op->path, op->value, op->old);
		return g_strdup_printf("write %s = %s", op->path, op->value);
	case SA_OP_SYMLINK:
		return g_strdup_printf("symlink %s -> %s", op->path,
				       op->value);
	case SA_OP_UNLINK:
		return g_strdup_printf("unlink %s (-> %s)", op->path,
				       op->old);
	}
	return g_strdup("?");
}

void sa_plan_print(const struct sa_plan *p, FILE *f)
{
	for (guint i = 0; i < p->ops->len; i++) {
		char *d = sa_op_describe(p->ops->pdata[i]);

		fprintf(f, "%s\n", d);
		g_free(d);
	}
}

static int op_do(const char *root, const struct sa_op *op)
{
	switch (op->kind) {
	case SA_OP_MKDIR:
		return sa_cfs_mkdir(root, op->path);
	case SA_OP_RMDIR:
		return sa_cfs_rmdir(root, op->path);
	case SA_OP_WRITE:
		return sa_cfs_write(root, op->path, op->value);
	case SA_OP_SYMLINK:
		return sa_cfs_symlink(root, op->path, op->value);
	case SA_OP_UNLINK:
		return sa_cfs_unlink(root, op->path);
	}
	return EINVAL;
}

/* Undo one done operation; returns the number of failures (reported). */
static unsigned int op_undo(const char *root, const struct sa_op *op)
{
	unsigned int failed = 0;
	const char *what = NULL;
	char *path = NULL;
	int r = 0;

	switch (op->kind) {
	case SA_OP_MKDIR:
		what = "rmdir";
		r = sa_cfs_rmdir(root, op->path);
		break;
	case SA_OP_RMDIR:
		what = "mkdir";
		r = sa_cfs_mkdir(root, op->path);
		if (r || !op->restore)
			break;
		for (guint i = 0; i + 1 < op->restore->len; i += 2) {
			int e;

			path = g_strdup_printf("%s/%s", op->path,
					       (char *)op->restore->pdata[i]);
			e = sa_cfs_write(root, path, op->restore->pdata[i + 1]);
			if (e) {
				sa_msg("rollback: write %s = %s: %s", path,
				       (char *)op->restore->pdata[i + 1],
				       g_strerror(e));
				failed++;
			}
			g_free(path);
			path = NULL;
		}
		break;
	case SA_OP_WRITE:
		if (!op->old)
			return 0;
		what = "write";
		r = sa_cfs_write(root, op->path, op->old);
		break;
	case SA_OP_SYMLINK:
		what = "unlink";
		r = sa_cfs_unlink(root, op->path);
		break;
	case SA_OP_UNLINK:
		what = "symlink";
		r = sa_cfs_symlink(root, op->path, op->old);
		break;
	}
	if (r) {
		sa_msg("rollback: %s %s: %s", what, op->path, g_strerror(r));
		failed++;
	}
	return failed;
}

gboolean sa_plan_execute(const struct sa_plan *p, const char *root,
			 const char *file, FILE *log)
{
	unsigned int failed = 0;
	guint i;
	int r = 0;

	for (i = 0; i < p->ops->len; i++) {
		const struct sa_op *op = p->ops->pdata[i];

		if (log) {
			char *d = sa_op_describe(op);

			fprintf(log, "%s\n", d);
			g_free(d);
		}
		r = op_do(root, op);
		if (r)
			break;
	}
	if (!r)
		return TRUE;

	{
		const struct sa_op *op = p->ops->pdata[i];
		char *d = sa_op_describe(op);

		if (file && op->line)
			sa_msg("%s:%d: %s: %s", file, op->line, d,
			       g_strerror(r));
		else if (file)
			sa_msg("%s: %s: %s", file, d, g_strerror(r));
		else
			sa_msg("%s: %s", d, g_strerror(r));
		g_free(d);
	}
	while (i-- > 0)
		failed += op_undo(root, p->ops->pdata[i]);
	if (failed)
		sa_msg("rollback incomplete: %u undo operations failed; the running configuration is partly changed",
		       failed);
	else
		sa_msg("rolled back: the running configuration is unchanged");
	return FALSE;
}
