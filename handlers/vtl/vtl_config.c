// SPDX-License-Identifier: GPL-2.0
/*
 * scstu-vtl configuration file (docs/vtl.md, "Configuration").
 *
 * GKeyFile parses the values but knows no line numbers and silently
 * merges repeated groups and keys, so a first pass over the text finds
 * every group and key with its line, rejects what GKeyFile would accept
 * quietly, and every later message names file:line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "vtl_config.h"

struct ent {
	char *group;
	char *key;		/* NULL: the group line itself */
	unsigned int line;
};

struct parser {
	const char *file;
	GPtrArray *ents;	/* struct ent */
	GKeyFile *kf;
	struct vtl_config *c;
	char *msg;
};

static void ent_free(gpointer p)
{
	struct ent *e = p;

	g_free(e->group);
	g_free(e->key);
	g_free(e);
}

static int fail(struct parser *p, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, unsigned int line, const char *fmt, ...)
{
	va_list ap;
	char *what;

	if (p->msg)
		return -EINVAL;
	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (line)
		p->msg = g_strdup_printf("%s:%u: %s", p->file, line, what);
	else
		p->msg = g_strdup_printf("%s: %s", p->file, what);
	g_free(what);
	return -EINVAL;
}

static const struct ent *find_ent(struct parser *p, const char *group,
				  const char *key)
{
	for (unsigned int i = 0; i < p->ents->len; i++) {
		const struct ent *e = g_ptr_array_index(p->ents, i);

		if (strcmp(e->group, group))
			continue;
		if (!key ? !e->key : e->key && !strcmp(e->key, key))
			return e;
	}
	return NULL;
}

/* First pass: the syntax GKeyFile accepts, with lines and repeats. */
static int scan(struct parser *p, const char *data, size_t len)
{
	const char *group = NULL;
	unsigned int line = 0;
	size_t pos = 0;

	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		char *l, *eq;
		struct ent *e;

		pos += n + 1;
		line++;
		l = g_strstrip(g_strndup(s, n));
		if (!*l || *l == '#') {
			g_free(l);
			continue;
		}
		if (memchr(s, '\0', n)) {
			g_free(l);
			return fail(p, line, "NUL byte in the line");
		}
		e = g_new0(struct ent, 1);
		e->line = line;
		if (*l == '[') {
			size_t ll = strlen(l);

			if (ll < 3 || l[ll - 1] != ']' ||
			    strpbrk(l + 1, "[]") != l + ll - 1) {
				g_free(e);
				g_free(l);
				return fail(p, line, "bad group line");
			}
			e->group = g_strndup(l + 1, ll - 2);
			g_free(l);
			if (find_ent(p, e->group, NULL)) {
				int r = fail(p, line,
					"group [%s] appears again (first at line %u)",
					e->group,
					find_ent(p, e->group, NULL)->line);

				ent_free(e);
				return r;
			}
			g_ptr_array_add(p->ents, e);
			group = e->group;
			continue;
		}
		eq = strchr(l, '=');
		if (!eq || eq == l) {
			g_free(e);
			g_free(l);
			return fail(p, line, "expected [group] or key = value");
		}
		if (!group) {
			g_free(e);
			g_free(l);
			return fail(p, line, "key before the first [group]");
		}
		*eq = '\0';
		e->group = g_strdup(group);
		e->key = g_strdup(g_strchomp(l));
		g_free(l);
		if (find_ent(p, e->group, e->key)) {
			int r = fail(p, line,
				     "[%s] %s appears again (first at line %u)",
				     e->group, e->key,
				     find_ent(p, e->group, e->key)->line);

			ent_free(e);
			return r;
		}
		g_ptr_array_add(p->ents, e);
	}
	return 0;
}

static char *get_str(struct parser *p, const struct ent *e)
{
	GError *err = NULL;
	char *v = g_key_file_get_string(p->kf, e->group, e->key, &err);

	if (!v) {
		fail(p, e->line, "[%s] %s: %s", e->group, e->key,
		     err ? err->message : "no value");
		g_clear_error(&err);
	}
	return v;
}

