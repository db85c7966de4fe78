// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Deterministic CDB fuzzer of libscstuser through its in-process harness.
 *
 * A disk device with every optional callback (RAM-backed; about a third
 * of the I/O callbacks complete from a completer thread after a short
 * delay) is fed random commands: opcodes mostly from the disk class's
 * own table (read at start with REPORT SUPPORTED OPERATION CODES, with
 * each command's CDB usage map), some random; random CDB bytes masked by
 * the usage map, then sometimes mutated; random CDB length, direction
 * and transfer length (sometimes mismatched to the command); parameter
 * lists for MODE SELECT, UNMAP, WRITE SAME, COMPARE AND WRITE and
 * VERIFY; with aborts, resets and nexus attach/detach interleaved.
 *
 * For every command: it completes exactly once; the status is GOOD,
 * CONDITION MET, CHECK CONDITION with well-formed sense (parsed, valid
 * key, ASC != 0, length <= 96), or TASK ABORTED only after an abort that
 * covered it; resid <= xfer_len; nothing is written past a data-in
 * buffer (guard bytes) nor into a data-out buffer. At the end the device
 * must answer TEST UNIT READY and a WRITE/READ round trip correctly.
 *
 * The handler is in sdk_fuzz_disk.c.
 *
 * Environment: SCSTU_FUZZ_SEED (default 1), SCSTU_FUZZ_ITERS (default
 * 60000); SCSTU_FUZZ_VERBOSE=1 prints every command and its result.
 * A failure prints the seed, the command number and the CDB.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <scsi/sg_lib.h>
#include "sdk_fuzz.h"

#define DATA_SIZE	(192U << 10)	/* max_xfer: some commands exceed it */
#define MAX_XFER	(256U << 10)
#define GUARD		64
#define GUARD_BYTE	0x5c
#define NSLOTS		8
#define NSESS		4
#define MAX_CMDS	64

uint64_t seed = 1;
static unsigned long iters = 60000;

/* xorshift64*: the main thread's generator; commands depend on it only */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint32_t rnd_n(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return rnd_n(100) < percent;
}

/* The disk's table, from RSOC. */
struct tcmd {
	uint8_t opcode;
	bool has_sa;
	uint16_t sa;
	uint8_t len;
	uint8_t usage[32];
};

static struct tcmd table[MAX_CMDS];
static unsigned int nr_table;
static uint8_t mode_data[4096];	/* MODE SENSE(10) of all pages */
static unsigned int mode_len;

/* The device */
static struct scstu_harness *harness;
static struct scstu_dev *dev;
uint8_t *ram;
uint8_t mapped[NR_BLOCKS];
pthread_mutex_t ram_lock = PTHREAD_MUTEX_INITIALIZER;
atomic_uint nr_async, nr_aborted_cb, nr_resets;

static struct fslot slots[NSLOTS];
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_cond = PTHREAD_COND_INITIALIZER;
static unsigned long status_count[256];
static bool verbose;

static void hex(FILE *f, const uint8_t *p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x%s", p[i], i + 1 < n ? " " : "");
}

void fail(const struct fslot *s, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sdk_fuzz: FAILED (SCSTU_FUZZ_SEED=%llu",
		(unsigned long long)seed);
	if (s) {
		fprintf(stderr, ", command %lu): cdb_len %u cdb ", s->no,
			s->cmd.cdb_len);
		hex(stderr, s->cdb, s->cmd.cdb_len > 32 ? 32 : s->cmd.cdb_len);
		fprintf(stderr, " dir %d xfer_len %u session %llu\n  ",
			s->cmd.dir, s->cmd.xfer_len,
			(unsigned long long)s->cmd.session);
	} else {
		fprintf(stderr, "): ");
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* ---- synchronous helpers ---- */

static void run_sync(const uint8_t *cdb, unsigned int len, enum scstu_dir dir,
		     void *buf, uint32_t xfer, struct scstu_harness_result *r)
{
	struct scstu_harness_cmd c = {
		.cdb = cdb, .cdb_len = len, .dir = dir, .data = buf,
		.xfer_len = xfer,
	};
	int ret = scstu_harness_run(dev, &c, r);

	if (ret)
		fail(NULL, "scstu_harness_run: %s (cdb %02x)", strerror(-ret),
		     cdb[0]);
}

static void expect_good(const char *what, const struct scstu_harness_result *r)
{
	uint8_t asc = 0, ascq = 0;
	int key = scstu_harness_sense_key(r, &asc, &ascq);

	if (r->status != SCSTU_GOOD)
		fail(NULL, "%s: status 0x%02x sense %x/%02x/%02x", what,
		     r->status, key, asc, ascq);
}

static void load_table(void)
{
	static uint8_t buf[8192];
	struct scstu_harness_result r;
	uint8_t cdb[12] = { 0xa3, 0x0c };
	unsigned int len, off;

	cdb[6] = sizeof(buf) >> 24;
	cdb[7] = sizeof(buf) >> 16;
	cdb[8] = sizeof(buf) >> 8;
	cdb[9] = sizeof(buf) & 0xff;
	run_sync(cdb, 12, SCSTU_DIR_READ, buf, sizeof(buf), &r);
	expect_good("RSOC all", &r);
	len = (unsigned int)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 | buf[3];
	for (off = 4; off + 8 <= len + 4 && nr_table < MAX_CMDS;) {
		struct tcmd *t = &table[nr_table];
		static uint8_t one[64];
		unsigned int ulen;

		t->opcode = buf[off];
		t->sa = (uint16_t)(buf[off + 2] << 8 | buf[off + 3]);
		t->has_sa = buf[off + 5] & 1;
		off += (buf[off + 5] & 2) ? 20 : 8;
		memset(cdb, 0, sizeof(cdb));
		cdb[0] = 0xa3;
		cdb[1] = 0x0c;
		cdb[2] = t->has_sa ? 2 : 1;
		cdb[3] = t->opcode;
		cdb[4] = t->sa >> 8;
		cdb[5] = t->sa & 0xff;
		cdb[9] = sizeof(one);
		run_sync(cdb, 12, SCSTU_DIR_READ, one, sizeof(one), &r);
		expect_good("RSOC one", &r);
		if ((one[1] & 7) != 3)
			continue;	/* not supported by this device */
		ulen = (unsigned int)one[2] << 8 | one[3];
		if (!ulen || ulen > 32)
			fail(NULL, "RSOC: opcode %02x usage length %u",
			     t->opcode, ulen);
		t->len = (uint8_t)ulen;
		memcpy(t->usage, one + 4, ulen);
		nr_table++;
	}
	if (nr_table < 20)
		fail(NULL, "RSOC reported only %u commands", nr_table);
}

static void load_mode(void)
{
	struct scstu_harness_result r;
	uint8_t cdb[10] = { 0x5a, 0, 0x3f, 0, 0, 0, 0, 0x10, 0, 0 };

	run_sync(cdb, 10, SCSTU_DIR_READ, mode_data, sizeof(mode_data), &r);
	expect_good("MODE SENSE(10)", &r);
	mode_len = ((unsigned int)mode_data[0] << 8 | mode_data[1]) + 2;
	if (mode_len > r.xfer)
		mode_len = r.xfer;
}

/* ---- command generation ---- */

static void put_be(uint8_t *p, uint64_t v, unsigned int n)
{
	while (n--) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

/* An LBA/count pair, mostly inside the disk. */
static void pick_range(uint64_t *lba, uint32_t *nr, uint32_t max_nr)
{
	*nr = rnd_n(max_nr + 1);
	if (chance(90)) {
		*lba = rnd_n(NR_BLOCKS);
		if (*lba + *nr > NR_BLOCKS && chance(80))
			*lba = NR_BLOCKS - *nr;
	} else {
		*lba = chance(50) ? rnd() : NR_BLOCKS - rnd_n(4);
	}
}

/* Fill data-out with something: RAM contents (to match) or random. */
static void fill_out(uint8_t *p, uint32_t n, uint64_t lba)
{
	uint32_t i;

	if (chance(50) && lba < NR_BLOCKS &&
	    n <= (NR_BLOCKS - lba) * BS) {
		pthread_mutex_lock(&ram_lock);
		memcpy(p, ram + lba * BS, n);
		pthread_mutex_unlock(&ram_lock);
		if (chance(20) && n)
			p[rnd_n(n)] ^= 1;
		return;
	}
	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
	if (chance(50) && n >= BS)
		memset(p, 0, BS);	/* a zero block: WS UNMAP path */
}

static uint32_t param_mode(uint8_t *p, bool ten)
{
	uint32_t n = mode_len, i;

	if (ten) {
		memcpy(p, mode_data, n);
		p[0] = p[1] = 0;
	} else {
		/* 10-byte header to 6-byte header */
		p[0] = 0;
		p[1] = mode_data[2];
		p[2] = mode_data[3];
		p[3] = mode_data[7];
		memcpy(p + 4, mode_data + 8, n - 8);
		n -= 4;
	}
	for (i = rnd_n(4); i; i--)
		p[rnd_n(n)] = (uint8_t)rnd();
	if (chance(15))
		n = rnd_n(n + 1);
	return n;
}

static uint32_t param_unmap(uint8_t *p)
{
	unsigned int nd = rnd_n(6), i;
	uint32_t n = 8 + nd * 16;

	memset(p, 0, n);
	put_be(p, n - 2, 2);
	put_be(p + 2, nd * 16, 2);
	for (i = 0; i < nd; i++) {
		uint64_t lba;
		uint32_t nr;

		pick_range(&lba, &nr, 128);
		put_be(p + 8 + i * 16, lba, 8);
		put_be(p + 8 + i * 16 + 8, nr, 4);
	}
	if (chance(15))
		p[rnd_n(n)] = (uint8_t)rnd();
	return n;
}

/* Mostly valid fields of the data-in commands (random ones are rejected). */
static void shape_in(uint8_t *cdb, const struct tcmd *t)
{
	static const uint8_t vpd[] = { 0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2 };
	static const uint8_t pages[] = { 0x01, 0x08, 0x0a, 0x1c, 0x3f };

	if (chance(10))
		return;
	switch (t->opcode) {
	case 0x12:					/* INQUIRY */
		cdb[1] = chance(50);
		cdb[2] = cdb[1] ? vpd[rnd_n(sizeof(vpd))] : 0;
		break;
	case 0x1a: case 0x5a:				/* MODE SENSE */
		cdb[2] = (uint8_t)(rnd_n(4) << 6 | pages[rnd_n(sizeof(pages))]);
		cdb[3] = chance(80) ? 0 : 0xff;
		break;
	case 0x25:					/* READ CAPACITY */
		memset(cdb + 1, 0, 8);
		break;
	case 0x9e:
		if (t->sa == 0x12)			/* GET LBA STATUS */
			put_be(cdb + 2, rnd_n(NR_BLOCKS + 2), 8);
		else
			memset(cdb + 2, 0, 8);
		break;
	}
}

/* Fill CDB fields the command cares about; return expected dir/xfer. */
static void shape(uint8_t *cdb, const struct tcmd *t, uint8_t *data,
		  enum scstu_dir *dir, uint32_t *xfer)
{
	uint64_t lba;
	uint32_t nr, alloc;

	*dir = SCSTU_DIR_NONE;
	*xfer = 0;
	switch (t->opcode) {
	case 0x08: case 0x0a:				/* READ/WRITE(6) */
		pick_range(&lba, &nr, 255);
		put_be(cdb + 1, lba & 0x1fffff, 3);
		cdb[4] = (uint8_t)nr;
		nr = nr ? nr : 256;
		*xfer = nr * BS;
		*dir = t->opcode == 0x08 ? SCSTU_DIR_READ : SCSTU_DIR_WRITE;
		break;
	case 0x28: case 0x2a: case 0x2e: case 0x2f:	/* (10) */
	case 0x34: case 0x35: case 0x41:
		pick_range(&lba, &nr, t->opcode == 0x41 ? 600 : 400);
		put_be(cdb + 2, lba, 4);
		put_be(cdb + 7, nr, 2);
		goto rw;
	case 0xa8: case 0xaa:				/* (12) */
		pick_range(&lba, &nr, 400);
		put_be(cdb + 2, lba, 4);
		put_be(cdb + 6, nr, 4);
		goto rw;
	case 0x88: case 0x8a: case 0x8e: case 0x8f:	/* (16) */
	case 0x90: case 0x91: case 0x93:
		pick_range(&lba, &nr, t->opcode == 0x93 ? 4000 : 400);
		put_be(cdb + 2, lba, 8);
		put_be(cdb + 10, nr, 4);
rw:
		switch (t->opcode) {
		case 0x28: case 0xa8: case 0x88:
			*dir = SCSTU_DIR_READ;
			*xfer = nr * BS;
			break;
		case 0x2a: case 0xaa: case 0x8a: case 0x2e: case 0x8e:
			*dir = SCSTU_DIR_WRITE;
			*xfer = nr * BS;
			fill_out(data, *xfer > MAX_XFER ? MAX_XFER : *xfer,
				 lba);
			break;
		case 0x2f: case 0x8f:			/* VERIFY */
			if (cdb[1] & 0x06) {
				*dir = SCSTU_DIR_WRITE;
				*xfer = ((cdb[1] & 0x06) == 0x06 ? 1 : nr) * BS;
				fill_out(data, *xfer > MAX_XFER ?
					 MAX_XFER : *xfer, lba);
			}
			break;
		case 0x41: case 0x93:			/* WRITE SAME */
			if (cdb[1] & 0x01)		/* NDOB */
				break;
			*dir = SCSTU_DIR_WRITE;
			*xfer = BS;
			fill_out(data, BS, lba);
			break;
		}
		break;
	case 0x89:					/* COMPARE AND WRITE */
		pick_range(&lba, &nr, 4);
		put_be(cdb + 2, lba, 8);
		cdb[13] = (uint8_t)nr;
		*dir = SCSTU_DIR_WRITE;
		*xfer = 2 * nr * BS;
		fill_out(data, nr * BS, lba);
		fill_out(data + nr * BS, nr * BS, lba);
		break;
	case 0x42:					/* UNMAP */
		*dir = SCSTU_DIR_WRITE;
		*xfer = param_unmap(data);
		put_be(cdb + 7, *xfer, 2);
		break;
	case 0x15: case 0x55:				/* MODE SELECT */
		*dir = SCSTU_DIR_WRITE;
		*xfer = param_mode(data, t->opcode == 0x55);
		if (t->opcode == 0x15)
			cdb[4] = (uint8_t)*xfer;
		else
			put_be(cdb + 7, *xfer, 2);
		break;
	case 0x04:					/* FORMAT UNIT */
		break;
	case 0x00: case 0x16: case 0x17: case 0x56: case 0x57:
		break;
	case 0x1b:					/* START STOP UNIT */
		cdb[1] = 0;
		cdb[3] = 0;
		cdb[4] = chance(80) ? (uint8_t)rnd_n(4) : cdb[4];
		break;
	default:
		/* data-in commands: the allocation length as the CDB has it */
		alloc = rnd_n(chance(50) ? 256 : 8192);
		shape_in(cdb, t);
		switch (t->opcode == 0x25 ? 0 : t->len) {
		case 0:
			break;
		case 6:
			cdb[4] = (uint8_t)alloc;
			alloc &= 0xff;
			break;
		case 10:
			put_be(cdb + 7, alloc, 2);
			break;
		case 12:
			put_be(cdb + 6, alloc, 4);
			break;
		default:
			put_be(cdb + 10, alloc, 4);
			break;
		}
		if (t->opcode == 0x25)
			alloc = 8;
		*dir = SCSTU_DIR_READ;
		*xfer = alloc;
		break;
	}
}

static void gen(struct fslot *s)
{
	const struct tcmd *t = &table[rnd_n(nr_table)];
	struct scstu_harness_cmd *c = &s->cmd;
	enum scstu_dir dir;
	uint32_t xfer, i, len;

	memset(s->cdb, 0, sizeof(s->cdb));
	if (chance(8)) {
		/* anything */
		for (i = 0; i < 32; i++)
			s->cdb[i] = (uint8_t)rnd();
		len = 1 + rnd_n(32);
		dir = (enum scstu_dir)rnd_n(3);
		xfer = chance(50) ? rnd_n(MAX_XFER + 1) : rnd_n(600);
	} else {
		len = t->len;
		for (i = 1; i < len; i++)
			s->cdb[i] = (uint8_t)rnd() & t->usage[i];
		s->cdb[0] = t->opcode;
		if (t->has_sa)
			s->cdb[1] = (s->cdb[1] & 0xe0) | (t->sa & 0x1f);
		/* reserved bits in the CONTROL byte are rarely wanted */
		s->cdb[len - 1] = 0;
		shape(s->cdb, t, s->buf, &dir, &xfer);
		if (chance(10))
			s->cdb[rnd_n(len)] ^= (uint8_t)(1U << rnd_n(8));
		if (chance(5))
			len = 1 + rnd_n(32);
		if (chance(5))
			dir = (enum scstu_dir)rnd_n(3);
		if (chance(5))
			xfer = rnd_n(MAX_XFER + 1);
		else if (chance(5))
			xfer = xfer > 4 ? xfer - 1 - rnd_n(4) : xfer + 1;
	}
	if (xfer > MAX_XFER)
		xfer = MAX_XFER;
	/* data-out not shaped above: random bytes */
	if (dir == SCSTU_DIR_WRITE && chance(3))
		for (i = 0; i < xfer; i += 1 + rnd_n(64))
			s->buf[i] = (uint8_t)rnd();
	if (dir == SCSTU_DIR_READ)
		memset(s->buf, 0xee, xfer);
	memset(s->buf + xfer, GUARD_BYTE, GUARD);
	if (dir == SCSTU_DIR_WRITE)
		memcpy(s->orig, s->buf, xfer);
	memset(c, 0, sizeof(*c));
	c->cdb = s->cdb;
	c->cdb_len = len;
	c->dir = dir;
	c->xfer_len = xfer;
	c->data = xfer ? s->buf : NULL;
	c->session = chance(70) ? 0 : 1 + rnd_n(NSESS);
	c->task_attr = chance(90) ? SCSTU_TASK_SIMPLE :
		       (enum scstu_task_attr)rnd_n(5);
}

/* ---- checks ---- */

static bool key_valid(uint8_t key)
{
	switch (key) {
	case SCSTU_RECOVERED_ERROR: case SCSTU_NOT_READY:
	case SCSTU_MEDIUM_ERROR: case SCSTU_HARDWARE_ERROR:
	case SCSTU_ILLEGAL_REQUEST: case SCSTU_UNIT_ATTENTION:
	case SCSTU_DATA_PROTECT: case SCSTU_ABORTED_COMMAND:
	case SCSTU_MISCOMPARE:
		return true;
	}
	return false;
}

static void check_result(struct fslot *s, const struct scstu_harness_result *r)
{
	const struct scstu_harness_cmd *c = &s->cmd;
	struct scstu_sense sn;
	char b[128];
	uint32_t i;

	if (r->resid > c->xfer_len || r->xfer != c->xfer_len - r->resid)
		fail(s, "resid %u xfer %u", r->resid, r->xfer);
	for (i = 0; i < GUARD; i++)
		if (s->buf[c->xfer_len + i] != GUARD_BYTE)
			fail(s, "guard byte %u after the buffer overwritten",
			     i);
	if (c->dir == SCSTU_DIR_WRITE && memcmp(s->buf, s->orig, c->xfer_len))
		fail(s, "data-out buffer modified");
	switch (r->status) {
	case SCSTU_GOOD:
	case SCSTU_CONDITION_MET:
		break;
	case SCSTU_TASK_ABORTED:
		if (!s->abort_issued)
			fail(s, "TASK ABORTED without an abort");
		break;
	case SCSTU_CHECK_CONDITION:
		if (!r->sense_len || r->sense_len > SCSTU_SENSE_MAX)
			fail(s, "sense length %u", r->sense_len);
		if (scstu_sense_parse(r->sense, r->sense_len, &sn))
			fail(s, "sense does not parse: %s",
			     (hex(stderr, r->sense, r->sense_len), ""));
		if (!key_valid(sn.key) || !sn.asc)
			fail(s, "sense %x/%02x/%02x (%s)", sn.key, sn.asc,
			     sn.ascq, sg_get_asc_ascq_str(sn.asc, sn.ascq,
							  sizeof(b), b));
		break;
	default:
		fail(s, "status 0x%02x", r->status);
	}
}

static void done_cb(void *arg, const struct scstu_harness_result *r)
{
	struct fslot *s = arg;

	pthread_mutex_lock(&slot_lock);
	if (!s->busy || ++s->completions != 1)
		fail(s, "completed %u times", s->completions);
	status_count[r->status]++;
	if (verbose) {
		uint8_t asc = 0, ascq = 0;
		int key = scstu_harness_sense_key(r, &asc, &ascq);

		printf("%lu: ", s->no);
		hex(stdout, s->cdb, s->cmd.cdb_len > 32 ? 32 : s->cmd.cdb_len);
		printf(" | len %u dir %d xfer %u -> %02x %d/%02x/%02x "
		       "resid %u\n", s->cmd.cdb_len, s->cmd.dir,
		       s->cmd.xfer_len, r->status, key, asc, ascq, r->resid);
	}
	pthread_mutex_unlock(&slot_lock);
	check_result(s, r);
	pthread_mutex_lock(&slot_lock);
	s->busy = false;
	pthread_cond_broadcast(&slot_cond);
	pthread_mutex_unlock(&slot_lock);
}

/* ---- main loop ---- */

static void tmf(void)
{
	uint64_t sess = chance(50) ? SCSTU_NO_SESSION : 1 + rnd_n(NSESS);
	enum scstu_reset kind = (enum scstu_reset)rnd_n(4);
	unsigned int i;
	int ret;

	if (kind == SCSTU_RESET_NEXUS && sess == SCSTU_NO_SESSION)
		kind = SCSTU_RESET_LUN;
	pthread_mutex_lock(&slot_lock);
	for (i = 0; i < NSLOTS; i++)
		if (slots[i].busy && (sess == SCSTU_NO_SESSION ||
				      slots[i].cmd.session == sess))
			slots[i].abort_issued = true;
	pthread_mutex_unlock(&slot_lock);
	ret = scstu_harness_abort(dev, sess, kind);
	if (ret < 0)
		fail(NULL, "scstu_harness_abort: %s", strerror(-ret));
}

static bool attached[NSESS + 1];

static void nexus_event(void)
{
	unsigned int sess = 1 + rnd_n(NSESS);
	struct scstu_nexus nx = {
		.session = sess, .lun = 0,
		.initiator = "iqn.2024-01.org.example:fuzz",
		.target = "fuzz-target", .rel_port = 1,
	};
	int ret;

	if (attached[sess]) {
		ret = scstu_harness_detach(dev, sess, 0);
		attached[sess] = false;
	} else {
		ret = scstu_harness_attach(dev, &nx);
		attached[sess] = true;
	}
	if (ret)
		fail(NULL, "nexus event on session %u: %s", sess,
		     strerror(-ret));
}

static void final_checks(void)
{
	static uint8_t w[8 * BS], rd[8 * BS];
	struct scstu_harness_result r;
	uint8_t cdb[16] = { 0x1b, 0, 0, 0, 0x01, 0 };
	uint8_t asc, ascq, p[4096];
	uint32_t n;
	unsigned int i;
	uint64_t lba = rnd_n(NR_BLOCKS - 8);

	/* undo what the fuzz did to the unit: start it, restore pages */
	run_sync(cdb, 6, SCSTU_DIR_NONE, NULL, 0, &r);
	expect_good("START STOP UNIT", &r);
	memcpy(p, mode_data, mode_len);
	p[0] = p[1] = 0;
	n = mode_len;
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = 0x55;
	cdb[1] = 0x10;
	put_be(cdb + 7, n, 2);
	run_sync(cdb, 10, SCSTU_DIR_WRITE, p, n, &r);
	expect_good("MODE SELECT(10) restore", &r);
	while (scstu_harness_pop_ua(dev, &asc, &ascq))
		;
	memset(cdb, 0, sizeof(cdb));
	run_sync(cdb, 6, SCSTU_DIR_NONE, NULL, 0, &r);
	expect_good("TEST UNIT READY", &r);
	for (i = 0; i < sizeof(w); i++)
		w[i] = (uint8_t)rnd();
	cdb[0] = 0x8a;
	put_be(cdb + 2, lba, 8);
	put_be(cdb + 10, 8, 4);
	run_sync(cdb, 16, SCSTU_DIR_WRITE, w, sizeof(w), &r);
	expect_good("WRITE(16)", &r);
	if (memcmp(ram + lba * BS, w, sizeof(w)))
		fail(NULL, "WRITE(16) at %llu: RAM differs",
		     (unsigned long long)lba);
	cdb[0] = 0x88;
	run_sync(cdb, 16, SCSTU_DIR_READ, rd, sizeof(rd), &r);
	expect_good("READ(16)", &r);
	if (r.xfer != sizeof(rd) || memcmp(rd, w, sizeof(w)))
		fail(NULL, "READ(16) at %llu: data differs",
		     (unsigned long long)lba);
}

static void setup(void)
{
	struct scstu_dev_config cfg = {
		.name = "fuzzdisk", .data_size = DATA_SIZE,
		.req_ctx_size = 24,
	};
	struct scstu_disk_config dc = {
		.nr_blocks = NR_BLOCKS, .block_size = BS,
		.serial = "FUZZ0001", .write_cache = true,
		.max_unmap_blocks = 256, .max_unmap_descriptors = 4,
		.max_write_same_blocks = 2048,
	};
	unsigned int i;

	ram = calloc(NR_BLOCKS, BS);
	harness = scstu_harness_new();
	if (!ram || !harness)
		fail(NULL, "out of memory");
	cfg.harness = harness;
	dev = scstu_disk_create(&cfg, &dc, &fuzz_disk_ops, &fuzz_raw_ops);
	if (!dev)
		fail(NULL, "scstu_disk_create: %s", strerror(errno));
	for (i = 0; i < NSLOTS; i++) {
		slots[i].buf = malloc(MAX_XFER + GUARD);
		slots[i].orig = malloc(MAX_XFER);
		if (!slots[i].buf || !slots[i].orig)
			fail(NULL, "out of memory");
	}
	fuzz_completer_start();
}

static void teardown(void)
{
	unsigned int i;

	fuzz_completer_stop();
	scstu_dev_destroy(dev);
	scstu_harness_free(harness);
	for (i = 0; i < NSLOTS; i++) {
		free(slots[i].buf);
		free(slots[i].orig);
	}
	free(ram);
}

int main(void)
{
	const char *e;
	unsigned long no;
	unsigned int i;
	uint8_t asc, ascq;
	time_t t0 = time(NULL);

	e = getenv("SCSTU_FUZZ_SEED");
	if (e)
		seed = strtoull(e, NULL, 0);
	e = getenv("SCSTU_FUZZ_ITERS");
	if (e)
		iters = strtoul(e, NULL, 0);
	verbose = getenv("SCSTU_FUZZ_VERBOSE");
	rng_state = mix(seed, 0x5c57) | 1;
	scstu_log_set_level(SCSTU_LOG_ERR);
	setup();
	load_table();
	load_mode();

	for (no = 1; no <= iters; no++) {
		struct fslot *s = &slots[no % NSLOTS];
		int ret;

		if (chance(2))
			tmf();
		if (chance(1))
			nexus_event();
		if (chance(5))
			while (scstu_harness_pop_ua(dev, &asc, &ascq))
				;
		pthread_mutex_lock(&slot_lock);
		while (s->busy)
			pthread_cond_wait(&slot_cond, &slot_lock);
		pthread_mutex_unlock(&slot_lock);
		s->no = no;
		gen(s);
		s->busy = true;
		s->abort_issued = false;
		s->completions = 0;
		ret = scstu_harness_submit(dev, &s->cmd, done_cb, s);
		if (ret)
			fail(s, "scstu_harness_submit: %s", strerror(-ret));
	}
	scstu_harness_wait(dev);
	for (i = 0; i < NSLOTS; i++)
		if (slots[i].busy || (slots[i].no && slots[i].completions != 1))
			fail(&slots[i], "completed %u times at the end",
			     slots[i].completions);
	final_checks();
	teardown();
	printf("sdk_fuzz: seed %llu, %lu commands in %llds: GOOD %lu, "
	       "CHECK CONDITION %lu, CONDITION MET %lu, TASK ABORTED %lu; "
	       "%u async completions, %u abort callbacks, %u resets\n",
	       (unsigned long long)seed, iters, (long long)(time(NULL) - t0),
	       status_count[SCSTU_GOOD], status_count[SCSTU_CHECK_CONDITION],
	       status_count[SCSTU_CONDITION_MET],
	       status_count[SCSTU_TASK_ABORTED], atomic_load(&nr_async),
	       atomic_load(&nr_aborted_cb), atomic_load(&nr_resets));
	return 0;
}
