// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Kernel transport: a device registered with scstu_user.ko through
 * /dev/scstu_user (ABI: kernel/include/uapi/scstu_user.h, docs/abi.md).
 *
 * Per queue: the mmap'd rings and data area, one preallocated request
 * per ring slot (index = low 32 bits of the SQE id), and a CQ lock.
 * A worker (or scstu_dev_process()) consumes SQEs in batches and calls
 * the handler's ops; completions made on that thread during the batch
 * are published with one ENTER at the end of the batch, completions
 * from any other thread write their CQE under the CQ lock and ENTER
 * themselves.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "internal.h"
#include "scstu_user.h"

#define CFS_USER_DIR	"/sys/kernel/config/scstu/devices/user"
#define WAIT_TIMEOUT_MS	1000	/* safety net for a WAKE that came early */

struct kdev;

struct kslot {
	struct scstu_req req;
	uint64_t abort_id;	/* ABORT SQE answered when req completes */
	bool busy;		/* a command is outstanding (under cq_lock) */
};

struct kqueue {
	struct kdev *kd;
	unsigned int index;
	void *map;
	struct scstu_user_ring *ring;
	struct scstu_user_sqe *sqes;
	struct scstu_user_cqe *cqes;
	uint8_t *data;
	uint32_t entries, mask;
	uint32_t sq_head;		/* worker's copy */
	bool need_enter;		/* worker only: CQEs to publish */

	pthread_mutex_t cq_lock;
	uint32_t cq_tail;		/* under cq_lock */

	struct kslot *slots;
	void *ctx_area;
	pthread_t thread;
	int error;			/* worker's exit status (-errno) */
};

struct kdev {
	struct scstu_dev *dev;
	int fd;
	uint64_t features;
	uint32_t map_size;
	uint32_t data_size;
	struct kqueue *queues;
	unsigned int nr_queues;
	atomic_bool stop;
	atomic_bool running;

	/* (session, lun) -> names of the nexus, for ->detach */
	pthread_mutex_t nexus_lock;
	GHashTable *nexuses;
};

struct nexus_key {
	uint64_t session, lun;
};

/* key not first: GLib treats key == value pointers as a set */
struct nexus_names {
	char *initiator, *target;
	struct nexus_key key;
	uint16_t rel_port;
};

/* Queue whose batch this thread is processing (completions deferred). */
static __thread struct kqueue *tls_batch;

static inline struct kdev *kdev_of(struct scstu_dev *dev)
{
	return dev->tpriv;
}

static inline uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

static int enter(struct kqueue *q, bool wait)
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
		int ret = enter(q, false);

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
static struct scstu_user_cqe *cq_next(struct kqueue *q)
{
	struct scstu_user_cqe *cqe;

	if (!cq_reserve(q))
		return NULL;
	cqe = &q->cqes[q->cq_tail & q->mask];
	memset(cqe, 0, sizeof(*cqe));
	q->cq_tail++;
	return cqe;
}

