"""adopt without appliances: the reverse mapping, pools.txt written and compared, the names kept,
the commit's import id, and the import blocks a record puts into the synthesized stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eas_lb.guide.adoption import AdoptedAppliance, AdoptionRecord, PairAdoption, load_record, save_record
from eas_lb.guide.mapping import real_servers
from eas_lb.inputs.pools import Pool, Section, parse_pools
from eas_lb.inputs.site import Pair
from eas_lb.operations.adopt.pools_compare import pool_differences, render_pools
from eas_lb.operations.adopt.reverse import names_to_keep, reverse_map
from lborg_provider.resources.commit import parse_import_id
from tests.support.paths import REPO_ROOT

PAIR = Pair.model_validate(
    {
        "name": "pair1",
        "primary": {"name": "lb1", "endpoint": "https://127.13.0.1:9443", "management_ip": "127.13.0.1/24"},
        "service_vip": "127.13.40.150",
    }
)
POOLS = """POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-80 127.13.30.227 tcp 80 2100 127.13.31.231 127.13.31.116
IMAP-143 127.13.30.223 tcp 143 0 127.13.31.231 127.13.31.116

# SERVICE
HTTP-80 - tcp 80 2100 127.13.41.61 127.13.41.5
"""


def _reals(servers: list[tuple[str, str]], port: int) -> list[dict[str, Any]]:
    return [{"label": label, "server": ip, "port": str(port), "weight": "100"} for label, ip in servers]


def l7(label: str, ip: str, port: int, servers: list[tuple[str, str]], **fields: str) -> dict[str, Any]:
    """A Layer 7 VIP as `list dumpconfig` shows it (XML turned into JSON: text values)."""
    element: dict[str, Any] = {
        "label": label,
        "server": ip,
        "ports": str(port),
        "mode": "tcp",
        "scheduler": "roundrobin",
        "persistence": "none",
        "persist_time": "30",
        "persist_table_size": "10240",
        "maxconn": "40000",
        "check": {"type": "connect", "port": str(port)},
        "timeout_client": "900000",
        "timeout_server": "901000",
        "real": _reals(servers, port),
    }
    element.update(fields)
    return element


def l4(label: str, ip: str, port: int, servers: list[tuple[str, str]], **fields: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "label": label,
        "server": ip,
        "ports": str(port),
        "protocol": "tcp",
        "forwardingmethod": "masq",
        "scheduler": "wrr",
        "persistent": "off",
        "persist_time": "300",
        "check": {"type": "connect", "port": str(port)},
        "real": _reals(servers, port),
    }
    element.update(fields)
    return element


EAS = [("EAS_SSS-1", "127.13.31.231"), ("EAS_SSS-2", "127.13.31.116")]
EAS_SERVICE = [("EAS_SSS-1", "127.13.41.61"), ("EAS_SSS-2", "127.13.41.5")]


def by_hand() -> dict[str, Any]:
    """The guide's labels and values, a Layer 4 service pool, and one unrelated VIP."""
    return {
        "haproxy": {
            "virtual": [
                l7("MGMT_HTTP-80", "127.13.30.227", 80, EAS, persistence="ip", persist_time="35"),
                l7("MGMT_IMAP-143", "127.13.30.223", 143, EAS, timeout_client="600000"),
                l7("Intranet", "127.13.30.250", 8080, [("web1", "127.13.33.1")]),
            ]
        },
        "ldirectord": {
            "virtual": l4(
                "SERV_HTTP-80", "127.13.40.150", 80, EAS_SERVICE, persistent="on", persist_time="2100"
            )
        },
        "heartbeat": {"vip": "127.13.41.10"},
    }


