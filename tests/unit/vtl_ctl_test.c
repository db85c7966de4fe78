// SPDX-License-Identifier: GPL-2.0
/*
 * scstu-vtl control protocol: requests and replies (vtl_ctl_dispatch
 * against a table of canned answers: the protocol is what is tested),
 * the socket server and client, and vtlctl's tables (vtl_fmt).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <check.h>
#include <glib.h>

#include "unit_registry.h"
#include "vtl_ctl.h"

/* what the last import/export request asked for */
static struct {
	char barcode[40];
	int mailslot;
	int calls;
	int fail;		/* -errno to return */
} last;

static void cart(GArray *a, const char *bc, enum vtl_where w,
		 unsigned int index, uint16_t addr, uint64_t used)
{
	struct vtl_cart_info c = { 0 };

	g_strlcpy(c.barcode, bc, sizeof(c.barcode));
	g_strlcpy(c.type, "LTO8", sizeof(c.type));
	c.where = w;
	c.index = index;
	c.addr = addr;
	c.capacity = 12000000000000ULL;
	c.used = used;
	g_array_append_val(a, c);
}

static int t_list(void *ctx, GArray *carts, char **msg)
{
	(void)ctx;
	(void)msg;
	cart(carts, "E01000L8", VTL_WHERE_SLOT, 0, 0x1000, 0);
	cart(carts, "E01001L8", VTL_WHERE_DRIVE, 1, 0x0101, 1500000000);
	cart(carts, "X1", VTL_WHERE_SHELF, 0, 0, 999);
	g_strlcpy(g_array_index(carts, struct vtl_cart_info, 2).error,
		  "X1: corrupt", 160);
	return 0;
}

static int t_drives(void *ctx, GArray *drives, char **msg)
{
	struct vtl_drive_info d = { 0 };

	(void)ctx;
	(void)msg;
	d.index = 0;
	d.addr = 0x100;
	g_strlcpy(d.name, "lib0-d0", sizeof(d.name));
	g_strlcpy(d.personality, "ibm-lto8", sizeof(d.personality));
	g_strlcpy(d.serial, "S0", sizeof(d.serial));
	g_strlcpy(d.barcode, "E01001L8", sizeof(d.barcode));
	d.st.state = SCSTU_TAPE_LOADED;
	d.st.position = 1234;
	d.st.file = 2;
	d.st.bytes_written = 2500000;
	d.st.loads = 3;
	g_array_append_val(drives, d);
	memset(&d, 0, sizeof(d));
	d.index = 1;
	d.addr = 0x101;
	g_strlcpy(d.name, "lib0-d1", sizeof(d.name));
	g_strlcpy(d.personality, "hp-lto9", sizeof(d.personality));
	g_strlcpy(d.serial, "S1", sizeof(d.serial));
	g_array_append_val(drives, d);
	return 0;
}

static int t_status(void *ctx, struct vtl_lib_info *l, char **msg)
{
	(void)ctx;
	(void)msg;
	l->name = "lib0";
	l->dir = "/d";
	l->socket = "/s";
	l->changer = "lib0-ch";
	l->compression = "lz4";
	l->slots = 20;
	l->slots_full = 3;
	l->mailslots = 4;
	l->drives = 2;
	l->drives_full = 1;
	l->shelf = 1;
	return 0;
}

static int t_move(const char *bc, int mailslot, GArray *carts, char **msg)
{
	last.calls++;
	g_strlcpy(last.barcode, bc ? bc : "(null)", sizeof(last.barcode));
	last.mailslot = mailslot;
	if (last.fail) {
		*msg = g_strdup("mailslot 0 is full");
		return last.fail;
	}
	cart(carts, bc ? bc : "A1", VTL_WHERE_MAILSLOT,
	     mailslot < 0 ? 0 : mailslot, 0x10, 0);
	return 0;
}

static int t_import(void *ctx, const char *bc, int mailslot, GArray *c,
		    char **msg)
{
	(void)ctx;
	return t_move(bc, mailslot, c, msg);
}

static int t_export(void *ctx, const char *bc, int mailslot, GArray *c,
		    char **msg)
{
	(void)ctx;
	return t_move(bc, mailslot, c, msg);
}

static const struct vtl_ctl_ops ops = {
	.list = t_list, .drives = t_drives, .status = t_status,
	.import = t_import, .export = t_export,
};

static void reset(void)
{
	memset(&last, 0, sizeof(last));
}

