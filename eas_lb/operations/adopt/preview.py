"""What the first deploy will do: every resource of the stack against what the appliances have.

The stack is built in memory exactly as `cdktf synth` builds it (with the names adopt keeps), so
the resources, their import ids and their values are the deploy's own. Each resource is then
looked up on its appliance: found means imported (with the attribute changes the plan will show,
read with the provider's field tables, so "same" means what the plan means by it), not found
means added. Values a resource leaves unset are compared with the provider's default, which is
what the plan sets them to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eas_lb.guide.mapping import real_server_label
from eas_lb.operations.adopt.reverse import Unmanaged
from eas_lb.synth.constructs.appliance import Appliance
from eas_lb.synth.framework import TerraformResource
from eas_lb.synth.logical_ids import former_address
from eas_lb.synth.stacks.imports import COMMIT_TYPE, HA_PAIR_TYPE, import_id, managed_resources
from lborg_provider.model import config_view
from lborg_provider.model.fields import DERIVED, Field
from lborg_provider.model.normalize import as_dict, dig, first_port, text
from lborg_provider.model.tables import LAYER4_REAL_SERVER, LAYER4_VIP, LAYER7_REAL_SERVER, LAYER7_VIP

Config = dict[str, Any]
_VIP_FIELDS = {"lborg_layer7_vip": ("7", LAYER7_VIP.fields), "lborg_layer4_vip": ("4", LAYER4_VIP.fields)}
_RIP_FIELDS = {
    "lborg_layer7_real_server": ("7", LAYER7_REAL_SERVER.fields),
    "lborg_layer4_real_server": ("4", LAYER4_REAL_SERVER.fields),
}
_SERVICE_OF_LAYER = {"7": "haproxy", "4": "ldirectord"}
#: Per-node settings apply at once; VIPs, real servers, floating IPs and the pairing need a reload.
_SERVICE_OF_TYPE = {"lborg_floating_ip": "heartbeat", HA_PAIR_TYPE: "heartbeat"}


# A frozen record alike changes.py's AttributeChange and saved_plans.py's ReviewedStack; other meaning.
@dataclass(frozen=True)
class AttributeDifference:
    attribute: str
    have: Any
    want: Any


@dataclass(frozen=True)
class PlannedObject:
    """One resource of the stack and what the first deploy does with it."""

    appliance: str
    resource_type: str
    import_id: str
    exists: bool
    changes: tuple[AttributeDifference, ...] = ()
    service: str | None = None
    #: `IP:PORTS` of a VIP as the stack configures it (to find clashes with VIPs it does not manage).
    listens_on: str | None = None
    #: `type.name` of the resource in the stack, as Terraform state names it.
    address: str = ""
    #: The address a real server with a kept label had when labels were construct ids (an earlier
    #: version's state may hold it there; the next plan moves it).
    former_address: str | None = None

    @property
    def action(self) -> str:
        if not self.exists:
            return "add"
        return "adopt and change" if self.changes else "adopt"


@dataclass
class Preview:
    objects: list[PlannedObject] = field(default_factory=list)
    unmanaged: list[Unmanaged] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def on(self, appliance: str) -> list[PlannedObject]:
        return [item for item in self.objects if item.appliance == appliance]

    def reloads(self, appliance: str) -> list[str]:
        """Services the first deploy writes to on `appliance`, so its commit reloads them."""
        wanted = {
            item.service for item in self.on(appliance) if item.service and (not item.exists or item.changes)
        }
        return [service for service in ("haproxy", "ldirectord", "heartbeat") if service in wanted]


def _input(resource: Any, attribute: str) -> Any:
    return getattr(resource, f"{attribute}_input", None)


def _compare(
    resource: Any, element: dict[str, Any], fields: Sequence[Field], skip: set[str]
) -> list[AttributeDifference]:
    changes = []
    for item in fields:
        if item.attr in skip:
            continue
        want = _input(resource, item.attr)
        if want is None:
            if item.default is DERIVED:
                continue
            want = item.default
        have = item.from_appliance(element)
        if item.attr in ("check_port", "port") and have is None:
            have = first_port(element.get("ports"))
        if not item.same(want, have):
            changes.append(AttributeDifference(item.attr, have, want))
    return changes


def _vip(
    resource: Any, config: Config, kind: str, identifier: str
) -> tuple[bool, list[AttributeDifference], str]:
    layer, fields = _VIP_FIELDS[kind]
    element = config_view.find_virtual(config, layer, identifier)
    if element is None:
        return False, [], _SERVICE_OF_LAYER[layer]
    return True, _compare(resource, element, fields, {"label"}), _SERVICE_OF_LAYER[layer]


def _rip(
    resource: Any, config: Config, kind: str, identifier: str
) -> tuple[bool, list[AttributeDifference], str]:
    layer, fields = _RIP_FIELDS[kind]
    vip, _, label = identifier.partition("/")
    virtual = config_view.find_virtual(config, layer, vip)
    real = config_view.find_real(virtual, label) if virtual is not None else None
    if virtual is None or real is None:
        return False, [], _SERVICE_OF_LAYER[layer]
    element = {**real, "ports": real.get("port") or virtual.get("ports")}
    return True, _compare(resource, element, fields, {"vip", "label"}), _SERVICE_OF_LAYER[layer]


def _settings(
    resource: Any, config: Config, kind: str, identifier: str
) -> tuple[bool, list[AttributeDifference]]:
    """Per-node settings, the service gateway and the pairing: found or not, and what changes."""
    changes: list[AttributeDifference] = []

    def differ(attribute: str, have: str) -> None:
        want = _input(resource, attribute)
        if want is not None and str(want) != have:
            changes.append(AttributeDifference(attribute, have, want))

    if kind == "lborg_hostname":
        network = config_view.network(config)
        differ("hostname", text(network.get("hostname")))
        differ("domain", text(network.get("domain")))
        return True, changes
    if kind == "lborg_interface_address":
        interface, _, address = identifier.partition("/")
        return address in config_view.interface_addresses(config, interface), changes
    if kind == "lborg_route":
        if identifier == "default":
            gateway, interface = config_view.default_route(config)
            differ("gateway", gateway)
            differ("interface", interface)
            return bool(gateway), changes
        routes = config_view.static_routes(config)
        if identifier in routes:
            differ("gateway", routes[identifier])
        return identifier in routes, changes
    if kind == "lborg_floating_ip":
        return identifier in config_view.floating_ips(config), changes
    if kind == HA_PAIR_TYPE:
        master, slave = ha_peers(config)
        return (master, slave) == (
            str(_input(resource, "local_ip")),
            str(_input(resource, "peer_ip")),
        ), changes
    raise KeyError(kind)


def ha_peers(config: Config) -> tuple[str, str]:
    """(master, slave) addresses of the HA pairing in the configuration; empty when standalone."""
    return text(dig(config, "heartbeat", "ucast_ip", "master")), text(
        dig(config, "heartbeat", "ucast_ip", "slave")
    )


def plan_object(appliance: str, resource: TerraformResource, config: Config) -> PlannedObject | None:
    kind = resource.terraform_resource_type
    identifier = import_id(resource)
    if identifier is None:
        return None
    look: Callable[[Any, Config, str, str], tuple[bool, list[AttributeDifference], str]] | None = None
    if kind in _VIP_FIELDS:
        look = _vip
    elif kind in _RIP_FIELDS:
        look = _rip
    address = f"{kind}.{resource.friendly_unique_id}"
    if look is None:
        exists, changes = _settings(resource, config, kind, identifier)
        service_of = _SERVICE_OF_TYPE.get(kind)
        return PlannedObject(appliance, kind, identifier, exists, tuple(changes), service_of, address=address)
    exists, changes, service = look(resource, config, kind, identifier)
    listens_on = f"{_input(resource, 'ip')}:{_input(resource, 'ports')}" if kind in _VIP_FIELDS else None
    former = None
    if kind in _RIP_FIELDS:
        label, ip = str(_input(resource, "label")), str(_input(resource, "ip"))
        former = former_address(resource, label) if label != real_server_label(ip) else None
    return PlannedObject(
        appliance, kind, identifier, exists, tuple(changes), service, listens_on, address, former
    )


def preview(appliances: Iterable[Appliance], configs: dict[str, Config]) -> Preview:
    """Every resource of these appliance constructs against the appliance's configuration."""
    result = Preview()
    for appliance in appliances:
        config = configs[appliance.name]
        for resource in managed_resources(appliance):
            if resource.terraform_resource_type == COMMIT_TYPE:
                continue
            planned = plan_object(appliance.name, resource, config)
            if planned is not None:
                result.objects.append(planned)
    return result


