// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tape drive parameters: the mode parameter block descriptor and mode
 * pages (control 0Ah, data compression 0Fh, device configuration 10h
 * and its extension 10h/01h, medium partition 11h, informational
 * exceptions control 1Ch), VPD pages B0h and B1h, READ BLOCK LIMITS
 * and REPORT DENSITY SUPPORT.
 *
 * Block descriptor: DENSITY CODE (the loaded medium's format; MODE
 * SELECT accepts 00h, 7Fh or a density the drive reads), NUMBER OF
 * BLOCKS 0, BLOCK LENGTH (0: variable block mode; else the fixed block
 * size, 1 .. the READ BLOCK LIMITS maximum). Device-specific parameter:
 * WP when the medium cannot be written in this drive, BUFFERED MODE 1.
 *
 * Compression: DCE of page 0Fh and SELECT DATA COMPRESSION ALGORITHM of
 * page 10h are the same setting (either changes both); it is passed to
 * the medium's ->write. Medium partition page 11h: up to one additional
 * partition, FDP/SDP/IDP, PSUM and PARTITION UNITS; POFM is set (the
 * sizes take effect at FORMAT MEDIUM, as on LTO drives); its current
 * values show the loaded medium's partitions.
 */
#include <string.h>
#include "ssc.h"

#define MAX_LOI		0xffffffffffffULL	/* READ BLOCK LIMITS MLOI */

/* A page's entry; the caller holds m->lock or is initializing. */
static struct spc_mpage *page_of(struct spc_mode *m, uint8_t page,
				 uint8_t sub)
{
	unsigned int i;

	for (i = 0; i < m->nr; i++)
		if (m->pages[i].page == page && m->pages[i].subpage == sub)
			return &m->pages[i];
	return NULL;
}

static void control_changed(struct scstu_dev *dev, const uint8_t *cur)
{
	bool desc = cur[2] & 0x04;

	if (scstu_dev_d_sense(dev) != desc)
		scstu_dev_set_d_sense(dev, desc);
}

static void compression_changed(struct scstu_dev *dev, const uint8_t *cur)
{
	struct ssc_drive *d = ssc_of(dev);
	struct spc_mpage *p = page_of(&d->spc.mode, 0x10, 0);

	d->compress = cur[2] & 0x80;		/* DCE */
	if (p)
		p->cur[14] = d->compress;
}

static void devconf_changed(struct scstu_dev *dev, const uint8_t *cur)
{
	struct ssc_drive *d = ssc_of(dev);
	struct spc_mpage *p = page_of(&d->spc.mode, 0x0f, 0);

	d->compress = cur[14];
	if (p)
		p->cur[2] = (uint8_t)((p->cur[2] & 0x7f) |
				      (d->compress ? 0x80 : 0));
}

static bool devconf_check(struct scstu_dev *dev, struct scstu_req *req,
			  const uint8_t *pg, unsigned int off)
{
	(void)dev;
	/* SELECT DATA COMPRESSION ALGORITHM: 0 none, 1 the default */
	if (pg[14] > 1) {
		scstu_req_invalid_param(req, off + 14, -1);
		return false;
	}
	return true;
}

static bool partition_check(struct scstu_dev *dev, struct scstu_req *req,
			    const uint8_t *pg, unsigned int off)
{
	uint8_t how = pg[4] & 0xe0;

	(void)dev;
	if (pg[3] > pg[2]) {	/* more than MAXIMUM ADDITIONAL PARTITIONS */
		scstu_req_invalid_param(req, off + 3, -1);
		return false;
	}
	if (how & (how - 1)) {	/* FDP, SDP, IDP: at most one */
		scstu_req_invalid_param(req, off + 4, spc_high_bit(how));
		return false;
	}
	return true;
}

