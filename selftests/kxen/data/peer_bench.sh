#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The peer lab's measurements (selftests/lab/bench), run inside L1 the
# same way on both sides: under kxen (the lab test peer_bench, with
# xl-lite) and under Xen (selftests/lab/xen/init, with Xen's own
# xl).  Every figure is in L1's own time (/proc/uptime) or in the
# guest's, so both sides are measured with the same clock.
#
# Environment: PEER_SIDE (kxen or xen), XL (the toolstack command),
# PEER_BOOTS (L2 boots, default 2), PEER_OPS (xenstore ops of each kind,
# default 5000), PEER_MANY (guests alive at once, default 100),
# PEER_LOAD (guests loading the xenstore, default 10), PEER_MEASURES (the
# groups to run, comma-separated, of: l2 tiny many xenstore xsload cli
# hcbench disk net; default all), PEER_CFG_EXTRA (a line added to every guest config).
# Output: "PEER-RESULT KEY VALUE" for each measure, "PEER-ERROR WHY" for
# anything that failed; nothing else matters to the host.
#
# Measures (keys):
#   l2_create_s, l2_to_init_s, l2_to_gone_s   create returning, the L2
#        kernel's /init on its console, the guest gone after poweroff
#   l2_uptime_at_init_s                       the guest's own uptime then
#   l2_vm_exits                               kxen only: exits per boot
#   tiny_create_destroy_s                     create + destroy, 16 MiB
#   many_create_{first,last}_s, many_kib_per_domain  PEER_MANY (100)
#        paused 4 MiB guests at once: the first's and the last's create,
#        and the memory each took (host MemAvailable / Xen free_memory)
#   xs_{read,write,directory,transaction}_ops_s  libxenstore (xs_bench)
#   xsload_{read,write,directory,transaction}_ops_s  the same (PEER_LOAD_OPS
#        of each kind, default PEER_OPS/50) while PEER_LOAD (10) xsload
#        guests each write their own node in a loop
#   xsload_guest_write_ops_s                     those guests' writes a second,
#        all together, over the same time
#   xscli_{write,read}_ops_s                  Debian's CLI, a process each
#   hc_{null_hypercall,evtchn_roundtrip,gnttab_query_size,
#       gnttab_frame_move}_ns                 the hcbench guest, ns per op,
#        the fastest of its 5 passes of each (4000 null hypercalls, 1000
#        of the others, 100 moves a pass: 5 passes of the earlier single
#        pass's counts, after the many group, hang kxen's L1 under QEMU)
#   disk_{l1,l2}_{seq_write_mb_s,seq_read_mb_s,rand_read_iops}  diskbench
#        on a 64 MiB RAM disk of L1's (brd): from L1 itself (kxen's
#        host, Xen's dom0), then from an L2 guest whose xvda it is
#        (phy:, kxen's block backend or Xen's blkback in dom0, with
#        Xen's own block hotplug script); sequential 1 MiB and random
#        4 KiB O_DIRECT, 32 in flight
#   net_tcp_{to,from}_guest_mb_s  netbench's TCP stream (5 s) between L1
#        (kxen's host, Xen's dom0) and an L2 guest on L1's bridge xenbr0
#        (kxen's network backend, or Xen's netback with Debian's own
#        vif-bridge script), the rate the L1 side measured

SIDE=${PEER_SIDE:?PEER_SIDE not set}
XL=${XL:?XL not set}
BOOTS=${PEER_BOOTS:-2}
OPS=${PEER_OPS:-5000}
# Under load a store may serve tens of operations a second, not
# thousands: fewer of each kind there.
LOAD_OPS=${PEER_LOAD_OPS:-$((OPS / 50))}
L2=/kxen/l2
GUESTS=/kxen/guests

result() { echo "PEER-RESULT $1 $2"; }
error() { echo "PEER-ERROR $*"; }
now() { cut -d' ' -f1 /proc/uptime; }
# sub A B: A - B with three decimals.
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }

# A console reader whose input never ends (xl console exits on EOF).
mkfifo /tmp/peer.in
exec 3<> /tmp/peer.in

