# SPDX-License-Identifier: GPL-2.0
#
# Top-level build: the module, the tools, the test guests and the selftests.
#   make            everything
#   make module     kxen.ko against KDIR (default: the running kernel)
#   make check      host-side tests (the layering rules, parser unit tests,
#                   bats, guests under QEMU without a hypervisor); no VT-x
#                   needed
#   make lab        the emulated-lab suite under both backends: Bochs (VT-x)
#                   and QEMU (AMD-V) (selftests/lab/bench-suite)
#   make test       both: the project's whole test suite, the host-side
#                   tests beside the Bochs pass, before the QEMU one
#   make demo       in the lab: boot the hello Xen guest, show its console
#   make install    as a distribution package: the module's source for DKMS
#                   in /usr/src/kxen-VERSION, xl-lite (and xl, unless Xen's
#                   is there) in PREFIX/sbin, man pages, bash completion,
#                   /etc/modules-load.d/kxen.conf, kxen-domains.service;
#                   DESTDIR and PREFIX (default /usr) as usual
#   make uninstall  remove what make install put there
#   make deb        Debian packages from what make install lays out:
#                   kxen-dkms and kxen-utils, in build/deb/

KDIR ?= /lib/modules/$(shell uname -r)/build
export KDIR

# make install: where (/etc and /usr/src do not move with PREFIX), and the
# version the DKMS tree is named by: git's, else the VERSION file's, unless
# given on the command line (not from the environment: too common a name).
PREFIX ?= /usr
DESTDIR ?=
ifneq ($(origin VERSION),command line)
VERSION := $(shell if [ -e .git ]; then git describe --always; \
		   elif [ -f VERSION ]; then cat VERSION; fi)
endif

.PHONY: all module tools guests selftests check lab test demo clean \
	install uninstall deb

all: module tools guests selftests

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools/xl-lite

guests:
	$(MAKE) -C guest-frontends

selftests: tools
	$(MAKE) -C selftests/kxen

# Seconds each libFuzzer target runs in make check: a smoke run (each
# gets through 10^5 to 10^7 inputs in that time on the CI machine);
# a longer campaign is FUZZ_TIME=600, or a target run by hand.
FUZZ_TIME ?= 10

check: tools guests
	scripts/check-layers.sh
	scripts/check-nospec.sh
	$(MAKE) -C tools/xl-lite check fuzz-smoke FUZZ_TIME=$(FUZZ_TIME)
	$(MAKE) -C kmod/xen/tests check
	$(MAKE) -C kmod/core/tests check fuzz-smoke FUZZ_TIME=$(FUZZ_TIME)
	$(MAKE) -C kmod/backends/tests check fuzz-smoke FUZZ_TIME=$(FUZZ_TIME)
	$(MAKE) -C xenbus-compat check fuzz-smoke FUZZ_TIME=$(FUZZ_TIME)
	bats selftests/xl-lite selftests/lab/tests selftests/xtf/tests
	$(MAKE) -C guest-frontends check

# The suite twice, two vCPUs in L1 (per-CPU enable, CPU hotplug, vCPU
# threads migrating), side by side: under Bochs for the VT-x backend (the
# tests of tests.list not marked "qemu"), and under QEMU for the AMD-V one
# (all of them).  Prints both wall times; the last line is the combined
# "N passed, N failed".  LAB_DEBIAN=1: the Debian 12 userland guest
# (l2_debian) too, built once with mmdebstrap and cached in .lab/debian/.
LAB_SUITE := LAB_L2=1 LAB_DEBIAN=1 selftests/lab/bench-suite --smp 2 \
	--timeout 3600

lab:
	$(LAB_SUITE)

# The host-side tests take one core for several minutes: they run beside
# the Bochs pass, the longer one, before the QEMU pass (bench-suite's
# LAB_BESIDE_BOCHS), and fail the suite as a pass would.
test: tools guests
	LAB_BESIDE_BOCHS='$(MAKE) check' $(LAB_SUITE)

demo:
	selftests/lab/run demo

install: tools
	DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' VERSION='$(VERSION)' \
		scripts/install.sh install

uninstall:
	DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' scripts/install.sh uninstall

deb:
	VERSION='$(VERSION)' scripts/deb.sh build/deb

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/xl-lite clean
	$(MAKE) -C guest-frontends clean
	$(MAKE) -C selftests/kxen clean
	rm -rf build/deb
