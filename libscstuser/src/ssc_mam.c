// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Medium auxiliary memory (SPC-4 READ ATTRIBUTE / WRITE ATTRIBUTE, the
 * attributes of SPC-4 and SSC-4 for a tape drive):
 *  - device attributes (0000h..03FFh, read only): remaining and maximum
 *    capacity of the partition the CDB names, TapeAlert flags, load
 *    count, MAM space, density, the drives of the last four loads,
 *    MiB written/read in the medium's life and in this load;
 *  - medium attributes (0400h..07FFh, read only): manufacturer, serial,
 *    length, width, density, MAM capacity, medium type;
 *  - host attributes (0800h..0BFFh): written by initiators (barcode,
 *    volume coherency information for LTFS, application name, ...).
 * The stored attributes (host ones, load count, last drives, lifetime
 * MiB) live in the medium's MAM blob (->mam_read/->mam_write): read at
 * load, written at once by WRITE ATTRIBUTE and at unload. The blob is
 * "SMAM", a version byte 1, 3 reserved bytes, then the attributes in
 * READ ATTRIBUTE format; one that cannot be read or parsed makes READ
 * ATTRIBUTE fail with MEDIUM ERROR 11/12 until WRITE ATTRIBUTE rewrites
 * it. At unload the values are kept for READ ATTRIBUTE with CACHE=1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ssc_svc.h"

#define MAM_CAP		16384		/* bytes of MAM a medium has */
#define MAM_HDR		8
#define MAM_VAR_MAX	1024		/* longest variable-length attribute */
#define OUT_MAX		(MAM_CAP + 2048)

enum { F_BIN = 0, F_ASCII = 1, F_TEXT = 2 };
enum { K_DEV, K_DEVS, K_MED, K_HOST };	/* computed/stored/medium/host */

struct mam_def {
	uint16_t id;
	uint8_t fmt;
	uint16_t len;			/* 0: variable */
	uint8_t kind;
};

static const struct mam_def mam_defs[] = {
	{ 0x0000, F_BIN, 8, K_DEV },	/* remaining capacity in partition */
	{ 0x0001, F_BIN, 8, K_DEV },	/* maximum capacity in partition */
	{ 0x0002, F_BIN, 8, K_DEV },	/* TapeAlert flags */
	{ 0x0003, F_BIN, 8, K_DEVS },	/* load count */
	{ 0x0004, F_BIN, 8, K_DEV },	/* MAM space remaining */
	{ 0x0005, F_ASCII, 8, K_DEV },	/* assigning organization */
	{ 0x0006, F_BIN, 1, K_DEV },	/* formatted density code */
	{ 0x020a, F_ASCII, 40, K_DEVS },	/* drive at last load */
	{ 0x020b, F_ASCII, 40, K_DEVS },	/* ... load - 1 */
	{ 0x020c, F_ASCII, 40, K_DEVS },	/* ... load - 2 */
	{ 0x020d, F_ASCII, 40, K_DEVS },	/* ... load - 3 */
	{ 0x0220, F_BIN, 8, K_DEVS },	/* MiB written in medium life */
	{ 0x0221, F_BIN, 8, K_DEVS },	/* MiB read in medium life */
	{ 0x0222, F_BIN, 8, K_DEV },	/* MiB written in this load */
	{ 0x0223, F_BIN, 8, K_DEV },	/* MiB read in this load */
	{ 0x0400, F_ASCII, 8, K_MED },	/* medium manufacturer */
	{ 0x0401, F_ASCII, 32, K_MED },	/* medium serial number */
	{ 0x0402, F_BIN, 4, K_MED },	/* medium length (m) */
	{ 0x0403, F_BIN, 4, K_MED },	/* medium width (0.1 mm) */
	{ 0x0404, F_ASCII, 8, K_MED },	/* assigning organization */
	{ 0x0405, F_BIN, 1, K_MED },	/* medium density code */
	{ 0x0407, F_BIN, 8, K_MED },	/* MAM capacity */
	{ 0x0408, F_BIN, 1, K_MED },	/* medium type */
	{ 0x0409, F_BIN, 2, K_MED },	/* medium type information */
	{ 0x0800, F_ASCII, 8, K_HOST },	/* application vendor */
	{ 0x0801, F_ASCII, 32, K_HOST },	/* application name */
	{ 0x0802, F_ASCII, 8, K_HOST },	/* application version */
	{ 0x0803, F_TEXT, 160, K_HOST },	/* user medium text label */
	{ 0x0804, F_ASCII, 12, K_HOST },	/* date and time last written */
	{ 0x0805, F_BIN, 1, K_HOST },	/* text localization identifier */
	{ 0x0806, F_ASCII, 32, K_HOST },	/* barcode */
	{ 0x0807, F_TEXT, 80, K_HOST },	/* owning host textual name */
	{ 0x0808, F_TEXT, 160, K_HOST },	/* media pool */
	{ 0x0809, F_ASCII, 16, K_HOST },	/* partition user text label */
	{ 0x080a, F_BIN, 1, K_HOST },	/* load/unload at partition */
	{ 0x080b, F_ASCII, 16, K_HOST },	/* application format version */
	{ 0x080c, F_BIN, 0, K_HOST },	/* volume coherency information */
	{ 0x0820, F_BIN, 36, K_HOST },	/* medium GUID */
	{ 0x0821, F_BIN, 36, K_HOST },	/* media pool GUID */
};

