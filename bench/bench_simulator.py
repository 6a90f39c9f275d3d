"""Simulator benchmark: start-up, API latency, batch throughput, reload time, HA take-over.

Run: `python bench/bench_simulator.py [--vips 200]`. Uses 127.1.250.0/24 and ports 16000+.
Prints one line per measurement; nothing is asserted (timings depend on the machine).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from lborg_simulator.testing import TEST_PASSWORD, SimulatorProcess, running_simulator

NET = "127.1.250"


def _timed(label: str, action: object) -> float:
    started = time.perf_counter()
    if callable(action):
        action()
    elapsed = time.perf_counter() - started
    print(f"{label:<44} {elapsed * 1000:9.1f} ms")
    return elapsed


def _latency(sim: SimulatorProcess, count: int) -> None:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        sim.call([{"action": "nodestatus"}])
        samples.append(time.perf_counter() - started)
    samples.sort()
    print(
        f"{'nodestatus round trip (new TLS connection)':<44} p50 {statistics.median(samples) * 1000:6.1f} ms"
        f"  p95 {samples[int(len(samples) * 0.95) - 1] * 1000:6.1f} ms  (n={count})"
    )


def _restart(sim: SimulatorProcess) -> None:
    sim.stop()
    sim.start()


def _vip_actions(vips: int) -> list[dict[str, str]]:
    actions: list[dict[str, str]] = []
    for index in range(vips):
        label = f"V{index}"
        port = str(16000 + index)
        actions.append(
            {"action": "add-vip", "layer": "7", "vip": label, "ip": f"{NET}.10", "ports": port, "mode": "tcp"}
        )
        actions.append({"action": "add-rip", "vip": label, "rip": "R1", "ip": f"{NET}.21", "port": port})
    return actions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vips", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        sim = SimulatorProcess(base / "lb1", f"{NET}.1:16443")
        _timed("start to ready line", sim.start)
        try:
            _latency(sim, args.requests)
            actions = _vip_actions(args.vips)
            elapsed = _timed(f"one batch of {len(actions)} add-vip/add-rip", lambda: sim.call_ok(actions))
            print(f"{'  per action':<44} {elapsed / len(actions) * 1000:9.2f} ms")
            _timed(
                f"first reload-haproxy ({args.vips} VIPs, starts HAProxy)",
                lambda: sim.call_ok([{"action": "reload-haproxy"}]),
            )
            sim.call_ok([{"action": "edit-vip", "vip": "V0", "persist_time": "5"}])
            _timed(
                f"graceful reload-haproxy ({args.vips} VIPs)",
                lambda: sim.call_ok([{"action": "reload-haproxy"}]),
            )
            _timed("list dumpconfig", lambda: sim.call_ok([{"action": "list", "function": "dumpconfig"}]))
            _timed("restart with the same state", lambda: _restart(sim))
        finally:
            _timed("stop (SIGTERM, HAProxy included)", sim.stop)
        shared = ["--ca-dir", str(base / "ca")]
        with ExitStack() as stack:
            primary = stack.enter_context(running_simulator(base / "p", f"{NET}.2:16443", extra_args=shared))
            secondary = stack.enter_context(
                running_simulator(base / "s", f"{NET}.3:16443", name="lb2", extra_args=shared)
            )
            ha = {
                "action": "ha_create",
                "local_ip": f"{NET}.2",
                "peer_ip": f"{NET}.3",
                "peer_password": TEST_PASSWORD,
            }
            _timed("ha_create", lambda: primary.call_ok([ha]))
            _timed(
                f"replicated batch + reload ({min(args.vips, 50)} VIPs)",
                lambda: primary.call_ok([*_vip_actions(min(args.vips, 50)), {"action": "reload-haproxy"}]),
            )
            primary.stop()
            started = time.perf_counter()
            while secondary.call([{"action": "nodestatus"}])[0]["data"]["state"] != "active":
                time.sleep(0.05)
            took = (time.perf_counter() - started) * 1000
            print(f"{'take-over after primary stop (1 s heartbeat)':<44} {took:9.1f} ms")


if __name__ == "__main__":
    main()
