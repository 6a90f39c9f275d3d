"""Where verify's connections start: this machine, or a lab's client network namespace.

In the kernel-NAT lab (`eas-lb lab up --layer4 kernel-nat`) the service VIPs are
reached from the lab's client namespace only, as a subscriber reaches them from beyond the pair;
`--client-netns` names it and every connection to those VIPs is made there. The management VIPs
and the appliances' APIs stay on this machine's own network.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable

from lborg_support.netns_sockets import socket_in

_netns_of: dict[str, str] = {}


def connect_from(netns: str | None, addresses: Iterable[str]) -> None:
    """Make connections to `addresses` from namespace `netns` (None: from here, as by default)."""
    _netns_of.clear()
    if netns is not None:
        _netns_of.update({address: netns for address in addresses})


def through_client_netns(ip: str) -> bool:
    return ip in _netns_of


def new_socket(ip: str) -> socket.socket:
    """A TCP socket for a connection to `ip`, in the namespace connections to it start from."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    return socket_in(_netns_of.get(ip), family)


def open_connection(ip: str, port: int, timeout: float) -> socket.socket:
    """`socket.create_connection`, from the namespace connections to `ip` start from."""
    sock = new_socket(ip)
    try:
        sock.settimeout(timeout)
        sock.connect((ip, port))
    except OSError:
        sock.close()
        raise
    return sock
