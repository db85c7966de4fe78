/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Included first in every libscstuser source file (Makefile: -include).
 * The library is built with -fvisibility=hidden; the declarations of
 * the public headers, seen here first, give their functions default
 * visibility, so exactly the public API is exported.
 */
#ifndef SCSTU_VISIBILITY_H
#define SCSTU_VISIBILITY_H

#pragma GCC visibility push(default)
#include "scstuser.h"
#include "scstuser_disk.h"
#include "scstuser_changer.h"
#include "scstuser_harness.h"
#include "scstuser_glib.h"
#include "scstuser_tape.h"
#pragma GCC visibility pop

#endif /* SCSTU_VISIBILITY_H */
