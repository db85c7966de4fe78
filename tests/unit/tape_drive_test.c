// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tape class: the drive as a device: creation, personalities (INQUIRY,
 * VPD, READ BLOCK LIMITS, REPORT DENSITY SUPPORT), media rules, WORM and
 * cleaning cartridges, LOAD UNLOAD / PREVENT ALLOW / eject, RSOC,
 * status and the changer's device id (mode parameters: tape_mode_test.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tape_test.h"
#include "internal.h"

static void inquiry(uint8_t evpd, uint8_t page, uint8_t *buf, uint16_t len,
		    struct scstu_harness_result *res)
{
	uint8_t cdb[6] = { 0x12, evpd, page, len >> 8, (uint8_t)len };

	tt_run(cdb, 6, SCSTU_DIR_READ, buf, len, res);
}

/*
 * Commands the kernel held while the handler was dead reach a new
 * process before the unit attention of the cartridge it reloaded: a
 * WRITE among them must not run at the (BOP) position (75-vtl-kill).
 */
START_TEST(test_held_across_restart)
{
	static const uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	struct scstu_harness_result res;
	uint8_t blk[512], buf[36];

	tt_put_block(512, 1);
	tt_at(1, 0);
	scstu_harness_mark_early(tt.dev, 4);
	tt_fill(blk, sizeof(blk), 2);
	tt_write(false, sizeof(blk), blk, sizeof(blk), &res);
	hc_sense(&res, SCSTU_UNIT_ATTENTION, 0x28, 0x00);
	tt_run(inq, 6, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);				/* INQUIRY is exempt */
	tt_rewind(&res);
	hc_sense(&res, SCSTU_UNIT_ATTENTION, 0x28, 0x00);
	tt_read(0, sizeof(blk), blk, sizeof(blk), &res);
	hc_sense(&res, SCSTU_UNIT_ATTENTION, 0x28, 0x00);
	/* nothing moved, nothing was written; later commands run */
	tt_at(1, 0);
	ck_assert_uint_eq(tt.m->parts[0].nr, 1);
	ck_assert_uint_eq(tt.m->writes, 1);
	tt_put_block(512, 3);
	tt_at(2, 0);
}
END_TEST

START_TEST(test_create_errors)
{
	struct scstu_harness *h = scstu_harness_new();
	struct scstu_dev_config cfg = { .name = "t", .harness = h };
	struct scstu_tape_config tc = { .personality = "ibm-lto4" };
	struct scstu_ops raw = { .execute = (void (*)(struct scstu_req *))1 };

	ck_assert_ptr_null(scstu_tape_create(&cfg, &tc, NULL, NULL));
	ck_assert_int_eq(errno, EINVAL);
	tc.personality = "hp-lto9";
	ck_assert_ptr_null(scstu_tape_create(&cfg, &tc, NULL, &raw));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(scstu_tape_create(NULL, &tc, NULL, NULL));
	scstu_harness_free(h);
}
END_TEST

static const struct {
	const char *name, *vendor, *product;
	uint32_t max_block;
	uint8_t density;
} persons[] = {
	{ "ibm-lto5", "IBM     ", "ULT3580-TD5     ", 0x800000, 0x58 },
	{ "ibm-lto6", "IBM     ", "ULT3580-TD6     ", 0x800000, 0x5a },
	{ "ibm-lto7", "IBM     ", "ULT3580-TD7     ", 0x800000, 0x5c },
	{ "ibm-lto8", "IBM     ", "ULT3580-TD8     ", 0x800000, 0x5e },
	{ "ibm-lto9", "IBM     ", "ULT3580-TD9     ", 0x800000, 0x60 },
	{ "hp-lto5", "HP      ", "Ultrium 5-SCSI  ", 0xffffff, 0x58 },
	{ "hp-lto6", "HP      ", "Ultrium 6-SCSI  ", 0xffffff, 0x5a },
	{ "hp-lto7", "HP      ", "Ultrium 7-SCSI  ", 0xffffff, 0x5c },
	{ "hp-lto8", "HP      ", "Ultrium 8-SCSI  ", 0xffffff, 0x5e },
	{ "hp-lto9", "HP      ", "Ultrium 9-SCSI  ", 0xffffff, 0x60 },
};

