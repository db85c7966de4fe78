// SPDX-License-Identifier: LGPL-2.1-or-later
/* Tape services: SECURITY PROTOCOL IN/OUT, data encryption (ssc_crypto.c) */
#include <string.h>
#include "tape_svc_rig.h"
#include "unit_registry.h"

static uint8_t buf[1024];
static struct scstu_harness_result res;

static void spin(uint64_t sess, uint8_t proto, uint16_t sps, uint8_t b4,
		 uint32_t alloc)
{
	uint8_t cdb[12] = { 0xa2, proto, (uint8_t)(sps >> 8), (uint8_t)sps,
			    b4, 0, (uint8_t)(alloc >> 24),
			    (uint8_t)(alloc >> 16), (uint8_t)(alloc >> 8),
			    (uint8_t)alloc, 0, 0 };

	memset(buf, 0xee, sizeof(buf));
	r_run(sess, cdb, 12, SCSTU_DIR_READ, buf, alloc, &res);
}

static void spout_cdb(uint64_t sess, uint8_t proto, uint16_t sps,
		      uint8_t b4, const uint8_t *page, uint32_t len)
{
	uint8_t cdb[12] = { 0xb5, proto, (uint8_t)(sps >> 8), (uint8_t)sps,
			    b4, 0, (uint8_t)(len >> 24), (uint8_t)(len >> 16),
			    (uint8_t)(len >> 8), (uint8_t)len, 0, 0 };
	static uint8_t out[256];

	memcpy(out, page, len);
	r_run(sess, cdb, 12, SCSTU_DIR_WRITE, out, len, &res);
}

/* A set data encryption page; returns its length. */
static uint32_t sde(uint8_t *p, uint8_t scope_lock, uint8_t flags,
		    uint8_t em, uint8_t dm, uint8_t key0)
{
	memset(p, 0, 52);
	p[1] = 0x10;
	p[3] = 48;
	p[4] = scope_lock;
	p[5] = flags;
	p[6] = em;
	p[7] = dm;
	p[8] = 1;
	p[19] = 32;
	memset(&p[20], key0, 32);
	return 52;
}

static void spout(uint64_t sess, const uint8_t *p, uint32_t len)
{
	spout_cdb(sess, 0x20, 0x0010, 0, p, len);
}

static uint8_t wkey0(uint64_t sess)
{
	const struct scstu_tape_key *k = ssc_crypto_wkey(&rig.d, sess);

	return k ? k->key[0] : 0;
}

static uint8_t rkey0(uint64_t sess)
{
	const struct scstu_tape_key *k = ssc_crypto_rkey(&rig.d, sess);

	return k ? k->key[0] : 0;
}

START_TEST(info_pages)
{
	static const uint8_t protos[] = { 0, 0, 0, 0, 0, 0, 0, 2, 0x00, 0x20 };
	static const uint8_t cert[] = { 0, 0, 0, 0 };
	static const uint8_t in_sup[] = {
		0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x10,
		0x00, 0x11, 0x00, 0x20, 0x00, 0x21,
	};
	static const uint8_t out_sup[] = { 0x00, 0x01, 0x00, 0x02, 0x00, 0x10 };
	static const uint8_t caps[] = {
		0x00, 0x10, 0x00, 0x28, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0,
		0x01, 0x00, 0x00, 0x14, 0x9a, 0x08, 0x00, 0x20, 0x00, 0x20,
		0x00, 0x20, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x14,
	};
	static const uint8_t formats[] = { 0x00, 0x11, 0x00, 0x01, 0x00 };

	spin(1, 0x00, 0x0000, 0, 256);
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, sizeof(protos));
	ck_assert_mem_eq(buf, protos, sizeof(protos));
	spin(1, 0x00, 0x0001, 0, 256);
	ck_assert_uint_eq(res.xfer, sizeof(cert));
	ck_assert_mem_eq(buf, cert, sizeof(cert));
	spin(1, 0x20, 0x0000, 0, 256);
	ck_assert_uint_eq(res.xfer, sizeof(in_sup));
	ck_assert_mem_eq(buf, in_sup, sizeof(in_sup));
	spin(1, 0x20, 0x0001, 0, 256);
	ck_assert_uint_eq(res.xfer, sizeof(out_sup));
	ck_assert_mem_eq(buf, out_sup, sizeof(out_sup));
	rig_load();
	spin(1, 0x20, 0x0010, 0, 256);
	ck_assert_uint_eq(res.xfer, sizeof(caps));
	ck_assert_mem_eq(buf, caps, sizeof(caps));
	spin(1, 0x20, 0x0011, 0, 256);
	ck_assert_uint_eq(res.xfer, sizeof(formats));
	ck_assert_mem_eq(buf, formats, sizeof(formats));
	spin(1, 0x20, 0x0010, 0, 8);		/* allocation length */
	ck_assert_uint_eq(res.xfer, 8);
	/* CDB errors */
	spin(1, 0x21, 0x0000, 0, 256);
	hc_field(&res, 0x24, 0, 1, -1);
	spin(1, 0x00, 0x0002, 0, 256);
	hc_field(&res, 0x24, 0, 2, -1);
	spin(1, 0x20, 0x0012, 0, 256);
	hc_field(&res, 0x24, 0, 2, -1);
	spin(1, 0x20, 0x0000, 0x80, 256);	/* INC_512 */
	hc_field(&res, 0x24, 0, 4, 7);
	spin(1, 0x20, 0x0000, 0x01, 256);	/* reserved: usage map */
	hc_field(&res, 0x24, 0, 4, 0);
}
END_TEST

