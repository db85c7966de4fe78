// SPDX-License-Identifier: GPL-2.0
/*
 * A whole library in-process on the harness: the changer, two drives and
 * cartridges in a temporary directory. MOVE MEDIUM, WRITE/READ through
 * a drive's CDBs, UNLOAD, moves back, import/export, the state across a
 * "restart" of the library object, corrupt state, refused media.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <glib.h>
#include <scstuser_changer.h>
#include <scstuser_harness.h>
#include <scstuser_tape.h>

#include "unit_registry.h"
#include "vtl_lib.h"
#include "vtl_state.h"

static char *tmp, *dir;
static struct scstu_harness *h;
static struct vtl_config *cfg;
static struct vtl_lib *lib;

static const char conf_fmt[] =
	"[library]\n"
	"name = tl\n"
	"dir = %s\n"
	"socket = %s/tl.sock\n"
	"slots = 6\n"
	"mailslots = 2\n"
	"[drive 0]\n"
	"serial = DRV000\n"
	"[drive 1]\n"
	"personality = hp-lto8\n"
	"[cartridges]\n"
	"create = E01000L8-E01003L8\n"
	"capacity = 64M\n";

static struct vtl_config *conf(const char *extra)
{
	char *text = g_strdup_printf(conf_fmt, dir, tmp);
	char *all = g_strconcat(text, extra, NULL);
	struct vtl_config *c = NULL;
	char *msg = NULL;

	ck_assert_msg(!vtl_config_parse("tl.conf", all, strlen(all), &c,
					 &msg), "%s", msg);
	g_free(text);
	g_free(all);
	return c;
}

static struct vtl_lib *open_lib(bool rebuild, char **msg)
{
	struct vtl_lib_opts o = { .harness = h, .rebuild = rebuild };

	*msg = NULL;
	return vtl_lib_open(cfg, &o, msg);
}

static void start(void)
{
	char *msg;

	lib = open_lib(false, &msg);
	ck_assert_msg(lib != NULL, "%s", msg);
}

static void setup(void)
{
	tmp = g_dir_make_tmp("vtllib-XXXXXX", NULL);
	ck_assert_ptr_nonnull(tmp);
	dir = g_build_filename(tmp, "lib", NULL);
	h = scstu_harness_new();
	cfg = conf("");
	start();
}

static void rm_rf(const char *path)
{
	char *argv[] = { "rm", "-rf", (char *)path, NULL };

	ck_assert(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
			       NULL, NULL, NULL, NULL, NULL));
}

static void teardown(void)
{
	vtl_lib_close(lib);
	lib = NULL;
	scstu_harness_free(h);
	vtl_config_free(cfg);
	rm_rf(tmp);
	g_free(dir);
	g_free(tmp);
}

static struct scstu_harness_result res;

static uint8_t run(struct scstu_dev *dev, const uint8_t *cdb,
		   unsigned int len, enum scstu_dir d, void *buf,
		   uint32_t xfer)
{
	struct scstu_harness_cmd c = {
		.cdb = cdb, .cdb_len = len, .dir = d, .data = buf,
		.xfer_len = xfer,
	};

	ck_assert_int_eq(scstu_harness_run(dev, &c, &res), 0);
	return res.status;
}

static void expect_sense(uint8_t key, uint8_t asc, uint8_t ascq)
{
	uint8_t a, q;

	ck_assert_int_eq(res.status, SCSTU_CHECK_CONDITION);
	ck_assert_int_eq(scstu_harness_sense_key(&res, &a, &q), key);
	ck_assert_int_eq(a, asc);
	ck_assert_int_eq(q, ascq);
}

static uint8_t move(uint16_t src, uint16_t dst)
{
	uint8_t cdb[12] = { 0xa5, 0, 0, 0, src >> 8, src, dst >> 8, dst };

	return run(vtl_lib_changer(lib), cdb, 12, SCSTU_DIR_NONE, NULL, 0);
}

static uint8_t tape(unsigned int d, const uint8_t *cdb, enum scstu_dir dir_,
		    void *buf, uint32_t xfer)
{
	return run(vtl_lib_drive(lib, d), cdb, 6, dir_, buf, xfer);
}

static void write_block(unsigned int d, const void *buf, uint32_t n)
{
	uint8_t cdb[6] = { 0x0a, 0, n >> 16, n >> 8, n };

	ck_assert_int_eq(tape(d, cdb, SCSTU_DIR_WRITE, (void *)buf, n),
			 SCSTU_GOOD);
}

static void read_block(unsigned int d, void *buf, uint32_t n)
{
	uint8_t cdb[6] = { 0x08, 0, n >> 16, n >> 8, n };

	ck_assert_int_eq(tape(d, cdb, SCSTU_DIR_READ, buf, n), SCSTU_GOOD);
	ck_assert_uint_eq(res.xfer, n);
}

static void simple(unsigned int d, uint8_t op, uint8_t b1, uint8_t b4)
{
	uint8_t cdb[6] = { op, b1, 0, 0, b4 };

	ck_assert_int_eq(tape(d, cdb, SCSTU_DIR_NONE, NULL, 0), SCSTU_GOOD);
}

static GArray *list(void)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct vtl_cart_info));
	char *msg = NULL;

	ck_assert_int_eq(vtl_lib_ctl_ops.list(lib, a, &msg), 0);
	return a;
}

static const struct vtl_cart_info *find(GArray *a, const char *bc)
{
	for (unsigned int i = 0; i < a->len; i++)
		if (!strcmp(g_array_index(a, struct vtl_cart_info, i).barcode,
			    bc))
			return &g_array_index(a, struct vtl_cart_info, i);
	ck_abort_msg("%s not listed", bc);
	return NULL;
}

static void expect_at(const char *bc, enum vtl_where w, uint16_t addr)
{
	GArray *a = list();
	const struct vtl_cart_info *c = find(a, bc);

	ck_assert_int_eq(c->where, w);
	ck_assert_uint_eq(c->addr, addr);
	g_array_free(a, TRUE);
}

static enum scstu_tape_state drive_state(unsigned int d)
{
	struct scstu_tape_status st;

	scstu_tape_get_status(vtl_lib_drive(lib, d), &st);
	return st.state;
}

static void element(uint16_t addr, struct scstu_element *e)
{
	ck_assert_int_eq(scstu_changer_get(vtl_lib_changer(lib), addr, e),
			 0);
}

START_TEST(fresh_library)
{
	struct scstu_element e;
	struct vtl_lib_info info = { 0 };
	char *msg = NULL;
	GArray *a = list();

	/* made and placed in order */
	ck_assert_uint_eq(a->len, 4);
	for (unsigned int i = 0; i < 4; i++) {
		const struct vtl_cart_info *c =
			&g_array_index(a, struct vtl_cart_info, i);
		char bc[16];

		g_snprintf(bc, sizeof(bc), "E0100%uL8", i);
		ck_assert_str_eq(c->barcode, bc);
		ck_assert_int_eq(c->where, VTL_WHERE_SLOT);
		ck_assert_uint_eq(c->index, i);
		ck_assert_uint_eq(c->addr, 0x1000 + i);
		ck_assert_str_eq(c->type, "LTO8");
		ck_assert_uint_eq(c->capacity, 64ULL << 20);
		ck_assert_str_eq(c->error, "");
	}
	g_array_free(a, TRUE);
	element(0x1002, &e);
	ck_assert(e.full);
	ck_assert_str_eq(e.voltag, "E01002L8");
	element(0x1004, &e);
	ck_assert(!e.full);
	element(0x0100, &e);
	ck_assert(!e.full);
	ck_assert_int_eq(drive_state(0), SCSTU_TAPE_EMPTY);
	ck_assert_int_eq(vtl_lib_ctl_ops.status(lib, &info, &msg), 0);
	ck_assert_str_eq(info.name, "tl");
	ck_assert_str_eq(info.changer, "tl-ch");
	ck_assert_uint_eq(info.slots_full, 4);
	ck_assert_uint_eq(info.drives_full, 0);
	ck_assert_uint_eq(info.shelf, 0);
	ck_assert_str_eq(scstu_dev_name(vtl_lib_drive(lib, 1)), "tl-d1");
	ck_assert_ptr_null(vtl_lib_drive(lib, 2));

	/* one daemon per directory */
	ck_assert_ptr_null(open_lib(false, &msg));
	ck_assert_ptr_nonnull(strstr(msg, "another scstu-vtl serves this library"));
	g_free(msg);
}
END_TEST

