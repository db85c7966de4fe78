/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstuadm - the configuration model: devices, targets, LUNs, initiator
 * groups and sessions. The same structures hold a configuration parsed
 * from a file (the wanted state) and one read from configfs (the running
 * state); plan.c computes the difference between two of them.
 *
 * Attribute values are kept in canonical form: sizes in bytes, booleans
 * of known boolean attributes as "0"/"1".
 */
#ifndef SCSTUADM_MODEL_H
#define SCSTUADM_MODEL_H

#include <glib.h>

/* One configfs attribute (or config file key naming one). */
struct sa_attr {
	char *name;
	char *value;
	gboolean writable;	/* read-only attrs: running state only */
	int line;		/* config file line, 0 if none */
};

struct sa_lun {
	guint num;
	char *device;		/* NULL: LUN dir without a device link */
	char *device_backend;	/* running state: where the link points */
	char *link_name;	/* running state: name of the symlink */
	gboolean read_only;
	int line;
	int ro_line;
	char *stats;		/* running state, raw "key value" lines */
};

struct sa_group {
	char *name;
	char *target;
	GHashTable *initiators;	/* name -> GINT_TO_POINTER(line) */
	GHashTable *luns;	/* GUINT_TO_POINTER(num) -> struct sa_lun */
	int line;
	int initiators_line;
};

struct sa_session {
	char *initiator;
	GHashTable *attrs;	/* running state: name -> struct sa_attr */
	int line;
};

struct sa_target {
	char *name;
	char *driver;
	GHashTable *attrs;	/* driver attributes: name -> struct sa_attr */
	GHashTable *luns;	/* GUINT_TO_POINTER(num) -> struct sa_lun */
	GHashTable *groups;	/* name -> struct sa_group */
	GHashTable *sessions;	/* initiator -> struct sa_session */
	int line;
	int driver_line;
	int sessions_line;
};

struct sa_device {
	char *name;
	char *backend;
	gboolean enabled;
	GHashTable *attrs;	/* backend attributes: name -> struct sa_attr */
	int line;
	int backend_line;
	int enabled_line;
};

struct sa_model {
	GHashTable *devices;	/* name -> struct sa_device */
	GHashTable *targets;	/* name -> struct sa_target */
	/* running state only (NULL for a parsed file) */
	GPtrArray *backends;	/* names of devices/<backend> dirs, sorted */
	GPtrArray *drivers;	/* names of targets/<driver> dirs, sorted */
	char *version;
};

struct sa_model *sa_model_new(void);
void sa_model_free(struct sa_model *m);

struct sa_device *sa_device_new(const char *name, const char *backend);
struct sa_target *sa_target_new(const char *name, const char *driver);
struct sa_group *sa_group_new(const char *target, const char *name);
/* NULL-safe; for containers of groups not (yet) in a target */
void sa_group_free(gpointer g);
struct sa_lun *sa_lun_new(guint num, const char *device);
struct sa_session *sa_session_new(const char *initiator);
/* Adds or replaces; returns the attribute. */
struct sa_attr *sa_attr_set(GHashTable *attrs, const char *name,
			    const char *value, gboolean writable, int line);
GHashTable *sa_attrs_new(void);
GHashTable *sa_luns_new(void);

/* Sorted views (the arrays do not own the elements). */
GPtrArray *sa_sorted_keys(GHashTable *h);	/* char * keys */
GPtrArray *sa_sorted_values(GHashTable *h);	/* values, by string key */
GPtrArray *sa_sorted_luns(GHashTable *luns);	/* struct sa_lun * by num */
/*
 * struct sa_attr * sorted by name, or in apply order (block_size first,
 * then size, then the rest by name: a size may have to be a multiple of
 * the block size).
 */
GPtrArray *sa_sorted_attrs(GHashTable *attrs, gboolean writable_only,
			   gboolean apply_order);

/* Attribute value types known to scstuadm (others are plain strings). */
enum sa_attr_type {
	SA_ATTR_STRING,
	SA_ATTR_SIZE,
	SA_ATTR_UINT,
	SA_ATTR_BOOL,
};
enum sa_attr_type sa_attr_type(const char *name);
/* Attribute that can change only while the device is disabled. */
gboolean sa_attr_offline(const char *backend, const char *name);

/*
 * Structural equality of the writable configuration (what a config file
 * can express): names, backends, drivers, enabled, writable attributes,
 * LUNs, groups, sessions. Line numbers and running-only data are ignored.
 * If why is not NULL, it receives a description of the first difference.
 */
gboolean sa_model_equal(const struct sa_model *a, const struct sa_model *b,
			char **why);

#endif
