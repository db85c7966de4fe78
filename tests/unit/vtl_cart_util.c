// SPDX-License-Identifier: GPL-2.0
/* Helpers of the cartridge suites (vtl_cart_test.h). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <scstuser.h>
#include "vtl_cart_test.h"

char ct_dir[64];
unsigned int ct_warnings;

static void ct_log(enum scstu_log_level level, const char *msg)
{
	(void)msg;
	if (level <= SCSTU_LOG_WARN)
		ct_warnings++;
	if (getenv("CT_VERBOSE"))
		fprintf(stderr, "log: %s\n", msg);
}

void ct_setup(void)
{
	/* tmpfs when there is one: the tests fsync a lot; what they check
	 * (ordering, recovery) does not depend on the file system */
	strcpy(ct_dir, access("/dev/shm", W_OK) ? "/tmp/vtl-cart-XXXXXX" :
	       "/dev/shm/vtl-cart-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(ct_dir));
	ct_warnings = 0;
	scstu_log_set_fn(ct_log);
	scstu_log_set_level(SCSTU_LOG_WARN);
}

static int ct_rm(const char *path, const struct stat *st, int flag,
		 struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void ct_teardown(void)
{
	nftw(ct_dir, ct_rm, 16, FTW_DEPTH | FTW_PHYS);
	scstu_log_set_fn(NULL);
}

void ct_create(const char *barcode, const char *type, uint64_t capacity,
	       enum cart_compress comp)
{
	struct cart_spec s = {
		.barcode = barcode, .type = type, .capacity = capacity,
		.compress = comp,
	};
	char *msg = NULL;
	int r = cart_create(ct_dir, &s, &msg);

	ck_assert_msg(r == 0, "cart_create %s: %d %s", barcode, r,
		      msg ? msg : "");
	ck_assert_ptr_null(msg);
}

struct cart *ct_open(const char *barcode)
{
	char *msg = NULL;
	int err = 0;
	struct cart *c = cart_open(ct_dir, barcode, &err, &msg);

	ck_assert_msg(c != NULL, "cart_open %s: %d %s", barcode, err,
		      msg ? msg : "");
	return c;
}

int ct_open_err(const char *barcode, char **msg)
{
	int err = 0;
	struct cart *c;

	*msg = NULL;
	c = cart_open(ct_dir, barcode, &err, msg);
	ck_assert_ptr_null(c);
	ck_assert_ptr_nonnull(*msg);
	ck_assert_int_lt(err, 0);
	return err;
}

void ct_fill(void *buf, size_t len, unsigned int seed)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 7 + i / 13 + (i % 5) * 3);
}

void ct_fill_random(void *buf, size_t len, unsigned int seed)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
}

int ct_write(struct cart *c, unsigned int part, uint64_t obj, uint32_t len,
	     unsigned int seed, const struct scstu_tape_wopts *w)
{
	uint8_t *buf = malloc(len ? len : 1);
	int r;

	ck_assert_ptr_nonnull(buf);
	ct_fill(buf, len, seed);
	r = CM->write(c, part, obj, buf, len, w);
	free(buf);
	return r;
}

void ct_check(struct cart *c, unsigned int part, uint64_t obj, uint32_t len,
	      unsigned int seed, const struct scstu_tape_key *key)
{
	uint8_t *buf = malloc(len + 16), *want = malloc(len ? len : 1);
	struct scstu_tape_obj o;
	int r;

	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(want);
	ct_fill(want, len, seed);
	memset(buf, 0xEE, len + 16);
	r = CM->read(c, part, obj, buf, len + 16, key, &o);
	ck_assert_msg(r == 0, "read %u/%llu: %d", part,
		      (unsigned long long)obj, r);
	ck_assert_int_eq(o.type, SCSTU_TAPE_BLOCK);
	ck_assert_uint_eq(o.len, len);
	ck_assert_msg(!memcmp(buf, want, len), "data of %u/%llu differs",
		      part, (unsigned long long)obj);
	ck_assert_uint_eq(buf[len], 0xEE);	/* nothing past len */
	free(buf);
	free(want);
}

const char *ct_path(const char *barcode, const char *file)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s/%s", ct_dir, barcode, file);
	return p;
}

off_t ct_size(const char *barcode, const char *file)
{
	struct stat st;

	ck_assert_int_eq(stat(ct_path(barcode, file), &st), 0);
	return st.st_size;
}

void ct_truncate(const char *barcode, const char *file, off_t len)
{
	ck_assert_int_eq(truncate(ct_path(barcode, file), len), 0);
}

void ct_flip(const char *barcode, const char *file, off_t off, uint8_t mask)
{
	int fd = open(ct_path(barcode, file), O_RDWR);
	uint8_t b;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, &b, 1, off), 1);
	b ^= mask;
	ck_assert_int_eq(pwrite(fd, &b, 1, off), 1);
	close(fd);
}

bool ct_contains(const char *barcode, const char *file, const void *needle,
		 size_t len)
{
	FILE *f = fopen(ct_path(barcode, file), "rb");
	uint8_t *buf;
	size_t n, i;
	bool found = false;

	ck_assert_ptr_nonnull(f);
	buf = malloc(64 << 20);
	ck_assert_ptr_nonnull(buf);
	n = fread(buf, 1, 64 << 20, f);
	fclose(f);
	for (i = 0; i + len <= n && !found; i++)
		found = !memcmp(buf + i, needle, len);
	free(buf);
	return found;
}

static const char *const ct_files[] = {
	"meta", "mam", "p0.idx", "p0.dat", "p1.idx", "p1.dat",
};

void ct_snap_take(const char *barcode, struct ct_snap *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < sizeof(ct_files) / sizeof(ct_files[0]); i++) {
		FILE *f = fopen(ct_path(barcode, ct_files[i]), "rb");
		struct stat st;

		if (!f)
			continue;
		ck_assert_int_eq(fstat(fileno(f), &st), 0);
		s->name[s->n] = strdup(ct_files[i]);
		s->len[s->n] = st.st_size;
		s->data[s->n] = malloc(st.st_size + 1);
		ck_assert_uint_eq(fread(s->data[s->n], 1, st.st_size, f),
				  (size_t)st.st_size);
		fclose(f);
		s->n++;
	}
}

void ct_snap_restore(const char *barcode, const struct ct_snap *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		int fd = open(ct_path(barcode, s->name[i]),
			      O_WRONLY | O_CREAT | O_TRUNC, 0644);

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, s->data[i], s->len[i]),
				 (ssize_t)s->len[i]);
		close(fd);
	}
}

void ct_snap_free(struct ct_snap *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		free(s->name[i]);
		free(s->data[i]);
	}
	s->n = 0;
}

const uint8_t *ct_snap_file(const struct ct_snap *s, const char *name,
			    size_t *len)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name)) {
			*len = s->len[i];
			return s->data[i];
		}
	ck_abort_msg("no %s in the snapshot", name);
	return NULL;
}
