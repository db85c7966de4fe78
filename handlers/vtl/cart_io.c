// SPDX-License-Identifier: GPL-2.0
/*
 * The medium operations of a cartridge (struct scstu_tape_medium_ops):
 * objects are read and written through the in-memory index; a data
 * block is one pwrite to pN.dat (after compression, then encryption),
 * its record goes to pN.idx in batches, and nothing is fsync'd until
 * ->sync (cart_commit).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include "cart_priv.h"

static struct cart_part *cart_part_of(struct cart *c, unsigned int part)
{
	return part < c->h.nr_parts ? &c->p[part] : NULL;
}

/* number of filemarks in objects [0, obj) */
static uint64_t cart_fm_before(const struct cart_part *p, uint64_t obj)
{
	uint64_t lo = 0, hi = p->nfm;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (p->fm[mid] < obj)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static ssize_t cart_pread_all(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (uint8_t *)buf + done, len - done,
				  off + done);

		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

static int cart_pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const uint8_t *)buf + done,
				   len - done, off + done);

		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += n;
	}
	return 0;
}

/* stored bytes of a block into buf, CRC checked */
static int cart_read_stored(struct cart_part *p, const struct cart_rec *r,
			    void *buf)
{
	ssize_t n = cart_pread_all(p->dfd, buf, r->stored, (off_t)r->off);

	if (n < 0)
		return -EIO;
	if ((size_t)n != r->stored || cart_crc32c(buf, r->stored) != r->crc)
		return -EBADMSG;
	return 0;
}

/*
 * Just looking at an encrypted block with a key (the drive's next block
 * encryption status): does the block's key check value match the key?
 * -EKEYREJECTED if not, so that the drive reports "encrypted, no key for
 * it" (6h) rather than "able to decrypt" for a key that cannot.
 */
static int cart_probe_key(struct cart_part *p, const struct cart_rec *r,
			  const struct scstu_tape_key *key)
{
	uint8_t hdr[CART_EB_FIXED], kcv[CART_KCV_LEN];
	ssize_t n;

	if (r->stored < CART_EB_FIXED)
		return -EBADMSG;
	n = cart_pread_all(p->dfd, hdr, sizeof(hdr), (off_t)r->off);
	if (n < 0)
		return -EIO;
	if ((size_t)n != sizeof(hdr))
		return -EBADMSG;
	cart_key_check(key, kcv);
	if (CRYPTO_memcmp(kcv, hdr + 4 + CART_IV_LEN, CART_KCV_LEN))
		return -EKEYREJECTED;
	return 0;
}

static int cart_read(void *m, unsigned int part, uint64_t obj, void *buf,
		     uint32_t max, const struct scstu_tape_key *key,
		     struct scstu_tape_obj *o)
{
	struct cart *c = m;
	struct cart_part *p = cart_part_of(c, part);
	const struct cart_rec *r;
	const uint8_t *payload;
	uint8_t alg;
	int plen, e;

	memset(o, 0, sizeof(*o));
	if (!p || obj > p->nr)
		return -EINVAL;
	if (obj == p->nr) {
		o->type = SCSTU_TAPE_EOD;
		return 0;
	}
	r = &p->rec[obj];
	if (r->type == CART_REC_FILEMARK) {
		o->type = SCSTU_TAPE_FILEMARK;
		return 0;
	}
	alg = r->flags & CART_F_COMP_MASK;
	o->type = SCSTU_TAPE_BLOCK;
	o->len = r->len;
	o->stored = r->stored;
	o->compressed = alg != 0;
	o->encrypted = r->flags & CART_F_ENCRYPTED;
	if (!buf || !max)
		return o->encrypted && key ? cart_probe_key(p, r, key) : 0;
	if (!r->flags && max >= r->len)	/* plain: straight into buf */
		return cart_read_stored(p, r, buf);
	if (o->encrypted && !key)
		return -ENOKEY;
	if (cart_scratch(&c->sbuf, &c->sbuf_len, r->stored))
		return -ENOMEM;
	e = cart_read_stored(p, r, c->sbuf);
	if (e)
		return e;
	payload = c->sbuf;
	plen = r->stored;
	if (o->encrypted) {
		if (cart_scratch(&c->pbuf, &c->pbuf_len, r->stored))
			return -ENOMEM;
		plen = cart_decrypt(key, part, obj, r->len, r->flags, c->sbuf,
				    r->stored, c->pbuf);
		if (plen < 0)
			return plen;
		payload = c->pbuf;
	}
	if (!alg) {
		if ((uint32_t)plen != r->len)
			return -EBADMSG;
		memcpy(buf, payload, max < r->len ? max : r->len);
		return 0;
	}
	if (max >= r->len)
		return cart_decompress(c, alg, payload, plen, buf, r->len);
	if (cart_scratch(&c->ubuf, &c->ubuf_len, r->len))
		return -ENOMEM;
	e = cart_decompress(c, alg, payload, plen, c->ubuf, r->len);
	if (e)
		return e;
	memcpy(buf, c->ubuf, max);
	return 0;
}