#define REPLY(req, want) do {						\
	char *r_ = vtl_ctl_dispatch(&ops, NULL, req);			\
	ck_assert_str_eq(r_, want);					\
	g_free(r_);							\
} while (0)

START_TEST(list_drives_status)
{
	REPLY("{\"cmd\":\"list\"}",
	      "{\"ok\":true,\"result\":["
	      "{\"barcode\":\"E01000L8\",\"type\":\"LTO8\",\"location\":\"slot\",\"index\":0,\"address\":4096,\"capacity\":12000000000000,\"used\":0},"
	      "{\"barcode\":\"E01001L8\",\"type\":\"LTO8\",\"location\":\"drive\",\"index\":1,\"address\":257,\"capacity\":12000000000000,\"used\":1500000000},"
	      "{\"barcode\":\"X1\",\"type\":\"LTO8\",\"location\":\"shelf\",\"capacity\":12000000000000,\"used\":999,\"error\":\"X1: corrupt\"}]}");
	REPLY("{\"cmd\":\"status\"}",
	      "{\"ok\":true,\"result\":{\"name\":\"lib0\",\"dir\":\"/d\",\"socket\":\"/s\",\"changer\":\"lib0-ch\",\"compression\":\"lz4\",\"slots\":20,\"slots_full\":3,\"mailslots\":4,\"mailslots_full\":0,\"drives\":2,\"drives_full\":1,\"shelf\":1}}");
	REPLY("  { \"cmd\" : \"drives\" }  ",
	      "{\"ok\":true,\"result\":["
	      "{\"index\":0,\"address\":256,\"name\":\"lib0-d0\",\"personality\":\"ibm-lto8\",\"serial\":\"S0\",\"state\":\"loaded\",\"cartridge\":\"E01001L8\",\"prevent\":false,\"encrypting\":false,\"partition\":0,\"position\":1234,\"file\":2,\"bytes_written\":2500000,\"bytes_read\":0,\"bytes_stored\":0,\"bytes_retrieved\":0,\"blocks_written\":0,\"blocks_read\":0,\"filemarks_written\":0,\"loads\":3},"
	      "{\"index\":1,\"address\":257,\"name\":\"lib0-d1\",\"personality\":\"hp-lto9\",\"serial\":\"S1\",\"state\":\"empty\",\"cartridge\":null,\"prevent\":false,\"encrypting\":false,\"partition\":0,\"position\":0,\"file\":0,\"bytes_written\":0,\"bytes_read\":0,\"bytes_stored\":0,\"bytes_retrieved\":0,\"blocks_written\":0,\"blocks_read\":0,\"filemarks_written\":0,\"loads\":0}]}");
}
END_TEST

START_TEST(import_export)
{
	reset();
	REPLY("{\"cmd\":\"import\",\"barcode\":\"N1\",\"mailslot\":2}",
	      "{\"ok\":true,\"result\":[{\"barcode\":\"N1\",\"type\":\"LTO8\",\"location\":\"mailslot\",\"index\":2,\"address\":16,\"capacity\":12000000000000,\"used\":0}]}");
	ck_assert_str_eq(last.barcode, "N1");
	ck_assert_int_eq(last.mailslot, 2);
	REPLY("{\"cmd\":\"import\",\"barcode\":\"N2\"}",
	      "{\"ok\":true,\"result\":[{\"barcode\":\"N2\",\"type\":\"LTO8\",\"location\":\"mailslot\",\"index\":0,\"address\":16,\"capacity\":12000000000000,\"used\":0}]}");
	ck_assert_int_eq(last.mailslot, -1);
	reset();
	REPLY("{\"cmd\":\"export\"}",
	      "{\"ok\":true,\"result\":[{\"barcode\":\"A1\",\"type\":\"LTO8\",\"location\":\"mailslot\",\"index\":0,\"address\":16,\"capacity\":12000000000000,\"used\":0}]}");
	ck_assert_str_eq(last.barcode, "(null)");
	ck_assert_int_eq(last.mailslot, -1);
	REPLY("{\"cmd\":\"export\",\"mailslot\":3}",
	      "{\"ok\":true,\"result\":[{\"barcode\":\"A1\",\"type\":\"LTO8\",\"location\":\"mailslot\",\"index\":3,\"address\":16,\"capacity\":12000000000000,\"used\":0}]}");
	ck_assert_int_eq(last.mailslot, 3);
	REPLY("{\"cmd\":\"export\",\"barcode\":\"E1\"}",
	      "{\"ok\":true,\"result\":[{\"barcode\":\"E1\",\"type\":\"LTO8\",\"location\":\"mailslot\",\"index\":0,\"address\":16,\"capacity\":12000000000000,\"used\":0}]}");
	ck_assert_str_eq(last.barcode, "E1");
	ck_assert_int_eq(last.calls, 3);

	/* an operation's error: its message and errno name */
	last.fail = -EBUSY;
	REPLY("{\"cmd\":\"import\",\"barcode\":\"N1\",\"mailslot\":0}",
	      "{\"ok\":false,\"error\":\"mailslot 0 is full\",\"errno\":\"EBUSY\"}");
	last.fail = -EPERM;
	REPLY("{\"cmd\":\"export\",\"mailslot\":0}",
	      "{\"ok\":false,\"error\":\"mailslot 0 is full\",\"errno\":\"EPERM\"}");
}
END_TEST

