"""Create, read, update, delete and import for VIPs and real servers, driven by their field tables.

Both kinds are one implementation: a VIP and a real server differ in how they are named (a label,
or `VIP/RIP`), which lbcli actions carry their fields, and one deliberate difference in the
create, the named parameter `edit_after_add`:

- a VIP is created with `add-vip` alone, carrying only the fields the add takes (`on_add`: the
  address, ports and mode or protocol); only once the add answered success does `edit-vip` set
  every other planned value (the appliance's own defaults are then irrelevant: the plan shows
  exactly what is written);
- a real server is created with `add-rip` carrying every planned value at once.

An `add-*` that answers `exists` or fails ends the create: an object this apply did not create is
never edited, unless the create journal shows an earlier create of this provider made it (the
create protocol, `runtime.create`, which every create goes through). Update edits only what
changed; a field the API cannot set refuses a planned `true` (`encrypted` of a Layer 7 real
server) instead of silently keeping the old value.
Delete tolerates `missing` (a real server whose VIP is gone is gone too). The state after a write
is what was written, once every action answered success; the shared `list dumpconfig` is read
only for values the plan left unknown. Read comes from that shared `list dumpconfig`; an object
missing there leaves the state, so Terraform plans its re-creation.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, ClassVar

from tf.schema import Attribute
from tf.types import String, Unknown

from lborg_provider.client.envelope import Action
from lborg_provider.client.errors import ApplianceActionError, ApplianceProtocolError
from lborg_provider.client.redact import redact_text
from lborg_provider.model import normalize
from lborg_provider.model.choices import REAL_SERVER_STATE
from lborg_provider.model.config_view import find_real, find_virtual
from lborg_provider.model.fields import Field, UnreadableValue, keep_same_spelling
from lborg_provider.model.server_states import DEFAULT_DRAIN_SECONDS, MAX_DRAIN_SECONDS, state_to_record
from lborg_provider.model.tables import ObjectTable
from lborg_provider.resources.base import (
    Identity,
    InvalidInput,
    LborgResource,
    NewObject,
    State,
    is_known,
)
from lborg_provider.resources.planning import note_declared, note_planned, note_read
from lborg_provider.resources.schema_helpers import attribute_of, identifier, optional_plain
from lborg_provider.resources.state_number import Number
from lborg_provider.runtime.connection import NotConfigured
from lborg_provider.runtime.drains import drain_time
from lborg_provider.runtime.plan_ledger import ObjectKey, rip_key, vip_key
from lborg_provider.runtime.plugin_protocol import planned_private


class TableResource(LborgResource):
    """A VIP or real-server type; subclasses say how the object is named and which actions edit it."""

    table: ClassVar[ObjectTable]
    #: True: `add-*` carries the `on_add` fields and an edit the rest (VIPs); False: the add
    #: carries every field (real servers). See the module docstring.
    edit_after_add: ClassVar[bool]
    id_description: ClassVar[str]
    #: Attributes outside the field table (nothing of `list dumpconfig`): kept as planned.
    extra_attrs: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [identifier(cls.id_description)] + [attribute_of(f) for f in cls.table.fields]

    @classmethod
    def field(cls, attr: str) -> Field:
        return cls.table.field(attr)

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.table.fields

    @property
    def service(self) -> str:
        return self.table.service

    @property
    def layer(self) -> str:
        return self.table.layer

    # -- what each kind provides -----------------------------------------------------------------
    # Hooks alike in shape by design: each raises NotImplementedError until a kind of table defines it.
    def object_id(self, state: State) -> str:
        """The Terraform id (and import id) of the object `state` describes."""
        raise NotImplementedError

    def describe(self, state: State) -> str:
        """The object in words, for messages: "layer 7 VIP 'X'", "real server 'X/Y'"."""
        raise NotImplementedError

    def journal_key(self, state: State) -> str:
        raise NotImplementedError

    def ledger_key(self, config: State) -> ObjectKey | None:
        """The plan ledger's key of the object a configuration declares (None: not known yet)."""
        raise NotImplementedError

    # More of the hooks above (each its own question to a kind of table); alike in shape by design.
    def state_key(self, state: State) -> ObjectKey:
        """The plan ledger's key of the object a state records."""
        raise NotImplementedError

    def identity(self, state: State) -> Identity:
        """What makes the object the one a create sent."""
        raise NotImplementedError

    def found_on_appliance(self, state: State) -> State | None:
        """The object as the appliance has it now (None when it is not there)."""
        raise NotImplementedError

    def add_action(self, state: State, values: dict[str, Any]) -> Action:
        raise NotImplementedError

    def edit_action(self, state: State, values: dict[str, Any]) -> Action:
        raise NotImplementedError

    def delete_action(self, state: State) -> Action:
        raise NotImplementedError

    def follow_up_actions(self, current: State | None, planned: State) -> list[Action]:
        """Actions after the add or edit that are not field edits (a real server's state)."""
        return []

    def complete_read(self, ctx: Any, current: State, found: State) -> State:
        """`found` (the field table's values) completed with the attributes outside the table."""
        return found

    # -- validation and planning -----------------------------------------------------------------
    def check_config(self, config: State) -> list[tuple[str, str]]:
        """A value outside a field's closed set is refused before anything is planned."""
        problems = []
        for f in self.fields:
            message = f.refused(config.get(f.attr))
            if message is not None:
                problems.append((f.attr, message))
        return problems

    def plan(self, ctx: Any, current: State | None, planned: State) -> State:
        note_planned(self, self.service, self.fields, current, planned)
        return planned

    def note_declared(self, config: State) -> None:
        unset = frozenset(f.attr for f in self.fields if config.get(f.attr) is None)
        note_declared(self, self.ledger_key(config), self.service, unset)

    # -- read --------------------------------------------------------------------------------------
    def read(self, ctx: Any, current: State) -> State | None:
        def load() -> State | None:
            self.connection().journal.forget(self.journal_key(current))  # it is in state now
            found = self.found_on_appliance(current)
            note_read(self, self.state_key(current), self.fields, current, found)
            if found is None:
                return None
            return self.complete_read(ctx, current, keep_same_spelling(self.fields, current, found))

        return self.guarded(ctx.diagnostics, ctx.type_name, current, load)

    def read_fields(self, element: dict[str, Any], what: str, skip: tuple[str, ...] = ()) -> State:
        fields = tuple(f for f in self.fields if f.attr not in skip)
        return read_element(fields, element, self.connection().name, what)

    # -- writes ------------------------------------------------------------------------------------
    def _values(self, planned: State, attrs: list[Field]) -> dict[str, Any]:
        """The API's fields for the planned values of `attrs`; a `true` planned for a flag the API
        cannot set is refused (it could never be written)."""
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
        """The state once every write answered success: what was written, read back only for
        values the plan could not know (one shared read, whatever the number of resources)."""
        written = {**planned, "id": self.object_id(planned)}
        if not has_unknown(written):
            return written
        actual = self.found_on_appliance(planned)
        if actual is None:
            name = self.connection().name
            raise ApplianceProtocolError(
                name,
                f"appliance {name}: {self.describe(planned)} was written but is not in list dumpconfig "
                "afterwards",
            )
        merged = keep_planned(
            {k: v for k, v in written.items() if k not in self.extra_attrs},
            actual,
            lambda key, a, b: key == "id" or self.field(key).same(a, b),
        )
        return merged | {attr: written.get(attr) for attr in self.extra_attrs}

    def _edit(self, planned: State, values: dict[str, Any], follow_up: list[Action] | None = None) -> None:
        """The field edits, then the follow-up actions, in one request (every action runs); when
        the state after it must be read (`_after_write`), the request's batch reads it back."""
        actions = [self.edit_action(planned, values)] if values else []
        if actions or follow_up:
            self.connection().write(
                actions + list(follow_up or []),
                services=[self.service] if values else [],
                idempotent=True,
                read_back=has_unknown(planned),
            )

    def create(self, ctx: Any, planned: State) -> State | None:
        return self.create_object(ctx, lambda: self.new_object(planned))

    def new_object(self, planned: State) -> NewObject:
        """What creating the planned object takes (see the module docstring): the add with the
        fields it carries; for a VIP, the edit of the others once the add answered success."""
        settable = [f for f in self.fields if not f.replace]
        on_add = [f for f in settable if f.on_add] if self.edit_after_add else settable
        later = [f for f in settable if not f.on_add] if self.edit_after_add else []
        add = self.add_action(planned, self._values(planned, on_add))
        edit = self._values(planned, later)
        follow_up = self.follow_up_actions(None, planned)
        return NewObject(
            planned=planned,
            object_id=self.object_id(planned),
            what=self.describe(planned),
            add=add,
            service=self.service,
            journal_key=self.journal_key(planned),
            identity=self.identity(planned),
            find=lambda: self.found_on_appliance(planned),
            identity_of=self.identity,
            written=lambda: self._after_write(planned),
            after_add=lambda: self._edit(planned, edit, follow_up),
            take_over=lambda found: self._edit(
                planned, self._values(planned, self._differ(found, planned)), follow_up
            ),
            read_back_on_add=has_unknown(planned) and not edit and not follow_up,
        )

    def _differ(self, found: State, planned: State) -> list[Field]:
        """The fields an object taken over must be edited in: where it differs from the plan."""
        return [
            f for f in self.fields if not f.replace and not f.same(found.get(f.attr), planned.get(f.attr))
        ]

    def update(self, ctx: Any, current: State, planned: State) -> State | None:
        def apply() -> State:
            changed = [
                f
                for f in self.fields
                if not f.replace and not f.same(current.get(f.attr), planned.get(f.attr))
            ]
            self._edit(planned, self._values(planned, changed), self.follow_up_actions(current, planned))
            return self._after_write(planned)

        return self.guarded(ctx.diagnostics, ctx.type_name, current, apply)

    def delete(self, ctx: Any, current: State) -> State | None:
        def remove() -> None:
            self.connection().journal.forget(self.journal_key(current))
            try:
                self.connection().write(
                    [self.delete_action(current)], services=[self.service], idempotent=True
                )
            except ApplianceActionError as error:
                if error.status != "missing":  # already gone (for a real server: with its VIP)
                    raise

        return self.guarded(ctx.diagnostics, ctx.type_name, current, remove)


