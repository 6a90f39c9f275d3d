"""How many service reloads an apply causes, read from the ``lborg_commit`` changes.

Each appliance has one ``lborg_commit`` whose ``triggers`` map holds a digest per service
(``haproxy``, ``ldirectord``, ``heartbeat``). Creating it reloads every service it names (all
three without triggers); an update reloads the services whose trigger digest changed, plus those
whose ``config_digests`` entry the provider left unknown because the appliance's configuration
drifted since the last commit (the apply repairs it, and the repair needs a reload). When the
whole map is unknown the provider reloads every service the commit manages, and so says the review.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    repairs: tuple[str, ...]

    def describe(self) -> str:
        """``haproxy, ldirectord``, naming the reloads that only repair drift."""
        text = ", ".join(self.services)
        if self.repairs == self.services:
            return f"{text} (to repair drift)"
        if self.repairs:
            return f"{text} ({', '.join(self.repairs)} to repair drift)"
        return text


def _map(values: Any, name: str) -> dict[str, Any]:
    """A map attribute (``triggers``, ``config_digests``); empty when unset or unknown."""
    found = values.get(name) if isinstance(values, Mapping) else None
    return dict(found) if isinstance(found, dict) else {}


def _ordered(services: set[str]) -> tuple[str, ...]:
    known = [name for name in SERVICES if name in services]
    return tuple(known + sorted(services - set(SERVICES)))


def _unknown_digests(change: ResourceChange, managed: set[str]) -> set[str]:
    """Services whose ``config_digests`` entry is unknown until apply: all when the map is."""
    digests = change.after.get("config_digests")
    if digests is Hidden.UNKNOWN:
        return managed
    if isinstance(digests, Mapping):
        return {name for name, digest in digests.items() if digest is Hidden.UNKNOWN}
    return set()


def reloads_of(change: ResourceChange) -> Reloads | None:
    """The reloads one ``lborg_commit`` change causes, or None when it causes none."""
    if change.resource_type != "lborg_commit":
        return None
    after = _map(change.after, "triggers")
    if change.action in (Action.CREATE, Action.REPLACE):
        services, repaired = set(after) or set(SERVICES), set()
    elif change.action is Action.UPDATE:
        before = _map(change.before, "triggers")
        services = {
            name for name, digest in after.items() if before.get(name) != digest or digest is Hidden.UNKNOWN
        }
        unknown = _unknown_digests(change, set(after) or set(SERVICES)) - services
        # A wholly unknown map after a trigger change is not drift, but the provider still
        # reloads every managed service; only unknowns without a trigger change are repairs.
        repaired = (
            unknown if not services or change.after.get("config_digests") is not Hidden.UNKNOWN else set()
        )
        services |= unknown
    else:
        return None
    if not services:
        return None
    return Reloads(change.stack, change.appliance.name, _ordered(services), _ordered(repaired))


def reloads(changes: list[ResourceChange]) -> list[Reloads]:
    """Reloads per appliance, sorted by stack and appliance."""
    found = [item for item in (reloads_of(change) for change in changes) if item is not None]
    return sorted(found, key=lambda r: (r.stack, r.appliance))