# guest_cfg NAME KERNEL MIB [KEY = VALUE lines]: a PVH guest config.
guest_cfg()
{
	echo "type = \"pvh\""
	echo "name = \"$1\""
	echo "kernel = \"$2\""
	echo "memory = $3"
	echo "vcpus = 1"
	shift 3
	for line in "$@"; do
		echo "$line"
	done
	[ -z "${PEER_CFG_EXTRA:-}" ] || echo "$PEER_CFG_EXTRA"
}

# in_list NAME: whether the toolstack lists the domain.
in_list() { "$XL" list 2>/dev/null | awk -v n="$1" '$1 == n { f = 1 } END { exit !f }'; }

# gone NAME: wait up to 10 s for the domain to leave the list.
gone()
{
	i=0
	while in_list "$1" && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	! in_list "$1"
}

exits_of_last_domain()
{
	dmesg | sed -n 's/.*kxen: d[0-9]*: VM exits by reason://p' |
		tail -n 1 | tr ' ' '\n' |
		awk -F: 'NF == 2 { n += $2 } END { print n + 0 }'
}

# One L2 Linux boot, from create to the guest gone after its poweroff.
l2_boot()
{
	t0=$(now)
	if ! "$XL" create /tmp/peer-l2.cfg > /tmp/peer-create.out 2>&1; then
		error "boot $1: $XL create failed: $(tail -n 3 /tmp/peer-create.out)"
		return 1
	fi
	t1=$(now)
	rm -f /tmp/peer-init.t
	timeout 300 "$XL" console peer-l2 <&3 2>&1 | while IFS= read -r line; do
		case $line in
		*L2-INIT-OK*) now > /tmp/peer-init.t ;;
		esac
		printf '%s\n' "$line"
	done > /tmp/peer-l2.out
	t3=$(now)
	if [ ! -s /tmp/peer-init.t ] || ! grep -q L2-DONE /tmp/peer-l2.out; then
		error "boot $1: no L2-INIT-OK and L2-DONE on the console"
		tail -n 20 /tmp/peer-l2.out
		"$XL" destroy peer-l2 > /dev/null 2>&1
		return 1
	fi
	gone peer-l2 || error "boot $1: the guest is still listed after its poweroff"
	result l2_create_s "$(sub "$t1" "$t0")"
	result l2_to_init_s "$(sub "$(cat /tmp/peer-init.t)" "$t0")"
	result l2_to_gone_s "$(sub "$t3" "$t0")"
	result l2_uptime_at_init_s \
		"$(sed -n 's/^L2-UPTIME \([0-9.]*\).*/\1/p' /tmp/peer-l2.out)"
	[ "$SIDE" != kxen ] || result l2_vm_exits "$(exits_of_last_domain)"
}

bench_l2()
{
	guest_cfg peer-l2 "$L2/vmlinux" 256 "ramdisk = \"$L2/initrd\"" \
		'cmdline = "console=hvc0 loglevel=4 kxen_l2=boot"' \
		> /tmp/peer-l2.cfg
	b=1
	while [ $b -le "$BOOTS" ]; do
		l2_boot $b || break
		sleep 1
		b=$((b + 1))
	done
}

# destroy_numbered PREFIX N: destroys the guests PREFIX1 .. PREFIX<N-1>.
destroy_numbered()
{
	j=1
	while [ $j -lt "$2" ]; do
		timeout 60 "$XL" destroy "$1$j" > /tmp/peer-destroy.out 2>&1 ||
			error "destroy $1$j failed: $(tail -n 2 /tmp/peer-destroy.out)"
		j=$((j + 1))
	done
}

# A tiny guest (hello) created and destroyed at once, five times.
bench_tiny()
{
	guest_cfg peer-tiny "$GUESTS/hello.elf" 16 > /tmp/peer-tiny.cfg
	for i in 1 2 3 4 5; do
		t0=$(now)
		if ! "$XL" create -p /tmp/peer-tiny.cfg > /tmp/peer-tiny.out 2>&1 ||
		   ! "$XL" destroy peer-tiny > /tmp/peer-tiny.out 2>&1; then
			error "tiny guest $i: $(tail -n 2 /tmp/peer-tiny.out)"
			return
		fi
		result tiny_create_destroy_s "$(sub "$(now)" "$t0")"
	done
}

