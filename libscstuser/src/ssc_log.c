// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tape drive log pages (SPC-4 LOG SENSE / LOG SELECT, SSC-4 pages, the
 * IBM/HP LTO vendor pages):
 *   00h      supported pages (subpage FFh: supported pages and subpages)
 *   0Ch      sequential-access device: bytes from/to the initiator and
 *            the medium, native capacity (MB = 10^6 bytes)
 *   17h      volume statistics of the loaded medium
 *   2Eh      TapeAlert: 64 one-byte flags, cleared when read
 *   31h      tape capacity: remaining/maximum of partitions 0 and 1 in
 *            MiB (IBM/HP layout)
 *   32h      data compression: ratios x100, bytes in whole MiB (rounded)
 *            plus a signed remainder (IBM/HP layout)
 * Counters come from the drive's ssc_counters (the tape core keeps them)
 * minus a base taken at load and at a reset (LOG SELECT PCR, or a page
 * reset to its defaults). Only cumulative values exist: PC 01b gives
 * the current, 11b the default ones (counters 0); threshold PCs, SP and
 * PPC are refused (24/00). Nothing can be written with LOG SELECT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ssc_svc.h"

#define LP_MAX		1024
#define CTL_CNT		0x40	/* DS (obsolete in SPC-4, set by LTO
				 * drives: not savable), bounded counter */
#define CTL_ASCII	0x41	/* ... ASCII format list */
#define CTL_BIN		0x43	/* ... binary format list */
#define MB		1000000ULL

struct ssc_logs {
	struct ssc_counters base_0c;	/* page 0Ch counters start here */
	struct ssc_counters base_32;	/* page 32h */
	uint64_t ta_active;		/* flags not read yet: bit n-1 */
	uint64_t ta_load;		/* flags active since the load */
};

struct lpage {
	uint8_t b[LP_MAX];
	unsigned int len;
};

static const uint8_t log_pages[] = { 0x00, 0x0c, 0x17, 0x2e, 0x31, 0x32 };

static struct ssc_logs *logs_of(struct ssc_drive *d)
{
	return d->logs;
}

int ssc_log_init(struct ssc_drive *d)
{
	d->logs = calloc(1, sizeof(struct ssc_logs));
	return d->logs ? 0 : -ENOMEM;
}

void ssc_log_free(struct ssc_drive *d)
{
	free(d->logs);
	d->logs = NULL;
}

void svc_log_loaded(struct ssc_drive *d)
{
	struct ssc_logs *l = logs_of(d);

	l->base_0c = d->cnt;
	l->base_32 = d->cnt;
	l->ta_load = 0;
}

uint64_t svc_log_tapealert_mask(struct ssc_drive *d)
{
	uint64_t m = logs_of(d)->ta_load, r = 0;
	unsigned int i;

	/* flag n at bit 64 - n: flag 1 is the most significant bit */
	for (i = 0; i < 64; i++)
		if (m & (1ULL << i))
			r |= 1ULL << (63 - i);
	return r;
}

void ssc_log_tapealert(struct ssc_drive *d, unsigned int flag)
{
	if (flag < 1 || flag > 64)
		return;
	logs_of(d)->ta_active |= 1ULL << (flag - 1);
	logs_of(d)->ta_load |= 1ULL << (flag - 1);
}

/* --- page building ---------------------------------------------------- */

static void lp_raw(struct lpage *p, uint16_t code, uint8_t ctl,
		   const void *val, uint8_t len)
{
	uint8_t *q = &p->b[p->len];

	if (p->len + 4U + len > LP_MAX)
		return;
	put_be16(code, q);
	q[2] = ctl;
	q[3] = len;
	memcpy(q + 4, val, len);
	p->len += 4U + len;
}