/* As scstuadm's files: a '#' first or after a blank starts a comment. */
static void strip_comment(char *s)
{
	for (char *p = s; *p; p++) {
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	}
}

static bool name_valid(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (!n || n > max || !g_ascii_isalnum(s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(s[i]) && s[i] != '-' && s[i] != '_' &&
		    s[i] != '.')
			return false;
	return true;
}

bool vtl_barcode_valid(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > VTL_BARCODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isdigit(s[i]) && !g_ascii_isupper(s[i]))
			return false;
	return true;
}

bool vtl_parse_size(const char *s, uint64_t *out)
{
	unsigned int shift = 0;
	guint64 v;
	char *end;

	if (!g_ascii_isdigit(*s))
		return false;
	errno = 0;
	v = g_ascii_strtoull(s, &end, 10);
	if (errno)
		return false;
	if (*end) {
		const char *u = strchr("KMGT", g_ascii_toupper(*end));

		if (!u || !*u)
			return false;
		shift = 10 * (u - "KMGT" + 1);
		end++;
	}
	if (*end || (v << shift) >> shift != v)
		return false;
	*out = v << shift;
	return true;
}

static bool parse_uint(const char *s, unsigned int min, unsigned int max,
		       unsigned int *out)
{
	guint64 v;

	if (!g_ascii_string_to_unsigned(s, 10, min, max, &v, NULL))
		return false;
	*out = v;
	return true;
}

/* One item: a barcode or a range FIRST-LAST differing in one number. */
static int expand_item(const char *item, GPtrArray *out, unsigned int max,
		       char **msg)
{
	const char *dash = strchr(item, '-');
	char *a, *b;
	size_t n, i, j;
	guint64 na, nb;
	int ret = -EINVAL;

	if (!dash) {
		if (!vtl_barcode_valid(item))
			goto bad_code;
		if (out->len >= max)
			goto too_many;
		g_ptr_array_add(out, g_strdup(item));
		return 0;
	}
	a = g_strndup(item, dash - item);
	b = g_strdup(dash + 1);
	n = strlen(a);
	if (!vtl_barcode_valid(a) || !vtl_barcode_valid(b)) {
		*msg = g_strdup_printf("bad range '%s': both ends must be barcodes (1 to %d characters A-Z 0-9)",
				       item, VTL_BARCODE_MAX);
		goto out;
	}
	if (strlen(b) != n) {
		*msg = g_strdup_printf("bad range '%s': the ends differ in length",
				       item);
		goto out;
	}
	for (i = 0; i < n && a[i] == b[i]; i++)
		;
	if (i == n) {
		j = i = 0;
		na = nb = 0;
	} else {
		for (j = n - 1; a[j] == b[j]; j--)
			;
		while (i > 0 && g_ascii_isdigit(a[i - 1]))
			i--;
		while (j + 1 < n && g_ascii_isdigit(a[j + 1]))
			j++;
		for (size_t k = i; k <= j; k++) {
			if (!g_ascii_isdigit(a[k]) || !g_ascii_isdigit(b[k])) {
				*msg = g_strdup_printf("bad range '%s': the ends must differ in one number only",
						       item);
				goto out;
			}
		}
		if (j - i + 1 > 18) {
			*msg = g_strdup_printf("bad range '%s': number too long",
					       item);
			goto out;
		}
		na = g_ascii_strtoull(a + i, NULL, 10);
		nb = g_ascii_strtoull(b + i, NULL, 10);
		if (na > nb) {
			*msg = g_strdup_printf("bad range '%s': it goes backwards",
					       item);
			goto out;
		}
	}
	if (nb - na >= max - out->len) {
		g_free(a);
		g_free(b);
		goto too_many;
	}
	for (guint64 v = na; v <= nb; v++) {
		char *code = g_strdup(a);

		if (i != j || na != nb) {
			char num[24];
			int w = (int)(j - i + 1);

			snprintf(num, sizeof(num), "%0*" G_GUINT64_FORMAT,
				 w, v);
			memcpy(code + i, num, w);
		}
		g_ptr_array_add(out, code);
	}
	ret = 0;
out:
	g_free(a);
	g_free(b);
	return ret;
bad_code:
	*msg = g_strdup_printf("bad barcode '%s': 1 to %d characters A-Z 0-9",
			       item, VTL_BARCODE_MAX);
	return -EINVAL;
too_many:
	*msg = g_strdup_printf("more than %u cartridges", max);
	return -EINVAL;
}

