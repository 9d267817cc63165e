#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The disk benchmark (lab: LAB_L2=1; run by selftests/lab/bench-disk, not
# part of the suite): diskbench on a 64 MiB RAM block device of L1's,
# first from L1 itself, then from an L2 guest whose xvda it is (kxen's
# block backend, Debian's blkfront).  Sequential 1 MiB O_DIRECT writes
# and reads, random 4 KiB O_DIRECT reads 32 in flight; the L2/L1 ratio
# of each; VM exits and backend wakeups per request, over the guest's
# whole life and less that of a guest that only booted and found its
# disk (kxen_l2=diskup), those also by exit reason.  The anchors inside
# the guest (kxen_l2=diskram): the same benchmark on RAM disks of the
# guest's own, no disk backend, so what this emulator leaves a nested
# guest's own kernel: brd, which reads and writes in the caller,
# null_blk completing in a kernel thread, so that the caller sleeps and
# is woken as with any real disk, and the same keeping no data (no copy
# at all: the guest's side of any zero-copy backend, and no more); each
# L2 figure is also given as a part of each.  Then where the CPU time
# went in each run (diskbench's DISKCPU lines), and L1's own over the
# guests' random reads.  Prints "BENCH name value" lines; checks only
# that each run read back what it wrote (but the no-data anchor's).
# DISKBENCH_VCPUS: the guests' vCPUs (default 2; the peer lab's is 1).
. /selftests/data/tap.sh

L2=/kxen/l2
[ -r "$L2/vmlinux" ] || tap_skip_all "no L2 kernel in this image (run the lab with LAB_L2=1)"
tap_plan 5
kxen_load
insmod "/lib/modules/$(uname -r)/kernel/drivers/block/brd.ko" rd_nr=1 \
	rd_size=65536
/selftests/data/diskbench /dev/ram0 64 10 > /tmp/l1.bench 2>&1
sed 's/^/# L1: /' /tmp/l1.bench
tap_check "diskbench from L1 on the RAM disk" \
	test "$(grep -c '^DISKBENCH ' /tmp/l1.bench)" = 3
# bench_guest NAME MODE [DISKS]: the guest, run to L2-DONE; DOMID its id.
bench_guest()
{
	cat > "/tmp/$1.cfg" <<CFG
type = "pvh"
name = "$1"
kernel = "$L2/vmlinux"
ramdisk = "$L2/initrd"
memory = 256
vcpus = ${DISKBENCH_VCPUS:-2}
cmdline = "console=hvc0 loglevel=4 kxen_l2=$2"
disk = [ ${3-'phy:/dev/ram0,xvda,w'} ]
on_poweroff = "preserve"
CFG
	xl-lite create "/tmp/$1.cfg"
	xl-lite console "$1" > "/tmp/$1.out" 2>&1 &
	con=$!
	# L1's own CPU split over the guest's random reads (to a second).
	if [ "$2" != diskup ]; then
		console_wait "$1" "/tmp/$1.out" "DISKBENCH seq-read" 900 300 &&
			head -n 1 /proc/stat > "/tmp/$1.stat"
		console_wait "$1" "/tmp/$1.out" "DISKBENCH rand-read" 900 300 &&
			head -n 1 /proc/stat >> "/tmp/$1.stat"
	fi
	console_wait "$1" "/tmp/$1.out" L2-DONE 900 300
	kill $con 2>/dev/null
	DOMID=$(xl_domid "$1")
}
dmesg_mark
bench_guest base diskup
base=$DOMID
tap_check "a guest that only boots and finds its xvda" \
	grep -q L2-DONE /tmp/base.out
xl-lite destroy base
wait_gone base 30
bench_guest bench diskbench
domid=$DOMID
tr -d '\r' < /tmp/bench.out | sed -n -e 's/^L2-DISKBENCH/DISKBENCH/p' -e 's/^L2-DISKCPU/DISKCPU/p' > /tmp/l2.bench
sed 's/^/# L2: /' /tmp/l2.bench
tap_check "diskbench from the L2 guest on its xvda" \
	test "$(grep -c '^DISKBENCH ' /tmp/l2.bench)" = 3
xl-lite destroy bench
wait_gone bench 30
sleep 2
dmesg_new > /tmp/bench.dmesg
bench_guest ram diskram ''
for f in ram:L2- nullb:L2-NULLB- nullz:L2-NULLZ-; do
	tr -d '\r' < /tmp/ram.out |
		sed -n -e "s/^${f#*:}DISKBENCH/DISKBENCH/p" \
		       -e "s/^${f#*:}DISKCPU/DISKCPU/p" > "/tmp/${f%:*}.bench"
	sed "s/^/# L2 ${f%:*}: /" "/tmp/${f%:*}.bench"
