"""The review as GitHub-flavoured markdown: headline, risks, per appliance and pool, drift, raw.

Pure text assembly from a :class:`Review`; everything is sorted before it gets here, so the same
plans always give the same text (a pull-request comment only changes when the plan does).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from eas_lb.operations.plan_review import reload_effects
from eas_lb.operations.plan_review.action_count import appliance_actions
from eas_lb.operations.plan_review.review import Review
from eas_lb.operations.plan_review.risks import RiskKind
from eas_lb.operations.plans import maintenance
from eas_lb.operations.plans.appliance_index import PlannedAppliance
from eas_lb.operations.plans.changes import Action, PlannedResourceChange
from eas_lb.operations.plans.wording import (
    APPLIANCE_SETTINGS,
    OTHER_RESOURCES,
    VIRTUAL_MACHINES,
    Statement,
    drift_statements,
    statements,
)
from eas_lb.operations.pool_terms import arrow, show

MARKER = "<!-- eas-lb-plan-review -->"
_SETTINGS_GROUPS = (APPLIANCE_SETTINGS, VIRTUAL_MACHINES, OTHER_RESOURCES)
_HEAD_MARGIN = 400
_TRUNCATED = "\n… raw changes truncated to fit; the full review is in the job's artifact.\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _names(items: Iterable[str]) -> str:
    return ", ".join(f"`{item}`" for item in items)


def _headline(review: Review) -> list[str]:
    stacks = sorted([stack.name for stack in review.stacks] + [item.stack for item in review.unplanned])
    appliances = sorted({appliance.name for stack in review.stacks for appliance in stack.appliances})
    counts = review.counts
    adopted = f"{counts.adopt} adopted, " if counts.adopt else ""
    parts = [
        f"**{_plural(len(stacks), 'stack')}** ({_names(stacks)})",
        f"**{_plural(len(appliances), 'appliance')}** ({_names(appliances)})" if appliances else "",
        f"**{adopted}{counts.add} to add, {counts.change} to change, "
        f"{counts.replace} to replace, {counts.destroy} to destroy**",
        f"**{_plural(review.reload_count, 'reload')}**",
        _actions_part(review),
        f"**{len(review.unplanned)} not planned**" if review.unplanned else "",
        f"**drift on {_plural(len(review.drift), 'resource')}**" if review.drift else "",
    ]
    return [" · ".join(part for part in parts if part)]


def _actions_part(review: Review) -> str:
    """The headline's "about N appliance actions": what bounds an apply on an appliance (one lbcli
    run per action; see `action_count`)."""
    count = appliance_actions(review.changes, review.reload_count)
    return f"**about {_plural(count, 'appliance action')}**" if count else ""


def _risk_lines(review: Review) -> list[str]:
    """The risk headline; it never says "no interrupting change" of a stack nobody could plan."""
    unplanned = sorted(item.stack for item in review.unplanned)
    unknown = (
        f"unknown for {_plural(len(unplanned), 'stack')} that could not be planned ({_names(unplanned)})"
        if unplanned
        else ""
    )
    if not review.risks:
        if unknown:
            line = f"**Risk:** ⚠ {unknown}"
            if review.stacks:
                line += "; no interrupting change found in the others"
        else:
            line = "**Risk:** no interrupting change found"
        if review.reload_count:
            line += f" (the apply reloads {_plural(review.reload_count, 'service')})"
        return [line + "."]
    by_kind = [(kind, [risk for risk in review.risks if risk.kind is kind]) for kind in RiskKind]
    summary = ", ".join(_plural(len(found), kind.value) for kind, found in by_kind if found)
    if unknown:
        summary += f"; {unknown}"
    lines = [f"**Risk:** ⚠ {summary}", ""]
    for risk in review.risks:
        lines.append(
            f"- ⚠ {risk.kind.value}: `{risk.subject}` on {risk.appliance} ({risk.stack}): {risk.reason}"
        )
    return lines


def _group_lines(items: list[Statement]) -> list[str]:
    groups: dict[str, list[Statement]] = defaultdict(list)
    for item in items:
        groups[item.group].append(item)
    pools = sorted(name for name in groups if name not in _SETTINGS_GROUPS)
    lines: list[str] = []
    for name in pools + [name for name in _SETTINGS_GROUPS if name in groups]:
        heading = f"`{name}`" if name in pools else name
        lines += ["", f"**{heading}**", ""]
        lines += [f"- {item.text}" for item in sorted(groups[name], key=lambda s: (s.order, s.text))]
    return lines


def _appliance_heading(level: str, stack: str, appliance: PlannedAppliance) -> str:
    where = f" ({appliance.endpoint})" if appliance.endpoint else ""
    return f"{level} {appliance.name}{where} · stack `{stack}`"


def _per_appliance(review: Review, changes: tuple[PlannedResourceChange, ...], level: str) -> list[str]:
    lines: list[str] = []
    reload_of = {(item.stack, item.appliance): item for item in review.reloads}
    for stack, appliance in review.appliances:
        mine = [change for change in changes if change.stack == stack and change.appliance == appliance]
        if not mine:
            continue
        lines += ["", _appliance_heading(level, stack, appliance)]
        reload = reload_of.get((stack, appliance.name)) if changes is review.changes else None
        if reload:
            lines += ["", f"Reloads: {reload.describe()}", ""]
            lines += [f"- {effect}" for effect in reload_effects.effects(reload.services)]
        if changes is review.drift:
            said = [item for change in mine for item in drift_statements(change)]
        else:
            said = [item for change in mine for item in statements(change, planned=changes is review.changes)]
        lines += _group_lines(said)
    return lines


def _raw_block(change: PlannedResourceChange) -> list[str]:
    action = change.action.value
    if change.imported:
        action = "adopt" if change.action is Action.NOOP else f"adopt, then {action}"
    lines = [f"# {change.stack}: {change.address} ({change.appliance.name}): {action}"]
    if change.replace_because:
        lines.append(f"#   replace because: {', '.join(change.replace_because)}")
    for item in change.attributes:
        if change.action is Action.CREATE:
            lines.append(f"  + {item.name} = {show(item.after)}")
        elif change.action is Action.DELETE:
            lines.append(f"  - {item.name} = {show(item.before)}")
        else:
            lines.append(f"  ~ {item.name}: {arrow(item.before, item.after)}")
    return lines


def _raw_section(title: str, changes: tuple[PlannedResourceChange, ...], budget: int | None) -> list[str]:
    if not changes:
        return []
    body: list[str] = []
    for change in changes:
        body += [*_raw_block(change), ""]
    text = "\n".join(body).rstrip("\n")
    if budget is not None and len(text) > budget:
        text = text[: max(budget - len(_TRUNCATED), 0)].rsplit("\n", 1)[0] + _TRUNCATED
    return [
        "",
        f"<details><summary>{title} ({_plural(len(changes), 'resource')})</summary>",
        "",
        "```text",
        text,
        "```",
        "",
        "</details>",
    ]


def _unplanned_lines(review: Review) -> list[str]:
    """Stacks Terraform could not plan: a reviewer must not read silence as "no change"."""
    if not review.unplanned:
        return []
    lines = ["", "### ⚠ Stacks that could not be planned", ""]
    for item in review.unplanned:
        first, _, rest = item.reason.partition("\n")
        lines.append(f"- `{item.stack}`: {first}")
        if rest.strip():
            lines += ["", "  ```text", *[f"  {line}" for line in rest.strip().splitlines()], "  ```", ""]
    return lines


def _shortened(head: str, max_chars: int) -> str:
    """Keep the headline and risks (they come first), cut the per-pool lines to fit, say so."""
    kept = head[: max(max_chars - _HEAD_MARGIN, 0)].rsplit("\n", 1)[0]
    omitted = head.count("\n") - kept.count("\n")
    return (
        f"{kept}\n\n… {omitted} more lines and the raw changes are not shown: the review is longer "
        "than a comment holds; the full review is in the job's artifact.\n"
    )


def render(review: Review, *, max_chars: int | None = None) -> str:
    """The whole review as markdown; ``max_chars`` shortens only the raw sections to fit."""
    lines = [MARKER, "## Plan review", "", *_headline(review), "", *_risk_lines(review)]
    lines += _unplanned_lines(review)
    servers = maintenance.summary_lines(review.changes, review.drift, review.servers, review.names)
    if servers:
        lines += ["", "### EAS servers", "", *[f"- {line}" for line in servers]]
    if review.changes:
        lines += ["", "### Changes per appliance and pool", *_per_appliance(review, review.changes, "####")]
    elif not review.unplanned:
        lines += ["", "No changes: the appliances already match the configuration."]
    if review.drift:
        lines += [
            "",
            "### Drift found during refresh",
            "",
            "Changed on the appliance outside Terraform; applying this plan puts the configuration back.",
            *_per_appliance(review, review.drift, "####"),
        ]
    head = "\n".join(lines) + "\n"
    if max_chars is not None and len(head) > max_chars - _HEAD_MARGIN:
        return _shortened(head, max_chars)
    budget = None
    if max_chars is not None:
        sections = 2 if review.drift else 1
        budget = max(max_chars - len(head) - 200 * sections, 0) // sections
    raw = _raw_section("Raw changes", review.changes, budget)
    raw += _raw_section("Raw drift", review.drift, budget)
    return head + ("\n".join(raw) + "\n" if raw else "")
