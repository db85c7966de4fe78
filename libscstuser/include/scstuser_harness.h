/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser in-process harness: run any device with no kernel. Create
 * a harness, pass it in scstu_dev_config.harness, then feed CDBs. Used by
 * unit tests, fuzzers and native benchmarks.
 *
 * Requests run on the calling thread (->execute is called from
 * scstu_harness_submit()); a handler that completes asynchronously may do
 * so from any thread, and scstu_harness_run()/scstu_harness_wait() wait
 * for it.
 */
#ifndef SCSTUSER_HARNESS_H
#define SCSTUSER_HARNESS_H

#include "scstuser.h"

#ifdef __cplusplus
extern "C" {
#endif

struct scstu_harness *scstu_harness_new(void);
/* Devices created on the harness must be destroyed first. */
void scstu_harness_free(struct scstu_harness *h);

/* One command as an initiator would send it. */
struct scstu_harness_cmd {
	const uint8_t *cdb;
	unsigned int cdb_len;
	enum scstu_dir dir;
	void *data;		/* data-out to send, or data-in buffer */
	uint32_t xfer_len;	/* expected transfer length */
	uint64_t lun;
	uint64_t session;	/* 0 unless set */
	enum scstu_task_attr task_attr;
};

struct scstu_harness_result {
	uint8_t status;
	uint8_t sense_len;
	uint8_t sense[SCSTU_SENSE_MAX];
	uint32_t resid;
	uint32_t xfer;		/* bytes transferred: xfer_len - resid */
};

/* Submit and wait for completion. 0, or -errno (e.g. -ENOMEM). */
int scstu_harness_run(struct scstu_dev *dev,
		      const struct scstu_harness_cmd *cmd,
		      struct scstu_harness_result *res);

/*
 * Asynchronous form: done() is called from the completing thread. cmd
 * and its buffers must stay valid until then. Returns 0 or -errno.
 */
int scstu_harness_submit(struct scstu_dev *dev,
			 const struct scstu_harness_cmd *cmd,
			 void (*done)(void *arg,
				      const struct scstu_harness_result *res),
			 void *arg);
/* Wait until every submitted command of dev has completed. */
void scstu_harness_wait(struct scstu_dev *dev);

/* Task management and nexus events, as the kernel would deliver them. */
int scstu_harness_attach(struct scstu_dev *dev,
			 const struct scstu_nexus *nx);
int scstu_harness_detach(struct scstu_dev *dev, uint64_t session,
			 uint64_t lun);
/* Abort every outstanding command of session (SCSTU_NO_SESSION: all),
 * then call ->reset if kind != 0. Returns the number aborted. */
int scstu_harness_abort(struct scstu_dev *dev, uint64_t session,
			enum scstu_reset kind);

/*
 * Unit attentions and parameters the device raised (oldest first).
 * Returns true and fills asc/ascq while there are some.
 */
bool scstu_harness_pop_ua(struct scstu_dev *dev, uint8_t *asc,
			  uint8_t *ascq);

/* Convenience for tests: a CHECK CONDITION's key/asc/ascq, or -1. */
int scstu_harness_sense_key(const struct scstu_harness_result *res,
			    uint8_t *asc, uint8_t *ascq);

#ifdef __cplusplus
}
#endif

#endif /* SCSTUSER_HARNESS_H */