static void bdesc_get(struct scstu_dev *dev, int pc, bool longlba,
		      uint8_t *bd)
{
	struct ssc_drive *d = ssc_of(dev);

	(void)longlba;		/* LLBAA is refused by the command table */
	switch (pc) {
	case SPC_PC_CHANGEABLE:
		bd[0] = 0xff;
		put_be24(0xffffff, &bd[5]);
		break;
	case SPC_PC_DEFAULT:
		bd[0] = ssc_density_code(&d->media);
		break;
	default:
		bd[0] = d->density;
		put_be24(d->block_len, &bd[5]);
		break;
	}
}

static bool density_ok(struct ssc_drive *d, uint8_t code)
{
	unsigned int i;

	if (code == 0 || code == 0x7f || code == d->density)
		return true;
	if (d->state != SCSTU_TAPE_EMPTY)
		return false;
	for (i = 0; i < ssc_nr_formats; i++)
		if (ssc_formats[i].density == code &&
		    ssc_fmt_readable(d->person, &ssc_formats[i]))
			return true;
	return false;
}

static bool bdesc_set(struct scstu_dev *dev, struct scstu_req *req,
		      const uint8_t *bd, unsigned int bdl, unsigned int off)
{
	struct ssc_drive *d = ssc_of(dev);
	uint32_t bl;

	if (bdl != 8) {		/* no long LBA descriptors on tape */
		scstu_req_invalid_param(req, off - 2, -1);
		return false;
	}
	if (!density_ok(d, bd[0])) {
		scstu_req_invalid_param(req, off, -1);
		return false;
	}
	if (get_be24(&bd[1]) || bd[4]) {
		scstu_req_invalid_param(req, off + (bd[4] ? 4 : 1), -1);
		return false;
	}
	bl = get_be24(&bd[5]);
	if (bl > d->max_block) {
		scstu_req_invalid_param(req, off + 5, -1);
		return false;
	}
	d->block_len = bl;
	return true;
}

static uint8_t dsp(struct scstu_dev *dev)
{
	struct ssc_drive *d = ssc_of(dev);
	bool wp = d->state == SCSTU_TAPE_LOADED && d->write_protected;

	return (wp ? 0x80 : 0) | 0x10;		/* WP, BUFFERED MODE 1 */
}

/* Unit of the partition sizes of page 11h values p. */
static uint64_t part_unit(const uint8_t *p)
{
	uint64_t unit = 1;
	unsigned int i;

	switch ((p[4] >> 3) & 0x03) {
	case 1:
		return 1000;
	case 2:
		return 1000000;
	case 3:
		for (i = 0; i < (p[7] & 0x0fU); i++)
			unit *= 10;
		return unit;
	default:
		return 1;
	}
}

void ssc_pages_medium(struct ssc_drive *d)
{
	struct spc_mode *m = &d->spc.mode;
	unsigned int nr, i;
	struct spc_mpage *p;

	pthread_mutex_lock(&m->lock);
	p = page_of(m, 0x11, 0);
	if (p && d->state == SCSTU_TAPE_LOADED) {
		uint64_t unit = part_unit(p->cur), cap, used, v;

		nr = d->mops->nr_partitions(d->medium);
		p->cur[3] = (uint8_t)(nr > 2 ? 1 : nr - 1);
		for (i = 0; i < 2; i++) {
			cap = used = 0;
			if (i < nr)
				d->mops->space(d->medium, i, &cap, &used);
			v = cap / unit;
			put_be16(v > 0xfffe ? 0xfffe : (uint16_t)v,
				 &p->cur[8 + 2 * i]);
		}
	}
	pthread_mutex_unlock(&m->lock);
}