# free_kib: memory left for guests: the host's available memory on
# kxen, the hypervisor's free memory on Xen.
free_kib()
{
	if [ "$SIDE" = xen ]; then
		xl info | awk '$1 == "free_memory" { print $3 * 1024 }'
	else
		awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo
	fi
}

# PEER_MANY tiny guests (default 100, 4 MiB each) alive at once, paused:
# the create time of the first and of the last, and what each costs.
bench_many()
{
	n=${PEER_MANY:-100}
	before=$(free_kib)
	i=1
	while [ $i -le "$n" ]; do
		guest_cfg "peer-m$i" "$GUESTS/hello.elf" 4 > /tmp/peer-many.cfg
		t0=$(now)
		if ! "$XL" create -p /tmp/peer-many.cfg > /tmp/peer-many.out 2>&1; then
			error "guest $i of $n: $(tail -n 2 /tmp/peer-many.out)"
			break
		fi
		t=$(sub "$(now)" "$t0")
		[ $i != 1 ] || result many_create_first_s "$t"
		[ $i != "$n" ] || result many_create_last_s "$t"
		i=$((i + 1))
	done
	[ $i -le "$n" ] ||
		result many_kib_per_domain "$(( (before - $(free_kib)) / n ))"
	destroy_numbered peer-m "$i"
}

# xs_bench through libxenstore's default path on each side: kxen's
# /dev/xen/xenbus, Xen's xenstored socket.
bench_xenstore()
{
	if ! /selftests/data/xs_bench -n "$OPS" -p /peer-bench > /tmp/peer-xs.out 2>&1; then
		error "xs_bench: $(tail -n 2 /tmp/peer-xs.out)"
		return
	fi
	awk '$1 == "xs_bench:" && $NF == "ops/s" { print $2, $(NF - 1) }' \
		/tmp/peer-xs.out | while read -r op rate; do
		result "xs_${op}_ops_s" "$rate"
	done
}

# load_writes: the writes the xsload guests have made so far, together.
load_writes()
{
	total=0
	for id in $LOAD_IDS; do
		v=$(timeout 10 xenstore-read "/local/domain/$id/data/load" 2>/dev/null)
		total=$((total + ${v:-0}))
	done
	echo "$total"
}

# xs_bench again while PEER_LOAD guests write to the store, one write
# at a time each: the store's rates under load, and the guests' own.
# Every step is bounded: a store that stalls under the load is a result
# (a PEER-ERROR naming the step), not a hung run.
bench_xenstore_load()
{
	n=${PEER_LOAD:-10}
	LOAD_IDS=
	i=1
	while [ $i -le "$n" ]; do
		guest_cfg "peer-xsl$i" "$GUESTS/xsload.elf" 16 \
			'cmdline = "secs=3600"' > /tmp/peer-xsl.cfg
		# Xen's xl create slows as the load guests write (past 60 s
		# for the ninth under QEMU on a slow day): allow it 180 s.
		timeout 180 "$XL" create /tmp/peer-xsl.cfg > /tmp/peer-xsl.out 2>&1
		rc=$?
		if [ $rc = 124 ]; then
			error "xsload guest $i: create took over 180 s"
			break
		elif [ $rc != 0 ]; then
			error "xsload guest $i: $(tail -n 2 /tmp/peer-xsl.out)"
			break
		fi
		LOAD_IDS="$LOAD_IDS $(timeout 60 "$XL" domid "peer-xsl$i")"
		i=$((i + 1))
	done
	# Each has written at least once before the measure starts.
	w=0
	for id in $LOAD_IDS; do
		while [ -z "$(timeout 10 xenstore-read "/local/domain/$id/data/load" 2>/dev/null)" ] &&
		      [ $w -lt 1200 ]; do
			sleep 0.1
			w=$((w + 1))
		done
	done
	if [ $i -le "$n" ] || [ $w -ge 1200 ]; then
		[ $w -lt 1200 ] || error "xsload: a guest wrote nothing in 120 s"
	else
		c0=$(load_writes)
		t0=$(now)
		if timeout 300 /selftests/data/xs_bench -n "$LOAD_OPS" -p /peer-bench-load \
			> /tmp/peer-xsl.bench 2>&1; then
			c1=$(load_writes)
			result xsload_guest_write_ops_s "$(awk -v c="$((c1 - c0))" \
				-v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", c / (b - a) }')"
			awk '$1 == "xs_bench:" && $NF == "ops/s" { print $2, $(NF - 1) }' \
				/tmp/peer-xsl.bench | while read -r op rate; do
				result "xsload_${op}_ops_s" "$rate"
			done
		else
			error "xs_bench under load failed or took over 300 s: $(tail -n 2 /tmp/peer-xsl.bench)"
		fi
	fi
	destroy_numbered peer-xsl "$i"
}

