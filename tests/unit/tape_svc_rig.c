// SPDX-License-Identifier: LGPL-2.1-or-later
/* Test rig of the tape services: see tape_svc_rig.h. */
#include <errno.h>
#include <string.h>
#include "tape_svc_rig.h"
#include "internal.h"

struct rig rig;

#define CTL	0x00
#define FF4	0xff, 0xff, 0xff, 0xff
#define RA(sa)	{ 0x8c, sa, SPC_CMD_SA, 16, ssc_read_attribute, NULL, 0, \
		  { 0x8c, sa, 0, 0, 0, 0xff, 0, 0xff, 0xff, 0xff, FF4, \
		    0x01, CTL } }

/* The services' entries as the tape core's table should have them. */
static const struct spc_cmd rig_cmds[] = {
	{ 0x4c, 0, 0, 10, ssc_log_select, NULL, 0,	/* LOG SELECT */
	  { 0x4c, 0x03, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, CTL } },
	{ 0x4d, 0, 0, 10, ssc_log_sense, NULL, 0,	/* LOG SENSE */
	  { 0x4d, 0x03, 0xff, 0xff, 0, 0xff, 0xff, 0xff, 0xff, CTL } },
	RA(0x00), RA(0x01), RA(0x02), RA(0x03), RA(0x05),
	{ 0x8d, 0, 0, 16, ssc_write_attribute, NULL, 0,	/* WRITE ATTRIBUTE */
	  { 0x8d, 0x01, 0, 0, 0, 0xff, 0, 0xff, 0, 0, FF4, 0, CTL } },
	{ 0xa2, 0, 0, 12, ssc_security_in, NULL, 0,	/* SECURITY PROT. IN */
	  { 0xa2, 0xff, 0xff, 0xff, 0x80, 0, FF4, 0, CTL } },
	{ 0xb5, 0, 0, 12, ssc_security_out, NULL, 0,	/* ... OUT */
	  { 0xb5, 0xff, 0xff, 0xff, 0x80, 0, FF4, 0, CTL } },
};

static const struct spc_cmd_table rig_table = {
	.cmds = rig_cmds,
	.nr = sizeof(rig_cmds) / sizeof(rig_cmds[0]),
};

/* --- the medium ---------------------------------------------------------- */

static int rm_read(void *mp, unsigned int part, uint64_t obj, void *buf,
		   uint32_t max, const struct scstu_tape_key *key,
		   struct scstu_tape_obj *o)
{
	struct rmedium *m = mp;
	const struct robj *r;

	(void)buf;
	(void)max;
	memset(o, 0, sizeof(*o));
	if (part >= m->nparts)
		return -EIO;
	if (obj >= m->eod[part]) {
		o->type = SCSTU_TAPE_EOD;
		return 0;
	}
	if (obj >= RM_OBJS)
		return -EBADMSG;
	r = &m->objs[part][obj];
	o->type = r->type;
	o->len = o->stored = r->type == SCSTU_TAPE_BLOCK ? 512 : 0;
	o->compressed = r->compressed;
	o->encrypted = r->encrypted;
	if (r->encrypted && !key)
		return -ENOKEY;
	if (r->encrypted && key->key[0] != r->key0)
		return -EKEYREJECTED;
	return 0;
}

static void rm_space(void *mp, unsigned int part, uint64_t *cap,
		     uint64_t *used)
{
	struct rmedium *m = mp;

	*cap = part < m->nparts ? m->cap[part] : 0;
	*used = part < m->nparts ? m->used[part] : 0;
}

static unsigned int rm_nr_partitions(void *mp)
{
	return ((struct rmedium *)mp)->nparts;
}

static uint64_t rm_eod(void *mp, unsigned int part)
{
	return ((struct rmedium *)mp)->eod[part];
}

static int rm_mam_read(void *mp, void *buf, size_t max)
{
	struct rmedium *m = mp;

	if (m->mam_read_err)
		return m->mam_read_err;
	memcpy(buf, m->mam, (size_t)m->mam_len < max ? (size_t)m->mam_len :
	       max);
	return m->mam_len;
}

