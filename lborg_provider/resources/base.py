"""What every lborg resource shares: schema plumbing, config validation and error handling.

`tf` defines resources as protocols; the classes here satisfy them structurally (tf calls
`create`, `read`, `update`, `delete`, `plan`, `validate`, `upgrade` and `import_` by name), which
keeps mypy strict happy without subclassing an untyped base.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tf.types import Unknown

from lborg_provider.client.envelope import Action, ActionResult
from lborg_provider.client.errors import ApplianceActionError, ApplianceError, ApplianceProtocolError
from lborg_provider.client.redact import redact_text
from lborg_provider.model.fields import Field, UnreadableValue
from lborg_provider.resources.schema_owner import SchemaOwner
from lborg_provider.runtime import create_journal
from lborg_provider.runtime.connection import NotConfigured
from lborg_provider.runtime.create_journal import Identity, JournalError, Sent
from lborg_provider.runtime.plan_ledger import PlanLedger

State = dict[str, Any]
T = TypeVar("T")


class InvalidInput(Exception):
    """A planned value the appliance cannot take; `attribute` names it."""

    def __init__(self, attribute: str, message: str) -> None:
        super().__init__(message)
        self.attribute = attribute


def is_known(value: Any) -> bool:
    return value is not None and value is not Unknown


def report(diags: Any, error: Exception, type_name: str) -> None:
    """Turn a failure into one Terraform diagnostic with a summary and the appliance's message."""
    if isinstance(error, ApplianceError):
        diags.add_error(f"{type_name}: {error.summary}", str(error))
    elif isinstance(error, InvalidInput):
        diags.add_error(f"{type_name}: invalid {error.attribute}", str(error), path=[error.attribute])
    elif isinstance(error, NotConfigured):
        diags.add_error(f"{type_name}: provider not configured", str(error))
    else:
        raise error


class LborgResource(SchemaOwner):
    """Base of every resource type; subclasses define `type_suffix`, `description`, `attributes()`."""

    # -- tf hooks with defaults --------------------------------------------------------------
    def validate(self, diags: Any, type_name: str, config: State) -> None:
        super().validate(diags, type_name, config)
        problems = self.check_config(config)
        for attribute, message in problems:
            diags.add_error(f"{type_name}: invalid {attribute}", message, path=[attribute])
        if not problems:
            self.note_declared(config)

    def note_declared(self, config: State) -> None:
        """Tell the appliance's plan ledger what this configuration declares; Terraform validates a
        resource's configuration again right before planning it, also for a create (which the
        framework plans without calling `plan`). Only configuration resources override this."""

    def ledger(self) -> PlanLedger | None:
        """The appliance's plan ledger; None while the provider block is not configured (Terraform
        validates configuration in a process of its own before it configures the provider)."""
        try:
            return self.connection().ledger
        except NotConfigured:
            return None

    def check_config(self, config: State) -> list[tuple[str, str]]:
        """Problems visible without the appliance, as (attribute, message); override per type."""
        return []

    def plan(self, ctx: Any, current: State | None, planned: State) -> State:
        return planned

    def upgrade(self, ctx: Any, version: int, old: State) -> State:
        """A state written before an attribute existed gets it as null (Terraform needs every
        attribute of the schema), so adding a computed attribute needs no schema version."""
        names = [attribute.name for attribute in self.attributes()]
        return {name: old.get(name) for name in names}

    # -- shared helpers ----------------------------------------------------------------------
    def guarded(
        self, diags: Any, type_name: str, fallback: T | None, action: Callable[[], T | None]
    ) -> T | None:
        """Run `action`; an appliance failure becomes a diagnostic and `fallback` is returned."""
        try:
            return action()
        except (ApplianceError, InvalidInput, NotConfigured) as error:
            report(diags, error, type_name)
            return fallback

    def import_found(
        self, ctx: Any, shown_id: str, load: Callable[[], State | None], missing: str
    ) -> State | None:
        """Import what `load` finds; nothing found is one diagnostic, "appliance X has no <missing>"."""

        def attempt() -> State | None:
            state = load()
            if state is None:
                ctx.diagnostics.add_error(
                    f"{ctx.type_name}: cannot import '{shown_id}'",
                    f"appliance {self.connection().name} has no {missing}",
                )
            return state

        return self.guarded(ctx.diagnostics, ctx.type_name, None, attempt)

    def add_refused(
        self, ctx: Any, planned: State, add: Action, result: ActionResult, import_id: str = ""
    ) -> State | None:
        """An `add-*` answered something other than success: nothing was created by this apply.

        The appliance's answer is reported for this resource alone; no edit follows, so an object
        that already existed (`exists`) and that no earlier create of this provider made (see
        `runtime.create_journal`) is never changed by a create. The message then says how to bring
        it under Terraform. Returning None leaves the resource out of state.
        """
        from lborg_provider.client.api import action_label

        connection = self.connection()
        error = ApplianceActionError(
            connection.name, str(add.get("action")), action_label(add), result.status, result.message
        )
        if result.status == "exists" and import_id:
            ctx.diagnostics.add_error(
                f"{ctx.type_name}: appliance {connection.name} already has '{import_id}', made outside "
                "this configuration",
                create_journal.refused_exists_detail(str(error), connection.journal.path, import_id),
            )
            return None
        report(ctx.diagnostics, error, ctx.type_name)
        return None

    def journalled_add(
        self, ctx: Any, add: Action, key: str, identity: Identity, service: str
    ) -> Sent | None:
        """`create_journal.send_add`, with its failures as diagnostics: None when the add was not
        sent or not answered (the entry then stays, so the next apply can take the object over)."""
        try:
            return create_journal.send_add(self.connection(), add, key, identity, service)
        except JournalError as error:
            ctx.diagnostics.add_error(f"{ctx.type_name}: create journal not writable", str(error))
            return None
        except Exception as error:
            report(ctx.diagnostics, error, ctx.type_name)
            return None

    def warn_taken_over(self, ctx: Any, what: str) -> None:
        summary, detail = create_journal.taken_over_warning(ctx.type_name, what, self.connection().name)
        ctx.diagnostics.add_warning(summary, detail)


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


def recorded_anyway(planned: State, object_id: str) -> State:
    """The state of an object this apply created but could not finish or read back: recorded, with
    unknown values as null, so Terraform (which marks a failed create tainted) replaces it on the
    next apply instead of losing track of it."""
    return {key: None if value is Unknown else value for key, value in planned.items()} | {"id": object_id}


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