START_TEST(move_write_read_unload)
{
	uint8_t out[4096], in[4096];
	GArray *a;
	char *msg = NULL;

	for (unsigned int i = 0; i < sizeof(out); i++)
		out[i] = i * 7 + 3;
	ck_assert_int_eq(move(0x1000, 0x0100), SCSTU_GOOD);
	expect_at("E01000L8", VTL_WHERE_DRIVE, 0x0100);
	ck_assert_int_eq(drive_state(0), SCSTU_TAPE_LOADED);

	write_block(0, out, sizeof(out));
	simple(0, 0x10, 0, 1);		/* WRITE FILEMARKS 1 */
	simple(0, 0x01, 0, 0);		/* REWIND */
	read_block(0, in, sizeof(in));
	ck_assert_mem_eq(in, out, sizeof(out));

	/* drives report what they hold */
	a = g_array_new(FALSE, TRUE, sizeof(struct vtl_drive_info));
	ck_assert_int_eq(vtl_lib_ctl_ops.drives(lib, a, &msg), 0);
	ck_assert_uint_eq(a->len, 2);
	ck_assert_str_eq(g_array_index(a, struct vtl_drive_info, 0).barcode,
			 "E01000L8");
	ck_assert_str_eq(g_array_index(a, struct vtl_drive_info, 0).serial,
			 "DRV000");
	ck_assert_uint_eq(g_array_index(a, struct vtl_drive_info, 0)
			  .st.bytes_written, 4096);
	ck_assert_str_eq(g_array_index(a, struct vtl_drive_info, 1)
			 .personality, "hp-lto8");
	ck_assert_str_eq(g_array_index(a, struct vtl_drive_info, 1).barcode,
			 "");
	g_array_free(a, TRUE);

	/* still loaded: a real library cannot take it */
	ck_assert_int_eq(move(0x0100, 0x1000), SCSTU_CHECK_CONDITION);
	expect_sense(SCSTU_ILLEGAL_REQUEST, 0x53, 0x01);
	expect_at("E01000L8", VTL_WHERE_DRIVE, 0x0100);

	simple(0, 0x1b, 0, 0);		/* UNLOAD */
	ck_assert_int_eq(drive_state(0), SCSTU_TAPE_EJECTED);
	ck_assert_int_eq(move(0x0100, 0x1005), SCSTU_GOOD);
	expect_at("E01000L8", VTL_WHERE_SLOT, 0x1005);
	ck_assert_int_eq(drive_state(0), SCSTU_TAPE_EMPTY);

	/* the data is on the cartridge: another drive reads it */
	ck_assert_int_eq(move(0x1005, 0x0101), SCSTU_GOOD);
	memset(in, 0, sizeof(in));
	read_block(1, in, sizeof(in));
	ck_assert_mem_eq(in, out, sizeof(out));
	a = list();
	ck_assert_uint_ge(find(a, "E01000L8")->used, 1);
	g_array_free(a, TRUE);
}
END_TEST

