// SPDX-License-Identifier: GPL-2.0
/*
 * scstuadm unit tests: runner.
 */
#include <stdlib.h>

#include "scstuadm_test.h"

int main(void)
{
	SRunner *sr = srunner_create(sa_util_suite());
	int failed;

	srunner_add_suite(sr, sa_conf_suite());
	srunner_add_suite(sr, sa_plan_suite());
	srunner_add_suite(sr, sa_dump_suite());
	srunner_add_suite(sr, sa_json_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
