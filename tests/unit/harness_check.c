// SPDX-License-Identifier: GPL-2.0
/* Assertions on harness results (harness_check.h). */
#include <string.h>
#include <check.h>
#include <scstuser.h>
#include "harness_check.h"

void hc_good(const struct scstu_harness_result *res)
{
	uint8_t asc = 0, ascq = 0;
	int key = scstu_harness_sense_key(res, &asc, &ascq);

	ck_assert_msg(res->status == SCSTU_GOOD,
		      "status 0x%02x, sense %x/%02x/%02x", res->status, key,
		      asc, ascq);
}

void hc_sense(const struct scstu_harness_result *res, int key, int asc,
	      int ascq)
{
	uint8_t a = 0, q = 0;
	int k;

	ck_assert_int_eq(res->status, SCSTU_CHECK_CONDITION);
	k = scstu_harness_sense_key(res, &a, &q);
	ck_assert_msg(k == key && a == asc && q == ascq,
		      "sense %x/%02x/%02x, expected %x/%02x/%02x", k, a, q,
		      key, asc, ascq);
}

void hc_field(const struct scstu_harness_result *res, int asc, int ascq,
	      unsigned int byte, int bit)
{
	struct scstu_sense s;
	unsigned int ptr, want0;

	hc_sense(res, SCSTU_ILLEGAL_REQUEST, asc, ascq);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(scstu_sense_parse(res->sense, res->sense_len, &s),
			 0);
	ck_assert(s.flags & SCSTU_SENSE_SKS);
	ptr = (unsigned int)s.sks[1] << 8 | s.sks[2];
	ck_assert_msg(ptr == byte, "field pointer byte %u, expected %u", ptr,
		      byte);
	/* C/D, then BPV and the bit pointer; the reserved bits zero */
	want0 = (asc != 0x26 ? 0x40 : 0) | (bit >= 0 ? 0x08 | bit : 0);
	ck_assert_msg((s.sks[0] & 0x7f) == want0,
		      "sense-key specific byte 0 0x%02x, expected 0x%02x",
		      s.sks[0] & 0x7f, want0);
}
