// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Disk class mode pages (read-write error recovery 01h, caching 08h,
 * control 0Ah, informational exceptions control 1Ch), the mode parameter
 * block descriptor, and the VPD pages block limits (B0h), block device
 * characteristics (B1h) and logical block provisioning (B2h, with unmap).
 *
 * Changeable: WCE (caching, only with ->flush) and D_SENSE (control,
 * told to the kernel with scstu_dev_set_d_sense()); both savable.
 */
#include <string.h>
#include "sbc.h"

#define DEF_MAX_UNMAP_BLOCKS	(1U << 22)
#define DEF_MAX_UNMAP_DESC	256
#define DEF_MAX_WS_BLOCKS	(1U << 20)
#define MAX_CAW_BLOCKS		255
#define VPD_BLK_LEN		0x3c

uint32_t sbc_max_unmap_blocks(struct sbc_dev *sd)
{
	return sd->cfg.max_unmap_blocks ? sd->cfg.max_unmap_blocks :
	       DEF_MAX_UNMAP_BLOCKS;
}

uint32_t sbc_max_unmap_desc(struct sbc_dev *sd)
{
	uint32_t n = sd->cfg.max_unmap_descriptors ?
		     sd->cfg.max_unmap_descriptors : DEF_MAX_UNMAP_DESC;

	/* the parameter list length is 16 bits */
	return n < (0xffff - 8) / 16 ? n : (0xffff - 8) / 16;
}

uint32_t sbc_max_ws_blocks(struct sbc_dev *sd)
{
	return sd->cfg.max_write_same_blocks ? sd->cfg.max_write_same_blocks :
	       DEF_MAX_WS_BLOCKS;
}

/* Both halves of the data-out buffer must fit in one transfer. */
uint32_t sbc_max_caw_blocks(struct scstu_dev *dev)
{
	uint32_t n = sbc_max_blocks(dev) / 2;

	return n < MAX_CAW_BLOCKS ? n : MAX_CAW_BLOCKS;
}

static void caching_changed(struct scstu_dev *dev, const uint8_t *cur)
{
	atomic_store(&sbc_of(dev)->wce, cur[2] & 0x04);
}

static void control_changed(struct scstu_dev *dev, const uint8_t *cur)
{
	bool desc = cur[2] & 0x04;

	if (scstu_dev_d_sense(dev) != desc)
		scstu_dev_set_d_sense(dev, desc);
}

static void bdesc_get(struct scstu_dev *dev, int pc, bool longlba,
		      uint8_t *bd)
{
	struct sbc_dev *sd = sbc_of(dev);
	uint64_t n = atomic_load(&sd->nr_blocks);

	/* nothing in it can be changed */
	if (pc == SPC_PC_CHANGEABLE)
		return;
	if (longlba) {
		put_be64(n, &bd[0]);
		put_be32(sd->block_size, &bd[12]);
	} else {
		put_be32(n > 0xffffffff ? 0xffffffff : (uint32_t)n, &bd[0]);
		put_be24(sd->block_size, &bd[5]);
	}
}

/* A block descriptor MODE SELECT sent must describe the disk as it is
 * (NUMBER OF LOGICAL BLOCKS 0: no change). */
static bool bdesc_set(struct scstu_dev *dev, struct scstu_req *req,
		      const uint8_t *bd, unsigned int bdl, unsigned int off)
{
	struct sbc_dev *sd = sbc_of(dev);
	uint64_t cap = atomic_load(&sd->nr_blocks), n;
	unsigned int blen_off = bdl == 16 ? 12 : 5;
	uint32_t blen;

	if (bdl == 16) {
		n = get_be64(bd);
		if (get_be32(&bd[8])) {
			scstu_req_invalid_param(req, off + 8, -1);
			return false;
		}
		blen = get_be32(&bd[12]);
	} else {
		n = get_be32(bd);
		cap = cap > 0xffffffff ? 0xffffffff : cap;
		if (bd[4]) {
			scstu_req_invalid_param(req, off + 4, -1);
			return false;
		}
		blen = get_be24(&bd[5]);
	}
	if (blen != sd->block_size) {
		scstu_req_invalid_param(req, off + blen_off, -1);
		return false;
	}
	if (n && n != cap) {
		scstu_req_invalid_param(req, off, -1);
		return false;
	}
	return true;
}

static uint8_t dsp(struct scstu_dev *dev)
{
	/* WP, DPOFUA */
	return (sbc_of(dev)->cfg.read_only ? 0x80 : 0) | 0x10;
}

