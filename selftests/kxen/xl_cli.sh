#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# xl-lite's commands that need the module, as xl's: domid and domname,
# list -v's UUID and list -l's JSON, uptime from the start_time create
# writes, info's xen_* keys, -v's log and the invalid domain identifier
# message; xl's daily commands: vcpu-list, vcpu-pin, vcpu-set, mem-max and
# mem-set, rename, sysrq, dmesg; create's cpus and maxmem, top -b, and
# on_reboot = "rename-restart"; uuid, max_grant_frames and
# max_event_channels as the gnttab and evtchn guests see them; create -d
# and -V.  The hello guest is built paused and left so: its vCPUs never
# run.
. /selftests/data/tap.sh

G=${KXEN_GUESTS:-/kxen/guests}
[ -r "$G/hello.elf" ] || tap_skip_all "no hello.elf"
[ -r "$G/conecho.elf" ] || tap_skip_all "no conecho.elf"
[ -r "$G/badargs.elf" ] || tap_skip_all "no badargs.elf"
[ -r "$G/gnttab.elf" ] || tap_skip_all "no gnttab.elf"
[ -r "$G/evtchn.elf" ] || tap_skip_all "no evtchn.elf"
tap_plan 64
kxen_load

cat > /tmp/cli.cfg <<CFG
type = "pvh"
name = "clihello"
kernel = "$G/hello.elf"
memory = 16
vcpus = 2
CFG
tap_check "xl-lite create -p -e cli.cfg" xl-lite create -p -e /tmp/cli.cfg
id=$(xl-lite domid clihello)
echo "# domid: $id"
tap_check "domid prints the domain's ID" \
	sh -c "xl-lite list | awk '\$1 == \"clihello\" { print \$2 }' | grep -qx '$id'"
tap_check "domname of that ID is its name" \
	test "$(xl-lite domname "$id")" = clihello
tap_check "domid of no domain: xl's message, status 1" sh -c \
	"! xl-lite domid nosuch 2> /tmp/cli.err &&
	 grep -qx \"Can't get domid of domain name 'nosuch', maybe this domain does not exist.\" /tmp/cli.err"

xl-lite list -v | sed 's/^/# /'
uuid=$(xl-lite list -v clihello | awk 'NR == 2 { print $7 }')
tap_check "list -v: a UUID column" sh -c \
	"echo '$uuid' | grep -Eqx '[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}'"
xl-lite list -l clihello > /tmp/cli.json
sed 's/^/# /' /tmp/cli.json
tap_check "list -l: domid, name and the same uuid" sh -c \
	"grep -q '\"domid\": $id,' /tmp/cli.json &&
	 grep -q '\"name\": \"clihello\",' /tmp/cli.json &&
	 grep -q '\"uuid\": \"$uuid\"' /tmp/cli.json"
tap_check "list -l: vCPUs and memory" sh -c \
	"grep -q '\"max_vcpus\": 2,' /tmp/cli.json &&
	 grep -q '\"target_memkb\": 16384' /tmp/cli.json"
tap_check "list -l of every domain leaves out Domain-0" sh -c \
	"xl-lite list -l | grep -q '\"name\": \"clihello\"' &&
	 ! xl-lite list -l | grep -q Domain-0"

sleep 2
xl-lite uptime | sed 's/^/# /'
tap_check "uptime: the domain's, from its start_time" sh -c \
	"xl-lite uptime clihello | grep -Eq '^clihello +$id +0:0[0-9]:[0-9]{2}\$'"
tap_check "uptime lists Domain-0 and the domain" sh -c \
	"xl-lite uptime | grep -q '^Domain-0 ' && xl-lite uptime | grep -q '^clihello '"

xl-lite info | sed 's/^/# /'
tap_check "info: xen_version is the version guests see" \
	test "$(xl_info xen_version)" = "4.17.0-kxen"
tap_check "info: virt_caps names what kxen offers, in Xen's words" \
	test "$(xl_info virt_caps)" = "hvm hap gnttab-v1"