#define BADREQ(req, want) do {						\
	last.calls = 0;							\
	REPLY(req, "{\"ok\":false,\"error\":\"" want			\
	      "\",\"errno\":\"EINVAL\"}");				\
	ck_assert_int_eq(last.calls, 0);				\
} while (0)

START_TEST(bad_requests)
{
	char *r;

	BADREQ("[1,2]", "bad request: not a JSON object");
	BADREQ("{}", "bad request: no \\\"cmd\\\" string");
	BADREQ("{\"cmd\":7}", "bad request: no \\\"cmd\\\" string");
	BADREQ("{\"cmd\":null}", "bad request: no \\\"cmd\\\" string");
	BADREQ("{\"cmd\":\"eject\"}",
	       "unknown command 'eject' (known: list, drives, status, import, export)");
	BADREQ("{\"cmd\":\"list\",\"all\":true}", "list takes no 'all'");
	BADREQ("{\"cmd\":\"status\",\"barcode\":\"A\"}",
	       "status takes no 'barcode'");
	BADREQ("{\"cmd\":\"import\"}", "import needs a barcode");
	BADREQ("{\"cmd\":\"import\",\"mailslot\":1}", "import needs a barcode");
	BADREQ("{\"cmd\":\"import\",\"barcode\":5}",
	       "barcode must be a string");
	BADREQ("{\"cmd\":\"import\",\"barcode\":\"A\",\"mailslot\":-1}",
	       "mailslot must be a number from 0");
	BADREQ("{\"cmd\":\"export\",\"mailslot\":\"1\"}",
	       "mailslot must be a number from 0");
	BADREQ("{\"cmd\":\"export\",\"mailslot\":1.5}",
	       "mailslot must be a number from 0");
	BADREQ("{\"cmd\":\"export\",\"mailslot\":70000}",
	       "mailslot must be a number from 0");
	BADREQ("{\"cmd\":\"export\",\"slot\":1}", "export takes no 'slot'");

	/* unparsable: json-glib's message, still one JSON line */
	r = vtl_ctl_dispatch(&ops, NULL, "{\"cmd\":");
	ck_assert(g_str_has_prefix(r, "{\"ok\":false,\"error\":\"bad request: "));
	ck_assert(g_str_has_suffix(r, "\"errno\":\"EINVAL\"}"));
	ck_assert_ptr_null(strchr(r, '\n'));
	g_free(r);
	r = vtl_ctl_dispatch(&ops, NULL, "");
	ck_assert(g_str_has_prefix(r, "{\"ok\":false,"));
	g_free(r);
	r = vtl_ctl_dispatch(&ops, NULL, "\xff\xfe");
	ck_assert(g_str_has_prefix(r, "{\"ok\":false,"));
	g_free(r);
}
END_TEST

/* --- server and client ------------------------------------------------ */

static char *dir, *sock;
static GMainLoop *loop;
static pthread_t loop_thread;
static struct vtl_ctl_server *srv;

static void *loop_fn(void *arg)
{
	(void)arg;
	g_main_loop_run(loop);
	return NULL;
}

static void srv_setup(void)
{
	char *msg = NULL;

	dir = g_dir_make_tmp("vtlctl-XXXXXX", NULL);
	ck_assert_ptr_nonnull(dir);
	sock = g_build_filename(dir, "run", "lib0.sock", NULL);
	srv = vtl_ctl_server_new(sock, &ops, NULL, &msg);
	ck_assert_msg(srv != NULL, "%s", msg);
	loop = g_main_loop_new(NULL, FALSE);
	ck_assert_int_eq(pthread_create(&loop_thread, NULL, loop_fn, NULL),
			 0);
}

