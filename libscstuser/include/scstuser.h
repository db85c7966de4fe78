/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser - write SCSI devices in userspace for the scstu target.
 *
 * A handler creates a device (struct scstu_dev) with a set of callbacks
 * (struct scstu_ops) and runs it. Each SCSI command arrives as a struct
 * scstu_req; the handler completes it exactly once, synchronously inside
 * ->execute() or later from any thread.
 *
 * Two levels:
 *  - raw (this header): the handler sees every CDB and answers it;
 *  - device classes built on it, e.g. <scstuser_disk.h>: the handler
 *    supplies read/write/flush and the SDK answers everything else.
 *
 * Threading: by default scstu_dev_run() starts one worker thread per
 * queue and returns when the device stops. With SCSTU_DEV_OWN_LOOP the
 * handler puts scstu_dev_fd() into its own poll/epoll loop and calls
 * scstu_dev_process() when it is readable (see <scstuser_glib.h> for a
 * GLib main loop source).
 *
 * The in-process harness (<scstuser_harness.h>) runs any device without
 * a kernel.
 *
 * See docs/sdk-guide.md.
 */
#ifndef SCSTUSER_H
#define SCSTUSER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scstu_dev;
struct scstu_req;
struct scstu_harness;

/* Peripheral device types */
#define SCSTU_TYPE_DISK		0x00
#define SCSTU_TYPE_TAPE		0x01
#define SCSTU_TYPE_CHANGER	0x08

/* SAM-5 status codes */
#define SCSTU_GOOD			0x00
#define SCSTU_CHECK_CONDITION		0x02
#define SCSTU_CONDITION_MET		0x04
#define SCSTU_BUSY			0x08
#define SCSTU_RESERVATION_CONFLICT	0x18
#define SCSTU_TASK_SET_FULL		0x28
#define SCSTU_TASK_ABORTED		0x40

/* SPC-4 sense keys */
#define SCSTU_NO_SENSE		0x0
#define SCSTU_RECOVERED_ERROR	0x1
#define SCSTU_NOT_READY		0x2
#define SCSTU_MEDIUM_ERROR	0x3
#define SCSTU_HARDWARE_ERROR	0x4
#define SCSTU_ILLEGAL_REQUEST	0x5
#define SCSTU_UNIT_ATTENTION	0x6
#define SCSTU_DATA_PROTECT	0x7
#define SCSTU_BLANK_CHECK	0x8
#define SCSTU_ABORTED_COMMAND	0xb
#define SCSTU_VOLUME_OVERFLOW	0xd
#define SCSTU_MISCOMPARE	0xe

#define SCSTU_SENSE_MAX		96
#define SCSTU_NO_SESSION	UINT64_MAX

/* Data direction of a command, seen from the initiator. */
enum scstu_dir {
	SCSTU_DIR_NONE = 0,
	SCSTU_DIR_WRITE = 1,	/* data-out: the handler receives data */
	SCSTU_DIR_READ = 2,	/* data-in: the handler returns data */
};

/* SAM-5 task attributes */
enum scstu_task_attr {
	SCSTU_TASK_SIMPLE = 0,
	SCSTU_TASK_HEAD_OF_QUEUE = 1,
	SCSTU_TASK_ORDERED = 2,
	SCSTU_TASK_ACA = 4,
};

/* Resets announced to ->reset() after the commands they aborted. */
enum scstu_reset {
	SCSTU_RESET_LUN = 1,
	SCSTU_RESET_TARGET = 2,
	SCSTU_RESET_NEXUS = 3,	/* I_T nexus reset: only that session */
};

/* An I_T_L nexus: one initiator session reaching the device via a LUN. */
struct scstu_nexus {
	uint64_t session;
	uint64_t lun;
	const char *initiator;	/* initiator port name */
	const char *target;	/* target name */
	uint16_t rel_port;	/* relative target port identifier */
};

/*
 * Callbacks. All are optional except execute (which a device class
 * provides when one is used). They run on the queue's worker thread (or
 * in scstu_dev_process()); several queues run them concurrently.
 */