char **vtl_barcodes_expand(const char *list, unsigned int max,
			   unsigned int *count, char **msg)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	char **items = g_strsplit_set(list, ", \t", -1);

	*msg = NULL;
	for (char **it = items; *it; it++) {
		if (!**it)
			continue;
		if (expand_item(*it, out, max, msg))
			break;
	}
	g_strfreev(items);
	for (unsigned int i = 0; !*msg && i < out->len; i++) {
		for (unsigned int k = 0; k < i; k++) {
			if (strcmp(out->pdata[i], out->pdata[k]))
				continue;
			*msg = g_strdup_printf("barcode %s is listed twice",
					       (char *)out->pdata[i]);
			break;
		}
	}
	if (*msg) {
		g_ptr_array_free(out, TRUE);
		return NULL;
	}
	*count = out->len;
	g_ptr_array_set_free_func(out, NULL);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

static const char *const personalities[] = {
	"ibm-lto5", "ibm-lto6", "ibm-lto7", "ibm-lto8", "ibm-lto9",
	"hp-lto5", "hp-lto6", "hp-lto7", "hp-lto8", "hp-lto9",
};

static bool personality_valid(const char *s)
{
	for (size_t i = 0; i < G_N_ELEMENTS(personalities); i++)
		if (!strcmp(s, personalities[i]))
			return true;
	return false;
}

static int library_key(struct parser *p, const struct ent *e, char *v)
{
	struct vtl_config *c = p->c;
	const char *k = e->key;

	if (!strcmp(k, "name")) {
		if (!name_valid(v, VTL_NAME_MAX) || strchr(v, '.'))
			return fail(p, e->line, "name '%s': 1 to %d characters A-Z a-z 0-9 - _, starting with a letter or digit",
				    v, VTL_NAME_MAX);
		c->name = g_strdup(v);
	} else if (!strcmp(k, "dir") || !strcmp(k, "socket")) {
		if (v[0] != '/')
			return fail(p, e->line, "%s '%s': must be an absolute path",
				    k, v);
		if (strlen(v) > 4000)
			return fail(p, e->line, "%s: path too long", k);
		if (!strcmp(k, "dir"))
			c->dir = g_strdup(v);
		else
			c->socket = g_strdup(v);
	} else if (!strcmp(k, "serial")) {
		if (!name_valid(v, 32))
			return fail(p, e->line, "serial '%s': 1 to 32 characters A-Z a-z 0-9 - _ .",
				    v);
		c->serial = g_strdup(v);
	} else if (!strcmp(k, "slots")) {
		if (!parse_uint(v, 1, VTL_MAX_SLOTS, &c->slots))
			return fail(p, e->line, "slots '%s': a number from 1 to %d",
				    v, VTL_MAX_SLOTS);
	} else if (!strcmp(k, "mailslots")) {
		if (!parse_uint(v, 0, VTL_MAX_MAILSLOTS, &c->mailslots))
			return fail(p, e->line, "mailslots '%s': a number from 0 to %d",
				    v, VTL_MAX_MAILSLOTS);
	} else if (!strcmp(k, "compression")) {
		if (!strcmp(v, "lz4"))
			c->compress = VTL_COMPRESS_LZ4;
		else if (!strcmp(v, "zstd"))
			c->compress = VTL_COMPRESS_ZSTD;
		else
			return fail(p, e->line, "compression '%s': lz4 or zstd",
				    v);
	} else {
		return fail(p, e->line, "unknown key '%s' in [library] (known: name, dir, socket, serial, slots, mailslots, compression)",
			    k);
	}
	return 0;
}

