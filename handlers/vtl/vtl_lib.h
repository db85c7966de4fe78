/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtual tape library: the composition of one changer (the SDK's SMC
 * class), its tape drives (the SSC class) and the cartridges of a
 * directory (cart.h), with the element state kept in the state file
 * (vtl_state.h). docs/vtl.md describes what it does at start, on a move,
 * on import/export and at shutdown.
 */
#ifndef SCSTU_VTL_LIB_H
#define SCSTU_VTL_LIB_H

#include <stdbool.h>
#include <stdint.h>

#include <scstuser.h>

#include "vtl_config.h"
#include "vtl_ctl.h"

struct vtl_lib;

struct vtl_lib_opts {
	/* run the devices on this harness instead of the kernel (tests) */
	struct scstu_harness *harness;
	/*
	 * A corrupt state file is renamed to vtl.state.bad and the state
	 * rebuilt from the cartridges in the directory; without this it is
	 * an error.
	 */
	bool rebuild;
};

/*
 * Make the directory and the missing cartridges of [cartridges] create,
 * restore the element state (or place the cartridges into slots), create
 * the drives and the changer, put restored cartridges back into their
 * drives. cfg must outlive the library. NULL with *msg on error; nothing
 * is left running then.
 */
struct vtl_lib *vtl_lib_open(const struct vtl_config *cfg,
			     const struct vtl_lib_opts *o, char **msg);
/* Serve every device on a thread of its own (scstu_dev_run). */
int vtl_lib_start(struct vtl_lib *l, char **msg);
/* Stop serving (returns when the device threads have ended). */
void vtl_lib_stop(struct vtl_lib *l);
/*
 * Sync and close every cartridge (they stay in their drives in the
 * state), save the state, destroy the devices.
 */
void vtl_lib_close(struct vtl_lib *l);

struct scstu_dev *vtl_lib_changer(struct vtl_lib *l);
struct scstu_dev *vtl_lib_drive(struct vtl_lib *l, unsigned int i);

/* The control requests (ctx: the struct vtl_lib). */
extern const struct vtl_ctl_ops vtl_lib_ctl_ops;

/*
 * Create cartridge barcode in cfg's directory (vtlctl create; needs no
 * running daemon: it lands on the shelf). type NULL: from the barcode;
 * capacity 0: the type's native capacity. 0 or -errno with *msg.
 */
int vtl_lib_create_cart(const struct vtl_config *cfg, const char *barcode,
			const char *type, uint64_t capacity, char **msg);

#endif /* SCSTU_VTL_LIB_H */
