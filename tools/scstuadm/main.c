// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm - scstu administration: apply a declarative config file to the
 * running configuration (configfs) idempotently, dump it, show it.
 */
#include <stdlib.h>
#include <string.h>

#include "cfs.h"
#include "conf.h"
#include "dump.h"
#include "plan.h"
#include "tree.h"
#include "util.h"
#include "validate.h"

#define EXIT_USAGE 2

static const char usage_text[] =
	"usage: scstuadm [--root DIR] COMMAND [ARGS]\n"
	"\n"
	"  apply FILE [--dry-run] [-v]  make the running configuration equal to FILE\n"
	"                               (--dry-run: print the operations only)\n"
	"  check FILE                   validate FILE, change nothing\n"
	"  dump                         print the running configuration as a file\n"
	"  tree [--json]                show devices, targets, LUNs, groups, sessions\n"
	"                               and statistics\n"
	"  clear [--dry-run] [-v]       remove everything (sessions, LUNs, groups,\n"
	"                               targets, devices)\n"
	"  help                         this text\n"
	"\n"
	"The configfs root is /sys/kernel/config/scstu; the environment variable\n"
	"SCSTU_CONFIGFS or --root DIR overrides it. Exit status: 0 ok, 1 error,\n"
	"2 usage. See docs/configuration.md.\n";

static int usage(const char *fmt, const char *arg)
{
	fputs("scstuadm: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nusage: scstuadm [--root DIR] apply|check|dump|tree|clear|help [ARGS] (see scstuadm help)\n",
	      stderr);
	return EXIT_USAGE;
}

struct opts {
	const char *root;
	const char *file;
	gboolean dry_run;
	gboolean verbose;
	gboolean json;
};

static struct sa_model *load_running(const char *root)
{
	GError *err = NULL;
	struct sa_model *m = sa_cfs_load(root, &err);

	if (!m) {
		sa_msg("%s", err->message);
		g_error_free(err);
	}
	return m;
}

/* Parse and validate a file; NULL after printing the errors. */
static struct sa_model *load_file(const char *file,
				  const struct sa_model *running)
{
	struct sa_diag *diag = sa_diag_new(file);
	struct sa_model *want = sa_conf_load(file, diag);

	/* cross-checks find more errors even after per-section ones */
	if (want)
		sa_validate(want, running, diag);
	if (sa_diag_count(diag)) {
		sa_diag_print(diag, stderr);
		sa_msg("%s: %u error%s, nothing changed", file,
		       sa_diag_count(diag), sa_diag_count(diag) == 1 ? "" : "s");
		sa_model_free(want);
		want = NULL;
	}
	sa_diag_free(diag);
	return want;
}

/* Bring the running configuration to want (file: for messages). */
static int converge(const struct opts *o, const struct sa_model *want,
		    struct sa_model *have, const char *file)
{
	struct sa_plan *plan = sa_plan_compute(want, have);
	guint n = plan->ops->len;
	int rc = 0;

	if (o->dry_run) {
		sa_plan_print(plan, stdout);
		goto out;
	}
	if (!sa_plan_execute(plan, o->root, file,
			     o->verbose ? stdout : NULL)) {
		rc = 1;
		goto out;
	}
	if (n) {
		/* read back: the kernel may have normalised a value */
		struct sa_model *now = load_running(o->root);
		struct sa_plan *left;

		if (!now) {
			rc = 1;
			goto out;
		}
		left = sa_plan_compute(want, now);
		if (left->ops->len) {
			sa_msg("warning: %u difference%s remain after apply (values the kernel changed?):",
			       left->ops->len,
			       left->ops->len == 1 ? "" : "s");
			sa_plan_print(left, stderr);
		}
		sa_plan_free(left);
		sa_model_free(now);
	}
	if (o->verbose)
		sa_msg("%u operation%s done", n, n == 1 ? "" : "s");
out:
	sa_plan_free(plan);
	return rc;
}

