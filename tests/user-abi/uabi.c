// SPDX-License-Identifier: GPL-2.0
/* Helpers for the scstu_user ABI test programs (see uabi.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "uabi.h"

int uabi_open(void)
{
	unsigned int maj, min;
	FILE *f;
	int fd;

	fd = open(SCSTU_USER_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	/* no devtmpfs node: make one from sysfs */
	f = fopen("/sys/class/misc/scstu_user/dev", "r");
	if (!f)
		return -1;
	if (fscanf(f, "%u:%u", &maj, &min) != 2) {
		fclose(f);
		errno = ENODEV;
		return -1;
	}
	fclose(f);
	if (mknod(SCSTU_USER_DEV_PATH, S_IFCHR | 0600, makedev(maj, min)) &&
	    errno != EEXIST)
		return -1;
	return open(SCSTU_USER_DEV_PATH, O_RDWR | O_CLOEXEC);
}

void uabi_reg_init(struct scstu_user_register *r, const char *name,
		   unsigned int queues, unsigned int entries, uint64_t features)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->abi_major = SCSTU_USER_ABI_MAJOR;
	r->abi_minor = SCSTU_USER_ABI_MINOR;
	r->features = features;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->type = SCSTU_USER_TYPE_DISK;
	r->nr_queues = queues;
	r->ring_entries = entries;
}

int uabi_connect(struct uconn *c, const struct scstu_user_register *r)
{
	unsigned int i;
	int err;

	memset(c, 0, sizeof(*c));
	c->fd = uabi_open();
	if (c->fd < 0)
		return -errno;
	c->reg = *r;
	if (ioctl(c->fd, SCSTU_USER_REGISTER, &c->reg)) {
		err = -errno;
		close(c->fd);
		c->fd = -1;
		return err;
	}
	c->q = calloc(c->reg.nr_queues, sizeof(*c->q));
	if (!c->q)
		return -ENOMEM;
	for (i = 0; i < c->reg.nr_queues; i++) {
		struct uq *q = &c->q[i];

		q->idx = i;
		q->map = mmap(NULL, c->reg.map_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED, c->fd, i * c->reg.queue_stride);
		if (q->map == MAP_FAILED)
			return -errno;
		q->ring = q->map;
		q->sq = (void *)((char *)q->map + c->reg.sq_off);
		q->cq = (void *)((char *)q->map + c->reg.cq_off);
		q->data = (uint8_t *)q->map + c->reg.data_off;
		q->mask = q->ring->ring_mask;
	}
	return 0;
}

void uabi_close(struct uconn *c)
{
	unsigned int i;

	if (c->q) {
		for (i = 0; i < c->reg.nr_queues; i++)
			if (c->q[i].map && c->q[i].map != MAP_FAILED)
				munmap(c->q[i].map, c->reg.map_size);
		free(c->q);
		c->q = NULL;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

int uabi_enter(struct uconn *c, unsigned int q, unsigned int flags,
	       unsigned int timeout_ms, uint32_t *reaped, uint32_t *rejected)
{
	struct scstu_user_enter e = {
		.queue = q, .flags = flags, .timeout_ms = timeout_ms,
	};
	int ret = ioctl(c->fd, SCSTU_USER_ENTER, &e) ? -errno : 0;

	if (reaped)
		*reaped = e.reaped;
	if (rejected)
		*rejected = e.rejected;
	return ret;
}

struct scstu_user_cqe *uabi_cq_next(struct uq *q, uint32_t *tail)
{
	struct scstu_user_cqe *cqe = &q->cq[*tail & q->mask];

	memset(cqe, 0, sizeof(*cqe));
	(*tail)++;
	return cqe;
}

static void cfs_path(char *buf, size_t len, const char *name,
		     const char *attr)
{
	snprintf(buf, len, CFS_USER "/%s%s%s", name, attr ? "/" : "",
		 attr ? attr : "");
}

int cfs_mkdev(const char *name)
{
	char p[512];

	cfs_path(p, sizeof(p), name, NULL);
	if (mkdir(p, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int cfs_write(const char *name, const char *attr, const char *val)
{
	char p[512];
	ssize_t n;
	int fd, err = 0;

	cfs_path(p, sizeof(p), name, attr);
	fd = open(p, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	close(fd);
	return err;
}

int cfs_read(const char *name, const char *attr, char *buf, size_t len)
{
	char p[512];
	ssize_t n;
	int fd;

	cfs_path(p, sizeof(p), name, attr);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

long cfs_read_long(const char *name, const char *attr)
{
	char buf[64];

	if (cfs_read(name, attr, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 0);
}
