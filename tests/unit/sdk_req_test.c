// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser unit tests: raw requests through the harness (completion
 * family, residuals, async completion, abort, nexus events, UAs).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include "sdk_test.h"

static struct scstu_harness *h;
static struct scstu_dev *dev;
static struct scstu_req *held;
static int nr_abort, nr_reset, nr_attach, nr_detach;
static enum scstu_reset last_reset;
static char last_initiator[64];

static void *async_fn(void *arg)
{
	usleep(1000);
	scstu_req_complete(arg, SCSTU_GOOD, 10);
	return NULL;
}

static void raw_execute(struct scstu_req *req)
{
	const uint8_t *cdb = scstu_req_cdb(req);
	uint8_t buf[64] = { 0 };
	pthread_t t;

	switch (cdb[0]) {
	case 0x00:
		scstu_req_done(req);
		break;
	case 0xc0:
		ck_assert_int_eq(pthread_create(&t, NULL, async_fn, req), 0);
		pthread_detach(t);
		break;
	case 0xc1:
		held = req;
		break;
	case 0xc2:
		scstu_req_check(req, SCSTU_NOT_READY, 0x04, 0x03);
		break;
	case 0xc3:
		scstu_req_done(req);
		scstu_req_done(req);	/* logged and ignored */
		break;
	case 0xc4:
		memcpy(buf, cdb, scstu_req_cdb_len(req));
		buf[63] = (uint8_t)scstu_req_cdb_len(req);
		scstu_req_reply(req, buf, sizeof(buf));
		break;
	case 0xc5:
		scstu_req_invalid_cdb(req, 3, 2);
		break;
	case 0xc6:
		scstu_req_invalid_param(req, 7, -1);
		break;
	case 0xc7:
		ck_assert_int_eq(scstu_req_dir(req), SCSTU_DIR_WRITE);
		ck_assert_mem_eq(scstu_req_data(req), "hello", 5);
		ck_assert_uint_eq(scstu_req_lun(req), 7);
		ck_assert_uint_eq(scstu_req_session(req), 42);
		ck_assert_int_eq(scstu_req_task_attr(req),
				 SCSTU_TASK_ORDERED);
		ck_assert_ptr_eq(scstu_req_dev(req), dev);
		ck_assert_uint_eq(scstu_req_queue(req), 0);
		ck_assert_ptr_nonnull(scstu_req_ctx(req));
		ck_assert_uint_eq(*(uint8_t *)scstu_req_ctx(req), 0);
		*(uint8_t *)scstu_req_ctx(req) = 1;
		scstu_req_complete(req, SCSTU_GOOD, 1000);
		break;
	default:
		scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x20, 0x00);
		break;
	}
}

static void raw_abort(struct scstu_req *req)
{
	ck_assert(scstu_req_aborted(req));
	nr_abort++;
	if (req == held) {
		held = NULL;
		scstu_req_done(req);
	}
}

static void raw_reset(struct scstu_dev *d, enum scstu_reset kind,
		      uint64_t session, uint64_t lun)
{
	(void)d;
	(void)session;
	(void)lun;
	nr_reset++;
	last_reset = kind;
}

static void raw_attach(struct scstu_dev *d, const struct scstu_nexus *nx)
{
	(void)d;
	nr_attach++;
	strncpy(last_initiator, nx->initiator, sizeof(last_initiator) - 1);
}

static void raw_detach(struct scstu_dev *d, const struct scstu_nexus *nx)
{
	(void)d;
	ck_assert_str_eq(nx->initiator, "iqn.test:a");
	nr_detach++;
}

static const struct scstu_ops raw_ops = {
	.execute = raw_execute, .abort = raw_abort, .reset = raw_reset,
	.attach = raw_attach, .detach = raw_detach,
};

static void setup(void)
{
	struct scstu_dev_config cfg = {
		.name = "raw0", .type = SCSTU_TYPE_TAPE, .req_ctx_size = 16,
		.data_size = 4096, .priv = &h,
	};

	h = scstu_harness_new();
	cfg.harness = h;
	dev = scstu_dev_create(&cfg, &raw_ops);
	ck_assert_ptr_nonnull(dev);
	nr_abort = nr_reset = nr_attach = nr_detach = 0;
	held = NULL;
}

static void teardown(void)
{
	scstu_dev_destroy(dev);
	scstu_harness_free(h);
}