START_TEST(drive_to_drive_and_source)
{
	struct scstu_element e;

	ck_assert_int_eq(move(0x1001, 0x0100), SCSTU_GOOD);
	element(0x0100, &e);
	ck_assert(e.full);
	ck_assert(e.source_valid);
	ck_assert_uint_eq(e.source, 0x1001);
	simple(0, 0x1b, 0, 0);
	ck_assert_int_eq(move(0x0100, 0x0101), SCSTU_GOOD);
	ck_assert_int_eq(drive_state(0), SCSTU_TAPE_EMPTY);
	ck_assert_int_eq(drive_state(1), SCSTU_TAPE_LOADED);
	expect_at("E01001L8", VTL_WHERE_DRIVE, 0x0101);
	/* the state file follows every move */
	vtl_lib_close(lib);
	lib = NULL;
	start();
	expect_at("E01001L8", VTL_WHERE_DRIVE, 0x0101);
	element(0x0101, &e);
	ck_assert_uint_eq(e.source, 0x1001);
}
END_TEST

START_TEST(restart_keeps_state)
{
	uint8_t out[1000], in[1000];
	struct vtl_state_elem *se;
	unsigned int nr;
	char *path = g_build_filename(dir, VTL_STATE_FILE, NULL), *msg;

	memset(out, 0x5a, sizeof(out));
	ck_assert_int_eq(move(0x1002, 0x0100), SCSTU_GOOD);
	write_block(0, out, sizeof(out));
	simple(0, 0x10, 0, 1);
	ck_assert_int_eq(move(0x1003, 0x0011), SCSTU_GOOD);

	ck_assert_int_eq(vtl_state_load(path, "tl", &se, &nr, &msg), 0);
	ck_assert_uint_eq(nr, 4);
	g_free(se);

	/* "restart": close (cartridges synced, closed) and open again */
	vtl_lib_close(lib);
	lib = NULL;
	start();
	expect_at("E01002L8", VTL_WHERE_DRIVE, 0x0100);
	expect_at("E01003L8", VTL_WHERE_MAILSLOT, 0x0011);
	expect_at("E01000L8", VTL_WHERE_SLOT, 0x1000);
	ck_assert_int_eq(drive_state(0), SCSTU_TAPE_LOADED);
	/* reloaded at the beginning: the block written before is there */
	read_block(0, in, sizeof(in));
	ck_assert_mem_eq(in, out, sizeof(out));
	g_free(path);
}
END_TEST

