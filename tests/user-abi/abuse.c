// SPDX-License-Identifier: GPL-2.0
/*
 * abuse: a deliberately wrong scstu_user handler. Each step writes
 * something invalid and asserts the kernel's reaction: REGISTER and mmap
 * with bad arguments, ENTER with a bad queue, CQEs with bad, duplicate
 * and event ids, sense_len > 96, resid > xfer_len, unknown kinds,
 * cq_tail jumping backwards and too far ahead, answers to aborted
 * commands. In between and at the end, correct answers must still work.
 *
 *   abuse --name DEV --sg /dev/sgN
 *
 * DEV must exist and have no handler; /dev/sgN is a LUN mapped to it
 * (commands are sent through it with SG_IO). Exit 0 only if every check
 * held; each check prints "ok:" or "FAIL:".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <scsi/sg.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "uabi.h"

static const char *name;
static const char *sgdev;
static int failures;
static long rejects;		/* expected protocol_errors */

#define CHECK(cond, ...) do {					\
	if (cond) {						\
		printf("ok: ");					\
	} else {						\
		printf("FAIL: ");				\
		failures++;					\
	}							\
	printf(__VA_ARGS__);					\
	printf("\n");						\
	fflush(stdout);						\
} while (0)

/* ---- REGISTER / mmap / ENTER argument checks ---- */

static int try_register(struct scstu_user_register *r)
{
	int fd = uabi_open(), ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, SCSTU_USER_REGISTER, r) ? -errno : 0;
	close(fd);
	return ret;
}

static void register_checks(void)
{
	struct scstu_user_register r;
	int ret;

#define REG_CASE(what, expect, stmt) do {				\
	uabi_reg_init(&r, name, 1, 0, 0);				\
	stmt;								\
	ret = try_register(&r);						\
	CHECK(ret == (expect), "REGISTER with %s: %s (want %s)", what,	\
	      strerror(-ret), strerror(-(expect)));			\
} while (0)
	REG_CASE("size 8", -EINVAL, r.size = 8);
	REG_CASE("size 1 MiB", -EINVAL, r.size = 1 << 20);
	REG_CASE("ABI major 2", -EPROTONOSUPPORT, r.abi_major = 2);
	REG_CASE("empty name", -EINVAL, r.name[0] = 0);
	REG_CASE("unterminated name", -EINVAL,
		 memset(r.name, 'x', sizeof(r.name)));
	REG_CASE("unknown name", -ENOENT,
		 strcpy(r.name, "no-such-device"));
	REG_CASE("type 0x05", -EINVAL, r.type = 5);
	REG_CASE("65 queues", -EINVAL, r.nr_queues = 65);
	REG_CASE("100 entries", -EINVAL, r.ring_entries = 100);
	REG_CASE("8 entries", -EINVAL, r.ring_entries = 8);
	REG_CASE("8192 entries", -EINVAL, r.ring_entries = 8192);
	REG_CASE("data_size 100", -EINVAL, r.data_size = 100);
	REG_CASE("data_size 2 GiB", -EINVAL, r.data_size = 2U << 30);
	REG_CASE("reserved[2] != 0", -EINVAL, r.reserved[2] = 1);
	REG_CASE("reserved0 != 0", -EINVAL, r.reserved0 = 1);
#undef REG_CASE
}

static void mmap_checks(struct uconn *c)
{
	size_t sz = c->reg.map_size;
	void *p;

#define MAP_CASE(what, len, flags, off) do {				\
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, c->fd, off);	\
	CHECK(p == MAP_FAILED, "mmap %s refused", what);		\
	if (p != MAP_FAILED)						\
		munmap(p, len);						\
} while (0)
	MAP_CASE("past the last queue", sz, MAP_SHARED,
		 c->reg.queue_stride * c->reg.nr_queues);
	MAP_CASE("at an offset inside a queue", sz, MAP_SHARED, 4096);
	MAP_CASE("shorter than map_size", sz - 4096, MAP_SHARED, 0);
	MAP_CASE("longer than map_size", sz + 4096, MAP_SHARED, 0);
	MAP_CASE("MAP_PRIVATE", sz, MAP_PRIVATE, 0);
