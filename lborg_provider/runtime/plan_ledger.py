"""What one provider process learns, while Terraform plans, about the changes an apply will write.

`lborg_commit` reloads the services whose configuration an apply changes. With `depends_on` alone
(no `triggers`), its plan has nothing to compare but the appliance's configuration, which a
planned change has not touched yet. Terraform plans the commit after everything it depends on,
in the same provider process, so the configuration resources note here what they saw:

- `declare`: an object this configuration declares (the resource's configuration, which Terraform
  validates again just before planning it). Declared but not on the appliance: a planned create.
- `read`: an object Terraform refreshed from state; `changed` when the appliance no longer matched
  the state (drift a managed attribute covers). Read but not declared: a planned delete.
- `plan`: a planned update or replacement that writes to a service.
- `declare` also notes which attributes the configuration leaves unset, and `read` which ones
  the appliance changed: an attribute that is both was edited by hand, is planned by no one (an
  unset optional attribute keeps what the appliance has), and goes live with the next reload;
  `unset_edits` names those, so the commit's warning does.

The commit then plans an update (a reload) for those services, and names what is on the
appliance that no resource of this configuration manages (it would go live with the reload).
Nothing here is sent anywhere; a new provider process starts empty.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from lborg_provider.model.config_view import LAYER_SECTIONS, find_real, find_virtual, reals, virtuals
from lborg_provider.model.normalize import text


@dataclass(frozen=True, order=True)
class ObjectKey:
    """A VIP (`vip`, layer, label), a real server (`rip`, layer, `VIP/RIP`) or a floating IP."""

    kind: str
    layer: str
    name: str

    @property
    def service(self) -> str:
        return "heartbeat" if self.kind == "fip" else LAYER_SECTIONS[self.layer]

    def describe(self) -> str:
        if self.kind == "vip":
            return f"VIP '{self.name}'"
        if self.kind == "rip":
            return f"real server '{self.name}'"
        return f"floating IP {self.name}"

    def on_appliance(self, config: dict[str, Any]) -> bool:
        if self.kind == "fip":
            from lborg_provider.model.config_view import floating_ips

            return self.name in floating_ips(config)
        vip, _, rip = self.name.partition("/")
        virtual = find_virtual(config, self.layer, vip)
        if virtual is None or self.kind == "vip":
            return virtual is not None
        return find_real(virtual, rip) is not None


def vip_key(layer: str, label: str) -> ObjectKey:
    return ObjectKey("vip", layer, label)


def rip_key(layer: str, vip: str, label: str) -> ObjectKey:
    return ObjectKey("rip", layer, f"{vip}/{label}")


def fip_key(ip: str) -> ObjectKey:
    return ObjectKey("fip", "", ip)


class PlanLedger:
    """Thread-safe notes of one provider process (Terraform plans ten resources at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.declared: set[ObjectKey] = set()
        self.read_keys: set[ObjectKey] = set()
        self.planned_services: set[str] = set()
        self.refresh_changed_services: set[str] = set()
        self.unset_attributes: dict[ObjectKey, frozenset[str]] = {}
        self.changed_attributes: dict[ObjectKey, dict[str, tuple[str, str]]] = {}
        #: Real servers read from state: how long each drains if it leaves (0: deleted at once).
        self.drain_seconds: dict[ObjectKey, float] = {}

    def declare(self, key: ObjectKey | None, service: str, unset: frozenset[str] = frozenset()) -> None:
        """`key` None: the configuration's identity is not known yet (derived from a create).
        `unset`: the attributes this configuration leaves unset."""
        with self._lock:
            if key is None:
                self.planned_services.add(service)
            else:
                self.declared.add(key)
                self.unset_attributes[key] = unset

    def read(
        self, key: ObjectKey, *, changed: bool, differences: dict[str, tuple[str, str]] | None = None
    ) -> None:
        """`differences`: attribute → (state's value, appliance's value), as text, where they differ."""
        with self._lock:
            self.read_keys.add(key)
            if changed:
                self.refresh_changed_services.add(key.service)
            if differences:
                self.changed_attributes[key] = dict(differences)

    def unset_edits(self) -> list[tuple[ObjectKey, str, str, str]]:
        """(object, attribute, state's value, appliance's value) for every attribute changed on the
        appliance that the configuration leaves unset: no plan repairs it, the next reload makes
        it live."""
        with self._lock:
            found = [
                (key, attribute, before, after)
                for key, differences in self.changed_attributes.items()
                for attribute, (before, after) in differences.items()
                if attribute in self.unset_attributes.get(key, frozenset())
            ]
        return sorted(found)

    def drains_for(self, key: ObjectKey, seconds: float) -> None:
        """A real server read from state would drain `seconds` if this plan removes it."""
        with self._lock:
            self.drain_seconds[key] = seconds

    def _planned_deletes(self, config: dict[str, Any]) -> tuple[set[ObjectKey], set[ObjectKey]]:
        """(what this configuration declares, what this plan deletes: read from state, declared no
        more, still on the appliance). Only a plan declares; a refresh-only plan reads without
        deleting anything."""
        with self._lock:
            declared, read_keys = set(self.declared), set(self.read_keys)
        if not declared:
            return declared, set()
        return declared, {key for key in read_keys - declared if key.on_appliance(config)}

    def removed_real_servers(self, config: dict[str, Any]) -> list[tuple[ObjectKey, float, bool]]:
        """Real servers this plan deletes: each with its drain seconds and whether its VIP is
        deleted too (then the reload ends the VIP anyway)."""
        declared, deletes = self._planned_deletes(config)
        with self._lock:
            seconds = dict(self.drain_seconds)
        return [
            (key, seconds.get(key, 0.0), vip_key(key.layer, key.name.partition("/")[0]) not in declared)
            for key in sorted(deletes)
            if key.kind == "rip"
        ]

    def plan(self, service: str) -> None:
        with self._lock:
            self.planned_services.add(service)

    def manages(self, key: ObjectKey) -> bool:
        """Whether a resource of this configuration declares `key` or has it in state."""
        with self._lock:
            return key in self.declared or key in self.read_keys

    @property
    def knows_anything(self) -> bool:
        with self._lock:
            return bool(self.declared or self.read_keys or self.planned_services)

    def pending_services(self, config: dict[str, Any]) -> set[str]:
        """Services a planned create, update or delete of this configuration will write to."""
        declared, deletes = self._planned_deletes(config)
        with self._lock:
            services = set(self.planned_services)
        services |= {key.service for key in declared if not key.on_appliance(config)}
        return services | {key.service for key in deletes}

    def unmanaged(self, config: dict[str, Any]) -> list[ObjectKey]:
        """VIPs, and real servers of managed VIPs, that no resource of this configuration declares
        or has in state: a reload makes them live. Floating IPs are left out, since every VIP's
        address is one the appliance adds by itself."""
        with self._lock:
            managed = self.declared | self.read_keys
        found: list[ObjectKey] = []
        for layer in ("7", "4"):
            for virtual in virtuals(config, layer):
                label = text(virtual.get("label"))
                key = vip_key(layer, label)
                if key not in managed:
                    found.append(key)
                    continue
                for real in reals(virtual):
                    rkey = rip_key(layer, label, text(real.get("label")))
                    if rkey not in managed:
                        found.append(rkey)
        return sorted(set(found))

    def explained_services(self, config: dict[str, Any]) -> set[str]:
        """Services whose change since the last commit a resource of this configuration accounts
        for: a planned write, a drifted managed attribute, or an unmanaged object named on its own."""
        with self._lock:
            explained = set(self.refresh_changed_services)
        explained |= self.pending_services(config)
        explained |= {key.service for key in self.unmanaged(config)}
        return explained
