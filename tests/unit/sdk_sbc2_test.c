#include "sdk_test.h"
Suite *sdk_sbc2_suite(void) { return suite_create("sdk_sbc2"); }
