"""Constructs on their own, through the cdktf Testing API: props in, resources out, bad props refused."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import pytest
from constructs import Construct

from eas_lb.inputs.pools import load_pools, parse_pools
from eas_lb.synth.constructs import EasManagementPool, EasServicePool
from eas_lb.synth.framework import Layer4Vip, Layer7RealServer, Layer7Vip, LborgProvider, TerraformStack
from eas_lb.synth.framework import Testing as CdktfTesting  # a name pytest does not try to collect
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
        {"label": "EAS_SSS-2", "ip": "10.225.37.116", "port": 143},
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
