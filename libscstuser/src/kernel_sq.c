// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Kernel transport, submission side: SQEs (commands, aborts, resets,
 * nexus events) are read once, checked and handed to the handler's ops;
 * the queue worker loop (busy-poll, ENTER with wait).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kernel.h"

/* Is [off, off + len) inside this queue's data area? */
static bool in_data(const struct kqueue *q, uint64_t off, uint64_t len)
{
	return off <= q->kd->data_size && len <= q->kd->data_size - off;
}

static void handle_cmd(struct kqueue *q, const struct scstu_user_sqe *sqe)
{
	struct scstu_dev *dev = q->kd->dev;
	uint64_t id = sqe->id;
	uint32_t idx = (uint32_t)id, xfer = sqe->xfer_len;
	uint32_t data_off = sqe->data_off;
	uint16_t cdb_len = sqe->cdb_len;
	struct scstu_req *req;
	struct kslot *slot;
	uint64_t cdb_off = 0;

	if (idx >= q->entries) {
		scstu_log(SCSTU_LOG_ERR, "%s: q%u: command id 0x%" PRIx64
			  " out of range", dev->name, q->index, id);
		kq_answer_bad_cmd(q, id);
		return;
	}
	slot = &q->slots[idx];
	if (sqe->flags & SCSTU_USER_SQE_CDB_IN_DATA) {
		cdb_off = (uint64_t)data_off + ((xfer + 7ULL) & ~7ULL);
		if (cdb_len > SCSTU_USER_CDB_MAX ||
		    !in_data(q, cdb_off, cdb_len))
			cdb_len = 0;
	} else if (cdb_len > SCSTU_USER_CDB_INLINE) {
		cdb_len = 0;
	}
	if (!cdb_len || (xfer && !in_data(q, data_off, xfer)) ||
	    sqe->dir > SCSTU_USER_DIR_READ) {
		scstu_log(SCSTU_LOG_ERR, "%s: q%u: malformed command 0x%"
			  PRIx64 " (cdb_len %u, buffer %u+%u, dir %u)",
			  dev->name, q->index, id, sqe->cdb_len, data_off,
			  xfer, sqe->dir);
		kq_answer_bad_cmd(q, id);
		return;
	}
	pthread_mutex_lock(&q->cq_lock);
	if (slot->busy) {
		pthread_mutex_unlock(&q->cq_lock);
		scstu_log(SCSTU_LOG_ERR, "%s: q%u: slot %u reused while busy",
			  dev->name, q->index, idx);
		kq_answer_bad_cmd(q, id);
		return;
	}
	slot->busy = true;
	slot->abort_id = 0;
	pthread_mutex_unlock(&q->cq_lock);

	req = &slot->req;
	req->id = id;
	req->cdb_len = cdb_len;
	if (sqe->flags & SCSTU_USER_SQE_CDB_IN_DATA) {
		req->cdb = q->data + cdb_off;
	} else {
		memcpy(req->cdb_buf, sqe->u.cdb, cdb_len);
		req->cdb = req->cdb_buf;
	}
	req->dir = sqe->dir;
	req->task_attr = sqe->task_attr;
	req->xfer_len = xfer;
	req->data = xfer ? q->data + data_off : NULL;
	req->lun = sqe->lun;
	req->session = sqe->session;
	scstu_req_reset(req);
	if (q->cur_early)
		atomic_fetch_or(&req->flags, SCSTU_REQ_EARLY);
	dev->ops.execute(req);
}

static void handle_abort(struct kqueue *q, const struct scstu_user_sqe *sqe)
{
	struct scstu_dev *dev = q->kd->dev;
	uint64_t cmd_id = sqe->u.tmf.cmd_id;
	uint32_t idx = (uint32_t)cmd_id;
	struct kslot *slot = NULL;
	bool kick = false;

	pthread_mutex_lock(&q->cq_lock);
	if (idx < q->entries && q->slots[idx].busy &&
	    q->slots[idx].req.id == cmd_id && !q->slots[idx].abort_id) {
		slot = &q->slots[idx];
		slot->abort_id = sqe->id;
		atomic_fetch_or(&slot->req.flags, SCSTU_REQ_ABORTED);
	} else {
		/* already completed (or unknown): answer at once */
		kq_cq_done(q, sqe->id);
		kick = kq_cq_publish(q);
	}
	pthread_mutex_unlock(&q->cq_lock);
	if (kick)
		kq_enter(q, false);
	scstu_log(SCSTU_LOG_INFO, "%s: q%u: abort of 0x%" PRIx64 "%s",
		  dev->name, q->index, cmd_id, slot ? "" : " (not running)");
	/* The slot cannot be reused before this thread reads more SQEs. */
	if (slot && dev->ops.abort)
		dev->ops.abort(&slot->req);
}