#define NR_DEFS (sizeof(mam_defs) / sizeof(mam_defs[0]))

struct mam_attr {
	uint16_t id;
	uint8_t fmt;
	uint16_t len;
	uint8_t *val;
};

struct ssc_mam {
	struct mam_attr *a;		/* stored attributes, sorted by id */
	unsigned int nr;
	bool bad;			/* the blob could not be read */
	bool dirty;			/* to be written at unload */
	uint8_t *cache;			/* values at the last unload */
	uint32_t cache_len;
};

static struct ssc_mam *mam_of(struct ssc_drive *d)
{
	return d->mam;
}

static const struct mam_def *def_find(uint16_t id)
{
	unsigned int i;

	for (i = 0; i < NR_DEFS; i++)
		if (mam_defs[i].id == id)
			return &mam_defs[i];
	return NULL;
}

static void attrs_clear(struct ssc_mam *m)
{
	unsigned int i;

	for (i = 0; i < m->nr; i++)
		free(m->a[i].val);
	free(m->a);
	m->a = NULL;
	m->nr = 0;
}

int ssc_mam_init(struct ssc_drive *d)
{
	d->mam = calloc(1, sizeof(struct ssc_mam));
	return d->mam ? 0 : -ENOMEM;
}

void ssc_mam_free(struct ssc_drive *d)
{
	struct ssc_mam *m = mam_of(d);

	if (!m)
		return;
	attrs_clear(m);
	free(m->cache);
	free(m);
	d->mam = NULL;
}

static struct mam_attr *attr_get(struct ssc_mam *m, uint16_t id)
{
	unsigned int i;

	for (i = 0; i < m->nr; i++)
		if (m->a[i].id == id)
			return &m->a[i];
	return NULL;
}

/* Set (len > 0) or delete (len 0) a stored attribute. 0 or -ENOMEM. */
static int attr_set(struct ssc_mam *m, uint16_t id, uint8_t fmt,
		    const uint8_t *val, uint16_t len)
{
	struct mam_attr *a = attr_get(m, id), *na;
	unsigned int i;
	uint8_t *v;

	if (!len) {
		if (a) {
			i = (unsigned int)(a - m->a);
			free(a->val);
			memmove(a, a + 1, (m->nr - i - 1) * sizeof(*a));
			m->nr--;
		}
		return 0;
	}
	v = malloc(len);
	if (!v)
		return -ENOMEM;
	memcpy(v, val, len);
	if (a) {
		free(a->val);
		a->val = v;
		a->len = len;
		a->fmt = fmt;
		return 0;
	}
	na = realloc(m->a, (m->nr + 1) * sizeof(*na));
	if (!na) {
		free(v);
		return -ENOMEM;
	}
	m->a = na;
	for (i = 0; i < m->nr && m->a[i].id < id; i++)
		;
	memmove(&m->a[i + 1], &m->a[i], (m->nr - i) * sizeof(*na));
	m->a[i] = (struct mam_attr){ id, fmt, len, v };
	m->nr++;
	return 0;
}

