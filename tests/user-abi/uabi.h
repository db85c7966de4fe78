/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the scstu_user ABI test programs: open, register,
 * map queues, ring access with the documented memory ordering, and
 * configfs device attributes. Only the uapi header is used.
 */
#ifndef UABI_H
#define UABI_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "uapi/scstu_user.h"

#define CFS_USER "/sys/kernel/config/scstu/devices/user"

struct uq {
	unsigned int idx;
	void *map;
	struct scstu_user_ring *ring;
	struct scstu_user_sqe *sq;
	struct scstu_user_cqe *cq;
	uint8_t *data;
	uint32_t mask;
};

struct uconn {
	int fd;
	struct scstu_user_register reg;
	struct uq *q;
};

#define load_acq(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_rel(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* Open the device node (creating it from sysfs if needed). -1 on error. */
int uabi_open(void);
/* Fill a default registration request. */
void uabi_reg_init(struct scstu_user_register *r, const char *name,
		   unsigned int queues, unsigned int entries, uint64_t features);
/* Open, register r and map every queue. 0 or -errno. */
int uabi_connect(struct uconn *c, const struct scstu_user_register *r);
void uabi_close(struct uconn *c);
/* ENTER on queue q; returns 0 or -errno; reaped/rejected optional. */
int uabi_enter(struct uconn *c, unsigned int q, unsigned int flags,
	       unsigned int timeout_ms, uint32_t *reaped, uint32_t *rejected);
/* Write one CQE (caller publishes with uabi_cq_publish). */
struct scstu_user_cqe *uabi_cq_next(struct uq *q, uint32_t *tail);
/* configfs device directory: make it (if absent), read/write attributes */
int cfs_mkdev(const char *name);
int cfs_write(const char *name, const char *attr, const char *val);
int cfs_read(const char *name, const char *attr, char *buf, size_t len);
long cfs_read_long(const char *name, const char *attr);

#endif
