// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Helpers of the tape services (log pages, MAM, encryption): replies
 * cut to the allocation length, the medium's readiness, density and
 * space (ssc_svc.h).
 */
#include <string.h>
#include "ssc_svc.h"

void svc_reply(struct scstu_req *req, const void *buf, size_t len,
	       uint32_t alloc)
{
	scstu_req_reply(req, buf, len < alloc ? len : alloc);
}

bool svc_loaded(struct scstu_req *req, struct ssc_drive *d)
{
	if (d->state == SCSTU_TAPE_LOADED && d->mops)
		return true;
	/* MEDIUM NOT PRESENT */
	scstu_req_check(req, SCSTU_NOT_READY, 0x3a, 0x00);
	return false;
}

/* LTO-1..9 density codes (SSC-4 / LTO format specifications) */
static const uint8_t lto_density[10] = {
	0x00, 0x40, 0x42, 0x44, 0x46, 0x58, 0x5a, 0x5c, 0x5e, 0x60,
};

uint8_t svc_density(const struct scstu_tape_media *m)
{
	if (m->cleaning || m->generation > 9)
		return 0;
	if (m->type_m)
		return 0x5d;		/* LTO-7 Type M (M8) */
	return lto_density[m->generation];
}

unsigned int svc_nr_parts(struct ssc_drive *d)
{
	if (d->state != SCSTU_TAPE_LOADED || !d->mops ||
	    !d->mops->nr_partitions)
		return d->state == SCSTU_TAPE_LOADED ? 1 : 0;
	return d->mops->nr_partitions(d->medium);
}

void svc_space(struct ssc_drive *d, unsigned int part, uint64_t *cap,
	       uint64_t *used)
{
	*cap = 0;
	*used = 0;
	if (part >= svc_nr_parts(d) || !d->mops->space)
		return;
	d->mops->space(d->medium, part, cap, used);
	if (*used > *cap)
		*used = *cap;
}
