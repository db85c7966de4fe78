// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SMC-3 MOVE MEDIUM (6.6), EXCHANGE MEDIUM (6.2), POSITION TO ELEMENT
 * (6.7), INITIALIZE ELEMENT STATUS (6.3) and INITIALIZE ELEMENT STATUS
 * WITH RANGE (6.4).
 *
 * Checks, in this order, before anything moves:
 *  - MEDIUM TRANSPORT ADDRESS: 0 (the default) or the transport
 *    element; source and destinations: storage, import/export or drive
 *    elements (the transport element cannot be named, see mode page
 *    1Fh): else 21/01 INVALID ELEMENT ADDRESS with a field pointer to
 *    the address;
 *  - a source that is empty: 3B/0E MEDIUM SOURCE ELEMENT EMPTY; a
 *    destination that is full: 3B/0D MEDIUM DESTINATION ELEMENT FULL;
 *  - a destination that is an import/export element while any I_T
 *    nexus prevents medium removal: 53/02 MEDIUM REMOVAL PREVENTED.
 * Then the handler's ->move carries it out; its errors become:
 *  -EBUSY from a drive source (the drive still holds its medium loaded:
 *   the initiator has not unloaded it): ILLEGAL REQUEST, 53/01 UNLOAD
 *   TAPE FAILURE, which IBM libraries report when a drive did not give
 *   its cartridge up (Quantum uses a vendor code, 3B/90);
 *  -EBUSY for any other move: 3B/0D (the destination is occupied after
 *   all);
 *  -EMEDIUMTYPE: ILLEGAL REQUEST, 30/00 INCOMPATIBLE MEDIUM INSTALLED;
 *  -EIO: HARDWARE ERROR, 53/00 MEDIA LOAD OR EJECT FAILED;
 *  anything else: HARDWARE ERROR, 44/00 INTERNAL TARGET FAILURE.
 * Nothing changes when ->move fails.
 *
 * EXCHANGE MEDIUM moves the source's medium to the first destination
 * and the first destination's medium to the second destination, as two
 * moves (first destination to second destination, then source to first
 * destination), or, when the second destination is the source (a swap),
 * as three through the transport element (first destination to the
 * transport, source to first destination, transport to source). If a
 * later move fails, the earlier ones are moved back.
 */
#include <errno.h>
#include <string.h>
#include "smc.h"

void smc_move_error(struct scstu_req *req, int err,
		    enum scstu_elem_type src_type)
{
	switch (err) {
	case -EBUSY:
		if (src_type == SCSTU_ELEM_DRIVE)
			scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x53, 0x01);
		else
			scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0d);
		break;
	case -EMEDIUMTYPE:
		scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x30, 0x00);
		break;
	case -EIO:
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x53, 0x00);
		break;
	default:
		scstu_log(SCSTU_LOG_ERR, "%s: changer move failed: %d",
			  req->dev->name, err);
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		break;
	}
}

int smc_do_move(struct scstu_dev *dev, struct smc_elem *src,
		struct smc_elem *dst)
{
	struct scstu_element *s = &src->e, *d = &dst->e;
	int ret = smc_of(dev)->ops.move(dev, s, d);

	if (ret)
		return ret > 0 ? -EIO : ret;
	d->full = true;
	memcpy(d->voltag, s->voltag, sizeof(d->voltag));
	if (s->type == SCSTU_ELEM_STORAGE ||
	    s->type == SCSTU_ELEM_IMPORT_EXPORT) {
		d->source = s->addr;
		d->source_valid = true;
	} else {
		d->source = s->source;
		d->source_valid = s->source_valid;
	}
	dst->impexp = false;		/* placed by the robot */
	s->full = false;
	s->voltag[0] = 0;
	s->source = 0;
	s->source_valid = false;
	src->impexp = false;
	return 0;
}

static bool transport_ok(struct scstu_req *req)
{
	struct smc_dev *sd = smc_of(req->dev);
	uint16_t t = get_be16(&req->cdb[2]);

	if (t && t != smc_range_of(sd, SCSTU_ELEM_TRANSPORT)->first) {
		smc_bad_addr(req, 2);
		return false;
	}
	return true;
}

/* A source or destination element named at CDB byte; NULL: sense set. */
static struct smc_elem *cdb_elem(struct scstu_req *req, unsigned int byte)
{
	struct smc_elem *e = smc_find(smc_of(req->dev),
				      get_be16(&req->cdb[byte]));

	if (!e || e->e.type == SCSTU_ELEM_TRANSPORT) {
		smc_bad_addr(req, byte);
		return NULL;
	}
	return e;
}

static bool removal_ok(struct scstu_req *req, const struct smc_elem *dst)
{
	if (dst->e.type == SCSTU_ELEM_IMPORT_EXPORT &&
	    smc_prevented(smc_of(req->dev))) {
		scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x53, 0x02);
		return false;
	}
	return true;
}

static void check_empty_src(struct scstu_req *req)
{
	scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0e);
}