class VipResource(TableResource):
    """A Layer 7 or Layer 4 VIP; its id and import id are its label."""

    edit_after_add = True
    id_description = "The VIP's label (the same as `label`)."

    def _label(self, state: State) -> str:
        return str(state.get("label") or state.get("id"))

    def object_id(self, state: State) -> str:
        return self._label(state)

    def describe(self, state: State) -> str:
        return f"layer {self.layer} VIP '{self._label(state)}'"

    def journal_key(self, state: State) -> str:
        return f"vip:{self.layer}:{self._label(state)}"

    def ledger_key(self, config: State) -> ObjectKey | None:
        label = config.get("label")
        return vip_key(self.layer, label) if isinstance(label, str) else None

    def state_key(self, state: State) -> ObjectKey:
        return vip_key(self.layer, self._label(state))

    def identity(self, state: State) -> Identity:
        """What makes a VIP the one a create sent: its address and its set of ports."""
        return {
            "ip": normalize.address_text(state.get("ip")),
            "ports": normalize.ports_key(state.get("ports")),
        }

    def found_on_appliance(self, state: State) -> State | None:
        return self.state_from_appliance(self._label(state))

    def state_from_appliance(self, label: str) -> State | None:
        element = find_virtual(self.connection().config(), self.layer, label)
        if element is None:
            return None
        state: State = {"id": label}
        state.update(self.read_fields(element, f"layer {self.layer} VIP '{label}'"))
        state["label"] = label
        if state.get("check_port") is None:
            state["check_port"] = normalize.first_port(state.get("ports"))
        return state

    def plan_destroy(self, ctx: Any, current: State) -> bytes:
        """Terraform plans this VIP's delete: noted, so its real servers' deletes (planned just
        before, applied before it) do not drain them (`runtime.destroy_plans`)."""
        with contextlib.suppress(NotConfigured):
            self.connection().destroy_plans.vip_deleted(self.layer, self._label(current))
        return b""

    def add_action(self, state: State, values: dict[str, Any]) -> Action:
        return {"action": "add-vip", "layer": self.layer, "vip": state["label"], **values}

    def edit_action(self, state: State, values: dict[str, Any]) -> Action:
        return {"action": "edit-vip", "vip": state["label"], **values}

    def delete_action(self, state: State) -> Action:
        return {"action": "delete-vip", "vip": state["label"]}

    def import_(self, ctx: Any, id: str) -> State | None:
        label = id.strip()
        return self.import_found(
            ctx, label, lambda: self.state_from_appliance(label), f"layer {self.layer} VIP labelled '{label}'"
        )

    def plan(self, ctx: Any, current: State | None, planned: State) -> State:
        # A check port the appliance derives from the first port follows the ports when they change.
        if current is not None and "ports" in ctx.changed_fields and "check_port" not in ctx.changed_fields:
            derived = normalize.first_port(current.get("ports"))
            if current.get("check_port") == derived:
                planned["check_port"] = Unknown
        return super().plan(ctx, current, planned)


