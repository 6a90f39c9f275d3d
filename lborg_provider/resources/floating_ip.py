"""`lborg_floating_ip`: an address that moves to the active node of an HA pair."""

from __future__ import annotations

from typing import Any

from tf.schema import Attribute
from tf.types import String

from lborg_provider.client.errors import ApplianceActionError
from lborg_provider.model import normalize
from lborg_provider.model.config_view import floating_ips
from lborg_provider.resources.base import LborgResource, State
from lborg_provider.resources.planning import note_declared
from lborg_provider.resources.schema_helpers import identifier, required
from lborg_provider.runtime.create_journal import AfterExists, decide_after_exists
from lborg_provider.runtime.plan_ledger import fip_key


class FloatingIpResource(LborgResource):
    type_suffix = "_floating_ip"
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
        add = {"action": "add-floating-ip", "ip": ip}
        identity = {"ip": normalize.address_text(ip)}
        sent = self.journalled_add(ctx, add, journal_key(ip), identity, "heartbeat")
        if sent is None:
            return None
        added = sent.result
        if added.ok:
            return {"id": ip, "ip": ip}

        def exists() -> State | None:
            # `exists` for an address a VIP already uses is not ours to take (no journal entry).
            self.connection().invalidate()
            if (
                added.status == "exists"
                and self._load(ip) is not None
                and decide_after_exists(sent.earlier, identity) is AfterExists.TAKE_OVER
            ):
                self.warn_taken_over(ctx, f"floating IP {ip}")
                return {"id": ip, "ip": ip}
            import_id = ip if added.status == "exists" else ""
            return self.add_refused(ctx, planned, add, added, import_id=import_id)

        return self.guarded(ctx.diagnostics, ctx.type_name, None, exists)

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