START_TEST(test_personality)
{
	struct scstu_harness_result res;
	uint8_t buf[256], rbl[6] = { 0x05 };
	uint8_t rds[10] = { 0x44, 0, 0, 0, 0, 0, 0, 0x04, 0 };
	unsigned int i, n, dflt = 0;
	uint32_t max;

	tt_drive(persons[_i].name);
	inquiry(0, 0, buf, 96, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[0], 0x01);		/* sequential access */
	ck_assert_int_eq(buf[1], 0x80);		/* RMB */
	ck_assert_mem_eq(&buf[8], persons[_i].vendor, 8);
	ck_assert_mem_eq(&buf[16], persons[_i].product, 16);
	ck_assert_int_eq(buf[62] << 8 | buf[63], 0x0520);	/* SSC-4 */
	tt_run(rbl, 6, SCSTU_DIR_READ, buf, 6, &res);
	hc_good(&res);
	max = (uint32_t)buf[1] << 16 | buf[2] << 8 | buf[3];
	ck_assert_uint_eq(max, persons[_i].max_block);
	ck_assert_int_eq(buf[4] << 8 | buf[5], 1);
	/* REPORT DENSITY SUPPORT: the default is the drive's own */
	tt_run(rds, 10, SCSTU_DIR_READ, buf, 1024, &res);
	hc_good(&res);
	n = (unsigned int)(buf[0] << 8 | buf[1]) + 2;
	ck_assert_uint_eq((n - 4) % 52, 0);
	for (i = 4; i < n; i += 52) {
		ck_assert_int_eq(buf[i + 2] & 0x01, 1);		/* DLV */
		ck_assert_int_eq(buf[i + 3] << 8 | buf[i + 4], 0x34);
		ck_assert_mem_eq(&buf[i + 16], "LTO-CVE ", 8);
		if (buf[i + 2] & 0x20) {
			ck_assert_int_eq(buf[i], persons[_i].density);
			ck_assert(buf[i + 2] & 0x80);		/* WRTOK */
			dflt++;
		}
	}
	ck_assert_uint_eq(dflt, 1);
	tt_teardown();
}
END_TEST

/* generation of the medium -> can ibm-lto<5+_i> load / write it */
static const struct {
	const char *drive;
	uint8_t gen;
	bool type_m, load, write;
} rules[] = {
	{ "ibm-lto5", 3, false, true, false },
	{ "ibm-lto5", 4, false, true, true },
	{ "ibm-lto5", 5, false, true, true },
	{ "ibm-lto5", 6, false, false, false },
	{ "ibm-lto5", 2, false, false, false },
	{ "hp-lto6", 4, false, true, false },
	{ "hp-lto6", 5, false, true, true },
	{ "hp-lto7", 5, false, true, false },
	{ "hp-lto7", 6, false, true, true },
	{ "hp-lto7", 7, true, false, false },
	{ "ibm-lto8", 6, false, false, false },
	{ "ibm-lto8", 7, false, true, true },
	{ "ibm-lto8", 7, true, true, true },
	{ "ibm-lto8", 8, false, true, true },
	{ "hp-lto9", 7, false, false, false },
	{ "hp-lto9", 7, true, false, false },
	{ "hp-lto9", 8, false, true, true },
	{ "hp-lto9", 9, false, true, true },
};

