#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The Debian 12 userland of l2_debian, booted from its disk: an ext4
# image on xvda (kxen's block backend), Debian's stock initrd for the
# kernel finding it with xen-blkfront, systemd to "running", the same
# workload, a clean poweroff and a cleanly unmounted file system.
# lab-stage: debian-disk
DEB_ROOT=disk
. /selftests/l2_debian.sh
