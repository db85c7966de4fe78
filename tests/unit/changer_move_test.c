// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Changer class: MOVE MEDIUM, EXCHANGE MEDIUM, POSITION TO ELEMENT,
 * PREVENT ALLOW MEDIUM REMOVAL per I_T nexus, the operator's import and
 * export with unit attentions, and the element API.
 */
#include <errno.h>
#include <string.h>
#include "changer_test.h"
#include "unit_registry.h"

static struct scstu_element elem(uint16_t addr)
{
	struct scstu_element e;

	ck_assert_int_eq(scstu_changer_get(tl.dev, addr, &e), 0);
	return e;
}

static void check_move(unsigned int i, uint16_t src, uint16_t dst,
		       const char *voltag)
{
	ck_assert_uint_gt(tl.nr_moves, i);
	ck_assert_uint_eq(tl.moves[i].src, src);
	ck_assert_uint_eq(tl.moves[i].dst, dst);
	ck_assert_str_eq(tl.moves[i].voltag, voltag);
}

START_TEST(test_move_ok)
{
	struct scstu_harness_result res;
	struct scstu_element e;
	uint8_t cdb[12];

	tl_fill_slot(0, "A00001L8");
	res = c_do_move(TL_ST, TL_DT);
	hc_good(&res);
	ck_assert_uint_eq(tl.nr_moves, 1);
	check_move(0, TL_ST, TL_DT, "A00001L8");
	ck_assert_int_eq(tl.moves[0].src_type, SCSTU_ELEM_STORAGE);
	ck_assert_int_eq(tl.moves[0].dst_type, SCSTU_ELEM_DRIVE);
	ck_assert_uint_eq(tl.nr_changed, 1);
	ck_assert_uint_eq(tl.changed_full, 1);
	e = elem(TL_ST);
	ck_assert(!e.full);
	ck_assert(!e.source_valid);
	e = elem(TL_DT);
	ck_assert(e.full);
	ck_assert_str_eq(e.voltag, "A00001L8");
	ck_assert(e.source_valid);
	ck_assert_uint_eq(e.source, TL_ST);
	/* drive to another slot: the source stays the original slot */
	res = c_do_move(TL_DT, TL_ST + 5);
	hc_good(&res);
	e = elem(TL_ST + 5);
	ck_assert(e.full && e.source_valid);
	ck_assert_uint_eq(e.source, TL_ST);
	/* slot to mail slot to slot: source is the last storage element */
	res = c_do_move(TL_ST + 5, TL_IE);
	hc_good(&res);
	res = c_do_move(TL_IE, TL_ST + 7);
	hc_good(&res);
	e = elem(TL_ST + 7);
	ck_assert_uint_eq(e.source, TL_IE);
	/* transport address 0 is the default transport; LUN and vendor
	 * CONTROL bits as ch and mtx send them */
	c_move(cdb, 0, TL_ST + 7, TL_DT + 3);
	cdb[1] = 0x40;
	cdb[11] = 0x40;
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	ck_assert(elem(TL_DT + 3).full);
	ck_assert_uint_eq(tl.nr_moves, 5);
}
END_TEST

START_TEST(test_move_bad_addr)
{
	struct scstu_harness_result res;
	uint8_t cdb[12];

	tl_fill_slot(0, "A00001L8");
	c_move(cdb, TL_DT, TL_ST, TL_DT);	/* not the transport */
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x21, 0x01, 2, -1);
	c_move(cdb, TL_MT, 0x200, TL_DT);
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x21, 0x01, 4, -1);
	c_move(cdb, TL_MT, TL_ST, TL_ST + TL_NR_ST);
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x21, 0x01, 6, -1);
	/* the transport element cannot be named */
	c_move(cdb, TL_MT, TL_MT, TL_DT);
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x21, 0x01, 4, -1);
	c_move(cdb, TL_MT, TL_ST, TL_MT);
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x21, 0x01, 6, -1);
	/* INVERT: no rotation */
	c_move(cdb, TL_MT, TL_ST, TL_DT);
	cdb[10] = 0x01;
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 10, 0);
	ck_assert_uint_eq(tl.nr_moves, 0);
	ck_assert_uint_eq(tl.nr_changed, 0);
}
END_TEST