static int rm_mam_write(void *mp, const void *buf, size_t len)
{
	struct rmedium *m = mp;

	if (m->mam_write_err)
		return m->mam_write_err;
	ck_assert_uint_le(len, sizeof(m->mam));
	memcpy(m->mam, buf, len);
	m->mam_len = (int)len;
	m->mam_writes++;
	return 0;
}

const struct scstu_tape_medium_ops rig_mops = {
	.read = rm_read,
	.eod = rm_eod,
	.space = rm_space,
	.nr_partitions = rm_nr_partitions,
	.mam_read = rm_mam_read,
	.mam_write = rm_mam_write,
};

/* --- the drive ----------------------------------------------------------- */

static void rig_execute(struct scstu_req *req)
{
	spc_dispatch(req);
}

void rig_setup(void)
{
	struct scstu_dev_config cfg = {
		.name = "tsvc0",
		.type = SCSTU_TYPE_TAPE,
	};
	struct scstu_ops ops = { .execute = rig_execute };

	memset(&rig, 0, sizeof(rig));
	rig.h = scstu_harness_new();
	ck_assert_ptr_nonnull(rig.h);
	cfg.harness = rig.h;
	rig.dev = scstu_dev_create(&cfg, &ops);
	ck_assert_ptr_nonnull(rig.dev);
	spc_dev_init(rig.dev, &rig.d.spc, "IBM", "ULT3580-TD8", "Q1A0",
		     "1068000123");
	rig.d.spc.cmds = &rig_table;
	pthread_mutex_init(&rig.d.lock, NULL);
	rig.dev->class_priv = &rig.d;
	ck_assert_int_eq(ssc_log_init(&rig.d), 0);
	ck_assert_int_eq(ssc_mam_init(&rig.d), 0);
	ck_assert_int_eq(ssc_crypto_init(&rig.d), 0);
	rig.m.nparts = 2;
	rig.m.cap[0] = 400ULL << 20;
	rig.m.cap[1] = 100ULL << 20;
}

void rig_teardown(void)
{
	ssc_crypto_free(&rig.d);
	ssc_mam_free(&rig.d);
	ssc_log_free(&rig.d);
	rig.dev->class_priv = NULL;
	spc_dev_free(&rig.d.spc);
	pthread_mutex_destroy(&rig.d.lock);
	scstu_dev_destroy(rig.dev);
	scstu_harness_free(rig.h);
}

void rig_load(void)
{
	rig.d.medium = &rig.m;
	rig.d.mops = &rig_mops;
	rig.d.state = SCSTU_TAPE_LOADED;
	rig.d.media.generation = 8;
	rig.d.media.capacity = rig.m.cap[0] + rig.m.cap[1];
	strcpy(rig.d.media.barcode, "ABC123L8");
	strcpy(rig.d.media.serial, "SN8765");
	memset(&rig.d.cnt, 0, sizeof(rig.d.cnt));
	rig.d.part = 0;
	rig.d.obj = 0;
	ssc_mam_loaded(&rig.d);
}

void rig_unload(void)
{
	ssc_mam_unloading(&rig.d);
	ssc_crypto_unloading(&rig.d);
	rig.d.state = SCSTU_TAPE_EMPTY;
	rig.d.medium = NULL;
	rig.d.mops = NULL;
}

/* --- commands and checks ------------------------------------------------- */

void r_run(uint64_t session, const uint8_t *cdb, unsigned int len,
	   enum scstu_dir dir, void *buf, uint32_t xfer,
	   struct scstu_harness_result *res)
{
	struct scstu_harness_cmd cmd = {
		.cdb = cdb, .cdb_len = len, .dir = dir, .data = buf,
		.xfer_len = xfer, .session = session,
	};

	ck_assert_int_eq(scstu_harness_run(rig.dev, &cmd, res), 0);
}

uint16_t r_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t r_be32(const uint8_t *p)
{
	return (uint32_t)r_be16(p) << 16 | r_be16(p + 2);
}

uint64_t r_be64(const uint8_t *p)
{
	return (uint64_t)r_be32(p) << 32 | r_be32(p + 4);
}