struct scstu_ops {
	/* A command arrived: complete req now or later, from any thread. */
	void (*execute)(struct scstu_req *req);
	/*
	 * A task management function aborted req. The handler should
	 * complete it soon (the status is discarded); until it does, the
	 * initiator's TMF waits. Without this callback the SDK waits for
	 * the normal completion.
	 */
	void (*abort)(struct scstu_req *req);
	/* A reset happened; commands it aborted were already answered. */
	void (*reset)(struct scstu_dev *dev, enum scstu_reset kind,
		      uint64_t session, uint64_t lun);
	/* An initiator reaches the device / no longer does. */
	void (*attach)(struct scstu_dev *dev, const struct scstu_nexus *nx);
	void (*detach)(struct scstu_dev *dev, const struct scstu_nexus *nx);
};

/* scstu_dev_config.flags */
#define SCSTU_DEV_OWN_LOOP	(1U << 0)	/* no worker threads */
/*
 * REQUEST SENSE reaches ->execute when the kernel has no unit attention
 * to report (otherwise the kernel answers it: NO SENSE). For devices
 * with sense of their own, like a tape drive's position information.
 */
#define SCSTU_DEV_REQUEST_SENSE	(1U << 1)

struct scstu_dev_config {
	const char *name;	/* configfs devices/user/<name>, <= 63 chars */
	uint8_t type;		/* SCSTU_TYPE_* */
	unsigned int flags;	/* SCSTU_DEV_* */
	unsigned int nr_queues;	/* 0: 1 */
	unsigned int queue_depth; /* ring entries, power of two; 0: 256 */
	size_t data_size;	/* data area bytes per queue; 0: 32 MiB */
	size_t req_ctx_size;	/* bytes of scstu_req_ctx() per request */
	unsigned int busy_poll_us; /* spin this long before sleeping */
	void *priv;		/* scstu_dev_priv() */
	/* run in the harness instead of the kernel (scstuser_harness.h) */
	struct scstu_harness *harness;
};

/*
 * Create a device and register it: with the kernel (creating
 * devices/user/<name> in configfs if needed, and enabling it), or with
 * cfg->harness. Returns NULL with errno set on failure; a message
 * explaining why goes to the log.
 */
struct scstu_dev *scstu_dev_create(const struct scstu_dev_config *cfg,
				   const struct scstu_ops *ops);
/* Worker threads until scstu_dev_stop(); returns 0 or -errno. */
int scstu_dev_run(struct scstu_dev *dev);
/* Ask scstu_dev_run() to return. Any thread; async-signal-safe. */
void scstu_dev_stop(struct scstu_dev *dev);
/* Unregister and free. Outstanding requests must be completed first. */
void scstu_dev_destroy(struct scstu_dev *dev);

/* SCSTU_DEV_OWN_LOOP: a pollable fd, readable when there is work. */
int scstu_dev_fd(struct scstu_dev *dev);
/* Handle everything ready on every queue without blocking. 0 or -errno */
int scstu_dev_process(struct scstu_dev *dev);

void *scstu_dev_priv(struct scstu_dev *dev);
const char *scstu_dev_name(const struct scstu_dev *dev);
uint8_t scstu_dev_type(const struct scstu_dev *dev);
unsigned int scstu_dev_nr_queues(const struct scstu_dev *dev);
/* Largest data transfer of one command the transport allows. */
uint32_t scstu_dev_max_xfer(const struct scstu_dev *dev);

/*
 * Raise a unit attention (e.g. 2A/09 CAPACITY DATA HAS CHANGED) on every
 * I_T_L nexus to the device except those of except_session
 * (SCSTU_NO_SESSION: none). 0 or -errno.
 */
int scstu_dev_raise_ua(struct scstu_dev *dev, uint8_t asc, uint8_t ascq,
		       uint64_t except_session);
/* Sense format for this device (control mode page D_SENSE). */
int scstu_dev_set_d_sense(struct scstu_dev *dev, bool desc);
bool scstu_dev_d_sense(const struct scstu_dev *dev);

/* Requests ---------------------------------------------------------- */

const uint8_t *scstu_req_cdb(const struct scstu_req *req);
unsigned int scstu_req_cdb_len(const struct scstu_req *req);
enum scstu_dir scstu_req_dir(const struct scstu_req *req);
/* Expected data transfer length in bytes (from the initiator). */
uint32_t scstu_req_xfer_len(const struct scstu_req *req);
/*
 * The data buffer, scstu_req_xfer_len() bytes in memory shared with the
 * kernel: data-out for WRITE, to be filled for READ. NULL if no data.
 */