START_TEST(test_move_state_errors)
{
	struct scstu_harness_result res;

	tl_fill_slot(0, "A00001L8");
	tl_fill_slot(1, "A00002L8");
	res = c_do_move(TL_ST + 2, TL_DT);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0e);
	res = c_do_move(TL_ST, TL_ST + 1);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0d);
	res = c_do_move(TL_ST, TL_ST);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0d);
	ck_assert_uint_eq(tl.nr_moves, 0);
}
END_TEST

static void fail_next(int err)
{
	tl.fail = err;
	tl.fail_at = tl.calls;
}

START_TEST(test_move_handler_errors)
{
	struct scstu_harness_result res;

	tl_fill_slot(0, "A00001L8");
	res = c_do_move(TL_ST, TL_DT);
	hc_good(&res);
	/* drive still loaded: the initiator did not unload it */
	fail_next(-EBUSY);
	res = c_do_move(TL_DT, TL_ST + 1);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x53, 0x01);
	ck_assert(elem(TL_DT).full);
	ck_assert(!elem(TL_ST + 1).full);
	fail_next(-EBUSY);
	res = c_do_move(TL_DT, TL_DT + 1);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x53, 0x01);
	tl_fill_slot(2, "CLN001L1");
	fail_next(-EBUSY);
	res = c_do_move(TL_ST + 2, TL_DT + 1);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0d);
	fail_next(-EMEDIUMTYPE);
	res = c_do_move(TL_ST + 2, TL_DT + 1);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x30, 0x00);
	fail_next(-EIO);
	res = c_do_move(TL_ST + 2, TL_DT + 1);
	hc_sense(&res, SCSTU_HARDWARE_ERROR, 0x53, 0x00);
	fail_next(-ENOSPC);
	res = c_do_move(TL_ST + 2, TL_DT + 1);
	hc_sense(&res, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
	/* nothing changed by the failures */
	ck_assert(elem(TL_ST + 2).full);
	ck_assert(!elem(TL_DT + 1).full);
	ck_assert_uint_eq(tl.nr_moves, 1);
	ck_assert_uint_eq(tl.nr_changed, 1);
}
END_TEST

static void prevent(uint64_t session, bool on)
{
	uint8_t cdb[6] = { 0x1e, 0, 0, 0, on ? 1 : 0, 0 };
	struct scstu_harness_result res;

	c_run_sess(session, cdb, 6, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
}

static void attach(uint64_t session)
{
	struct scstu_nexus nx = {
		.session = session, .lun = 0, .initiator = "init",
		.target = "tgt", .rel_port = 1,
	};

	ck_assert_int_eq(scstu_harness_attach(tl.dev, &nx), 0);
}

START_TEST(test_prevent_per_nexus)
{
	struct scstu_harness_result res;

	attach(1);
	attach(2);
	tl_fill_slot(0, "A00001L8");
	tl_fill_slot(1, "A00002L8");
	ck_assert_int_eq(scstu_changer_import(tl.dev, TL_IE + 1, "IMP002L8"),
			 0);
	prevent(1, true);
	res = c_do_move(TL_ST, TL_IE);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x53, 0x02);
	/* into the library and within it is fine */
	res = c_do_move(TL_IE + 1, TL_ST + 10);
	hc_good(&res);
	res = c_do_move(TL_ST, TL_DT);
	hc_good(&res);
	/* the operator cannot use the mail slots either */
	ck_assert_int_eq(scstu_changer_import(tl.dev, TL_IE, "X"), -EPERM);
	prevent(2, true);
	prevent(1, false);
	res = c_do_move(TL_ST + 1, TL_IE);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x53, 0x02);
	/* an allow from a nexus that never prevented changes nothing */
	prevent(3, false);
	res = c_do_move(TL_ST + 1, TL_IE);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x53, 0x02);
	/* the preventing nexus goes away */
	ck_assert_int_eq(scstu_harness_detach(tl.dev, 2, 0), 0);
	res = c_do_move(TL_ST + 1, TL_IE);
	hc_good(&res);
}
END_TEST

START_TEST(test_prevent_resets)
{
	struct scstu_harness_result res;

	tl_fill_slot(0, "A00001L8");
	prevent(1, true);
	prevent(2, true);
	/* I_T nexus reset of session 1: session 2 still prevents */
	ck_assert_int_eq(scstu_harness_abort(tl.dev, 1, SCSTU_RESET_NEXUS),
			 0);
	ck_assert_uint_eq(tl.nr_resets, 1);
	res = c_do_move(TL_ST, TL_IE);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x53, 0x02);
	/* a logical unit reset ends every prevention */
	prevent(1, true);
	ck_assert_int_eq(scstu_harness_abort(tl.dev, SCSTU_NO_SESSION,
					     SCSTU_RESET_LUN), 0);
	ck_assert_uint_eq(tl.nr_resets, 2);
	res = c_do_move(TL_ST, TL_IE);
	hc_good(&res);
}
END_TEST

