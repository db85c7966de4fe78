// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm - config file parser.
 *
 * GKeyFile parses the file but reports neither line numbers nor duplicate
 * keys or sections (it silently merges them), so a first pass scans the
 * text itself: it finds every syntax error GKeyFile would reject (with its
 * line), duplicates, and records the line of each section and key.
 */
#include <string.h>

#include "conf.h"

struct line_index {
	GHashTable *groups;	/* section name -> GINT line */
	GHashTable *keys;	/* "section\nkey" -> GINT line */
};

static void index_init(struct line_index *ix)
{
	ix->groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   NULL);
	ix->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					 NULL);
}

static void index_clear(struct line_index *ix)
{
	g_hash_table_unref(ix->groups);
	g_hash_table_unref(ix->keys);
}

static int group_line(struct line_index *ix, const char *group)
{
	return GPOINTER_TO_INT(g_hash_table_lookup(ix->groups, group));
}

static int key_line(struct line_index *ix, const char *group, const char *key)
{
	char *k = g_strconcat(group, "\n", key, NULL);
	int line = GPOINTER_TO_INT(g_hash_table_lookup(ix->keys, k));

	g_free(k);
	return line;
}

/* Split text into lines (without "\n" or "\r\n"). */
static gchar **split_lines(const char *text, gsize len)
{
	char *copy = g_strndup(text, len);
	gchar **lines = g_strsplit(copy, "\n", -1);

	g_free(copy);
	for (gchar **p = lines; *p; p++) {
		gsize l = strlen(*p);

		if (l && (*p)[l - 1] == '\r')
			(*p)[l - 1] = '\0';
	}
	return lines;
}

/*
 * After a bad or duplicate section header, its keys are not checked (the
 * header error says enough); this name can never be a real section.
 */
#define BAD_SECTION "\001"

/* Pass 1: syntax, duplicates, line index. Returns FALSE on any error. */
static gboolean scan(const char *text, gsize len, struct line_index *ix,
		     struct sa_diag *diag)
{
	gchar **lines = split_lines(text, len);
	unsigned int before = sa_diag_count(diag);
	char *group = NULL;
	int n = 0;

	if (memchr(text, '\0', len))
		sa_diag_add(diag, 0, "file contains a NUL byte");
	for (gchar **p = lines; *p; p++) {
		char *s = *p;
		char *eq;

		n++;
		if (!g_utf8_validate(s, -1, NULL)) {
			sa_diag_add(diag, n, "line is not valid UTF-8");
			continue;
		}
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		if (*s == '[') {
			char *name;
			int first;

			g_strchomp(s);
			g_free(group);
			group = g_strdup(BAD_SECTION);
			if (s[strlen(s) - 1] != ']') {
				sa_diag_add(diag, n,
					    "section header does not end with ']'");
				continue;
			}
			name = g_strndup(s + 1, strlen(s) - 2);
			if (strpbrk(name, "[]")) {
				sa_diag_add(diag, n,
					    "section name contains '[' or ']'");
				g_free(name);
				continue;
			}
			if (!*name) {
				sa_diag_add(diag, n, "empty section name");
				g_free(name);
				continue;
			}
			first = group_line(ix, name);
			if (first) {
				sa_diag_add(diag, n,
					    "duplicate section [%s] (first at line %d)",
					    name, first);
				g_free(name);
				continue;
			}
			g_hash_table_insert(ix->groups, g_strdup(name),
					    GINT_TO_POINTER(n));
			g_free(group);
			group = name;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			sa_diag_add(diag, n,
				    "expected '[section]', 'key = value' or a '#' comment");
			continue;
		}
		{
			char *key = g_strndup(s, eq - s);
			char *ik;
			int first;

			g_strstrip(key);
			if (!*key) {
				sa_diag_add(diag, n, "missing key before '='");
			} else if (!group) {
				sa_diag_add(diag, n,
					    "key '%s' before the first [section]",
					    key);
			} else if (strcmp(group, BAD_SECTION) == 0) {
				/* already reported */
			} else if (strpbrk(key, "[]")) {
				sa_diag_add(diag, n,
					    "invalid key '%s' (contains '[' or ']')",
					    key);
			} else {
				ik = g_strconcat(group, "\n", key, NULL);
				first = GPOINTER_TO_INT(g_hash_table_lookup(ix->keys, ik));
				if (first) {
					sa_diag_add(diag, n,
						    "duplicate key '%s' in [%s] (first at line %d)",
						    key, group, first);
					g_free(ik);
				} else {
					g_hash_table_insert(ix->keys, ik,
							    GINT_TO_POINTER(n));
				}
			}
			g_free(key);
		}
	}
	g_free(group);
	g_strfreev(lines);
	return sa_diag_count(diag) == before;
}

