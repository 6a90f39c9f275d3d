"""Sockets inside a network namespace, for a process that stays in its own.

A socket keeps the namespace it was made in for its whole life, so switching the calling thread
into a namespace (setns), making the socket and switching back lets one process listen or connect
in several namespaces: the kernel-NAT lab's stand-in EAS servers listen in theirs, and verify
connects from the lab's client namespace. Needs CAP_SYS_ADMIN (root).
"""

from __future__ import annotations

import ctypes
import os
import socket
import threading
from pathlib import Path

NETNS_DIR = Path("/run/netns")
_CLONE_NEWNET = 0x40000000
_setns_lock = threading.Lock()


class NamespaceError(OSError):
    """The namespace does not exist or cannot be entered; the message names it."""


def _setns(fd: int, what: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, _CLONE_NEWNET) != 0:
        raise NamespaceError(f"cannot enter network namespace {what}: {os.strerror(ctypes.get_errno())}")


def socket_in(
    netns: str | None, family: int = socket.AF_INET, kind: int = socket.SOCK_STREAM
) -> socket.socket:
    """A socket of network namespace `netns` (a name under /run/netns; None: this process's own)."""
    if netns is None:
        return socket.socket(family, kind)
    with _setns_lock:
        own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        try:
            try:
                target = os.open(NETNS_DIR / netns, os.O_RDONLY)
            except OSError as error:
                raise NamespaceError(f"network namespace {netns}: {error.strerror}") from None
            try:
                _setns(target, netns)
            finally:
                os.close(target)
            try:
                return socket.socket(family, kind)
            finally:
                _setns(own, "of this process")
        finally:
            os.close(own)