START_TEST(test_import_export)
{
	struct scstu_element e;
	uint8_t asc, ascq;
	char tag[40];

	ck_assert(!scstu_harness_pop_ua(tl.dev, &asc, &ascq));
	ck_assert_int_eq(scstu_changer_import(tl.dev, TL_IE, "IMP001L8"), 0);
	ck_assert(scstu_harness_pop_ua(tl.dev, &asc, &ascq));
	ck_assert_uint_eq(asc, 0x28);
	ck_assert_uint_eq(ascq, 0x01);
	ck_assert(!scstu_harness_pop_ua(tl.dev, &asc, &ascq));
	ck_assert_uint_eq(tl.nr_changed, 1);
	ck_assert_uint_eq(tl.changed_full, 1);
	e = elem(TL_IE);
	ck_assert(e.full);
	ck_assert_str_eq(e.voltag, "IMP001L8");
	ck_assert(!e.source_valid);
	/* full / empty / not a mail slot / no element / too long */
	ck_assert_int_eq(scstu_changer_import(tl.dev, TL_IE, "B"), -EBUSY);
	ck_assert_int_eq(scstu_changer_export(tl.dev, TL_IE + 1, tag,
					      sizeof(tag)), -EBUSY);
	ck_assert_int_eq(scstu_changer_import(tl.dev, TL_ST, "B"), -EINVAL);
	ck_assert_int_eq(scstu_changer_import(tl.dev, 0x999, "B"), -ENOENT);
	ck_assert_int_eq(scstu_changer_import(tl.dev, TL_IE + 1,
			 "123456789012345678901234567890123"), -EINVAL);
	ck_assert(!scstu_harness_pop_ua(tl.dev, &asc, &ascq));
	ck_assert_int_eq(scstu_changer_export(tl.dev, TL_IE, tag,
					      sizeof(tag)), 0);
	ck_assert_str_eq(tag, "IMP001L8");
	ck_assert(scstu_harness_pop_ua(tl.dev, &asc, &ascq));
	ck_assert_uint_eq(asc, 0x28);
	ck_assert_uint_eq(ascq, 0x01);
	ck_assert(!elem(TL_IE).full);
	ck_assert_uint_eq(tl.nr_changed, 2);
	ck_assert_uint_eq(tl.changed_full, 0);
	/* a short buffer gets a truncated, terminated tag */
	ck_assert_int_eq(scstu_changer_import(tl.dev, TL_IE, "IMP001L8"), 0);
	ck_assert_int_eq(scstu_changer_export(tl.dev, TL_IE, tag, 4), 0);
	ck_assert_str_eq(tag, "IMP");
	/* prevented: both refused, nothing raised */
	while (scstu_harness_pop_ua(tl.dev, &asc, &ascq))
		;
	ck_assert_int_eq(scstu_changer_import(tl.dev, TL_IE, "IMP001L8"), 0);
	prevent(7, true);
	ck_assert_int_eq(scstu_changer_export(tl.dev, TL_IE, tag,
					      sizeof(tag)), -EPERM);
	ck_assert_int_eq(scstu_changer_import(tl.dev, TL_IE + 1, "C"), -EPERM);
	ck_assert(scstu_harness_pop_ua(tl.dev, &asc, &ascq));	/* import */
	ck_assert(!scstu_harness_pop_ua(tl.dev, &asc, &ascq));
	ck_assert(elem(TL_IE).full);
}
END_TEST

static void exchange(uint16_t src, uint16_t d1, uint16_t d2, uint8_t b10,
		     struct scstu_harness_result *res)
{
	uint8_t cdb[12] = { 0xa6 };

	c_put16(TL_MT, &cdb[2]);
	c_put16(src, &cdb[4]);
	c_put16(d1, &cdb[6]);
	c_put16(d2, &cdb[8]);
	cdb[10] = b10;
	c_run(cdb, 12, SCSTU_DIR_NONE, NULL, 0, res);
}

