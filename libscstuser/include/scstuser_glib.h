/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser GLib main loop integration, for devices created with
 * SCSTU_DEV_OWN_LOOP: a GSource that calls scstu_dev_process() whenever
 * the device has work.
 */
#ifndef SCSTUSER_GLIB_H
#define SCSTUSER_GLIB_H

#include <glib.h>
#include "scstuser.h"

G_BEGIN_DECLS

/* A new source (not attached); g_source_attach() it to a context. */
GSource *scstu_dev_glib_source(struct scstu_dev *dev);

G_END_DECLS

#endif /* SCSTUSER_GLIB_H */
