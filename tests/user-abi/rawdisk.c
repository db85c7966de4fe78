// SPDX-License-Identifier: GPL-2.0
/*
 * rawdisk: a minimal scstu_user handler on the raw ABI (no SDK), a RAM
 * disk with 512-byte blocks, so the kernel backend can be tested alone.
 *
 *   rawdisk [--name N] [--size-mb N] [--queues N] [--depth N]
 *           [--delay-ms N] [--tmf] [--file PATH] [--events]
 *           [--data-size BYTES] [--ctl FIFO]
 *
 * It creates devices/user/<name> if needed, registers, maps the queues,
 * enables the device and prints "ready". One thread per queue: ENTER
 * (wait), consume SQEs, answer. --delay-ms holds every command's answer
 * back that long (slow handler test mode); --tmf asks for task
 * management and nexus events and logs them to stdout. --file keeps the
 * medium in a shared file mapping (e.g. on /dev/shm), so that the data
 * survives a killed and restarted handler.
 *
 * --events also asks for device events and long CDBs (implies --tmf);
 * variable-length CDBs (opcode 0x7f) are then answered GOOD and logged
 * with every CDB byte and the data-out byte sum. --ctl reads commands,
 * one a line, from a FIFO (see tests/integration/51-user-events.sh):
 *   ua ASC ASCQ [SESSION]  raise a unit attention (except SESSION)
 *   dsense 0|1             SET_PARAM D_SENSE
 *   wake                   SCSTU_USER_WAKE queue 0 (worker logs when
 *                          its ENTER returned without work)
 * Each is logged "ctl N: ..." once the kernel has consumed it.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <sys/mman.h>
#include "uabi.h"

#define BS		512U

static struct uconn conn;
static uint8_t *disk;
static uint64_t disk_size;
static unsigned int delay_ms;
static bool tmf;
static bool events;
static const char *ctl_path;
static uint64_t wake_ms;	/* ctl "wake": when WAKE was called */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

#define logf(...) do {						\
	pthread_mutex_lock(&log_lock);				\
	printf(__VA_ARGS__);					\
	fflush(stdout);						\
	pthread_mutex_unlock(&log_lock);			\
} while (0)

/* A command answered later (slow mode). */
struct later {
	uint64_t id;
	uint64_t due_ms;
	bool used;
	struct scstu_user_cqe cqe;
};

struct worker {
	struct uq *q;
	pthread_mutex_t lock;	/* cq_tail and CQ entries (ctl thread) */
	uint32_t cq_tail;
	struct later *later;	/* ring_entries */
	pthread_t thread;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, v);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static void sense(struct scstu_user_cqe *c, uint8_t key, uint8_t asc,
		  uint8_t ascq)
{
	c->status = 2;		/* CHECK CONDITION */
	c->sense_len = 18;
	memset(c->u.sense, 0, 18);
	c->u.sense[0] = 0x70;
	c->u.sense[2] = key;
	c->u.sense[7] = 10;
	c->u.sense[12] = asc;
	c->u.sense[13] = ascq;
}

/* Copy n bytes of reply into the buffer; resid covers the rest. */
static void reply(const struct scstu_user_sqe *s, uint8_t *buf,
		  struct scstu_user_cqe *c, const void *src, uint32_t n)
{
	if (n > s->xfer_len)
		n = s->xfer_len;
	memcpy(buf, src, n);
	c->resid = s->xfer_len - n;
}

static void inquiry(const struct scstu_user_sqe *s, const uint8_t *cdb,
		    uint8_t *buf, struct scstu_user_cqe *c)
{
	uint8_t d[96] = { 0 };
	uint32_t n;

	if (cdb[1] & 1) {
		d[1] = cdb[2];
		switch (cdb[2]) {
		case 0x00:
			d[3] = 3;
			d[4] = 0x00;
			d[5] = 0x80;
			d[6] = 0x83;
			n = 7;
			break;
		case 0x80:
			d[3] = 8;
			memcpy(d + 4, "RAWDISK0", 8);
			n = 12;
			break;
		case 0x83:
			/* one T10 vendor id designator */
			d[3] = 4 + 8 + 8;
			d[4] = 0x02;
			d[5] = 0x01;
			d[7] = 16;
			memcpy(d + 8, "SCSTU   RAWDISK0", 16);
			n = 24;
			break;
		default:
			sense(c, 5, 0x24, 0x00);
			return;
		}
	} else {
		if (cdb[2]) {
			sense(c, 5, 0x24, 0x00);
			return;
		}
		d[2] = 0x06;	/* SPC-4 */
		d[3] = 0x02;
		d[4] = 31;
		d[7] = 0x02;	/* CMDQUE */
		memcpy(d + 8, "SCSTU   ", 8);
		memcpy(d + 16, "RAWDISK         ", 16);
		memcpy(d + 32, "0001", 4);
		n = 36;
	}
	reply(s, buf, c, d, n);
}

