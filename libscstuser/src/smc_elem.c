// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SMC-3 6.10 READ ELEMENT STATUS.
 *
 * Data: an 8-byte header (first element address reported, number of
 * elements available, byte count of report available), then one element
 * status page per element type with elements to report, in address
 * order: an 8-byte page header (type, PVOLTAG, AVOLTAG 0, element
 * descriptor length, byte count of descriptor data available) and one
 * descriptor per element:
 *   0-1   element address
 *   2     flags: FULL 0, IMPEXP 1 (I/E), EXCEPT 2, ACCESS 3 (not the
 *         transport), EXENAB 4 and INENAB 5 (I/E)
 *   4-5   ASC/ASCQ of an element in an abnormal state (EXCEPT)
 *   6-8   0 (a drive's bus address is not known to the changer)
 *   9     SVALID 7 (INVERT 6 is never set; MEDIUM TYPE 0)
 *   10-11 source storage element address (with SVALID)
 *   12-47 with VOLTAG: primary volume tag, the barcode padded with
 *         spaces to 32 bytes, 2 reserved bytes and a volume sequence
 *         number of 0; all zero for an empty element or no barcode
 *   then  code set, association/identifier type, reserved, identifier
 *         length, and with DVCID for drives the identifier, padded to
 *         the longest configured one (length 0 for other types or
 *         without DVCID)
 * so 16 bytes per element, 52 with VOLTAG, plus the identifier field
 * for drives with DVCID, as real libraries report.
 *
 * Selection: elements of the requested type (0: all) whose address is
 * at least STARTING ELEMENT ADDRESS, at most NUMBER OF ELEMENTS of them.
 * The starting address needs not be an element's (mtx walks all types
 * from address 0); one above the library's highest address gets 21/01.
 * The header and page counts are never adjusted to the allocation
 * length; the transfer stops at the last whole descriptor (or page
 * header) that fits. DVCID when no drive identifiers were configured:
 * 24/00 on the bit, as libraries without device identifiers do. CURDATA
 * is accepted: the state is always current, nothing moves.
 */
#include <stdlib.h>
#include <string.h>
#include "smc.h"

#define RES_HDR		8
#define RES_VOLTAG	36

struct res_args {
	bool voltag, dvcid;
	uint8_t type;
	uint16_t start, max;
};

static unsigned int desc_len(struct smc_dev *sd, const struct res_args *a,
			     enum scstu_elem_type type)
{
	unsigned int len = 12 + (a->voltag ? RES_VOLTAG : 0) + 4;

	if (a->dvcid && type == SCSTU_ELEM_DRIVE)
		len += sd->dvcid_len;
	return len;
}

static uint8_t elem_flags(const struct smc_elem *se)
{
	const struct scstu_element *e = &se->e;
	uint8_t f = e->full ? 0x01 : 0;

	if (e->except)
		f |= 0x04;
	switch (e->type) {
	case SCSTU_ELEM_TRANSPORT:
		break;
	case SCSTU_ELEM_IMPORT_EXPORT:
		f |= 0x20 | 0x10;			/* INENAB, EXENAB */
		if (!e->ie_accessible && !e->except)
			f |= 0x08;			/* ACCESS */
		if (e->full && se->impexp)
			f |= 0x02;			/* IMPEXP */
		break;
	default:
		if (!e->except)
			f |= 0x08;			/* ACCESS */
		break;
	}
	return f;
}

static void fill_desc(struct smc_dev *sd, const struct res_args *a,
		      const struct smc_elem *se, uint8_t *p)
{
	const struct scstu_element *e = &se->e;
	unsigned int off = 12;

	put_be16(e->addr, &p[0]);
	p[2] = elem_flags(se);
	if (e->except) {
		p[4] = e->asc;
		p[5] = e->ascq;
	}
	if (e->full && e->source_valid) {
		p[9] = 0x80;				/* SVALID */
		put_be16(e->source, &p[10]);
	}
	if (a->voltag) {
		if (e->full && e->voltag[0])
			spc_put_ascii(&p[off], e->voltag, SCSTU_VOLTAG_LEN);
		off += RES_VOLTAG;
	}
	if (a->dvcid && e->type == SCSTU_ELEM_DRIVE) {
		const struct smc_range *r = smc_range_of(sd, e->type);
		const struct scstu_changer_drive *d =
			&sd->drives[e->addr - r->first];

		if (d->id_len) {
			p[off] = d->code_set;
			p[off + 1] = d->id_type;	/* association 0: LU */
			p[off + 3] = d->id_len;
			memcpy(&p[off + 4], d->id, d->id_len);
		}
	}
}

