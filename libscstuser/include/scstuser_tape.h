/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser tape drive (SSC-4) device class.
 *
 * The SDK is the drive: it answers every SSC command (positioning,
 * fixed/variable block READ/WRITE with ILI and residuals, filemarks,
 * SPACE, LOCATE, READ POSITION, partitions, mode and log pages, MAM
 * attributes, data encryption, REPORT DENSITY SUPPORT...) with the
 * identity of a real drive (a personality). The handler supplies the
 * medium: an object store that a struct scstu_tape_medium_ops describes
 * (a cartridge file, an object in a cloud bucket, ...), and puts it in
 * the drive or takes it out (scstu_tape_load() / scstu_tape_eject()),
 * typically when a medium changer moves it.
 *
 * A partition of a medium is a sequence of logical objects numbered from
 * 0 (SSC "logical object identifier"): data blocks and filemarks,
 * followed by end-of-data (EOD). The class keeps the position; the
 * medium only reads and writes objects at the positions it is given.
 *
 * Commands of one drive run one at a time (a tape drive is sequential);
 * medium callbacks are called with the drive's lock held, on the thread
 * that runs the command, and may block (file I/O).
 */
#ifndef SCSTUSER_TAPE_H
#define SCSTUSER_TAPE_H

#include "scstuser.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- the medium ------------------------------------------------------ */

enum scstu_tape_obj_type {
	SCSTU_TAPE_BLOCK = 0,
	SCSTU_TAPE_FILEMARK = 1,
	SCSTU_TAPE_EOD = 2,		/* the position is at end-of-data */
};

/* What ->read found at a position. */
struct scstu_tape_obj {
	enum scstu_tape_obj_type type;
	uint32_t len;			/* BLOCK: logical length in bytes */
	uint32_t stored;		/* BLOCK: bytes it takes on the medium */
	bool compressed;
	bool encrypted;
};

/* An AES-256 data encryption key (SECURITY PROTOCOL OUT, page 0010h). */
struct scstu_tape_key {
	uint8_t key[32];
	uint8_t kad[64];		/* key-associated data (A-KAD), stored */
	uint16_t kad_len;		/* with each block written under it */
};

/* ->write options, from the drive's current settings */
struct scstu_tape_wopts {
	bool compress;			/* mode page 0Fh DCE */
	const struct scstu_tape_key *key; /* NULL: write plaintext */
};

/* What a medium is (fixed when it is made). */
struct scstu_tape_media {
	uint8_t generation;		/* LTO generation 1..9 */
	bool type_m;			/* LTO-7 Type M (M8): generation 7 */
	bool worm;
	bool cleaning;
	uint64_t capacity;		/* native bytes, all partitions */
	char barcode[33];		/* volume tag, NUL-terminated */
	char serial[33];		/* medium serial number (MAM 0401h) */
};

/*
 * Return values: 0 (or a non-negative count where said) or -errno, which
 * the class turns into the sense an LTO drive gives (docs/tape.md has
 * the table):
 *  -EIO           unrecoverable read/write error (MEDIUM ERROR)
 *  -EBADMSG       object damaged: bad CRC, truncated (MEDIUM ERROR)
 *  -ENOSPC        no room for the write (VOLUME OVERFLOW, EOM)
 *  -ENOKEY        encrypted block and no key (DATA PROTECT 74/xx)
 *  -EKEYREJECTED  encrypted under another key (DATA PROTECT 74/xx)
 *  -EROFS         medium write protected (DATA PROTECT 27/00)
 */
struct scstu_tape_medium_ops {
	/*
	 * Read the object at (part, obj) into *o; for a block, copy up to
	 * max bytes of its (decompressed, decrypted) data to buf (buf may
	 * be NULL with max 0: just look). obj == eod(part) gives
	 * SCSTU_TAPE_EOD. key: the drive's decryption key or NULL.
	 */
	int (*read)(void *m, unsigned int part, uint64_t obj, void *buf,
		    uint32_t max, const struct scstu_tape_key *key,
		    struct scstu_tape_obj *o);
	/*
	 * Write a data block as object obj of part, after discarding every
	 * object from obj on (obj <= eod). Returns the bytes it takes on the
	 * medium (after compression) or -errno.
	 */
	int (*write)(void *m, unsigned int part, uint64_t obj,
		     const void *buf, uint32_t len,
		     const struct scstu_tape_wopts *w);
	/* The same for count filemarks (count may be 0: just set EOD). */
	int (*write_filemarks)(void *m, unsigned int part, uint64_t obj,
			       uint32_t count);
	/*
	 * Make everything written durable: after it returns, a crash loses
	 * nothing before this point. Called for WRITE FILEMARKS (unless
	 * IMMED), SYNCHRONIZE... flush points, REWIND, UNLOAD, LOCATE.
	 */
	int (*sync)(void *m);
	/* Number of objects in part before its EOD. */
	uint64_t (*eod)(void *m, unsigned int part);
	/*
	 * Filemarks of part: *nr = the number of filemarks in objects
	 * [0, obj); with find, the position of the n-th (1-based) filemark
	 * at or after obj (dir > 0) or before obj (dir < 0): -ENOENT if
	 * there are fewer.
	 */
	uint64_t (*filemarks_before)(void *m, unsigned int part, uint64_t obj);
	int (*find_filemark)(void *m, unsigned int part, uint64_t obj,
			     int dir, uint64_t n, uint64_t *pos);
	/* Bytes: capacity of part and what its objects take now. */
	void (*space)(void *m, unsigned int part, uint64_t *capacity,
		      uint64_t *used);
	/* Partitions now on the medium (>= 1). */
	unsigned int (*nr_partitions)(void *m);
	/*
	 * FORMAT MEDIUM / MODE SELECT partition page: make nr partitions
	 * (all empty) of the given sizes in bytes (a 0 size: the rest).
	 * -EINVAL if they do not fit.
	 */
	int (*format)(void *m, unsigned int nr, const uint64_t *sizes);
	/*
	 * Medium auxiliary memory: an opaque blob (the class's attribute
	 * list) stored with the medium. mam_read returns its length
	 * (0: none yet) or -errno; at most max bytes are copied.
	 */
	int (*mam_read)(void *m, void *buf, size_t max);
	int (*mam_write)(void *m, const void *buf, size_t len);
};