# (a write-only one, inject_virt_off, has no value to show)
cmdline=$(cd /sys/module/kxen/parameters && for p in *; do
	v=$(cat "$p" 2>/dev/null) && printf '%s=%s ' "$p" "$v"; done)
tap_check "info: xen_commandline is the module's parameters ($cmdline)" \
	test "$(xl_info xen_commandline)" = "${cmdline% }"
tap_check "-v logs the requests to kxen" sh -c \
	"xl-lite -v list 2>&1 >/dev/null | grep -q 'KXEN_CMD_DOMAIN_GET (dump): ok'"
tap_check "a name that is no domain: invalid domain identifier, status 1" sh -c \
	"! xl-lite pause nosuch 2> /tmp/cli.err &&
	 grep -qx 'nosuch is an invalid domain identifier' /tmp/cli.err"
# ---- vcpu-list, vcpu-pin ----
xl-lite vcpu-list clihello > /tmp/cli.vcpus
sed 's/^/# /' /tmp/cli.vcpus
tap_check "vcpu-list: xl's header and one offline line per vCPU" sh -c \
	"head -1 /tmp/cli.vcpus | grep -Eq '^Name +ID +VCPU +CPU +State +Time\(s\) Affinity \(Hard / Soft\)\$' &&
	 grep -Ec '^clihello +$id +[01] +- +--p +0\.0  all / all\$' /tmp/cli.vcpus | grep -qx 2"
tap_check "vcpu-pin clihello 1 0" xl-lite vcpu-pin clihello 1 0
xl-lite vcpu-list | sed 's/^/# /'
tap_check "vcpu-list: vCPU 1 pinned to CPU 0, vCPU 0 not" sh -c \
	"xl-lite vcpu-list | grep -Eq '^clihello +$id +1 .* 0 / all\$' &&
	 xl-lite vcpu-list | grep -Eq '^clihello +$id +0 .* all / all\$'"
tap_check "vcpu-pin all vCPUs back to all CPUs" sh -c \
	"xl-lite vcpu-pin clihello all all &&
	 xl-lite vcpu-list clihello | grep -c ' all / all\$' | grep -qx 2"
tap_check "vcpu-pin of a vCPU the domain lacks: xl's message, status 1" sh -c \
	"! xl-lite vcpu-pin clihello 2 0 2> /tmp/cli.err &&
	 grep -qx \"Could not set affinity for vcpu \\\`2'.\" /tmp/cli.err"
# ---- vcpu-set: cpu/N/availability in the domain's xenstore ----
avail() {
	echo "$(xenstore-read /local/domain/$id/cpu/0/availability)" \
		"$(xenstore-read /local/domain/$id/cpu/1/availability)"
}
xl-lite vcpu-set clihello 1
tap_check "vcpu-set clihello 1: cpu/0 online, cpu/1 offline" \
	test "$(avail)" = "online offline"
xl-lite vcpu-set clihello 2
tap_check "vcpu-set clihello 2: both online again" \
	test "$(avail)" = "online online"
tap_check "vcpu-set past the domain's vCPUs: refused, status 1, xenstore unchanged" sh -c \
	"! xl-lite vcpu-set -i clihello 3 2> /tmp/cli.err &&
	 grep -q 'requested 3 vCPUs, however maxcpus is 2' /tmp/cli.err &&
	 ! xenstore-read /local/domain/$id/cpu/2/availability 2>/dev/null"

# ---- create's cpus and maxmem, top -b (a paused domain: nothing runs) ----
cat > /tmp/clicfg.cfg <<CFG
type = "pvh"
name = "clicfg"
kernel = "$G/hello.elf"
memory = 16
maxmem = 48
vcpus = 2
cpus = ["all", "0"]
CFG
tap_check "create -p -e with cpus and maxmem: no warning" sh -c \
	"xl-lite create -p -e /tmp/clicfg.cfg 2> /tmp/cli.err &&
	 ! grep -q 'warning' /tmp/cli.err"
