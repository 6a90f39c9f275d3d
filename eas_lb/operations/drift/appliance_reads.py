"""What `drift` reads from an appliance itself, beside Terraform's refresh (read-only actions only).

- the global check settings (`list advanced`): the stacks only check them (the API cannot set
  them), so a refresh does not report them as drift; compared with the guide's values here;
- floating IPs that neither the state, the site file (the service gateway, every VIP address) nor
  any VIP's address accounts for (the commit's `unmanaged` list leaves floating IPs out); only
  for a stack whose state was read: without it every floating IP would look unmanaged;
- which services have changes pending a reload (`nodestatus` `pending`, where the appliance says:
  a simulator extra; a real appliance shows its "commit changes" banner in the WebUI instead).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from eas_lb.operations.appliances.global_checks import globals_off_guide
from eas_lb.operations.drift.findings import SERVICE_OF_LAYER, Finding, Kind
from lborg_provider.client import ApplianceClient
from lborg_provider.model.config_view import floating_ips, virtuals
from lborg_provider.model.normalize import text

_GLOBAL_UNITS = {"interval": " ms", "checkinterval": " s", "checktimeout": " s"}


@dataclass(frozen=True)
class ApplianceReading:
    """One appliance as `drift` read it directly."""

    name: str
    #: Services with changes pending a reload; None when the appliance does not say.
    pending: tuple[str, ...] | None
    findings: list[Finding] = field(default_factory=list)
    #: VIP label → layer ("7", "4"), to tell which reload makes an unmanaged VIP live.
    vip_layers: dict[str, str] = field(default_factory=dict)


def _globals(name: str, stack: str, client: ApplianceClient, *, layer7: bool, layer4: bool) -> list[Finding]:
    l7, l4 = client.advanced()
    return [
        Finding(
            name,
            stack,
            "global check settings",
            f"{off.layer} {off.key} {off.want} → {text(off.value) or '(unset)'}"
            f"{_GLOBAL_UNITS.get(off.key, '')} on the appliance",
            Kind.GLOBAL_SETTINGS,
            SERVICE_OF_LAYER["7" if off.layer == "Layer 7" else "4"],
            f"set it back in the WebUI: Cluster Configuration > {off.layer} Advanced Configuration "
            f"({off.key} = {off.want}); the API cannot set it, and a deploy stops until it is the "
            "guide's",
            "not possible: no key in the site's files holds it, the code requires the guide's value",
        )
        for off in globals_off_guide(l7, l4, layer7=layer7, layer4=layer4)
    ]


def _address(value: str) -> str:
    """An address in one spelling (IPv6 compressed), so the site file's and the appliance's compare."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return value.strip()


def _extra_floating_ips(name: str, stack: str, config: dict[str, Any], managed: set[str]) -> list[Finding]:
    addresses = {_address(text(v.get("server"))) for layer in ("7", "4") for v in virtuals(config, layer)}
    known = addresses | {_address(ip) for ip in managed}
    return [
        Finding(
            name,
            stack,
            "floating IPs",
            f"floating IP {ip} on the appliance",
            Kind.NOT_MANAGED,
            "heartbeat",
            "a deploy does not remove what the code does not manage, and its reload keeps it: if "
            "nothing uses it, delete it in the WebUI (Cluster Configuration > Floating IPs)",
            "not possible in the site file: the code's floating IPs are the pair's service_gateway and "
            "its VIP addresses; left alone it stays outside the code",
        )
        for ip in floating_ips(config)
        if _address(ip) not in known
    ]


def _pending(client: ApplianceClient) -> tuple[str, ...] | None:
    status = client.nodestatus()
    pending = status.get("pending")
    if not isinstance(pending, list):
        return None
    return tuple(sorted(str(service) for service in pending))


def read_appliance(
    name: str,
    stack: str,
    client: ApplianceClient,
    *,
    layer7: bool,
    layer4: bool,
    managed_floating_ips: set[str] | None,
) -> ApplianceReading:
    """Globals (of the layers the appliance serves), extra floating IPs (None: the stack's state
    was not read, so they are not judged) and pending reloads of one appliance."""
    config = client.dumpconfig()
    findings = _globals(name, stack, client, layer7=layer7, layer4=layer4)
    if managed_floating_ips is not None:
        findings += _extra_floating_ips(name, stack, config, managed_floating_ips)
    layers = {text(v.get("label")): layer for layer in ("7", "4") for v in virtuals(config, layer)}
    return ApplianceReading(name, _pending(client), findings, layers)
