/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstuadm - config file parser (GLib key file plus a line index, so that
 * every error names the line it is about).
 */
#ifndef SCSTUADM_CONF_H
#define SCSTUADM_CONF_H

#include "model.h"
#include "util.h"

/*
 * Parse config text. Syntax and per-section errors are added to diag
 * (line numbers refer to text). Returns NULL if the text is not a key
 * file at all (syntax errors: sections cannot be trusted), otherwise the
 * model built from what could be parsed; it is only meaningful if diag
 * stayed empty, but can still be given to sa_validate() to find more
 * errors. Cross-section checks are in validate.c.
 */
struct sa_model *sa_conf_parse(const char *text, gsize len,
			       struct sa_diag *diag);
/* Read and parse a file; a read error is added to diag (line 0). */
struct sa_model *sa_conf_load(const char *path, struct sa_diag *diag);

#endif
