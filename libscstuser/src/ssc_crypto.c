// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tape data encryption (SSC-4 8.5, SPC-4 SECURITY PROTOCOL IN/OUT):
 *  - protocol 00h: supported protocols (00h, 20h), certificate (empty);
 *  - protocol 20h IN: 0000h/0001h supported pages, 0010h capabilities
 *    (one algorithm: index 01h, AES-256-GCM-128, 32-byte plain-text
 *    keys, U-KAD and A-KAD up to 32 bytes each), 0011h key formats
 *    (00h plain text), 0020h data encryption status of the asking
 *    I_T nexus, 0021h next block encryption status (the medium says
 *    whether the block at the position is encrypted);
 *  - protocol 20h OUT: 0010h set data encryption.
 * Scopes: ALL I_T NEXUS parameters are shared by every nexus that has
 * no LOCAL ones; PUBLIC drops a nexus's LOCAL parameters. LOCK keeps
 * the nexus on the parameters in effect after its command (a copy), so
 * that another nexus changing the shared ones does not change what it
 * writes with. The medium ops get the key through ssc_crypto_wkey/rkey.
 * Keys live only here, in memory, and are wiped (explicit_bzero) when
 * replaced, cleared (CKOD at unload) or freed; they are never logged.
 * Not supported (refused with 26/00): EXTERNAL and RAW modes, CEEM
 * checks, SDK, nonces, M-KAD, and CKORP/CKORL (reservations belong to
 * the kernel core, which does not tell the handler about their loss).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ssc_svc.h"

#define SCOPE_PUBLIC	0
#define SCOPE_LOCAL	1
#define SCOPE_ALL	2
#define EM_DISABLE	0
#define EM_ENCRYPT	2
#define DM_DISABLE	0
#define DM_DECRYPT	2
#define DM_MIXED	3
#define ALG_INDEX	0x01
#define ALG_AES256_GCM	0x00010014
#define KEY_LEN		32
#define KAD_MAX		32
#define SDE_FIXED	20	/* set data encryption page up to KEY */

struct crypto_set {
	uint8_t scope;			/* LOCAL or ALL */
	uint8_t emode, dmode, kad_fmt;
	bool ckod, rdmd;
	uint32_t kic;			/* key instance counter */
	struct scstu_tape_key key;	/* kad: the A-KAD, else the U-KAD */
	uint8_t ukad[KAD_MAX], akad[KAD_MAX];
	uint16_t ukad_len, akad_len;
};

struct crypto_nexus {
	uint64_t session;
	uint8_t scope;			/* the SCOPE it last set */
	bool lock;
	struct crypto_set *own;		/* LOCAL, or what LOCK holds it to */
};

struct ssc_crypto {
	struct crypto_set *all;		/* ALL I_T NEXUS, NULL: defaults */
	struct crypto_nexus *nx;
	unsigned int nr;
	uint32_t kic;
};

static struct ssc_crypto *crypto_of(struct ssc_drive *d)
{
	return d->crypto;
}

static void set_free(struct crypto_set *s)
{
	if (!s)
		return;
	explicit_bzero(s, sizeof(*s));
	free(s);
}

static struct crypto_set *set_copy(const struct crypto_set *s)
{
	struct crypto_set *n = malloc(sizeof(*n));

	if (n)
		memcpy(n, s, sizeof(*n));
	return n;
}

int ssc_crypto_init(struct ssc_drive *d)
{
	d->crypto = calloc(1, sizeof(struct ssc_crypto));
	return d->crypto ? 0 : -ENOMEM;
}

void ssc_crypto_free(struct ssc_drive *d)
{
	struct ssc_crypto *c = crypto_of(d);
	unsigned int i;

	if (!c)
		return;
	set_free(c->all);
	for (i = 0; i < c->nr; i++)
		set_free(c->nx[i].own);
	free(c->nx);
	free(c);
	d->crypto = NULL;
}

static struct crypto_nexus *nexus_find(struct ssc_crypto *c,
				       uint64_t session)
{
	unsigned int i;

	for (i = 0; i < c->nr; i++)
		if (c->nx[i].session == session)
			return &c->nx[i];
	return NULL;
}

