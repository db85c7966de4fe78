// SPDX-License-Identifier: LGPL-2.1-or-later
/* Suite registry of the part binaries (unit_registry.h). */
#include <stdio.h>
#include <stdlib.h>
#include "unit_registry.h"

#define UNIT_MAX_SUITES	64

static Suite *(*suites[UNIT_MAX_SUITES])(void);
static unsigned int nr_suites;

void unit_register(Suite *(*fn)(void))
{
	if (nr_suites == UNIT_MAX_SUITES) {
		fprintf(stderr, "unit_registry: more than %d suites\n",
			UNIT_MAX_SUITES);
		abort();
	}
	suites[nr_suites++] = fn;
}

/* Run every registered suite; the exit status for main. */
int unit_run_all(const char *name)
{
	SRunner *sr;
	unsigned int i;
	int failed;

	if (!nr_suites) {
		fprintf(stderr, "%s: no suites registered\n", name);
		return EXIT_FAILURE;
	}
	sr = srunner_create(suites[0]());
	for (i = 1; i < nr_suites; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
