// SPDX-License-Identifier: GPL-2.0
/*
 * Opening a cartridge's partitions: load each index into memory and
 * decide where the tape ends (docs/vtl-cartridge.md, "Recovery").
 *
 *  - Objects [0, committed) of the newest valid header slot were made
 *    durable by a commit. A present but invalid record among them is
 *    corruption: cart_open fails with -EBADMSG and says where. Records
 *    or data missing because a file was truncated cut the tape there.
 *  - Objects from committed on were written after the last commit: each
 *    must carry the partition's epoch, follow the previous object, and
 *    have data whose CRC32C matches. The tape ends before the first one
 *    that does not (a torn tail, logged).
 * A partition whose files hold more than what survives is committed
 * again under a new epoch, then its files are trimmed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <scstuser.h>
#include "cart_priv.h"

#define CART_LOAD_RECS	2048

int cart_open_part(struct cart *c, unsigned int i, bool create)
{
	struct cart_part *p = &c->p[i];
	uint8_t hdr[CART_IDX_HDR];
	char name[16];
	struct stat st;
	bool made = false;
	int fd, pass;

	for (pass = 0; pass < 2; pass++) {
		int *pfd = pass ? &p->dfd : &p->ifd;

		if (*pfd >= 0)
			continue;
		snprintf(name, sizeof(name), "p%u.%s", i, pass ? "dat" : "idx");
		fd = openat(c->dirfd, name, O_RDWR | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && create) {
			fd = openat(c->dirfd, name,
				    O_RDWR | O_CREAT | O_CLOEXEC, 0644);
			made = true;
		}
		if (fd < 0)
			return -errno;
		*pfd = fd;
	}
	if (fstat(p->ifd, &st))
		return -errno;
	if (st.st_size < CART_IDX_HDR && create) {
		cart_idx_header(i, hdr);
		if (pwrite(p->ifd, hdr, sizeof(hdr), 0) != sizeof(hdr))
			return errno ? -errno : -EIO;
		if (ftruncate(p->ifd, CART_IDX_HDR))
			return -errno;
		p->idirty = true;
		p->ddirty = true;
	}
	if (made && fsync(c->dirfd))
		return -errno;
	return 0;
}

static int cart_check_idx_header(struct cart *c, unsigned int i, char **msg)
{
	uint8_t hdr[CART_IDX_HDR];

	if (pread(c->p[i].ifd, hdr, sizeof(hdr), 0) != sizeof(hdr)) {
		*msg = cart_strdup_printf("%s/p%u.idx: cannot read the header",
					  c->path, i);
		return -EIO;
	}
	if (memcmp(hdr, CART_IDX_MAGIC, 8) ||
	    cart_get32(hdr + 28) != cart_crc32c(hdr, 28) ||
	    cart_get32(hdr + 8) != CART_VERSION ||
	    cart_get32(hdr + 12) != i) {
		*msg = cart_strdup_printf(
			"%s/p%u.idx: bad file header (bytes 0-31)", c->path, i);
		return -EBADMSG;
	}
	return 0;
}

/* Is the stored data of rec intact? (recovery of the uncommitted tail) */
static bool cart_data_ok(struct cart *c, struct cart_part *p,
			 const struct cart_rec *r)
{
	if (!r->stored)
		return true;
	if (cart_scratch(&c->sbuf, &c->sbuf_len, r->stored))
		return false;
	if (pread(p->dfd, c->sbuf, r->stored, (off_t)r->off) !=
	    (ssize_t)r->stored)
		return false;
	return cart_crc32c(c->sbuf, r->stored) == r->crc;
}

/*
 * Read pN.idx into memory. Returns 0 with p->nr set to the objects that
 * survive, or -EBADMSG for a corrupt committed record.
 */
static int cart_load_index(struct cart *c, unsigned int i, uint64_t ndisk,
			   char **msg)
{
	const struct cart_pslot *s = &c->h.p[i];
	struct cart_part *p = &c->p[i];
	uint8_t *buf;
	uint64_t k = 0, end = 0;
	int r = 0;

	buf = malloc(CART_LOAD_RECS * CART_REC_LEN);
	if (!buf)
		return -ENOMEM;
	p->flushed = ndisk;		/* cart_rec_push writes nothing */
	while (k < ndisk) {
		uint64_t n = ndisk - k, j;
		off_t off = CART_IDX_HDR + (off_t)k * CART_REC_LEN;

		if (n > CART_LOAD_RECS)
			n = CART_LOAD_RECS;
		if (pread(p->ifd, buf, n * CART_REC_LEN, off) !=
		    (ssize_t)(n * CART_REC_LEN)) {
			r = -EIO;
			*msg = cart_strdup_printf("%s/p%u.idx: read error",
						  c->path, i);
			goto out;
		}
		for (j = 0; j < n; j++, k++) {
			struct cart_rec rec;
			const char *why;

			why = cart_rec_decode(buf + j * CART_REC_LEN, k, &rec);
			if (!why && rec.off != end)
				why = "offset does not follow the previous object";
			if (!why && rec.epoch > s->epoch)
				why = "epoch newer than the header's";
			if (!why && k >= s->committed && rec.epoch != s->epoch)
				why = "written before a truncation (old epoch)";
			if (!why && rec.off + rec.stored > s->size)
				why = "beyond the partition size";
			if (why && k < s->committed) {
				*msg = cart_strdup_printf(
					"%s/p%u.idx: object %llu (byte %llu): %s",
					c->path, i, (unsigned long long)k,
					(unsigned long long)off +
					j * CART_REC_LEN, why);
				r = -EBADMSG;
				goto out;
			}
			if (why) {
				scstu_log(SCSTU_LOG_WARN,
					  "%s/p%u.idx: tape ends at object %llu (not committed: %s)",
					  c->path, i, (unsigned long long)k,
					  why);
				goto out;
			}
			r = cart_rec_push(c, i, &rec);
			if (r)
				goto out;
			end = rec.off + rec.stored;
		}
	}
out:
	free(buf);
	return r;
}

