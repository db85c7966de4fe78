// SPDX-License-Identifier: LGPL-2.1-or-later
/* Kernel transport: being written (brief S). */
#include <errno.h>

#include "internal.h"

int scstu_kernel_bind(struct scstu_dev *dev)
{
	scstu_log(SCSTU_LOG_ERR, "%s: kernel transport not implemented yet",
		  dev->name);
	return -ENOSYS;
}