START_TEST(import_export)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct vtl_cart_info));
	char *msg = NULL;
	uint8_t asc, ascq;

	while (scstu_harness_pop_ua(vtl_lib_changer(lib), &asc, &ascq))
		;
	ck_assert_int_eq(vtl_lib_create_cart(cfg, "S00001L7", NULL, 0, &msg),
			 0);
	ck_assert_int_eq(vtl_lib_create_cart(cfg, "S00001L7", NULL, 0, &msg),
			 -EEXIST);
	{
		char *want = g_strdup_printf("cartridge S00001L7 exists in %s",
					     dir);

		ck_assert_str_eq(msg, want);
		g_free(want);
	}
	g_free(msg);
	expect_at("S00001L7", VTL_WHERE_SHELF, 0);

	ck_assert_int_eq(vtl_lib_ctl_ops.import(lib, "S00001L7", 1, a, &msg),
			 0);
	ck_assert_uint_eq(a->len, 1);
	ck_assert_int_eq(g_array_index(a, struct vtl_cart_info, 0).where,
			 VTL_WHERE_MAILSLOT);
	ck_assert_uint_eq(g_array_index(a, struct vtl_cart_info, 0).addr,
			  0x0011);
	ck_assert(scstu_harness_pop_ua(vtl_lib_changer(lib), &asc, &ascq));
	ck_assert_uint_eq(asc, 0x28);
	ck_assert_uint_eq(ascq, 0x01);
	expect_at("S00001L7", VTL_WHERE_MAILSLOT, 0x0011);
	g_array_set_size(a, 0);

	/* errors: already in, not made, full mailslot, no such mailslot */
	ck_assert_int_eq(vtl_lib_ctl_ops.import(lib, "S00001L7", 0, a, &msg),
			 -EEXIST);
	ck_assert_str_eq(msg, "cartridge S00001L7 is in the library (mailslot 1)");
	g_free(msg);
	ck_assert_int_eq(vtl_lib_ctl_ops.import(lib, "NOPE01L8", -1, a,
						&msg), -ENOENT);
	g_free(msg);
	ck_assert_int_eq(vtl_lib_create_cart(cfg, "S00002L8", NULL, 0, &msg),
			 0);
	ck_assert_int_eq(vtl_lib_ctl_ops.import(lib, "S00002L8", 1, a, &msg),
			 -EBUSY);
	ck_assert_str_eq(msg, "mailslot 1 holds S00001L7");
	g_free(msg);
	ck_assert_int_eq(vtl_lib_ctl_ops.import(lib, "S00002L8", 2, a, &msg),
			 -EINVAL);
	ck_assert_str_eq(msg, "no mailslot 2: the library has mailslots 0 to 1");
	g_free(msg);
	ck_assert_uint_eq(a->len, 0);

	/* the initiator moves it into the library, then out again */
	ck_assert_int_eq(move(0x0011, 0x1004), SCSTU_GOOD);
	expect_at("S00001L7", VTL_WHERE_SLOT, 0x1004);
	ck_assert_int_eq(vtl_lib_ctl_ops.export(lib, "S00001L7", -1, a,
						&msg), -ENOENT);
	ck_assert_str_eq(msg, "cartridge S00001L7 is in slot 4, not in a mailslot: move it to one first (MOVE MEDIUM, mtx transfer)");
	g_free(msg);
	ck_assert_int_eq(move(0x1004, 0x0010), SCSTU_GOOD);
	ck_assert_int_eq(vtl_lib_ctl_ops.import(lib, "S00002L8", -1, a, &msg),
			 0);
	expect_at("S00002L8", VTL_WHERE_MAILSLOT, 0x0011);
	g_array_set_size(a, 0);

	/* export everything in the mailslots */
	ck_assert_int_eq(vtl_lib_ctl_ops.export(lib, NULL, -1, a, &msg), 0);
	ck_assert_uint_eq(a->len, 2);
	ck_assert_str_eq(g_array_index(a, struct vtl_cart_info, 0).barcode,
			 "S00001L7");
	ck_assert_int_eq(g_array_index(a, struct vtl_cart_info, 0).where,
			 VTL_WHERE_SHELF);
	ck_assert_str_eq(g_array_index(a, struct vtl_cart_info, 1).barcode,
			 "S00002L8");
	expect_at("S00001L7", VTL_WHERE_SHELF, 0);
	ck_assert_int_eq(vtl_lib_ctl_ops.export(lib, NULL, 0, a, &msg),
			 -ENOENT);
	ck_assert_str_eq(msg, "mailslot 0 is empty");
	g_free(msg);
	g_array_free(a, TRUE);
}
END_TEST

