// SPDX-License-Identifier: GPL-2.0
/*
 * Cartridge crash safety and damage: SIGKILL during writes, a crash
 * without a commit, files truncated at every byte offset, every byte
 * flipped: what was synced reads back, the tape ends at a valid EOD,
 * and damage gives a clean error, never a crash (run under ASan too).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "vtl_cart_test.h"
#include "cart_priv.h"
#include "unit_registry.h"

static const struct scstu_tape_wopts plain = { .compress = false };

/* object i of the test tapes: a block of blk_len(i) bytes, pattern i,
 * or a filemark every 5th object */
static uint32_t blk_len(uint64_t i)
{
	return 1 + (i * 97) % 400;
}

static bool is_fm(uint64_t i)
{
	return i % 5 == 4;
}

static int put_obj(struct cart *c, uint64_t i)
{
	if (is_fm(i))
		return CM->write_filemarks(c, 0, i, 1);
	return ct_write(c, 0, i, blk_len(i), i, &plain);
}

static void check_objs(struct cart *c, uint64_t from, uint64_t to)
{
	struct scstu_tape_obj o;
	uint64_t i;

	for (i = from; i < to; i++) {
		if (is_fm(i)) {
			ck_assert_int_eq(CM->read(c, 0, i, NULL, 0, NULL, &o),
					 0);
			ck_assert_int_eq(o.type, SCSTU_TAPE_FILEMARK);
		} else {
			ct_check(c, 0, i, blk_len(i), i, NULL);
		}
	}
	ck_assert_int_eq(CM->read(c, 0, CM->eod(c, 0), NULL, 0, NULL, &o), 0);
	ck_assert_int_eq(o.type, SCSTU_TAPE_EOD);
}

/* offset in pN.dat where object i ends */
static uint64_t end_of(uint64_t i)
{
	uint64_t k, e = 0;

	for (k = 0; k <= i; k++)
		if (!is_fm(k))
			e += blk_len(k);
	return e;
}

/* objects that survive when pN.dat holds t bytes */
static uint64_t fit(uint64_t t, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if (end_of(i) > t)
			return i;
	return n;
}

static void make_tape(const char *bc, uint64_t n)
{
	struct cart *c;
	uint64_t i;

	ct_create(bc, NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open(bc);
	for (i = 0; i < n; i++)
		ck_assert_int_ge(put_obj(c, i), 0);
	cart_close(c);
}

/* open, check eod and every object, close; reopen: no further repair */
static void reopen_expect(const char *bc, uint64_t eod)
{
	struct cart *c = ct_open(bc);
	unsigned int w;

	ck_assert_uint_eq(CM->eod(c, 0), eod);
	check_objs(c, 0, eod);
	cart_close(c);
	w = ct_warnings;
	c = ct_open(bc);
	ck_assert_uint_eq(CM->eod(c, 0), eod);
	cart_close(c);
	ck_assert_uint_eq(ct_warnings, w);
}

START_TEST(sigkill_after_sync)
{
	int pfd[2], st;
	uint64_t synced = 0, more = 0;
	struct cart *c;
	pid_t pid;

	ct_create("KILL01L8", NULL, 0, CART_COMPRESS_LZ4);
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *msg;
		int err;
		uint64_t i, n = 301;

		close(pfd[0]);
		c = cart_open(ct_dir, "KILL01L8", &err, &msg);
		if (!c)
			_exit(2);
		for (i = 0; i < n; i++)
			if (put_obj(c, i) < 0)
				_exit(3);
		if (CM->sync(c))
			_exit(4);
		if (write(pfd[1], &n, sizeof(n)) != sizeof(n))
			_exit(5);
		for (;; i++) {		/* keep writing until killed */
			if (put_obj(c, i) < 0)
				_exit(6);
			if (i == n + 700 &&
			    write(pfd[1], &i, sizeof(i)) != sizeof(i))
				_exit(7);
		}
	}
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], &synced, sizeof(synced)), sizeof(synced));
	ck_assert_int_eq(read(pfd[0], &more, sizeof(more)), sizeof(more));
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	close(pfd[0]);
	c = ct_open("KILL01L8");
	/* the page cache survives a SIGKILL: at least every batch of
	 * index records written before the kill is back */
	ck_assert_uint_ge(CM->eod(c, 0), synced);
	ck_assert_uint_ge(CM->eod(c, 0), more - CART_FLUSH_RECS);
	check_objs(c, 0, CM->eod(c, 0));
	more = CM->eod(c, 0);		/* and the tape goes on from EOD */
	ck_assert_int_eq(put_obj(c, more), is_fm(more) ? 0 :
			 (int)blk_len(more));
	ck_assert_uint_eq(CM->eod(c, 0), more + 1);
	cart_close(c);
}
END_TEST

