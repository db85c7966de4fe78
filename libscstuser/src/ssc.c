// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser tape drive class: creation, command execution (one command
 * at a time under the drive lock, through the SPC dispatcher), the
 * medium's life (load, unload, eject), status, and the sense helpers the
 * commands share.
 *
 * Sense of the last command: the CHECK CONDITION built by ssc_check()
 * is kept for its I_T nexus, and REQUEST SENSE from that nexus returns
 * it (in the format it asks for) if it is the nexus's next command; any
 * other command of the nexus clears it. With autosense an initiator
 * already has it; tapeinfo, sg_requests and older software ask.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ssc.h"

/* Early warning zone: the last 1/EW_DIV of a partition's capacity. */
#define EW_DIV	50

static void ssc_keep_sense(struct ssc_drive *d, const struct scstu_sense *s)
{
	/* kept in fixed format; REQUEST SENSE re-encodes it */
	d->sense_len = (uint8_t)scstu_sense_build(d->sense, sizeof(d->sense),
						  false, s);
}

void ssc_check(struct scstu_req *req, uint8_t key, uint8_t asc,
	       uint8_t ascq, unsigned int flags, int64_t info,
	       uint32_t resid)
{
	struct ssc_drive *d = ssc_of(req->dev);
	struct scstu_sense s = {
		.key = key, .asc = asc, .ascq = ascq, .flags = flags,
	};

	/*
	 * INFORMATION is signed (a negative residue for an overlength
	 * block): 32-bit two's complement in fixed format (VALID = 0 if it
	 * does not fit), 64-bit in descriptor format. The copy kept for
	 * REQUEST SENSE is in fixed format.
	 */
	if (flags & SCSTU_SENSE_INFO)
		s.info = info >= INT32_MIN && info <= INT32_MAX ?
			 (uint32_t)(int32_t)info : UINT32_MAX + 1ULL;
	ssc_keep_sense(d, &s);
	d->sense_session = req->session;
	if ((flags & SCSTU_SENSE_INFO) && scstu_dev_d_sense(req->dev))
		s.info = (uint64_t)info;
	scstu_req_check_sense(req, &s, resid);
}

void ssc_medium_error_info(struct scstu_req *req, int err, bool write,
			   int64_t info, uint32_t resid)
{
	unsigned int fl = SCSTU_SENSE_INFO;

	switch (err) {
	case -EIO:
	case -EBADMSG:
		/* WRITE ERROR / UNRECOVERED READ ERROR */
		ssc_check(req, SCSTU_MEDIUM_ERROR, write ? 0x0c : 0x11, 0x00,
			  fl, info, resid);
		break;
	case -ENOSPC:	/* END-OF-PARTITION/MEDIUM DETECTED */
		ssc_check(req, SCSTU_VOLUME_OVERFLOW, 0x00, 0x02,
			  fl | SCSTU_SENSE_EOM, info, resid);
		break;
	case -ENOKEY:	/* UNABLE TO DECRYPT DATA */
		ssc_check(req, SCSTU_DATA_PROTECT, 0x74, 0x01, fl, info,
			  resid);
		break;
	case -EKEYREJECTED:	/* INCORRECT DATA ENCRYPTION KEY */
		ssc_check(req, SCSTU_DATA_PROTECT, 0x74, 0x03, fl, info,
			  resid);
		break;
	case -EROFS:	/* WRITE PROTECTED */
		ssc_check(req, SCSTU_DATA_PROTECT, 0x27, 0x00, 0, 0, resid);
		break;
	default:
		scstu_log(SCSTU_LOG_ERR, "%s: medium callback error %d",
			  req->dev->name, err);
		/* INTERNAL TARGET FAILURE */
		ssc_check(req, SCSTU_HARDWARE_ERROR, 0x44, 0x00, 0, 0, resid);
		break;
	}
	if (write)
		ssc_of(req->dev)->cnt.write_errors++;
	else
		ssc_of(req->dev)->cnt.read_errors++;
}

void ssc_medium_error(struct scstu_req *req, int err, bool write)
{
	ssc_medium_error_info(req, err, write, 0, req->xfer_len);
}

/* Sense for a drive that cannot access a medium now; false if ready. */
static bool ssc_not_ready(struct ssc_drive *d, struct scstu_sense *s)
{
	memset(s, 0, sizeof(*s));
	s->key = SCSTU_NOT_READY;
	if (d->state == SCSTU_TAPE_LOADED && d->held) {
		s->asc = 0x04;		/* INITIALIZING COMMAND REQUIRED */
		s->ascq = 0x02;
	} else if (d->state != SCSTU_TAPE_LOADED) {
		s->asc = 0x3a;		/* MEDIUM NOT PRESENT */
	} else if (d->media.cleaning) {
		s->asc = 0x30;		/* CLEANING CARTRIDGE INSTALLED */
		s->ascq = 0x03;
	} else {
		return false;
	}
	return true;
}