static int cmd_apply(const struct opts *o)
{
	struct sa_model *have, *want;
	int rc;

	have = load_running(o->root);
	if (!have) {
		/* still report file errors first: they are more useful */
		want = load_file(o->file, NULL);
		sa_model_free(want);
		return 1;
	}
	want = load_file(o->file, have);
	if (!want) {
		sa_model_free(have);
		return 1;
	}
	rc = converge(o, want, have, o->file);
	sa_model_free(want);
	sa_model_free(have);
	return rc;
}

static int cmd_check(const struct opts *o)
{
	struct sa_model *have = NULL, *want;

	if (sa_cfs_present(o->root))
		have = load_running(o->root);
	want = load_file(o->file, have);
	sa_model_free(have);
	if (!want)
		return 1;
	sa_model_free(want);
	return 0;
}

static int cmd_clear(const struct opts *o)
{
	struct sa_model *have = load_running(o->root);
	struct sa_model *none;
	int rc;

	if (!have)
		return 1;
	none = sa_model_new();
	rc = converge(o, none, have, NULL);
	sa_model_free(none);
	sa_model_free(have);
	return rc;
}

static int cmd_dump(const struct opts *o)
{
	struct sa_model *have = load_running(o->root);
	char *text;

	if (!have)
		return 1;
	text = sa_dump(have);
	fputs(text, stdout);
	g_free(text);
	sa_model_free(have);
	return 0;
}

static int cmd_tree(const struct opts *o)
{
	struct sa_model *have = load_running(o->root);
	char *text;

	if (!have)
		return 1;
	text = o->json ? sa_tree_json(have, o->root)
		       : sa_tree_text(have, o->root);
	fputs(text, stdout);
	g_free(text);
	sa_model_free(have);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .root = sa_cfs_default_root() };
	const char *cmd = NULL;
	GPtrArray *args = g_ptr_array_new();
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--root") == 0) {
			if (++i >= argc) {
				rc = usage("--root needs a directory", NULL);
				goto out;
			}
			o.root = argv[i];
		} else if (strncmp(a, "--root=", 7) == 0) {
			o.root = a + 7;
		} else if (strcmp(a, "--dry-run") == 0 ||
			   strcmp(a, "-n") == 0) {
			o.dry_run = TRUE;
		} else if (strcmp(a, "--verbose") == 0 ||
			   strcmp(a, "-v") == 0) {
			o.verbose = TRUE;
		} else if (strcmp(a, "--json") == 0) {
			o.json = TRUE;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage_text, stdout);
			rc = 0;
			goto out;
		} else if (a[0] == '-' && a[1]) {
			rc = usage("unknown option '%s'", a);
			goto out;
		} else if (!cmd) {
			cmd = a;
		} else {
			g_ptr_array_add(args, (gpointer)a);
		}
	}
	if (!cmd) {
		rc = usage("no command given", NULL);
		goto out;
	}
	if (strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		rc = 0;
		goto out;
	}
	if (strcmp(cmd, "apply") == 0 || strcmp(cmd, "check") == 0) {
		if (args->len != 1) {
			rc = usage("%s needs exactly one FILE", cmd);
			goto out;
		}
		o.file = args->pdata[0];
	} else if (args->len) {
		rc = usage("unexpected argument '%s'", args->pdata[0]);
		goto out;
	}
	if ((o.dry_run || o.verbose) && strcmp(cmd, "apply") &&
	    strcmp(cmd, "clear")) {
		rc = usage("--dry-run and -v are for apply and clear", NULL);
		goto out;
	}
	if (o.json && strcmp(cmd, "tree")) {
		rc = usage("--json is for tree", NULL);
		goto out;
	}

	if (strcmp(cmd, "apply") == 0)
		rc = cmd_apply(&o);
	else if (strcmp(cmd, "check") == 0)
		rc = cmd_check(&o);
	else if (strcmp(cmd, "clear") == 0)
		rc = cmd_clear(&o);
	else if (strcmp(cmd, "dump") == 0)
		rc = cmd_dump(&o);
	else if (strcmp(cmd, "tree") == 0)
		rc = cmd_tree(&o);
	else
		rc = usage("unknown command '%s'", cmd);
out:
	g_ptr_array_unref(args);
	return rc;
}