guint kq_nexus_hash(gconstpointer p)
{
	const struct nexus_key *k = p;

	return g_int64_hash(&k->session) ^ (guint)(k->lun * 2654435761U);
}

gboolean kq_nexus_equal(gconstpointer a, gconstpointer b)
{
	const struct nexus_key *x = a, *y = b;

	return x->session == y->session && x->lun == y->lun;
}

void kq_nexus_free(gpointer p)
{
	struct nexus_names *n = p;

	g_free(n->initiator);
	g_free(n->target);
	g_free(n);
}

static void handle_attach(struct kqueue *q, const struct scstu_user_sqe *sqe)
{
	struct kdev *kd = q->kd;
	uint32_t ilen = sqe->u.nexus.initiator_len;
	uint32_t tlen = sqe->u.nexus.target_len;
	const char *names = (const char *)q->data + sqe->data_off;
	struct nexus_names *n = g_new0(struct nexus_names, 1);
	struct scstu_nexus nx;

	n->key.session = sqe->session;
	n->key.lun = sqe->lun;
	n->rel_port = sqe->u.nexus.rel_port;
	if (in_data(q, sqe->data_off, sqe->data_len) &&
	    (uint64_t)ilen + tlen + 2 <= sqe->data_len) {
		n->initiator = g_strndup(names, ilen);
		n->target = g_strndup(names + ilen + 1, tlen);
	} else {
		scstu_log(SCSTU_LOG_WARN, "%s: attach without valid names",
			  kd->dev->name);
		n->initiator = g_strdup("");
		n->target = g_strdup("");
	}
	nx = (struct scstu_nexus){ .session = n->key.session,
		.lun = n->key.lun, .initiator = n->initiator,
		.target = n->target, .rel_port = n->rel_port };
	scstu_log(SCSTU_LOG_INFO, "%s: attach session %" PRIu64 " lun %"
		  PRIu64 " initiator %s target %s", kd->dev->name,
		  nx.session, nx.lun, nx.initiator, nx.target);
	if (kd->dev->ops.attach)
		kd->dev->ops.attach(kd->dev, &nx);
	pthread_mutex_lock(&kd->nexus_lock);
	g_hash_table_replace(kd->nexuses, &n->key, n);
	pthread_mutex_unlock(&kd->nexus_lock);
	kq_answer(q, sqe->id);
}

static void handle_detach(struct kqueue *q, const struct scstu_user_sqe *sqe)
{
	struct kdev *kd = q->kd;
	struct nexus_key key = { sqe->session, sqe->lun };
	struct scstu_nexus nx = { .session = sqe->session, .lun = sqe->lun,
				  .initiator = "", .target = "" };
	struct nexus_names *n;
	gpointer k, v;

	pthread_mutex_lock(&kd->nexus_lock);
	n = g_hash_table_steal_extended(kd->nexuses, &key, &k, &v) ? v : NULL;
	pthread_mutex_unlock(&kd->nexus_lock);
	if (!n)
		scstu_log(SCSTU_LOG_WARN, "%s: detach of a nexus never "
			  "attached (session %" PRIu64 " lun %" PRIu64 ")",
			  kd->dev->name, nx.session, nx.lun);
	if (n) {
		nx.initiator = n->initiator;
		nx.target = n->target;
		nx.rel_port = n->rel_port;
	}
	scstu_log(SCSTU_LOG_INFO, "%s: detach session %" PRIu64 " lun %"
		  PRIu64, kd->dev->name, nx.session, nx.lun);
	if (kd->dev->ops.detach)
		kd->dev->ops.detach(kd->dev, &nx);
	if (n)
		kq_nexus_free(n);
	kq_answer(q, sqe->id);
}

static void handle_reset(struct kqueue *q, const struct scstu_user_sqe *sqe)
{
	struct scstu_dev *dev = q->kd->dev;
	uint32_t fn = sqe->u.tmf.fn;

	scstu_log(SCSTU_LOG_INFO, "%s: reset %u session %" PRIu64 " lun %"
		  PRIu64, dev->name, fn, (uint64_t)sqe->session,
		  (uint64_t)sqe->lun);
	if (dev->ops.reset && fn >= SCSTU_RESET_LUN && fn <= SCSTU_RESET_NEXUS)
		dev->ops.reset(dev, (enum scstu_reset)fn, sqe->session,
			       sqe->lun);
	kq_answer(q, sqe->id);
}

