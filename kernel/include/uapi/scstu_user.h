/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * scstu_user: the ABI between the scstu_user.ko backend and a userspace
 * handler process (normally through libscstuser). docs/abi.md is the
 * full specification; this header is its machine-readable half.
 *
 * Changelog (ABI major.minor):
 *  1.0  first version: registration with feature negotiation, per-queue
 *       mmap'd submission/completion rings and data area, command, nexus
 *       and task management entries, handler-raised unit attentions.
 *  1.1  SCSTU_USER_F_ZERO_COPY: page-aligned command data is mapped into
 *       a second data window instead of being copied.
 *  1.2  SCSTU_USER_F_REQUEST_SENSE: REQUEST SENSE reaches the handler
 *       when the core has no unit attention to report.
 *
 * Rules for changes: a new minor version may only add feature bits, add
 * entry kinds that are sent only when their feature bit was granted, and
 * append fields at the end of struct scstu_user_register (its size field
 * tells the kernel how much the handler knows). Anything else is a new
 * major version, which the kernel refuses unless it supports it.
 *
 * Overview:
 *  - open(SCSTU_USER_DEV_PATH) gives a connection. ioctl SCSTU_USER_REGISTER
 *    attaches it to the device devices/user/<name> in configfs (created
 *    beforehand by mkdir), sets the peripheral device type and allocates
 *    nr_queues queues.
 *  - mmap(fd, offset = q * queue_stride, length = map_size) maps queue q:
 *    a struct scstu_user_ring header at offset 0, the submission ring at
 *    sq_off, the completion ring at cq_off and the data area at data_off.
 *  - The kernel writes SQEs (commands, events) and advances sq_tail with
 *    release ordering; the handler reads sq_tail with acquire ordering,
 *    consumes entries and stores sq_head (release).
 *  - The handler writes CQEs and advances cq_tail (release); it tells
 *    the kernel with ioctl SCSTU_USER_ENTER, which consumes CQEs, stores
 *    cq_head (release) and optionally sleeps until new SQEs arrive.
 *  - SQE ids are unique among the unanswered SQEs of a queue, and the
 *    low 32 bits of an id are an index below ring_entries, so a handler
 *    can keep per-entry state in an array; the high bits change each
 *    time the index is reused.
 *  - Every SQE is answered by exactly one CQE of kind SCSTU_USER_CQE_DONE
 *    carrying the SQE's id, in any order. Until then the SQE's id and its
 *    data buffer belong to the handler. A queue never has more SQEs
 *    unanswered than ring_entries, so neither ring can overflow as long
 *    as the handler answers only what it received and checks cq_head
 *    before writing handler-raised CQEs (which use no id).
 *  - The kernel reads every CQE once, into its own memory, and validates
 *    it: unknown ids, ids already answered, sense_len > 96, resid larger
 *    than the transfer, unknown kinds, and cq_tail values more than
 *    ring_entries ahead of cq_head are rejected and counted; they never
 *    reach an initiator.
 */
#ifndef _UAPI_SCSTU_USER_H
#define _UAPI_SCSTU_USER_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define SCSTU_USER_DEV_PATH		"/dev/scstu_user"
#define SCSTU_USER_ABI_MAJOR		1
#define SCSTU_USER_ABI_MINOR		2

#define SCSTU_USER_NAME_MAX		64	/* device name incl. NUL */
#define SCSTU_USER_CDB_INLINE		32
#define SCSTU_USER_CDB_MAX		260
#define SCSTU_USER_SENSE_MAX		96
#define SCSTU_USER_MAX_QUEUES		64
#define SCSTU_USER_MIN_ENTRIES		16
#define SCSTU_USER_MAX_ENTRIES		4096
#define SCSTU_USER_DEF_ENTRIES		256
#define SCSTU_USER_DEF_DATA_SIZE	(32U << 20)
#define SCSTU_USER_MAX_DATA_SIZE	(1U << 30)

/*
 * Feature bits, negotiated at registration: the handler asks for what it
 * understands, the kernel grants the subset it supports. Entry kinds tied
 * to a feature are only used when it was granted.
 */