START_TEST(scopes)
{
	static const uint8_t st2[] = {
		0x00, 0x20, 0x00, 0x14, 0x02, 0x02, 0x03, 0x01,
		0x00, 0x00, 0x00, 0x01, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0,
	};
	uint8_t p[64];

	ck_assert_ptr_null(ssc_crypto_wkey(&rig.d, 1));
	spin(1, 0x20, 0x0020, 0, 256);		/* defaults */
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 24);
	ck_assert_uint_eq(buf[4], 0);
	ck_assert_uint_eq(buf[5], 0);
	/* session 1: ALL I_T NEXUS, encrypt + mixed with key 0x11 */
	spout(1, p, sde(p, 0x40, 0x40, 2, 3, 0x11));
	hc_good(&res);
	ck_assert_uint_eq(wkey0(1), 0x11);
	ck_assert_uint_eq(wkey0(2), 0x11);
	ck_assert_uint_eq(rkey0(2), 0x11);
	spin(2, 0x20, 0x0020, 0, 256);		/* nexus 2: public */
	hc_good(&res);
	memcpy(p, st2, sizeof(st2));
	p[4] = 0x02;
	ck_assert_mem_eq(buf, p, sizeof(st2));
	spin(1, 0x20, 0x0020, 0, 256);		/* nexus 1: scope ALL */
	ck_assert_uint_eq(buf[4], 0x42);
	/* session 2: LOCAL, encrypt only with key 0x22 */
	spout(2, p, sde(p, 0x20, 0x00, 2, 0, 0x22));
	hc_good(&res);
	ck_assert_uint_eq(wkey0(2), 0x22);
	ck_assert_ptr_null(ssc_crypto_rkey(&rig.d, 2));
	ck_assert_uint_eq(wkey0(1), 0x11);
	ck_assert_uint_eq(wkey0(3), 0x11);
	spin(2, 0x20, 0x0020, 0, 256);
	ck_assert_uint_eq(buf[4], 0x21);
	ck_assert_uint_eq(r_be32(&buf[8]), 2);	/* key instance counter */
	/* session 2 back to PUBLIC: the shared key again */
	spout(2, p, sde(p, 0x00, 0x00, 0, 0, 0));
	hc_good(&res);
	ck_assert_uint_eq(wkey0(2), 0x11);
	/* disabling the shared parameters */
	spout(1, p, sde(p, 0x40, 0x00, 0, 0, 0));
	hc_good(&res);
	ck_assert_ptr_null(ssc_crypto_wkey(&rig.d, 1));
	ck_assert_ptr_null(ssc_crypto_rkey(&rig.d, 2));
	(void)st2;
}
END_TEST

START_TEST(lock_and_ckod)
{
	uint8_t p[64];

	spout(1, p, sde(p, 0x40, 0x04, 2, 2, 0x11));	/* CKOD: no volume */
	hc_field(&res, 0x26, 0, 5, 2);
	rig_load();
	spout(1, p, sde(p, 0x40, 0x00, 2, 2, 0x11));
	hc_good(&res);
	spout(3, p, sde(p, 0x01, 0x00, 0, 0, 0));	/* PUBLIC + LOCK */
	hc_good(&res);
	spout(1, p, sde(p, 0x40, 0x04, 2, 2, 0x33));	/* new shared, CKOD */
	hc_good(&res);
	ck_assert_uint_eq(wkey0(3), 0x11);		/* held by its lock */
	ck_assert_uint_eq(wkey0(4), 0x33);
	rig_unload();					/* CKOD clears */
	ck_assert_ptr_null(ssc_crypto_wkey(&rig.d, 4));
	ck_assert_uint_eq(wkey0(3), 0x11);		/* no CKOD on it */
	ssc_crypto_unloading(&rig.d);
	ck_assert_uint_eq(wkey0(3), 0x11);
}
END_TEST