static void check_full_dst(struct scstu_req *req)
{
	scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x3b, 0x0d);
}

void smc_move_medium(struct scstu_req *req)
{
	struct smc_elem *src, *dst;
	int ret;

	if (!transport_ok(req))
		return;
	src = cdb_elem(req, 4);
	if (!src)
		return;
	dst = cdb_elem(req, 6);
	if (!dst)
		return;
	if (!src->e.full) {
		check_empty_src(req);
		return;
	}
	if (dst->e.full) {
		check_full_dst(req);
		return;
	}
	if (!removal_ok(req, dst))
		return;
	ret = smc_do_move(req->dev, src, dst);
	if (ret) {
		smc_move_error(req, ret, src->e.type);
		return;
	}
	smc_changed(req->dev);
	scstu_req_done(req);
}

/*
 * Moves of an exchange, undone in reverse order if one fails. The
 * elements' saved states are put back after a successful undo, so the
 * source addresses (SVALID) are what they were.
 */
struct xchg {
	struct smc_elem *from[3], *to[3];
	struct smc_elem *touched[4], saved[4];
	unsigned int nr, nr_touched;
};

static void xchg_touch(struct xchg *x, struct smc_elem *e)
{
	unsigned int i;

	for (i = 0; i < x->nr_touched; i++)
		if (x->touched[i] == e)
			return;
	x->touched[i] = e;
	x->saved[i] = *e;
	x->nr_touched++;
}

static void xchg_add(struct xchg *x, struct smc_elem *from,
		     struct smc_elem *to)
{
	xchg_touch(x, from);
	xchg_touch(x, to);
	x->from[x->nr] = from;
	x->to[x->nr] = to;
	x->nr++;
}

/* Run the moves; 0, or the error of the failing one (*failed). */
static int xchg_run(struct scstu_dev *dev, struct xchg *x,
		    unsigned int *failed)
{
	unsigned int i, j;
	int ret;

	for (i = 0; i < x->nr; i++) {
		ret = smc_do_move(dev, x->from[i], x->to[i]);
		if (!ret)
			continue;
		*failed = i;
		for (j = i; j > 0; j--)
			if (smc_do_move(dev, x->to[j - 1], x->from[j - 1]))
				break;
		if (!j)
			for (j = 0; j < x->nr_touched; j++)
				*x->touched[j] = x->saved[j];
		else
			scstu_log(SCSTU_LOG_ERR, "%s: exchange could not be "
				  "undone", dev->name);
		return ret;
	}
	return 0;
}

void smc_exchange_medium(struct scstu_req *req)
{
	struct smc_dev *sd = smc_of(req->dev);
	struct smc_elem *src, *d1, *d2, *mt;
	struct xchg x = { .nr = 0 };
	unsigned int failed = 0;
	int ret;

	if (!transport_ok(req))
		return;
	src = cdb_elem(req, 4);
	if (!src)
		return;
	d1 = cdb_elem(req, 6);
	if (!d1)
		return;
	d2 = cdb_elem(req, 8);
	if (!d2)
		return;
	if (!src->e.full || !d1->e.full) {
		check_empty_src(req);
		return;
	}
	/* d1 receives the source's medium, d2 the one of d1 */
	if (d1 == src || d2 == d1 || (d2 != src && d2->e.full)) {
		check_full_dst(req);
		return;
	}
	if (!removal_ok(req, d1) || !removal_ok(req, d2))
		return;
	if (d2 == src) {
		mt = &sd->elems[smc_range_of(sd, SCSTU_ELEM_TRANSPORT)->index];
		if (mt->e.full) {
			check_full_dst(req);
			return;
		}
		xchg_add(&x, d1, mt);
		xchg_add(&x, src, d1);
		xchg_add(&x, mt, src);
	} else {
		xchg_add(&x, d1, d2);
		xchg_add(&x, src, d1);
	}
	ret = xchg_run(req->dev, &x, &failed);
	if (ret) {
		smc_changed(req->dev);
		smc_move_error(req, ret, x.from[failed]->e.type);
		return;
	}
	smc_changed(req->dev);
	scstu_req_done(req);
}

void smc_position(struct scstu_req *req)
{
	if (!transport_ok(req))
		return;
	if (!smc_find(smc_of(req->dev), get_be16(&req->cdb[4]))) {
		smc_bad_addr(req, 4);
		return;
	}
	/* the virtual picker is wherever it needs to be */
	scstu_req_done(req);
}

void smc_init_status(struct scstu_req *req)
{
	/* the inventory is always known: nothing to scan */
	scstu_req_done(req);
}

void smc_init_status_range(struct scstu_req *req)
{
	/* RANGE: only from STARTING ELEMENT ADDRESS; FAST: no effect */
	if ((req->cdb[1] & 0x01) &&
	    !smc_find(smc_of(req->dev), get_be16(&req->cdb[2]))) {
		smc_bad_addr(req, 2);
		return;
	}
	scstu_req_done(req);
}
