// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * scstu-ramdisk: a thin-provisioned disk in memory, on the libscstuser
 * disk class (scstuser_disk.h). The handler writes read, write, unmap
 * and map_status; the SDK answers every other command.
 *
 * Memory is a sparse anonymous mapping; a bit per page says if it holds
 * data (GET LBA STATUS); UNMAP gives whole pages back to the kernel.
 *
 * --delay-ms N is a test mode: every read and write completes N ms
 * later, from a delay thread (asynchronous completion), so that aborts
 * and resets find commands in the handler. A read fills its buffer at
 * once and only its completion waits (so an aborted one has touched its
 * buffer); a write is done when it completes. An aborted command
 * completes at once. --glib serves the device from a GLib main loop
 * (SCSTU_DEV_OWN_LOOP) instead of worker threads.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <scstuser_disk.h>

#include "../common.h"

#define PAGE	4096ULL

static uint8_t *mem;		/* the disk */
static uint64_t *mapped;	/* bit per page: holds data */
static uint64_t nr_pages, nr_blocks_all;
static uint32_t bs;		/* block size */

static void set_mapped(uint64_t first, uint64_t last, bool on)
{
	for (uint64_t p = first; p <= last; p++)
		if (on)
			__atomic_fetch_or(&mapped[p / 64], 1ULL << (p % 64),
					  __ATOMIC_RELAXED);
		else
			__atomic_fetch_and(&mapped[p / 64], ~(1ULL << (p % 64)),
					   __ATOMIC_RELAXED);
}

static bool is_mapped(uint64_t p)
{
	return __atomic_load_n(&mapped[p / 64], __ATOMIC_RELAXED) &
	       (1ULL << (p % 64));
}

static int do_read(uint64_t lba, uint32_t n, void *buf)
{
	memcpy(buf, mem + lba * bs, (size_t)n * bs);
	return 0;
}

static int do_write(uint64_t lba, uint32_t n, const void *buf)
{
	uint64_t off = lba * bs, len = (uint64_t)n * bs;

	memcpy(mem + off, buf, len);
	set_mapped(off / PAGE, (off + len - 1) / PAGE, true);
	return 0;
}

/* --- delay mode: commands wait in a FIFO, all with the same delay --- */
struct delayed {		/* in scstu_req_ctx() */
	struct timespec due;
	bool write;
	uint64_t lba, n;
	void *buf;
};

static unsigned int delay_ms;
static GQueue delay_fifo = G_QUEUE_INIT;	/* of struct scstu_req */
static pthread_mutex_t delay_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t delay_cond = PTHREAD_COND_INITIALIZER;
static unsigned int delay_inflight;	/* queued or being completed */

static gint is_aborted(gconstpointer req, gconstpointer unused)
{
	(void)unused;
	return scstu_req_aborted(req) ? 0 : 1;
}

