// SPDX-License-Identifier: GPL-2.0
/*
 * scstu-vtl: one virtual tape library (a changer and its tape drives)
 * served to the scstu target, configured by one file (docs/vtl.md).
 *
 *	scstu-vtl -c FILE [--rebuild-state] [--check]
 *
 * Each device runs on its own thread; the main thread runs a GLib main
 * loop with the control socket (vtlctl) and SIGINT/SIGTERM, which stop
 * the library cleanly: cartridges synced and closed, state saved.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <scstuser_harness.h>

#include "cart.h"
#include "vtl_config.h"
#include "vtl_ctl.h"
#include "vtl_lib.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: scstu-vtl -c FILE [options]\n"
		"  -c, --config FILE     the library's configuration (docs/vtl.md)\n"
		"      --rebuild-state   a corrupt state file is set aside and the\n"
		"                        state rebuilt from the cartridges found\n"
		"      --check           check the configuration and exit\n"
		"      --no-kernel       serve the devices on the in-process harness\n"
		"                        (no initiator sees them: tests of the\n"
		"                        control socket and vtlctl without a kernel)\n"
		"  -v, --verbose         log more (SCSTU_LOG=debug logs every command)\n"
		"  -h, --help\n");
}

static gboolean on_signal(gpointer loop)
{
	g_main_loop_quit(loop);
	return G_SOURCE_CONTINUE;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "rebuild-state", no_argument, NULL, 'r' },
		{ "check", no_argument, NULL, 'k' },
		{ "no-kernel", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct vtl_lib_opts lo = { 0 };
	const char *file = NULL;
	struct vtl_ctl_server *srv = NULL;
	struct vtl_config *cfg;
	struct vtl_lib *lib;
	bool check = false, no_kernel = false;
	GMainLoop *loop;
	char *msg = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "c:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			file = optarg;
			break;
		case 'r':
			lo.rebuild = true;
			break;
		case 'k':
			check = true;
			break;
		case 'n':
			no_kernel = true;
			break;
		case 'v':
			if (scstu_log_get_level() < SCSTU_LOG_INFO)
				scstu_log_set_level(SCSTU_LOG_INFO);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!file || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (vtl_config_load(file, &cfg, &msg)) {
		fprintf(stderr, "scstu-vtl: %s\n", msg);
		g_free(msg);
		return 2;
	}
	if (check) {
		printf("%s: library %s, %u drives, %u slots, %u mailslots, %u cartridges to create\n",
		       file, cfg->name, cfg->nr_drives, cfg->slots,
		       cfg->mailslots, cfg->nr_create);
		vtl_config_free(cfg);
		return 0;
	}
	if (no_kernel)
		lo.harness = scstu_harness_new();
	lib = vtl_lib_open(cfg, &lo, &msg);
	if (!lib)
		goto fail;
	srv = vtl_ctl_server_new(cfg->socket, &vtl_lib_ctl_ops, lib, &msg);
	if (!srv || (!lo.harness && vtl_lib_start(lib, &msg)))
		goto fail;
	loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGINT, on_signal, loop);
	g_unix_signal_add(SIGTERM, on_signal, loop);
	scstu_log(SCSTU_LOG_INFO,
		  "%s: serving (control socket %s; CRC32C: %s)", cfg->name,
		  cfg->socket, cart_crc32c_routine());
	g_main_loop_run(loop);
	scstu_log(SCSTU_LOG_INFO, "%s: stopping", cfg->name);
	vtl_ctl_server_free(srv);
	vtl_lib_close(lib);
	g_main_loop_unref(loop);
	vtl_config_free(cfg);
	if (lo.harness)
		scstu_harness_free(lo.harness);
	return 0;
fail:
	fprintf(stderr, "scstu-vtl: %s\n", msg);
	g_free(msg);
	vtl_ctl_server_free(srv);
	vtl_lib_close(lib);
	if (lo.harness)
		scstu_harness_free(lo.harness);
	vtl_config_free(cfg);
	return 1;
}