def unclaimed(
    appliance: str, config: Config, planned: Sequence[PlannedObject], *, vips: bool
) -> list[Unmanaged]:
    """Objects on the appliance that no resource of the stack claims (per-node ones always; VIP
    content and floating IPs only where the stack manages them, i.e. on the primary)."""
    claimed = {(item.resource_type, item.import_id) for item in planned if item.appliance == appliance}
    out: list[Unmanaged] = []
    if vips:
        for layer in ("7", "4"):
            rip_type = f"lborg_layer{layer}_real_server"
            for element in config_view.virtuals(config, layer):
                label = text(element.get("label"))
                if (f"lborg_layer{layer}_vip", label) not in claimed:
                    continue
                for real in config_view.reals(element):
                    name = f"{label}/{text(real.get('label'))}"
                    if (rip_type, name) not in claimed:
                        out.append(
                            Unmanaged(
                                appliance,
                                "real server",
                                f"{name} ({text(real.get('server'))})",
                                "left as it is",
                            )
                        )
        for ip in config_view.floating_ips(config):
            if ("lborg_floating_ip", ip) not in claimed:
                out.append(
                    Unmanaged(appliance, "floating IP", ip, "not the site's service gateway; left as it is")
                )
    interfaces = as_dict(dig(config, "physical", "interface"))
    for interface in sorted(interfaces):
        if interface == "eth0":
            continue  # the management address: how the API is reached, never managed
        for address in config_view.interface_addresses(config, interface):
            if ("lborg_interface_address", f"{interface}/{address}") not in claimed:
                out.append(
                    Unmanaged(appliance, "interface address", f"{interface} {address}", "left as it is")
                )
    gateway, _ = config_view.default_route(config)
    if gateway and ("lborg_route", "default") not in claimed:
        out.append(
            Unmanaged(appliance, "default route", f"via {gateway}", "the site file sets none; left as it is")
        )
    for network, via in sorted(config_view.static_routes(config).items()):
        if ("lborg_route", network) not in claimed:
            out.append(Unmanaged(appliance, "static route", f"{network} via {via}", "left as it is"))
    return out
