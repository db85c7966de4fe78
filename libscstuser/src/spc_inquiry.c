// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SPC-4 6.6 INQUIRY: standard data and the VPD pages every class has
 * (00h supported pages, 80h unit serial number, 83h device
 * identification), followed by the class's own pages (spc_dev.vpd).
 *
 * Device identification: an NAA 3h designator and a T10 vendor ID
 * designator (vendor + serial) for the logical unit, and the relative
 * target port identifier of the I_T nexus the command came through.
 */
#include <stdlib.h>
#include <string.h>
#include "spc.h"

#define INQ_STD_LEN	96
#define INQ_BUF		1024

static unsigned int std_inquiry(struct scstu_dev *dev, uint8_t *buf)
{
	struct spc_dev *sd = spc_of(dev);
	unsigned int i;

	buf[0] = dev->type;		/* qualifier 000b */
	buf[1] = sd->removable ? 0x80 : 0;
	buf[2] = 0x06;			/* SPC-4 */
	buf[3] = 0x10 | 0x02;		/* HiSup, response data format 2 */
	buf[4] = INQ_STD_LEN - 5;
	buf[7] = 0x02;			/* CmdQue */
	spc_put_ascii(&buf[8], sd->vendor, 8);
	spc_put_ascii(&buf[16], sd->product, 16);
	spc_put_ascii(&buf[32], sd->revision, 4);
	for (i = 0; i < 4; i++)
		put_be16(sd->versions[i], &buf[58 + 2 * i]);
	return INQ_STD_LEN;
}

static bool vpd_present(struct scstu_dev *dev, const struct spc_vpd_page *v)
{
	return !v->supported || v->supported(dev);
}

static const uint8_t common_pages[] = { 0x00, 0x80, 0x83 };

static unsigned int vpd_00(struct scstu_dev *dev, uint8_t *p)
{
	struct spc_dev *sd = spc_of(dev);
	unsigned int n = sizeof(common_pages), i;

	memcpy(p, common_pages, n);
	for (i = 0; i < sd->nr_vpd; i++)
		if (vpd_present(dev, &sd->vpd[i]))
			p[n++] = sd->vpd[i].page;
	return n;
}

static unsigned int vpd_83(struct scstu_dev *dev, struct scstu_req *req,
			   uint8_t *p)
{
	struct spc_dev *sd = spc_of(dev);
	size_t n = strlen(sd->serial);
	uint8_t *d = p;

	/* NAA, binary, associated with the logical unit */
	d[0] = 0x01;
	d[1] = 0x03;
	d[3] = sizeof(sd->naa);
	memcpy(&d[4], sd->naa, sizeof(sd->naa));
	d += 4 + sizeof(sd->naa);
	/* T10 vendor ID based, ASCII: vendor + unit serial number */
	d[0] = 0x02;
	d[1] = 0x01;
	d[3] = (uint8_t)(8 + n);
	spc_put_ascii(&d[4], sd->vendor, 8);
	memcpy(&d[12], sd->serial, n);
	d += 12 + n;
	/* relative target port identifier, associated with the port */
	d[0] = 0x01;
	d[1] = 0x14;
	d[3] = 4;
	put_be16(spc_rel_port(dev, req->session), &d[6]);
	d += 8;
	return (unsigned int)(d - p);
}

/* VPD page into buf; its total length, or 0 if the page is unknown. */
static unsigned int vpd_page(struct scstu_req *req, uint8_t page,
			     uint8_t *buf)
{
	struct scstu_dev *dev = req->dev;
	struct spc_dev *sd = spc_of(dev);
	unsigned int len = 0, i;

	buf[0] = dev->type;
	buf[1] = page;
	switch (page) {
	case 0x00:
		len = vpd_00(dev, &buf[4]);
		break;
	case 0x80:
		len = (unsigned int)strlen(sd->serial);
		memcpy(&buf[4], sd->serial, len);
		break;
	case 0x83:
		len = vpd_83(dev, req, &buf[4]);
		break;
	default:
		for (i = 0; i < sd->nr_vpd; i++)
			if (sd->vpd[i].page == page &&
			    vpd_present(dev, &sd->vpd[i]))
				break;
		if (i == sd->nr_vpd)
			return 0;
		len = sd->vpd[i].fill(dev, &buf[4], INQ_BUF - 4);
		break;
	}
	put_be16((uint16_t)len, &buf[2]);
	return 4 + len;
}

void spc_inquiry(struct scstu_req *req)
{
	const uint8_t *cdb = req->cdb;
	uint16_t alloc = get_be16(&cdb[3]);
	uint8_t *buf = calloc(1, INQ_BUF);
	unsigned int len;

	if (!buf) {
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		return;
	}
	if (!(cdb[1] & 0x01)) {
		if (cdb[2]) {
			scstu_req_invalid_cdb(req, 2, -1);
			goto out;
		}
		len = std_inquiry(req->dev, buf);
	} else {
		len = vpd_page(req, cdb[2], buf);
		if (!len) {
			scstu_req_invalid_cdb(req, 2, -1);
			goto out;
		}
	}
	scstu_req_reply(req, buf, len < alloc ? len : alloc);
out:
	free(buf);
}
