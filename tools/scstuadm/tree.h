/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstuadm - show the running configuration as a tree (devices, targets,
 * LUNs, groups, sessions, statistics), for people or as JSON.
 */
#ifndef SCSTUADM_TREE_H
#define SCSTUADM_TREE_H

#include "model.h"

/* m as read by sa_cfs_load() (with read-only attributes). */
char *sa_tree_text(const struct sa_model *m, const char *root);
char *sa_tree_json(const struct sa_model *m, const char *root);

#endif
