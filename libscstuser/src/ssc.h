/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser private: the tape drive (SSC-4) class of scstuser_tape.h.
 *
 * Files (owner in brackets while it is being built; one responsibility
 * each):
 *   ssc.c           creation, execute (drive lock, state checks), load /
 *                   eject / status, sense helpers            [tape core]
 *   ssc_table.c     the command table                         [tape core]
 *   ssc_person.c    personalities: IBM/HP LTO-5..9 identity, densities,
 *                   media rules, limits                        [tape core]
 *   ssc_rw.c        READ(6), WRITE(6), WRITE FILEMARKS         [tape core]
 *   ssc_pos.c       SPACE, LOCATE, READ POSITION, REWIND, ERASE,
 *                   LOAD/UNLOAD, FORMAT MEDIUM, PREVENT ALLOW [tape core]
 *   ssc_pages.c     mode pages (block descriptor, 0Ah, 0Fh, 10h, 11h,
 *                   1Ch), VPD pages, READ BLOCK LIMITS, REPORT
 *                   DENSITY SUPPORT, REQUEST SENSE            [tape core]
 *   ssc_log.c       LOG SENSE/SELECT: 00h, 0Ch, 17h, 2Eh, 31h, 32h
 *                                                           [tape services]
 *   ssc_mam.c       READ/WRITE ATTRIBUTE, the MAM attribute list
 *                                                           [tape services]
 *   ssc_crypto.c    SECURITY PROTOCOL IN/OUT, tape data encryption
 *                                                           [tape services]
 *
 * Locking: every command runs under drive->lock from ssc_execute() to
 * its completion (commands are synchronous); scstu_tape_load/eject and
 * get_status take it too. Medium callbacks are called with it held.
 */
#ifndef SCSTU_SSC_H
#define SCSTU_SSC_H

#include "scstuser_tape.h"
#include "spc.h"

/* A drive model (ssc_person.c). */
struct ssc_person {
	const char *name;		/* "ibm-lto8" */
	const char *vendor;		/* INQUIRY T10 vendor */
	const char *product;
	const char *revision;
	uint8_t generation;		/* LTO generation of the drive */
	uint32_t max_block;		/* READ BLOCK LIMITS maximum */
	bool type_m;			/* can format/use LTO-7 Type M (M8) */
};

/* One LTO format (ssc_person.c), for REPORT DENSITY SUPPORT. */
struct ssc_format {
	uint8_t generation;
	bool type_m;
	uint8_t density;		/* density code */
	uint8_t medium_type;		/* data cartridge; WORM is +4 */
	uint32_t bits_per_mm;
	uint16_t tracks;
	uint16_t length_m;		/* tape length, metres */
	uint32_t capacity_mb;		/* native, 10^6 bytes */
	const char *name;		/* density name, "U-832" */
	const char *desc;		/* "Ultrium 8/32T" */
};

extern const struct ssc_format ssc_formats[];
extern const unsigned int ssc_nr_formats;
const struct ssc_format *ssc_format_of(const struct scstu_tape_media *m);
/* MEDIUM TYPE of a medium (mode header, REPORT DENSITY SUPPORT). */
uint8_t ssc_medium_type(const struct scstu_tape_media *m);
/* Formats a drive reads / writes (ssc_can_read/write on a format). */
bool ssc_fmt_readable(const struct ssc_person *p, const struct ssc_format *f);
bool ssc_fmt_writable(const struct ssc_person *p, const struct ssc_format *f);

const struct ssc_person *ssc_person_find(const char *name);
/* Media rules: can this drive read / write this medium? */
bool ssc_can_read(const struct ssc_person *p,
		  const struct scstu_tape_media *m);
bool ssc_can_write(const struct ssc_person *p,
		   const struct scstu_tape_media *m);
/* Density code of a medium's format (e.g. 5Eh for LTO-8). */
uint8_t ssc_density_code(const struct scstu_tape_media *m);

/* Counters for log pages and scstu_tape_get_status(). */
struct ssc_counters {
	uint64_t bytes_written, bytes_read;	/* initiator side */
	uint64_t bytes_stored, bytes_retrieved;	/* medium side */
	uint64_t blocks_written, blocks_read;
	uint64_t filemarks_written;
	uint64_t write_errors, read_errors;
	uint64_t loads;
};

struct ssc_drive {
	struct spc_dev spc;		/* first: spc_of() */
	const struct ssc_person *person;
	struct scstu_tape_ops tops;
	pthread_mutex_t lock;

	/* the medium */
	enum scstu_tape_state state;
	void *medium;
	const struct scstu_tape_medium_ops *mops;
	struct scstu_tape_media media;
	bool write_protected;		/* cannot write this generation */

	/* position */
	unsigned int part;
	uint64_t obj;			/* logical object number */
	bool at_eod_known;		/* last op left us at EOD */
	bool dirty;			/* written since the last sync */

	bool held;			/* LOAD/UNLOAD HOLD: present, not
					 * threaded, not to be taken */
	bool unload_pending;		/* call tops.unloaded after the
					 * command, without the lock */
	uint32_t max_block;		/* READ BLOCK LIMITS maximum */

	/* settings */
	uint32_t block_len;		/* 0: variable block mode */
	uint8_t density;		/* block descriptor density code */
	bool compress;			/* DCE */
	bool prevent;			/* PREVENT ALLOW MEDIUM REMOVAL */
	uint64_t *prevent_sess;		/* I_T nexuses that prevent it */
	unsigned int nr_prevent;
	/* the handler's raw callbacks the class wraps */
	void (*raw_reset)(struct scstu_dev *dev, enum scstu_reset kind,
			  uint64_t session, uint64_t lun);
	void (*raw_detach)(struct scstu_dev *dev,
			   const struct scstu_nexus *nx);

