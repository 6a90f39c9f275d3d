"""The lab with `--layer4 kernel-nat` (root): a scenario 1 site deployed to a simulated HA pair
whose service VIPs are kernel NAT in network namespaces, then verified from the lab's client.

`python -m eas_lb.demo run --layer4 kernel-nat` deploys and verifies: the service VIPs' EAS
stand-ins see the client's own address. One stand-in's default gateway moved off the pair's
service gateway makes verify fail with a message naming that server, the gateway it should use
and the guide's rule. `down` leaves no namespace of the lab. Management VIPs and APIs on
127.18.40-41.x (this folder's 127.18/16); the service network exists only inside the namespaces.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from eas_lb.guide.mapping import NAT_GATEWAY_RULE
from eas_lb.inputs.site import load_deployment
from eas_lb.operations.demo import kernel_nat
from eas_lb.operations.demo.__main__ import main as demo_main
from eas_lb.operations.demo.layout import demo_layout
from lborg_simulator import nat_network
from lborg_simulator.netns import kernel_nat_available, names

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.skipif(bool(kernel_nat_available()), reason=kernel_nat_available() or ""),
]

CREDENTIAL_NAMES = ("LBORG_USERNAME", "LBORG_PASSWORD", "LBORG_API_KEY")
GATEWAY, WRONG_GATEWAY = "127.18.45.10", "127.18.45.11"
POOLS = """POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-18080 127.18.41.227 tcp 18080 2100 127.18.42.231 127.18.42.116

# SERVICE
HTTPS-18443 - tcp 18443 2100 127.18.45.61 127.18.45.5
IMAP-10143 - tcp 10143 0 127.18.45.61 127.18.45.5
"""


def _site(root: Path) -> Path:
    (root / "pools.txt").write_text(POOLS)
    site = root / "site.yaml"
    site.write_text(
        f"""name: natlab
pools: pools.txt
scenario: 1
pairs:
  - name: pair1
    primary:
      name: lb1
      endpoint: https://127.18.40.1:10445
      management_ip: 127.18.40.1/24
      service_ip: 127.18.45.120/25
      ca_file: lab/ca/ca.pem
    secondary:
      name: lb2
      endpoint: https://127.18.40.2:10445
      management_ip: 127.18.40.2/24
      service_ip: 127.18.45.121/25
      ca_file: lab/ca/ca.pem
    service_vip: 127.18.44.150
    service_gateway: {GATEWAY}
    eas_service_subnet: 127.18.45.0/25
backend:
  kind: local
  config: {{path: {root}/state/natlab.tfstate}}
"""
    )
    return site


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("natlab")
    site = _site(root)
    saved = {name: os.environ.pop(name, None) for name in CREDENTIAL_NAMES}
    prefix = kernel_nat.prefix_of(demo_layout(load_deployment(site)))
    try:
        code = demo_main(
            ["--site", str(site), "run", "--layer4", "kernel-nat", "--output", str(root / "out")]
        )
        yield site, str(code)
    finally:
        assert demo_main(["down", "--site", str(site)]) == 0
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    assert names(prefix) == [], "down removes every namespace of the lab (their nftables tables with them)"


def test_the_deployed_service_vips_keep_the_clients_address(
    deployed: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    site, code = deployed
    assert code == "0"
    assert demo_main(["--site", str(site), "verify"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if "data path" in line]
    assert len(rows) == 2 and all("PASS" in row for row in rows), out
    assert all("saw the client's own address 192.0.2.10" in row for row in rows), out


def test_an_eas_server_with_a_wrong_gateway_fails_verify_with_the_guides_rule(
    deployed: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    site, _code = deployed
    network = kernel_nat.load(demo_layout(load_deployment(site)))
    assert network is not None
    nat_network.set_default_gateway(network, "127.18.45.5", WRONG_GATEWAY)
    try:
        capsys.readouterr()
        assert demo_main(["--site", str(site), "verify"]) == 1
        out = " ".join(capsys.readouterr().out.split())
    finally:
        nat_network.set_default_gateway(network, "127.18.45.5", GATEWAY)
    assert "EAS server 127.18.45.5 does not send its replies back through the pair" in out, out
    assert f"should use the pair's service gateway {GATEWAY} (service_gateway)" in out
    assert " ".join(NAT_GATEWAY_RULE.split()) in out
