#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The layering rules of DESIGN.md, checked on the sources: the vendor code
# (kmod/arch/) knows nothing of Xen, and the Xen ABI layer (kmod/xen/) and
# the xenstore core (xenbus-compat/) touch no VMCS or VMCB.  Prints each
# include that breaks a rule; exit status 1 if any does.
#
#   scripts/check-layers.sh

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
bad=0

# rule DIR REGEX WHY: no #include in DIR's C sources matches REGEX.
rule()
{
	local hits

	hits=$(grep -nE "^#include .*($2)" -r "$1" --include='*.[chS]')
	if [ -n "$hits" ]; then
		echo "layering: $3:"
		echo "$hits" | sed 's/^/  /'
		bad=1
	fi
}

rule kmod/arch 'xen/|xenstore|backends/' "vendor code includes the Xen personality"
rule kmod/xen 'arch/|vmx|svm' "the Xen layer includes vendor code"
rule xenbus-compat 'arch/|vmx|svm|kmod/' "the xenstore core includes module code"
[ "$bad" = 0 ] && echo "layering: kmod/arch, kmod/xen and xenbus-compat keep to their layers"
exit "$bad"