static void rw(const struct scstu_user_sqe *s, const uint8_t *cdb,
	       uint8_t *buf, struct scstu_user_cqe *c, bool write, bool c16)
{
	uint64_t lba = c16 ? get_be64(cdb + 2) : get_be32(cdb + 2);
	uint32_t nb = c16 ? get_be32(cdb + 10) :
			    (uint32_t)cdb[7] << 8 | cdb[8];
	uint64_t bytes = (uint64_t)nb * BS;

	if (lba > disk_size / BS || nb > disk_size / BS - lba) {
		sense(c, 5, 0x21, 0x00);
		return;
	}
	if (bytes > s->xfer_len)
		bytes = s->xfer_len;
	if (write)
		memcpy(disk + lba * BS, buf, bytes);
	else
		memcpy(buf, disk + lba * BS, bytes);
	c->resid = s->xfer_len - bytes;
}

/* A variable-length CDB: log every byte (and the data-out sum), GOOD. */
static void varlen(const struct scstu_user_sqe *s, const uint8_t *cdb,
		   const uint8_t *buf, struct scstu_user_cqe *c)
{
	char hex[SCSTU_USER_CDB_MAX * 2 + 1];
	unsigned long sum = 0;
	uint32_t i;

	for (i = 0; i < s->cdb_len && i < SCSTU_USER_CDB_MAX; i++)
		sprintf(hex + 2 * i, "%02x", cdb[i]);
	hex[2 * i] = '\0';
	if (s->dir == SCSTU_USER_DIR_WRITE)
		for (i = 0; i < s->xfer_len; i++)
			sum += buf[i];
	logf("VARLEN len %u in_data %u dir %u xfer %u sum %lu cdb %s\n",
	     s->cdb_len, !!(s->flags & SCSTU_USER_SQE_CDB_IN_DATA), s->dir,
	     s->xfer_len, sum, hex);
	c->resid = s->dir == SCSTU_USER_DIR_WRITE ? 0 : s->xfer_len;
}

static void execute(const struct scstu_user_sqe *s, uint8_t *data,
		    struct scstu_user_cqe *c)
{
	const uint8_t *cdb = s->u.cdb;
	uint8_t *buf = data + s->data_off;
	uint8_t d[32] = { 0 };

	if (s->flags & SCSTU_USER_SQE_CDB_IN_DATA)
		cdb = buf + ((s->xfer_len + 7) & ~7U);

	c->resid = s->xfer_len;
	switch (cdb[0]) {
	case 0x00:	/* TEST UNIT READY */
	case 0x35:	/* SYNCHRONIZE CACHE(10) */
	case 0x91:	/* SYNCHRONIZE CACHE(16) */
		break;
	case 0x12:
		inquiry(s, cdb, buf, c);
		break;
	case 0x25:	/* READ CAPACITY(10) */
		put_be32(d, disk_size / BS - 1);
		put_be32(d + 4, BS);
		reply(s, buf, c, d, 8);
		break;
	case 0x9e:	/* SERVICE ACTION IN(16) */
		if ((cdb[1] & 0x1f) != 0x10) {
			sense(c, 5, 0x24, 0x00);
			break;
		}
		put_be64(d, disk_size / BS - 1);
		put_be32(d + 8, BS);
		reply(s, buf, c, d, 32);
		break;
	case 0x1a:	/* MODE SENSE(6): header only */
		d[0] = 3;
		reply(s, buf, c, d, 4);
		break;
	case 0x5a:	/* MODE SENSE(10): header only */
		d[1] = 6;
		reply(s, buf, c, d, 8);
		break;
	case 0x28:
		rw(s, cdb, buf, c, false, false);
		break;
	case 0x88:
		rw(s, cdb, buf, c, false, true);
		break;
	case 0x2a:
		rw(s, cdb, buf, c, true, false);
		break;
	case 0x8a:
		rw(s, cdb, buf, c, true, true);
		break;
	case 0x7f:
		if (events) {
			varlen(s, cdb, buf, c);
			break;
		}
		sense(c, 5, 0x20, 0x00);
		break;
	default:
		sense(c, 5, 0x20, 0x00);
		break;
	}
}