/* SQE kinds ATTACH/DETACH: I_T_L nexuses that reach the device */
#define SCSTU_USER_F_NEXUS_EVENTS	(1ULL << 0)
/* SQE kinds ABORT/RESET: task management reaches the handler */
#define SCSTU_USER_F_TMF_EVENTS		(1ULL << 1)
/* CQE kinds UA/SET_PARAM: the handler raises unit attentions etc. */
#define SCSTU_USER_F_DEV_EVENTS		(1ULL << 2)
/* CDBs longer than 32 bytes arrive through the data area */
#define SCSTU_USER_F_LONG_CDB		(1ULL << 3)
/*
 * Zero copy: the data area is 2 * data_size bytes. Its first half is the
 * copy window (as without the feature); in the second half, the zero-copy
 * window, a command whose data is whole pages is given the initiator's
 * own pages instead of a copy (data_off >= data_size tells which). They
 * are mapped when first touched and unmapped before the command completes:
 * data-out (WRITE) read-only, data-in (READ) read-write. Touching the
 * window outside a live buffer raises SIGBUS. The queue mapping is a
 * VM_PFNMAP mapping: it cannot be used for O_DIRECT or registered
 * buffers, is not inherited by fork(), cannot be split, and only the
 * registering process may map it.
 */
#define SCSTU_USER_F_ZERO_COPY		(1ULL << 4)
/*
 * REQUEST SENSE: without this feature the core answers it (a pending
 * unit attention, else NO SENSE). With it, a pending unit attention is
 * still reported by the core; otherwise the command is sent to the
 * handler, which answers with its own sense data (a tape drive's
 * filemark, EOM and position information, a cleaning request...).
 */
#define SCSTU_USER_F_REQUEST_SENSE	(1ULL << 5)
#define SCSTU_USER_F_ALL		((1ULL << 6) - 1)

/* Peripheral device types accepted at registration (SPC-4 table 4x) */
#define SCSTU_USER_TYPE_DISK		0x00
#define SCSTU_USER_TYPE_TAPE		0x01
#define SCSTU_USER_TYPE_CHANGER		0x08

/*
 * ioctl SCSTU_USER_REGISTER. "in" fields are read, "out" fields written
 * back. size must be set to sizeof() as compiled into the handler; the
 * kernel accepts smaller (older) and larger (newer, with zero tail)
 * structures.
 */
struct scstu_user_register {
	__u32 size;		/* in */
	__u16 abi_major;	/* in: must be SCSTU_USER_ABI_MAJOR */
	__u16 abi_minor;	/* in: handler's; out: kernel's */
	__u64 features;		/* in: wanted; out: granted */
	char name[SCSTU_USER_NAME_MAX];	/* in: NUL-terminated */
	__u8 type;		/* in: SCSTU_USER_TYPE_* */
	__u8 reserved0;
	__u16 nr_queues;	/* in: 1..64 (0: 1); out: granted */
	__u32 ring_entries;	/* in: power of two, 16..4096 (0: 256); out */
	__u32 data_size;	/* in: bytes per queue (0: 32 MiB); out */
	__u32 chunk_size;	/* out: data area allocation unit */
	__u32 max_xfer;		/* out: largest data buffer of one entry */
	__u32 map_size;		/* out: bytes to mmap per queue */
	__u32 sq_off;		/* out: offsets inside a queue mapping */
	__u32 cq_off;
	__u32 data_off;
	__u32 reserved1;
	__u64 queue_stride;	/* out: mmap offset of queue q = q * stride */
	__u64 reserved[4];	/* must be zero */
};

/*
 * Header at offset 0 of each queue mapping. Who writes what:
 *   sq_head  handler (release) - entries consumed; the kernel reads it
 *            only to decide whether the handler has work to do
 *   sq_tail  kernel (release)  - entries published
 *   cq_head  kernel (release)  - completions consumed
 *   cq_tail  handler (release) - completions published
 *   flags    kernel            - SCSTU_USER_RING_*
 * Index values run freely over 32 bits; the slot is index & ring_mask.
 */