bool ssc_ready(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	struct scstu_sense s;

	if (!ssc_not_ready(d, &s))
		return true;
	ssc_check(req, s.key, s.asc, s.ascq, 0, 0, req->xfer_len);
	return false;
}

int ssc_sync(struct ssc_drive *d)
{
	int ret;

	if (!d->dirty || d->state != SCSTU_TAPE_LOADED)
		return 0;
	ret = d->mops->sync(d->medium);
	if (!ret)
		d->dirty = false;
	return ret;
}

bool ssc_in_ew(struct ssc_drive *d)
{
	uint64_t cap = 0, used = 0;

	/* only EOD moves with what is written; before it data follows */
	if (d->obj < d->mops->eod(d->medium, d->part))
		return false;
	d->mops->space(d->medium, d->part, &cap, &used);
	return used >= cap - cap / EW_DIV;
}

/*
 * WORM: data is only appended. Filemarks between the position and EOD
 * may be overwritten (as LTO WORM drives allow), so that software can
 * append after its closing filemarks.
 */
static bool worm_may_write(struct ssc_drive *d)
{
	uint64_t eod = d->mops->eod(d->medium, d->part);

	if (d->obj >= eod)
		return true;
	return d->mops->filemarks_before(d->medium, d->part, eod) -
	       d->mops->filemarks_before(d->medium, d->part, d->obj) ==
	       eod - d->obj;
}

bool ssc_writable(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);

	if (d->write_protected) {
		/* CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT */
		ssc_check(req, SCSTU_DATA_PROTECT, 0x30, 0x05, 0, 0,
			  req->xfer_len);
		return false;
	}
	if (d->media.worm && !worm_may_write(d)) {
		/* WORM MEDIUM - OVERWRITE ATTEMPTED */
		ssc_check(req, SCSTU_DATA_PROTECT, 0x30, 0x0c, 0, 0,
			  req->xfer_len);
		return false;
	}
	return true;
}

void ssc_set_pos(struct ssc_drive *d, unsigned int part, uint64_t obj)
{
	struct spc_mode *m = &d->spc.mode;
	unsigned int i;

	d->obj = obj;
	if (d->part == part)
		return;
	d->part = part;
	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->nr; i++)
		if (m->pages[i].page == 0x10 && m->pages[i].subpage == 0)
			m->pages[i].cur[3] = (uint8_t)part;
	pthread_mutex_unlock(&m->lock);
}

void ssc_tur(struct scstu_req *req)
{
	if (ssc_ready(req))
		scstu_req_done(req);
}

void ssc_request_sense(struct scstu_req *req)
{
	struct ssc_drive *d = ssc_of(req->dev);
	bool desc = req->cdb[1] & 0x01;
	uint8_t buf[SCSTU_SENSE_MAX];
	struct scstu_sense s;
	size_t len;

	if (d->sense_len && d->sense_session == req->session) {
		scstu_sense_parse(d->sense, d->sense_len, &s);
		/* sign-extend a negative residue for descriptor format */
		if (desc && (s.flags & SCSTU_SENSE_INFO))
			s.info = (uint64_t)(int64_t)(int32_t)s.info;
		d->sense_len = 0;
	} else if (!ssc_not_ready(d, &s)) {
		memset(&s, 0, sizeof(s));
		if (ssc_in_ew(d))
			s.flags |= SCSTU_SENSE_EOM;
	}
	len = scstu_sense_build(buf, sizeof(buf), desc, &s);
	scstu_req_reply(req, buf, len < req->cdb[4] ? len : req->cdb[4]);
}

/*
 * A command the kernel held while no handler served the drive (the
 * daemon was killed and restarted) reaches the new process before the
 * unit attention of the cartridge it reloaded at BOP: the initiator's
 * idea of the position is stale, and a held WRITE would overwrite the
 * tape from BOP. Such a command gets that unit attention (28/00) here;
 * INQUIRY, REPORT LUNS and REQUEST SENSE run (SPC-4 5.14 exempts them).
 */
static bool ssc_early_refused(struct ssc_drive *d, struct scstu_req *req)
{
	if (!(atomic_load(&req->flags) & SCSTU_REQ_EARLY) ||
	    d->state == SCSTU_TAPE_EMPTY || !req->cdb_len)
		return false;
	switch (req->cdb[0]) {
	case 0x12:	/* INQUIRY */
	case 0xa0:	/* REPORT LUNS */
	case 0x03:	/* REQUEST SENSE */
		return false;
	}
	scstu_log(SCSTU_LOG_INFO, "%s: command 0x%02x held across a handler "
		  "restart: unit attention 28/00", req->dev->name, req->cdb[0]);
	scstu_req_check(req, 0x06, 0x28, 0x00);
	return true;
}

