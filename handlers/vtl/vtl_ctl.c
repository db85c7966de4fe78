// SPDX-License-Identifier: GPL-2.0
/* The control socket: protocol (dispatch), server and client. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <glib-unix.h>

#include "vtl_ctl.h"

/* --- protocol --------------------------------------------------------- */

static char *reply_error(int err, const char *msg)
{
	JsonBuilder *b = json_builder_new();
	const char *name = strerrorname_np(err > 0 ? err : -err);
	JsonNode *n;
	char *s;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "ok");
	json_builder_add_boolean_value(b, FALSE);
	json_builder_set_member_name(b, "error");
	json_builder_add_string_value(b, msg && *msg ? msg :
				      g_strerror(err > 0 ? err : -err));
	json_builder_set_member_name(b, "errno");
	json_builder_add_string_value(b, name ? name : "EIO");
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	s = vtl_json_line(n);
	json_node_unref(n);
	g_object_unref(b);
	return s;
}

static char *reply_ok(JsonNode *result)
{
	JsonObject *o = json_object_new();
	JsonNode *n = json_node_new(JSON_NODE_OBJECT);
	char *s;

	json_object_set_boolean_member(o, "ok", TRUE);
	json_object_set_member(o, "result", result);
	json_node_take_object(n, o);
	s = vtl_json_line(n);
	json_node_unref(n);
	return s;
}

static JsonNode *carts_node(GArray *a)
{
	JsonArray *arr = json_array_new();
	JsonNode *n = json_node_new(JSON_NODE_ARRAY);

	for (unsigned int i = 0; i < a->len; i++)
		json_array_add_element(arr, vtl_json_cart(
			&g_array_index(a, struct vtl_cart_info, i)));
	json_node_take_array(n, arr);
	return n;
}

static JsonNode *drives_node(GArray *a)
{
	JsonArray *arr = json_array_new();
	JsonNode *n = json_node_new(JSON_NODE_ARRAY);

	for (unsigned int i = 0; i < a->len; i++)
		json_array_add_element(arr, vtl_json_drive(
			&g_array_index(a, struct vtl_drive_info, i)));
	json_node_take_array(n, arr);
	return n;
}

/* Request members: which a command takes, and their types. */
struct args {
	const char *barcode;
	int mailslot;
};

static char *check_members(JsonObject *o, const char *cmd, bool takes_args,
			   struct args *a)
{
	GList *names = json_object_get_members(o);
	char *err = NULL;

	a->barcode = NULL;
	a->mailslot = -1;
	for (GList *l = names; l && !err; l = l->next) {
		const char *name = l->data;
		JsonNode *v = json_object_get_member(o, name);
		bool is_val = JSON_NODE_TYPE(v) == JSON_NODE_VALUE;

		if (!strcmp(name, "cmd"))
			continue;
		if (!takes_args) {
			err = g_strdup_printf("%s takes no '%s'", cmd, name);
		} else if (!strcmp(name, "barcode")) {
			if (!is_val ||
			    json_node_get_value_type(v) != G_TYPE_STRING)
				err = g_strdup("barcode must be a string");
			else
				a->barcode = json_node_get_string(v);
		} else if (!strcmp(name, "mailslot")) {
			bool is_int = is_val &&
				json_node_get_value_type(v) == G_TYPE_INT64;
			gint64 m = is_int ? json_node_get_int(v) : -1;

			if (m < 0 || m > 65535)
				err = g_strdup("mailslot must be a number from 0");
			else
				a->mailslot = m;
		} else {
			err = g_strdup_printf("%s takes no '%s'", cmd, name);
		}
	}
	g_list_free(names);
	return err;
}

static char *run(const struct vtl_ctl_ops *ops, void *ctx, const char *cmd,
		 const struct args *a)
{
	char *msg = NULL, *reply;
	GArray *arr = NULL;
	struct vtl_lib_info info = { 0 };
	JsonNode *res = NULL;
	int ret;

	if (!strcmp(cmd, "list") || !strcmp(cmd, "import") ||
	    !strcmp(cmd, "export")) {
		arr = g_array_new(FALSE, TRUE, sizeof(struct vtl_cart_info));
		if (cmd[0] == 'l')
			ret = ops->list(ctx, arr, &msg);
		else if (cmd[0] == 'i')
			ret = ops->import(ctx, a->barcode, a->mailslot, arr,
					  &msg);
		else
			ret = ops->export(ctx, a->barcode, a->mailslot, arr,
					  &msg);
		if (!ret)
			res = carts_node(arr);
	} else if (!strcmp(cmd, "drives")) {
		arr = g_array_new(FALSE, TRUE, sizeof(struct vtl_drive_info));
		ret = ops->drives(ctx, arr, &msg);
		if (!ret)
			res = drives_node(arr);
	} else {
		ret = ops->status(ctx, &info, &msg);
		if (!ret)
			res = vtl_json_lib(&info);
	}
	if (arr)
		g_array_free(arr, TRUE);
	reply = ret ? reply_error(ret, msg) : reply_ok(res);
	g_free(msg);
	return reply;
}

