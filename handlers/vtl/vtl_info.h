/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vtlctl shows: cartridges, drives and the library, as the daemon
 * reports them (vtl_lib.c fills these, vtl_json.c turns them into the
 * control protocol's JSON, vtl_fmt.c into tables).
 */
#ifndef SCSTU_VTL_INFO_H
#define SCSTU_VTL_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>
#include <json-glib/json-glib.h>
#include <scstuser_tape.h>

enum vtl_where {
	VTL_WHERE_SHELF = 0,		/* in the directory, not in the library */
	VTL_WHERE_SLOT = 1,
	VTL_WHERE_MAILSLOT = 2,
	VTL_WHERE_DRIVE = 3,
	VTL_WHERE_PICKER = 4,		/* only during EXCHANGE MEDIUM */
};

struct vtl_cart_info {
	char barcode[33];
	char type[16];			/* "LTO8", "LTO8W", "LTO7M8", "CLN" */
	enum vtl_where where;
	unsigned int index;		/* slot, mailslot or drive number */
	uint16_t addr;			/* element address; 0 on the shelf */
	uint64_t capacity, used;	/* bytes */
	char error[160];		/* metadata unreadable: why */
};

struct vtl_drive_info {
	unsigned int index;
	uint16_t addr;
	char name[64];			/* the device name, lib0-d0 */
	char personality[16];
	char serial[33];
	char barcode[33];		/* the drive element's cartridge */
	struct scstu_tape_status st;
};

struct vtl_lib_info {
	const char *name, *dir, *socket, *changer;
	unsigned int slots, slots_full;
	unsigned int mailslots, mailslots_full;
	unsigned int drives, drives_full;
	unsigned int shelf;		/* cartridges outside the library */
	const char *compression;
};

/* The media type name of media ("LTO8", "LTO8W", "LTO7M8", "CLN"). */
void vtl_media_type_name(const struct scstu_tape_media *media, char *buf,
			 size_t size);
const char *vtl_where_name(enum vtl_where w);

/* JSON objects of the control protocol (docs/vtl.md "Control socket") */
JsonNode *vtl_json_cart(const struct vtl_cart_info *c);
JsonNode *vtl_json_drive(const struct vtl_drive_info *d);
JsonNode *vtl_json_lib(const struct vtl_lib_info *l);
/* One line of JSON, no newline (g_free). */
char *vtl_json_line(JsonNode *node);

/*
 * Human tables from those objects (what vtlctl prints without --json):
 * a JSON array of carts, of drives, or the library object. Appends to
 * out; false if the JSON does not have the expected shape.
 */
bool vtl_fmt_carts(JsonNode *carts, GString *out);
bool vtl_fmt_drives(JsonNode *drives, GString *out);
bool vtl_fmt_lib(JsonNode *lib, GString *out);
/* "1.5 GB" style, powers of 1000 as tape capacities are given */
void vtl_fmt_bytes(uint64_t v, char *buf, size_t size);

#endif /* SCSTU_VTL_INFO_H */
