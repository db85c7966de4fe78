/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstuadm - write a model in the config file format, deterministically
 * (devices and targets by name, LUNs by number, attributes by name).
 */
#ifndef SCSTUADM_DUMP_H
#define SCSTUADM_DUMP_H

#include "model.h"

/* Returns the text (g_free it). Only writable attributes are written. */
char *sa_dump(const struct sa_model *m);

#endif
