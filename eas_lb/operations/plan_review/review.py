"""The review of all stacks together: counts, risks, reloads and the CI gate.

Kept apart from the markdown so the gate (``--fail-on``) and the text can never disagree about
what the plans contain.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from eas_lb.operations.plan_review.risks import Risk, risks
from eas_lb.operations.plans.appliance_index import PlannedAppliance
from eas_lb.operations.plans.changes import Action, PlannedResourceChange, StackPlan
from eas_lb.operations.plans.reloads import Reloads, reloads


class Gate(Enum):
    """Change kinds a CI job can refuse with ``--fail-on``."""

    REPLACE = "replace"
    DESTROY = "destroy"
    DRIFT = "drift"


@dataclass(frozen=True)
class Counts:
    """Resources per action, as Terraform counts them (a replacement is one resource)."""

    add: int
    change: int
    replace: int
    destroy: int
    adopt: int = 0  # imported, whatever else the plan does to them (Terraform's "to import")

    @classmethod
    def of(cls, changes: list[PlannedResourceChange]) -> Counts:
        """Count the actions of a list of changes."""
        actions = Counter(change.action for change in changes)
        return cls(
            add=actions[Action.CREATE],
            change=actions[Action.UPDATE],
            replace=actions[Action.REPLACE],
            destroy=actions[Action.DELETE],
            adopt=sum(1 for change in changes if change.imported),
        )

    @property
    def total(self) -> int:
        """Resources touched at all."""
        return self.add + self.change + self.replace + self.destroy


# Frozen records alike drift/issue.py's OpenIssue and Decision in shape; unrelated values.
@dataclass(frozen=True)
class Unplanned:
    """A stack Terraform could not plan, with Terraform's own explanation."""

    stack: str
    reason: str


@dataclass(frozen=True)
class Review:
    """Everything the markdown and the gate need, computed once."""

    stacks: tuple[StackPlan, ...]
    changes: tuple[PlannedResourceChange, ...]
    drift: tuple[PlannedResourceChange, ...]
    counts: Counts
    risks: tuple[Risk, ...]
    reloads: tuple[Reloads, ...]
    unplanned: tuple[Unplanned, ...] = ()
    #: EAS server address → `eas-3 (10.225.37.231, 192.168.85.61)`, for the servers the site
    #: file names (`eas_servers:`, recorded by synth): plan review speaks of them by name.
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def appliances(self) -> tuple[tuple[str, PlannedAppliance], ...]:
        """(stack, appliance) pairs with changes or drift, sorted by stack then name."""
        seen = {(change.stack, change.appliance) for change in self.changes + self.drift}
        return tuple(sorted(seen, key=lambda pair: (pair[0], pair[1].name, pair[1].endpoint or "")))

    @property
    def servers(self) -> dict[str, frozenset[str]]:
        """EAS server address → every pool (VIP label) that uses it once the plans are applied."""
        pools: dict[str, set[str]] = {}
        for stack in self.stacks:
            for vip, address in stack.servers:
                pools.setdefault(address, set()).add(vip)
        return {address: frozenset(found) for address, found in pools.items()}

    @property
    def reload_count(self) -> int:
        """Service reloads the apply causes over all appliances."""
        return sum(len(item.services) for item in self.reloads)


def build_review(
    stacks: list[StackPlan], unplanned: list[Unplanned] | None = None, names: Mapping[str, str] | None = None
) -> Review:
    """Combine the stacks' plans (sorted by stack name) into one review; `names` as `Review.names`."""
    ordered = tuple(sorted(stacks, key=lambda stack: stack.name))
    changes = [change for stack in ordered for change in stack.changes]
    drift = [change for stack in ordered for change in stack.drift]
    return Review(
        stacks=ordered,
        changes=tuple(changes),
        drift=tuple(drift),
        counts=Counts.of(changes),
        risks=tuple(risks(changes, drift, _sticky(ordered))),
        reloads=tuple(reloads(changes, drift)),
        unplanned=tuple(sorted(unplanned or [], key=lambda item: item.stack)),
        names=dict(names or {}),
    )


def _sticky(stacks: tuple[StackPlan, ...]) -> frozenset[tuple[str, str]]:
    return frozenset((stack.name, label) for stack in stacks for label in stack.sticky_vips)


def gate_failures(review: Review, gates: set[Gate]) -> list[str]:
    """Why a CI gate fails: one line per requested gate that the plans trip, else nothing."""
    failures = []
    if Gate.REPLACE in gates and review.counts.replace:
        names = [
            f"{change.stack}: {change.address}"
            for change in review.changes
            if change.action is Action.REPLACE
        ]
        failures.append(f"{len(names)} resource(s) would be replaced: {', '.join(names)}")
    if Gate.DESTROY in gates and review.counts.destroy:
        names = [
            f"{change.stack}: {change.address}" for change in review.changes if change.action is Action.DELETE
        ]
        failures.append(f"{len(names)} resource(s) would be destroyed: {', '.join(names)}")
    if Gate.DRIFT in gates and review.drift:
        names = [f"{change.stack}: {change.address}" for change in review.drift]
        failures.append(f"{len(names)} resource(s) drifted outside Terraform: {', '.join(names)}")
    return failures
