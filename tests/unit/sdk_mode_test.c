#include "sdk_test.h"
Suite *sdk_mode_suite(void) { return suite_create("sdk_mode"); }