static struct crypto_nexus *nexus_get(struct ssc_crypto *c,
				      uint64_t session)
{
	struct crypto_nexus *n = nexus_find(c, session);

	if (n)
		return n;
	n = realloc(c->nx, (c->nr + 1) * sizeof(*n));
	if (!n)
		return NULL;
	c->nx = n;
	n = &c->nx[c->nr++];
	memset(n, 0, sizeof(*n));
	n->session = session;
	return n;
}

/* The parameters a nexus uses now (NULL: the defaults, no key). */
static const struct crypto_set *set_of(struct ssc_crypto *c,
				       uint64_t session)
{
	struct crypto_nexus *n = nexus_find(c, session);

	if (n && n->own)
		return n->own;
	return c->all;
}

const struct scstu_tape_key *ssc_crypto_wkey(struct ssc_drive *d,
					     uint64_t session)
{
	const struct crypto_set *s = set_of(crypto_of(d), session);

	return s && s->emode == EM_ENCRYPT ? &s->key : NULL;
}

const struct scstu_tape_key *ssc_crypto_rkey(struct ssc_drive *d,
					     uint64_t session)
{
	const struct crypto_set *s = set_of(crypto_of(d), session);

	return s && (s->dmode == DM_DECRYPT || s->dmode == DM_MIXED) ?
	       &s->key : NULL;
}

bool ssc_crypto_active(struct ssc_drive *d)
{
	struct ssc_crypto *c = crypto_of(d);
	unsigned int i;

	if (c->all && c->all->emode == EM_ENCRYPT)
		return true;
	for (i = 0; i < c->nr; i++)
		if (c->nx[i].own && c->nx[i].own->emode == EM_ENCRYPT)
			return true;
	return false;
}

void ssc_crypto_unloading(struct ssc_drive *d)
{
	struct ssc_crypto *c = crypto_of(d);
	unsigned int i;

	if (c->all && c->all->ckod) {
		set_free(c->all);
		c->all = NULL;
	}
	for (i = 0; i < c->nr; i++)
		if (c->nx[i].own && c->nx[i].own->ckod) {
			set_free(c->nx[i].own);
			c->nx[i].own = NULL;
		}
}

/* --- SECURITY PROTOCOL IN ------------------------------------------------ */

static const uint16_t in_pages[] = {
	0x0000, 0x0001, 0x0010, 0x0011, 0x0020, 0x0021,
};

static unsigned int page_in_support(uint8_t *p)
{
	unsigned int i;

	for (i = 0; i < sizeof(in_pages) / sizeof(in_pages[0]); i++)
		put_be16(in_pages[i], &p[4 + 2 * i]);
	return 4 + 2 * i;
}

static unsigned int page_capabilities(struct ssc_drive *d, uint8_t *p)
{
	uint8_t *a = &p[20];
	bool avfmv = d->state == SCSTU_TAPE_LOADED && !d->media.cleaning &&
		     d->media.generation >= 4;

	p[4] = 0x01;			/* CFG_P: configured by SPOUT */
	a[0] = ALG_INDEX;
	put_be16(20, &a[2]);		/* descriptor length */
	/* AVFMV, DELB_C, DECRYPT_C and ENCRYPT_C 10b: keys from SPOUT */
	a[4] = (avfmv ? 0x80 : 0) | 0x10 | 0x08 | 0x02;
	a[5] = 0x08;			/* KADF_C */
	put_be16(KAD_MAX, &a[6]);	/* maximum U-KAD */
	put_be16(KAD_MAX, &a[8]);	/* maximum A-KAD */
	put_be16(KEY_LEN, &a[10]);
	a[12] = 0xc0;			/* DKAD_C 11b: KAD allowed */
	put_be32(ALG_AES256_GCM, &a[20]);
	return 20 + 24;
}

