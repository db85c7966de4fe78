// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser unit tests: the test disk and CDB helpers.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "sdk_test.h"

struct tdisk td;

void t_put_be16(uint16_t v, uint8_t *p)
{
	p[0] = v >> 8;
	p[1] = v;
}

void t_put_be32(uint32_t v, uint8_t *p)
{
	t_put_be16(v >> 16, p);
	t_put_be16(v, p + 2);
}

void t_put_be64(uint64_t v, uint8_t *p)
{
	t_put_be32(v >> 32, p);
	t_put_be32(v, p + 4);
}

uint16_t t_be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

uint32_t t_be32(const uint8_t *p)
{
	return (uint32_t)t_be16(p) << 16 | t_be16(p + 2);
}

uint64_t t_be64(const uint8_t *p)
{
	return (uint64_t)t_be32(p) << 32 | t_be32(p + 4);
}

void t_rw16(uint8_t *cdb, uint8_t op, uint64_t lba, uint32_t nr)
{
	memset(cdb, 0, 16);
	cdb[0] = op;
	t_put_be64(lba, &cdb[2]);
	t_put_be32(nr, &cdb[10]);
}

void t_rw10(uint8_t *cdb, uint8_t op, uint32_t lba, uint16_t nr)
{
	memset(cdb, 0, 10);
	cdb[0] = op;
	t_put_be32(lba, &cdb[2]);
	t_put_be16(nr, &cdb[7]);
}

/* Asynchronous completion: a thread completes the request. */
struct td_async {
	struct scstu_req *req;
	int ret;
};

static void *td_async_fn(void *arg)
{
	struct td_async *a = arg;

	scstu_disk_complete(a->req, a->ret);
	free(a);
	return NULL;
}

static int td_ret(struct scstu_req *req, int ret)
{
	struct td_async *a;
	pthread_t t;

	if (td.fail) {
		ret = td.fail;
		td.fail = 0;
	}
	if (!(td.opts & TD_ASYNC))
		return ret;
	a = malloc(sizeof(*a));
	ck_assert_ptr_nonnull(a);
	a->req = req;
	a->ret = ret;
	ck_assert_int_eq(pthread_create(&t, NULL, td_async_fn, a), 0);
	pthread_detach(t);
	return SCSTU_ASYNC;
}

static int td_read(struct scstu_req *req, uint64_t lba, uint32_t nr,
		   void *buf)
{
	memcpy(buf, td.mem + lba * td.bs, (size_t)nr * td.bs);
	return td_ret(req, 0);
}

static void td_map(uint64_t lba, uint64_t nr, uint8_t v)
{
	if (td.mapped)
		memset(td.mapped + lba, v, nr);
}

static int td_write(struct scstu_req *req, uint64_t lba, uint32_t nr,
		    const void *buf, unsigned int flags)
{
	td.nr_write++;
	td.last_write_flags = flags;
	memcpy(td.mem + lba * td.bs, buf, (size_t)nr * td.bs);
	td_map(lba, nr, 1);
	return td_ret(req, 0);
}

static int td_flush(struct scstu_req *req)
{
	td.nr_flush++;
	return td_ret(req, 0);
}

static int td_unmap(struct scstu_req *req, const struct scstu_extent *ext,
		    unsigned int nr)
{
	unsigned int i;

	td.nr_unmap++;
	for (i = 0; i < nr; i++) {
		memset(td.mem + ext[i].lba * td.bs, 0,
		       ext[i].nr_blocks * td.bs);
		td_map(ext[i].lba, ext[i].nr_blocks, 0);
	}
	return td_ret(req, 0);
}

static int td_write_same(struct scstu_req *req, uint64_t lba, uint64_t nr,
			 const void *block, unsigned int flags)
{
	uint64_t i;

	td.nr_ws++;
	td.last_write_flags = flags;
	for (i = 0; i < nr; i++)
		memcpy(td.mem + (lba + i) * td.bs, block, td.bs);
	td_map(lba, nr, !(flags & SCSTU_DISK_WS_UNMAP));
	return td_ret(req, 0);
}