char *vtl_ctl_dispatch(const struct vtl_ctl_ops *ops, void *ctx,
		       const char *line)
{
	static const char *const cmds[] = {
		"list", "drives", "status", "import", "export",
	};
	JsonParser *p = json_parser_new();
	GError *gerr = NULL;
	JsonNode *root, *cmdn;
	JsonObject *o;
	const char *cmd;
	struct args a;
	char *reply = NULL, *err;
	size_t i;

	if (!json_parser_load_from_data(p, line, -1, &gerr)) {
		err = g_strdup_printf("bad request: %s", gerr->message);
		g_clear_error(&gerr);
		goto bad;
	}
	root = json_parser_get_root(p);
	if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
		err = g_strdup("bad request: not a JSON object");
		goto bad;
	}
	o = json_node_get_object(root);
	cmdn = json_object_get_member(o, "cmd");
	cmd = cmdn && JSON_NODE_TYPE(cmdn) == JSON_NODE_VALUE &&
		json_node_get_value_type(cmdn) == G_TYPE_STRING ?
		json_node_get_string(cmdn) : NULL;
	if (!cmd) {
		err = g_strdup("bad request: no \"cmd\" string");
		goto bad;
	}
	for (i = 0; i < G_N_ELEMENTS(cmds); i++)
		if (!strcmp(cmd, cmds[i]))
			break;
	if (i == G_N_ELEMENTS(cmds)) {
		err = g_strdup_printf("unknown command '%s' (known: list, drives, status, import, export)",
				      cmd);
		goto bad;
	}
	err = check_members(o, cmd, i >= 3, &a);
	if (!err && i == 3 && !a.barcode)
		err = g_strdup("import needs a barcode");
	if (err)
		goto bad;
	reply = run(ops, ctx, cmd, &a);
	g_object_unref(p);
	return reply;
bad:
	reply = reply_error(EINVAL, err);
	g_free(err);
	g_object_unref(p);
	return reply;
}

/* --- server ----------------------------------------------------------- */

struct client {
	struct vtl_ctl_server *srv;
	int fd;
	guint src;
	GString *in;
};

struct vtl_ctl_server {
	char *path;
	int fd;
	guint src;
	const struct vtl_ctl_ops *ops;
	void *ctx;
	GList *clients;
};

static int fill_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

/* Write all of buf to a non-blocking socket, giving up after 5 s. */
static int send_all(int fd, const char *buf, size_t len)
{
	int waited = 0;

	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };

		if (n > 0) {
			buf += n;
			len -= n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return -errno;
		if (waited >= 5000 || poll(&pfd, 1, 100) < 0)
			return -ETIMEDOUT;
		waited += 100;
	}
	return 0;
}

static void client_close(struct client *c)
{
	c->srv->clients = g_list_remove(c->srv->clients, c);
	g_source_remove(c->src);
	close(c->fd);
	g_string_free(c->in, TRUE);
	g_free(c);
}

/* Answer every complete line; false if the client must go. */
static bool client_lines(struct client *c)
{
	char *nl;

	while ((nl = memchr(c->in->str, '\n', c->in->len))) {
		size_t n = nl - c->in->str;
		char *req = g_strndup(c->in->str, n), *reply;
		int ret;

		g_string_erase(c->in, 0, n + 1);
		reply = vtl_ctl_dispatch(c->srv->ops, c->srv->ctx, req);
		g_free(req);
		ret = send_all(c->fd, reply, strlen(reply));
		if (!ret)
			ret = send_all(c->fd, "\n", 1);
		g_free(reply);
		if (ret)
			return false;
	}
	if (c->in->len > VTL_CTL_MAX_LINE) {
		char *reply = reply_error(E2BIG, "request line too long");

		send_all(c->fd, reply, strlen(reply));
		send_all(c->fd, "\n", 1);
		g_free(reply);
		return false;
	}
	return true;
}

