"""Adopt two pairs configured by hand, then deploy them with the real cdktf CLI and terraform.

Two simulated HA pairs (real HAProxy) are configured by raw API calls as a person following the
guide's WebUI steps would: pair1 in scenario 1 (management and service pools, the service gateway
floating IP, eth1 addresses) with the guide's labels, one VIP whose client timeout is not the
guide's and one unrelated VIP; pair2 in scenario 2 with one VIP a person labelled otherwise.
pair1's site has no pools.txt (adopt writes it), pair2's has the EAS's (adopt compares it).

Then `adopt`, `cdktf synth`, a plan of each stack (0 to add, 0 to destroy, 0 to replace; the only
change is the off-guide timeout; plan review says "adopted"), `cdktf deploy` while a probe
thread connects through every VIP (no connection fails), and a second deploy that changes
nothing. The appliances' configuration before and after differs only in that one value, and only
pair1's HAProxy is reloaded.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from eas_lb.cli import main as eas_main
from eas_lb.inputs.site import PairPlan, load_deployment
from eas_lb.operations.demo import runtime
from eas_lb.operations.demo.layout import demo_layout
from eas_lb.operations.plan_review.render import render
from eas_lb.operations.plan_review.review import build_review
from eas_lb.operations.plans.changes import stack_plan
from eas_lb.operations.plans.plan_json import parse_plan
from eas_lb.operations.plans.planner import StackDir, plan_stack
from eas_lb.operations.terraform.cdktf import PROJECT_ROOT, cdktf_env, lock_provider, run_cdktf
from eas_lb.operations.verify.probe import probe
from lborg_simulator.eas_servers import eas_servers
from lborg_simulator.testing import TEST_API_KEY, TEST_PASSWORD, TEST_USERNAME
from tests.support.handmade import HandRow, RawAppliance, configure_pair_by_hand
from tests.support.terraform import changed_attributes

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SITE = "adopte2e"
STACKS = [f"{SITE}-pair1-lb", f"{SITE}-pair2-lb"]
CREDENTIALS = {
    "LBORG_USERNAME": TEST_USERNAME,
    "LBORG_PASSWORD": TEST_PASSWORD,
    "LBORG_API_KEY": TEST_API_KEY,
}
PAIR1_POOLS = """POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-18080 127.13.30.227 tcp 18080 2100 127.13.31.231 127.13.31.116
IMAP-10143 127.13.30.223 tcp 10143 0 127.13.31.231 127.13.31.116
MVWEBPROV-18087 127.13.30.224 tcp 18087 86400 127.13.31.231 127.13.31.116

# SERVICE
HTTP-18080 - tcp 18080 2100 127.13.41.61 127.13.41.5
IMAP-10143 - tcp 10143 0 127.13.41.61 127.13.41.5
"""
PAIR2_POOLS = """POOL POOL IP PROTO PORT STICKY SERVER IPS
# MANAGEMENT
HTTP-18080 127.13.50.227 tcp 18080 2100 127.13.51.231 127.13.51.116
IMAP-10143 127.13.50.223 tcp 10143 0 127.13.51.231 127.13.51.116
"""
# The pairs were configured by hand, so their Layer 7 limits are the appliance's defaults (40,000
# connections, 10,240 persistence entries): what the guide's rule gives a site of 5,000 subscribers.
# Adopting plans only the differences this test is about; a larger site's limits are raised in place
# on its first deploy (tests/eas_lb/operations/labels, plan review's capacity change).
SITE_FILE = f"""name: {SITE}
pools: pools.txt
subscribers: 5000
credentials:
  username_env: LBORG_USERNAME
  password_env: LBORG_PASSWORD
  api_key_env: LBORG_API_KEY