static int td_caw(struct scstu_req *req, uint64_t lba, uint32_t nr,
		  const void *verify, const void *data, uint32_t *off)
{
	const uint8_t *v = verify, *m = td.mem + lba * td.bs;
	uint32_t i;

	for (i = 0; i < nr * td.bs; i++) {
		if (v[i] != m[i]) {
			*off = i;
			return td_ret(req, -EILSEQ);
		}
	}
	memcpy(td.mem + lba * td.bs, data, (size_t)nr * td.bs);
	return td_ret(req, 0);
}

static int td_map_status(struct scstu_dev *dev, uint64_t lba,
			 uint64_t *nr, enum scstu_map_state *state)
{
	uint64_t n = 1;

	(void)dev;
	while (lba + n < td.nr_blocks && td.mapped[lba + n] == td.mapped[lba])
		n++;
	*nr = n;
	*state = td.mapped[lba] ? SCSTU_MAPPED : SCSTU_DEALLOCATED;
	return 0;
}

void td_setup(unsigned int opts, uint64_t nr_blocks, uint32_t bs,
	      const char *mode_file)
{
	struct scstu_dev_config cfg = { .name = "tdisk" };
	struct scstu_disk_config dc = {
		.nr_blocks = nr_blocks, .block_size = bs,
		.serial = "SER123", .mode_file = mode_file,
		.read_only = opts & TD_RO,
		.write_cache = opts & TD_WCE,
	};
	struct scstu_disk_ops ops = { .read = td_read };

	memset(&td, 0, sizeof(td));
	td.opts = opts;
	td.nr_blocks = nr_blocks;
	td.bs = bs;
	td.mem = calloc(nr_blocks, bs);
	ck_assert_ptr_nonnull(td.mem);
	if (!(opts & TD_NO_WRITE))
		ops.write = td_write;
	if (opts & TD_FLUSH)
		ops.flush = td_flush;
	if (opts & TD_UNMAP) {
		ops.unmap = td_unmap;
		ops.map_status = td_map_status;
		td.mapped = calloc(nr_blocks, 1);
	}
	if (opts & TD_WS)
		ops.write_same = td_write_same;
	if (opts & TD_CAW)
		ops.compare_and_write = td_caw;
	td.h = scstu_harness_new();
	ck_assert_ptr_nonnull(td.h);
	cfg.harness = td.h;
	cfg.data_size = 1 << 20;
	td.dev = scstu_disk_create(&cfg, &dc, &ops, NULL);
	ck_assert_ptr_nonnull(td.dev);
}

void td_teardown(void)
{
	scstu_dev_destroy(td.dev);
	scstu_harness_free(td.h);
	free(td.mem);
	free(td.mapped);
	memset(&td, 0, sizeof(td));
}

void td_default_setup(void)
{
	td_setup(TD_FLUSH | TD_UNMAP, 2048, 512, NULL);
}

void t_run_sess(struct scstu_dev *dev, uint64_t session, const uint8_t *cdb,
		unsigned int len, enum scstu_dir dir, void *buf,
		uint32_t xfer, struct scstu_harness_result *res)
{
	struct scstu_harness_cmd cmd = {
		.cdb = cdb, .cdb_len = len, .dir = dir, .data = buf,
		.xfer_len = xfer, .session = session,
	};

	memset(res, 0, sizeof(*res));
	ck_assert_int_eq(scstu_harness_run(dev, &cmd, res), 0);
}

void t_run(struct scstu_dev *dev, const uint8_t *cdb, unsigned int len,
	   enum scstu_dir dir, void *buf, uint32_t xfer,
	   struct scstu_harness_result *res)
{
	t_run_sess(dev, 0, cdb, len, dir, buf, xfer, res);
}

