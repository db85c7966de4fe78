/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests for scstuadm: shared helpers (fake configfs trees under /tmp,
 * parsing from strings) and the suites.
 */
#ifndef SCSTUADM_TEST_H
#define SCSTUADM_TEST_H

#include <check.h>
#include <glib.h>

#include "model.h"
#include "util.h"

Suite *sa_util_suite(void);
Suite *sa_conf_suite(void);
Suite *sa_plan_suite(void);
Suite *sa_dump_suite(void);
Suite *sa_json_suite(void);

/*
 * Parse and validate text like scstuadm does; returns the model (NULL after
 * syntax errors), *diag gets the errors.
 */
struct sa_model *t_parse(const char *text, const struct sa_model *running,
			 struct sa_diag **diag);
/* Assert that diag holds exactly the given "LINE: message" prefixes. */
void t_expect_diag(struct sa_diag *d, const char *const *expected);

/*
 * A fake configfs tree: a plain directory under /tmp with the scstu
 * layout (backends nullio and ramdisk, driver local).
 */
char *t_fake_root(void);
void t_fake_device(const char *root, const char *backend, const char *name,
		   gboolean enabled, const char *size, const char *bs);
void t_fake_target(const char *root, const char *driver, const char *name);
/* base: "targets/local/t0" or ".../ini_groups/g" */
void t_fake_lun(const char *root, const char *base, unsigned int num,
		const char *backend, const char *dev, gboolean ro);
void t_fake_group(const char *root, const char *tgt_base, const char *name,
		  const char *const *initiators);
/* with_files: add luns/host/stats files (a real session has them) */
void t_fake_session(const char *root, const char *tgt_base, const char *ini,
		    gboolean with_files);
void t_write(const char *root, const char *rel, const char *value,
	     int mode);
/* Everything under root: paths, modes, file contents, link targets. */
char *t_listing(const char *root);
void t_rm_tree(char *root);	/* also frees root */
struct sa_model *t_load(const char *root);
/* Redirect stderr to a temporary file; _end returns what was written. */
void t_stderr_begin(void);
char *t_stderr_end(void);

#endif
