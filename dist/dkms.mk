# SPDX-License-Identifier: GPL-2.0
#
# The Makefile of kxen's DKMS source tree (installed by `make install`):
# kxen.ko from Kbuild here, against the kernel tree KDIR.
#   make KDIR=/lib/modules/VERSION/build

KDIR ?= /lib/modules/$(shell uname -r)/build

.PHONY: all clean

all:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