static void cq_done(struct kqueue *q, uint64_t id)
{
	struct scstu_user_cqe *cqe = cq_next(q);

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
static bool cq_publish(struct kqueue *q)
{
	store_release(&q->ring->cq_tail, q->cq_tail);
	if (tls_batch == q) {
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
static void kernel_complete(struct scstu_req *req)
{
	struct kdev *kd = kdev_of(req->dev);
	struct kqueue *q = &kd->queues[req->queue];
	struct kslot *slot = (struct kslot *)req;
	struct scstu_user_cqe *cqe;
	bool kick;

	if (scstu_log_get_level() >= SCSTU_LOG_DEBUG)
		log_result(req);
	pthread_mutex_lock(&q->cq_lock);
	cqe = cq_next(q);
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
		cq_done(q, slot->abort_id);
		slot->abort_id = 0;
	}
	/* from here on the kernel may reuse the slot: req is not touched */
	kick = cq_publish(q);
	pthread_mutex_unlock(&q->cq_lock);
	if (kick)
		enter(q, false);
}

/* Answer an event SQE at once. */
static void answer(struct kqueue *q, uint64_t id)
{
	bool kick;

	pthread_mutex_lock(&q->cq_lock);
	cq_done(q, id);
	kick = cq_publish(q);
	pthread_mutex_unlock(&q->cq_lock);
	if (kick)
		enter(q, false);
}

/* Answer a command that cannot be run: HARDWARE ERROR 44/00. */
static void answer_bad_cmd(struct kqueue *q, uint64_t id)
{
	struct scstu_sense s = { .key = SCSTU_HARDWARE_ERROR, .asc = 0x44 };
	struct scstu_user_cqe *cqe;
	bool kick;

	pthread_mutex_lock(&q->cq_lock);
	cqe = cq_next(q);
	if (cqe) {
		cqe->id = id;
		cqe->kind = SCSTU_USER_CQE_DONE;
		cqe->status = SCSTU_CHECK_CONDITION;
		cqe->sense_len = scstu_sense_build(cqe->u.sense,
						   sizeof(cqe->u.sense),
						   scstu_dev_d_sense(q->kd->dev),
						   &s);
	}
	kick = cq_publish(q);
	pthread_mutex_unlock(&q->cq_lock);
	if (kick)
		enter(q, false);
}

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
		answer_bad_cmd(q, id);
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
		answer_bad_cmd(q, id);
		return;
	}
	pthread_mutex_lock(&q->cq_lock);
	if (slot->busy) {
		pthread_mutex_unlock(&q->cq_lock);
		scstu_log(SCSTU_LOG_ERR, "%s: q%u: slot %u reused while busy",
			  dev->name, q->index, idx);
		answer_bad_cmd(q, id);
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
		cq_done(q, sqe->id);
		kick = cq_publish(q);
	}
	pthread_mutex_unlock(&q->cq_lock);
	if (kick)
		enter(q, false);
	scstu_log(SCSTU_LOG_INFO, "%s: q%u: abort of 0x%" PRIx64 "%s",
		  dev->name, q->index, cmd_id, slot ? "" : " (not running)");
	/* The slot cannot be reused before this thread reads more SQEs. */
	if (slot && dev->ops.abort)
		dev->ops.abort(&slot->req);
}

static guint nexus_hash(gconstpointer p)
{
	const struct nexus_key *k = p;

	return g_int64_hash(&k->session) ^ (guint)(k->lun * 2654435761U);
}

static gboolean nexus_equal(gconstpointer a, gconstpointer b)
{
	const struct nexus_key *x = a, *y = b;

	return x->session == y->session && x->lun == y->lun;
}

static void nexus_free(gpointer p)
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
	answer(q, sqe->id);
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
		nexus_free(n);
	answer(q, sqe->id);
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
	answer(q, sqe->id);
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
		answer(q, sqe->id);
		break;
	}
}

/* ENTER (no wait) if a batch left completions to publish. */
static int flush_batch(struct kqueue *q)
{
	if (!q->need_enter)
		return 0;
	q->need_enter = false;
	return enter(q, false);
}

/*
 * Consume every SQE published so far (at most one ring's worth). With
 * flush, publish the completions made meanwhile with one ENTER; without,
 * the caller does (the worker folds it into its sleeping ENTER). Returns
 * the number consumed or -errno.
 */
