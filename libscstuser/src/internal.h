/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser private: the device and request objects shared by the
 * runtime (dev.c, req.c, the kernel transport), the harness transport and
 * the device classes (spc, sbc). Not installed.
 */
#ifndef SCSTU_INTERNAL_H
#define SCSTU_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include "scstuser.h"

#define SCSTU_CDB_INLINE	32

struct scstu_req;

/*
 * A transport delivers requests to a device and takes their results:
 * the kernel (transport_kernel.c) or the in-process harness (harness.c).
 */
struct scstu_transport_ops {
	/* Deliver the result of req (status, sense, resid are set). */
	void (*complete)(struct scstu_req *req);
	int (*raise_ua)(struct scstu_dev *dev, uint8_t asc, uint8_t ascq,
			uint64_t except_session);
	int (*set_d_sense)(struct scstu_dev *dev, bool desc);
	int (*run)(struct scstu_dev *dev);
	void (*stop)(struct scstu_dev *dev);
	int (*fd)(struct scstu_dev *dev);
	int (*process)(struct scstu_dev *dev);
	/* Unregister and free transport state (not the dev itself). */
	void (*destroy)(struct scstu_dev *dev);
};

struct scstu_dev {
	char name[64];
	uint8_t type;
	unsigned int flags;		/* SCSTU_DEV_* */
	unsigned int nr_queues;
	unsigned int queue_depth;
	size_t data_size;
	size_t req_ctx_size;
	unsigned int busy_poll_us;
	uint32_t max_xfer;
	void *priv;			/* handler's */
	struct scstu_ops ops;		/* copied at creation */
	atomic_bool d_sense;

	/* transport */
	const struct scstu_transport_ops *tops;
	void *tpriv;

	/* device class (sbc, later ssc/smc): state and destructor */
	void *class_priv;
	void (*class_destroy)(struct scstu_dev *dev);
};

/* req->flags (atomic) */
#define SCSTU_REQ_COMPLETED	(1U << 0)
#define SCSTU_REQ_ABORTED	(1U << 1)
/*
 * Dispatched to this process before its worker first ran: held by the
 * kernel across a handler restart (or queued while it started), so it
 * was sent before any unit attention the handler raised while starting
 * (e.g. a tape reloaded at BOP) reached the kernel. Set by the kernel
 * transport; the tape class refuses such medium commands (ssc.c).
 */
#define SCSTU_REQ_EARLY		(1U << 2)

struct scstu_req {
	struct scstu_dev *dev;
	uint64_t id;			/* transport's id (SQE id) */
	unsigned int queue;
	const uint8_t *cdb;		/* cdb_buf or the data area */
	uint16_t cdb_len;
	uint8_t dir;			/* enum scstu_dir */
	uint8_t task_attr;
	uint32_t xfer_len;
	void *data;			/* NULL when xfer_len == 0 */
	uint64_t lun;
	uint64_t session;
	atomic_uint flags;		/* SCSTU_REQ_* */

	/* result, filled by the scstu_req_complete() family */
	uint8_t status;
	uint8_t sense_len;
	uint32_t resid;
	uint8_t sense[SCSTU_SENSE_MAX];

	/*
	 * For device classes: a continuation run by their completion
	 * helper (e.g. scstu_disk_complete()), and scratch space.
	 */
	void (*cont)(struct scstu_req *req, int result);
	uint64_t class_u64[4];
	void *class_ptr;

	void *ctx;			/* req_ctx_size bytes, handler's */
	void *tpriv;			/* transport's */
	uint8_t cdb_buf[SCSTU_CDB_INLINE];
};

/*
 * harness.c (unit tests): the next n commands submitted to dev count as
 * held across a handler restart (SCSTU_REQ_EARLY), as the kernel
 * transport marks them.
 */
void scstu_harness_mark_early(struct scstu_dev *dev, unsigned int n);
/* harness.c: bind a device being created to a harness. */
int scstu_harness_bind(struct scstu_harness *h, struct scstu_dev *dev);
/* transport_kernel.c: register a device being created with the kernel. */
int scstu_kernel_bind(struct scstu_dev *dev);

/*
 * req.c: prepare a request before ->execute (clears result, flags and
 * ctx). Transports call it.
 */
void scstu_req_reset(struct scstu_req *req);

#endif /* SCSTU_INTERNAL_H */