static gboolean client_cb(gint fd, GIOCondition cond, gpointer data)
{
	struct client *c = data;
	char buf[4096];
	ssize_t n;

	(void)cond;
	n = read(fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	if (n <= 0) {
		client_close(c);
		return G_SOURCE_REMOVE;	/* client_close removed it */
	}
	g_string_append_len(c->in, buf, n);
	if (!client_lines(c)) {
		client_close(c);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static gboolean accept_cb(gint fd, GIOCondition cond, gpointer data)
{
	struct vtl_ctl_server *s = data;
	struct client *c;
	int cfd;

	(void)cond;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return G_SOURCE_CONTINUE;
	c = g_new0(struct client, 1);
	c->srv = s;
	c->fd = cfd;
	c->in = g_string_new(NULL);
	c->src = g_unix_fd_add(cfd, G_IO_IN | G_IO_HUP | G_IO_ERR,
			       client_cb, c);
	s->clients = g_list_prepend(s->clients, c);
	return G_SOURCE_CONTINUE;
}

/* Is somebody serving path? Then it is not ours to replace. */
static bool socket_live(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool live;

	if (fd < 0)
		return false;
	live = !connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	return live;
}

struct vtl_ctl_server *vtl_ctl_server_new(const char *path,
					  const struct vtl_ctl_ops *ops,
					  void *ctx, char **msg)
{
	struct vtl_ctl_server *s;
	struct sockaddr_un sa;
	char *dir;
	int fd, ret;

	*msg = NULL;
	if (fill_addr(path, &sa)) {
		*msg = g_strdup_printf("%s: socket path too long", path);
		return NULL;
	}
	dir = g_path_get_dirname(path);
	ret = g_mkdir_with_parents(dir, 0755);
	g_free(dir);
	if (ret) {
		*msg = g_strdup_printf("%s: cannot make its directory: %s",
				       path, g_strerror(errno));
		return NULL;
	}
	if (socket_live(&sa)) {
		*msg = g_strdup_printf("%s: another daemon serves this socket",
				       path);
		return NULL;
	}
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(path, 0600) || listen(fd, 16)) {
		*msg = g_strdup_printf("%s: %s", path, g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	s = g_new0(struct vtl_ctl_server, 1);
	s->path = g_strdup(path);
	s->fd = fd;
	s->ops = ops;
	s->ctx = ctx;
	s->src = g_unix_fd_add(fd, G_IO_IN, accept_cb, s);
	return s;
}

void vtl_ctl_server_free(struct vtl_ctl_server *s)
{
	if (!s)
		return;
	while (s->clients)
		client_close(s->clients->data);
	g_source_remove(s->src);
	close(s->fd);
	unlink(s->path);
	g_free(s->path);
	g_free(s);
}

/* --- client ----------------------------------------------------------- */

static int64_t now_ms(void)
{
	return g_get_monotonic_time() / 1000;
}

int vtl_ctl_call(const char *path, const char *request, int timeout_ms,
		 char **reply, char **msg)
{
	GString *in = g_string_new(NULL);
	int64_t end = now_ms() + timeout_ms;
	struct sockaddr_un sa;
	int fd, ret = 0;
	char *nl;

	*reply = NULL;
	*msg = NULL;
	if (fill_addr(path, &sa)) {
		*msg = g_strdup_printf("%s: socket path too long", path);
		g_string_free(in, TRUE);
		return -ENAMETOOLONG;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		*msg = g_strdup_printf("%s: %s (is scstu-vtl running for this library?)",
				       path, g_strerror(errno));
		goto out;
	}
	ret = send_all(fd, request, strlen(request));
	if (!ret)
		ret = send_all(fd, "\n", 1);
	while (!ret && !(nl = memchr(in->str, '\n', in->len))) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char buf[4096];
		ssize_t n;
		int left = end - now_ms();

		if (left <= 0) {
			ret = -ETIMEDOUT;
			break;
		}
		if (poll(&pfd, 1, left) < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -ECONNRESET;
			break;
		}
		g_string_append_len(in, buf, n);
	}
	if (ret)
		*msg = g_strdup_printf("%s: %s", path, g_strerror(-ret));
	else
		*reply = g_strndup(in->str, nl - in->str);
out:
	if (fd >= 0)
		close(fd);
	g_string_free(in, TRUE);
	return ret;
}