START_TEST(accessors)
{
	struct scstu_harness_cmd cmd = {
		.cdb = (const uint8_t[6]){ 0xc7 }, .cdb_len = 6,
		.dir = SCSTU_DIR_WRITE, .data = "hello", .xfer_len = 6,
		.lun = 7, .session = 42, .task_attr = SCSTU_TASK_ORDERED,
	};
	struct scstu_harness_result res;

	ck_assert_ptr_eq(scstu_dev_priv(dev), &h);
	ck_assert_str_eq(scstu_dev_name(dev), "raw0");
	ck_assert_uint_eq(scstu_dev_type(dev), SCSTU_TYPE_TAPE);
	ck_assert_uint_eq(scstu_dev_max_xfer(dev), 4096);
	ck_assert_int_eq(scstu_harness_run(dev, &cmd, &res), 0);
	hc_good(&res);
	/* a residual larger than the transfer is clamped */
	ck_assert_uint_eq(res.resid, 6);
	ck_assert_uint_eq(res.xfer, 0);
	/* ctx zeroed for each command */
	ck_assert_int_eq(scstu_harness_run(dev, &cmd, &res), 0);
	hc_good(&res);
}
END_TEST

START_TEST(reply_truncates_and_long_cdb)
{
	uint8_t cdb[40] = { 0xc4, 1, 2, 3 }, buf[100];
	struct scstu_harness_result res;

	cdb[39] = 0x39;
	memset(buf, 0xee, sizeof(buf));
	t_run(dev, cdb, sizeof(cdb), SCSTU_DIR_READ, buf, 100, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 64);
	ck_assert_uint_eq(res.resid, 36);
	ck_assert_mem_eq(buf, cdb, 40);
	ck_assert_uint_eq(buf[63], 40);
	ck_assert_uint_eq(buf[64], 0xee);	/* not transferred */
	t_run(dev, cdb, 6, SCSTU_DIR_READ, buf, 16, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 16);
	ck_assert_uint_eq(res.resid, 0);
}
END_TEST

START_TEST(check_and_d_sense)
{
	uint8_t cdb[6] = { 0xc2 };
	struct scstu_harness_result res;

	t_run(dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x04, 0x03);
	ck_assert_uint_eq(res.sense[0], 0x70);
	ck_assert(!scstu_dev_d_sense(dev));
	ck_assert_int_eq(scstu_dev_set_d_sense(dev, true), 0);
	ck_assert(scstu_dev_d_sense(dev));
	t_run(dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_NOT_READY, 0x04, 0x03);
	ck_assert_uint_eq(res.sense[0], 0x72);
	cdb[0] = 0xc5;
	t_run(dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 3, 2);
	cdb[0] = 0xc6;
	t_run(dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x26, 0, 7, -1);
	ck_assert_uint_eq(res.sense[0], 0x72);
}
END_TEST

START_TEST(async_completion)
{
	uint8_t cdb[6] = { 0xc0 }, buf[32];
	struct scstu_harness_result res;

	t_run(dev, cdb, 6, SCSTU_DIR_READ, buf, 32, &res);
	hc_good(&res);
	ck_assert_uint_eq(res.resid, 10);
	ck_assert_uint_eq(res.xfer, 22);
}
END_TEST

static int nr_done;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;

static void count_done(void *arg, const struct scstu_harness_result *res)
{
	(void)arg;
	ck_assert_uint_eq(res->status, SCSTU_GOOD);
	pthread_mutex_lock(&done_lock);
	nr_done++;
	pthread_mutex_unlock(&done_lock);
}

START_TEST(submit_and_wait)
{
	static const uint8_t cdb[6] = { 0xc0 };
	struct scstu_harness_cmd cmd = { .cdb = cdb, .cdb_len = 6 };
	int i;

	nr_done = 0;
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(scstu_harness_submit(dev, &cmd, count_done,
						      NULL), 0);
	scstu_harness_wait(dev);
	ck_assert_int_eq(nr_done, 20);
}
END_TEST

static struct scstu_harness_result abort_res;

static void abort_done(void *arg, const struct scstu_harness_result *res)
{
	(void)arg;
	abort_res = *res;
}