static int drive_key(struct parser *p, const struct ent *e, char *v,
		     struct vtl_drive_config *d)
{
	const char *k = e->key;

	if (!strcmp(k, "personality")) {
		if (!personality_valid(v))
			return fail(p, e->line, "personality '%s': one of ibm-lto5..ibm-lto9, hp-lto5..hp-lto9",
				    v);
		g_free(d->personality);
		d->personality = g_strdup(v);
	} else if (!strcmp(k, "serial")) {
		if (!name_valid(v, 32))
			return fail(p, e->line, "serial '%s': 1 to 32 characters A-Z a-z 0-9 - _ .",
				    v);
		d->serial = g_strdup(v);
	} else if (!strcmp(k, "revision")) {
		if (!name_valid(v, 4))
			return fail(p, e->line, "revision '%s': 1 to 4 characters A-Z a-z 0-9",
				    v);
		d->revision = g_strdup(v);
	} else {
		return fail(p, e->line, "unknown key '%s' in [%s] (known: personality, serial, revision)",
			    k, e->group);
	}
	return 0;
}

static int cartridges_key(struct parser *p, const struct ent *e, char *v)
{
	struct vtl_config *c = p->c;
	char *why = NULL;

	if (!strcmp(e->key, "create")) {
		c->create = vtl_barcodes_expand(v, VTL_MAX_CARTS,
						&c->nr_create, &why);
		c->create_line = e->line;
		if (!c->create) {
			fail(p, e->line, "create: %s", why);
			g_free(why);
			return -EINVAL;
		}
	} else if (!strcmp(e->key, "capacity")) {
		if (!vtl_parse_size(v, &c->capacity) ||
		    c->capacity < (1ULL << 20))
			return fail(p, e->line, "capacity '%s': a size of at least 1M (a number with K, M, G or T)",
				    v);
	} else {
		return fail(p, e->line, "unknown key '%s' in [cartridges] (known: create, capacity)",
			    e->key);
	}
	return 0;
}

/* "drive N": N in 0..VTL_MAX_DRIVES-1 without leading zeros, or -1 */
static int drive_group(const char *g)
{
	unsigned int n;

	if (strncmp(g, "drive ", 6) || (g[6] == '0' && g[7]))
		return -1;
	if (!parse_uint(g + 6, 0, VTL_MAX_DRIVES - 1, &n))
		return -1;
	return n;
}

static int check_groups(struct parser *p)
{
	struct vtl_config *c = p->c;
	bool seen[VTL_MAX_DRIVES] = { false };

	for (unsigned int i = 0; i < p->ents->len; i++) {
		const struct ent *e = g_ptr_array_index(p->ents, i);
		int d;

		if (e->key)
			continue;
		if (!strcmp(e->group, "library") ||
		    !strcmp(e->group, "cartridges"))
			continue;
		d = drive_group(e->group);
		if (d < 0)
			return fail(p, e->line, "unknown group [%s] (known: [library], [drive N] with N from 0 to %d, [cartridges])",
				    e->group, VTL_MAX_DRIVES - 1);
		seen[d] = true;
		c->drives[d].line = e->line;
		if ((unsigned int)d + 1 > c->nr_drives)
			c->nr_drives = d + 1;
	}
	if (!find_ent(p, "library", NULL))
		return fail(p, 0, "no [library] group");
	if (!c->nr_drives)
		return fail(p, 0, "no [drive 0] group: a library needs a drive");
	for (unsigned int d = 0; d < c->nr_drives; d++) {
		unsigned int k = d;

		if (seen[d])
			continue;
		while (!seen[k])
			k++;		/* nr_drives - 1 was seen */
		return fail(p, c->drives[k].line,
			    "[drive %u] before [drive %u] is missing: drives are numbered from 0 without gaps",
			    d, k);
	}
	return 0;
}

