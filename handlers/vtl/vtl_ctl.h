/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket of scstu-vtl (docs/vtl.md, "Control socket"): a
 * unix stream socket; each request is one line of JSON, each reply one
 * line of JSON:
 *
 *	{"cmd":"list"}			-> {"ok":true,"result":[cart...]}
 *	{"cmd":"drives"}		-> {"ok":true,"result":[drive...]}
 *	{"cmd":"status"}		-> {"ok":true,"result":{library}}
 *	{"cmd":"import","barcode":"X","mailslot":0}
 *	{"cmd":"export","mailslot":0} / {"cmd":"export","barcode":"X"} /
 *	{"cmd":"export"} (every full mailslot)
 *					-> {"ok":true,"result":[cart...]}
 *	failure				-> {"ok":false,"error":"...",
 *					    "errno":"EBUSY"}
 */
#ifndef SCSTU_VTL_CTL_H
#define SCSTU_VTL_CTL_H

#include <glib.h>

#include "vtl_info.h"

#define VTL_CTL_MAX_LINE	65536

/*
 * What the daemon does for each request (vtl_lib.c). Each returns 0 or
 * -errno with *msg (g_free'd by the caller). mailslot -1: any/every.
 * Arrays hold struct vtl_cart_info or struct vtl_drive_info.
 */
struct vtl_ctl_ops {
	int (*list)(void *ctx, GArray *carts, char **msg);
	int (*drives)(void *ctx, GArray *drives, char **msg);
	int (*status)(void *ctx, struct vtl_lib_info *info, char **msg);
	int (*import)(void *ctx, const char *barcode, int mailslot,
		      GArray *carts, char **msg);
	int (*export)(void *ctx, const char *barcode, int mailslot,
		      GArray *carts, char **msg);
};

/* One request line (without its newline) -> one reply line (g_free). */
char *vtl_ctl_dispatch(const struct vtl_ctl_ops *ops, void *ctx,
		       const char *line);

struct vtl_ctl_server;

/*
 * Listen on path (its directory is made if missing) and serve requests
 * from the thread-default main context. A stale socket file is replaced;
 * a live one (another daemon) is -EADDRINUSE. NULL with *msg on error.
 */
struct vtl_ctl_server *vtl_ctl_server_new(const char *path,
					  const struct vtl_ctl_ops *ops,
					  void *ctx, char **msg);
/* Close every connection, remove the socket file. */
void vtl_ctl_server_free(struct vtl_ctl_server *s);

/*
 * Client: send one request line, wait (timeout_ms) for the reply line
 * (g_free, without newline). 0 or -errno with *msg.
 */
int vtl_ctl_call(const char *path, const char *request, int timeout_ms,
		 char **reply, char **msg);

#endif /* SCSTU_VTL_CTL_H */