static const char *reset_name(uint32_t fn)
{
	switch (fn) {
	case SCSTU_USER_RESET_LUN:
		return "LUN";
	case SCSTU_USER_RESET_TARGET:
		return "TARGET";
	case SCSTU_USER_RESET_NEXUS:
		return "NEXUS";
	}
	return "?";
}

/* Handle one SQE; returns true if a CQE was written now. */
static bool handle(struct worker *w, const struct scstu_user_sqe *s)
{
	struct uq *q = w->q;
	struct scstu_user_cqe *c;
	struct later *l;
	const char *names;
	uint32_t i;

	switch (s->kind) {
	case SCSTU_USER_SQE_CMD:
		if (delay_ms) {
			l = &w->later[s->id & q->mask];
			memset(l, 0, sizeof(*l));
			l->used = true;
			l->id = s->id;
			l->due_ms = now_ms() + delay_ms;
			l->cqe.id = s->id;
			l->cqe.kind = SCSTU_USER_CQE_DONE;
			execute(s, q->data, &l->cqe);
			return false;
		}
		c = uabi_cq_next(q, &w->cq_tail);
		c->id = s->id;
		c->kind = SCSTU_USER_CQE_DONE;
		execute(s, q->data, c);
		return true;
	case SCSTU_USER_SQE_ATTACH:
		names = (const char *)q->data + s->data_off;
		logf("ATTACH session %llu lun %llu initiator %s target %s port %u\n",
		     (unsigned long long)s->session,
		     (unsigned long long)s->lun, names,
		     names + s->u.nexus.initiator_len + 1,
		     s->u.nexus.rel_port);
		break;
	case SCSTU_USER_SQE_DETACH:
		logf("DETACH session %llu lun %llu\n",
		     (unsigned long long)s->session,
		     (unsigned long long)s->lun);
		break;
	case SCSTU_USER_SQE_ABORT:
		logf("ABORT id %#llx session %llu lun %llu\n",
		     (unsigned long long)s->u.tmf.cmd_id,
		     (unsigned long long)s->session,
		     (unsigned long long)s->lun);
		/* give the command up: its answer is never sent */
		for (i = 0; i <= q->mask; i++)
			if (w->later[i].used && w->later[i].id == s->u.tmf.cmd_id)
				w->later[i].used = false;
		break;
	case SCSTU_USER_SQE_RESET:
		logf("RESET %s session %llu lun %lld\n", reset_name(s->u.tmf.fn),
		     (unsigned long long)s->session, (long long)s->lun);
		break;
	default:
		logf("unknown SQE kind %u\n", s->kind);
		break;
	}
	c = uabi_cq_next(q, &w->cq_tail);
	c->id = s->id;
	c->kind = SCSTU_USER_CQE_DONE;
	return true;
}

