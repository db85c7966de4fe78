// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * scstu-null: the fastest possible userspace disk, written at the raw
 * level of libscstuser (scstuser.h only) for benchmarks. Every READ
 * returns zeros, every WRITE is discarded, both complete at once; a few
 * more commands let initiators (Linux sd) use the disk. LBA ranges are
 * not checked: this is a null device.
 *
 *   scstu-null --name NAME [--size BYTES] [--block-size 512|4096]
 *              [--queues N] [--depth N] [--busy-poll US]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scstuser.h>

#include "../common.h"

static uint64_t nr_blocks;
static uint32_t block_size = 512;

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, (uint32_t)v);
}

static void inquiry(struct scstu_req *req, const uint8_t *cdb)
{
	uint8_t buf[36] = { 0 };

	if (cdb[1] & 1) {			/* EVPD */
		static const uint8_t pages[] = { 0, 0, 0, 1, 0 };

		if (cdb[2] != 0) {		/* only the list of pages */
			scstu_req_invalid_cdb(req, 2, -1);
			return;
		}
		scstu_req_reply(req, pages, sizeof(pages));
		return;
	}
	if (cdb[2]) {
		scstu_req_invalid_cdb(req, 2, -1);
		return;
	}
	buf[0] = SCSTU_TYPE_DISK;
	buf[2] = 0x06;				/* SPC-4 */
	buf[3] = 0x02;				/* response data format */
	buf[4] = sizeof(buf) - 5;
	buf[7] = 0x02;				/* CMDQUE */
	memcpy(buf + 8, "SCSTU   ", 8);
	memcpy(buf + 16, "USER NULL       ", 16);
	memcpy(buf + 32, "0.3 ", 4);
	scstu_req_reply(req, buf, sizeof(buf));
}

static void read_capacity(struct scstu_req *req, bool sixteen)
{
	uint8_t buf[32] = { 0 };

	if (sixteen) {
		put_be64(buf, nr_blocks - 1);
		put_be32(buf + 8, block_size);
		scstu_req_reply(req, buf, 32);
	} else {
		put_be32(buf, nr_blocks > 0xffffffffULL ? 0xffffffff :
			 (uint32_t)(nr_blocks - 1));
		put_be32(buf + 4, block_size);
		scstu_req_reply(req, buf, 8);
	}
}

/* A mode parameter header with no block descriptor and no page. */
static void mode_sense(struct scstu_req *req, bool ten)
{
	uint8_t buf[8] = { 0 };

	if (ten) {
		buf[1] = 6;			/* mode data length */
		scstu_req_reply(req, buf, 8);
	} else {
		buf[0] = 3;
		scstu_req_reply(req, buf, 4);
	}
}

static void null_execute(struct scstu_req *req)
{
	const uint8_t *cdb = scstu_req_cdb(req);

	switch (cdb[0]) {
	case 0x08: case 0x28: case 0xa8: case 0x88:	/* READ */
		if (scstu_req_data(req))
			memset(scstu_req_data(req), 0, scstu_req_xfer_len(req));
		scstu_req_done(req);
		break;
	case 0x0a: case 0x2a: case 0xaa: case 0x8a:	/* WRITE */
	case 0x00:					/* TEST UNIT READY */
	case 0x35: case 0x91:				/* SYNCHRONIZE CACHE */
	case 0x2f: case 0x8f:				/* VERIFY */
	case 0x1b:					/* START STOP UNIT */
		scstu_req_done(req);
		break;
	case 0x12:
		inquiry(req, cdb);
		break;
	case 0x25:
		read_capacity(req, false);
		break;
	case 0x9e:					/* SERVICE ACTION IN */
		if ((cdb[1] & 0x1f) == 0x10)
			read_capacity(req, true);
		else
			scstu_req_invalid_cdb(req, 1, 4);
		break;
	case 0x1a:
		mode_sense(req, false);
		break;
	case 0x5a:
		mode_sense(req, true);
		break;
	default:	/* INVALID COMMAND OPERATION CODE */
		scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x20, 0x00);
		break;
	}
}

int main(int argc, char **argv)
{
	struct sample_opts o;
	struct scstu_dev_config cfg = { .type = SCSTU_TYPE_DISK };
	struct scstu_ops ops = { .execute = null_execute };
	struct scstu_dev *dev;
	int ret;

	if (sample_parse(argc, argv, "scstu-null", 0, &o))
		return 2;
	block_size = o.block_size;
	nr_blocks = o.size / block_size;
	cfg.name = o.name;
	cfg.nr_queues = o.queues;
	cfg.queue_depth = o.depth;
	cfg.busy_poll_us = o.busy_poll_us;

	dev = scstu_dev_create(&cfg, &ops);
	if (!dev) {
		fprintf(stderr, "scstu-null: cannot create %s: %s\n", o.name,
			strerror(errno));
		return 1;
	}
	sample_stop_on_signals(dev);
	ret = scstu_dev_run(dev);
	scstu_dev_destroy(dev);
	return ret ? 1 : 0;
}
