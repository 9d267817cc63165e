#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs uapi_test (bad ioctls and netlink messages get their exact errno)
# with the module loaded.
. /selftests/data/tap.sh
kxen_load || { echo "1..0 # SKIP kxen.ko does not load"; exit 4; }
/selftests/uapi_test
rc=$?
kxen_unload
exit $rc
