/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser private: the medium changer (SMC-3) class of
 * scstuser_changer.h.
 *   smc.c        creation, execute (class lock), nexus events, PREVENT
 *                ALLOW MEDIUM REMOVAL, TEST UNIT READY, element lookup
 *   smc_api.c    the public element functions (get, set, list, import,
 *                export)
 *   smc_table.c  the command table
 *   smc_elem.c   READ ELEMENT STATUS
 *   smc_move.c   MOVE MEDIUM, EXCHANGE MEDIUM, POSITION TO ELEMENT,
 *                INITIALIZE ELEMENT STATUS (WITH RANGE)
 *   smc_pages.c  mode pages 0Ah, 1Dh, 1Eh, 1Fh
 *
 * Locking: smc_dev.lock (recursive) is held from smc_execute() to the
 * completion of every command (all are synchronous), by the public
 * functions, and around ->move and ->changed. ->changed may therefore
 * read the elements back (scstu_changer_get/list); ->move must not call
 * into the changer. Lock order: changer, then whatever ->move takes
 * (a tape drive's lock).
 */
#ifndef SCSTU_SMC_H
#define SCSTU_SMC_H

#include "scstuser_changer.h"
#include "spc.h"

#define SMC_NR_TYPES	4

/* One element: what the handler sees, plus class state. */
struct smc_elem {
	struct scstu_element e;
	/* IEE: the medium was put there by the operator (ImpExp) */
	bool impexp;
};

/* A contiguous address range of one element type. */
struct smc_range {
	enum scstu_elem_type type;
	uint16_t first;
	uint16_t count;
	unsigned int index;		/* of its first element in elems[] */
};

struct smc_dev {
	struct spc_dev spc;		/* first: spc_of() */
	struct scstu_changer_ops ops;
	void (*raw_reset)(struct scstu_dev *dev, enum scstu_reset kind,
			  uint64_t session, uint64_t lun);
	pthread_mutex_t lock;		/* recursive */

	/* ranges sorted by first address; elems in address order */
	struct smc_range ranges[SMC_NR_TYPES];
	unsigned int nr_ranges;
	struct smc_elem *elems;
	unsigned int nr_elems;

	/* DVCID: per drive identifiers, NULL if none were configured */
	struct scstu_changer_drive *drives;
	uint8_t dvcid_len;		/* longest identifier (padded to) */

	/* I_T nexuses that prevent medium removal */
	uint64_t *prevent;
	unsigned int nr_prevent;
};

static inline struct smc_dev *smc_of(const struct scstu_dev *dev)
{
	return dev->class_priv;
}

extern const struct spc_cmd_table smc_cmd_table;

/* smc.c */
/* Element at addr, or NULL. */
struct smc_elem *smc_find(struct smc_dev *sd, uint16_t addr);
/* Range of a type, or NULL if the library has none of it. */
const struct smc_range *smc_range_of(struct smc_dev *sd,
				     enum scstu_elem_type type);
bool smc_prevented(struct smc_dev *sd);
/* ->changed, with the lock held. */
void smc_changed(struct scstu_dev *dev);
void smc_tur(struct scstu_req *req);
void smc_prevent_allow(struct scstu_req *req);
/* 21/01 INVALID ELEMENT ADDRESS pointing at CDB byte (field). */
void smc_bad_addr(struct scstu_req *req, unsigned int byte);

/* smc_elem.c */
void smc_read_element_status(struct scstu_req *req);

/* smc_move.c */
void smc_move_medium(struct scstu_req *req);
void smc_exchange_medium(struct scstu_req *req);
void smc_position(struct scstu_req *req);
void smc_init_status(struct scstu_req *req);
void smc_init_status_range(struct scstu_req *req);
/* Carry out one validated move (->move, then both elements). 0/-errno */
int smc_do_move(struct scstu_dev *dev, struct smc_elem *src,
		struct smc_elem *dst);
/* Sense for an error of ->move from an element of type src_type. */
void smc_move_error(struct scstu_req *req, int err,
		    enum scstu_elem_type src_type);

/* smc_pages.c */
int smc_pages_init(struct scstu_dev *dev);

#endif /* SCSTU_SMC_H */