static void handle_sqe(struct kqueue *q, const struct scstu_user_sqe *sqe)
{
	switch (sqe->kind) {
	case SCSTU_USER_SQE_CMD:
		handle_cmd(q, sqe);
		break;
	case SCSTU_USER_SQE_ABORT:
		handle_abort(q, sqe);
		break;
	case SCSTU_USER_SQE_RESET:
		handle_reset(q, sqe);
		break;
	case SCSTU_USER_SQE_ATTACH:
		handle_attach(q, sqe);
		break;
	case SCSTU_USER_SQE_DETACH:
		handle_detach(q, sqe);
		break;
	default:
		scstu_log(SCSTU_LOG_ERR, "%s: q%u: unknown entry kind %u",
			  q->kd->dev->name, q->index, sqe->kind);
		kq_answer(q, sqe->id);
		break;
	}
}

/*
 * Consume every SQE published so far (at most one ring's worth). With
 * flush, publish the completions made meanwhile with one ENTER; without,
 * the caller does (the worker folds it into its sleeping ENTER). Returns
 * the number consumed or -errno.
 */
int kq_batch(struct kqueue *q, bool flush)
{
	uint32_t head = q->sq_head, tail = load_acquire(&q->ring->sq_tail);
	int n = 0, ret = 0;

	if (tail - head > q->entries) {
		scstu_log(SCSTU_LOG_ERR, "%s: q%u: bad sq_tail %u (head %u)",
			  q->kd->dev->name, q->index, tail, head);
		return -EPROTO;
	}
	if (head != tail) {
		kq_tls_batch = q;
		for (; head != tail; head++, n++) {
			q->cur_early = q->early &&
				       (int32_t)(q->early_end - head) > 0;
			handle_sqe(q, &q->sqes[head & q->mask]);
		}
		q->cur_early = false;
		if (q->early && (int32_t)(q->early_end - head) <= 0)
			q->early = false;
		q->sq_head = head;
		store_release(&q->ring->sq_head, head);
		kq_tls_batch = NULL;
	}
	if (flush)
		ret = kq_flush(q);
	return ret < 0 ? ret : n;
}

static bool sq_pending(struct kqueue *q)
{
	return load_acquire(&q->ring->sq_tail) != q->sq_head;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Spin up to busy_poll_us for new SQEs. */
static bool busy_poll(struct kqueue *q)
{
	uint64_t end = now_ns() + q->kd->dev->busy_poll_us * 1000ULL;
	unsigned int i;

	for (i = 0;; i++) {
		if (sq_pending(q))
			return true;
		if (atomic_load_explicit(&q->kd->stop, memory_order_relaxed))
			return false;
		if ((i & 63) == 63 && now_ns() >= end)
			return false;
		cpu_relax();
	}
}

void *kq_worker(void *arg)
{
	struct kqueue *q = arg;
	struct kdev *kd = q->kd;
	sigset_t all;
	int ret = 0;

	/* signals go to the thread that called scstu_dev_run() */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);

	/* what the kernel dispatched before we ran (SCSTU_REQ_EARLY) */
	q->early_end = load_acquire(&q->ring->sq_tail);
	q->early = q->early_end != q->sq_head;
	while (!atomic_load(&kd->stop)) {
		ret = kq_batch(q, false);
		if (ret < 0)
			break;
		ret = 0;
		/* more work: publish this batch's completions, go on */
		if (sq_pending(q)) {
			ret = kq_flush(q);
			if (ret < 0)
				break;
			continue;
		}
		if (kd->dev->busy_poll_us) {
			ret = kq_flush(q);
			if (ret < 0)
				break;
			if (busy_poll(q))
				continue;
		}
		/* one ENTER publishes the completions and sleeps */
		q->need_enter = false;
		ret = kq_enter(q, true);
		if (ret == -EINTR || ret == -ETIMEDOUT)
			ret = 0;
		if (ret < 0)
			break;
	}
	if (ret < 0 && ret != -ENODEV)
		scstu_log(SCSTU_LOG_ERR, "%s: queue %u stops: %s",
			  kd->dev->name, q->index, strerror(-ret));
	else if (ret == -ENODEV)
		scstu_log(SCSTU_LOG_WARN, "%s: device removed", kd->dev->name);
	q->error = ret;
	if (ret < 0)
		scstu_dev_stop(kd->dev);
	return NULL;
}