/* Slow mode: answer what is due; returns ms until the next, or 0. */
static unsigned int answer_due(struct worker *w, bool *any)
{
	uint64_t now = now_ms(), next = 0;
	uint32_t i;

	for (i = 0; i <= w->q->mask; i++) {
		struct later *l = &w->later[i];

		if (!l->used)
			continue;
		if (l->due_ms <= now) {
			*uabi_cq_next(w->q, &w->cq_tail) = l->cqe;
			l->used = false;
			*any = true;
		} else if (!next || l->due_ms - now < next) {
			next = l->due_ms - now;
		}
	}
	return next;
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct uq *q = w->q;
	unsigned int tmo = 0;
	int ret;

	for (;;) {
		uint32_t head, tail;
		bool any = false;

		ret = uabi_enter(&conn, q->idx, SCSTU_USER_ENTER_WAIT, tmo,
				 NULL, NULL);
		if (ret == -ENODEV) {
			logf("queue %u: device removed\n", q->idx);
			return NULL;
		}
		if (ret && ret != -EINTR) {
			logf("queue %u: ENTER: %s\n", q->idx, strerror(-ret));
			exit(1);
		}
		pthread_mutex_lock(&w->lock);
		head = q->ring->sq_head;
		tail = load_acq(&q->ring->sq_tail);
		if (head == tail && wake_ms && q->idx == 0) {
			logf("queue 0: woken after %llu ms\n",
			     (unsigned long long)(now_ms() - wake_ms));
			wake_ms = 0;
		}
		while (head != tail) {
			if (handle(w, &q->sq[head & q->mask]))
				any = true;
			head++;
		}
		store_rel(&q->ring->sq_head, head);
		tmo = delay_ms ? answer_due(w, &any) : 0;
		if (any)
			store_rel(&q->ring->cq_tail, w->cq_tail);
		pthread_mutex_unlock(&w->lock);
	}
}

/* ---- --ctl: handler-raised CQEs and WAKE, driven by a test script ---- */

/* Write one handler-raised CQE on queue 0 and have the kernel consume it. */
static int raise_cqe(struct worker *w, const struct scstu_user_cqe *src,
		     uint32_t *reaped, uint32_t *rejected)
{
	struct uq *q = w->q;

	pthread_mutex_lock(&w->lock);
	/* room: the kernel may not have consumed every answer yet */
	while (w->cq_tail - load_acq(&q->ring->cq_head) >= q->mask + 1) {
		pthread_mutex_unlock(&w->lock);
		uabi_enter(&conn, 0, 0, 0, NULL, NULL);
		pthread_mutex_lock(&w->lock);
	}
	*uabi_cq_next(q, &w->cq_tail) = *src;
	store_rel(&q->ring->cq_tail, w->cq_tail);
	pthread_mutex_unlock(&w->lock);
	return uabi_enter(&conn, 0, 0, 0, reaped, rejected);
}

static void ctl_line(struct worker *w, unsigned int n, const char *line)
{
	struct scstu_user_cqe c = { 0 };
	unsigned int asc, ascq, v;
	unsigned long long sess;
	uint32_t reaped = 0, rejected = 0;
	int k, ret;

	k = sscanf(line, "ua %x %x %llu", &asc, &ascq, &sess);
	if (k >= 2) {
		c.kind = SCSTU_USER_CQE_UA;
		c.u.ua.asc = asc;
		c.u.ua.ascq = ascq;
		c.u.ua.except_session = k == 3 ? sess : SCSTU_USER_NO_SESSION;
		ret = raise_cqe(w, &c, &reaped, &rejected);
		logf("ctl %u: ua %02x/%02x except %lld: %s, reaped %u rejected %u\n",
		     n, asc, ascq, k == 3 ? (long long)sess : -1LL,
		     ret ? strerror(-ret) : "ok", reaped, rejected);
		return;
	}
	if (sscanf(line, "dsense %u", &v) == 1) {
		c.kind = SCSTU_USER_CQE_SET_PARAM;
		c.u.param.param = SCSTU_USER_PARAM_D_SENSE;
		c.u.param.value = v;
		ret = raise_cqe(w, &c, &reaped, &rejected);
		logf("ctl %u: dsense %u: %s, reaped %u rejected %u\n", n, v,
		     ret ? strerror(-ret) : "ok", reaped, rejected);
		return;
	}
	if (!strncmp(line, "wake", 4)) {
		pthread_mutex_lock(&w->lock);
		wake_ms = now_ms();
		pthread_mutex_unlock(&w->lock);
		ret = ioctl(conn.fd, SCSTU_USER_WAKE, 0) ? -errno : 0;
		logf("ctl %u: wake: %s\n", n, ret ? strerror(-ret) : "ok");
		return;
	}
	logf("ctl %u: unknown command: %s", n, line);
}

