/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstuadm - cross-section validation of a parsed configuration, and
 * checks against the running system (backends, drivers, attributes).
 */
#ifndef SCSTUADM_VALIDATE_H
#define SCSTUADM_VALIDATE_H

#include "model.h"
#include "util.h"

/*
 * Check want (parsed from a file) for references to undefined devices,
 * LUNs on disabled devices, an initiator in two groups of one target.
 * If running is not NULL (configfs was readable), also check that every
 * backend and driver exists and that attributes exist and are writable
 * where an existing object of the same backend/driver shows them.
 * Errors go to diag; returns TRUE when none were added.
 */
gboolean sa_validate(const struct sa_model *want,
		     const struct sa_model *running, struct sa_diag *diag);

#endif
