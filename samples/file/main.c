// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * scstu-file: a disk backed by a file, on the libscstuser disk class,
 * with asynchronous I/O through io_uring (liburing).
 *
 * Each device queue gets its own io_uring. The queue's worker thread
 * submits reads, writes and fsyncs there and returns SCSTU_ASYNC; a
 * reaper thread per ring waits for the io_uring completions and ends
 * each command with scstu_disk_complete(), which is safe from any thread.
 * UNMAP punches holes in the file (fallocate), so the file stays sparse.
 *
 *   scstu-file --name NAME --file PATH [--size BYTES] [--block-size N]
 *              [--queues N] [--depth N] [--busy-poll US]
 * The file is created if needed and extended to --size (default 1 GiB).
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <scstuser_disk.h>

#include "../common.h"

struct ring {
	struct io_uring uring;
	pthread_mutex_t lock;	/* submitters: the worker, and SDK
				 * continuations on the reaper */
	pthread_t reaper;
};

static int fd;			/* the backing file */
static uint32_t bs;		/* block size */
static struct ring *rings;	/* one per device queue */

/* Queue one operation for req (or NULL: tells the reaper to exit). */
static int submit(struct scstu_req *req, unsigned int queue,
		  void (*prep)(struct io_uring_sqe *sqe, const void *arg),
		  const void *arg)
{
	struct ring *r = &rings[queue];
	struct io_uring_sqe *sqe;
	int ret;

	pthread_mutex_lock(&r->lock);
	while (!(sqe = io_uring_get_sqe(&r->uring)))
		io_uring_submit(&r->uring);	/* SQ full: make room */
	prep(sqe, arg);
	io_uring_sqe_set_data(sqe, req);
	ret = io_uring_submit(&r->uring);
	pthread_mutex_unlock(&r->lock);
	return ret < 0 ? ret : SCSTU_ASYNC;
}

struct rw {
	bool write;
	void *buf;
	uint32_t len;
	uint64_t off;
	int flags;		/* RWF_* */
};

static void prep_rw(struct io_uring_sqe *sqe, const void *arg)
{
	const struct rw *a = arg;

	if (a->write)
		io_uring_prep_write(sqe, fd, a->buf, a->len, a->off);
	else
		io_uring_prep_read(sqe, fd, a->buf, a->len, a->off);
	sqe->rw_flags = a->flags;
}

static void prep_fsync(struct io_uring_sqe *sqe, const void *arg)
{
	(void)arg;
	io_uring_prep_fsync(sqe, fd, 0);
}

static void prep_nop(struct io_uring_sqe *sqe, const void *arg)
{
	(void)arg;
	io_uring_prep_nop(sqe);
	sqe->flags |= IOSQE_IO_DRAIN;	/* after everything in flight */
}

/* One reaper per ring: io_uring completions -> command completions. */
static void *reaper(void *arg)
{
	struct ring *r = arg;
	struct io_uring_cqe *cqe;

	for (;;) {
		struct scstu_req *req;
		int res;

		if (io_uring_wait_cqe(&r->uring, &cqe) < 0)
			continue;	/* EINTR */
		req = io_uring_cqe_get_data(cqe);
		res = cqe->res;
		io_uring_cqe_seen(&r->uring, cqe);
		if (!req)
			break;		/* the NOP from main(): exit */
		/* a short transfer inside the file is an I/O error too */
		if (res > 0 && scstu_req_ctx(req) &&
		    (uint32_t)res != *(uint32_t *)scstu_req_ctx(req))
			res = -EIO;
		scstu_disk_complete(req, res < 0 ? res : 0);
	}
	return NULL;
}

static int file_rw(struct scstu_req *req, bool write, uint64_t lba,
		   uint32_t n, const void *buf, unsigned int flags)
{
	struct rw a = { .write = write, .buf = (void *)buf,
			.len = n * bs, .off = lba * bs,
			.flags = (flags & SCSTU_DISK_FUA) ? RWF_DSYNC : 0 };

	/* remember the expected length for the reaper */
	*(uint32_t *)scstu_req_ctx(req) = a.len;
	return submit(req, scstu_req_queue(req), prep_rw, &a);
}