/* Map a GKeyFile parse error to a line: it quotes the offending line. */
static int gkf_error_line(const char *text, gsize len, const char *message)
{
	const char *open = strstr(message, "\u201c");
	const char *close;
	gchar **lines;
	char *quoted;
	int n = 0, found = 1;

	if (!open)
		return 1;
	open += strlen("\u201c");
	close = strstr(open, "\u201d");
	if (!close)
		return 1;
	quoted = g_strndup(open, close - open);
	lines = split_lines(text, len);
	for (gchar **p = lines; *p; p++) {
		n++;
		if (strcmp(g_strstrip(*p), quoted) == 0) {
			found = n;
			break;
		}
	}
	g_strfreev(lines);
	g_free(quoted);
	return found;
}

struct parser {
	GKeyFile *kf;
	struct line_index ix;
	struct sa_diag *diag;
	struct sa_model *m;
	GPtrArray *groups;	/* struct sa_group *, attached at the end */
	GHashTable *group_first; /* "tgt\ngrp" -> GINT line */
};

/* Value with trailing comment stripped and whitespace trimmed. */
static char *get_value(struct parser *ps, const char *group, const char *key)
{
	char *v = g_key_file_get_value(ps->kf, group, key, NULL);

	if (!v)
		return g_strdup("");
	sa_strip_comment(v);
	return g_strstrip(v);
}

/* Check and canonicalise an attribute value; NULL (after diag) if bad. */
static char *canon_attr(struct parser *ps, int line, const char *key,
			const char *value)
{
	guint64 u;
	gboolean b;

	switch (sa_attr_type(key)) {
	case SA_ATTR_SIZE:
		if (!sa_parse_size(value, &u)) {
			sa_diag_add(ps->diag, line,
				    "invalid size '%s' for '%s' (bytes, or a number with a K/M/G/T suffix)",
				    value, key);
			return NULL;
		}
		return g_strdup_printf("%" G_GUINT64_FORMAT, u);
	case SA_ATTR_UINT:
		if (!sa_parse_uint(value, &u)) {
			sa_diag_add(ps->diag, line,
				    "invalid number '%s' for '%s'", value, key);
			return NULL;
		}
		return g_strdup_printf("%" G_GUINT64_FORMAT, u);
	case SA_ATTR_BOOL:
		if (!sa_parse_bool(value, &b)) {
			sa_diag_add(ps->diag, line,
				    "invalid boolean '%s' for '%s' (true/false, yes/no, on/off, 1/0)",
				    value, key);
			return NULL;
		}
		return g_strdup(b ? "1" : "0");
	case SA_ATTR_STRING:
	default:
		if (!sa_value_ok(value)) {
			sa_diag_add(ps->diag, line,
				    "value of '%s' contains control characters",
				    key);
			return NULL;
		}
		return g_strdup(value);
	}
}

static void parse_attr(struct parser *ps, GHashTable *attrs, int line,
		       const char *key, const char *value)
{
	char *v;

	if (!sa_attr_name_ok(key)) {
		sa_diag_add(ps->diag, line,
			    "invalid attribute name '%s' (letters, digits and '_' only)",
			    key);
		return;
	}
	v = canon_attr(ps, line, key, value);
	if (v)
		sa_attr_set(attrs, key, v, TRUE, line);
	g_free(v);
}

static gboolean check_name(struct parser *ps, int line, const char *what,
			   const char *name)
{
	const char *why = sa_name_problem(name);

	if (why) {
		sa_diag_add(ps->diag, line, "invalid %s '%s': %s", what, name,
			    why);
		return FALSE;
	}
	return TRUE;
}

/*
 * "lun.N" (ro == FALSE) or "lun.N.read_only" (ro == TRUE). Returns FALSE
 * (with a diag) for anything else starting with "lun.".
 */