static int queue_batch(struct kqueue *q, bool flush)
{
	uint32_t head = q->sq_head, tail = load_acquire(&q->ring->sq_tail);
	int n = 0, ret = 0;

	if (tail - head > q->entries) {
		scstu_log(SCSTU_LOG_ERR, "%s: q%u: bad sq_tail %u (head %u)",
			  q->kd->dev->name, q->index, tail, head);
		return -EPROTO;
	}
	if (head != tail) {
		tls_batch = q;
		for (; head != tail; head++, n++)
			handle_sqe(q, &q->sqes[head & q->mask]);
		q->sq_head = head;
		store_release(&q->ring->sq_head, head);
		tls_batch = NULL;
	}
	if (flush)
		ret = flush_batch(q);
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

static void *worker(void *arg)
{
	struct kqueue *q = arg;
	struct kdev *kd = q->kd;
	sigset_t all;
	int ret = 0;

	/* signals go to the thread that called scstu_dev_run() */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);

	while (!atomic_load(&kd->stop)) {
		ret = queue_batch(q, false);
		if (ret < 0)
			break;
		ret = 0;
		/* more work: publish this batch's completions, go on */
		if (sq_pending(q)) {
			ret = flush_batch(q);
			if (ret < 0)
				break;
			continue;
		}
		if (kd->dev->busy_poll_us) {
			ret = flush_batch(q);
			if (ret < 0)
				break;
			if (busy_poll(q))
				continue;
		}
		/* one ENTER publishes the completions and sleeps */
		q->need_enter = false;
		ret = enter(q, true);
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

static int kernel_run(struct scstu_dev *dev)
{
	struct kdev *kd = kdev_of(dev);
	unsigned int i, started = 0;
	int ret = 0;

	if (atomic_exchange(&kd->running, true))
		return -EBUSY;
	for (i = 0; i < kd->nr_queues; i++) {
		struct kqueue *q = &kd->queues[i];
		char name[24];

		q->error = 0;
		ret = -pthread_create(&q->thread, NULL, worker, q);
		if (ret) {
			scstu_log(SCSTU_LOG_ERR, "%s: cannot start a worker: %s",
				  dev->name, strerror(-ret));
			scstu_dev_stop(dev);
			break;
		}
		snprintf(name, sizeof(name), "scstu-q%u", i);
		pthread_setname_np(q->thread, name);
		started++;
	}
	for (i = 0; i < started; i++) {
		pthread_join(kd->queues[i].thread, NULL);
		if (!ret && kd->queues[i].error)
			ret = kd->queues[i].error;
	}
	atomic_store(&kd->running, false);
	return ret;
}

/* async-signal-safe: an atomic store and ioctls */
static void kernel_stop(struct scstu_dev *dev)
{
	struct kdev *kd = kdev_of(dev);
	unsigned int i;
	int saved = errno;

	atomic_store(&kd->stop, true);
	for (i = 0; i < kd->nr_queues; i++)
		ioctl(kd->fd, SCSTU_USER_WAKE, (unsigned long)i);
	errno = saved;
}

static int kernel_fd(struct scstu_dev *dev)
{
	return kdev_of(dev)->fd;
}

static int kernel_process(struct scstu_dev *dev)
{
	struct kdev *kd = kdev_of(dev);
	unsigned int i;
	int ret;

	for (i = 0; i < kd->nr_queues; i++) {
		ret = queue_batch(&kd->queues[i], true);
		if (ret < 0)
			return ret;
	}
	return 0;
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
	cqe = cq_next(q);
	if (cqe)
		fill(cqe, arg);
	kick = cq_publish(q);
	pthread_mutex_unlock(&q->cq_lock);
	if (!cqe)
		return -EAGAIN;
	return kick ? enter(q, false) : 0;
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

static int kernel_raise_ua(struct scstu_dev *dev, uint8_t asc, uint8_t ascq,
			   uint64_t except_session)
{
	struct ua_arg a = { asc, ascq, except_session };

	return send_dev_event(dev, fill_ua, &a);
}

static int kernel_set_d_sense(struct scstu_dev *dev, bool desc)
{
	return send_dev_event(dev, fill_d_sense, &desc);
}

static void free_queues(struct kdev *kd)
{
	unsigned int i;

	for (i = 0; i < kd->nr_queues; i++) {
		struct kqueue *q = &kd->queues[i];

		if (q->map && q->map != MAP_FAILED)
			munmap(q->map, kd->map_size);
		free(q->slots);
		free(q->ctx_area);
		pthread_mutex_destroy(&q->cq_lock);
	}
	free(kd->queues);
	kd->queues = NULL;
}

static void kdev_free(struct kdev *kd)
{
	if (kd->queues)
		free_queues(kd);
	if (kd->fd >= 0)
		close(kd->fd);
	if (kd->nexuses)
		g_hash_table_destroy(kd->nexuses);
	pthread_mutex_destroy(&kd->nexus_lock);
	free(kd);
}

static void kernel_destroy(struct scstu_dev *dev)
{
	struct kdev *kd = kdev_of(dev);

	/* closing the fd detaches the handler; the device stays */
	kdev_free(kd);
	dev->tpriv = NULL;
}

static const struct scstu_transport_ops kernel_tops = {
	.complete = kernel_complete,
	.raise_ua = kernel_raise_ua,
	.set_d_sense = kernel_set_d_sense,
	.run = kernel_run,
	.stop = kernel_stop,
	.fd = kernel_fd,
	.process = kernel_process,
	.destroy = kernel_destroy,
};

/* configfs: make devices/user/<name> exist */
static int cfs_mkdir(const char *name)
{
	char path[256];

	if (access(CFS_USER_DIR, F_OK)) {
		scstu_log(SCSTU_LOG_ERR, "%s: %s missing: is scstu_user.ko "
			  "loaded and configfs mounted?", name, CFS_USER_DIR);
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "%s/%s", CFS_USER_DIR, name);
	if (mkdir(path, 0755) && errno != EEXIST) {
		int err = errno;

		scstu_log(SCSTU_LOG_ERR, "%s: mkdir %s: %s", name, path,
			  strerror(err));
		return -err;
	}
	return 0;
}

static int cfs_enable(const char *name)
{
	char path[256], cur[8] = "";
	int fd, err;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s/enable", CFS_USER_DIR, name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	n = read(fd, cur, sizeof(cur) - 1);
	if (n > 0 && cur[0] == '1') {
		close(fd);
		return 0;
	}
	if (pwrite(fd, "1\n", 2, 0) != 2) {
		err = errno;
		close(fd);
		errno = err;
		goto fail;
	}
	close(fd);
	return 0;
fail:
	err = errno;
	scstu_log(SCSTU_LOG_ERR, "%s: enable (%s): %s", name, path,
		  strerror(err));
	return -err;
}

static int setup_queue(struct kdev *kd, struct kqueue *q, unsigned int i,
		       const struct scstu_user_register *reg)
{
	struct scstu_dev *dev = kd->dev;
	size_t ctx = (dev->req_ctx_size + 15) & ~(size_t)15;
	uint32_t e;

	q->kd = kd;
	q->index = i;
	pthread_mutex_init(&q->cq_lock, NULL);
	q->map = mmap(NULL, reg->map_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_POPULATE, kd->fd,
		      (off_t)(i * reg->queue_stride));
	if (q->map == MAP_FAILED) {
		q->map = NULL;
		scstu_log(SCSTU_LOG_ERR, "%s: mmap of queue %u: %s",
			  dev->name, i, strerror(errno));
		return -errno;
	}
	q->ring = q->map;
	q->sqes = (void *)((uint8_t *)q->map + reg->sq_off);
	q->cqes = (void *)((uint8_t *)q->map + reg->cq_off);
	q->data = (uint8_t *)q->map + reg->data_off;
	e = q->ring->ring_entries;
	if (e != reg->ring_entries || q->ring->ring_mask != e - 1) {
		scstu_log(SCSTU_LOG_ERR, "%s: queue %u: ring header says %u "
			  "entries, registration %u", dev->name, i, e,
			  reg->ring_entries);
		return -EPROTO;
	}
	q->entries = e;
	q->mask = e - 1;
	q->sq_head = load_acquire(&q->ring->sq_head);
	q->cq_tail = load_acquire(&q->ring->cq_tail);
	q->slots = calloc(e, sizeof(*q->slots));
	if (ctx)
		q->ctx_area = calloc(e, ctx);
	if (!q->slots || (ctx && !q->ctx_area))
		return -ENOMEM;
	for (e = 0; e < q->entries; e++) {
		struct scstu_req *req = &q->slots[e].req;

		req->dev = dev;
		req->queue = i;
		req->ctx = ctx ? (uint8_t *)q->ctx_area + e * ctx : NULL;
		req->tpriv = q;
	}
	return 0;
}

int scstu_kernel_bind(struct scstu_dev *dev)
{
	struct scstu_user_register reg = {
		.size = sizeof(reg),
		.abi_major = SCSTU_USER_ABI_MAJOR,
		.abi_minor = SCSTU_USER_ABI_MINOR,
		.features = SCSTU_USER_F_TMF_EVENTS | SCSTU_USER_F_DEV_EVENTS |
			    SCSTU_USER_F_LONG_CDB | SCSTU_USER_F_NEXUS_EVENTS,
		.type = dev->type,
		.nr_queues = (uint16_t)dev->nr_queues,
		.ring_entries = dev->queue_depth,
		.data_size = (uint32_t)dev->data_size,
	};
	struct kdev *kd;
	unsigned int i;
	int ret;

	kd = calloc(1, sizeof(*kd));
	if (!kd)
		return -ENOMEM;
	kd->dev = dev;
	kd->fd = -1;
	pthread_mutex_init(&kd->nexus_lock, NULL);
	kd->nexuses = g_hash_table_new_full(nexus_hash, nexus_equal, NULL,
					    nexus_free);
	ret = cfs_mkdir(dev->name);
	if (ret)
		goto fail;
	kd->fd = open(SCSTU_USER_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (kd->fd < 0) {
		ret = -errno;
		scstu_log(SCSTU_LOG_ERR, "%s: open %s: %s", dev->name,
			  SCSTU_USER_DEV_PATH, strerror(errno));
		goto fail;
	}
	snprintf(reg.name, sizeof(reg.name), "%s", dev->name);
	if (ioctl(kd->fd, SCSTU_USER_REGISTER, &reg) < 0) {
		ret = -errno;
		scstu_log(SCSTU_LOG_ERR, "%s: register: %s%s", dev->name,
			  strerror(errno), errno == EBUSY ?
			  " (another handler serves it?)" : "");
		goto fail;
	}
	if (!reg.nr_queues || reg.nr_queues > SCSTU_USER_MAX_QUEUES ||
	    !reg.ring_entries || (reg.ring_entries & (reg.ring_entries - 1))) {
		scstu_log(SCSTU_LOG_ERR, "%s: register: bad answer", dev->name);
		ret = -EPROTO;
		goto fail;
	}
	kd->features = reg.features;
	kd->map_size = reg.map_size;
	kd->data_size = reg.data_size;
	dev->nr_queues = reg.nr_queues;
	dev->queue_depth = reg.ring_entries;
	dev->data_size = reg.data_size;
	dev->max_xfer = reg.max_xfer;
	kd->queues = calloc(reg.nr_queues, sizeof(*kd->queues));
	if (!kd->queues) {
		ret = -ENOMEM;
		goto fail;
	}
	kd->nr_queues = reg.nr_queues;
	for (i = 0; i < kd->nr_queues; i++) {
		ret = setup_queue(kd, &kd->queues[i], i, &reg);
		if (ret)
			goto fail;
	}
	dev->tops = &kernel_tops;
	dev->tpriv = kd;
	ret = cfs_enable(dev->name);
	if (ret)
		goto fail;
	scstu_log(SCSTU_LOG_INFO, "%s: registered, ABI %u.%u, features 0x%"
		  PRIx64 ", %u queue(s) x %u entries, data %u bytes, "
		  "max transfer %u", dev->name, reg.abi_major, reg.abi_minor,
		  (uint64_t)reg.features, reg.nr_queues, reg.ring_entries,
		  reg.data_size, reg.max_xfer);
	return 0;
fail:
	dev->tops = NULL;
	dev->tpriv = NULL;
	kdev_free(kd);
	return ret;
}
