// SPDX-License-Identifier: GPL-2.0
/*
 * Cartridge metadata: media types (names, barcode media identifiers,
 * native capacities), barcode rules, and the two header slots of the
 * meta file (docs/vtl-cartridge.md, "meta").
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <scstuser.h>
#include "cart_priv.h"

#define TB	1000000000000ull
#define GB	1000000000ull

/* LTO media: generation, Type M, native capacity, barcode identifiers */
struct cart_type {
	const char *name;
	uint8_t generation;
	bool type_m;
	uint64_t capacity;
	char id[3];			/* data cartridge, e.g. "L8" */
	char worm_id[3];		/* WORM cartridge, "" if none */
};

static const struct cart_type cart_types[] = {
	{ "LTO3", 3, false, 400 * GB, "L3", "LT" },
	{ "LTO4", 4, false, 800 * GB, "L4", "LU" },
	{ "LTO5", 5, false, 1500 * GB, "L5", "LV" },
	{ "LTO6", 6, false, 2500 * GB, "L6", "LW" },
	{ "LTO7", 7, false, 6 * TB, "L7", "LX" },
	{ "LTO7M8", 7, true, 9 * TB, "M8", "" },
	{ "LTO8", 8, false, 12 * TB, "L8", "LY" },
	{ "LTO9", 9, false, 18 * TB, "L9", "LZ" },
};

bool cart_barcode_ok(const char *b)
{
	size_t n = b ? strlen(b) : 0;

	if (n < 1 || n > 32)
		return false;
	for (; *b; b++)
		if (!((*b >= 'A' && *b <= 'Z') || (*b >= '0' && *b <= '9')))
			return false;
	return true;
}

static void cart_media_from(const struct cart_type *t, bool worm,
			    struct scstu_tape_media *m)
{
	m->generation = t->generation;
	m->type_m = t->type_m;
	m->worm = worm;
	m->cleaning = false;
	m->capacity = t->capacity;
}

/* A cleaning cartridge: "CLN" type or a CLN... barcode (CLNxxxLn, CLNUxxCU) */
static void cart_media_cleaning(const char *barcode,
				struct scstu_tape_media *m)
{
	size_t n = barcode ? strlen(barcode) : 0;

	m->cleaning = true;
	m->worm = false;
	m->type_m = false;
	m->capacity = 0;
	/* "Ln": for generation n; anything else (CU): universal, 0 */
	m->generation = 0;
	if (n >= 5 && barcode[n - 2] == 'L' && barcode[n - 1] >= '1' &&
	    barcode[n - 1] <= '9')
		m->generation = barcode[n - 1] - '0';
}

static bool cart_type_by_name(const char *type, const char *barcode,
			      struct scstu_tape_media *m)
{
	char up[16];
	size_t n = strlen(type), i;
	bool worm = false;

	if (n == 0 || n >= sizeof(up))
		return false;
	for (i = 0; i <= n; i++)
		up[i] = g_ascii_toupper(type[i]);
	if (!strcmp(up, "CLN")) {
		cart_media_cleaning(barcode, m);
		return true;
	}
	if (up[n - 1] == 'W') {
		worm = true;
		up[n - 1] = 0;
	}
	for (i = 0; i < G_N_ELEMENTS(cart_types); i++) {
		if (strcmp(up, cart_types[i].name))
			continue;
		if (worm && !cart_types[i].worm_id[0])
			return false;	/* no WORM Type M */
		cart_media_from(&cart_types[i], worm, m);
		return true;
	}
	return false;
}

static bool cart_type_by_barcode(const char *barcode,
				 struct scstu_tape_media *m)
{
	size_t n = strlen(barcode), i;
	const char *id;

	if (!strncmp(barcode, "CLN", 3)) {
		cart_media_cleaning(barcode, m);
		return true;
	}
	if (n < 3)
		return false;
	id = barcode + n - 2;
	for (i = 0; i < G_N_ELEMENTS(cart_types); i++) {
		if (!strcmp(id, cart_types[i].id)) {
			cart_media_from(&cart_types[i], false, m);
			return true;
		}
		if (cart_types[i].worm_id[0] &&
		    !strcmp(id, cart_types[i].worm_id)) {
			cart_media_from(&cart_types[i], true, m);
			return true;
		}
	}
	return false;
}

bool cart_type_parse(const char *type, const char *barcode,
		     struct scstu_tape_media *media)
{
	struct scstu_tape_media m;
	bool ok;