static gboolean parse_lun_key(struct parser *ps, int line, const char *key,
			      guint *num, gboolean *ro, gboolean report)
{
	struct sa_diag *diag = report ? ps->diag : NULL;
	gchar **parts = g_strsplit(key + 4, ".", -1);
	guint n = g_strv_length(parts);
	gboolean ok = FALSE;
	guint64 v;

	if (n < 1 || n > 2 || (n == 2 && strcmp(parts[1], "read_only"))) {
		if (diag)
			sa_diag_add(diag, line,
				    "invalid key '%s' (expected lun.N or lun.N.read_only)",
				    key);
	} else if (!sa_parse_uint(parts[0], &v)) {
		if (diag)
			sa_diag_add(diag, line,
				    "invalid LUN number '%s' in '%s'",
				    parts[0], key);
	} else if (v > SA_MAX_LUN) {
		if (diag)
			sa_diag_add(diag, line, "LUN %s out of range (0..%d)",
				    parts[0], SA_MAX_LUN);
	} else {
		*num = (guint)v;
		*ro = n == 2;
		ok = TRUE;
	}
	g_strfreev(parts);
	return ok;
}

/*
 * Two passes over a section's lun.* keys: the mappings, then the
 * read_only flags (which may come first in the file).
 */
static void parse_luns(struct parser *ps, const char *group, gchar **keys,
		       GHashTable *luns)
{
	for (int pass = 0; pass < 2; pass++) {
		for (gchar **k = keys; *k; k++) {
			int line = key_line(&ps->ix, group, *k);
			struct sa_lun *l;
			gboolean ro, b;
			guint num;
			char *v;

			if (strncmp(*k, "lun.", 4))
				continue;
			if (!parse_lun_key(ps, line, *k, &num, &ro,
					   pass == 0))
				continue;
			if (ro != (pass == 1))
				continue;
			v = get_value(ps, group, *k);
			l = g_hash_table_lookup(luns, GUINT_TO_POINTER(num));
			if (!ro) {
				if (l) {
					sa_diag_add(ps->diag, line,
						    "duplicate LUN %u (first at line %d)",
						    num, l->line);
				} else if (check_name(ps, line, "device name",
						      v)) {
					l = sa_lun_new(num, v);
					l->line = line;
					g_hash_table_insert(luns,
							    GUINT_TO_POINTER(num),
							    l);
				}
			} else if (!sa_parse_bool(v, &b)) {
				sa_diag_add(ps->diag, line,
					    "invalid boolean '%s' for '%s' (true/false, yes/no, on/off, 1/0)",
					    v, *k);
			} else if (!l) {
				sa_diag_add(ps->diag, line,
					    "'%s' but LUN %u is not mapped in this section",
					    *k, num);
			} else if (l->ro_line) {
				sa_diag_add(ps->diag, line,
					    "duplicate read_only for LUN %u (first at line %d)",
					    num, l->ro_line);
			} else {
				l->read_only = b;
				l->ro_line = line;
			}
			g_free(v);
		}
	}
}

static void parse_device(struct parser *ps, const char *group,
			 const char *name, int line)
{
	gchar **keys = g_key_file_get_keys(ps->kf, group, NULL, NULL);
	struct sa_device *d, *old;

	if (!check_name(ps, line, "device name", name))
		goto out;
	old = g_hash_table_lookup(ps->m->devices, name);
	if (old) {
		sa_diag_add(ps->diag, line,
			    "duplicate device '%s' (first at line %d)", name,
			    old->line);
		goto out;
	}
	d = sa_device_new(name, NULL);
	d->line = line;
	g_hash_table_insert(ps->m->devices, g_strdup(d->name), d);
	for (gchar **k = keys; k && *k; k++) {
		int kl = key_line(&ps->ix, group, *k);
		char *v = get_value(ps, group, *k);

		if (strcmp(*k, "backend") == 0) {
			d->backend_line = kl;
			if (check_name(ps, kl, "backend name", v)) {
				g_free(d->backend);
				d->backend = g_strdup(v);
			}
		} else if (strcmp(*k, "enabled") == 0) {
			if (!sa_parse_bool(v, &d->enabled))
				sa_diag_add(ps->diag, kl,
					    "invalid boolean '%s' for 'enabled' (true/false, yes/no, on/off, 1/0)",
					    v);
			d->enabled_line = kl;
		} else if (strcmp(*k, "enable") == 0) {
			sa_diag_add(ps->diag, kl,
				    "unknown key 'enable' (did you mean 'enabled'?)");
		} else if (strcmp(*k, "type") == 0 ||
			   strcmp(*k, "stats") == 0) {
			sa_diag_add(ps->diag, kl,
				    "'%s' is a read-only device attribute", *k);
		} else {
			parse_attr(ps, d->attrs, kl, *k, v);
		}
		g_free(v);
	}
	if (!d->backend && !d->backend_line)
		sa_diag_add(ps->diag, line, "device '%s' has no 'backend' key",
			    name);
	if (!d->backend)
		d->backend = g_strdup("");
out:
	g_strfreev(keys);
}