def test_without_pools_file_the_rows_reproduce_the_appliance_and_check_accepts_them() -> None:
    found = reverse_map("lb1", by_hand(), PAIR, None)
    written = render_pools(found.rows)
    assert written == POOLS
    parsed = parse_pools(written, "pools.txt")
    assert [pool.label for pool in parsed.pools] == ["MGMT_HTTP-80", "MGMT_IMAP-143", "SERV_HTTP-80"]
    # The guide's example labels (EAS_SSS-1, EAS_SSS-2) are not EAS_SSS-<address>: they are kept,
    # since the API cannot rename a real server.
    assert {(n.section, n.name, n.vip_label): n.server_labels for n in found.names} == {
        (Section.MANAGEMENT, "HTTP-80", None): dict((ip, label) for label, ip in EAS),
        (Section.MANAGEMENT, "IMAP-143", None): dict((ip, label) for label, ip in EAS),
        (Section.SERVICE, "HTTP-80", None): dict((ip, label) for label, ip in EAS_SERVICE),
    }
    assert [(item.kind, item.name) for item in found.unmanaged] == [
        ("Layer 7 VIP", "Intranet (127.13.30.250:8080)")
    ]
    assert "not an EAS pool" in found.unmanaged[0].reason


def test_with_pools_file_a_vip_labelled_otherwise_is_matched_by_section_address_and_port() -> None:
    config = by_hand()
    config["haproxy"]["virtual"][0]["label"] = "Webmail"
    pools = parse_pools(POOLS)
    found = reverse_map("lb1", config, PAIR, pools)
    assert found.matched[(Section.MANAGEMENT, "HTTP-80")].label == "Webmail"
    webmail = next(n for n in found.names if n.vip_label is not None)
    assert (webmail.name, webmail.vip_label) == ("HTTP-80", "Webmail")
    assert pool_differences(pools, found, PAIR) == []


def test_without_pools_file_a_vip_labelled_otherwise_with_eas_servers_is_left_with_a_hint() -> None:
    config = by_hand()
    config["haproxy"]["virtual"][0]["label"] = "Webmail"
    found = reverse_map("lb1", config, PAIR, None)
    assert [row.name for row in found.rows] == ["IMAP-143", "HTTP-80"]
    webmail = next(item for item in found.unmanaged if item.name.startswith("Webmail"))
    assert "copy pools.txt from an EAS server" in webmail.reason


def test_differences_with_pools_file_are_reported_in_pool_terms() -> None:
    config = by_hand()
    imap = config["haproxy"]["virtual"][1]
    imap["real"].append({"label": "EAS_SSS-3", "server": "127.13.31.9", "port": "143"})
    config["haproxy"]["virtual"][0]["persist_time"] = "40"
    config["haproxy"]["virtual"].append(l7("MGMT_OLD-99", "127.13.30.229", 99, EAS))
    del config["ldirectord"]
    pools = parse_pools(POOLS.replace("IMAP-143 127.13.30.223 tcp 143", "IMAP-143 127.13.30.223 tcp 144"))
    found = reverse_map("lb1", config, PAIR, pools)
    differences = pool_differences(pools, found, PAIR)
    assert differences == [
        "pool HTTP-80 (# MANAGEMENT): sticky 2100 s in pools.txt (persistence 35 min), persistence 40 min "
        "on the appliance",
        "pool IMAP-143 (# MANAGEMENT): port 144 in pools.txt, 143 on the appliance",
        "pool IMAP-143 (# MANAGEMENT): extra server 127.13.31.9 on the appliance, not in pools.txt",
        "pool HTTP-80 (# SERVICE): missing on the appliance (the first deploy adds SERV_HTTP-80)",
        "extra pool MGMT_OLD-99 (127.13.30.229:99) on the appliance: pools.txt has no pool OLD-99 in "
        "'# MANAGEMENT'; left as it is",
    ]


def test_extra_server_is_listed_and_not_recorded() -> None:
    pool = parse_pools(POOLS).management[1]
    vip_servers = [("EAS_SSS-1", "127.13.31.9"), ("EAS_SSS-2", "127.13.31.116")]
    config = {"haproxy": {"virtual": l7("MGMT_IMAP-143", "127.13.30.223", 143, vip_servers)}}
    found = reverse_map("lb1", config, PAIR, parse_pools(POOLS))
    extra = [item for item in found.unmanaged if item.kind == "real server"]
    assert [item.name for item in extra] == ["MGMT_IMAP-143/EAS_SSS-1 (127.13.31.9)"]
    kept = next(n for n in found.names if n.name == pool.name)
    labels = {attrs["ip"]: attrs["label"] for attrs in real_servers(pool, labels=kept.server_labels)}
    assert kept.server_labels == {"127.13.31.116": "EAS_SSS-2"}
    # 127.13.31.231 is added by the first deploy with its address label: no label to collide with.
    assert labels == {"127.13.31.231": "EAS_SSS-127.13.31.231", "127.13.31.116": "EAS_SSS-2"}


