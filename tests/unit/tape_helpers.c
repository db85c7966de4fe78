// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tape class unit tests: the drive fixture and command helpers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tape_test.h"

struct tdrive tt;

static void tt_unloaded(struct scstu_dev *dev)
{
	(void)dev;
	tt.unloaded++;
}

static const struct scstu_tape_ops tt_ops = { .unloaded = tt_unloaded };

void tt_drive(const char *p)
{
	struct scstu_dev_config cfg = { .name = "tape0" };
	struct scstu_tape_config tc = { .personality = p,
					.serial = "1013000123" };
	uint8_t asc, ascq;

	memset(&tt, 0, sizeof(tt));
	tt.h = scstu_harness_new();
	ck_assert_ptr_nonnull(tt.h);
	cfg.harness = tt.h;
	tt.dev = scstu_tape_create(&cfg, &tc, &tt_ops, NULL);
	ck_assert_ptr_nonnull(tt.dev);
	while (scstu_harness_pop_ua(tt.dev, &asc, &ascq))
		;
}

void tt_setup(const char *p, uint8_t gen, uint64_t capacity,
	      unsigned int flags)
{
	uint8_t asc, ascq;

	tt_drive(p);
	tt.m = tmed_new(gen, capacity, flags, "TST001L8");
	ck_assert_ptr_nonnull(tt.m);
	ck_assert_int_eq(scstu_tape_load(tt.dev, tt.m, &tmed_ops,
					 &tt.m->media), 0);
	ck_assert(scstu_harness_pop_ua(tt.dev, &asc, &ascq));
	ck_assert_int_eq(asc, 0x28);
	ck_assert_int_eq(ascq, 0x00);
}

void tt_default_setup(void)
{
	tt_setup(NULL, 8, 1 << 20, 0);
}

void tt_teardown(void)
{
	void *m = NULL;

	if (tt.dev) {
		scstu_tape_eject(tt.dev, true, &m);
		scstu_dev_destroy(tt.dev);
	}
	if (tt.h)
		scstu_harness_free(tt.h);
	tmed_free(tt.m);
	memset(&tt, 0, sizeof(tt));
}

void tt_run(const uint8_t *cdb, unsigned int len, enum scstu_dir dir,
	    void *buf, uint32_t xfer, struct scstu_harness_result *res)
{
	struct scstu_harness_cmd c = {
		.cdb = cdb, .cdb_len = len, .dir = dir, .data = buf,
		.xfer_len = xfer,
	};

	memset(res, 0, sizeof(*res));
	ck_assert_int_eq(scstu_harness_run(tt.dev, &c, res), 0);
}

void tt_sense_full(const struct scstu_harness_result *res, int key,
		   int asc, int ascq, unsigned int flags, int32_t info)
{
	const unsigned int stream = SCSTU_SENSE_FILEMARK | SCSTU_SENSE_EOM |
				    SCSTU_SENSE_ILI;
	struct scstu_sense s;

	hc_sense(res, key, asc, ascq);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(scstu_sense_parse(res->sense, res->sense_len, &s),
			 0);
	ck_assert_msg((s.flags & stream) == (flags & stream),
		      "stream bits %x, expected %x", s.flags & stream,
		      flags & stream);
	if (flags & SCSTU_SENSE_INFO) {
		ck_assert_msg(s.flags & SCSTU_SENSE_INFO, "INFO not valid");
		ck_assert_int_eq((int32_t)(uint32_t)s.info, info);
	}
}

static void cdb6(uint8_t *cdb, uint8_t op, uint8_t b1, uint32_t n)
{
	memset(cdb, 0, 6);
	cdb[0] = op;
	cdb[1] = b1;
	cdb[2] = n >> 16;
	cdb[3] = n >> 8;
	cdb[4] = n;
}

void tt_write(bool fixed, uint32_t n, const void *buf, uint32_t xfer,
	      struct scstu_harness_result *res)
{
	uint8_t cdb[6];

	cdb6(cdb, 0x0a, fixed, n);
	tt_run(cdb, 6, xfer ? SCSTU_DIR_WRITE : SCSTU_DIR_NONE, (void *)buf,
	       xfer, res);
}

void tt_read(uint8_t flags, uint32_t n, void *buf, uint32_t xfer,
	     struct scstu_harness_result *res)
{
	uint8_t cdb[6];

	cdb6(cdb, 0x08, flags, n);
	tt_run(cdb, 6, xfer ? SCSTU_DIR_READ : SCSTU_DIR_NONE, buf, xfer,
	       res);
}

void tt_wfm(uint32_t n, bool immed, struct scstu_harness_result *res)
{
	uint8_t cdb[6];

	cdb6(cdb, 0x10, immed, n);
	tt_run(cdb, 6, SCSTU_DIR_NONE, NULL, 0, res);
}

void tt_space6(uint8_t code, int32_t count,
	       struct scstu_harness_result *res)
{
	uint8_t cdb[6];

	cdb6(cdb, 0x11, code, (uint32_t)count & 0xffffff);
	tt_run(cdb, 6, SCSTU_DIR_NONE, NULL, 0, res);
}

void tt_rewind(struct scstu_harness_result *res)
{
	uint8_t cdb[6] = { 0x01 };

	tt_run(cdb, 6, SCSTU_DIR_NONE, NULL, 0, res);
}

void tt_locate16(uint8_t dest, bool cp, uint8_t part, uint64_t id,
		 struct scstu_harness_result *res)
{
	uint8_t cdb[16] = { 0x92 };
	int i;

	cdb[1] = (uint8_t)(dest << 3 | (cp ? 0x02 : 0));
	cdb[3] = part;
	for (i = 0; i < 8; i++)
		cdb[4 + i] = (uint8_t)(id >> (56 - 8 * i));
	tt_run(cdb, 16, SCSTU_DIR_NONE, NULL, 0, res);
}

void tt_pos(unsigned int *part, uint64_t *obj, uint64_t *file)
{
	uint8_t cdb[10] = { 0x34, 0x06 }, buf[32];
	struct scstu_harness_result res;
	uint64_t v = 0, f = 0;
	int i;

	tt_run(cdb, 10, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_int_eq(res.xfer, 32);
	for (i = 0; i < 8; i++) {
		v = v << 8 | buf[8 + i];
		f = f << 8 | buf[16 + i];
	}
	if (part)
		*part = (unsigned int)buf[4] << 24 | buf[5] << 16 |
			buf[6] << 8 | buf[7];
	if (obj)
		*obj = v;
	if (file)
		*file = f;
}

void tt_at(uint64_t obj, uint64_t file)
{
	unsigned int p;
	uint64_t o, f;

	tt_pos(&p, &o, &f);
	ck_assert_uint_eq(p, 0);
	ck_assert_uint_eq(o, obj);
	ck_assert_uint_eq(f, file);
}

void tt_setblk(uint32_t bl, struct scstu_harness_result *res)
{
	uint8_t cdb[6] = { 0x15, 0x10, 0, 0, 12 };
	uint8_t buf[12] = { 0, 0, 0x10, 8 };

	buf[9] = bl >> 16;
	buf[10] = bl >> 8;
	buf[11] = bl;
	tt_run(cdb, 6, SCSTU_DIR_WRITE, buf, sizeof(buf), res);
}

void tt_fill(uint8_t *buf, uint32_t len, uint8_t seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 7);
}

void tt_put_block(uint32_t len, uint8_t seed)
{
	struct scstu_harness_result res;
	uint8_t *buf = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(buf);
	tt_fill(buf, len, seed);
	tt_write(false, len, buf, len, &res);
	free(buf);
	hc_good(&res);
}
