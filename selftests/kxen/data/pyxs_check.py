# SPDX-License-Identifier: GPL-2.0
"""python3-pyxs, unmodified, against kxen's /dev/xen/xenbus: TAP.

   python3 -I -S pyxs_check.py DOMID     (DOMID: a domain that exists)
"""
import sys

sys.path.append("/usr/lib/python3/dist-packages")
from pyxs import Client  # noqa: E402

DEV = "/dev/xen/xenbus"
checks = []


def check(desc, ok, got=None):
    checks.append((desc, bool(ok), got))


def main(domid):
    home = b"/local/domain/%d" % domid
    with Client(xen_bus_path=DEV) as c:
        c[b"/pyxs/x"] = b"1"
        check("write then read", c[b"/pyxs/x"] == b"1", c[b"/pyxs/x"])
        c.mkdir(b"/pyxs/d")
        check("mkdir, list", sorted(c.list(b"/pyxs")) == [b"d", b"x"],
              c.list(b"/pyxs"))
        c.delete(b"/pyxs/d")
        check("delete, exists", not c.exists(b"/pyxs/d") and
              c.exists(b"/pyxs/x"))
        check("the domain's name node: dom0's, readable by it",
              c.get_perms(home + b"/name") == [b"n0", b"r%d" % domid],
              c.get_perms(home + b"/name"))
        c.set_perms(b"/pyxs/x", [b"n0", b"r%d" % domid])
        check("set_perms, get_perms",
              c.get_perms(b"/pyxs/x") == [b"n0", b"r%d" % domid],
              c.get_perms(b"/pyxs/x"))
        check("get_domain_path", c.get_domain_path(domid) == home,
              c.get_domain_path(domid))
        check("is_domain_introduced", c.is_domain_introduced(domid))
        c.transaction()
        c[b"/pyxs/y"] = b"2"
        check("transaction commit", c.commit() and c[b"/pyxs/y"] == b"2")
        with Client(xen_bus_path=DEV) as other:
            c.transaction()
            c[b"/pyxs/x"]
            other[b"/pyxs/x"] = b"changed"
            c[b"/pyxs/x"] = b"mine"
            check("a conflicting commit fails (EAGAIN)", c.commit() is False)
        check("and left the other's value", c[b"/pyxs/x"] == b"changed",
              c[b"/pyxs/x"])
        # Watches: pyxs's Monitor refuses XenBus devices ("not supported"),
        # so xenstore_tools.sh tests them with xenstore-watch instead.
        c.delete(b"/pyxs")
        check("cleanup", not c.exists(b"/pyxs"))


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]))
    except Exception as e:  # every failure is a TAP line, not a traceback
        check("no exception: %r" % e, False)
    print("1..%d" % len(checks))
    for n, (desc, ok, got) in enumerate(checks, 1):
        print("%s %d - pyxs: %s" % ("ok" if ok else "not ok", n, desc))
        if not ok and got is not None:
            print("#   got: %r" % (got,))
    sys.exit(0 if all(ok for _, ok, _ in checks) else 1)