/* Highest element address of the library. */
static uint16_t last_addr(struct smc_dev *sd)
{
	const struct smc_range *r = &sd->ranges[sd->nr_ranges - 1];

	return (uint16_t)(r->first + r->count - 1);
}

/* Descriptors of range r to report, from index *from. */
static unsigned int range_count(const struct smc_range *r,
				const struct res_args *a, unsigned int left,
				unsigned int *from)
{
	unsigned int n;

	if ((a->type && a->type != r->type) ||
	    (uint32_t)r->first + r->count <= a->start)
		return 0;
	*from = a->start > r->first ? a->start - r->first : 0;
	n = r->count - *from;
	return n < left ? n : left;
}

/* Total report length, header included. */
static size_t report_len(struct smc_dev *sd, const struct res_args *a)
{
	unsigned int left = a->max, i, from, n;
	size_t len = RES_HDR;

	for (i = 0; i < sd->nr_ranges && left; i++) {
		n = range_count(&sd->ranges[i], a, left, &from);
		if (!n)
			continue;
		len += RES_HDR + (size_t)n * desc_len(sd, a,
						      sd->ranges[i].type);
		left -= n;
	}
	return len;
}

/*
 * Build the report into buf; returns the number of bytes to transfer
 * for allocation length alloc (whole descriptors and page headers).
 */
static size_t build(struct smc_dev *sd, const struct res_args *a,
		    uint8_t *buf, size_t total, uint32_t alloc)
{
	unsigned int left = a->max, nr = 0, i, j, from, n, dlen;
	size_t off = RES_HDR, cut = alloc < RES_HDR ? alloc : RES_HDR;
	bool first = true;

	for (i = 0; i < sd->nr_ranges && left; i++) {
		const struct smc_range *r = &sd->ranges[i];
		uint8_t *pg = &buf[off];

		n = range_count(r, a, left, &from);
		if (!n)
			continue;
		dlen = desc_len(sd, a, r->type);
		pg[0] = (uint8_t)r->type;
		pg[1] = a->voltag ? 0x80 : 0;		/* PVOLTAG */
		put_be16((uint16_t)dlen, &pg[2]);
		put_be24(n * dlen, &pg[5]);
		off += RES_HDR;
		if (off <= alloc)
			cut = off;
		if (first)
			put_be16((uint16_t)(r->first + from), &buf[0]);
		first = false;
		for (j = 0; j < n; j++) {
			fill_desc(sd, a, &sd->elems[r->index + from + j],
				  &buf[off]);
			off += dlen;
			if (off <= alloc)
				cut = off;
		}
		nr += n;
		left -= n;
	}
	put_be16((uint16_t)nr, &buf[2]);
	put_be24((uint32_t)(total - RES_HDR), &buf[5]);
	return cut;
}

void smc_read_element_status(struct scstu_req *req)
{
	struct smc_dev *sd = smc_of(req->dev);
	const uint8_t *cdb = req->cdb;
	struct res_args a = {
		.voltag = cdb[1] & 0x10,
		.dvcid = cdb[6] & 0x01,
		.type = cdb[1] & 0x0f,
		.start = get_be16(&cdb[2]),
		.max = get_be16(&cdb[4]),
	};
	uint32_t alloc = get_be24(&cdb[7]);
	size_t total, len;
	uint8_t *buf;

	if (a.type > SCSTU_ELEM_DRIVE) {
		scstu_req_invalid_cdb(req, 1, 3);
		return;
	}
	if (a.dvcid && !sd->drives) {
		scstu_req_invalid_cdb(req, 6, 0);
		return;
	}
	if (a.start > last_addr(sd)) {
		smc_bad_addr(req, 2);
		return;
	}
	total = report_len(sd, &a);
	buf = calloc(1, total);
	if (!buf) {
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		return;
	}
	len = build(sd, &a, buf, total, alloc);
	scstu_req_reply(req, buf, len);
	free(buf);
}
