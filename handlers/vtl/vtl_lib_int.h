/* SPDX-License-Identifier: GPL-2.0 */
/* Inside a struct vtl_lib: shared by vtl_lib.c and vtl_ops.c only. */
#ifndef SCSTU_VTL_LIB_INT_H
#define SCSTU_VTL_LIB_INT_H

#include <pthread.h>

#include <glib.h>
#include <scstuser_changer.h>
#include <scstuser_tape.h>

#include "cart.h"
#include "vtl_lib.h"

/* The library's own copy of the element contents (see vtl_ops.c). */
struct vtl_elem {
	uint16_t addr;
	enum scstu_elem_type type;
	unsigned int index;		/* within its type */
	bool full;
	uint16_t source;
	char barcode[33];
};

struct vtl_drive {
	struct scstu_dev *dev;
	struct cart *cart;		/* open while in the drive */
	char name[64];
	pthread_t thread;
	bool running;
};

struct vtl_lib {
	const struct vtl_config *cfg;
	char *state_path;
	int lock_fd;			/* flock of dir/vtl.lock */
	char changer_name[64];
	struct scstu_dev *changer;
	pthread_t changer_thread;
	bool changer_running;
	struct vtl_drive drives[VTL_MAX_DRIVES];
	struct scstu_changer_drive dvcid[VTL_MAX_DRIVES];
	/*
	 * Protects elems and the drives' carts. Taken inside the changer
	 * class's lock (->move, ->changed), so never held while calling
	 * scstu_changer_*().
	 */
	GMutex lock;
	struct vtl_elem *elems;		/* picker, mailslots, drives, slots */
	unsigned int nr_elems;
};

/* The element at addr, or NULL. */
struct vtl_elem *vtl_elem_at(struct vtl_lib *l, uint16_t addr);
/* The element holding barcode, or NULL. */
struct vtl_elem *vtl_elem_find(struct vtl_lib *l, const char *barcode);
/* Write the state file from elems (lock held). 0 or -errno, logged. */
int vtl_lib_save(struct vtl_lib *l);

/* ->move and ->changed of the changer (vtl_ops.c) */
int vtl_lib_move(struct scstu_dev *dev, const struct scstu_element *src,
		 const struct scstu_element *dst);
void vtl_lib_changed(struct scstu_dev *dev);

#endif /* SCSTU_VTL_LIB_INT_H */
