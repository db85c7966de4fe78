/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scstu: the one place for kernel-version shims. The .c files are written
 * against current kernel APIs; for an older kernel, this header provides
 * what is missing there under the current name. No other file tests the
 * kernel version.
 *
 * Versions are compared through SCSTU_KVER(), built from the
 * LINUX_VERSION_MAJOR/PATCHLEVEL macros of <linux/version.h> (5.16+):
 * on older kernels they are undefined, SCSTU_KVER() is 0 and every shim
 * applies, which is right for them. A distribution kernel that backported
 * an API needs its own condition next to that shim.
 */
#ifndef _SCSTU_COMPAT_H
#define _SCSTU_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>

#if defined(LINUX_VERSION_MAJOR) && defined(LINUX_VERSION_PATCHLEVEL)
#define SCSTU_KVER	(LINUX_VERSION_MAJOR * 1000 + LINUX_VERSION_PATCHLEVEL)
#else
#define SCSTU_KVER	0
#endif

/* vm_flags_set(): from 6.3 vma->vm_flags may only change through it */
#if SCSTU_KVER < 6003
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}
#endif

#endif /* _SCSTU_COMPAT_H */