class RealServerResource(TableResource):
    """A real server of a Layer 7 or Layer 4 VIP; its id and import id are `VIP/RIP`."""

    edit_after_add = False
    id_description = "`VIP/RIP`: the VIP's label, a slash, the real server's label."
    extra_attrs = ("state", "drain_seconds")

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [*super().attributes(), state_attribute(), drain_seconds_attribute()]

    def check_config(self, config: State) -> list[tuple[str, str]]:
        problems = super().check_config(config)
        state = config.get("state")
        if isinstance(state, str):
            refused = REAL_SERVER_STATE.refused("state", state)
            if refused is not None:
                problems.append(("state", refused))
        seconds = config.get("drain_seconds")
        if (
            isinstance(seconds, int | float)
            and not isinstance(seconds, bool)
            and not 0 <= seconds <= MAX_DRAIN_SECONDS
        ):
            problems.append(
                ("drain_seconds", f"drain_seconds = {seconds:g} is not between 0 and {MAX_DRAIN_SECONDS}")
            )
        return problems

    # -- state: written with lbcli drain/halt/online, read where the appliance reports it ----------
    def _state_action(self, state: State, value: str) -> Action:
        return {"action": value, "vip": state["vip"], "rip": state["label"]}

    def follow_up_actions(self, current: State | None, planned: State) -> list[Action]:
        """The state action when the planned state differs (unset means online). For this VIP and
        real server only: never `services all`, which would reach every VIP with that label."""
        wanted = planned.get("state") or "online"
        had = (current.get("state") or "online") if current is not None else "online"
        return [self._state_action(planned, wanted)] if wanted != had else []

    def complete_read(self, ctx: Any, current: State, found: State) -> State:
        """The state as the appliance reports it (`model.server_states`); when it reports none,
        what this configuration last wrote, with a warning saying the provider cannot see it.
        `online` reads as unset when the state had it unset (unset means online)."""
        had = current.get("state")
        report = self.connection().server_states()
        key = (self.layer, str(found["vip"]), str(found["label"]))
        reported = None if report.states is None else report.states.get(key)
        if reported is None:
            why = report.why or f"its nodestatus does not list {self.describe(found)}"
            source = "what this configuration last wrote" if had else "unset means online"
            ctx.diagnostics.add_warning(
                f"{ctx.type_name}: appliance {self.connection().name} does not report real-server states",
                f"appliance {self.connection().name}: {why}. The state of {self.describe(found)} is taken "
                f"as {had or 'online'} ({source}), "
                "not read: a drain or halt made "
                "in the WebUI or through the API by hand is not seen. The vendor documents the drain, halt "
                "and online actions but no read of the state (docs/appliance-api.md).",
            )
        state = state_to_record(had, reported)
        ledger = self.ledger()
        if ledger is not None:  # what the commit's plan says if this plan removes the server
            ledger.drains_for(self.state_key(found), drain_time(state, current.get("drain_seconds")))
        return found | {"state": state, "drain_seconds": current.get("drain_seconds")}

    # -- delete: drained first, removed from the running service by the commit's reload ---------
    def plan_destroy(self, ctx: Any, current: State) -> bytes:
        """The private data of this delete's plan: which plan it is, so the delete can tell
        whether the same plan deletes the VIP too (`runtime.destroy_plans`)."""
        try:
            return self.connection().destroy_plans.private_data()
        except NotConfigured:
            return b""

    def _vip_goes_too(self, current: State) -> bool:
        """Whether the plan being applied deletes this server's VIP too (then the reload ends the
        VIP, and a drain would be an action for nothing)."""
        try:
            plans = self.connection().destroy_plans
        except NotConfigured:
            return False
        return plans.deletes_vip(planned_private(), self.layer, str(current["vip"]))

    def delete(self, ctx: Any, current: State) -> State | None:
        """A real server with `drain_seconds` > 0 (unless halted: nothing to drain) is drained with
        lbcli `drain`, then deleted from the pending configuration; the running service keeps it,
        draining, until `lborg_commit` reloads once its drain has run (`runtime.drains`). One whose
        VIP the same plan deletes is deleted at once: the reload ends its VIP anyway."""
        seconds = drain_time(current.get("state"), current.get("drain_seconds"))
        if seconds <= 0 or self._vip_goes_too(current):
            return super().delete(ctx, current)

        def drain_first() -> bool:
            connection = self.connection()
            drain = self._state_action(current, "drain")
            result = connection.submit([drain], idempotent=True)[0]
            if result.ok:
                connection.drains.started(self.layer, str(current["vip"]), str(current["label"]), seconds)
            elif result.status != "missing":  # missing: already gone, with its VIP or by hand
                from lborg_provider.client.api import action_label

                raise ApplianceActionError(
                    connection.name, "drain", action_label(drain), result.status, result.message
                )
            return True

        if self.guarded(ctx.diagnostics, ctx.type_name, False, drain_first):
            return super().delete(ctx, current)
        return current

    def object_id(self, state: State) -> str:
        return f"{state['vip']}/{state['label']}"

    def describe(self, state: State) -> str:
        return f"real server '{self.object_id(state)}'"

    def journal_key(self, state: State) -> str:
        return f"rip:{self.layer}:{state['vip']}/{state['label']}"

    def ledger_key(self, config: State) -> ObjectKey | None:
        vip, label = config.get("vip"), config.get("label")
        if isinstance(vip, str) and isinstance(label, str):
            return rip_key(self.layer, vip, label)
        return None

    def state_key(self, state: State) -> ObjectKey:
        return rip_key(self.layer, str(state["vip"]), str(state["label"]))

    def identity(self, state: State) -> Identity:
        """What makes a real server the one a create sent: its address."""
        return {"ip": normalize.address_text(state.get("ip"))}

    def found_on_appliance(self, state: State) -> State | None:
        return self.state_from_appliance(str(state["vip"]), str(state["label"]))

    def state_from_appliance(self, vip: str, label: str) -> State | None:
        virtual = find_virtual(self.connection().config(), self.layer, vip)
        if virtual is None:
            return None
        real = find_real(virtual, label)
        if real is None:
            return None
        state: State = {"id": f"{vip}/{label}", "vip": vip, "label": label}
        state.update(self.read_fields(real, f"real server '{vip}/{label}'", skip=("vip", "label")))
        if state.get("port") is None:
            state["port"] = normalize.first_port(virtual.get("ports"))
        return state

    def add_action(self, state: State, values: dict[str, Any]) -> Action:
        return {"action": "add-rip", "vip": state["vip"], "rip": state["label"], **values}

    def edit_action(self, state: State, values: dict[str, Any]) -> Action:
        return {"action": "edit-rip", "vip": state["vip"], "rip": state["label"], **values}

    def delete_action(self, state: State) -> Action:
        return {"action": "delete-rip", "vip": state["vip"], "rip": state["label"]}

    def import_(self, ctx: Any, id: str) -> State | None:
        vip, sep, label = id.strip().partition("/")
        if not sep or not vip or not label:
            ctx.diagnostics.add_error(
                f"{ctx.type_name}: cannot import '{id}'",
                "expected VIP/RIP, for example MGMT_HTTPS-443/EAS_SSS-1",
            )
            return None

        def load() -> State | None:
            found = self.state_from_appliance(vip, label)
            return None if found is None else self.complete_read(ctx, {}, found)

        return self.import_found(ctx, id, load, f"real server '{label}' in layer {self.layer} VIP '{vip}'")


