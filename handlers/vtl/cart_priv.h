/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstu-vtl cartridges, private: the in-memory state of an open
 * cartridge and the on-disk encodings shared by the cart*.c files.
 * docs/vtl-cartridge.md describes the format byte by byte.
 *
 *   cart_meta.c   media type table, barcode rules, header slots (meta),
 *                 cart_type_parse, cart_stat
 *   cart.c        cart_create, cart_open (+ recovery), cart_close,
 *                 commit (sync), truncation, format
 *   cart_io.c     the medium ops: read, write, filemarks, positions
 *   cart_mam.c    the MAM blob
 *   cart_crc.c    CRC32C (the fastest routine on this CPU)
 *   cart_codec.c  lz4/zstd, AES-256-GCM
 */
#ifndef SCSTU_VTL_CART_PRIV_H
#define SCSTU_VTL_CART_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "cart.h"

#define CART_VERSION		1
#define CART_MAX_PARTS		4
#define CART_MAX_BLOCK		(16u << 20)	/* logical block, bytes */

/* meta: two header slots (ping-pong), CART_SLOT_LEN bytes used of each */
#define CART_META_MAGIC		"SCVTLCRT"
#define CART_SLOT_LEN		512
#define CART_SLOT_STRIDE	4096
#define CART_META_SIZE		(2 * CART_SLOT_STRIDE)

/* pN.idx: a 32-byte file header, then one 32-byte record per object */
#define CART_IDX_MAGIC		"SCVTLIDX"
#define CART_REC_LEN		32
#define CART_IDX_HDR		CART_REC_LEN
#define CART_FLUSH_RECS		256	/* batched index appends */

/* record types and flags */
#define CART_REC_BLOCK		0
#define CART_REC_FILEMARK	1
#define CART_F_COMP_MASK	0x03	/* 0 none, 1 lz4, 2 zstd */
#define CART_F_COMP_LZ4		0x01
#define CART_F_COMP_ZSTD	0x02
#define CART_F_ENCRYPTED	0x04
#define CART_F_KNOWN		0x07

/* encrypted block: prefix, ciphertext, GCM tag */
#define CART_EB_VERSION		1
#define CART_EB_FIXED		24	/* version, kad_len, rsvd, IV, KCV */
#define CART_IV_LEN		12
#define CART_KCV_LEN		8
#define CART_TAG_LEN		16
#define CART_KAD_MAX		64
#define CART_EB_MAX_OVERHEAD	(CART_EB_FIXED + CART_KAD_MAX + CART_TAG_LEN)

/* mam: a 16-byte header (magic, length, CRC32C), then the blob */
#define CART_MAM_MAGIC		"SCVTLMAM"
#define CART_MAM_HDR		16
#define CART_MAM_MAX		(1u << 20)

/* One object of a partition (the index record, decoded). */
struct cart_rec {
	uint64_t off;			/* in pN.dat */
	uint32_t stored;		/* bytes in pN.dat */
	uint32_t len;			/* logical bytes */
	uint32_t crc;			/* CRC32C of the stored bytes */
	uint8_t type;
	uint8_t flags;
	uint32_t epoch;
};

/* A partition's part of a header slot. */
struct cart_pslot {
	uint64_t size;			/* bytes */
	uint64_t committed;		/* durable objects */
	uint64_t data_end;		/* bytes of pN.dat they use */
	uint32_t epoch;
};

/* A decoded header slot. */
struct cart_hdr {
	uint64_t gen;
	uint8_t generation;
	bool type_m, worm, cleaning;
	uint8_t compress;		/* enum cart_compress */
	uint8_t nr_parts;
	uint64_t capacity;
	char barcode[33];
	char serial[33];
	uint64_t created;
	struct cart_pslot p[CART_MAX_PARTS];
};

struct cart_part {
	int dfd, ifd;			/* pN.dat, pN.idx; -1: not open */
	struct cart_rec *rec;
	uint64_t nr, alloc;		/* objects (EOD = nr) */
	uint64_t *fm;			/* object numbers of the filemarks */
	uint64_t nfm, fmalloc;
	uint64_t data_end;
	uint64_t flushed;		/* records [0, flushed) are in pN.idx */
	bool ddirty, idirty;		/* written since the last fdatasync */
};

struct cart {
	char *path;			/* the cartridge's directory */
	int dirfd, mfd;			/* directory, meta (flock'd) */
	struct cart_hdr h;		/* last committed header */
	bool hdirty;			/* the header differs from h */
	uint32_t epoch[CART_MAX_PARTS];	/* current epochs */
	struct cart_part p[CART_MAX_PARTS];
	/* scratch buffers and codec contexts (cart_codec.c) */
	uint8_t *sbuf, *pbuf, *ubuf;
	size_t sbuf_len, pbuf_len, ubuf_len;
	void *zc, *zd;			/* ZSTD_CCtx, ZSTD_DCtx */
};

