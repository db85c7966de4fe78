/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libscstuser private: big-endian field access for CDBs and SCSI data. */
#ifndef SCSTU_BE_H
#define SCSTU_BE_H

#include <stdint.h>

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get_be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static inline void put_be16(uint16_t v, uint8_t *p)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void put_be24(uint32_t v, uint8_t *p)
{
	p[0] = v >> 16;
	p[1] = v >> 8;
	p[2] = v;
}

static inline void put_be32(uint32_t v, uint8_t *p)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline void put_be64(uint64_t v, uint8_t *p)
{
	put_be32(v >> 32, p);
	put_be32((uint32_t)v, p + 4);
}

#endif /* SCSTU_BE_H */