int ssc_pages_init(struct scstu_dev *dev)
{
	struct ssc_drive *d = ssc_of(dev);
	struct spc_mode *m = &d->spc.mode;
	uint8_t control[12] = { 0x0a, 0x0a };
	uint8_t dc[16] = { 0x0f, 0x0e, 0xc0, 0x80, 0, 0, 0, 1, 0, 0, 0, 1 };
	/* LOIS; EEG, SEW; SELECT DATA COMPRESSION ALGORITHM 1 */
	uint8_t conf[16] = { 0x10, 0x0e, 0, 0, 0, 0, 0, 0, 0x40, 0, 0x18,
			     0, 0, 0, 0x01 };
	uint8_t confx[32] = { 0x50, 0x01, 0x00, 0x1c };
	/* 1 additional partition at most; PSUM 11b, POFM; units 10^9 */
	uint8_t part[12] = { 0x11, 0x0a, 0x01, 0x00, 0x1c, 0x03, 0x00, 0x09 };
	uint8_t iec[12] = { 0x1c, 0x0a, 0x08 };		/* DEXCPT */
	uint8_t mask[32] = { 0 };
	struct spc_mpage *p;
	int ret;

	m->bdesc_get = bdesc_get;
	m->bdesc_set = bdesc_set;
	m->dsp = dsp;
	m->page0 = true;
	mask[2] = 0x04;					/* D_SENSE */
	ret = spc_mode_add(m, control, mask, sizeof(control), SPC_MP_SAVABLE,
			   control_changed);
	if (!ret) {
		memset(mask, 0, sizeof(mask));
		mask[2] = 0x80;				/* DCE */
		ret = spc_mode_add(m, dc, mask, sizeof(dc), SPC_MP_SAVABLE,
				   compression_changed);
	}
	if (!ret) {
		memset(mask, 0, sizeof(mask));
		mask[14] = 0xff;
		ret = spc_mode_add(m, conf, mask, sizeof(conf),
				   SPC_MP_SAVABLE, devconf_changed);
	}
	if (!ret) {
		memset(mask, 0, sizeof(mask));
		ret = spc_mode_add(m, confx, mask, sizeof(confx), 0, NULL);
	}
	if (!ret) {
		memset(mask, 0, sizeof(mask));
		mask[3] = 0xff;
		mask[4] = 0xf8;			/* FDP SDP IDP PSUM */
		mask[7] = 0x0f;
		memset(&mask[8], 0xff, 4);
		ret = spc_mode_add(m, part, mask, sizeof(part), 0, NULL);
	}
	if (!ret) {
		memset(mask, 0, sizeof(mask));
		mask[2] = 0x08;				/* DEXCPT */
		ret = spc_mode_add(m, iec, mask, sizeof(iec), SPC_MP_SAVABLE,
				   NULL);
	}
	if (ret)
		return ret;
	p = page_of(m, 0x10, 0);
	p->check = devconf_check;
	p = page_of(m, 0x11, 0);
	p->check = partition_check;
	return 0;
}

/* Sequential-access device capabilities (SSC-4 8.4.2) */
static unsigned int vpd_b0(struct scstu_dev *dev, uint8_t *p,
			   unsigned int max)
{
	(void)dev;
	(void)max;
	p[0] = 0x01;			/* WORM: WORM media are supported */
	return 2;
}

/* Manufacturer-assigned serial number (SSC-4 8.4.3) */
static unsigned int vpd_b1(struct scstu_dev *dev, uint8_t *p,
			   unsigned int max)
{
	struct ssc_drive *d = ssc_of(dev);
	size_t n = strlen(d->spc.serial);

	if (n > max)
		n = max;
	memcpy(p, d->spc.serial, n);
	return (unsigned int)n;
}

const struct spc_vpd_page ssc_vpd_pages[] = {
	{ 0xb0, NULL, vpd_b0 },
	{ 0xb1, NULL, vpd_b1 },
};

const unsigned int ssc_nr_vpd_pages =
	sizeof(ssc_vpd_pages) / sizeof(ssc_vpd_pages[0]);

void ssc_read_block_limits(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	uint8_t buf[20] = { 0 };

	if (req->cdb[1] & 0x01) {	/* MLOI */
		if (!ssc_ready(req))
			return;
		put_be64(MAX_LOI, &buf[12]);
		scstu_req_reply(req, buf, 20);
		return;
	}
	buf[0] = 0;			/* GRANULARITY: any length */
	put_be24(d->max_block, &buf[1]);
	put_be16(1, &buf[4]);
	scstu_req_reply(req, buf, 6);
}

