"""Small helpers shared by the simulator tests."""

from __future__ import annotations

from typing import Any

from lborg_simulator.testing import SimulatorProcess


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
