// SPDX-License-Identifier: GPL-2.0
/*
 * Native benchmark of a VTL cartridge behind the SDK's tape class, no
 * kernel, no VM: an LTO-8 drive (scstu_tape_create) on the in-process
 * harness with a cartridge of handlers/vtl/cart.h loaded in it
 * (scstu_tape_load), fed WRITE(6)/READ(6) CDBs in variable-block mode
 * with 256 KiB blocks, and WRITE FILEMARKS(6) at the end, which makes the
 * cartridge durable (->sync). Against it: plain write()/read() of the
 * same bytes in the same blocks to one file in the same directory, with
 * fsync() at the end.
 *
 * Cases: "plain" (the baseline), "tape" (DCE 0: no compression),
 * "tape-lz4" and "tape-zstd" (DCE 1, cartridges made with lz4 / zstd).
 * Each round runs every case once, the order rotated by one each round,
 * after a syncfs() of the filesystem (untimed); a ratio is the median of
 * the per-round ratios case/plain (the host's load drifts).
 *
 * Per case three figures, each the throughput of the same total:
 *   write  from the first WRITE to the end of WRITE FILEMARKS (fdatasync
 *          of the cartridge) / from the first write() to the end of
 *          fsync(): durable, so the disk is in it for both;
 *   rhot   reading it all back right after (REWIND first, not timed):
 *          what was just written is in the page cache for both, so this
 *          is the CPU cost of each path (CRC32C, decompression, copies);
 *   rcold  reading it all back after posix_fadvise(DONTNEED) of every
 *          file of the case (the cartridge's files / the plain file):
 *          from the disk for both.
 * The tape reads end with the READ that meets the filemark, the plain
 * reads with the read() that returns 0. Every block read is checked
 * (length, and its first and last 64 bytes).
 *
 * Data: by default each 4 KiB of a block is 2 KiB of random bytes and
 * 2 KiB of zeros (about 2:1 for lz4 and zstd, like typical backup data);
 * -R makes it all random (incompressible: the worst case for the
 * compressing cases). Blocks come from a 64 MiB pool, so consecutive
 * blocks differ.
 *
 *   cart-bench [-d DIR] [-s MIB] [-r ROUNDS] [-R] [-c CSV_FILE]
 *
 * DIR (default ./cart-bench.tmp) is made and removed; it holds at most
 * one case's data at a time.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "scstuser.h"
#include "scstuser_harness.h"
#include "scstuser_tape.h"
#include "cart.h"

#define BLK		(256U << 10)
#define POOL		(64U << 20)
#define MAX_ROUNDS	15
#define CHECK		64

/* the figures of a case: three times, and the CPU time of two of them */
enum { W, RHOT, RCOLD, CPU_W, CPU_RHOT, NR_FIG };

struct bcase {
	const char *name;
	bool tape;
	bool compress;			/* mode page 0Fh DCE */
	enum cart_compress alg;
};

static const struct bcase cases[] = {
	{ "plain", false, false, CART_COMPRESS_LZ4 },
	{ "tape", true, false, CART_COMPRESS_LZ4 },
	{ "tape-lz4", true, true, CART_COMPRESS_LZ4 },
	{ "tape-zstd", true, true, CART_COMPRESS_ZSTD },
};
#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static uint8_t *pool, *rbuf;
static uint64_t nr_blocks;
static const char *dir = "cart-bench.tmp";
static struct scstu_harness *h;
static struct scstu_dev *drive;

static void die(const char *what, const char *why)
{
	fprintf(stderr, "cart-bench: %s: %s\n", what, why);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) this process used so far */
static double cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static const uint8_t *block(uint64_t i)
{
	return pool + (i * BLK + (i / (POOL / BLK)) * 4096) % (POOL - BLK);
}

static void check_block(uint64_t i, const uint8_t *buf, size_t len)
{
	const uint8_t *want = block(i);

	if (len != BLK || memcmp(buf, want, CHECK) ||
	    memcmp(buf + BLK - CHECK, want + BLK - CHECK, CHECK)) {
		fprintf(stderr, "cart-bench: block %llu read back wrong "
			"(%zu bytes)\n", (unsigned long long)i, len);
		exit(1);
	}
}

static void make_pool(bool random_only)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t i;

	pool = malloc(POOL);
	rbuf = malloc(BLK);
	if (!pool || !rbuf)
		die("memory", strerror(ENOMEM));
	for (i = 0; i < POOL; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(pool + i, &x, 8);
	}
	if (!random_only)
		for (i = 0; i < POOL; i += 4096)
			memset(pool + i + 2048, 0, 2048);
}

/* --- cleanup and page cache ----------------------------------------- */

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path))
		die(path, strerror(errno));
	return 0;
}

