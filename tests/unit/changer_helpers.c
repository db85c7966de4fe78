// SPDX-License-Identifier: LGPL-2.1-or-later
/* Unit tests of the changer class: the test library and CDB helpers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "changer_test.h"

struct tlib tl;

uint16_t c_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t c_be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

void c_put16(uint16_t v, uint8_t *p)
{
	p[0] = v >> 8;
	p[1] = (uint8_t)v;
}

static int tl_move(struct scstu_dev *dev, const struct scstu_element *src,
		   const struct scstu_element *dst)
{
	struct tmove *m;

	ck_assert_ptr_eq(dev, tl.dev);
	ck_assert(src->full);
	ck_assert(!dst->full);
	if (tl.fail && tl.calls++ == tl.fail_at) {
		int ret = tl.fail;

		tl.fail = 0;
		return ret;
	}
	ck_assert_uint_lt(tl.nr_moves, 32);
	m = &tl.moves[tl.nr_moves++];
	m->src = src->addr;
	m->dst = dst->addr;
	m->src_type = src->type;
	m->dst_type = dst->type;
	snprintf(m->voltag, sizeof(m->voltag), "%s", src->voltag);
	return 0;
}

static void tl_changed(struct scstu_dev *dev)
{
	struct scstu_element e[TL_NR_ELEMS];
	unsigned int n, i;

	/* the lock is recursive: the state can be read back from here */
	n = scstu_changer_list(dev, e, TL_NR_ELEMS);
	ck_assert_uint_eq(n, TL_NR_ELEMS);
	tl.changed_full = 0;
	for (i = 0; i < n; i++)
		tl.changed_full += e[i].full;
	tl.nr_changed++;
}

static void tl_reset(struct scstu_dev *dev, enum scstu_reset kind,
		     uint64_t session, uint64_t lun)
{
	(void)dev;
	(void)kind;
	(void)session;
	(void)lun;
	tl.nr_resets++;
}

static const struct scstu_changer_ops tl_ops = {
	.move = tl_move,
	.changed = tl_changed,
};

static const struct scstu_ops tl_raw = {
	.reset = tl_reset,
};

void tl_setup_opts(bool no_ids, const char *mode_file)
{
	struct scstu_dev_config cfg = { .name = "tlib" };
	struct scstu_changer_config cc = {
		.vendor = "SCSTU", .product = "TEST LIBRARY",
		.revision = "0001", .serial = "LIB0001",
		.transport_addr = TL_MT,
		.storage_addr = TL_ST, .nr_storage = TL_NR_ST,
		.ie_addr = TL_IE, .nr_ie = TL_NR_IE,
		.drive_addr = TL_DT, .nr_drives = TL_NR_DT,
		.mode_file = mode_file,
	};
	unsigned int i;

	memset(&tl, 0, sizeof(tl));
	for (i = 0; i < TL_NR_DT; i++) {
		struct scstu_changer_drive *d = &tl.drives[i];
		char id[TL_ID_LEN + 1];

		/* drive 2 has no identifier */
		if (i == 2)
			continue;
		snprintf(id, sizeof(id), "IBM     ULT3580-TD8     %010u",
			 1000 + i);
		d->code_set = 2;
		d->id_type = 1;
		d->id_len = TL_ID_LEN;
		memcpy(d->id, id, TL_ID_LEN);
	}
	if (!no_ids)
		cc.drives = tl.drives;
	tl.h = scstu_harness_new();
	ck_assert_ptr_nonnull(tl.h);
	cfg.harness = tl.h;
	tl.dev = scstu_changer_create(&cfg, &cc, &tl_ops, &tl_raw);
	ck_assert_ptr_nonnull(tl.dev);
}

void tl_setup(void)
{
	tl_setup_opts(false, NULL);
}

void tl_teardown(void)
{
	scstu_dev_destroy(tl.dev);
	scstu_harness_free(tl.h);
	tl.dev = NULL;
}

void tl_fill_slot(unsigned int i, const char *voltag)
{
	ck_assert_int_eq(scstu_changer_set(tl.dev, (uint16_t)(TL_ST + i),
					   true, voltag, 0), 0);
}

void c_run_sess(uint64_t session, const uint8_t *cdb, unsigned int len,
		enum scstu_dir dir, void *buf, uint32_t xfer,
		struct scstu_harness_result *res)
{
	struct scstu_harness_cmd cmd = {
		.cdb = cdb, .cdb_len = len, .dir = dir, .data = buf,
		.xfer_len = xfer, .session = session,
	};

	ck_assert_int_eq(scstu_harness_run(tl.dev, &cmd, res), 0);
}

void c_run(const uint8_t *cdb, unsigned int len, enum scstu_dir dir,
	   void *buf, uint32_t xfer, struct scstu_harness_result *res)
{
	c_run_sess(0, cdb, len, dir, buf, xfer, res);
}

void c_move(uint8_t *cdb, uint16_t t, uint16_t src, uint16_t dst)
{
	memset(cdb, 0, 12);
	cdb[0] = 0xa5;
	c_put16(t, &cdb[2]);
	c_put16(src, &cdb[4]);
	c_put16(dst, &cdb[6]);
}

void c_res(uint8_t *cdb, uint8_t type, bool voltag, uint16_t start,
	   uint16_t nr, bool dvcid, uint32_t alloc)
{
	memset(cdb, 0, 12);
	cdb[0] = 0xb8;
	cdb[1] = (uint8_t)(type | (voltag ? 0x10 : 0));
	c_put16(start, &cdb[2]);
	c_put16(nr, &cdb[4]);
	cdb[6] = dvcid ? 0x01 : 0;
	cdb[7] = (uint8_t)(alloc >> 16);
	cdb[8] = (uint8_t)(alloc >> 8);
	cdb[9] = (uint8_t)alloc;
}

struct scstu_harness_result c_do_move(uint16_t src, uint16_t dst)
{
	struct scstu_harness_result res;
	uint8_t cdb[12];

	c_move(cdb, TL_MT, src, dst);
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	return res;
}
