// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser unit tests: runner.
 */
#include <stdlib.h>
#include "sdk_test.h"

int main(void)
{
	SRunner *sr = srunner_create(sdk_sense_suite());
	int failed;

	scstu_log_set_level(SCSTU_LOG_ERR);
	srunner_add_suite(sr, sdk_req_suite());
	srunner_add_suite(sr, sdk_spc_suite());
	srunner_add_suite(sr, sdk_mode_suite());
	srunner_add_suite(sr, sdk_sbc_suite());
	srunner_add_suite(sr, sdk_sbc2_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
