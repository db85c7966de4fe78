// SPDX-License-Identifier: GPL-2.0
/*
 * Cartridge codecs: CRC32C (all three routines), lz4 and zstd (incompressible data stored
 * raw), AES-256-GCM (ciphertext on disk, key checks, tampering).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vtl_cart_test.h"
#include "cart_priv.h"
#include "unit_registry.h"

START_TEST(crc32c_check_value)
{
	ck_assert_uint_eq(cart_crc32c("123456789", 9), 0xE3069283);
	ck_assert_uint_eq(cart_crc32c_more(cart_crc32c("1234", 4), "56789", 5),
			  0xE3069283);
	ck_assert_uint_eq(cart_crc32c("", 0), 0);
}
END_TEST

/* the three routines agree, at every alignment and odd lengths */
START_TEST(crc32c_routines_agree)
{
	static uint8_t buf[4096 + 8];
	size_t lens[] = { 0, 1, 7, 8, 9, 63, 64, 65, 1000, 4096 };
	unsigned int off, l, w;
	uint32_t ref;

	ct_fill_random(buf, sizeof(buf), 7);
	for (w = 0; w < 3; w++)
		ck_assert_uint_eq(cart_crc32c_with(w, "123456789", 9),
				  0xE3069283);
	for (off = 0; off < 8; off++)
		for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
			ref = cart_crc32c(buf + off, lens[l]);
			for (w = 0; w < 3; w++)
				ck_assert_msg(cart_crc32c_with(w, buf + off,
							       lens[l]) == ref,
					      "routine %u, offset %u, length %zu",
					      w, off, lens[l]);
		}
}
END_TEST

static void compress_round_trip(const char *barcode, enum cart_compress comp)
{
	const struct scstu_tape_wopts wc = { .compress = true };
	const struct scstu_tape_wopts wp = { .compress = false };
	const uint32_t len = 256 << 10;
	uint8_t *rnd = malloc(len), *buf = malloc(len);
	struct scstu_tape_obj o;
	struct cart *c;
	int stored;

	ct_create(barcode, NULL, 0, comp);
	c = ct_open(barcode);
	stored = ct_write(c, 0, 0, len, 1, &wc);	/* compressible */
	ck_assert_int_gt(stored, 0);
	ck_assert_int_lt(stored, len / 4);
	ct_fill_random(rnd, len, 2);
	ck_assert_int_eq(CM->write(c, 0, 1, rnd, len, &wc), (int)len);
	ck_assert_int_eq(ct_write(c, 0, 2, len, 3, &wp), (int)len);
	ck_assert_int_eq(ct_write(c, 0, 3, 1, 4, &wc), 1);
	ck_assert_int_eq(CM->read(c, 0, 0, NULL, 0, NULL, &o), 0);
	ck_assert(o.compressed);
	ck_assert_uint_eq(o.stored, stored);
	ck_assert_uint_eq(o.len, len);
	ck_assert_int_eq(CM->read(c, 0, 1, NULL, 0, NULL, &o), 0);
	ck_assert(!o.compressed);
	ck_assert_uint_eq(o.stored, len);
	cart_close(c);
	ck_assert_uint_eq(ct_size(barcode, "p0.dat"),
			  (uint64_t)stored + 2 * len + 1);
	c = ct_open(barcode);
	ct_check(c, 0, 0, len, 1, NULL);
	ck_assert_int_eq(CM->read(c, 0, 1, buf, len, NULL, &o), 0);
	ck_assert(!memcmp(buf, rnd, len));
	ct_check(c, 0, 2, len, 3, NULL);
	ct_check(c, 0, 3, 1, 4, NULL);
	/* a short read of a compressed block */
	memset(buf, 0, len);
	ck_assert_int_eq(CM->read(c, 0, 0, buf, 1000, NULL, &o), 0);
	ck_assert_uint_eq(o.len, len);
	ct_fill(rnd, 1000, 1);
	ck_assert(!memcmp(buf, rnd, 1000));
	ck_assert_uint_eq(buf[1000], 0);
	cart_close(c);
	free(rnd);
	free(buf);
}

