// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SPC toolkit: per device identity (INQUIRY strings, NAA) and the
 * relative target port of each session, learnt from attach events.
 */
#include <stdlib.h>
#include <string.h>
#include "spc.h"

static uint64_t fnv1a64(const char *s, uint64_t h)
{
	while (*s) {
		h ^= (uint8_t)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void copy_str(char *dst, size_t size, const char *src,
		     const char *def)
{
	const char *s = src && *src ? src : def;
	size_t n = strnlen(s, size - 1);

	memcpy(dst, s, n);
	dst[n] = 0;
}

void spc_put_ascii(uint8_t *dst, const char *src, size_t width)
{
	size_t n = strnlen(src, width);

	memcpy(dst, src, n);
	memset(dst + n, ' ', width - n);
}

void spc_dev_init(struct scstu_dev *dev, struct spc_dev *sd,
		  const char *vendor, const char *product,
		  const char *revision, const char *serial)
{
	uint64_t h;

	copy_str(sd->vendor, sizeof(sd->vendor), vendor, "SCSTU");
	copy_str(sd->product, sizeof(sd->product), product, "USER DEVICE");
	copy_str(sd->revision, sizeof(sd->revision), revision,
		 SCSTU_VERSION);
	copy_str(sd->serial, sizeof(sd->serial), serial, dev->name);
	/* the same scheme as the in-kernel backends: "<backend>/<name>" */
	h = fnv1a64("user/", 0xcbf29ce484222325ULL);
	h = fnv1a64(dev->name, h);
	/* NAA 3h (locally assigned): 4-bit NAA, 60-bit value */
	put_be64((3ULL << 60) | (h & ((1ULL << 60) - 1)), sd->naa);
	pthread_mutex_init(&sd->rtp_lock, NULL);
	pthread_mutex_init(&sd->mode.lock, NULL);
}

void spc_dev_free(struct spc_dev *sd)
{
	spc_mode_free(&sd->mode);
	free(sd->rtp);
	pthread_mutex_destroy(&sd->rtp_lock);
}

void spc_attach(struct scstu_dev *dev, const struct scstu_nexus *nx)
{
	struct spc_dev *sd = spc_of(dev);
	struct spc_rtp *n;
	unsigned int i;

	pthread_mutex_lock(&sd->rtp_lock);
	for (i = 0; i < sd->nr_rtp; i++)
		if (sd->rtp[i].session == nx->session)
			break;
	if (i == sd->nr_rtp) {
		n = realloc(sd->rtp, (sd->nr_rtp + 1) * sizeof(*n));
		if (n) {
			sd->rtp = n;
			sd->nr_rtp++;
		}
	}
	if (i < sd->nr_rtp) {
		sd->rtp[i].session = nx->session;
		sd->rtp[i].rel_port = nx->rel_port;
	}
	pthread_mutex_unlock(&sd->rtp_lock);
	if (sd->attach)
		sd->attach(dev, nx);
}

void spc_detach(struct scstu_dev *dev, const struct scstu_nexus *nx)
{
	struct spc_dev *sd = spc_of(dev);
	unsigned int i;

	pthread_mutex_lock(&sd->rtp_lock);
	for (i = 0; i < sd->nr_rtp; i++) {
		if (sd->rtp[i].session == nx->session) {
			sd->rtp[i] = sd->rtp[--sd->nr_rtp];
			break;
		}
	}
	pthread_mutex_unlock(&sd->rtp_lock);
	if (sd->detach)
		sd->detach(dev, nx);
}

/* Relative target port of a session; 1 if unknown. */
uint16_t spc_rel_port(struct scstu_dev *dev, uint64_t session)
{
	struct spc_dev *sd = spc_of(dev);
	uint16_t port = 1;
	unsigned int i;

	pthread_mutex_lock(&sd->rtp_lock);
	for (i = 0; i < sd->nr_rtp; i++)
		if (sd->rtp[i].session == session && sd->rtp[i].rel_port)
			port = sd->rtp[i].rel_port;
	pthread_mutex_unlock(&sd->rtp_lock);
	return port;
}

struct scstu_dev *spc_class_create(const struct scstu_dev_config *cfg,
				   uint8_t type, unsigned int set_flags,
				   unsigned int clear_flags,
				   const struct scstu_ops *ops, void *priv)
{
	struct scstu_dev_config c = *cfg;
	struct scstu_dev *dev;
	int err;

	c.type = type;
	c.flags = (c.flags | set_flags) & ~clear_flags;
	dev = scstu_dev_create(&c, ops);
	if (!dev) {
		err = errno;
		free(priv);
		errno = err;
	}
	return dev;
}

struct scstu_dev *spc_class_ready(struct scstu_dev *dev, int ret)
{
	if (!ret)
		return dev;
	scstu_dev_destroy(dev);
	errno = -ret;
	return NULL;
}
