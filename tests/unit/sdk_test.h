/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of libscstuser through the in-process harness: a test disk
 * handler (memory, optional callbacks, sync/async/held completion) and
 * helpers to send CDBs and check sense.
 */
#ifndef SDK_TEST_H
#define SDK_TEST_H

#include <check.h>
#include <stdint.h>
#include "scstuser.h"
#include "scstuser_disk.h"
#include "scstuser_harness.h"
#include "harness_check.h"

Suite *sdk_sense_suite(void);
Suite *sdk_req_suite(void);
Suite *sdk_spc_suite(void);
Suite *sdk_mode_suite(void);
Suite *sdk_sbc_suite(void);
Suite *sdk_sbc2_suite(void);

/* test disk options */
#define TD_FLUSH	(1U << 0)
#define TD_UNMAP	(1U << 1)	/* unmap + map_status */
#define TD_WS		(1U << 2)	/* own write_same */
#define TD_CAW		(1U << 3)	/* own compare_and_write */
#define TD_ASYNC	(1U << 4)	/* complete from another thread */
#define TD_RO		(1U << 5)	/* read_only */
#define TD_NO_WRITE	(1U << 6)	/* no write callback */
#define TD_WCE		(1U << 7)	/* write_cache */

struct tdisk {
	struct scstu_harness *h;
	struct scstu_dev *dev;
	uint8_t *mem;
	uint8_t *mapped;		/* per block, with TD_UNMAP */
	uint64_t nr_blocks;
	uint32_t bs;
	unsigned int opts;
	int fail;			/* next callback returns this */
	unsigned int nr_flush, nr_unmap, nr_ws, nr_write;
	unsigned int last_write_flags;
};

extern struct tdisk td;

/* Create td with opts (and mode_file, may be NULL). */
void td_setup(unsigned int opts, uint64_t nr_blocks, uint32_t bs,
	      const char *mode_file);
void td_teardown(void);
/* Fixtures for tcase_add_checked_fixture */
void td_default_setup(void);

/* Run a CDB on dev. */
void t_run(struct scstu_dev *dev, const uint8_t *cdb, unsigned int len,
	   enum scstu_dir dir, void *buf, uint32_t xfer,
	   struct scstu_harness_result *res);
/* Same, session given. */
void t_run_sess(struct scstu_dev *dev, uint64_t session, const uint8_t *cdb,
		unsigned int len, enum scstu_dir dir, void *buf,
		uint32_t xfer, struct scstu_harness_result *res);

void t_put_be16(uint16_t v, uint8_t *p);
void t_put_be32(uint32_t v, uint8_t *p);
void t_put_be64(uint64_t v, uint8_t *p);
uint16_t t_be16(const uint8_t *p);
uint32_t t_be32(const uint8_t *p);
uint64_t t_be64(const uint8_t *p);

/* CDB builders */
void t_rw16(uint8_t *cdb, uint8_t op, uint64_t lba, uint32_t nr);
void t_rw10(uint8_t *cdb, uint8_t op, uint32_t lba, uint16_t nr);

#endif /* SDK_TEST_H */
