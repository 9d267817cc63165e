// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_hold: make KVM take VT-x (KVM_CREATE_VM enables it on every CPU in
 * Linux 6.1) and keep it until killed.  Used to provoke, and to check,
 * kxen's "VT-x already in use" refusal in both directions.
 *
 * Exit: 0 never (it waits to be killed), 3 if KVM could not enable VT-x
 * because something else holds it (EBUSY), 2 without /dev/kvm, 1 else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

int main(void)
{
	int kvm, vm;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		printf("kvm_hold: /dev/kvm: %s\n", strerror(errno));
		return 2;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		printf("kvm_hold: KVM_CREATE_VM: %s\n", strerror(errno));
		return errno == EBUSY ? 3 : 1;
	}
	printf("kvm_hold: KVM holds VT-x\n");
	fflush(stdout);
	for (;;)
		pause();
}