START_TEST(test_media_rules)
{
	struct scstu_harness_result res;
	uint8_t buf[16] = { 0 }, ms[6] = { 0x1a, 0, 0x3f, 0, 255 }, mb[255];
	struct tmed *m;
	int ret;

	tt_drive(rules[_i].drive);
	m = tmed_new(rules[_i].gen, 1 << 20,
		     rules[_i].type_m ? TMED_TYPE_M : 0, "R00001L5");
	ret = scstu_tape_load(tt.dev, m, &tmed_ops, &m->media);
	if (!rules[_i].load) {
		ck_assert_int_eq(ret, -EMEDIUMTYPE);
		tmed_free(m);
		tt_teardown();
		return;
	}
	ck_assert_int_eq(ret, 0);
	tt.m = m;
	tt_write(false, 16, buf, 16, &res);
	if (rules[_i].write) {
		hc_good(&res);
	} else {
		/* CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT; WP in header */
		hc_sense(&res, SCSTU_DATA_PROTECT, 0x30, 0x05);
		tt_wfm(1, false, &res);
		hc_sense(&res, SCSTU_DATA_PROTECT, 0x30, 0x05);
	}
	tt_run(ms, 6, SCSTU_DIR_READ, mb, sizeof(mb), &res);
	hc_good(&res);
	ck_assert_int_eq(!!(mb[2] & 0x80), !rules[_i].write);
	ck_assert_int_eq(mb[3], 8);
	/* density code of the medium's format in the block descriptor */
	if (rules[_i].type_m)
		ck_assert_int_eq(mb[4], 0x5d);
	else if (rules[_i].gen == 7)
		ck_assert_int_eq(mb[4], 0x5c);
	tt_teardown();
}
END_TEST

START_TEST(test_vpd)
{
	struct scstu_harness_result res;
	uint8_t buf[256], id[64];
	size_t n;
	unsigned int i;
	bool t10 = false;

	inquiry(1, 0x00, buf, 64, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[3], 5);
	ck_assert_mem_eq(&buf[4], "\x00\x80\x83\xb0\xb1", 5);
	inquiry(1, 0x80, buf, 64, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[3], 10);
	ck_assert_mem_eq(&buf[4], "1013000123", 10);
	inquiry(1, 0xb0, buf, 64, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[1], 0xb0);
	ck_assert_int_eq(buf[3], 2);
	ck_assert_int_eq(buf[4] & 0x01, 1);		/* WORM */
	inquiry(1, 0xb1, buf, 64, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[3], 10);
	ck_assert_mem_eq(&buf[4], "1013000123", 10);
	/* 83h: the T10 vendor ID designator is the changer's DVCID */
	n = scstu_tape_devid(tt.dev, id, sizeof(id));
	ck_assert_uint_eq(n, 18);
	ck_assert_mem_eq(id, "IBM     1013000123", 18);
	inquiry(1, 0x83, buf, 255, &res);
	hc_good(&res);
	for (i = 4; i + 4 <= 4u + (buf[2] << 8 | buf[3]); i += 4 + buf[i + 3])
		if ((buf[i + 1] & 0x0f) == 0x01) {
			ck_assert_uint_eq(buf[i + 3], n);
			ck_assert_mem_eq(&buf[i + 4], id, n);
			t10 = true;
		}
	ck_assert(t10);
	ck_assert_uint_eq(scstu_tape_devid(tt.dev, id, 4), 18);
	inquiry(1, 0xb2, buf, 64, &res);
	hc_field(&res, 0x24, 0, 2, -1);
}
END_TEST