static uint64_t attr_u64(struct ssc_mam *m, uint16_t id)
{
	struct mam_attr *a = attr_get(m, id);

	return a && a->len == 8 ? get_be64(a->val) : 0;
}

static void attr_set_u64(struct ssc_mam *m, uint16_t id, uint64_t v)
{
	uint8_t b[8];

	put_be64(v, b);
	attr_set(m, id, F_BIN, b, 8);
}

static size_t blob_len(const struct ssc_mam *m)
{
	size_t n = MAM_HDR;
	unsigned int i;

	for (i = 0; i < m->nr; i++)
		n += 5U + m->a[i].len;
	return n;
}

/* --- the blob ------------------------------------------------------------ */

static int blob_parse(struct ssc_mam *m, const uint8_t *b, size_t len)
{
	size_t off = MAM_HDR;
	uint16_t last = 0;

	if (len < MAM_HDR || memcmp(b, "SMAM", 4) || b[4] != 1)
		return -EBADMSG;
	while (off < len) {
		uint16_t id, alen;

		if (len - off < 5)
			return -EBADMSG;
		id = get_be16(&b[off]);
		alen = get_be16(&b[off + 3]);
		if (len - off - 5 < alen || !alen || (m->nr && id <= last) ||
		    (b[off + 2] & 3) == 3)
			return -EBADMSG;
		if (attr_set(m, id, b[off + 2] & 3, &b[off + 5], alen))
			return -ENOMEM;
		last = id;
		off += 5U + alen;
	}
	return 0;
}

static int blob_write(struct ssc_drive *d)
{
	struct ssc_mam *m = mam_of(d);
	size_t len = blob_len(m), off = MAM_HDR;
	unsigned int i;
	uint8_t *b;
	int ret;

	if (!d->mops || !d->mops->mam_write)
		return 0;
	b = calloc(1, len);
	if (!b)
		return -ENOMEM;
	memcpy(b, "SMAM", 4);
	b[4] = 1;
	for (i = 0; i < m->nr; i++) {
		put_be16(m->a[i].id, &b[off]);
		b[off + 2] = m->a[i].fmt;
		put_be16(m->a[i].len, &b[off + 3]);
		memcpy(&b[off + 5], m->a[i].val, m->a[i].len);
		off += 5U + m->a[i].len;
	}
	ret = d->mops->mam_write(d->medium, b, len);
	free(b);
	if (!ret)
		m->dirty = false;
	return ret;
}

void ssc_mam_loaded(struct ssc_drive *d)
{
	struct ssc_mam *m = mam_of(d);
	uint8_t *b, who[40];
	int len = 0, i;

	attrs_clear(m);
	free(m->cache);
	m->cache = NULL;
	m->cache_len = 0;
	m->bad = false;
	svc_log_loaded(d);
	b = malloc(MAM_CAP);
	if (!b) {
		m->bad = true;
		return;
	}
	if (d->mops && d->mops->mam_read)
		len = d->mops->mam_read(d->medium, b, MAM_CAP);
	if (len < 0 || (len > 0 && blob_parse(m, b, (size_t)len))) {
		scstu_log(SCSTU_LOG_ERR,
			  "%s: medium %s: its MAM cannot be read (%s); READ ATTRIBUTE fails until WRITE ATTRIBUTE rewrites it",
			  d->spc.serial, d->media.barcode,
			  len < 0 ? strerror(-len) : "corrupt");
		attrs_clear(m);
		m->bad = true;
		free(b);
		return;
	}
	free(b);
	attr_set_u64(m, 0x0003, attr_u64(m, 0x0003) + 1);
	for (i = 0x020d; i > 0x020a; i--) {
		struct mam_attr *a = attr_get(m, (uint16_t)(i - 1));

		if (a)
			attr_set(m, (uint16_t)i, F_ASCII, a->val, a->len);
	}
	spc_put_ascii(who, d->spc.vendor, 8);
	spc_put_ascii(who + 8, d->spc.serial, 32);
	attr_set(m, 0x020a, F_ASCII, who, sizeof(who));
	m->dirty = true;
}

