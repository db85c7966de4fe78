// SPDX-License-Identifier: GPL-2.0
/*
 * Cartridges: create, open, close; the commit that makes everything
 * written durable (->sync), truncation (an overwrite before EOD) and
 * FORMAT. Recovery at open is in cart_recover.c. The ordering argument
 * is in docs/vtl-cartridge.md ("Crash safety").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <openssl/rand.h>
#include <zstd.h>
#include <scstuser.h>
#include "cart_priv.h"

char *cart_strdup_printf(const char *fmt, ...)
{
	char *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

/*
 * Index record (little-endian), CART_REC_LEN bytes:
 *   0 data offset u64 | 8 stored u32 | 12 length u32 | 16 data CRC32C u32
 *  20 type u8 | 21 flags u8 | 22 reserved u16 | 24 epoch u32
 *  28 CRC32C of (object number u64 || bytes 0..27) u32
 */
static uint32_t cart_rec_crc(const uint8_t *b, uint64_t obj)
{
	uint8_t o[8];

	cart_put64(o, obj);
	return cart_crc32c_more(cart_crc32c(o, 8), b, 28);
}

void cart_rec_encode(const struct cart_rec *r, uint64_t obj, uint8_t *b)
{
	cart_put64(b, r->off);
	cart_put32(b + 8, r->stored);
	cart_put32(b + 12, r->len);
	cart_put32(b + 16, r->crc);
	b[20] = r->type;
	b[21] = r->flags;
	cart_put16(b + 22, 0);
	cart_put32(b + 24, r->epoch);
	cart_put32(b + 28, cart_rec_crc(b, obj));
}

const char *cart_rec_decode(const uint8_t *b, uint64_t obj,
			    struct cart_rec *r)
{
	if (cart_get32(b + 28) != cart_rec_crc(b, obj))
		return "bad record CRC";
	r->off = cart_get64(b);
	r->stored = cart_get32(b + 8);
	r->len = cart_get32(b + 12);
	r->crc = cart_get32(b + 16);
	r->type = b[20];
	r->flags = b[21];
	r->epoch = cart_get32(b + 24);
	if (cart_get16(b + 22))
		return "reserved bits set";
	if (r->off > (uint64_t)INT64_MAX - CART_MAX_BLOCK * 2ull)
		return "bad data offset";
	if (r->type == CART_REC_FILEMARK)
		return r->stored || r->len || r->crc || r->flags ?
			"filemark with data" : NULL;
	if (r->type != CART_REC_BLOCK)
		return "unknown object type";
	if (r->flags & ~CART_F_KNOWN ||
	    (r->flags & CART_F_COMP_MASK) == CART_F_COMP_MASK)
		return "unknown flags";
	if (r->len < 1 || r->len > CART_MAX_BLOCK)
		return "bad block length";
	if (r->stored > CART_MAX_BLOCK + CART_EB_MAX_OVERHEAD)
		return "bad stored length";
	if (r->flags & CART_F_ENCRYPTED) {
		if (r->stored < CART_EB_FIXED + CART_TAG_LEN)
			return "encrypted block too short";
	} else if (r->flags & CART_F_COMP_MASK) {
		if (r->stored >= r->len || !r->stored)
			return "compressed block not smaller";
	} else if (r->stored != r->len) {
		return "stored length differs from the block length";
	}
	return NULL;
}

/* --- create ----------------------------------------------------------- */

static int cart_write_file(int dirfd, const char *name, const void *buf,
			   size_t len)
{
	int fd, r = 0;

	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0644);
	if (fd < 0)
		return -errno;
	if (len && write(fd, buf, len) != (ssize_t)len)
		r = errno ? -errno : -EIO;
	if (!r && fsync(fd))
		r = -errno;
	close(fd);
	return r;
}

void cart_idx_header(unsigned int part, uint8_t *b)
{
	memset(b, 0, CART_IDX_HDR);
	memcpy(b, CART_IDX_MAGIC, 8);
	cart_put32(b + 8, CART_VERSION);
	cart_put32(b + 12, part);
	cart_put32(b + 28, cart_crc32c(b, 28));
}

