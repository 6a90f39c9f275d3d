"""`plan-review --json`: the review as one JSON object, for a script or a CI step that reads it.

The same `Review` the markdown renders, so the two never disagree: counts per action, each change
and drift with its appliance and changed attributes (values already masked: a sensitive value is
"(sensitive)"), the risks, the reloads, stacks that could not be planned, and which `--fail-on`
gates tripped.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from eas_lb.operations.plan_review.action_count import appliance_actions
from eas_lb.operations.plan_review.review import Review
from eas_lb.operations.plans.changes import PlannedResourceChange


def _value(value: Any) -> Any:
    """A JSON value: the masks (an Enum) as their text, anything else JSON cannot hold as text."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dict):
        return {str(key): _value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _change(change: PlannedResourceChange) -> dict[str, Any]:
    return {
        "stack": change.stack,
        "address": change.address,
        "type": change.resource_type,
        "action": change.action.value,
        "appliance": change.appliance.name,
        "imported": change.imported,
        "replace_because": list(change.replace_because),
        "attributes": [
            {"name": item.name, "before": _value(item.before), "after": _value(item.after)}
            for item in change.attributes
        ],
    }


def render_json(review: Review, gates_tripped: list[str]) -> str:
    """The review as indented JSON, ending in a newline."""
    counts = review.counts
    document = {
        "stacks": [stack.name for stack in review.stacks],
        "counts": {
            "add": counts.add,
            "change": counts.change,
            "replace": counts.replace,
            "destroy": counts.destroy,
            "adopt": counts.adopt,
        },
        "appliance_actions": appliance_actions(review.changes, review.reload_count),
        "changes": [_change(change) for change in review.changes],
        "drift": [_change(change) for change in review.drift],
        "risks": [
            {
                "kind": risk.kind.value,
                "stack": risk.stack,
                "appliance": risk.appliance,
                "subject": risk.subject,
                "reason": risk.reason,
            }
            for risk in review.risks
        ],
        "reloads": [
            {
                "stack": item.stack,
                "appliance": item.appliance,
                "services": list(item.services),
                "repairs": list(item.repairs),
            }
            for item in review.reloads
        ],
        "unplanned": [{"stack": item.stack, "reason": item.reason} for item in review.unplanned],
        "gates_tripped": gates_tripped,
    }
    return json.dumps(document, indent=2) + "\n"
