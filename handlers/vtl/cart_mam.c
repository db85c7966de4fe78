// SPDX-License-Identifier: GPL-2.0
/*
 * The cartridge's medium auxiliary memory: an opaque blob in the file
 * "mam" (16-byte header: magic, length, CRC32C; then the blob), replaced
 * atomically (write mam.new, fsync, rename, fsync the directory).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <scstuser.h>
#include "cart_priv.h"

int cart_mam_read(void *m, void *buf, size_t max)
{
	struct cart *c = m;
	uint8_t hdr[CART_MAM_HDR], *data;
	struct stat st;
	uint32_t len;
	int fd, r;

	fd = openat(c->dirfd, "mam", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	r = -EBADMSG;
	if (fstat(fd, &st) || st.st_size < CART_MAM_HDR ||
	    pread(fd, hdr, sizeof(hdr), 0) != sizeof(hdr) ||
	    memcmp(hdr, CART_MAM_MAGIC, 8))
		goto out;
	len = cart_get32(hdr + 8);
	if (len > CART_MAM_MAX || st.st_size != CART_MAM_HDR + (off_t)len)
		goto out;
	data = malloc(len ? len : 1);
	if (!data) {
		r = -ENOMEM;
		goto out;
	}
	if (pread(fd, data, len, CART_MAM_HDR) != (ssize_t)len ||
	    cart_crc32c(data, len) != cart_get32(hdr + 12)) {
		free(data);
		goto out;
	}
	memcpy(buf, data, len < max ? len : max);
	free(data);
	r = (int)len;
out:
	if (r == -EBADMSG)
		scstu_log(SCSTU_LOG_WARN, "%s/mam: corrupt", c->path);
	close(fd);
	return r;
}

int cart_mam_write(void *m, const void *buf, size_t len)
{
	struct cart *c = m;
	uint8_t hdr[CART_MAM_HDR];
	int fd, r = 0;

	if (len > CART_MAM_MAX)
		return -ENOSPC;
	memcpy(hdr, CART_MAM_MAGIC, 8);
	cart_put32(hdr + 8, len);
	cart_put32(hdr + 12, cart_crc32c(buf, len));
	fd = openat(c->dirfd, "mam.new",
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (pwrite(fd, hdr, sizeof(hdr), 0) != sizeof(hdr) ||
	    (len && pwrite(fd, buf, len, CART_MAM_HDR) != (ssize_t)len))
		r = errno ? -errno : -EIO;
	if (!r && fdatasync(fd))
		r = -errno;
	close(fd);
	if (!r && renameat(c->dirfd, "mam.new", c->dirfd, "mam"))
		r = -errno;
	if (!r && fsync(c->dirfd))
		r = -errno;
	if (r)
		unlinkat(c->dirfd, "mam.new", 0);
	return r;
}
