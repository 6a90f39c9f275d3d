"""How `lborg_commit` decides what to reload: from the plan ledger, the configuration's digests and
its triggers. The sequence is drawn in `lborg_provider/README.md` ("How lborg_commit plans its
reloads").

Terraform plans the commit after everything it depends on, in the same provider process, so by
then the configuration resources have noted in the plan ledger (`plan_ledger`) what they declare,
what they read and what their plans write. A service is reloaded when

- its trigger value changed (or `triggers` changed at all: handled by the resource);
- its configuration on the appliance differs from the digest recorded at the last commit (drift
  repaired by this apply, or an edit made outside Terraform);
- this process wrote to it (an apply that already ran its writes);
- a create, update or delete planned in this run writes to it (the ledger's pending services).

`unmanaged` is what the next reload would activate that this configuration does not manage:
objects on the appliance that no resource declares or has in state (floating IPs that neither a
resource nor a VIP's address accounts for included), attributes edited by hand that the
configuration leaves unset (`unset_edit`: no plan repairs those), and services edited in a way no
managed attribute explains. A heartbeat section that differs from its recorded digest only by
such floating IPs is explained by them: they are named, one entry each, instead of the section.

The heartbeat digest leaves the pairing (`ucast_ip`) out: `lborg_ha_pair` writes, reads and
reports it, and `ha_create` applies it without a reload. Terraform may pair the appliances after a
commit recorded its digests (a commit that does not depend on the pairing, a `-target` apply, a
pair added to a deployed appliance), and that pairing is no edit made outside Terraform.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from typing import Any, Protocol

from lborg_provider.model import unmanaged_entries
from lborg_provider.model.config_view import floating_ips, virtuals
from lborg_provider.model.normalize import text
from lborg_provider.runtime.drains import DrainSchedule
from lborg_provider.runtime.plan_ledger import ObjectKey, PlanLedger, fip_key

#: Services the appliance reloads, and the `list dumpconfig` section each one applies.
SERVICE_SECTIONS: dict[str, str] = {service: service for service in unmanaged_entries.SERVICES}
SERVICES = unmanaged_entries.SERVICES


class ConfigSource(Protocol):
    """What reload planning needs from the provider's connection to the appliance."""

    ledger: PlanLedger
    written_services: set[str]
    drains: DrainSchedule

    def config(self) -> dict[str, Any]: ...


