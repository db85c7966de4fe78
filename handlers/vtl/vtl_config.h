/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstu-vtl configuration: one GLib key file per library (docs/vtl.md,
 * "Configuration"). Unknown groups and keys, repeated groups and keys and
 * bad values are errors that name file:line; a file with any error gives
 * no configuration at all.
 */
#ifndef SCSTU_VTL_CONFIG_H
#define SCSTU_VTL_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define VTL_MAX_DRIVES		64
#define VTL_MAX_SLOTS		8192
#define VTL_MAX_MAILSLOTS	240
#define VTL_MAX_CARTS		(VTL_MAX_SLOTS + VTL_MAX_MAILSLOTS)
#define VTL_BARCODE_MAX		32
#define VTL_NAME_MAX		48	/* device names add "-ch", "-d63" */

/* Element addresses (SMC): fixed ranges, docs/vtl.md "Elements". */
#define VTL_ADDR_PICKER		0x0001
#define VTL_ADDR_MAILSLOT	0x0010
#define VTL_ADDR_DRIVE		0x0100
#define VTL_ADDR_SLOT		0x1000

#define VTL_DEFAULT_DIR		"/var/lib/scstu-vtl"
#define VTL_DEFAULT_RUN_DIR	"/run/scstu-vtl"
#define VTL_DEFAULT_CONF_DIR	"/etc/scstu-vtl"

enum vtl_compress {
	VTL_COMPRESS_LZ4 = 0,
	VTL_COMPRESS_ZSTD = 1,
};

struct vtl_drive_config {
	char *personality;		/* "ibm-lto8" unless set */
	char *serial;			/* NULL: the SDK's default */
	char *revision;			/* NULL: the model's firmware */
	unsigned int line;		/* of its [drive N] group */
};

struct vtl_config {
	char *file;			/* as given */
	char *name;
	char *dir;			/* cartridges, state, mode files */
	char *socket;			/* control socket path */
	char *serial;			/* changer serial; NULL: default */
	unsigned int slots, mailslots, nr_drives;
	enum vtl_compress compress;
	struct vtl_drive_config drives[VTL_MAX_DRIVES];
	/* [cartridges]: barcodes to create at start (ranges expanded) */
	char **create;
	unsigned int nr_create;
	unsigned int create_line;	/* line of the create key */
	uint64_t capacity;		/* bytes; 0: the media type's own */
};

/*
 * Parse data (the contents of file, used in messages) into a new
 * configuration. 0, or -EINVAL with *msg ("file:line: what is wrong",
 * malloc'd).
 */
int vtl_config_parse(const char *file, const char *data, size_t len,
		     struct vtl_config **out, char **msg);
/* Read and parse file; -errno with *msg if it cannot be read. */
int vtl_config_load(const char *file, struct vtl_config **out, char **msg);
void vtl_config_free(struct vtl_config *c);

/* A barcode as cartridges are named: 1..32 characters A-Z 0-9. */
bool vtl_barcode_valid(const char *s);
/*
 * Expand a list of barcodes and ranges ("A00000L8-A00009L8, CLN001L1";
 * separators: commas and white space) into a NULL-terminated array
 * (g_strfreev). NULL with *msg on a bad item.
 */
char **vtl_barcodes_expand(const char *list, unsigned int max,
			   unsigned int *count, char **msg);
/* "100M", "2G", "1500000": bytes with an optional K/M/G/T (1024) suffix */
bool vtl_parse_size(const char *s, uint64_t *out);

#endif /* SCSTU_VTL_CONFIG_H */