uint64_t svc_mam_load_count(struct ssc_drive *d)
{
	return attr_u64(mam_of(d), 0x0003);
}

void svc_mam_lifetime(struct ssc_drive *d, uint64_t *mib_written,
		      uint64_t *mib_read)
{
	*mib_written = attr_u64(mam_of(d), 0x0220) +
		       d->cnt.bytes_stored / SVC_MIB;
	*mib_read = attr_u64(mam_of(d), 0x0221) +
		    d->cnt.bytes_retrieved / SVC_MIB;
}

/* --- attribute values ---------------------------------------------------- */

struct out {
	uint8_t *b;
	uint32_t len;
};

static void out_attr(struct out *o, uint16_t id, bool ro, uint8_t fmt,
		     const void *val, uint16_t len)
{
	uint8_t *q = &o->b[o->len];

	if (o->len + 5U + len > OUT_MAX)
		return;
	put_be16(id, q);
	q[2] = (ro ? 0x80 : 0) | fmt;
	put_be16(len, &q[3]);
	memcpy(q + 5, val, len);
	o->len += 5U + len;
}

static void out_u(struct out *o, uint16_t id, uint64_t v, uint16_t len)
{
	uint8_t b[8];
	int i;

	for (i = len - 1; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
	out_attr(o, id, true, F_BIN, b, len);
}

static void out_ascii(struct out *o, uint16_t id, const char *s,
		      uint16_t len)
{
	uint8_t b[40];

	spc_put_ascii(b, s, len);
	out_attr(o, id, true, F_ASCII, b, len);
}

/* LTO tape lengths in metres, by generation */
static uint32_t medium_length(const struct scstu_tape_media *m)
{
	static const uint16_t len[10] = {
		0, 609, 609, 680, 820, 846, 846, 960, 960, 1035,
	};

	if (m->cleaning)
		return 319;
	return m->generation <= 9 ? len[m->generation] : 0;
}

static uint8_t medium_type(const struct scstu_tape_media *m)
{
	if (m->cleaning)
		return 0x01;
	return m->worm ? 0x80 : 0x00;
}

/* A computed attribute; false if it has no value now. */
static bool computed(struct ssc_drive *d, const struct mam_def *df,
		     unsigned int part, struct out *o)
{
	struct ssc_mam *m = mam_of(d);
	uint64_t cap, used, w, r;

	switch (df->id) {
	case 0x0000:
	case 0x0001:
		svc_space(d, part, &cap, &used);
		out_u(o, df->id, (df->id ? cap : cap - used) / SVC_MIB, 8);
		return true;
	case 0x0002:
		out_u(o, df->id, svc_log_tapealert_mask(d), 8);
		return true;
	case 0x0004:
		out_u(o, df->id, MAM_CAP - blob_len(m), 8);
		return true;
	case 0x0005:
	case 0x0404:
		out_ascii(o, df->id, "LTO-CVE", 8);
		return true;
	case 0x0006:
	case 0x0405:
		out_u(o, df->id, ssc_density_code(&d->media), 1);
		return true;
	case 0x0220:
	case 0x0221:
		svc_mam_lifetime(d, &w, &r);
		out_u(o, df->id, df->id == 0x0220 ? w : r, 8);
		return true;
	case 0x0222:
		out_u(o, df->id, d->cnt.bytes_stored / SVC_MIB, 8);
		return true;
	case 0x0223:
		out_u(o, df->id, d->cnt.bytes_retrieved / SVC_MIB, 8);
		return true;
	case 0x0400:
		out_ascii(o, df->id, "SCSTU", 8);
		return true;
	case 0x0401:
		out_ascii(o, df->id, d->media.serial, 32);
		return true;
	case 0x0402:
		out_u(o, df->id, medium_length(&d->media), 4);
		return true;
	case 0x0403:
		out_u(o, df->id, 127, 4);	/* 12.7 mm */
		return true;
	case 0x0407:
		out_u(o, df->id, MAM_CAP, 8);
		return true;
	case 0x0408:
		out_u(o, df->id, medium_type(&d->media), 1);
		return true;
	case 0x0409:	/* cleaning cartridges: cycles they are rated for */
		out_u(o, df->id, d->media.cleaning ? 50 : 0, 2);
		return true;
	}
	return false;
}

/* Every attribute with a value now, sorted by id. */
static void values(struct ssc_drive *d, unsigned int part, struct out *o)
{
	struct ssc_mam *m = mam_of(d);
	unsigned int i, j = 0;

	for (i = 0; i < NR_DEFS; i++) {
		const struct mam_def *df = &mam_defs[i];
		bool comp = df->kind == K_DEV || df->kind == K_MED ||
			    df->id == 0x0220 || df->id == 0x0221;

		/* stored attributes below this one (unknown host ones) */
		for (; j < m->nr && m->a[j].id < df->id; j++)
			out_attr(o, m->a[j].id, m->a[j].id < 0x0800,
				 m->a[j].fmt, m->a[j].val, m->a[j].len);
		if (j < m->nr && m->a[j].id == df->id) {
			if (!comp)
				out_attr(o, df->id, df->kind != K_HOST,
					 m->a[j].fmt, m->a[j].val,
					 m->a[j].len);
			j++;
		}
		if (comp)
			computed(d, df, part, o);
	}
	for (; j < m->nr; j++)
		out_attr(o, m->a[j].id, m->a[j].id < 0x0800, m->a[j].fmt,
			 m->a[j].val, m->a[j].len);
}

void ssc_mam_unloading(struct ssc_drive *d)
{
	struct ssc_mam *m = mam_of(d);
	struct out o = { .b = malloc(OUT_MAX) };
	uint64_t w, r;
	int ret;

	if (o.b) {
		values(d, 0, &o);
		free(m->cache);
		m->cache = o.b;
		m->cache_len = o.len;
	}
	if (m->bad)
		return;
	svc_mam_lifetime(d, &w, &r);
	attr_set_u64(m, 0x0220, w);
	attr_set_u64(m, 0x0221, r);
	ret = blob_write(d);
	if (ret)
		scstu_log(SCSTU_LOG_ERR, "%s: medium %s: MAM not written: %s",
			  d->spc.serial, d->media.barcode, strerror(-ret));
	attrs_clear(m);
}

/* --- READ ATTRIBUTE ------------------------------------------------------ */

/* Attributes of a value list (SA 00h) from id first on. */
static void reply_values(struct scstu_req *req, const struct out *o,
			 uint16_t first, uint32_t alloc, bool list)
{
	uint8_t *r = malloc(4 + OUT_MAX);
	uint32_t off, n = 4;
	bool found = false;

	if (!r) {
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		return;
	}
	for (off = 0; off + 5 <= o->len; off += 5U + get_be16(&o->b[off + 3])) {
		uint16_t id = get_be16(&o->b[off]);
		uint32_t len = 5U + get_be16(&o->b[off + 3]);

		if (id < first)
			continue;
		if (id == first)
			found = true;
		if (list) {
			put_be16(id, &r[n]);
			n += 2;
		} else {
			memcpy(&r[n], &o->b[off], len);
			n += len;
		}
	}
	if (!list && !found) {
		/* the first attribute asked for has no value */
		free(r);
		scstu_req_invalid_cdb(req, 8, -1);
		return;
	}
	put_be32(n - 4, r);
	svc_reply(req, r, n, alloc);
	free(r);
}

static void reply_supported(struct scstu_req *req, uint16_t first,
			    uint32_t alloc)
{
	uint8_t r[4 + 2 * NR_DEFS];
	uint32_t n = 4;
	unsigned int i;

	for (i = 0; i < NR_DEFS; i++) {
		if (mam_defs[i].id < first)
			continue;
		put_be16(mam_defs[i].id, &r[n]);
		n += 2;
	}
	put_be32(n - 4, r);
	svc_reply(req, r, n, alloc);
}

void ssc_read_attribute(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	struct ssc_mam *m = mam_of(d);
	const uint8_t *cdb = req->cdb;
	uint8_t sa = cdb[1] & 0x1f, part = cdb[7], r[4];
	uint16_t first = get_be16(&cdb[8]);
	uint32_t alloc = get_be32(&cdb[10]);
	bool cache = cdb[14] & 0x01, loaded = d->state == SCSTU_TAPE_LOADED;
	struct out o;

	if (sa > 5 || sa == 4) {
		scstu_req_invalid_cdb(req, 1, 4);
		return;
	}
	if (cdb[5]) {				/* one logical volume: 0 */
		scstu_req_invalid_cdb(req, 5, -1);
		return;
	}
	if (sa == 5) {
		reply_supported(req, first, alloc);
		return;
	}
	if (!loaded && !(cache && m->cache && sa <= 1)) {
		svc_loaded(req, d);
		return;
	}
	if (loaded && part >= svc_nr_parts(d)) {
		scstu_req_invalid_cdb(req, 7, -1);
		return;
	}
	if (sa == 2 || sa == 3) {		/* volume / partition list */
		put_be16(2, r);
		r[2] = 0;
		r[3] = sa == 2 ? 1 : (uint8_t)svc_nr_parts(d);
		svc_reply(req, r, sizeof(r), alloc);
		return;
	}
	if (!loaded) {
		o.b = m->cache;
		o.len = m->cache_len;
		reply_values(req, &o, first, alloc, sa == 1);
		return;
	}
	if (m->bad) {
		/* AUXILIARY MEMORY READ ERROR */
		scstu_req_check(req, SCSTU_MEDIUM_ERROR, 0x11, 0x12);
		return;
	}
	o.b = malloc(OUT_MAX);
	o.len = 0;
	if (!o.b) {
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		return;
	}
	values(d, part, &o);
	reply_values(req, &o, first, alloc, sa == 1);
	free(o.b);
}

/* --- WRITE ATTRIBUTE ----------------------------------------------------- */

/* Check one attribute at off of the list (5 + len bytes are there). */
static bool attr_check(struct scstu_req *req, const uint8_t *a,
		       uint32_t off)
{
	uint16_t id = get_be16(a), len = get_be16(&a[3]), i;
	const struct mam_def *df = def_find(id);
	uint8_t fmt = a[2] & 0x03;

	if (id < 0x0800 || id > 0x0bff) {	/* not a host attribute */
		scstu_req_invalid_param(req, off, -1);
		return false;
	}
	if (a[2] & 0xfc) {			/* READ ONLY, reserved */
		scstu_req_invalid_param(req, off + 2,
					spc_high_bit(a[2] & 0xfc));
		return false;
	}
	if ((df && fmt != df->fmt) || fmt == 3) {
		scstu_req_invalid_param(req, off + 2, 1);
		return false;
	}
	if (len && ((df && df->len && len != df->len) || len > MAM_VAR_MAX)) {
		scstu_req_invalid_param(req, off + 3, -1);
		return false;
	}
	for (i = 0; fmt == F_ASCII && i < len; i++)
		if (a[5 + i] < 0x20 || a[5 + i] > 0x7e) {
			scstu_req_invalid_param(req, off + 5 + i, -1);
			return false;
		}
	return true;
}

/* Check the whole list; the attributes start at 4. */
static bool list_check(struct scstu_req *req, const uint8_t *b,
		       uint32_t end)
{
	uint32_t off = 4;
	int last = -1;

	while (off < end) {
		if (end - off < 5 || end - off - 5 < get_be16(&b[off + 3])) {
			/* PARAMETER LIST LENGTH ERROR */
			scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x1a, 0);
			return false;
		}
		if ((int)get_be16(&b[off]) <= last) {	/* ascending order */
			scstu_req_invalid_param(req, off, -1);
			return false;
		}
		if (!attr_check(req, &b[off], off))
			return false;
		last = get_be16(&b[off]);
		off += 5U + get_be16(&b[off + 3]);
	}
	return true;
}