START_TEST(refused_medium)
{
	struct scstu_element e;
	char *msg = NULL;
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct vtl_cart_info));

	/* an LTO-8 drive reads LTO-7 and LTO-8 media only */
	ck_assert_int_eq(vtl_lib_create_cart(cfg, "OLD001L5", NULL, 0, &msg),
			 0);
	ck_assert_int_eq(vtl_lib_ctl_ops.import(lib, "OLD001L5", 0, a, &msg),
			 0);
	ck_assert_int_eq(move(0x0010, 0x0100), SCSTU_CHECK_CONDITION);
	expect_sense(SCSTU_ILLEGAL_REQUEST, 0x30, 0x00);
	expect_at("OLD001L5", VTL_WHERE_MAILSLOT, 0x0010);
	element(0x0100, &e);
	ck_assert(!e.full);
	ck_assert_int_eq(drive_state(0), SCSTU_TAPE_EMPTY);
	g_array_free(a, TRUE);
}
END_TEST

START_TEST(corrupt_state)
{
	char *path = g_build_filename(dir, VTL_STATE_FILE, NULL);
	char *bad = g_strdup_printf("%s.bad", path), *msg;

	ck_assert_int_eq(move(0x1000, 0x1005), SCSTU_GOOD);
	vtl_lib_close(lib);
	lib = NULL;
	ck_assert(g_file_set_contents(path, "scstu-vtl-state 1\ngarbage\n",
				      -1, NULL));
	ck_assert_ptr_null(open_lib(false, &msg));
	ck_assert(g_str_has_prefix(msg, path));
	ck_assert_ptr_nonnull(strstr(msg, "corrupt state file"));
	ck_assert_ptr_nonnull(strstr(msg, "--rebuild-state"));
	g_free(msg);

	/* rebuilt: every cartridge of the directory back into slots */
	lib = open_lib(true, &msg);
	ck_assert_msg(lib != NULL, "%s", msg);
	ck_assert(g_file_test(bad, G_FILE_TEST_EXISTS));
	expect_at("E01000L8", VTL_WHERE_SLOT, 0x1000);
	expect_at("E01003L8", VTL_WHERE_SLOT, 0x1003);
	g_free(path);
	g_free(bad);
}
END_TEST

