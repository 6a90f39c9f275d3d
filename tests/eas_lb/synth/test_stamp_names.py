"""The synth stamp keeps the site file's EAS server names, which plan review reads back."""

from __future__ import annotations

import shutil
from pathlib import Path

from eas_lb.inputs.site import load_deployment
from eas_lb.synth.stamp import STAMP_FILE, eas_server_titles, write_stamp
from tests.support.paths import REPO_ROOT

SITE = """\
name: s
pools: pools.txt
pairs:
  - name: p
    primary: {name: lb1, endpoint: "https://127.3.0.1:10443", management_ip: 127.3.0.1/24,
              service_ip: 192.168.85.101/25}
    service_vip: 10.9.0.150
    eas_service_subnet: 192.168.85.0/25
eas_servers:
  - {name: eas-3, addresses: [10.225.37.231, 192.168.85.61]}
"""


def test_the_names_survive_the_stamp_and_an_old_stamp_gives_none(tmp_path: Path) -> None:
    shutil.copy(REPO_ROOT / "examples" / "pools-scenario1.txt", tmp_path / "pools.txt")
    (tmp_path / "site.yaml").write_text(SITE, encoding="utf-8")
    out = tmp_path / "cdktf.out"
    out.mkdir()
    write_stamp(out, load_deployment(tmp_path / "site.yaml"))
    title = "eas-3 (10.225.37.231, 192.168.85.61)"
    assert eas_server_titles(out) == {"10.225.37.231": title, "192.168.85.61": title}
    (out / STAMP_FILE).write_text('{"site": "s", "inputs": {}}', encoding="utf-8")  # before names
    assert eas_server_titles(out) == {}
    assert eas_server_titles(tmp_path / "nowhere") == {}
