// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tape drive personalities: the identity and limits of IBM and HP LTO
 * drives (generations 5 to 9), the LTO formats they know and the media
 * rules between them.
 *
 * Media rules (LTO Program compatibility):
 *  - LTO-5, 6, 7 drives read their own and the two previous generations
 *    and write their own and the previous one;
 *  - LTO-8 drives read and write LTO-7, LTO-7 Type M (M8, an LTO-7
 *    cartridge formatted at density 5Dh) and LTO-8;
 *  - LTO-9 drives read and write LTO-8 and LTO-9 (not M8).
 * Cleaning cartridges load in every drive (and make it NOT READY).
 *
 * Revisions are defaults in the style of each vendor's firmware levels;
 * scstu_tape_config.revision sets the real one.
 */
#include <string.h>
#include "ssc.h"

#define IBM_MAX_BLOCK	0x800000	/* 8 MiB */
#define HP_MAX_BLOCK	0xffffff	/* 16 MiB - 1 */

static const struct ssc_person persons[] = {
	{ "ibm-lto5", "IBM", "ULT3580-TD5", "G350", 5, IBM_MAX_BLOCK, false },
	{ "ibm-lto6", "IBM", "ULT3580-TD6", "J451", 6, IBM_MAX_BLOCK, false },
	{ "ibm-lto7", "IBM", "ULT3580-TD7", "L9N1", 7, IBM_MAX_BLOCK, false },
	{ "ibm-lto8", "IBM", "ULT3580-TD8", "N9M1", 8, IBM_MAX_BLOCK, true },
	{ "ibm-lto9", "IBM", "ULT3580-TD9", "Q3E1", 9, IBM_MAX_BLOCK, false },
	{ "hp-lto5", "HP", "Ultrium 5-SCSI", "Z6ID", 5, HP_MAX_BLOCK, false },
	{ "hp-lto6", "HP", "Ultrium 6-SCSI", "J5SW", 6, HP_MAX_BLOCK, false },
	{ "hp-lto7", "HP", "Ultrium 7-SCSI", "L10W", 7, HP_MAX_BLOCK, false },
	{ "hp-lto8", "HP", "Ultrium 8-SCSI", "N5DW", 8, HP_MAX_BLOCK, true },
	{ "hp-lto9", "HP", "Ultrium 9-SCSI", "P3CW", 9, HP_MAX_BLOCK, false },
};

/* Oldest first; density codes, medium types and nominal figures of the
 * LTO formats (capacity in 10^6 bytes, native). */
const struct ssc_format ssc_formats[] = {
	{ 3, false, 0x44, 0x38, 9638, 704, 680, 400000, "U-316",
	  "Ultrium 3/16T" },
	{ 4, false, 0x46, 0x48, 12725, 896, 820, 800000, "U-416",
	  "Ultrium 4/16T" },
	{ 5, false, 0x58, 0x58, 15142, 1280, 846, 1500000, "U-516",
	  "Ultrium 5/16T" },
	{ 6, false, 0x5a, 0x68, 15142, 2176, 846, 2500000, "U-616",
	  "Ultrium 6/16T" },
	{ 7, false, 0x5c, 0x78, 19107, 3584, 960, 6000000, "U-732",
	  "Ultrium 7/32T" },
	{ 7, true, 0x5d, 0x78, 19107, 5376, 960, 9000000, "U-732M",
	  "Ultrium M8/32T" },
	{ 8, false, 0x5e, 0x88, 20669, 6656, 960, 12000000, "U-832",
	  "Ultrium 8/32T" },
	{ 9, false, 0x60, 0x98, 21456, 8960, 1035, 18000000, "U-932",
	  "Ultrium 9/32T" },
};

const unsigned int ssc_nr_formats = sizeof(ssc_formats) /
				    sizeof(ssc_formats[0]);

const struct ssc_person *ssc_person_find(const char *name)
{
	unsigned int i;

	if (!name)
		name = "ibm-lto8";
	for (i = 0; i < sizeof(persons) / sizeof(persons[0]); i++)
		if (!strcmp(persons[i].name, name))
			return &persons[i];
	return NULL;
}

const struct ssc_format *ssc_format_of(const struct scstu_tape_media *m)
{
	unsigned int i;

	for (i = 0; i < ssc_nr_formats; i++)
		if (ssc_formats[i].generation == m->generation &&
		    ssc_formats[i].type_m == m->type_m)
			return &ssc_formats[i];
	return NULL;
}

static bool gen_in(const struct ssc_person *p, uint8_t g, bool type_m,
		   int back)
{
	if (type_m)
		return p->type_m;
	switch (p->generation) {
	case 8:
		return g == 7 || g == 8;
	case 9:
		return g == 8 || g == 9;
	default:
		return g <= p->generation && g + back >= p->generation;
	}
}

bool ssc_fmt_readable(const struct ssc_person *p, const struct ssc_format *f)
{
	return gen_in(p, f->generation, f->type_m, 2);
}

bool ssc_fmt_writable(const struct ssc_person *p, const struct ssc_format *f)
{
	return gen_in(p, f->generation, f->type_m, 1);
}

bool ssc_can_read(const struct ssc_person *p,
		  const struct scstu_tape_media *m)
{
	if (m->cleaning)
		return true;
	return gen_in(p, m->generation, m->type_m, 2);
}

bool ssc_can_write(const struct ssc_person *p,
		   const struct scstu_tape_media *m)
{
	if (m->cleaning)
		return false;
	return gen_in(p, m->generation, m->type_m, 1);
}

uint8_t ssc_density_code(const struct scstu_tape_media *m)
{
	const struct ssc_format *f = ssc_format_of(m);

	return f && !m->cleaning ? f->density : 0;
}

uint8_t ssc_medium_type(const struct scstu_tape_media *m)
{
	const struct ssc_format *f = ssc_format_of(m);

	if (!f || m->cleaning)
		return 0;
	return f->medium_type + (m->worm ? 4 : 0);
}
