// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Kernel transport, completion side: CQEs are written under the queue's
 * CQ lock from any thread and published with ENTER, or, on the queue's
 * own worker during a batch, at the end of the batch.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kernel.h"

__thread struct kqueue *kq_tls_batch;

int kq_enter(struct kqueue *q, bool wait)
{
	struct scstu_user_enter e = {
		.queue = q->index,
		.flags = wait ? SCSTU_USER_ENTER_WAIT : 0,
		.timeout_ms = wait ? WAIT_TIMEOUT_MS : 0,
	};

	if (ioctl(q->kd->fd, SCSTU_USER_ENTER, &e) < 0)
		return -errno;
	if (e.rejected)
		scstu_log(SCSTU_LOG_ERR, "%s: queue %u: kernel rejected %u "
			  "completion(s)", q->kd->dev->name, q->index,
			  e.rejected);
	return 0;
}

/* With cq_lock held: make room for one CQE. false: none (logged). */
static bool cq_reserve(struct kqueue *q)
{
	unsigned int tries = 0;

	while (q->cq_tail - load_acquire(&q->ring->cq_head) >= q->entries) {
		int ret = kq_enter(q, false);

		if (ret == -ENODEV || ++tries > 10000) {
			scstu_log(SCSTU_LOG_ERR, "%s: queue %u: completion "
				  "ring stays full (%s), completion dropped",
				  q->kd->dev->name, q->index, strerror(-ret));
			return false;
		}
		if (tries > 10)
			sched_yield();
	}
	return true;
}

/* With cq_lock held: the next CQE slot, zeroed (publish_cq to send). */
struct scstu_user_cqe *kq_cq_next(struct kqueue *q)
{
	struct scstu_user_cqe *cqe;

	if (!cq_reserve(q))
		return NULL;
	cqe = &q->cqes[q->cq_tail & q->mask];
	memset(cqe, 0, sizeof(*cqe));
	q->cq_tail++;
	return cqe;
}

void kq_cq_done(struct kqueue *q, uint64_t id)
{
	struct scstu_user_cqe *cqe = kq_cq_next(q);

	if (cqe) {
		cqe->id = id;
		cqe->kind = SCSTU_USER_CQE_DONE;
	}
}

/*
 * With cq_lock held: make the CQEs written so far visible. Returns true
 * when the caller must ENTER after unlocking (false: the worker of this
 * queue is in a batch and will).
 */
bool kq_cq_publish(struct kqueue *q)
{
	store_release(&q->ring->cq_tail, q->cq_tail);
	if (kq_tls_batch == q) {
		q->need_enter = true;
		return false;
	}
	return true;
}

static void log_result(struct scstu_req *req)
{
	char cdb[160], sense[160];

	if (req->status == SCSTU_CHECK_CONDITION)
		scstu_sense_str(req->sense, req->sense_len, sense,
				sizeof(sense));
	else
		snprintf(sense, sizeof(sense), "status 0x%02x", req->status);
	scstu_log(SCSTU_LOG_DEBUG, "%s: q%u id 0x%" PRIx64 " %s -> %s resid %u",
		  req->dev->name, req->queue, req->id,
		  scstu_cdb_str(req->cdb, req->cdb_len, cdb, sizeof(cdb)),
		  sense, req->resid);
}

/* transport ops ->complete: called once per request by req.c */
void kq_complete(struct scstu_req *req)
{
	struct kdev *kd = kdev_of(req->dev);
	struct kqueue *q = &kd->queues[req->queue];
	struct kslot *slot = (struct kslot *)req;
	struct scstu_user_cqe *cqe;
	bool kick;

	if (scstu_log_get_level() >= SCSTU_LOG_DEBUG)
		log_result(req);
	pthread_mutex_lock(&q->cq_lock);
	cqe = kq_cq_next(q);
	if (cqe) {
		cqe->id = req->id;
		cqe->kind = SCSTU_USER_CQE_DONE;
		cqe->status = req->status;
		cqe->resid = req->resid;
		if (req->status == SCSTU_CHECK_CONDITION && req->sense_len) {
			cqe->sense_len = req->sense_len > SCSTU_SENSE_MAX ?
					 SCSTU_SENSE_MAX : req->sense_len;
			memcpy(cqe->u.sense, req->sense, cqe->sense_len);
		}
	}
	slot->busy = false;
	if (slot->abort_id) {
		kq_cq_done(q, slot->abort_id);
		slot->abort_id = 0;
	}
	/* from here on the kernel may reuse the slot: req is not touched */
	kick = kq_cq_publish(q);
	pthread_mutex_unlock(&q->cq_lock);
	if (kick)
		kq_enter(q, false);
}