/* the files of a new cartridge, in the (temporary) directory dfd */
static int cart_create_files(int dfd, const struct cart_hdr *h0)
{
	uint8_t meta[CART_META_SIZE], idx[CART_IDX_HDR];
	struct cart_hdr h = *h0;
	int r;

	memset(meta, 0, sizeof(meta));
	h.gen = 0;
	cart_slot_encode(&h, meta);
	h.gen = 1;
	cart_slot_encode(&h, meta + CART_SLOT_STRIDE);
	cart_idx_header(0, idx);
	r = cart_write_file(dfd, "meta", meta, sizeof(meta));
	if (!r)
		r = cart_write_file(dfd, "p0.idx", idx, sizeof(idx));
	if (!r)
		r = cart_write_file(dfd, "p0.dat", NULL, 0);
	if (!r && fsync(dfd))
		r = -errno;
	return r;
}

static void cart_rm_tmp(int dirfd, const char *tmp)
{
	int fd = openat(dirfd, tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		unlinkat(fd, "meta", 0);
		unlinkat(fd, "p0.idx", 0);
		unlinkat(fd, "p0.dat", 0);
		close(fd);
	}
	unlinkat(dirfd, tmp, AT_REMOVEDIR);
}

static int cart_make_hdr(const struct cart_spec *spec, struct cart_hdr *h,
			 char **msg)
{
	struct scstu_tape_media m;
	uint8_t rnd[6];
	unsigned int i;

	if (!cart_barcode_ok(spec->barcode)) {
		*msg = cart_strdup_printf(
			"bad barcode '%s': 1 to 32 characters A-Z, 0-9",
			spec->barcode ? spec->barcode : "(null)");
		return -EINVAL;
	}
	if (!cart_type_parse(spec->type, spec->barcode, &m)) {
		if (spec->type)
			*msg = cart_strdup_printf(
				"unknown media type '%s' (LTO3..LTO9, LTO7M8, a W suffix for WORM, CLN)",
				spec->type);
		else
			*msg = cart_strdup_printf(
				"cannot tell the media type from barcode '%s' (it should end in L3..L9, M8 or LT..LZ, or start with CLN)",
				spec->barcode);
		return -EINVAL;
	}
	if (spec->compress != CART_COMPRESS_LZ4 &&
	    spec->compress != CART_COMPRESS_ZSTD) {
		*msg = cart_strdup_printf("unknown compression %d",
					  (int)spec->compress);
		return -EINVAL;
	}
	memset(h, 0, sizeof(*h));
	h->generation = m.generation;
	h->type_m = m.type_m;
	h->worm = m.worm;
	h->cleaning = m.cleaning;
	h->compress = spec->compress;
	h->nr_parts = 1;
	h->capacity = spec->capacity ? spec->capacity : m.capacity;
	strcpy(h->barcode, spec->barcode);
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		memset(rnd, 0, sizeof(rnd));
	strcpy(h->serial, "SCSTU");
	for (i = 0; i < sizeof(rnd); i++)
		sprintf(h->serial + 5 + 2 * i, "%02X", rnd[i]);
	h->created = (uint64_t)time(NULL);
	h->p[0].size = h->capacity;
	for (i = 0; i < CART_MAX_PARTS; i++)
		h->p[i].epoch = 1;
	return 0;
}

int cart_create(const char *dir, const struct cart_spec *spec, char **msg)
{
	struct cart_hdr h;
	struct stat st;
	char *tmp;
	int dirfd, tfd, r;

	*msg = NULL;
	r = cart_make_hdr(spec, &h, msg);
	if (r)
		return r;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		r = -errno;
		*msg = cart_strdup_printf("%s: %s", dir, strerror(-r));
		return r;
	}
	if (!fstatat(dirfd, spec->barcode, &st, AT_SYMLINK_NOFOLLOW)) {
		close(dirfd);
		*msg = cart_strdup_printf("%s/%s exists", dir, spec->barcode);
		return -EEXIST;
	}
	/* build it under a name no barcode has, then rename it in place */
	tmp = cart_strdup_printf(".%s.new-%d-%ld", spec->barcode,
				 (int)getpid(), (long)random());
	if (!tmp) {
		close(dirfd);
		return -ENOMEM;
	}
	if (mkdirat(dirfd, tmp, 0755)) {
		r = -errno;
		goto out;
	}
	tfd = openat(dirfd, tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tfd < 0) {
		r = -errno;
		goto out_rm;
	}
	r = cart_create_files(tfd, &h);
	close(tfd);
	if (r)
		goto out_rm;
	if (renameat2(dirfd, tmp, dirfd, spec->barcode, RENAME_NOREPLACE)) {
		r = -errno;
		goto out_rm;
	}
	if (fsync(dirfd))
		r = -errno;
	goto out;
