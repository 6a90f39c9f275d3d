"""The provider's readers against everything the vendor documents: after the conformance suite's
requests (every action, field and value of the lbcli help) the simulator's configuration is read
in every response layout without a refusal, and `doctor` finds nothing it would misread.
Loopback range 127.16.60.0/24."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lborg_provider.client import ApiCredentials, ApplianceClient
from lborg_provider.model.config_view import virtuals
from lborg_simulator.layouts import LAYOUTS
from lborg_simulator.testing import TEST_API_KEY, TEST_PASSWORD, TEST_USERNAME, SimulatorProcess
from tests.conformance.fixture_files import fixture_names, requests_of
from tests.support.paths import REPO_ROOT

pytestmark = pytest.mark.slow

REPO = REPO_ROOT
LISTEN = "127.16.60.1:11947"
#: Needs a second appliance (the conformance suite posts it to a pair).
SKIPPED_FIXTURES = {"ha_pair"}


def test_everything_the_vendor_documents_reads_in_every_layout(tmp_path: Path) -> None:
    sim = SimulatorProcess(tmp_path / "sim", LISTEN, name="lbconf")
    sim.start()
    try:
        for name in fixture_names():
            if name not in SKIPPED_FIXTURES:
                for request in requests_of(name):
                    sim.post({"lbcli": request.lbcli}).raise_for_status()
    finally:
        sim.stop()

    counts: dict[str, tuple[int, int]] = {}
    for layout in (layout for layout in LAYOUTS if layout != "unknown"):
        sim = SimulatorProcess(tmp_path / "sim", LISTEN, name="lbconf", response_layout=layout)
        sim.start()
        try:
            client = ApplianceClient(
                sim.endpoint,
                ApiCredentials(TEST_USERNAME, TEST_PASSWORD, TEST_API_KEY),
                ca_file=str(sim.ca_file),
            )
            config = client.dumpconfig()
            client.advanced()
            client.close()
            counts[layout] = (len(virtuals(config, "7")), len(virtuals(config, "4")))
            command = [sys.executable, "-m", "lborg_provider", "doctor", "--endpoint", sim.endpoint]
            doctor = subprocess.run(
                [*command, "--ca-file", str(sim.ca_file)],
                cwd=REPO,
                env={
                    **os.environ,
                    "LBORG_USERNAME": TEST_USERNAME,
                    "LBORG_PASSWORD": TEST_PASSWORD,
                    "LBORG_API_KEY": TEST_API_KEY,
                },
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert doctor.returncode == 0, doctor.stdout + doctor.stderr
            assert "FAIL" not in doctor.stdout
        finally:
            sim.stop()
    assert len(set(counts.values())) == 1 and all(l7 and l4 for l7, l4 in counts.values()), counts
