"""Constructs on their own, through the cdktf Testing API: props in, resources out, bad props refused."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable

import pytest
from cdktf import TerraformResource, TerraformStack
from cdktf import Testing as CdktfTesting  # a name pytest does not try to collect
from constructs import Construct

from eas_lb.bindings.lborg.layer4_vip import Layer4Vip
from eas_lb.bindings.lborg.layer7_real_server import Layer7RealServer
from eas_lb.bindings.lborg.layer7_vip import Layer7Vip
from eas_lb.bindings.lborg.provider import LborgProvider
from eas_lb.guide.mapping import ManagementPoolOptions
from eas_lb.inputs.pools import load_pools, parse_pools
from eas_lb.inputs.site import load_deployment
from eas_lb.synth.constructs import EasManagementPool, EasServicePool
from eas_lb.synth.logical_ids import path_below_stack, unique_id
from eas_lb.synth.stacks.app import build_stacks
from tests.support.synth import EXAMPLES

POOLS = load_pools(EXAMPLES / "pools-scenario1.txt")


def _synth(build: Callable[[Construct], None]) -> str:
    """Build into a fresh stack and synthesize it (`Testing.synth_scope` needs a callable jsii
    interface, which Python bindings cannot provide)."""
    stack = TerraformStack(CdktfTesting.app(), "test")
    build(stack)
    return CdktfTesting.synth(stack)


def _management(scope: Construct) -> None:
    provider = LborgProvider(scope, "lb", endpoint="https://127.3.0.1:10443")
    EasManagementPool(scope, "imap", pool=POOLS.management[3], provider=provider)


def test_management_pool_with_testing_api() -> None:
    synthesized = _synth(_management)
    assert CdktfTesting.to_have_resource_with_properties(
        synthesized,
        Layer7Vip.TF_RESOURCE_TYPE,
        {"label": "MGMT_IMAP-143", "ip": "10.225.37.223", "ports": "143", "persistence": "none"},
    )
    assert CdktfTesting.to_have_resource_with_properties(
        synthesized,
        Layer7RealServer.TF_RESOURCE_TYPE,
        {"label": "EAS_SSS-10.225.37.116", "ip": "10.225.37.116", "port": 143},
    )
    assert not CdktfTesting.to_have_resource_with_properties(synthesized, Layer4Vip.TF_RESOURCE_TYPE, {})


def test_service_pool_with_testing_api() -> None:
    def build(scope: Construct) -> None:
        provider = LborgProvider(scope, "lb", endpoint="https://127.3.0.1:10443")
        EasServicePool(
            scope,
            "http",
            pool=POOLS.service[0],
            vip_ip=ipaddress.ip_address("127.3.40.150"),
            provider=provider,
        )

    synthesized = _synth(build)
    assert CdktfTesting.to_have_resource_with_properties(
        synthesized,
        Layer4Vip.TF_RESOURCE_TYPE,
        {
            "label": "SERV_HTTP-80",
            "ip": "127.3.40.150",
            "forwarding": "masq",
            "persistent": True,
            "persist_time": 2100,
        },
    )


def test_wrong_section_is_refused() -> None:
    app = CdktfTesting.app()
    stack = TerraformStack(app, "s")
    provider = LborgProvider(stack, "lb", endpoint="https://127.3.0.1:10443")
    with pytest.raises(ValueError, match="use EasManagementPool"):
        EasServicePool(
            stack, "x", pool=POOLS.management[0], vip_ip=ipaddress.ip_address("127.3.0.9"), provider=provider
        )


def test_sticky_not_in_minutes_warns() -> None:
    pool = parse_pools("# MANAGEMENT\nODD 127.3.0.5 tcp 10080 61 127.3.0.6\n").management[0]
    app = CdktfTesting.app()
    stack = TerraformStack(app, "s")
    provider = LborgProvider(stack, "lb", endpoint="https://127.3.0.1:10443")
    built = EasManagementPool(stack, "odd", pool=pool, provider=provider)
    assert built.vip_attributes["persist_time"] == 2
    messages = [entry.data for entry in built.node.metadata if entry.type == "@cdktf/warn"]
    assert any("rounded up to 2 min" in str(message) for message in messages)


def _real_server_ids(synthesized: str, kind: str = Layer7RealServer.TF_RESOURCE_TYPE) -> dict[str, str]:
    """{logical id: address} of the synthesized real servers."""
    document = json.loads(synthesized)
    return {name: body["ip"] for name, body in document["resource"][kind].items()}


def _pool_of(servers: str, labels: dict[str, str] | None = None) -> Callable[[Construct], None]:
    header = "POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT"
    row = f"{header}\nHTTPS-443 10.225.37.227 tcp 443 0 {servers}\n"
    pool = parse_pools(row).management[0]

    def build(scope: Construct) -> None:
        provider = LborgProvider(scope, "lb", endpoint="https://127.3.0.1:10443")
        options = ManagementPoolOptions(server_labels=labels or {})
        EasManagementPool(scope, "MGMT_HTTPS-443", pool=pool, provider=provider, options=options)

    return build


def test_a_real_server_is_its_address_whatever_its_place_in_the_row() -> None:
    row = _synth(_pool_of("10.225.37.61 10.225.37.62 10.225.37.116"))
    assert _synth(_pool_of("10.225.37.116 10.225.37.61 10.225.37.62")) == row
    ids = _real_server_ids(row)
    assert {name.rsplit("_", 1)[0]: ip for name, ip in ids.items()} == {
        "MGMT_HTTPS-443_EAS_10_225_37_61": "10.225.37.61",
        "MGMT_HTTPS-443_EAS_10_225_37_62": "10.225.37.62",
        "MGMT_HTTPS-443_EAS_10_225_37_116": "10.225.37.116",
    }
    # The first server leaves: the others keep their Terraform addresses.
    assert _real_server_ids(_synth(_pool_of("10.225.37.62 10.225.37.116"))) == {
        name: ip for name, ip in ids.items() if ip != "10.225.37.61"
    }


def test_a_kept_label_moves_from_the_address_it_gave_the_real_server() -> None:
    kept = {"10.225.37.61": "EAS_SSS-1", "10.225.37.62": "EAS_SSS-2"}
    document = json.loads(_synth(_pool_of("10.225.37.61 10.225.37.62 10.225.37.116", kept)))
    servers = document["resource"][Layer7RealServer.TF_RESOURCE_TYPE]
    moved = {block["to"].split(".", 1)[1]: block["from"].split(".", 1)[1] for block in document["moved"]}
    labels = {servers[to]["ip"]: (servers[to]["label"], former) for to, former in moved.items()}
    # The former addresses are those a construct id equal to the label gave (EAS_SSS-1: position 1).
    assert {ip: (label, former.rsplit("_", 1)[0]) for ip, (label, former) in labels.items()} == {
        "10.225.37.61": ("EAS_SSS-1", "MGMT_HTTPS-443_EAS_SSS-1"),
        "10.225.37.62": ("EAS_SSS-2", "MGMT_HTTPS-443_EAS_SSS-2"),
    }
    assert {body["label"] for body in servers.values() if body["ip"] == "10.225.37.116"} == {
        "EAS_SSS-10.225.37.116"
    }


def test_unique_id_is_cdktfs_logical_id_for_every_resource_of_a_site() -> None:
    app = CdktfTesting.app()
    stacks = build_stacks(app, load_deployment(EXAMPLES / "site-scenario1.yaml"))
    resources = [c for stack in stacks for c in stack.node.find_all() if isinstance(c, TerraformResource)]
    assert len(resources) > 30
    for resource in resources:
        assert unique_id(path_below_stack(resource)) == resource.friendly_unique_id
    assert unique_id(["only-one"]) == "only-one"
    assert unique_id(["pool", "Default", "EAS_SSS-1"]) == unique_id(["pool", "EAS_SSS-1"])