def _digest(section: Any) -> str:
    return hashlib.sha256(json.dumps(section, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[
        :32
    ]


#: The pairing's element of the heartbeat section, which `lborg_ha_pair` manages (see above).
PAIRING = "ucast_ip"


def _without_pairing(section: Any) -> Any:
    if not isinstance(section, dict):
        return section
    return {key: value for key, value in section.items() if key != PAIRING}


def service_digests(config: dict[str, Any]) -> dict[str, str]:
    """A digest of each service's section of the configuration, to notice changes made by hand;
    the heartbeat's without the pairing."""
    digests = {service: _digest(config.get(section)) for service, section in SERVICE_SECTIONS.items()}
    digests["heartbeat"] = _digest(_without_pairing(config.get(SERVICE_SECTIONS["heartbeat"])))
    return digests


def unchanged_digests(config: dict[str, Any]) -> dict[str, set[str]]:
    """Per service, each recorded digest that means "unchanged since the last commit": the one
    `service_digests` gives now and, for the heartbeat, the whole section's, which commits recorded
    before the pairing was left out."""
    found = {service: {digest} for service, digest in service_digests(config).items()}
    found["heartbeat"].add(_digest(config.get(SERVICE_SECTIONS["heartbeat"])))
    return found


def heartbeat_digests_without(config: dict[str, Any], addresses: Collection[str]) -> set[str]:
    """The heartbeat section's digests (see `unchanged_digests`) as they would be without the
    floating IPs `addresses`: with none left, both ways an appliance may write that (no `vip`
    element, or an empty one)."""
    section = config.get("heartbeat")
    if not isinstance(section, dict):
        return {_digest(section)}
    kept = [ip for ip in floating_ips(config) if ip not in addresses]
    rest = {key: value for key, value in section.items() if key != "vip"}
    forms = [{**rest, "vip": kept}] if kept else [rest, {**rest, "vip": []}]
    return {_digest(form) for form in forms} | {_digest(_without_pairing(form)) for form in forms}


def unmanaged_floating_ips(config: dict[str, Any], ledger: PlanLedger) -> list[str]:
    """Floating IPs on the appliance that no resource of this configuration declares or has in
    state, and that no VIP's address accounts for (a VIP brings its own address up)."""
    owned = {text(virtual.get("server")) for layer in ("7", "4") for virtual in virtuals(config, layer)}
    return [ip for ip in floating_ips(config) if ip not in owned and not ledger.manages(fip_key(ip))]


def managed_services(triggers: Any) -> list[str]:
    """Services a commit reloads: the trigger keys, or all of them without triggers."""
    if isinstance(triggers, dict) and triggers:
        return [service for service in SERVICES if service in triggers]
    return list(SERVICES)


def outside_edit(service: str) -> str:
    """The `unmanaged` entry of a service edited in a way no managed attribute covers."""
    return f"{service} configuration edited outside Terraform (no managed attribute covers it)"


def unset_edit(key: ObjectKey, attribute: str, before: str, after: str) -> str:
    """The `unmanaged` entry of an attribute edited by hand that the configuration leaves unset."""
    return unmanaged_entries.unset_edit(key.describe(), key.service, attribute, before, after)


def services_to_reload(
    connection: ConfigSource, recorded: Mapping[str, Any], services: Collection[str]
) -> set[str]:
    """Of `services`: configuration changed since the last commit (`recorded` digests), written
    by this process, or written by a change planned in this run (the plan ledger)."""
    config = connection.config()
    unchanged = unchanged_digests(config)
    drifted = {service for service in services if recorded.get(service) not in unchanged[service]}
    pending = connection.ledger.pending_services(config)
    return drifted | ((connection.written_services | pending) & set(services))


def unmanaged_now(
    connection: ConfigSource,
    services: Collection[str],
    recorded: Mapping[str, Any],
    previous: list[str],
) -> list[str] | None:
    """`unmanaged` as of now; None when this process has seen no configuration resource (an
    import, or a commit that depends on nothing): the caller then keeps the recorded value.

    An `outside_edit` or `unset_edit` entry stays, once the reload activated it and the service
    is unchanged since (a refresh alone must not read as drift), until this configuration next
    writes to it.
    """
    ledger = connection.ledger
    if not ledger.knows_anything:
        return None
    config = connection.config()
    names = [key.describe() for key in ledger.unmanaged(config) if key.service in services]
    names += [
        unset_edit(key, attribute, before, after)
        for key, attribute, before, after in ledger.unset_edits()
        if key.service in services
    ]
    unchanged = unchanged_digests(config)
    explained = ledger.explained_services(config)
    # Real servers an interrupted apply of this configuration deleted (and drained) explain the
    # change of their service: the plan names them, still draining, on their own.
    explained |= {drain.service for drain in connection.drains.to_wait_for(config, services)}
    extra = unmanaged_floating_ips(config, ledger) if "heartbeat" in services else []
    names += [fip_key(ip).describe() for ip in extra]
    if extra and recorded.get("heartbeat") in heartbeat_digests_without(config, extra):
        explained.add("heartbeat")  # named above, one entry per floating IP
    pending = ledger.pending_services(config)
    for service in services:
        if service not in recorded:
            continue
        entry = outside_edit(service)
        if recorded[service] not in unchanged[service]:
            if service not in explained:
                names.append(entry)
        elif entry in previous and service not in pending:
            names.append(entry)
    for entry in previous:
        found = unmanaged_entries.UNSET_EDIT_ENDING.search(entry)
        edited = found.group(1) if found else ""
        if edited not in services or edited not in recorded or entry in names:
            continue
        if recorded[edited] in unchanged[edited] and edited not in pending:
            names.append(entry)
    return names