static gboolean quit_cb(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

static void srv_teardown(void)
{
	char *run = g_path_get_dirname(sock);

	/* from the loop itself: a quit before it runs would be lost */
	g_idle_add(quit_cb, loop);
	pthread_join(loop_thread, NULL);
	g_main_loop_unref(loop);
	vtl_ctl_server_free(srv);
	ck_assert(!g_file_test(sock, G_FILE_TEST_EXISTS));
	rmdir(run);
	rmdir(dir);
	g_free(run);
	g_free(sock);
	g_free(dir);
}

START_TEST(socket_round_trip)
{
	char *reply = NULL, *msg = NULL;

	ck_assert_int_eq(vtl_ctl_call(sock, "{\"cmd\":\"status\"}", 5000,
				      &reply, &msg), 0);
	ck_assert_ptr_null(msg);
	ck_assert(g_str_has_prefix(reply,
		"{\"ok\":true,\"result\":{\"name\":\"lib0\","));
	g_free(reply);
	ck_assert_int_eq(vtl_ctl_call(sock, "nonsense", 5000, &reply, &msg),
			 0);
	ck_assert(g_str_has_prefix(reply, "{\"ok\":false,"));
	g_free(reply);
}
END_TEST

static int raw_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sa.sun_path, sock);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Read until n newlines or EOF. */
static char *read_lines(int fd, int n)
{
	GString *s = g_string_new(NULL);
	char buf[4096];
	ssize_t r;

	while (n > 0 && (r = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < r; i++)
			n -= buf[i] == '\n';
		g_string_append_len(s, buf, r);
	}
	return g_string_free(s, FALSE);
}

START_TEST(socket_pipelined_and_long)
{
	static const char two[] = "{\"cmd\":\"status\"}\n{\"cmd\":\"x\"}\n";
	char *big = g_malloc(VTL_CTL_MAX_LINE + 10);
	char *got, **lines;
	int fd = raw_connect();

	ck_assert_int_eq(write(fd, two, sizeof(two) - 1), sizeof(two) - 1);
	got = read_lines(fd, 2);
	lines = g_strsplit(got, "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), 3);
	ck_assert(g_str_has_prefix(lines[0], "{\"ok\":true,"));
	ck_assert(g_str_has_prefix(lines[1],
		"{\"ok\":false,\"error\":\"unknown command 'x'"));
	ck_assert_str_eq(lines[2], "");
	g_strfreev(lines);
	g_free(got);
	close(fd);

	/* a line past the limit: an error, then the server hangs up */
	fd = raw_connect();
	memset(big, ' ', VTL_CTL_MAX_LINE + 10);
	ck_assert_int_eq(write(fd, big, VTL_CTL_MAX_LINE + 10),
			 VTL_CTL_MAX_LINE + 10);
	got = read_lines(fd, 5);	/* until EOF */
	ck_assert_str_eq(got, "{\"ok\":false,\"error\":\"request line too long\",\"errno\":\"E2BIG\"}\n");
	g_free(got);
	close(fd);
	g_free(big);
}
END_TEST

START_TEST(socket_errors)
{
	char *reply = NULL, *msg = NULL, *nosock;
	struct vtl_ctl_server *two;

	/* a live socket is not taken over */
	two = vtl_ctl_server_new(sock, &ops, NULL, &msg);
	ck_assert_ptr_null(two);
	ck_assert_str_eq(msg + strlen(sock),
			 ": another daemon serves this socket");
	g_free(msg);

	nosock = g_build_filename(dir, "none.sock", NULL);
	ck_assert_int_eq(vtl_ctl_call(nosock, "{}", 1000, &reply, &msg),
			 -ENOENT);
	ck_assert_ptr_null(reply);
	ck_assert_ptr_nonnull(strstr(msg, "is scstu-vtl running"));
	g_free(msg);

	/* a stale socket file (nobody listens) is replaced */
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		strcpy(sa.sun_path, nosock);
		ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)),
				 0);
		close(fd);
	}
	ck_assert_int_eq(vtl_ctl_call(nosock, "{}", 1000, &reply, &msg),
			 -ECONNREFUSED);
	g_free(msg);
	two = vtl_ctl_server_new(nosock, &ops, NULL, &msg);
	ck_assert_ptr_nonnull(two);
	vtl_ctl_server_free(two);
	ck_assert(!g_file_test(nosock, G_FILE_TEST_EXISTS));
	g_free(nosock);
}
END_TEST

