#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's python3-pyxs, unmodified, against /dev/xen/xenbus while a guest
# domain exists: reads and writes, directories, permissions, the domain
# queries, transactions with a conflict (pyxs does not offer watches over
# a XenBus device; xenstore_tools.sh tests them).  The TAP lines are the
# Python script's (data/pyxs_check.py).
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
command -v python3 >/dev/null ||
	tap_skip_all "no python3 in L1 (python3-pyxs not on the lab host)"
[ -r "$G/hello.elf" ] || tap_skip_all "no hello.elf"
kxen_load
guest_cfg pyxs "$G/hello.elf" 32
xl-lite create -p /tmp/pyxs.cfg > /dev/null
domid=$(xl-lite list | awk '$1 == "pyxs" { print $2 }')
echo "TAP version 13"
python3 -I -S /selftests/data/pyxs_check.py "$domid"
rc=$?
xl-lite destroy pyxs
kxen_unload
exit $rc
