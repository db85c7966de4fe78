// SPDX-License-Identifier: GPL-2.0
/*
 * The element state file. Text, one full element per line:
 *
 *	scstu-vtl-state 1
 *	library lib0
 *	element 0x1000 E01000L8 0x0000
 *	end 1 crc32c 0x1a2b3c4d
 *
 * "end" gives the number of element lines and the CRC32C of every byte
 * before the end line, so a torn or edited file is found, not believed.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <isa-l/crc.h>

#include "vtl_config.h"
#include "vtl_state.h"

#define STATE_MAGIC	"scstu-vtl-state"
#define STATE_VERSION	1

static uint32_t crc32c(const void *buf, size_t len)
{
	return crc32_iscsi((unsigned char *)buf, len, 0xffffffff) ^
		0xffffffff;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= n;
	}
	return 0;
}

static int fsync_dir(const char *path)
{
	char *copy = g_strdup(path);
	int fd, ret = 0;

	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	g_free(copy);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

int vtl_state_save(const char *path, const char *library,
		   const struct vtl_state_elem *e, unsigned int nr,
		   char **msg)
{
	GString *s = g_string_new(NULL);
	char *tmp = g_strdup_printf("%s.tmp", path);
	const char *what = "create";
	int fd, ret;

	*msg = NULL;
	g_string_append_printf(s, "%s %d\nlibrary %s\n", STATE_MAGIC,
			       STATE_VERSION, library);
	for (unsigned int i = 0; i < nr; i++)
		g_string_append_printf(s, "element 0x%04x %s 0x%04x\n",
				       e[i].addr, e[i].barcode, e[i].source);
	g_string_append_printf(s, "end %u crc32c 0x%08x\n", nr,
			       crc32c(s->str, s->len));
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	what = "write";
	ret = write_all(fd, s->str, s->len);
	if (!ret && fsync(fd)) {
		what = "fsync";
		ret = -errno;
	}
	if (close(fd) && !ret) {
		what = "close";
		ret = -errno;
	}
	if (!ret && rename(tmp, path)) {
		what = "rename";
		ret = -errno;
	}
	if (ret) {
		unlink(tmp);
		goto out;
	}
	what = "fsync the directory of";
	ret = fsync_dir(path);
out:
	if (ret)
		*msg = g_strdup_printf("%s: cannot %s %s: %s", path, what,
				       tmp, g_strerror(-ret));
	g_free(tmp);
	g_string_free(s, TRUE);
	return ret;
}

static int bad(char **msg, const char *path, unsigned int line,
	       const char *what)
{
	if (line)
		*msg = g_strdup_printf("%s:%u: corrupt state file: %s", path,
				       line, what);
	else
		*msg = g_strdup_printf("%s: corrupt state file: %s", path,
				       what);
	return -EBADMSG;
}

static bool parse_addr(const char *s, uint16_t *out)
{
	guint64 v;

	if (strncmp(s, "0x", 2) || strlen(s) != 6)
		return false;
	if (!g_ascii_string_to_unsigned(s + 2, 16, 0, 0xffff, &v, NULL))
		return false;
	*out = v;
	return true;
}

static int parse_elem(const char *line, struct vtl_state_elem *e)
{
	char **f = g_strsplit(line, " ", -1);
	int ok = g_strv_length(f) == 4 && !strcmp(f[0], "element") &&
		parse_addr(f[1], &e->addr) && vtl_barcode_valid(f[2]) &&
		parse_addr(f[3], &e->source) && e->addr;

	if (ok)
		g_strlcpy(e->barcode, f[2], sizeof(e->barcode));
	g_strfreev(f);
	return ok ? 0 : -EBADMSG;
}

static int parse(const char *path, const char *library, char *data,
		 size_t len, GArray *out, char **msg)
{
	char **lines, *end_line = NULL, *expect;
	unsigned int n, i, nr;
	size_t before;
	uint32_t crc;
	int ret = 0;

	if (memchr(data, '\0', len))
		return bad(msg, path, 0, "NUL bytes");
	if (!len || data[len - 1] != '\n')
		return bad(msg, path, 0, "truncated (no end line)");
	lines = g_strsplit(data, "\n", -1);
	n = g_strv_length(lines) - 1;	/* the last is "" */
	expect = g_strdup_printf("%s %d", STATE_MAGIC, STATE_VERSION);
	if (n < 3 || strncmp(lines[0], STATE_MAGIC " ",
			     strlen(STATE_MAGIC) + 1)) {
		ret = bad(msg, path, 1, "not a scstu-vtl state file");
		goto out;
	}
	if (strcmp(lines[0], expect)) {
		ret = bad(msg, path, 1, "unknown version");
		goto out;
	}
	end_line = lines[n - 1];
	for (i = 0, before = 0; i < n - 1; i++)
		before += strlen(lines[i]) + 1;
	crc = crc32c(data, before);
	g_free(expect);
	expect = g_strdup_printf("end %u crc32c 0x%08x", n - 3, crc);
	if (strncmp(end_line, "end ", 4)) {
		ret = bad(msg, path, n, "truncated (no end line)");
		goto out;
	}
	if (sscanf(end_line, "end %u", &nr) != 1 || nr != n - 3) {
		ret = bad(msg, path, n, "wrong element count");
		goto out;
	}
	if (strcmp(end_line, expect)) {
		ret = bad(msg, path, n, "CRC32C mismatch");
		goto out;
	}
	if (strncmp(lines[1], "library ", 8)) {
		ret = bad(msg, path, 2, "no library line");
		goto out;
	}
	if (strcmp(lines[1] + 8, library)) {
		*msg = g_strdup_printf("%s: state of library '%s', not '%s'",
				       path, lines[1] + 8, library);
		ret = -EBADMSG;
		goto out;
	}
	for (i = 2; i < n - 1; i++) {
		struct vtl_state_elem e = { 0 };

		if (parse_elem(lines[i], &e)) {
			ret = bad(msg, path, i + 1, "bad element line");
			goto out;
		}
		for (unsigned int k = 0; k < out->len; k++) {
			const struct vtl_state_elem *o =
				&g_array_index(out, struct vtl_state_elem, k);

			if (o->addr == e.addr) {
				ret = bad(msg, path, i + 1,
					  "element listed twice");
				goto out;
			}
			if (!strcmp(o->barcode, e.barcode)) {
				ret = bad(msg, path, i + 1,
					  "cartridge in two elements");
				goto out;
			}
		}
		g_array_append_val(out, e);
	}
out:
	g_free(expect);
	g_strfreev(lines);
	return ret;
}

int vtl_state_load(const char *path, const char *library,
		   struct vtl_state_elem **e, unsigned int *nr, char **msg)
{
	GArray *out = g_array_new(FALSE, TRUE, sizeof(struct vtl_state_elem));
	GError *err = NULL;
	char *data;
	gsize len;
	int ret;

	*msg = NULL;
	*e = NULL;
	*nr = 0;
	if (!g_file_get_contents(path, &data, &len, &err)) {
		ret = err->domain == G_FILE_ERROR &&
			err->code == G_FILE_ERROR_NOENT ? -ENOENT : -EIO;
		*msg = g_strdup_printf("%s: %s", path, err->message);
		g_clear_error(&err);
		g_array_free(out, TRUE);
		return ret;
	}
	ret = parse(path, library, data, len, out, msg);
	g_free(data);
	if (ret) {
		g_array_free(out, TRUE);
		return ret;
	}
	*nr = out->len;
	*e = (struct vtl_state_elem *)g_array_free(out, FALSE);
	return 0;
}
