"""Real servers known by address, with the real terraform, lborg provider and a simulated appliance.

A scenario 1 site on one simulated appliance (127.19.10.1, loopback only):
- deployed with the position labels of earlier versions (a lb stack those versions synthesized,
  recorded in `fixtures/`), then upgraded in place: `migrate-labels`, synth, and the plan only
  moves addresses in state and records each real server's drain time (0 to add, 0 to destroy, no
  other change), the apply reloads nothing; and
  the same upgrade by `eas-lb deploy` alone, from a checkout without `cdktf.out`;
- on that site and on a site deployed with address labels: a row the EAS reorders plans nothing,
  and removing the first server of a row destroys only its own real servers, applies, and leaves
  an empty plan behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lborg_provider.model.config_view import find_virtual, reals
from lborg_simulator.testing import (
    TEST_API_KEY,
    TEST_PASSWORD,
    TEST_USERNAME,
    SimulatorProcess,
    running_simulator,
)
from tests.support.paths import REPO_ROOT
from tests.support.ports import free_port
from tests.support.terraform import changed_attributes, dumpconfig, simulator_counters

LB1 = "127.19.10.1"
STACK = "labels-pair1-lb"
FIXTURE = Path(__file__).parent / "fixtures" / f"{STACK}.legacy.cdk.tf.json"
GUIDE_GLOBALS = {
    "l7.interval": "3000",
    "l4.checkinterval": "3",
    "l4.checktimeout": "3",
    "l4.failurecount": "2",
}

SITE = """\
name: labels
pools: pools.txt
scenario: 1
subscribers: 250000
credentials:
  username_env: LBORG_USERNAME
  password_env: LBORG_PASSWORD
  api_key_env: LBORG_API_KEY
pairs:
  - name: pair1
    primary:
      name: lb1
      endpoint: https://{lb1}:{port}
      management_ip: {lb1}/24
      service_ip: 127.19.13.240/25
      ca_file: ca/ca.pem
    service_vip: 127.19.14.150
    service_gateway: 127.19.13.10
    eas_service_subnet: 127.19.13.0/25
drain:
  seconds: 2  # a removed server still drains first; the EAS default (300 s) would only slow the test
backend:
  kind: local
"""

#: The rows the fixture was synthesized from: the first server of each row is .63, so its
#: position labels (EAS_SSS-1 = .63, EAS_SSS-2 = .61, ...) are not in address order.
POOLS = """\
POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTPS-18443 127.19.11.227 tcp 18443 2100 127.19.12.63 127.19.12.61 127.19.12.62
IMAP-10143 127.19.11.223 tcp 10143 0 127.19.12.61 127.19.12.62

# SERVICE
HTTP-18080 - tcp 18080 2100 127.19.13.63 127.19.13.61 127.19.13.62
"""
REORDERED = POOLS.replace(
    "127.19.12.63 127.19.12.61 127.19.12.62", "127.19.12.62 127.19.12.63 127.19.12.61"
).replace("127.19.13.63 127.19.13.61 127.19.13.62", "127.19.13.61 127.19.13.62 127.19.13.63")
#: The first server of the HTTPS and the service row leaves (the EAS server .63 retired).
FIRST_REMOVED = POOLS.replace("127.19.12.63 127.19.12.61", "127.19.12.61").replace(
    "127.19.13.63 127.19.13.61", "127.19.13.61"
)


@dataclass
class Site:
    path: Path
    env: dict[str, str]
    simulator: SimulatorProcess
    port: int

    @property
    def stack_dir(self) -> Path:
        return Path(self.env["CDKTF_OUTDIR"]) / "stacks" / STACK

    def run(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=self.path, env=self.env, capture_output=True, text=True, timeout=600, check=False
        )

    def ok(self, command: list[str]) -> str:
        result = self.run(command)
        assert result.returncode == 0, (
            f"{' '.join(command)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
        return result.stdout

    def synth(self, pools: str | None = None) -> None:
        if pools is not None:
            (self.path / "pools.txt").write_text(pools, encoding="utf-8")
        self.ok([sys.executable, str(REPO_ROOT / "main.py")])

    def terraform(self, *arguments: str) -> str:
        return self.ok(["terraform", f"-chdir={self.stack_dir}", *arguments, "-no-color"])

    def plan(self) -> dict[str, Any]:
        """The stack's JSON plan: {"changes": {address: actions}, "moved": {address: previous},
        "drain_times": [address], "capacity": [address]}; `drain_times` are the updates that only
        record a real server's drain time, a Terraform-only setting a site deployed by an earlier
        version has not got yet (no API call, no reload); `capacity` the Layer 7 VIPs whose only
        change is their limits, which that version left at the appliance's defaults."""
        self.terraform("plan", "-input=false", "-out=labels.tfplan")
        document = json.loads(self.terraform("show", "-json", "labels.tfplan"))
        changes: dict[str, list[str]] = {}
        moved: dict[str, str] = {}
        drain_times: list[str] = []
        capacity: list[str] = []
        for change in document.get("resource_changes", []):
            actions = change["change"]["actions"]
            if actions == ["update"] and changed_attributes(change) == {"drain_seconds"}:
                drain_times.append(change["address"])
            elif actions == ["update"] and changed_attributes(change) <= {"maxconn", "persist_table_size"}:
                capacity.append(change["address"])
            elif actions != ["no-op"]:
                changes[change["address"]] = actions
            if change.get("previous_address"):
                moved[change["address"]] = change["previous_address"]
        return {"changes": changes, "moved": moved, "drain_times": sorted(drain_times), "capacity": capacity}

    def apply(self) -> None:
        self.terraform("apply", "-input=false", "-auto-approve")

    def reloads(self) -> dict[str, int]:
        return dict(simulator_counters(self.simulator)["reloads"])

    def servers(self, vip: str) -> dict[str, str]:
        """{address: label} of a VIP's real servers on the appliance."""
        config = dumpconfig(self.simulator)
        for layer in ("7", "4"):
            found = find_virtual(config, layer, vip)
            if found is not None:
                return {str(real["server"]): str(real["label"]) for real in reals(found)}
        raise AssertionError(f"no VIP {vip} on the appliance")


