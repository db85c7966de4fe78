// SPDX-License-Identifier: GPL-2.0
/*
 * What happens in a running library: the robot's moves (the changer
 * class's ->move and ->changed), import and export through the mail
 * slots, and the control requests that report on it.
 *
 * The library keeps its own copy of the element contents (elems): the
 * changer class calls ->move and ->changed with its lock held, so the
 * state file is written from this copy instead of asking the class.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtl_lib_int.h"

/* Take the cartridge out of drive d: NULL if it held none open. */
static int drive_take(struct vtl_lib *l, unsigned int d, struct cart **out)
{
	struct vtl_drive *dr = &l->drives[d];
	void *m = NULL;
	int ret;

	*out = NULL;
	if (!dr->cart)
		return 0;	/* it could not be opened: nothing loaded */
	ret = scstu_tape_eject(dr->dev, false, &m);
	if (ret == -ENOENT) {
		scstu_log(SCSTU_LOG_WARN, "%s: drive had no medium", dr->name);
		m = dr->cart;
	} else if (ret) {
		return ret;	/* -EBUSY: the initiator has not unloaded */
	}
	*out = m;
	dr->cart = NULL;
	return 0;
}

static int drive_put(struct vtl_lib *l, unsigned int d, struct cart *cart)
{
	struct scstu_tape_media media;
	int ret;

	cart_media(cart, &media);
	ret = scstu_tape_load(l->drives[d].dev, cart, &cart_medium_ops,
			      &media);
	if (!ret)
		l->drives[d].cart = cart;
	return ret;
}

int vtl_lib_move(struct scstu_dev *dev, const struct scstu_element *src,
		 const struct scstu_element *dst)
{
	struct vtl_lib *l = scstu_dev_priv(dev);
	struct vtl_elem *s, *t, tmp;
	struct cart *cart = NULL;
	int ret = 0;

	g_mutex_lock(&l->lock);
	s = vtl_elem_at(l, src->addr);
	t = vtl_elem_at(l, dst->addr);
	if (!s || !t || !s->full) {
		scstu_log(SCSTU_LOG_ERR, "%s: move 0x%04x -> 0x%04x: the library's copy of the elements disagrees",
			  l->changer_name, src->addr, dst->addr);
		ret = -EIO;
		goto out;
	}
	if (s->type == SCSTU_ELEM_DRIVE) {
		ret = drive_take(l, s->index, &cart);
		if (ret)
			goto out;
	}
	if (t->type == SCSTU_ELEM_DRIVE) {
		char *why = NULL;
		int err = 0;

		if (!cart)
			cart = cart_open(l->cfg->dir, s->barcode, &err, &why);
		if (!cart) {
			scstu_log(SCSTU_LOG_ERR, "%s: cannot load %s: %s",
				  l->drives[t->index].name, s->barcode,
				  why ? why : g_strerror(-err));
			free(why);
			ret = -EIO;
			goto out;
		}
		ret = drive_put(l, t->index, cart);
		if (ret) {
			scstu_log(SCSTU_LOG_WARN, "%s: refused %s: %s",
				  l->drives[t->index].name, s->barcode,
				  g_strerror(-ret));
			/* back where it was */
			if (s->type != SCSTU_ELEM_DRIVE ||
			    drive_put(l, s->index, cart))
				cart_close(cart);
			goto out;
		}
	} else if (cart) {
		cart_close(cart);
	}
	/*
	 * The source of the medium: the storage element it last left. An
	 * exchange may move into a full element: the contents swap.
	 */
	tmp = *t;
	t->full = true;
	g_strlcpy(t->barcode, s->barcode, sizeof(t->barcode));
	t->source = s->type == SCSTU_ELEM_STORAGE ? s->addr : s->source;
	s->full = tmp.full;
	g_strlcpy(s->barcode, tmp.full ? tmp.barcode : "",
		  sizeof(s->barcode));
	s->source = tmp.full ? tmp.source : 0;
out:
	g_mutex_unlock(&l->lock);
	return ret;
}