# where L1 has one CPU, CPU 0 is all of them
pin=0
[ "$(grep -c ^processor /proc/cpuinfo)" -gt 1 ] || pin=all
tap_check "cpus: vCPU 1 pinned to CPU 0 before it ran, vCPU 0 not" sh -c \
	"xl-lite vcpu-list clicfg > /tmp/cli.cfgv && sed 's/^/# /' /tmp/cli.cfgv &&
	 grep -Eq '^clicfg +[0-9]+ +1 .* $pin / all\$' /tmp/cli.cfgv &&
	 grep -Eq '^clicfg +[0-9]+ +0 .* all / all\$' /tmp/cli.cfgv"
tap_check "maxmem: list -l has it as max_memkb, memory as target_memkb" sh -c \
	"xl-lite list -l clicfg > /tmp/cli.cfgj && sed 's/^/# /' /tmp/cli.cfgj &&
	 grep -q '\"max_memkb\": 49152,' /tmp/cli.cfgj &&
	 grep -q '\"target_memkb\": 16384' /tmp/cli.cfgj"
cid=$(xl-lite domid clicfg)
if command -v xenstore-read >/dev/null; then
	tap_check "maxmem: memory/static-max 49152, memory/target 16384" sh -c \
		"test \"\$(xenstore-read /local/domain/$cid/memory/static-max)\" = 49152 &&
		 test \"\$(xenstore-read /local/domain/$cid/memory/target)\" = 16384"
else
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N # SKIP no xenstore-read in this L1 image to read the nodes written"
fi
# NAME STATE CPU(sec) CPU(%) MEM(k) MEM(%) MAXMEM(k) MAXMEM(%) VCPUS NETS
# NETTX(k) NETRX(k) VBDS VBD_OO VBD_RD VBD_WR VBD_RSECT VBD_WSECT SSID
# maxmem above memory: 16 MiB held or to fill on demand, at most 16 MiB;
# one vCPU online of two (the second waits for its SIPI), as xentop counts
tap_check "top -b -i 1: xentop's header, Domain-0, clicfg paused, 16 MiB of 16, 1 vCPU online" sh -c \
	"xl-lite top -b -i 1 > /tmp/cli.top && sed 's/^/# /' /tmp/cli.top &&
	 head -1 /tmp/cli.top | grep -Eq '^ +NAME +STATE +CPU\(sec\) +CPU\(%\) +MEM\(k\) +MEM\(%\) +MAXMEM\(k\) +MAXMEM\(%\) +VCPUS +NETS +NETTX\(k\) +NETRX\(k\) +VBDS +VBD_OO +VBD_RD +VBD_WR +VBD_RSECT +VBD_WSECT +SSID\$' &&
	 grep -Eq '^ +Domain-0 -----r +[0-9]+ +0\.0 +[1-9][0-9]* +[0-9.]+ +no limit +n/a ' /tmp/cli.top &&
	 grep -Eq '^ +clicfg ----p- +0 +0\.0 +16384 +[0-9]+\.[0-9] +16384 +[0-9]+\.[0-9] +1 +0 +0 +0 +0( +0){6}\$' /tmp/cli.top &&
	 test \$(grep -c . /tmp/cli.top) -eq \$((\$(xl-lite list | grep -c .) ))"
tap_check "xl-lite destroy clicfg" xl-lite destroy clicfg

# A running guest: its vCPU thread has a CPU, and pinning moves it there.
guest_cfg clirun "$G/conecho.elf" 16
last=$(($(grep -c ^processor /proc/cpuinfo) - 1))
tap_check "vcpu-list of a running guest: online, on a host CPU" sh -c \
	"xl-lite create -e /tmp/clirun.cfg > /dev/null && sleep 1 &&
	 xl-lite vcpu-list clirun > /tmp/cli.run && sed 's/^/# /' /tmp/cli.run &&
	 grep -Eq '^clirun +[0-9]+ +0 +[0-9]+ +[-r][-b]- +[0-9]+\.[0-9]  all / all\$' /tmp/cli.run"
