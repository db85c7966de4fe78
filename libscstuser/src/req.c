// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser requests: accessors and the completion family. Every
 * completion ends in the transport's ->complete() exactly once; a second
 * completion of the same request is a handler bug, logged and ignored.
 */
#include <string.h>
#include "internal.h"

const uint8_t *scstu_req_cdb(const struct scstu_req *req)
{
	return req->cdb;
}

unsigned int scstu_req_cdb_len(const struct scstu_req *req)
{
	return req->cdb_len;
}

enum scstu_dir scstu_req_dir(const struct scstu_req *req)
{
	return (enum scstu_dir)req->dir;
}

uint32_t scstu_req_xfer_len(const struct scstu_req *req)
{
	return req->xfer_len;
}

void *scstu_req_data(struct scstu_req *req)
{
	return req->data;
}

uint64_t scstu_req_lun(const struct scstu_req *req)
{
	return req->lun;
}

uint64_t scstu_req_session(const struct scstu_req *req)
{
	return req->session;
}

enum scstu_task_attr scstu_req_task_attr(const struct scstu_req *req)
{
	return (enum scstu_task_attr)req->task_attr;
}

struct scstu_dev *scstu_req_dev(const struct scstu_req *req)
{
	return req->dev;
}

unsigned int scstu_req_queue(const struct scstu_req *req)
{
	return req->queue;
}

void *scstu_req_ctx(struct scstu_req *req)
{
	return req->ctx;
}

bool scstu_req_aborted(const struct scstu_req *req)
{
	return atomic_load(&req->flags) & SCSTU_REQ_ABORTED;
}

void scstu_req_reset(struct scstu_req *req)
{
	atomic_store(&req->flags, 0);
	req->status = SCSTU_GOOD;
	req->sense_len = 0;
	req->resid = 0;
	req->cont = NULL;
	memset(req->class_u64, 0, sizeof(req->class_u64));
	req->class_ptr = NULL;
	if (req->ctx && req->dev->req_ctx_size)
		memset(req->ctx, 0, req->dev->req_ctx_size);
}

void scstu_req_complete(struct scstu_req *req, uint8_t status,
			uint32_t resid)
{
	unsigned int old = atomic_fetch_or(&req->flags, SCSTU_REQ_COMPLETED);

	if (old & SCSTU_REQ_COMPLETED) {
		scstu_log(SCSTU_LOG_ERR,
			  "%s: request 0x%llx completed twice (opcode 0x%02x)",
			  req->dev->name, (unsigned long long)req->id,
			  req->cdb_len ? req->cdb[0] : 0);
		return;
	}
	req->status = status;
	req->resid = resid > req->xfer_len ? req->xfer_len : resid;
	if (status != SCSTU_CHECK_CONDITION)
		req->sense_len = 0;
	req->dev->tops->complete(req);
}

void scstu_req_done(struct scstu_req *req)
{
	scstu_req_complete(req, SCSTU_GOOD, 0);
}

void scstu_req_reply(struct scstu_req *req, const void *buf, size_t len)
{
	size_t n = 0;

	if (req->dir == SCSTU_DIR_READ && req->data) {
		n = len < req->xfer_len ? len : req->xfer_len;
		memcpy(req->data, buf, n);
	}
	scstu_req_complete(req, SCSTU_GOOD, req->xfer_len - (uint32_t)n);
}

void scstu_req_check_sense(struct scstu_req *req,
			   const struct scstu_sense *s, uint32_t resid)
{
	req->sense_len = (uint8_t)scstu_sense_build(req->sense,
						    sizeof(req->sense),
						    scstu_dev_d_sense(req->dev),
						    s);
	scstu_req_complete(req, SCSTU_CHECK_CONDITION, resid);
}

void scstu_req_check(struct scstu_req *req, uint8_t key, uint8_t asc,
		     uint8_t ascq)
{
	struct scstu_sense s = { .key = key, .asc = asc, .ascq = ascq };

	scstu_req_check_sense(req, &s, req->xfer_len);
}

/* Sense-key specific field pointer (SPC-4 4.5.2.4.2). */
static void req_field_pointer(struct scstu_req *req, uint8_t asc, bool cdb,
			      unsigned int byte, int bit)
{
	struct scstu_sense s = {
		.key = SCSTU_ILLEGAL_REQUEST,
		.asc = asc,
		.flags = SCSTU_SENSE_SKS,
	};

	s.sks[0] = cdb ? 0x40 : 0;			/* C/D */
	if (bit >= 0 && bit < 8)
		s.sks[0] |= 0x08 | (uint8_t)bit;	/* BPV, BIT POINTER */
	s.sks[1] = (uint8_t)(byte >> 8);
	s.sks[2] = (uint8_t)byte;
	scstu_req_check_sense(req, &s, req->xfer_len);
}

void scstu_req_invalid_cdb(struct scstu_req *req, unsigned int byte, int bit)
{
	req_field_pointer(req, 0x24, true, byte, bit);
}

void scstu_req_invalid_param(struct scstu_req *req, unsigned int byte,
			     int bit)
{
	req_field_pointer(req, 0x26, false, byte, bit);
}