# cli_rate OP N: Debian's xenstore-OP, one process per operation.
cli_rate()
{
	t0=$(now)
	i=0
	while [ $i -lt "$2" ]; do
		case $1 in
		write) xenstore-write /peer-cli/k "$i" ;;
		read) xenstore-read /peer-cli/k > /dev/null ;;
		esac || { error "xenstore-$1 failed after $i"; return; }
		i=$((i + 1))
	done
	result "xscli_$1_ops_s" "$(awk -v n="$2" -v a="$t0" -v b="$(now)" \
		'BEGIN { printf "%.1f", n / (b - a) }')"
}

bench_hcbench()
{
	guest_cfg peer-hcb "$GUESTS/hcbench.elf" 16 \
		'cmdline = "hcalls=4000 evtchns=1000 gntops=1000 passes=5"' \
		> /tmp/peer-hcb.cfg
	# Xen prints a guest's port-0xe9 lines in its own log only at this
	# level; kxen puts them on the guest's console.
	[ "$SIDE" != xen ] || xl set-parameters guest_loglvl=all
	if ! "$XL" create /tmp/peer-hcb.cfg > /tmp/peer-hcb.create 2>&1; then
		error "hcbench: $XL create failed: $(tail -n 2 /tmp/peer-hcb.create)"
		return
	fi
	timeout 300 "$XL" console peer-hcb <&3 > /tmp/peer-hcb.out 2>&1
	gone peer-hcb || "$XL" destroy peer-hcb > /dev/null 2>&1
	[ "$SIDE" != xen ] || xl dmesg > /tmp/peer-hcb.out
	sed -n 's/.*HCBENCH \([a-z_]*\) .*: \([0-9]*\) ns\/op.*/\1 \2/p' \
		/tmp/peer-hcb.out | while read -r name ns; do
		result "hc_${name}_ns" "$ns"
	done
	grep -q 'Test result: SUCCESS' /tmp/peer-hcb.out ||
		error "hcbench: $(grep -E 'FAIL|Test result' /tmp/peer-hcb.out | head -n 3)"
}

# create_l2 WHAT NAME MODE LINE: the L2 kernel created as guest NAME,
# in kxen_l2=MODE, LINE (its device) in its config; if that fails, a
# PEER-ERROR for the measures WHAT, with the toolstack's output and
# Xen's hotplug log.
create_l2()
{
	guest_cfg "$2" "$L2/vmlinux" 256 "ramdisk = \"$L2/initrd\"" \
		"cmdline = \"console=hvc0 loglevel=4 kxen_l2=$3\"" "$4" \
		> "/tmp/$2.cfg"
	"$XL" create "/tmp/$2.cfg" > "/tmp/$2.create" 2>&1 && return 0
	error "$1: $XL create failed: $(tail -n 3 "/tmp/$2.create")"
	sed 's/^/# /' "/tmp/$2.create"
	[ ! -r /var/log/xen/xen-hotplug.log ] ||
		sed 's/^/# hotplug: /' /var/log/xen/xen-hotplug.log
	return 1
}

