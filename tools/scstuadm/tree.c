// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm - tree display.
 */
#include <string.h>

#include "json.h"
#include "tree.h"
#include "util.h"

/* "key value" lines -> array of key, value, key, value... */
static GPtrArray *parse_kv_lines(const char *text)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	gchar **lines = g_strsplit(text ? text : "", "\n", -1);

	for (gchar **l = lines; *l; l++) {
		char *s = g_strstrip(*l);
		char *sp;

		if (!*s)
			continue;
		sp = strpbrk(s, " \t:=");
		if (!sp) {
			g_ptr_array_add(a, g_strdup(s));
			g_ptr_array_add(a, g_strdup(""));
			continue;
		}
		g_ptr_array_add(a, g_strndup(s, sp - s));
		while (*sp == ' ' || *sp == '\t' || *sp == ':' || *sp == '=')
			sp++;
		g_ptr_array_add(a, g_strdup(sp));
	}
	g_strfreev(lines);
	return a;
}

static const char *attr_value(GHashTable *attrs, const char *name)
{
	const struct sa_attr *a = g_hash_table_lookup(attrs, name);

	return a ? a->value : NULL;
}

/* Visible LUN list "0\n1\n" -> "0,1" */
static char *join_lines(const char *text)
{
	gchar **lines = g_strsplit(text ? text : "", "\n", -1);
	GString *s = g_string_new(NULL);

	for (gchar **l = lines; *l; l++) {
		g_strstrip(*l);
		if (!**l)
			continue;
		g_string_append_printf(s, "%s%s", s->len ? "," : "", *l);
	}
	g_strfreev(lines);
	if (!s->len)
		g_string_append(s, "none");
	return g_string_free(s, FALSE);
}

static void text_stats(GString *s, int indent, const char *stats)
{
	GPtrArray *kv = parse_kv_lines(stats);

	if (kv->len) {
		g_string_append_printf(s, "%*sstats:", indent, "");
		for (guint i = 0; i + 1 < kv->len; i += 2)
			g_string_append_printf(s, " %s=%s",
					       (char *)kv->pdata[i],
					       (char *)kv->pdata[i + 1]);
		g_string_append_c(s, '\n');
	}
	g_ptr_array_unref(kv);
}

static void text_luns(GString *s, int indent, GHashTable *luns)
{
	GPtrArray *v = sa_sorted_luns(luns);

	if (!v->len)
		g_string_append_printf(s, "%*sluns: none\n", indent, "");
	else
		g_string_append_printf(s, "%*sluns:\n", indent, "");
	for (guint i = 0; i < v->len; i++) {
		const struct sa_lun *l = v->pdata[i];

		g_string_append_printf(s, "%*s%u -> %s%s\n", indent + 2, "",
				       l->num,
				       l->device ? l->device : "(no device)",
				       l->read_only ? " (read-only)" : "");
		text_stats(s, indent + 6, l->stats);
	}
	g_ptr_array_unref(v);
}

/* userspace devices: ", attached, handler pid 42, 2 queues x 248" */
static void text_handler(GString *s, GHashTable *attrs)
{
	const char *state = attr_value(attrs, "state");
	const char *pid = attr_value(attrs, "handler");
	const char *nq = attr_value(attrs, "nr_queues");
	const char *qd = attr_value(attrs, "queue_depth");

	if (!state)
		return;
	g_string_append_printf(s, ", %s", state);
	if (pid && strcmp(pid, "none"))
		g_string_append_printf(s, ", handler pid %s", pid);
	if (nq && qd && strcmp(nq, "0"))
		g_string_append_printf(s, ", %s queue%s x %s", nq,
				       strcmp(nq, "1") ? "s" : "", qd);
}

