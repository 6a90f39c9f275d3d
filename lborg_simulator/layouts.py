"""Answer reads in each response layout the vendor's sources allow, so clients are tested on all.

The vendor publishes requests but no response body for `list` and `nodestatus`, and its own
front-end passes each lbcli result item on as lbcli printed it. A client must therefore read the
payload wherever it sits and whatever XML-to-JSON spelling it uses for empty elements. Each
layout below is one such answer; `data` is the simulator's default (see docs/appliance-api.md).

- `data`:    payload under `data`; an empty element is `[]`.
- `named`:   payload under a key named after the function (`dumpconfig`, `advanced`, ...) or the
             action (`nodestatus`); an empty element is `""`.
- `inline`:  the payload's members directly in the result item next to `action` and `status`
             (the sections `haproxy`, `ldirectord`, `heartbeat`, `physical` for dumpconfig), the
             request's `function` echoed; an empty element is `null`.
- `wrapped`: payload under `data`, kept inside its XML root element (`{"config": {...}}`); an
             empty element is `{}`.
- `unknown`: a shape no source describes (the payload split over two unnamed keys), for testing
             that a client refuses it rather than reading "nothing configured".

Only successful `list` and `nodestatus` results change; writes and errors are answered as always.
"""

from __future__ import annotations

from typing import Any

LAYOUTS = ("data", "named", "inline", "wrapped", "unknown")
DEFAULT_LAYOUT = "data"
_EMPTY: dict[str, Any] = {"data": [], "named": "", "inline": None, "wrapped": {}}


def _with_empty(value: Any, empty: Any) -> Any:
    if value == []:
        return empty
    if isinstance(value, dict):
        return {key: _with_empty(item, empty) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_empty(item, empty) for item in value]
    return value


def _payload_name(request: dict[str, Any]) -> str:
    return str(request.get("function") or request.get("action") or "data")


def reshape(layout: str, request: Any, result: dict[str, Any]) -> dict[str, Any]:
    """One result item in `layout` (unchanged for `data`, writes and failures)."""
    if layout == DEFAULT_LAYOUT or not isinstance(request, dict) or "data" not in result:
        return result
    if result.get("status") != "success" or request.get("action") not in ("list", "nodestatus"):
        return result
    envelope = {key: value for key, value in result.items() if key != "data"}
    payload = result["data"]
    if layout == "unknown":
        return {**envelope, "result_a": payload, "result_b": {"format": "lb_config"}}
    payload = _with_empty(payload, _EMPTY[layout])
    if layout == "named":
        return {**envelope, _payload_name(request): payload}
    if layout == "inline" and isinstance(payload, dict):
        echoed = {"function": request["function"]} if "function" in request else {}
        return {**echoed, **payload, **envelope}
    if layout == "wrapped" and request.get("function") == "dumpconfig":
        return {**envelope, "data": {"config": payload}}
    return {**envelope, "data": payload}


def reshape_all(layout: str, requests: list[Any], results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        reshape(layout, requests[index] if index < len(requests) else None, result)
        for index, result in enumerate(results)
    ]