@pytest.fixture
def site(tmp_path: Path, terraform_home: tuple[Path, Path]) -> Iterator[Site]:
    """The site's files, the provider mirror (built once per session) and a running simulated
    appliance; nothing deployed."""
    for tool in ("terraform", "haproxy", "node"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} on PATH")
    path = tmp_path / "site"
    path.mkdir()
    port = free_port(LB1)
    (path / "site.yaml").write_text(SITE.format(lb1=LB1, port=port), encoding="utf-8")
    (path / "pools.txt").write_text(POOLS, encoding="utf-8")
    _home, cli_config = terraform_home
    env = {
        **os.environ,
        "PATH": os.pathsep.join(
            [
                str(Path(sys.executable).parent),
                str(REPO_ROOT / "node_modules" / ".bin"),
                os.environ.get("PATH", ""),
            ]
        ),
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "EAS_SITE": str(path / "site.yaml"),
        "CDKTF_OUTDIR": str(tmp_path / "cdktf.out"),
        "LBORG_USERNAME": TEST_USERNAME,
        "LBORG_PASSWORD": TEST_PASSWORD,
        "LBORG_API_KEY": TEST_API_KEY,
    }
    with running_simulator(
        tmp_path / "lb1",
        f"{LB1}:{port}",
        name="lb1",
        advanced=GUIDE_GLOBALS,
        extra_args=["--ca-dir", str(path / "ca")],
    ) as simulator:
        yield Site(path, env, simulator, port)


def _check_reorder(site: Site) -> None:
    """A row the EAS reorders plans nothing (no address edit, no reload)."""
    site.synth(REORDERED)
    assert site.plan()["changes"] == {}


def _check_removal(site: Site, https: dict[str, str], service: dict[str, str]) -> None:
    """The first server's removal deletes only its real servers, applies, and leaves nothing to do."""
    before = site.reloads()
    site.synth(FIRST_REMOVED)
    changes = site.plan()["changes"]
    deleted = sorted(address for address, actions in changes.items() if actions == ["delete"])
    assert [address.split(".")[0] for address in deleted] == [
        "lborg_layer4_real_server",
        "lborg_layer7_real_server",
    ]
    assert all("EAS_127_19_1" in address and address.split("_")[-2] == "63" for address in deleted), deleted
    assert {address for address in changes if address not in deleted} == {
        "lborg_commit.pair1_lb1_commit_875CDF28"
    }
    site.apply()
    assert site.plan()["changes"] == {}
    after = site.reloads()
    assert after["haproxy"] - before["haproxy"] == 1 and after["ldirectord"] - before["ldirectord"] == 1
    # The servers that stay keep their real servers and labels; only .63 is gone.
    assert site.servers("MGMT_HTTPS-18443") == {
        ip: label for ip, label in https.items() if not ip.endswith(".63")
    }
    assert site.servers("SERV_HTTP-18080") == {
        ip: label for ip, label in service.items() if not ip.endswith(".63")
    }


def _deploy_legacy(site: Site) -> tuple[dict[str, str], dict[str, str]]:
    """Apply the stack an earlier version synthesized; the HTTPS and service rows' real servers."""
    legacy = (
        FIXTURE.read_text(encoding="utf-8")
        .replace("@SITE@", str(site.path))
        .replace("@PORT@", str(site.port))
    )
    site.stack_dir.mkdir(parents=True, exist_ok=True)
    (site.stack_dir / "cdk.tf.json").write_text(legacy, encoding="utf-8")
    site.terraform("init", "-input=false")
    site.apply()
    https = site.servers("MGMT_HTTPS-18443")
    assert https == {"127.19.12.63": "EAS_SSS-1", "127.19.12.61": "EAS_SSS-2", "127.19.12.62": "EAS_SSS-3"}
    return https, site.servers("SERV_HTTP-18080")