static int apply(struct parser *p)
{
	struct vtl_config *c = p->c;
	int ret = 0;

	for (unsigned int i = 0; !ret && i < p->ents->len; i++) {
		const struct ent *e = g_ptr_array_index(p->ents, i);
		char *v;

		if (!e->key)
			continue;
		if (strchr(e->key, '[')) {
			/* a localized key: GKeyFile would not find it */
			v = g_strdup("");
		} else {
			v = get_str(p, e);
			if (!v)
				return -EINVAL;
			strip_comment(v);
			g_strstrip(v);
		}
		if (!strcmp(e->group, "library"))
			ret = library_key(p, e, v);
		else if (!strcmp(e->group, "cartridges"))
			ret = cartridges_key(p, e, v);
		else
			ret = drive_key(p, e, v,
					&c->drives[drive_group(e->group)]);
		g_free(v);
	}
	return ret;
}

static int finish(struct parser *p)
{
	struct vtl_config *c = p->c;

	if (!c->name)
		return fail(p, find_ent(p, "library", NULL)->line,
			    "[library] has no name");
	if (!c->dir)
		c->dir = g_strdup_printf("%s/%s", VTL_DEFAULT_DIR, c->name);
	if (!c->socket)
		c->socket = g_strdup_printf("%s/%s.sock", VTL_DEFAULT_RUN_DIR,
					    c->name);
	for (unsigned int d = 0; d < c->nr_drives; d++) {
		struct vtl_drive_config *dc = &c->drives[d];

		if (!dc->personality)
			dc->personality = g_strdup("ibm-lto8");
		for (unsigned int k = 0; k < d && dc->serial; k++)
			if (c->drives[k].serial &&
			    !strcmp(c->drives[k].serial, dc->serial))
				return fail(p, dc->line, "[drive %u] has the serial of [drive %u] (%s)",
					    d, k, dc->serial);
	}
	return 0;
}

int vtl_config_parse(const char *file, const char *data, size_t len,
		     struct vtl_config **out, char **msg)
{
	struct parser p = { .file = file };
	GError *err = NULL;
	int ret;

	*out = NULL;
	*msg = NULL;
	p.ents = g_ptr_array_new_with_free_func(ent_free);
	p.kf = g_key_file_new();
	p.c = g_new0(struct vtl_config, 1);
	p.c->file = g_strdup(file);
	p.c->slots = 20;
	p.c->mailslots = 4;
	ret = scan(&p, data, len);
	if (!ret && !g_key_file_load_from_data(p.kf, data, len,
					       G_KEY_FILE_NONE, &err)) {
		ret = fail(&p, 0, "%s", err->message);
		g_clear_error(&err);
	}
	if (!ret)
		ret = check_groups(&p);
	if (!ret)
		ret = apply(&p);
	if (!ret)
		ret = finish(&p);
	g_key_file_free(p.kf);
	g_ptr_array_free(p.ents, TRUE);
	if (ret) {
		vtl_config_free(p.c);
		*msg = p.msg;
		return ret;
	}
	*out = p.c;
	return 0;
}

int vtl_config_load(const char *file, struct vtl_config **out, char **msg)
{
	GError *err = NULL;
	char *data;
	gsize len;
	int ret;

	*out = NULL;
	if (!g_file_get_contents(file, &data, &len, &err)) {
		*msg = g_strdup_printf("%s: %s", file, err->message);
		ret = err->domain == G_FILE_ERROR &&
			err->code == G_FILE_ERROR_NOENT ? -ENOENT : -EIO;
		g_clear_error(&err);
		return ret;
	}
	ret = vtl_config_parse(file, data, len, out, msg);
	g_free(data);
	return ret;
}

void vtl_config_free(struct vtl_config *c)
{
	if (!c)
		return;
	g_free(c->file);
	g_free(c->name);
	g_free(c->dir);
	g_free(c->socket);
	g_free(c->serial);
	for (unsigned int d = 0; d < VTL_MAX_DRIVES; d++) {
		g_free(c->drives[d].personality);
		g_free(c->drives[d].serial);
		g_free(c->drives[d].revision);
	}
	g_strfreev(c->create);
	g_free(c);
}