static int file_read(struct scstu_req *req, uint64_t lba, uint32_t n,
		     void *buf)
{
	return file_rw(req, false, lba, n, buf, 0);
}

static int file_write(struct scstu_req *req, uint64_t lba, uint32_t n,
		      const void *buf, unsigned int flags)
{
	return file_rw(req, true, lba, n, buf, flags);
}

static int file_flush(struct scstu_req *req)
{
	*(uint32_t *)scstu_req_ctx(req) = 0;	/* fsync returns 0 */
	return submit(req, scstu_req_queue(req), prep_fsync, NULL);
}

/* Synchronous: hole punching is quick and rare. */
static int file_unmap(struct scstu_req *req, const struct scstu_extent *ext,
		      unsigned int nr)
{
	(void)req;
	for (unsigned int i = 0; i < nr; i++)
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      ext[i].lba * bs, ext[i].nr_blocks * bs))
			return -errno;
	return 0;
}

static int open_file(const struct sample_opts *o)
{
	struct stat st;

	fd = open(o->file, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || fstat(fd, &st))
		return -errno;
	if ((uint64_t)st.st_size < o->size && ftruncate(fd, o->size))
		return -errno;
	return 0;
}

int main(int argc, char **argv)
{
	struct sample_opts o;
	struct scstu_dev_config cfg = { .type = SCSTU_TYPE_DISK };
	struct scstu_disk_config dc = { .product = "USER FILE",
					.write_cache = true };
	struct scstu_disk_ops ops = {
		.read = file_read, .write = file_write, .flush = file_flush,
		.unmap = file_unmap,
	};
	struct scstu_dev *dev;
	unsigned int i, nq;
	int ret;

	if (sample_parse(argc, argv, "scstu-file", SAMPLE_OPT_FILE, &o))
		return 2;
	ret = open_file(&o);
	if (ret) {
		fprintf(stderr, "scstu-file: %s: %s\n", o.file,
			strerror(-ret));
		return 1;
	}
	bs = o.block_size;
	cfg.name = o.name;
	cfg.nr_queues = o.queues;
	cfg.queue_depth = o.depth;
	cfg.busy_poll_us = o.busy_poll_us;
	cfg.req_ctx_size = sizeof(uint32_t);
	dc.nr_blocks = o.size / bs;
	dc.block_size = bs;
	dc.unmap_granularity = bs < 4096 ? 4096 / bs : 1;

	dev = scstu_disk_create(&cfg, &dc, &ops, NULL);
	if (!dev) {
		fprintf(stderr, "scstu-file: cannot create %s: %s\n", o.name,
			strerror(errno));
		return 1;
	}
	nq = scstu_dev_nr_queues(dev);
	rings = calloc(nq, sizeof(*rings));
	for (i = 0; rings && i < nq; i++) {
		ret = io_uring_queue_init(o.depth ? o.depth : 256,
					  &rings[i].uring, 0);
		if (ret) {
			fprintf(stderr, "scstu-file: io_uring: %s\n",
				strerror(-ret));
			return 1;
		}
		pthread_mutex_init(&rings[i].lock, NULL);
		pthread_create(&rings[i].reaper, NULL, reaper, &rings[i]);
	}
	if (!rings)
		return 1;
	sample_stop_on_signals(dev);
	ret = scstu_dev_run(dev);
	/* reapers finish what is in flight, then see their NOP */
	for (i = 0; i < nq; i++) {
		submit(NULL, i, prep_nop, NULL);
		pthread_join(rings[i].reaper, NULL);
		io_uring_queue_exit(&rings[i].uring);
	}
	scstu_dev_destroy(dev);
	close(fd);
	return ret ? 1 : 0;
}