START_TEST(test_exchange)
{
	struct scstu_harness_result res;
	struct scstu_element e;

	tl_fill_slot(0, "A00001L8");
	tl_fill_slot(1, "A00002L8");
	/* A: slot 0 -> slot 1; B: slot 1 -> slot 2 */
	exchange(TL_ST, TL_ST + 1, TL_ST + 2, 0, &res);
	hc_good(&res);
	ck_assert_uint_eq(tl.nr_moves, 2);
	check_move(0, TL_ST + 1, TL_ST + 2, "A00002L8");
	check_move(1, TL_ST, TL_ST + 1, "A00001L8");
	ck_assert(!elem(TL_ST).full);
	ck_assert_str_eq(elem(TL_ST + 1).voltag, "A00001L8");
	ck_assert_str_eq(elem(TL_ST + 2).voltag, "A00002L8");
	ck_assert_uint_eq(tl.nr_changed, 1);
	/* swap a drive's cartridge with a slot's through the picker */
	hc_good((res = c_do_move(TL_ST + 2, TL_DT), &res));
	tl.nr_moves = 0;
	exchange(TL_ST + 1, TL_DT, TL_ST + 1, 0, &res);
	hc_good(&res);
	ck_assert_uint_eq(tl.nr_moves, 3);
	check_move(0, TL_DT, TL_MT, "A00002L8");
	check_move(1, TL_ST + 1, TL_DT, "A00001L8");
	check_move(2, TL_MT, TL_ST + 1, "A00002L8");
	ck_assert_str_eq(elem(TL_DT).voltag, "A00001L8");
	e = elem(TL_ST + 1);
	ck_assert_str_eq(e.voltag, "A00002L8");
	ck_assert(e.source_valid);
	ck_assert_uint_eq(e.source, TL_ST + 2);	/* drive kept its source */
	ck_assert(!elem(TL_MT).full);
}
END_TEST

START_TEST(test_exchange_errors)
{
	struct scstu_harness_result res;

	tl_fill_slot(0, "A00001L8");
	tl_fill_slot(1, "A00002L8");
	tl_fill_slot(2, "A00003L8");
	exchange(TL_ST + 5, TL_ST + 1, TL_ST + 6, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0e);
	exchange(TL_ST, TL_ST + 5, TL_ST + 6, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0e);
	exchange(TL_ST, TL_ST + 1, TL_ST + 2, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0d);
	exchange(TL_ST, TL_ST, TL_ST + 6, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0d);
	exchange(TL_ST, TL_ST + 1, TL_ST + 1, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0d);
	exchange(TL_ST, TL_ST + 1, TL_MT, 0, &res);
	hc_field(&res, 0x21, 0x01, 8, -1);
	exchange(TL_ST, 0x7777, TL_ST + 6, 0, &res);
	hc_field(&res, 0x21, 0x01, 6, -1);
	exchange(TL_ST, TL_ST + 1, TL_ST + 6, 0x02, &res);	/* INV1 */
	hc_field(&res, 0x24, 0, 10, 1);
	prevent(1, true);
	exchange(TL_ST, TL_ST + 1, TL_IE, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x53, 0x02);
	ck_assert_uint_eq(tl.nr_moves, 0);
	/* a stuck cartridge in the picker: no swap */
	prevent(1, false);
	ck_assert_int_eq(scstu_changer_set(tl.dev, TL_MT, true, "STUCK", 0),
			 0);
	exchange(TL_ST, TL_ST + 1, TL_ST, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0d);
	ck_assert_uint_eq(tl.nr_moves, 0);
}
END_TEST

START_TEST(test_exchange_rollback)
{
	struct scstu_harness_result res;
	struct scstu_element a, b;

	tl_fill_slot(0, "A00001L8");
	hc_good((res = c_do_move(TL_ST, TL_DT), &res));
	tl_fill_slot(1, "A00002L8");
	a = elem(TL_DT);
	b = elem(TL_ST + 1);
	tl.nr_moves = 0;
	tl.nr_changed = 0;
	/* the second move (slot 1 -> drive) fails: the first is undone */
	tl.fail = -EMEDIUMTYPE;
	tl.fail_at = tl.calls + 1;
	exchange(TL_ST + 1, TL_DT, TL_ST + 1, 0, &res);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x30, 0x00);
	ck_assert_uint_eq(tl.nr_moves, 2);
	check_move(0, TL_DT, TL_MT, "A00001L8");
	check_move(1, TL_MT, TL_DT, "A00001L8");
	{
		struct scstu_element a2 = elem(TL_DT), b2 = elem(TL_ST + 1);

		ck_assert(a2.full && b2.full);
		ck_assert_str_eq(a2.voltag, a.voltag);
		ck_assert_int_eq(a2.source_valid, a.source_valid);
		ck_assert_uint_eq(a2.source, a.source);
		ck_assert_str_eq(b2.voltag, b.voltag);
	}
	ck_assert(!elem(TL_MT).full);
}
END_TEST