static unsigned int page_status(struct ssc_drive *d, uint64_t session,
				uint8_t *p)
{
	struct ssc_crypto *c = crypto_of(d);
	struct crypto_nexus *n = nexus_find(c, session);
	const struct crypto_set *s = set_of(c, session);
	unsigned int len = 24;

	p[4] = (uint8_t)((n ? n->scope : SCOPE_PUBLIC) << 5);
	if (!s)
		return len;
	p[4] |= s->scope;
	p[5] = s->emode;
	p[6] = s->dmode;
	p[7] = s->emode || s->dmode ? ALG_INDEX : 0;
	put_be32(s->kic, &p[8]);
	/* PARAMETERS CONTROL 001b: set by SPOUT only; RDMD */
	p[12] = 0x10 | (s->rdmd ? 0x01 : 0);
	p[13] = s->kad_fmt;
	if (s->ukad_len) {
		p[len] = 0x00;		/* U-KAD */
		p[len + 1] = 0x01;	/* not authenticated */
		put_be16(s->ukad_len, &p[len + 2]);
		memcpy(&p[len + 4], s->ukad, s->ukad_len);
		len += 4U + s->ukad_len;
	}
	if (s->akad_len) {
		p[len] = 0x01;		/* A-KAD */
		p[len + 1] = 0x02;
		put_be16(s->akad_len, &p[len + 2]);
		memcpy(&p[len + 4], s->akad, s->akad_len);
		len += 4U + s->akad_len;
	}
	return len;
}

static unsigned int page_next_block(struct ssc_drive *d, uint64_t session,
				    uint8_t *p)
{
	struct scstu_tape_obj o = { 0 };
	uint8_t enc, comp;
	int ret;

	if (d->state != SCSTU_TAPE_LOADED || !d->mops || !d->mops->read)
		return 16;		/* status 0h: cannot tell */
	put_be64(d->obj, &p[4]);
	ret = d->mops->read(d->medium, d->part, d->obj, NULL, 0,
			    ssc_crypto_rkey(d, session), &o);
	if (ret == -ENOKEY || ret == -EKEYREJECTED) {
		enc = 0x6;		/* encrypted, no key for it */
		comp = 0x1;
		o.encrypted = true;
	} else if (ret < 0) {
		enc = comp = 0x1;	/* cannot tell now */
	} else if (o.type != SCSTU_TAPE_BLOCK) {
		enc = comp = 0x2;	/* not a logical block */
	} else {
		enc = !o.encrypted ? 0x3 :
		      ssc_crypto_rkey(d, session) ? 0x5 : 0x6;
		comp = o.compressed ? 0x4 : 0x3;
	}
	p[12] = (uint8_t)(comp << 4 | enc);
	if (o.encrypted) {
		p[13] = ALG_INDEX;
		p[14] = 0x01;		/* RDMDS: no raw reads */
	}
	return 16;
}

void ssc_security_in(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	const uint8_t *cdb = req->cdb;
	uint16_t sps = get_be16(&cdb[2]);
	uint32_t alloc = get_be32(&cdb[6]);
	uint8_t p[256] = { 0 };
	unsigned int len;

	if (cdb[4] & 0x80) {			/* INC_512 */
		scstu_req_invalid_cdb(req, 4, 7);
		return;
	}
	if (cdb[1] == 0x00) {
		if (sps == 0x0000) {		/* supported protocols */
			put_be16(2, &p[6]);
			p[8] = 0x00;
			p[9] = 0x20;
			len = 10;
		} else if (sps == 0x0001) {	/* no certificate */
			len = 4;
		} else {
			scstu_req_invalid_cdb(req, 2, -1);
			return;
		}
		svc_reply(req, p, len, alloc);
		return;
	}
	if (cdb[1] != 0x20) {
		scstu_req_invalid_cdb(req, 1, -1);
		return;
	}
	switch (sps) {
	case 0x0000:
		len = page_in_support(p);
		break;
	case 0x0001:
		put_be16(0x0010, &p[4]);
		len = 6;
		break;
	case 0x0010:
		len = page_capabilities(d, p);
		break;
	case 0x0011:
		p[4] = 0x00;			/* plain-text key */
		len = 5;
		break;
	case 0x0020:
		len = page_status(d, req->session, p);
		break;
	case 0x0021:
		len = page_next_block(d, req->session, p);
		break;
	default:
		scstu_req_invalid_cdb(req, 2, -1);
		return;
	}
	put_be16(sps, p);
	put_be16((uint16_t)(len - 4), &p[2]);
	svc_reply(req, p, len, alloc);
}