static void rm_tree(const char *path)
{
	if (access(path, F_OK))
		return;
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* drop the clean page cache of every regular file under path */
static int evict_one(const char *path, const struct stat *st, int flag,
		     struct FTW *ftw)
{
	int fd;

	(void)ftw;
	if (flag != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path, strerror(errno));
	if (fdatasync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		die(path, "cannot drop its page cache");
	close(fd);
	return 0;
}

static void evict(const char *path)
{
	if (nftw(path, evict_one, 16, FTW_PHYS))
		die(path, strerror(errno));
}

/*
 * Before each case, untimed: write back what the previous one (or anyone)
 * left dirty on this filesystem, so that no case pays for another.
 */
static void settle(void)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || syncfs(fd))
		die(dir, strerror(errno));
	close(fd);
}

/* --- plain file ------------------------------------------------------ */

static void plain_case(double t[NR_FIG], uint64_t *stored)
{
	char path[4096];
	uint64_t i;
	double t0;
	ssize_t n;
	int fd, f;

	snprintf(path, sizeof(path), "%s/plain.dat", dir);
	t[CPU_W] = cpu();
	t0 = now();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(path, strerror(errno));
	for (i = 0; i < nr_blocks; i++)
		if (write(fd, block(i), BLK) != (ssize_t)BLK)
			die(path, "short write");
	if (fsync(fd))
		die(path, strerror(errno));
	close(fd);
	t[W] = now() - t0;
	t[CPU_W] = cpu() - t[CPU_W];
	*stored = nr_blocks * BLK;

	for (f = RHOT; f <= RCOLD; f++) {
		if (f == RCOLD)
			evict(path);
		else
			t[CPU_RHOT] = cpu();
		t0 = now();
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(path, strerror(errno));
		for (i = 0; (n = read(fd, rbuf, BLK)) > 0; i++)
			if (i < nr_blocks)
				check_block(i, rbuf, (size_t)n);
		if (n < 0 || i != nr_blocks)
			die(path, "read back short");
		close(fd);
		t[f] = now() - t0;
		if (f == RHOT)
			t[CPU_RHOT] = cpu() - t[CPU_RHOT];
	}
	unlink(path);
}

/* --- the tape drive -------------------------------------------------- */

static void put24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

/* run a CDB; returns the sense key of a CHECK CONDITION, or -1 if GOOD */
static int cmd(const uint8_t *cdb, enum scstu_dir d, void *buf, uint32_t len,
	       struct scstu_harness_result *res)
{
	struct scstu_harness_cmd c = {
		.cdb = cdb, .cdb_len = 6, .dir = d, .data = buf,
		.xfer_len = len,
	};
	uint8_t asc, ascq;
	int e;

	memset(res, 0, sizeof(*res));
	e = scstu_harness_run(drive, &c, res);
	if (e)
		die("scstu_harness_run", strerror(-e));
	if (res->status == SCSTU_GOOD)
		return -1;
	return scstu_harness_sense_key(res, &asc, &ascq);
}

static void must(const uint8_t *cdb, enum scstu_dir d, void *buf,
		 uint32_t len, const char *what)
{
	struct scstu_harness_result res;
	uint8_t asc = 0, ascq = 0;
	int key = cmd(cdb, d, buf, len, &res);

	if (key == -1)
		return;
	scstu_harness_sense_key(&res, &asc, &ascq);
	fprintf(stderr, "cart-bench: %s: status %02xh sense %x/%02x/%02x\n",
		what, res.status, key, asc, ascq);
	exit(1);
}

/* mode page 0Fh DCE through MODE SENSE(6) + MODE SELECT(6) */
static void set_dce(bool on)
{
	uint8_t ms[6] = { 0x1a, 0, 0x0f, 0, 28 };
	uint8_t sel[6] = { 0x15, 0x10, 0, 0, 28 };
	uint8_t p[28];

	must(ms, SCSTU_DIR_READ, p, sizeof(p), "MODE SENSE 0Fh");
	if ((p[12] & 0x3f) != 0x0f)
		die("MODE SENSE", "no data compression page");
	p[0] = 0;
	p[14] = on ? 0xc0 : 0x40;
	must(sel, SCSTU_DIR_WRITE, p, sizeof(p), "MODE SELECT 0Fh");
}

