"""lb_config.xml replaced from outside (a restore over SSH) is what the next action sees and the
next reload applies, as on the appliance, whose tools read the file on every use."""

from __future__ import annotations

import os
import shutil

import pytest

from lborg_simulator.testing import SimulatorProcess
from tests.support.simulator_api import data, l7_vip, one, rip


def _labels(sim: SimulatorProcess, state: str = "pending") -> list[str]:
    virtual = data(sim, {"action": "list", "function": "virtual", "layer": "7", "state": state})["virtual"]
    return [item["label"] for item in virtual]


@pytest.mark.slow  # reloads start HAProxy
def test_a_replaced_file_is_read_again_and_applied_on_reload(sim: SimulatorProcess, subnet: str) -> None:
    config = sim.state_dir / "lb_config.xml"
    sim.call([l7_vip("KEEP", f"{subnet}.10", 18080), rip("KEEP", "r1", f"{subnet}.20", 18080)])
    sim.call([{"action": "reload-haproxy"}])
    saved = sim.state_dir / "saved.xml"
    shutil.copy(config, saved)
    sim.call([{"action": "delete-vip", "vip": "KEEP"}, l7_vip("OTHER", f"{subnet}.11", 18081)])
    sim.call([{"action": "reload-haproxy"}])
    assert _labels(sim, "running") == ["OTHER"]

    temporary = sim.state_dir / "lb_config.xml.restore"
    shutil.copy(saved, temporary)
    os.replace(temporary, config)  # as an SFTP upload and rename would
    assert _labels(sim) == ["KEEP"]  # pending is the restored file
    assert _labels(sim, "running") == ["OTHER"]  # not applied until the reload
    assert one(sim, {"action": "reload-haproxy"})["status"] == "success"
    assert _labels(sim, "running") == ["KEEP"]


def test_an_unreadable_file_fails_every_action_until_it_is_fixed(sim: SimulatorProcess) -> None:
    config = sim.state_dir / "lb_config.xml"
    good = config.read_bytes()
    broken = sim.state_dir / "broken.xml"
    broken.write_text("<config><haproxy>")
    os.replace(broken, config)
    results = sim.call([{"action": "nodestatus"}, {"action": "reload-haproxy"}])
    assert [r["status"] for r in results] == ["failed", "failed"]
    assert all("lb_config.xml cannot be read" in r["message"] for r in results)
    fixed = sim.state_dir / "fixed.xml"
    fixed.write_bytes(good)
    os.replace(fixed, config)
    assert one(sim, {"action": "nodestatus"})["status"] == "success"