def _pool(servers: tuple[str, ...]) -> Pool:
    return parse_pools(
        f"POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT\nA 127.13.0.9 tcp 80 0 {' '.join(servers)}\n"
    ).management[0]


def test_names_to_keep_every_label_that_is_not_the_address_one() -> None:
    pool = _pool(("127.13.1.1", "127.13.1.2"))
    guide = reverse_map("lb1", {"haproxy": {"virtual": l7("MGMT_A", "127.13.0.9", 80, [])}}, PAIR, None)
    assert guide.names == []
    from eas_lb.operations.adopt.reverse import found_vips

    swapped = found_vips(
        {
            "haproxy": {
                "virtual": l7(
                    "MGMT_A", "127.13.0.9", 80, [("EAS_SSS-2", "127.13.1.1"), ("EAS_SSS-1", "127.13.1.2")]
                )
            }
        }
    )[0]
    kept = names_to_keep(pool, swapped)
    assert kept is not None and kept.vip_label is None
    result = {a["ip"]: a["label"] for a in real_servers(pool, labels=kept.server_labels)}
    assert result == {"127.13.1.1": "EAS_SSS-2", "127.13.1.2": "EAS_SSS-1"}
    same = found_vips(
        {
            "haproxy": {
                "virtual": l7(
                    "MGMT_A", "127.13.0.9", 80, [("EAS_SSS-1", "127.13.1.1"), ("EAS_SSS-2", "127.13.1.2")]
                )
            }
        }
    )[0]
    kept_positions = names_to_keep(pool, same)
    assert kept_positions is not None
    assert kept_positions.server_labels == {"127.13.1.1": "EAS_SSS-1", "127.13.1.2": "EAS_SSS-2"}
    by_address = found_vips(
        {
            "haproxy": {
                "virtual": l7(
                    "MGMT_A",
                    "127.13.0.9",
                    80,
                    [("EAS_SSS-127.13.1.2", "127.13.1.2"), ("EAS_SSS-127.13.1.1", "127.13.1.1")],
                )
            }
        }
    )[0]
    assert names_to_keep(pool, by_address) is None


def test_commit_import_id() -> None:
    assert parse_import_id("commit") is None
    assert parse_import_id("commit:haproxy=abc,heartbeat=adopted") == {
        "haproxy": "abc",
        "heartbeat": "adopted",
    }
    for bad in ("nope", "commit:haproxy", "commit:apache=1", "commit:haproxy=1,haproxy=2"):
        assert isinstance(parse_import_id(bad), str)


def test_record_round_trip_and_errors(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    assert load_record(site) is None
    record = AdoptionRecord(site="s", pairs={"pair1": PairAdoption(appliances={"lb1": AdoptedAppliance()})})
    path = save_record(site, record)
    assert path.name == "site.adopted.json"
    assert load_record(site) == record
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match=r"site\.adopted\.json:1:2: not JSON"):
        load_record(site)
    path.write_text(json.dumps({"version": 2, "site": "s"}), encoding="utf-8")
    with pytest.raises(ValueError, match="run it again"):
        load_record(site)