# another CPU than the one it is on (the same where L1 has one CPU)
to=$((($(awk '$1 == "clirun" { print $4 }' /tmp/cli.run) + 1) % (last + 1)))
tap_check "vcpu-pin of a running vCPU to CPU $to: it moves there" sh -c \
	"xl-lite vcpu-pin clirun 0 $to && sleep 1 &&
	 xl-lite vcpu-list clirun > /tmp/cli.run && sed 's/^/# /' /tmp/cli.run &&
	 grep -Eq '^clirun +[0-9]+ +0 +$to +[-r][-b]- .* ($to|all) / all\$' /tmp/cli.run"
tap_check "xl-lite destroy clirun" xl-lite destroy clirun

# ---- mem-max, mem-set (memory/target in xenstore, 16 MiB) ----
tap_check "mem-max below memory/target: refused, status 1" sh -c \
	"! xl-lite mem-max clihello 8m 2> /tmp/cli.err &&
	 grep -q 'memory_static_max must be greater than or equal to memory_dynamic_max' /tmp/cli.err &&
	 grep -qx \"cannot set domid $id static max memory to : 8m\" /tmp/cli.err"
tap_check "mem-max clihello 32m" xl-lite mem-max clihello 32m
tap_check "list -l after mem-max: max_memkb 32768, target_memkb 16384" sh -c \
	"xl-lite list -l clihello > /tmp/cli.json &&
	 grep -q '\"max_memkb\": 32768,' /tmp/cli.json &&
	 grep -q '\"target_memkb\": 16384' /tmp/cli.json"
tap_check "mem-set above memory/static-max: refused, status 1" sh -c \
	"! xl-lite mem-set clihello 1g 2> /tmp/cli.err &&
	 grep -q 'memory_dynamic_max must be less than or equal to memory_static_max' /tmp/cli.err"
tap_check "mem-set clihello 12288k" xl-lite mem-set clihello 12288k
# max_memkb is static-max, which mem-max set and mem-set keeps (libxl)
tap_check "list -l after mem-set: max_memkb 32768, target_memkb 12288" sh -c \
	"xl-lite list -l clihello > /tmp/cli.json &&
	 grep -q '\"max_memkb\": 32768,' /tmp/cli.json &&
	 grep -q '\"target_memkb\": 12288' /tmp/cli.json"

# ---- rename, sysrq ----
tap_check "rename clihello clinew: domid finds the new name" sh -c \
	"xl-lite rename clihello clinew && test \"\$(xl-lite domid clinew)\" = $id &&
	 ! xl-lite domid clihello 2>/dev/null"
tap_check "rename to a name with a '/': xl's message, status 1" sh -c \
	"! xl-lite rename clinew a/b 2> /tmp/cli.err &&
	 grep -qx \"Can't rename domain 'clinew'.\" /tmp/cli.err"
tap_check "sysrq clinew s" xl-lite sysrq clinew s
if command -v xenstore-read >/dev/null; then
	tap_check "xenstore: mem-set's memory/target, rename's name, sysrq" sh -c \
		"test \"\$(xenstore-read /local/domain/$id/memory/target)\" = 12288 &&
		 test \"\$(xenstore-read /local/domain/$id/name)\" = clinew &&
		 test \"\$(xenstore-read /vm/$uuid/name)\" = clinew &&
		 test \"\$(xenstore-read /vm/$uuid/memory)\" = 12 &&
		 test \"\$(xenstore-read /local/domain/$id/control/sysrq)\" = s"
else
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N # SKIP no xenstore-read in this L1 image to read the nodes written"
fi
tap_check "rename clinew back to clihello" xl-lite rename clinew clihello

# ---- dmesg ----
xl-lite dmesg | tail -5 | sed 's/^/# /'
tap_check "dmesg: kxen's lines, the domain's creation and rename among them" sh -c \
	"xl-lite dmesg | grep -q 'kxen: d$id: created \"clihello\"' &&
	 xl-lite dmesg | grep -q 'kxen: d$id: renamed \"clinew\"' &&
	 ! xl-lite dmesg | grep -v '^\[ *[0-9]*\.[0-9]*\] kxen[:/]'"