# l1_module PATH [PARAM...]: L1's kernel module at PATH (under its
# kernel/ directory) loaded, unless it is already.
l1_module()
{
	_m=$1
	shift
	grep -q "^$(basename "$_m" .ko | tr - _) " /proc/modules ||
		insmod "/lib/modules/$(uname -r)/kernel/$_m" "$@"
}

# disk_results SIDE FILE: PEER-RESULT lines from diskbench's lines.
disk_results()
{
	awk -v s="$1" '$1 == "DISKBENCH" {
		k = $2; gsub("-", "_", k)
		u = $4 == "IOPS" ? "iops" : "mb_s"
		print "PEER-RESULT disk_" s "_" k "_" u " " $3 }' "$2"
}

bench_disk()
{
	if ! l1_module drivers/block/brd.ko rd_nr=1 rd_size=65536; then
		error "disk: no RAM disk (brd)"
		return
	fi
	if [ "$SIDE" = xen ] &&
	   ! l1_module drivers/block/xen-blkback/xen-blkback.ko; then
		error "disk: no xen-blkback in dom0"
		return
	fi
	/selftests/data/diskbench /dev/ram0 64 10 > /tmp/peer-disk.l1 2>&1
	disk_results l1 /tmp/peer-disk.l1
	[ "$(grep -c '^DISKBENCH' /tmp/peer-disk.l1)" = 3 ] ||
		error "disk: diskbench in L1: $(tail -n 2 /tmp/peer-disk.l1)"
	create_l2 disk peer-disk diskbench "disk = [ 'phy:/dev/ram0,xvda,w' ]" ||
		return
	timeout 600 "$XL" console peer-disk <&3 > /tmp/peer-disk.out 2>&1
	gone peer-disk || "$XL" destroy peer-disk > /dev/null 2>&1
	tr -d '\r' < /tmp/peer-disk.out |
		sed -n 's/^L2-DISKBENCH/DISKBENCH/p' > /tmp/peer-disk.l2
	disk_results l2 /tmp/peer-disk.l2
	[ "$(grep -c '^DISKBENCH' /tmp/peer-disk.l2)" = 3 ] ||
		error "disk: diskbench in L2: $(tail -n 5 /tmp/peer-disk.out | tr '\n' ' ')"
}

# wait_for FILE PATTERN SECS: until a line of FILE matches.
wait_for()
{
	i=0
	while ! tr -d '\r' < "$1" | grep -q -- "$2" && [ $i -lt $(($3 * 5)) ]; do
		sleep 0.2
		i=$((i + 1))
	done
	tr -d '\r' < "$1" | grep -q -- "$2"
}

# nb_val FILE NAME: netbench's value of NAME in FILE.
nb_val() { tr -d '\r' < "$1" | awk -v n="$2" '$1 ~ /NETBENCH$/ && $2 == n { print $3 }'; }

# nb_guest ARGS: netbench in the guest with ARGS, typed at its console.
# xl-lite's console passes on what it reads from a FIFO; Xen's passes
# on only a terminal's input, so there the line goes into the pty that
# xenconsoled serves the guest's console on, ended with CR as a
# terminal would send it.
nb_guest()
{
	if [ "$SIDE" = xen ]; then
		printf '%s\r' "$*" > "$NET_TTY"
	else
		echo "$*" >&4
	fi
}