static void tape_load(const struct bcase *bc, const char *barcode)
{
	struct cart_spec spec = { .barcode = barcode, .compress = bc->alg };
	uint8_t tur[6] = { 0 }, asc, ascq;
	struct scstu_harness_result res;
	struct scstu_tape_media media;
	char *msg = NULL;
	struct cart *c;
	int e, i;

	e = cart_create(dir, &spec, &msg);
	if (e)
		die("cart_create", msg ? msg : strerror(-e));
	c = cart_open(dir, barcode, &e, &msg);
	if (!c)
		die("cart_open", msg ? msg : strerror(-e));
	cart_media(c, &media);
	e = scstu_tape_load(drive, c, &cart_medium_ops, &media);
	if (e)
		die("scstu_tape_load", strerror(-e));
	while (scstu_harness_pop_ua(drive, &asc, &ascq))
		;
	/* the unit attention of the load, if the harness still has it */
	for (i = 0; i < 3 && cmd(tur, SCSTU_DIR_NONE, NULL, 0, &res) != -1;
	     i++)
		;
	must(tur, SCSTU_DIR_NONE, NULL, 0, "TEST UNIT READY");
	set_dce(bc->compress);
}

static void tape_rewind(void)
{
	uint8_t rw[6] = { 0x01 };

	must(rw, SCSTU_DIR_NONE, NULL, 0, "REWIND");
}

static double tape_read_all(void)
{
	uint8_t rd[6] = { 0x08 }, asc = 0, ascq = 0;
	struct scstu_harness_result res;
	double t0 = now();
	uint64_t i;
	int key;

	put24(rd + 2, BLK);
	for (i = 0; i < nr_blocks; i++) {
		if (cmd(rd, SCSTU_DIR_READ, rbuf, BLK, &res) != -1)
			die("READ(6)", "CHECK CONDITION before the filemark");
		check_block(i, rbuf, res.xfer);
	}
	key = cmd(rd, SCSTU_DIR_READ, rbuf, BLK, &res);
	scstu_harness_sense_key(&res, &asc, &ascq);
	if (key != 0 || asc != 0 || ascq != 1)
		die("READ(6)", "no filemark after the last block");
	return now() - t0;
}

static void tape_case(const struct bcase *bc, unsigned int idx,
		      unsigned int round, double t[NR_FIG], uint64_t *stored)
{
	uint8_t wr[6] = { 0x0a }, wfm[6] = { 0x10, 0, 0, 0, 1 };
	struct scstu_tape_status st;
	char barcode[16], path[4096];
	void *m = NULL;
	uint64_t i;
	double t0;
	int e;

	snprintf(barcode, sizeof(barcode), "BN%02u%02uL8", idx, round);
	snprintf(path, sizeof(path), "%s/%s", dir, barcode);
	tape_load(bc, barcode);
	scstu_tape_get_status(drive, &st);
	*stored = st.bytes_stored;

	put24(wr + 2, BLK);
	t[CPU_W] = cpu();
	t0 = now();
	for (i = 0; i < nr_blocks; i++)
		must(wr, SCSTU_DIR_WRITE, (void *)block(i), BLK, "WRITE(6)");
	must(wfm, SCSTU_DIR_NONE, NULL, 0, "WRITE FILEMARKS(6)");
	t[W] = now() - t0;
	t[CPU_W] = cpu() - t[CPU_W];
	scstu_tape_get_status(drive, &st);
	*stored = st.bytes_stored - *stored;

	tape_rewind();
	t[CPU_RHOT] = cpu();
	t[RHOT] = tape_read_all();
	t[CPU_RHOT] = cpu() - t[CPU_RHOT];
	tape_rewind();
	evict(path);
	t[RCOLD] = tape_read_all();

	e = scstu_tape_eject(drive, true, &m);
	if (e)
		die("scstu_tape_eject", strerror(-e));
	cart_close(m);
	rm_tree(path);
}

/* --- main ------------------------------------------------------------ */