START_TEST(kad)
{
	uint8_t p[128];
	uint32_t n = sde(p, 0x40, 0x00, 2, 2, 0x11);

	/* U-KAD "key-1" and A-KAD of 3 bytes */
	memcpy(&p[n], "\x00\x00\x00\x05key-1\x01\x00\x00\x03\xa1\xa2\xa3", 16);
	n += 16;
	p[3] = (uint8_t)(n - 4);
	p[10] = 0x02;				/* KAD format: ASCII name */
	spout(1, p, n);
	hc_good(&res);
	ck_assert_uint_eq(ssc_crypto_wkey(&rig.d, 1)->kad_len, 3);
	ck_assert_mem_eq(ssc_crypto_wkey(&rig.d, 1)->kad, "\xa1\xa2\xa3", 3);
	spin(1, 0x20, 0x0020, 0, 256);
	hc_good(&res);
	ck_assert_uint_eq(r_be16(&buf[2]), 20 + 9 + 7);
	ck_assert_uint_eq(buf[13], 0x02);
	ck_assert_mem_eq(&buf[24], "\x00\x01\x00\x05key-1", 9);
	ck_assert_mem_eq(&buf[33], "\x01\x02\x00\x03\xa1\xa2\xa3", 7);
	/* only U-KAD: it is what the medium stores */
	n = sde(p, 0x40, 0x00, 2, 2, 0x11);
	memcpy(&p[n], "\x00\x00\x00\x02k2", 6);
	p[3] = (uint8_t)(n + 6 - 4);
	spout(1, p, n + 6);
	hc_good(&res);
	ck_assert_mem_eq(ssc_crypto_wkey(&rig.d, 1)->kad, "k2", 2);
}
END_TEST

