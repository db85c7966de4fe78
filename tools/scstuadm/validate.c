// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm - cross-section validation.
 */
#include <string.h>

#include "validate.h"

static void check_luns(const struct sa_model *want, GHashTable *luns,
		       struct sa_diag *diag)
{
	GPtrArray *v = sa_sorted_luns(luns);

	for (guint i = 0; i < v->len; i++) {
		const struct sa_lun *l = v->pdata[i];
		const struct sa_device *d;

		d = g_hash_table_lookup(want->devices, l->device);
		if (!d)
			sa_diag_add(diag, l->line,
				    "LUN %u: unknown device '%s' (no [device %s] section)",
				    l->num, l->device, l->device);
		else if (!d->enabled)
			sa_diag_add(diag, l->line,
				    "LUN %u: device '%s' is disabled (enabled = false at line %d)",
				    l->num, l->device, d->enabled_line);
	}
	g_ptr_array_unref(v);
}

static void check_target(const struct sa_model *want,
			 const struct sa_target *t, struct sa_diag *diag)
{
	/* initiator -> group that has it */
	GHashTable *owner = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *groups = sa_sorted_values(t->groups);

	check_luns(want, t->luns, diag);
	for (guint i = 0; i < groups->len; i++) {
		const struct sa_group *g = groups->pdata[i];
		GPtrArray *inis = sa_sorted_keys(g->initiators);

		check_luns(want, g->luns, diag);
		for (guint j = 0; j < inis->len; j++) {
			const char *ini = inis->pdata[j];
			const struct sa_group *o;

			o = g_hash_table_lookup(owner, ini);
			if (o)
				sa_diag_add(diag, g->initiators_line,
					    "initiator '%s' is in two groups of target '%s': '%s' (line %d) and '%s'",
					    ini, t->name, o->name, o->initiators_line,
					    g->name);
			else
				g_hash_table_insert(owner, (gpointer)ini,
						    (gpointer)g);
		}
		g_ptr_array_unref(inis);
	}
	g_ptr_array_unref(groups);
	g_hash_table_unref(owner);
}

static gboolean in_list(GPtrArray *list, const char *name)
{
	for (guint i = 0; list && i < list->len; i++)
		if (strcmp(list->pdata[i], name) == 0)
			return TRUE;
	return FALSE;
}

static char *join(GPtrArray *list)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < list->len; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "",
				       (char *)list->pdata[i]);
	if (!list->len)
		g_string_append(s, "none loaded");
	return g_string_free(s, FALSE);
}

/*
 * Compare the attribute keys of a wanted object with those an existing
 * object of the same kind shows in configfs (the same object if it
 * exists, else any other with the same backend/driver).
 */
static void check_attrs(GHashTable *want_attrs, GHashTable *have_attrs,
			const char *what, const char *kind, const char *kname,
			struct sa_diag *diag)
{
	GPtrArray *v = sa_sorted_attrs(want_attrs, FALSE, FALSE);

	for (guint i = 0; i < v->len; i++) {
		const struct sa_attr *a = v->pdata[i];
		const struct sa_attr *h = g_hash_table_lookup(have_attrs,
							      a->name);

		if (!h)
			sa_diag_add(diag, a->line,
				    "%s: %s '%s' has no attribute '%s'", what,
				    kind, kname, a->name);
		else if (!h->writable)
			sa_diag_add(diag, a->line,
				    "%s: attribute '%s' is read-only", what,
				    a->name);
	}
	g_ptr_array_unref(v);
}

static const struct sa_device *sample_device(const struct sa_model *running,
					     const char *name,
					     const char *backend)
{
	const struct sa_device *d = g_hash_table_lookup(running->devices,
							name);
	GPtrArray *v;

	if (d && strcmp(d->backend, backend) == 0)
		return d;
	d = NULL;
	v = sa_sorted_values(running->devices);
	for (guint i = 0; i < v->len && !d; i++) {
		const struct sa_device *x = v->pdata[i];

		if (strcmp(x->backend, backend) == 0)
			d = x;
	}
	g_ptr_array_unref(v);
	return d;
}

static const struct sa_target *sample_target(const struct sa_model *running,
					     const char *name,
					     const char *driver)
{
	const struct sa_target *t = g_hash_table_lookup(running->targets,
							name);
	GPtrArray *v;

	if (t && strcmp(t->driver, driver) == 0)
		return t;
	t = NULL;
	v = sa_sorted_values(running->targets);
	for (guint i = 0; i < v->len && !t; i++) {
		const struct sa_target *x = v->pdata[i];

		if (strcmp(x->driver, driver) == 0)
			t = x;
	}
	g_ptr_array_unref(v);
	return t;
}

static void check_running(const struct sa_model *want,
			  const struct sa_model *running,
			  struct sa_diag *diag)
{
	GPtrArray *v = sa_sorted_values(want->devices);

	for (guint i = 0; i < v->len; i++) {
		const struct sa_device *d = v->pdata[i];
		const struct sa_device *s;
		char *what;

		if (!*d->backend)
			continue;
		if (!in_list(running->backends, d->backend)) {
			char *l = join(running->backends);

			sa_diag_add(diag, d->backend_line,
				    "device '%s': unknown backend '%s' (available: %s)",
				    d->name, d->backend, l);
			g_free(l);
			continue;
		}
		s = sample_device(running, d->name, d->backend);
		if (!s)
			continue;
		what = g_strdup_printf("device '%s'", d->name);
		check_attrs(d->attrs, s->attrs, what, "backend", d->backend,
			    diag);
		g_free(what);
	}
	g_ptr_array_unref(v);

	v = sa_sorted_values(want->targets);
	for (guint i = 0; i < v->len; i++) {
		const struct sa_target *t = v->pdata[i];
		const struct sa_target *s;
		char *what;

		if (!*t->driver)
			continue;
		if (!in_list(running->drivers, t->driver)) {
			char *l = join(running->drivers);

			sa_diag_add(diag, t->driver_line,
				    "target '%s': unknown driver '%s' (available: %s)",
				    t->name, t->driver, l);
			g_free(l);
			continue;
		}
		s = sample_target(running, t->name, t->driver);
		if (!s)
			continue;
		what = g_strdup_printf("target '%s'", t->name);
		check_attrs(t->attrs, s->attrs, what, "driver", t->driver,
			    diag);
		g_free(what);
	}
	g_ptr_array_unref(v);
}

gboolean sa_validate(const struct sa_model *want,
		     const struct sa_model *running, struct sa_diag *diag)
{
	unsigned int before = sa_diag_count(diag);
	GPtrArray *v = sa_sorted_values(want->targets);

	for (guint i = 0; i < v->len; i++)
		check_target(want, v->pdata[i], diag);
	g_ptr_array_unref(v);
	if (running)
		check_running(want, running, diag);
	return sa_diag_count(diag) == before;
}
