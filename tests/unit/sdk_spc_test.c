#include "sdk_test.h"
Suite *sdk_spc_suite(void) { return suite_create("sdk_spc"); }
