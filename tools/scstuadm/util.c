// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm - small helpers: messages, diagnostics, value parsing.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "util.h"

void sa_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("scstuadm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void diag_item_free(gpointer p)
{
	struct sa_diag_item *it = p;

	g_free(it->text);
	g_free(it);
}

struct sa_diag *sa_diag_new(const char *file)
{
	struct sa_diag *d = g_new0(struct sa_diag, 1);

	d->file = g_strdup(file);
	d->items = g_ptr_array_new_with_free_func(diag_item_free);
	return d;
}

void sa_diag_free(struct sa_diag *d)
{
	if (!d)
		return;
	g_ptr_array_unref(d->items);
	g_free(d->file);
	g_free(d);
}

void sa_diag_add(struct sa_diag *d, int line, const char *fmt, ...)
{
	struct sa_diag_item *it = g_new0(struct sa_diag_item, 1);
	va_list ap;

	it->line = line;
	it->seq = d->items->len;
	va_start(ap, fmt);
	it->text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(d->items, it);
}

unsigned int sa_diag_count(const struct sa_diag *d)
{
	return d->items->len;
}

static gint diag_cmp(gconstpointer a, gconstpointer b)
{
	const struct sa_diag_item *x = *(struct sa_diag_item * const *)a;
	const struct sa_diag_item *y = *(struct sa_diag_item * const *)b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void sa_diag_print(struct sa_diag *d, FILE *f)
{
	g_ptr_array_sort(d->items, diag_cmp);
	for (guint i = 0; i < d->items->len; i++) {
		struct sa_diag_item *it = d->items->pdata[i];

		if (it->line > 0)
			fprintf(f, "scstuadm: %s:%d: %s\n", d->file, it->line,
				it->text);
		else
			fprintf(f, "scstuadm: %s: %s\n", d->file, it->text);
	}
}

char *sa_diag_format(struct sa_diag *d, unsigned int n)
{
	struct sa_diag_item *it;

	g_ptr_array_sort(d->items, diag_cmp);
	if (n >= d->items->len)
		return NULL;
	it = d->items->pdata[n];
	return g_strdup_printf("%d: %s", it->line, it->text);
}

gboolean sa_parse_uint(const char *s, guint64 *out)
{
	guint64 v = 0;

	if (!s || !*s)
		return FALSE;
	for (; *s; s++) {
		unsigned int digit;

		if (*s < '0' || *s > '9')
			return FALSE;
		digit = *s - '0';
		if (v > (G_MAXUINT64 - digit) / 10)
			return FALSE;
		v = v * 10 + digit;
	}
	*out = v;
	return TRUE;
}

gboolean sa_parse_size(const char *s, guint64 *out)
{
	static const char units[] = "KMGT";
	const char *p = s;
	const char *u;
	guint64 v = 0;
	unsigned int shift = 0;

	if (!s || !*s)
		return FALSE;
	while (*p >= '0' && *p <= '9') {
		unsigned int digit = *p - '0';

		if (v > (G_MAXUINT64 - digit) / 10)
			return FALSE;
		v = v * 10 + digit;
		p++;
	}
	if (p == s)
		return FALSE;
	if (*p) {
		u = strchr(units, g_ascii_toupper(*p));
		if (!u)
			return FALSE;
		shift = 10 * (unsigned int)(u - units + 1);
		p++;
		if (g_ascii_strcasecmp(p, "iB") == 0 ||
		    g_ascii_strcasecmp(p, "B") == 0)
			p += strlen(p);
		if (*p)
			return FALSE;
		if (v > (G_MAXUINT64 >> shift))
			return FALSE;
		v <<= shift;
	}
	*out = v;
	return TRUE;
}

char *sa_format_size(guint64 v)
{
	static const char units[] = "KMGT";
	int i;

	if (v == 0)
		return g_strdup("0");
	for (i = 3; i >= 0; i--) {
		unsigned int shift = 10 * (i + 1);
		guint64 unit = G_GUINT64_CONSTANT(1) << shift;

		if (v % unit == 0)
			return g_strdup_printf("%" G_GUINT64_FORMAT "%c",
					       v >> shift, units[i]);
	}
	return g_strdup_printf("%" G_GUINT64_FORMAT, v);
}

char *sa_format_size_human(guint64 v)
{
	static const char *const units[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"
	};
	double d = (double)v;
	int i = 0;

	if (v < 1024)
		return g_strdup_printf("%" G_GUINT64_FORMAT " B", v);
	while (d >= 1024.0 && i < 6) {
		d /= 1024.0;
		i++;
	}
	return g_strdup_printf("%.1f %s", d, units[i]);
}

gboolean sa_parse_bool(const char *s, gboolean *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };

	if (!s)
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (g_ascii_strcasecmp(s, yes[i]) == 0) {
			*out = TRUE;
			return TRUE;
		}
		if (g_ascii_strcasecmp(s, no[i]) == 0) {
			*out = FALSE;
			return TRUE;
		}
	}
	return FALSE;
}

const char *sa_name_problem(const char *name)
{
	const unsigned char *p;

	if (!name || !*name)
		return "empty name";
	if (strlen(name) > SA_NAME_MAX)
		return "name longer than 223 bytes";
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return "'.' and '..' are not names";
	if (!g_utf8_validate(name, -1, NULL))
		return "name is not valid UTF-8";
	for (p = (const unsigned char *)name; *p; p++) {
		if (*p == '/')
			return "name contains '/'";
		if (*p == ';' || *p == '#')
			return "name contains ';' or '#'";
		if (*p < 0x20 || *p == 0x7f || *p == ' ')
			return "name contains whitespace or a control character";
	}
	return NULL;
}

gboolean sa_attr_name_ok(const char *name)
{
	const char *p;

	if (!name || !*name || g_ascii_isdigit(*name))
		return FALSE;
	for (p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '_')
			return FALSE;
	return TRUE;
}

gboolean sa_value_ok(const char *value)
{
	const unsigned char *p;

	for (p = (const unsigned char *)value; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return FALSE;
	return g_utf8_validate(value, -1, NULL);
}

char *sa_strtrim(char *s)
{
	return g_strstrip(s);
}

void sa_strip_comment(char *s)
{
	char *p;

	for (p = s; *p; p++) {
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	}
	g_strchomp(s);
}

GPtrArray *sa_split_list(const char *s)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	gchar **v = g_strsplit(s ? s : "", ";", -1);

	for (gchar **p = v; *p; p++) {
		g_strstrip(*p);
		if (**p)
			g_ptr_array_add(a, g_strdup(*p));
	}
	g_strfreev(v);
	return a;
}

gint sa_cmp_strptr(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(char * const *)a, *(char * const *)b);
}