struct scstu_user_ring {
	__u32 sq_head;
	__u32 pad0[15];
	__u32 sq_tail;
	__u32 pad1[15];
	__u32 cq_head;
	__u32 pad2[15];
	__u32 cq_tail;
	__u32 pad3[15];
	__u32 flags;
	__u32 ring_entries;	/* copy of the registered value */
	__u32 ring_mask;
	__u32 pad4[13];
};

/* ring->flags */
#define SCSTU_USER_RING_DEAD		(1U << 0)	/* device removed */

/* struct scstu_user_sqe.kind */
enum scstu_user_sqe_kind {
	SCSTU_USER_SQE_CMD = 1,		/* a SCSI command */
	SCSTU_USER_SQE_ATTACH = 2,	/* an I_T_L nexus now reaches us */
	SCSTU_USER_SQE_DETACH = 3,	/* that nexus is gone */
	SCSTU_USER_SQE_ABORT = 4,	/* abort the command u.tmf.cmd_id */
	SCSTU_USER_SQE_RESET = 5,	/* reset (u.tmf.fn) after its aborts */
};

/* struct scstu_user_sqe.dir */
enum scstu_user_dir {
	SCSTU_USER_DIR_NONE = 0,
	SCSTU_USER_DIR_WRITE = 1,	/* data-out: initiator -> handler */
	SCSTU_USER_DIR_READ = 2,	/* data-in: handler -> initiator */
};

/* struct scstu_user_sqe.task_attr (SAM-5) */
enum scstu_user_task_attr {
	SCSTU_USER_TASK_SIMPLE = 0,
	SCSTU_USER_TASK_HEAD_OF_QUEUE = 1,
	SCSTU_USER_TASK_ORDERED = 2,
	SCSTU_USER_TASK_ACA = 4,
};

/* u.tmf.fn for SCSTU_USER_SQE_RESET */
enum scstu_user_reset_fn {
	SCSTU_USER_RESET_LUN = 1,	/* LOGICAL UNIT RESET */
	SCSTU_USER_RESET_TARGET = 2,	/* TARGET RESET (per device) */
	SCSTU_USER_RESET_NEXUS = 3,	/* I_T NEXUS RESET */
};

/* sqe->flags */
#define SCSTU_USER_SQE_CDB_IN_DATA	(1U << 0)

/*
 * Submission queue entry, 128 bytes, written by the kernel.
 *
 * CMD: cdb_len bytes of CDB in u.cdb, or, when SCSTU_USER_SQE_CDB_IN_DATA
 *   is set (cdb_len > 32, only with SCSTU_USER_F_LONG_CDB), at data area
 *   offset data_off + ALIGN(xfer_len, 8). The data buffer is
 *   [data_off, data_off + xfer_len) of this queue's data area: for WRITE
 *   it holds the data-out bytes; for READ the handler fills it. lun is the
 *   LUN number (0..16383) the command arrived through, session the
 *   kernel's session id (never reused).
 * ATTACH: session and lun name a new I_T_L nexus; the data buffer holds
 *   the initiator port name and the target name, each NUL-terminated,
 *   u.nexus gives their lengths and the relative target port id.
 * DETACH: session and lun of a nexus announced by ATTACH.
 * ABORT: the command with id u.tmf.cmd_id was aborted by a TMF.
 * RESET: u.tmf.fn happened, issued through session/lun (lun is
 *   ~0 for TARGET RESET); all commands it aborted have already been
 *   answered or announced by ABORT entries.
 */
struct scstu_user_sqe {
	__u64 id;		/* answer with a CQE carrying this id */
	__u8 kind;		/* enum scstu_user_sqe_kind */
	__u8 dir;		/* enum scstu_user_dir */
	__u8 task_attr;		/* enum scstu_user_task_attr */
	__u8 flags;		/* SCSTU_USER_SQE_* */
	__u16 cdb_len;
	__u16 reserved0;
	__u64 lun;
	__u64 session;
	__u32 xfer_len;		/* expected data transfer length */
	__u32 data_off;		/* buffer offset in the data area */
	__u32 data_len;		/* buffer length (>= xfer_len) */
	__u32 reserved1;
	union {
		__u8 cdb[SCSTU_USER_CDB_INLINE];
		struct {
			__u64 cmd_id;	/* ABORT */
			__u32 fn;	/* RESET: enum scstu_user_reset_fn */
			__u32 reserved;
		} tmf;
		struct {
			__u16 initiator_len;	/* without the NUL */
			__u16 target_len;
			__u16 rel_port;
			__u16 reserved;
		} nexus;
	} u;
	__u8 reserved2[48];
};