START_TEST(state_with_missing_cartridge)
{
	char *cart = g_build_filename(dir, "E01001L8", NULL);

	ck_assert_int_eq(move(0x1001, 0x0101), SCSTU_GOOD);
	vtl_lib_close(lib);
	lib = NULL;
	rm_rf(cart);
	/* E01001L8 is made again by the create list, into a free slot */
	start();
	expect_at("E01001L8", VTL_WHERE_SLOT, 0x1001);
	ck_assert_int_eq(drive_state(1), SCSTU_TAPE_EMPTY);
	g_free(cart);
}
END_TEST

START_TEST(bad_create_type)
{
	struct vtl_config *c2 = conf("");
	struct vtl_lib_opts o = { .harness = h };
	char *msg = NULL;

	vtl_lib_close(lib);
	lib = NULL;
	g_strfreev(c2->create);
	c2->create = g_strsplit("ABC", ",", -1);
	c2->nr_create = 1;
	ck_assert_ptr_null(vtl_lib_open(c2, &o, &msg));
	ck_assert_str_eq(msg, "tl.conf:12: create: cannot tell the media type of ABC from its barcode (L5..L9, M8, LV..LZ at the end, or a CLN prefix)");
	g_free(msg);
	vtl_config_free(c2);
	start();
}
END_TEST

START_TEST(exchange_through_picker)
{
	/* swap slots 0 and 1: three moves through the picker */
	uint8_t cdb[12] = { 0xa6, 0, 0, 0, 0x10, 0x00, 0x10, 0x01,
			    0x10, 0x00 };
	struct scstu_element e;

	ck_assert_int_eq(run(vtl_lib_changer(lib), cdb, 12, SCSTU_DIR_NONE,
			     NULL, 0), SCSTU_GOOD);
	expect_at("E01000L8", VTL_WHERE_SLOT, 0x1001);
	expect_at("E01001L8", VTL_WHERE_SLOT, 0x1000);
	element(0x0001, &e);
	ck_assert(!e.full);
	/* slot 2 -> slot 3, whose cartridge goes to slot 4 */
	cdb[5] = 0x02;
	cdb[7] = 0x03;
	cdb[9] = 0x04;
	ck_assert_int_eq(run(vtl_lib_changer(lib), cdb, 12, SCSTU_DIR_NONE,
			     NULL, 0), SCSTU_GOOD);
	expect_at("E01002L8", VTL_WHERE_SLOT, 0x1003);
	expect_at("E01003L8", VTL_WHERE_SLOT, 0x1004);
	vtl_lib_close(lib);
	lib = NULL;
	start();
	expect_at("E01000L8", VTL_WHERE_SLOT, 0x1001);
	expect_at("E01003L8", VTL_WHERE_SLOT, 0x1004);
}
END_TEST

START_TEST(prevented_import_export)
{
	uint8_t prevent[6] = { 0x1e, 0, 0, 0, 1, 0 };
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct vtl_cart_info));
	char *msg = NULL;

	ck_assert_int_eq(move(0x1000, 0x0010), SCSTU_GOOD);
	ck_assert_int_eq(vtl_lib_create_cart(cfg, "S00003L8", NULL, 0, &msg),
			 0);
	ck_assert_int_eq(run(vtl_lib_changer(lib), prevent, 6,
			     SCSTU_DIR_NONE, NULL, 0), SCSTU_GOOD);
	ck_assert_int_eq(vtl_lib_ctl_ops.import(lib, "S00003L8", 1, a, &msg),
			 -EPERM);
	ck_assert_str_eq(msg, "mailslot 1: medium removal is prevented");
	g_free(msg);
	ck_assert_int_eq(vtl_lib_ctl_ops.export(lib, NULL, -1, a, &msg),
			 -EPERM);
	ck_assert_str_eq(msg, "mailslot 0: medium removal is prevented");
	g_free(msg);
	ck_assert_uint_eq(a->len, 0);
	expect_at("S00003L8", VTL_WHERE_SHELF, 0);
	expect_at("E01000L8", VTL_WHERE_MAILSLOT, 0x0010);
	prevent[4] = 0;
	ck_assert_int_eq(run(vtl_lib_changer(lib), prevent, 6,
			     SCSTU_DIR_NONE, NULL, 0), SCSTU_GOOD);
	ck_assert_int_eq(vtl_lib_ctl_ops.export(lib, "E01000L8", -1, a,
						&msg), 0);
	expect_at("E01000L8", VTL_WHERE_SHELF, 0);
	g_array_free(a, TRUE);
}
END_TEST

