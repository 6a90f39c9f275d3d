"""What every lborg resource shares: schema plumbing, config validation, error handling, and the
one door to the create protocol (`create_object`).


`tf` defines resources as protocols; the classes here satisfy them structurally (tf calls
`create`, `read`, `update`, `delete`, `plan`, `validate`, `upgrade` and `import_` by name), which
keeps mypy strict happy without subclassing an untyped base.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tf.types import Unknown

from lborg_provider.client.errors import ApplianceError
from lborg_provider.resources.schema_owner import SchemaOwner
from lborg_provider.runtime.connection import NotConfigured
from lborg_provider.runtime.create import Identity as Identity
from lborg_provider.runtime.create import NewObject as NewObject
from lborg_provider.runtime.create import NotCreated, create_object
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
    elif isinstance(error, NotCreated):
        diags.add_error(f"{type_name}: {error.summary}", str(error))
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
        return {name: old.get(name) for name in self.attribute_names()}

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

    def create_object(self, ctx: Any, new_object: Callable[[], NewObject]) -> State | None:
        """The one way a resource creates an object on the appliance: the runtime's create protocol
        (`runtime.create`: journal, add, then finish, take-over or refusal with the import
        command), its outcome as Terraform diagnostics. `new_object` says what to create; an
        `InvalidInput` it raises is reported before anything is sent."""
        created = self.guarded(
            ctx.diagnostics, ctx.type_name, None, lambda: create_object(self.connection(), new_object())
        )
        if created is None:
            return None
        if created.warning is not None:
            summary, detail = created.warning
            ctx.diagnostics.add_warning(f"{ctx.type_name}: {summary}", detail)
        if created.error is not None:
            report(ctx.diagnostics, created.error, ctx.type_name)
        return created.state
