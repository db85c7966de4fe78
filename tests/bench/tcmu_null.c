// SPDX-License-Identifier: GPL-2.0
/*
 * tcmu_null: a null disk served through LIO's TCMU (target_core_user), the
 * comparator of the scstu userspace-path benchmark.  No tcmu-runner, no
 * libtcmu: it creates the backstore in configfs, finds its UIO device,
 * maps the ring and answers commands (tcmu_null_scsi.c) until SIGTERM.
 *
 *   tcmu_null [-H hba] [-s size] [-b block_size] [-m max_sectors]
 *             [-p busy_poll_us] [-r ready_file] [-k] [-v] NAME
 *
 * The device is target/core/user_<hba>/NAME.  It is set up with
 * nl_reply_supported=-1 so that enabling it does not wait for a netlink
 * reply from a daemon (with nobody listening the kernel would not wait
 * anyway, but a tcmu-runner that ran once makes it wait).  Link it into a
 * tcm_loop LUN after the ready file appears.  On exit the device directory
 * is removed again unless -k is given (unlink the LUN first).
 *
 * The ring: the kernel appends entries at mailbox cmd_head and rings the
 * UIO "interrupt"; we answer each entry in place, in order, advance
 * cmd_tail past everything we answered and then write(2) to the UIO fd once
 * per batch, which makes the kernel reap the completions.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* glibc's <sys/uio.h> already defines struct iovec: skip <linux/uio.h> */
#include <sys/uio.h>
#define __LINUX_UIO_H
#include <linux/types.h>
#include <linux/target_core_user.h>

#include "tcmu_null.h"

#define CORE "/sys/kernel/config/target/core"
#define UIO_CLASS "/sys/class/uio"
#define DEV_CONFIG "tcmu_null"

struct tn_ring {
	int fd;
	uint8_t *base;
	size_t size;
	struct tcmu_mailbox *mb;
	uint32_t *head;		/* &mb->cmd_head (kernel writes) */
	uint32_t *tail;		/* &mb->cmd_tail (we write) */
	uint8_t *cmdr;
	uint32_t cmdr_size;
	uint64_t cmds, batches, tmrs;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* snprintf that fails with -ENAMETOOLONG instead of truncating */
static int __attribute__((format(printf, 3, 4)))
fmt_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* create (or find enabled) target/core/user_<hba>/<name>; 1 if created */
static int setup_device(const char *dir, const char *hba_dir,
			const struct tn_disk *d, const char *name)
{
	char path[512], ctl[512], val[16];
	int ret;

	ret = fmt_path(path, sizeof(path), "%s/enable", dir);
	if (ret)
		return ret;
	if (read_file(path, val, sizeof(val)) == 0 && !strcmp(val, "1")) {
		fprintf(stderr, "tcmu_null: %s is enabled already, attaching\n",
			dir);
		return 0;
	}
	if (mkdir(hba_dir, 0755) && errno != EEXIST)
		return -errno;
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	snprintf(ctl, sizeof(ctl),
		 "dev_config=%s/%s,dev_size=%" PRIu64
		 ",hw_block_size=%u,hw_max_sectors=%u,nl_reply_supported=-1",
		 DEV_CONFIG, name, d->nr_blocks * d->block_size, d->block_size,
		 d->max_xfer_blocks);
	ret = fmt_path(path, sizeof(path), "%s/control", dir);
	if (!ret)
		ret = write_file(path, ctl);
	if (ret)
		return ret;
	ret = fmt_path(path, sizeof(path), "%s/enable", dir);
	if (!ret)
		ret = write_file(path, "1");
	return ret ? ret : 1;
}

/* the uioN whose name is tcm-user/<hba>/<name>/<dev_config> */
static int find_uio(unsigned int hba, const char *name, char *uio,
		    size_t len)
{
	char want[512], path[512], got[512];
	struct dirent *e;
	DIR *dir;
	int ret = -ENOENT;

	snprintf(want, sizeof(want), "tcm-user/%u/%s/%s/%s", hba, name,
		 DEV_CONFIG, name);
	dir = opendir(UIO_CLASS);
	if (!dir)
		return -errno;
	while ((e = readdir(dir))) {
		if (strncmp(e->d_name, "uio", 3))
			continue;
		snprintf(path, sizeof(path), UIO_CLASS "/%s/name", e->d_name);
		if (read_file(path, got, sizeof(got)) || strcmp(got, want))
			continue;
		ret = fmt_path(uio, len, "%s", e->d_name);
		break;
	}
	closedir(dir);
	return ret;
}

static int open_ring(struct tn_ring *r, const char *uio)
{
	char path[256], val[64];
	int i, ret;

	snprintf(path, sizeof(path), UIO_CLASS "/%s/maps/map0/size", uio);
	ret = read_file(path, val, sizeof(val));
	if (ret)
		return ret;
	r->size = strtoull(val, NULL, 0);
	snprintf(path, sizeof(path), "/dev/%s", uio);
	/* devtmpfs creates the node asynchronously */
	for (i = 0; i < 200; i++) {
		r->fd = open(path, O_RDWR | O_CLOEXEC);
		if (r->fd >= 0 || errno != ENOENT)
			break;
		usleep(10000);
	}
	if (r->fd < 0)
		return -errno;
	r->base = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       r->fd, 0);
	if (r->base == MAP_FAILED)
		return -errno;
	r->mb = (struct tcmu_mailbox *)r->base;
	if (r->mb->version != TCMU_MAILBOX_VERSION) {
		fprintf(stderr, "tcmu_null: mailbox version %u, want %u\n",
			r->mb->version, TCMU_MAILBOX_VERSION);
		return -EPROTO;
	}
	r->head = (uint32_t *)(r->base +
			       offsetof(struct tcmu_mailbox, cmd_head));
	r->tail = (uint32_t *)(r->base +
			       offsetof(struct tcmu_mailbox, cmd_tail));
	r->cmdr = r->base + r->mb->cmdr_off;
	r->cmdr_size = r->mb->cmdr_size;
	if (r->mb->cmdr_off >= r->size ||
	    r->cmdr_size > r->size - r->mb->cmdr_off)
		return -EPROTO;
	return 0;
}

