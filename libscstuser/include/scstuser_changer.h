/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser medium changer (SMC-3) device class.
 *
 * The SDK is the library's robot: it keeps the elements (one medium
 * transport element, storage slots, import/export "mail" slots and data
 * transfer elements, i.e. drives), answers INQUIRY, MODE SENSE/SELECT
 * (element address assignment 1Dh, transport geometry 1Eh, device
 * capabilities 1Fh), READ ELEMENT STATUS (VOLTAG, DVCID, CURDATA),
 * INITIALIZE ELEMENT STATUS (WITH RANGE), POSITION TO ELEMENT,
 * PREVENT ALLOW MEDIUM REMOVAL, and validates MOVE MEDIUM and EXCHANGE
 * MEDIUM. The handler carries out each move (->move), which is where a
 * drive takes a cartridge in or gives it back, and persists the state
 * (->changed).
 *
 * Element addresses are 16-bit; each type is one contiguous range. The
 * class's lock serializes commands and the functions below.
 */
#ifndef SCSTUSER_CHANGER_H
#define SCSTUSER_CHANGER_H

#include "scstuser.h"

#ifdef __cplusplus
extern "C" {
#endif

/* SMC element type codes */
enum scstu_elem_type {
	SCSTU_ELEM_TRANSPORT = 1,	/* MTE: the picker */
	SCSTU_ELEM_STORAGE = 2,		/* STE: slots */
	SCSTU_ELEM_IMPORT_EXPORT = 3,	/* IEE: mail slots */
	SCSTU_ELEM_DRIVE = 4,		/* DTE: data transfer elements */
};

#define SCSTU_VOLTAG_LEN	32

/* One element as the handler sees it. */
struct scstu_element {
	enum scstu_elem_type type;
	uint16_t addr;
	bool full;
	char voltag[SCSTU_VOLTAG_LEN + 1];	/* barcode when full */
	uint16_t source;		/* last storage element; 0: none */
	bool source_valid;
	bool except;			/* abnormal state (e.g. drive gone) */
	uint8_t asc, ascq;		/* with except */
	/* IEE: the operator may take/put a cartridge (door open) */
	bool ie_accessible;
};

/*
 * A drive's identification for READ ELEMENT STATUS with DVCID: the
 * designator of the drive's VPD page 83h that identifies it, e.g. from
 * scstu_tape_devid() (code set 2 ASCII, type 1 T10 vendor ID based).
 */
struct scstu_changer_drive {
	uint8_t code_set;
	uint8_t id_type;
	uint8_t id_len;
	uint8_t id[64];
};

struct scstu_changer_config {
	const char *vendor;		/* default "SCSTU" */
	const char *product;		/* default "VTL CHANGER" */
	const char *revision;
	const char *serial;		/* default the device name */
	/* first address and count of each element type */
	uint16_t transport_addr;
	uint16_t storage_addr, nr_storage;
	uint16_t ie_addr, nr_ie;
	uint16_t drive_addr, nr_drives;
	/* drives[i]: the drive at drive_addr + i (NULL: no DVCID data) */
	const struct scstu_changer_drive *drives;
	const char *mode_file;		/* saved mode pages, NULL: not kept */
};

struct scstu_changer_ops {
	/*
	 * Carry out a validated move: src is full, dst empty, neither is
	 * prevented. For a drive source the handler takes the medium out
	 * of the drive (scstu_tape_eject() without force: -EBUSY while
	 * still loaded gives the sense of a real library); for a drive
	 * destination it puts it in (scstu_tape_load()). Return 0 (the
	 * class then updates both elements) or -errno: -EBUSY (drive still
	 * loaded), -EMEDIUMTYPE (incompatible medium), -EIO (hardware).
	 * EXCHANGE MEDIUM swaps through the transport element, so src or
	 * dst may be it (nothing to do there for a VTL). Called with the
	 * class lock held; must not call into the changer.
	 */
	int (*move)(struct scstu_dev *dev, const struct scstu_element *src,
		    const struct scstu_element *dst);
	/*
	 * Element state changed (a move, an exchange, an import/export):
	 * persist it. Called with the class lock held (it is recursive:
	 * scstu_changer_get/list may be used here), before the command
	 * completes.
	 */
	void (*changed)(struct scstu_dev *dev);
};

struct scstu_dev *scstu_changer_create(const struct scstu_dev_config *cfg,
				       const struct scstu_changer_config *cc,
				       const struct scstu_changer_ops *ops,
				       const struct scstu_ops *raw_ops);

/* Copy element addr into *e. -ENOENT if there is no such element. */
int scstu_changer_get(struct scstu_dev *dev, uint16_t addr,
		      struct scstu_element *e);
/*
 * Set an element's contents without a move, e.g. restoring saved state
 * at start-up or an inventory change (voltag NULL or "": empty).
 * Raises no unit attention. -ENOENT, -EINVAL.
 */
int scstu_changer_set(struct scstu_dev *dev, uint16_t addr, bool full,
		      const char *voltag, uint16_t source);

/*
 * The operator puts a cartridge into import/export element addr, or
 * takes the one there out. Initiators get 28/01 (IMPORT OR EXPORT
 * ELEMENT ACCESSED). -EBUSY if the element is full (import) or empty
 * (export), -EPERM while medium removal is prevented.
 */
int scstu_changer_import(struct scstu_dev *dev, uint16_t addr,
			 const char *voltag);
int scstu_changer_export(struct scstu_dev *dev, uint16_t addr,
			 char *voltag, size_t size);

/* Every element, in address order; returns the count (<= max). */
unsigned int scstu_changer_list(struct scstu_dev *dev,
				struct scstu_element *e, unsigned int max);

#ifdef __cplusplus
}
#endif

#endif /* SCSTUSER_CHANGER_H */
