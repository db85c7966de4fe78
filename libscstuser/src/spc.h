/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libscstuser private SPC-4 toolkit shared by the device classes (disk
 * now; tape and changer later):
 *  - a command table per class and its dispatcher, which refuses unknown
 *    opcodes and service actions, short CDBs and every CDB bit the
 *    table's usage map does not claim, and answers REPORT SUPPORTED
 *    OPERATION CODES from the same table (spc_opcodes.c);
 *  - INQUIRY: standard data and VPD pages 00h, 80h, 83h, plus class
 *    pages (spc_inquiry.c);
 *  - a mode page framework: current, changeable, default and saved
 *    values, MODE SENSE/SELECT(6/10), saved pages in a file
 *    (spc_mode.c).
 * A class keeps a struct spc_dev at the start of dev->class_priv.
 */
#ifndef SCSTU_SPC_H
#define SCSTU_SPC_H

#include "be.h"
#include "internal.h"

struct spc_dev;

/* --- command table ------------------------------------------------ */

#define SPC_CMD_SA	0x01	/* service action in CDB byte 1, bits 4:0 */

struct spc_cmd {
	uint8_t opcode;
	uint8_t sa;
	uint8_t flags;		/* SPC_CMD_* */
	uint8_t cdb_len;
	/* NULL: answered by the kernel core, listed for RSOC only */
	void (*exec)(struct scstu_req *req);
	/* NULL: always supported; else whether this device supports it */
	bool (*supported)(struct scstu_dev *dev);
	uint16_t timeout;	/* recommended timeout (s); 0: 30 */
	/* CDB USAGE DATA of RSOC: every bit the device server evaluates */
	uint8_t usage[16];
};

/* Entries sorted by opcode, then service action. */
struct spc_cmd_table {
	const struct spc_cmd *cmds;
	unsigned int nr;
};

/* Check the CDB against the table and run its handler. */
void spc_dispatch(struct scstu_req *req);
/* MAINTENANCE IN / REPORT SUPPORTED OPERATION CODES */
void spc_rsoc(struct scstu_req *req);

/* --- INQUIRY ----------------------------------------------------- */

struct spc_vpd_page {
	uint8_t page;
	/* NULL: always present */
	bool (*supported)(struct scstu_dev *dev);
	/* fill the page after its 4-byte header (max bytes); return len */
	unsigned int (*fill)(struct scstu_dev *dev, uint8_t *p,
			     unsigned int max);
};

void spc_inquiry(struct scstu_req *req);

/* --- mode pages ---------------------------------------------------- */

#define SPC_MP_MAX	64	/* longest mode page, header included */
#define SPC_MP_PAGES	16
#define SPC_MP_SAVABLE	0x01

enum {
	SPC_PC_CURRENT = 0,
	SPC_PC_CHANGEABLE = 1,
	SPC_PC_DEFAULT = 2,
	SPC_PC_SAVED = 3,
};

struct spc_mpage {
	uint8_t page, subpage, len, flags;
	/* current values were changed (MODE SELECT or loading saved ones) */
	void (*changed)(struct scstu_dev *dev, const uint8_t *cur);
	/* optional check of a page MODE SELECT sent; false: sense set */
	bool (*check)(struct scstu_dev *dev, struct scstu_req *req,
		      const uint8_t *pg, unsigned int off);
	uint8_t def[SPC_MP_MAX], mask[SPC_MP_MAX];
	uint8_t cur[SPC_MP_MAX], saved[SPC_MP_MAX];
};

struct spc_mode {
	pthread_mutex_t lock;
	struct spc_mpage pages[SPC_MP_PAGES];
	unsigned int nr;
	char *file;		/* saved pages, or NULL */
	/*
	 * Block descriptors of this class (NULL: none). get fills bd (8 or
	 * 16 bytes, long) for page control pc; set validates (and applies)
	 * the one MODE SELECT sent at parameter offset off.
	 */
	void (*bdesc_get)(struct scstu_dev *dev, int pc, bool longlba,
			  uint8_t *bd);
	bool (*bdesc_set)(struct scstu_dev *dev, struct scstu_req *req,
			  const uint8_t *bd, unsigned int bdl,
			  unsigned int off);
	/* DEVICE-SPECIFIC PARAMETER of the header (e.g. WP, DPOFUA) */
	uint8_t (*dsp)(struct scstu_dev *dev);
	/*
	 * MODE SENSE of page 00h returns the header and block descriptor
	 * only (tape: Linux st reads block size, density and WP so).
	 */
	bool page0;
};

