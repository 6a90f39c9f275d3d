"""The configuration resources' notes to the plan ledger (see `lborg_provider.runtime.plan_ledger`).

Each note is best effort: a provider block that is not configured yet (Terraform's validation
process) has no ledger, and then nothing is noted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lborg_provider.runtime.plan_ledger import ObjectKey

if TYPE_CHECKING:
    from lborg_provider.model.fields import Field
    from lborg_provider.resources.base import LborgResource, State


def note_declared(
    resource: LborgResource, key: ObjectKey | None, service: str, unset: frozenset[str] = frozenset()
) -> None:
    ledger = resource.ledger()
    if ledger is not None:
        ledger.declare(key, service, unset)


def note_read(
    resource: LborgResource,
    key: ObjectKey,
    fields: tuple[Field, ...],
    current: State,
    found: State | None,
) -> None:
    """A refresh of `key`: `changed` when the appliance no longer matches the state."""
    ledger = resource.ledger()
    if ledger is None:
        return
    differences = (
        {}
        if found is None
        else {
            f.attr: (_shown(current.get(f.attr)), _shown(found.get(f.attr)))
            for f in fields
            if f.attr in found and not f.same(current.get(f.attr), found.get(f.attr))
        }
    )
    ledger.read(key, changed=found is None or bool(differences), differences=differences)


def _shown(value: object) -> str:
    """A value as a warning shows it: numbers without `.0`, text as it is."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return "(unset)" if value is None else str(value)


def note_planned(
    resource: LborgResource,
    service: str,
    fields: tuple[Field, ...],
    current: State | None,
    planned: State,
) -> None:
    """An update (or replacement) that writes to `service`: any field whose meaning changes."""
    if current is None:
        return
    if any(not f.same(current.get(f.attr), planned.get(f.attr)) for f in fields):
        ledger = resource.ledger()
        if ledger is not None:
            ledger.plan(service)
