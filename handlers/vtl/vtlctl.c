// SPDX-License-Identifier: GPL-2.0
/*
 * vtlctl: operate a scstu-vtl library (docs/vtl.md, "vtlctl").
 *
 *	vtlctl [-c FILE | -L NAME] [--json] COMMAND [ARGS]
 *
 * create works on the library's directory and needs no daemon; the other
 * commands ask the daemon through its control socket.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "vtl_config.h"
#include "vtl_ctl.h"
#include "vtl_info.h"
#include "vtl_lib.h"

#define TIMEOUT_MS	30000

static bool json_out;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vtlctl [-c FILE | -L NAME] [--json] COMMAND [ARGS]\n"
		"  -c, --config FILE   the library's configuration file\n"
		"  -L, --library NAME  %s/NAME.conf ($SCSTU_VTL_CONF_DIR)\n"
		"      --json          JSON instead of tables\n"
		"commands:\n"
		"  create BARCODE [TYPE] [--capacity SIZE]   a new cartridge (shelf)\n"
		"  list                           every cartridge and where it is\n"
		"  import BARCODE [MAILSLOT]      shelf -> mailslot\n"
		"  export [MAILSLOT|BARCODE]      mailslot(s) -> shelf\n"
		"  drives                         drive state and statistics\n"
		"  status                         the library\n",
		VTL_DEFAULT_CONF_DIR);
}

static int die(const char *msg)
{
	fprintf(stderr, "vtlctl: %s\n", msg);
	return 1;
}

/* The only *.conf of the configuration directory, or NULL. */
static char *default_config(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	char *found = NULL;
	int n = 0;

	while (d && (name = g_dir_read_name(d))) {
		if (!g_str_has_suffix(name, ".conf"))
			continue;
		if (!n++)
			found = g_build_filename(dir, name, NULL);
	}
	if (d)
		g_dir_close(d);
	if (n != 1) {
		g_free(found);
		return NULL;
	}
	return found;
}

static void print_json(JsonNode *n)
{
	JsonGenerator *g = json_generator_new();
	char *s;

	json_generator_set_pretty(g, TRUE);
	json_generator_set_root(g, n);
	s = json_generator_to_data(g, NULL);
	printf("%s\n", s);
	g_free(s);
	g_object_unref(g);
}

static int cmd_create(const struct vtl_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "capacity", required_argument, NULL, 'C' },
		{ 0 }
	};
	struct vtl_cart_info info = { 0 };
	struct scstu_tape_media media;
	uint64_t capacity = 0, used = 0;
	const char *type = NULL;
	char *msg = NULL;
	int c, ret;

	optind = 0;	/* glibc: start again at argv[1] */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'C' || !vtl_parse_size(optarg, &capacity) ||
		    capacity < (1ULL << 20))
			return die("create: --capacity SIZE (at least 1M; K, M, G, T)");
	}
	if (argc - optind < 1 || argc - optind > 2)
		return die("usage: create BARCODE [TYPE] [--capacity SIZE]");
	if (argc - optind == 2)
		type = argv[optind + 1];
	ret = vtl_lib_create_cart(cfg, argv[optind], type, capacity, &msg);
	if (ret) {
		die(msg);
		g_free(msg);
		return 1;
	}
	g_strlcpy(info.barcode, argv[optind], sizeof(info.barcode));
	if (!cart_stat(cfg->dir, info.barcode, &media, &used)) {
		vtl_media_type_name(&media, info.type, sizeof(info.type));
		info.capacity = media.capacity;
		info.used = used;
	}
	if (json_out) {
		JsonNode *n = vtl_json_cart(&info);

		print_json(n);
		json_node_unref(n);
	} else {
		char cap[32];

		vtl_fmt_bytes(info.capacity, cap, sizeof(cap));
		printf("created %s (%s, %s) in %s\n", info.barcode, info.type,
		       cap, cfg->dir);
	}
	return 0;
}

/* Send req, check the reply; *result is its "result" member. */
static int call(const struct vtl_config *cfg, JsonNode *req,
		JsonNode **result)
{
	char *line = vtl_json_line(req), *reply = NULL, *msg = NULL;
	JsonParser *p = json_parser_new();
	JsonObject *o;
	JsonNode *root;
	int ret = 1;

	*result = NULL;
	if (vtl_ctl_call(cfg->socket, line, TIMEOUT_MS, &reply, &msg)) {
		die(msg);
		goto out;
	}
	root = json_parser_load_from_data(p, reply, -1, NULL) ?
		json_parser_get_root(p) : NULL;
	if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
		die("the daemon's reply is not JSON");
		goto out;
	}
	o = json_node_get_object(root);
	if (!json_object_get_boolean_member_with_default(o, "ok", FALSE)) {
		die(json_object_get_string_member_with_default(o, "error",
			"the daemon's reply is not understood"));
		goto out;
	}
	*result = json_object_dup_member(o, "result");
	ret = *result ? 0 : die("the daemon's reply has no result");