done
tap_check "diskbench from an L2 guest on its own RAM disks: brd, null_blk with and without data" \
	test "$(cat /tmp/ram.bench /tmp/nullb.bench /tmp/nullz.bench |
		grep -c '^DISKBENCH ')" = 9
xl-lite destroy ram
wait_gone ram 30
# L2/L1; each anchor inside the guest against L1 (what this emulator
# leaves a guest's own kernel), and L2 through kxen as a part of it.
# bench_val FILE MEASURE: its value.
bench_val() { awk -v m="$2" '$1 == "DISKBENCH" && $2 == m { print $3 }' "$1"; }
for m in seq-write seq-read rand-read; do
	u=$(awk -v m="$m" '$1 == "DISKBENCH" && $2 == m { print $4 }' /tmp/l1.bench)
	l1=$(bench_val /tmp/l1.bench "$m")
	l2=$(bench_val /tmp/l2.bench "$m")
	echo "$m ${l1:-0} ${l2:-0} $u" |
		awk '{ printf "# BENCH %s L1 %s L2 %s %s ratio %.2f\n", $1, $2, $3, $4, ($2 > 0 ? $3 / $2 : 0) }'
	for f in ram:brd nullb:null_blk nullz:null_blk-no-data; do
		echo "$m ${l1:-0} ${l2:-0} $(bench_val "/tmp/${f%:*}.bench" "$m") $u ${f#*:}" |
			awk 'NF == 6 { printf "# BENCH %s the guest'"'"'s own %s %s %s: %.2f of L1; L2 through kxen reaches %.2f of it\n",
				$1, $6, $4, $5, ($2 > 0 ? $4 / $2 : 0), ($4 > 0 ? $3 / $4 : 0) }'
	done
done
# Where each machine's CPU time went in each measure (diskbench's DISKCPU).
for f in l1:L1 l2:L2 ram:L2-brd nullb:L2-null_blk nullz:L2-null_blk-no-data; do
	sed -n "s/^DISKCPU /# BENCH cpu ${f#*:} /p" "/tmp/${f%:*}.bench"
done
for f in bench:L2 ram:L2-brd; do
	awk -v w="${f#*:}" 'NR == 1 { for (i = 2; i <= 11; i++) a[i] = $i }
		NR == 2 { for (i = 2; i <= 11; i++) { d[i] = $i - a[i]; s += d[i] }
			  split("user nice system idle iowait irq softirq steal guest guest_nice", n)
			  if (s - d[10] - d[11] <= 0) exit
			  printf "# BENCH cpu L1-while-%s rand-read", w
			  for (i = 2; i <= 11; i++)
				printf " %s %.0f%%", n[i - 1], 100 * d[i] / (s - d[10] - d[11])
			  printf "\n" }' "/tmp/${f%:*}.stat"
done
# life DOMID: its VM exits (the destroy summary), and from blkback's
# disconnect lines its requests and kicks (our wakeups).
life()
{
	awk -v d="d$1" '
	index($0, " " d ": VM exits by reason:") {
		for (i = 1; i <= NF; i++)
			if (split($i, p, ":") == 2 && p[2] ~ /^[0-9]+$/) e += p[2] }
	index($0, " " d " vbd ") && / queue [0-9]+ disconnected after/ {
		for (i = 1; i <= NF; i++) {
			if ($i == "after") r += $(i + 1)
			if ($i == "kicks,") k += $(i - 1) } }
	END { printf "%d %d %d\n", e, r, k }' /tmp/bench.dmesg
}
echo "$(life "$domid") $(life "$base")" | awk '{
	printf "# BENCH requests %d exits %d kicks %d exits/request %.2f wakeups/request %.2f\n",
		$2, $1, $3, $2 ? $1 / $2 : 0, $2 ? $3 / $2 : 0
	e = $1 - $4; r = $2 - $5; k = $3 - $6
	printf "# BENCH less-boot requests %d exits %d kicks %d exits/request %.2f wakeups/request %.2f (less a guest that only booted: exits %d requests %d kicks %d)\n",
		r, e, k, r ? e / r : 0, r ? k / r : 0, $4, $5, $6 }'
# Where the exits of the I/O go, and what its hypercalls were for.
req=$(life "$domid" | cut -d' ' -f2)
req0=$(life "$base" | cut -d' ' -f2)
for w in "VM exits by reason" "hypercalls by op"; do
	summary_per /tmp/bench.dmesg "$w" "$domid" "$req" "$base" "$req0" request
done
kxen_unload
rmmod brd
tap_check "module and RAM disk unload" sh -c '! grep -q "^brd " /proc/modules'
tap_done
