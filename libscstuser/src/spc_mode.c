// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SPC-4 mode parameters: a table of mode pages with default, changeable,
 * current and saved values; MODE SENSE(6/10) (6.11, 6.12) and MODE
 * SELECT(6/10) (6.9, 6.10).
 *
 * MODE SENSE: DBD, LLBAA, PC (saved values of a page that cannot be
 * saved: 39/00 SAVING PARAMETERS NOT SUPPORTED; in a 3Fh listing such a
 * page shows its current values), page 3Fh (all pages), subpage FFh (all
 * subpages). Block descriptors and the device-specific parameter come
 * from class hooks. A class may answer page 00h with the header and
 * block descriptor alone (spc_mode.page0).
 *
 * MODE SELECT: PF must be 1; SP saves every savable page (24/00 on SP if
 * there is none). The whole parameter list is checked before anything
 * changes: header, block descriptor (class hook), each page's code,
 * length and every bit against the changeable mask, with 26/00 INVALID
 * FIELD IN PARAMETER LIST pointing at the offending byte and bit; 1A/00
 * PARAMETER LIST LENGTH ERROR for a truncated page. The PS bit, reserved
 * in MODE SELECT, is ignored (initiators echo MODE SENSE data). A change
 * of current values raises 2A/01 MODE PARAMETERS CHANGED on the other
 * I_T nexuses.
 *
 * Saved pages file: one line per savable page, "PP SS hex-bytes", written
 * to a temporary file and renamed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "spc.h"

#define MS_BUF	(8 + 16 + SPC_MP_PAGES * SPC_MP_MAX)

static bool mp_subpage_format(const uint8_t *pg)
{
	return pg[0] & 0x40;
}

/* Length announced by a page's own header, header included. */
static unsigned int mp_len(const uint8_t *pg)
{
	return mp_subpage_format(pg) ? 4 + get_be16(&pg[2]) : 2 + pg[1];
}

int spc_mode_add(struct spc_mode *m, const uint8_t *def,
		 const uint8_t *mask, unsigned int len, unsigned int flags,
		 void (*changed)(struct scstu_dev *, const uint8_t *))
{
	struct spc_mpage *p;
	unsigned int i;
	uint8_t page = def[0] & 0x3f;
	uint8_t sub = mp_subpage_format(def) ? def[1] : 0;

	if (m->nr == SPC_MP_PAGES || len > SPC_MP_MAX || len < 4 ||
	    mp_len(def) != len)
		return -EINVAL;
	for (i = m->nr; i > 0; i--) {
		p = &m->pages[i - 1];
		if (p->page < page || (p->page == page && p->subpage < sub))
			break;
		if (p->page == page && p->subpage == sub)
			return -EEXIST;
		m->pages[i] = *p;
	}
	p = &m->pages[i];
	memset(p, 0, sizeof(*p));
	p->page = page;
	p->subpage = sub;
	p->len = (uint8_t)len;
	p->flags = (uint8_t)flags;
	p->changed = changed;
	memcpy(p->def, def, len);
	p->def[0] &= 0x7f;			/* PS is set when reported */
	memcpy(p->mask, mask, len);
	memcpy(p->cur, p->def, len);
	memcpy(p->saved, p->def, len);
	m->nr++;
	return 0;
}

static struct spc_mpage *mp_find(struct spc_mode *m, uint8_t page,
				 uint8_t sub)
{
	unsigned int i;

	for (i = 0; i < m->nr; i++)
		if (m->pages[i].page == page && m->pages[i].subpage == sub)
			return &m->pages[i];
	return NULL;
}

uint8_t spc_mode_byte(struct spc_mode *m, uint8_t page, uint8_t subpage,
		      unsigned int byte)
{
	struct spc_mpage *p;
	uint8_t v = 0;

	pthread_mutex_lock(&m->lock);
	p = mp_find(m, page, subpage);
	if (p && byte < p->len)
		v = p->cur[byte];
	pthread_mutex_unlock(&m->lock);
	return v;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One "PP SS hex" line into the saved values of its page. */
static int load_line(struct spc_mode *m, const char *line)
{
	unsigned int page, sub, i;
	struct spc_mpage *p;
	uint8_t v[SPC_MP_MAX];
	int n = 0;
	const char *s;

	if (sscanf(line, "%2x %2x %n", &page, &sub, &n) != 2 || !n)
		return -EINVAL;
	p = mp_find(m, (uint8_t)page, (uint8_t)sub);
	if (!p || !(p->flags & SPC_MP_SAVABLE))
		return -ENOENT;
	s = line + n;
	for (i = 0; i < p->len; i++, s += 2) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		v[i] = (uint8_t)(hi << 4 | lo);
	}
	if (hexval(*s) >= 0 || mp_len(v) != p->len)
		return -EINVAL;
	/* keep only what may change; the rest follows the defaults */
	for (i = 0; i < p->len; i++)
		p->saved[i] = (p->def[i] & ~p->mask[i]) | (v[i] & p->mask[i]);
	return 0;
}