START_TEST(compress_lz4)
{
	compress_round_trip("LZ4001L8", CART_COMPRESS_LZ4);
}
END_TEST

START_TEST(compress_zstd)
{
	compress_round_trip("ZST001L8", CART_COMPRESS_ZSTD);
}
END_TEST

/* a compressed block whose stored bytes decode wrongly (CRC made right) */
static void rewrite_crc(const char *barcode, uint64_t obj)
{
	int ifd = open(ct_path(barcode, "p0.idx"), O_RDWR);
	int dfd = open(ct_path(barcode, "p0.dat"), O_RDONLY);
	uint8_t rb[CART_REC_LEN], *data;
	struct cart_rec r;

	ck_assert_int_ge(ifd, 0);
	ck_assert_int_ge(dfd, 0);
	ck_assert_int_eq(pread(ifd, rb, sizeof(rb), 32 + obj * 32), 32);
	ck_assert_ptr_null(cart_rec_decode(rb, obj, &r));
	data = malloc(r.stored);
	ck_assert_int_eq(pread(dfd, data, r.stored, r.off), r.stored);
	r.crc = cart_crc32c(data, r.stored);
	cart_rec_encode(&r, obj, rb);
	ck_assert_int_eq(pwrite(ifd, rb, sizeof(rb), 32 + obj * 32), 32);
	free(data);
	close(ifd);
	close(dfd);
}

START_TEST(compressed_garbage)
{
	const struct scstu_tape_wopts wc = { .compress = true };
	uint8_t buf[4096];
	struct scstu_tape_obj o;
	struct cart *c;
	int stored;

	ct_create("GRB001L8", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("GRB001L8");
	stored = ct_write(c, 0, 0, 4096, 1, &wc);
	ck_assert_int_lt(stored, 4096);
	cart_close(c);
	ct_flip("GRB001L8", "p0.dat", stored / 2, 0xFF);
	rewrite_crc("GRB001L8", 0);
	c = ct_open("GRB001L8");
	ck_assert_int_eq(CM->read(c, 0, 0, buf, sizeof(buf), NULL, &o),
			 -EBADMSG);
	cart_close(c);
}
END_TEST

static const char secret[] = "THE-PLAINTEXT-THAT-MUST-NOT-BE-ON-DISK";

static void fill_secret(uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = secret[i % (sizeof(secret) - 1)];
}

static void make_key(struct scstu_tape_key *k, uint8_t seed, const char *kad)
{
	unsigned int i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < sizeof(k->key); i++)
		k->key[i] = seed + i * 17;
	k->kad_len = strlen(kad);
	memcpy(k->kad, kad, k->kad_len);
}