static void *ctl_fn(void *arg)
{
	struct worker *w = arg;
	const char *path = ctl_path;
	unsigned int n = 0;
	char line[256];
	FILE *f;

	for (;;) {
		/* blocks until a writer opens it; EOF after each writer */
		f = fopen(path, "r");
		if (!f) {
			logf("ctl: %s: %s\n", path, strerror(errno));
			return NULL;
		}
		while (fgets(line, sizeof(line), f))
			ctl_line(w, ++n, line);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "size-mb", required_argument, NULL, 's' },
		{ "queues", required_argument, NULL, 'q' },
		{ "depth", required_argument, NULL, 'd' },
		{ "delay-ms", required_argument, NULL, 'D' },
		{ "tmf", no_argument, NULL, 't' },
		{ "file", required_argument, NULL, 'f' },
		{ "events", no_argument, NULL, 'e' },
		{ "data-size", required_argument, NULL, 'S' },
		{ "ctl", required_argument, NULL, 'c' },
		{ }
	};
	const char *name = "rawdisk", *file = NULL;
	unsigned int queues = 1, depth = 0, data_size = 0, i;
	struct scstu_user_register r;
	uint64_t features = 0;
	pthread_t ctl_thread;
	struct worker *w;
	char en[8];
	int opt, ret;

	disk_size = 64ULL << 20;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			break;
		case 's':
			disk_size = strtoull(optarg, NULL, 0) << 20;
			break;
		case 'q':
			queues = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			depth = strtoul(optarg, NULL, 0);
			break;
		case 'D':
			delay_ms = strtoul(optarg, NULL, 0);
			break;
		case 't':
			tmf = true;
			break;
		case 'f':
			file = optarg;
			break;
		case 'e':
			events = true;
			tmf = true;
			break;
		case 'S':
			data_size = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			ctl_path = optarg;
			break;
		default:
			fprintf(stderr, "usage: rawdisk [--name N] [--size-mb N] [--queues N] [--depth N] [--delay-ms N] [--tmf] [--file PATH] [--events] [--data-size BYTES] [--ctl FIFO]\n");
			return 2;
		}
	}
	if (file) {
		int fd = open(file, O_RDWR | O_CREAT, 0600);

		if (fd < 0 || ftruncate(fd, disk_size)) {
			perror(file);
			return 1;
		}
		disk = mmap(NULL, disk_size, PROT_READ | PROT_WRITE,
			    MAP_SHARED, fd, 0);
		close(fd);
		if (disk == MAP_FAILED)
			return 1;
	} else {
		disk = calloc(1, disk_size);
		if (!disk)
			return 1;
	}
	ret = cfs_mkdev(name);
	if (ret) {
		fprintf(stderr, "rawdisk: mkdir device %s: %s\n", name,
			strerror(-ret));
		return 1;
	}
	if (tmf)
		features |= SCSTU_USER_F_TMF_EVENTS | SCSTU_USER_F_NEXUS_EVENTS;
	if (events)
		features |= SCSTU_USER_F_DEV_EVENTS | SCSTU_USER_F_LONG_CDB;
	uabi_reg_init(&r, name, queues, depth, features);
	r.data_size = data_size;
	ret = uabi_connect(&conn, &r);
	if (ret) {
		fprintf(stderr, "rawdisk: register %s: %s\n", name,
			strerror(-ret));
		return 1;
	}
	if (!cfs_read(name, "enable", en, sizeof(en)) && en[0] == '0') {
		ret = cfs_write(name, "enable", "1");
		if (ret) {
			fprintf(stderr, "rawdisk: enable: %s\n", strerror(-ret));
			return 1;
		}
	}
	w = calloc(conn.reg.nr_queues, sizeof(*w));
	for (i = 0; w && i < conn.reg.nr_queues; i++) {
		w[i].q = &conn.q[i];
		pthread_mutex_init(&w[i].lock, NULL);
		w[i].later = calloc(conn.reg.ring_entries, sizeof(struct later));
		if (!w[i].later ||
		    pthread_create(&w[i].thread, NULL, worker_fn, &w[i]))
			return 1;
	}
	if (ctl_path && pthread_create(&ctl_thread, NULL, ctl_fn, &w[0]))
		return 1;
	logf("ready: %s, %u queue(s) of %u entries, data %u, features %#llx\n",
	     name, conn.reg.nr_queues, conn.reg.ring_entries,
	     conn.reg.data_size, (unsigned long long)conn.reg.features);
	for (i = 0; i < conn.reg.nr_queues; i++)
		pthread_join(w[i].thread, NULL);
	uabi_close(&conn);
	return 0;
}
