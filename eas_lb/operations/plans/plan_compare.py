"""Whether a plan made now is the plan that was reviewed, and if not, where they part.

`deploy --reviewed` plans each stack again just before it applies the saved plan. Terraform
refuses a saved plan only when the state changed ("Saved plan is stale"); a change on an appliance
outside Terraform (a hand edit in the WebUI) leaves the state as it was, so only a fresh plan shows
it: its refresh finds the drift and its changes differ from the reviewed ones. Two plans of the
same configuration, state and appliances are identical but for their timestamp, so any other
difference means the world moved since the review. Only addresses and actions are named, never a
value (a plan holds sensitive values in clear).
"""

from __future__ import annotations

from typing import Any

_COMPARED = ("actions", "before", "after", "after_unknown", "replace_paths")
#: A refusal names this many resources, then says how many more differ.
MAX_LINES = 8


def _by_address(document: Any, key: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    items = document.get(key) if isinstance(document, dict) else None
    for item in items or []:
        if isinstance(item, dict) and isinstance(item.get("change"), dict):
            found[str(item.get("address"))] = {name: item["change"].get(name) for name in _COMPARED}
    return found


def _actions(change: dict[str, Any] | None) -> str:
    if change is None:
        return "nothing"
    actions = change.get("actions") or ["no-op"]
    return "/".join(str(action) for action in actions)


def _drift_lines(reviewed: Any, fresh: Any) -> tuple[list[str], set[str]]:
    before, now = _by_address(reviewed, "resource_drift"), _by_address(fresh, "resource_drift")
    lines, seen = [], set()
    for address in sorted(set(before) | set(now)):
        if before.get(address) == now.get(address):
            continue
        seen.add(address)
        if address in now:
            lines.append(f"{address}: changed outside Terraform (on the appliance) since the review")
        else:
            lines.append(f"{address}: the drift the review showed is no longer there")
    return lines, seen


def plan_differences(reviewed: Any, fresh: Any) -> list[str]:
    """One line per resource whose planned change or drift differs; [] when the plans agree."""
    lines, seen = _drift_lines(reviewed, fresh)
    before, now = _by_address(reviewed, "resource_changes"), _by_address(fresh, "resource_changes")
    for address in sorted(set(before) | set(now)):
        old, new = before.get(address), now.get(address)
        if old == new or address in seen:
            continue
        if _actions(old) != _actions(new):
            lines.append(f"{address}: reviewed {_actions(old)}, would now {_actions(new)}")
        else:
            lines.append(f"{address}: {_actions(new)} with other values than the reviewed ones")
    outputs_before = reviewed.get("output_changes") if isinstance(reviewed, dict) else None
    outputs_now = fresh.get("output_changes") if isinstance(fresh, dict) else None
    if outputs_before != outputs_now:
        lines.append("the stack's outputs would change otherwise than reviewed")
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"and {len(lines) - MAX_LINES} more"]
    return lines


def configuration_differences(reviewed: Any, synthesized: Any) -> list[str]:
    """The resources (and blocks) of two cdk.tf.json documents that differ, by Terraform address."""
    old, new = _addresses(reviewed), _addresses(synthesized)
    lines = []
    for address in sorted(set(old) | set(new)):
        if address not in new:
            lines.append(f"{address}: reviewed, no longer in the configuration")
        elif address not in old:
            lines.append(f"{address}: new since the review")
        elif old[address] != new[address]:
            lines.append(f"{address}: changed since the review")
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"and {len(lines) - MAX_LINES} more"]
    return lines


def _addresses(document: Any) -> dict[str, Any]:
    """`resource.TYPE.NAME`, `data.TYPE.NAME` and each other top-level block of a cdk.tf.json."""
    found: dict[str, Any] = {}
    if not isinstance(document, dict):
        return found
    for block, content in document.items():
        if block == "//":
            continue
        if block in ("resource", "data") and isinstance(content, dict):
            prefix = "" if block == "resource" else "data."
            for kind, named in content.items():
                for name, body in (named or {}).items() if isinstance(named, dict) else []:
                    found[f"{prefix}{kind}.{name}{_construct_path(body)}"] = body
        else:
            found[block] = content
    return found


def _construct_path(body: Any) -> str:
    """` (pair1/lb1/MGMT_HTTP-80/vip)`: the construct's path, as Terraform shows it beside the address."""
    try:
        path = str(body["//"]["metadata"]["path"])
    except (KeyError, TypeError):
        return ""
    return f" ({path.split('/', 1)[1] if '/' in path else path})"