/* little-endian helpers */
static inline void cart_put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void cart_put32(uint8_t *p, uint32_t v)
{
	cart_put16(p, v);
	cart_put16(p + 2, v >> 16);
}

static inline void cart_put64(uint8_t *p, uint64_t v)
{
	cart_put32(p, v);
	cart_put32(p + 4, v >> 32);
}

static inline uint16_t cart_get16(const uint8_t *p)
{
	return p[0] | (uint16_t)p[1] << 8;
}

static inline uint32_t cart_get32(const uint8_t *p)
{
	return cart_get16(p) | (uint32_t)cart_get16(p + 2) << 16;
}

static inline uint64_t cart_get64(const uint8_t *p)
{
	return cart_get32(p) | (uint64_t)cart_get32(p + 4) << 32;
}

/* cart_meta.c */
bool cart_barcode_ok(const char *barcode);
void cart_slot_encode(const struct cart_hdr *h, uint8_t *buf);
/* 0, or a static string saying what is wrong */
const char *cart_slot_decode(const uint8_t *buf, struct cart_hdr *h);
/*
 * Read meta (fd) and pick the newest valid slot: 0 or -errno + *msg.
 * *damaged (may be NULL): the other slot is not valid.
 */
int cart_meta_load(int fd, const char *path, struct cart_hdr *h,
		   char **msg, bool *damaged);
/* Write h to slot h->gen % 2 and fdatasync. */
int cart_meta_store(int fd, const struct cart_hdr *h);
void cart_hdr_media(const struct cart_hdr *h, struct scstu_tape_media *m);

/* cart.c */
int cart_commit(struct cart *c);
int cart_truncate(struct cart *c, unsigned int part, uint64_t obj);
/* after a commit: cut partition i's files that extend beyond its EOD */
void cart_trim_files(struct cart *c, unsigned int i);
int cart_rec_push(struct cart *c, unsigned int part,
		  const struct cart_rec *r);
int cart_flush_index(struct cart *c, unsigned int part);
int cart_format(void *m, unsigned int nr, const uint64_t *sizes);
void cart_idx_header(unsigned int part, uint8_t *buf);
/* cart_recover.c */
int cart_open_part(struct cart *c, unsigned int part, bool create);
int cart_load_parts(struct cart *c, char **msg);
void cart_rec_encode(const struct cart_rec *r, uint64_t obj, uint8_t *buf);
/* 0 or a static string saying what is wrong */
const char *cart_rec_decode(const uint8_t *buf, uint64_t obj,
			    struct cart_rec *r);
char *cart_strdup_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* cart_mam.c */
int cart_mam_read(void *m, void *buf, size_t max);
int cart_mam_write(void *m, const void *buf, size_t len);

/* cart_crc.c */
uint32_t cart_crc32c(const void *buf, size_t len);
uint32_t cart_crc32c_more(uint32_t crc, const void *buf, size_t len);
/* 0 ISA-L instructions, 1 ISA-L table, 2 slice-by-8 (unit tests) */
uint32_t cart_crc32c_with(int which, const void *buf, size_t len);

/* cart_codec.c */
int cart_scratch(uint8_t **buf, size_t *cur, size_t need);
/* compress len bytes of src into c->pbuf: size, or 0 if not smaller */
size_t cart_compress(struct cart *c, const void *src, uint32_t len);
/* decompress exactly len bytes: 0 or -EBADMSG */
int cart_decompress(struct cart *c, uint8_t alg, const void *src,
		    size_t slen, void *dst, uint32_t len);
void cart_key_check(const struct scstu_tape_key *key, uint8_t *kcv);
/*
 * Encrypt payload into out (prefix + ciphertext + tag, out must hold
 * plen + CART_EB_MAX_OVERHEAD): the stored length or -errno. The AAD
 * binds the position, logical length and flags.
 */
int cart_encrypt(const struct scstu_tape_key *key, unsigned int part,
		 uint64_t obj, uint32_t len, uint8_t flags,
		 const void *payload, size_t plen, uint8_t *out);
/* Decrypt stored bytes into out (>= stored): payload length or -errno. */
int cart_decrypt(const struct scstu_tape_key *key, unsigned int part,
		 uint64_t obj, uint32_t len, uint8_t flags,
		 const uint8_t *in, size_t stored, uint8_t *out);

#endif /* SCSTU_VTL_CART_PRIV_H */
