// SPDX-License-Identifier: GPL-2.0
/*
 * A library's life: open (cartridges, state, devices, restore), serve
 * (a thread per device), close (cartridges synced and closed, state
 * saved, devices destroyed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vtl_lib_int.h"
#include "vtl_state.h"

struct vtl_elem *vtl_elem_at(struct vtl_lib *l, uint16_t addr)
{
	for (unsigned int i = 0; i < l->nr_elems; i++)
		if (l->elems[i].addr == addr)
			return &l->elems[i];
	return NULL;
}

struct vtl_elem *vtl_elem_find(struct vtl_lib *l, const char *barcode)
{
	for (unsigned int i = 0; i < l->nr_elems; i++)
		if (l->elems[i].full && !strcmp(l->elems[i].barcode, barcode))
			return &l->elems[i];
	return NULL;
}

int vtl_lib_save(struct vtl_lib *l)
{
	struct vtl_state_elem *e = g_new0(struct vtl_state_elem,
					  l->nr_elems ? l->nr_elems : 1);
	unsigned int n = 0;
	char *msg = NULL;
	int ret;

	for (unsigned int i = 0; i < l->nr_elems; i++) {
		if (!l->elems[i].full)
			continue;
		e[n].addr = l->elems[i].addr;
		e[n].source = l->elems[i].source;
		g_strlcpy(e[n].barcode, l->elems[i].barcode,
			  sizeof(e[n].barcode));
		n++;
	}
	ret = vtl_state_save(l->state_path, l->cfg->name, e, n, &msg);
	if (ret)
		scstu_log(SCSTU_LOG_ERR, "%s", msg);
	g_free(msg);
	g_free(e);
	return ret;
}

static void init_elems(struct vtl_lib *l)
{
	const struct vtl_config *c = l->cfg;
	unsigned int n = 0;

	/* the picker holds a cartridge only during EXCHANGE MEDIUM */
	l->nr_elems = 1 + c->mailslots + c->nr_drives + c->slots;
	l->elems = g_new0(struct vtl_elem, l->nr_elems);
	l->elems[n].type = SCSTU_ELEM_TRANSPORT;
	l->elems[n++].addr = VTL_ADDR_PICKER;
	for (unsigned int i = 0; i < c->mailslots; i++, n++) {
		l->elems[n].type = SCSTU_ELEM_IMPORT_EXPORT;
		l->elems[n].addr = VTL_ADDR_MAILSLOT + i;
		l->elems[n].index = i;
	}
	for (unsigned int i = 0; i < c->nr_drives; i++, n++) {
		l->elems[n].type = SCSTU_ELEM_DRIVE;
		l->elems[n].addr = VTL_ADDR_DRIVE + i;
		l->elems[n].index = i;
	}
	for (unsigned int i = 0; i < c->slots; i++, n++) {
		l->elems[n].type = SCSTU_ELEM_STORAGE;
		l->elems[n].addr = VTL_ADDR_SLOT + i;
		l->elems[n].index = i;
	}
}

static bool cart_exists(const char *dir, const char *barcode)
{
	char *p = g_build_filename(dir, barcode, NULL);
	bool ok = g_file_test(p, G_FILE_TEST_EXISTS);

	g_free(p);
	return ok;
}

/* Into the first empty slot; false if there is none. */
static bool place(struct vtl_lib *l, const char *barcode)
{
	for (unsigned int i = 0; i < l->nr_elems; i++) {
		struct vtl_elem *e = &l->elems[i];

		if (e->type != SCSTU_ELEM_STORAGE || e->full)
			continue;
		e->full = true;
		e->source = 0;
		g_strlcpy(e->barcode, barcode, sizeof(e->barcode));
		return true;
	}
	return false;
}