/* --- SECURITY PROTOCOL OUT: set data encryption ------------------------ */

/* Key-associated data descriptors from off to end into s. */
static bool sde_kads(struct scstu_req *req, const uint8_t *b, uint32_t off,
		     uint32_t end, struct crypto_set *s)
{
	while (off < end) {
		uint16_t len;

		if (end - off < 4) {
			scstu_req_invalid_param(req, off, -1);
			return false;
		}
		len = get_be16(&b[off + 2]);
		if (b[off + 1]) {		/* reserved, AUTHENTICATED */
			scstu_req_invalid_param(req, off + 1,
						spc_high_bit(b[off + 1]));
			return false;
		}
		if (len > KAD_MAX || end - off - 4 < len) {
			scstu_req_invalid_param(req, off + 2, -1);
			return false;
		}
		if (b[off] == 0x00 && !s->ukad_len && len) {
			memcpy(s->ukad, &b[off + 4], len);
			s->ukad_len = len;
		} else if (b[off] == 0x01 && !s->akad_len && len) {
			memcpy(s->akad, &b[off + 4], len);
			s->akad_len = len;
		} else {	/* nonce, M-KAD, unknown, repeated, empty */
			scstu_req_invalid_param(req, off, -1);
			return false;
		}
		off += 4U + len;
	}
	return true;
}

/* The fixed part of the page: false with sense set. */
static bool sde_fields(struct scstu_req *req, struct ssc_drive *d,
		       const uint8_t *b, struct crypto_set *s)
{
	uint8_t scope = b[4] >> 5, ceem = b[5] >> 6, rdmc = (b[5] >> 4) & 3;
	unsigned int i;

	if (scope > SCOPE_ALL) {
		scstu_req_invalid_param(req, 4, 7);
		return false;
	}
	if (b[4] & 0x1e) {
		scstu_req_invalid_param(req, 4, spc_high_bit(b[4] & 0x1e));
		return false;
	}
	if (scope == SCOPE_PUBLIC)	/* the rest is ignored */
		return true;
	if (ceem > 1 || rdmc == 1 || rdmc == 2) {
		scstu_req_invalid_param(req, 5, ceem > 1 ? 7 : 5);
		return false;
	}
	if (b[5] & 0x08) {		/* SDK */
		scstu_req_invalid_param(req, 5, 3);
		return false;
	}
	if ((b[5] & 0x04) && d->state != SCSTU_TAPE_LOADED) {
		scstu_req_invalid_param(req, 5, 2);	/* CKOD: no volume */
		return false;
	}
	if (b[5] & 0x03) {		/* CKORP, CKORL */
		scstu_req_invalid_param(req, 5, spc_high_bit(b[5] & 0x03));
		return false;
	}
	if (b[6] != EM_DISABLE && b[6] != EM_ENCRYPT) {
		scstu_req_invalid_param(req, 6, -1);
		return false;
	}
	if (b[7] != DM_DISABLE && b[7] != DM_DECRYPT && b[7] != DM_MIXED) {
		scstu_req_invalid_param(req, 7, -1);
		return false;
	}
	if ((b[6] || b[7]) && b[8] != ALG_INDEX) {
		scstu_req_invalid_param(req, 8, -1);
		return false;
	}
	if ((b[6] || b[7]) && b[9] != 0x00) {	/* plain-text key only */
		scstu_req_invalid_param(req, 9, -1);
		return false;
	}
	if (b[10] > 0x02) {			/* KAD FORMAT */
		scstu_req_invalid_param(req, 10, -1);
		return false;
	}
	for (i = 11; i < 18; i++)
		if (b[i]) {
			scstu_req_invalid_param(req, i, spc_high_bit(b[i]));
			return false;
		}
	s->scope = scope;
	s->rdmd = rdmc == 3;
	s->ckod = b[5] & 0x04;
	s->emode = b[6];
	s->dmode = b[7];
	s->kad_fmt = b[10];
	return true;
}

