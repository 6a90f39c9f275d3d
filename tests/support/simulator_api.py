"""Small helpers shared by the simulator tests."""

from __future__ import annotations

from typing import Any

from lborg_simulator.testing import SimulatorProcess
from lborg_support.waiting import wait_until


def one(sim: SimulatorProcess, action: dict[str, Any]) -> dict[str, Any]:
    results = sim.call([action])
    assert len(results) == 1
    return results[0]


def data(sim: SimulatorProcess, action: dict[str, Any]) -> Any:
    result = one(sim, action)
    assert result["status"] == "success", result
    return result["data"]


def l7_vip(label: str, ip: str, port: int | str, **extra: Any) -> dict[str, Any]:
    return {
        "action": "add-vip",
        "layer": "7",
        "vip": label,
        "ip": ip,
        "ports": str(port),
        "mode": "tcp",
        **extra,
    }


def l4_vip(label: str, ip: str, port: int | str, **extra: Any) -> dict[str, Any]:
    return {
        "action": "add-vip",
        "layer": "4",
        "vip": label,
        "ip": ip,
        "ports": str(port),
        "forwarding": "masq",
        "protocol": "tcp",
        **extra,
    }


def rip(vip: str, label: str, ip: str, port: int | str | None = None, **extra: Any) -> dict[str, Any]:
    action: dict[str, Any] = {"action": "add-rip", "vip": vip, "rip": label, "ip": ip, **extra}
    if port is not None:
        action["port"] = str(port)
    return action


def nodestatus(sim: SimulatorProcess) -> dict[str, Any]:
    result: dict[str, Any] = data(sim, {"action": "nodestatus"})
    return result


def identity_via(ip: str, port: int, *, source: str | None = None, timeout: float = 10.0) -> str:
    """Connect (optionally from a given source address), send nothing, return the server's name."""
    import socket

    from lborg_simulator.eas_servers import parse_identity

    with socket.create_connection(
        (ip, port), timeout=timeout, source_address=(source, 0) if source else None
    ) as s:
        chunks = []
        while chunk := s.recv(4096):
            chunks.append(chunk)
    return parse_identity(b"".join(chunks).decode()).get("name", "")


def names_seen(ip: str, port: int, count: int, *, source: str | None = None) -> list[str]:
    return [identity_via(ip, port, source=source) for _ in range(count)]


def wait_for(predicate: Any, *, timeout: float = 60.0, interval: float = 0.2, what: str = "condition") -> Any:
    """Poll until `predicate()` is truthy; fail with `what` after `timeout` seconds."""

    last: Any = None

    def holds() -> bool:
        nonlocal last
        try:
            last = predicate()
        except OSError as error:
            last = error
            return False
        return bool(last)

    if wait_until(holds, timeout, interval=interval) is not None:
        return last
    raise AssertionError(f"timed out after {timeout} s waiting for {what}; last value: {last!r}")