/* Apply a checked list to a copy; NULL if it does not fit or no memory
 * (*space tells which). */
static struct ssc_mam *list_apply(struct ssc_mam *m, const uint8_t *b,
				  uint32_t end, bool *space)
{
	struct ssc_mam *n = calloc(1, sizeof(*n));
	uint32_t off;
	unsigned int i;

	*space = false;
	if (!n)
		return NULL;
	for (i = 0; i < m->nr; i++)
		if (attr_set(n, m->a[i].id, m->a[i].fmt, m->a[i].val,
			     m->a[i].len))
			goto fail;
	for (off = 4; off < end; off += 5U + get_be16(&b[off + 3]))
		if (attr_set(n, get_be16(&b[off]), b[off + 2] & 3,
			     &b[off + 5], get_be16(&b[off + 3])))
			goto fail;
	if (blob_len(n) <= MAM_CAP)
		return n;
	*space = true;
fail:
	attrs_clear(n);
	free(n);
	return NULL;
}

void ssc_write_attribute(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	struct ssc_mam *m = mam_of(d), *n;
	const uint8_t *cdb = req->cdb, *b = req->data;
	uint32_t plen = get_be32(&cdb[10]), end;
	bool space;
	int ret;

	if (cdb[5]) {
		scstu_req_invalid_cdb(req, 5, -1);
		return;
	}
	if (!svc_loaded(req, d))
		return;
	if (cdb[7] >= svc_nr_parts(d)) {
		scstu_req_invalid_cdb(req, 7, -1);
		return;
	}
	if (req->dir != SCSTU_DIR_WRITE || !b)
		plen = 0;
	else if (plen > req->xfer_len)
		plen = req->xfer_len;
	if (!plen) {
		scstu_req_done(req);
		return;
	}
	if (d->write_protected) {
		scstu_req_check(req, SCSTU_DATA_PROTECT, 0x27, 0x00);
		return;
	}
	if (plen < 4 || get_be32(b) > plen - 4) {
		scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
		return;
	}
	end = 4 + get_be32(b);
	if (!list_check(req, b, end))
		return;
	n = list_apply(m->bad ? &(struct ssc_mam){ 0 } : m, b, end, &space);
	if (!n) {
		if (space)	/* AUXILIARY MEMORY OUT OF SPACE */
			scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x55, 0x06);
		else
			scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		return;
	}
	attrs_clear(m);
	m->a = n->a;
	m->nr = n->nr;
	m->bad = false;
	free(n);
	ret = blob_write(d);
	if (ret) {
		m->dirty = true;
		/* AUXILIARY MEMORY WRITE ERROR */
		scstu_req_check(req, SCSTU_MEDIUM_ERROR, 0x0c, 0x0b);
		return;
	}
	scstu_req_complete(req, SCSTU_GOOD, req->xfer_len - plen);
}
