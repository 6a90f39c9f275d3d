"""`lborg_floating_ip`: an address that moves to the active node of an HA pair."""

from __future__ import annotations

from typing import Any

from tf.schema import Attribute
from tf.types import String

from lborg_provider.client.errors import ApplianceActionError
from lborg_provider.model import normalize
from lborg_provider.model.config_view import floating_ips
from lborg_provider.resources.base import LborgResource, NewObject, State
from lborg_provider.resources.planning import note_declared
from lborg_provider.resources.schema_helpers import identifier, required
from lborg_provider.runtime.plan_ledger import fip_key


class FloatingIpResource(LborgResource):
    type_suffix = "_floating_ip"
    # Description and attributes() laid out as ha_pair.py's; each resource its own schema.
    description = (
        "A floating IP that no VIP owns, such as the service-network gateway the EAS servers route "
        "through. A VIP's own address becomes a floating IP with the VIP: do not declare it again. "
        "Import with the address. Takes effect on the next `lborg_commit` (reload-heartbeat)."
    )

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [
            identifier("The floating IP address."),
            required(
                "ip", String(), "The floating IP address. Changing it replaces the resource.", replace=True
            ),
        ]

    def _load(self, ip: str) -> State | None:
        return {"id": ip, "ip": ip} if ip in floating_ips(self.connection().config()) else None

    def read(self, ctx: Any, current: State) -> State | None:
        ip = str(current["ip"])

        def load() -> State | None:
            self.connection().journal.forget(journal_key(ip))  # in state now
            found = self._load(ip)
            ledger = self.ledger()
            if ledger is not None:
                ledger.read(fip_key(ip), changed=found is None)
            return found

        return self.guarded(ctx.diagnostics, ctx.type_name, current, load)

    def plan(self, ctx: Any, current: State | None, planned: State) -> State:
        ledger = self.ledger()
        if current is not None and current.get("ip") != planned.get("ip") and ledger is not None:
            ledger.plan("heartbeat")
        return planned

    def note_declared(self, config: State) -> None:
        ip = config.get("ip")
        note_declared(self, fip_key(ip) if isinstance(ip, str) else None, "heartbeat")

    def import_(self, ctx: Any, id: str) -> State | None:
        ip = id.strip()
        return self.import_found(ctx, id, lambda: self._load(ip), f"floating IP {ip}")

    def create(self, ctx: Any, planned: State) -> State | None:
        ip = str(planned["ip"])
        return self.create_object(
            ctx,
            lambda: NewObject(
                planned=planned,
                object_id=ip,
                what=f"floating IP {ip}",
                add={"action": "add-floating-ip", "ip": ip},
                service="heartbeat",
                journal_key=journal_key(ip),
                identity={"ip": normalize.address_text(ip)},
                # `exists` for an address a VIP already uses is not ours to take (no journal entry).
                find=lambda: self._load(ip),
                identity_of=lambda found: {"ip": normalize.address_text(found["ip"])},
                written=lambda: {"id": ip, "ip": ip},
            ),
        )

    def update(self, ctx: Any, current: State, planned: State) -> State | None:
        return planned

    def delete(self, ctx: Any, current: State) -> State | None:
        def remove() -> None:
            self.connection().journal.forget(journal_key(str(current["ip"])))
            try:
                self.connection().write(
                    [{"action": "delete-floating-ip", "ip": current["ip"]}],
                    services=["heartbeat"],
                    idempotent=True,
                )
            except ApplianceActionError as error:
                if error.status != "missing":
                    raise

        return self.guarded(ctx.diagnostics, ctx.type_name, current, remove)


def journal_key(ip: str) -> str:
    """The create journal's key of a floating IP: one entry per address, however it is spelt."""
    return f"floating-ip:{normalize.address_text(ip)}"
