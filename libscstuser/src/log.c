// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Logging: a level (SCSTU_LOG environment variable or
 * scstu_log_set_level()), an optional sink function, and one-line
 * descriptions of CDBs and sense data with the names libsgutils2 knows.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <scsi/sg_lib.h>

#include "internal.h"

#define LEVEL_UNSET	(-1)

static atomic_int log_level = LEVEL_UNSET;
static void (*_Atomic log_fn)(enum scstu_log_level level, const char *msg);

static int level_from_env(void)
{
	static const char *const names[] = { "err", "warn", "info", "debug" };
	const char *s = getenv("SCSTU_LOG");
	int i;

	if (!s || !*s)
		return SCSTU_LOG_WARN;
	for (i = 0; i < 4; i++)
		if (!strcasecmp(s, names[i]))
			return i;
	if (s[0] >= '0' && s[0] <= '3' && !s[1])
		return s[0] - '0';
	return SCSTU_LOG_WARN;
}

void scstu_log_set_level(enum scstu_log_level level)
{
	if ((int)level < SCSTU_LOG_ERR)
		level = SCSTU_LOG_ERR;
	if (level > SCSTU_LOG_DEBUG)
		level = SCSTU_LOG_DEBUG;
	atomic_store(&log_level, level);
}

enum scstu_log_level scstu_log_get_level(void)
{
	int l = atomic_load_explicit(&log_level, memory_order_relaxed);

	if (l == LEVEL_UNSET) {
		int expected = LEVEL_UNSET;

		l = level_from_env();
		if (!atomic_compare_exchange_strong(&log_level, &expected, l))
			l = expected;
	}
	return l;
}

void scstu_log_set_fn(void (*fn)(enum scstu_log_level level,
				 const char *msg))
{
	atomic_store(&log_fn, fn);
}

void scstu_log(enum scstu_log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = { "error", "warning", "info",
					      "debug" };
	void (*fn)(enum scstu_log_level, const char *);
	char msg[512];
	va_list ap;

	if ((int)level > (int)scstu_log_get_level())
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fn = atomic_load(&log_fn);
	if (fn) {
		fn(level, msg);
		return;
	}
	if ((unsigned int)level > SCSTU_LOG_DEBUG)
		level = SCSTU_LOG_DEBUG;
	fprintf(stderr, "scstu %s: %s\n", prefix[level], msg);
}

static uint64_t get_be(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | *p++;
	return v;
}

/* Where the LBA and the transfer length of common block commands are. */
struct cdb_fields {
	uint8_t opcode;
	uint8_t lba_off, lba_len;
	uint8_t len_off, len_len;
};

static const struct cdb_fields cdb_fields[] = {
	{ 0x08, 1, 3, 4, 1 },	/* READ(6) */
	{ 0x0a, 1, 3, 4, 1 },	/* WRITE(6) */
	{ 0x28, 2, 4, 7, 2 },	/* READ(10) */
	{ 0x2a, 2, 4, 7, 2 },	/* WRITE(10) */
	{ 0x2e, 2, 4, 7, 2 },	/* WRITE AND VERIFY(10) */
	{ 0x2f, 2, 4, 7, 2 },	/* VERIFY(10) */
	{ 0x34, 2, 4, 7, 2 },	/* PRE-FETCH(10) */
	{ 0x35, 2, 4, 7, 2 },	/* SYNCHRONIZE CACHE(10) */
	{ 0x41, 2, 4, 7, 2 },	/* WRITE SAME(10) */
	{ 0x88, 2, 8, 10, 4 },	/* READ(16) */
	{ 0x89, 2, 8, 13, 1 },	/* COMPARE AND WRITE */
	{ 0x8a, 2, 8, 10, 4 },	/* WRITE(16) */
	{ 0x8e, 2, 8, 10, 4 },	/* WRITE AND VERIFY(16) */
	{ 0x8f, 2, 8, 10, 4 },	/* VERIFY(16) */
	{ 0x90, 2, 8, 10, 4 },	/* PRE-FETCH(16) */
	{ 0x91, 2, 8, 10, 4 },	/* SYNCHRONIZE CACHE(16) */
	{ 0x93, 2, 8, 10, 4 },	/* WRITE SAME(16) */
	{ 0xa8, 2, 4, 6, 4 },	/* READ(12) */
	{ 0xaa, 2, 4, 6, 4 },	/* WRITE(12) */
	{ 0xae, 2, 4, 6, 4 },	/* WRITE AND VERIFY(12) */
	{ 0xaf, 2, 4, 6, 4 },	/* VERIFY(12) */
};

const char *scstu_cdb_str(const uint8_t *cdb, unsigned int len, char *buf,
			  size_t size)
{
	uint8_t copy[SCSTU_CDB_INLINE] = { 0 };
	char name[80];
	size_t n, i;
	int r;

	if (!buf || size == 0)
		return buf;
	if (!cdb || len == 0) {
		snprintf(buf, size, "(no cdb)");
		return buf;
	}
	/* sg_get_command_name() may read past a short CDB: give it 32 bytes */
	memcpy(copy, cdb, len < sizeof(copy) ? len : sizeof(copy));
	sg_get_command_name(copy, -1, sizeof(name), name);
	r = snprintf(buf, size, "%s", name);
	n = r < 0 ? 0 : (size_t)r;

	for (i = 0; i < sizeof(cdb_fields) / sizeof(cdb_fields[0]); i++) {
		const struct cdb_fields *f = &cdb_fields[i];
		uint64_t lba, blocks;

		if (f->opcode != cdb[0])
			continue;
		if (len < (unsigned int)f->len_off + f->len_len)
			break;
		lba = get_be(cdb + f->lba_off, f->lba_len);
		blocks = get_be(cdb + f->len_off, f->len_len);
		if (f->lba_len == 3)	/* 6-byte CDB: 21-bit LBA */
			lba &= 0x1fffff;
		if (n < size) {
			r = snprintf(buf + n, size - n, " lba=%" PRIu64
				     " len=%" PRIu64, lba, blocks);
			n += r < 0 ? 0 : (size_t)r;
		}
		break;
	}
	if (n < size) {
		r = snprintf(buf + n, size - n, " [");
		n += r < 0 ? 0 : (size_t)r;
	}
	for (i = 0; i < len && n < size; i++) {
		r = snprintf(buf + n, size - n, i ? " %02x" : "%02x", cdb[i]);
		n += r < 0 ? 0 : (size_t)r;
	}
	if (n < size)
		snprintf(buf + n, size - n, "]");
	return buf;
}

const char *scstu_sense_str(const uint8_t *sense, size_t len, char *buf,
			    size_t size)
{
	struct sg_scsi_sense_hdr hdr;
	char key[48], asc[128];

	if (!buf || size == 0)
		return buf;
	if (!sense || len == 0 ||
	    !sg_scsi_normalize_sense(sense, (int)len, &hdr)) {
		snprintf(buf, size, "(no valid sense data, %zu bytes)", len);
		return buf;
	}
	sg_get_sense_key_str(hdr.sense_key, sizeof(key), key);
	sg_get_asc_ascq_str(hdr.asc, hdr.ascq, sizeof(asc), asc);
	snprintf(buf, size, "%s: %s (%02x/%02x)%s", key, asc, hdr.asc,
		 hdr.ascq, (hdr.response_code & 0x7e) == 0x72 ?
		 " [descriptor]" : "");
	return buf;
}