void vtl_lib_changed(struct scstu_dev *dev)
{
	struct vtl_lib *l = scstu_dev_priv(dev);

	g_mutex_lock(&l->lock);
	vtl_lib_save(l);
	g_mutex_unlock(&l->lock);
}

/* --- control requests ------------------------------------------------- */

static enum vtl_where where_of(const struct vtl_elem *e)
{
	switch (e->type) {
	case SCSTU_ELEM_STORAGE:
		return VTL_WHERE_SLOT;
	case SCSTU_ELEM_IMPORT_EXPORT:
		return VTL_WHERE_MAILSLOT;
	case SCSTU_ELEM_DRIVE:
		return VTL_WHERE_DRIVE;
	default:
		return VTL_WHERE_PICKER;
	}
}

/* Fill c for barcode (lock held); e: its element or NULL (shelf). */
static void cart_info(struct vtl_lib *l, const char *barcode,
		      const struct vtl_elem *e, struct vtl_cart_info *c)
{
	struct scstu_tape_media media = { 0 };
	uint64_t used = 0;
	int ret;

	memset(c, 0, sizeof(*c));
	g_strlcpy(c->barcode, barcode, sizeof(c->barcode));
	if (e) {
		c->where = where_of(e);
		c->index = e->index;
		c->addr = e->addr;
	}
	ret = cart_stat(l->cfg->dir, barcode, &media, &used);
	if (ret) {
		snprintf(c->error, sizeof(c->error), "%s",
			 ret == -ENOENT ? "not in the library's directory" :
			 g_strerror(-ret));
		g_strlcpy(c->type, "?", sizeof(c->type));
		return;
	}
	vtl_media_type_name(&media, c->type, sizeof(c->type));
	c->capacity = media.capacity;
	c->used = used;
}

static gint cart_order(gconstpointer a, gconstpointer b)
{
	/* slots, drives, mailslots by address, then the shelf by barcode */
	const struct vtl_cart_info *x = a, *y = b;
	static const int rank[] = {
		[VTL_WHERE_SLOT] = 0, [VTL_WHERE_DRIVE] = 1,
		[VTL_WHERE_MAILSLOT] = 2, [VTL_WHERE_PICKER] = 3,
		[VTL_WHERE_SHELF] = 4,
	};

	if (rank[x->where] != rank[y->where])
		return rank[x->where] - rank[y->where];
	if (x->where != VTL_WHERE_SHELF)
		return (int)x->addr - (int)y->addr;
	return strcmp(x->barcode, y->barcode);
}

static int op_list(void *ctx, GArray *carts, char **msg)
{
	struct vtl_lib *l = ctx;
	struct vtl_cart_info c;
	const char *name;
	GDir *d;

	d = g_dir_open(l->cfg->dir, 0, NULL);
	if (!d) {
		*msg = g_strdup_printf("%s: %s", l->cfg->dir,
				       g_strerror(errno));
		return -errno;
	}
	g_mutex_lock(&l->lock);
	while ((name = g_dir_read_name(d))) {
		if (!vtl_barcode_valid(name) || vtl_elem_find(l, name))
			continue;
		cart_info(l, name, NULL, &c);
		g_array_append_val(carts, c);
	}
	for (unsigned int i = 0; i < l->nr_elems; i++) {
		if (!l->elems[i].full)
			continue;
		cart_info(l, l->elems[i].barcode, &l->elems[i], &c);
		g_array_append_val(carts, c);
	}
	g_mutex_unlock(&l->lock);
	g_dir_close(d);
	g_array_sort(carts, cart_order);
	return 0;
}

static int op_drives(void *ctx, GArray *drives, char **msg)
{
	struct vtl_lib *l = ctx;

	(void)msg;
	for (unsigned int i = 0; i < l->cfg->nr_drives; i++) {
		const struct vtl_drive_config *dc = &l->cfg->drives[i];
		struct vtl_drive_info d = { 0 };
		struct vtl_elem *e;

		d.index = i;
		d.addr = VTL_ADDR_DRIVE + i;
		g_strlcpy(d.name, l->drives[i].name, sizeof(d.name));
		g_strlcpy(d.personality, dc->personality,
			  sizeof(d.personality));
		g_strlcpy(d.serial, dc->serial ? dc->serial :
			  l->drives[i].name, sizeof(d.serial));
		g_mutex_lock(&l->lock);
		e = vtl_elem_at(l, d.addr);
		if (e && e->full)
			g_strlcpy(d.barcode, e->barcode, sizeof(d.barcode));
		g_mutex_unlock(&l->lock);
		scstu_tape_get_status(l->drives[i].dev, &d.st);
		g_array_append_val(drives, d);
	}
	return 0;
}