/* A counter of len bytes (1..8), saturated. */
static void lp_u(struct lpage *p, uint16_t code, uint64_t v, uint8_t len)
{
	uint8_t b[8];
	int i;

	if (len < 8 && v >= 1ULL << (8 * len))
		v = (1ULL << (8 * len)) - 1;
	for (i = len - 1; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
	lp_raw(p, code, CTL_CNT, b, len);
}

static void lp_ascii(struct lpage *p, uint16_t code, const char *s,
		     uint8_t width)
{
	uint8_t b[64];

	spc_put_ascii(b, s, width);
	lp_raw(p, code, CTL_ASCII, b, width);
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static struct ssc_counters since(const struct ssc_counters *c,
				 const struct ssc_counters *base)
{
	struct ssc_counters r = {
		.bytes_written = sub0(c->bytes_written, base->bytes_written),
		.bytes_read = sub0(c->bytes_read, base->bytes_read),
		.bytes_stored = sub0(c->bytes_stored, base->bytes_stored),
		.bytes_retrieved = sub0(c->bytes_retrieved,
					base->bytes_retrieved),
	};

	return r;
}

/* Ratio x100 of logical to stored bytes; 100 (1:1) with no data. */
static uint64_t ratio100(uint64_t logical, uint64_t stored)
{
	if (!logical || !stored)
		return 100;
	return logical * 100 / stored;
}

static void page_supported(struct lpage *p, bool subpages)
{
	unsigned int i;

	for (i = 0; i < sizeof(log_pages); i++) {
		p->b[p->len++] = log_pages[i];
		if (subpages) {
			p->b[p->len++] = 0x00;
			if (!log_pages[i]) {
				p->b[p->len++] = 0x00;
				p->b[p->len++] = 0xff;
			}
		}
	}
}

static void page_seq(struct ssc_drive *d, struct lpage *p, bool def)
{
	struct ssc_counters c = { 0 };
	uint64_t cap = 0, used = 0;

	if (!def) {
		c = since(&d->cnt, &logs_of(d)->base_0c);
		svc_space(d, d->part, &cap, &used);
	}
	lp_u(p, 0x0000, c.bytes_written, 8);
	lp_u(p, 0x0001, c.bytes_stored, 8);
	lp_u(p, 0x0002, c.bytes_retrieved, 8);
	lp_u(p, 0x0003, c.bytes_read, 8);
	lp_u(p, 0x0004, used / MB, 4);		/* BOP to EOD */
	lp_u(p, 0x0005, cap / MB, 4);		/* BOP to EW */
	lp_u(p, 0x0100, 0, 1);			/* no cleaning required */
}

/* Partition record descriptors of 0202h..0204h: MB per partition. */
static void lp_parts(struct ssc_drive *d, struct lpage *p, uint16_t code,
		     int what)
{
	uint8_t b[4 * 8 * 4];
	unsigned int n = svc_nr_parts(d), i, len = 0;

	for (i = 0; i < n && len + 8 <= sizeof(b); i++) {
		uint64_t cap, used, v;

		svc_space(d, i, &cap, &used);
		v = what == 0 ? cap : what == 1 ? used : cap - used;
		v /= MB;
		b[len] = 7;			/* descriptor length - 1 */
		b[len + 1] = 0;
		put_be16((uint16_t)i, &b[len + 2]);
		put_be32(v > UINT32_MAX ? UINT32_MAX : (uint32_t)v,
			 &b[len + 4]);
		len += 8;
	}
	lp_raw(p, code, CTL_BIN, b, (uint8_t)len);
}

static void page_volstat(struct ssc_drive *d, struct lpage *p, bool def)
{
	struct ssc_counters c;
	uint64_t cap = 0, used = 0, lw, lr;
	unsigned int i;

	if (def || d->state != SCSTU_TAPE_LOADED) {
		lp_u(p, 0x0000, 0, 1);		/* page not valid */
		return;
	}
	c = since(&d->cnt, &logs_of(d)->base_0c);
	svc_mam_lifetime(d, &lw, &lr);
	for (i = 0; i < svc_nr_parts(d); i++) {
		uint64_t pc, pu;

		svc_space(d, i, &pc, &pu);
		cap += pc;
		used += pu;
	}
	lp_u(p, 0x0000, 1, 1);			/* page valid */
	lp_u(p, 0x0001, svc_mam_load_count(d), 4);	/* thread count */
	lp_u(p, 0x000e, c.bytes_written / MB, 4);
	lp_u(p, 0x000f, c.bytes_read / MB, 4);
	lp_u(p, 0x0010, lw * SVC_MIB / MB, 4);
	lp_u(p, 0x0011, lr * SVC_MIB / MB, 4);
	lp_u(p, 0x0012, ratio100(c.bytes_written, c.bytes_stored), 2);
	lp_u(p, 0x0013, ratio100(c.bytes_read, c.bytes_retrieved), 2);
	lp_u(p, 0x0016, cap / MB, 4);
	lp_u(p, 0x0017, used / MB, 4);
	lp_ascii(p, 0x0040, d->media.serial, 32);
	lp_ascii(p, 0x0042, d->media.barcode, 32);
	lp_ascii(p, 0x0043, "SCSTU", 8);
	lp_u(p, 0x0080, d->write_protected, 1);
	lp_u(p, 0x0081, d->media.worm, 1);
	lp_parts(d, p, 0x0202, 0);
	lp_parts(d, p, 0x0203, 1);
	lp_parts(d, p, 0x0204, 2);
}

static void page_tapealert(struct ssc_drive *d, struct lpage *p, bool def)
{
	unsigned int i;

	for (i = 1; i <= 64; i++)
		lp_u(p, (uint16_t)i,
		     !def && (logs_of(d)->ta_active & (1ULL << (i - 1))), 1);
}

static void page_capacity(struct ssc_drive *d, struct lpage *p, bool def)
{
	uint64_t cap[2] = { 0, 0 }, used[2] = { 0, 0 };
	unsigned int i;

	for (i = 0; i < 2 && !def; i++)
		svc_space(d, i, &cap[i], &used[i]);
	lp_u(p, 0x0001, (cap[0] - used[0]) / SVC_MIB, 4);
	lp_u(p, 0x0002, (cap[1] - used[1]) / SVC_MIB, 4);
	lp_u(p, 0x0003, cap[0] / SVC_MIB, 4);
	lp_u(p, 0x0004, cap[1] / SVC_MIB, 4);
}

/* Bytes as whole MiB (rounded to the nearest) and the signed rest. */
static void lp_mib_pair(struct lpage *p, uint16_t code, uint64_t bytes)
{
	uint64_t mib = (bytes + SVC_MIB / 2) / SVC_MIB;
	int64_t rest = (int64_t)(bytes - mib * SVC_MIB);

	if (mib > UINT32_MAX)
		mib = UINT32_MAX;
	lp_u(p, code, mib, 4);
	lp_u(p, code + 1, (uint32_t)(int32_t)rest, 4);
}

static void page_compression(struct ssc_drive *d, struct lpage *p, bool def)
{
	struct ssc_counters c = { 0 };

	if (!def)
		c = since(&d->cnt, &logs_of(d)->base_32);
	lp_u(p, 0x0000, ratio100(c.bytes_read, c.bytes_retrieved), 2);
	lp_u(p, 0x0001, ratio100(c.bytes_written, c.bytes_stored), 2);
	lp_mib_pair(p, 0x0002, c.bytes_read);
	lp_mib_pair(p, 0x0004, c.bytes_retrieved);
	lp_mib_pair(p, 0x0006, c.bytes_written);
	lp_mib_pair(p, 0x0008, c.bytes_stored);
}

/* Build page/subpage (parameters only, after the 4-byte header). */
static bool build(struct ssc_drive *d, uint8_t page, uint8_t sub, bool def,
		  struct lpage *p)
{
	p->len = 4;
	if (sub && !(page == 0 && sub == 0xff))
		return false;
	switch (page) {
	case 0x00:
		page_supported(p, sub == 0xff);
		break;
	case 0x0c:
		page_seq(d, p, def);
		break;
	case 0x17:
		page_volstat(d, p, def);
		break;
	case 0x2e:
		page_tapealert(d, p, def);
		break;
	case 0x31:
		page_capacity(d, p, def);
		break;
	case 0x32:
		page_compression(d, p, def);
		break;
	default:
		return false;
	}
	p->b[0] = page | (sub ? 0x40 : 0);	/* SPF */
	p->b[1] = sub;
	return true;
}

static bool page_known(uint8_t page)
{
	return memchr(log_pages, page, sizeof(log_pages)) != NULL;
}

/* Keep the parameters with code >= ptr; false if ptr is past them all. */
static bool filter(struct lpage *p, uint16_t ptr)
{
	unsigned int in = 4, out = 4;
	bool any = false;

	while (in + 4 <= p->len) {
		unsigned int n = 4U + p->b[in + 3];

		if (get_be16(&p->b[in]) >= ptr) {
			memmove(&p->b[out], &p->b[in], n);
			out += n;
			any = true;
		}
		in += n;
	}
	p->len = out;
	return any;
}

/* TapeAlert flags sent in full to the initiator are cleared. */
static void tapealert_read(struct ssc_drive *d, const struct lpage *p,
			   uint32_t sent)
{
	unsigned int off;

	for (off = 4; off + 5 <= p->len && off + 5 <= sent; off += 5) {
		uint16_t flag = get_be16(&p->b[off]);

		if (flag >= 1 && flag <= 64)
			logs_of(d)->ta_active &= ~(1ULL << (flag - 1));
	}
}

void ssc_log_sense(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	const uint8_t *cdb = req->cdb;
	uint8_t pc = cdb[2] >> 6, page = cdb[2] & 0x3f, sub = cdb[3];
	uint16_t ptr = get_be16(&cdb[5]);
	uint32_t alloc = get_be16(&cdb[7]), sent;
	struct lpage *p;

	if (cdb[1] & 0x01) {			/* SP: nothing is saved */
		scstu_req_invalid_cdb(req, 1, 0);
		return;
	}
	if (cdb[1] & 0x02) {			/* PPC */
		scstu_req_invalid_cdb(req, 1, 1);
		return;
	}
	if (pc == 0 || pc == 2) {		/* no threshold values */
		scstu_req_invalid_cdb(req, 2, 7);
		return;
	}
	if (!page_known(page)) {
		scstu_req_invalid_cdb(req, 2, 5);
		return;
	}
	p = malloc(sizeof(*p));
	if (!p) {
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		return;
	}
	if (!build(d, page, sub, pc == 3, p)) {
		free(p);
		scstu_req_invalid_cdb(req, 3, -1);
		return;
	}
	if (page == 0 ? ptr != 0 : !filter(p, ptr)) {
		free(p);
		scstu_req_invalid_cdb(req, 5, -1);
		return;
	}
	put_be16((uint16_t)(p->len - 4), &p->b[2]);
	sent = p->len < alloc ? p->len : alloc;
	if (req->dir == SCSTU_DIR_READ && sent > req->xfer_len)
		sent = req->xfer_len;
	if (page == 0x2e && pc == 1)
		tapealert_read(d, p, sent);
	svc_reply(req, p->b, p->len, alloc);
	free(p);
}

/* Set a page's parameters (page 0: all) to their default values. */
static void log_reset(struct ssc_drive *d, uint8_t page)
{
	struct ssc_logs *l = logs_of(d);

	if (!page || page == 0x0c)
		l->base_0c = d->cnt;
	if (!page || page == 0x32)
		l->base_32 = d->cnt;
	if (!page || page == 0x2e)
		l->ta_active = 0;
}

/*
 * A parameter list: every page must be one of ours and every parameter
 * one of its parameters; none can be changed, so the first parameter
 * ends it with 26/00 at its code. False: sense set.
 */
static bool select_list(struct scstu_req *req, const uint8_t *b,
			uint32_t plen)
{
	struct ssc_drive *d = ssc_of(req->dev);
	uint32_t off = 0;
	struct lpage *p = malloc(sizeof(*p));

	if (!p) {
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		return false;
	}
	while (off < plen) {
		uint32_t end, q;
		bool spf;

		if (plen - off < 4)
			goto len_error;
		spf = b[off] & 0x40;
		if (b[off] & 0x80 || !page_known(b[off] & 0x3f) ||
		    !build(d, b[off] & 0x3f, spf ? b[off + 1] : 0, false, p)) {
			scstu_req_invalid_param(req, off, 5);
			goto fail;
		}
		if (!spf && b[off + 1]) {
			scstu_req_invalid_param(req, off + 1, -1);
			goto fail;
		}
		end = off + 4 + get_be16(&b[off + 2]);
		if (end > plen)
			goto len_error;
		q = off + 4;
		if (q < end) {
			if (end - q < 4 || end - q < 4U + b[q + 3])
				goto len_error;
			/* known or not, no parameter can be written */
			scstu_req_invalid_param(req, q, -1);
			goto fail;
		}
		off = end;
	}
	free(p);
	return true;
len_error:
	scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
fail:
	free(p);
	return false;
}

void ssc_log_select(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	const uint8_t *cdb = req->cdb;
	bool pcr = cdb[1] & 0x02;
	uint8_t pc = cdb[2] >> 6, page = cdb[2] & 0x3f, sub = cdb[3];
	uint32_t plen = get_be16(&cdb[7]);

	if (cdb[1] & 0x01) {			/* SP */
		scstu_req_invalid_cdb(req, 1, 0);
		return;
	}
	if (pcr) {
		if (plen) {
			scstu_req_invalid_cdb(req, 7, -1);
			return;
		}
		if (pc == 1 || pc == 3)
			log_reset(d, 0);
		scstu_req_done(req);
		return;
	}
	if (!plen) {
		if (page && !page_known(page)) {
			scstu_req_invalid_cdb(req, 2, 5);
			return;
		}
		if (sub) {
			scstu_req_invalid_cdb(req, 3, -1);
			return;
		}
		if (pc == 1 || pc == 3)
			log_reset(d, page);
		scstu_req_done(req);
		return;
	}
	if (req->dir != SCSTU_DIR_WRITE || !req->data)
		plen = 0;
	else if (plen > req->xfer_len)
		plen = req->xfer_len;
	if (!select_list(req, req->data, plen))
		return;
	scstu_req_complete(req, SCSTU_GOOD, req->xfer_len - plen);
}
