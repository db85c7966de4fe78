// SPDX-License-Identifier: GPL-2.0
/* The JSON objects of the control protocol (json-glib). */
#include <stdio.h>
#include <string.h>

#include "vtl_info.h"

void vtl_media_type_name(const struct scstu_tape_media *media, char *buf,
			 size_t size)
{
	if (media->cleaning)
		snprintf(buf, size, "CLN");
	else if (media->type_m)
		snprintf(buf, size, "LTO7M8");
	else
		snprintf(buf, size, "LTO%u%s", media->generation,
			 media->worm ? "W" : "");
}

const char *vtl_where_name(enum vtl_where w)
{
	switch (w) {
	case VTL_WHERE_SLOT:
		return "slot";
	case VTL_WHERE_MAILSLOT:
		return "mailslot";
	case VTL_WHERE_DRIVE:
		return "drive";
	case VTL_WHERE_PICKER:
		return "picker";
	default:
		return "shelf";
	}
}

static const char *state_name(enum scstu_tape_state s)
{
	switch (s) {
	case SCSTU_TAPE_LOADED:
		return "loaded";
	case SCSTU_TAPE_EJECTED:
		return "ejected";
	default:
		return "empty";
	}
}

JsonNode *vtl_json_cart(const struct vtl_cart_info *c)
{
	JsonBuilder *b = json_builder_new();
	JsonNode *n;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "barcode");
	json_builder_add_string_value(b, c->barcode);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, c->type);
	json_builder_set_member_name(b, "location");
	json_builder_add_string_value(b, vtl_where_name(c->where));
	if (c->where != VTL_WHERE_SHELF) {
		json_builder_set_member_name(b, "index");
		json_builder_add_int_value(b, c->index);
		json_builder_set_member_name(b, "address");
		json_builder_add_int_value(b, c->addr);
	}
	json_builder_set_member_name(b, "capacity");
	json_builder_add_int_value(b, (gint64)c->capacity);
	json_builder_set_member_name(b, "used");
	json_builder_add_int_value(b, (gint64)c->used);
	if (c->error[0]) {
		json_builder_set_member_name(b, "error");
		json_builder_add_string_value(b, c->error);
	}
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	g_object_unref(b);
	return n;
}

static void add_u64(JsonBuilder *b, const char *name, uint64_t v)
{
	json_builder_set_member_name(b, name);
	json_builder_add_int_value(b, (gint64)v);
}

JsonNode *vtl_json_drive(const struct vtl_drive_info *d)
{
	const struct scstu_tape_status *st = &d->st;
	JsonBuilder *b = json_builder_new();
	JsonNode *n;

	json_builder_begin_object(b);
	add_u64(b, "index", d->index);
	add_u64(b, "address", d->addr);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, d->name);
	json_builder_set_member_name(b, "personality");
	json_builder_add_string_value(b, d->personality);
	json_builder_set_member_name(b, "serial");
	json_builder_add_string_value(b, d->serial);
	json_builder_set_member_name(b, "state");
	json_builder_add_string_value(b, state_name(st->state));
	json_builder_set_member_name(b, "cartridge");
	if (d->barcode[0])
		json_builder_add_string_value(b, d->barcode);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "prevent");
	json_builder_add_boolean_value(b, st->prevent);
	json_builder_set_member_name(b, "encrypting");
	json_builder_add_boolean_value(b, st->encrypting);
	add_u64(b, "partition", st->partition);
	add_u64(b, "position", st->position);
	add_u64(b, "file", st->file);
	add_u64(b, "bytes_written", st->bytes_written);
	add_u64(b, "bytes_read", st->bytes_read);
	add_u64(b, "bytes_stored", st->bytes_stored);
	add_u64(b, "bytes_retrieved", st->bytes_retrieved);
	add_u64(b, "blocks_written", st->blocks_written);
	add_u64(b, "blocks_read", st->blocks_read);
	add_u64(b, "filemarks_written", st->filemarks_written);
	add_u64(b, "loads", st->loads);
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	g_object_unref(b);
	return n;
}

static void add_str(JsonBuilder *b, const char *name, const char *v)
{
	json_builder_set_member_name(b, name);
	if (v)
		json_builder_add_string_value(b, v);
	else
		json_builder_add_null_value(b);
}

JsonNode *vtl_json_lib(const struct vtl_lib_info *l)
{
	JsonBuilder *b = json_builder_new();
	JsonNode *n;

	json_builder_begin_object(b);
	add_str(b, "name", l->name);
	add_str(b, "dir", l->dir);
	add_str(b, "socket", l->socket);
	add_str(b, "changer", l->changer);
	add_str(b, "compression", l->compression);
	add_u64(b, "slots", l->slots);
	add_u64(b, "slots_full", l->slots_full);
	add_u64(b, "mailslots", l->mailslots);
	add_u64(b, "mailslots_full", l->mailslots_full);
	add_u64(b, "drives", l->drives);
	add_u64(b, "drives_full", l->drives_full);
	add_u64(b, "shelf", l->shelf);
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	g_object_unref(b);
	return n;
}

char *vtl_json_line(JsonNode *node)
{
	JsonGenerator *g = json_generator_new();
	char *s;

	json_generator_set_pretty(g, FALSE);
	json_generator_set_root(g, node);
	s = json_generator_to_data(g, NULL);
	g_object_unref(g);
	return s;
}
