// SPDX-License-Identifier: GPL-2.0
/* vtlctl's human tables, made from the control protocol's JSON. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vtl_info.h"

#define MAX_COLS	12

struct table {
	unsigned int cols;
	GPtrArray *cells;	/* char *, row-major */
};

static void table_init(struct table *t, const char *const *head)
{
	t->cols = 0;
	t->cells = g_ptr_array_new_with_free_func(g_free);
	while (head[t->cols])
		g_ptr_array_add(t->cells, g_strdup(head[t->cols++]));
}

static void cell(struct table *t, char *s)
{
	g_ptr_array_add(t->cells, s);
}

/* Left-aligned columns two spaces apart; no trailing blanks. */
static void table_print(struct table *t, GString *out)
{
	size_t w[MAX_COLS] = { 0 };

	for (unsigned int i = 0; i < t->cells->len; i++) {
		size_t n = strlen(t->cells->pdata[i]);

		if (n > w[i % t->cols])
			w[i % t->cols] = n;
	}
	for (unsigned int i = 0; i < t->cells->len; i++) {
		unsigned int c = i % t->cols;

		if (c + 1 == t->cols)
			g_string_append_printf(out, "%s\n",
					       (char *)t->cells->pdata[i]);
		else
			g_string_append_printf(out, "%-*s  ", (int)w[c],
					       (char *)t->cells->pdata[i]);
	}
	g_ptr_array_free(t->cells, TRUE);
}

void vtl_fmt_bytes(uint64_t v, char *buf, size_t size)
{
	static const char *const unit[] = { "kB", "MB", "GB", "TB", "PB" };
	double d = v;
	int u = -1;

	if (v < 1000) {
		snprintf(buf, size, "%" PRIu64 " B", v);
		return;
	}
	while (d >= 1000 && u < 4) {
		d /= 1000;
		u++;
	}
	snprintf(buf, size, "%.1f %s", d, unit[u]);
}

