// SPDX-License-Identifier: LGPL-2.1-or-later
/* Command-line options and signal handling shared by the samples. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <scstuser_glib.h>

#include "common.h"

static struct scstu_dev *stop_dev;

static void on_signal(int sig)
{
	(void)sig;
	scstu_dev_stop(stop_dev);	/* async-signal-safe */
}

void sample_stop_on_signals(struct scstu_dev *dev)
{
	struct sigaction sa = { .sa_handler = on_signal };

	stop_dev = dev;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static gboolean quit_loop(gpointer loop)
{
	g_main_loop_quit(loop);
	return G_SOURCE_CONTINUE;
}

int sample_run(struct scstu_dev *dev, const struct sample_opts *o)
{
	GMainLoop *loop;
	GSource *src;

	if (!o->glib) {
		sample_stop_on_signals(dev);
		return scstu_dev_run(dev);
	}
	src = scstu_dev_glib_source(dev);
	if (!src)
		return -EINVAL;
	loop = g_main_loop_new(NULL, FALSE);
	g_source_attach(src, NULL);
	g_unix_signal_add(SIGINT, quit_loop, loop);
	g_unix_signal_add(SIGTERM, quit_loop, loop);
	g_main_loop_run(loop);
	g_source_destroy(src);
	g_source_unref(src);
	g_main_loop_unref(loop);
	return 0;
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	unsigned int shift = 0;

	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (end == s || *end || (v << shift) >> shift != v)
		return -1;
	*out = v << shift;
	return 0;
}

static void usage(const char *prog, unsigned int extras)
{
	fprintf(stderr,
		"usage: %s --name NAME [--size BYTES] [--block-size 512|4096]\n"
		"       [--queues N] [--depth N] [--busy-poll US] [--glib]%s%s\n",
		prog, extras & SAMPLE_OPT_DELAY ? " [--delay-ms N]" : "",
		extras & SAMPLE_OPT_FILE ? " --file PATH" : "");
}

int sample_parse(int argc, char **argv, const char *prog, unsigned int extras,
		 struct sample_opts *o)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "block-size", required_argument, NULL, 'b' },
		{ "queues", required_argument, NULL, 'q' },
		{ "depth", required_argument, NULL, 'd' },
		{ "busy-poll", required_argument, NULL, 'p' },
		{ "delay-ms", required_argument, NULL, 'D' },
		{ "file", required_argument, NULL, 'f' },
		{ "glib", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*o = (struct sample_opts){ .size = 1ULL << 30, .block_size = 512,
				   .queues = 1 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o->name = optarg; break;
		case 's':
			if (parse_size(optarg, &o->size))
				goto bad;
			break;
		case 'b': o->block_size = strtoul(optarg, NULL, 0); break;
		case 'q': o->queues = strtoul(optarg, NULL, 0); break;
		case 'd': o->depth = strtoul(optarg, NULL, 0); break;
		case 'p': o->busy_poll_us = strtoul(optarg, NULL, 0); break;
		case 'g': o->glib = true; break;
		case 'D':
			if (!(extras & SAMPLE_OPT_DELAY))
				goto bad;
			o->delay_ms = strtoul(optarg, NULL, 0);
			break;
		case 'f':
			if (!(extras & SAMPLE_OPT_FILE))
				goto bad;
			o->file = optarg;
			break;
		default:
			goto bad;
		}
	}
	if (optind != argc || !o->name ||
	    (o->block_size != 512 && o->block_size != 4096) ||
	    ((extras & SAMPLE_OPT_FILE) && !o->file) ||
	    o->size < o->block_size)
		goto bad;
	return 0;
bad:
	usage(prog, extras);
	return -1;
}