/* struct scstu_user_cqe.kind */
enum scstu_user_cqe_kind {
	SCSTU_USER_CQE_DONE = 1,	/* answers the SQE with this id */
	SCSTU_USER_CQE_UA = 2,		/* raise a unit attention */
	SCSTU_USER_CQE_SET_PARAM = 3,	/* change a device parameter */
};

/* u.param.param for SCSTU_USER_CQE_SET_PARAM */
enum scstu_user_param {
	/* value 1: sense the kernel builds uses descriptor format */
	SCSTU_USER_PARAM_D_SENSE = 1,
};

#define SCSTU_USER_NO_SESSION		(~0ULL)

/*
 * Completion queue entry, 128 bytes, written by the handler.
 *
 * DONE for a CMD: status is the SAM status; sense_len bytes of sense
 *   data (0..96, only with CHECK CONDITION); resid the number of bytes
 *   of the expected transfer length NOT transferred (READ: the kernel
 *   returns the first xfer_len - resid bytes of the buffer, whatever the
 *   status, so a short tape read with CHECK CONDITION carries its data).
 * DONE for an event: status, sense and resid are ignored. Answering an
 *   ABORT means the handler has given up the aborted command and will
 *   not touch its buffer again: its id becomes invalid.
 * UA: unit attention u.ua.asc/ascq on every I_T_L nexus to the device
 *   except those of session u.ua.except_session (SCSTU_USER_NO_SESSION:
 *   none excepted). id is ignored.
 * SET_PARAM: set parameter u.param.param to u.param.value. id ignored.
 */
struct scstu_user_cqe {
	__u64 id;
	__u8 kind;		/* enum scstu_user_cqe_kind */
	__u8 status;
	__u8 sense_len;
	__u8 reserved0;
	__u32 resid;
	union {
		__u8 sense[SCSTU_USER_SENSE_MAX];
		struct {
			__u8 asc;
			__u8 ascq;
			__u8 reserved[6];
			__u64 except_session;
		} ua;
		struct {
			__u32 param;
			__u32 reserved;
			__u64 value;
		} param;
	} u;
	__u8 reserved1[16];
};

/*
 * ioctl SCSTU_USER_ENTER: consume the CQEs of queue `queue`, then, with
 * SCSTU_USER_ENTER_WAIT, sleep until the queue has unconsumed SQEs
 * (sq_tail != sq_head), SCSTU_USER_WAKE is called for it, timeout_ms
 * passes (0: no limit) or a signal arrives (-EINTR).
 * Returns 0, or -1 with errno: EINVAL (bad queue/flags), EPROTO (cq_tail
 * out of range: nothing consumed), ENODEV (device removed), EINTR.
 */
struct scstu_user_enter {
	__u32 queue;		/* in */
	__u32 flags;		/* in: SCSTU_USER_ENTER_* */
	__u32 timeout_ms;	/* in */
	__u32 reaped;		/* out: CQEs consumed */
	__u32 rejected;		/* out: of those, invalid ones */
	__u32 reserved;
};

#define SCSTU_USER_ENTER_WAIT		(1U << 0)

#define SCSTU_USER_IOC_MAGIC		0xE5
#define SCSTU_USER_REGISTER	_IOWR(SCSTU_USER_IOC_MAGIC, 1, \
				      struct scstu_user_register)
#define SCSTU_USER_ENTER	_IOWR(SCSTU_USER_IOC_MAGIC, 2, \
				      struct scstu_user_enter)
/* wake SCSTU_USER_ENTER sleepers of queue (argument: queue index) */
#define SCSTU_USER_WAKE		_IO(SCSTU_USER_IOC_MAGIC, 3)

#endif /* _UAPI_SCSTU_USER_H */
