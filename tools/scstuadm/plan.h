/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstuadm - the difference between a wanted and a running configuration
 * as a list of primitive configfs operations, and its execution with an
 * undo journal: if one operation fails, every operation already done is
 * undone in reverse order, so nothing is half-applied.
 */
#ifndef SCSTUADM_PLAN_H
#define SCSTUADM_PLAN_H

#include <stdio.h>

#include "model.h"

enum sa_op_kind {
	SA_OP_MKDIR,
	SA_OP_RMDIR,
	SA_OP_WRITE,
	SA_OP_SYMLINK,
	SA_OP_UNLINK,
};

struct sa_op {
	enum sa_op_kind kind;
	char *path;		/* relative to the configfs root */
	char *value;		/* WRITE: new value; SYMLINK: target path */
	/*
	 * Undo data. WRITE: the value to write back (NULL: nothing to undo,
	 * the directory is new and its rmdir undoes it). UNLINK: the link
	 * target to re-create.
	 */
	char *old;
	gboolean fresh;		/* WRITE: old is the default of a new dir */
	/* RMDIR: attributes to write after re-creating: name, value, ... */
	GPtrArray *restore;
	int line;		/* config file line that caused it, or 0 */
};

struct sa_plan {
	GPtrArray *ops;		/* struct sa_op * */
};

/*
 * Operations that turn have (running) into want, in a safe order:
 * sessions, LUN links, LUN dirs, groups, targets, device disable, device
 * dirs are removed first; then devices, targets, LUNs, groups and
 * sessions are created or changed. want must be valid (sa_validate).
 */
struct sa_plan *sa_plan_compute(const struct sa_model *want,
				const struct sa_model *have);
void sa_plan_free(struct sa_plan *p);

/* "mkdir devices/ramdisk/rd0", "write .../size = 1024 (was 512)", ... */
char *sa_op_describe(const struct sa_op *op);
void sa_plan_print(const struct sa_plan *p, FILE *f);

/*
 * Run the plan against root. log (may be NULL) gets each operation as it
 * is done. On failure, reports the failed operation ("FILE:LINE: ...:
 * errno text") on stderr, undoes what was done and returns FALSE.
 */
gboolean sa_plan_execute(const struct sa_plan *p, const char *root,
			 const char *file, FILE *log);

#endif