#define RDS_DLEN	0x34

static const char *medium_name(const struct ssc_format *f, bool worm,
			       char *buf)
{
	/* "LTO-8   ", "LTO-8 W " */
	buf[0] = 0;
	strcpy(buf, "LTO-");
	buf[4] = (char)('0' + f->generation);
	buf[5] = 0;
	if (worm)
		strcat(buf, " W");
	return buf;
}

/* One density support descriptor (52 bytes). */
static unsigned int density_desc(struct ssc_drive *d,
				 const struct ssc_format *f, bool wrtok,
				 uint8_t *p)
{
	p[0] = f->density;
	p[1] = f->density;
	p[2] = (wrtok ? 0x80 : 0) | 0x01;		/* WRTOK, DLV */
	if (f->generation == d->person->generation && !f->type_m)
		p[2] |= 0x20;				/* DEFLT */
	put_be16(RDS_DLEN, &p[3]);
	put_be24(f->bits_per_mm, &p[5]);
	put_be16(127, &p[8]);		/* 12.7 mm */
	put_be16(f->tracks, &p[10]);
	put_be32(f->capacity_mb, &p[12]);
	spc_put_ascii(&p[16], "LTO-CVE", 8);
	spc_put_ascii(&p[24], f->name, 8);
	spc_put_ascii(&p[32], f->desc, 20);
	return 52;
}

/* One medium type descriptor (56 bytes). */
static unsigned int medium_desc(struct ssc_drive *d,
				const struct ssc_format *f, bool worm,
				uint8_t *p)
{
	char name[16], desc[24];
	unsigned int n = 0, i;

	p[0] = f->medium_type + (worm ? 4 : 0);
	put_be16(RDS_DLEN, &p[2]);
	for (i = 0; i < ssc_nr_formats; i++)
		if (ssc_formats[i].generation == f->generation &&
		    ssc_fmt_readable(d->person, &ssc_formats[i]) &&
		    (!worm || !ssc_formats[i].type_m) && n < 9)
			p[5 + n++] = ssc_formats[i].density;
	p[4] = (uint8_t)n;
	put_be16(127, &p[14]);
	put_be16(f->length_m, &p[16]);
	spc_put_ascii(&p[20], "LTO-CVE", 8);
	spc_put_ascii(&p[28], medium_name(f, worm, name), 8);
	strcpy(desc, "Ultrium ");
	desc[8] = (char)('0' + f->generation);
	strcpy(&desc[9], worm ? " WORM" : " Data");
	spc_put_ascii(&p[36], desc, 20);
	return 56;
}

void ssc_report_density(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	bool media = req->cdb[1] & 0x01, mtype = req->cdb[1] & 0x02;
	uint32_t alloc = get_be16(&req->cdb[7]), len = 4;
	const struct ssc_format *cur = NULL, *f;
	uint8_t buf[2048] = { 0 };
	unsigned int i;

	if (media) {
		if (!ssc_ready(req))
			return;
		cur = ssc_format_of(&d->media);
	}
	for (i = ssc_nr_formats; i-- > 0;) {
		f = &ssc_formats[i];
		if (!ssc_fmt_readable(d->person, f))
			continue;
		if (!mtype) {
			if (media && f != cur)
				continue;
			len += density_desc(d, f, media ? !d->write_protected :
					    ssc_fmt_writable(d->person, f),
					    &buf[len]);
			continue;
		}
		/* one medium type per cartridge generation: not M8 */
		if (f->type_m)
			continue;
		if (media && f->generation != d->media.generation)
			continue;
		if (!media || !d->media.worm)
			len += medium_desc(d, f, false, &buf[len]);
		if (f->generation >= 3 && (!media || d->media.worm))
			len += medium_desc(d, f, true, &buf[len]);
	}
	put_be16((uint16_t)(len - 2), &buf[0]);
	scstu_req_reply(req, buf, len < alloc ? len : alloc);
}
