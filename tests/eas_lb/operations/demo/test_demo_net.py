"""`EAS_LB_NET` / `eas-lb demo --net`: the demo on a loopback range of its own, so two demos (or
a demo and a site's lab) run side by side without binding one address twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eas_lb import cli
from eas_lb.inputs.site import load_deployment
from eas_lb.operations.demo.layout import demo_layout
from eas_lb.operations.demo.net import moved, parse_net, site_on_net
from tests.support.paths import REPO_ROOT


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    folder = tmp_path / "examples"
    folder.mkdir()
    for name in ("site-demo.yaml", "pools-demo.txt", "site-demo-two-pairs.yaml"):
        shutil.copy(REPO_ROOT / "examples" / name, folder / name)
    return folder


def _addresses(site: Path) -> set[str]:
    layout = demo_layout(load_deployment(site))
    return {a.host for a in layout.appliances} | {ip for ip, _ in layout.servers}


def test_the_demo_on_a_range_of_its_own_shares_no_address_run_dir_or_stack(examples: Path) -> None:
    site = examples / "site-demo.yaml"
    copy = site_on_net(site, "127.66")
    assert copy == examples.parent / ".demo-net-127.66" / "examples" / "site-demo.yaml"
    own, other = _addresses(site), _addresses(copy)
    assert own and all(address.startswith("127.0.") for address in own)
    assert other == {"127.66." + address.split(".", 2)[2] for address in own}
    assert demo_layout(load_deployment(copy)).run_dir == (copy.parent.parent / ".demo").resolve()
    assert demo_layout(load_deployment(site)).run_dir != demo_layout(load_deployment(copy)).run_dir
    assert load_deployment(copy).site.name == "demo-net66"  # its stacks and local state files too
    assert site_on_net(copy, "127.66") == copy  # the copy named again (demo run's next steps)


def test_the_copy_is_the_same_each_time_and_follows_the_original(examples: Path) -> None:
    site = examples / "site-demo.yaml"
    first = site_on_net(site, "127.66").read_text()
    assert site_on_net(site, "127.66").read_text() == first
    pools = examples / "pools-demo.txt"
    pools.write_text(pools.read_text() + "\n")
    assert (site_on_net(site, "127.66").parent / "pools-demo.txt").read_text() == moved(
        pools.read_text(), "127.66"
    )


def test_only_loopback_addresses_move() -> None:
    text = "10.0.0.1 127.0.41.10:14143 127.0.20.1/24 9127.0.0.1 https://127.0.20.2:9443"
    assert (
        moved(text, "127.66")
        == "10.0.0.1 127.66.41.10:14143 127.66.20.1/24 9127.0.0.1 https://127.66.20.2:9443"
    )


@pytest.mark.parametrize("bad", ["127.0", "127.256", "10.66", "127.66.1", "66"])
def test_a_range_that_is_not_one_is_refused_with_what_to_give(bad: str) -> None:
    with pytest.raises(ValueError, match=r"127\.1 to 127\.255"):
        parse_net(bad)


def test_a_bad_range_is_a_usage_error_before_anything_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EAS_LB_NET", "127.0")
    assert cli.main(["demo", "down"]) == 3
    assert "EAS_LB_NET='127.0'" in capsys.readouterr().err
    monkeypatch.delenv("EAS_LB_NET")
    assert cli.main(["demo", "--net", "192.168", "down"]) == 3