char *sa_tree_text(const struct sa_model *m, const char *root)
{
	GString *s = g_string_new(NULL);
	GPtrArray *v;

	g_string_append_printf(s, "scstu %s (version %s)\n", root,
			       m->version ? m->version : "?");
	v = sa_sorted_values(m->devices);
	g_string_append_printf(s, "devices:%s\n", v->len ? "" : " none");
	for (guint i = 0; i < v->len; i++) {
		const struct sa_device *d = v->pdata[i];
		const char *size = attr_value(d->attrs, "size");
		const char *bs = attr_value(d->attrs, "block_size");
		const char *type = attr_value(d->attrs, "type");
		GPtrArray *av = sa_sorted_attrs(d->attrs, TRUE, FALSE);
		guint64 n;

		g_string_append_printf(s, "  %s (%s) %s", d->name, d->backend,
				       d->enabled ? "enabled" : "disabled");
		if (type)
			g_string_append_printf(s, ", type %s", type);
		if (size && sa_parse_uint(size, &n)) {
			char *h = sa_format_size_human(n);

			g_string_append_printf(s, ", size %s", h);
			g_free(h);
		}
		if (bs)
			g_string_append_printf(s, ", block %s", bs);
		text_handler(s, d->attrs);
		g_string_append_c(s, '\n');
		g_string_append_printf(s, "      attributes:");
		for (guint j = 0; j < av->len; j++) {
			const struct sa_attr *a = av->pdata[j];

			g_string_append_printf(s, " %s=%s", a->name, a->value);
		}
		g_string_append_c(s, '\n');
		text_stats(s, 6, attr_value(d->attrs, "stats"));
		g_ptr_array_unref(av);
	}
	g_ptr_array_unref(v);

	v = sa_sorted_values(m->targets);
	g_string_append_printf(s, "targets:%s\n", v->len ? "" : " none");
	for (guint i = 0; i < v->len; i++) {
		const struct sa_target *t = v->pdata[i];
		GPtrArray *av = sa_sorted_attrs(t->attrs, FALSE, FALSE);
		GPtrArray *gv = sa_sorted_values(t->groups);
		GPtrArray *sv = sa_sorted_values(t->sessions);

		g_string_append_printf(s, "  %s (%s)", t->name, t->driver);
		for (guint j = 0; j < av->len; j++) {
			const struct sa_attr *a = av->pdata[j];

			if (!strchr(a->value, '\n'))
				g_string_append_printf(s, " %s=%s", a->name,
						       a->value);
		}
		g_string_append_c(s, '\n');
		text_luns(s, 4, t->luns);
		g_string_append_printf(s, "    groups:%s\n",
				       gv->len ? "" : " none");
		for (guint j = 0; j < gv->len; j++) {
			const struct sa_group *g = gv->pdata[j];
			GPtrArray *inis = sa_sorted_keys(g->initiators);

			g_string_append_printf(s, "      %s: initiators", g->name);
			for (guint k = 0; k < inis->len; k++)
				g_string_append_printf(s, " %s",
						       (char *)inis->pdata[k]);
			if (!inis->len)
				g_string_append(s, " none");
			g_string_append_c(s, '\n');
			text_luns(s, 8, g->luns);
			g_ptr_array_unref(inis);
		}
		g_string_append_printf(s, "    sessions:%s\n",
				       sv->len ? "" : " none");
		for (guint j = 0; j < sv->len; j++) {
			const struct sa_session *se = sv->pdata[j];
			GPtrArray *sa = sa_sorted_attrs(se->attrs, FALSE, FALSE);
			char *luns = join_lines(attr_value(se->attrs, "luns"));

			g_string_append_printf(s, "      %s: luns %s",
					       se->initiator, luns);
			for (guint k = 0; k < sa->len; k++) {
				const struct sa_attr *a = sa->pdata[k];

				if (strcmp(a->name, "luns") &&
				    strcmp(a->name, "stats") &&
				    !strchr(a->value, '\n'))
					g_string_append_printf(s, ", %s %s",
							       a->name,
							       a->value);
			}
			g_string_append_c(s, '\n');
			text_stats(s, 10, attr_value(se->attrs, "stats"));
			g_free(luns);
			g_ptr_array_unref(sa);
		}
		g_ptr_array_unref(sv);
		g_ptr_array_unref(gv);
		g_ptr_array_unref(av);
	}
	g_ptr_array_unref(v);
	return g_string_free(s, FALSE);
}

/* ---- JSON ---- */

static void json_value(struct sa_json *j, const char *key, const char *v)
{
	guint64 n;

	if (sa_parse_uint(v, &n) && (v[0] != '0' || !v[1]))
		sa_json_uint(j, key, n);
	else
		sa_json_string(j, key, v);
}

static void json_stats(struct sa_json *j, const char *stats)
{
	GPtrArray *kv = parse_kv_lines(stats);

	if (!stats) {
		sa_json_null(j, "stats");
	} else {
		sa_json_begin_object(j, "stats");
		for (guint i = 0; i + 1 < kv->len; i += 2)
			json_value(j, kv->pdata[i], kv->pdata[i + 1]);
		sa_json_end_object(j);
	}
	g_ptr_array_unref(kv);
}

/* attributes except the names in skip */
static void json_attrs(struct sa_json *j, GHashTable *attrs,
		       const char *const *skip)
{
	GPtrArray *v = sa_sorted_attrs(attrs, FALSE, FALSE);

	sa_json_begin_object(j, "attributes");
	for (guint i = 0; i < v->len; i++) {
		const struct sa_attr *a = v->pdata[i];
		gboolean skipped = FALSE;

		for (const char *const *s = skip; *s; s++)
			if (strcmp(*s, a->name) == 0)
				skipped = TRUE;
		if (!skipped)
			json_value(j, a->name, a->value);
	}
	sa_json_end_object(j);
	g_ptr_array_unref(v);
}