static void mode_load(struct scstu_dev *dev, struct spc_mode *m)
{
	char line[2 * SPC_MP_MAX + 16];
	FILE *f = fopen(m->file, "r");

	if (!f) {
		if (errno != ENOENT)
			scstu_log(SCSTU_LOG_WARN, "%s: mode file %s: %m",
				  dev->name, m->file);
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && line[0] != '\n' && load_line(m, line))
			scstu_log(SCSTU_LOG_WARN,
				  "%s: %s: ignoring line '%.*s'", dev->name,
				  m->file, (int)strcspn(line, "\n"), line);
	fclose(f);
}

/* Write the saved values; m->lock held. */
static int mode_store(struct scstu_dev *dev, struct spc_mode *m)
{
	size_t n = strlen(m->file) + 8;
	char *tmp = malloc(n);
	unsigned int i, j;
	FILE *f;
	int ret = 0;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, n, "%s.tmp", m->file);
	f = fopen(tmp, "w");
	if (!f) {
		ret = -errno;
		goto out;
	}
	fprintf(f, "# scstu saved mode pages of %s: page subpage bytes\n",
		dev->name);
	for (i = 0; i < m->nr; i++) {
		struct spc_mpage *p = &m->pages[i];

		if (!(p->flags & SPC_MP_SAVABLE))
			continue;
		fprintf(f, "%02x %02x ", p->page, p->subpage);
		for (j = 0; j < p->len; j++)
			fprintf(f, "%02x", p->saved[j]);
		fputc('\n', f);
	}
	if (fflush(f) || fsync(fileno(f)))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, m->file))
		ret = -errno;
	if (ret)
		unlink(tmp);
out:
	if (ret)
		scstu_log(SCSTU_LOG_ERR, "%s: saving mode pages to %s: %s",
			  dev->name, m->file, strerror(-ret));
	free(tmp);
	return ret;
}

int spc_mode_start(struct scstu_dev *dev, struct spc_mode *m,
		   const char *file)
{
	unsigned int i;

	if (file) {
		m->file = strdup(file);
		if (!m->file)
			return -ENOMEM;
		mode_load(dev, m);
	}
	for (i = 0; i < m->nr; i++) {
		struct spc_mpage *p = &m->pages[i];

		if (p->flags & SPC_MP_SAVABLE)
			memcpy(p->cur, p->saved, p->len);
		if (p->changed)
			p->changed(dev, p->cur);
	}
	return 0;
}

void spc_mode_free(struct spc_mode *m)
{
	free(m->file);
	m->file = NULL;
	pthread_mutex_destroy(&m->lock);
}

/* Values of page p for page control pc, PS set. */
static void mp_get(const struct spc_mpage *p, int pc, uint8_t *out)
{
	switch (pc) {
	case SPC_PC_CHANGEABLE:
		memcpy(out, p->mask, p->len);
		/* the header describes the page, it is not changeable */
		out[0] = p->def[0];
		out[1] = p->def[1];
		if (mp_subpage_format(p->def))
			memcpy(&out[2], &p->def[2], 2);
		break;
	case SPC_PC_DEFAULT:
		memcpy(out, p->def, p->len);
		break;
	case SPC_PC_SAVED:
		memcpy(out, p->flags & SPC_MP_SAVABLE ? p->saved : p->cur,
		       p->len);
		break;
	default:
		memcpy(out, p->cur, p->len);
		break;
	}
	out[0] = (out[0] & 0x7f) | (p->flags & SPC_MP_SAVABLE ? 0x80 : 0);
}

static bool mp_selected(const struct spc_mpage *p, uint8_t page,
			uint8_t sub)
{
	if (page != 0x3f && p->page != page)
		return false;
	return sub == 0xff || p->subpage == sub;
}

