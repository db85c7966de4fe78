/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the samples share and is not about libscstuser: command-line
 * options and stopping on SIGINT/SIGTERM.
 */
#ifndef SAMPLES_COMMON_H
#define SAMPLES_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <scstuser.h>

/* extra options a sample accepts (sample_parse's extras) */
#define SAMPLE_OPT_DELAY	(1U << 0)	/* --delay-ms N */
#define SAMPLE_OPT_FILE		(1U << 1)	/* --file PATH (required) */

struct sample_opts {
	const char *name;	/* --name, required */
	uint64_t size;		/* --size, bytes (K/M/G/T suffixes) */
	uint32_t block_size;	/* --block-size 512|4096 */
	unsigned int queues;	/* --queues */
	unsigned int depth;	/* --depth (ring entries) */
	unsigned int busy_poll_us; /* --busy-poll */
	unsigned int delay_ms;	/* --delay-ms */
	const char *file;	/* --file */
	bool glib;		/* --glib: run in a GLib main loop */
};

/* Parse argv; print usage and return -1 on error. */
int sample_parse(int argc, char **argv, const char *prog, unsigned int extras,
		 struct sample_opts *o);
/* SIGINT and SIGTERM call scstu_dev_stop(dev). */
void sample_stop_on_signals(struct scstu_dev *dev);
/*
 * Serve dev until SIGINT/SIGTERM: worker threads (scstu_dev_run), or with
 * --glib (the device created with SCSTU_DEV_OWN_LOOP) a GLib main loop
 * with the device's GSource. Returns 0 or -errno.
 */
int sample_run(struct scstu_dev *dev, const struct sample_opts *o);

#endif /* SAMPLES_COMMON_H */