@pytest.mark.slow
def test_a_site_deployed_with_position_labels_upgrades_in_place(site: Site) -> None:
    https, service = _deploy_legacy(site)
    # Its objects are all in its state, under their former addresses: nothing for adopt to do.
    adopted = site.run([sys.executable, "-m", "eas_lb", "adopt"])
    assert adopted.returncode == 0 and "nothing to adopt" in adopted.stdout, adopted.stdout + adopted.stderr
    assert not (site.path / "site.adopted.json").exists()

    # Without the migration, this version would delete and re-create every real server.
    site.synth()
    unmigrated = site.plan()["changes"]
    assert sum(actions == ["delete"] for actions in unmigrated.values()) == 8

    migrated = site.run([sys.executable, "-m", "eas_lb", "migrate-labels"])
    assert migrated.returncode == 0, migrated.stderr
    assert "kept 8 real-server labels" in migrated.stdout
    assert "127.19.12.63 as EAS_SSS-1" in migrated.stdout
    record = json.loads((site.path / "site.adopted.json").read_text(encoding="utf-8"))
    pools = record["pairs"]["pair1"]["pools"]
    assert {pool["name"]: pool["server_labels"] for pool in pools if pool["section"] == "SERVICE"} == {
        "HTTP-18080": service
    }

    before = site.reloads()
    site.synth()
    plan = site.plan()
    # Nothing is added or destroyed; the Layer 7 VIPs take the limits of the site's 250,000
    # subscribers in place (the earlier version left the appliance's defaults), and the commit
    # reloads HAProxy once for them.
    assert list(plan["changes"].values()) == [["update"]], plan["changes"]
    assert all(address.startswith("lborg_commit.") for address in plan["changes"])
    assert len(plan["capacity"]) == 2 and all(a.startswith("lborg_layer7_vip.") for a in plan["capacity"])
    assert len(plan["moved"]) == 8 and all("EAS_SSS" in previous for previous in plan["moved"].values())
    assert len(plan["drain_times"]) == 8  # each real server records the site's drain time
    site.apply()
    assert site.reloads() == {**before, "haproxy": before["haproxy"] + 1}
    https_vip = find_virtual(dumpconfig(site.simulator), "7", "MGMT_HTTPS-18443")
    assert https_vip is not None and (https_vip["maxconn"], https_vip["persist_table_size"]) == (
        "380000",
        "380000",
    )
    assert site.plan() == {"changes": {}, "moved": {}, "drain_times": [], "capacity": []}
    again = site.run([sys.executable, "-m", "eas_lb", "migrate-labels"])
    assert again.returncode == 0 and "nothing to keep" in again.stdout
    _check_reorder(site)  # kept labels are digested in label order: the row's order does not matter
    # The case: the first server (.63, EAS_SSS-1) leaves; .61 and .62 keep EAS_SSS-2 and -3.
    _check_removal(site, https, service)


@pytest.mark.slow
def test_eas_lb_deploy_keeps_the_position_labels_by_itself(site: Site) -> None:
    """The upgrade an operator meets: `eas-lb deploy` on a site an earlier version deployed."""
    _deploy_legacy(site)
    outdir = site.env["CDKTF_OUTDIR"]
    app = {"language": "python", "app": f"{sys.executable} {REPO_ROOT / 'main.py'}", "output": outdir}
    (site.path / "cdktf.json").write_text(json.dumps(app), encoding="utf-8")
    shutil.rmtree(outdir)  # a fresh checkout of the site: deploy synthesizes to read the state
    before = site.reloads()
    deployed = site.run(
        [
            sys.executable,
            "-m",
            "eas_lb",
            "deploy",
            "--no-backup",
            "--app-dir",
            str(site.path),
            "--",
            "--auto-approve",
        ]
    )
    assert deployed.returncode == 0, f"{deployed.stdout[-3000:]}\n{deployed.stderr[-3000:]}"
    assert "kept 8 real-server labels of the deployed site" in deployed.stdout
    # Each of the 8 real servers records the site's drain time (Terraform only); the two Layer 7
    # VIPs take the site's limits in place, with the commit's one HAProxy reload: nothing else.
    assert "0 added, 11 changed, 0 destroyed" in deployed.stdout
    assert site.reloads() == {**before, "haproxy": before["haproxy"] + 1}
    assert site.servers("MGMT_HTTPS-18443")["127.19.12.63"] == "EAS_SSS-1"
    assert site.plan() == {"changes": {}, "moved": {}, "drain_times": [], "capacity": []}


@pytest.mark.slow
def test_a_reordered_row_plans_nothing_and_a_removed_first_server_takes_only_its_own(site: Site) -> None:
    site.synth()
    site.terraform("init", "-input=false")
    site.apply()
    https = site.servers("MGMT_HTTPS-18443")
    assert https == {ip: f"EAS_SSS-{ip}" for ip in ("127.19.12.61", "127.19.12.62", "127.19.12.63")}
    _check_reorder(site)
    _check_removal(site, https, site.servers("SERV_HTTP-18080"))
