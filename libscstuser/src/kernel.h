/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser kernel transport, private: the objects shared by
 * transport_kernel.c (registration, mmap, lifecycle), kernel_cq.c
 * (completions: CQ lock, CQEs, ENTER) and kernel_sq.c (SQE dispatch to
 * the ops, queue workers). See transport_kernel.c for the overview.
 */
#ifndef SCSTU_KERNEL_H
#define SCSTU_KERNEL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

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
	uint32_t early_end;		/* worker: sq_tail when it started */
	bool early;			/* worker: SQEs before early_end left */
	bool cur_early;			/* worker: the SQE being handled is */
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
extern __thread struct kqueue *kq_tls_batch;

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

/* kernel_cq.c */
int kq_enter(struct kqueue *q, bool wait);
struct scstu_user_cqe *kq_cq_next(struct kqueue *q);
void kq_cq_done(struct kqueue *q, uint64_t id);
bool kq_cq_publish(struct kqueue *q);
void kq_complete(struct scstu_req *req);
void kq_answer(struct kqueue *q, uint64_t id);
void kq_answer_bad_cmd(struct kqueue *q, uint64_t id);
int kq_flush(struct kqueue *q);
int kq_raise_ua(struct scstu_dev *dev, uint8_t asc, uint8_t ascq,
		uint64_t except_session);
int kq_set_d_sense(struct scstu_dev *dev, bool desc);

/* kernel_sq.c */
int kq_batch(struct kqueue *q, bool flush);
void *kq_worker(void *arg);
guint kq_nexus_hash(gconstpointer p);
gboolean kq_nexus_equal(gconstpointer a, gconstpointer b);
void kq_nexus_free(gpointer p);

#endif /* SCSTU_KERNEL_H */