	memset(&m, 0, sizeof(m));
	if (barcode && strlen(barcode) >= sizeof(m.barcode))
		return false;
	if (type)
		ok = cart_type_by_name(type, barcode, &m);
	else
		ok = barcode && cart_type_by_barcode(barcode, &m);
	if (!ok)
		return false;
	if (barcode)
		strcpy(m.barcode, barcode);
	*media = m;
	return true;
}

/* --- header slots ----------------------------------------------------- */

/*
 * Slot layout (little-endian), CART_SLOT_LEN bytes:
 *   0 magic[8] | 8 version u32 | 12 slot length u32 | 16 gen u64
 *  24 generation u8 | 25 flags u8 (1 type M, 2 WORM, 4 cleaning)
 *  26 compress u8 | 27 nr_parts u8 | 28 reserved u32 | 32 capacity u64
 *  40 barcode[33] | 73 reserved[15] | 88 serial[33] | 121 reserved[15]
 * 136 created u64 | 144 partitions[4] of 32 bytes: size u64,
 *     committed u64, data_end u64, epoch u32, reserved u32
 * 272 reserved (zero) | 508 CRC32C of bytes 0..507 u32
 */
void cart_slot_encode(const struct cart_hdr *h, uint8_t *b)
{
	unsigned int i;

	memset(b, 0, CART_SLOT_LEN);
	memcpy(b, CART_META_MAGIC, 8);
	cart_put32(b + 8, CART_VERSION);
	cart_put32(b + 12, CART_SLOT_LEN);
	cart_put64(b + 16, h->gen);
	b[24] = h->generation;
	b[25] = (h->type_m ? 1 : 0) | (h->worm ? 2 : 0) |
		(h->cleaning ? 4 : 0);
	b[26] = h->compress;
	b[27] = h->nr_parts;
	cart_put64(b + 32, h->capacity);
	memcpy(b + 40, h->barcode, strlen(h->barcode));
	memcpy(b + 88, h->serial, strlen(h->serial));
	cart_put64(b + 136, h->created);
	for (i = 0; i < CART_MAX_PARTS; i++) {
		uint8_t *p = b + 144 + 32 * i;

		cart_put64(p, h->p[i].size);
		cart_put64(p + 8, h->p[i].committed);
		cart_put64(p + 16, h->p[i].data_end);
		cart_put32(p + 24, h->p[i].epoch);
	}
	cart_put32(b + CART_SLOT_LEN - 4, cart_crc32c(b, CART_SLOT_LEN - 4));
}

static bool cart_str_field(const uint8_t *b, size_t len, char *out)
{
	const void *nul = memchr(b, 0, len);

	if (!nul)
		return false;
	memcpy(out, b, (const uint8_t *)nul - b + 1);
	return true;
}

const char *cart_slot_decode(const uint8_t *b, struct cart_hdr *h)
{
	uint64_t sum = 0;
	unsigned int i;

	memset(h, 0, sizeof(*h));
	if (memcmp(b, CART_META_MAGIC, 8))
		return "bad magic";
	if (cart_get32(b + CART_SLOT_LEN - 4) !=
	    cart_crc32c(b, CART_SLOT_LEN - 4))
		return "bad CRC";
	if (cart_get32(b + 8) != CART_VERSION)
		return "unsupported format version";
	if (cart_get32(b + 12) != CART_SLOT_LEN)
		return "bad slot length";
	h->gen = cart_get64(b + 16);
	h->generation = b[24];
	if (b[25] & ~7)
		return "unknown flags";
	h->type_m = b[25] & 1;
	h->worm = b[25] & 2;
	h->cleaning = b[25] & 4;
	h->compress = b[26];
	h->nr_parts = b[27];
	h->capacity = cart_get64(b + 32);
	if (h->generation > 9 || (!h->cleaning && h->generation < 1))
		return "bad LTO generation";
	if (h->compress > CART_COMPRESS_ZSTD)
		return "unknown compression";
	if (h->nr_parts < 1 || h->nr_parts > CART_MAX_PARTS)
		return "bad number of partitions";
	if (!cart_str_field(b + 40, 33, h->barcode) ||
	    !cart_barcode_ok(h->barcode))
		return "bad barcode";
	if (!cart_str_field(b + 88, 33, h->serial))
		return "bad serial number";
	h->created = cart_get64(b + 136);
	for (i = 0; i < CART_MAX_PARTS; i++) {
		const uint8_t *p = b + 144 + 32 * i;
		struct cart_pslot *s = &h->p[i];

		s->size = cart_get64(p);
		s->committed = cart_get64(p + 8);
		s->data_end = cart_get64(p + 16);
		s->epoch = cart_get32(p + 24);
		if (i >= h->nr_parts)
			continue;
		if (s->size > h->capacity - sum)
			return "partitions larger than the capacity";
		sum += s->size;
		if (s->data_end > s->size)
			return "partition data larger than its size";
		if (s->committed > (uint64_t)INT64_MAX / CART_REC_LEN)
			return "bad object count";
	}
	return NULL;
}