def test_synth_imports_what_the_record_lists_with_the_labels_it_keeps(tmp_path: Path) -> None:
    import shutil

    from eas_lb.guide.adoption import AdoptedPool
    from eas_lb.inputs.site import load_deployment
    from eas_lb.synth.framework import Testing
    from eas_lb.synth.stacks.app import build_stacks

    examples = REPO_ROOT / "examples"
    shutil.copy(examples / "pools-scenario2.txt", tmp_path)
    site = tmp_path / "site.yaml"
    shutil.copy(examples / "site-scenario2.yaml", site)
    lb1 = AdoptedAppliance(
        imports={
            "lborg_layer7_vip": ["Webmail", "MGMT_IMAP-143"],
            "lborg_layer7_real_server": ["Webmail/web-a"],
            "lborg_hostname": ["hostname"],
            "lborg_route": ["default"],
            "lborg_commit": ["commit"],
        },
        reload=["haproxy"],
    )
    names = AdoptedPool(
        section=Section.MANAGEMENT,
        name="HTTP-80",
        vip_label="Webmail",
        server_labels={"10.225.37.231": "web-a"},
    )
    save_record(
        site,
        AdoptionRecord(
            site="scenario2", pairs={"single": PairAdoption(pools=[names], appliances={"lb1": lb1})}
        ),
    )

    app = Testing.app()
    stacks = build_stacks(app, load_deployment(site))
    lb = json.loads(Testing.synth(next(s for s in stacks if s.node.id.endswith("-lb"))))
    imports = {(block["to"].split(".")[0], block["id"]) for block in lb["import"]}
    assert all(block["provider"] == "lborg.lb1" for block in lb["import"])
    commit = next(
        block_id for kind, block_id in imports if kind == "lborg_commit" and block_id != "on_destroy"
    )
    assert commit == "commit:haproxy=adopted"  # scenario 2 on one appliance: haproxy only
    assert ("lborg_commit", "on_destroy") in imports  # the reload-after-destroy commit, as it is
    assert imports - {("lborg_commit", commit), ("lborg_commit", "on_destroy")} == {
        ("lborg_layer7_vip", "Webmail"),
        ("lborg_layer7_vip", "MGMT_IMAP-143"),
        ("lborg_layer7_real_server", "Webmail/web-a"),
        ("lborg_hostname", "hostname"),
        ("lborg_route", "default"),
    }
    vips = {vip["label"] for vip in lb["resource"]["lborg_layer7_vip"].values()}
    assert "Webmail" in vips and "MGMT_HTTP-80" not in vips
    reals = {(r["vip"], r["label"], r["ip"]) for r in lb["resource"]["lborg_layer7_real_server"].values()}
    assert {
        ("Webmail", "web-a", "10.225.37.231"),
        ("Webmail", "EAS_SSS-10.225.37.116", "10.225.37.116"),
    } <= reals


def test_commit_import_keeps_the_digest_of_a_service_adopt_saw_unchanged() -> None:
    from eas_lb.synth.stacks.imports import commit_import_id

    record = AdoptedAppliance(
        commit_triggers={"haproxy": "h1", "ldirectord": "l1", "heartbeat": "b1"}, reload=["haproxy"]
    )
    now = {"haproxy": "h1", "ldirectord": "l2", "heartbeat": "b1"}
    # haproxy has an off-guide value, ldirectord's pools changed since adopt: both reload.
    assert commit_import_id(now, record) == "commit:haproxy=adopted,heartbeat=b1,ldirectord=adopted"


def test_a_service_vip_elsewhere_than_the_site_file_says_is_written_with_its_address() -> None:
    config = by_hand()
    config["ldirectord"]["virtual"]["server"] = "127.13.40.151"
    found = reverse_map("lb1", config, PAIR, None)
    assert "HTTP-80 127.13.40.151 tcp 80 2100 127.13.41.61 127.13.41.5" in render_pools(found.rows)


def test_the_site_primary_must_be_the_master_of_the_pair_it_names() -> None:
    from eas_lb.operations.adopt.pair import ReadAppliance, _check_roles

    pair = Pair.model_validate(
        {
            **PAIR.model_dump(exclude_none=True),
            "secondary": {
                "name": "lb2",
                "endpoint": "https://127.13.0.2:9443",
                "management_ip": "127.13.0.2/24",
            },
        }
    )
    assert pair.secondary is not None
    paired = {"heartbeat": {"ucast_ip": {"master": "127.13.0.2", "slave": "127.13.0.1"}}}
    slave = ReadAppliance(pair.primary, "slave", paired)
    master = ReadAppliance(pair.secondary, "master", paired)
    assert "swap primary and secondary" in _check_roles(pair, slave, master)[0]
    other = {"heartbeat": {"ucast_ip": {"master": "127.13.0.1", "slave": "127.13.0.9"}}}
    assert (
        "paired with 127.13.0.9, not with lb2"
        in _check_roles(pair, ReadAppliance(pair.primary, "master", other), master)[0]
    )
    ok = {"heartbeat": {"ucast_ip": {"master": "127.13.0.1", "slave": "127.13.0.2"}}}
    assert _check_roles(pair, ReadAppliance(pair.primary, "master", ok), master) == []


