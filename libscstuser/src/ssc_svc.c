// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Helpers of the tape services (log pages, MAM, encryption): replies
 * cut to the allocation length, the medium's readiness and space
 * (ssc_svc.h).
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