static bool cart_all_zero(const uint8_t *b, size_t len)
{
	while (len--)
		if (*b++)
			return false;
	return true;
}

int cart_meta_load(int fd, const char *path, struct cart_hdr *h, char **msg,
		   bool *damaged)
{
	uint8_t buf[CART_META_SIZE];
	struct cart_hdr s[2];
	const char *why[2];
	ssize_t n;
	int best = -1, i;

	memset(buf, 0, sizeof(buf));
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		int e = -errno;

		*msg = cart_strdup_printf("%s/meta: %s", path, strerror(-e));
		return e;
	}
	for (i = 0; i < 2; i++) {
		if (n < i * CART_SLOT_STRIDE + CART_SLOT_LEN)
			why[i] = "missing (file too short)";
		else
			why[i] = cart_slot_decode(buf + i * CART_SLOT_STRIDE,
						  &s[i]);
		if (!why[i] && (best < 0 || s[i].gen > s[best].gen))
			best = i;
	}
	if (best < 0) {
		*msg = cart_strdup_printf(
			"%s/meta: no valid header (slot 0 at byte 0: %s; slot 1 at byte %d: %s)",
			path, why[0], CART_SLOT_STRIDE, why[1]);
		return -EBADMSG;
	}
	if (damaged)
		*damaged = why[!best] != NULL;
	if (why[!best] && !cart_all_zero(buf + !best * CART_SLOT_STRIDE,
					 CART_SLOT_LEN))
		scstu_log(SCSTU_LOG_WARN,
			  "%s/meta: header slot %d %s, using slot %d (generation %llu)",
			  path, !best, why[!best], best,
			  (unsigned long long)s[best].gen);
	*h = s[best];
	return 0;
}

int cart_meta_store(int fd, const struct cart_hdr *h)
{
	uint8_t buf[CART_SLOT_LEN];
	off_t off = (off_t)(h->gen % 2) * CART_SLOT_STRIDE;

	cart_slot_encode(h, buf);
	if (pwrite(fd, buf, sizeof(buf), off) != (ssize_t)sizeof(buf))
		return errno ? -errno : -EIO;
	if (fdatasync(fd))
		return -errno;
	return 0;
}

void cart_hdr_media(const struct cart_hdr *h, struct scstu_tape_media *m)
{
	memset(m, 0, sizeof(*m));
	m->generation = h->generation;
	m->type_m = h->type_m;
	m->worm = h->worm;
	m->cleaning = h->cleaning;
	m->capacity = h->capacity;
	strcpy(m->barcode, h->barcode);
	strcpy(m->serial, h->serial);
}

int cart_stat(const char *dir, const char *barcode,
	      struct scstu_tape_media *media, uint64_t *used)
{
	struct cart_hdr h;
	char *path, *msg = NULL;
	unsigned int i;
	int fd, r;

	if (!cart_barcode_ok(barcode))
		return -EINVAL;
	path = cart_strdup_printf("%s/%s", dir, barcode);
	if (!path)
		return -ENOMEM;
	fd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		int mfd = openat(fd, "meta", O_RDONLY | O_CLOEXEC);

		close(fd);
		fd = mfd;
	}
	if (fd < 0) {
		r = -errno;
		free(path);
		return r;
	}
	r = cart_meta_load(fd, path, &h, &msg, NULL);
	close(fd);
	if (r) {
		scstu_log(SCSTU_LOG_WARN, "%s", msg);
		free(msg);
		free(path);
		return r;
	}
	free(path);
	cart_hdr_media(&h, media);
	if (used) {
		*used = 0;
		for (i = 0; i < h.nr_parts; i++)
			*used += h.p[i].data_end;
	}
	return 0;
}