out_rm:
	cart_rm_tmp(dirfd, tmp);
out:
	if (r && !*msg)
		*msg = cart_strdup_printf("%s/%s: %s", dir, spec->barcode,
					  r == -EEXIST ? "exists" :
					  strerror(-r));
	free(tmp);
	close(dirfd);
	return r;
}

/* --- open / close ----------------------------------------------------- */

static void cart_free(struct cart *c)
{
	unsigned int i;

	for (i = 0; i < CART_MAX_PARTS; i++) {
		if (c->p[i].dfd >= 0)
			close(c->p[i].dfd);
		if (c->p[i].ifd >= 0)
			close(c->p[i].ifd);
		free(c->p[i].rec);
		free(c->p[i].fm);
	}
	if (c->mfd >= 0)
		close(c->mfd);	/* drops the flock */
	if (c->dirfd >= 0)
		close(c->dirfd);
	ZSTD_freeCCtx(c->zc);
	ZSTD_freeDCtx(c->zd);
	free(c->sbuf);
	free(c->pbuf);
	free(c->ubuf);
	free(c->path);
	free(c);
}

struct cart *cart_open(const char *dir, const char *barcode, int *err,
		       char **msg)
{
	struct cart *c;
	unsigned int i;
	bool damaged;
	int r;

	*msg = NULL;
	if (!cart_barcode_ok(barcode)) {
		*msg = cart_strdup_printf("bad barcode '%s'",
					  barcode ? barcode : "(null)");
		*err = -EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		*err = -ENOMEM;
		return NULL;
	}
	c->dirfd = c->mfd = -1;
	for (i = 0; i < CART_MAX_PARTS; i++)
		c->p[i].dfd = c->p[i].ifd = -1;
	c->path = cart_strdup_printf("%s/%s", dir, barcode);
	if (!c->path) {
		r = -ENOMEM;
		goto fail;
	}
	c->dirfd = open(c->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->dirfd >= 0)
		c->mfd = openat(c->dirfd, "meta", O_RDWR | O_CLOEXEC);
	if (c->mfd < 0) {
		r = -errno;
		*msg = cart_strdup_printf("%s%s: %s", c->path,
					  c->dirfd >= 0 ? "/meta" : "",
					  strerror(-r));
		goto fail;
	}
	if (flock(c->mfd, LOCK_EX | LOCK_NB)) {
		r = errno == EWOULDBLOCK ? -EBUSY : -errno;
		*msg = cart_strdup_printf("%s: in use by another drive",
					  c->path);
		goto fail;
	}
	r = cart_meta_load(c->mfd, c->path, &c->h, msg, &damaged);
	if (r)
		goto fail;
	/* a damaged slot is rewritten by the commit below (two good ones) */
	c->hdirty = damaged;
	if (strcmp(c->h.barcode, barcode)) {
		*msg = cart_strdup_printf("%s/meta: barcode is %s", c->path,
					  c->h.barcode);
		r = -EBADMSG;
		goto fail;
	}
	for (i = 0; i < CART_MAX_PARTS; i++)
		c->epoch[i] = c->h.p[i].epoch;
	r = cart_load_parts(c, msg);
	if (!r && c->hdirty) {
		r = cart_commit(c);
		if (r)
			*msg = cart_strdup_printf("%s/meta: cannot rewrite: %s",
						  c->path, strerror(-r));
	}
	if (r)
		goto fail;
	return c;
fail:
	if (!*msg)
		*msg = cart_strdup_printf("%s: %s", c->path ? c->path : barcode,
					  strerror(-r));
	cart_free(c);
	*err = r;
	return NULL;
}

/* Cut fd to len if it is longer: true if it was cut. */
static bool cart_trim_fd(struct cart *c, unsigned int i, int fd, off_t len)
{
	struct stat st;

	if (fd < 0 || fstat(fd, &st) || st.st_size <= len)
		return false;
	if (!ftruncate(fd, len))
		return true;
	scstu_log(SCSTU_LOG_WARN, "%s/p%u: trim: %s", c->path, i,
		  strerror(errno));
	return false;
}

