"""Create, read, update, delete and import for real servers (RIPs) of Layer 7 and Layer 4 VIPs.

The id is `VIP/RIP` (label of the VIP, slash, label of the real server), which is also what
`terraform import` takes. A real server missing on the appliance, or whose VIP is gone, leaves the
state so Terraform plans its re-creation. The state after a write is what was written once the
appliance answered success (read back only for values the plan left unknown, such as a Layer 4
port taken from the VIP).
"""

from __future__ import annotations

from typing import Any, ClassVar

from tf.schema import Attribute

from lborg_provider import normalize
from lborg_provider.client.errors import ApplianceActionError, ApplianceProtocolError
from lborg_provider.config_view import find_real, find_virtual
from lborg_provider.journal import Identity
from lborg_provider.plan_ledger import rip_key
from lborg_provider.resources.base import (
    InvalidInput,
    State,
    has_unknown,
    is_known,
    keep_planned,
    report,
)
from lborg_provider.resources.fields import Field, keep_same_spelling, read_element
from lborg_provider.resources.journalled import JournalledObject
from lborg_provider.resources.planning import note_declared, note_planned, note_read
from lborg_provider.schema_helpers import identifier


class RipResource(JournalledObject):
    layer: ClassVar[str]
    service: ClassVar[str]
    fields: ClassVar[tuple[Field, ...]]

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [identifier("`VIP/RIP`: the VIP's label, a slash, the real server's label.")] + [
            f.attribute() for f in cls.fields
        ]

    @classmethod
    def field(cls, attr: str) -> Field:
        return next(f for f in cls.fields if f.attr == attr)

    def state_from_appliance(self, vip: str, label: str) -> State | None:
        virtual = find_virtual(self.appliance().config(), self.layer, vip)
        if virtual is None:
            return None
        real = find_real(virtual, label)
        if real is None:
            return None
        state: State = {"id": f"{vip}/{label}", "vip": vip, "label": label}
        readable = tuple(f for f in self.fields if f.attr not in ("vip", "label"))
        name = self.appliance().name
        state.update(read_element(readable, real, name, f"real server '{vip}/{label}'"))
        if state.get("port") is None:
            state["port"] = normalize.first_port(virtual.get("ports"))
        return state

    def read(self, ctx: Any, current: State) -> State | None:
        vip, label = str(current["vip"]), str(current["label"])

        def load() -> State | None:
            self.appliance().journal.forget(self.journal_key(vip, label))  # it is in state now
            found = self.state_from_appliance(vip, label)
            note_read(self, rip_key(self.layer, vip, label), self.fields, current, found)
            return None if found is None else keep_same_spelling(self.fields, current, found)

        return self.guarded(ctx.diagnostics, ctx.type_name, current, load)

    def plan(self, ctx: Any, current: State | None, planned: State) -> State:
        note_planned(self, self.service, self.fields, current, planned)
        return planned

    def note_declared(self, config: State) -> None:
        vip, label = config.get("vip"), config.get("label")
        known = isinstance(vip, str) and isinstance(label, str)
        note_declared(self, rip_key(self.layer, str(vip), str(label)) if known else None, self.service)

    def import_(self, ctx: Any, id: str) -> State | None:
        vip, sep, label = id.strip().partition("/")
        if not sep or not vip or not label:
            ctx.diagnostics.add_error(
                f"{ctx.type_name}: cannot import '{id}'",
                "expected VIP/RIP, for example MGMT_HTTPS-443/EAS_SSS-1",
            )
            return None

        return self.import_found(
            ctx,
            id,
            lambda: self.state_from_appliance(vip, label),
            f"real server '{label}' in layer {self.layer} VIP '{vip}'",
        )

    def _values(self, planned: State, attrs: list[Field]) -> dict[str, Any]:
        for f in attrs:
            if f.api is None and f.kind == "flag" and planned.get(f.attr) is True:
                raise InvalidInput(
                    f.attr,
                    f"{f.attr} = true cannot be set: the API's add-rip/edit-rip actions have no field for it",
                )
        return {
            f.api: normalize.api_value(planned[f.attr])
            for f in attrs
            if f.api is not None and is_known(planned.get(f.attr))
        }

    def _after_write(self, planned: State) -> State:
        vip, label = str(planned["vip"]), str(planned["label"])
        written = {**planned, "id": f"{vip}/{label}"}
        if not has_unknown(written):
            return written
        actual = self.state_from_appliance(vip, label)
        if actual is None:
            name = self.appliance().name
            raise ApplianceProtocolError(
                name,
                f"appliance {name}: real server '{vip}/{label}' was written but is not in list dumpconfig",
            )
        return keep_planned(written, actual, lambda key, a, b: key == "id" or self.field(key).same(a, b))

    def journal_key(self, vip: str, label: str) -> str:
        return f"rip:{self.layer}:{vip}/{label}"

    def identity(self, state: State | None) -> Identity | None:
        """What makes a real server the one a create sent: its address."""
        return None if state is None else {"ip": normalize.address_text(state.get("ip"))}

    def create(self, ctx: Any, planned: State) -> State | None:
        vip, label = str(planned["vip"]), str(planned["label"])
        try:
            values = self._values(planned, [f for f in self.fields if f.attr not in ("vip", "label")])
        except InvalidInput as error:
            report(ctx.diagnostics, error, ctx.type_name)
            return None
        add = {"action": "add-rip", "vip": vip, "rip": label, **values}
        key = self.journal_key(vip, label)
        sent = self.journalled_add(ctx, add, key, self.identity(planned) or {}, self.service)
        if sent is None:
            return None
        added, earlier = sent
        if not added.ok:
            if added.status == "exists":
                return self.take_over(ctx, planned, add, added, earlier)
            return self.add_refused(ctx, planned, add, added)
        return self.finish_create(ctx, planned)

    # -- what the shared create steps need (journalled.py) ----------------------------------------
    def object_id(self, state: State) -> str:
        return f"{state['vip']}/{state['label']}"

    def describe(self, state: State) -> str:
        return f"real server '{self.object_id(state)}'"

    def found_on_appliance(self, state: State) -> State | None:
        return self.state_from_appliance(str(state["vip"]), str(state["label"]))

    def edit_action(self, state: State, values: dict[str, Any]) -> dict[str, Any]:
        return {"action": "edit-rip", "vip": state["vip"], "rip": state["label"], **values}

    def update(self, ctx: Any, current: State, planned: State) -> State | None:
        def apply() -> State:
            changed = [
                f
                for f in self.fields
                if not f.replace and not f.same(current.get(f.attr), planned.get(f.attr))
            ]
            values = self._values(planned, changed)
            if values:
                self.appliance().write(
                    [{"action": "edit-rip", "vip": planned["vip"], "rip": planned["label"], **values}],
                    services=[self.service],
                    idempotent=True,
                )
            return self._after_write(planned)

        return self.guarded(ctx.diagnostics, ctx.type_name, current, apply)

    def delete(self, ctx: Any, current: State) -> State | None:
        def remove() -> None:
            self.appliance().journal.forget(self.journal_key(str(current["vip"]), str(current["label"])))
            try:
                self.appliance().write(
                    [{"action": "delete-rip", "vip": current["vip"], "rip": current["label"]}],
                    services=[self.service],
                    idempotent=True,
                )
            except ApplianceActionError as error:
                if error.status != "missing":  # the VIP (and with it this RIP) is already gone
                    raise

        return self.guarded(ctx.diagnostics, ctx.type_name, current, remove)


def identity_fields(kind: str) -> tuple[Field, Field, Field]:
    return (
        Field(
            "vip",
            None,
            ("vip",),
            "text",
            f"Label of the {kind} VIP this real server belongs to. Changing it replaces the real server.",
            is_required=True,
            replace=True,
        ),
        Field(
            "label",
            None,
            ("label",),
            "text",
            "The real server's label (for example `EAS_SSS-1`). The API cannot rename it, so a change "
            "replaces the real server.",
            is_required=True,
            replace=True,
        ),
        Field("ip", "ip", ("server",), "text", "The real server's IP address.", is_required=True),
    )


def weight_fields() -> tuple[Field, Field, Field]:
    return (
        Field(
            "weight",
            "weight",
            ("weight",),
            "number",
            "Scheduling weight, 0-256 (0 takes it out).",
            default=100,
        ),
        Field(
            "minconns",
            "minconns",
            ("minconns",),
            "number",
            "Minimum connections before another real server is used (0 = no minimum).",
            default=0,
        ),
        Field(
            "maxconns",
            "maxconns",
            ("maxconns",),
            "number",
            "Maximum connections to this real server (0 = unlimited).",
            default=0,
        ),
    )