tap_check "dmesg -c: refused, status 1" sh -c \
	"! xl-lite dmesg -c 2>/dev/null"

tap_check "xl-lite destroy -f clihello" xl-lite destroy -f clihello

# ---- on_reboot = "rename-restart" (kxen reboots a guest without PV
# control, as in xl_monitor): the old domain is kept under xl's
# NAME-YYYYMMDDTHHMMZ, a new one runs under the name ----
cat > /tmp/clirr.cfg <<CFG
type = "pvh"
name = "clirr"
kernel = "$G/badargs.elf"
memory = 16
cmdline = "iters=1000000000"
on_reboot = "rename-restart"
uuid = "5eed0000-0000-4000-8000-00000000c1a1"
CFG
xl-lite create /tmp/clirr.cfg
wait_state clirr rb 30
d1=$(xl_domid clirr)
timeout 120 xl-lite reboot -F clirr 2>&1 | sed 's/^/#   /'
tap_check "rename-restart: its monitor re-created it" \
	wait_grep "$XL_LOG_DIR/xl-clirr.log" "^Domain clirr restarted: domid" 30
sed 's/^/#   /' "$XL_LOG_DIR/xl-clirr.log"
xl-lite list | sed 's/^/# /'
old=$(xl-lite list | awk -v d="${d1:-none}" '$2 == d { print $1 }')
tap_check "the old domain (domid ${d1:-none}) is kept as ${old:-nothing}, shut down" sh -c \
	"echo '$old' | grep -Eqx 'clirr-[0-9]{8}T[0-9]{4}Z' &&
	 xl-lite list | grep -Eq '^$old +$d1 .*---s' &&
	 grep -q 'Preserving domain $d1 clirr as $old' $XL_LOG_DIR/xl-clirr.log"
d2=$(xl_domid clirr)
tap_check "the new one runs as clirr (domid $d1, then ${d2:-none})" sh -c \
	"[ '${d2:-0}' -gt '${d1:-0}' ] && \
		. /selftests/data/tap.sh && wait_state clirr rb 30"
# xl gives the preserved domain a new UUID and the new one the config's;
# kxen cannot change a domain's UUID, so the new one gets its own.
tap_check "rename-restart: the kept domain has the config's uuid, the new one another" sh -c \
	"xl-lite list -v '${old:-none}' | awk 'NR == 2 { print \$7 }' |
		grep -qx 5eed0000-0000-4000-8000-00000000c1a1 &&
	 xl-lite list -v clirr | awk 'NR == 2 { print \$7 }' |
		grep -Eqx '[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}' &&
	 ! xl-lite list -v clirr | grep -q 5eed0000-0000-4000-8000-00000000c1a1 &&
	 grep -q 'keeps the config.s UUID; the new domain gets a new one' \
		$XL_LOG_DIR/xl-clirr.log"
pid=$(monitor_pid clirr)
xl-lite destroy clirr
tap_check "clirr destroyed: its monitor exits" wait_pid_gone "$pid" 10
tap_check "xl-lite destroy ${old:-the old domain}" xl-lite destroy "${old:-none}"

