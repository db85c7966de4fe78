// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Native benchmark of libscstuser through its in-process harness, no
 * kernel, no VM: a disk device with a memory handler, driven by
 * scstu_harness_run() with READ(16)/WRITE(16) CDBs, against the same
 * memcpy done by plain code (the "no SDK" baseline).
 *
 * Workloads: 4 KiB random read/write and 1 MiB sequential read/write,
 * each with one submitter thread and with one per CPU. Each case runs
 * plain and SDK alternately in 5 rounds and keeps the best round of each
 * (a shared host's load drifts). Output: one table line per workload and
 * thread count with ops/s and MB/s of both, the ratio SDK/plain and the
 * SDK's cost per command in ns (per submitting thread).
 *
 * What the SDK column includes: CDB decode and checks in the disk class,
 * the request life cycle and completion, and the harness's own transport
 * work, which stands in for the kernel's data area: a request and data
 * buffer allocated per command, data-out copied in before the handler
 * runs, a data-in buffer poisoned before it and copied back after it.
 *
 *   native-disk [-t SECONDS_PER_CASE] [-j THREADS] [-c CSV_FILE]
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "scstuser.h"
#include "scstuser_disk.h"
#include "scstuser_harness.h"

#define BS		4096U
#define DISK_BYTES	(256ULL << 20)
#define NR_BLOCKS	(DISK_BYTES / BS)
#define MAX_THREADS	64
#define ROUNDS		5	/* per case, plain and SDK alternating */

struct workload {
	const char *name;
	uint32_t size;		/* bytes per command */
	bool write;
	bool random;
};

static const struct workload workloads[] = {
	{ "randread-4k", 4096, false, true },
	{ "randwrite-4k", 4096, true, true },
	{ "seqread-1m", 1U << 20, false, false },
	{ "seqwrite-1m", 1U << 20, true, false },
};

static uint8_t *ram;
static struct scstu_dev *dev;
static double case_secs = 0.25;
static atomic_bool stop_flag;

static int m_read(struct scstu_req *req, uint64_t lba, uint32_t nr,
		  void *buf)
{
	(void)req;
	memcpy(buf, ram + lba * BS, (size_t)nr * BS);
	return 0;
}

static int m_write(struct scstu_req *req, uint64_t lba, uint32_t nr,
		   const void *buf, unsigned int flags)
{
	(void)req;
	(void)flags;
	memcpy(ram + lba * BS, buf, (size_t)nr * BS);
	return 0;
}

static int m_flush(struct scstu_req *req)
{
	(void)req;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct worker {
	pthread_t thread;
	const struct workload *wl;
	bool sdk;
	unsigned int idx;
	uint8_t *buf;
	uint64_t ops;
	int err;
};

static void put_be(uint8_t *p, uint64_t v, unsigned int n)
{
	while (n--) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	const struct workload *wl = w->wl;
	uint32_t nr = wl->size / BS;
	uint64_t span = NR_BLOCKS - nr + 1, lba, x = 0x9e3779b97f4a7c15ULL;
	uint64_t next = w->idx * (NR_BLOCKS / MAX_THREADS);
	struct scstu_harness_result res;
	struct scstu_harness_cmd cmd = {
		.cdb_len = 16, .data = w->buf, .xfer_len = wl->size,
		.dir = wl->write ? SCSTU_DIR_WRITE : SCSTU_DIR_READ,
	};
	uint8_t cdb[16] = { wl->write ? 0x8a : 0x88 };

	x += w->idx;
	cmd.cdb = cdb;
	put_be(cdb + 10, nr, 4);
	while (!atomic_load_explicit(&stop_flag, memory_order_relaxed)) {
		unsigned int i;

		for (i = 0; i < 16; i++) {
			if (wl->random) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				lba = x % span;
			} else {
				lba = next;
				next = next + nr < span ? next + nr : 0;
			}
			if (!w->sdk) {
				if (wl->write)
					memcpy(ram + lba * BS, w->buf,
					       wl->size);
				else
					memcpy(w->buf, ram + lba * BS,
					       wl->size);
				continue;
			}
			put_be(cdb + 2, lba, 8);
			w->err = scstu_harness_run(dev, &cmd, &res);
			if (!w->err && res.status != SCSTU_GOOD)
				w->err = -EIO;
			if (w->err)
				return NULL;
		}
		w->ops += 16;
	}
	return NULL;
}

/* ops/s of one case */
static double run_case(const struct workload *wl, bool sdk,
		       unsigned int nthreads)
{
	struct worker w[MAX_THREADS];
	uint64_t ops = 0;
	double t0, t;
	unsigned int i;

	memset(w, 0, sizeof(w));
	atomic_store(&stop_flag, false);
	for (i = 0; i < nthreads; i++) {
		w[i].wl = wl;
		w[i].sdk = sdk;
		w[i].idx = i;
		w[i].buf = malloc(wl->size);
		if (!w[i].buf) {
			fprintf(stderr, "native-disk: out of memory\n");
			exit(1);
		}
		memset(w[i].buf, 0x3c + i, wl->size);
	}
	t0 = now();
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&w[i].thread, NULL, worker_fn, &w[i])) {
			fprintf(stderr, "native-disk: pthread_create\n");
			exit(1);
		}
	usleep((useconds_t)(case_secs / ROUNDS * 1e6));
	atomic_store(&stop_flag, true);
	for (i = 0; i < nthreads; i++) {
		pthread_join(w[i].thread, NULL);
		if (w[i].err) {
			fprintf(stderr, "native-disk: %s: command failed: %s\n",
				wl->name, strerror(-w[i].err));
			exit(1);
		}
		ops += w[i].ops;
		free(w[i].buf);
	}
	t = now() - t0;
	return ops / t;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: native-disk [-t SECONDS_PER_CASE] [-j THREADS] "
		"[-c CSV_FILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct scstu_dev_config cfg = {
		.name = "native0", .data_size = 4U << 20,
	};
	struct scstu_disk_config dc = {
		.nr_blocks = NR_BLOCKS, .block_size = BS, .write_cache = true,
	};
	static const struct scstu_disk_ops ops = {
		.read = m_read, .write = m_write, .flush = m_flush,
	};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int nthreads = ncpu > 0 ? (unsigned int)ncpu : 1, t, i;
	const char *csv_path = NULL;
	struct scstu_harness *h;
	FILE *csv = NULL;
	int c;

	while ((c = getopt(argc, argv, "t:j:c:h")) != -1) {
		switch (c) {
		case 't':
			case_secs = atof(optarg);
			break;
		case 'j':
			nthreads = (unsigned int)atoi(optarg);
			break;
		case 'c':
			csv_path = optarg;
			break;
		default:
			usage();
		}
	}
	if (case_secs <= 0 || !nthreads || nthreads > MAX_THREADS)
		usage();
	ram = calloc(1, DISK_BYTES);
	h = scstu_harness_new();
	if (!ram || !h) {
		fprintf(stderr, "native-disk: out of memory\n");
		return 1;
	}
	cfg.harness = h;
	dev = scstu_disk_create(&cfg, &dc, &ops, NULL);
	if (!dev) {
		fprintf(stderr, "native-disk: scstu_disk_create: %s\n",
			strerror(errno));
		return 1;
	}
	/* touch the whole disk once so page faults are not measured */
	memset(ram, 0x5a, DISK_BYTES);
	if (csv_path) {
		csv = fopen(csv_path, "w");
		if (!csv) {
			perror(csv_path);
			return 1;
		}
		fprintf(csv, "workload,threads,plain_ops_s,plain_mb_s,"
			"sdk_ops_s,sdk_mb_s,ratio,sdk_ns_per_cmd\n");
	}

	printf("native (harness, no kernel): %u KiB blocks, %llu MiB memory "
	       "disk, best of %d rounds, %.2f s per case, %ld CPUs\n",
	       BS >> 10, (unsigned long long)(DISK_BYTES >> 20), ROUNDS,
	       case_secs, ncpu);
	printf("%-13s %7s %11s %9s %11s %9s %9s %10s\n", "workload",
	       "threads", "plain op/s", "MB/s", "SDK op/s", "MB/s",
	       "SDK/plain", "SDK ns/cmd");
	for (i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		const struct workload *wl = &workloads[i];

		for (t = 1; t <= nthreads; t = t == nthreads ? t + 1 :
		     nthreads) {
			double p = 0, s = 0, x;
			unsigned int r;

			/* alternate, keep the best: the host's load drifts */
			for (r = 0; r < ROUNDS; r++) {
				x = run_case(wl, false, t);
				p = x > p ? x : p;
				x = run_case(wl, true, t);
				s = x > s ? x : s;
			}
			double pm = p * wl->size / 1e6, sm = s * wl->size / 1e6;
			/* per command and thread: what the SDK adds */
			double ns = (t / s - t / p) * 1e9;

			printf("%-13s %7u %11.0f %9.1f %11.0f %9.1f %9.2f "
			       "%10.0f\n", wl->name, t, p, pm, s, sm, s / p,
			       ns);
			if (csv)
				fprintf(csv, "%s,%u,%.0f,%.1f,%.0f,%.1f,%.3f,"
					"%.0f\n", wl->name, t, p, pm, s, sm,
					s / p, ns);
		}
	}
	if (csv)
		fclose(csv);
	scstu_dev_destroy(dev);
	scstu_harness_free(h);
	free(ram);
	return 0;
}
