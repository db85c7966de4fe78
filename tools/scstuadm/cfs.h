/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstuadm - configfs access: read the running configuration into a model,
 * and the primitive operations (mkdir, rmdir, write, symlink, unlink) that
 * change it. Everything works on any directory tree with the same layout
 * (the unit tests use plain directories under /tmp).
 */
#ifndef SCSTUADM_CFS_H
#define SCSTUADM_CFS_H

#include "model.h"

#define SA_CONFIGFS_DEFAULT "/sys/kernel/config/scstu"
#define SA_LUN_LINK "device"

/* $SCSTU_CONFIGFS or the default. */
const char *sa_cfs_default_root(void);

/* TRUE if root is a directory with devices/ and targets/. */
gboolean sa_cfs_present(const char *root);

/*
 * Read the running configuration. Writable attributes become writable
 * sa_attrs, readable ones (type, stats, ...) read-only ones; "enable" is
 * the device's enabled flag. Returns NULL with *err set if root is
 * unusable.
 */
struct sa_model *sa_cfs_load(const char *root, GError **err);

/* Primitive operations on root/rel; return 0 or an errno value. */
int sa_cfs_mkdir(const char *root, const char *rel);
int sa_cfs_rmdir(const char *root, const char *rel);
int sa_cfs_write(const char *root, const char *rel, const char *value);
/* Creates root/link pointing to the absolute path root/target. */
int sa_cfs_symlink(const char *root, const char *link, const char *target);
int sa_cfs_unlink(const char *root, const char *rel);
/* Read a file; NULL with *errnum set on failure. Trailing space trimmed. */
char *sa_cfs_read(const char *root, const char *rel, int *errnum);

#endif