def test_report_values_carry_their_units() -> None:
    from eas_lb.operations.adopt.preview import AttributeDifference
    from eas_lb.operations.adopt.report import change_text

    assert change_text(AttributeDifference("timeout_client", "600000", "900000"), "lborg_layer7_vip") == (
        "client timeout 600000 → 900000 ms"
    )
    assert (
        change_text(AttributeDifference("timeout_client", "12h", "900000"), "lborg_layer7_vip")
        == "client timeout 12h → 900000"
    )
    assert (
        change_text(AttributeDifference("persist_time", 30, 35), "lborg_layer7_vip")
        == "persistence timeout 30 → 35 min"
    )
    assert (
        change_text(AttributeDifference("persist_time", 300, 2100), "lborg_layer4_vip")
        == "persistence timeout 300 → 2100 s"
    )


def test_preview_of_a_single_appliance_names_every_import_add_change_and_leftover(tmp_path: Path) -> None:
    """No appliance needed: the stack built in memory against a `list dumpconfig` payload."""
    import shutil

    from eas_lb.inputs.site import load_deployment
    from eas_lb.operations.adopt.pair import PairFindings, ReadAppliance, preview_pair

    examples = REPO_ROOT / "examples"
    shutil.copy(examples / "pools-scenario2.txt", tmp_path)
    site_file = tmp_path / "site.yaml"
    shutil.copy(examples / "site-scenario2.yaml", site_file)
    deployment = load_deployment(site_file)
    plan = deployment.pairs[0]
    eas = [("EAS_SSS-1", "10.225.37.231"), ("EAS_SSS-2", "10.225.37.116")]
    config: dict[str, Any] = {
        "physical": {
            "network": {"hostname": "lbmaster", "domain": "localdomain", "role": "master"},
            "interface": {"eth0": {"address": "10.225.37.241/24"}, "eth2": {"address": "10.9.9.9/24"}},
            "routing": {"static": {"route": {"network": "10.20.0.0/16", "gateway": "10.225.37.1"}}},
        },
        "haproxy": {
            "virtual": [
                l7("MGMT_HTTP-80", "10.225.37.227", 80, eas, persistence="ip", persist_time="35"),
                l7("MGMT_HTTPS-443", "10.225.37.227", 443, eas, persistence="ip", persist_time="35"),
                l7("MGMT_IMAP-143", "10.225.37.223", 143, eas, scheduler="leastconn"),
                l7("Old", "10.225.37.224", 8087, [("a", "10.225.37.9")]),  # MVWEBPROV-8087's address
            ],
        },
        "ldirectord": {"virtual": l4("Other", "10.225.37.227", 10000, [("b", "10.225.37.8")])},
        "heartbeat": {"vip": "10.225.37.99"},
    }
    appliance = ReadAppliance(plan.pair.primary, "master", config, ({"interval": "4000"}, {}))
    findings = PairFindings(plan.pair, appliance, None, reverse_map("lb1", config, plan.pair, plan.pools))
    preview_pair(deployment.site, plan, findings)
    objects = {(item.resource_type, item.import_id): item for item in findings.preview.objects}
    imap = objects[("lborg_layer7_vip", "MGMT_IMAP-143")]
    # The hand-made VIP has the appliance's default limit; the site's 100,000 subscribers size it
    # (152,000 connections: `layer7_capacity`), so the first deploy raises it in place. IMAP has no
    # persistence: its table keeps the default.
    assert imap.exists and [(c.attribute, str(c.have), str(c.want)) for c in imap.changes] == [
        ("scheduler", "leastconn", "roundrobin"),
        ("maxconn", "40000", "152000"),
    ]
    assert not objects[("lborg_layer7_vip", "MGMT_HTTPS-10000")].exists  # added by the first deploy
    old = objects[("lborg_layer7_vip", "Old")]  # matched by address and port, keeps its label
    assert old.exists and ("persistence", "none", "ip") in [
        (c.attribute, c.have, c.want) for c in old.changes
    ]
    assert [(c.have, c.want) for c in objects[("lborg_hostname", "hostname")].changes] == [
        ("lbmaster", "lb1")
    ]
    assert not objects[("lborg_route", "default")].exists
    assert findings.preview.reloads("lb1") == ["haproxy"]
    assert findings.globals_off and "Layer 7 Interval is 4000 ms (guide: 3000 ms)" in findings.globals_off[0]
    leftovers = {(item.kind, item.name) for item in findings.unmanaged}
    assert {
        ("Layer 4 VIP", "Other (10.225.37.227:10000)"),
        ("real server", "Old/a (10.225.37.9)"),
        ("floating IP", "10.225.37.99"),
        ("interface address", "eth2 10.9.9.9/24"),
        ("static route", "10.20.0.0/16 via 10.225.37.1"),
    } <= leftovers
    assert any("where Other (Layer 4 VIP) already listens" in problem for problem in findings.problems)
    assert findings.adoption is not None and findings.adoption.unmanaged_vips == ["Other"]
    imports = findings.adoption.appliances["lb1"].imports
    assert imports["lborg_commit"] == ["commit"] and "MGMT_HTTPS-10000" not in imports["lborg_layer7_vip"]
    assert "Old/EAS_SSS-1" not in imports.get("lborg_layer7_real_server", [])


