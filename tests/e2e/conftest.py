"""The demo site, moved to its own loopback range and folder, deployed for real.

The copy gets the name `e2e` (so its stacks and state never touch a user's `make demo`), the
addresses 127.5.x instead of 127.0.x, and a state and CA folder under pytest's tmp directory.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from eas_lb.inputs.site import load_deployment
from eas_lb.operations.demo import runtime
from eas_lb.operations.demo.layout import DemoLayout, demo_layout
from eas_lb.operations.terraform.cdktf import PROJECT_ROOT, cdktf_env

EXAMPLES = PROJECT_ROOT / "examples"


@dataclass
class DeployedSite:
    root: Path
    site: Path
    pools: Path
    output: Path
    layout: DemoLayout
    env: dict[str, str]

    def lb_stack(self) -> str:
        return "e2e-pair1-lb"


def _forget_state() -> None:
    """The e2e stacks' local state (cdktf's default place, the project root) from an earlier run
    would describe appliances that no longer exist; each run starts from none."""
    for path in PROJECT_ROOT.glob("terraform.e2e-*.tfstate*"):
        path.unlink()


def _moved(text: str) -> str:
    return re.sub(r"\b127\.0\.", "127.5.", text)


@pytest.fixture(scope="module")
def e2e_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeployedSite]:
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is not installed: run `make setup`")
    root = tmp_path_factory.mktemp("e2e")
    examples = root / "examples"
    examples.mkdir()
    pools = examples / "pools-demo.txt"
    pools.write_text(_moved((EXAMPLES / "pools-demo.txt").read_text()))
    site_text = _moved((EXAMPLES / "site-demo.yaml").read_text())
    site_text = re.sub(r"(?m)^name: demo$", "name: e2e", site_text)
    site = examples / "site-e2e.yaml"
    site.write_text(site_text)
    layout = demo_layout(load_deployment(site))
    saved = {k: os.environ.get(k) for k in runtime.CREDENTIAL_NAMES}
    for key in runtime.CREDENTIAL_NAMES:
        os.environ.pop(key, None)
    credentials = runtime.demo_credentials(layout)
    os.environ.update(credentials)
    _forget_state()
    try:
        runtime.up(layout)
        yield DeployedSite(root, site, pools, root / "cdktf.out", layout, cdktf_env(site, credentials))
    finally:
        runtime.down(layout)
        _forget_state()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
