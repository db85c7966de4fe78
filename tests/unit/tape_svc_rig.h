/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Test rig of the tape services (ssc_log.c, ssc_mam.c, ssc_crypto.c),
 * white-box without the tape core: a raw device on the harness whose
 * class_priv is a struct ssc_drive the rig fills, a command table with
 * the six service commands (the usage maps the tape core's table should
 * carry), and a small in-memory medium.
 */
#ifndef TAPE_SVC_RIG_H
#define TAPE_SVC_RIG_H

#include <check.h>
#include "scstuser_harness.h"
#include "harness_check.h"
#include "ssc.h"

#define RM_OBJS	16

struct robj {
	enum scstu_tape_obj_type type;
	bool encrypted, compressed;
	uint8_t key0;			/* first key byte it was written with */
};

struct rmedium {
	unsigned int nparts;
	uint64_t cap[2], used[2];
	struct robj objs[2][RM_OBJS];
	uint64_t eod[2];
	uint8_t mam[20000];
	int mam_len;			/* 0: none yet */
	int mam_read_err, mam_write_err;
	unsigned int mam_writes;
};

struct rig {
	struct scstu_harness *h;
	struct scstu_dev *dev;
	struct ssc_drive d;
	struct rmedium m;
};

extern struct rig rig;
extern const struct scstu_tape_medium_ops rig_mops;

/* A drive with the services initialized; no medium. */
void rig_setup(void);
void rig_teardown(void);
/* Put rig.m in the drive (2 partitions: 400 MiB + 100 MiB), as the core
 * would: state, media, ssc_mam_loaded. */
void rig_load(void);
void rig_unload(void);

struct scstu_harness_result;
void r_run(uint64_t session, const uint8_t *cdb, unsigned int len,
	   enum scstu_dir dir, void *buf, uint32_t xfer,
	   struct scstu_harness_result *res);
uint16_t r_be16(const uint8_t *p);
uint32_t r_be32(const uint8_t *p);
uint64_t r_be64(const uint8_t *p);

#endif