START_TEST(sde_errors)
{
	uint8_t p[128];
	uint32_t n = sde(p, 0x40, 0x00, 2, 2, 0x11);
	struct {
		unsigned int byte;
		uint8_t val;
		unsigned int fbyte;
		int fbit;
	} bad[] = {
		{ 1, 0x11, 0, -1 },		/* page code */
		{ 4, 0x60, 4, 7 },		/* scope 3 */
		{ 4, 0x42, 4, 1 },		/* reserved */
		{ 5, 0x80, 5, 7 },		/* CEEM 10b */
		{ 5, 0x20, 5, 5 },		/* RDMC 10b (raw reads) */
		{ 5, 0x10, 5, 5 },		/* RDMC 01b */
		{ 5, 0x08, 5, 3 },		/* SDK */
		{ 5, 0x02, 5, 1 },		/* CKORP */
		{ 5, 0x01, 5, 0 },		/* CKORL */
		{ 6, 0x01, 6, -1 },		/* EXTERNAL */
		{ 6, 0x03, 6, -1 },
		{ 7, 0x01, 7, -1 },		/* RAW */
		{ 7, 0x04, 7, -1 },
		{ 8, 0x02, 8, -1 },		/* algorithm index */
		{ 9, 0x01, 9, -1 },		/* key format */
		{ 10, 0x03, 10, -1 },		/* KAD format */
		{ 12, 0x10, 12, 4 },		/* reserved */
		{ 19, 0x10, 18, -1 },		/* key length 16 */
		{ 3, 0x0f, 2, -1 },		/* page cuts the fixed part */
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t q[128];

		memcpy(q, p, n);
		q[bad[i].byte] = bad[i].val;
		spout(1, q, n);
		ck_assert_msg(res.status == SCSTU_CHECK_CONDITION,
			      "case %u", i);
		hc_field(&res, 0x26, 0, bad[i].fbyte, bad[i].fbit);
		ck_assert_ptr_null(ssc_crypto_wkey(&rig.d, 1));
	}
	/* key length past the page */
	p[19] = 0x40;
	spout(1, p, n);
	hc_field(&res, 0x26, 0, 18, -1);
	p[19] = 0x20;
	/* page longer than the transfer */
	p[3] = 60;
	spout(1, p, n);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
	spout(1, p, 3);
	hc_sense(&res, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
	/* KAD descriptors */
	memcpy(&p[n], "\x02\x00\x00\x02nn", 6);		/* nonce */
	p[3] = (uint8_t)(n + 6 - 4);
	spout(1, p, n + 6);
	hc_field(&res, 0x26, 0, n, -1);
	memcpy(&p[n], "\x00\x01\x00\x02nn", 6);		/* AUTHENTICATED */
	spout(1, p, n + 6);
	hc_field(&res, 0x26, 0, n + 1, 0);
	memcpy(&p[n], "\x00\x00\x00\x21", 4);		/* 33 bytes */
	memset(&p[n + 4], 'k', 33);
	p[3] = (uint8_t)(n + 37 - 4);
	spout(1, p, n + 37);
	hc_field(&res, 0x26, 0, n + 2, -1);
	memcpy(&p[n], "\x00\x00\x00\x08kk", 6);		/* cut by page */
	p[3] = (uint8_t)(n + 6 - 4);
	spout(1, p, n + 6);
	hc_field(&res, 0x26, 0, n + 2, -1);
	memcpy(&p[n], "\x00\x00\x00\x01k\x00\x00\x00\x01k", 10);
	p[3] = (uint8_t)(n + 10 - 4);
	spout(1, p, n + 10);				/* two U-KADs */
	hc_field(&res, 0x26, 0, n + 5, -1);
	memcpy(&p[n], "\x00\x00", 2);			/* cut header */
	p[3] = (uint8_t)(n + 2 - 4);
	spout(1, p, n + 2);
	hc_field(&res, 0x26, 0, n, -1);
	ck_assert_ptr_null(ssc_crypto_wkey(&rig.d, 1));
	/* CDB */
	p[3] = 48;
	spout_cdb(1, 0x00, 0x0010, 0, p, n);
	hc_field(&res, 0x24, 0, 1, -1);
	spout_cdb(1, 0x20, 0x0011, 0, p, n);
	hc_field(&res, 0x24, 0, 2, -1);
	spout_cdb(1, 0x20, 0x0010, 0x80, p, n);
	hc_field(&res, 0x24, 0, 4, 7);
	/* a key is not needed to disable: its length is not checked */
	n = sde(p, 0x40, 0x00, 0, 0, 0);
	p[19] = 0;
	p[3] = 16;
	spout(1, p, 20);
	hc_good(&res);
}
END_TEST

START_TEST(next_block)
{
	uint8_t p[64];

	spin(1, 0x20, 0x0021, 0, 256);		/* no medium */
	hc_good(&res);
	ck_assert_uint_eq(res.xfer, 16);
	ck_assert_uint_eq(r_be16(&buf[2]), 12);
	ck_assert_uint_eq(buf[12], 0x00);
	rig_load();
	rig.m.eod[0] = 4;
	rig.m.objs[0][0] = (struct robj){ SCSTU_TAPE_BLOCK, true, false, 0x11 };
	rig.m.objs[0][1] = (struct robj){ SCSTU_TAPE_FILEMARK, false, false,
					  0 };
	rig.m.objs[0][2] = (struct robj){ SCSTU_TAPE_BLOCK, false, true, 0 };
	rig.m.objs[0][3] = (struct robj){ SCSTU_TAPE_BLOCK, true, true, 0x22 };
	spin(1, 0x20, 0x0021, 0, 256);		/* encrypted, no key */
	ck_assert_uint_eq(buf[12], 0x16);
	ck_assert_uint_eq(buf[13], 0x01);
	ck_assert_uint_eq(buf[14], 0x01);
	spout(1, p, sde(p, 0x40, 0x00, 2, 3, 0x11));
	spin(1, 0x20, 0x0021, 0, 256);		/* key fits */
	ck_assert_uint_eq(buf[12], 0x35);
	rig.d.obj = 1;
	spin(1, 0x20, 0x0021, 0, 256);		/* filemark */
	ck_assert_uint_eq(r_be64(&buf[4]), 1);
	ck_assert_uint_eq(buf[12], 0x22);
	ck_assert_uint_eq(buf[13], 0x00);
	rig.d.obj = 2;
	spin(1, 0x20, 0x0021, 0, 256);		/* compressed plaintext */
	ck_assert_uint_eq(buf[12], 0x43);
	rig.d.obj = 3;
	spin(1, 0x20, 0x0021, 0, 256);		/* another key */
	ck_assert_uint_eq(buf[12], 0x16);
	rig.d.obj = 4;
	spin(1, 0x20, 0x0021, 0, 256);		/* EOD */
	ck_assert_uint_eq(buf[12], 0x22);
	rig.d.obj = 20;
	rig.m.eod[0] = 30;
	spin(1, 0x20, 0x0021, 0, 256);		/* damaged */
	ck_assert_uint_eq(buf[12], 0x11);
}
END_TEST

static Suite *tape_svc_crypto_suite(void)
{
	Suite *s = suite_create("tape_svc_crypto");
	TCase *tc = tcase_create("crypto");

	tcase_add_checked_fixture(tc, rig_setup, rig_teardown);
	tcase_add_test(tc, info_pages);
	tcase_add_test(tc, scopes);
	tcase_add_test(tc, lock_and_ckod);
	tcase_add_test(tc, kad);
	tcase_add_test(tc, sde_errors);
	tcase_add_test(tc, next_block);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(tape_svc_crypto_suite)
