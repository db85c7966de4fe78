// SPDX-License-Identifier: GPL-2.0
/*
 * scstu core: per-CPU command statistics for devices, LUNs and sessions.
 */
#include <linux/percpu.h>
#include <linux/sysfs.h>
#include <linux/kernel.h>
#include <scsi/scsi_status.h>
#include "scstu_priv.h"

struct scstu_stats __percpu *scstu_stats_alloc(void)
{
	return alloc_percpu(struct scstu_stats);
}

void scstu_stats_free(struct scstu_stats __percpu *s)
{
	free_percpu(s);
}

void scstu_stats_account(struct scstu_stats __percpu *s,
			 const struct scstu_cmd *cmd, u64 lat_ns)
{
	struct scstu_stats *st;

	if (!s)
		return;
	st = get_cpu_ptr(s);
	st->cmds++;
	if (cmd->dir == DMA_TO_DEVICE) {
		st->write_cmds++;
		st->write_bytes += cmd->xfer_len;
	} else if (cmd->dir == DMA_FROM_DEVICE) {
		st->read_cmds++;
		st->read_bytes += cmd->xfer_len;
	}
	if (cmd->status != SAM_STAT_GOOD)
		st->errors++;
	st->lat_ns += lat_ns;
	if (lat_ns > st->lat_max_ns)
		st->lat_max_ns = lat_ns;
	put_cpu_ptr(s);
}

ssize_t scstu_stats_show(struct scstu_stats __percpu *s, char *page,
			 long in_flight, long waiting)
{
	struct scstu_stats t = { 0 };
	int cpu;

	if (s) {
		for_each_possible_cpu(cpu) {
			struct scstu_stats *c = per_cpu_ptr(s, cpu);

			t.cmds += c->cmds;
			t.read_cmds += c->read_cmds;
			t.write_cmds += c->write_cmds;
			t.read_bytes += c->read_bytes;
			t.write_bytes += c->write_bytes;
			t.errors += c->errors;
			t.lat_ns += c->lat_ns;
			t.lat_max_ns = max(t.lat_max_ns, c->lat_max_ns);
		}
	}
	return sysfs_emit(page,
			  "commands %llu\nread_commands %llu\nwrite_commands %llu\nread_bytes %llu\nwrite_bytes %llu\nerrors %llu\nlatency_avg_us %llu\nlatency_max_us %llu\nin_flight %ld\nwaiting %ld\n",
			  t.cmds, t.read_cmds, t.write_cmds, t.read_bytes,
			  t.write_bytes, t.errors,
			  t.cmds ? div64_u64(t.lat_ns, t.cmds) / 1000 : 0,
			  div64_u64(t.lat_max_ns, 1000), in_flight, waiting);
}
