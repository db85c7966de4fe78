// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Changer class mode pages (SMC-3 7.3): control 0Ah (SPC-4; D_SENSE is
 * changeable and savable), element address assignment 1Dh, transport
 * geometry parameters 1Eh and device capabilities 1Fh. The SMC pages
 * describe the library as configured and cannot be changed (MODE SELECT
 * may send them back unchanged). A changer has no block descriptors and
 * its DEVICE-SPECIFIC PARAMETER is 0.
 */
#include <string.h>
#include "smc.h"

#define ALL_BUT_MT	0x0e	/* DT, I/E, ST bits of a capability byte */

static void control_changed(struct scstu_dev *dev, const uint8_t *cur)
{
	bool desc = cur[2] & 0x04;

	if (scstu_dev_d_sense(dev) != desc)
		scstu_dev_set_d_sense(dev, desc);
}

static void put_range(struct smc_dev *sd, enum scstu_elem_type type,
		      uint8_t *p)
{
	const struct smc_range *r = smc_range_of(sd, type);

	if (r) {
		put_be16(r->first, p);
		put_be16(r->count, p + 2);
	}
}

/* Element address assignment page (SMC-3 7.3.3) */
static void eaa_page(struct smc_dev *sd, uint8_t *pg)
{
	pg[0] = 0x1d;
	pg[1] = 0x12;
	put_range(sd, SCSTU_ELEM_TRANSPORT, &pg[2]);
	put_range(sd, SCSTU_ELEM_STORAGE, &pg[6]);
	put_range(sd, SCSTU_ELEM_IMPORT_EXPORT, &pg[10]);
	put_range(sd, SCSTU_ELEM_DRIVE, &pg[14]);
}

/*
 * Device capabilities page (SMC-3 7.3.4): storage, import/export and
 * data transfer elements can hold a medium, be the source and
 * destination of MOVE MEDIUM and take part in EXCHANGE MEDIUM with each
 * other. The transport element is not addressable as a source or
 * destination (MOVE MEDIUM gives 21/01 for it).
 */
static void cap_page(uint8_t *pg)
{
	pg[0] = 0x1f;
	pg[1] = 0x12;
	pg[2] = ALL_BUT_MT;		/* StorDT, StorI/E, StorST */
	pg[4] = 0;			/* MT->XX */
	pg[5] = ALL_BUT_MT;		/* ST->DT, ST->I/E, ST->ST */
	pg[6] = ALL_BUT_MT;		/* I/E->XX */
	pg[7] = ALL_BUT_MT;		/* DT->XX */
	pg[12] = 0;			/* MT<>XX */
	pg[13] = ALL_BUT_MT;		/* ST<>XX */
	pg[14] = ALL_BUT_MT;		/* I/E<>XX */
	pg[15] = ALL_BUT_MT;		/* DT<>XX */
}

int smc_pages_init(struct scstu_dev *dev)
{
	struct smc_dev *sd = smc_of(dev);
	struct spc_mode *m = &sd->spc.mode;
	uint8_t control[12] = { 0x0a, 0x0a, 0, 0x10, 0, 0, 0, 0, 0xff, 0xff };
	/* one transport element: ROTATE 0, member 0 of its set */
	uint8_t geo[4] = { 0x1e, 0x02, 0x00, 0x00 };
	uint8_t eaa[20] = { 0 }, cap[20] = { 0 };
	uint8_t none[20] = { 0 }, mask[12] = { 0 };
	int ret;

	eaa_page(sd, eaa);
	cap_page(cap);
	mask[2] = 0x04;					/* D_SENSE */
	ret = spc_mode_add(m, control, mask, sizeof(control),
			   SPC_MP_SAVABLE, control_changed);
	if (!ret)
		ret = spc_mode_add(m, eaa, none, sizeof(eaa), 0, NULL);
	if (!ret)
		ret = spc_mode_add(m, geo, none, sizeof(geo), 0, NULL);
	if (!ret)
		ret = spc_mode_add(m, cap, none, sizeof(cap), 0, NULL);
	return ret;
}
