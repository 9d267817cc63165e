#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmark (not in the default list): xenstore operations per second in
# L1, through Debian's libxenstore, against kxen's store behind
# /dev/xen/xenbus and against the same store core served from user space
# by xsd-user on a Unix socket, measured in the same run.  The ratio says
# what the kernel transport costs or saves; every reply is checked.
#   selftests/lab/run xenstore_bench     (XS_OPS=N for another count)
. /selftests/data/tap.sh

D=/selftests/data
for f in xs_bench xsd-user; do
	[ -x "$D/$f" ] || tap_skip_all "no $f in this L1 image"
done
ops=${XS_OPS:-5000}
tap_plan 3
kxen_load
unset XENSTORED_PATH
tap_check "/dev/xen/xenbus: $ops of each op, every reply right" \
	sh -c "$D/xs_bench -n $ops > /tmp/xs-kernel.txt"
"$D/xsd-user" /tmp/xsd.sock &
xsd=$!
i=0
while [ ! -S /tmp/xsd.sock ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
tap_check "xsd-user socket: $ops of each op, every reply right" \
	sh -c "XENSTORED_PATH=/tmp/xsd.sock $D/xs_bench -n $ops > /tmp/xs-user.txt"
kill $xsd
sed 's/^/# kernel: /' /tmp/xs-kernel.txt
sed 's/^/# user:   /' /tmp/xs-user.txt
# "xs_bench: OP N ops in S s: R ops/s": R is the next-to-last field.
paste /tmp/xs-kernel.txt /tmp/xs-user.txt | awk '$1 == "xs_bench:" {
	k = $(NF / 2 - 1); u = $(NF - 1)
	printf "# ratio %-11s /dev/xen/xenbus : xsd-user = %.2f\n", $2, k / u }'
tap_check "module unloads cleanly" kxen_unload
tap_done
