// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser changer class: creation and configuration checks, command
 * execution under the class lock, element lookup, TEST UNIT READY and
 * PREVENT ALLOW MEDIUM REMOVAL with its per I_T nexus state.
 *
 * Medium removal (SPC-4 6.13, SMC-3): it is prevented while any I_T
 * nexus that sent PREVENT=1 has not sent PREVENT=0. A nexus's prevention
 * ends when it detaches or gets an I_T nexus reset; a logical unit or
 * target reset ends all of them. While prevented, nothing can leave the
 * library: MOVE MEDIUM and EXCHANGE MEDIUM to an import/export element
 * get 53/02, and the operator's scstu_changer_import/export -EPERM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "smc.h"

struct smc_elem *smc_find(struct smc_dev *sd, uint16_t addr)
{
	unsigned int i;

	for (i = 0; i < sd->nr_ranges; i++) {
		const struct smc_range *r = &sd->ranges[i];

		if (addr >= r->first && addr - r->first < r->count)
			return &sd->elems[r->index + addr - r->first];
	}
	return NULL;
}

const struct smc_range *smc_range_of(struct smc_dev *sd,
				     enum scstu_elem_type type)
{
	unsigned int i;

	for (i = 0; i < sd->nr_ranges; i++)
		if (sd->ranges[i].type == type)
			return &sd->ranges[i];
	return NULL;
}

bool smc_prevented(struct smc_dev *sd)
{
	return sd->nr_prevent > 0;
}

void smc_changed(struct scstu_dev *dev)
{
	struct smc_dev *sd = smc_of(dev);

	if (sd->ops.changed)
		sd->ops.changed(dev);
}

void smc_bad_addr(struct scstu_req *req, unsigned int byte)
{
	struct scstu_sense s = {
		.key = SCSTU_ILLEGAL_REQUEST, .asc = 0x21, .ascq = 0x01,
		.flags = SCSTU_SENSE_SKS,
	};

	/* SKSV (set by the encoder), C/D: a CDB field, BPV 0 */
	s.sks[0] = 0x40;
	s.sks[1] = (uint8_t)(byte >> 8);
	s.sks[2] = (uint8_t)byte;
	scstu_req_check_sense(req, &s, req->xfer_len);
}

void smc_tur(struct scstu_req *req)
{
	/* a virtual robot is always ready */
	scstu_req_done(req);
}

static void prevent_del(struct smc_dev *sd, uint64_t session)
{
	unsigned int i;

	for (i = 0; i < sd->nr_prevent; i++) {
		if (sd->prevent[i] == session) {
			sd->prevent[i] = sd->prevent[--sd->nr_prevent];
			return;
		}
	}
}

static int prevent_add(struct smc_dev *sd, uint64_t session)
{
	uint64_t *n;
	unsigned int i;

	for (i = 0; i < sd->nr_prevent; i++)
		if (sd->prevent[i] == session)
			return 0;
	n = realloc(sd->prevent, (sd->nr_prevent + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	sd->prevent = n;
	sd->prevent[sd->nr_prevent++] = session;
	return 0;
}

void smc_prevent_allow(struct scstu_req *req)
{
	struct smc_dev *sd = smc_of(req->dev);

	if (req->cdb[4] & 0x01) {
		if (prevent_add(sd, req->session)) {
			scstu_req_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00);
			return;
		}
	} else {
		prevent_del(sd, req->session);
	}
	scstu_req_done(req);
}

static void smc_execute(struct scstu_req *req)
{
	struct smc_dev *sd = smc_of(req->dev);

	pthread_mutex_lock(&sd->lock);
	spc_dispatch(req);
	pthread_mutex_unlock(&sd->lock);
}

static void smc_detach(struct scstu_dev *dev, const struct scstu_nexus *nx)
{
	struct smc_dev *sd = smc_of(dev);

	pthread_mutex_lock(&sd->lock);
	prevent_del(sd, nx->session);
	pthread_mutex_unlock(&sd->lock);
	spc_detach(dev, nx);
}

static void smc_reset(struct scstu_dev *dev, enum scstu_reset kind,
		      uint64_t session, uint64_t lun)
{
	struct smc_dev *sd = smc_of(dev);

	pthread_mutex_lock(&sd->lock);
	if (kind == SCSTU_RESET_NEXUS)
		prevent_del(sd, session);
	else
		sd->nr_prevent = 0;
	pthread_mutex_unlock(&sd->lock);
	if (sd->raw_reset)
		sd->raw_reset(dev, kind, session, lun);
}

static void smc_destroy(struct scstu_dev *dev)
{
	struct smc_dev *sd = smc_of(dev);

	if (!sd)
		return;
	spc_dev_free(&sd->spc);
	pthread_mutex_destroy(&sd->lock);
	free(sd->elems);
	free(sd->drives);
	free(sd->prevent);
	free(sd);
	dev->class_priv = NULL;
}

/* Add the range of a type (count may be 0: none); sorted insert. */
static void add_range(struct smc_dev *sd, enum scstu_elem_type type,
		      uint16_t first, uint16_t count)
{
	unsigned int i;

	if (!count)
		return;
	for (i = sd->nr_ranges; i > 0 && sd->ranges[i - 1].first > first; i--)
		sd->ranges[i] = sd->ranges[i - 1];
	sd->ranges[i].type = type;
	sd->ranges[i].first = first;
	sd->ranges[i].count = count;
	sd->nr_ranges++;
}

static const char *type_name(enum scstu_elem_type type)
{
	static const char *const names[] = {
		"", "transport", "storage", "import/export", "drive"
	};

	return names[type];
}

/* Ranges must fit in 16 bits and not overlap. */
static int check_ranges(struct smc_dev *sd, const char *name)
{
	unsigned int i;

	for (i = 0; i < sd->nr_ranges; i++) {
		const struct smc_range *r = &sd->ranges[i];

		if ((uint32_t)r->first + r->count > 0x10000) {
			scstu_log(SCSTU_LOG_ERR, "%s: %s elements %u+%u pass "
				  "address 65535", name, type_name(r->type),
				  r->first, r->count);
			return -EINVAL;
		}
		if (i && sd->ranges[i - 1].first + sd->ranges[i - 1].count >
			 r->first) {
			scstu_log(SCSTU_LOG_ERR, "%s: %s and %s element "
				  "addresses overlap", name,
				  type_name(sd->ranges[i - 1].type),
				  type_name(r->type));
			return -EINVAL;
		}
	}
	return 0;
}

static int init_elements(struct smc_dev *sd)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < sd->nr_ranges; i++) {
		sd->ranges[i].index = n;
		n += sd->ranges[i].count;
	}
	sd->elems = calloc(n, sizeof(*sd->elems));
	if (!sd->elems)
		return -ENOMEM;
	sd->nr_elems = n;
	for (i = 0; i < sd->nr_ranges; i++) {
		const struct smc_range *r = &sd->ranges[i];

		for (j = 0; j < r->count; j++) {
			struct scstu_element *e = &sd->elems[r->index + j].e;

			e->type = r->type;
			e->addr = (uint16_t)(r->first + j);
		}
	}
	return 0;
}

