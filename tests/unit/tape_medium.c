// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * In-memory tape medium for the tape class tests (tape_medium.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tape_medium.h"

static struct tmed_part *part_of(struct tmed *m, unsigned int part)
{
	return part < m->nr_parts ? &m->parts[part] : NULL;
}

/* Discard objects from obj on. */
static void truncate_at(struct tmed_part *p, uint64_t obj)
{
	uint64_t i;

	for (i = obj; i < p->nr; i++) {
		p->used -= p->objs[i].type == SCSTU_TAPE_BLOCK ?
			   p->objs[i].len : 0;
		free(p->objs[i].data);
	}
	if (obj < p->nr)
		p->nr = obj;
}

static struct tmed_obj *append(struct tmed_part *p)
{
	struct tmed_obj *n;

	if (p->nr == p->alloc) {
		uint64_t a = p->alloc ? p->alloc * 2 : 64;

		n = realloc(p->objs, a * sizeof(*n));
		if (!n)
			return NULL;
		p->objs = n;
		p->alloc = a;
	}
	n = &p->objs[p->nr++];
	memset(n, 0, sizeof(*n));
	return n;
}

static int tm_read(void *mp, unsigned int part, uint64_t obj, void *buf,
		   uint32_t max, const struct scstu_tape_key *key,
		   struct scstu_tape_obj *o)
{
	struct tmed *m = mp;
	struct tmed_part *p = part_of(m, part);
	struct tmed_obj *x;
	int err;

	(void)key;
	if (!p || obj > p->nr)
		return -EINVAL;
	if (m->fail_read) {
		err = m->fail_read;
		m->fail_read = 0;
		return err;
	}
	memset(o, 0, sizeof(*o));
	if (obj == p->nr) {
		o->type = SCSTU_TAPE_EOD;
		return 0;
	}
	x = &p->objs[obj];
	if (x->bad)
		return x->bad;
	o->type = x->type;
	if (x->type != SCSTU_TAPE_BLOCK)
		return 0;
	o->len = o->stored = x->len;
	if (buf)
		memcpy(buf, x->data, x->len < max ? x->len : max);
	return 0;
}

static int tm_write(void *mp, unsigned int part, uint64_t obj,
		    const void *buf, uint32_t len,
		    const struct scstu_tape_wopts *w)
{
	struct tmed *m = mp;
	struct tmed_part *p = part_of(m, part);
	struct tmed_obj *x;
	int err;

	if (!p || obj > p->nr)
		return -EINVAL;
	if (m->fail_write) {
		err = m->fail_write;
		m->fail_write = 0;
		return err;
	}
	truncate_at(p, obj);
	if (p->used + len > p->capacity)
		return -ENOSPC;
	x = append(p);
	if (!x)
		return -ENOMEM;
	x->data = malloc(len ? len : 1);
	if (!x->data) {
		p->nr--;
		return -ENOMEM;
	}
	memcpy(x->data, buf, len);
	x->type = SCSTU_TAPE_BLOCK;
	x->len = len;
	p->used += len;
	m->writes++;
	m->last_compress = w->compress;
	m->last_wkey = w->key;
	return (int)len;
}

static int tm_write_filemarks(void *mp, unsigned int part, uint64_t obj,
			      uint32_t count)
{
	struct tmed *m = mp;
	struct tmed_part *p = part_of(m, part);
	struct tmed_obj *x;
	int err;

	if (!p || obj > p->nr)
		return -EINVAL;
	if (m->fail_write) {
		err = m->fail_write;
		m->fail_write = 0;
		return err;
	}
	truncate_at(p, obj);
	while (count--) {
		x = append(p);
		if (!x)
			return -ENOMEM;
		x->type = SCSTU_TAPE_FILEMARK;
	}
	return 0;
}

static int tm_sync(void *mp)
{
	struct tmed *m = mp;
	int err = m->fail_sync;

	m->fail_sync = 0;
	m->syncs++;
	return err;
}

static uint64_t tm_eod(void *mp, unsigned int part)
{
	struct tmed_part *p = part_of(mp, part);

	return p ? p->nr : 0;
}

static uint64_t tm_filemarks_before(void *mp, unsigned int part,
				    uint64_t obj)
{
	struct tmed_part *p = part_of(mp, part);
	uint64_t i, n = 0;

	if (!p)
		return 0;
	for (i = 0; i < obj && i < p->nr; i++)
		n += p->objs[i].type == SCSTU_TAPE_FILEMARK;
	return n;
}

