// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sdk_fuzz: the fuzzed disk's handler. RAM-backed, every optional
 * callback; about a third of the I/O callbacks (chosen by a hash of the
 * seed and the arguments, so whatever thread calls them) complete from a
 * completer thread after up to 1 ms; ->abort makes a pending completion
 * due at once. Every callback checks that the SDK stays in the disk.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sdk_fuzz.h"

struct async_item {
	struct async_item *next;
	struct scstu_req *req;
	int ret;
	struct timespec due;
};

static struct async_item *aq_head, **aq_tail = &aq_head;
static pthread_mutex_t aq_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t aq_cond = PTHREAD_COND_INITIALIZER;
static bool aq_stop;
static pthread_t completer;

/* Thread-independent choice: a hash of the seed and the arguments. */
uint64_t mix(uint64_t a, uint64_t b)
{
	uint64_t x = a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

static int h_ret(struct scstu_req *req, uint64_t key, int ret)
{
	struct async_item *a;
	uint64_t h = mix(seed, key);

	if (h % 3)
		return ret;
	a = calloc(1, sizeof(*a));
	if (!a)
		return ret;
	a->req = req;
	a->ret = ret;
	clock_gettime(CLOCK_MONOTONIC, &a->due);
	a->due.tv_nsec += (long)((h >> 8) % 1000) * 1000;
	if (a->due.tv_nsec >= 1000000000L) {
		a->due.tv_sec++;
		a->due.tv_nsec -= 1000000000L;
	}
	atomic_fetch_add(&nr_async, 1);
	pthread_mutex_lock(&aq_lock);
	*aq_tail = a;
	aq_tail = &a->next;
	pthread_cond_signal(&aq_cond);
	pthread_mutex_unlock(&aq_lock);
	return SCSTU_ASYNC;
}

static void *completer_fn(void *arg)
{
	struct async_item *a;

	(void)arg;
	pthread_mutex_lock(&aq_lock);
	for (;;) {
		while (!aq_head && !aq_stop)
			pthread_cond_wait(&aq_cond, &aq_lock);
		if (!aq_head)
			break;
		a = aq_head;
		if (pthread_cond_timedwait(&aq_cond, &aq_lock, &a->due) !=
		    ETIMEDOUT && aq_head == a && !aq_stop) {
			/* woken early (abort or new item): wait again
			 * unless the abort callback made it due */
			struct timespec now;

			clock_gettime(CLOCK_MONOTONIC, &now);
			if (a->due.tv_sec > now.tv_sec ||
			    (a->due.tv_sec == now.tv_sec &&
			     a->due.tv_nsec > now.tv_nsec))
				continue;
		}
		aq_head = a->next;
		if (!aq_head)
			aq_tail = &aq_head;
		pthread_mutex_unlock(&aq_lock);
		scstu_disk_complete(a->req, a->ret);
		free(a);
		pthread_mutex_lock(&aq_lock);
	}
	pthread_mutex_unlock(&aq_lock);
	return NULL;
}

static int h_read(struct scstu_req *req, uint64_t lba, uint32_t nr,
		  void *buf)
{
	if (lba + nr > NR_BLOCKS)
		fail(NULL, "read beyond capacity: lba %llu nr %u",
		     (unsigned long long)lba, nr);
	pthread_mutex_lock(&ram_lock);
	memcpy(buf, ram + lba * BS, (size_t)nr * BS);
	pthread_mutex_unlock(&ram_lock);
	return h_ret(req, lba << 20 | nr, 0);
}

static int h_write(struct scstu_req *req, uint64_t lba, uint32_t nr,
		   const void *buf, unsigned int flags)
{
	(void)flags;
	if (lba + nr > NR_BLOCKS)
		fail(NULL, "write beyond capacity: lba %llu nr %u",
		     (unsigned long long)lba, nr);
	pthread_mutex_lock(&ram_lock);
	memcpy(ram + lba * BS, buf, (size_t)nr * BS);
	memset(mapped + lba, 1, nr);
	pthread_mutex_unlock(&ram_lock);
	return h_ret(req, lba << 20 | nr | 1ULL << 60, 0);
}

static int h_flush(struct scstu_req *req)
{
	return h_ret(req, 7, 0);
}

static int h_unmap(struct scstu_req *req, const struct scstu_extent *ext,
		   unsigned int nr)
{
	unsigned int i;

	pthread_mutex_lock(&ram_lock);
	for (i = 0; i < nr; i++) {
		if (ext[i].lba > NR_BLOCKS ||
		    ext[i].nr_blocks > NR_BLOCKS - ext[i].lba)
			fail(NULL, "unmap beyond capacity: lba %llu nr %llu",
			     (unsigned long long)ext[i].lba,
			     (unsigned long long)ext[i].nr_blocks);
		memset(ram + ext[i].lba * BS, 0, ext[i].nr_blocks * BS);
		memset(mapped + ext[i].lba, 0, ext[i].nr_blocks);
	}
	pthread_mutex_unlock(&ram_lock);
	return h_ret(req, nr ? ext[0].lba | 2ULL << 60 : 9, 0);
}

static int h_write_same(struct scstu_req *req, uint64_t lba, uint64_t nr,
			const void *block, unsigned int flags)
{
	uint64_t i;

	if (lba > NR_BLOCKS || nr > NR_BLOCKS - lba)
		fail(NULL, "write same beyond capacity: lba %llu nr %llu",
		     (unsigned long long)lba, (unsigned long long)nr);
	pthread_mutex_lock(&ram_lock);
	for (i = 0; i < nr; i++)
		memcpy(ram + (lba + i) * BS, block, BS);
	memset(mapped + lba, !(flags & SCSTU_DISK_WS_UNMAP), nr);
	pthread_mutex_unlock(&ram_lock);
	return h_ret(req, lba << 20 | nr | 3ULL << 60, 0);
}

static int h_caw(struct scstu_req *req, uint64_t lba, uint32_t nr,
		 const void *verify, const void *data, uint32_t *off)
{
	const uint8_t *v = verify;
	int ret = 0;
	uint32_t i;

	if (lba + nr > NR_BLOCKS)
		fail(NULL, "caw beyond capacity");
	pthread_mutex_lock(&ram_lock);
	for (i = 0; i < nr * BS; i++) {
		if (v[i] != ram[lba * BS + i]) {
			*off = i;
			ret = -EILSEQ;
			break;
		}
	}
	if (!ret)
		memcpy(ram + lba * BS, data, (size_t)nr * BS);
	pthread_mutex_unlock(&ram_lock);
	return h_ret(req, lba << 20 | nr | 4ULL << 60, ret);
}

static int h_map_status(struct scstu_dev *d, uint64_t lba, uint64_t *nr,
			enum scstu_map_state *state)
{
	uint64_t n = 1;

	(void)d;
	if (lba >= NR_BLOCKS)
		fail(NULL, "map_status beyond capacity: lba %llu",
		     (unsigned long long)lba);
	pthread_mutex_lock(&ram_lock);
	while (lba + n < NR_BLOCKS && mapped[lba + n] == mapped[lba])
		n++;
	*state = mapped[lba] ? SCSTU_MAPPED : SCSTU_DEALLOCATED;
	pthread_mutex_unlock(&ram_lock);
	*nr = n;
	return 0;
}

/* Abort: make the request's pending completion due now. */
static void h_abort(struct scstu_req *req)
{
	struct async_item *a;

	atomic_fetch_add(&nr_aborted_cb, 1);
	pthread_mutex_lock(&aq_lock);
	for (a = aq_head; a; a = a->next)
		if (a->req == req)
			a->due.tv_sec = 0;
	pthread_cond_signal(&aq_cond);
	pthread_mutex_unlock(&aq_lock);
}

static void h_reset(struct scstu_dev *d, enum scstu_reset kind,
		    uint64_t session, uint64_t lun)
{
	(void)d;
	(void)session;
	(void)lun;
	if (kind < SCSTU_RESET_LUN || kind > SCSTU_RESET_NEXUS)
		fail(NULL, "reset of kind %d", kind);
	atomic_fetch_add(&nr_resets, 1);
}

static void h_attach(struct scstu_dev *d, const struct scstu_nexus *nx)
{
	(void)d;
	(void)nx;
}

static void h_detach(struct scstu_dev *d, const struct scstu_nexus *nx)
{
	(void)d;
	(void)nx;
}

const struct scstu_disk_ops fuzz_disk_ops = {
	.read = h_read, .write = h_write, .flush = h_flush,
	.unmap = h_unmap, .write_same = h_write_same,
	.compare_and_write = h_caw, .map_status = h_map_status,
};

const struct scstu_ops fuzz_raw_ops = {
	.abort = h_abort, .reset = h_reset,
	.attach = h_attach, .detach = h_detach,
};

void fuzz_completer_start(void)
{
	if (pthread_create(&completer, NULL, completer_fn, NULL))
		fail(NULL, "pthread_create");
}

void fuzz_completer_stop(void)
{
	pthread_mutex_lock(&aq_lock);
	aq_stop = true;
	pthread_cond_signal(&aq_cond);
	pthread_mutex_unlock(&aq_lock);
	pthread_join(completer, NULL);
}