static void parse_sessions(struct parser *ps, struct sa_target *t, int line,
			   const char *value)
{
	GPtrArray *list = sa_split_list(value);

	t->sessions_line = line;
	for (guint i = 0; i < list->len; i++) {
		const char *ini = list->pdata[i];
		struct sa_session *s;

		if (!check_name(ps, line, "initiator name", ini))
			continue;
		if (g_hash_table_contains(t->sessions, ini)) {
			sa_diag_add(ps->diag, line,
				    "session '%s' listed twice", ini);
			continue;
		}
		s = sa_session_new(ini);
		s->line = line;
		g_hash_table_insert(t->sessions, s->initiator, s);
	}
	g_ptr_array_unref(list);
}

static void parse_target(struct parser *ps, const char *group,
			 const char *name, int line)
{
	gchar **keys = g_key_file_get_keys(ps->kf, group, NULL, NULL);
	struct sa_target *t, *old;

	if (!check_name(ps, line, "target name", name))
		goto out;
	old = g_hash_table_lookup(ps->m->targets, name);
	if (old) {
		sa_diag_add(ps->diag, line,
			    "duplicate target '%s' (first at line %d)", name,
			    old->line);
		goto out;
	}
	t = sa_target_new(name, NULL);
	t->line = line;
	g_hash_table_insert(ps->m->targets, t->name, t);
	for (gchar **k = keys; k && *k; k++) {
		int kl = key_line(&ps->ix, group, *k);
		char *v;

		if (strncmp(*k, "lun.", 4) == 0)
			continue;	/* parse_luns() */
		v = get_value(ps, group, *k);
		if (strcmp(*k, "driver") == 0) {
			t->driver_line = kl;
			if (check_name(ps, kl, "driver name", v)) {
				g_free(t->driver);
				t->driver = g_strdup(v);
			}
		} else if (strcmp(*k, "sessions") == 0) {
			parse_sessions(ps, t, kl, v);
		} else if (strcmp(*k, "luns") == 0 ||
			   strcmp(*k, "ini_groups") == 0 ||
			   strcmp(*k, "initiators") == 0) {
			sa_diag_add(ps->diag, kl,
				    "unknown key '%s' in a target section (LUNs are lun.N keys, groups are [group %s NAME] sections)",
				    *k, name);
		} else {
			parse_attr(ps, t->attrs, kl, *k, v);
		}
		g_free(v);
	}
	parse_luns(ps, group, keys ? keys : (gchar *[]){ NULL }, t->luns);
	if (!t->driver && !t->driver_line)
		sa_diag_add(ps->diag, line, "target '%s' has no 'driver' key",
			    name);
	if (!t->driver)
		t->driver = g_strdup("");
out:
	g_strfreev(keys);
}

static void parse_group(struct parser *ps, const char *group,
			const char *target, const char *name, int line)
{
	gchar **keys = g_key_file_get_keys(ps->kf, group, NULL, NULL);
	char *id = g_strconcat(target, "\n", name, NULL);
	struct sa_group *g;
	int first;

	if (!check_name(ps, line, "target name", target) ||
	    !check_name(ps, line, "group name", name))
		goto out;
	first = GPOINTER_TO_INT(g_hash_table_lookup(ps->group_first, id));
	if (first) {
		sa_diag_add(ps->diag, line,
			    "duplicate group '%s' of target '%s' (first at line %d)",
			    name, target, first);
		goto out;
	}
	g_hash_table_insert(ps->group_first, g_strdup(id),
			    GINT_TO_POINTER(line));
	g = sa_group_new(target, name);
	g->line = line;
	g_ptr_array_add(ps->groups, g);
	for (gchar **k = keys; k && *k; k++) {
		int kl = key_line(&ps->ix, group, *k);
		GPtrArray *list;
		char *v;

		if (strncmp(*k, "lun.", 4) == 0)
			continue;
		if (strcmp(*k, "initiators")) {
			sa_diag_add(ps->diag, kl,
				    "unknown key '%s' in a group section (expected initiators, lun.N, lun.N.read_only)",
				    *k);
			continue;
		}
		v = get_value(ps, group, *k);
		list = sa_split_list(v);
		g->initiators_line = kl;
		for (guint i = 0; i < list->len; i++) {
			const char *ini = list->pdata[i];

			if (!check_name(ps, kl, "initiator name", ini))
				continue;
			if (g_hash_table_contains(g->initiators, ini)) {
				sa_diag_add(ps->diag, kl,
					    "initiator '%s' listed twice", ini);
				continue;
			}
			g_hash_table_insert(g->initiators, g_strdup(ini),
					    GINT_TO_POINTER(kl));
		}
		g_ptr_array_unref(list);
		g_free(v);
	}
	parse_luns(ps, group, keys ? keys : (gchar *[]){ NULL }, g->luns);
out:
	g_free(id);
	g_strfreev(keys);
}