#undef MAP_CASE
}

/* ---- commands through SG_IO ---- */

struct sgcmd {
	pthread_t thread;
	uint8_t cdb[16];
	int cdb_len;
	uint8_t buf[4096];
	unsigned int len;
	unsigned int timeout_ms;
	int ret;
	uint8_t status;
	uint16_t host_status;
	uint8_t sense[32];
};

static void *sg_thread(void *arg)
{
	struct sgcmd *s = arg;
	struct sg_io_hdr h = { 0 };
	int fd = open(sgdev, O_RDWR);

	if (fd < 0) {
		s->ret = -errno;
		return NULL;
	}
	h.interface_id = 'S';
	h.cmdp = s->cdb;
	h.cmd_len = s->cdb_len;
	h.dxfer_direction = s->len ? SG_DXFER_FROM_DEV : SG_DXFER_NONE;
	h.dxferp = s->buf;
	h.dxfer_len = s->len;
	h.sbp = s->sense;
	h.mx_sb_len = sizeof(s->sense);
	h.timeout = s->timeout_ms;
	s->ret = ioctl(fd, SG_IO, &h) ? -errno : 0;
	s->status = h.status;
	s->host_status = h.host_status;
	close(fd);
	return NULL;
}

/* Start READ(10) of one block at lba. */
static void sg_read_start(struct sgcmd *s, uint32_t lba, unsigned int tmo)
{
	memset(s, 0, sizeof(*s));
	s->cdb[0] = 0x28;
	s->cdb[2] = lba >> 24;
	s->cdb[3] = lba >> 16;
	s->cdb[4] = lba >> 8;
	s->cdb[5] = lba;
	s->cdb[8] = 1;
	s->cdb_len = 10;
	s->len = 512;
	s->timeout_ms = tmo;
	pthread_create(&s->thread, NULL, sg_thread, s);
}

static uint32_t sq_seen;

/* Wait for the next SQE of kind on queue 0 (others are skipped). */
static struct scstu_user_sqe *next_sqe(struct uconn *c, uint8_t kind,
				       struct scstu_user_sqe *copy)
{
	struct uq *q = &c->q[0];
	int i;

	for (i = 0; i < 300; i++) {
		uint32_t tail = load_acq(&q->ring->sq_tail);

		while (sq_seen != tail) {
			*copy = q->sq[sq_seen & q->mask];
			sq_seen++;
			store_rel(&q->ring->sq_head, sq_seen);
			if (copy->kind == kind)
				return copy;
			printf("   (skipping SQE kind %u id %#llx)\n",
			       copy->kind, (unsigned long long)copy->id);
		}
		uabi_enter(c, 0, SCSTU_USER_ENTER_WAIT, 100, NULL, NULL);
	}
	return NULL;
}

static uint32_t cq_tail;

/* Publish one CQE and ENTER; check how many the kernel rejected. */
static void send_cqe(struct uconn *c, const struct scstu_user_cqe *cqe,
		     uint32_t want_rejected, const char *what)
{
	struct uq *q = &c->q[0];
	uint32_t reaped, rejected;
	int ret;

	*uabi_cq_next(q, &cq_tail) = *cqe;
	store_rel(&q->ring->cq_tail, cq_tail);
	ret = uabi_enter(c, 0, 0, 0, &reaped, &rejected);
	CHECK(!ret && reaped == 1 && rejected == want_rejected,
	      "%s: ENTER %d, reaped %u, rejected %u (want %u)", what, ret,
	      reaped, rejected, want_rejected);
	rejects += want_rejected;
}

static struct scstu_user_cqe done_of(uint64_t id)
{
	struct scstu_user_cqe c = { .id = id, .kind = SCSTU_USER_CQE_DONE };

	return c;
}

