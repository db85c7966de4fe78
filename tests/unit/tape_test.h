/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tape class unit tests: a drive on the in-process harness with an
 * in-memory medium (tape_medium.h), and helpers to send SSC commands and
 * check their sense (key, ASC/ASCQ, FILEMARK/EOM/ILI, INFORMATION).
 */
#ifndef TAPE_TEST_H
#define TAPE_TEST_H

#include <check.h>
#include <stdint.h>
#include "scstuser.h"
#include "scstuser_harness.h"
#include "harness_check.h"
#include "scstuser_tape.h"
#include "tape_medium.h"
#include "unit_registry.h"

struct tdrive {
	struct scstu_harness *h;
	struct scstu_dev *dev;
	struct tmed *m;			/* loaded (or ejected) medium */
	unsigned int unloaded;		/* tops.unloaded calls */
};

extern struct tdrive tt;

/* A drive of personality p (NULL: default) with no medium. */
void tt_drive(const char *p);
/* tt_drive(p) and a loaded medium (UA consumed). */
void tt_setup(const char *p, uint8_t gen, uint64_t capacity,
	      unsigned int flags);
void tt_teardown(void);
/* Fixture: ibm-lto8 with an LTO-8 medium of 1 MiB. */
void tt_default_setup(void);

void tt_run(const uint8_t *cdb, unsigned int len, enum scstu_dir dir,
	    void *buf, uint32_t xfer, struct scstu_harness_result *res);
/*
 * hc_sense() plus stream bits (SCSTU_SENSE_FILEMARK/EOM/ILI, exactly)
 * and, with SCSTU_SENSE_INFO in flags, a valid INFORMATION equal to
 * info (signed 32 bits).
 */
void tt_sense_full(const struct scstu_harness_result *res, int key,
		   int asc, int ascq, unsigned int flags, int32_t info);

/* Commands: return the result in *res. */
void tt_write(bool fixed, uint32_t n, const void *buf, uint32_t xfer,
	      struct scstu_harness_result *res);
void tt_read(uint8_t flags, uint32_t n, void *buf, uint32_t xfer,
	     struct scstu_harness_result *res);
void tt_wfm(uint32_t n, bool immed, struct scstu_harness_result *res);
void tt_space6(uint8_t code, int32_t count,
	       struct scstu_harness_result *res);
void tt_rewind(struct scstu_harness_result *res);
void tt_locate16(uint8_t dest, bool cp, uint8_t part, uint64_t id,
		 struct scstu_harness_result *res);
/* READ POSITION long form: partition, object, file; asserts GOOD. */
void tt_pos(unsigned int *part, uint64_t *obj, uint64_t *file);
/* Assert the position (partition 0). */
void tt_at(uint64_t obj, uint64_t file);
/* Set the block length of the block descriptor (MODE SELECT(6)). */
void tt_setblk(uint32_t bl, struct scstu_harness_result *res);
/* A variable block of len bytes filled from seed, GOOD asserted. */
void tt_put_block(uint32_t len, uint8_t seed);
void tt_fill(uint8_t *buf, uint32_t len, uint8_t seed);

#endif /* TAPE_TEST_H */