/* Answer an event SQE at once. */
void kq_answer(struct kqueue *q, uint64_t id)
{
	bool kick;

	pthread_mutex_lock(&q->cq_lock);
	kq_cq_done(q, id);
	kick = kq_cq_publish(q);
	pthread_mutex_unlock(&q->cq_lock);
	if (kick)
		kq_enter(q, false);
}

/* Answer a command that cannot be run: HARDWARE ERROR 44/00. */
void kq_answer_bad_cmd(struct kqueue *q, uint64_t id)
{
	struct scstu_sense s = { .key = SCSTU_HARDWARE_ERROR, .asc = 0x44 };
	struct scstu_user_cqe *cqe;
	bool kick;

	pthread_mutex_lock(&q->cq_lock);
	cqe = kq_cq_next(q);
	if (cqe) {
		cqe->id = id;
		cqe->kind = SCSTU_USER_CQE_DONE;
		cqe->status = SCSTU_CHECK_CONDITION;
		cqe->sense_len = scstu_sense_build(cqe->u.sense,
						   sizeof(cqe->u.sense),
						   scstu_dev_d_sense(q->kd->dev),
						   &s);
	}
	kick = kq_cq_publish(q);
	pthread_mutex_unlock(&q->cq_lock);
	if (kick)
		kq_enter(q, false);
}

/* ENTER (no wait) if a batch left completions to publish. */
int kq_flush(struct kqueue *q)
{
	if (!q->need_enter)
		return 0;
	q->need_enter = false;
	return kq_enter(q, false);
}

/* Handler-raised CQE (no id) on queue 0. */
static int send_dev_event(struct scstu_dev *dev,
			  void (*fill)(struct scstu_user_cqe *cqe,
				       const void *arg),
			  const void *arg)
{
	struct kdev *kd = kdev_of(dev);
	struct kqueue *q = &kd->queues[0];
	struct scstu_user_cqe *cqe;
	bool kick;

	if (!(kd->features & SCSTU_USER_F_DEV_EVENTS))
		return -EOPNOTSUPP;
	pthread_mutex_lock(&q->cq_lock);
	cqe = kq_cq_next(q);
	if (cqe)
		fill(cqe, arg);
	kick = kq_cq_publish(q);
	pthread_mutex_unlock(&q->cq_lock);
	if (!cqe)
		return -EAGAIN;
	return kick ? kq_enter(q, false) : 0;
}

struct ua_arg {
	uint8_t asc, ascq;
	uint64_t except;
};

static void fill_ua(struct scstu_user_cqe *cqe, const void *arg)
{
	const struct ua_arg *a = arg;

	cqe->kind = SCSTU_USER_CQE_UA;
	cqe->u.ua.asc = a->asc;
	cqe->u.ua.ascq = a->ascq;
	cqe->u.ua.except_session = a->except;
}

static void fill_d_sense(struct scstu_user_cqe *cqe, const void *arg)
{
	cqe->kind = SCSTU_USER_CQE_SET_PARAM;
	cqe->u.param.param = SCSTU_USER_PARAM_D_SENSE;
	cqe->u.param.value = *(const bool *)arg;
}

int kq_raise_ua(struct scstu_dev *dev, uint8_t asc, uint8_t ascq,
		uint64_t except_session)
{
	struct ua_arg a = { asc, ascq, except_session };

	return send_dev_event(dev, fill_ua, &a);
}

int kq_set_d_sense(struct scstu_dev *dev, bool desc)
{
	return send_dev_event(dev, fill_d_sense, &desc);
}