	/* last sense, for REQUEST SENSE (per drive, as LTO drives do) */
	uint8_t sense[SCSTU_SENSE_MAX];
	uint8_t sense_len;
	uint64_t sense_session;		/* the I_T nexus it belongs to */

	struct ssc_counters cnt;	/* since load (log pages) */
	struct ssc_counters total;	/* since creation */

	/* tape services state (ssc_crypto.c, ssc_mam.c, ssc_log.c) */
	void *crypto;
	void *mam;
	void *logs;
};

static inline struct ssc_drive *ssc_of(const struct scstu_dev *dev)
{
	return dev->class_priv;
}

extern const struct spc_cmd_table ssc_cmd_table;

/* ssc.c: complete with the sense of a medium callback's -errno. */
void ssc_medium_error(struct scstu_req *req, int err, bool write);
/* The same with a valid INFORMATION field (residue), resid bytes. */
void ssc_medium_error_info(struct scstu_req *req, int err, bool write,
			   int64_t info, uint32_t resid);
/* Drive must hold a loaded medium: else NOT READY sense, false. */
bool ssc_ready(struct scstu_req *req);

/*
 * ssc.c: CHECK CONDITION with tape sense, remembered for REQUEST SENSE.
 * flags: SCSTU_SENSE_FILEMARK/EOM/ILI; info (signed, per SSC-4 the
 * residue) is valid when SCSTU_SENSE_INFO is in flags.
 */
void ssc_check(struct scstu_req *req, uint8_t key, uint8_t asc,
	       uint8_t ascq, unsigned int flags, int64_t info,
	       uint32_t resid);
/* Sync the medium if written since the last sync; 0 or -errno. */
int ssc_sync(struct ssc_drive *d);
/* Is the position EOD, in the early warning zone of its partition? */
bool ssc_in_ew(struct ssc_drive *d);
/* Writes allowed here? (WP, generation, WORM overwrite) else sense. */
bool ssc_writable(struct scstu_req *req);
/* Move to (part, obj), keeping mode page 10h ACTIVE PARTITION. */
void ssc_set_pos(struct ssc_drive *d, unsigned int part, uint64_t obj);
/* PREVENT ALLOW state of a session (ssc_pos.c); drive lock held. */
int ssc_prevent_set(struct ssc_drive *d, uint64_t session, bool prevent);
void ssc_prevent_clear(struct ssc_drive *d, uint64_t session);
/* Medium partition page 11h current values from the medium. */
void ssc_pages_medium(struct ssc_drive *d);

/* Commands (ssc_rw.c, ssc_pos.c, ssc_pages.c) */
void ssc_tur(struct scstu_req *req);
void ssc_read6(struct scstu_req *req);
void ssc_write6(struct scstu_req *req);
void ssc_write_filemarks(struct scstu_req *req);
void ssc_space6(struct scstu_req *req);
void ssc_space16(struct scstu_req *req);
void ssc_locate10(struct scstu_req *req);
void ssc_locate16(struct scstu_req *req);
void ssc_read_position(struct scstu_req *req);
void ssc_rewind(struct scstu_req *req);
void ssc_erase(struct scstu_req *req);
void ssc_load_unload(struct scstu_req *req);
void ssc_format_medium(struct scstu_req *req);
void ssc_prevent_allow(struct scstu_req *req);
void ssc_read_block_limits(struct scstu_req *req);
void ssc_report_density(struct scstu_req *req);
void ssc_request_sense(struct scstu_req *req);

/* ssc_pages.c: mode pages and VPD pages of the drive */
int ssc_pages_init(struct scstu_dev *dev);
extern const struct spc_vpd_page ssc_vpd_pages[];
extern const unsigned int ssc_nr_vpd_pages;

/*
 * Tape services, called by the tape core with drive->lock held.
 * init/free per drive; loaded/unloading at medium load and unload
 * (MAM is read at load and written back at unload; keys may be cleared).
 */
int ssc_log_init(struct ssc_drive *d);
void ssc_log_free(struct ssc_drive *d);
void ssc_log_sense(struct scstu_req *req);
void ssc_log_select(struct scstu_req *req);
/* A TapeAlert flag (1..64) became active (cleared when read). */
void ssc_log_tapealert(struct ssc_drive *d, unsigned int flag);

int ssc_mam_init(struct ssc_drive *d);
void ssc_mam_free(struct ssc_drive *d);
void ssc_mam_loaded(struct ssc_drive *d);
void ssc_mam_unloading(struct ssc_drive *d);
void ssc_read_attribute(struct scstu_req *req);
void ssc_write_attribute(struct scstu_req *req);

int ssc_crypto_init(struct ssc_drive *d);
void ssc_crypto_free(struct ssc_drive *d);
void ssc_crypto_unloading(struct ssc_drive *d);
/* Key for writing / reading now (NULL: none), for the medium ops. */
const struct scstu_tape_key *ssc_crypto_wkey(struct ssc_drive *d,
					     uint64_t session);
const struct scstu_tape_key *ssc_crypto_rkey(struct ssc_drive *d,
					     uint64_t session);
/* Some nexus writes encrypted (scstu_tape_get_status()). */
bool ssc_crypto_active(struct ssc_drive *d);
void ssc_security_in(struct scstu_req *req);
void ssc_security_out(struct scstu_req *req);

#endif /* SCSTU_SSC_H */
