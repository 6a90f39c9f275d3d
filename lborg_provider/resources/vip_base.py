"""Create, read, update, delete and import for Layer 7 and Layer 4 VIPs, driven by field tables.

create = `add-vip` alone (batched with other resources' writes), then, only once the add answered
success, `edit-vip` for every other planned value (the appliance's own defaults are then
irrelevant: the plan shows exactly what is written). An `add-vip` that answers `exists` or fails
ends the create: a VIP this apply did not create is never edited. Update edits only what changed.
The state after a write is what was written, once every action answered success; the shared
`list dumpconfig` is read only for values the plan left unknown. Read comes from that shared
`list dumpconfig`; a VIP missing there leaves the state, so Terraform plans its re-creation.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tf.schema import Attribute
from tf.types import Unknown

from lborg_provider import normalize
from lborg_provider.client.errors import ApplianceActionError, ApplianceProtocolError
from lborg_provider.config_view import find_virtual
from lborg_provider.journal import Identity
from lborg_provider.plan_ledger import vip_key
from lborg_provider.resources.base import (
    State,
    has_unknown,
    is_known,
    keep_planned,
    recorded_anyway,
    report,
)
from lborg_provider.resources.fields import Field, keep_same_spelling, read_element
from lborg_provider.resources.journalled import JournalledObject
from lborg_provider.resources.planning import note_declared, note_planned, note_read
from lborg_provider.schema_helpers import identifier


class VipResource(JournalledObject):
    layer: ClassVar[str]
    service: ClassVar[str]
    fields: ClassVar[tuple[Field, ...]]

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [identifier("The VIP's label (the same as `label`).")] + [f.attribute() for f in cls.fields]

    @classmethod
    def field(cls, attr: str) -> Field:
        return next(f for f in cls.fields if f.attr == attr)

    # -- read --------------------------------------------------------------------------------
    def state_from_appliance(self, label: str) -> State | None:
        appliance = self.appliance()
        element = find_virtual(appliance.config(), self.layer, label)
        if element is None:
            return None
        state: State = {"id": label}
        state.update(read_element(self.fields, element, appliance.name, f"layer {self.layer} VIP '{label}'"))
        state["label"] = label
        if state.get("check_port") is None:
            state["check_port"] = normalize.first_port(state.get("ports"))
        return state

    def read(self, ctx: Any, current: State) -> State | None:
        label = str(current.get("label") or current.get("id"))

        def load() -> State | None:
            self.appliance().journal.forget(self.journal_key(label))  # it is in state now
            found = self.state_from_appliance(label)
            note_read(self, vip_key(self.layer, label), self.fields, current, found)
            return None if found is None else keep_same_spelling(self.fields, current, found)

        return self.guarded(ctx.diagnostics, ctx.type_name, current, load)

    def import_(self, ctx: Any, id: str) -> State | None:
        label = id.strip()

        return self.import_found(
            ctx,
            label,
            lambda: self.state_from_appliance(label),
            f"layer {self.layer} VIP labelled '{label}'",
        )

    # -- writes ------------------------------------------------------------------------------
    def _after_write(self, planned: State) -> State:
        """The state once every write answered success: what was written, read back only for
        values the plan could not know (one shared read, whatever the number of resources)."""
        label = str(planned["label"])
        written = {**planned, "id": label}
        if not has_unknown(written):
            return written
        actual = self.state_from_appliance(label)
        if actual is None:
            appliance = self.appliance()
            raise ApplianceProtocolError(
                appliance.name,
                f"appliance {appliance.name}: layer {self.layer} VIP '{label}' was written but is not in "
                "list dumpconfig afterwards",
            )
        return keep_planned(written, actual, lambda key, a, b: key == "id" or self.field(key).same(a, b))

    def _values(self, planned: State, attrs: list[Field]) -> dict[str, Any]:
        return {
            f.api: normalize.api_value(planned[f.attr])
            for f in attrs
            if f.api is not None and is_known(planned.get(f.attr))
        }

    def journal_key(self, label: str) -> str:
        return f"vip:{self.layer}:{label}"

    def identity(self, state: State | None) -> Identity | None:
        """What makes a VIP the one a create sent: its address and its set of ports."""
        if state is None:
            return None
        return {
            "ip": normalize.address_text(state.get("ip")),
            "ports": normalize.ports_key(state.get("ports")),
        }

    def create(self, ctx: Any, planned: State) -> State | None:
        label = str(planned["label"])
        add: dict[str, Any] = {"action": "add-vip", "layer": self.layer, "vip": label}
        add.update(self._values(planned, [f for f in self.fields if f.on_add]))
        edit: dict[str, Any] = {"action": "edit-vip", "vip": label}
        edit.update(self._values(planned, [f for f in self.fields if not f.on_add]))
        key = self.journal_key(label)
        sent = self.journalled_add(ctx, add, key, self.identity(planned) or {}, self.service)
        if sent is None:
            return None
        added, earlier = sent
        if not added.ok:
            if added.status == "exists":
                return self.take_over(ctx, planned, add, added, earlier)
            return self.add_refused(ctx, planned, add, added)
        try:
            if len(edit) > 2:
                self.appliance().write([edit], services=[self.service], idempotent=True)
        except Exception as error:
            report(ctx.diagnostics, error, ctx.type_name)
            # This apply created the VIP but could not finish it: record it, so Terraform (which
            # marks a failed create tainted) replaces it on the next apply instead of losing it.
            return recorded_anyway(planned, label)
        return self.finish_create(ctx, planned)

    # -- what the shared create steps need (journalled.py) ----------------------------------------
    def object_id(self, state: State) -> str:
        return str(state["label"])

    def describe(self, state: State) -> str:
        return f"layer {self.layer} VIP '{state['label']}'"

    def found_on_appliance(self, state: State) -> State | None:
        return self.state_from_appliance(str(state["label"]))

    def edit_action(self, state: State, values: dict[str, Any]) -> dict[str, Any]:
        return {"action": "edit-vip", "vip": state["label"], **values}

    def update(self, ctx: Any, current: State, planned: State) -> State | None:
        changed = [
            f
            for f in self.fields
            if f.api is not None and not f.replace and not f.same(current.get(f.attr), planned.get(f.attr))
        ]
        values = self._values(planned, changed)

        def apply() -> State:
            if values:
                self.appliance().write(
                    [{"action": "edit-vip", "vip": planned["label"], **values}],
                    services=[self.service],
                    idempotent=True,
                )
            return self._after_write(planned)

        return self.guarded(ctx.diagnostics, ctx.type_name, current, apply)

    def delete(self, ctx: Any, current: State) -> State | None:
        def remove() -> None:
            self.appliance().journal.forget(self.journal_key(str(current["label"])))
            try:
                self.appliance().write(
                    [{"action": "delete-vip", "vip": current["label"]}],
                    services=[self.service],
                    idempotent=True,
                )
            except ApplianceActionError as error:
                if error.status != "missing":
                    raise

        return self.guarded(ctx.diagnostics, ctx.type_name, current, remove)

    def plan(self, ctx: Any, current: State | None, planned: State) -> State:
        # A check port the appliance derives from the first port follows the ports when they change.
        if current is not None and "ports" in ctx.changed_fields and "check_port" not in ctx.changed_fields:
            derived = normalize.first_port(current.get("ports"))
            if current.get("check_port") == derived:
                planned["check_port"] = Unknown
        note_planned(self, self.service, self.fields, current, planned)
        return planned

    def note_declared(self, config: State) -> None:
        label = config.get("label")
        key = vip_key(self.layer, label) if isinstance(label, str) else None
        note_declared(self, key, self.service)


def label_attribute(kind: str) -> Field:
    return Field(
        "label",
        None,
        ("label",),
        "text",
        f"The {kind} VIP's label on the appliance (for example `MGMT_HTTPS-443`). The API cannot rename a "
        "VIP, so changing it replaces the VIP (and its real servers).",
        is_required=True,
        replace=True,
    )


def address_fields(kind: str) -> tuple[Field, Field]:
    return (
        Field(
            "ip",
            "ip",
            ("server",),
            "text",
            f"The {kind} VIP's IP address (IPv4 or IPv6). On an HA pair it becomes a floating IP.",
            is_required=True,
            on_add=True,
        ),
        Field(
            "ports",
            "ports",
            ("ports",),
            "ports",
            "The port or ports the VIP listens on, as text: `443`, `80,443` (or the lbcli help's "
            "`80:443`), a range `8000-8010`, or a mix. Compared as a set of ports.",
            is_required=True,
            on_add=True,
        ),
    )


def check_port_field() -> Field:
    return Field(
        "check_port",
        "check_port",
        ("check", "port"),
        "number",
        "The port health checks connect to. Default: the VIP's first port.",
        other_paths=(("service", "check", "port"),),
    )
