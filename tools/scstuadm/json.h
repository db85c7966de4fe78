/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstuadm - a small JSON writer (pretty-printed, RFC 8259 escaping).
 */
#ifndef SCSTUADM_JSON_H
#define SCSTUADM_JSON_H

#include <glib.h>

#define SA_JSON_MAX_DEPTH 32

struct sa_json {
	GString *out;
	int depth;
	gboolean has_items[SA_JSON_MAX_DEPTH];
};

/*
 * Append s as a JSON string literal (with quotes). Control characters,
 * '"' and '\\' are escaped; invalid UTF-8 bytes become U+FFFD.
 */
void sa_json_escape(GString *out, const char *s);

void sa_json_init(struct sa_json *j, GString *out);
/* key is NULL inside arrays and for the top-level value. */
void sa_json_begin_object(struct sa_json *j, const char *key);
void sa_json_end_object(struct sa_json *j);
void sa_json_begin_array(struct sa_json *j, const char *key);
void sa_json_end_array(struct sa_json *j);
void sa_json_string(struct sa_json *j, const char *key, const char *value);
void sa_json_uint(struct sa_json *j, const char *key, guint64 value);
void sa_json_bool(struct sa_json *j, const char *key, gboolean value);
void sa_json_null(struct sa_json *j, const char *key);

#endif
