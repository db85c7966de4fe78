/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Suites of the check_tape, check_changer and check_vtl binaries register
 * themselves: a test file ends with UNIT_SUITE(its_suite_function), and
 * the binary's main (tape_main.c, ...) runs every registered suite. New
 * test files need no edit anywhere else.
 */
#ifndef SCSTU_UNIT_REGISTRY_H
#define SCSTU_UNIT_REGISTRY_H

#include <check.h>

void unit_register(Suite *(*fn)(void));
int unit_run_all(const char *name);

#define UNIT_SUITE(fn)							\
	static void __attribute__((constructor)) unit_reg_##fn(void)	\
	{								\
		unit_register(fn);					\
	}

#endif