pairs:
  - name: pair1
    primary:
      name: lb1
      endpoint: https://127.13.20.1:9443
      management_ip: 127.13.20.1/24
      service_ip: 127.13.41.240/25
      ca_file: ../run/ca/ca.pem
    secondary:
      name: lb2
      endpoint: https://127.13.20.2:9443
      management_ip: 127.13.20.2/24
      service_ip: 127.13.41.241/25
      ca_file: ../run/ca/ca.pem
    service_vip: 127.13.40.150
    service_gateway: 127.13.41.10
    eas_service_subnet: 127.13.41.0/25
  - name: pair2
    pools: pools-pair2.txt
    primary:
      name: lb3
      endpoint: https://127.13.22.1:9443
      management_ip: 127.13.22.1/24
      ca_file: ../run/ca/ca.pem
    secondary:
      name: lb4
      endpoint: https://127.13.22.2:9443
      management_ip: 127.13.22.2/24
      ca_file: ../run/ca/ca.pem
backend:
  kind: local
"""
OFF_GUIDE = ("MANAGEMENT", "IMAP-10143", {"timeout_client": "600000"})
UNRELATED = ("Intranet", "127.13.30.250", 18090, "127.13.33.10")
HAND_LABEL = ("MANAGEMENT", "HTTP-18080", "Webmail")  # on pair2


@dataclass
class HandmadeSite:
    root: Path
    site: Path
    pools: Path
    env: dict[str, str]
    primaries: dict[str, RawAppliance]
    vips: list[tuple[str, int]]


def _forget_state() -> None:
    for path in PROJECT_ROOT.glob(f"terraform.{SITE}-*.tfstate*"):
        path.unlink()


def _raw(node: Any) -> RawAppliance:
    return RawAppliance(
        node.name, node.endpoint, str(node.ca_file), TEST_USERNAME, TEST_PASSWORD, TEST_API_KEY
    )


def _rows(plan: PairPlan, pair_name: str) -> list[HandRow]:
    rows = []
    for pool in plan.pools.pools:
        vip = str(pool.pool_ip) if pool.pool_ip is not None else str(plan.service_vips[pool.name])
        key = (pool.section.value, pool.name)
        edits = OFF_GUIDE[2] if pair_name == "pair1" and key == OFF_GUIDE[:2] else {}
        label = HAND_LABEL[2] if pair_name == "pair2" and key == HAND_LABEL[:2] else None
        servers = tuple(str(server) for server in pool.servers)
        rows.append(
            HandRow(pool.section.value, pool.name, vip, pool.port, pool.sticky, servers, label, edits)
        )
    return rows


def _configure(plan: PairPlan) -> RawAppliance:
    pair = plan.pair
    assert pair.secondary is not None
    primary, secondary = _raw(pair.primary), _raw(pair.secondary)
    addresses = {node.name: str(node.service_ip) for node in pair.nodes if node.service_ip is not None}
    extra: list[dict[str, Any]] = []
    if pair.name == "pair1":
        label, ip, port, server = UNRELATED
        extra = [
            {"action": "add-vip", "layer": "7", "vip": label, "ip": ip, "ports": str(port), "mode": "tcp"},
            {"action": "edit-vip", "vip": label, "persistence": "none", "timeout_client": "60000"},
            {"action": "add-rip", "vip": label, "rip": "web1", "ip": server, "port": str(port)},
        ]
    configure_pair_by_hand(
        primary,
        secondary,
        _rows(plan, pair.name),
        addresses=addresses,
        pairing=(str(pair.primary.management_ip.ip), str(pair.secondary.management_ip.ip)),
        service_gateway=str(pair.service_gateway) if pair.service_gateway else None,
        extra=extra,
    )
    return primary


@pytest.fixture(scope="module")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HandmadeSite]:
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is not installed: run `make setup`")
    root = tmp_path_factory.mktemp("adopt")
    folder = root / "site"
    folder.mkdir()
    pools = folder / "pools.txt"
    pools.write_text(PAIR1_POOLS, encoding="utf-8")
    (folder / "pools-pair2.txt").write_text(PAIR2_POOLS, encoding="utf-8")
    site = folder / "site.yaml"
    site.write_text(SITE_FILE, encoding="utf-8")
    deployment = load_deployment(site)
    layout = demo_layout(deployment)
    saved = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    _forget_state()
    _, ip, port, server = UNRELATED
    try:
        with eas_servers([("intranet", server, port)]):
            runtime.up(layout)
            primaries = {plan.pair.name: _configure(plan) for plan in deployment.pairs}
            pools.unlink()  # pair1's site has no pools.txt: adopt writes it from the appliance
            vips = sorted(
                {(str(p.pool_ip), p.port) for plan in deployment.pairs for p in plan.pools.management}
                | {
                    (str(plan.service_vips[p.name]), p.port)
                    for plan in deployment.pairs
                    for p in plan.pools.service
                }
                | {(ip, port)}
            )
            yield HandmadeSite(root, site, pools, cdktf_env(site, CREDENTIALS), primaries, vips)
    finally:
        runtime.down(layout)
        _forget_state()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class TrafficProbe:
    """One thread per VIP, connecting again and again until stopped; counts what was served."""

    def __init__(self, vips: list[tuple[str, int]]) -> None:
        self.served: dict[tuple[str, int], int] = dict.fromkeys(vips, 0)
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(vip,), daemon=True) for vip in vips]

    def _run(self, vip: tuple[str, int]) -> None:
        while not self._stop.is_set():
            result = probe(vip[0], vip[1], timeout=2.0, banner_wait=1.0)
            if result.server is None:
                self.failures.append(f"{result.target}: {result.error or 'not served'}")
            else:
                self.served[vip] += 1

    @contextlib.contextmanager
    def running(self) -> Iterator[TrafficProbe]:
        for thread in self._threads:
            thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            for thread in self._threads:
                thread.join(timeout=10)


def _snapshot(site: HandmadeSite) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    return {
        name: (appliance.dumpconfig(), appliance.nodestatus()["counters"]["reloads"])
        for name, appliance in site.primaries.items()
    }


def _deploy(site: HandmadeSite) -> None:
    arguments = ["deploy", *STACKS, "--auto-approve", "--ignore-missing-stack-dependencies", "--skip-synth"]
    run_cdktf(arguments, site.env, site.root / "cdktf.out")


def _vip(config: dict[str, Any], section: str, label: str) -> dict[str, Any]:
    virtuals = config[section]["virtual"]
    found: dict[str, Any] = next(
        v for v in (virtuals if isinstance(virtuals, list) else [virtuals]) if v["label"] == label
    )
    return found


def test_adopt_then_deploy_imports_everything_changes_only_the_off_guide_value(
    handmade: HandmadeSite, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = handmade
    capsys.readouterr()
    assert eas_main(["adopt", "--site", str(site.site)]) == 0
    report = capsys.readouterr().out
    assert f"pools: wrote {site.pools}" in report
    assert "pools: pools.txt matches the appliance" in report  # pair2, its VIP labelled Webmail included
    assert "Layer 7 VIP MGMT_IMAP-10143 on lb1: client timeout 600000 → 900000 ms" in report
    assert "lb1: Layer 7 VIP Intranet (127.13.30.250:18090): not an EAS pool; left untouched" in report
    assert "names kept (the API cannot rename them): pool HTTP-18080 (# MANAGEMENT): VIP Webmail" in report
    assert "service VIP 127.13.40.150: SERV_HTTP-18080, SERV_IMAP-10143" in report
    assert "HA pair: lb1 with 127.13.20.2: paired as the site file says" in report
    assert "service gateway floating IP 127.13.41.10: present" in report
    assert report.count("global check settings: the guide's") == 2
    assert report.count("adds 0, changes 1, replaces 0, destroys 0") == 1
    assert report.count("adds 0, changes 0, replaces 0, destroys 0") == 1
    assert "reloads: haproxy on lb1" in report and "reloads: none (nothing is off the guide)" in report
    assert site.pools.read_text(encoding="utf-8") == PAIR1_POOLS  # the EAS's file, reproduced
    assert eas_main(["check", str(site.pools)]) == 0  # (--site checks one pools file against every pair)

    before = _snapshot(site)
    output = site.root / "cdktf.out"
    run_cdktf(["synth"], site.env, output)
    lock_provider(output, STACKS)
    for key, value in site.env.items():
        monkeypatch.setenv(key, value)
    plans = {name: plan_stack(StackDir(name, output / "stacks" / name)) for name in STACKS}
    for name, plan in plans.items():
        actions = [(entry["address"], entry["change"]["actions"]) for entry in plan["resource_changes"]]
        assert all(action in (["no-op"], ["update"]) for _, action in actions), actions
        not_imported = [e["address"] for e in plan["resource_changes"] if "importing" not in e["change"]]
        assert not_imported == [], f"{name}: not imported: {not_imported}"
    updated = [
        (name, entry)
        for name, plan in plans.items()
        for entry in plan["resource_changes"]
        if entry["change"]["actions"] == ["update"]
    ]
    # Every imported real server records the site's drain time, a Terraform-only setting (no API
    # call, no reload): the appliance has no such value to import.
    drain_times = [entry for _, entry in updated if entry["type"].endswith("_real_server")]
    assert drain_times and all(changed_attributes(entry) == {"drain_seconds"} for entry in drain_times)
    updates = {
        (name, entry["type"], entry["change"]["after"].get("label"))
        for name, entry in updated
        if not entry["type"].endswith("_real_server")
    }
    assert updates == {
        (STACKS[0], "lborg_layer7_vip", "MGMT_IMAP-10143"),
        (STACKS[0], "lborg_commit", None),
    }
    review = build_review([stack_plan(name, parse_plan(plan, source=name)) for name, plan in plans.items()])
    text = render(review)
    assert (review.counts.add, review.counts.replace, review.counts.destroy, review.counts.change) == (
        0,
        0,
        0,
        2 + len(drain_times),
    )
    assert "drain time before a removal (unset) → 300 s" in text
    assert "client timeout 600000 → 900000 ms" in text
    assert "adopted: layer 7 VIP 127.13.50.227:18080" in text and "`Webmail`" in text
    assert " added" not in text and [(r.appliance, r.services) for r in review.reloads] == [
        ("lb1", ("haproxy",))
    ]

    with TrafficProbe(site.vips).running() as traffic:
        _deploy(site)
    assert traffic.failures == []
    assert all(count > 0 for count in traffic.served.values()), traffic.served

    after = _snapshot(site)
    config1, reloads1 = before["pair1"]
    changed = _vip(config1, "haproxy", "MGMT_IMAP-10143")
    changed["timeout_client"] = "900000"
    assert after["pair1"][0] == config1  # only the off-guide value changed; Intranet untouched
    assert after["pair2"] == before["pair2"]  # nothing changed, nothing reloaded
    assert after["pair1"][1] == {**reloads1, "haproxy": reloads1["haproxy"] + 1}

    capsys.readouterr()
    assert eas_main(["verify", "--site", str(site.site), "--json"]) == 0  # with the labels adopt kept
    rows = json.loads(capsys.readouterr().out)["rows"]
    outcomes = {(row["subject"], row["outcome"]) for row in rows}
    assert outcomes >= {
        ("Webmail", "pass"),
        ("Intranet", "skip"),
    }

    _deploy(site)
    assert _snapshot(site) == after

    # Adopt again on the site this checkout now deploys: everything is in state, nothing to write.
    from eas_lb.guide.adoption import record_path

    record = record_path(site.site)
    record_text = record.read_text(encoding="utf-8")
    record.unlink()
    capsys.readouterr()
    assert eas_main(["adopt", "--site", str(site.site)]) == 0
    again = capsys.readouterr().out
    assert "nothing to adopt: every object on its appliances is already in Terraform state" in again
    assert not record.exists() and "adopts" not in again
    record.write_text(record_text, encoding="utf-8")
