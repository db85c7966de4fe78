// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm - dump a model as a config file.
 */
#include <string.h>

#include "dump.h"
#include "util.h"

/*
 * Would "name = value" parse back to exactly this value? Otherwise the
 * line is written as a comment (apply then leaves the attribute alone).
 */
static gboolean representable(const struct sa_attr *a)
{
	char *copy;
	gboolean ok;
	guint64 n;

	switch (sa_attr_type(a->name)) {
	case SA_ATTR_SIZE:
	case SA_ATTR_UINT:
		return sa_parse_uint(a->value, &n) &&
		       (a->value[0] != '0' || !a->value[1]);
	case SA_ATTR_BOOL:
		return strcmp(a->value, "0") == 0 || strcmp(a->value, "1") == 0;
	case SA_ATTR_STRING:
	default:
		if (!sa_value_ok(a->value))
			return FALSE;
		copy = g_strdup(a->value);
		sa_strip_comment(copy);
		g_strstrip(copy);
		ok = strcmp(copy, a->value) == 0;
		g_free(copy);
		return ok;
	}
}

static void dump_attrs(GString *s, GHashTable *attrs)
{
	GPtrArray *v = sa_sorted_attrs(attrs, TRUE, FALSE);

	for (guint i = 0; i < v->len; i++) {
		const struct sa_attr *a = v->pdata[i];
		guint64 n;

		if (!representable(a)) {
			char *e = g_strescape(a->value, NULL);

			g_string_append_printf(s,
					       "# %s = \"%s\" (cannot be written in this format)\n",
					       a->name, e);
			g_free(e);
		} else if (sa_attr_type(a->name) == SA_ATTR_SIZE &&
		    sa_parse_uint(a->value, &n)) {
			char *f = sa_format_size(n);

			g_string_append_printf(s, "%s = %s\n", a->name, f);
			g_free(f);
		} else {
			g_string_append_printf(s, "%s = %s\n", a->name,
					       a->value);
		}
	}
	g_ptr_array_unref(v);
}

static void dump_luns(GString *s, GHashTable *luns)
{
	GPtrArray *v = sa_sorted_luns(luns);

	for (guint i = 0; i < v->len; i++) {
		const struct sa_lun *l = v->pdata[i];

		if (!l->device) {
			g_string_append_printf(s,
					       "# lun.%u has no device link\n",
					       l->num);
			continue;
		}
		g_string_append_printf(s, "lun.%u = %s\n", l->num, l->device);
		if (l->read_only)
			g_string_append_printf(s, "lun.%u.read_only = true\n",
					       l->num);
	}
	g_ptr_array_unref(v);
}

static void dump_list(GString *s, const char *key, GHashTable *set)
{
	GPtrArray *v = sa_sorted_keys(set);

	if (v->len) {
		g_string_append_printf(s, "%s = ", key);
		for (guint i = 0; i < v->len; i++)
			g_string_append_printf(s, "%s%s", i ? ";" : "",
					       (char *)v->pdata[i]);
		g_string_append_c(s, '\n');
	}
	g_ptr_array_unref(v);
}

char *sa_dump(const struct sa_model *m)
{
	GString *s = g_string_new("# scstu configuration (scstuadm dump)\n");
	GPtrArray *v = sa_sorted_keys(m->devices);

	for (guint i = 0; i < v->len; i++) {
		const struct sa_device *d;

		d = g_hash_table_lookup(m->devices, v->pdata[i]);
		g_string_append_printf(s, "\n[device %s]\n", d->name);
		g_string_append_printf(s, "backend = %s\n", d->backend);
		if (!d->enabled)
			g_string_append(s, "enabled = false\n");
		dump_attrs(s, d->attrs);
	}
	g_ptr_array_unref(v);

	v = sa_sorted_values(m->targets);
	for (guint i = 0; i < v->len; i++) {
		const struct sa_target *t = v->pdata[i];
		GPtrArray *gv = sa_sorted_values(t->groups);

		g_string_append_printf(s, "\n[target %s]\n", t->name);
		g_string_append_printf(s, "driver = %s\n", t->driver);
		dump_attrs(s, t->attrs);
		dump_luns(s, t->luns);
		dump_list(s, "sessions", t->sessions);
		for (guint j = 0; j < gv->len; j++) {
			const struct sa_group *g = gv->pdata[j];

			g_string_append_printf(s, "\n[group %s %s]\n", t->name,
					       g->name);
			dump_list(s, "initiators", g->initiators);
			dump_luns(s, g->luns);
		}
		g_ptr_array_unref(gv);
	}
	g_ptr_array_unref(v);
	return g_string_free(s, FALSE);
}