static void ssc_execute(struct scstu_req *req)
{
	struct scstu_dev *dev = req->dev;
	struct ssc_drive *d = ssc_of(dev);
	bool unloaded;

	pthread_mutex_lock(&d->lock);
	if (ssc_early_refused(d, req)) {
		pthread_mutex_unlock(&d->lock);
		return;
	}
	if (req->session == d->sense_session &&
	    (!req->cdb_len || req->cdb[0] != 0x03))	/* REQUEST SENSE */
		d->sense_len = 0;
	spc_dispatch(req);
	/* req may be gone now: it was completed */
	unloaded = d->unload_pending;
	d->unload_pending = false;
	pthread_mutex_unlock(&d->lock);
	if (unloaded && d->tops.unloaded)
		d->tops.unloaded(dev);
}

static void ssc_reset(struct scstu_dev *dev, enum scstu_reset kind,
		      uint64_t session, uint64_t lun)
{
	struct ssc_drive *d = ssc_of(dev);

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	ssc_prevent_clear(d, kind == SCSTU_RESET_NEXUS ? session :
			  SCSTU_NO_SESSION);
	pthread_mutex_unlock(&d->lock);
	if (d->raw_reset)
		d->raw_reset(dev, kind, session, lun);
}

static void ssc_detach(struct scstu_dev *dev, const struct scstu_nexus *nx)
{
	struct ssc_drive *d = ssc_of(dev);

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	ssc_prevent_clear(d, nx->session);
	pthread_mutex_unlock(&d->lock);
	if (d->raw_detach)
		d->raw_detach(dev, nx);
}

static void ssc_destroy(struct scstu_dev *dev)
{
	struct ssc_drive *d = ssc_of(dev);

	if (!d)
		return;
	ssc_crypto_free(d);
	ssc_mam_free(d);
	ssc_log_free(d);
	spc_dev_free(&d->spc);
	pthread_mutex_destroy(&d->lock);
	free(d->prevent_sess);
	free(d);
	dev->class_priv = NULL;
}

static int ssc_init(struct scstu_dev *dev, struct ssc_drive *d,
		    const struct scstu_tape_config *tc,
		    const struct scstu_tape_ops *tops,
		    const struct scstu_ops *raw_ops)
{
	const struct ssc_person *p = d->person;

	if (tops)
		d->tops = *tops;
	pthread_mutex_init(&d->lock, NULL);
	d->max_block = p->max_block;
	if (dev->max_xfer && d->max_block > dev->max_xfer)
		d->max_block = dev->max_xfer;
	d->spc.cmds = &ssc_cmd_table;
	d->spc.vpd = ssc_vpd_pages;
	d->spc.nr_vpd = ssc_nr_vpd_pages;
	d->spc.removable = true;
	/* SAM-5, SPC-4, SSC-4 */
	d->spc.versions[0] = 0x00a0;
	d->spc.versions[1] = 0x0460;
	d->spc.versions[2] = 0x0520;
	if (raw_ops) {
		d->spc.attach = raw_ops->attach;
		d->raw_detach = raw_ops->detach;
		d->raw_reset = raw_ops->reset;
	}
	d->spc.detach = ssc_detach;
	spc_dev_init(dev, &d->spc, p->vendor, p->product,
		     tc->revision ? tc->revision : p->revision, tc->serial);
	dev->class_priv = d;
	dev->class_destroy = ssc_destroy;
	return ssc_log_init(d) ?: ssc_mam_init(d) ?: ssc_crypto_init(d) ?:
	       ssc_pages_init(dev) ?: spc_mode_start(dev, &d->spc.mode,
						     tc->mode_file);
}