START_TEST(abort_and_reset)
{
	static const uint8_t cdb[6] = { 0xc1 };
	struct scstu_harness_cmd cmd = { .cdb = cdb, .cdb_len = 6,
					 .session = 5 };

	ck_assert_int_eq(scstu_harness_submit(dev, &cmd, abort_done, NULL),
			 0);
	ck_assert_ptr_nonnull(held);
	ck_assert(!scstu_req_aborted(held));
	/* another session: nothing to abort */
	ck_assert_int_eq(scstu_harness_abort(dev, 6, 0), 0);
	ck_assert_int_eq(nr_reset, 0);
	ck_assert_int_eq(scstu_harness_abort(dev, 5, SCSTU_RESET_LUN), 1);
	ck_assert_int_eq(nr_abort, 1);
	ck_assert_ptr_null(held);
	ck_assert_uint_eq(abort_res.status, SCSTU_TASK_ABORTED);
	ck_assert_int_eq(nr_reset, 1);
	ck_assert_int_eq(last_reset, SCSTU_RESET_LUN);
	ck_assert_int_eq(scstu_harness_abort(dev, SCSTU_NO_SESSION,
					     SCSTU_RESET_TARGET), 0);
	ck_assert_int_eq(last_reset, SCSTU_RESET_TARGET);
}
END_TEST

static int nr_logged;

static void count_log(enum scstu_log_level level, const char *msg)
{
	if (level == SCSTU_LOG_ERR && strstr(msg, "completed twice"))
		nr_logged++;
}

START_TEST(double_completion_and_errors)
{
	uint8_t cdb[6] = { 0xc3 };
	struct scstu_harness_result res;
	struct scstu_harness_cmd bad = { .cdb = cdb, .cdb_len = 0 };

	nr_logged = 0;
	scstu_log_set_fn(count_log);
	t_run(dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	scstu_log_set_fn(NULL);
	hc_good(&res);
	ck_assert_int_eq(nr_logged, 1);
	ck_assert_int_eq(scstu_harness_run(dev, &bad, &res), -EINVAL);
	/* larger than the data area: refused before the handler */
	bad.cdb_len = 6;
	bad.dir = SCSTU_DIR_READ;
	bad.xfer_len = 8192;
	bad.data = (uint8_t[8192]){ 0 };
	ck_assert_int_eq(scstu_harness_run(dev, &bad, &res), 0);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x24, 0);
	cdb[0] = 0x99;
	t_run(dev, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x20, 0);
}
END_TEST

START_TEST(nexus_and_ua)
{
	struct scstu_nexus nx = {
		.session = 3, .lun = 1, .initiator = "iqn.test:a",
		.target = "t0", .rel_port = 2,
	};
	uint8_t asc, ascq;

	ck_assert_int_eq(scstu_harness_attach(dev, &nx), 0);
	ck_assert_int_eq(nr_attach, 1);
	ck_assert_str_eq(last_initiator, "iqn.test:a");
	ck_assert_int_eq(scstu_harness_detach(dev, 3, 0), -ENOENT);
	ck_assert_int_eq(scstu_harness_detach(dev, 3, 1), 0);
	ck_assert_int_eq(nr_detach, 1);
	ck_assert(!scstu_harness_pop_ua(dev, &asc, &ascq));
	ck_assert_int_eq(scstu_dev_raise_ua(dev, 0x2a, 0x09, 1), 0);
	ck_assert_int_eq(scstu_dev_raise_ua(dev, 0x28, 0x00, 1), 0);
	ck_assert(scstu_harness_pop_ua(dev, &asc, &ascq));
	ck_assert_uint_eq(asc, 0x2a);
	ck_assert_uint_eq(ascq, 0x09);
	ck_assert(scstu_harness_pop_ua(dev, &asc, &ascq));
	ck_assert_uint_eq(asc, 0x28);
	ck_assert(!scstu_harness_pop_ua(dev, &asc, &ascq));
}
END_TEST

static void *stopper(void *arg)
{
	usleep(1000);
	scstu_dev_stop(arg);
	return NULL;
}

START_TEST(run_and_stop)
{
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, stopper, dev), 0);
	ck_assert_int_eq(scstu_dev_run(dev), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(scstu_dev_process(dev), 0);
	ck_assert_int_ge(scstu_dev_fd(dev), 0);
}
END_TEST

Suite *sdk_req_suite(void)
{
	Suite *s = suite_create("sdk_req");
	TCase *tc = tcase_create("raw");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, accessors);
	tcase_add_test(tc, reply_truncates_and_long_cdb);
	tcase_add_test(tc, check_and_d_sense);
	tcase_add_test(tc, async_completion);
	tcase_add_test(tc, submit_and_wait);
	tcase_add_test(tc, abort_and_reset);
	tcase_add_test(tc, double_completion_and_errors);
	tcase_add_test(tc, nexus_and_ua);
	tcase_add_test(tc, run_and_stop);
	suite_add_tcase(s, tc);
	return s;
}