static GString *logged;

static void capture(enum scstu_log_level level, const char *msg)
{
	(void)level;
	g_string_append_printf(logged, "%s\n", msg);
}

START_TEST(corrupt_cartridge_in_drive)
{
	char *meta = g_build_filename(dir, "E01001L8", "meta", NULL);
	char junk[8192];
	GArray *a;

	ck_assert_int_eq(move(0x1001, 0x0100), SCSTU_GOOD);
	vtl_lib_close(lib);
	lib = NULL;
	memset(junk, 0xa5, sizeof(junk));
	ck_assert(g_file_set_contents(meta, junk, sizeof(junk), NULL));
	/* the library starts; the drive is empty, the element full */
	logged = g_string_new(NULL);
	scstu_log_set_fn(capture);
	start();
	ck_assert_int_eq(drive_state(0), SCSTU_TAPE_EMPTY);
	expect_at("E01001L8", VTL_WHERE_DRIVE, 0x0100);
	a = list();
	ck_assert_str_ne(find(a, "E01001L8")->error, "");
	g_array_free(a, TRUE);
	/* the robot can take it out, and cannot load it again */
	ck_assert_int_eq(move(0x0100, 0x1001), SCSTU_GOOD);
	ck_assert_int_eq(move(0x1001, 0x0101), SCSTU_CHECK_CONDITION);
	expect_sense(SCSTU_HARDWARE_ERROR, 0x53, 0x00);
	expect_at("E01001L8", VTL_WHERE_SLOT, 0x1001);
	scstu_log_set_fn(NULL);
	ck_assert_ptr_nonnull(strstr(logged->str,
		"tl-d0: cannot reload E01001L8: "));
	ck_assert_ptr_nonnull(strstr(logged->str,
		"tl-d1: cannot load E01001L8: "));
	g_string_free(logged, TRUE);
	g_free(meta);
}
END_TEST

START_TEST(state_of_a_smaller_library)
{
	char *path = g_build_filename(dir, VTL_STATE_FILE, NULL), *msg = NULL;
	const struct vtl_state_elem se[] = {
		{ .addr = 0x0001, .barcode = "E01000L8" },	/* picker */
		{ .addr = 0x1100, .barcode = "E01001L8" },	/* slot 256 */
		{ .addr = 0x0105, .barcode = "E01002L8" },	/* drive 5 */
		{ .addr = 0x1003, .barcode = "E01003L8" },
	};

	vtl_lib_close(lib);
	lib = NULL;
	ck_assert_int_eq(vtl_state_save(path, "tl", se, 4, &msg), 0);
	start();
	expect_at("E01003L8", VTL_WHERE_SLOT, 0x1003);
	expect_at("E01000L8", VTL_WHERE_SLOT, 0x1000);
	expect_at("E01001L8", VTL_WHERE_SLOT, 0x1001);
	expect_at("E01002L8", VTL_WHERE_SLOT, 0x1002);
	g_free(path);
}
END_TEST

static Suite *vtl_lib_suite(void)
{
	Suite *s = suite_create("vtl_lib");
	TCase *tc = tcase_create("library");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fresh_library);
	tcase_add_test(tc, move_write_read_unload);
	tcase_add_test(tc, drive_to_drive_and_source);
	tcase_add_test(tc, restart_keeps_state);
	tcase_add_test(tc, import_export);
	tcase_add_test(tc, refused_medium);
	tcase_add_test(tc, corrupt_state);
	tcase_add_test(tc, state_with_missing_cartridge);
	tcase_add_test(tc, bad_create_type);
	tcase_add_test(tc, exchange_through_picker);
	tcase_add_test(tc, prevented_import_export);
	tcase_add_test(tc, corrupt_cartridge_in_drive);
	tcase_add_test(tc, state_of_a_smaller_library);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(vtl_lib_suite)