static int op_status(void *ctx, struct vtl_lib_info *info, char **msg)
{
	struct vtl_lib *l = ctx;
	GArray *carts = g_array_new(FALSE, TRUE,
				    sizeof(struct vtl_cart_info));
	int ret;

	info->name = l->cfg->name;
	info->dir = l->cfg->dir;
	info->socket = l->cfg->socket;
	info->changer = l->changer_name;
	info->compression = l->cfg->compress == VTL_COMPRESS_ZSTD ?
		"zstd" : "lz4";
	info->slots = l->cfg->slots;
	info->mailslots = l->cfg->mailslots;
	info->drives = l->cfg->nr_drives;
	ret = op_list(ctx, carts, msg);
	for (unsigned int i = 0; !ret && i < carts->len; i++) {
		switch (g_array_index(carts, struct vtl_cart_info, i).where) {
		case VTL_WHERE_SLOT:
			info->slots_full++;
			break;
		case VTL_WHERE_MAILSLOT:
			info->mailslots_full++;
			break;
		case VTL_WHERE_DRIVE:
			info->drives_full++;
			break;
		case VTL_WHERE_SHELF:
			info->shelf++;
			break;
		default:
			break;
		}
	}
	g_array_free(carts, TRUE);
	return ret;
}

/* The mailslot element for a request's number (-1: the first empty). */
static struct vtl_elem *mailslot(struct vtl_lib *l, int n, bool want_full,
				 char **msg)
{
	if (n >= (int)l->cfg->mailslots) {
		*msg = l->cfg->mailslots ?
			g_strdup_printf("no mailslot %d: the library has mailslots 0 to %u",
					n, l->cfg->mailslots - 1) :
			g_strdup("the library has no mailslots");
		return NULL;
	}
	if (n >= 0)
		return vtl_elem_at(l, VTL_ADDR_MAILSLOT + n);
	for (unsigned int i = 0; i < l->cfg->mailslots; i++) {
		struct vtl_elem *e = vtl_elem_at(l, VTL_ADDR_MAILSLOT + i);

		if (e->full == want_full)
			return e;
	}
	*msg = l->cfg->mailslots ? g_strdup("every mailslot is full") :
		g_strdup("the library has no mailslots");
	return NULL;
}

static int op_import(void *ctx, const char *barcode, int n, GArray *carts,
		     char **msg)
{
	struct vtl_lib *l = ctx;
	struct scstu_tape_media media;
	struct vtl_cart_info c;
	struct vtl_elem *e, *in;
	uint64_t used;
	int ret;

	if (!vtl_barcode_valid(barcode)) {
		*msg = g_strdup_printf("bad barcode '%s'", barcode);
		return -EINVAL;
	}
	ret = cart_stat(l->cfg->dir, barcode, &media, &used);
	if (ret) {
		*msg = g_strdup_printf("cartridge %s: %s", barcode,
				       ret == -ENOENT ?
				       "not in the library's directory (vtlctl create makes it)" :
				       g_strerror(-ret));
		return ret;
	}
	g_mutex_lock(&l->lock);
	in = vtl_elem_find(l, barcode);
	e = in ? NULL : mailslot(l, n, false, msg);
	if (in) {
		*msg = g_strdup_printf("cartridge %s is in the library (%s %u)",
				       barcode, vtl_where_name(where_of(in)),
				       in->index);
		ret = -EEXIST;
	} else if (!e) {
		ret = n < 0 ? -EBUSY : -EINVAL;
	} else if (e->full) {
		*msg = g_strdup_printf("mailslot %d holds %s", n,
				       e->barcode);
		ret = -EBUSY;
	}
	g_mutex_unlock(&l->lock);
	if (ret)
		return ret;
	/* not under l->lock: the class calls ->changed with its lock */
	ret = scstu_changer_import(l->changer, e->addr, barcode);
	if (ret) {
		*msg = g_strdup_printf("mailslot %u: %s", e->index,
				       ret == -EPERM ?
				       "medium removal is prevented" :
				       ret == -EBUSY ? "it is full" :
				       g_strerror(-ret));
		return ret;
	}
	g_mutex_lock(&l->lock);
	e->full = true;
	e->source = 0;
	g_strlcpy(e->barcode, barcode, sizeof(e->barcode));
	vtl_lib_save(l);
	cart_info(l, barcode, e, &c);
	g_mutex_unlock(&l->lock);
	g_array_append_val(carts, c);
	scstu_log(SCSTU_LOG_INFO, "%s: imported %s into mailslot %u",
		  l->cfg->name, barcode, e->index);
	return 0;
}

