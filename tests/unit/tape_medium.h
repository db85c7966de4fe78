/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An in-memory tape medium implementing struct scstu_tape_medium_ops:
 * real objects (data blocks with their bytes, filemarks), EOD, up to
 * four partitions sharing the cartridge's capacity, a MAM blob, and
 * -ENOSPC when a block does not fit. For the tape unit tests and native
 * benchmarks of the tape class. Filemarks take no capacity.
 *
 * Error injection: tmed_set_bad() makes one object unreadable; fail_*
 * make the next call of a kind fail with that -errno.
 */
#ifndef TAPE_MEDIUM_H
#define TAPE_MEDIUM_H

#include <stdint.h>
#include "scstuser_tape.h"

#define TMED_MAX_PARTS	4

struct tmed_obj {
	uint8_t type;			/* enum scstu_tape_obj_type */
	uint32_t len;
	uint8_t *data;			/* len bytes for a block */
	int bad;			/* -errno on read, 0: readable */
};

struct tmed_part {
	struct tmed_obj *objs;
	uint64_t nr, alloc;		/* objects before EOD */
	uint64_t capacity, used;	/* bytes */
};

struct tmed {
	struct scstu_tape_media media;
	struct tmed_part parts[TMED_MAX_PARTS];
	unsigned int nr_parts;
	uint8_t *mam;
	size_t mam_len;
	/* what the drive did */
	unsigned int syncs, writes, formats;
	bool last_compress;
	const struct scstu_tape_key *last_wkey;
	/* injected failures of the next call (-errno, 0: none) */
	int fail_write, fail_sync, fail_read;
};

extern const struct scstu_tape_medium_ops tmed_ops;

/* A cartridge of LTO generation gen with capacity bytes (flags below). */
#define TMED_WORM	(1U << 0)
#define TMED_CLEANING	(1U << 1)
#define TMED_TYPE_M	(1U << 2)
struct tmed *tmed_new(uint8_t gen, uint64_t capacity, unsigned int flags,
		      const char *barcode);
void tmed_free(struct tmed *m);
/* Reading object obj of part fails with err from now on. */
void tmed_set_bad(struct tmed *m, unsigned int part, uint64_t obj, int err);

#endif /* TAPE_MEDIUM_H */