/* --- vtlctl tables ---------------------------------------------------- */

static JsonNode *result_of(const char *req)
{
	char *r = vtl_ctl_dispatch(&ops, NULL, req);
	JsonParser *p = json_parser_new();
	JsonNode *n;

	ck_assert(json_parser_load_from_data(p, r, -1, NULL));
	n = json_object_dup_member(json_node_get_object(
		json_parser_get_root(p)), "result");
	g_object_unref(p);
	g_free(r);
	return n;
}

START_TEST(tables)
{
	GString *out = g_string_new(NULL);
	JsonNode *n;
	char buf[32];

	n = result_of("{\"cmd\":\"list\"}");
	ck_assert(vtl_fmt_carts(n, out));
	ck_assert_str_eq(out->str,
		"BARCODE   TYPE  LOCATION  ADDR    USED    CAPACITY  FULL\n"
		"E01000L8  LTO8  slot 0    0x1000  0 B     12.0 TB   0.0%\n"
		"E01001L8  LTO8  drive 1   0x0101  1.5 GB  12.0 TB   0.0%\n"
		"X1        LTO8  shelf     -       -       -         error: X1: corrupt\n");
	/* a list is not a library */
	ck_assert(!vtl_fmt_lib(n, out));
	ck_assert(!vtl_fmt_drives(n, out));
	json_node_unref(n);

	g_string_truncate(out, 0);
	n = result_of("{\"cmd\":\"drives\"}");
	ck_assert(vtl_fmt_drives(n, out));
	ck_assert_str_eq(out->str,
		"DRIVE  NAME     MODEL     STATE   CARTRIDGE  POSITION       WRITTEN  READ  LOADS\n"
		"0      lib0-d0  ibm-lto8  loaded  E01001L8   0:1234 file 2  2.5 MB   0 B   3\n"
		"1      lib0-d1  hp-lto9   empty   -          -              0 B      0 B   0\n");
	json_node_unref(n);

	g_string_truncate(out, 0);
	n = result_of("{\"cmd\":\"status\"}");
	ck_assert(vtl_fmt_lib(n, out));
	ck_assert_str_eq(out->str,
		"library      lib0\n"
		"directory    /d\n"
		"socket       /s\n"
		"changer      lib0-ch\n"
		"compression  lz4\n"
		"slots        3 of 20 full\n"
		"mailslots    0 of 4 full\n"
		"drives       1 of 2 full\n"
		"shelf        1 cartridge\n");
	ck_assert(!vtl_fmt_carts(n, out));
	json_node_unref(n);
	ck_assert(!vtl_fmt_carts(NULL, out));
	g_string_free(out, TRUE);

	vtl_fmt_bytes(999, buf, sizeof(buf));
	ck_assert_str_eq(buf, "999 B");
	vtl_fmt_bytes(1000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1.0 kB");
	vtl_fmt_bytes(18000000000000000ULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "18.0 PB");
}
END_TEST

START_TEST(media_names)
{
	struct scstu_tape_media m = { .generation = 8 };
	char buf[16];

	vtl_media_type_name(&m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "LTO8");
	m.worm = true;
	vtl_media_type_name(&m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "LTO8W");
	m = (struct scstu_tape_media){ .generation = 7, .type_m = true };
	vtl_media_type_name(&m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "LTO7M8");
	m.cleaning = true;
	vtl_media_type_name(&m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "CLN");
	ck_assert_str_eq(vtl_where_name(VTL_WHERE_SHELF), "shelf");
	ck_assert_str_eq(vtl_where_name(VTL_WHERE_MAILSLOT), "mailslot");
}
END_TEST

static Suite *vtl_ctl_suite(void)
{
	Suite *s = suite_create("vtl_ctl");
	TCase *tc = tcase_create("protocol");
	TCase *ts = tcase_create("socket");

	tcase_add_test(tc, list_drives_status);
	tcase_add_test(tc, import_export);
	tcase_add_test(tc, bad_requests);
	tcase_add_test(tc, tables);
	tcase_add_test(tc, media_names);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(ts, srv_setup, srv_teardown);
	tcase_add_test(ts, socket_round_trip);
	tcase_add_test(ts, socket_pipelined_and_long);
	tcase_add_test(ts, socket_errors);
	suite_add_tcase(s, ts);
	return s;
}

UNIT_SUITE(vtl_ctl_suite)