/*
 * After a commit: give back the file space beyond partition i's EOD.
 * Only files that are longer are cut (and so synced by the next commit).
 */
void cart_trim_files(struct cart *c, unsigned int i)
{
	struct cart_part *p = &c->p[i];

	if (cart_trim_fd(c, i, p->ifd,
			 CART_IDX_HDR + (off_t)p->nr * CART_REC_LEN))
		p->idirty = true;
	if (cart_trim_fd(c, i, p->dfd, (off_t)p->data_end))
		p->ddirty = true;
}

void cart_close(struct cart *c)
{
	unsigned int i;
	int r;

	if (!c)
		return;
	r = cart_commit(c);
	if (!r) {
		/* give back what truncations left beyond EOD (cart_truncate) */
		for (i = 0; i < CART_MAX_PARTS; i++)
			cart_trim_files(c, i);
		r = cart_commit(c);
	}
	if (r)
		scstu_log(SCSTU_LOG_ERR, "%s: sync at close: %s", c->path,
			  strerror(-r));
	cart_free(c);
}

void cart_media(const struct cart *c, struct scstu_tape_media *media)
{
	cart_hdr_media(&c->h, media);
}

/* --- the in-memory index ---------------------------------------------- */

int cart_rec_push(struct cart *c, unsigned int part,
		  const struct cart_rec *r)
{
	struct cart_part *p = &c->p[part];

	if (p->nr == p->alloc) {
		uint64_t n = p->alloc ? p->alloc * 2 : 1024;
		struct cart_rec *nr = reallocarray(p->rec, n, sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		p->rec = nr;
		p->alloc = n;
	}
	if (r->type == CART_REC_FILEMARK && p->nfm == p->fmalloc) {
		uint64_t n = p->fmalloc ? p->fmalloc * 2 : 64;
		uint64_t *fm = reallocarray(p->fm, n, sizeof(*fm));

		if (!fm)
			return -ENOMEM;
		p->fm = fm;
		p->fmalloc = n;
	}
	if (r->type == CART_REC_FILEMARK)
		p->fm[p->nfm++] = p->nr;
	p->rec[p->nr++] = *r;
	p->data_end = r->off + r->stored;
	/* (during recovery flushed is ahead of nr: nothing to write) */
	if (p->nr > p->flushed && p->nr - p->flushed >= CART_FLUSH_RECS)
		return cart_flush_index(c, part);
	return 0;
}

/* write the records not yet in pN.idx (no fdatasync: cart_commit) */
int cart_flush_index(struct cart *c, unsigned int part)
{
	uint8_t buf[CART_FLUSH_RECS * CART_REC_LEN];
	struct cart_part *p = &c->p[part];

	while (p->flushed < p->nr) {
		uint64_t n = p->nr - p->flushed, i;
		off_t off = CART_IDX_HDR + (off_t)p->flushed * CART_REC_LEN;

		if (n > CART_FLUSH_RECS)
			n = CART_FLUSH_RECS;
		for (i = 0; i < n; i++)
			cart_rec_encode(&p->rec[p->flushed + i],
					p->flushed + i,
					buf + i * CART_REC_LEN);
		if (pwrite(p->ifd, buf, n * CART_REC_LEN, off) !=
		    (ssize_t)(n * CART_REC_LEN))
			return errno ? -errno : -EIO;
		p->flushed += n;
		p->idirty = true;
	}
	return 0;
}

static bool cart_pslots_differ(const struct cart_hdr *a,
			       const struct cart_hdr *b)
{
	unsigned int i;

	for (i = 0; i < CART_MAX_PARTS; i++)
		if (a->p[i].committed != b->p[i].committed ||
		    a->p[i].data_end != b->p[i].data_end ||
		    a->p[i].epoch != b->p[i].epoch)
			return true;
	return false;
}

/*
 * Make everything durable, in this order: data (every pN.dat), index
 * records (pN.idx), then the header slot that says how many objects are
 * committed. A crash at any point leaves the previous slot valid.
 */
int cart_commit(struct cart *c)
{
	struct cart_hdr h = c->h;
	unsigned int i;
	int r;

	for (i = 0; i < CART_MAX_PARTS; i++) {
		struct cart_part *p = &c->p[i];

		if (p->ddirty) {
			if (fdatasync(p->dfd))
				return -errno;
			p->ddirty = false;
		}
	}
	for (i = 0; i < CART_MAX_PARTS; i++) {
		struct cart_part *p = &c->p[i];

		if (p->ifd < 0)
			continue;
		r = cart_flush_index(c, i);
		if (r)
			return r;
		if (p->idirty) {
			if (fdatasync(p->ifd))
				return -errno;
			p->idirty = false;
		}
	}
	for (i = 0; i < CART_MAX_PARTS; i++) {
		h.p[i].committed = i < h.nr_parts ? c->p[i].nr : 0;
		h.p[i].data_end = i < h.nr_parts ? c->p[i].data_end : 0;
		h.p[i].epoch = c->epoch[i];
	}
	if (!c->hdirty && !cart_pslots_differ(&h, &c->h))
		return 0;
	h.gen++;
	r = cart_meta_store(c->mfd, &h);
	if (r)
		return r;
	c->h = h;
	c->hdirty = false;
	return 0;
}

static void cart_reset_part(struct cart_part *p, uint64_t obj)
{
	uint64_t lo = 0, hi = p->nfm;

	p->nr = obj;
	p->data_end = obj ? p->rec[obj - 1].off + p->rec[obj - 1].stored : 0;
	while (lo < hi) {		/* first filemark >= obj */
		uint64_t mid = lo + (hi - lo) / 2;

		if (p->fm[mid] < obj)
			lo = mid + 1;
		else
			hi = mid;
	}
	p->nfm = lo;
	if (p->flushed > obj)
		p->flushed = obj;
}

/*
 * Discard objects [obj, EOD) of part. The new epoch and object count
 * are committed before any new record can reach pN.idx, so a crash can
 * never bring the discarded objects back (their records carry the old
 * epoch) nor mix them with new ones. The files keep their length: the
 * usual case is a tape rewound and written again, whose new blocks then
 * overwrite file space that is already allocated instead of allocating
 * it again (blocks on a disk filesystem; on tmpfs, fresh pages that the
 * kernel zeroes when init_on_alloc is on, as in Debian's kernels).
 * cart_close() and the recovery at open give the space beyond EOD back.
 */
int cart_truncate(struct cart *c, unsigned int part, uint64_t obj)
{
	struct cart_part *p = &c->p[part];

	if (obj >= p->nr)
		return 0;
	cart_reset_part(p, obj);
	c->epoch[part]++;
	c->hdirty = true;
	return cart_commit(c);
}

static unsigned int cart_max_parts(const struct cart *c)
{
	if (c->h.generation >= 6)
		return 4;
	return c->h.generation == 5 ? 2 : 1;
}

int cart_format(void *m, unsigned int nr, const uint64_t *sizes)
{
	struct cart *c = m;
	uint64_t sz[CART_MAX_PARTS], sum = 0;
	unsigned int i, zeros = 0, zi = 0;
	int r;

	if (c->h.cleaning)
		return -EIO;
	if (nr < 1 || nr > cart_max_parts(c) || (!sizes && nr > 1))
		return -EINVAL;
	if (c->h.worm)
		for (i = 0; i < c->h.nr_parts; i++)
			if (c->p[i].nr)
				return -EROFS;
	for (i = 0; i < nr; i++) {
		sz[i] = sizes ? sizes[i] : 0;
		if (!sz[i]) {
			zeros++;
			zi = i;
		} else if (sz[i] > c->h.capacity - sum) {
			return -EINVAL;
		} else {
			sum += sz[i];
		}
	}
	if (zeros > 1)
		return -EINVAL;
	if (zeros) {
		if (sum >= c->h.capacity)
			return -EINVAL;
		sz[zi] = c->h.capacity - sum;
	}
	for (i = 0; i < nr; i++) {
		r = cart_open_part(c, i, true);
		if (r)
			return r;
	}
	for (i = 0; i < CART_MAX_PARTS; i++) {
		cart_reset_part(&c->p[i], 0);
		c->epoch[i]++;
		c->h.p[i].size = i < nr ? sz[i] : 0;
	}
	c->h.nr_parts = nr;
	c->hdirty = true;
	r = cart_commit(c);
	if (r)
		return r;
	for (i = 0; i < CART_MAX_PARTS; i++)
		cart_trim_files(c, i);
	return 0;
}