/*
 * May objects [obj, EOD) be discarded? Not on a cleaning cartridge;
 * on WORM only filemarks may be overwritten (SSC: a WORM medium keeps
 * every data block written).
 */
static int cart_may_write(struct cart *c, struct cart_part *p,
			  uint64_t obj)
{
	if (c->h.cleaning)
		return -EIO;
	if (!p || obj > p->nr)
		return -EINVAL;
	if (c->h.worm && obj < p->nr &&
	    p->nfm - cart_fm_before(p, obj) != p->nr - obj)
		return -EROFS;
	return 0;
}

static int cart_write(void *m, unsigned int part, uint64_t obj,
		      const void *buf, uint32_t len,
		      const struct scstu_tape_wopts *w)
{
	struct cart *c = m;
	struct cart_part *p = cart_part_of(c, part);
	struct cart_rec rec = { .type = CART_REC_BLOCK };
	const uint8_t *out = buf;
	uint64_t base;
	size_t plen = len;
	int e;

	e = cart_may_write(c, p, obj);
	if (e)
		return e;
	if (!len || len > CART_MAX_BLOCK || !buf)
		return -EINVAL;
	if (w && w->compress) {
		size_t n = cart_compress(c, buf, len);

		if (n) {
			out = c->pbuf;
			plen = n;
			rec.flags |= c->h.compress == CART_COMPRESS_ZSTD ?
				     CART_F_COMP_ZSTD : CART_F_COMP_LZ4;
		}
	}
	if (w && w->key) {
		int n;

		if (cart_scratch(&c->sbuf, &c->sbuf_len,
				 plen + CART_EB_MAX_OVERHEAD))
			return -ENOMEM;
		rec.flags |= CART_F_ENCRYPTED;
		n = cart_encrypt(w->key, part, obj, len, rec.flags, out, plen,
				 c->sbuf);
		if (n < 0)
			return n;
		out = c->sbuf;
		plen = n;
	}
	base = obj < p->nr ? p->rec[obj].off : p->data_end;
	if (base + plen > c->h.p[part].size)
		return -ENOSPC;
	rec.stored = plen;
	rec.len = len;
	rec.crc = cart_crc32c(out, plen);
	e = cart_truncate(c, part, obj);
	if (e)
		return e;
	rec.off = p->data_end;
	rec.epoch = c->epoch[part];
	e = cart_pwrite_all(p->dfd, out, plen, (off_t)rec.off);
	if (e)
		return e;
	p->ddirty = true;
	e = cart_rec_push(c, part, &rec);
	if (e)
		return e;
	return (int)plen;
}

static int cart_write_filemarks(void *m, unsigned int part, uint64_t obj,
				uint32_t count)
{
	struct cart *c = m;
	struct cart_part *p = cart_part_of(c, part);
	struct cart_rec rec = { .type = CART_REC_FILEMARK };
	int e;

	e = cart_may_write(c, p, obj);
	if (e)
		return e;
	e = cart_truncate(c, part, obj);
	if (e)
		return e;
	rec.epoch = c->epoch[part];
	rec.off = p->data_end;
	while (count--) {
		e = cart_rec_push(c, part, &rec);
		if (e)
			return e;
	}
	return 0;
}

static int cart_sync(void *m)
{
	return cart_commit(m);
}

static uint64_t cart_eod(void *m, unsigned int part)
{
	struct cart_part *p = cart_part_of(m, part);

	return p ? p->nr : 0;
}

static uint64_t cart_filemarks_before(void *m, unsigned int part,
				      uint64_t obj)
{
	struct cart_part *p = cart_part_of(m, part);

	return p ? cart_fm_before(p, obj) : 0;
}

static int cart_find_filemark(void *m, unsigned int part, uint64_t obj,
			      int dir, uint64_t n, uint64_t *pos)
{
	struct cart_part *p = cart_part_of(m, part);
	uint64_t before;

	if (!p || !n || !dir)
		return -EINVAL;
	before = cart_fm_before(p, obj);
	if (dir > 0) {
		if (n > p->nfm - before)
			return -ENOENT;
		*pos = p->fm[before + n - 1];
	} else {
		if (n > before)
			return -ENOENT;
		*pos = p->fm[before - n];
	}
	return 0;
}

static void cart_space(void *m, unsigned int part, uint64_t *capacity,
		       uint64_t *used)
{
	struct cart *c = m;
	struct cart_part *p = cart_part_of(c, part);

	*capacity = p ? c->h.p[part].size : 0;
	*used = p ? p->data_end : 0;
}

static unsigned int cart_nr_partitions(void *m)
{
	return ((struct cart *)m)->h.nr_parts;
}

const struct scstu_tape_medium_ops cart_medium_ops = {
	.read = cart_read,
	.write = cart_write,
	.write_filemarks = cart_write_filemarks,
	.sync = cart_sync,
	.eod = cart_eod,
	.filemarks_before = cart_filemarks_before,
	.find_filemark = cart_find_filemark,
	.space = cart_space,
	.nr_partitions = cart_nr_partitions,
	.format = cart_format,
	.mam_read = cart_mam_read,
	.mam_write = cart_mam_write,
};
