"""What `drift` reads from an appliance itself, beside Terraform's refresh (read-only actions only).

- the global check settings (`list advanced`): the stacks only check them (the API cannot set
  them), so a refresh does not report them as drift; compared with the guide's values here;
- floating IPs that neither the state nor any VIP's address accounts for (the commit's
  `unmanaged` list leaves floating IPs out);
- which services have changes pending a reload (`nodestatus` `pending`, where the appliance says:
  a simulator extra; a real appliance shows its "commit changes" banner in the WebUI instead).
"""

from __future__ import annotations

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


def _extra_floating_ips(name: str, stack: str, config: dict[str, Any], managed: set[str]) -> list[Finding]:
    addresses = {text(v.get("server")) for layer in ("7", "4") for v in virtuals(config, layer)}
    return [
        Finding(
            name,
            stack,
            "floating IPs",
            f"floating IP {ip} on the appliance",
            Kind.NOT_MANAGED,
            "heartbeat",
            "a deploy does not remove what the code does not manage: delete it in the WebUI (Cluster "
            "Configuration > Floating IPs) before the next reload",
            "the code manages only the pair's service_gateway (site file)",
        )
        for ip in floating_ips(config)
        if ip not in managed and ip not in addresses
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
    managed_floating_ips: set[str],
) -> ApplianceReading:
    """Globals (of the layers the appliance serves), server states, extra floating IPs and
    pending reloads of one appliance."""
    config = client.dumpconfig()
    findings = _globals(name, stack, client, layer7=layer7, layer4=layer4)
    findings += _extra_floating_ips(name, stack, config, managed_floating_ips)
    layers = {text(v.get("label")): layer for layer in ("7", "4") for v in virtuals(config, layer)}
    return ApplianceReading(name, _pending(client), findings, layers)