out:
	g_object_unref(p);
	g_free(line);
	g_free(reply);
	g_free(msg);
	return ret;
}

static JsonNode *request(const char *cmd, const char *barcode, int mailslot)
{
	JsonObject *o = json_object_new();
	JsonNode *n = json_node_new(JSON_NODE_OBJECT);

	json_object_set_string_member(o, "cmd", cmd);
	if (barcode)
		json_object_set_string_member(o, "barcode", barcode);
	if (mailslot >= 0)
		json_object_set_int_member(o, "mailslot", mailslot);
	json_node_take_object(n, o);
	return n;
}

static bool parse_mailslot(const char *s, int *out)
{
	guint64 v;

	if (!g_ascii_string_to_unsigned(s, 10, 0, VTL_MAX_MAILSLOTS - 1, &v,
					NULL))
		return false;
	*out = v;
	return true;
}

/* import/export: what moved, one line each */
static void print_moved(JsonNode *res, const char *verb,
			const char *prep)
{
	JsonArray *a = json_node_get_array(res);

	for (unsigned int i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);
		gint64 slot = json_object_get_int_member_with_default(o,
			"index", -1);
		const char *bc = json_object_get_string_member_with_default(o,
			"barcode", "?");

		if (slot >= 0)
			printf("%s %s %s mailslot %" G_GINT64_FORMAT "\n",
			       verb, bc, prep, slot);
		else
			printf("%s %s\n", verb, bc);
	}
	if (a && !json_array_get_length(a))
		printf("nothing to %s\n", verb);
}

static int cmd_remote(const struct vtl_config *cfg, int argc, char **argv)
{
	const char *cmd = argv[0], *barcode = NULL;
	int mailslot = -1, ret;
	JsonNode *req, *res;
	GString *out;
	bool ok = true;

	if (!strcmp(cmd, "import")) {
		if (argc < 2 || argc > 3 ||
		    (argc == 3 && !parse_mailslot(argv[2], &mailslot)))
			return die("usage: import BARCODE [MAILSLOT]");
		barcode = argv[1];
	} else if (!strcmp(cmd, "export")) {
		if (argc > 2)
			return die("usage: export [MAILSLOT|BARCODE]");
		if (argc == 2 && !parse_mailslot(argv[1], &mailslot))
			barcode = argv[1];
	} else if (argc != 1) {
		fprintf(stderr, "vtlctl: %s takes no arguments\n", cmd);
		return 1;
	}
	req = request(cmd, barcode, mailslot);
	ret = call(cfg, req, &res);
	json_node_unref(req);
	if (ret)
		return ret;
	if (json_out) {
		print_json(res);
		json_node_unref(res);
		return 0;
	}
	out = g_string_new(NULL);
	if (!strcmp(cmd, "list"))
		ok = vtl_fmt_carts(res, out);
	else if (!strcmp(cmd, "drives"))
		ok = vtl_fmt_drives(res, out);
	else if (!strcmp(cmd, "status"))
		ok = vtl_fmt_lib(res, out);
	else if (!strcmp(cmd, "import"))
		print_moved(res, "imported", "into");
	else
		print_moved(res, "exported", "from");
	fputs(out->str, stdout);
	g_string_free(out, TRUE);
	json_node_unref(res);
	return ok ? 0 : die("the daemon's reply has an unexpected shape");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "library", required_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *confdir = getenv("SCSTU_VTL_CONF_DIR");
	char *file = NULL, *msg = NULL;
	struct vtl_config *cfg;
	int c, ret;

	if (!confdir || !*confdir)
		confdir = VTL_DEFAULT_CONF_DIR;
	/* "+": options end at the command (create has its own) */
	while ((c = getopt_long(argc, argv, "+c:L:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			g_free(file);
			file = g_strdup(optarg);
			break;
		case 'L':
			g_free(file);
			file = g_strdup_printf("%s/%s.conf", confdir, optarg);
			break;
		case 'j':
			json_out = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (!file)
		file = default_config(confdir);
	if (!file) {
		fprintf(stderr, "vtlctl: give -c FILE or -L NAME (%s does not hold exactly one .conf)\n",
			confdir);
		return 2;
	}
	if (vtl_config_load(file, &cfg, &msg)) {
		ret = die(msg);
		g_free(msg);
		g_free(file);
		return ret;
	}
	argc -= optind;
	argv += optind;
	if (!strcmp(argv[0], "create"))
		ret = cmd_create(cfg, argc, argv);
	else if (!strcmp(argv[0], "list") || !strcmp(argv[0], "drives") ||
		 !strcmp(argv[0], "status") || !strcmp(argv[0], "import") ||
		 !strcmp(argv[0], "export"))
		ret = cmd_remote(cfg, argc, argv);
	else {
		fprintf(stderr, "vtlctl: unknown command '%s'\n", argv[0]);
		usage(stderr);
		ret = 2;
	}
	vtl_config_free(cfg);
	g_free(file);
	return ret;
}