/* --- the drive -------------------------------------------------------- */

/*
 * Personalities: the INQUIRY identity, VPD, densities, supported media
 * and limits of a real drive model. Names: "ibm-lto5" .. "ibm-lto9"
 * (IBM ULT3580-TD5..TD9), "hp-lto5" .. "hp-lto9" (HP Ultrium 5-SCSI ..
 * 9-SCSI). NULL: "ibm-lto8".
 */
struct scstu_tape_config {
	const char *personality;
	const char *serial;		/* drive serial number, default name */
	const char *revision;		/* firmware, default the model's */
	/* saved mode pages (created if missing); NULL: not kept */
	const char *mode_file;
};

/* Handler callbacks, all optional. */
struct scstu_tape_ops {
	/*
	 * The initiator unloaded the medium (UNLOAD, or LOAD with LOAD=0):
	 * it is ejected and may now be taken out with scstu_tape_eject().
	 * Called from the command's thread without the drive lock.
	 */
	void (*unloaded)(struct scstu_dev *dev);
};

/*
 * Create a tape drive: cfg as for scstu_dev_create() (type is set to
 * SCSTU_TYPE_TAPE), ops->execute is provided by the SDK. Extra raw
 * callbacks (abort, reset, attach...) may be passed in raw_ops (its
 * execute must be NULL). NULL with errno set (EINVAL: unknown
 * personality) on failure.
 */
struct scstu_dev *scstu_tape_create(const struct scstu_dev_config *cfg,
				    const struct scstu_tape_config *tc,
				    const struct scstu_tape_ops *tops,
				    const struct scstu_ops *raw_ops);

/*
 * Put a medium in an empty drive. It is loaded and positioned at the
 * beginning of partition 0 (as after the drive's automatic load), and
 * every initiator gets the unit attention 28/00 (NOT READY TO READY
 * CHANGE, MEDIUM MAY HAVE CHANGED). -EBUSY if the drive holds one,
 * -EMEDIUMTYPE if the drive cannot read this medium (it is refused;
 * a real drive would eject it).
 */
int scstu_tape_load(struct scstu_dev *dev, void *medium,
		    const struct scstu_tape_medium_ops *mops,
		    const struct scstu_tape_media *media);

/*
 * Take the medium out. Without force only an ejected medium (the
 * initiator unloaded it) can be taken: -EBUSY if it is still loaded,
 * -ENOENT if the drive is empty. With force (library shutdown, operator)
 * the drive syncs and unloads first, and initiators get 3A/00 (MEDIUM
 * NOT PRESENT) on their next command. *medium returns the handler's
 * pointer.
 */
int scstu_tape_eject(struct scstu_dev *dev, bool force, void **medium);

enum scstu_tape_state {
	SCSTU_TAPE_EMPTY = 0,
	SCSTU_TAPE_LOADED = 1,		/* ready, threaded */
	SCSTU_TAPE_EJECTED = 2,		/* unloaded, waiting to be taken */
};

struct scstu_tape_status {
	enum scstu_tape_state state;
	bool prevent;			/* PREVENT ALLOW MEDIUM REMOVAL */
	bool encrypting;		/* a key is set for writing */
	unsigned int partition;
	uint64_t position;		/* logical object number */
	uint64_t file;			/* filemarks before the position */
	uint64_t bytes_written, bytes_read;	/* from/to the initiator */
	uint64_t bytes_stored, bytes_retrieved;	/* on the medium */
	uint64_t blocks_written, blocks_read;
	uint64_t filemarks_written;
	uint64_t loads;			/* since the drive was created */
};

void scstu_tape_get_status(struct scstu_dev *dev,
			   struct scstu_tape_status *st);

/*
 * The drive's identification as a medium changer reports it in READ
 * ELEMENT STATUS with DVCID: the same designator as the T10 vendor ID
 * descriptor of VPD page 83h (vendor, product, serial; ASCII). Copies
 * up to max bytes, returns the designator's length.
 */
size_t scstu_tape_devid(struct scstu_dev *dev, uint8_t *buf, size_t max);

#ifdef __cplusplus
}
#endif

#endif /* SCSTUSER_TAPE_H */