START_TEST(encryption)
{
	struct scstu_tape_key k1, k2;
	struct scstu_tape_wopts we = { .key = &k1 };
	struct scstu_tape_wopts wce = { .compress = true, .key = &k1 };
	const uint32_t len = 64 << 10;
	uint8_t *data = malloc(len), *buf = malloc(len);
	struct scstu_tape_obj o;
	struct cart *c;
	int stored, cstored;

	make_key(&k1, 1, "backup-set-1");
	make_key(&k2, 2, "backup-set-2");
	fill_secret(data, len);
	ct_create("ENC001L8", NULL, 0, CART_COMPRESS_ZSTD);
	c = ct_open("ENC001L8");
	stored = CM->write(c, 0, 0, data, len, &we);
	ck_assert_int_eq(stored, len + 24 + 12 + 16);
	cstored = CM->write(c, 0, 1, data, len, &wce);
	ck_assert_int_gt(cstored, 0);
	ck_assert_int_lt(cstored, len / 10);
	ck_assert_int_eq(ct_write(c, 0, 2, 100, 9, NULL), 100);
	cart_close(c);
	/* ciphertext on disk: neither the data nor the key */
	ck_assert(!ct_contains("ENC001L8", "p0.dat", secret, 16));
	ck_assert(ct_contains("ENC001L8", "p0.dat", "backup-set-1", 12));
	ck_assert(!ct_contains("ENC001L8", "p0.dat", k1.key, 8));
	ck_assert(!ct_contains("ENC001L8", "p0.idx", k1.key, 8));
	ck_assert(!ct_contains("ENC001L8", "meta", k1.key, 8));
	c = ct_open("ENC001L8");
	ck_assert_int_eq(CM->read(c, 0, 0, NULL, 0, NULL, &o), 0);
	ck_assert(o.encrypted && !o.compressed);
	ck_assert_uint_eq(o.len, len);
	ck_assert_int_eq(CM->read(c, 0, 1, NULL, 0, NULL, &o), 0);
	ck_assert(o.encrypted && o.compressed);
	/* the right key */
	memset(buf, 0, len);
	ck_assert_int_eq(CM->read(c, 0, 0, buf, len, &k1, &o), 0);
	ck_assert(!memcmp(buf, data, len));
	memset(buf, 0, len);
	ck_assert_int_eq(CM->read(c, 0, 1, buf, len, &k1, &o), 0);
	ck_assert(!memcmp(buf, data, len));
	memset(buf, 0, len);
	ck_assert_int_eq(CM->read(c, 0, 0, buf, 10, &k1, &o), 0);
	ck_assert(!memcmp(buf, data, 10));
	ck_assert_uint_eq(buf[10], 0);
	/* no key, wrong key */
	ck_assert_int_eq(CM->read(c, 0, 0, buf, len, NULL, &o), -ENOKEY);
	ck_assert(o.encrypted);
	ck_assert_uint_eq(o.len, len);
	ck_assert_int_eq(CM->read(c, 0, 1, buf, len, NULL, &o), -ENOKEY);
	ck_assert_int_eq(CM->read(c, 0, 0, buf, len, &k2, &o), -EKEYREJECTED);
	ck_assert_int_eq(CM->read(c, 0, 1, buf, len, &k2, &o), -EKEYREJECTED);
	/* just looking (next block encryption status): a wrong key is told */
	ck_assert_int_eq(CM->read(c, 0, 0, NULL, 0, &k2, &o), -EKEYREJECTED);
	ck_assert(o.encrypted);
	ck_assert_int_eq(CM->read(c, 0, 1, NULL, 0, &k1, &o), 0);
	ck_assert(o.encrypted && o.compressed);
	ck_assert_int_eq(CM->read(c, 0, 2, NULL, 0, &k2, &o), 0);
	ck_assert(!o.encrypted);
	/* the same key bytes with another KAD still decrypt */
	make_key(&k2, 1, "other");
	ck_assert_int_eq(CM->read(c, 0, 0, buf, len, &k2, &o), 0);
	/* plaintext blocks read with or without a key */
	ct_check(c, 0, 2, 100, 9, &k1);
	ct_check(c, 0, 2, 100, 9, NULL);
	cart_close(c);
	free(data);
	free(buf);
}
END_TEST

START_TEST(encryption_tamper)
{
	struct scstu_tape_key k;
	struct scstu_tape_wopts we = { .key = &k };
	uint8_t buf[1000];
	struct scstu_tape_obj o;
	struct cart *c;
	unsigned int i;
	/* bytes of block 0 to damage: IV, KAD, ciphertext, tag, version */
	static const unsigned int where[] = {
		0, 2, 4, 15, 16, 24, 26, 40, 500, 1030, 1042,
	};

	make_key(&k, 7, "kad");
	ct_create("TMP001L8", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("TMP001L8");
	ck_assert_int_eq(ct_write(c, 0, 0, 1000, 1, &we), 1043);
	ck_assert_int_eq(ct_write(c, 0, 1, 1000, 2, &we), 1043);
	cart_close(c);
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		/* a bit flip: the CRC catches it */
		ct_flip("TMP001L8", "p0.dat", where[i], 0x10);
		c = ct_open("TMP001L8");
		ck_assert_int_eq(CM->read(c, 0, 0, buf, sizeof(buf), &k, &o),
				 -EBADMSG);
		ct_check(c, 0, 1, 1000, 2, &k);
		cart_close(c);
		/* tampering with the CRC made right: GCM catches it */
		rewrite_crc("TMP001L8", 0);
		c = ct_open("TMP001L8");
		ck_assert_int_lt(CM->read(c, 0, 0, buf, sizeof(buf), &k, &o),
				 0);
		if (where[i] < 4 || where[i] >= 24)
			ck_assert_int_eq(CM->read(c, 0, 0, buf, sizeof(buf),
						  &k, &o), -EBADMSG);
		cart_close(c);
		ct_flip("TMP001L8", "p0.dat", where[i], 0x10);
		rewrite_crc("TMP001L8", 0);
		c = ct_open("TMP001L8");
		ct_check(c, 0, 0, 1000, 1, &k);
		cart_close(c);
	}
}
END_TEST