static int tm_find_filemark(void *mp, unsigned int part, uint64_t obj,
			    int dir, uint64_t n, uint64_t *pos)
{
	struct tmed_part *p = part_of(mp, part);
	uint64_t i;

	if (!p || !n)
		return -EINVAL;
	if (dir > 0) {
		for (i = obj; i < p->nr; i++)
			if (p->objs[i].type == SCSTU_TAPE_FILEMARK && !--n) {
				*pos = i;
				return 0;
			}
	} else {
		for (i = obj < p->nr ? obj : p->nr; i-- > 0;)
			if (p->objs[i].type == SCSTU_TAPE_FILEMARK && !--n) {
				*pos = i;
				return 0;
			}
	}
	return -ENOENT;
}

static void tm_space(void *mp, unsigned int part, uint64_t *capacity,
		     uint64_t *used)
{
	struct tmed_part *p = part_of(mp, part);

	*capacity = p ? p->capacity : 0;
	*used = p ? p->used : 0;
}

static unsigned int tm_nr_partitions(void *mp)
{
	return ((struct tmed *)mp)->nr_parts;
}

static int tm_format(void *mp, unsigned int nr, const uint64_t *sizes)
{
	struct tmed *m = mp;
	uint64_t total = m->media.capacity, fixed = 0;
	unsigned int i, rest = 0;

	if (!nr || nr > TMED_MAX_PARTS)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		fixed += sizes[i];
		rest += !sizes[i];
	}
	if (fixed > total || (fixed == total && rest))
		return -EINVAL;
	for (i = 0; i < m->nr_parts; i++)
		truncate_at(&m->parts[i], 0);
	for (i = 0; i < nr; i++)
		m->parts[i].capacity = sizes[i] ? sizes[i] :
				       (total - fixed) / rest;
	for (; i < TMED_MAX_PARTS; i++)
		m->parts[i].capacity = 0;
	m->nr_parts = nr;
	m->formats++;
	return 0;
}

static int tm_mam_read(void *mp, void *buf, size_t max)
{
	struct tmed *m = mp;

	if (m->mam_len)
		memcpy(buf, m->mam, m->mam_len < max ? m->mam_len : max);
	return (int)m->mam_len;
}

static int tm_mam_write(void *mp, const void *buf, size_t len)
{
	struct tmed *m = mp;
	uint8_t *n = malloc(len ? len : 1);

	if (!n)
		return -ENOMEM;
	memcpy(n, buf, len);
	free(m->mam);
	m->mam = n;
	m->mam_len = len;
	return 0;
}

const struct scstu_tape_medium_ops tmed_ops = {
	.read = tm_read,
	.write = tm_write,
	.write_filemarks = tm_write_filemarks,
	.sync = tm_sync,
	.eod = tm_eod,
	.filemarks_before = tm_filemarks_before,
	.find_filemark = tm_find_filemark,
	.space = tm_space,
	.nr_partitions = tm_nr_partitions,
	.format = tm_format,
	.mam_read = tm_mam_read,
	.mam_write = tm_mam_write,
};

struct tmed *tmed_new(uint8_t gen, uint64_t capacity, unsigned int flags,
		      const char *barcode)
{
	struct tmed *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->media.generation = gen;
	m->media.worm = flags & TMED_WORM;
	m->media.cleaning = flags & TMED_CLEANING;
	m->media.type_m = flags & TMED_TYPE_M;
	m->media.capacity = capacity;
	strncpy(m->media.barcode, barcode ? barcode : "TEST00L8",
		sizeof(m->media.barcode) - 1);
	strncpy(m->media.serial, "SN0000000001", sizeof(m->media.serial) - 1);
	m->nr_parts = 1;
	m->parts[0].capacity = capacity;
	return m;
}

void tmed_free(struct tmed *m)
{
	unsigned int i;

	if (!m)
		return;
	for (i = 0; i < TMED_MAX_PARTS; i++) {
		truncate_at(&m->parts[i], 0);
		free(m->parts[i].objs);
	}
	free(m->mam);
	free(m);
}

void tmed_set_bad(struct tmed *m, unsigned int part, uint64_t obj, int err)
{
	if (part < m->nr_parts && obj < m->parts[part].nr)
		m->parts[part].objs[obj].bad = err;
}