/*
 * A crash with no commit after n0 synced objects: the child writes n1
 * more, pushes their records to pN.idx and dies without committing.
 */
static void crash_tape(const char *bc, uint64_t n0, uint64_t n1)
{
	struct cart *c;
	pid_t pid;
	int st;

	make_tape(bc, n0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *msg;
		int err;
		uint64_t i;

		c = cart_open(ct_dir, bc, &err, &msg);
		if (!c)
			_exit(2);
		for (i = n0; i < n0 + n1; i++)
			if (put_obj(c, i) < 0)
				_exit(3);
		if (cart_flush_index(c, 0))
			_exit(4);
		_exit(0);		/* no commit */
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

START_TEST(crash_uncommitted_tail)
{
	const uint64_t n0 = 12, n1 = 10, n = n0 + n1;
	struct ct_snap s;
	uint64_t t, e;

	crash_tape("TAIL01L8", n0, n1);
	ct_snap_take("TAIL01L8", &s);
	reopen_expect("TAIL01L8", n);	/* intact: everything is back */
	/* pN.dat cut at every byte of the uncommitted tail */
	for (t = end_of(n0 - 1); t <= end_of(n - 1); t++) {
		ct_snap_restore("TAIL01L8", &s);
		ct_truncate("TAIL01L8", "p0.dat", t);
		reopen_expect("TAIL01L8", fit(t, n));
	}
	/* pN.idx cut at every byte of the uncommitted records */
	for (t = 32 + n0 * 32; t <= 32 + n * 32; t++) {
		ct_snap_restore("TAIL01L8", &s);
		ct_truncate("TAIL01L8", "p0.idx", t);
		reopen_expect("TAIL01L8", (t - 32) / 32);
	}
	/* a bit flipped in an uncommitted block: the tape ends before it */
	for (t = end_of(n0 - 1); t < end_of(n - 1); t += 7) {
		ct_snap_restore("TAIL01L8", &s);
		ct_flip("TAIL01L8", "p0.dat", t, 0x04);
		e = fit(t, n);
		reopen_expect("TAIL01L8", e);
	}
	/* a flipped uncommitted record: cut there */
	for (t = 32 + n0 * 32; t < 32 + n * 32; t += 3) {
		ct_snap_restore("TAIL01L8", &s);
		ct_flip("TAIL01L8", "p0.idx", t, 0x40);
		reopen_expect("TAIL01L8", (t - 32) / 32);
	}
	ct_snap_free(&s);
	ck_assert_uint_gt(ct_warnings, 0);
}
END_TEST

START_TEST(truncate_committed_every_offset)
{
	const uint64_t n = 14;
	struct ct_snap s;
	uint64_t t;
	char *msg;

	make_tape("TRC001L8", n);
	ct_snap_take("TRC001L8", &s);
	for (t = 0; t <= end_of(n - 1); t++) {
		ct_snap_restore("TRC001L8", &s);
		ct_truncate("TRC001L8", "p0.dat", t);
		reopen_expect("TRC001L8", fit(t, n));
	}
	for (t = 0; t <= 32 + n * 32; t++) {
		ct_snap_restore("TRC001L8", &s);
		ct_truncate("TRC001L8", "p0.idx", t);
		reopen_expect("TRC001L8", t < 32 ? 0 : (t - 32) / 32);
	}
	ck_assert_int_eq(unlink(ct_path("TRC001L8", "p0.idx")), 0);
	reopen_expect("TRC001L8", 0);
	ct_snap_restore("TRC001L8", &s);
	ck_assert_int_eq(unlink(ct_path("TRC001L8", "p0.dat")), 0);
	reopen_expect("TRC001L8", fit(0, n));
	/* meta: below one whole slot nothing can be trusted */
	for (t = 0; t <= CART_META_SIZE; t++) {
		ct_snap_restore("TRC001L8", &s);
		ct_truncate("TRC001L8", "meta", t);
		if (t < CART_SLOT_LEN) {
			ck_assert_int_eq(ct_open_err("TRC001L8", &msg),
					 -EBADMSG);
			ck_assert_ptr_nonnull(strstr(msg, "meta"));
			free(msg);
		} else {
			reopen_expect("TRC001L8", n);
		}
		if (t == 600)
			t = CART_SLOT_STRIDE - 2;
	}
	ct_snap_free(&s);
}
END_TEST

START_TEST(flip_every_byte)
{
	const uint64_t n = 14;
	uint8_t buf[512];
	struct scstu_tape_obj o;
	struct ct_snap s;
	struct cart *c;
	uint64_t t, i;
	char *msg;

	make_tape("FLP001L8", n);
	ct_snap_take("FLP001L8", &s);
	/* header slots: the other slot (and the tail check) carries on */
	for (t = 0; t < CART_SLOT_STRIDE + CART_SLOT_LEN; t++) {
		if (t == CART_SLOT_LEN)
			t = CART_SLOT_STRIDE;
		ct_snap_restore("FLP001L8", &s);
		ct_flip("FLP001L8", "meta", t, 0x08);
		reopen_expect("FLP001L8", n);
	}
	/* both slots damaged */
	ct_snap_restore("FLP001L8", &s);
	ct_flip("FLP001L8", "meta", 100, 1);
	ct_flip("FLP001L8", "meta", CART_SLOT_STRIDE + 100, 1);
	ck_assert_int_eq(ct_open_err("FLP001L8", &msg), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(msg, "no valid header"));
	free(msg);
	/* committed index records: corruption, said where */
	for (t = 0; t < 32 + n * 32; t++) {
		ct_snap_restore("FLP001L8", &s);
		ct_flip("FLP001L8", "p0.idx", t, 0x20);
		ck_assert_int_eq(ct_open_err("FLP001L8", &msg), -EBADMSG);
		ck_assert_ptr_nonnull(strstr(msg, "p0.idx"));
		if (t >= 32) {
			char want[32];

			snprintf(want, sizeof(want), "object %llu",
				 (unsigned long long)(t - 32) / 32);
			ck_assert_msg(strstr(msg, want), "%s", msg);
		}
		free(msg);
	}
	/* data: that block only reads MEDIUM ERROR */
	for (t = 0; t < end_of(n - 1); t++) {
		ct_snap_restore("FLP001L8", &s);
		ct_flip("FLP001L8", "p0.dat", t, 0x80);
		c = ct_open("FLP001L8");
		ck_assert_uint_eq(CM->eod(c, 0), n);
		i = fit(t, n);
		ck_assert_int_eq(CM->read(c, 0, i, buf, sizeof(buf), NULL, &o),
				 -EBADMSG);
		ck_assert_uint_eq(o.len, blk_len(i));
		if (i > 0 && !is_fm(i - 1))
			ct_check(c, 0, i - 1, blk_len(i - 1), i - 1, NULL);
		if (i + 1 < n && !is_fm(i + 1))
			ct_check(c, 0, i + 1, blk_len(i + 1), i + 1, NULL);
		cart_close(c);
	}
	ct_snap_free(&s);
}
END_TEST

START_TEST(stale_records_after_truncation)
{
	struct ct_snap a;
	const uint8_t *oi, *od;
	size_t oil, odl;
	struct cart *c;
	pid_t pid;
	int st, fd;

	/* ten 100-byte blocks, committed */
	ct_create("STL001L8", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("STL001L8");
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(ct_write(c, 0, i, 100, i, &plain), 100);
	cart_close(c);
	ct_snap_take("STL001L8", &a);
	/* overwrite from 5, two blocks, crash without a commit */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *msg;
		int err;

		c = cart_open(ct_dir, "STL001L8", &err, &msg);
		if (!c || ct_write(c, 0, 5, 100, 50, &plain) != 100 ||
		    ct_write(c, 0, 6, 100, 51, &plain) != 100 ||
		    cart_flush_index(c, 0))
			_exit(2);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* the old objects 7..9 come back on disk (a truncation that did
	 * not reach the disk): same offsets, valid CRCs, old epoch */
	oi = ct_snap_file(&a, "p0.idx", &oil);
	od = ct_snap_file(&a, "p0.dat", &odl);
	fd = open(ct_path("STL001L8", "p0.idx"), O_WRONLY);
	ck_assert_int_eq(pwrite(fd, oi + 32 + 7 * 32, 3 * 32, 32 + 7 * 32),
			 96);
	close(fd);
	fd = open(ct_path("STL001L8", "p0.dat"), O_WRONLY);
	ck_assert_int_eq(pwrite(fd, od + 700, 300, 700), 300);
	close(fd);
	c = ct_open("STL001L8");
	ck_assert_uint_eq(CM->eod(c, 0), 7);
	ct_check(c, 0, 4, 100, 4, NULL);
	ct_check(c, 0, 5, 100, 50, NULL);
	ct_check(c, 0, 6, 100, 51, NULL);
	cart_close(c);
	ct_snap_free(&a);
}
END_TEST

START_TEST(torn_header_after_truncation)
{
	struct cart *c;
	int fd;
	uint8_t z[CART_SLOT_LEN] = { 0 };

	/* commit 10, truncate at 3 (commit), write 2, commit; then the
	 * last slot is torn: the previous one (after the truncation) holds */
	ct_create("TRN001L8", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("TRN001L8");
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(ct_write(c, 0, i, 100, i, &plain), 100);
	ck_assert_int_eq(CM->sync(c), 0);
	ck_assert_int_eq(ct_write(c, 0, 3, 100, 30, &plain), 100);
	ck_assert_int_eq(ct_write(c, 0, 4, 100, 40, &plain), 100);
	ck_assert_int_eq(CM->sync(c), 0);
	cart_close(c);
	{
		struct cart_hdr h[2];
		uint8_t b[CART_META_SIZE];
		int newest;

		fd = open(ct_path("TRN001L8", "meta"), O_RDWR);
		ck_assert_int_eq(pread(fd, b, sizeof(b), 0), sizeof(b));
		ck_assert_ptr_null(cart_slot_decode(b, &h[0]));
		ck_assert_ptr_null(cart_slot_decode(b + CART_SLOT_STRIDE,
						    &h[1]));
		newest = h[1].gen > h[0].gen;
		ck_assert_uint_eq(h[newest].p[0].committed, 5);
		ck_assert_uint_eq(h[!newest].p[0].committed, 3);
		ck_assert_int_eq(pwrite(fd, z, sizeof(z),
					newest * CART_SLOT_STRIDE), sizeof(z));
		close(fd);
	}
	c = ct_open("TRN001L8");
	ck_assert_uint_eq(CM->eod(c, 0), 5);
	ct_check(c, 0, 2, 100, 2, NULL);
	ct_check(c, 0, 3, 100, 30, NULL);
	ct_check(c, 0, 4, 100, 40, NULL);
	cart_close(c);
}
END_TEST

static Suite *vtl_cart_crash_suite(void)
{
	Suite *s = suite_create("vtl_cart_crash");
	TCase *tc = tcase_create("crash");

	tcase_add_checked_fixture(tc, ct_setup, ct_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, sigkill_after_sync);
	tcase_add_test(tc, crash_uncommitted_tail);
	tcase_add_test(tc, truncate_committed_every_offset);
	tcase_add_test(tc, flip_every_byte);
	tcase_add_test(tc, stale_records_after_truncation);
	tcase_add_test(tc, torn_header_after_truncation);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(vtl_cart_crash_suite)
