/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Check assertions on what the in-process harness returned, shared by
 * the SDK's disk, tape and changer suites.
 */
#ifndef SCSTU_TEST_HARNESS_CHECK_H
#define SCSTU_TEST_HARNESS_CHECK_H

#include <scstuser_harness.h>

/* GOOD status (the message shows the sense if not). */
void hc_good(const struct scstu_harness_result *res);
/* CHECK CONDITION with sense key/asc/ascq (nothing about the rest). */
void hc_sense(const struct scstu_harness_result *res, int key, int asc,
	      int ascq);
/*
 * ILLEGAL REQUEST asc/ascq with a sense-key specific field pointer at
 * byte (and bit; -1: no bit pointer). C/D must say "CDB" unless asc is
 * 26h (INVALID FIELD IN PARAMETER LIST).
 */
void hc_field(const struct scstu_harness_result *res, int asc, int ascq,
	      unsigned int byte, int bit);

#endif
