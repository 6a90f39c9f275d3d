"""The demo simulates only loopback sites, and derives everything it runs from the site file."""

from __future__ import annotations

import pytest

from eas_lb.inputs.site import load_deployment
from eas_lb.operations.demo.layout import NotADemoSiteError, demo_layout, server_name
from tests.support.paths import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"


def test_the_guide_site_is_refused_before_anything_starts() -> None:
    with pytest.raises(NotADemoSiteError, match="not a loopback address"):
        demo_layout(load_deployment(EXAMPLES / "site-scenario1.yaml"))


def test_demo_site_layout() -> None:
    layout = demo_layout(load_deployment(EXAMPLES / "site-demo.yaml"))
    assert [(a.name, a.host, a.port) for a in layout.appliances] == [
        ("lb1", "127.0.20.1", 9443),
        ("lb2", "127.0.20.2", 9443),
    ]
    assert layout.ca_dir == (EXAMPLES.parent / ".demo" / "ca").resolve()
    assert layout.run_dir == layout.ca_dir.parent
    # 2 management servers x 5 ports + 2 service servers x 4 ports
    assert len(layout.servers) == 18
    assert all(ip.startswith("127.0.") for ip, _ in layout.servers)
    assert server_name("127.0.31.231") == "eas-127.0.31.231"