START_TEST(encrypted_block_moved)
{
	struct scstu_tape_key k;
	struct scstu_tape_wopts we = { .key = &k };
	uint8_t buf[1000], b0[1043], b1[1043];
	struct scstu_tape_obj o;
	struct cart *c;
	int fd;

	/* swapping two blocks' bytes on disk: the AAD binds the position */
	make_key(&k, 7, "kad");
	ct_create("MOV001L8", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("MOV001L8");
	ck_assert_int_eq(ct_write(c, 0, 0, 1000, 1, &we), 1043);
	ck_assert_int_eq(ct_write(c, 0, 1, 1000, 2, &we), 1043);
	cart_close(c);
	fd = open(ct_path("MOV001L8", "p0.dat"), O_RDWR);
	ck_assert_int_eq(pread(fd, b0, 1043, 0), 1043);
	ck_assert_int_eq(pread(fd, b1, 1043, 1043), 1043);
	ck_assert_int_eq(pwrite(fd, b1, 1043, 0), 1043);
	ck_assert_int_eq(pwrite(fd, b0, 1043, 1043), 1043);
	close(fd);
	rewrite_crc("MOV001L8", 0);
	rewrite_crc("MOV001L8", 1);
	c = ct_open("MOV001L8");
	ck_assert_int_eq(CM->read(c, 0, 0, buf, sizeof(buf), &k, &o),
			 -EBADMSG);
	ck_assert_int_eq(CM->read(c, 0, 1, buf, sizeof(buf), &k, &o),
			 -EBADMSG);
	cart_close(c);
}
END_TEST

START_TEST(encrypted_kad_limit)
{
	struct scstu_tape_key k;
	struct scstu_tape_wopts we = { .key = &k };
	struct cart *c;

	make_key(&k, 3, "");
	ct_create("KAD001L8", NULL, 0, CART_COMPRESS_LZ4);
	c = ct_open("KAD001L8");
	k.kad_len = 64;
	memset(k.kad, 'K', 64);
	ck_assert_int_eq(ct_write(c, 0, 0, 10, 1, &we), 10 + 24 + 64 + 16);
	k.kad_len = 65;
	ck_assert_int_eq(ct_write(c, 0, 1, 10, 1, &we), -EINVAL);
	ck_assert_uint_eq(CM->eod(c, 0), 1);
	k.kad_len = 64;
	ct_check(c, 0, 0, 10, 1, &k);
	cart_close(c);
}
END_TEST

static Suite *vtl_cart_codec_suite(void)
{
	Suite *s = suite_create("vtl_cart_codec");
	TCase *tc = tcase_create("codec");

	tcase_add_checked_fixture(tc, ct_setup, ct_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, crc32c_check_value);
	tcase_add_test(tc, crc32c_routines_agree);
	tcase_add_test(tc, compress_lz4);
	tcase_add_test(tc, compress_zstd);
	tcase_add_test(tc, compressed_garbage);
	tcase_add_test(tc, encryption);
	tcase_add_test(tc, encryption_tamper);
	tcase_add_test(tc, encrypted_block_moved);
	tcase_add_test(tc, encrypted_kad_limit);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(vtl_cart_codec_suite)
