"""The lab with `--layer4 kernel-nat` (root): a scenario 1 site deployed to a simulated HA pair
whose service VIPs are kernel NAT in network namespaces, then verified from the lab's client.

`python -m eas_lb.demo up --layer4 kernel-nat`, the site applied with the real terraform, then
`python -m eas_lb.demo verify`: the service VIPs' EAS stand-ins see the client's own address.
One stand-in's default gateway moved off the pair's service gateway makes verify fail with a
message naming that server, the gateway it should use and the guide's rule. A fail-over moves
the VIP and the gateway to the secondary, whose replies reach the client. `down` leaves no
namespace of the lab. Management VIPs and APIs on 127.18.40-41.x (this folder's 127.18/16); the
service network exists only inside the namespaces.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from eas_lb.guide.mapping import NAT_GATEWAY_RULE
from eas_lb.inputs.site import load_deployment
from eas_lb.operations.appliances.clients import pair_clients
from eas_lb.operations.demo import kernel_nat, runtime
from eas_lb.operations.demo.__main__ import main as demo_main
from eas_lb.operations.demo.layout import demo_layout
from eas_lb.operations.verify.client_side import connect_from
from eas_lb.operations.verify.probe import probe
from lborg_provider.client import ApplianceError
from lborg_simulator import nat_network
from lborg_simulator.netns import kernel_nat_available, names, run_in
from tests.support.paths import REPO_ROOT
from tests.support.simulator_api import wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.skipif(bool(kernel_nat_available()), reason=kernel_nat_available() or ""),
]

STACK = "natlab-pair1-lb"
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


def _ok(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory, terraform_home: tuple[Path, Path]) -> Iterator[Path]:
    """The lab up with kernel NAT, the site synthesized and applied with the real terraform."""
    root = tmp_path_factory.mktemp("natlab")
    site = _site(root)
    saved = {name: os.environ.pop(name, None) for name in CREDENTIAL_NAMES}
    layout = demo_layout(load_deployment(site))
    prefix = kernel_nat.prefix_of(layout)
    try:
        assert demo_main(["--site", str(site), "up", "--layer4", "kernel-nat"]) == 0
        os.environ.update(runtime.demo_credentials(layout))
        home, cli_config = terraform_home
        env = {
            **os.environ,
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
            "HOME": str(home),
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
            "EAS_SITE": str(site),
            "CDKTF_OUTDIR": str(root / "out"),
        }
        stack = root / "out" / "stacks" / STACK
        _ok([sys.executable, "main.py"], env)
        _ok(["terraform", f"-chdir={stack}", "init", "-input=false", "-no-color"], env)
        _ok(["terraform", f"-chdir={stack}", "apply", "-input=false", "-no-color", "-auto-approve"], env)
        yield site
    finally:
        assert demo_main(["--site", str(site), "down"]) == 0
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    assert names(prefix) == [], "down removes every namespace of the lab (their nftables tables with them)"


def test_the_deployed_service_vips_keep_the_clients_address(
    deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = deployed
    assert demo_main(["--site", str(site), "verify"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if "data path" in line]
    assert len(rows) == 2 and all("PASS" in row for row in rows), out
    assert all("saw the client's own address 192.0.2.10" in row for row in rows), out


def test_an_eas_server_with_a_wrong_gateway_fails_verify_with_the_guides_rule(
    deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = deployed
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


def _nodestate(site: Path, name: str) -> str | None:
    pair = pair_clients(load_deployment(site))[0]
    node = pair.primary if pair.primary.name == name else pair.secondary
    assert node is not None
    try:
        return str(node.nodestatus().get("state"))
    except ApplianceError:
        return None


def test_a_fail_over_moves_the_vip_and_the_gateway(deployed: Path) -> None:
    """lb1 stopped: lb2 takes the VIP and the service gateway, and the EAS servers' replies reach
    the client through it; then lb1 comes back and takes over again (auto-failback)."""
    site = deployed
    layout = demo_layout(load_deployment(site))
    network = kernel_nat.load(layout)
    assert network is not None
    connect_from(network.client_netns, ["127.18.44.150"])
    try:
        assert demo_main(["appliance", "stop", "lb1", "--site", str(site)]) == 0
        try:
            wait_for(lambda: _nodestate(site, "lb2") == "active", what="lb2 active", timeout=30)
            lb2 = network.appliance_netns("lb2")
            addresses = run_in(lb2, ["ip", "-4", "-o", "addr", "show"])
            assert "127.18.44.150/32" in addresses and f"{GATEWAY}/32" in addresses
            answers = [probe("127.18.44.150", 10143, timeout=2.0) for _ in range(4)]
            assert {a.server_ip for a in answers} == {"127.18.45.61", "127.18.45.5"}, answers
            assert all(a.client_seen == a.local for a in answers)
        finally:
            assert demo_main(["appliance", "start", "lb1", "--site", str(site)]) == 0
        wait_for(lambda: _nodestate(site, "lb1") == "active", what="lb1 active again", timeout=30)
        wait_for(
            lambda: GATEWAY not in run_in(network.appliance_netns("lb2"), ["ip", "-4", "-o", "addr"]),
            what="lb2 passive",
        )
    finally:
        connect_from(None, [])