def test_the_placeholder_pools_file_of_new_site_counts_as_absent(tmp_path: Path) -> None:
    from eas_lb.operations.adopt.command import _pools_or_none

    template = REPO_ROOT / "eas_lb" / "templates" / "site" / "pools.txt"
    assert _pools_or_none(template) is None
    assert _pools_or_none(tmp_path / "absent.txt") is None
    real = tmp_path / "pools.txt"
    real.write_text(POOLS, encoding="utf-8")
    found = _pools_or_none(real)
    assert found is not None and len(found.pools) == 3
    real.write_text("# MANAGEMENT\nHTTP-80 nope tcp 80 0 127.13.0.1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not an IPv4 or IPv6 address"):
        _pools_or_none(real)


def test_objects_already_in_the_local_state_leave_nothing_to_adopt(tmp_path: Path) -> None:
    """A site this checkout already deploys: adopt finds every object in the stack's state."""
    import json
    import shutil

    from eas_lb.inputs.site import load_deployment
    from eas_lb.operations.adopt.command import _all_in_state
    from eas_lb.operations.adopt.pair import PairFindings, ReadAppliance, preview_pair

    examples = REPO_ROOT / "examples"
    shutil.copy(examples / "pools-scenario2.txt", tmp_path)
    site_file = tmp_path / "site.yaml"
    shutil.copy(examples / "site-scenario2.yaml", site_file)
    deployment = load_deployment(site_file)
    plan = deployment.pairs[0]
    eas = [("EAS_SSS-1", "10.225.37.231"), ("EAS_SSS-2", "10.225.37.116")]
    config: dict[str, Any] = {
        "physical": {"network": {"hostname": "lb1", "role": "master"}},
        "haproxy": {
            "virtual": [l7("MGMT_HTTP-80", "10.225.37.227", 80, eas, persistence="ip", persist_time="35")]
        },
    }
    appliance = ReadAppliance(plan.pair.primary, "master", config, ({}, {}))
    findings = PairFindings(plan.pair, appliance, None, reverse_map("lb1", config, plan.pair, plan.pools))
    preview_pair(deployment.site, plan, findings)
    existing = [item for item in findings.preview.objects if item.exists]
    assert existing and all(item.address.startswith(f"{item.resource_type}.") for item in existing)
    assert _all_in_state(site_file, deployment.site, [findings]) is None  # no state yet: adopt records

    state = tmp_path / f"terraform.{findings.stack}.tfstate"

    def write_state(addresses: list[str]) -> None:
        resources = [
            {
                "mode": "managed",
                "type": address.split(".")[0],
                "name": address.split(".")[1],
                "instances": [{}],
            }
            for address in addresses
        ]
        state.write_text(json.dumps({"version": 4, "resources": resources}), encoding="utf-8")

    write_state([item.address for item in existing[1:]])
    assert _all_in_state(site_file, deployment.site, [findings]) is None  # one object is not managed yet
    write_state([item.address for item in existing])
    assert _all_in_state(site_file, deployment.site, [findings]) == [state.name]