static void parse_section(struct parser *ps, const char *group)
{
	gchar **w = g_strsplit_set(group, " \t", -1);
	GPtrArray *words = g_ptr_array_new();
	int line = group_line(&ps->ix, group);
	const char *kind;

	for (gchar **p = w; *p; p++)
		if (**p)
			g_ptr_array_add(words, *p);
	kind = words->len ? words->pdata[0] : "";
	if (strcmp(kind, "device") == 0 || strcmp(kind, "target") == 0) {
		if (words->len != 2)
			sa_diag_add(ps->diag, line,
				    "section [%s] must be [%s NAME]", group,
				    kind);
		else if (kind[0] == 'd')
			parse_device(ps, group, words->pdata[1], line);
		else
			parse_target(ps, group, words->pdata[1], line);
	} else if (strcmp(kind, "group") == 0) {
		if (words->len != 3)
			sa_diag_add(ps->diag, line,
				    "section [%s] must be [group TARGET NAME]",
				    group);
		else
			parse_group(ps, group, words->pdata[1],
				    words->pdata[2], line);
	} else {
		sa_diag_add(ps->diag, line,
			    "unknown section kind '%s' (expected device, target or group)",
			    kind);
	}
	g_ptr_array_unref(words);
	g_strfreev(w);
}

/* Attach groups to their targets (targets may come later in the file). */
static void attach_groups(struct parser *ps)
{
	for (guint i = 0; i < ps->groups->len; i++) {
		struct sa_group *g = ps->groups->pdata[i];
		struct sa_target *t;

		ps->groups->pdata[i] = NULL;
		t = g_hash_table_lookup(ps->m->targets, g->target);
		if (!t) {
			sa_diag_add(ps->diag, g->line,
				    "group '%s': unknown target '%s' (no [target %s] section)",
				    g->name, g->target, g->target);
			ps->groups->pdata[i] = g;	/* freed with the array */
		} else {
			g_hash_table_insert(t->groups, g->name, g);
		}
	}
}

struct sa_model *sa_conf_parse(const char *text, gsize len,
			       struct sa_diag *diag)
{
	struct parser ps = { .diag = diag };
	GError *err = NULL;
	gchar **groups;

	ps.m = sa_model_new();
	index_init(&ps.ix);
	if (!scan(text, len, &ps.ix, diag)) {
		g_clear_pointer(&ps.m, sa_model_free);
		goto out_index;
	}
	ps.kf = g_key_file_new();
	if (!g_key_file_load_from_data(ps.kf, text, len, G_KEY_FILE_NONE,
				       &err)) {
		sa_diag_add(diag, gkf_error_line(text, len, err->message), "%s",
			    err->message);
		g_error_free(err);
		g_clear_pointer(&ps.m, sa_model_free);
		goto out_kf;
	}
	ps.groups = g_ptr_array_new_with_free_func(sa_group_free);
	ps.group_first = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       NULL);
	groups = g_key_file_get_groups(ps.kf, NULL);
	for (gchar **g = groups; *g; g++)
		parse_section(&ps, *g);
	g_strfreev(groups);
	attach_groups(&ps);
	g_ptr_array_unref(ps.groups);
	g_hash_table_unref(ps.group_first);
out_kf:
	g_key_file_free(ps.kf);
out_index:
	index_clear(&ps.ix);
	return ps.m;
}

struct sa_model *sa_conf_load(const char *path, struct sa_diag *diag)
{
	GError *err = NULL;
	struct sa_model *m;
	gchar *text;
	gsize len;

	if (!g_file_get_contents(path, &text, &len, &err)) {
		sa_diag_add(diag, 0, "cannot read: %s", err->message);
		g_error_free(err);
		return NULL;
	}
	m = sa_conf_parse(text, len, diag);
	g_free(text);
	return m;
}
