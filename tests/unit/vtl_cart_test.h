/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the cartridge suites (vtl_cart_*_test.c): a scratch
 * library directory per test, cartridge creation, data patterns, file
 * surgery and a log counter.
 */
#ifndef VTL_CART_TEST_H
#define VTL_CART_TEST_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cart.h"

#define CM (&cart_medium_ops)

/* the test's library directory (made by ct_setup, removed by ct_teardown) */
extern char ct_dir[];
void ct_setup(void);
void ct_teardown(void);

/* create barcode (type may be NULL) with capacity (0: native) */
void ct_create(const char *barcode, const char *type, uint64_t capacity,
	       enum cart_compress comp);
/* open, failing the test on error */
struct cart *ct_open(const char *barcode);
/* open expecting failure: returns the error, frees the message */
int ct_open_err(const char *barcode, char **msg);

/* deterministic data: pattern seed into buf */
void ct_fill(void *buf, size_t len, unsigned int seed);
/* incompressible (pseudo-random) / very compressible data */
void ct_fill_random(void *buf, size_t len, unsigned int seed);
/* write a block of len bytes of pattern seed at (part, obj) */
int ct_write(struct cart *c, unsigned int part, uint64_t obj, uint32_t len,
	     unsigned int seed, const struct scstu_tape_wopts *w);
/* read (part, obj) and check it is a len-byte block of pattern seed */
void ct_check(struct cart *c, unsigned int part, uint64_t obj, uint32_t len,
	      unsigned int seed, const struct scstu_tape_key *key);

/* path of a file of cartridge barcode; static buffer */
const char *ct_path(const char *barcode, const char *file);
off_t ct_size(const char *barcode, const char *file);
void ct_truncate(const char *barcode, const char *file, off_t len);
void ct_flip(const char *barcode, const char *file, off_t off,
	     uint8_t mask);
/* does the file contain needle? */
bool ct_contains(const char *barcode, const char *file, const void *needle,
		 size_t len);
/* the files of a cartridge in memory, to restore after surgery */
struct ct_snap {
	char *name[8];
	uint8_t *data[8];
	size_t len[8];
	unsigned int n;
};
void ct_snap_take(const char *barcode, struct ct_snap *s);
void ct_snap_restore(const char *barcode, const struct ct_snap *s);
void ct_snap_free(struct ct_snap *s);
/* one file of a snapshot */
const uint8_t *ct_snap_file(const struct ct_snap *s, const char *name,
			    size_t *len);

/* warnings logged since ct_setup */
extern unsigned int ct_warnings;

Suite *vtl_cart_suite(void);

#endif
