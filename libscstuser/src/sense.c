// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser sense data (SPC-4 4.5): encode and decode fixed format
 * (70h) and descriptor format (72h) sense.
 *
 * Fixed format carries a 32-bit INFORMATION and COMMAND-SPECIFIC
 * INFORMATION; a larger value is stored truncated with VALID = 0.
 * Descriptor format uses the information (00h), command-specific
 * information (01h), sense-key specific (02h) and, for FILEMARK, EOM and
 * ILI, the stream commands (04h) descriptors.
 */
#include <errno.h>
#include <string.h>
#include "be.h"
#include "internal.h"

#define FIXED_LEN	18
#define SKSV		0x80

/* FILEMARK, EOM, ILI bits as in fixed byte 2 and stream descriptor byte 3 */
static uint8_t sense_stream_bits(unsigned int flags)
{
	return (flags & SCSTU_SENSE_FILEMARK ? 0x80 : 0) |
	       (flags & SCSTU_SENSE_EOM ? 0x40 : 0) |
	       (flags & SCSTU_SENSE_ILI ? 0x20 : 0);
}

static size_t sense_fixed(uint8_t *p, const struct scstu_sense *s)
{
	p[0] = 0x70;
	if ((s->flags & SCSTU_SENSE_INFO) && s->info <= UINT32_MAX)
		p[0] |= 0x80;				/* VALID */
	p[2] = sense_stream_bits(s->flags) | (s->key & 0x0f);
	if (s->flags & SCSTU_SENSE_INFO)
		put_be32((uint32_t)s->info, &p[3]);
	p[7] = FIXED_LEN - 8;
	if (s->flags & SCSTU_SENSE_CMD_INFO)
		put_be32((uint32_t)s->cmd_info, &p[8]);
	p[12] = s->asc;
	p[13] = s->ascq;
	if (s->flags & SCSTU_SENSE_SKS) {
		p[15] = s->sks[0] | SKSV;
		p[16] = s->sks[1];
		p[17] = s->sks[2];
	}
	return FIXED_LEN;
}

static size_t sense_desc(uint8_t *p, const struct scstu_sense *s)
{
	uint8_t *d = &p[8];

	p[0] = 0x72;
	p[1] = s->key & 0x0f;
	p[2] = s->asc;
	p[3] = s->ascq;
	if (s->flags & SCSTU_SENSE_INFO) {
		d[0] = 0x00;
		d[1] = 0x0a;
		d[2] = 0x80;				/* VALID */
		put_be64(s->info, &d[4]);
		d += 12;
	}
	if (s->flags & SCSTU_SENSE_CMD_INFO) {
		d[0] = 0x01;
		d[1] = 0x0a;
		put_be64(s->cmd_info, &d[4]);
		d += 12;
	}
	if (s->flags & SCSTU_SENSE_SKS) {
		d[0] = 0x02;
		d[1] = 0x06;
		d[4] = s->sks[0] | SKSV;
		d[5] = s->sks[1];
		d[6] = s->sks[2];
		d += 8;
	}
	if (sense_stream_bits(s->flags)) {
		d[0] = 0x04;
		d[1] = 0x02;
		d[3] = sense_stream_bits(s->flags);
		d += 4;
	}
	p[7] = (uint8_t)(d - &p[8]);
	return (size_t)(d - p);
}

size_t scstu_sense_build(uint8_t *buf, size_t len, bool desc,
			 const struct scstu_sense *s)
{
	uint8_t tmp[SCSTU_SENSE_MAX] = { 0 };
	size_t n = desc ? sense_desc(tmp, s) : sense_fixed(tmp, s);

	if (n > len)
		n = len;
	memcpy(buf, tmp, n);
	return n;
}

static void parse_stream_bits(uint8_t b, struct scstu_sense *s)
{
	if (b & 0x80)
		s->flags |= SCSTU_SENSE_FILEMARK;
	if (b & 0x40)
		s->flags |= SCSTU_SENSE_EOM;
	if (b & 0x20)
		s->flags |= SCSTU_SENSE_ILI;
}

static int parse_fixed(const uint8_t *p, size_t len, struct scstu_sense *s)
{
	size_t end;

	if (len < 3)
		return -EINVAL;
	s->key = p[2] & 0x0f;
	parse_stream_bits(p[2], s);
	if (len >= 7 && (p[0] & 0x80)) {
		s->flags |= SCSTU_SENSE_INFO;
		s->info = get_be32(&p[3]);
	}
	if (len < 8)
		return 0;
	end = 8 + (size_t)p[7];
	if (end > len)
		end = len;
	if (end >= 12 && get_be32(&p[8])) {
		s->flags |= SCSTU_SENSE_CMD_INFO;
		s->cmd_info = get_be32(&p[8]);
	}
	if (end >= 13)
		s->asc = p[12];
	if (end >= 14)
		s->ascq = p[13];
	if (end >= 18 && (p[15] & SKSV)) {
		s->flags |= SCSTU_SENSE_SKS;
		s->sks[0] = p[15] & ~SKSV;
		s->sks[1] = p[16];
		s->sks[2] = p[17];
	}
	return 0;
}

static void parse_descriptor(const uint8_t *d, size_t dlen,
			     struct scstu_sense *s)
{
	switch (d[0]) {
	case 0x00:
		if (dlen >= 12 && (d[2] & 0x80)) {
			s->flags |= SCSTU_SENSE_INFO;
			s->info = get_be64(&d[4]);
		}
		break;
	case 0x01:
		if (dlen >= 12) {
			s->flags |= SCSTU_SENSE_CMD_INFO;
			s->cmd_info = get_be64(&d[4]);
		}
		break;
	case 0x02:
		if (dlen >= 7 && (d[4] & SKSV)) {
			s->flags |= SCSTU_SENSE_SKS;
			s->sks[0] = d[4] & ~SKSV;
			s->sks[1] = d[5];
			s->sks[2] = d[6];
		}
		break;
	case 0x04:	/* stream commands */
	case 0x05:	/* block commands: ILI only */
		if (dlen >= 4)
			parse_stream_bits(d[0] == 0x05 ? d[3] & 0x20 : d[3],
					  s);
		break;
	}
}

static int parse_desc(const uint8_t *p, size_t len, struct scstu_sense *s)
{
	size_t off, end;

	if (len < 4)
		return -EINVAL;
	s->key = p[1] & 0x0f;
	s->asc = p[2];
	s->ascq = p[3];
	if (len < 8)
		return 0;
	end = 8 + (size_t)p[7];
	if (end > len)
		end = len;
	for (off = 8; off + 2 <= end; off += 2 + (size_t)p[off + 1]) {
		size_t dlen = 2 + (size_t)p[off + 1];

		if (off + dlen > end)
			break;
		parse_descriptor(&p[off], dlen, s);
	}
	return 0;
}

int scstu_sense_parse(const uint8_t *buf, size_t len, struct scstu_sense *s)
{
	memset(s, 0, sizeof(*s));
	if (!len)
		return -EINVAL;
	switch (buf[0] & 0x7f) {
	case 0x70:
	case 0x71:
		return parse_fixed(buf, len, s);
	case 0x72:
	case 0x73:
		return parse_desc(buf, len, s);
	default:
		return -EINVAL;
	}
}
