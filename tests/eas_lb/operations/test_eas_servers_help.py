"""How fetch-pools and new-site help fill `eas_servers:` without guessing which addresses are one box."""

from __future__ import annotations

from pathlib import Path

import yaml

from eas_lb.inputs.pools import load_pools
from eas_lb.inputs.site_maintenance import EasServer
from eas_lb.operations.commands.fetch_pools import unnamed_addresses
from eas_lb.operations.new_site.render import SiteOptions, site_yaml
from tests.support.paths import REPO_ROOT


def test_fetch_pools_lists_the_addresses_no_name_covers_per_layer_and_pairs_none() -> None:
    pools = load_pools(REPO_ROOT / "examples" / "pools-scenario1.txt")
    assert unnamed_addresses(pools, frozenset()) == {
        "management": ["10.225.37.231", "10.225.37.116"],
        "service": ["192.168.85.61", "192.168.85.5"],
    }
    named = frozenset({"10.225.37.231", "192.168.85.61"})
    assert unnamed_addresses(pools, named) == {"management": ["10.225.37.116"], "service": ["192.168.85.5"]}
    everyone = frozenset({"10.225.37.231", "192.168.85.61", "10.225.37.116", "192.168.85.5"})
    assert unnamed_addresses(pools, everyone) == {}


def test_a_scenario_2_site_without_names_is_not_asked_for_them() -> None:
    pools = load_pools(REPO_ROOT / "examples" / "pools-scenario2.txt")
    assert unnamed_addresses(pools, frozenset()) == {}


def test_new_site_writes_a_commented_example_that_is_valid_once_uncommented(tmp_path: Path) -> None:
    text = site_yaml(SiteOptions(name="s", scenario=1, scenario_given=True))
    assert "eas_servers" not in yaml.safe_load(text)  # only a comment: nothing is guessed
    lines = text.splitlines()
    start = lines.index("# eas_servers:")
    example = "\n".join(line.removeprefix("# ") for line in lines[start : start + 3])
    (server,) = yaml.safe_load(example)["eas_servers"]
    assert EasServer.model_validate(server).title == "eas-3 (10.225.37.231, 192.168.85.61)"