START_TEST(test_worm)
{
	struct scstu_harness_result res;
	uint8_t buf[64] = { 0 }, erase[6] = { 0x19 };
	uint8_t fm[6] = { 0x04 };

	tt_teardown();
	tt_setup("hp-lto8", 8, 1 << 20, TMED_WORM);
	tt_put_block(64, 1);
	tt_wfm(1, false, &res);
	hc_good(&res);
	tt_put_block(64, 2);		/* appending is fine */
	tt_rewind(&res);
	/* overwriting is not */
	tt_write(false, 64, buf, 64, &res);
	hc_sense(&res, SCSTU_DATA_PROTECT, 0x30, 0x0c);
	tt_wfm(1, false, &res);
	hc_sense(&res, SCSTU_DATA_PROTECT, 0x30, 0x0c);
	tt_run(erase, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_DATA_PROTECT, 0x30, 0x0c);
	tt_run(fm, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_DATA_PROTECT, 0x30, 0x0c);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 3);
	/* reading works, and writing at EOD */
	tt_read(0, 64, buf, 64, &res);
	hc_good(&res);
	ck_assert_int_eq(buf[0], 1);
	tt_space6(3, 0, &res);
	tt_put_block(64, 3);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 4);
	/* closing filemarks may be overwritten, not data before them */
	tt_wfm(2, false, &res);
	hc_good(&res);
	tt_space6(1, -2, &res);
	hc_good(&res);
	tt_space6(0, -1, &res);
	hc_good(&res);
	tt_write(false, 64, buf, 64, &res);
	hc_sense(&res, SCSTU_DATA_PROTECT, 0x30, 0x0c);
	tt_space6(0, 1, &res);
	hc_good(&res);
	tt_put_block(64, 4);
	ck_assert_uint_eq(tmed_ops.eod(tt.m, 0), 5);
	/* REPORT DENSITY SUPPORT MEDIA + MEDIUM TYPE: the WORM type */
	{
		uint8_t rds[10] = { 0x44, 0x03, 0, 0, 0, 0, 0, 0, 255 };
		uint8_t b[255];

		tt_run(rds, 10, SCSTU_DIR_READ, b, sizeof(b), &res);
		hc_good(&res);
		ck_assert_int_eq(b[0] << 8 | b[1], 2 + 56);
		ck_assert_int_eq(b[4], 0x8c);
		ck_assert_int_eq(b[8], 1);
		ck_assert_int_eq(b[9], 0x5e);
	}
}
END_TEST