struct scstu_dev *scstu_tape_create(const struct scstu_dev_config *cfg,
				    const struct scstu_tape_config *tc,
				    const struct scstu_tape_ops *tops,
				    const struct scstu_ops *raw_ops)
{
	static const struct scstu_tape_config def_tc;
	struct scstu_ops o = { .execute = ssc_execute };
	const struct ssc_person *p;
	struct scstu_dev *dev;
	struct ssc_drive *d;

	if (!tc)
		tc = &def_tc;
	p = ssc_person_find(tc->personality);
	if (!cfg || !p || (raw_ops && raw_ops->execute)) {
		if (!p)
			scstu_log(SCSTU_LOG_ERR, "%s: unknown tape "
				  "personality '%s'", cfg && cfg->name ?
				  cfg->name : "(null)", tc->personality);
		errno = EINVAL;
		return NULL;
	}
	if (raw_ops)
		o.abort = raw_ops->abort;
	o.reset = ssc_reset;
	o.attach = spc_attach;
	o.detach = spc_detach;
	d = calloc(1, sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->person = p;
	dev = spc_class_create(cfg, SCSTU_TYPE_TAPE, SCSTU_DEV_REQUEST_SENSE,
			       0, &o, d);
	if (!dev)
		return NULL;
	return spc_class_ready(dev, ssc_init(dev, d, tc, tops, raw_ops));
}

static bool mops_ok(const struct scstu_tape_medium_ops *m)
{
	return m && m->read && m->write && m->write_filemarks && m->sync &&
	       m->eod && m->filemarks_before && m->find_filemark &&
	       m->space && m->nr_partitions;
}

int scstu_tape_load(struct scstu_dev *dev, void *medium,
		    const struct scstu_tape_medium_ops *mops,
		    const struct scstu_tape_media *media)
{
	struct ssc_drive *d = ssc_of(dev);

	if (!d || !mops_ok(mops) || !media)
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	if (d->state != SCSTU_TAPE_EMPTY) {
		pthread_mutex_unlock(&d->lock);
		return -EBUSY;
	}
	if (!ssc_format_of(media) && !media->cleaning) {
		pthread_mutex_unlock(&d->lock);
		return -EMEDIUMTYPE;
	}
	if (!ssc_can_read(d->person, media)) {
		pthread_mutex_unlock(&d->lock);
		return -EMEDIUMTYPE;
	}
	d->medium = medium;
	d->mops = mops;
	d->media = *media;
	d->media.barcode[sizeof(d->media.barcode) - 1] = 0;
	d->media.serial[sizeof(d->media.serial) - 1] = 0;
	d->write_protected = !ssc_can_write(d->person, media);
	d->state = SCSTU_TAPE_LOADED;
	d->held = false;
	d->dirty = false;
	d->part = 0;
	ssc_set_pos(d, 0, 0);
	d->density = ssc_density_code(media);
	memset(&d->cnt, 0, sizeof(d->cnt));
	d->cnt.loads = 1;
	d->total.loads++;
	ssc_pages_medium(d);
	ssc_mam_loaded(d);
	pthread_mutex_unlock(&d->lock);
	/* NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED */
	scstu_dev_raise_ua(dev, 0x28, 0x00, SCSTU_NO_SESSION);
	return 0;
}

int scstu_tape_eject(struct scstu_dev *dev, bool force, void **medium)
{
	struct ssc_drive *d = ssc_of(dev);

	if (!d)
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	if (d->state == SCSTU_TAPE_EMPTY) {
		pthread_mutex_unlock(&d->lock);
		return -ENOENT;
	}
	if (!force && (d->state == SCSTU_TAPE_LOADED || d->held)) {
		pthread_mutex_unlock(&d->lock);
		return -EBUSY;
	}
	if (d->state == SCSTU_TAPE_LOADED) {
		if (ssc_sync(d))
			scstu_log(SCSTU_LOG_ERR, "%s: sync at forced eject "
				  "failed", dev->name);
		ssc_mam_unloading(d);
		ssc_crypto_unloading(d);
	}
	if (medium)
		*medium = d->medium;
	d->state = SCSTU_TAPE_EMPTY;
	d->held = false;
	d->medium = NULL;
	d->mops = NULL;
	ssc_prevent_clear(d, SCSTU_NO_SESSION);
	d->write_protected = false;
	d->density = 0;
	ssc_set_pos(d, 0, 0);
	pthread_mutex_unlock(&d->lock);
	return 0;
}

void scstu_tape_get_status(struct scstu_dev *dev,
			   struct scstu_tape_status *st)
{
	struct ssc_drive *d = ssc_of(dev);

	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&d->lock);
	st->state = d->state;
	st->prevent = d->prevent;
	st->encrypting = ssc_crypto_active(d);
	st->partition = d->part;
	st->position = d->obj;
	if (d->state == SCSTU_TAPE_LOADED)
		st->file = d->mops->filemarks_before(d->medium, d->part,
						     d->obj);
	st->bytes_written = d->total.bytes_written;
	st->bytes_read = d->total.bytes_read;
	st->bytes_stored = d->total.bytes_stored;
	st->bytes_retrieved = d->total.bytes_retrieved;
	st->blocks_written = d->total.blocks_written;
	st->blocks_read = d->total.blocks_read;
	st->filemarks_written = d->total.filemarks_written;
	st->loads = d->total.loads;
	pthread_mutex_unlock(&d->lock);
}

size_t scstu_tape_devid(struct scstu_dev *dev, uint8_t *buf, size_t max)
{
	struct ssc_drive *d = ssc_of(dev);
	size_t n = strlen(d->spc.serial);
	uint8_t id[8 + sizeof(d->spc.serial)];

	/* as in VPD 83h: T10 vendor ID (8 bytes) + unit serial number */
	spc_put_ascii(id, d->spc.vendor, 8);
	memcpy(&id[8], d->spc.serial, n);
	n += 8;
	if (buf)
		memcpy(buf, id, n < max ? n : max);
	return n;
}
