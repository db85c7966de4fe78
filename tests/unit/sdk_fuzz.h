/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sdk_fuzz: what the generator (sdk_fuzz.c) and the fuzzed disk's handler
 * (sdk_fuzz_disk.c) share.
 */
#ifndef SDK_FUZZ_H
#define SDK_FUZZ_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "scstuser.h"
#include "scstuser_disk.h"
#include "scstuser_harness.h"

#define NR_BLOCKS	4096
#define BS		512

/* A command in flight */
struct fslot {
	unsigned long no;		/* command number */
	uint8_t cdb[32];
	struct scstu_harness_cmd cmd;
	uint8_t *buf;			/* MAX_XFER + GUARD */
	uint8_t *orig;			/* data-out as sent */
	bool busy, abort_issued;
	unsigned int completions;
};

extern uint64_t seed;
/* the disk's contents and provisioning state, under ram_lock */
extern uint8_t *ram;
extern uint8_t mapped[NR_BLOCKS];
extern pthread_mutex_t ram_lock;
extern atomic_uint nr_async, nr_aborted_cb, nr_resets;

/* Print the seed, s's CDB (if s) and the message; abort. */
void fail(const struct fslot *s, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

/* Thread-independent hash of the seed and a key. */
uint64_t mix(uint64_t a, uint64_t b);

/* The handler: callbacks and the completer thread. */
extern const struct scstu_disk_ops fuzz_disk_ops;
extern const struct scstu_ops fuzz_raw_ops;
void fuzz_completer_start(void);
void fuzz_completer_stop(void);

#endif /* SDK_FUZZ_H */