START_TEST(test_cleaning)
{
	struct scstu_harness_result res;
	uint8_t tur[6] = { 0 }, buf[8], ul[6] = { 0x1b };
	void *m;

	tt_teardown();
	tt_setup("ibm-lto7", 0, 0, TMED_CLEANING);
	tt_run(tur, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x30, 0x03);
	tt_read(0, 8, buf, 8, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x30, 0x03);
	tt_write(false, 8, buf, 8, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x30, 0x03);
	tt_rewind(&res);
	hc_sense(&res, SCSTU_NOT_READY, 0x30, 0x03);
	/* LOAD again: still a cleaning cartridge */
	ul[4] = 0x01;
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	tt_run(tur, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x30, 0x03);
	/* until it is unloaded and taken out */
	ul[4] = 0;
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	ck_assert_int_eq(scstu_tape_eject(tt.dev, false, &m), 0);
	tt_run(tur, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
}
END_TEST

START_TEST(test_load_unload)
{
	struct scstu_harness_result res;
	uint8_t tur[6] = { 0 }, ul[6] = { 0x1b }, pa[6] = { 0x1e };
	struct scstu_tape_status st;
	uint8_t asc, ascq;
	void *m = NULL;

	tt_put_block(10, 1);
	/* the handler cannot take a loaded medium */
	ck_assert_int_eq(scstu_tape_eject(tt.dev, false, &m), -EBUSY);
	ck_assert_int_eq(scstu_tape_load(tt.dev, tt.m, &tmed_ops,
					 &tt.m->media), -EBUSY);
	/* PREVENT: UNLOAD refused */
	pa[4] = 1;
	tt_run(pa, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	scstu_tape_get_status(tt.dev, &st);
	ck_assert(st.prevent);
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x53, 0x02);
	pa[4] = 2;
	tt_run(pa, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 4, 1);
	pa[4] = 0;
	tt_run(pa, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	/* UNLOAD: synced, ejected, handler told */
	tt.m->syncs = 0;
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	ck_assert_uint_eq(tt.m->syncs, 1);
	ck_assert_uint_eq(tt.unloaded, 1);
	scstu_tape_get_status(tt.dev, &st);
	ck_assert_int_eq(st.state, SCSTU_TAPE_EJECTED);
	tt_run(tur, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
	/* UNLOAD again: nothing to do */
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	/* LOAD re-threads it, at BOP */
	ul[4] = 0x01;
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	tt_run(tur, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	tt_at(0, 0);
	scstu_tape_get_status(tt.dev, &st);
	ck_assert_uint_eq(st.loads, 2);
	/* LOAD with EOT is invalid */
	ul[4] = 0x05;
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 4, 2);
	/* HOLD: unthreaded but present, LOAD needed */
	ul[4] = 0x08;
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	tt_run(tur, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x04, 0x02);
	ck_assert_int_eq(scstu_tape_eject(tt.dev, false, &m), -EBUSY);
	ck_assert_uint_eq(tt.unloaded, 1);
	ul[4] = 0x01;
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	tt_run(tur, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	/* UNLOAD and take it out; the drive is empty */
	ul[4] = 0x00;
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	ck_assert_int_eq(scstu_tape_eject(tt.dev, false, &m), 0);
	ck_assert_ptr_eq(m, tt.m);
	ck_assert_int_eq(scstu_tape_eject(tt.dev, false, &m), -ENOENT);
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
	/* load it again: unit attention 28/00 */
	ck_assert_int_eq(scstu_tape_load(tt.dev, tt.m, &tmed_ops,
					 &tt.m->media), 0);
	ck_assert(scstu_harness_pop_ua(tt.dev, &asc, &ascq));
	ck_assert_int_eq(asc, 0x28);
	tt_run(tur, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	/* forced eject of a loaded medium: synced */
	tt_put_block(10, 2);
	tt.m->syncs = 0;
	ck_assert_int_eq(scstu_tape_eject(tt.dev, true, &m), 0);
	ck_assert_uint_eq(tt.m->syncs, 1);
	tt_run(tur, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0x00);
}
END_TEST

static void prevent(uint64_t session, uint8_t v,
		    struct scstu_harness_result *res)
{
	uint8_t cdb[6] = { 0x1e, 0, 0, 0, v };
	struct scstu_harness_cmd c = {
		.cdb = cdb, .cdb_len = 6, .session = session,
	};

	memset(res, 0, sizeof(*res));
	ck_assert_int_eq(scstu_harness_run(tt.dev, &c, res), 0);
}

START_TEST(test_prevent_per_nexus)
{
	struct scstu_nexus nx = { .session = 7, .initiator = "i7",
				  .target = "t", .rel_port = 1 };
	struct scstu_harness_result res;
	struct scstu_tape_status st;
	uint8_t ul[6] = { 0x1b };

	ck_assert_int_eq(scstu_harness_attach(tt.dev, &nx), 0);
	nx.session = 8;
	ck_assert_int_eq(scstu_harness_attach(tt.dev, &nx), 0);
	prevent(7, 1, &res);
	hc_good(&res);
	prevent(8, 1, &res);
	hc_good(&res);
	/* one nexus allowing is not enough */
	prevent(8, 0, &res);
	hc_good(&res);
	scstu_tape_get_status(tt.dev, &st);
	ck_assert(st.prevent);
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x53, 0x02);
	/* the loss of the preventing nexus ends its prevention */
	ck_assert_int_eq(scstu_harness_detach(tt.dev, 7, 0), 0);
	scstu_tape_get_status(tt.dev, &st);
	ck_assert(!st.prevent);
	/* and a logical unit reset ends every one */
	prevent(8, 1, &res);
	hc_good(&res);
	prevent(0, 1, &res);
	hc_good(&res);
	scstu_harness_abort(tt.dev, SCSTU_NO_SESSION, SCSTU_RESET_LUN);
	scstu_tape_get_status(tt.dev, &st);
	ck_assert(!st.prevent);
	/* an I_T nexus reset only that nexus's */
	prevent(8, 1, &res);
	prevent(0, 1, &res);
	scstu_harness_abort(tt.dev, 8, SCSTU_RESET_NEXUS);
	scstu_tape_get_status(tt.dev, &st);
	ck_assert(st.prevent);
	prevent(0, 0, &res);
	hc_good(&res);
	tt_run(ul, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
}
END_TEST

START_TEST(test_load_args)
{
	struct scstu_tape_medium_ops bad = tmed_ops;

	bad.find_filemark = NULL;
	tt_teardown();
	tt_drive(NULL);
	tt.m = tmed_new(8, 1000, 0, NULL);
	ck_assert_int_eq(scstu_tape_load(tt.dev, tt.m, &bad, &tt.m->media),
			 -EINVAL);
	ck_assert_int_eq(scstu_tape_load(tt.dev, tt.m, &tmed_ops, NULL),
			 -EINVAL);
	tt.m->media.generation = 12;
	ck_assert_int_eq(scstu_tape_load(tt.dev, tt.m, &tmed_ops,
					 &tt.m->media), -EMEDIUMTYPE);
}
END_TEST

START_TEST(test_status_counters)
{
	struct scstu_harness_result res;
	struct scstu_tape_status st;
	uint8_t buf[100];

	tt_put_block(100, 1);
	tt_put_block(50, 1);
	tt_wfm(2, false, &res);
	tt_rewind(&res);
	tt_read(0, 100, buf, 100, &res);
	scstu_tape_get_status(tt.dev, &st);
	ck_assert_int_eq(st.state, SCSTU_TAPE_LOADED);
	ck_assert_uint_eq(st.position, 1);
	ck_assert_uint_eq(st.file, 0);
	ck_assert_uint_eq(st.blocks_written, 2);
	ck_assert_uint_eq(st.bytes_written, 150);
	ck_assert_uint_eq(st.bytes_stored, 150);
	ck_assert_uint_eq(st.blocks_read, 1);
	ck_assert_uint_eq(st.bytes_read, 100);
	ck_assert_uint_eq(st.filemarks_written, 2);
	ck_assert_uint_eq(st.loads, 1);
	ck_assert(!st.prevent);
}
END_TEST

START_TEST(test_rbl_mloi)
{
	struct scstu_harness_result res;
	uint8_t cdb[6] = { 0x05, 0x01 }, buf[20];
	void *m;

	tt_run(cdb, 6, SCSTU_DIR_READ, buf, 20, &res);
	hc_good(&res);
	ck_assert_int_eq(res.xfer, 20);
	ck_assert_int_eq(buf[13], 0);		/* 2^48 - 1 */
	ck_assert_int_eq(buf[14], 0xff);
	ck_assert_int_eq(buf[19], 0xff);
	scstu_tape_eject(tt.dev, true, &m);
	tt_run(cdb, 6, SCSTU_DIR_READ, buf, 20, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x3a, 0);
	cdb[1] = 0;
	tt_run(cdb, 6, SCSTU_DIR_READ, buf, 20, &res);
	hc_good(&res);
	ck_assert_int_eq(res.xfer, 6);
}
END_TEST

START_TEST(test_report_density_media)
{
	struct scstu_harness_result res;
	uint8_t cdb[10] = { 0x44, 0x01, 0, 0, 0, 0, 0, 0x04, 0 };
	uint8_t buf[1024];
	unsigned int n;

	tt_run(cdb, 10, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_int_eq(buf[0] << 8 | buf[1], 2 + 52);
	ck_assert_int_eq(buf[4], 0x5e);
	ck_assert_int_eq(buf[6] & 0xa1, 0xa1);		/* WRTOK DEFLT DLV */
	ck_assert_mem_eq(&buf[4 + 24], "U-832   ", 8);
	ck_assert_int_eq(buf[4 + 12] << 24 | buf[4 + 13] << 16 |
			 buf[4 + 14] << 8 | buf[4 + 15], 12000000);
	/* medium types the LTO-8 drive reads: 7 and 8, data and WORM */
	cdb[1] = 0x02;
	tt_run(cdb, 10, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	n = (unsigned int)(buf[0] << 8 | buf[1]) + 2;
	ck_assert_uint_eq(n, 4 + 4 * 56);
	ck_assert_int_eq(buf[4], 0x88);
	ck_assert_int_eq(buf[4 + 56], 0x8c);
	ck_assert_int_eq(buf[4 + 112], 0x78);
	ck_assert_int_eq(buf[4 + 112 + 4], 2);		/* 5Ch and 5Dh */
	ck_assert_int_eq(buf[4 + 112 + 5], 0x5c);
	ck_assert_int_eq(buf[4 + 112 + 6], 0x5d);
	/* allocation length */
	cdb[8] = 10;
	cdb[7] = 0;
	tt_run(cdb, 10, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_int_eq(res.xfer, 10);
}
END_TEST

START_TEST(test_rsoc)
{
	struct scstu_harness_result res;
	uint8_t cdb[12] = { 0xa3, 0x0c, 0, 0, 0, 0, 0, 0, 0x10, 0 };
	uint8_t buf[4096];
	unsigned int n, i, found = 0;

	tt_run(cdb, 12, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	n = (unsigned int)(buf[0] << 24 | buf[1] << 16 | buf[2] << 8 |
			   buf[3]);
	ck_assert_uint_eq(n % 8, 0);
	for (i = 4; i < n + 4; i += 8) {
		switch (buf[i]) {
		case 0x08: case 0x0a: case 0x10: case 0x11: case 0x2b:
		case 0x34: case 0x92: case 0x91: case 0x1b: case 0x01:
			found++;
			break;
		case 0x28: case 0x2a: case 0x25:	/* disk commands */
			ck_abort_msg("opcode %02x listed", buf[i]);
		}
	}
	ck_assert_uint_eq(found, 10 + 3);	/* READ POSITION x4 */
	/* one command: LOCATE(16) usage data */
	cdb[2] = 0x01;
	cdb[3] = 0x92;
	tt_run(cdb, 12, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_int_eq(buf[1] & 0x07, 3);
	ck_assert_int_eq(buf[2] << 8 | buf[3], 16);
	ck_assert_int_eq(buf[5], 0x3b);
	/* READ POSITION 06h with service action */
	cdb[2] = 0x02;
	cdb[3] = 0x34;
	cdb[5] = 0x06;
	tt_run(cdb, 12, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_int_eq(buf[1] & 0x07, 3);
	/* READ(10) is not a tape command */
	cdb[2] = 0x01;
	cdb[3] = 0x28;
	cdb[5] = 0;
	tt_run(cdb, 12, SCSTU_DIR_READ, buf, sizeof(buf), &res);
	hc_good(&res);
	ck_assert_int_eq(buf[1] & 0x07, 1);
}
END_TEST

START_TEST(test_invalid_opcode)
{
	struct scstu_harness_result res;
	uint8_t cdb[10] = { 0x28 };

	tt_run(cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x20, 0x00);
	/* a CDB shorter than the command's */
	cdb[0] = 0x92;
	tt_run(cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 0, -1);
}
END_TEST

static Suite *tape_drive_suite(void)
{
	Suite *s = suite_create("tape_drive");
	TCase *tc = tcase_create("drive");
	TCase *bare = tcase_create("bare");

	tcase_add_test(bare, test_create_errors);
	tcase_add_loop_test(bare, test_personality, 0,
			    sizeof(persons) / sizeof(persons[0]));
	tcase_add_loop_test(bare, test_media_rules, 0,
			    sizeof(rules) / sizeof(rules[0]));
	suite_add_tcase(s, bare);
	tcase_add_checked_fixture(tc, tt_default_setup, tt_teardown);
	tcase_add_test(tc, test_vpd);
	tcase_add_test(tc, test_worm);
	tcase_add_test(tc, test_cleaning);
	tcase_add_test(tc, test_load_unload);
	tcase_add_test(tc, test_load_args);
	tcase_add_test(tc, test_prevent_per_nexus);
	tcase_add_test(tc, test_status_counters);
	tcase_add_test(tc, test_rbl_mloi);
	tcase_add_test(tc, test_report_density_media);
	tcase_add_test(tc, test_rsoc);
	tcase_add_test(tc, test_invalid_opcode);
	tcase_add_test(tc, test_held_across_restart);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(tape_drive_suite)
