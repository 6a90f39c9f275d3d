"""Build request bodies and read the `lbapi` → `itteration` → `lbcli` response envelope.

No verbatim response body is published by the vendor, so the reader is lenient: it accepts the
vendor's spelling `itteration` and the correct `iteration`, a bare list of results, a plain
`{"lbcli": [...]}`, and items without a `status` (taken as success unless they carry an error).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SUCCESS = "success"

Action = Mapping[str, Any]
_ENVELOPE_KEYS = {"lbapi", "itteration", "iteration", "lbcli"}


@dataclass(frozen=True)
class ActionResult:
    """The appliance's answer to one lbcli action of a batch."""

    action: str
    status: str
    message: str = ""
    data: Any = None
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == SUCCESS


def request_body(actions: Sequence[Action]) -> dict[str, list[dict[str, Any]]]:
    """The JSON body for an ordered batch; values are sent as text, as the vendor samples do."""
    return {"lbcli": [{key: _wire(value) for key, value in action.items()} for action in actions]}


def _wire(value: Any) -> Any:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return value


def _items(body: Any) -> list[Any]:
    """Find the list of per-action results wherever the envelope put it."""
    if isinstance(body, list):
        if body and all(isinstance(item, Mapping) and _ENVELOPE_KEYS & set(item) for item in body):
            return [result for item in body for result in _items(item)]
        return body
    if not isinstance(body, Mapping):
        return []
    if "lbapi" in body:
        return _items(body["lbapi"])
    for key in ("itteration", "iteration"):
        if key in body:
            return _items(body[key])
    if "lbcli" in body:
        inner = body["lbcli"]
        return inner if isinstance(inner, list) else [inner]
    if "status" in body or "action" in body:
        return [body]
    return []


def parse_results(body: Any, actions: Sequence[Action]) -> list[ActionResult]:
    """One result per action sent, in order; actions the appliance did not answer are `failed`."""
    items = _items(body)
    results: list[ActionResult] = []
    for index, action in enumerate(actions):
        sent_name = str(action.get("action", ""))
        item = items[index] if index < len(items) else None
        if not isinstance(item, Mapping):
            results.append(
                ActionResult(sent_name, "failed", "the appliance returned no result for this action")
            )
            continue
        status = str(item.get("status") or ("failed" if item.get("error") else SUCCESS)).lower()
        message = str(item.get("message") or item.get("error") or "")
        results.append(
            ActionResult(
                action=str(item.get("action") or sent_name),
                status=status,
                message=message,
                data=item.get("data"),
                raw=dict(item),
            )
        )
    return results