static const char *str(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	if (!n || JSON_NODE_TYPE(n) != JSON_NODE_VALUE ||
	    json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static bool num(JsonObject *o, const char *name, uint64_t *v)
{
	JsonNode *n = json_object_get_member(o, name);

	if (!n || JSON_NODE_TYPE(n) != JSON_NODE_VALUE ||
	    json_node_get_value_type(n) != G_TYPE_INT64 ||
	    json_node_get_int(n) < 0)
		return false;
	*v = json_node_get_int(n);
	return true;
}

static char *bytes(uint64_t v)
{
	char buf[32];

	vtl_fmt_bytes(v, buf, sizeof(buf));
	return g_strdup(buf);
}

static bool each_object(JsonNode *arr, bool (*fn)(JsonObject *, void *),
			void *arg)
{
	JsonArray *a;

	if (!arr || !JSON_NODE_HOLDS_ARRAY(arr))
		return false;
	a = json_node_get_array(arr);
	for (unsigned int i = 0; i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);

		if (!JSON_NODE_HOLDS_OBJECT(n) ||
		    !fn(json_node_get_object(n), arg))
			return false;
	}
	return true;
}

static bool cart_row(JsonObject *o, void *arg)
{
	struct table *t = arg;
	const char *bc = str(o, "barcode"), *type = str(o, "type"),
		*loc = str(o, "location"), *err = str(o, "error");
	uint64_t index, addr, used, cap;

	if (!bc || !type || !loc || !num(o, "used", &used) ||
	    !num(o, "capacity", &cap))
		return false;
	cell(t, g_strdup(bc));
	cell(t, g_strdup(type));
	if (num(o, "index", &index) && num(o, "address", &addr)) {
		cell(t, g_strdup_printf("%s %" PRIu64, loc, index));
		cell(t, g_strdup_printf("0x%04" PRIx64, addr));
	} else {
		cell(t, g_strdup(loc));
		cell(t, g_strdup("-"));
	}
	if (err) {
		cell(t, g_strdup("-"));
		cell(t, g_strdup("-"));
		cell(t, g_strdup_printf("error: %s", err));
		return true;
	}
	cell(t, bytes(used));
	cell(t, bytes(cap));
	cell(t, cap ? g_strdup_printf("%.1f%%", 100.0 * used / cap) :
	     g_strdup("-"));
	return true;
}

bool vtl_fmt_carts(JsonNode *carts, GString *out)
{
	static const char *const head[] = {
		"BARCODE", "TYPE", "LOCATION", "ADDR", "USED", "CAPACITY",
		"FULL", NULL
	};
	struct table t;
	bool ok;

	table_init(&t, head);
	ok = each_object(carts, cart_row, &t);
	if (ok)
		table_print(&t, out);
	else
		g_ptr_array_free(t.cells, TRUE);
	return ok;
}

static bool drive_row(JsonObject *o, void *arg)
{
	struct table *t = arg;
	const char *name = str(o, "name"), *pers = str(o, "personality"),
		*state = str(o, "state"), *cart = str(o, "cartridge");
	uint64_t index, part, pos, file, wr, rd, loads;

	if (!name || !pers || !state || !num(o, "index", &index) ||
	    !num(o, "partition", &part) || !num(o, "position", &pos) ||
	    !num(o, "file", &file) || !num(o, "bytes_written", &wr) ||
	    !num(o, "bytes_read", &rd) || !num(o, "loads", &loads))
		return false;
	cell(t, g_strdup_printf("%" PRIu64, index));
	cell(t, g_strdup(name));
	cell(t, g_strdup(pers));
	cell(t, g_strdup(state));
	cell(t, g_strdup(cart ? cart : "-"));
	if (!strcmp(state, "loaded"))
		cell(t, g_strdup_printf("%" PRIu64 ":%" PRIu64 " file %"
					PRIu64, part, pos, file));
	else
		cell(t, g_strdup("-"));
	cell(t, bytes(wr));
	cell(t, bytes(rd));
	cell(t, g_strdup_printf("%" PRIu64, loads));
	return true;
}

bool vtl_fmt_drives(JsonNode *drives, GString *out)
{
	static const char *const head[] = {
		"DRIVE", "NAME", "MODEL", "STATE", "CARTRIDGE", "POSITION",
		"WRITTEN", "READ", "LOADS", NULL
	};
	struct table t;
	bool ok;

	table_init(&t, head);
	ok = each_object(drives, drive_row, &t);
	if (ok)
		table_print(&t, out);
	else
		g_ptr_array_free(t.cells, TRUE);
	return ok;
}

bool vtl_fmt_lib(JsonNode *lib, GString *out)
{
	uint64_t s, sf, m, mf, d, df, shelf;
	const char *name, *dir, *sock, *ch, *comp;
	JsonObject *o;

	if (!lib || !JSON_NODE_HOLDS_OBJECT(lib))
		return false;
	o = json_node_get_object(lib);
	name = str(o, "name");
	dir = str(o, "dir");
	sock = str(o, "socket");
	ch = str(o, "changer");
	comp = str(o, "compression");
	if (!name || !dir || !sock || !ch || !comp ||
	    !num(o, "slots", &s) || !num(o, "slots_full", &sf) ||
	    !num(o, "mailslots", &m) || !num(o, "mailslots_full", &mf) ||
	    !num(o, "drives", &d) || !num(o, "drives_full", &df) ||
	    !num(o, "shelf", &shelf))
		return false;
	g_string_append_printf(out,
		"library      %s\n"
		"directory    %s\n"
		"socket       %s\n"
		"changer      %s\n"
		"compression  %s\n"
		"slots        %" PRIu64 " of %" PRIu64 " full\n"
		"mailslots    %" PRIu64 " of %" PRIu64 " full\n"
		"drives       %" PRIu64 " of %" PRIu64 " full\n"
		"shelf        %" PRIu64 " cartridge%s\n",
		name, dir, sock, ch, comp, sf, s, mf, m, df, d, shelf,
		shelf == 1 ? "" : "s");
	return true;
}