static double median(double *v, unsigned int n)
{
	unsigned int i, j;
	double x;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double mb_s(unsigned long mib, double secs)
{
	return mib * 1.048576 / secs;
}

static void csv_line(FILE *csv, unsigned int r, unsigned int k,
		     const double t[NR_FIG], unsigned long mib)
{
	fprintf(csv, "%u,%s,%.1f,%.1f,%.1f,%.3f,%.3f\n", r + 1,
		cases[k].name, mb_s(mib, t[W]), mb_s(mib, t[RHOT]),
		mb_s(mib, t[RCOLD]), t[CPU_W] * 1024 / mib,
		t[CPU_RHOT] * 1024 / mib);
}

/*
 * Per case the medians over the rounds of: MB/s of the three figures,
 * CPU seconds per GiB written and read hot, and the ratios case/plain of
 * the three throughputs (the median of the per-round ratios).
 */
static void table(double (*secs)[NR_CASES][NR_FIG], const uint64_t *stored,
		  unsigned int rounds, unsigned long mib)
{
	double v[MAX_ROUNDS], mb[NR_FIG], ra[RCOLD + 1];
	unsigned int k, f, r;

	printf("%-10s %7s %7s %7s %7s %7s %7s   %-22s\n", "case", "write",
	       "rhot", "rcold", "CPU w", "CPU rh", "stored",
	       "case/plain (median)");
	printf("%-10s %7s %7s %7s %7s %7s %7s   %6s %6s %6s\n", "", "MB/s",
	       "MB/s", "MB/s", "s/GiB", "s/GiB", "%", "write", "rhot",
	       "rcold");
	for (k = 0; k < NR_CASES; k++) {
		for (f = 0; f < NR_FIG; f++) {
			for (r = 0; r < rounds; r++)
				v[r] = f <= RCOLD ? mb_s(mib, secs[r][k][f]) :
				       secs[r][k][f] * 1024 / mib;
			mb[f] = median(v, rounds);
			if (f > RCOLD)
				continue;
			for (r = 0; r < rounds; r++)
				v[r] = secs[r][0][f] / secs[r][k][f];
			ra[f] = median(v, rounds);
		}
		printf("%-10s %7.1f %7.1f %7.1f %7.2f %7.2f %7.1f   %6.2f "
		       "%6.2f %6.2f\n", cases[k].name, mb[W], mb[RHOT],
		       mb[RCOLD], mb[CPU_W], mb[CPU_RHOT],
		       100.0 * stored[k] / (nr_blocks * BLK), ra[W], ra[RHOT],
		       ra[RCOLD]);
	}
	for (r = 0; r < rounds; r++)
		v[r] = secs[r][0][W] / secs[r][1][W];
	ra[W] = median(v, rounds);
	printf("goal: tape/plain write %.2f (goal >= 0.80) %s\n", ra[W],
	       ra[W] >= 0.8 ? "met" : "MISSED");
}

static void usage(void)
{
	fprintf(stderr, "usage: cart-bench [-d DIR] [-s MIB] [-r ROUNDS] "
		"[-R] [-c CSV_FILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct scstu_dev_config cfg = { .name = "bench-d0" };
	struct scstu_tape_config tc = { .personality = "ibm-lto8",
					.serial = "1013000999" };
	static double secs[MAX_ROUNDS][NR_CASES][NR_FIG];
	static uint64_t stored[NR_CASES];
	unsigned int rounds = 5, r, k, i;
	unsigned long mib = 256;
	const char *csv_path = NULL;
	bool random_only = false;
	FILE *csv = NULL;
	int c;

	while ((c = getopt(argc, argv, "d:s:r:Rc:h")) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 's':
			mib = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			rounds = (unsigned int)atoi(optarg);
			break;
		case 'R':
			random_only = true;
			break;
		case 'c':
			csv_path = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || mib < 1 || mib > (1UL << 20) || rounds < 1 ||
	    rounds > MAX_ROUNDS)
		usage();
	nr_blocks = (uint64_t)mib * (1 << 20) / BLK;
	make_pool(random_only);
	rm_tree(dir);
	if (mkdir(dir, 0755))
		die(dir, strerror(errno));
	if (csv_path) {
		csv = fopen(csv_path, "w");
		if (!csv)
			die(csv_path, strerror(errno));
		fprintf(csv, "round,case,write_mb_s,rhot_mb_s,rcold_mb_s,"
			"write_cpu_s_gib,rhot_cpu_s_gib\n");
	}
	h = scstu_harness_new();
	if (!h)
		die("scstu_harness_new", strerror(ENOMEM));
	cfg.harness = h;
	drive = scstu_tape_create(&cfg, &tc, NULL, NULL);
	if (!drive)
		die("scstu_tape_create", strerror(errno));

	printf("cart-bench (harness, no kernel): %lu MiB in %u KiB variable "
	       "blocks, %s data, %u rounds, in %s\n", mib, BLK >> 10,
	       random_only ? "random" : "2:1 compressible", rounds, dir);
	for (r = 0; r < rounds; r++)
		for (i = 0; i < NR_CASES; i++) {
			/* rotate the order: no case always follows another */
			k = (i + r) % NR_CASES;
			settle();
			if (cases[k].tape)
				tape_case(&cases[k], k, r, secs[r][k],
					  &stored[k]);
			else
				plain_case(secs[r][k], &stored[k]);
			if (csv)
				csv_line(csv, r, k, secs[r][k], mib);
		}
	table(secs, stored, rounds, mib);
	if (csv)
		fclose(csv);
	scstu_dev_destroy(drive);
	scstu_harness_free(h);
	rm_tree(dir);
	free(pool);
	free(rbuf);
	return 0;
}
