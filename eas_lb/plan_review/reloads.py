"""How many service reloads an apply causes, read from the ``lborg_commit`` changes.

Each appliance has one ``lborg_commit`` whose ``triggers`` map holds a digest per service
(``haproxy``, ``ldirectord``, ``heartbeat``). Creating it reloads every service it names; an
update reloads the services whose digest changed. An update with unchanged triggers is planned
by the provider when configuration drifted on the appliance; then every service it names is
counted, since the plan does not say which one drifted (an upper bound, said in the text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eas_lb.plan_review.changes import Action, Hidden, ResourceChange

SERVICES = ("haproxy", "ldirectord", "heartbeat")


@dataclass(frozen=True)
class Reloads:
    """The services one appliance's apply reloads."""

    stack: str
    appliance: str
    services: tuple[str, ...]
    drift_repair: bool

    def describe(self) -> str:
        """``haproxy, ldirectord`` plus a note when the list is an upper bound."""
        text = ", ".join(self.services)
        return f"{text} (up to; repairs drift)" if self.drift_repair else text


def _triggers(values: Any) -> dict[str, Any]:
    triggers = values.get("triggers") if isinstance(values, dict) else None
    return dict(triggers) if isinstance(triggers, dict) else {}


def _ordered(services: set[str]) -> tuple[str, ...]:
    known = [name for name in SERVICES if name in services]
    return tuple(known + sorted(services - set(SERVICES)))


def reloads_of(change: ResourceChange) -> Reloads | None:
    """The reloads one ``lborg_commit`` change causes, or None when it causes none."""
    if change.resource_type != "lborg_commit" or change.action in (Action.DELETE, Action.FORGET):
        return None
    after = _triggers(change.after)
    drift_repair = False
    if change.action in (Action.CREATE, Action.REPLACE):
        services = set(after)
    elif change.action is Action.UPDATE:
        before = _triggers(change.before)
        services = {
            name for name, digest in after.items() if before.get(name) != digest or digest is Hidden.UNKNOWN
        }
        if not services:
            services, drift_repair = set(after), True
    else:
        return None
    if not services:
        return None
    return Reloads(change.stack, change.appliance.name, _ordered(services), drift_repair)


def reloads(changes: list[ResourceChange]) -> list[Reloads]:
    """Reloads per appliance, sorted by stack and appliance."""
    found = [item for item in (reloads_of(change) for change in changes) if item is not None]
    return sorted(found, key=lambda r: (r.stack, r.appliance))