static int cart_load_part(struct cart *c, unsigned int i, bool *repair,
			  char **msg)
{
	const struct cart_pslot *s = &c->h.p[i];
	struct cart_part *p = &c->p[i];
	struct stat ist, dst;
	uint64_t ndisk = 0, lo, hi, k;
	int r;

	r = cart_open_part(c, i, true);
	if (r) {
		*msg = cart_strdup_printf("%s/p%u: %s", c->path, i,
					  strerror(-r));
		return r;
	}
	if (fstat(p->ifd, &ist) || fstat(p->dfd, &dst))
		return -errno;
	if (ist.st_size >= CART_IDX_HDR) {
		r = cart_check_idx_header(c, i, msg);
		if (r)
			return r;
		ndisk = (ist.st_size - CART_IDX_HDR) / CART_REC_LEN;
	}
	r = cart_load_index(c, i, ndisk, msg);
	if (r)
		return r;
	if (p->nr < s->committed)
		scstu_log(SCSTU_LOG_WARN,
			  "%s/p%u.idx: holds %llu of %llu committed objects (file truncated): the tape ends there",
			  c->path, i, (unsigned long long)p->nr,
			  (unsigned long long)s->committed);
	else if ((s->committed ? p->rec[s->committed - 1].off +
		  p->rec[s->committed - 1].stored : 0) != s->data_end) {
		*msg = cart_strdup_printf(
			"%s/meta: partition %u data end %llu disagrees with object %llu in p%u.idx",
			c->path, i, (unsigned long long)s->data_end,
			(unsigned long long)s->committed, i);
		return -EBADMSG;
	}
	/* data missing: cut before the first object not wholly in pN.dat */
	lo = 0;
	hi = p->nr;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		const struct cart_rec *r = &p->rec[mid];

		if (r->off + r->stored > (uint64_t)dst.st_size)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo < p->nr) {
		scstu_log(SCSTU_LOG_WARN,
			  "%s/p%u.dat: data of object %llu missing (file is %llu bytes): the tape ends there",
			  c->path, i, (unsigned long long)lo,
			  (unsigned long long)dst.st_size);
		p->nr = lo;
	}
	/* the uncommitted tail: data must match its CRC */
	for (k = s->committed; k < p->nr; k++) {
		if (cart_data_ok(c, p, &p->rec[k]))
			continue;
		scstu_log(SCSTU_LOG_WARN,
			  "%s/p%u.dat: object %llu torn (CRC mismatch, not committed): the tape ends there",
			  c->path, i, (unsigned long long)k);
		break;
	}
	if (k < p->nr)
		p->nr = k;
	/* recompute derived state for the final count */
	p->data_end = p->nr ? p->rec[p->nr - 1].off + p->rec[p->nr - 1].stored
			    : 0;
	while (p->nfm && p->fm[p->nfm - 1] >= p->nr)
		p->nfm--;
	p->flushed = p->nr;
	if (p->nr != s->committed || ndisk != p->nr ||
	    (uint64_t)dst.st_size != p->data_end ||
	    ist.st_size != CART_IDX_HDR + (off_t)ndisk * CART_REC_LEN) {
		/* recommit what survives under a new epoch, then trim */
		c->epoch[i]++;
		p->ddirty = p->idirty = true;
		*repair = true;
	}
	return 0;
}

int cart_load_parts(struct cart *c, char **msg)
{
	bool repair = false;
	unsigned int i;
	int r;

	for (i = 0; i < c->h.nr_parts; i++) {
		r = cart_load_part(c, i, &repair, msg);
		if (r)
			return r;
	}
	if (!repair)
		return 0;
	c->hdirty = true;
	r = cart_commit(c);
	if (r) {
		*msg = cart_strdup_printf(
			"%s: cannot commit the recovered state: %s",
			c->path, strerror(-r));
		return r;
	}
	for (i = 0; i < c->h.nr_parts; i++)
		cart_trim_files(c, i);
	return 0;
}