static void cqe_checks(struct uconn *c)
{
	struct scstu_user_sqe sqe, ev;
	struct scstu_user_cqe cqe;
	struct uq *q = &c->q[0];
	struct sgcmd a, b;
	uint32_t entries = c->reg.ring_entries, saved, reaped;
	int ret, i;

	/* the ATTACH events of the existing nexus */
	CHECK(next_sqe(c, SCSTU_USER_SQE_ATTACH, &ev),
	      "ATTACH announced at REGISTER (session %llu lun %llu)",
	      (unsigned long long)ev.session, (unsigned long long)ev.lun);
	cqe = done_of(ev.id);
	send_cqe(c, &cqe, 0, "answer ATTACH");
	send_cqe(c, &cqe, 1, "answer ATTACH again (duplicate event id)");

	sg_read_start(&a, 0, 60000);
	CHECK(next_sqe(c, SCSTU_USER_SQE_CMD, &sqe) && sqe.u.cdb[0] == 0x28 &&
	      sqe.xfer_len == 512 && sqe.dir == SCSTU_USER_DIR_READ,
	      "READ(10) arrives: id %#llx xfer_len %u",
	      (unsigned long long)sqe.id, sqe.xfer_len);

	cqe = done_of((sqe.id & ~0xffffffffULL) | entries);
	send_cqe(c, &cqe, 1, "id index == ring_entries");
	cqe = done_of(sqe.id ^ (1ULL << 40));
	send_cqe(c, &cqe, 1, "id with a wrong generation");
	cqe = done_of((sqe.id & 0xffffffffULL) ^ 1);
	send_cqe(c, &cqe, 1, "id of an unused slot");
	cqe = done_of(ev.id);
	send_cqe(c, &cqe, 1, "id of an answered event");
	cqe = done_of(sqe.id);
	cqe.kind = 99;
	send_cqe(c, &cqe, 1, "unknown CQE kind");
	cqe = done_of(sqe.id);
	cqe.kind = SCSTU_USER_CQE_UA;
	send_cqe(c, &cqe, 1, "UA without SCSTU_USER_F_DEV_EVENTS");
	cqe = done_of(sqe.id);
	cqe.status = 2;
	cqe.sense_len = 200;
	send_cqe(c, &cqe, 1, "sense_len 200");
	cqe = done_of(sqe.id);
	cqe.resid = 513;
	send_cqe(c, &cqe, 1, "resid 513 > xfer_len 512");

	/* cq_tail too far ahead, then backwards: EPROTO, nothing consumed */
	saved = cq_tail;
	store_rel(&q->ring->cq_tail, cq_tail + entries + 1);
	ret = uabi_enter(c, 0, 0, 0, &reaped, NULL);
	CHECK(ret == -EPROTO && reaped == 0 && q->ring->cq_head == saved,
	      "cq_tail ring_entries+1 ahead: %s, cq_head unchanged",
	      strerror(-ret));
	rejects++;
	store_rel(&q->ring->cq_tail, cq_tail - 1);
	ret = uabi_enter(c, 0, 0, 0, &reaped, NULL);
	CHECK(ret == -EPROTO && reaped == 0 && q->ring->cq_head == saved,
	      "cq_tail moved backwards: %s, cq_head unchanged",
	      strerror(-ret));
	rejects++;
	store_rel(&q->ring->cq_tail, saved);

	/* the correct answer still works */
	for (i = 0; i < 512; i++)
		q->data[sqe.data_off + i] = i * 7;
	cqe = done_of(sqe.id);
	send_cqe(c, &cqe, 0, "correct DONE");
	pthread_join(a.thread, NULL);
	CHECK(!a.ret && a.status == 0 && a.buf[5] == 35 && a.buf[511] ==
	      (uint8_t)(511 * 7), "initiator got GOOD and the data");
	send_cqe(c, &cqe, 1, "duplicate DONE");

	/* an aborted command: SG_IO times out, EH sends ABORT TASK */
	sg_read_start(&b, 8, 2000);
	CHECK(next_sqe(c, SCSTU_USER_SQE_CMD, &sqe), "READ(10) #2 arrives");
	CHECK(next_sqe(c, SCSTU_USER_SQE_ABORT, &ev) &&
	      ev.u.tmf.cmd_id == sqe.id, "ABORT SQE names it");
	cqe = done_of(ev.id);
	send_cqe(c, &cqe, 0, "answer the ABORT");
	cqe = done_of(sqe.id);
	send_cqe(c, &cqe, 1, "DONE of the aborted command afterwards");
	pthread_join(b.thread, NULL);
	CHECK(b.ret || b.status || b.host_status,
	      "initiator saw the command fail (status %#x host %#x)",
	      b.status, b.host_status);

	/* and after all that, a correct command is still served */
	sg_read_start(&a, 16, 60000);
	CHECK(next_sqe(c, SCSTU_USER_SQE_CMD, &sqe), "READ(10) #3 arrives");
	memset(q->data + sqe.data_off, 0xa5, 512);
	cqe = done_of(sqe.id);
	send_cqe(c, &cqe, 0, "correct DONE of #3");
	pthread_join(a.thread, NULL);
	CHECK(!a.ret && a.status == 0 && a.buf[0] == 0xa5 &&
	      a.buf[511] == 0xa5, "initiator got GOOD and the data of #3");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "sg", required_argument, NULL, 's' },
		{ }
	};
	struct scstu_user_register r, r2;
	struct scstu_user_enter e = { 0 };
	struct uconn c;
	long errs0;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'n')
			name = optarg;
		else if (opt == 's')
			sgdev = optarg;
		else
			return 2;
	}
	if (!name || !sgdev) {
		fprintf(stderr, "usage: abuse --name DEV --sg /dev/sgN\n");
		return 2;
	}
	errs0 = cfs_read_long(name, "protocol_errors");

	register_checks();

	uabi_reg_init(&r, name, 1, 16, SCSTU_USER_F_NEXUS_EVENTS |
		      SCSTU_USER_F_TMF_EVENTS | (1ULL << 60));
	ret = uabi_connect(&c, &r);
	CHECK(!ret, "REGISTER with 16 entries: %s", strerror(-ret));
	if (ret)
		return 1;
	CHECK(c.reg.features == (SCSTU_USER_F_NEXUS_EVENTS |
				 SCSTU_USER_F_TMF_EVENTS),
	      "unknown feature bit not granted (got %#llx)",
	      (unsigned long long)c.reg.features);
	r2 = r;
	ret = ioctl(c.fd, SCSTU_USER_REGISTER, &r2) ? -errno : 0;
	CHECK(ret == -EALREADY, "second REGISTER on one fd: %s",
	      strerror(-ret));
	r2 = r;
	ret = try_register(&r2);
	CHECK(ret == -EBUSY, "REGISTER of an attached device: %s",
	      strerror(-ret));

	mmap_checks(&c);
	e.queue = 1;
	ret = ioctl(c.fd, SCSTU_USER_ENTER, &e) ? -errno : 0;
	CHECK(ret == -EINVAL, "ENTER on queue 1 of 1: %s", strerror(-ret));
	e.queue = 0;
	e.flags = 0x80;
	ret = ioctl(c.fd, SCSTU_USER_ENTER, &e) ? -errno : 0;
	CHECK(ret == -EINVAL, "ENTER with unknown flags: %s", strerror(-ret));
	ret = ioctl(c.fd, SCSTU_USER_WAKE, 7) ? -errno : 0;
	CHECK(ret == -EINVAL, "WAKE on queue 7: %s", strerror(-ret));

	cqe_checks(&c);

	CHECK(cfs_read_long(name, "protocol_errors") - errs0 == rejects,
	      "protocol_errors grew by %ld (want %ld)",
	      cfs_read_long(name, "protocol_errors") - errs0, rejects);
	uabi_close(&c);
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
