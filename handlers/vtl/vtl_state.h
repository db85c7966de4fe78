/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstu-vtl persistent element state: which cartridge is in which
 * element of the library (docs/vtl.md, "State file"). A small text file
 * in the library's directory, protected by a CRC32C, replaced atomically
 * (temporary file, fsync, rename, fsync of the directory).
 */
#ifndef SCSTU_VTL_STATE_H
#define SCSTU_VTL_STATE_H

#include <stdint.h>

#define VTL_STATE_FILE	"vtl.state"

/* A full element. */
struct vtl_state_elem {
	uint16_t addr;
	uint16_t source;		/* last storage element, 0: none */
	char barcode[33];
};

/* Write the state of library to path. 0 or -errno with *msg. */
int vtl_state_save(const char *path, const char *library,
		   const struct vtl_state_elem *e, unsigned int nr,
		   char **msg);
/*
 * Read it back: *e (g_free) and *nr. -ENOENT if there is no file,
 * -EBADMSG if it is corrupt, of another library or of another version
 * (*msg names the file, the line and what is wrong), -errno.
 */
int vtl_state_load(const char *path, const char *library,
		   struct vtl_state_elem **e, unsigned int *nr, char **msg);

#endif /* SCSTU_VTL_STATE_H */
