"""A TCP port free on every given loopback address: simulators of one HA pair share their port."""

from __future__ import annotations

import socket
from contextlib import ExitStack


def free_port(*hosts: str, above: int = 10000, attempts: int = 50) -> int:
    """A port above `above` that binds on every host now (the kernel picks it on the first one).

    Ports at or below `above` are skipped: the simulators' tests keep low ports for the services
    they start themselves.
    """
    for _ in range(attempts):
        with ExitStack() as held:
            first = held.enter_context(socket.socket())
            first.bind((hosts[0], 0))
            port: int = first.getsockname()[1]
            if port <= above:
                continue
            try:
                for host in hosts[1:]:
                    held.enter_context(socket.socket()).bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port above {above} on {', '.join(hosts)}")