# net_tcp DIR PORT: one TCP stream between L1 and the guest at
# 10.9.0.2, L1 sending (to) or receiving (from); its rate as L1 saw it.
net_tcp()
{
	mark=$(wc -l < /tmp/peer-net.out)
	if [ "$1" = to ]; then
		nb_guest "-w 120 recv tcp $2"
		if ! wait_for /tmp/peer-net.out "L2-NETBENCH-LISTEN tcp $2" 120; then
			error "net: the guest's receiver on port $2 never listened"
			return
		fi
		/selftests/data/netbench -t 5 send tcp 10.9.0.2 "$2" > /tmp/peer-nb.l1 2>&1
	else
		/selftests/data/netbench -w 120 recv tcp "$2" > /tmp/peer-nb.l1 2>&1 &
		pid=$!
		wait_for /tmp/peer-nb.l1 "^NETBENCH-LISTEN tcp $2" 30
		nb_guest "-t 5 send tcp 10.9.0.1 $2"
		wait "$pid"
	fi
	wait_for /tmp/peer-net.out "L2-NB-DONE rc=[0-9]* .*tcp.* $2" 120
	tail -n "+$((mark + 1))" /tmp/peer-net.out > /tmp/peer-nb.l2
	sent=$(nb_val /tmp/peer-nb.l1 tcp-sent)$(nb_val /tmp/peer-nb.l2 tcp-sent)
	got=$(nb_val /tmp/peer-nb.l1 tcp-received)$(nb_val /tmp/peer-nb.l2 tcp-received)
	if [ -z "$sent" ] || [ "$sent" != "$got" ]; then
		error "net: tcp $1 the guest: sent ${sent:-?} bytes, received ${got:-?}"
		sed 's/^/# /' /tmp/peer-nb.l1 /tmp/peer-nb.l2
		return
	fi
	if [ "$1" = to ]; then
		result net_tcp_to_guest_mb_s "$(nb_val /tmp/peer-nb.l1 tcp-send)"
	else
		result net_tcp_from_guest_mb_s "$(nb_val /tmp/peer-nb.l1 tcp-recv)"
	fi
}

# L1's bridge, as each side's lab test sets it up.
net_bridge()
{
	for k in net/llc/llc.ko net/802/stp.ko net/bridge/bridge.ko; do
		l1_module "$k"
	done
	if [ "$SIDE" = xen ] &&
	   ! l1_module drivers/net/xen-netback/xen-netback.ko; then
		error "net: no xen-netback in dom0"
		return 1
	fi
	ip link set lo up
	ip link show xenbr0 > /dev/null 2>&1 || ip link add xenbr0 type bridge
	ip addr add 10.9.0.1/24 dev xenbr0 2> /dev/null
	ip link set xenbr0 up
}

bench_net()
{
	net_bridge || return
	create_l2 net peer-net netbench \
		"vif = [ 'mac=00:16:3e:4b:58:09,bridge=xenbr0' ]" || return
	# Its console: input from a FIFO of its own, output to a file.
	mkfifo /tmp/peer-net.in
	exec 4<> /tmp/peer-net.in
	"$XL" console peer-net <&4 > /tmp/peer-net.out 2>&1 &
	con=$!
	[ "$SIDE" != xen ] || NET_TTY=$(xenstore-read \
		"/local/domain/$("$XL" domid peer-net)/console/tty")
	if wait_for /tmp/peer-net.out L2-NET-UP 600 &&
	   ping -c 3 -W 10 10.9.0.2 > /dev/null 2>&1; then
		net_tcp to 5001
		net_tcp from 5002
	else
		error "net: the guest's eth0 never answered: $(tail -n 5 /tmp/peer-net.out | tr '\r\n' '  ')"
	fi
	nb_guest "done"
	wait_for /tmp/peer-net.out L2-DONE 60
	gone peer-net || "$XL" destroy peer-net > /dev/null 2>&1
	kill "$con" 2> /dev/null
	exec 4>&-
	rm -f /tmp/peer-net.in
}

result info_l1_kernel "$(uname -r)"
[ "$SIDE" != xen ] || result info_xen "$(xl info | sed -n 's/^xen_version *: //p')"
bench_cli()
{
	cli_rate write 200
	cli_rate read 200
	xenstore-rm /peer-cli 2> /dev/null
}

for m in $(echo "${PEER_MEASURES:-l2,tiny,many,xenstore,xsload,cli,hcbench,disk,net}" | tr ',' ' '); do
	case $m in
	l2)		bench_l2 ;;
	tiny)		bench_tiny ;;
	many)		bench_many ;;
	xenstore)	bench_xenstore ;;
	xsload)		bench_xenstore_load ;;
	cli)		bench_cli ;;
	hcbench)	bench_hcbench ;;
	disk)		bench_disk ;;
	net)		bench_net ;;
	*)		error "no group of measures $m" ;;
	esac
done
echo "PEER-DONE"
