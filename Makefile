# SPDX-License-Identifier: GPL-2.0
#
# Top-level build: the module, the tools, the test guests and the selftests.
#   make            everything
#   make module     kxen.ko against KDIR (default: the running kernel)
#   make check      host-side tests (parser unit tests, bats); no VT-x needed
#   make lab        the emulated-lab suite (selftests/lab/run)

KDIR ?= /lib/modules/$(shell uname -r)/build
export KDIR

.PHONY: all module tools guests selftests check lab clean

all: module tools guests selftests

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools/xl-lite

guests:
	$(MAKE) -C guest-frontends

selftests: tools
	$(MAKE) -C selftests/kxen

check: tools
	$(MAKE) -C tools/xl-lite check
	bats selftests/xl-lite

lab:
	selftests/lab/run

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/xl-lite clean
	$(MAKE) -C guest-frontends clean
	$(MAKE) -C selftests/kxen clean