/*
 * Add a page: len bytes of default values (header included, in page_0
 * or sub_page format) and the changeable mask. Pages are kept sorted.
 */
int spc_mode_add(struct spc_mode *m, const uint8_t *def,
		 const uint8_t *mask, unsigned int len, unsigned int flags,
		 void (*changed)(struct scstu_dev *, const uint8_t *));
/* Load saved pages from file (may be NULL), make them current and call
 * every page's changed hook. 0 or -errno (a bad file is logged and
 * ignored). */
int spc_mode_start(struct scstu_dev *dev, struct spc_mode *m,
		   const char *file);
void spc_mode_free(struct spc_mode *m);
/* Current value of a byte of a page (0 if there is no such page). */
uint8_t spc_mode_byte(struct spc_mode *m, uint8_t page, uint8_t subpage,
		      unsigned int byte);
void spc_mode_sense(struct scstu_req *req);
void spc_mode_select(struct scstu_req *req);

/* --- per device state of a class ---------------------------------- */

struct spc_rtp {
	uint64_t session;
	uint16_t rel_port;
};

struct spc_dev {
	const struct spc_cmd_table *cmds;
	const struct spc_vpd_page *vpd;	/* class VPD pages, sorted */
	unsigned int nr_vpd;
	uint16_t versions[4];		/* version descriptors */
	bool removable;
	char vendor[9], product[17], revision[5];
	char serial[65];
	uint8_t naa[8];
	struct spc_mode mode;
	/* relative target port per session, from attach events */
	pthread_mutex_t rtp_lock;
	struct spc_rtp *rtp;
	unsigned int nr_rtp;
	/* the handler's own attach/detach, called after ours */
	void (*attach)(struct scstu_dev *dev, const struct scstu_nexus *nx);
	void (*detach)(struct scstu_dev *dev, const struct scstu_nexus *nx);
};

static inline struct spc_dev *spc_of(const struct scstu_dev *dev)
{
	return dev->class_priv;
}

/* Identity strings (defaults for NULLs) and the NAA from the name. */
void spc_dev_init(struct scstu_dev *dev, struct spc_dev *sd,
		  const char *vendor, const char *product,
		  const char *revision, const char *serial);
void spc_dev_free(struct spc_dev *sd);
/*
 * Creating a device of a class, in two steps around the class's init:
 * spc_class_create() is scstu_dev_create() with the class's type, flags
 * (set, then clear) and ops; on failure it frees priv (the class state,
 * not yet attached) and returns NULL with errno kept. spc_class_ready()
 * takes the init's result: 0 gives dev, -errno destroys dev and returns
 * NULL with errno set.
 */
struct scstu_dev *spc_class_create(const struct scstu_dev_config *cfg,
				   uint8_t type, unsigned int set_flags,
				   unsigned int clear_flags,
				   const struct scstu_ops *ops, void *priv);
struct scstu_dev *spc_class_ready(struct scstu_dev *dev, int ret);
/* ops.attach / ops.detach of a class: remember the relative port. */
void spc_attach(struct scstu_dev *dev, const struct scstu_nexus *nx);
void spc_detach(struct scstu_dev *dev, const struct scstu_nexus *nx);
uint16_t spc_rel_port(struct scstu_dev *dev, uint64_t session);

/* Left-aligned, space-padded ASCII field. */
void spc_put_ascii(uint8_t *dst, const char *src, size_t width);
/* Highest set bit of a non-zero byte (field pointer bit). */
int spc_high_bit(uint8_t v);

#endif /* SCSTU_SPC_H */
