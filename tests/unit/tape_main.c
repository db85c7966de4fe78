// SPDX-License-Identifier: LGPL-2.1-or-later
/* check_tape: runs every suite a tape_*.c file registered (UNIT_SUITE). */
#include <scstuser.h>
#include "unit_registry.h"

int main(void)
{
	scstu_log_set_level(SCSTU_LOG_ERR);
	return unit_run_all("check_tape");
}