/* answer one command entry in place */
static void answer(struct tn_ring *r, const struct tn_disk *d,
		   struct tcmu_cmd_entry *ent)
{
	struct tn_cmd cmd;
	uint64_t cdb_off;
	uint8_t status;

	memcpy(&cdb_off, &ent->req.cdb_off, sizeof(cdb_off));
	cmd.iov = (const uint8_t *)ent->req.iov;
	cmd.iov_cnt = ent->req.iov_cnt;
	cmd.base = r->base;
	cmd.map_size = r->size;
	if (cdb_off > r->size - 32) {
		cmd.cdb = (const uint8_t *)"\xff";	/* unknown opcode */
		cmd.iov_cnt = 0;
	} else {
		cmd.cdb = r->base + cdb_off;
	}
	status = tn_execute(d, &cmd);
	/* rsp overlays req: write it only now */
	ent->rsp.scsi_status = status;
	if (status == TN_CHECK_CONDITION) {
		memset(ent->rsp.sense_buffer, 0, TCMU_SENSE_BUFFERSIZE);
		memcpy(ent->rsp.sense_buffer, cmd.sense, TN_SENSE_LEN);
	}
	r->cmds++;
}

/* answer everything between tail and head; number of entries, -1 broken */
static int drain(struct tn_ring *r, const struct tn_disk *d)
{
	uint32_t head = __atomic_load_n(r->head, __ATOMIC_ACQUIRE);
	uint32_t tail = *r->tail, len;
	struct tcmu_cmd_entry *ent;
	int n = 0;

	while (tail != head) {
		if (tail >= r->cmdr_size || tail % TCMU_OP_ALIGN_SIZE)
			return -1;
		ent = (struct tcmu_cmd_entry *)(r->cmdr + tail);
		len = tcmu_hdr_get_len(ent->hdr.len_op);
		if (!len || len > r->cmdr_size - tail)
			return -1;
		switch (tcmu_hdr_get_op(ent->hdr.len_op)) {
		case TCMU_OP_CMD:
			answer(r, d, ent);
			break;
		case TCMU_OP_TMR:	/* nothing in flight to abort */
			r->tmrs++;
			break;
		default:		/* padding */
			break;
		}
		tail = (tail + len) % r->cmdr_size;
		n++;
	}
	if (n)
		__atomic_store_n(r->tail, tail, __ATOMIC_RELEASE);
	return n;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/* spin up to us microseconds for new entries; true if some arrived */
static int busy_poll(struct tn_ring *r, unsigned int us)
{
	uint64_t end = now_us() + us;

	do {
		for (int i = 0; i < 256; i++) {
			if (__atomic_load_n(r->head, __ATOMIC_ACQUIRE) !=
			    *r->tail)
				return 1;
			__builtin_ia32_pause();
		}
	} while (now_us() < end && !stop);
	return 0;
}

static int serve(struct tn_ring *r, const struct tn_disk *d,
		 unsigned int busy_us)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	uint32_t one = 1, cnt;
	int n;

	while (!stop) {
		n = drain(r, d);
		if (n < 0) {
			fprintf(stderr, "tcmu_null: ring is broken\n");
			return -EPROTO;
		}
		if (n) {
			r->batches++;
			/* the kernel reaps completions on this write */
			if (write(r->fd, &one, sizeof(one)) != sizeof(one))
				return -errno;
			continue;
		}
		if (busy_us && busy_poll(r, busy_us))
			continue;
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		/* consume the event count so that the next poll sleeps */
		if (read(r->fd, &cnt, sizeof(cnt)) < 0 && errno != EINTR)
			return -errno;
	}
	return 0;
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'T': case 't':
		v <<= 10;
		/* fall through */
	case 'G': case 'g':
		v <<= 10;
		/* fall through */
	case 'M': case 'm':
		v <<= 10;
		/* fall through */
	case 'K': case 'k':
		v <<= 10;
	}
	return v;
}

