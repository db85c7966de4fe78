/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser private: helpers shared by the tape services (ssc_log.c,
 * ssc_mam.c, ssc_crypto.c). Not part of the tape core's contract
 * (ssc.h); only these three files include it.
 */
#ifndef SCSTU_SSC_SVC_H
#define SCSTU_SSC_SVC_H

#include "ssc.h"

#define SVC_MIB		(1024ULL * 1024)

/* Complete GOOD with min(len, alloc) bytes of buf. */
void svc_reply(struct scstu_req *req, const void *buf, size_t len,
	       uint32_t alloc);
/* The drive holds a loaded medium; else NOT READY 3A/00 and false. */
bool svc_loaded(struct scstu_req *req, struct ssc_drive *d);
/* Capacity and use of partition part in bytes (0 if no medium). */
void svc_space(struct ssc_drive *d, unsigned int part, uint64_t *cap,
	       uint64_t *used);
unsigned int svc_nr_parts(struct ssc_drive *d);

/* ssc_log.c for ssc_mam.c: log counters restart at a load; the active
 * TapeAlert flags since the load (MAM attribute 0002h, flag 1 in the
 * most significant bit). */
void svc_log_loaded(struct ssc_drive *d);
uint64_t svc_log_tapealert_mask(struct ssc_drive *d);

/* ssc_mam.c for ssc_log.c: loads of the medium, lifetime MiB. */
uint64_t svc_mam_load_count(struct ssc_drive *d);
void svc_mam_lifetime(struct ssc_drive *d, uint64_t *mib_written,
		      uint64_t *mib_read);

#endif /* SCSTU_SSC_SVC_H */
