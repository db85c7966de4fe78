// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm - a small JSON writer.
 */
#include "json.h"

void sa_json_escape(GString *out, const char *s)
{
	const char *p = s ? s : "";

	g_string_append_c(out, '"');
	while (*p) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x80) {
			switch (c) {
			case '"':
				g_string_append(out, "\\\"");
				break;
			case '\\':
				g_string_append(out, "\\\\");
				break;
			case '\b':
				g_string_append(out, "\\b");
				break;
			case '\f':
				g_string_append(out, "\\f");
				break;
			case '\n':
				g_string_append(out, "\\n");
				break;
			case '\r':
				g_string_append(out, "\\r");
				break;
			case '\t':
				g_string_append(out, "\\t");
				break;
			default:
				if (c < 0x20 || c == 0x7f)
					g_string_append_printf(out, "\\u%04x",
							       c);
				else
					g_string_append_c(out, (char)c);
			}
			p++;
		} else {
			gunichar u = g_utf8_get_char_validated(p, -1);

			if (u == (gunichar)-1 || u == (gunichar)-2) {
				g_string_append(out, "\\ufffd");
				p++;
			} else {
				const char *next = g_utf8_next_char(p);

				g_string_append_len(out, p, next - p);
				p = next;
			}
		}
	}
	g_string_append_c(out, '"');
}

void sa_json_init(struct sa_json *j, GString *out)
{
	j->out = out;
	j->depth = 0;
	j->has_items[0] = FALSE;
}

static void indent(struct sa_json *j)
{
	g_string_append_c(j->out, '\n');
	for (int i = 0; i < j->depth; i++)
		g_string_append(j->out, "  ");
}

/* Separator, indentation and key before a value. */
static void item(struct sa_json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->has_items[j->depth])
			g_string_append_c(j->out, ',');
		j->has_items[j->depth] = TRUE;
		indent(j);
	}
	if (key) {
		sa_json_escape(j->out, key);
		g_string_append(j->out, ": ");
	}
}

static void open_(struct sa_json *j, const char *key, char c)
{
	item(j, key);
	g_string_append_c(j->out, c);
	g_assert(j->depth + 1 < SA_JSON_MAX_DEPTH);
	j->depth++;
	j->has_items[j->depth] = FALSE;
}

static void close_(struct sa_json *j, char c)
{
	gboolean had = j->has_items[j->depth];

	j->depth--;
	if (had)
		indent(j);
	g_string_append_c(j->out, c);
	if (j->depth == 0)
		g_string_append_c(j->out, '\n');
}

void sa_json_begin_object(struct sa_json *j, const char *key)
{
	open_(j, key, '{');
}

void sa_json_end_object(struct sa_json *j)
{
	close_(j, '}');
}

void sa_json_begin_array(struct sa_json *j, const char *key)
{
	open_(j, key, '[');
}

void sa_json_end_array(struct sa_json *j)
{
	close_(j, ']');
}

void sa_json_string(struct sa_json *j, const char *key, const char *value)
{
	item(j, key);
	if (value)
		sa_json_escape(j->out, value);
	else
		g_string_append(j->out, "null");
}

void sa_json_uint(struct sa_json *j, const char *key, guint64 value)
{
	item(j, key);
	g_string_append_printf(j->out, "%" G_GUINT64_FORMAT, value);
}

void sa_json_bool(struct sa_json *j, const char *key, gboolean value)
{
	item(j, key);
	g_string_append(j->out, value ? "true" : "false");
}

void sa_json_null(struct sa_json *j, const char *key)
{
	item(j, key);
	g_string_append(j->out, "null");
}
