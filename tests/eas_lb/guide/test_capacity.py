"""Layer 7 capacity from the site: the guide's rule, each pair's share, explicit values, refusals.

Synth level only (the guide's example addresses): nothing here is deployed.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from eas_lb.guide.capacity import layer_share, pair_subscribers, site_capacity
from eas_lb.guide.mapping import (
    APPLIANCE_MAXCONN,
    APPLIANCE_PERSIST_TABLE_SIZE,
    Layer7Capacity,
    connections_for,
    layer7_capacity,
    management_vip,
)
from eas_lb.inputs.pools import Section
from eas_lb.inputs.site import Deployment, SiteFileError, load_deployment
from tests.support.paths import REPO_ROOT

POOLS = (REPO_ROOT / "examples" / "pools-scenario2.txt").read_text(encoding="utf-8")


def _pair(name: str, octet: int, pools: str | None = None) -> str:
    own = f"\n    pools: {pools}" if pools else ""
    return (
        f"  - name: {name}{own}\n"
        f"    primary: {{name: {name}-lb1, endpoint: 'https://10.225.37.{octet}:9443', "
        f"management_ip: 10.225.37.{octet}/24}}\n"
    )


def _site(tmp_path: Path, subscribers: int, extra: str = "", pairs: int = 1) -> Path:
    """A scenario-2 site of `pairs` pairs, each with its own copy of the guide's pools (moved to
    its own addresses), `subscribers` and the `extra` YAML."""
    blocks = []
    for index in range(pairs):
        name = f"pools{index}.txt"
        (tmp_path / name).write_text(
            POOLS.replace("10.225.37.22", f"10.225.{40 + index}.22"), encoding="utf-8"
        )
        blocks.append(_pair(f"p{index}", 241 + index, name))
    site = tmp_path / "site.yaml"
    site.write_text(
        f"name: s\npools: pools0.txt\nsubscribers: {subscribers}\npairs:\n"
        + "".join(blocks)
        + textwrap.dedent(extra),
        encoding="utf-8",
    )
    return site


def _refusal(deployment: Deployment) -> str:
    with pytest.raises(SiteFileError) as caught:
        site_capacity(deployment)
    return str(caught.value)


def _limits(deployment: Deployment) -> dict[str, tuple[int, int]]:
    """(maxconn, persist_table_size) of every Layer 7 VIP of the first pair, by label."""
    capacity = site_capacity(deployment)
    plan = deployment.pairs[0]
    found = {}
    for pool in plan.pools.management:
        attributes = management_vip(pool, capacity[plan.pair.name].options(pool, None))
        found[attributes["label"]] = (attributes["maxconn"], attributes["persist_table_size"])
    return found


def test_the_rule_is_the_guides_connections_per_subscriber_never_below_the_appliance_defaults() -> None:
    assert connections_for(250_000) == 380_000
    assert layer7_capacity(250_000, sticky=True) == Layer7Capacity(380_000, 380_000)
    assert connections_for(100_001) == 152_002  # rounded up: 100,001 x 1.52 = 152,001.52
    # A small site keeps the appliance's own limits; a pool without persistence has no table to size.
    assert layer7_capacity(1_000, sticky=True) == Layer7Capacity(
        APPLIANCE_MAXCONN, APPLIANCE_PERSIST_TABLE_SIZE
    )
    assert layer7_capacity(250_000, sticky=False) == Layer7Capacity(380_000, APPLIANCE_PERSIST_TABLE_SIZE)


def test_a_250000_subscriber_pair_sizes_every_layer7_vip_at_least_by_the_rule(tmp_path: Path) -> None:
    limits = _limits(load_deployment(_site(tmp_path, 250_000)))
    assert set(limits) == {
        "MGMT_HTTP-80",
        "MGMT_HTTPS-443",
        "MGMT_HTTPS-10000",
        "MGMT_IMAP-143",
        "MGMT_MVWEBPROV-8087",
    }
    assert all(maxconn >= 380_000 for maxconn, _ in limits.values())
    sticky = {label: table for label, (_, table) in limits.items() if label != "MGMT_IMAP-143"}
    assert all(table >= 380_000 for table in sticky.values())
    assert limits["MGMT_IMAP-143"][1] == APPLIANCE_PERSIST_TABLE_SIZE  # sticky 0: no table in use


def test_a_pair_too_large_for_one_appliance_is_refused_at_subscribers_with_both_fixes(tmp_path: Path) -> None:
    site = _site(tmp_path, 600_000)
    message = _refusal(load_deployment(site))
    assert message.startswith(
        f"{site}:3:14: subscribers: 600,000 subscribers on pair 'p0' is above the 250,000"
    )
    assert "380,000 concurrent connections" in message
    assert "spread the site over 3 pairs" in message
    assert "capacity.maxconn and capacity.persist_table_size" in message and "capacity.pools" in message
    assert "MGMT_IMAP-143" in message  # its maxconn still comes from the rule


def test_more_pairs_share_the_subscribers_and_lift_the_refusal(tmp_path: Path) -> None:
    deployment = load_deployment(_site(tmp_path, 600_000, pairs=3))
    assert layer_share(deployment, Section.MANAGEMENT) == 200_000
    assert {pair_subscribers(deployment, plan) for plan in deployment.pairs} == {200_000}
    assert set(_limits(deployment).values()) == {(304_000, 304_000), (304_000, APPLIANCE_PERSIST_TABLE_SIZE)}


def test_two_pairs_of_one_layer_each_still_carry_every_subscriber(tmp_path: Path) -> None:
    # The guide's two-pair split (8.1): the management pair alone carries Layer 7.
    example = REPO_ROOT / "examples" / "site-scenario1-two-pairs.yaml"
    text = example.read_text(encoding="utf-8").replace("subscribers: 250000", "subscribers: 300000")
    (tmp_path / "pools-scenario1.txt").write_bytes(
        (REPO_ROOT / "examples" / "pools-scenario1.txt").read_bytes()
    )
    site = tmp_path / "site.yaml"
    site.write_text(text, encoding="utf-8")
    message = _refusal(load_deployment(site))
    assert "300,000 subscribers on pair 'management'" in message and "'service'" not in message


def test_explicit_values_lift_the_refusal_and_win_per_site_then_per_pool(tmp_path: Path) -> None:
    extra = """\
    capacity:
      maxconn: 700000
      persist_table_size: 900000
      pools:
        MGMT_HTTPS-443: {persist_table_size: 1200000}
    """
    limits = _limits(load_deployment(_site(tmp_path, 600_000, extra)))
    assert limits["MGMT_HTTPS-443"] == (700_000, 1_200_000)
    assert limits["MGMT_HTTP-80"] == (700_000, 900_000)
    # Half given is still refused, naming only the pools left to the rule.
    half = """\
    capacity:
      pools:
        MGMT_IMAP-143: {maxconn: 500000}
    """
    message = _refusal(load_deployment(_site(tmp_path, 600_000, half)))
    assert "MGMT_HTTP-80" in message and "MGMT_IMAP-143" not in message


def test_capacity_pools_must_name_a_layer7_pool(tmp_path: Path) -> None:
    example_pools = REPO_ROOT / "examples" / "pools-scenario1.txt"
    (tmp_path / "pools.txt").write_bytes(example_pools.read_bytes())
    site = tmp_path / "site.yaml"
    site.write_text(
        "name: s\npools: pools.txt\npairs:\n"
        "  - name: p\n"
        "    primary: {name: lb1, endpoint: 'https://127.3.0.1:10443', management_ip: 127.3.0.1/24,\n"
        "              service_ip: 192.168.85.101/25}\n"
        "    service_vip: 10.9.0.150\n"
        "    eas_service_subnet: 192.168.85.0/25\n"
        "capacity:\n"
        "  pools:\n"
        "    SERV_HTTP-80: {maxconn: 1000}\n"
        "    MGMT_HTTPX-80: {maxconn: 1000}\n",
        encoding="utf-8",
    )
    with pytest.raises(SiteFileError) as caught:
        load_deployment(site)
    problems = [str(problem) for problem in caught.value.problems]
    assert any(
        ":11:" in problem and "SERV_HTTP-80 is a Layer 4 VIP: API v2 has no maxconn" in problem
        for problem in problems
    )
    assert any(
        ":12:" in problem and "no Layer 7 pool is labelled 'MGMT_HTTPX-80'" in problem for problem in problems
    )


def test_capacity_values_out_of_range_are_refused_where_they_are(tmp_path: Path) -> None:
    site = _site(tmp_path, 1000, "capacity:\n  maxconn: 0\n")
    with pytest.raises(SiteFileError, match=r"capacity\.maxconn"):
        load_deployment(site)


def test_check_refuses_a_pair_too_large_for_one_appliance_and_synth_refuses_it_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from eas_lb import cli
    from eas_lb.synth.site_app import run_site_app

    site = _site(tmp_path, 400_000)
    assert cli.main(["check", "--site", str(site)]) == 1
    checked = capsys.readouterr().err
    assert f"{site}:3:14: subscribers: 400,000 subscribers on pair 'p0'" in checked
    assert "spread the site over 2 pairs" in checked and "Traceback" not in checked
    monkeypatch.setenv("EAS_SITE", str(site))
    monkeypatch.chdir(tmp_path)  # cdktf's out directory, were the refusal to let synth through
    assert run_site_app() == 1
    synthesized = capsys.readouterr().err
    assert synthesized.startswith(f"{site}:3:14: subscribers: 400,000 subscribers on pair 'p0'")
    assert not (tmp_path / "cdktf.out").exists()