START_TEST(test_position)
{
	uint8_t cdb[10] = { 0x2b };
	struct scstu_harness_result res;

	c_put16(TL_MT, &cdb[2]);
	c_put16(TL_ST + 3, &cdb[4]);
	c_run(cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_good(&res);
	c_put16(0x888, &cdb[4]);
	c_run(cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x21, 0x01, 4, -1);
	c_put16(TL_ST, &cdb[2]);
	c_run(cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x21, 0x01, 2, -1);
	c_put16(0, &cdb[2]);
	c_put16(TL_DT, &cdb[4]);
	cdb[8] = 0x01;					/* INVERT */
	c_run(cdb, 10, SCSTU_DIR_NONE, NULL, 0, &res);
	hc_field(&res, 0x24, 0, 8, 0);
	ck_assert_uint_eq(tl.nr_moves, 0);
}
END_TEST

START_TEST(test_element_api)
{
	struct scstu_element all[TL_NR_ELEMS + 1], e;
	unsigned int n;

	ck_assert_int_eq(scstu_changer_set(tl.dev, 0x999, true, "X", 0),
			 -ENOENT);
	ck_assert_int_eq(scstu_changer_set(tl.dev, TL_ST, true,
			 "123456789012345678901234567890123", 0), -EINVAL);
	ck_assert_int_eq(scstu_changer_set(tl.dev, TL_ST, true, "X", 0x999),
			 -EINVAL);
	ck_assert_int_eq(scstu_changer_set(tl.dev, TL_DT, true, "R00001L8",
					   TL_ST + 4), 0);
	e = elem(TL_DT);
	ck_assert(e.full && e.source_valid);
	ck_assert_uint_eq(e.source, TL_ST + 4);
	ck_assert_int_eq(e.type, SCSTU_ELEM_DRIVE);
	ck_assert_int_eq(scstu_changer_set(tl.dev, TL_DT, false, NULL, 0), 0);
	e = elem(TL_DT);
	ck_assert(!e.full && !e.source_valid && !e.voltag[0]);
	ck_assert_int_eq(scstu_changer_get(tl.dev, 0x999, &e), -ENOENT);
	/* set raises nothing and does not call ->changed */
	ck_assert_uint_eq(tl.nr_changed, 0);
	n = scstu_changer_list(tl.dev, all, TL_NR_ELEMS + 1);
	ck_assert_uint_eq(n, TL_NR_ELEMS);
	ck_assert_uint_eq(all[0].addr, TL_MT);
	ck_assert_int_eq(all[0].type, SCSTU_ELEM_TRANSPORT);
	ck_assert_uint_eq(all[1].addr, TL_DT);
	ck_assert_uint_eq(all[5].addr, TL_IE);
	ck_assert_int_eq(all[5].type, SCSTU_ELEM_IMPORT_EXPORT);
	ck_assert_uint_eq(all[TL_NR_ELEMS - 1].addr, TL_ST + TL_NR_ST - 1);
	ck_assert_uint_eq(scstu_changer_list(tl.dev, all, 3), 3);
}
END_TEST

static Suite *changer_move_suite(void)
{
	Suite *s = suite_create("changer_move");
	TCase *tc = tcase_create("move");

	tcase_add_checked_fixture(tc, tl_setup, tl_teardown);
	tcase_add_test(tc, test_move_ok);
	tcase_add_test(tc, test_move_bad_addr);
	tcase_add_test(tc, test_move_state_errors);
	tcase_add_test(tc, test_move_handler_errors);
	tcase_add_test(tc, test_prevent_per_nexus);
	tcase_add_test(tc, test_prevent_resets);
	tcase_add_test(tc, test_import_export);
	tcase_add_test(tc, test_exchange);
	tcase_add_test(tc, test_exchange_errors);
	tcase_add_test(tc, test_exchange_rollback);
	tcase_add_test(tc, test_position);
	tcase_add_test(tc, test_element_api);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(changer_move_suite)