# bootloader =: a stand-in for pygrub, with its protocol, finds the test
# guest on the "disk" (a copy of hello.elf) and names it; the domain
# boots it to SUCCESS, and nothing of the bootloader's is left behind.
cp "$G/hello.elf" /tmp/boot-disk.img
cat > /tmp/fakegrub <<'EOS'
#!/bin/sh
out=$2 dir=${4#--output-directory=}
for a; do disk=$a; done
cp "$disk" "$dir/kernel.1"
printf 'kernel %s\0args %s\0' "$dir/kernel.1" "from-the-disk" > "$out"
EOS
chmod +x /tmp/fakegrub
cat > /tmp/cliboot.cfg <<CFG
type = "pvh"
name = "cliboot"
memory = 16
bootloader = "/tmp/fakegrub"
disk = [ "/tmp/boot-disk.img,raw,xvda,ro" ]
on_poweroff = "preserve"
CFG
tap_check "bootloader: create from the kernel it chose on the disk" \
	xl-lite create /tmp/cliboot.cfg
wait_state cliboot sc 120
console_dump cliboot | grep -E "Test result|cmdline" | head -5
tap_check "bootloader: the guest it chose ran to SUCCESS, its directory gone" \
	sh -c "grep -q 'Test result: SUCCESS' /tmp/cliboot.out &&
	       ! ls -d /tmp/xl-lite-boot.* 2>/dev/null"
xl-lite destroy cliboot

# limits_run NAME ELF CMDLINE CFG-LINE...: the guest made with the
# lines added to its config runs to SUCCESS (two checks); left so.
limits_run()
{
	_n=$1 _e=$2 _c=$3
	shift 3
	guest_cfg "$_n" "$_e" 32 "$_c"
	printf '%s\n' "$@" >> "/tmp/$_n.cfg"
	tap_check "$_n: xl-lite create with $*" xl-lite create "/tmp/$_n.cfg"
	wait_state "$_n" sc 120
	console_dump "$_n" | grep -E "FAIL|max_|Test result" | head -40
	tap_check "$_n: Test result: SUCCESS" \
		grep -q "Test result: SUCCESS" "/tmp/$_n.out"
}

# xl.cfg(5)'s max_grant_frames: query_size's max_nr_frames is 4, grant
# frame index 4 cannot be mapped; uuid is the domain's, and no other
# live domain may have it; max_event_channels unset is libxl's 1023.
U=5bd8e4a1-0c3b-4f3e-9d55-3e0a1b2c3d4e
limits_run clignt "$G/gnttab.elf" max_frames=4 \
	"uuid = \"$U\"" "max_grant_frames = 4"
xl-lite list -l clignt > /tmp/clignt.json
sed 's/^/# /' /tmp/clignt.json
tap_check "list -l: the config's uuid, 4 grant frames, 1023 event channels" \
	sh -c "grep -q '\"uuid\": \"$U\"' /tmp/clignt.json &&
	       grep -q '\"max_grant_frames\": 4,' /tmp/clignt.json &&
	       grep -q '\"event_channels\": 1023' /tmp/clignt.json"
guest_cfg clidup "$G/hello.elf" 16
echo "uuid = \"$U\"" >> /tmp/clidup.cfg
tap_check "create with a live domain's uuid is refused, saying so" sh -c \
	"! xl-lite create /tmp/clidup.cfg 2> /tmp/clidup.err &&
	 grep -q UUID /tmp/clidup.err && ! xl-lite domid clidup 2>/dev/null"
sed 's/^/# /' /tmp/clidup.err
tap_check "clignt: destroyed" xl-lite destroy clignt

# max_event_channels = 100: ports up to 100 are the guest's, 101 is not.
limits_run clievt "$G/evtchn.elf" max_port=100 "max_event_channels = 100"
tap_check "list -l: 100 event channels" \
	sh -c "xl-lite list -l clievt | grep -q '\"event_channels\": 100'"
tap_check "clievt: destroyed" xl-lite destroy clievt

# create -d: the plan on stderr as xl prints its config, and the domain
# made all the same; -V: said that a PVH guest has no VNC display.
guest_cfg clidbg "$G/hello.elf" 16
tap_check "create -d -V: the plan and the VNC line on stderr, the domain made" sh -c \
	"xl-lite create -q -d -V -e /tmp/clidbg.cfg > /tmp/clidbg.out 2> /tmp/clidbg.err &&
	 ! test -s /tmp/clidbg.out && grep -q '^name: clidbg\$' /tmp/clidbg.err &&
	 grep -q 'clidbg has no VNC display' /tmp/clidbg.err &&
	 xl-lite domid clidbg > /dev/null"
sed 's/^/# /' /tmp/clidbg.err | head -n 4
xl-lite destroy clidbg
kxen_unload
tap_done
