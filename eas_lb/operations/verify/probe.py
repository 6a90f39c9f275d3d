"""One TCP connection through a virtual service, and what answered it.

The guide's Pool Configuration Test only asks "does the VIP accept connections". Stand-in EAS
servers (and any server that writes a banner) also say who they are, which lets the
persistence and spread checks see *which* real server answered. Real EAS servers stay silent,
so identity is optional everywhere it is used.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from eas_lb.operations.verify.client_side import new_socket

_IDENTITY = re.compile(rb"EAS-SIM name=(?P<name>\S+) addr=(?P<addr>\S+)(?: client=(?P<client>\S+))?")


@dataclass(frozen=True)
class ProbeResult:
    """The outcome of one connection attempt."""

    target: str
    connected: bool
    server: str | None
    error: str | None
    seconds: float
    server_ip: str | None = None
    #: The client address the server saw (stand-ins say it), and this end's own address.
    client_seen: str | None = None
    local: str | None = None


def probe(ip: str, port: int, *, timeout: float = 3.0, banner_wait: float = 1.0) -> ProbeResult:
    """Connect to ``ip:port``; read a banner for up to ``banner_wait`` seconds.

    A connection that is accepted and then reset or closed without data still counts as
    connected: a TCP-mode VIP with no healthy server accepts and closes, which the caller
    tells apart from a served connection by ``server`` (when servers identify themselves) or by
    ``error``.
    """
    target = f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"
    started = time.monotonic()
    local = None
    try:
        with new_socket(ip) as sock:
            sock.settimeout(timeout)
            sock.connect((ip, port))
            local = _address(sock.getsockname())
            sock.settimeout(banner_wait)
            data = b""
            closed = False
            try:
                while b"\n" not in data and len(data) < 512:
                    chunk = sock.recv(512)
                    if not chunk:
                        closed = True
                        break
                    data += chunk
            except TimeoutError:
                pass
            except ConnectionResetError:
                return ProbeResult(target, True, None, "connection reset by the VIP", _since(started))
    except OSError as err:
        return ProbeResult(target, False, None, _describe(err), _since(started))
    if closed and not data:
        # What a TCP-mode VIP does when no real server is healthy: accept, then close.
        return ProbeResult(target, True, None, "closed by the VIP without data", _since(started))
    match = _IDENTITY.search(data)
    if match is None:
        return ProbeResult(target, True, None, None, _since(started))
    addr = match.group("addr").decode()
    server_ip = addr.rpartition(":")[0].strip("[]")
    client = match.group("client")
    seen = client.decode() if client else None
    return ProbeResult(
        target, True, match.group("name").decode(), None, _since(started), server_ip, seen, local
    )


def _address(sockname: tuple[str, int] | tuple[str, int, int, int]) -> str:
    host, port = sockname[0], sockname[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)


def _describe(err: OSError) -> str:
    if isinstance(err, TimeoutError):
        return "timed out"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    return err.strerror or str(err)