void spc_mode_sense(struct scstu_req *req)
{
	struct scstu_dev *dev = req->dev;
	struct spc_mode *m = &spc_of(dev)->mode;
	const uint8_t *cdb = req->cdb;
	bool ten = cdb[0] == 0x5a;
	bool dbd = cdb[1] & 0x08, llbaa = ten && (cdb[1] & 0x10);
	int pc = cdb[2] >> 6;
	uint8_t page = cdb[2] & 0x3f, sub = cdb[3];
	uint32_t alloc = ten ? get_be16(&cdb[7]) : cdb[4];
	uint32_t hdr = ten ? 8 : 4, bdl = 0, off, found = 0, i;
	uint8_t buf[MS_BUF] = { 0 };

	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->nr; i++)
		if (mp_selected(&m->pages[i], page, sub))
			found++;
	if (!found && !(m->page0 && page == 0 && sub == 0)) {
		pthread_mutex_unlock(&m->lock);
		if (page == 0x3f || mp_find(m, page, 0))
			scstu_req_invalid_cdb(req, 3, -1);
		else
			scstu_req_invalid_cdb(req, 2, 5);
		return;
	}
	if (pc == SPC_PC_SAVED && page != 0x3f && found == 1 &&
	    sub != 0xff) {
		struct spc_mpage *p = mp_find(m, page, sub);

		if (!(p->flags & SPC_MP_SAVABLE)) {
			pthread_mutex_unlock(&m->lock);
			scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x39, 0);
			return;
		}
	}
	off = hdr;
	if (!dbd && m->bdesc_get) {
		bdl = llbaa ? 16 : 8;
		m->bdesc_get(dev, pc, llbaa, &buf[off]);
		off += bdl;
	}
	for (i = 0; i < m->nr; i++) {
		struct spc_mpage *p = &m->pages[i];

		if (!mp_selected(p, page, sub))
			continue;
		if (off + p->len > (ten ? MS_BUF : 256U))
			break;
		mp_get(p, pc, &buf[off]);
		off += p->len;
	}
	pthread_mutex_unlock(&m->lock);

	if (ten) {
		put_be16((uint16_t)(off - 2), &buf[0]);
		buf[3] = m->dsp ? m->dsp(dev) : 0;
		buf[4] = llbaa && bdl ? 0x01 : 0;	/* LONGLBA */
		put_be16((uint16_t)bdl, &buf[6]);
	} else {
		buf[0] = (uint8_t)(off - 1);
		buf[2] = m->dsp ? m->dsp(dev) : 0;
		buf[3] = (uint8_t)bdl;
	}
	scstu_req_reply(req, buf, off < alloc ? off : alloc);
}

static void param_len_error(struct scstu_req *req)
{
	scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
}

/* Header and block descriptor; returns the offset of the first page or
 * 0 (sense set). */
static uint32_t select_header(struct scstu_req *req, struct spc_mode *m,
			      const uint8_t *buf, uint32_t plen, bool ten)
{
	uint32_t hdr = ten ? 8 : 4, bdl;

	if (plen < hdr) {
		param_len_error(req);
		return 0;
	}
	/* MODE DATA LENGTH is reserved here; MEDIUM TYPE 00h */
	if (buf[ten ? 2 : 1]) {
		scstu_req_invalid_param(req, ten ? 2 : 1, -1);
		return 0;
	}
	/* DEVICE-SPECIFIC PARAMETER (WP, DPOFUA) is ignored */
	if (ten) {
		bdl = get_be16(&buf[6]);
		if (buf[4] & 0xfe) {
			scstu_req_invalid_param(req, 4,
						spc_high_bit(buf[4] & 0xfe));
			return 0;
		}
		if (bdl && bdl != (buf[4] & 0x01 ? 16U : 8U)) {
			scstu_req_invalid_param(req, 6, -1);
			return 0;
		}
	} else {
		bdl = buf[3];
		if (bdl && bdl != 8) {
			scstu_req_invalid_param(req, 3, -1);
			return 0;
		}
	}
	if (bdl && !m->bdesc_set) {
		scstu_req_invalid_param(req, ten ? 6 : 3, -1);
		return 0;
	}
	if (plen < hdr + bdl) {
		param_len_error(req);
		return 0;
	}
	if (bdl && !m->bdesc_set(req->dev, req, &buf[hdr], bdl, hdr))
		return 0;
	return hdr + bdl;
}

/*
 * Check every page of the list against current values and masks; the
 * new values go to new[] (indexed like m->pages). False: sense set.
 */