static void place_logged(struct vtl_lib *l, const char *barcode)
{
	if (vtl_elem_find(l, barcode))
		return;
	if (!place(l, barcode))
		scstu_log(SCSTU_LOG_WARN,
			  "%s: no empty slot for cartridge %s: it stays on the shelf",
			  l->cfg->name, barcode);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* No (usable) state: the create list in order, then the rest found. */
static void place_all(struct vtl_lib *l)
{
	GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(l->cfg->dir, 0, NULL);
	const char *name;

	for (unsigned int i = 0; i < l->cfg->nr_create; i++)
		place_logged(l, l->cfg->create[i]);
	while (d && (name = g_dir_read_name(d)))
		if (vtl_barcode_valid(name))
			g_ptr_array_add(found, g_strdup(name));
	if (d)
		g_dir_close(d);
	g_ptr_array_sort(found, cmp_str);
	for (unsigned int i = 0; i < found->len; i++)
		place_logged(l, found->pdata[i]);
	g_ptr_array_free(found, TRUE);
}

/* In the directory before this start (made is what make_carts made). */
static bool cart_known(struct vtl_lib *l, GPtrArray *made, const char *bc)
{
	for (unsigned int i = 0; i < made->len; i++)
		if (!strcmp(made->pdata[i], bc))
			return false;
	return cart_exists(l->cfg->dir, bc);
}

static int restore_state(struct vtl_lib *l, const struct vtl_lib_opts *o,
			 GPtrArray *made, char **msg)
{
	struct vtl_state_elem *se = NULL;
	unsigned int nr = 0;
	char *why = NULL;
	int ret;

	ret = vtl_state_load(l->state_path, l->cfg->name, &se, &nr, &why);
	if (ret == -ENOENT) {
		g_free(why);
		place_all(l);
		return 0;
	}
	if (ret == -EBADMSG && o->rebuild) {
		char *bad = g_strdup_printf("%s.bad", l->state_path);

		scstu_log(SCSTU_LOG_WARN, "%s; kept as %s, rebuilding the state from the cartridges in %s",
			  why, bad, l->cfg->dir);
		if (rename(l->state_path, bad))
			scstu_log(SCSTU_LOG_WARN, "%s: rename: %s", bad,
				  g_strerror(errno));
		g_free(bad);
		g_free(why);
		place_all(l);
		return 0;
	}
	if (ret == -EBADMSG) {
		*msg = g_strdup_printf("%s (start with --rebuild-state to rebuild the state from the cartridges in %s)",
				       why, l->cfg->dir);
		g_free(why);
		return ret;
	}
	if (ret) {
		*msg = why;
		return ret;
	}
	g_free(why);
	for (unsigned int i = 0; i < nr; i++) {
		struct vtl_elem *e = vtl_elem_at(l, se[i].addr);

		if (!cart_known(l, made, se[i].barcode)) {
			scstu_log(SCSTU_LOG_WARN, "%s: cartridge %s of element 0x%04x was not in %s: dropped",
				  l->state_path, se[i].barcode, se[i].addr,
				  l->cfg->dir);
			continue;
		}
		if (!e || e->type == SCSTU_ELEM_TRANSPORT)
			continue;	/* placed below */
		e->full = true;
		e->source = se[i].source;
		g_strlcpy(e->barcode, se[i].barcode, sizeof(e->barcode));
	}
	/*
	 * Cartridges of elements no longer configured (the library shrank)
	 * or in the picker (a crash during EXCHANGE MEDIUM): to a free slot.
	 */
	for (unsigned int i = 0; i < nr; i++) {
		struct vtl_elem *e = vtl_elem_at(l, se[i].addr);

		if ((e && e->type != SCSTU_ELEM_TRANSPORT) ||
		    !cart_known(l, made, se[i].barcode))
			continue;
		scstu_log(SCSTU_LOG_WARN, "%s: cartridge %s of element 0x%04x goes to a free slot",
			  l->state_path, se[i].barcode, se[i].addr);
		place_logged(l, se[i].barcode);
	}
	g_free(se);
	return 0;
}

/* Make the directory and the cartridges of the create list. */
static int make_carts(struct vtl_lib *l, GPtrArray *made, char **msg)
{
	const struct vtl_config *c = l->cfg;

	for (unsigned int i = 0; i < c->nr_create; i++) {
		struct scstu_tape_media media;
		char *why = NULL;
		int ret;

		if (!cart_type_parse(NULL, c->create[i], &media)) {
			*msg = g_strdup_printf("%s:%u: create: cannot tell the media type of %s from its barcode (L5..L9, M8, LV..LZ at the end, or a CLN prefix)",
					       c->file, c->create_line,
					       c->create[i]);
			return -EINVAL;
		}
		if (cart_exists(c->dir, c->create[i]))
			continue;
		ret = vtl_lib_create_cart(c, c->create[i], NULL, c->capacity,
					  &why);
		if (ret) {
			*msg = why;
			return ret;
		}
		g_ptr_array_add(made, c->create[i]);
	}
	return 0;
}

int vtl_lib_create_cart(const struct vtl_config *cfg, const char *barcode,
			const char *type, uint64_t capacity, char **msg)
{
	struct cart_spec spec = {
		.barcode = barcode,
		.type = type,
		.capacity = capacity,
		.compress = cfg->compress == VTL_COMPRESS_ZSTD ?
			CART_COMPRESS_ZSTD : CART_COMPRESS_LZ4,
	};
	char *why = NULL;
	int ret;

	*msg = NULL;
	if (!vtl_barcode_valid(barcode)) {
		*msg = g_strdup_printf("bad barcode '%s': 1 to %d characters A-Z 0-9",
				       barcode, VTL_BARCODE_MAX);
		return -EINVAL;
	}
	if (g_mkdir_with_parents(cfg->dir, 0750)) {
		ret = -errno;
		*msg = g_strdup_printf("%s: %s", cfg->dir, g_strerror(errno));
		return ret;
	}
	ret = cart_create(cfg->dir, &spec, &why);
	if (ret == -EEXIST)
		*msg = g_strdup_printf("cartridge %s exists in %s", barcode,
				       cfg->dir);
	else if (ret)
		*msg = g_strdup_printf("cartridge %s: %s", barcode,
				       why ? why : g_strerror(-ret));
	else
		scstu_log(SCSTU_LOG_INFO, "%s: created cartridge %s",
			  cfg->name, barcode);
	free(why);
	return ret;
}

/* One daemon per library directory. */
static int lock_dir(struct vtl_lib *l, char **msg)
{
	char *path = g_build_filename(l->cfg->dir, "vtl.lock", NULL);
	int ret = 0;

	if (g_mkdir_with_parents(l->cfg->dir, 0750)) {
		ret = -errno;
		*msg = g_strdup_printf("%s: cannot make it: %s", l->cfg->dir,
				       g_strerror(-ret));
		g_free(path);
		return ret;
	}
	l->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (l->lock_fd < 0 || flock(l->lock_fd, LOCK_EX | LOCK_NB)) {
		ret = -errno;
		*msg = ret == -EWOULDBLOCK ?
			g_strdup_printf("%s: another scstu-vtl serves this library",
					path) :
			g_strdup_printf("%s: %s", path, g_strerror(-ret));
	}
	g_free(path);
	return ret;
}

static void drive_unloaded(struct scstu_dev *dev)
{
	scstu_log(SCSTU_LOG_INFO, "%s: unloaded by the initiator",
		  scstu_dev_name(dev));
}

static const struct scstu_tape_ops tape_ops = {
	.unloaded = drive_unloaded,
};

static const struct scstu_changer_ops changer_ops = {
	.move = vtl_lib_move,
	.changed = vtl_lib_changed,
};

static int make_devices(struct vtl_lib *l, struct scstu_harness *h,
			char **msg)
{
	const struct vtl_config *c = l->cfg;
	struct scstu_changer_config cc = { 0 };
	struct scstu_dev_config dc = { 0 };
	char *mode;

	dc.nr_queues = 1;
	dc.priv = l;
	dc.harness = h;
	for (unsigned int i = 0; i < c->nr_drives; i++) {
		struct vtl_drive *d = &l->drives[i];
		struct scstu_tape_config tc = {
			.personality = c->drives[i].personality,
			.serial = c->drives[i].serial,
			.revision = c->drives[i].revision,
		};
		uint8_t id[64];
		size_t n;

		snprintf(d->name, sizeof(d->name), "%s-d%u", c->name, i);
		mode = g_strdup_printf("%s/%s.mode", c->dir, d->name);
		tc.mode_file = mode;
		dc.name = d->name;
		dc.type = SCSTU_TYPE_TAPE;
		d->dev = scstu_tape_create(&dc, &tc, &tape_ops, NULL);
		g_free(mode);
		if (!d->dev) {
			*msg = g_strdup_printf("%s:%u: drive %u (%s): cannot create it: %s",
					       c->file, c->drives[i].line, i,
					       d->name, g_strerror(errno));
			return -errno;
		}
		n = scstu_tape_devid(d->dev, id, sizeof(id));
		l->dvcid[i].code_set = 2;	/* ASCII */
		l->dvcid[i].id_type = 1;	/* T10 vendor ID based */
		l->dvcid[i].id_len = n < sizeof(id) ? n : sizeof(id);
		memcpy(l->dvcid[i].id, id, l->dvcid[i].id_len);
	}
	snprintf(l->changer_name, sizeof(l->changer_name), "%s-ch", c->name);
	mode = g_strdup_printf("%s/%s.mode", c->dir, l->changer_name);
	cc.serial = c->serial;
	cc.transport_addr = VTL_ADDR_PICKER;
	cc.storage_addr = VTL_ADDR_SLOT;
	cc.nr_storage = c->slots;
	cc.ie_addr = VTL_ADDR_MAILSLOT;
	cc.nr_ie = c->mailslots;
	cc.drive_addr = VTL_ADDR_DRIVE;
	cc.nr_drives = c->nr_drives;
	cc.drives = l->dvcid;
	cc.mode_file = mode;
	dc.name = l->changer_name;
	dc.type = SCSTU_TYPE_CHANGER;
	l->changer = scstu_changer_create(&dc, &cc, &changer_ops, NULL);
	g_free(mode);
	if (!l->changer) {
		*msg = g_strdup_printf("%s: changer %s: cannot create it: %s",
				       c->file, l->changer_name,
				       g_strerror(errno));
		return -errno;
	}
	return 0;
}

/* Tell the changer what the state says; reload the drives' cartridges. */
static int apply_state(struct vtl_lib *l, char **msg)
{
	for (unsigned int i = 0; i < l->nr_elems; i++) {
		struct vtl_elem *e = &l->elems[i];
		struct scstu_tape_media media;
		struct cart *cart;
		char *why = NULL;
		int ret, err = 0;

		if (!e->full)
			continue;
		ret = scstu_changer_set(l->changer, e->addr, true, e->barcode,
					e->source);
		if (ret) {
			*msg = g_strdup_printf("%s: element 0x%04x: %s",
					       l->changer_name, e->addr,
					       g_strerror(-ret));
			return ret;
		}
		if (e->type != SCSTU_ELEM_DRIVE)
			continue;
		cart = cart_open(l->cfg->dir, e->barcode, &err, &why);
		if (!cart) {
			scstu_log(SCSTU_LOG_ERR, "%s: cannot reload %s: %s; it stays in the drive element, unloaded",
				  l->drives[e->index].name, e->barcode,
				  why ? why : g_strerror(-err));
			free(why);
			continue;
		}
		cart_media(cart, &media);
		ret = scstu_tape_load(l->drives[e->index].dev, cart,
				      &cart_medium_ops, &media);
		if (ret) {
			scstu_log(SCSTU_LOG_ERR, "%s: cannot reload %s: %s",
				  l->drives[e->index].name, e->barcode,
				  g_strerror(-ret));
			cart_close(cart);
			continue;
		}
		l->drives[e->index].cart = cart;
	}
	return 0;
}

static void destroy(struct vtl_lib *l)
{
	for (unsigned int i = 0; i < l->cfg->nr_drives; i++) {
		struct vtl_drive *d = &l->drives[i];
		void *m = NULL;

		if (d->cart) {
			if (scstu_tape_eject(d->dev, true, &m) == 0 &&
			    m != d->cart)
				scstu_log(SCSTU_LOG_ERR, "%s: ejected a medium that is not %s's",
					  d->name, l->cfg->name);
			cart_close(d->cart);
			d->cart = NULL;
		}
	}
	if (l->changer)
		scstu_dev_destroy(l->changer);
	for (unsigned int i = 0; i < l->cfg->nr_drives; i++)
		if (l->drives[i].dev)
			scstu_dev_destroy(l->drives[i].dev);
	if (l->lock_fd >= 0)
		close(l->lock_fd);
	g_mutex_clear(&l->lock);
	g_free(l->elems);
	g_free(l->state_path);
	g_free(l);
}

struct vtl_lib *vtl_lib_open(const struct vtl_config *cfg,
			     const struct vtl_lib_opts *o, char **msg)
{
	static const struct vtl_lib_opts none;
	struct vtl_lib *l = g_new0(struct vtl_lib, 1);
	GPtrArray *made = g_ptr_array_new();
	int ret;

	*msg = NULL;
	if (!o)
		o = &none;
	l->cfg = cfg;
	l->lock_fd = -1;
	g_mutex_init(&l->lock);
	l->state_path = g_build_filename(cfg->dir, VTL_STATE_FILE, NULL);
	init_elems(l);
	ret = lock_dir(l, msg);
	if (!ret)
		ret = make_carts(l, made, msg);
	if (!ret)
		ret = restore_state(l, o, made, msg);
	/* cartridges made now go into empty slots */
	for (unsigned int i = 0; !ret && i < made->len; i++)
		place_logged(l, made->pdata[i]);
	g_ptr_array_free(made, TRUE);
	if (!ret)
		ret = make_devices(l, o->harness, msg);
	if (!ret)
		ret = apply_state(l, msg);
	if (!ret)
		ret = vtl_lib_save(l);
	if (ret && !*msg)
		*msg = g_strdup_printf("%s: cannot save the state",
				       l->state_path);
	if (ret) {
		destroy(l);
		return NULL;
	}
	scstu_log(SCSTU_LOG_INFO, "%s: %u slots, %u mailslots, %u drives",
		  cfg->name, cfg->slots, cfg->mailslots, cfg->nr_drives);
	return l;
}

static void *run_dev(void *arg)
{
	struct scstu_dev *dev = arg;
	int ret = scstu_dev_run(dev);

	if (ret)
		scstu_log(SCSTU_LOG_ERR, "%s: stopped: %s",
			  scstu_dev_name(dev), g_strerror(-ret));
	return NULL;
}

int vtl_lib_start(struct vtl_lib *l, char **msg)
{
	sigset_t all, old;
	int ret;

	*msg = NULL;
	/* signals are for the main loop: the threads start blocking them */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned int i = 0; i < l->cfg->nr_drives; i++) {
		struct vtl_drive *d = &l->drives[i];

		ret = pthread_create(&d->thread, NULL, run_dev, d->dev);
		if (ret)
			goto fail;
		d->running = true;
	}
	ret = pthread_create(&l->changer_thread, NULL, run_dev, l->changer);
	if (ret)
		goto fail;
	l->changer_running = true;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
fail:
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	*msg = g_strdup_printf("%s: cannot start a device thread: %s",
			       l->cfg->name, g_strerror(ret));
	vtl_lib_stop(l);
	return -ret;
}

void vtl_lib_stop(struct vtl_lib *l)
{
	if (l->changer_running) {
		scstu_dev_stop(l->changer);
		pthread_join(l->changer_thread, NULL);
		l->changer_running = false;
	}
	for (unsigned int i = 0; i < l->cfg->nr_drives; i++) {
		struct vtl_drive *d = &l->drives[i];

		if (!d->running)
			continue;
		scstu_dev_stop(d->dev);
		pthread_join(d->thread, NULL);
		d->running = false;
	}
}

void vtl_lib_close(struct vtl_lib *l)
{
	if (!l)
		return;
	vtl_lib_stop(l);
	g_mutex_lock(&l->lock);
	vtl_lib_save(l);
	g_mutex_unlock(&l->lock);
	destroy(l);
}

struct scstu_dev *vtl_lib_changer(struct vtl_lib *l)
{
	return l->changer;
}

struct scstu_dev *vtl_lib_drive(struct vtl_lib *l, unsigned int i)
{
	return i < l->cfg->nr_drives ? l->drives[i].dev : NULL;
}