static void *delay_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&delay_lock);
	for (;;) {
		GList *l = g_queue_find_custom(&delay_fifo, NULL, is_aborted);
		struct scstu_req *req = l ? l->data : NULL;
		struct delayed *d;
		int ret = 0;

		if (!req) {		/* none aborted: wait for the head */
			req = g_queue_peek_head(&delay_fifo);
			if (!req) {
				pthread_cond_wait(&delay_cond, &delay_lock);
				continue;
			}
			d = scstu_req_ctx(req);
			if (pthread_cond_timedwait(&delay_cond, &delay_lock,
						   &d->due) != ETIMEDOUT)
				continue;	/* an abort or a new command */
		}
		g_queue_remove(&delay_fifo, req);
		pthread_mutex_unlock(&delay_lock);
		d = scstu_req_ctx(req);
		if (!scstu_req_aborted(req) && d->write)
			ret = do_write(d->lba, d->n, d->buf);
		scstu_disk_complete(req, ret);
		pthread_mutex_lock(&delay_lock);
		__atomic_fetch_sub(&delay_inflight, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static int delay(struct scstu_req *req, bool write, uint64_t lba, uint32_t n,
		 const void *buf)
{
	struct delayed *d = scstu_req_ctx(req);
	struct timespec *t = &d->due;

	*d = (struct delayed){ .write = write, .lba = lba, .n = n,
			       .buf = (void *)buf };
	clock_gettime(CLOCK_REALTIME, t);	/* the condvar's clock */
	t->tv_nsec += (delay_ms % 1000) * 1000000L;
	t->tv_sec += delay_ms / 1000 + t->tv_nsec / 1000000000L;
	t->tv_nsec %= 1000000000L;
	pthread_mutex_lock(&delay_lock);
	g_queue_push_tail(&delay_fifo, req);
	__atomic_fetch_add(&delay_inflight, 1, __ATOMIC_RELAXED);
	pthread_cond_signal(&delay_cond);
	pthread_mutex_unlock(&delay_lock);
	return SCSTU_ASYNC;
}

/* ops->abort (raw level): wake the delay thread, which sees the flag */
static void ram_abort(struct scstu_req *req)
{
	(void)req;
	pthread_mutex_lock(&delay_lock);
	pthread_cond_signal(&delay_cond);
	pthread_mutex_unlock(&delay_lock);
}

/* --- disk class callbacks --- */
static int ram_read(struct scstu_req *req, uint64_t lba, uint32_t n,
		    void *buf)
{
	int ret = do_read(lba, n, buf);

	return delay_ms && !ret ? delay(req, false, lba, n, buf) : ret;
}

static int ram_write(struct scstu_req *req, uint64_t lba, uint32_t n,
		     const void *buf, unsigned int flags)
{
	(void)flags;		/* FUA: memory is always "stable" */
	return delay_ms ? delay(req, true, lba, n, buf) :
			  do_write(lba, n, buf);
}

static int ram_unmap(struct scstu_req *req, const struct scstu_extent *ext,
		     unsigned int nr)
{
	(void)req;
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t off = ext[i].lba * bs, end = off +
			       ext[i].nr_blocks * bs;
		uint64_t p0 = (off + PAGE - 1) / PAGE, p1 = end / PAGE;

		/* zero the partial pages at the edges, drop whole pages */
		if (p0 >= p1) {
			memset(mem + off, 0, end - off);
			continue;
		}
		memset(mem + off, 0, p0 * PAGE - off);
		memset(mem + p1 * PAGE, 0, end - p1 * PAGE);
		set_mapped(p0, p1 - 1, false);
		madvise(mem + p0 * PAGE, (p1 - p0) * PAGE, MADV_DONTNEED);
	}
	return 0;
}

static int ram_map_status(struct scstu_dev *dev, uint64_t lba,
			  uint64_t *nr_blocks, enum scstu_map_state *state)
{
	uint64_t p = lba * bs / PAGE, q = p + 1;
	bool m = is_mapped(p);

	(void)dev;	/* one device per process here */
	while (q < nr_pages && is_mapped(q) == m)
		q++;
	*state = m ? SCSTU_MAPPED : SCSTU_DEALLOCATED;
	*nr_blocks = (q * PAGE / bs < nr_blocks_all ? q * PAGE / bs :
		      nr_blocks_all) - lba;
	return 0;
}

int main(int argc, char **argv)
{
	struct sample_opts o;
	struct scstu_dev_config cfg = { .type = SCSTU_TYPE_DISK };
	struct scstu_disk_config dc = { .product = "USER RAMDISK" };
	struct scstu_disk_ops ops = {
		.read = ram_read, .write = ram_write, .unmap = ram_unmap,
		.map_status = ram_map_status,
	};
	struct scstu_ops raw = { .abort = ram_abort };
	struct scstu_dev *dev;
	pthread_t tid;
	int ret;

	if (sample_parse(argc, argv, "scstu-ramdisk", SAMPLE_OPT_DELAY, &o))
		return 2;
	bs = o.block_size;
	delay_ms = o.delay_ms;
	nr_pages = (o.size + PAGE - 1) / PAGE;
	mem = mmap(NULL, nr_pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	mapped = calloc((nr_pages + 63) / 64, sizeof(*mapped));
	if (mem == MAP_FAILED || !mapped)
		return 1;
	cfg.name = o.name;
	cfg.flags = o.glib ? SCSTU_DEV_OWN_LOOP : 0;
	cfg.nr_queues = o.queues;
	cfg.queue_depth = o.depth;
	cfg.busy_poll_us = o.busy_poll_us;
	cfg.req_ctx_size = sizeof(struct delayed);	/* delay mode */
	dc.nr_blocks = nr_blocks_all = o.size / bs;
	dc.block_size = bs;
	dc.unmap_granularity = PAGE / bs;
	if (delay_ms && pthread_create(&tid, NULL, delay_thread, NULL))
		return 1;
	dev = scstu_disk_create(&cfg, &dc, &ops, &raw);
	if (!dev) {
		fprintf(stderr, "scstu-ramdisk: cannot create %s: %s\n",
			o.name, strerror(errno));
		return 1;
	}
	ret = sample_run(dev, &o);
	/* the delay thread still completes what it holds */
	while (__atomic_load_n(&delay_inflight, __ATOMIC_ACQUIRE))
		usleep(10000);
	scstu_dev_destroy(dev);
	return ret ? 1 : 0;
}
