/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstu-vtl cartridges: one directory per barcode in the library's
 * directory, in the on-disk format of docs/vtl-cartridge.md. A struct
 * cart is a medium for the SDK's tape class: cart_medium_ops with the
 * struct cart as its void *m.
 *
 * Every data block carries a CRC32C and may be compressed (lz4 or zstd)
 * and encrypted (AES-256-GCM; the key never touches the disk). Crash
 * safety: after ->sync returns, everything written before it survives a
 * SIGKILL or power cut; at open, a cartridge ends at its last complete,
 * valid object (a torn tail is cut off and logged).
 *
 * A cartridge is used by one drive at a time (the caller serializes).
 */
#ifndef SCSTU_VTL_CART_H
#define SCSTU_VTL_CART_H

#include <stdbool.h>
#include <stdint.h>
#include <scstuser_tape.h>

enum cart_compress {
	CART_COMPRESS_LZ4 = 0,		/* default */
	CART_COMPRESS_ZSTD = 1,
};

/* What to make (cart_create). */
struct cart_spec {
	const char *barcode;		/* 1..32 chars [A-Z0-9], the dir name */
	/*
	 * Media type: "LTO5".."LTO9", "LTO7M8" (LTO-7 Type M), a "W" suffix
	 * for WORM ("LTO8W"), "CLN" (cleaning). NULL: from the barcode's
	 * last two characters (L5..L9, M8, LV..LZ for WORM, CLN prefix).
	 */
	const char *type;
	uint64_t capacity;		/* bytes; 0: the type's native size */
	enum cart_compress compress;
};

struct cart;

/*
 * Create cartridge dir/<barcode>. -EEXIST, -EINVAL (bad barcode or
 * type, with *msg set to a malloc'd explanation), -errno.
 */
int cart_create(const char *dir, const struct cart_spec *spec, char **msg);

/*
 * Open dir/<barcode>. Recovers a torn tail (see above). On error returns
 * NULL with *err (-ENOENT, -EBADMSG for a corrupt cartridge, -errno) and
 * *msg (malloc'd, says what is wrong and where). A damaged block later
 * found by ->read gives -EBADMSG there, never a crash.
 */
struct cart *cart_open(const char *dir, const char *barcode, int *err,
		       char **msg);
/* Sync and close. */
void cart_close(struct cart *c);

extern const struct scstu_tape_medium_ops cart_medium_ops;
/* The medium description for scstu_tape_load(). */
void cart_media(const struct cart *c, struct scstu_tape_media *media);

/* Inventory: fill *media from the cartridge's metadata without opening
 * it for I/O (vtlctl list). 0 or -errno. */
int cart_stat(const char *dir, const char *barcode,
	      struct scstu_tape_media *media, uint64_t *used);

/* Parse a type name or derive it from a barcode; false if unknown. */
bool cart_type_parse(const char *type, const char *barcode,
		     struct scstu_tape_media *media);

/* Which CRC32C routine this CPU got (the fastest of three, timed once). */
const char *cart_crc32c_routine(void);

#endif /* SCSTU_VTL_CART_H */
