"""Network namespaces for the kernel-NAT data plane: run commands in them, open sockets in them.

The kernel-NAT lab (`nat_network.py`) puts the client, each appliance and each EAS stand-in in a
namespace of its own; the simulator and the stand-ins stay processes of the host and open their
sockets inside those namespaces (`lborg_support.netns_sockets`). Everything here needs root.

Names carry a prefix unique to one lab (`lab_prefix`), so two labs and parallel tests never
touch each other's namespaces; `remove_prefixed` deletes one lab's namespaces, and
`remove_orphans` the namespaces of labs whose owning process died (a test that was killed).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import socket
import struct
import subprocess
from collections.abc import Sequence
from pathlib import Path

from lborg_support.netns_sockets import socket_in

NETNS_DIR = Path("/run/netns")
#: Test and lab namespaces whose prefix ends with the owner's pid: `<family><pid>x...`.
_OWNED = re.compile(r"^(?P<family>[a-z]+)(?P<pid>\d+)x")


class NetnsError(RuntimeError):
    """A namespace command failed; the message names the command and what it printed."""


@functools.cache
def kernel_nat_available() -> str | None:
    """None when this machine can run the kernel-NAT data plane; else why not (one line).
    Found out once per process (it makes and deletes a namespace)."""
    if os.geteuid() != 0:
        return "the kernel-NAT data plane needs root (network namespaces and nftables)"
    for tool in ("ip", "nft", "conntrack"):
        if shutil.which(tool) is None:
            return f"the kernel-NAT data plane needs `{tool}` (Debian packages iproute2, nftables, conntrack)"
    probe = f"natprobe{os.getpid()}"
    try:
        run(["ip", "netns", "add", probe])
        run_in(probe, ["nft", "add", "table", "ip", "probe"])
    except NetnsError as error:
        return f"the kernel-NAT data plane cannot start here: {error}"
    finally:
        subprocess.run(["ip", "netns", "del", probe], capture_output=True, check=False)
    return None


def run(argv: Sequence[str], stdin: str | None = None) -> str:
    """Run one command (ip, nft, conntrack, sysctl); its output, or NetnsError naming it."""
    done = subprocess.run(list(argv), input=stdin, capture_output=True, text=True, check=False, timeout=30)
    if done.returncode != 0:
        raise NetnsError(f"`{' '.join(argv)}` failed: {(done.stderr or done.stdout).strip()[:400]}")
    return done.stdout


def run_in(netns: str, argv: Sequence[str], stdin: str | None = None) -> str:
    return run(["ip", "netns", "exec", netns, *argv], stdin)


def sysctl(netns: str, name: str, value: str) -> None:
    """Write a per-namespace sysctl through /proc of a thread inside the namespace."""
    run_in(netns, ["sysctl", "-qw", f"{name}={value}"])


def exists(netns: str) -> bool:
    return (NETNS_DIR / netns).exists()


def names(prefix: str) -> list[str]:
    if not NETNS_DIR.is_dir():
        return []
    return sorted(p.name for p in NETNS_DIR.iterdir() if p.name.startswith(prefix))


def remove_prefixed(prefix: str) -> list[str]:
    """Delete every namespace whose name starts with `prefix` (their nftables tables go with them)."""
    removed = []
    for name in names(prefix):
        subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)
        removed.append(name)
    return removed


def remove_orphans(family: str) -> list[str]:
    """Delete the namespaces of `family` labs whose owner (the pid in the name) no longer runs."""
    removed = []
    for name in names(family):
        match = _OWNED.match(name)
        if match is None or match.group("family") != family:
            continue
        try:
            os.kill(int(match.group("pid")), 0)
        except ProcessLookupError:
            subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)
            removed.append(name)
        except PermissionError:
            continue
    return removed


def gratuitous_arp(netns: str, interface: str, address: str) -> None:
    """Announce that `address` now lives on `interface` (what heartbeat's send_arp does on a
    take-over), so neighbours replace the MAC address they cached for it at once."""
    sock = socket_in(netns, socket.AF_PACKET, socket.SOCK_RAW)
    with sock:
        sock.bind((interface, 0x0806))
        mac = sock.getsockname()[4][:6]
        ip = socket.inet_aton(address)
        broadcast = b"\xff" * 6
        arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac + ip + b"\x00" * 6 + ip
        sock.send(broadcast + mac + struct.pack("!H", 0x0806) + arp)