static bool select_pages(struct scstu_req *req, struct spc_mode *m,
			 const uint8_t *buf, uint32_t plen, uint32_t off,
			 uint8_t (*new)[SPC_MP_MAX], bool *sent)
{
	while (off < plen) {
		const uint8_t *pg = &buf[off];
		bool spf = pg[0] & 0x40;
		uint32_t hlen = spf ? 4 : 2, len, i;
		struct spc_mpage *p;

		if (plen - off < hlen) {
			param_len_error(req);
			return false;
		}
		p = mp_find(m, pg[0] & 0x3f, spf ? pg[1] : 0);
		if (!p || spf != mp_subpage_format(p->def)) {
			if (p || !spf)
				scstu_req_invalid_param(req, off, 5);
			else
				scstu_req_invalid_param(req, off + 1, -1);
			return false;
		}
		len = mp_len(pg);
		if (len != p->len) {
			scstu_req_invalid_param(req, off + (spf ? 2 : 1), -1);
			return false;
		}
		if (plen - off < len) {
			param_len_error(req);
			return false;
		}
		i = (uint32_t)(p - m->pages);
		for (len = hlen; len < p->len; len++) {
			uint8_t bad = (pg[len] ^ p->cur[len]) & ~p->mask[len];

			if (bad) {
				scstu_req_invalid_param(req, off + len,
							spc_high_bit(bad));
				return false;
			}
		}
		if (p->check && !p->check(req->dev, req, pg, off))
			return false;
		memcpy(new[i], p->cur, p->len);
		memcpy(&new[i][hlen], &pg[hlen], p->len - hlen);
		sent[i] = true;
		off += p->len;
	}
	return true;
}

static bool any_savable(struct spc_mode *m)
{
	unsigned int i;

	for (i = 0; i < m->nr; i++)
		if (m->pages[i].flags & SPC_MP_SAVABLE)
			return true;
	return false;
}

/* Apply a checked list; m->lock held. Returns pages whose values
 * changed (bitmap). */
static unsigned int select_apply(struct scstu_dev *dev, struct spc_mode *m,
				 uint8_t (*new)[SPC_MP_MAX], const bool *sent,
				 bool save, int *err)
{
	unsigned int changed = 0, i;

	for (i = 0; i < m->nr; i++) {
		struct spc_mpage *p = &m->pages[i];

		if (sent[i] && memcmp(p->cur, new[i], p->len)) {
			memcpy(p->cur, new[i], p->len);
			changed |= 1U << i;
		}
	}
	if (save) {
		for (i = 0; i < m->nr; i++)
			if (m->pages[i].flags & SPC_MP_SAVABLE)
				memcpy(m->pages[i].saved, m->pages[i].cur,
				       m->pages[i].len);
		if (m->file)
			*err = mode_store(dev, m);
	}
	return changed;
}

void spc_mode_select(struct scstu_req *req)
{
	struct scstu_dev *dev = req->dev;
	struct spc_mode *m = &spc_of(dev)->mode;
	const uint8_t *cdb = req->cdb;
	bool ten = cdb[0] == 0x55, save = cdb[1] & 0x01;
	uint32_t plen = ten ? get_be16(&cdb[7]) : cdb[4], off, i;
	uint8_t (*new)[SPC_MP_MAX];
	bool sent[SPC_MP_PAGES] = { false };
	unsigned int changed = 0;
	int err = 0;

	if (!(cdb[1] & 0x10)) {		/* PF: only page format */
		scstu_req_invalid_cdb(req, 1, 4);
		return;
	}
	if (save && !any_savable(m)) {
		scstu_req_invalid_cdb(req, 1, 0);
		return;
	}
	/* a shorter data-out buffer truncates the parameter list */
	if (req->dir != SCSTU_DIR_WRITE)
		plen = 0;
	else if (plen > req->xfer_len)
		plen = req->xfer_len;
	new = calloc(SPC_MP_PAGES, SPC_MP_MAX);
	if (!new) {
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		return;
	}
	pthread_mutex_lock(&m->lock);
	if (plen) {
		off = select_header(req, m, req->data, plen, ten);
		if (!off || !select_pages(req, m, req->data, plen, off, new,
					  sent)) {
			pthread_mutex_unlock(&m->lock);
			free(new);
			return;
		}
	}
	changed = select_apply(dev, m, new, sent, save, &err);
	for (i = 0; i < m->nr; i++)
		if ((changed & (1U << i)) && m->pages[i].changed)
			m->pages[i].changed(dev, m->pages[i].cur);
	pthread_mutex_unlock(&m->lock);
	free(new);
	if (changed)
		scstu_dev_raise_ua(dev, 0x2a, 0x01, req->session);
	if (err)	/* applied, but not saved */
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
	else
		scstu_req_complete(req, SCSTU_GOOD, req->xfer_len - plen);
}
