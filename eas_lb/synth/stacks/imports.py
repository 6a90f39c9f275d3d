"""Terraform `import` blocks for the objects an adoption record lists (see `eas_lb.guide.adoption`).

The import id of each `lborg_*` resource is a function of its own identifying attributes (a VIP's
label, `VIP/RIP`, an address, ...), so the synthesized stack computes it from the resource as
configured and imports it when the record says the object exists on the appliance. `adopt` uses
the same functions on the same constructs, so both sides cannot disagree about an id.

The commit is imported with the reload triggers the stack has now, except for services that
`adopt` found changed (or whose triggers moved since): those are imported as `adopted`, so the
first deploy reloads them and nothing else. The `on_destroy` commit is imported as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from eas_lb.guide.adoption import PENDING_TRIGGER, AdoptedAppliance, PairAdoption
from eas_lb.synth.constructs.appliance import Appliance
from eas_lb.synth.framework import TerraformResource

COMMIT_TYPE = "lborg_commit"
#: The import id of the `on_destroy = true` commit every appliance with pools has.
ON_DESTROY_IMPORT_ID = "on_destroy"
HA_PAIR_TYPE = "lborg_ha_pair"
#: Attributes of `lborg_ha_pair` an import cannot read back (the peer password is never readable);
#: they only matter when the pair is created, so a change to them after adoption is not planned.
HA_PAIR_CREATE_ONLY = ["peer_password", "peer_password_env"]


def _ha_pair_id(resource: Any) -> str:
    """The one place that knows how an HA pairing is imported: by the peer's address."""
    return str(resource.peer_ip_input)


def _route_id(resource: Any) -> str:
    return str(resource.network_input or "default")


_IDS: dict[str, Callable[[Any], str]] = {
    "lborg_layer7_vip": lambda r: str(r.label_input),
    "lborg_layer4_vip": lambda r: str(r.label_input),
    "lborg_layer7_real_server": lambda r: f"{r.vip_input}/{r.label_input}",
    "lborg_layer4_real_server": lambda r: f"{r.vip_input}/{r.label_input}",
    "lborg_floating_ip": lambda r: str(r.ip_input),
    "lborg_hostname": lambda r: "hostname",
    "lborg_interface_address": lambda r: f"{r.interface_input}/{r.address_input}",
    "lborg_route": _route_id,
    HA_PAIR_TYPE: _ha_pair_id,
}


def import_id(resource: TerraformResource) -> str | None:
    """The provider's import id for one resource, or None for a type that is not imported by id."""
    builder = _IDS.get(resource.terraform_resource_type)
    return None if builder is None else builder(resource)


def managed_resources(appliance: Appliance) -> list[TerraformResource]:
    """Every resource the construct tree puts on this appliance, in construct order."""
    return [child for child in appliance.node.find_all() if isinstance(child, TerraformResource)]


def commit_import_id(triggers: Mapping[str, str], record: AdoptedAppliance) -> str:
    """`commit:haproxy=<digest>,ldirectord=adopted,...` (see `lborg_commit`'s import)."""
    values = []
    for service, digest in sorted(triggers.items()):
        unchanged = service not in record.reload and record.commit_triggers.get(service) == digest
        values.append(f"{service}={digest if unchanged else PENDING_TRIGGER}")
    return "commit:" + ",".join(values)


def apply_adoption(appliances: Iterable[Appliance], adoption: PairAdoption) -> int:
    """Add an import block for every recorded object of these appliances; returns how many."""
    count = 0
    for appliance in appliances:
        record = adoption.appliances.get(appliance.name)
        if record is None:
            continue
        for resource in managed_resources(appliance):
            kind = resource.terraform_resource_type
            if kind == COMMIT_TYPE:
                if not record.has(COMMIT_TYPE, "commit"):
                    continue
                if getattr(resource, "on_destroy_input", None) is True:
                    # The reload-after-destroy companion: nothing to reload, adopted as it is.
                    resource.import_from(ON_DESTROY_IMPORT_ID, appliance.provider)
                else:
                    resource.import_from(commit_import_id(appliance.triggers, record), appliance.provider)
                count += 1
                continue
            found = import_id(resource)
            if found is None or not record.has(kind, found):
                continue
            resource.import_from(found, appliance.provider)
            if kind == HA_PAIR_TYPE:
                resource.add_override("lifecycle.ignore_changes", HA_PAIR_CREATE_ONLY)
            count += 1
    return count