def state_attribute() -> Attribute:
    return optional_plain(
        "state",
        String(),
        f"The real server's state: {REAL_SERVER_STATE.listing()}. Unset means `online`. `drain`: no new "
        "connections (clients with persistence may still reach it), established ones continue; `halt`: "
        "out of service. Written with the lbcli actions of the same names for this VIP and real server "
        "only (never `services all`); they act on the running service at once, with no reload. Read back "
        "from the appliance where it reports states (see docs/appliance-api.md); where it does not, the "
        "provider warns that it cannot see them and keeps what it last wrote.",
    )


def drain_seconds_attribute() -> Attribute:
    return optional_plain(
        "drain_seconds",
        Number(),
        "How long a real server that leaves the configuration is kept draining before it is removed, "
        f"0-{MAX_DRAIN_SECONDS} seconds. Unset: {DEFAULT_DRAIN_SECONDS} s, long enough for requests in "
        "flight and short exchanges to finish and for clients without persistence to move to the other "
        "servers (the grace period Kubernetes gives a terminating pod); long-lived or sticky sessions need "
        "a time chosen for the application. `0` deletes at once, as before. The delete sends lbcli `drain` "
        "and then `delete-rip`; `lborg_commit` waits until the drain has run before the reload that "
        "removes the server from the running service, once for every server removed in the same apply "
        "(they drain at the same time). A halted server is not drained. An apply stopped while it waits "
        "converges on the next one, which waits what is left.",
    )


def has_unknown(state: State) -> bool:
    return any(value is Unknown for value in state.values())


def keep_planned(planned: State, actual: State, equal: Callable[[str, Any, Any], bool]) -> State:
    """The state after a write: what the appliance reports, keeping the planned spelling of values
    that mean the same (so Terraform sees exactly what it planned)."""
    merged = dict(actual)
    for key, value in planned.items():
        if key in merged and is_known(value) and equal(key, value, merged[key]):
            merged[key] = value
    return merged


def read_element(
    fields: tuple[Field, ...], element: dict[str, Any], appliance: str, what: str
) -> dict[str, Any]:
    """Every field's value from one element, or one error naming the appliance, element and value."""
    values: dict[str, Any] = {}
    for f in fields:
        try:
            values[f.attr] = f.checked_from_appliance(element)
        except UnreadableValue as error:
            raise ApplianceProtocolError(
                appliance,
                f"appliance {appliance}: list dumpconfig: {what}: {redact_text(str(error))}; the provider "
                "does not guess, so nothing was read and the resource stays in state unchanged",
            ) from None
    return values