static void usage(void)
{
	fprintf(stderr,
		"%s [-H hba] [-s size] [-b block_size] [-m max_sectors]\n"
		"          [-p busy_poll_us] [-r ready_file] [-k] [-v] NAME\n",
		"Usage: tcmu_null");
	exit(2);
}

int main(int argc, char **argv)
{
	struct tn_disk d = { .block_size = 512, .max_xfer_blocks = 2048 };
	struct tn_ring r = { .fd = -1 };
	const char *ready = NULL, *name;
	char dir[512], hba_dir[256], uio[64];
	unsigned int hba = 0, busy_us = 0;
	uint64_t size = 8ULL << 30;
	int c, ret, created, keep = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	FILE *f;

	while ((c = getopt(argc, argv, "H:s:b:m:p:r:kv")) != -1) {
		switch (c) {
		case 'H':
			hba = strtoul(optarg, NULL, 0);
			break;
		case 's':
			size = parse_size(optarg);
			break;
		case 'b':
			d.block_size = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			d.max_xfer_blocks = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			busy_us = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			ready = optarg;
			break;
		case 'k':
			keep = 1;
			break;
		case 'v':
			d.verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || d.block_size < 512 ||
	    d.block_size & (d.block_size - 1) || size < d.block_size)
		usage();
	name = argv[optind];
	if (strlen(name) > 64 || strchr(name, '/') || strchr(name, ','))
		usage();
	d.nr_blocks = size / d.block_size;
	snprintf(d.serial, sizeof(d.serial), "%.20s", name);

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	snprintf(hba_dir, sizeof(hba_dir), CORE "/user_%u", hba);
	snprintf(dir, sizeof(dir), "%s/%s", hba_dir, name);
	created = setup_device(dir, hba_dir, &d, name);
	if (created < 0) {
		fprintf(stderr, "tcmu_null: cannot set up %s: %s\n", dir,
			strerror(-created));
		return 1;
	}
	ret = find_uio(hba, name, uio, sizeof(uio));
	if (!ret)
		ret = open_ring(&r, uio);
	if (ret) {
		fprintf(stderr, "tcmu_null: no usable UIO device for %s: %s\n",
			dir, strerror(-ret));
		goto out;
	}
	printf("tcmu_null: %s on /dev/%s, %" PRIu64 " blocks of %u, ring %u KiB, map %zu MiB\n",
	       name, uio, d.nr_blocks, d.block_size, r.cmdr_size >> 10,
	       r.size >> 20);
	fflush(stdout);
	if (ready) {
		f = fopen(ready, "w");
		if (f) {
			fprintf(f, "%d %s\n", (int)getpid(), uio);
			fclose(f);
		}
	}
	ret = serve(&r, &d, busy_us);
	printf("tcmu_null: %s: %" PRIu64 " commands in %" PRIu64 " batches, %" PRIu64 " TMRs\n",
	       name, r.cmds, r.batches, r.tmrs);
out:
	if (r.base && r.base != MAP_FAILED)
		munmap(r.base, r.size);
	if (r.fd >= 0)
		close(r.fd);
	if (created > 0 && !keep) {
		if (rmdir(dir))
			fprintf(stderr, "tcmu_null: cannot remove %s: %s\n",
				dir, strerror(errno));
		rmdir(hba_dir);	/* fails while others use the hba */
	}
	return ret ? 1 : 0;
}