int sbc_pages_init(struct scstu_dev *dev)
{
	struct sbc_dev *sd = sbc_of(dev);
	struct spc_mode *m = &sd->spc.mode;
	bool flush = sd->ops.flush;
	uint8_t rw[12] = { 0x01, 0x0a, 0xc0 };		/* AWRE, ARRE */
	uint8_t caching[20] = { 0x08, 0x12 };
	uint8_t control[12] = { 0x0a, 0x0a, 0, 0x10, 0, 0, 0, 0, 0xff, 0xff };
	uint8_t iec[12] = { 0x1c, 0x0a, 0x08 };		/* DEXCPT */
	uint8_t none[20] = { 0 }, mask[20] = { 0 };
	int ret;

	m->bdesc_get = bdesc_get;
	m->bdesc_set = bdesc_set;
	m->dsp = dsp;
	if (flush && sd->cfg.write_cache)
		caching[2] = 0x04;			/* WCE */
	/* QAM 1: unrestricted reordering; BUSY TIMEOUT PERIOD unlimited */
	ret = spc_mode_add(m, rw, none, sizeof(rw), 0, NULL);
	if (!ret) {
		mask[2] = flush ? 0x04 : 0;
		ret = spc_mode_add(m, caching, mask, sizeof(caching),
				   flush ? SPC_MP_SAVABLE : 0,
				   caching_changed);
	}
	if (!ret) {
		mask[2] = 0x04;				/* D_SENSE */
		ret = spc_mode_add(m, control, mask, sizeof(control),
				   SPC_MP_SAVABLE, control_changed);
	}
	if (!ret)
		ret = spc_mode_add(m, iec, none, sizeof(iec), 0, NULL);
	return ret;
}

static bool has_unmap(struct scstu_dev *dev)
{
	return sbc_has_unmap(dev);
}

/* Block limits (SBC-4 6.6.4) */
static unsigned int vpd_b0(struct scstu_dev *dev, uint8_t *p,
			   unsigned int max)
{
	struct sbc_dev *sd = sbc_of(dev);

	(void)max;
	p[0] = 0x01;					/* WSNZ */
	p[1] = (uint8_t)sbc_max_caw_blocks(dev);
	put_be16((uint16_t)(1U << sd->cfg.phys_block_exp), &p[2]);
	put_be32(sbc_max_blocks(dev), &p[4]);
	put_be32(sd->cfg.opt_xfer_blocks, &p[8]);
	put_be32(sbc_max_blocks(dev), &p[12]);		/* max pre-fetch */
	if (sd->ops.unmap) {
		uint32_t g = sd->cfg.unmap_granularity;

		put_be32(sbc_max_unmap_blocks(sd), &p[16]);
		put_be32(sbc_max_unmap_desc(sd), &p[20]);
		put_be32(g ? g : 1U << sd->cfg.phys_block_exp, &p[24]);
	}
	if (sbc_has_write_same(dev))
		put_be64(sbc_max_ws_blocks(sd), &p[32]);
	return VPD_BLK_LEN;
}

/* Block device characteristics (SBC-4 6.6.2) */
static unsigned int vpd_b1(struct scstu_dev *dev, uint8_t *p,
			   unsigned int max)
{
	(void)max;
	/* MEDIUM ROTATION RATE: 1 non-rotating, 0 not reported */
	put_be16(sbc_of(dev)->cfg.rotational ? 0 : 1, &p[0]);
	return VPD_BLK_LEN;
}

/* Logical block provisioning (SBC-4 6.6.5) */
static unsigned int vpd_b2(struct scstu_dev *dev, uint8_t *p,
			   unsigned int max)
{
	(void)dev;
	(void)max;
	p[0] = 0;			/* THRESHOLD EXPONENT */
	p[1] = 0x80 | 0x40 | 0x20;	/* LBPU, LBPWS, LBPWS10; LBPRZ 0 */
	p[2] = 0x02;			/* PROVISIONING TYPE: thin */
	return 4;
}

const struct spc_vpd_page sbc_vpd_pages[] = {
	{ 0xb0, NULL, vpd_b0 },
	{ 0xb1, NULL, vpd_b1 },
	{ 0xb2, has_unmap, vpd_b2 },
};

const unsigned int sbc_nr_vpd_pages =
	sizeof(sbc_vpd_pages) / sizeof(sbc_vpd_pages[0]);