static int export_one(struct vtl_lib *l, struct vtl_elem *e, GArray *carts,
		      char **msg)
{
	struct vtl_cart_info c;
	char tag[SCSTU_VOLTAG_LEN + 1] = "";
	int ret;

	ret = scstu_changer_export(l->changer, e->addr, tag, sizeof(tag));
	if (ret) {
		*msg = g_strdup_printf("mailslot %u: %s", e->index,
				       ret == -EPERM ?
				       "medium removal is prevented" :
				       ret == -EBUSY ? "it is empty" :
				       g_strerror(-ret));
		return ret;
	}
	g_mutex_lock(&l->lock);
	if (strcmp(tag, e->barcode))
		scstu_log(SCSTU_LOG_WARN, "%s: mailslot %u held %s, the library thought %s",
			  l->cfg->name, e->index, tag, e->barcode);
	e->full = false;
	e->source = 0;
	vtl_lib_save(l);
	cart_info(l, tag[0] ? tag : e->barcode, NULL, &c);
	e->barcode[0] = '\0';
	g_mutex_unlock(&l->lock);
	g_array_append_val(carts, c);
	scstu_log(SCSTU_LOG_INFO, "%s: exported %s from mailslot %u",
		  l->cfg->name, c.barcode, e->index);
	return 0;
}

static int op_export(void *ctx, const char *barcode, int n, GArray *carts,
		     char **msg)
{
	struct vtl_lib *l = ctx;
	struct vtl_elem *todo[VTL_MAX_MAILSLOTS];
	unsigned int nr = 0;
	int ret = 0;

	g_mutex_lock(&l->lock);
	if (barcode) {
		struct vtl_elem *e = vtl_elem_find(l, barcode);

		if (!e || e->type != SCSTU_ELEM_IMPORT_EXPORT) {
			*msg = e ? g_strdup_printf("cartridge %s is in %s %u, not in a mailslot: move it to one first (MOVE MEDIUM, mtx transfer)",
						   barcode,
						   vtl_where_name(where_of(e)),
						   e->index) :
				g_strdup_printf("cartridge %s is not in the library",
						barcode);
			ret = -ENOENT;
		} else {
			todo[nr++] = e;
		}
	} else if (n >= 0) {
		struct vtl_elem *e = mailslot(l, n, true, msg);

		if (!e)
			ret = -EINVAL;
		else if (!e->full) {
			*msg = g_strdup_printf("mailslot %d is empty", n);
			ret = -ENOENT;
		} else {
			todo[nr++] = e;
		}
	} else {
		for (unsigned int i = 0; i < l->cfg->mailslots; i++) {
			struct vtl_elem *e =
				vtl_elem_at(l, VTL_ADDR_MAILSLOT + i);

			if (e->full)
				todo[nr++] = e;
		}
	}
	g_mutex_unlock(&l->lock);
	for (unsigned int i = 0; !ret && i < nr; i++)
		ret = export_one(l, todo[i], carts, msg);
	return ret;
}

const struct vtl_ctl_ops vtl_lib_ctl_ops = {
	.list = op_list,
	.drives = op_drives,
	.status = op_status,
	.import = op_import,
	.export = op_export,
};