void *scstu_req_data(struct scstu_req *req);
uint64_t scstu_req_lun(const struct scstu_req *req);
uint64_t scstu_req_session(const struct scstu_req *req);
enum scstu_task_attr scstu_req_task_attr(const struct scstu_req *req);
struct scstu_dev *scstu_req_dev(const struct scstu_req *req);
unsigned int scstu_req_queue(const struct scstu_req *req);
/* req_ctx_size bytes of handler scratch space, zeroed per command. */
void *scstu_req_ctx(struct scstu_req *req);
/* True once a TMF aborted the request. */
bool scstu_req_aborted(const struct scstu_req *req);

/*
 * Completion: call exactly one of these once per request, from any
 * thread. resid is the number of bytes of the expected transfer length
 * not transferred.
 */
void scstu_req_complete(struct scstu_req *req, uint8_t status,
			uint32_t resid);
/* GOOD, everything transferred. */
void scstu_req_done(struct scstu_req *req);
/* Copy len bytes to a READ buffer (truncated to the transfer length) and
 * complete GOOD with the matching residual. */
void scstu_req_reply(struct scstu_req *req, const void *buf, size_t len);

/* Sense data description; scstu_sense_build() encodes it. */
#define SCSTU_SENSE_FILEMARK	(1U << 0)
#define SCSTU_SENSE_EOM		(1U << 1)
#define SCSTU_SENSE_ILI		(1U << 2)
#define SCSTU_SENSE_INFO	(1U << 3)	/* info is valid */
#define SCSTU_SENSE_SKS		(1U << 4)	/* sks is valid */
#define SCSTU_SENSE_CMD_INFO	(1U << 5)	/* cmd_info is valid */

struct scstu_sense {
	uint8_t key, asc, ascq;
	unsigned int flags;	/* SCSTU_SENSE_* */
	uint64_t info;		/* INFORMATION field */
	uint64_t cmd_info;	/* COMMAND-SPECIFIC INFORMATION field */
	uint8_t sks[3];		/* sense-key specific bytes; SKSV is set
				 * by the encoder */
};

/* CHECK CONDITION with sense in the device's format. */
void scstu_req_check(struct scstu_req *req, uint8_t key, uint8_t asc,
		     uint8_t ascq);
void scstu_req_check_sense(struct scstu_req *req,
			   const struct scstu_sense *s, uint32_t resid);
/* ILLEGAL REQUEST, INVALID FIELD IN CDB (24/00) / IN PARAMETER LIST
 * (26/00) with a field pointer to byte (and bit, or -1 for none). */
void scstu_req_invalid_cdb(struct scstu_req *req, unsigned int byte,
			   int bit);
void scstu_req_invalid_param(struct scstu_req *req, unsigned int byte,
			     int bit);

/* Encode sense data; returns its length (<= len). */
size_t scstu_sense_build(uint8_t *buf, size_t len, bool desc,
			 const struct scstu_sense *s);
/* Decode fixed or descriptor sense. Returns 0 or -EINVAL. */
int scstu_sense_parse(const uint8_t *buf, size_t len, struct scstu_sense *s);

/* Logging ------------------------------------------------------------ */

enum scstu_log_level {
	SCSTU_LOG_ERR = 0,
	SCSTU_LOG_WARN = 1,
	SCSTU_LOG_INFO = 2,
	SCSTU_LOG_DEBUG = 3,	/* every command, with opcode/sense names */
};

/* Default: SCSTU_LOG_WARN, or the SCSTU_LOG environment variable
 * (err, warn, info, debug). Messages go to stderr unless a function is
 * set. */
void scstu_log_set_level(enum scstu_log_level level);
enum scstu_log_level scstu_log_get_level(void);
void scstu_log_set_fn(void (*fn)(enum scstu_log_level level,
				 const char *msg));
void scstu_log(enum scstu_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Describe a CDB ("READ(10) lba=... len=...") or sense ("ILLEGAL REQUEST:
 * Invalid field in cdb") into buf; return buf. */
const char *scstu_cdb_str(const uint8_t *cdb, unsigned int len, char *buf,
			  size_t size);
const char *scstu_sense_str(const uint8_t *sense, size_t len, char *buf,
			    size_t size);

#ifdef __cplusplus
}
#endif

#endif /* SCSTUSER_H */