static void json_luns(struct sa_json *j, GHashTable *luns)
{
	GPtrArray *v = sa_sorted_luns(luns);

	sa_json_begin_array(j, "luns");
	for (guint i = 0; i < v->len; i++) {
		const struct sa_lun *l = v->pdata[i];

		sa_json_begin_object(j, NULL);
		sa_json_uint(j, "lun", l->num);
		sa_json_string(j, "device", l->device);
		sa_json_bool(j, "read_only", l->read_only);
		json_stats(j, l->stats);
		sa_json_end_object(j);
	}
	sa_json_end_array(j);
	g_ptr_array_unref(v);
}

static void json_visible(struct sa_json *j, const char *text)
{
	gchar **lines = g_strsplit(text ? text : "", "\n", -1);

	sa_json_begin_array(j, "luns");
	for (gchar **l = lines; *l; l++) {
		g_strstrip(*l);
		if (**l)
			json_value(j, NULL, *l);
	}
	sa_json_end_array(j);
	g_strfreev(lines);
}

char *sa_tree_json(const struct sa_model *m, const char *root)
{
	static const char *const dev_skip[] = { "stats", "type", NULL };
	static const char *const sess_skip[] = { "stats", "luns", NULL };
	static const char *const none[] = { NULL };
	GString *out = g_string_new(NULL);
	struct sa_json j;
	GPtrArray *v;

	sa_json_init(&j, out);
	sa_json_begin_object(&j, NULL);
	sa_json_string(&j, "configfs", root);
	sa_json_string(&j, "version", m->version);

	v = sa_sorted_values(m->devices);
	sa_json_begin_array(&j, "devices");
	for (guint i = 0; i < v->len; i++) {
		const struct sa_device *d = v->pdata[i];
		const char *type = attr_value(d->attrs, "type");

		sa_json_begin_object(&j, NULL);
		sa_json_string(&j, "name", d->name);
		sa_json_string(&j, "backend", d->backend);
		sa_json_bool(&j, "enabled", d->enabled);
		if (type)
			json_value(&j, "type", type);
		else
			sa_json_null(&j, "type");
		json_attrs(&j, d->attrs, dev_skip);
		json_stats(&j, attr_value(d->attrs, "stats"));
		sa_json_end_object(&j);
	}
	sa_json_end_array(&j);
	g_ptr_array_unref(v);

	v = sa_sorted_values(m->targets);
	sa_json_begin_array(&j, "targets");
	for (guint i = 0; i < v->len; i++) {
		const struct sa_target *t = v->pdata[i];
		GPtrArray *gv = sa_sorted_values(t->groups);
		GPtrArray *sv = sa_sorted_values(t->sessions);

		sa_json_begin_object(&j, NULL);
		sa_json_string(&j, "name", t->name);
		sa_json_string(&j, "driver", t->driver);
		json_attrs(&j, t->attrs, none);
		json_luns(&j, t->luns);
		sa_json_begin_array(&j, "groups");
		for (guint k = 0; k < gv->len; k++) {
			const struct sa_group *g = gv->pdata[k];
			GPtrArray *inis = sa_sorted_keys(g->initiators);

			sa_json_begin_object(&j, NULL);
			sa_json_string(&j, "name", g->name);
			sa_json_begin_array(&j, "initiators");
			for (guint x = 0; x < inis->len; x++)
				sa_json_string(&j, NULL, inis->pdata[x]);
			sa_json_end_array(&j);
			json_luns(&j, g->luns);
			sa_json_end_object(&j);
			g_ptr_array_unref(inis);
		}
		sa_json_end_array(&j);
		sa_json_begin_array(&j, "sessions");
		for (guint k = 0; k < sv->len; k++) {
			const struct sa_session *se = sv->pdata[k];

			sa_json_begin_object(&j, NULL);
			sa_json_string(&j, "initiator", se->initiator);
			json_visible(&j, attr_value(se->attrs, "luns"));
			json_attrs(&j, se->attrs, sess_skip);
			json_stats(&j, attr_value(se->attrs, "stats"));
			sa_json_end_object(&j);
		}
		sa_json_end_array(&j);
		sa_json_end_object(&j);
		g_ptr_array_unref(sv);
		g_ptr_array_unref(gv);
	}
	sa_json_end_array(&j);
	g_ptr_array_unref(v);
	sa_json_end_object(&j);
	return g_string_free(out, FALSE);
}