static int init_drives(struct smc_dev *sd,
		       const struct scstu_changer_config *cc, const char *name)
{
	unsigned int i;

	if (!cc->drives || !cc->nr_drives)
		return 0;
	for (i = 0; i < cc->nr_drives; i++) {
		const struct scstu_changer_drive *d = &cc->drives[i];

		if (d->id_len > sizeof(d->id) || d->code_set > 0x0f ||
		    d->id_type > 0x0f) {
			scstu_log(SCSTU_LOG_ERR, "%s: drive %u: bad "
				  "identifier (code set %u, type %u, length "
				  "%u)", name, i, d->code_set, d->id_type,
				  d->id_len);
			return -EINVAL;
		}
		if (d->id_len > sd->dvcid_len)
			sd->dvcid_len = d->id_len;
	}
	sd->drives = calloc(cc->nr_drives, sizeof(*sd->drives));
	if (!sd->drives)
		return -ENOMEM;
	memcpy(sd->drives, cc->drives, cc->nr_drives * sizeof(*sd->drives));
	return 0;
}

static int smc_init(struct scstu_dev *dev, struct smc_dev *sd,
		    const struct scstu_changer_config *cc,
		    const struct scstu_changer_ops *ops,
		    const struct scstu_ops *raw_ops)
{
	pthread_mutexattr_t attr;
	int ret;

	sd->ops = *ops;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&sd->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	sd->spc.cmds = &smc_cmd_table;
	sd->spc.removable = true;
	/* SAM-5, SPC-4, SMC-3 */
	sd->spc.versions[0] = 0x00a0;
	sd->spc.versions[1] = 0x0460;
	sd->spc.versions[2] = 0x0480;
	if (raw_ops) {
		sd->spc.attach = raw_ops->attach;
		sd->spc.detach = raw_ops->detach;
		sd->raw_reset = raw_ops->reset;
	}
	spc_dev_init(dev, &sd->spc, cc->vendor,
		     cc->product ? cc->product : "VTL CHANGER", cc->revision,
		     cc->serial);
	dev->class_priv = sd;
	dev->class_destroy = smc_destroy;

	add_range(sd, SCSTU_ELEM_TRANSPORT, cc->transport_addr, 1);
	add_range(sd, SCSTU_ELEM_STORAGE, cc->storage_addr, cc->nr_storage);
	add_range(sd, SCSTU_ELEM_IMPORT_EXPORT, cc->ie_addr, cc->nr_ie);
	add_range(sd, SCSTU_ELEM_DRIVE, cc->drive_addr, cc->nr_drives);
	ret = check_ranges(sd, dev->name);
	if (!ret)
		ret = init_elements(sd);
	if (!ret)
		ret = init_drives(sd, cc, dev->name);
	if (!ret)
		ret = smc_pages_init(dev);
	if (!ret)
		ret = spc_mode_start(dev, &sd->spc.mode, cc->mode_file);
	return ret;
}

struct scstu_dev *scstu_changer_create(const struct scstu_dev_config *cfg,
				       const struct scstu_changer_config *cc,
				       const struct scstu_changer_ops *ops,
				       const struct scstu_ops *raw_ops)
{
	struct scstu_ops o = { .execute = smc_execute };
	struct scstu_dev *dev;
	struct smc_dev *sd;

	if (!cfg || !cc || !ops || !ops->move ||
	    (raw_ops && raw_ops->execute)) {
		scstu_log(SCSTU_LOG_ERR, "%s: invalid changer configuration",
			  cfg && cfg->name ? cfg->name : "(null)");
		errno = EINVAL;
		return NULL;
	}
	if (raw_ops)
		o.abort = raw_ops->abort;
	o.reset = smc_reset;
	o.attach = spc_attach;
	o.detach = smc_detach;
	sd = calloc(1, sizeof(*sd));
	if (!sd) {
		errno = ENOMEM;
		return NULL;
	}
	/* the kernel answers REQUEST SENSE */
	dev = spc_class_create(cfg, SCSTU_TYPE_CHANGER, 0,
			       SCSTU_DEV_REQUEST_SENSE, &o, sd);
	if (!dev)
		return NULL;
	return spc_class_ready(dev, smc_init(dev, sd, cc, ops, raw_ops));
}
