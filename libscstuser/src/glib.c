// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * GLib main loop integration: a GSource watching scstu_dev_fd() that
 * runs scstu_dev_process() when the device has work. For devices
 * created with SCSTU_DEV_OWN_LOOP.
 */
#include <string.h>

#include "internal.h"
#include "scstuser_glib.h"

struct dev_source {
	GSource source;
	struct scstu_dev *dev;
	gpointer tag;
};

static gboolean dev_source_dispatch(GSource *source, GSourceFunc callback,
				    gpointer user_data)
{
	struct dev_source *s = (struct dev_source *)source;
	int ret;

	(void)callback;
	(void)user_data;
	ret = scstu_dev_process(s->dev);
	if (ret < 0) {
		scstu_log(SCSTU_LOG_ERR, "%s: processing failed (%s), "
			  "source removed", scstu_dev_name(s->dev),
			  strerror(-ret));
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs dev_source_funcs = {
	.dispatch = dev_source_dispatch,
};

GSource *scstu_dev_glib_source(struct scstu_dev *dev)
{
	struct dev_source *s;
	GSource *source;
	int fd = scstu_dev_fd(dev);

	if (fd < 0)
		return NULL;
	source = g_source_new(&dev_source_funcs, sizeof(*s));
	s = (struct dev_source *)source;
	s->dev = dev;
	s->tag = g_source_add_unix_fd(source, fd, G_IO_IN);
	g_source_set_name(source, "scstu device");
	return source;
}
