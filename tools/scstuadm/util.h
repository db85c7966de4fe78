/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstuadm - small helpers: messages, diagnostics with line numbers, value
 * parsing (sizes, booleans, names) and formatting.
 */
#ifndef SCSTUADM_UTIL_H
#define SCSTUADM_UTIL_H

#include <glib.h>
#include <stdio.h>

#define SA_MAX_LUN	16383
#define SA_NAME_MAX	223	/* SCSTU_NAME_LEN - 1 */

/* "scstuadm: ..." on stderr */
void sa_msg(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* A list of "FILE:LINE: message" diagnostics, printed sorted by line. */
struct sa_diag {
	char *file;
	GPtrArray *items;	/* struct sa_diag_item * */
};

struct sa_diag_item {
	int line;		/* 0: no line */
	unsigned int seq;	/* insertion order, for a stable sort */
	char *text;
};

struct sa_diag *sa_diag_new(const char *file);
void sa_diag_free(struct sa_diag *d);
void sa_diag_add(struct sa_diag *d, int line, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);
unsigned int sa_diag_count(const struct sa_diag *d);
/* Sorts by line (stable) and prints "scstuadm: FILE:LINE: text". */
void sa_diag_print(struct sa_diag *d, FILE *f);
/* The n-th item after sorting, formatted "LINE: text" (for tests). */
char *sa_diag_format(struct sa_diag *d, unsigned int n);

/*
 * "64M", "1T", "4096", "2GiB": decimal digits with an optional K/M/G/T
 * suffix (powers of 1024, case-insensitive, optionally followed by "iB"
 * or "B"). Returns FALSE on syntax error or overflow.
 */
gboolean sa_parse_size(const char *s, guint64 *out);
/* Exact largest suffix: 1073741824 -> "1G", 1000 -> "1000". */
char *sa_format_size(guint64 v);
/* Human approximation: "64.0 MiB". */
char *sa_format_size_human(guint64 v);
/* Unsigned decimal integer, no sign, no suffix. */
gboolean sa_parse_uint(const char *s, guint64 *out);
/* true/false, yes/no, on/off, 1/0 (case-insensitive). */
gboolean sa_parse_bool(const char *s, gboolean *out);

/*
 * A configfs directory name (device, target, group, session/initiator):
 * non-empty, at most SA_NAME_MAX bytes, no '/', not "." or "..", no
 * whitespace, control characters, ';' or '#'. Returns NULL when valid,
 * otherwise a static string saying what is wrong.
 */
const char *sa_name_problem(const char *name);
/* An attribute key: [A-Za-z0-9_]+ (and not starting with a digit). */
gboolean sa_attr_name_ok(const char *name);
/* No control characters (a value written to one configfs attribute). */
gboolean sa_value_ok(const char *value);

/* Trim whitespace at both ends, in place; returns s. */
char *sa_strtrim(char *s);
/* Remove a trailing comment: whitespace followed by '#' and the rest. */
void sa_strip_comment(char *s);
/* Split "a; b;c" into trimmed non-empty items. */
GPtrArray *sa_split_list(const char *s);

/* g_strcmp0 usable with g_ptr_array_sort (elements are char *). */
gint sa_cmp_strptr(gconstpointer a, gconstpointer b);

#endif