/* Parse and check a set data encryption page of plen bytes into s. */
static bool sde_parse(struct scstu_req *req, struct ssc_drive *d,
		      const uint8_t *b, uint32_t plen, struct crypto_set *s)
{
	uint32_t end, klen;

	if (plen < 4) {
		scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
		return false;
	}
	if (get_be16(b) != 0x0010) {
		scstu_req_invalid_param(req, 0, -1);
		return false;
	}
	end = 4U + get_be16(&b[2]);
	if (end > plen) {
		scstu_req_check(req, SCSTU_ILLEGAL_REQUEST, 0x1a, 0x00);
		return false;
	}
	if (end < SDE_FIXED) {			/* truncates fields */
		scstu_req_invalid_param(req, 2, -1);
		return false;
	}
	if (!sde_fields(req, d, b, s))
		return false;
	if (s->scope == SCOPE_PUBLIC)
		return true;
	klen = get_be16(&b[18]);
	if (SDE_FIXED + klen > end ||
	    ((s->emode || s->dmode) && klen != KEY_LEN)) {
		scstu_req_invalid_param(req, 18, -1);
		return false;
	}
	if (!s->emode && !s->dmode)		/* no key, KADs ignored */
		return true;
	memcpy(s->key.key, &b[SDE_FIXED], KEY_LEN);
	if (!sde_kads(req, b, SDE_FIXED + klen, end, s))
		return false;
	if (s->akad_len) {
		memcpy(s->key.kad, s->akad, s->akad_len);
		s->key.kad_len = s->akad_len;
	} else {
		memcpy(s->key.kad, s->ukad, s->ukad_len);
		s->key.kad_len = s->ukad_len;
	}
	return true;
}

/* Make the checked set s current for the nexus. 0 or -ENOMEM. */
static int sde_apply(struct ssc_crypto *c, struct crypto_nexus *n,
		     uint8_t scope, bool lock, struct crypto_set *s)
{
	set_free(n->own);
	n->own = NULL;
	n->scope = scope;
	n->lock = lock;
	if (scope == SCOPE_LOCAL) {
		n->own = s;
		s->kic = ++c->kic;
		return 0;
	}
	if (scope == SCOPE_ALL) {
		set_free(c->all);
		c->all = NULL;
		if (s->emode || s->dmode) {
			c->all = s;
			s->kic = ++c->kic;
		} else {
			set_free(s);
		}
	} else {
		set_free(s);
	}
	if (lock && c->all) {		/* held to what it uses now */
		n->own = set_copy(c->all);
		if (!n->own)
			return -ENOMEM;
	}
	return 0;
}

void ssc_security_out(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	struct ssc_crypto *c = crypto_of(d);
	const uint8_t *cdb = req->cdb;
	uint32_t plen = get_be32(&cdb[6]);
	struct crypto_nexus *n;
	struct crypto_set *s;
	uint8_t scope;

	if (cdb[1] != 0x20) {
		scstu_req_invalid_cdb(req, 1, -1);
		return;
	}
	if (get_be16(&cdb[2]) != 0x0010) {
		scstu_req_invalid_cdb(req, 2, -1);
		return;
	}
	if (cdb[4] & 0x80) {			/* INC_512 */
		scstu_req_invalid_cdb(req, 4, 7);
		return;
	}
	if (req->dir != SCSTU_DIR_WRITE || !req->data)
		plen = 0;
	else if (plen > req->xfer_len)
		plen = req->xfer_len;
	s = calloc(1, sizeof(*s));
	n = s ? nexus_get(c, req->session) : NULL;
	if (!n) {
		free(s);
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		return;
	}
	if (!sde_parse(req, d, req->data, plen, s)) {
		set_free(s);
		return;
	}
	scope = ((const uint8_t *)req->data)[4] >> 5;
	if (sde_apply(c, n, scope, ((const uint8_t *)req->data)[4] & 1, s)) {
		scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
		return;
	}
	scstu_req_complete(req, SCSTU_GOOD, req->xfer_len - plen);
}
